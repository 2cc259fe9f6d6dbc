#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The install as a provider runs it, with the real kubectl, against kubesim
# (test/kubesim): `kubectl apply -k manifests --server-side` creates every
# object, the agent's Deployment rolls out, a second apply changes nothing
# (kubectl diff), the ConfigMap read back from the API is still accepted by
# the agent's parser, and `kubectl delete -k` removes it all.
#
# Usage: manifests-kubesim.sh ROOT KUBESIM CONFIG_CHECK      (TAP)
set -uo pipefail

root=$1 kubesim=$2 config_check=$3
for tool in kubectl diff; do
	if ! command -v $tool >/dev/null; then
		echo "1..0 # SKIP $tool is not installed"
		exit 0
	fi
done

if ! python3 -c 'import yaml' >/dev/null 2>&1; then
	echo "Bail out! python3 module yaml missing (Debian package python3-yaml)"
	exit 1
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/kubesim/start.sh
. "$here/../kubesim/start.sh"
tmp=$(mktemp -d)
trap 'stop_kubesim; rm -rf "$tmp"' EXIT

# shellcheck source=test/tap.sh
. "$here/../tap.sh"

start_kubesim_or_bail "$kubesim"
export KUBECONFIG=$tmp/kubeconfig KUBECACHEDIR=$tmp/cache
k() { kubectl --request-timeout=30s "$@"; }

want=$(kubectl kustomize "$root/manifests" | python3 -c '
import sys, yaml
for d in yaml.safe_load_all(sys.stdin):
    print(d["kind"] + "/" + d["metadata"]["name"])' | sort)
if out=$(k apply -k "$root/manifests" --server-side 2>&1); then
	ok "kubectl apply -k manifests --server-side"
else
	not_ok "kubectl apply -k manifests --server-side" "$out"
fi
expect "every object serverside-applied" "$(wc -l <<<"$want")" \
	"$(grep -c ' serverside-applied$' <<<"$out")"

got=$(k get -k "$root/manifests" -o jsonpath='{range .items[*]}{.kind}/{.metadata.name}{"\n"}{end}' 2>&1 | sort)
expect "kubectl get -k: every object of the build is stored" "$want" "$got"

if out=$(k -n gitops-system rollout status deployment/gitops-agent --timeout=30s 2>&1); then
	ok "the agent's Deployment rolls out"
else
	not_ok "the agent's Deployment rolls out" "$out"
fi
expect "2 replicas ready" "2" \
	"$(k -n gitops-system get deployment gitops-agent -o jsonpath='{.status.readyReplicas}')"
expect "the stored pod template keeps its hardening" "true false 65532 RuntimeDefault ALL" \
	"$(k -n gitops-system get deployment gitops-agent -o jsonpath='{.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem} {.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation} {.spec.template.spec.securityContext.runAsUser} {.spec.template.spec.securityContext.seccompProfile.type} {.spec.template.spec.containers[0].securityContext.capabilities.drop[0]}')"
expect "the Service answers on 80 for the pods' 8080" "80 http" \
	"$(k -n gitops-system get service gitops-agent -o jsonpath='{.spec.ports[0].port} {.spec.ports[0].targetPort}')"

# A second apply of the same build: nothing to change.
if out=$(k diff -k "$root/manifests" --server-side 2>&1); then
	ok "kubectl diff after the apply: no difference"
else
	not_ok "kubectl diff after the apply: no difference" "$out"
fi

# The configuration as the agent will read it: from the API.
if k -n gitops-system get configmap gitops-agent -o yaml >"$tmp/cm.yaml" 2>&1 &&
	out=$("$config_check" "$tmp/cm.yaml" gitops-system/gitops-agent 2>&1); then
	ok "the stored ConfigMap is accepted by the agent's parser"
else
	not_ok "the stored ConfigMap is accepted by the agent's parser" "$out$(cat "$tmp/cm.yaml")"
fi

if out=$(k delete -k "$root/manifests" --wait=false 2>&1); then
	ok "kubectl delete -k manifests"
else
	not_ok "kubectl delete -k manifests" "$out"
fi
expect "nothing of the install is left but the terminating namespace" "" \
	"$(k get clusterrole,clusterrolebinding,crd -o name 2>&1 | grep -E 'gitops-agent|flagger.app')"

if stop_kubesim; then
	ok "kubesim exits cleanly"
else
	not_ok "kubesim exits cleanly" "$(kubesim_report)"
fi
echo "1..$n"
((failed == 0))
