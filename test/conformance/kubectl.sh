#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Kubernetes API conformance as the agent relies on it, judged by the real
# kubectl (issue 6).  Cluster-agnostic: nothing here knows which server
# answers, so the same script passes against kubesim and against a real
# cluster (Kind in CI later).  It works in a namespace of its own, made
# unique per run, and deletes it (and its CRD) at the end.
#
# Usage: test/conformance/kubectl.sh KUBECONFIG
# Output: TAP.  CONFORMANCE_TAP_START=N numbers the first check N (for a
# caller that printed checks of its own).  Needs kubectl and jq.
set -uo pipefail

if [[ $# -ne 1 || ! -r $1 ]]; then
	echo "usage: $0 KUBECONFIG" >&2
	exit 2
fi
export KUBECONFIG=$1
tmp=$(mktemp -d)
# Discovery is cached per run: a new CRD must not meet a stale cache.
export KUBECACHEDIR=$tmp/cache
ns=conformance-$(date +%s)-$RANDOM
crd=widgets.conformance.gitops-agent.io
n=$((${CONFORMANCE_TAP_START:-1} - 1))
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	[[ -n ${2:-} ]] && printf '%s\n' "$2" | head -12 | sed 's/^/# /'
	return 0
}
# expect NAME WANT GOT: exact comparison.
expect() {
	if [[ $3 == "$2" ]]; then ok "$1"; else not_ok "$1" "want: $2"$'\n'"got:  $3"; fi
}
# expect_match NAME REGEX TEXT
expect_match() {
	if [[ $3 =~ $2 ]]; then ok "$1"; else not_ok "$1" "want /$2/"$'\n'"got:  $3"; fi
}
k() { kubectl "$@" 2>&1; }
kn() { kubectl -n "$ns" "$@" 2>&1; }
jqr() { jq -r "$1" <<<"$2" 2>&1; }

cleanup() {
	kubectl delete crd "$crd" --ignore-not-found --wait=false >/dev/null 2>&1
	kubectl delete namespace "$ns" "$ns-t" --ignore-not-found --wait=false >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT

# --- discovery
out=$(k version -o json)
expect_match "version: the server reports a version" '"gitVersion": "v1\.' "$out"
out=$(k api-resources --no-headers)
expect_match "api-resources: configmaps" 'configmaps +cm +v1 +true +ConfigMap' "$out"
expect_match "api-resources: deployments" 'deployments +deploy +apps/v1 +true +Deployment' "$out"
expect_match "api-resources: namespaces are cluster-scoped" 'namespaces +ns +v1 +false +Namespace' "$out"
expect_match "api-resources: CRDs" 'customresourcedefinitions +crd,crds +apiextensions.k8s.io/v1 +false' "$out"
out=$(k api-resources --api-group=apps -o name)
expect_match "api-resources --api-group" 'deployments\.apps' "$out"

# --- namespace.  Objects come from files: kubectl's generator commands
# (create namespace, create configmap) send protobuf.
mkobj() { # FILE NAME [LABELS]: a ConfigMap with one key
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n  labels: {%s}\ndata: {key: "%s"}\n' \
		"$2" "${3:-}" "$2" >"$1"
}
printf 'apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n' "$ns" >"$tmp/ns.yaml"
out=$(k create -f "$tmp/ns.yaml")
expect "create namespace" "namespace/$ns created" "$out"
out=$(k delete namespace default --dry-run=server)
expect "namespace default may not be deleted" \
	'Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted' "$out"
out=$(k get namespace "$ns" -o json)
expect "namespace is Active" "Active" "$(jqr .status.phase "$out")"
expect "namespace label kubernetes.io/metadata.name" "$ns" \
	"$(jqr '.metadata.labels["kubernetes.io/metadata.name"]' "$out")"

# --- create and get
cat >"$tmp/cm-a.yaml" <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-a
  labels: {conformance: "yes", app: web, tier: front}
data:
  key: one
EOF
out=$(kn create -f "$tmp/cm-a.yaml")
expect "create configmap" "configmap/cm-a created" "$out"
out=$(kn get configmap cm-a -o json)
expect "get -o json: data" "one" "$(jqr .data.key "$out")"
expect "get -o json: namespace" "$ns" "$(jqr .metadata.namespace "$out")"

# --- a Secret's data is bytes: base64 decoded on input (line breaks
# skipped), encoded again on one line; stringData merged into it.
cat >"$tmp/secret.yaml" <<EOF
apiVersion: v1
kind: Secret
metadata:
  name: wrapped
data:
  long: |
    aGVs
    bG8=
stringData:
  extra: hi
EOF
kn create -f "$tmp/secret.yaml" >/dev/null
out=$(kn get secret wrapped -o json)
expect "secret: data unwrapped, stringData merged into it" 'aGVsbG8= aGk= null' \
	"$(jqr '"\(.data.long) \(.data.extra) \(.stringData)"' "$out")"
printf 'apiVersion: v1\nkind: Secret\nmetadata: {name: notb64}\ndata: {user: billy}\n' >"$tmp/notb64.yaml"
expect_match "secret: data that is not base64 is refused" \
	'^Error from server \(BadRequest\): .*Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4$' \
	"$(kn create -f "$tmp/notb64.yaml")"
expect_match "get -o json: uid" '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' \
	"$(jqr .metadata.uid "$out")"
expect_match "get -o json: resourceVersion" '^[0-9]+$' "$(jqr .metadata.resourceVersion "$out")"
expect_match "get -o json: creationTimestamp" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' \
	"$(jqr .metadata.creationTimestamp "$out")"
out=$(kn create -f "$tmp/cm-a.yaml")
expect "create twice: AlreadyExists" \
	"Error from server (AlreadyExists): error when creating \"$tmp/cm-a.yaml\": configmaps \"cm-a\" already exists" "$out"
out=$(kn get configmap missing)
expect "get missing: NotFound" 'Error from server (NotFound): configmaps "missing" not found' "$out"
mkobj "$tmp/x.yaml" x
out=$(k -n "$ns-missing" create -f "$tmp/x.yaml")
expect "create in a missing namespace: NotFound" \
	"Error from server (NotFound): error when creating \"$tmp/x.yaml\": namespaces \"$ns-missing\" not found" "$out"
mkobj "$tmp/bad.yaml" Bad_Name
out=$(kn create -f "$tmp/bad.yaml")
expect_match "invalid name: Invalid" \
	'The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain' "$out"

# --- apply
cat >"$tmp/app.yaml" <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "registry.k8s.io/pause:3.10"}]
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
EOF
out=$(kn apply -f "$tmp/app.yaml")
expect "apply: created" $'deployment.apps/web created\nservice/web created' "$out"
out=$(kn apply -f "$tmp/app.yaml")
expect "apply again: unchanged" $'deployment.apps/web unchanged\nservice/web unchanged' "$out"
out=$(kn get deployment web -o json)
expect "deployment: generation 1" "1" "$(jqr .metadata.generation "$out")"
expect "deployment: defaults" "RollingUpdate 25% 10 600" \
	"$(jqr '[.spec.strategy.type, .spec.strategy.rollingUpdate.maxSurge, .spec.revisionHistoryLimit, .spec.progressDeadlineSeconds] | map(tostring) | join(" ")' "$out")"
