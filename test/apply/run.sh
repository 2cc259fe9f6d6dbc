#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Suite apply: `gitops-agent apply` and `diff` against kubesim (TAP).
# The three dist/ overlays are applied to fresh clusters (with the CRDs
# of manifests/crds in the same set, so kinds the set defines are used
# in the same apply), re-applied (nothing written: the store's
# resourceVersion does not move) and diffed; then a small application
# goes through the engine's cases: a changed field, prune, drift,
# objects first created by kubectl apply, immutable fields, an invalid
# object, the prune guard rail, health (ready, ProgressDeadlineExceeded,
# timeout), API faults injected by kubesim, and a replica count an HPA
# owns.
#
# Usage: run.sh KUBESIM GITOPS-AGENT SOURCE-ROOT
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/kubesim/start.sh
. "$here/../kubesim/start.sh"
kubesim=$1
# Absolute: some scenarios run it from another directory.
agent=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
src=$3
tmp=$(mktemp -d)
trap 'stop_kubesim; rm -rf "$tmp"' EXIT
n=0
status=0

ok() {
	n=$((n + 1))
	if [[ $1 -eq 0 ]]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		status=1
		[[ -f $tmp/out ]] && sed 's/^/# /' "$tmp/out" | head -30
	fi
}

# ga ARGS...: the agent with kubesim's kubeconfig; output in $tmp/out.
# With KUBESIM_VALGRIND=1 under valgrind too: a report fails the run.
wrapper=()
if [[ ${KUBESIM_VALGRIND:-} == 1 ]]; then
	wrapper=(valgrind --error-exitcode=99 --leak-check=full
		--errors-for-leak-kinds=definite --quiet --log-file="$tmp/agent-vg.%p.log")
fi
ga() {
	"${wrapper[@]}" "$agent" --log-level error "$@" --kubeconfig "$tmp/kubeconfig" \
		>"$tmp/out" 2>&1
}

k() { kubectl --kubeconfig "$tmp/kubeconfig" "$@"; }

# The store's resourceVersion: it moves with every write.
store_rv() {
	k get --raw /api/v1/namespaces |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata"]["resourceVersion"])'
}

# audit_writes: the writes kubesim's audit log holds so far, dry runs
# left out (they change nothing).
audit_writes() {
	grep -v '"method":"GET"' "$tmp/audit.log" | grep -vc 'dryRun=All'
}

# count WORD: lines of $tmp/out ending in " WORD".
count() { grep -c " $1\$" "$tmp/out"; }

# start [ARGS...]: a fresh kubesim with an audit log (and ARGS).
start() {
	stop_kubesim
	rm -f "$tmp/audit.log"
	if ! start_kubesim "$kubesim" --audit-log "$tmp/audit.log" "$@"; then
		echo "Bail out! kubesim does not start"
		kubesim_report
		exit 1
	fi
}

# ---- the dist/ overlays ----------------------------------------------------

overlay() {
	local name=$1 dir="$tmp/$1" objs rv
	mkdir -p "$dir"
	cp -r "$src/dist" "$src/manifests" "$tmp/" 2>/dev/null
	cat >"$dir/kustomization.yaml" <<-YAML
		resources:
		  - ../manifests/crds
		  - ../dist/$name
	YAML
	objs=$("$agent" build "$dir" | grep -c '^kind:')
	start
	ga diff --inventory default/"$name" "$dir"
	ok $(($? != 1 || $(grep -c '^+++ merged/' "$tmp/out") != objs)) \
		"$name: diff on an empty cluster exits 1 and shows all $objs objects"
	grep -q '^+++ merged/flagger.app.v1beta1.Canary.webapp.' "$tmp/out"
	ok $? "$name: including the Canaries whose CRD is not on the cluster yet"
	ga apply --inventory default/"$name" "$dir"
	ok $(($? != 0 || $(count created) != objs)) \
		"$name: first apply creates all $objs objects, CRDs and the kinds they define"
	rv=$(store_rv)
	writes=$(audit_writes)
	ga apply --inventory default/"$name" "$dir"
	ok $(($? != 0 || $(count unchanged) != objs)) "$name: re-apply: all unchanged"
	grep -q ' 0 writes$' "$tmp/out"
	ok $? "$name: re-apply sends no write ($(tail -1 "$tmp/out"))"
	ok $(($(audit_writes) != writes)) "$name: kubesim's audit log shows no write for the re-apply"
	ga diff --inventory default/"$name" "$dir"
	ok $(($? != 0 || $(wc -c <"$tmp/out") != 0)) "$name: diff exits 0 and prints nothing"
}

