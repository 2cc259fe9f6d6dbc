#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Duplication report for the vendor distribution (issue 3): every fact in
# dist/ (a threshold, an image tag, a resource limit, a webhook URL) is to be
# written once, so no block of 4 or more YAML lines may appear twice.
#
# Usage: test/dist/duplication.sh [ROOT]      scan ROOT/dist (ROOT defaults
#                                             to the repository root)
#        test/dist/duplication.sh --dir DIR   scan DIR itself
#        test/dist/duplication.sh --self-test prove the scan still finds a
#                                             planted duplicate (TAP output)
#
# Every *.yaml and *.yml file is read; comments, blank lines and trailing
# blanks are dropped, and a window of 4 consecutive remaining lines (inside
# one YAML document) is compared with every other window, in the same file
# and across files.  Indentation counts relative to the window's least
# indented line, so a block copied to another nesting depth is still found.
# Each repeated block is printed once, at its full length, with all its
# places as file:first-last line numbers.
#
# Exit status: 0 no duplicates, 1 duplicates (or a failed self-test),
# 2 usage error.
set -euo pipefail

self=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
min_lines=4

if ! command -v python3 >/dev/null 2>&1; then
	echo "duplication.sh: python3 is required (scripts/deps.sh installs it)" >&2
	exit 2
fi

scan() {
	python3 - "$1" "$min_lines" <<'PY'
import os
import sys

top, width = sys.argv[1], int(sys.argv[2])


def strip_comment(line):
    """Drop a YAML comment: '#' at the start or after a blank, outside quotes."""
    quote = None
    i = 0
    while i < len(line):
        c = line[i]
        if quote == "'":
            if c == "'":
                if line[i + 1:i + 2] == "'":
                    i += 1
                else:
                    quote = None
        elif quote == '"':
            if c == "\\":
                i += 1
            elif c == '"':
                quote = None
        elif c in "'\"" and (i == 0 or line[i - 1] in " \t[{,:-"):
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i]
        i += 1
    return line