expect "pod template: defaults" "Always ClusterFirst 30 IfNotPresent File" \
	"$(jqr '.spec.template.spec | [.restartPolicy, .dnsPolicy, .terminationGracePeriodSeconds, .containers[0].imagePullPolicy, .containers[0].terminationMessagePolicy] | map(tostring) | join(" ")' "$out")"
expect_match "apply: last-applied-configuration" '"replicas":2' \
	"$(jqr '.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]' "$out")"

# --- server-side apply: managers own fields; a changed field another
# manager owns is a conflict until forced; what a manager stops applying
# goes.
ssa() { # REPLICAS TIER-LABEL: a Deployment manifest on stdout
	cat <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ssa
  labels: {app: ssa${2:+, tier: $2}}
spec:
  replicas: $1
  selector: {matchLabels: {app: ssa}}
  template:
    metadata: {labels: {app: ssa}}
    spec:
      containers: [{name: app, image: "registry.k8s.io/pause:3.10", ports: [{containerPort: 80}]}]
EOF
}
ssa 2 front >"$tmp/ssa-2.yaml"
out=$(kn apply --server-side -f "$tmp/ssa-2.yaml")
expect "apply --server-side: creates" "deployment.apps/ssa serverside-applied" "$out"
# The deployment controller writes status until the rollout settles:
# only then does an unchanged apply leave the resourceVersion alone.
kubectl -n "$ns" wait --for=condition=Available deployment/ssa --timeout=180s >/dev/null 2>&1
rv=$(kn get deployment ssa -o jsonpath='{.metadata.resourceVersion}')
out=$(kn apply --server-side -f "$tmp/ssa-2.yaml")
expect "apply --server-side again" "deployment.apps/ssa serverside-applied" "$out"
expect "apply --server-side unchanged: same resourceVersion" "$rv" \
	"$(kn get deployment ssa -o jsonpath='{.metadata.resourceVersion}')"
ssa 3 front >"$tmp/ssa-3.yaml"
kn apply --server-side -f "$tmp/ssa-3.yaml" >/dev/null
out=$(kn get deployment ssa -o json)
expect "apply --server-side: a changed field" "3 2" "$(jqr '"\(.spec.replicas) \(.metadata.generation)"' "$out")"
ssa 4 >"$tmp/ssa-4.yaml"
out=$(kn apply --server-side --field-manager=other -f "$tmp/ssa-4.yaml") && rc=0 || rc=$?
expect "conflict: exit status" "1" "$rc"
expect_match "conflict: names the manager and the field" \
	'Apply failed with 1 conflict: conflict with "kubectl": \.spec\.replicas' "$out"
expect "conflict: nothing changed" "3" "$(kn get deployment ssa -o jsonpath='{.spec.replicas}')"
out=$(kn apply --server-side --field-manager=other --force-conflicts -f "$tmp/ssa-4.yaml")
expect "--force-conflicts" "deployment.apps/ssa serverside-applied" "$out"
out=$(kn get deployment ssa -o json --show-managed-fields)
expect "--force-conflicts: the value" "4" "$(jqr .spec.replicas "$out")"
expect "managedFields: Apply entries of both managers" "kubectl:Apply other:Apply" \
	"$(jqr '[.metadata.managedFields[] | select(.manager == "kubectl" or .manager == "other") | "\(.manager):\(.operation)"] | sort | join(" ")' "$out")"
