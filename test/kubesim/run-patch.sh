#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Suite kubesim: what kubectl cannot show about PATCH and server-side
# apply, asked of kubesim with curl: the exact Status bodies of the
# errors (fieldManager missing, force on a non-apply patch, managedFields
# in an apply body, an unknown patch type, a malformed JSON patch), a
# conflict with several fields and one with an Update manager (message
# and causes as kube-apiserver 1.32 words them), dryRun=All on an apply
# that would create, and managedFields reset with [{}].  Skips (77) when
# curl or jq is missing.  With KUBESIM_VALGRIND=1, kubesim runs under
# valgrind and any error or definite leak fails the last check.
#
# Usage: run-patch.sh KUBESIM
set -uo pipefail

kubesim=$1
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

n=0
failed=0
check() { # NAME WANT GOT
	n=$((n + 1))
	if [[ $3 == "$2" ]]; then
		echo "ok $n - $1"
	else
		failed=$((failed + 1))
		echo "not ok $n - $1"
		printf '# want: %s\n# got:  %s\n' "$2" "$3"
	fi
}
# req METHOD PATH CONTENT-TYPE BODY: the reply body, then its code.
req() {
	curl -sS --cacert "$tmp/ca.crt" -H "Authorization: Bearer $token" \
		-X "$1" -H "Content-Type: $3" --data-binary "$4" \
		-o "$tmp/body" -w '%{http_code}' "$server$2" >"$tmp/code"
	printf '%s %s' "$(cat "$tmp/body")" "$(cat "$tmp/code")"
}
cm=/api/v1/namespaces/default/configmaps
apply=application/apply-patch+yaml
cfg() { # DATA-JSON
	printf '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":%s}' "$1"
}

out=$(req PATCH "$cm/c" $apply "$(cfg '{}')")
check "apply without fieldManager: 422" \
	'{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch","reason":"Invalid","details":{"group":"meta.k8s.io","kind":"PatchOptions","causes":[{"reason":"FieldValueRequired","message":"Required value: is required for apply patch","field":"fieldManager"}]},"code":422} 422' \
	"$out"
out=$(req PATCH "$cm/c?fieldManager=a&dryRun=All" $apply "$(cfg '{"k1":"a"}')")
check "dryRun=All apply answers the would-be object" "201" "${out##* }"
out=$(req GET "$cm/c" application/json "")
check "dryRun=All apply creates nothing" "404" "${out##* }"
out=$(req PATCH "$cm/c?fieldManager=a" $apply "$(cfg '{"k1":"a","k2":"a"}')")
check "apply creates: 201" "201" "${out##* }"
check "apply creates: the Apply entry" "a Apply v1 {\"f:data\":{\"f:k1\":{},\"f:k2\":{}}}" \
	"$(jq -r '.metadata.managedFields[] | "\(.manager) \(.operation) \(.apiVersion) \(.fieldsV1 | tojson)"' "$tmp/body")"
out=$(req PATCH "$cm/c?fieldManager=b" $apply "$(cfg '{"k1":"b","k2":"b"}')")
check "two conflicts: 409 and the message" \
	$'409 Apply failed with 2 conflicts: conflicts with "a":\n- .data.k1\n- .data.k2' \
	"$(jq -r '"\(.code) \(.message)"' "$tmp/body")"
check "two conflicts: one cause per field" \
	'[{"reason":"FieldManagerConflict","message":"conflict with \"a\"","field":".data.k1"},{"reason":"FieldManagerConflict","message":"conflict with \"a\"","field":".data.k2"}] Conflict' \
	"$(jq -c '.details.causes' "$tmp/body") $(jq -r .reason "$tmp/body")"
out=$(req PATCH "$cm/c?fieldManager=s" $apply "$(cfg '{"k1":"a"}')")
check "the same value: shared ownership" "200 a,s" \
	"${out##* } $(jq -r '[.metadata.managedFields[] | select(.fieldsV1["f:data"]["f:k1"]) | .manager] | sort | join(",")' "$tmp/body")"
out=$(req PATCH "$cm/c?fieldManager=s" $apply '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}')
check "a sharer that lets go: the value stays with the other owner" "200 a a" \
	"${out##* } $(jq -r '.data.k1' "$tmp/body") $(jq -r '[.metadata.managedFields[] | select(.fieldsV1["f:data"]["f:k1"]) | .manager] | join(",")' "$tmp/body")"
out=$(req PATCH "$cm/c?fieldManager=upd" application/merge-patch+json '{"data":{"k3":"u"}}')
check "merge patch by another manager" "200" "${out##* }"
out=$(req PATCH "$cm/c?fieldManager=b" $apply "$(cfg '{"k3":"b"}')")
check "conflict with an Update manager names its apiVersion" \
	'409 Apply failed with 1 conflict: conflict with "upd" using v1: .data.k3' \
	"$(jq -r '"\(.code) \(.message)"' "$tmp/body")"
out=$(req PATCH "$cm/c?fieldManager=b&force=true" $apply "$(cfg '{"k3":"b"}')")
check "force takes the field" "200 b" \
	"${out##* } $(jq -r '[.metadata.managedFields[] | select(.fieldsV1["f:data"]["f:k3"]) | .manager] | join(",")' "$tmp/body")"
