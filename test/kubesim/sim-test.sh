#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Suite kubesim: what only kubesim can be asked about its simulated
# cluster (sim.h).  Image profiles make a rollout fail the way a real one
# does (kubectl rollout status reports the progress deadline) or crawl;
# an HPA clamps its target; the audit counts and logs requests; each
# fault kind answers, with curl, exactly what kube-apiserver sends; and
# --faults FILE loads rules at start; --state FILE survives a restart
# and refuses a corrupt file.  With KUBESIM_VALGRIND=1 kubesim
# runs under valgrind and any error or definite leak fails its exit.
#
# Usage: sim-test.sh KUBESIM
set -uo pipefail

kubesim=$1
for tool in kubectl jq curl; do
	if ! command -v $tool >/dev/null; then
		echo "1..0 # SKIP $tool is not installed"
		exit 77
	fi
done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/kubesim/start.sh
. "$here/start.sh"
tmp=$(mktemp -d)
trap 'stop_kubesim; rm -rf "$tmp"' EXIT

# shellcheck source=test/tap.sh
. "$here/../tap.sh"
expect_match() {
	if [[ $3 =~ $2 ]]; then ok "$1"; else not_ok "$1" "want /$2/"$'\n'"got:  $3"; fi
}

# start ARGS...: kubesim with ARGS (test/kubesim/start.sh), and kubectl
# pointed at it.
start() {
	start_kubesim "$kubesim" "$@"
	export KUBECONFIG=$tmp/kubeconfig KUBECACHEDIR=$tmp/cache
}
# stop_checked NAME: SIGTERM, and the exit must be clean.
stop_checked() {
	local status=0
	stop_kubesim || status=$?
	if [[ $status -eq 0 ]]; then
		ok "$1"
	else
		not_ok "$1 (exit $status)" "$(kubesim_report)"
	fi
}
# api CURL-ARGS...: an authenticated request; prints the body.
api() { curl -sS --cacert "$tmp/ca.crt" -H "Authorization: Bearer $token" "$@"; }
# answer CURL-ARGS...: the body without its final newline, a space, the code.
answer() { api -w ' %{http_code}' "$@" | tr -d '\n'; }
# code CURL-ARGS...: the status code only.
code() { api -o /dev/null -w '%{http_code}' "$@"; }
k() { kubectl "$@" 2>&1; }

deployment() { # NAME IMAGE [DEADLINE]: a Deployment manifest
	printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: %s, namespace: default}\n' "$1"
	printf 'spec:\n  replicas: 2\n  progressDeadlineSeconds: %s\n' "${3:-600}"
	printf '  selector: {matchLabels: {app: %s}}\n  template:\n    metadata: {labels: {app: %s}}\n' "$1" "$1"
	printf '    spec: {containers: [{name: c, image: "%s"}]}\n' "$2"
}

start --ready-delay 300ms --image-profile '^bad/=never-ready' --audit-log "$tmp/audit.log"
if [[ ! -s $tmp/kubeconfig ]]; then
	not_ok "kubesim starts" "$(cat "$tmp/kubesim.log")"
	echo "1..$n"
	exit 1
fi

# --- image profiles
deployment broken bad/app:1 2 >"$tmp/broken.yaml"
k create -f "$tmp/broken.yaml" >/dev/null
kubectl rollout status deployment/broken --timeout=30s >/dev/null 2>"$tmp/rollout.err"
status=$?
expect "never-ready: rollout status fails on the progress deadline" \
	'error: deployment "broken" exceeded its progress deadline 1' "$(grep -v reflector "$tmp/rollout.err") $status"
out=$(k get deployment broken -o json)
expect "never-ready: Progressing False ProgressDeadlineExceeded" "False ProgressDeadlineExceeded" \
	"$(jq -r '.status.conditions[] | select(.type == "Progressing") | "\(.status) \(.reason)"' <<<"$out")"
expect_match "never-ready: the controller's message" '^ReplicaSet "broken-[a-z0-9]{10}" has timed out progressing\.$' \
	"$(jq -r '.status.conditions[] | select(.type == "Progressing") | .message' <<<"$out")"
