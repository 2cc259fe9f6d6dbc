#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Suite e2e: configuration reloads that change what is built (TAP).  The
# provider's customize section (test/e2e/data/customize.yaml: an images
# override, replicas, commonLabels and commonAnnotations, a strategic
# merge patch and a JSON 6902 patch, each with a target) is taken from a
# ConfigMap change without a restart, and the cluster shows each
# customisation.  Then the environment changes: kubernetes to linkerd
# (its two MetricTemplates created, the namespace's marks switched by
# server-side apply), back to kubernetes (the MetricTemplates pruned,
# within the guard rail), and to a path that builds a small part of the
# distribution, which the prune guard rail (maxPercent 50) refuses with a
# clear status, nothing deleted.
#
# Usage: customize.sh KUBESIM GITOPS-AGENT SOURCE-ROOT [GITOPS-AGENT-FOR-VALGRIND]
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/e2e/lib.sh
. "$here/lib.sh"

e2e_world
start_agent agent.log
wait_applied "$first" 60
result $? "the first install succeeds" "$(status_key lastAttemptMessage)"
pid=$agent_pid
in_force() { [[ $(grep -c '"msg":"configuration from configmap [^"]* in force"' "$tmp/agent.log") -ge $1 ]]; }
applied_again() {
	eventually 10 in_force "$1" &&
		eventually 10 bash -c "grep -c '\"msg\":\"reconciled\"' '$tmp/agent.log' | awk '{exit !(\$1 >= $2)}'"
}
passes() { grep -c '"msg":"reconciled"' "$tmp/agent.log"; }
dj() { k -n webapp get deploy "$1" -o "jsonpath={$2}"; }

# ---- the provider's customisations ----------------------------------------------------
n0=$(passes)
config_env kubernetes 30s "$here/data/customize.yaml" | set_config
applied_again 2 $((n0 + 1))
result $? "customize: the change is taken and a pass made" "$(show_log 5)"
expect "customize: the pass succeeds" Succeeded "$(status_key lastAttemptResult)"
expect "customize: every object is configured again" \
	"0 created, 24 configured, 0 unchanged, 0 pruned, 0 failed" "$(status_key objects)"
kill -0 "$pid" 2>/dev/null && [[ $pid == "$agent_pid" ]]
result $? "customize: without a restart (the same process)" ""
[[ -z $(status_key configError) ]]
result $? "customize: no configuration error" "$(status_key configError)"
expect "customize: images (newName and newTag)" \
	registry.provider.example/envoy:v1.36.4-provider "$(image_of ingress)"
expect "customize: replicas" 4 "$(dj ingress .spec.replicas)"
expect "customize: commonLabels on the object" eu-1 \
	"$(dj backend '.metadata.labels.provider\.example\.com/site')"
expect "customize: commonLabels on its pods" eu-1 \
	"$(dj backend '.spec.template.metadata.labels.provider\.example\.com/site')"
expect "customize: commonLabels never on a selector (immutable)" '{"app.kubernetes.io/name":"backend"}' \
	"$(dj backend .spec.selector.matchLabels)"
expect "customize: commonLabels on every kind (a Service)" eu-1 \
	"$(k -n webapp get svc tester -o 'jsonpath={.metadata.labels.provider\.example\.com/site}')"
expect "customize: commonAnnotations" ops@provider.example \
	"$(k get ns webapp -o 'jsonpath={.metadata.annotations.provider\.example\.com/contact}')"
expect "customize: the strategic merge patch (the container merged by name)" '1 1Gi' \
	"$(dj tester '.spec.template.spec.containers[0].resources.limits.cpu} {.spec.template.spec.containers[0].resources.limits.memory')"
expect "customize: the JSON 6902 patch, on its target only" '7 ' \
	"$(dj ingress .spec.minReadySeconds) $(dj tester .spec.minReadySeconds)"
