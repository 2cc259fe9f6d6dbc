# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
#
# TAP output for the test scripts (sourced): numbered points, the count
# of failed ones, and the plan at the end.  $n and $failed are the
# script's to read.

n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
# not_ok NAME [DETAIL]: DETAIL is shown as TAP comments, 20 lines at most.
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	[[ -n ${2:-} ]] && printf '%s\n' "$2" | head -20 | sed 's/^/# /'
	return 0
}
# check NAME DETAIL COMMAND...: ok when COMMAND succeeds.
check() {
	local name=$1 detail=$2
	shift 2
	if "$@"; then ok "$name"; else not_ok "$name" "$detail"; fi
}
skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}
# expect NAME WANT GOT: ok when GOT is WANT.
expect() {
	if [[ $3 == "$2" ]]; then ok "$1"; else not_ok "$1" "want: $2"$'\n'"got:  $3"; fi
}
# The plan and the exit status; the last command of a script.
tap_end() {
	echo "1..$n"
	[[ $failed -eq 0 ]]
}
