#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Regenerate the expected output of every build case with the kubectl on
# PATH, or with --check report drift without writing.  For a case kubectl
# builds, expected.yaml is its stdout, byte for byte.  For a case kubectl
# refuses, kubectl.err keeps its message (klog prefix removed) beside our
# own expected.err, which is written by hand and never generated: a case
# must not silently flip between success and failure.
#
# Usage: test/golden/kustomize/regen.sh [--check] [CASE...]
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
check=0
[[ ${1:-} == --check ]] && check=1 && shift
command -v kubectl >/dev/null || { echo "regen: kubectl not found" >&2; exit 2; }
echo "regen: $(kubectl version --client 2>/dev/null | tr '\n' ' ')"

cases=("$@")
[[ ${#cases[@]} -eq 0 ]] && mapfile -t cases < <(ls "$here/cases")
drift=0
for c in "${cases[@]}"; do
	dir=$here/cases/$c
	path=.
	[[ -f $dir/build-path ]] && path=$(cat "$dir/build-path")
	args=()
	[[ -f $dir/reorder ]] && args=(--reorder "$(cat "$dir/reorder")")
	out=$(mktemp) err=$(mktemp)
	if (cd "$dir/tree" && kubectl kustomize "${args[@]}" "$path" >"$out" 2>"$err"); then
		if [[ -f $dir/expected.err ]]; then
			echo "$c: kubectl now succeeds, but the case expects an error"
			drift=1
		elif ! cmp -s "$out" "$dir/expected.yaml" 2>/dev/null; then
			echo "$c: expected.yaml differs"
			drift=1
			[[ $check -eq 0 ]] && cp "$out" "$dir/expected.yaml"
		fi
	else
		# Keep kubectl's message without the klog header, the
		# machine-specific absolute paths or Go pointer values.
		sed -e 's/^E[0-9]* [0-9:.]* *[0-9]* run.go:[0-9]*\] //' \
			-e "s|$dir/tree|<tree>|g" -e 's/0xc[0-9a-f]*/0xc…/g' "$err" | grep -v '^Flag --reorder' >"$err.clean"
		if [[ -f $dir/expected.yaml ]]; then
			echo "$c: kubectl now fails, but the case expects output"
			drift=1
		elif ! cmp -s "$err.clean" "$dir/kubectl.err" 2>/dev/null; then
			echo "$c: kubectl.err differs"
			drift=1
			[[ $check -eq 0 ]] && cp "$err.clean" "$dir/kubectl.err"
		fi
		[[ -f $dir/expected.err ]] || { echo "$c: write expected.err by hand"; drift=1; }
	fi
	rm -f "$out" "$err" "$err.clean"
done
exit $drift