overlay app-kubernetes
overlay app-istio
overlay app-linkerd

# ---- one application through the engine's cases ---------------------------

app="$tmp/app"
mkdir -p "$app"
echo 'resources: [objs.yaml]' >"$app/kustomization.yaml"
cm() { printf -- '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s, namespace: demo}\ndata: {k: "%s"}\n' "$1" "$2"; }
# deploy APP [IMAGE [DEADLINE]]: the Deployment web.
deploy() {
	printf -- '---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: demo}\n'
	printf 'spec:\n  selector: {matchLabels: {app: %s}}\n' "$1"
	[[ -n ${3:-} ]] && printf '  progressDeadlineSeconds: %s\n' "$3"
	printf '  template:\n    metadata: {labels: {app: %s}}\n' "$1"
	printf '    spec: {containers: [{name: c, image: "%s"}]}\n' "${2:-nginx}"
}
secret() { printf -- '---\napiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: demo}\nstringData: {password: %s}\n' "$1"; }
write_app() { # the ConfigMaps c1..cN, then whatever else is given
	local i
	{
		printf 'apiVersion: v1\nkind: Namespace\nmetadata: {name: demo}\n'
		for i in $(seq "$1"); do cm "c$i" "v$i"; done
		shift
		for x in "$@"; do printf '%s\n' "$x"; done
	} >"$app/objs.yaml"
}
inv=(--inventory demo/app)

# Images starting "stuck:" never become ready.
start --image-profile '^stuck:=never-ready'
write_app 4 "$(deploy web)" "$(secret hunter2)"
ga apply "${inv[@]}" "$app"
ok $(($? != 0 || $(count created) != 7)) "app: first apply creates 7 objects"

# A changed field: diff shows it (exit 1), apply configures that object only.
write_app 4 "$(deploy web)" "$(secret hunter3)"
sed -i 's/k: "v2"/k: "changed"/' "$app/objs.yaml"
ga diff "${inv[@]}" "$app"
rc=$?
ok $((rc != 1)) "diff exits 1 when something differs"
grep -q '^+  k: changed' "$tmp/out" && grep -q '^-  k: v2' "$tmp/out"
ok $? "diff shows the changed field in kubectl diff's layout"
! grep -q 'hunter' "$tmp/out" && grep -q "password: '\*\*\* (after)'" "$tmp/out"
ok $? "diff masks Secret values"
ga apply "${inv[@]}" "$app"
ok $(($? != 0 || $(count configured) != 2 || $(count unchanged) != 5)) \
	"apply configures the two changed objects, the rest unchanged"
grep -q '^ConfigMap/demo/c2 configured$' "$tmp/out" && grep -q '^Secret/demo/s configured$' "$tmp/out"
ok $? "the configured ones are c2 and the Secret"
[[ $(k get cm c2 -n demo -o jsonpath='{.data.k}') == changed ]]
ok $? "the change is on the cluster"

# Drift: another manager edits an object; diff sees it, apply corrects it.
k patch cm c1 -n demo --type merge -p '{"data":{"k":"drifted"}}' >/dev/null
ga diff "${inv[@]}" "$app"
ok $(($? != 1)) "diff sees drift made with kubectl"
ga apply "${inv[@]}" "$app"
ok $(($? != 0 || $(count configured) != 1)) "apply configures the drifted object only"
[[ $(k get cm c1 -n demo -o jsonpath='{.data.k}') == v1 ]]
ok $? "drift corrected"

