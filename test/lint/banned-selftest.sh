#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Self-test for banned.sh: it must report exactly the planted violations in
# fixtures/bad (listed in fixtures/bad.expected) and exit 1, and it must
# pass fixtures/clean (decoys in comments, strings, longer identifiers,
# members, the allocator file, TAP printing under test/) with exit 0.
# Output is TAP.
#
# Usage: banned-selftest.sh BANNED_SH FIXTURES_DIR
set -uo pipefail

banned=${1:?usage: banned-selftest.sh BANNED_SH FIXTURES_DIR}
fixtures=${2:?usage: banned-selftest.sh BANNED_SH FIXTURES_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

echo "1..2"

bash "$banned" "$fixtures/bad" >"$tmp/out" 2>"$tmp/err"
rc=$?
sed "s|^$fixtures/bad/||" "$tmp/out" >"$tmp/got"
if [[ $rc -eq 1 ]] && diff -u "$fixtures/bad.expected" "$tmp/got" >"$tmp/diff"; then
	echo "ok 1 - planted violations reported, exit 1"
else
	echo "not ok 1 - planted violations (exit $rc, want 1)"
	sed 's/^/# /' "$tmp/diff" "$tmp/err"
	failed=1
fi

bash "$banned" "$fixtures/clean" >"$tmp/out" 2>&1
rc=$?
if [[ $rc -eq 0 ]]; then
	echo "ok 2 - clean fixtures pass, exit 0"
else
	echo "not ok 2 - clean fixtures (exit $rc, want 0)"
	sed 's/^/# /' "$tmp/out"
	failed=1
fi
exit $failed