# Drift of a customised field is corrected back to the customisation.
k -n webapp patch deployment ingress -p '{"spec":{"replicas":1}}' >/dev/null
config_env kubernetes 3s "$here/data/customize.yaml" | set_config
eventually 15 bash -c "[[ \$(kubectl --kubeconfig $tmp/kubeconfig -n webapp get deploy ingress -o jsonpath='{.spec.replicas}') == 4 ]]"
result $? "customize: drift of a customised field is corrected to the customisation" "$(dj ingress .spec.replicas)"

# ---- the environment changes --------------------------------------------------------------
want=$(built linkerd)
config_env linkerd 30s "$here/data/customize.yaml" | set_config
eventually 15 bash -c "[[ \$(kubectl --kubeconfig $tmp/kubeconfig -n webapp get metrictemplates.flagger.app -o name | wc -l) == 2 ]]"
result $? "environment linkerd: its MetricTemplates are created" "$(status_key objects)"
eventually 10 is_status lastAttemptResult Succeeded
result $? "environment linkerd: the pass succeeds" "$(status_key lastAttemptMessage)"
[[ $(status_key objects) == "2 created, "*", 0 pruned, 0 failed" ]]
result $? "environment linkerd: the status counts $want objects, 2 of them new" "$(status_key objects)"
expect "environment linkerd: the namespace asks for proxy injection" enabled \
	"$(k get ns webapp -o 'jsonpath={.metadata.annotations.linkerd\.io/inject}')"
expect "environment linkerd: the label only the kubernetes build set is gone (server-side apply)" "" \
	"$(k get ns webapp -o 'jsonpath={.metadata.labels.pod-security\.kubernetes\.io/enforce}')"
expect "environment linkerd: the Canaries switch provider" "gatewayapi:v1" \
	"$(k -n webapp get canaries.flagger.app frontend -o 'jsonpath={.spec.provider}')"
expect "environment linkerd: the customisations still apply" \
	registry.provider.example/envoy:v1.36.4-provider "$(image_of ingress)"

config_env kubernetes 30s "$here/data/customize.yaml" | set_config
eventually 15 bash -c "[[ \$(kubectl --kubeconfig $tmp/kubeconfig -n webapp get metrictemplates.flagger.app -o name | wc -l) == 0 ]]"
result $? "back to kubernetes: the MetricTemplates no longer built are pruned" "$(status_key objects)"
eventually 10 is_status lastAttemptResult Succeeded
[[ $(status_key objects) == *", 2 pruned, 0 failed" ]]
result $? "back to kubernetes: the status counts 2 pruned (within the guard rail)" "$(status_key objects)"

small=dist/base/ingress
n_small=$(built "$small")
config_env "$small" 30s | set_config
if eventually 15 is_status lastAttemptReason PruneRefused; then
	ok "a path building $n_small of 24 objects: the prune guard rail refuses"
else
	not_ok "a path building $n_small of 24 objects: the prune guard rail refuses" \
		"$(status_key lastAttemptReason): $(status_key lastAttemptMessage)"
	show_log
fi
msg=$(status_key lastAttemptMessage)
[[ $msg == *50%* ]]
result $? "guard rail: the message says which limit" "$msg"
expect "guard rail: the stage is prune" prune "$(status_key lastAttemptStage)"
k -n webapp get canaries.flagger.app frontend >/dev/null 2>&1 && k -n webapp get deploy backend >/dev/null 2>&1
result $? "guard rail: nothing is deleted" ""
events_of | has '^Warning PruneRefused$'
result $? "guard rail: a Warning Event PruneRefused" "$(events_of | sort | uniq -c | tr '\n' ' ')"
[[ $pid == "$agent_pid" ]] && kill -0 "$pid"
result $? "all of it without a restart" ""

stop_agent "the agent stops cleanly"
assert_no_secrets "$hook_token" "$token"
check_valgrind
stop_kubesim
result $? "kubesim stops cleanly" "$(kubesim_report)"
tap_end