expect "managedFields: the field changed hands" "other" \
	"$(jqr '[.metadata.managedFields[] | select(.fieldsV1["f:spec"]["f:replicas"] != null) | .manager] | join(" ")' "$out")"
expect "managedFields: containers keyed by name" "true" \
	"$(jqr '[.metadata.managedFields[] | select(.manager == "kubectl") | .fieldsV1["f:spec"]["f:template"]["f:spec"]["f:containers"]["k:{\"name\":\"app\"}"] != null] | any' "$out")"
# The first manager stops applying replicas (now other's) and the tier label.
ssa 4 "" | grep -v replicas >"$tmp/ssa-min.yaml"
kn apply --server-side -f "$tmp/ssa-min.yaml" >/dev/null
out=$(kn get deployment ssa -o json)
expect "fields no longer applied are removed" "null" "$(jqr .metadata.labels.tier "$out")"
expect "fields another manager owns stay" "4" "$(jqr .spec.replicas "$out")"
rv=$(jqr .metadata.resourceVersion "$out")
ssa 5 >"$tmp/ssa-5.yaml"
out=$(kn apply --server-side --field-manager=other --dry-run=server -f "$tmp/ssa-5.yaml" -o jsonpath='{.spec.replicas}')
expect "apply --server-side --dry-run=server answers the result" "5" "$out"
expect "apply --server-side --dry-run=server changes nothing" "4 $rv" \
	"$(kn get deployment ssa -o jsonpath='{.spec.replicas} {.metadata.resourceVersion}')"
out=$(kn diff --server-side --field-manager=other -f "$tmp/ssa-4.yaml") && rc=0 || rc=$?
expect "diff --server-side: equal" "0 " "$rc $out"
out=$(kn diff --server-side --field-manager=other -f "$tmp/ssa-5.yaml") && rc=0 || rc=$?
expect "diff --server-side: different, exit 1" "1" "$rc"
expect_match "diff --server-side: the diff" $'-  replicas: 4\n\\+  replicas: 5' "$out"

# Client-side apply, then server-side apply of the same manifest: kubectl
# moves the client-side fields to its server-side manager.
mkobj "$tmp/csa.yaml" csa 'app: csa'
kn apply -f "$tmp/csa.yaml" >/dev/null
out=$(kn get configmap csa -o json --show-managed-fields)
expect "client-side apply: an Update entry" "kubectl-client-side-apply:Update" \
	"$(jqr '[.metadata.managedFields[] | "\(.manager):\(.operation)"] | join(" ")' "$out")"
out=$(kn apply --server-side -f "$tmp/csa.yaml")
expect "server-side apply takes over" "configmap/csa serverside-applied" "$out"
out=$(kn get configmap csa -o json --show-managed-fields)
expect "takeover: the client-side manager is gone" "" \
	"$(jqr '[.metadata.managedFields[] | select(.manager == "kubectl-client-side-apply") | .manager] | join(" ")' "$out")"
expect "takeover: kubectl applies data.key" "kubectl:Apply" \
	"$(jqr '[.metadata.managedFields[] | select(.fieldsV1["f:data"]["f:key"] != null) | "\(.manager):\(.operation)"] | join(" ")' "$out")"
sed 's/key: "csa"/key: "changed"/' "$tmp/csa.yaml" >"$tmp/csa-2.yaml"
kn apply --server-side -f "$tmp/csa-2.yaml" >/dev/null
expect "after the takeover a change applies" "changed" "$(kn get configmap csa -o jsonpath='{.data.key}')"

# Client-side apply of a changed list sends a strategic patch with
# $setElementOrder inside a container: the server orders, stores no
# directive.
cat >"$tmp/envs-1.yaml" <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: envs}
spec:
  selector: {matchLabels: {app: envs}}
  template:
    metadata: {labels: {app: envs}}
    spec:
      containers:
      - name: app
        image: registry.k8s.io/pause:3.10
        env: [{name: A, value: "1"}, {name: B, value: "2"}]
EOF
sed 's/env: .*/env: [{name: C, value: "3"}, {name: B, value: "2"}, {name: A, value: "9"}]/' \
	"$tmp/envs-1.yaml" >"$tmp/envs-2.yaml"
kn apply -f "$tmp/envs-1.yaml" >/dev/null
out=$(kn apply -f "$tmp/envs-2.yaml")
expect "client-side apply of a reordered env" "deployment.apps/envs configured" "$out"
expect "env merged in the applied order, no directive stored" "C=3 B=2 A=9 []" \
	"$(kn get deployment envs -o json | jq -r '.spec.template.spec.containers[0] | ([.env[] | "\(.name)=\(.value)"] | join(" ")) + " " + ([keys[] | select(startswith("$"))] | tojson)')"

