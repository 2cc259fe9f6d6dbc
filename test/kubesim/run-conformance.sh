#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Suite kubesim: start kubesim on 127.0.0.1 with a free port (HTTPS, a
# generated CA, a bearer token), check what only kubesim can be asked
# (a request without the token gets the 401 Status), run the
# cluster-agnostic conformance script with the real kubectl, then stop
# kubesim with SIGTERM and require a clean exit.  Skips (77) when kubectl
# is not installed.  With KUBESIM_VALGRIND=1, kubesim runs under valgrind
# and any error or definite leak fails the exit check.
#
# Usage: run-conformance.sh KUBESIM CONFORMANCE-SCRIPT
set -uo pipefail

kubesim=$1
script=$2
if ! command -v kubectl >/dev/null; then
	echo "1..0 # SKIP kubectl is not installed"
	exit 77
fi
for tool in jq curl; do
	if ! command -v $tool >/dev/null; then
		echo "1..0 # SKIP $tool is not installed (scripts/deps.sh)"
		exit 77
	fi
done

tmp=$(mktemp -d)
pid=
stop() {
	[[ -n $pid ]] && kill -TERM "$pid" 2>/dev/null && wait "$pid"
	pid=
}
trap 'stop; rm -rf "$tmp"' EXIT

wrapper=()
if [[ ${KUBESIM_VALGRIND:-} == 1 ]]; then
	wrapper=(valgrind --error-exitcode=99 --leak-check=full
		--errors-for-leak-kinds=definite --quiet --log-file="$tmp/valgrind.log")
fi
"${wrapper[@]}" "$kubesim" --listen 127.0.0.1:0 --kubeconfig-out "$tmp/kubeconfig" \
	2>"$tmp/kubesim.log" &
pid=$!
for _ in $(seq 300); do
	[[ -s $tmp/kubeconfig ]] && break
	sleep 0.1
done
if [[ ! -s $tmp/kubeconfig ]]; then
	echo "not ok 1 - kubesim writes its kubeconfig"
	sed 's/^/# /' "$tmp/kubesim.log"
	echo "1..1"
	exit 1
fi
echo "ok 1 - kubesim writes its kubeconfig"

# Without the token: 401 and the Status kube-apiserver sends.
server=$(awk '/server:/ {print $2; exit}' "$tmp/kubeconfig")
awk '/certificate-authority-data:/ {print $2}' "$tmp/kubeconfig" | base64 -d >"$tmp/ca.crt"
code=$(curl -sS --cacert "$tmp/ca.crt" -o "$tmp/body" -w '%{http_code}' "$server/api/v1/namespaces")
body="$(cat "$tmp/body") $code"
want='{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401} 401'
if [[ $body == "$want" ]]; then
	echo "ok 2 - no token: 401 Unauthorized Status"
else
	echo "not ok 2 - no token: 401 Unauthorized Status"
	echo "# got: $body"
fi

# Health endpoints answer anyone.
if [[ $(curl -sS --cacert "$tmp/ca.crt" "$server/readyz") == ok ]]; then
	echo "ok 3 - /readyz without a token"
else
	echo "not ok 3 - /readyz without a token"
fi

# A NotFound Status byte for byte as kube-apiserver writes it.
token=$(awk '/token:/ {print $2; exit}' "$tmp/kubeconfig")
body=$(curl -sS --cacert "$tmp/ca.crt" -H "Authorization: Bearer $token" \
	"$server/apis/apps/v1/namespaces/default/deployments/nope")
want='{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \"nope\" not found","reason":"NotFound","details":{"name":"nope","group":"apps","kind":"deployments"},"code":404}'
if [[ $body == "$want" ]]; then
	echo "ok 4 - NotFound Status body"
else
	echo "not ok 4 - NotFound Status body"
	echo "# got: $body"
fi

CONFORMANCE_TAP_START=5 bash "$script" "$tmp/kubeconfig" |
	sed "/^1\.\.[0-9]*$/d" | tee "$tmp/tap"
n=$(grep -c '^\(not \)\?ok ' "$tmp/tap")

status=0
kill -TERM "$pid"
wait "$pid" || status=$?
pid=
n=$((n + 5))
if [[ $status -eq 0 ]]; then
	echo "ok $n - kubesim stops cleanly on SIGTERM"
else
	echo "not ok $n - kubesim stops cleanly on SIGTERM (exit $status)"
	sed 's/^/# /' "$tmp/kubesim.log" | tail -20
	[[ -f $tmp/valgrind.log ]] && sed 's/^/# /' "$tmp/valgrind.log" | head -60
fi
echo "1..$n"
