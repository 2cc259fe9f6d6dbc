#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Suite e2e: the first install of one environment type (TAP), E2E_ENV
# istio (dist/app-istio) or linkerd (dist/app-linkerd); run.sh covers
# kubernetes in kubesim, which E2E_ENV=kubernetes also takes (CI's Kind
# job runs all three with E2E_KUBECONFIG, lib.sh).  Neither build holds a mesh resource: the mesh objects
# (Istio VirtualServices and DestinationRules, Gateway API HTTPRoutes for
# Linkerd) are what Flagger generates from the Canaries at run time, not
# what the vendor ships.  So the only CRDs the apply needs are Flagger's
# Canary and MetricTemplate, which e2e_world installs from manifests/crds
# as the agent's own install does.  Every object of the build must be
# created and the status must count them; then the environment's marks
# (mesh injection on the namespace, the Canary provider) are checked.
#
# Usage: envs.sh KUBESIM GITOPS-AGENT SOURCE-ROOT [GITOPS-AGENT-FOR-VALGRIND]
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/e2e/lib.sh
. "$here/lib.sh"
env=${E2E_ENV:?set E2E_ENV to kubernetes, istio or linkerd}

e2e_world
config_env "$env" 30s | set_config
want=$(built "$env")
start_agent agent.log

if wait_applied "$first" 60; then
	ok "$env: the first install succeeds"
else
	not_ok "$env: the first install succeeds" \
		"$(status_key lastAttemptReason): $(status_key lastAttemptMessage)"
	show_log 30
fi
expect "$env: the status counts every object of dist/app-$env created" \
	"$want created, 0 configured, 0 unchanged, 0 pruned, 0 failed" "$(status_key objects)"
missing=$(all_built)
result $? "$env: each of the $want objects of the build is in the cluster" "$missing"
expect "$env: kubectl finds as many objects as the build made" "$want" "$(grep -c . "$tmp/got")"
providers=$(k -n webapp get canaries.flagger.app -o jsonpath='{range .items[*]}{.spec.provider}{"\n"}{end}' | sort -u | tr '\n' ' ')
case $env in
kubernetes)
	expect "kubernetes: the namespace enforces the restricted Pod Security Standard" restricted \
		"$(k get ns webapp -o 'jsonpath={.metadata.labels.pod-security\.kubernetes\.io/enforce}')"
	expect "kubernetes: every Canary is routed by Kubernetes Services" "kubernetes " "$providers"
	;;
istio)
	expect "istio: the namespace asks for sidecar injection" enabled \
		"$(k get ns webapp -o 'jsonpath={.metadata.labels.istio-injection}')"
	expect "istio: every Canary is routed by Istio" "istio " "$providers"
	;;
linkerd)
	expect "linkerd: the namespace asks for proxy injection" enabled \
		"$(k get ns webapp -o 'jsonpath={.metadata.annotations.linkerd\.io/inject}')"
	expect "linkerd: every Canary is routed through the Gateway API" "gatewayapi:v1 " "$providers"
	k -n webapp get metrictemplates.flagger.app linkerd-success-rate linkerd-latency-p99 >/dev/null
	result $? "linkerd: the MetricTemplates the Canaries name are there" ""
	;;
esac
events_of | has '^Normal RevisionApplied$'
result $? "$env: a RevisionApplied Event" "$(events_of | sort | uniq -c | tr '\n' ' ')"

stop_agent "$env: the agent stops cleanly"
assert_no_secrets "$hook_token" "$token"
check_valgrind
stop_kubesim
rc=$?
if on_kubesim; then
	result $rc "kubesim stops cleanly" "$(kubesim_report)"
else
	result $rc "the cluster is left as found (namespaces deleted)"
fi
tap_end