# --- patch, by type
out=$(kn patch configmap csa --type merge -p '{"data":{"extra":"1"}}')
expect "patch --type merge" "configmap/csa patched" "$out"
expect "merge patch: merged" "changed 1" "$(kn get configmap csa -o jsonpath='{.data.key} {.data.extra}')"
out=$(kn patch configmap csa --type merge -p '{"data":{"extra":null}}' -o json)
expect "merge patch: null removes" "null" "$(jqr .data.extra "$out")"
out=$(kn patch configmap csa --type json -p '[{"op":"test","path":"/data/key","value":"changed"},{"op":"replace","path":"/data/key","value":"json"}]')
expect "patch --type json (test, replace)" "configmap/csa patched" "$out"
expect "json patch: replaced" "json" "$(kn get configmap csa -o jsonpath='{.data.key}')"
out=$(kn patch configmap csa --type json -p '[{"op":"test","path":"/data/key","value":"other"}]')
expect "json patch: a failed test is Invalid" \
	"The request is invalid: the server rejected our request due to an error in our request" "$out"
out=$(kn patch deployment ssa --type strategic -p '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"registry.k8s.io/pause:3.10"}]}}}}')
expect "patch --type strategic" "deployment.apps/ssa patched" "$out"
out=$(kn get deployment ssa -o json --show-managed-fields)
expect "strategic patch: containers merged by name, new ones last" "app side" \
	"$(jqr '[.spec.template.spec.containers[].name] | join(" ")' "$out")"
expect "patch: an Update entry of kubectl-patch" "Update" \
	"$(jqr '[.metadata.managedFields[] | select(.manager == "kubectl-patch") | .operation] | join(" ")' "$out")"
gen=$(jqr .metadata.generation "$out")
out=$(kn label configmap csa extra=1 && kn annotate configmap csa note=x)
expect "label and annotate patch" $'configmap/csa labeled\nconfigmap/csa annotated' "$out"
expect "label and annotate: the values" "1 x" \
	"$(kn get configmap csa -o jsonpath='{.metadata.labels.extra} {.metadata.annotations.note}')"
out=$(kn rollout restart deployment ssa)
expect "rollout restart patches the template" "deployment.apps/ssa restarted" "$out"
expect "rollout restart: a new generation" "$((gen + 1))" \
	"$(kn get deployment ssa -o jsonpath='{.metadata.generation}')"

# --- replace: optimistic concurrency and generation.  On a real cluster
# controllers write status in between, so a read-modify-replace retries
# on a conflict like any client must.
# update FILE KIND/NAME JQ-FILTER: get, modify, replace; retried.
update() {
	local out try
	for try in 1 2 3 4 5; do
		kn get "$2" -o json | jq "$3" >"$1"
		out=$(kn replace -f "$1") && break
		[[ $out == *Conflict* ]] || break
		sleep 0.5
	done
	echo "$out"
}
out=$(update "$tmp/web-3.json" deployment/web '.spec.replicas = 3')
expect "replace with the current resourceVersion" "deployment.apps/web replaced" "$out"
out=$(kn replace -f "$tmp/web-3.json")
expect "replace with a stale resourceVersion: Conflict" \
	"Error from server (Conflict): error when replacing \"$tmp/web-3.json\": Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again" "$out"
out=$(kn get deployment web -o json)
expect "spec change: generation 2" "2" "$(jqr .metadata.generation "$out")"
update "$tmp/web-label.json" deployment/web '.metadata.labels.extra = "x"' >/dev/null
out=$(kn get deployment web -o json)
expect "metadata change: generation stays 2" "2" "$(jqr .metadata.generation "$out")"
expect "metadata change applied" "x" "$(jqr .metadata.labels.extra "$out")"
out=$(update "$tmp/web-sel.json" deployment/web \
	'.spec.selector.matchLabels.extra = "x" | .spec.template.metadata.labels.extra = "x"')
expect_match "immutable spec.selector: Invalid" \
	'^The Deployment "web" is invalid: spec.selector: Invalid value: .*: field is immutable' "$out"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: frozen}\nimmutable: true\ndata: {key: "1"}\n' >"$tmp/frozen.yaml"
kn create -f "$tmp/frozen.yaml" >/dev/null
out=$(update "$tmp/frozen.json" configmap/frozen '.data.key = "2"')
expect "immutable ConfigMap: data is Forbidden" \
	'The ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set' "$out"

# Services: defaults, an allocated cluster IP that updates keep.
out=$(kn get service web -o json)
expect_match "service: a cluster IP" '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' "$(jqr .spec.clusterIP "$out")"
expect "service: defaults" "ClusterIP None TCP 8080" \
	"$(jqr '[.spec.type, .spec.sessionAffinity, .spec.ports[0].protocol, (.spec.ports[0].targetPort|tostring)] | join(" ")' "$out")"
ip=$(jqr .spec.clusterIP "$out")
out=$(update "$tmp/svc.json" service/web 'del(.spec.clusterIP) | .metadata.labels.x = "y"')
expect "service: replace without clusterIP" "service/web replaced" "$out"
expect "service: the cluster IP is kept" "$ip" "$(kn get service web -o jsonpath='{.spec.clusterIP}')"