def significant(path):
    """(line number, indentation, text) of every line that carries content;
    None marks a document boundary, which no window may cross."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for no, raw in enumerate(f, 1):
            line = strip_comment(raw.rstrip("\n")).rstrip()
            if not line.strip():
                continue
            if line.startswith("---") or line.startswith("..."):
                out.append(None)
                continue
            text = line.lstrip(" ")
            out.append((no, len(line) - len(text), text))
    return out


files = []
for dirpath, dirnames, filenames in os.walk(top):
    dirnames.sort()
    for name in sorted(filenames):
        if name.endswith((".yaml", ".yml")):
            path = os.path.join(dirpath, name)
            files.append((os.path.relpath(path, top), significant(path)))

# Window key -> places (file index, position of the window's first line).
windows = {}
for fi, (_, lines) in enumerate(files):
    for p in range(len(lines) - width + 1):
        win = lines[p:p + width]
        if None in win:
            continue
        base = min(ind for _, ind, _ in win)
        key = tuple((ind - base, text) for _, ind, text in win)
        windows.setdefault(key, []).append((fi, p))

# Two places whose windows match at several consecutive positions hold one
# longer block: collect the matching start positions per pair of places and
# merge consecutive ones into maximal runs.
pairs = {}
for places in windows.values():
    for i, (fa, pa) in enumerate(places):
        for fb, pb in places[i + 1:]:
            pairs.setdefault((fa, fb, pb - pa), set()).add(pa)

blocks = {}
for (fa, fb, shift), starts in pairs.items():
    for s in sorted(starts):
        if s - 1 in starts:
            continue
        e = s
        while e + 1 in starts:
            e += 1
        n = e - s + width
        la = files[fa][1][s:s + n]
        base = min(ind for _, ind, _ in la)
        key = tuple((ind - base, text) for _, ind, text in la)
        spots = blocks.setdefault(key, set())
        for f, q in ((fa, s), (fb, s + shift)):
            sl = files[f][1]
            spots.add((files[f][0], sl[q][0], sl[q + n - 1][0]))

for key, spots in sorted(blocks.items(), key=lambda kv: sorted(kv[1])):
    where = ", ".join(f"{f}:{a}-{b}" for f, a, b in sorted(spots))
    print(f"duplicated block of {len(key)} lines at {where}")
    for ind, text in key:
        print("    " + " " * ind + text)

n_files = len(files)
if blocks:
    print(f"duplication.sh: {len(blocks)} repeated block(s) of {width}+ lines "
          f"in {n_files} YAML files under {top}; write each fact once "
          "(a component, a targeted patch, or the images/labels fields)",
          file=sys.stderr)
    sys.exit(1)
print(f"duplication.sh: {n_files} YAML files under {top}, no repeated block "
      f"of {width}+ lines")
PY
}

# The self-test plants one block twice, at two depths, with comments, blank
# lines and trailing blanks mixed in, plus near-misses that must not count:
# a 3-line repeat, a repeat split by a document boundary, and a '#' inside
# quotes that is not a comment.
self_test() {
	local tmp rc failed=0
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' RETURN
	mkdir -p "$tmp/bad/a" "$tmp/clean"
	cat >"$tmp/bad/a/one.yaml" <<-'EOF'
		apiVersion: v1
		kind: ConfigMap
		data:
		  probe: |
		    readinessProbe:
		      httpGet: {path: /readyz, port: http}   # planted
		      periodSeconds: 5

		      timeoutSeconds: 2
		    done: true
	EOF
	printf '%s\n' \
		'spec:' \
		'  containers:' \
		'    - name: x' \
		'      # a comment inside the planted block' \
		'      readinessProbe:   ' \
		'        httpGet: {path: /readyz, port: http}' \
		'        periodSeconds: 5' \
		'        timeoutSeconds: 2' \
		'      done: true' >"$tmp/bad/two.yml"
	cat >"$tmp/clean/three.yaml" <<-'EOF'
		a: 1
		b: 2
		c: 3
		---
		a: 1
		b: 2
		c: 3
		d: "# not a comment"
		---
		a: 1
		b: 2
		c: 3
		d: "# not a comment, and not the same line"
	EOF
	cp "$tmp/clean/three.yaml" "$tmp/bad/near-misses.yaml"

	echo "1..3"
	rc=0
	scan "$tmp/bad" >"$tmp/out" 2>"$tmp/err" || rc=$?
	if [[ $rc -eq 1 ]] && grep -qx 'duplicated block of 5 lines at a/one.yaml:5-10, two.yml:5-9' "$tmp/out"; then
		echo "ok 1 - planted 5-line block found at both places, exit 1"
	else
		echo "not ok 1 - planted block (exit $rc, want 1)"
		sed 's/^/# /' "$tmp/out" "$tmp/err"
		failed=1
	fi
	if [[ $(grep -c '^duplicated block' "$tmp/out") -eq 1 ]]; then
		echo "ok 2 - near-misses not reported"
	else
		echo "not ok 2 - near-misses reported"
		sed 's/^/# /' "$tmp/out"
		failed=1
	fi
	rc=0
	scan "$tmp/clean" >"$tmp/out" 2>&1 || rc=$?
	if [[ $rc -eq 0 ]]; then
		echo "ok 3 - clean tree passes, exit 0"
	else
		echo "not ok 3 - clean tree (exit $rc, want 0)"
		sed 's/^/# /' "$tmp/out"
		failed=1
	fi
	return $failed
}

case ${1:-} in
--self-test)
	self_test
	;;
--dir)
	[[ -d ${2:-} ]] || {
		echo "usage: $self --dir DIR" >&2
		exit 2
	}
	scan "$2"
	;;
-h | --help)
	sed -n '4,23p' "$self" | sed 's/^# \{0,1\}//'
	;;
-*)
	echo "usage: $self [ROOT] | --dir DIR | --self-test" >&2
	exit 2
	;;
*)
	root=${1:-"$(cd "$(dirname "$self")/../.." && pwd)"}
	if [[ ! -d $root/dist ]]; then
		echo "duplication.sh: $root/dist: not a directory" >&2
		exit 2
	fi
	scan "$root/dist"
	;;
esac