# Prune: an object left the set.
write_app 3 "$(deploy web)" "$(secret hunter3)"
sed -i 's/k: "v2"/k: "changed"/' "$app/objs.yaml"
# diff --prune shows what the prune would delete, deletes nothing, and
# exits 1 although nothing else differs; without --prune nothing differs.
ga diff "${inv[@]}" "$app"
ok $(($? != 0 || $(wc -c <"$tmp/out") != 0)) "diff without --prune: no difference"
rv=$(store_rv)
ga diff --prune "${inv[@]}" "$app"
ok $(($? != 1)) "diff --prune exits 1 when only a prune differs"
grep -q '^--- live/v1.ConfigMap.demo.c4$' "$tmp/out" && grep -q '^+++ merged/v1.ConfigMap.demo.c4$' "$tmp/out" &&
	grep -q '^-  k: v4$' "$tmp/out" && ! grep -q '^+' <(grep -v '^+++' "$tmp/out")
ok $? "diff --prune shows c4 deleted as a whole, nothing else"
ok $(($(store_rv) != rv)) "diff --prune deletes nothing"
ga apply --prune "${inv[@]}" "$app"
ok $(($? != 0 || $(count pruned) != 1)) "apply --prune prunes the object that left"
grep -q '^ConfigMap/demo/c4 pruned$' "$tmp/out"
ok $? "the pruned object is c4"
! k get cm c4 -n demo >/dev/null 2>&1
ok $? "c4 is gone from the cluster"

# Prune guard rail: more than half of the inventory would go.
write_app 0
rv=$(store_rv)
ga apply --prune "${inv[@]}" "$app"
ok $(($? != 1)) "a prune of more than 50 % of the inventory is refused"
grep -qi 'c1' "$tmp/out" && grep -q '50' "$tmp/out"
ok $? "the refusal names the objects and the limit"
k get cm c1 c2 c3 -n demo >/dev/null 2>&1
ok $? "nothing was pruned"
ga diff --prune "${inv[@]}" "$app"
ok $(($? != 3)) "diff --prune fails (3) on the same guard rail"
grep -q 'prune refused: .*50 %\|prune refused: .*50%' "$tmp/out" && grep -q 'c1' "$tmp/out"
ok $? "and says why"

# Invalid object: nothing applied, the error names the object and field.
write_app 3 "$(deploy web)" "$(secret hunter3)" "$(cm BadName x)"
sed -i 's/k: "v1"/k: "not-applied"/' "$app/objs.yaml"
rv=$(store_rv)
ga apply "${inv[@]}" "$app"
ok $(($? != 1)) "an invalid object fails the apply"
grep -q 'ConfigMap/demo/BadName failed: .*metadata.name' "$tmp/out"
ok $? "the failure names the object and the field"
ok $(($(store_rv) != rv)) "nothing was written"
# The message names the file first, relative to where the agent runs,
# then the object, the field of the server's cause and its message.
(cd "$tmp" && ga apply "${inv[@]}" app)
grep -q '^ConfigMap/demo/BadName failed: app/objs.yaml: v1 ConfigMap demo/BadName: metadata.name: Invalid value: "BadName": ' "$tmp/out"
ok $? "the failure names the file, the object, the field and the server's message"
(cd "$app" && ga diff "${inv[@]}" .)
ok $(($? != 3)) "diff fails (3) on the invalid object too"
grep -q '^ConfigMap/demo/BadName failed: objs.yaml: v1 ConfigMap demo/BadName: metadata.name: ' "$tmp/out"
ok $? "and names the file in its message"

# Through an overlay: the file is the base's, and an origin annotation
# the kustomization asked for (buildMetadata) is applied untouched while
# the agent's own source annotation never reaches the server.
ovl="$tmp/ovl"
mkdir -p "$ovl/base/deep" "$ovl/prod"
echo 'resources: [deep/objs.yaml]' >"$ovl/base/kustomization.yaml"
printf 'resources: [../base]\nbuildMetadata: [originAnnotations]\n' >"$ovl/prod/kustomization.yaml"
{ cm origin x; printf -- '---\napiVersion: v1\nkind: Service\nmetadata: {name: Bad_Svc, namespace: demo}\nspec: {ports: [{port: 80}]}\n'; } >"$ovl/base/deep/objs.yaml"
(cd "$ovl" && ga apply --inventory demo/ovl prod)
grep -q '^Service/demo/Bad_Svc failed: base/deep/objs.yaml: v1 Service demo/Bad_Svc: metadata.name: Invalid value' "$tmp/out"
ok $? "an object of a base names the base's file ($(grep Bad_Svc "$tmp/out" | cut -c1-90))"
"$agent" build "$ovl/prod" >"$tmp/built"
! grep -q 'internal.gitops-agent.io' "$tmp/built" && grep -q 'config.kubernetes.io/origin' "$tmp/built"
ok $? "gitops-agent build prints no source annotation, only kustomize's origin"
{ cm origin x; } >"$ovl/base/deep/objs.yaml"
(cd "$ovl" && ga apply --inventory demo/ovl prod)
ok $? "the overlay applies once the bad object is gone"
got=$(k get cm origin -n demo -o jsonpath='{.metadata.annotations}')
[[ $got == *'config.kubernetes.io/origin'*'path: ../base/deep/objs.yaml'* && $got != *internal.gitops-agent.io* ]]
ok $? "the origin annotation buildMetadata asked for is applied, the source annotation is not ($got)"