# --- label and field selectors, chunking
mkobj "$tmp/cm-b.yaml" cm-b 'conformance: "yes", app: web, tier: back'
mkobj "$tmp/cm-c.yaml" cm-c 'conformance: "yes", app: db'
kn create -f "$tmp/cm-b.yaml" -f "$tmp/cm-c.yaml" >/dev/null
sel() { kn get configmaps -l "$1" -o name | sort | tr '\n' ' '; }
expect "selector =" "configmap/cm-a configmap/cm-b " "$(sel 'conformance=yes,app=web')"
expect "selector ==" "configmap/cm-c " "$(sel 'conformance=yes,app==db')"
expect "selector !=" "configmap/cm-c " "$(sel 'conformance=yes,app!=web')"
expect "selector in" "configmap/cm-a configmap/cm-b configmap/cm-c " "$(sel 'conformance=yes,app in (web,db)')"
expect "selector notin" "configmap/cm-a configmap/cm-c " "$(sel 'conformance=yes,tier notin (back)')"
expect "selector exists" "configmap/cm-a configmap/cm-b " "$(sel 'conformance=yes,tier')"
expect "selector !exists" "configmap/cm-c " "$(sel 'conformance=yes,!tier')"
out=$(kn get configmaps --field-selector metadata.name=cm-b -o name)
expect "field selector metadata.name" "configmap/cm-b" "$out"
out=$(k get configmaps -A --field-selector "metadata.namespace=$ns,metadata.name!=cm-b" -l conformance=yes -o name | sort | tr '\n' ' ')
expect "field selector metadata.namespace across namespaces" "configmap/cm-a configmap/cm-c " "$out"
out=$(kn get configmaps -l conformance=yes --chunk-size=1 -o name | sort | tr '\n' ' ')
expect "chunked list (limit + continue)" "configmap/cm-a configmap/cm-b configmap/cm-c " "$out"
page=$(k get --raw "/api/v1/namespaces/$ns/configmaps?labelSelector=conformance%3Dyes&limit=2")
expect "limit=2: two items" "2" "$(jqr '.items | length' "$page")"
cont=$(jqr .metadata.continue "$page")
page=$(k get --raw "/api/v1/namespaces/$ns/configmaps?labelSelector=conformance%3Dyes&limit=2&continue=$cont")
expect "continue: the rest" "cm-c" "$(jqr '[.items[].metadata.name] | join(",")' "$page")"
expect "continue: no more" "" "$(jqr '.metadata.continue // ""' "$page")"

# --- dry run
mkobj "$tmp/dry.yaml" dry
out=$(kn create -f "$tmp/dry.yaml" --dry-run=server -o json)
expect "dryRun create answers the object" "dry" "$(jqr .metadata.name "$out")"
out=$(kn get configmap dry)
expect "dryRun create stores nothing" 'Error from server (NotFound): configmaps "dry" not found' "$out"
out=$(kn delete configmap cm-c --dry-run=server)
expect "dryRun delete" 'configmap "cm-c" deleted (server dry run)' "$out"
out=$(kn get configmap cm-c -o name)
expect "dryRun delete keeps the object" "configmap/cm-c" "$out"
rv=$(kn get configmap cm-c -o jsonpath='{.metadata.resourceVersion}')
out=$(kn patch configmap cm-c --type merge -p '{"data":{"key":"dry"}}' --dry-run=server -o jsonpath='{.data.key}')
expect "dryRun patch answers the result" "dry" "$out"
kn get configmap cm-c -o json | jq '.data.key = "dry"' >"$tmp/cm-c.json"
out=$(kn replace -f "$tmp/cm-c.json" --dry-run=server)
expect "dryRun replace" 'configmap/cm-c replaced (server dry run)' "$out"
expect "dryRun patch and replace change nothing" "cm-c $rv" \
	"$(kn get configmap cm-c -o jsonpath='{.data.key} {.metadata.resourceVersion}')"

# --- CRD, then the new kind with its status subresource
cat >"$tmp/crd.yaml" <<EOF
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: $crd
spec:
  group: conformance.gitops-agent.io
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wdg]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
EOF
out=$(k create -f "$tmp/crd.yaml")
expect "create CRD" "customresourcedefinition.apiextensions.k8s.io/$crd created" "$out"
est=""
for _ in $(seq 50); do
	est=$(kubectl get crd "$crd" -o jsonpath='{.status.conditions[?(@.type=="Established")].status}' 2>/dev/null)
	[[ $est == True ]] && break
	sleep 0.2
done
expect "CRD Established" "True" "$est"
cat >"$tmp/widget.yaml" <<EOF
apiVersion: conformance.gitops-agent.io/v1
kind: Widget
metadata:
  name: w1
spec:
  size: 3
EOF
out=""
for _ in $(seq 20); do
	out=$(kn create -f "$tmp/widget.yaml") && break
	sleep 0.5
done
expect "create a custom resource" "widget.conformance.gitops-agent.io/w1 created" "$out"
out=$(kn get wdg w1 -o json)
expect "get by short name" "3" "$(jqr .spec.size "$out")"
expect "custom resource: generation 1" "1" "$(jqr .metadata.generation "$out")"
jq '.status = {phase: "Ready"}' <<<"$out" >"$tmp/w1-status.json"
out=$(kn replace --subresource=status -f "$tmp/w1-status.json")
expect "replace --subresource=status" "widget.conformance.gitops-agent.io/w1 replaced" "$out"
out=$(kn get widget w1 -o json)
expect "status written" "Ready" "$(jqr .status.phase "$out")"
expect "status write keeps generation" "1" "$(jqr .metadata.generation "$out")"
jq '.status = {phase: "Ignored"} | .spec.size = 4' <<<"$out" >"$tmp/w1-spec.json"
kn replace -f "$tmp/w1-spec.json" >/dev/null
out=$(kn get widget w1 -o json)
expect "main resource cannot write status" "Ready" "$(jqr .status.phase "$out")"
expect "spec change: generation 2" "2" "$(jqr .metadata.generation "$out")"