expect "never-ready: Available False MinimumReplicasUnavailable" "False MinimumReplicasUnavailable" \
	"$(jq -r '.status.conditions[] | select(.type == "Available") | "\(.status) \(.reason)"' <<<"$out")"
out=$(api -X PUT --data '["^slow/=slow:4s", "^bad/=crashloop"]' "$server/kubesim/image-profiles")
expect "PUT image-profiles replaces the rules" '["^slow/=slow:4s","^bad/=crashloop"]' "$out"
out=$(api -X PUT --data '["x=sometimes"]' "$server/kubesim/image-profiles")
expect "a bad image profile: 400" \
	'{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"image profile \"sometimes\": want never-ready, crashloop or slow:DURATION","reason":"BadRequest","code":400}' "$out"
deployment crawl slow/app:1 >"$tmp/crawl.yaml"
start_ms=$(date +%s%3N)
k create -f "$tmp/crawl.yaml" >/dev/null
# Right after the create (curl, not a slower kubectl start): not yet
# ("none": the controller has not written a status yet).
expect_match "slow: not Available before its delay" '^(False|none)$' \
	"$(api "$server/apis/apps/v1/namespaces/default/deployments/crawl" |
		jq -r '[.status.conditions[]? | select(.type == "Available") | .status][0] // "none"')"
out=$(kubectl wait --for=condition=Available deployment/crawl --timeout=30s 2>/dev/null)
expect "slow: Available after its delay" "deployment.apps/crawl condition met" "$out"
elapsed=$(($(date +%s%3N) - start_ms))
if [[ $elapsed -ge 3900 ]]; then ok "slow: the profile's 4s, not --ready-delay"; else not_ok "slow: 4s" "Available after ${elapsed}ms"; fi

# --- Jobs: complete, or fail on the back-off limit when crash-looping
job() { # NAME IMAGE
	printf 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: %s, namespace: default}\n' "$1"
	printf 'spec:\n  backoffLimit: 2\n  template:\n    spec:\n      restartPolicy: Never\n'
	printf '      containers: [{name: c, image: "%s"}]\n' "$2"
}
job done app/x:1 >"$tmp/job.yaml"
job crash bad/x:1 >"$tmp/crash.yaml"
k create -f "$tmp/job.yaml" -f "$tmp/crash.yaml" >/dev/null
expect "job: Complete" "job.batch/done condition met" \
	"$(kubectl wait --for=condition=Complete job/done --timeout=30s 2>/dev/null)"
expect "crash-looping job: Failed" "job.batch/crash condition met" \
	"$(kubectl wait --for=condition=Failed job/crash --timeout=30s 2>/dev/null)"
expect "crash-looping job: BackoffLimitExceeded after backoffLimit + 1 failures" "BackoffLimitExceeded 3" \
	"$(kubectl get job crash -o jsonpath='{.status.conditions[?(@.type=="Failed")].reason} {.status.failed}')"

# --- HPA: no metrics, so the target is clamped into [min, max]
deployment scaled app/x:1 >"$tmp/scaled.yaml"
k create -f "$tmp/scaled.yaml" >/dev/null
cat >"$tmp/hpa.yaml" <<EOF
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: scaled, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: scaled}
  minReplicas: 4
  maxReplicas: 6
EOF
k create -f "$tmp/hpa.yaml" >/dev/null
for _ in $(seq 50); do
	[[ $(kubectl get deployment scaled -o jsonpath='{.spec.replicas}') == 4 ]] && break
	sleep 0.1
done
expect "HPA raises its target to minReplicas" "4 2" \
	"$(kubectl get deployment scaled -o jsonpath='{.spec.replicas} {.metadata.generation}')"
expect "HPA status" "4 4" "$(kubectl get hpa scaled -o jsonpath='{.status.currentReplicas} {.status.desiredReplicas}')"

# --- audit
expect_match "DELETE /kubesim/audit resets the counts" '^\{"total":0,' \
	"$(api -X DELETE "$server/kubesim/audit")"