# Immutable field: a Deployment's selector.  Refused by default (only
# Jobs are recreated), recreated with --force.
write_app 3 "$(deploy other)" "$(secret hunter3)"
sed -i 's/k: "v2"/k: "changed"/' "$app/objs.yaml"
ga apply "${inv[@]}" "$app"
ok $(($? != 1)) "an immutable selector change is refused without --force"
grep -q 'Deployment/demo/web failed: .*immutable' "$tmp/out" && grep -q 'spec.selector' "$tmp/out"
ok $? "the refusal says the field is immutable and how to allow the recreate"
ga apply --force "${inv[@]}" "$app"
ok $(($? != 0)) "with --force the apply succeeds"
grep -q '^Deployment/demo/web configured (recreated)$' "$tmp/out"
ok $? "the Deployment is recreated"
[[ $(k get deploy web -n demo -o jsonpath='{.spec.selector.matchLabels.app}') == other ]]
ok $? "the new selector is on the cluster"

# A Job's template is immutable too; Jobs are recreated by default.
job="$tmp/job"
mkdir -p "$job"
echo 'resources: [job.yaml]' >"$job/kustomization.yaml"
job_yaml() { printf 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, namespace: demo}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: "b:%s"}]\n' "$1" >"$job/job.yaml"; }
job_yaml 1
ga apply --inventory demo/job "$job"
ok $? "a Job is created"
job_yaml 2
ga apply --inventory demo/job "$job"
ok $(($? != 0)) "a changed Job template applies without --force"
grep -q '^Job/demo/j configured (recreated)$' "$tmp/out"
ok $? "the Job is recreated"
[[ $(k get job j -n demo -o jsonpath='{.spec.template.spec.containers[0].image}') == b:2 ]]
ok $? "the new Job template is on the cluster"

# Objects first created by kubectl apply, client-side and server-side,
# with a field the set does not have: taken over (kubectl's managers
# merged into ours, last-applied-configuration dropped), so the field
# the set lacks goes and no kubectl manager remains.
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: csa, namespace: demo}\ndata: {k: v, extra: x}\n' | k apply -f - >/dev/null
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa, namespace: demo}\ndata: {k: v, extra: x}\n' | k apply --server-side -f - >/dev/null
write_app 3 "$(deploy other)" "$(secret hunter3)" "$(cm csa v)" "$(cm ssa v)"
sed -i 's/k: "v2"/k: "changed"/' "$app/objs.yaml"
ga apply "${inv[@]}" "$app"
ok $(($? != 0 || $(count configured) != 2)) "objects created by kubectl apply are adopted (configured)"
for o in csa ssa; do
	got=$(k get cm "$o" -n demo -o jsonpath='{.data.extra}|{.metadata.managedFields[*].manager}|{.metadata.annotations}')
	[[ $got == "|gitops-agent|" ]]
	ok $? "$o: the field the set lacks is gone, no kubectl manager or last-applied annotation is left ($got)"
done
ga apply "${inv[@]}" "$app"
ok $(($? != 0 || $(count unchanged) != 8)) "and unchanged on the next apply"