# --- watch: kubectl lists, then watches from the list's resourceVersion,
# so changes made once the list is printed all arrive as events.
# wait_for FILE REGEX: until FILE matches (10 s at most).
wait_for() {
	local _
	for _ in $(seq 100); do
		grep -Eq "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
# events FILE: "TYPE NAME" per line of a --output-watch-events table.
events() { awk 'NR > 1 {printf "%s %s,", $1, $2}' "$1"; }
mkobj "$tmp/watched-0.yaml" watched-0 'watch: "yes"'
mkobj "$tmp/watched-1.yaml" watched-1 'watch: "yes"'
kn create -f "$tmp/watched-0.yaml" >/dev/null
timeout 30 kubectl -n "$ns" get configmaps -l watch=yes -w --output-watch-events \
	>"$tmp/watch.out" 2>&1 &
w1=$!
timeout 30 kubectl -n "$ns" get configmaps -l watch=yes --watch-only -o name \
	>"$tmp/watch-only.out" 2>&1 &
w2=$!
timeout 30 kubectl -n "$ns" get configmap watched-0 -w --output-watch-events \
	>"$tmp/watch-one.out" 2>&1 &
w3=$!
wait_for "$tmp/watch.out" watched-0
wait_for "$tmp/watch-one.out" watched-0
sleep 1
kn create -f "$tmp/watched-1.yaml" >/dev/null
update "$tmp/watched-1.json" configmap/watched-1 '.data.key = "changed"' >/dev/null
kn delete configmap watched-1 >/dev/null
update "$tmp/watched-0.json" configmap/watched-0 '.metadata.labels.watch = "no"' >/dev/null
wait_for "$tmp/watch.out" 'DELETED +watched-0'
wait_for "$tmp/watch-only.out" 'watched-1(.|\n)*watched-0'
wait_for "$tmp/watch-one.out" MODIFIED
kill "$w1" "$w2" "$w3" 2>/dev/null
wait "$w1" "$w2" "$w3" 2>/dev/null
expect "get -w: ADDED, MODIFIED, DELETED; leaving the selector is DELETED" \
	"ADDED watched-0,ADDED watched-1,MODIFIED watched-1,DELETED watched-1,DELETED watched-0," \
	"$(events "$tmp/watch.out")"
expect "get --watch-only: changes only" \
	"configmap/watched-1 configmap/watched-1 configmap/watched-1 configmap/watched-0 " \
	"$(tr '\n' ' ' <"$tmp/watch-only.out")"
expect "get -w NAME: that object only" "ADDED watched-0,MODIFIED watched-0," \
	"$(events "$tmp/watch-one.out")"
out=$(k -n "$ns" get configmaps -w --request-timeout=2s -o name 2>/dev/null | sort | tr '\n' ' ')
expect_match "get -w --request-timeout ends" 'configmap/watched-0' "$out"
mkobj "$tmp/waited.yaml" waited
kn create -f "$tmp/waited.yaml" >/dev/null
(sleep 1 && kubectl -n "$ns" delete configmap waited >/dev/null 2>&1) &
out=$(kn wait --for=delete configmap/waited --timeout=20s)
wait
expect "wait --for=delete" "configmap/waited condition met" "$out"

# --- garbage collection by ownerReferences
# owned FILE NAME OWNER-UID LABELS: a ConfigMap owned by that uid.
owned() {
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n  labels: {%s}\n  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: owner, uid: "%s", blockOwnerDeletion: true}]\n' \
		"$2" "${4:-}" "$3" >"$1"
}
uid_of() { kubectl -n "$ns" get configmap "$1" -o jsonpath='{.metadata.uid}' 2>&1; }
# gone NAME: until the ConfigMap is NotFound (20 s at most).
gone() {
	local _
	for _ in $(seq 100); do
		kubectl -n "$ns" get configmap "$1" >/dev/null 2>&1 || return 0
		sleep 0.2
	done
	return 1
}
mkobj "$tmp/owner-f.yaml" owner-f 'gc: "f"'
kn create -f "$tmp/owner-f.yaml" >/dev/null
owned "$tmp/dep-f.yaml" dep-f "$(uid_of owner-f)" 'gc: "f"'
kn create -f "$tmp/dep-f.yaml" >/dev/null
timeout 60 kubectl -n "$ns" get configmaps -l gc=f --watch-only --output-watch-events \
	>"$tmp/gc-f.out" 2>&1 &
wpid=$!
sleep 1
out=$(kn delete configmap owner-f --cascade=foreground --timeout=60s)
expect "delete --cascade=foreground" 'configmap "owner-f" deleted' "$out"
wait_for "$tmp/gc-f.out" 'DELETED +owner-f'
kill "$wpid" 2>/dev/null
wait "$wpid" 2>/dev/null
expect "foreground: the dependent goes first" "DELETED dep-f,DELETED owner-f," \
	"$(grep DELETED "$tmp/gc-f.out" | awk '{printf "%s %s,", $1, $2}')"