kubectl get configmaps -n default >/dev/null 2>&1
kubectl get deployment broken >/dev/null 2>&1
out=$(api "$server/kubesim/audit")
expect "audit counts per resource and verb" '1 1' \
	"$(jq -r '"\(.resources.configmaps.list) \(.resources["deployments.apps"].get)"' <<<"$out")"
api -X DELETE "$server/kubesim/audit" >/dev/null
api "$server/api/v1/namespaces/default/secrets" >/dev/null
api "$server/api/v1/namespaces/default/secrets/none" >/dev/null
api "$server/apis" >/dev/null
expect "audit: the total, admin requests not counted" '3 {"get":1,"list":1} {"get":1}' \
	"$(api "$server/kubesim/audit" | jq -c -r '"\(.total) \(.resources.secrets) \(.resources.nonResource)"')"
line=$(grep '"resource":"configmaps"' "$tmp/audit.log" | tail -1)
expect "audit log: verb, path with query, code" 'list /api/v1/namespaces/default/configmaps?limit=500 200' \
	"$(jq -r '"\(.verb) \(.path) \(.code)"' <<<"$line")"
expect_match "audit log: latency and user agent" '^[0-9]+ kubectl/' \
	"$(jq -r '"\(.latencyMicros) \(.userAgent)"' <<<"$line")"

# --- faults, each kind with curl
cm=$server/api/v1/namespaces/default/configmaps
rules='{"rules":[
 {"action":"error","code":500,"path":"/api/v1/namespaces/default/configmaps","next":1},
 {"action":"error","code":503,"path":"/api/v1/namespaces/default/configmaps","next":1,"retryAfterSeconds":3},
 {"action":"error","code":429,"path":"/api/v1/namespaces/default/configmaps","next":1},
 {"action":"reset","path":"/api/v1/namespaces/default/configmaps","next":1},
 {"action":"latency","latency":"400ms","path":"/api/v1/namespaces/default/configmaps","next":1}]}'
expect "PUT /kubesim/faults" 200 "$(code -X PUT --data "$rules" "$server/kubesim/faults")"
expect "fault 500: the InternalError Status" \
	'{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Internal error occurred: injected by kubesim","reason":"InternalError","details":{"causes":[{"message":"injected by kubesim"}]},"code":500} 500' \
	"$(answer "$cm")"
out=$(answer -D "$tmp/headers" "$cm")
expect "fault 503: the ServiceUnavailable Status" \
	'{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server is currently unable to handle the request","reason":"ServiceUnavailable","code":503} 503' "$out"
expect "fault 503: Retry-After" "Retry-After: 3" "$(grep -i '^retry-after' "$tmp/headers" | tr -d '\r')"
out=$(api -D "$tmp/headers" -w ' %{http_code}' "$cm")
expect "fault 429: the flow-control answer" $'Too many requests, please try again later.\n 429' "$out"
expect "fault 429: Retry-After 1" "Retry-After: 1" "$(grep -i '^retry-after' "$tmp/headers" | tr -d '\r')"
api "$cm" >/dev/null 2>&1
expect "fault reset: the connection closes unanswered (curl 52)" 52 "$?"
start_ms=$(date +%s%3N)
out=$(code "$cm")
elapsed=$(($(date +%s%3N) - start_ms))
if [[ $out == 200 && $elapsed -ge 400 ]]; then ok "fault latency: 400ms added, then served"; else not_ok "fault latency" "code $out after ${elapsed}ms"; fi
expect "faults spent: served normally" 200 "$(code "$cm")"
expect "rule counters" "1 1 1 1 1" "$(api "$server/kubesim/faults" | jq -r '[.rules[].fired] | join(" ")')"

printf '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c1"}}' >"$tmp/c1.json"
api -X POST -H 'Content-Type: application/json' --data @"$tmp/c1.json" "$cm" >/dev/null
api -X PUT --data '{"rules":[{"action":"conflict","method":"PUT","every":2},{"action":"error","code":503,"method":"GET","pathRegex":"/configmaps/c1$","every":3}]}' \
	"$server/kubesim/faults" >/dev/null
put() { answer -X PUT -H 'Content-Type: application/json' --data @"$tmp/c1.json" "$cm/c1"; }
expect_match "conflict every 2nd write: the first passes" ' 200$' "$(put)"
expect "conflict every 2nd write: the second gets the Conflict Status" \
	'{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on configmaps \"c1\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"c1","kind":"configmaps"},"code":409} 409' \
	"$(put)"
