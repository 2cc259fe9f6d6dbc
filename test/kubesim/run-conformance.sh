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

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/kubesim/start.sh
. "$here/start.sh"
tmp=$(mktemp -d)
trap 'stop_kubesim; rm -rf "$tmp"' EXIT

start_kubesim_or_bail "$kubesim"
echo "ok 1 - kubesim writes its kubeconfig"

# Without the token: 401 and the Status kube-apiserver sends.
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
body=$(curl -sS --cacert "$tmp/ca.crt" -H "Authorization: Bearer $token" \
	"$server/apis/apps/v1/namespaces/default/deployments/nope")
want='{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \"nope\" not found","reason":"NotFound","details":{"name":"nope","group":"apps","kind":"deployments"},"code":404}'
if [[ $body == "$want" ]]; then
	echo "ok 4 - NotFound Status body"
else
	echo "not ok 4 - NotFound Status body"
	echo "# got: $body"
fi

# Watch, as only kubesim can be asked: a resourceVersion older than the
# event history (kubesim starts counting at 1000) gets one ERROR event
# with the 410 Expired Status; bookmarks carry only kind, apiVersion and
# metadata.resourceVersion, one before the timeout and one at the end.
api() { curl -sS -N --cacert "$tmp/ca.crt" -H "Authorization: Bearer $token" "$server$1"; }
body=$(api "/api/v1/namespaces?watch=1&resourceVersion=1")
want='{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (1000)","reason":"Expired","code":410}}'
if [[ $body == "$want" ]]; then
	echo "ok 5 - watch from a forgotten resourceVersion: 410 Expired"
else
	echo "not ok 5 - watch from a forgotten resourceVersion: 410 Expired"
	echo "# got: $body"
fi
rv=$(api /api/v1/namespaces | jq -r .metadata.resourceVersion)
body=$(api "/api/v1/namespaces?watch=1&resourceVersion=$rv&allowWatchBookmarks=true&timeoutSeconds=3")
want="{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"$rv\"}}}"
if [[ $body == "$want"$'\n'"$want" ]]; then
	echo "ok 6 - watch bookmarks before the timeout and at the end"
else
	echo "not ok 6 - watch bookmarks before the timeout and at the end"
	echo "# got: $body"
fi
body=$(api "/api/v1/namespaces?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1" |
	jq -r '.type + " " + (.object.metadata.annotations["k8s.io/initial-events-end"] // .object.metadata.name)' | tr '\n' ' ')
want="ADDED default ADDED kube-node-lease ADDED kube-public ADDED kube-system BOOKMARK true BOOKMARK  "
if [[ $body == "$want" ]]; then
	echo "ok 7 - sendInitialEvents: the objects, then the initial-events-end bookmark"
else
	echo "not ok 7 - sendInitialEvents: the objects, then the initial-events-end bookmark"
	echo "# got: $body"
fi
body=$(api "/api/v1/namespaces?watch=1&resourceVersionMatch=NotOlderThan" | jq -r '[.code, .reason, .details.causes[0].field] | join(" ")')
if [[ $body == "422 Invalid resourceVersionMatch" ]]; then
	echo "ok 8 - watch with resourceVersionMatch alone: 422 Invalid"
else
	echo "not ok 8 - watch with resourceVersionMatch alone: 422 Invalid"
	echo "# got: $body"
fi

# DeleteOptions kubectl does not send: preconditions and a bad policy.
body=$(curl -sS --cacert "$tmp/ca.crt" -H "Authorization: Bearer $token" -X DELETE \
	-H 'Content-Type: application/json' -d '{"preconditions":{"uid":"nope"}}' \
	"$server/api/v1/namespaces/kube-node-lease" | jq -r '[.code, .message] | join(" ")')
uid=$(api /api/v1/namespaces/kube-node-lease | jq -r .metadata.uid)
want="409 Operation cannot be fulfilled on namespaces \"kube-node-lease\": Precondition failed: UID in precondition: nope, UID in object meta: $uid"
if [[ $body == "$want" ]]; then
	echo "ok 9 - DELETE with an unmet uid precondition: 409 Conflict"
else
	echo "not ok 9 - DELETE with an unmet uid precondition: 409 Conflict"
	echo "# got: $body"
fi
body=$(curl -sS --cacert "$tmp/ca.crt" -H "Authorization: Bearer $token" -X DELETE \
	"$server/api/v1/namespaces/default/configmaps?propagationPolicy=Sideways" | jq -r '[.code, .reason, .details.causes[0].field] | join(" ")')
if [[ $body == "422 Invalid propagationPolicy" ]]; then
	echo "ok 10 - deletecollection with an unknown propagationPolicy: 422 Invalid"
else
	echo "not ok 10 - deletecollection with an unknown propagationPolicy: 422 Invalid"
	echo "# got: $body"
fi

body=$(api "/api/v1/namespaces?watch=1&resourceVersion=999999" | jq -r '[.code, .reason, .details.causes[0].reason] | join(" ")')
if [[ $body == "504 Timeout ResourceVersionTooLarge" ]]; then
	echo "ok 11 - watch from a future resourceVersion: 504 Too large resource version"
else
	echo "not ok 11 - watch from a future resourceVersion: 504 Too large resource version"
	echo "# got: $body"
fi

CONFORMANCE_TAP_START=12 bash "$script" "$tmp/kubeconfig" |
	sed "/^1\.\.[0-9]*$/d" | tee "$tmp/tap"
n=$(grep -c '^\(not \)\?ok ' "$tmp/tap")

# A watcher still connected must not hold up the stop.
api "/api/v1/namespaces?watch=1" >/dev/null 2>&1 &
watcher=$!
sleep 0.5
status=0
start=$SECONDS
stop_kubesim || status=$?
wait "$watcher" 2>/dev/null
if [[ $((SECONDS - start)) -gt 10 ]]; then
	status="slow: $((SECONDS - start)) s with a watcher connected"
fi
n=$((n + 12))
if [[ $status == 0 ]]; then
	echo "ok $n - kubesim stops cleanly and promptly on SIGTERM, a watcher connected"
else
	echo "not ok $n - kubesim stops cleanly and promptly on SIGTERM, a watcher connected (exit $status)"
	kubesim_report
fi
echo "1..$n"