mkobj "$tmp/owner-o.yaml" owner-o
kn create -f "$tmp/owner-o.yaml" >/dev/null
owned "$tmp/dep-o.yaml" dep-o "$(uid_of owner-o)"
kn create -f "$tmp/dep-o.yaml" >/dev/null
out=$(kn delete configmap owner-o --cascade=orphan --timeout=60s)
expect "delete --cascade=orphan" 'configmap "owner-o" deleted' "$out"
out=$(kn get configmap dep-o -o json)
expect "orphan: the dependent stays, without the ownerReference" "dep-o 0" \
	"$(jqr '.metadata.name + " " + (.metadata.ownerReferences // [] | length | tostring)' "$out")"
mkobj "$tmp/owner-b.yaml" owner-b
kn create -f "$tmp/owner-b.yaml" >/dev/null
owned "$tmp/dep-b.yaml" dep-b "$(uid_of owner-b)"
kn create -f "$tmp/dep-b.yaml" >/dev/null
kn delete configmap owner-b >/dev/null
if gone dep-b; then ok "background: the dependent is collected"; else not_ok "background: the dependent is collected"; fi

# --- deleting by label: kubectl lists, then deletes each; the API's
# deletecollection answers the list of what it deleted.
mkobj "$tmp/del-1.yaml" del-1 'del: "yes"'
mkobj "$tmp/del-2.yaml" del-2 'del: "yes"'
mkobj "$tmp/coll-1.yaml" coll-1 'coll: "yes"'
mkobj "$tmp/coll-2.yaml" coll-2 'coll: "yes"'
kn create -f "$tmp/del-1.yaml" -f "$tmp/del-2.yaml" -f "$tmp/coll-1.yaml" -f "$tmp/coll-2.yaml" >/dev/null
out=$(kn delete configmaps -l del=yes)
expect "delete -l" $'configmap "del-1" deleted\nconfigmap "del-2" deleted' "$out"
out=$(kn delete --raw "/api/v1/namespaces/$ns/configmaps?labelSelector=coll%3Dyes&dryRun=All")
expect "deletecollection dryRun: the list" "ConfigMapList coll-1,coll-2" \
	"$(jqr '.kind + " " + ([.items[].metadata.name] | join(","))' "$out")"
expect "deletecollection dryRun keeps them" "2" "$(kn get configmaps -l coll=yes -o name | wc -l)"
out=$(kn delete --raw "/api/v1/namespaces/$ns/configmaps?labelSelector=coll%3Dyes")
expect "deletecollection: the deleted objects" "coll-1,coll-2" \
	"$(jqr '[.items[].metadata.name] | join(",")' "$out")"
expect "deletecollection: gone" "" "$(kn get configmaps -l coll=yes -o name)"

# --- a namespace goes through Terminating; an object with a finalizer
# holds it until the finalizer is removed.
ns2=$ns-t
printf 'apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n' "$ns2" >"$tmp/ns2.yaml"
k create -f "$tmp/ns2.yaml" >/dev/null
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: held, finalizers: [conformance.gitops-agent.io/hold]}\n' >"$tmp/held.yaml"
mkobj "$tmp/plain.yaml" plain
k -n "$ns2" create -f "$tmp/held.yaml" -f "$tmp/plain.yaml" >/dev/null
out=$(k delete namespace "$ns2" --wait=false)
expect "delete namespace --wait=false" "namespace \"$ns2\" deleted" "$out"
out=$(k get namespace "$ns2" -o json)
expect "namespace: Terminating, with a deletionTimestamp" "Terminating true" \
	"$(jqr '.status.phase + " " + (.metadata.deletionTimestamp != null | tostring)' "$out")"
mkobj "$tmp/late.yaml" late
out=$(k -n "$ns2" create -f "$tmp/late.yaml")
expect "create in a terminating namespace: Forbidden" \
	"Error from server (Forbidden): error when creating \"$tmp/late.yaml\": configmaps \"late\" is forbidden: unable to create new content in namespace $ns2 because it is being terminated" "$out"
for _ in $(seq 100); do
	kubectl -n "$ns2" get configmap plain >/dev/null 2>&1 || break
	sleep 0.2
done
out=$(k -n "$ns2" get configmaps -o json)
expect "terminating namespace: emptied but for the held object" "held true" \
	"$(jqr '[.items[] | .metadata.name + " " + (.metadata.deletionTimestamp != null | tostring)] | join(",")' "$out")"
cond='.status.conditions[]? | select(.type=="NamespaceFinalizersRemaining")'
for _ in $(seq 100); do
	out=$(k get namespace "$ns2" -o json)
	[[ $(jqr "$cond | .status" "$out") == True ]] && break
	sleep 0.2
done
expect_match "terminating namespace: NamespaceFinalizersRemaining names the finalizer" \
	'conformance\.gitops-agent\.io/hold in 1 resource instances' "$(jqr "$cond | .message" "$out")"