check "force: the Update entry left empty is gone" "a:Apply b:Apply" \
	"$(jq -r '[.metadata.managedFields[] | "\(.manager):\(.operation)"] | join(" ")' "$tmp/body")"
out=$(req PATCH "$cm/c?fieldManager=z" $apply "$(cfg '{"k3":"z","k1":"z"}')")
check "conflicts with two managers, sorted by manager" \
	$'409 Apply failed with 2 conflicts: conflicts with "a":\n- .data.k1\nconflicts with "b":\n- .data.k3' \
	"$(jq -r '"\(.code) \(.message)"' "$tmp/body")"
out=$(req PATCH "$cm/c?force=true" application/merge-patch+json '{}')
check "force on a merge patch: 422" \
	'422 PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch' \
	"$(jq -r '"\(.code) \(.message)"' "$tmp/body")"
out=$(req PATCH "$cm/c?fieldManager=a" $apply \
	'{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","managedFields":[{"manager":"x"}]}}')
check "managedFields in an apply body: 400" "400 metadata.managedFields must be nil" \
	"$(jq -r '"\(.code) \(.message)"' "$tmp/body")"
out=$(req PATCH "$cm/c" application/xml '<x/>')
check "unknown patch type: 415" \
	'415 the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json' \
	"$(jq -r '"\(.code) \(.message)"' "$tmp/body")"
out=$(req PATCH "$cm/c" application/json-patch+json '{"op":"add"}')
check "JSON patch that is no list: 400" "400 BadRequest" "$(jq -r '"\(.code) \(.reason)"' "$tmp/body")"
out=$(req PATCH "$cm/c" application/json-patch+json '[{"op":"test","path":"/data/k1","value":"x"}]')
check "JSON patch with a failing test: 422" \
	'{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server rejected our request due to an error in our request","reason":"Invalid","details":{},"code":422} 422' \
	"$out"
out=$(req PATCH "$cm/c" application/merge-patch+json '{"metadata":{"managedFields":[{}]}}')
check "managedFields reset with [{}]" "200 null" "${out##* } $(jq -c .metadata.managedFields "$tmp/body")"
out=$(req PATCH "$cm/c" application/merge-patch+json '{"metadata":{"managedFields":[{"manager":"m"}]}}')
check "malformed managedFields: 400" "400" "${out##* }"

long=$(printf 'm%.0s' $(seq 129))
out=$(req PATCH "$cm/c?fieldManager=$long" application/merge-patch+json '{}')
check "a fieldManager over 128 bytes: 422" \
	'422 PatchOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes' \
	"$(jq -r '"\(.code) \(.message)"' "$tmp/body")"

# Strategic merge patch directives as kubectl sends them.
dep=/apis/apps/v1/namespaces/default/deployments
req POST "$dep" application/json '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","finalizers":["f1","f2"]},"spec":{"selector":{"matchLabels":{"a":"b"}},"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"one","image":"i"},{"name":"two","image":"i"}]}}}}' >/dev/null
check "no fieldManager: the manager comes from the User-Agent" "curl:Update" \
	"$(req GET "$dep/d" application/json "" >/dev/null; jq -r '[.metadata.managedFields[] | "\(.manager):\(.operation)"] | join(" ")' "$tmp/body")"
out=$(req PATCH "$dep/d/status?fieldManager=ctl" $apply \
	'{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"status":{"replicas":1}}')
check "apply to /status: an entry with its subresource" "200 ctl:Apply:status" \
	"${out##* } $(jq -r '[.metadata.managedFields[] | select(.subresource) | "\(.manager):\(.operation):\(.subresource)"] | join(" ")' "$tmp/body")"
out=$(req PATCH "$dep/d" application/strategic-merge-patch+json \
	'{"metadata":{"$deleteFromPrimitiveList/finalizers":["f1"]},"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"},"template":{"spec":{"$setElementOrder/containers":[{"name":"three"},{"name":"two"},{"name":"one"}],"containers":[{"name":"three","image":"j"},{"name":"one","$patch":"delete"}]}}}}')
check "strategic merge patch directives" \
	'200 ["f2"] {"type":"Recreate"} three,two' \
	"${out##* } $(jq -c '.metadata.finalizers' "$tmp/body") $(jq -c '.spec.strategy' "$tmp/body") $(jq -r '[.spec.template.spec.containers[].name] | join(",")' "$tmp/body")"
out=$(req PATCH "$dep/d" application/strategic-merge-patch+json '{"spec":{"template":{"spec":{"containers":[{"name":"four","image":"k"}]}}}}')
check "strategic merge patch: new items after the object's" "three,two,four" \
	"$(jq -r '[.spec.template.spec.containers[].name] | join(",")' "$tmp/body")"

status=0
stop_kubesim || status=$?
check "kubesim stops cleanly" "0" "$status"
[[ $status -ne 0 ]] && kubesim_report
echo "1..$n"
[[ $failed -eq 0 ]]