# Health: the Deployment controller makes web available; a stuck image
# fails fast on its progress deadline; without a deadline in reach the
# wait times out, naming the object, its status and reason.
ga apply --wait --timeout 60s "${inv[@]}" "$app"
ok $? "apply --wait: every object becomes Current"
write_app 3 "$(deploy other stuck:1 2)" "$(secret hunter3)" "$(cm csa v)" "$(cm ssa v)"
sed -i 's/k: "v2"/k: "changed"/' "$app/objs.yaml"
start_s=$SECONDS
ga apply --wait --timeout 60s "${inv[@]}" "$app"
rc=$?
ok $((rc != 1 || SECONDS - start_s > 30)) "apply --wait fails fast on ProgressDeadlineExceeded ($((SECONDS - start_s)) s)"
grep -q '^Deployment/demo/web failed: .*/objs.yaml: apps/v1 Deployment demo/web: health: failed Failed: ProgressDeadlineExceeded' "$tmp/out"
ok $? "the failure names the object and ProgressDeadlineExceeded"
write_app 3 "$(deploy other stuck:2)" "$(secret hunter3)" "$(cm csa v)" "$(cm ssa v)"
sed -i 's/k: "v2"/k: "changed"/' "$app/objs.yaml"
ga apply --wait --timeout 2s "${inv[@]}" "$app"
ok $(($? != 1)) "apply --wait times out when a Deployment never becomes ready"
grep -q '^Deployment/demo/web failed: .*/objs.yaml: apps/v1 Deployment demo/web: health: timed out InProgress' "$tmp/out"
ok $? "the timeout names the object, its status and reason"

# API faults: 503s, a 429, latency, a reset and a 409 storm on the way;
# the apply converges (retried by the client, or by applying again, as
# the agent's loop would), nothing is lost.
faults() {
	curl -sf --cacert "$tmp/ca.crt" -H "Authorization: Bearer $token" \
		-X PUT --data-binary @- "$server/kubesim/faults" >/dev/null
}
faults <<'JSON'
{"rules":[
 {"action":"error","method":"PATCH","path":"/api/v1/namespaces/demo/configmaps/","code":503,"next":2},
 {"action":"error","method":"GET","path":"/apis/apps/","code":429,"retryAfterSeconds":1,"next":1},
 {"action":"latency","method":"GET","path":"/api/","latency":"100ms","next":5},
 {"action":"reset","method":"PATCH","path":"/apis/apps/","next":1},
 {"action":"error","method":"PATCH","path":"/api/v1/namespaces/demo/secrets/","code":500,"next":1},
 {"action":"conflict","method":"PATCH","path":"/api/v1/namespaces/demo/configmaps/ssa","next":1}
]}
JSON
ok $? "kubesim takes the fault rules"
write_app 3 "$(deploy other)" "$(secret hunter4)" "$(cm csa v)" "$(cm ssa faulted)"
sed -i 's/k: "v2"/k: "changed"/' "$app/objs.yaml"
tries=0
until ga apply "${inv[@]}" "$app" || ((++tries >= 5)); do :; done
ok $((tries >= 5)) "apply converges through the faults ($tries failed tries first)"
for code in 503 429 500 409; do
	grep -q "\"code\":$code," "$tmp/audit.log"
	ok $? "kubesim's audit log shows the injected $code"
done
ga apply "${inv[@]}" "$app"
ok $(($? != 0 || $(count unchanged) != 8)) "and then everything is unchanged: nothing lost"
[[ $(k get cm ssa -n demo -o jsonpath='{.data.k}') == faulted ]]
ok $? "the change made through the faults is on the cluster"

curl -sf --cacert "$tmp/ca.crt" -H "Authorization: Bearer $token" \
	-X DELETE "$server/kubesim/faults" >/dev/null

# An HPA owns the replica count once it scaled the Deployment (through
# the scale subresource): the apply leaves it, instead of setting the
# manifest's count back and fighting the autoscaler.
hpa="$tmp/hpa"
mkdir -p "$hpa"
echo 'resources: [objs.yaml]' >"$hpa/kustomization.yaml"
{
	printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: scaled, namespace: demo}\n'
	printf 'spec:\n  replicas: 1\n  selector: {matchLabels: {app: scaled}}\n'
	printf '  template:\n    metadata: {labels: {app: scaled}}\n'
	printf '    spec: {containers: [{name: c, image: nginx}]}\n---\n'
	printf 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n'
	printf 'metadata: {name: scaled, namespace: demo}\nspec:\n'
	printf '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: scaled}\n'
	printf '  minReplicas: 3\n  maxReplicas: 5\n'
} >"$hpa/objs.yaml"
ga apply --inventory demo/hpa "$hpa"
ok $? "a Deployment and its HPA are applied"
for _ in $(seq 100); do
	[[ $(k get deploy scaled -n demo -o jsonpath='{.spec.replicas}') == 3 ]] && break
	sleep 0.1
