#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Suite kube: the Kubernetes API client against kubesim over HTTPS with
# a bearer token (the agent's TLS and auth paths).  Starts kubesim on
# 127.0.0.1, runs the client test program (TAP) with kubesim's
# kubeconfig, then requires kubesim to stop cleanly on SIGTERM.  With
# KUBESIM_VALGRIND=1 the client test runs under valgrind as well as
# kubesim (test/kubesim/start.sh); a report fails the run.
#
# Usage: run.sh KUBESIM CLIENT-TEST
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/kubesim/start.sh
. "$here/../kubesim/start.sh"
kubesim=$1
client_test=$2
tmp=$(mktemp -d)
trap 'stop_kubesim; rm -rf "$tmp"' EXIT

start_kubesim_or_bail "$kubesim"
wrapper=()
if [[ ${KUBESIM_VALGRIND:-} == 1 ]]; then
	wrapper=(valgrind --error-exitcode=99 --leak-check=full
		--errors-for-leak-kinds=definite --quiet --log-file="$tmp/client-vg.log")
fi
"${wrapper[@]}" "$client_test" "$tmp/kubeconfig" >"$tmp/out" 2>"$tmp/err"
rc=$?
[[ -s $tmp/client-vg.log ]] && cat "$tmp/client-vg.log" >>"$tmp/err"
sed '/^1\.\.[0-9]*$/d' "$tmp/out"
n=$(grep -c '^\(not \)\?ok ' "$tmp/out")
status=0
if [[ $rc -ne 0 ]] && ! grep -q '^not ok' "$tmp/out"; then
	# A crash or a bail-out: a point of its own, with what it said.
	n=$((n + 1))
	echo "not ok $n - the client test exits 0 (exit $rc)"
	sed 's/^/# /' "$tmp/err" | tail -20
fi
[[ $rc -eq 0 ]] || status=1
n=$((n + 1))
if stop_kubesim; then
	echo "ok $n - kubesim stops cleanly on SIGTERM"
else
	echo "not ok $n - kubesim stops cleanly on SIGTERM"
	kubesim_report
	status=1
fi
echo "1..$n"
exit $status