expect "every 3rd GET fails" "200 200 503 200 200 503" \
	"$(for _ in 1 2 3 4 5 6; do code "$cm/c1"; echo; done | tr '\n' ' ' | sed 's/ $//')"
code "$cm/c1" >/dev/null
code "$cm/c1" >/dev/null
# The 9th GET (kubectl's) gets the 503; client-go waits Retry-After and
# asks again.
out=$(kubectl get configmap c1 -n default -o name 2>&1)
expect "kubectl retries a 503 with Retry-After" "configmap/c1 3" \
	"$out $(api "$server/kubesim/faults" | jq -r '.rules[1].fired')"
api -X PUT --data '{"rules":[{"action":"error","code":429,"status":true,"retryAfterSeconds":2,"next":1}]}' \
	"$server/kubesim/faults" >/dev/null
expect "fault 429 as a Status: TooManyRequests with retryAfterSeconds" \
	'{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Too many requests, please try again later.","reason":"TooManyRequests","details":{"retryAfterSeconds":2},"code":429} 429' \
	"$(answer "$cm/c1")"
out=$(api -X PUT --data '{"rules":[{"action":"error","code":404}]}' "$server/kubesim/faults")
expect "a bad fault rule: 400" \
	'{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"rules[0]: code: want 500, 503 or 429 with action error","reason":"BadRequest","code":400}' "$out"
expect "DELETE /kubesim/faults clears" '{"rules":[]}' "$(api -X DELETE "$server/kubesim/faults")"
# --- Secrets: data decoded and encoded again, stringData merged into it
sec=$server/api/v1/namespaces/default/secrets
out=$(api -X POST -H 'Content-Type: application/json' "$sec" --data \
	'{"metadata":{"name":"wrapped"},"data":{"long":"aGVs\nbG8=","bits":"Zh==","a":"eA=="},"stringData":{"b":"hi","a":"y"}}')
expect "Secret: data unwrapped and canonical, stringData merged over it and dropped" \
	'{"long":"aGVsbG8=","bits":"Zg==","a":"eQ==","b":"aGk="} null' "$(jq -c '.data, .stringData' <<<"$out" | tr '\n' ' ' | sed 's/ $//')"
expect "Secret: GET reads the same" '{"long":"aGVsbG8=","bits":"Zg==","a":"eQ==","b":"aGk="}' \
	"$(api "$sec/wrapped" | jq -c .data)"
out=$(api -X PATCH -H 'Content-Type: application/merge-patch+json' --data '{"stringData":{"b":"bye"}}' "$sec/wrapped")
expect "Secret: stringData in a PATCH" '"Ynll" null' "$(jq -c '.data.b, .stringData' <<<"$out" | tr '\n' ' ' | sed 's/ $//')"
expect "Secret: bad base64 is a 400 naming the offset, as the decoder says" \
	'{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 4","reason":"BadRequest","code":400} 400' \
	"$(answer -X POST -H 'Content-Type: application/json' --data '{"metadata":{"name":"bad"},"data":{"user":"billy"}}' "$sec")"
out=$(api -X POST -H 'Content-Type: application/json' --data '{"metadata":{"name":"badkey"},"stringData":{"a b":"x"}}' "$sec")
want=$(cat <<'EOF'
422 Invalid Secret badkey FieldValueInvalid data[a b] Secret "badkey" is invalid: data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')
EOF
)
expect "Secret: a key that is no config key is a 422 on data[KEY]" "$want" \
	"$(jq -r '"\(.code) \(.reason) \(.details.kind) \(.details.name) \(.details.causes[0].reason) \(.details.causes[0].field) \(.message)"' <<<"$out")"
expect "admin needs the token" 401 "$(curl -sS --cacert "$tmp/ca.crt" -o /dev/null -w '%{http_code}' "$server/kubesim/audit")"
stop_checked "kubesim stops cleanly"

