#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Fast pre-commit checks that need no build: banned functions (and the
# checker's own self-test) and clang-format.  For everything CI runs, use
# scripts/test.sh (or scripts/test.sh --quick for one build and test pass).
#
# Usage: scripts/check-all.sh [--fix]   --fix reformats files in place first
set -uo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$src" || exit 2
rc=0

if [[ ${1:-} == --fix ]]; then
	cf=$(command -v clang-format-14 || command -v clang-format || true)
	if [[ -n $cf ]]; then
		find agent lib test bench \( -path test/lint/fixtures -o \
			-path test/fuzz/corpus \) -prune -o -type f \
			\( -name '*.c' -o -name '*.h' \) -print0 2>/dev/null |
			xargs -0 -r "$cf" -i --style=file
	fi
fi

echo "== banned functions"
bash test/lint/banned.sh "$src" || rc=1
echo "== banned.sh self-test"
bash test/lint/banned-selftest.sh test/lint/banned.sh "$src/test/lint/fixtures" >/dev/null || {
	echo "banned.sh self-test FAILED (run it directly for details)"
	rc=1
}
echo "== clang-format"
bash test/lint/format.sh "$src"
f=$?
[[ $f -eq 0 || $f -eq 77 ]] || rc=1
exit $rc
