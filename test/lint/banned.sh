#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Banned-function check, STYLE.md rule 14 (a small form of curl's checksrc).
#
# Usage: test/lint/banned.sh [ROOT]
#
# Scans ROOT/{agent,lib,test,bench} (ROOT defaults to the repository root)
# for *.c and *.h files and reports every call to a banned function as
#     path:line: banned call 'name'
# Comments, string literals and character literals are ignored, and so are
# longer identifiers that merely contain a banned word (ga_free, snprintf,
# strtok_r, localtime_r, sigaction ...) and member calls (ops->free(p)).
# test/lint/fixtures (planted violations for the self-test) and the fuzz
# corpora are skipped.
#
# Exit status: 0 clean, 1 at least one banned call, 2 usage error.
set -euo pipefail

root=${1:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"}
if [[ ! -d $root ]]; then
	echo "banned.sh: $root: not a directory" >&2
	exit 2
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "banned.sh: python3 is required (scripts/deps.sh installs it)" >&2
	exit 2
fi

exec python3 - "$root" <<'PY'
import os
import re
import sys

root = sys.argv[1].rstrip("/") or "/"

SCAN_DIRS = ("agent", "lib", "test", "bench")
SKIP_DIRS = ("test/lint/fixtures", "test/fuzz/corpus")

# Banned as calls everywhere.
EVERYWHERE = """sprintf vsprintf strcpy strcat strncpy strncat gets atoi atol atof
    strtok tmpnam mktemp rand localtime gmtime ctime asctime system popen
    alloca signal""".split()
# Banned as calls everywhere except the allocator module.
ALLOCATORS = "malloc calloc realloc free strdup strndup".split()
ALLOC_FILE = "lib/util/alloc.c"
# The library never writes to stdout/stderr (rule 15).
LIB_CALLS = "printf fprintf puts perror".split()
LIB_IDENTS = "stderr stdout".split()


def call_re(names):
    # A whole identifier followed by optional blanks and '('.
    return re.compile(r"\b(" + "|".join(names) + r")\s*\(")


def ident_re(names):
    return re.compile(r"\b(" + "|".join(names) + r")\b")


def is_member(line, start):
    # ops->free(p) and s.free(p) call a struct member, not libc.
    before = line[:start].rstrip()
    return before.endswith(".") or before.endswith("->")


RE_EVERYWHERE = call_re(EVERYWHERE)
RE_ALLOC = call_re(ALLOCATORS)
RE_LIB_CALLS = call_re(LIB_CALLS)
RE_LIB_IDENTS = ident_re(LIB_IDENTS)


def strip_c(text):
    """Blank out comments and string/char literals, keeping newlines, so
    that line numbers are unchanged."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if c == "/" and nxt == "*":
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
        elif c == "/" and nxt == "/":
            # A line comment runs to an unescaped newline.
            j = i
            while j < n and text[j] != "\n":
                if text[j] == "\\" and j + 1 < n and text[j + 1] == "\n":
                    j += 2
                    continue
                j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def scan(rel, path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = strip_c(f.read())
    except OSError as e:
        print(f"banned.sh: {path}: {e.strerror}", file=sys.stderr)
        return 1
    checks = [RE_EVERYWHERE]
    if rel != ALLOC_FILE:
        checks.append(RE_ALLOC)
    if rel.startswith("lib/"):
        checks += [RE_LIB_CALLS, RE_LIB_IDENTS]
    hits = 0
    for lineno, line in enumerate(text.split("\n"), 1):
        found = []
        for rx in checks:
            found += [(m.start(1), m.group(1)) for m in rx.finditer(line)
                      if not is_member(line, m.start(1))]
        for _, name in sorted(found):
            print(f"{path}:{lineno}: banned call '{name}'")
            hits += 1
    return hits


def main():
    hits = 0
    files = 0
    for top in SCAN_DIRS:
        base = os.path.join(root, top)
        if not os.path.isdir(base):
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            reldir = os.path.relpath(dirpath, root)
            dirnames[:] = sorted(
                d for d in dirnames
                if os.path.join(reldir, d) not in SKIP_DIRS
                and not d.startswith("build"))
            for name in sorted(filenames):
                if not name.endswith((".c", ".h")):
                    continue
                rel = os.path.join(reldir, name)
                hits += scan(rel, os.path.join(dirpath, name))
                files += 1
    if hits:
        print(f"banned.sh: {hits} banned call(s) in {files} files; see "
              "STYLE.md rule 14 (use snprintf or ga_buf_printf, strtok_r, "
              "localtime_r/gmtime_r, sigaction, getrandom, the ga_ "
              "allocators, and ga_log in lib/)", file=sys.stderr)
        return 1
    print(f"banned.sh: {files} files clean")
    return 0


sys.exit(main())
PY