done
[[ $(k get deploy scaled -n demo -o jsonpath='{.spec.replicas}') == 3 ]]
ok $? "the HPA scales it to its minimum"
ga apply --inventory demo/hpa "$hpa"
ok $(($? != 0 || $(count unchanged) != 2)) "the next apply leaves the autoscaled count alone (unchanged)"
[[ $(k get deploy scaled -n demo -o jsonpath='{.spec.replicas}') == 3 ]]
ok $? "and the cluster keeps the HPA's count"

# Flux's per-object switches (annotations here, labels work as well).
ann="$tmp/ann"
mkdir -p "$ann"
echo 'resources: [objs.yaml]' >"$ann/kustomization.yaml"
# acm NAME VALUE [KEY=VALUE]: a ConfigMap in demo with that Flux annotation.
acm() {
	printf -- '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n  namespace: demo\n' "$1"
	[[ -n ${3:-} ]] && printf '  annotations: {kustomize.toolkit.fluxcd.io/%s: %s}\n' "${3%%=*}" "${3#*=}"
	printf 'data: {k: "%s"}\n' "$2"
}
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: merged, namespace: demo}\ndata: {k: v, extra: x}\n' | k apply -f - >/dev/null
{ acm once v1 ssa=IfNotPresent; acm ignored v1 ssa=Ignore; acm paused v1
  acm kept v1 prune=disabled; acm merged v ssa=merge; acm plain v1; } >"$ann/objs.yaml"
ga apply --inventory demo/ann "$ann"
ok $(($? != 0 || $(count created) != 4 || $(count skipped) != 1 || $(count configured) != 1)) \
	"ssa/prune annotations: IfNotPresent, prune: disabled and a plain object created, Ignore skipped"
grep -q '^ConfigMap/demo/ignored skipped$' "$tmp/out" && ! k get cm ignored -n demo >/dev/null 2>&1
ok $? "ssa: Ignore: never created"
got=$(k get cm merged -n demo -o jsonpath='{.data.extra}|{.metadata.annotations}')
[[ $got == 'x|'*last-applied-configuration* ]]
ok $? "ssa: Merge: what kubectl wrote is kept, not taken over ($got)"
k annotate cm paused -n demo kustomize.toolkit.fluxcd.io/reconcile=disabled >/dev/null
{ acm once v2 ssa=IfNotPresent; acm ignored v2 ssa=Ignore; acm paused v2
  acm kept v1 prune=disabled; acm merged v ssa=merge; acm plain v1; } >"$ann/objs.yaml"
ga apply --inventory demo/ann "$ann"
ok $(($? != 0 || $(count skipped) != 3 || $(count unchanged) != 3)) \
	"the changed IfNotPresent object, the paused one and the ignored one are skipped"
[[ $(k get cm once -n demo -o jsonpath='{.data.k}')$(k get cm paused -n demo -o jsonpath='{.data.k}') == v1v1 ]]
ok $? "ssa: IfNotPresent and reconcile: disabled (set on the live object): not changed"
{ acm once v2 ssa=IfNotPresent; acm ignored v2 ssa=Ignore; acm merged v ssa=merge
  acm plain v1; } >"$ann/objs.yaml"
ga diff --prune --inventory demo/ann "$ann"
ok $(($? != 0 || $(wc -c <"$tmp/out") != 0)) "diff --prune shows no prune of them either (exit 0, nothing printed)"
ga apply --prune --inventory demo/ann "$ann"
ok $(($? != 0 || $(count pruned) != 0)) "prune: disabled and reconcile: disabled keep objects that left the set"
k get cm kept paused -n demo >/dev/null 2>&1
ok $? "both are still on the cluster"

if [[ ${KUBESIM_VALGRIND:-} == 1 ]]; then
	! grep -qs . "$tmp"/agent-vg.*.log
	ok $? "valgrind finds nothing in the agent"
	cat "$tmp"/agent-vg.*.log 2>/dev/null | sed 's/^/# /' | head -40
fi
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