k -n "$ns2" get configmap held -o json | jq '.metadata.finalizers = []' >"$tmp/held.json"
k -n "$ns2" replace -f "$tmp/held.json" >/dev/null
for _ in $(seq 300); do
	out=$(k get namespace "$ns2") || break
	sleep 0.2
done
expect "the namespace goes once empty" "Error from server (NotFound): namespaces \"$ns2\" not found" "$out"

# --- workloads: the controllers' status as kubectl wait and rollout status
# read it.  The pause image runs anywhere and is ready at once; the
# timeouts leave a real cluster time to pull it.  rollout status prints
# progress lines first (and, on a server without watch, retry noise on
# stderr): its verdict is the last line.
workload() { # KIND NAME [VALUE]: a one-container workload, VALUE in its env
	printf 'apiVersion: apps/v1\nkind: %s\nmetadata: {name: %s}\nspec:\n' "$1" "$2"
	[[ $1 == DaemonSet ]] || printf '  replicas: 2\n'
	[[ $1 == StatefulSet ]] && printf '  serviceName: %s\n' "$2"
	printf '  selector: {matchLabels: {app: %s}}\n  template:\n' "$2"
	printf '    metadata: {labels: {app: %s}}\n    spec:\n' "$2"
	printf '      terminationGracePeriodSeconds: 0\n'
	printf '      containers: [{name: c, image: "registry.k8s.io/pause:3.10", env: [{name: V, value: "%s"}]}]\n' "${3:-1}"
}
rollout() { kubectl -n "$ns" rollout status "$1" --timeout=180s 2>/dev/null | tail -1; }
workload Deployment roll >"$tmp/deploy.yaml"
kn create -f "$tmp/deploy.yaml" >/dev/null
out=$(kubectl -n "$ns" wait --for=condition=Available deployment/roll --timeout=180s 2>/dev/null)
expect "wait --for=condition=Available" "deployment.apps/roll condition met" "$out"
expect "rollout status deployment" 'deployment "roll" successfully rolled out' "$(rollout deployment/roll)"
out=$(kn get deployment roll -o json)
expect "deployment status: observedGeneration" "1" "$(jqr .status.observedGeneration "$out")"
expect "deployment status: readyReplicas" "2" "$(jqr .status.readyReplicas "$out")"
expect "deployment status: Progressing reason" "NewReplicaSetAvailable" \
	"$(jqr '.status.conditions[] | select(.type == "Progressing") | .reason' "$out")"
expect "deployment status: Available reason" "MinimumReplicasAvailable" \
	"$(jqr '.status.conditions[] | select(.type == "Available") | .reason' "$out")"
workload Deployment roll 2 >"$tmp/deploy.yaml"
kn replace -f "$tmp/deploy.yaml" >/dev/null
expect "rollout status after a template change" 'deployment "roll" successfully rolled out' \
	"$(rollout deployment/roll)"
out=$(kn get deployment roll -o json)
expect "new template: observedGeneration 2" "2" "$(jqr .status.observedGeneration "$out")"
expect "new template: updatedReplicas" "2" "$(jqr .status.updatedReplicas "$out")"
workload StatefulSet db >"$tmp/sts.yaml"
kn create -f "$tmp/sts.yaml" >/dev/null
expect "rollout status statefulset" "partitioned roll out complete: 2 new pods have been updated..." \
	"$(rollout statefulset/db)"
out=$(kn get statefulset db -o json)
expect "statefulset: currentRevision is updateRevision" "true" \
	"$(jqr '.status.currentRevision == .status.updateRevision' "$out")"
workload DaemonSet agent >"$tmp/ds.yaml"
kn create -f "$tmp/ds.yaml" >/dev/null
expect "rollout status daemonset" 'daemon set "agent" successfully rolled out' "$(rollout daemonset/agent)"
expect_match "get statefulset: the READY column" '^db +2/2 +[0-9]' "$(kn get statefulset db --no-headers)"
expect_match "get daemonset: every count the same, no node selector" \
	'^agent +([1-9][0-9]*) +\1 +\1 +\1 +\1 +<none> +[0-9]' "$(kn get daemonset agent --no-headers)"
out=$(kn get daemonset agent -o json)
expect "daemonset: every desired pod ready" "true" \
	"$(jqr '.status.numberReady == .status.desiredNumberScheduled and .status.desiredNumberScheduled > 0' "$out")"

# --- delete
out=$(kn delete configmap cm-a)
expect "delete" 'configmap "cm-a" deleted' "$out"
out=$(kn get configmap cm-a)
expect "deleted object is gone" 'Error from server (NotFound): configmaps "cm-a" not found' "$out"
out=$(kn delete configmap cm-a)
expect "delete missing: NotFound" 'Error from server (NotFound): configmaps "cm-a" not found' "$out"
out=$(k delete crd "$crd")
expect "delete CRD" "customresourcedefinition.apiextensions.k8s.io \"$crd\" deleted" "$out"
out=$(k delete namespace "$ns" --timeout=120s)
expect "delete namespace" "namespace \"$ns\" deleted" "$out"
out=$(k get namespace "$ns")
expect "namespace is gone" "Error from server (NotFound): namespaces \"$ns\" not found" "$out"

echo "1..$n"
[[ $failed -eq 0 ]]