# --- --faults FILE at start
printf '{"rules":[{"action":"error","code":503,"path":"/api/v1/namespaces/default/secrets","next":1}]}' >"$tmp/faults.json"
start --faults "$tmp/faults.json"
expect "--faults FILE: the rule is active" "503 200" \
	"$(code "$server/api/v1/namespaces/default/secrets") $(code "$server/api/v1/namespaces/default/secrets")"
stop_checked "kubesim with --faults stops cleanly"
printf '{"rules":[{"action":"nope"}]}' >"$tmp/faults.json"
"$kubesim" --listen 127.0.0.1:0 --kubeconfig-out "$tmp/kc2" --faults "$tmp/faults.json" 2>"$tmp/err.log"
expect "--faults with a bad rule: a clear error" \
	"kubesim: --faults $tmp/faults.json: rules[0]: action: Unsupported value: want error, latency, reset or conflict" \
	"$(cat "$tmp/err.log")"

# --- --state FILE: a restart keeps objects, resourceVersions, CRDs
state=$tmp/state.json
start --state "$state"
expect "--state: written at start" "KubesimState" "$(jq -r .kind "$state" 2>&1)"
printf '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"kept"},"data":{"k":"v"}}' >"$tmp/kept.json"
before=$(api -X POST -H 'Content-Type: application/json' --data @"$tmp/kept.json" \
	"$server/api/v1/namespaces/default/configmaps" | jq -r '"\(.metadata.uid) \(.metadata.resourceVersion)"')
deployment kept app/x:1 >"$tmp/kept-deploy.yaml"
k create -f "$tmp/kept-deploy.yaml" >/dev/null
kubectl wait --for=condition=Available deployment/kept --timeout=30s >/dev/null 2>&1
deploy_rv=$(kubectl get deployment kept -o jsonpath='{.metadata.resourceVersion}')
ns_uid=$(kubectl get namespace default -o jsonpath='{.metadata.uid}')
stop_checked "--state: kubesim stops cleanly (and saves)"
start --state "$state"
expect "--state: the object keeps its uid and resourceVersion" "$before" \
	"$(api "$server/api/v1/namespaces/default/configmaps/kept" | jq -r '"\(.metadata.uid) \(.metadata.resourceVersion)"')"
expect "--state: the namespaces are the saved ones, not new ones" "$ns_uid" \
	"$(kubectl get namespace default -o jsonpath='{.metadata.uid}')"
sleep 0.5
expect "--state: a settled Deployment is not rolled out again" "$deploy_rv" \
	"$(kubectl get deployment kept -o jsonpath='{.metadata.resourceVersion}')"
printf '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"after"}}' >"$tmp/after.json"
rv=$(api -X POST -H 'Content-Type: application/json' --data @"$tmp/after.json" \
	"$server/api/v1/namespaces/default/configmaps" | jq -r .metadata.resourceVersion)
if [[ $rv =~ ^[0-9]+$ && $rv -gt ${before#* } && $rv -gt $deploy_rv ]]; then
	ok "--state: the resourceVersion counter goes on"
else
	not_ok "--state: the resourceVersion counter goes on" "new $rv after ${before#* } and $deploy_rv"
fi
stop_checked "--state: the second run stops cleanly"
head -c 300 "$state" >"$tmp/truncated.json"
"$kubesim" --listen 127.0.0.1:0 --kubeconfig-out "$tmp/kc3" --state "$tmp/truncated.json" 2>"$tmp/err.log"
status=$?
expect_match "--state: a truncated file is refused, naming it" \
	"^kubesim: state file $tmp/truncated.json: line 1 column 300: .* 1\$" "$(cat "$tmp/err.log") $status"
jq -c '.resources["v1/gizmos"] = {}' "$state" >"$tmp/corrupt.json"
"$kubesim" --listen 127.0.0.1:0 --kubeconfig-out "$tmp/kc3" --state "$tmp/corrupt.json" 2>"$tmp/err.log"
expect "--state: a corrupt file says what is wrong" \
	"kubesim: state file $tmp/corrupt.json: resources[\"v1/gizmos\"]: no such resource" "$(cat "$tmp/err.log")"

echo "1..$n"
[[ $failed -eq 0 ]]
