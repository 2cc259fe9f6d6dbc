#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# A small run of bench/apply-bench as a test (suite apply): 1,000
# objects over ten kinds, and the idle reconcile that follows must cost
# at most 20 API requests (issue 7's efficiency bound).
#
# Usage: bench.sh KUBESIM APPLY-BENCH
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/kubesim/start.sh
. "$here/../kubesim/start.sh"
tmp=$(mktemp -d)
trap 'stop_kubesim; rm -rf "$tmp"' EXIT

start_kubesim_or_bail "$1"
"$2" "$tmp/kubeconfig" 1000 20 >"$tmp/out" 2>&1
rc=$?
sed 's/^/# /' "$tmp/out"
if [[ $rc -eq 0 ]]; then
	echo "ok 1 - 1,000 objects applied; the idle reconcile costs at most 20 requests"
else
	echo "not ok 1 - 1,000 objects applied; the idle reconcile costs at most 20 requests"
fi
if stop_kubesim; then
	echo "ok 2 - kubesim stops cleanly on SIGTERM"
else
	echo "not ok 2 - kubesim stops cleanly on SIGTERM"
	rc=1
fi
echo "1..2"
exit $((rc != 0))
