#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Checks the agent's install (manifests/, issue 8) on what kubectl builds
# from it, as strategies.sh checks the distribution:
#   - `kubectl kustomize manifests` builds, and `gitops-agent build
#     manifests` prints the same bytes;
#   - the objects an install needs are there, in gitops-system;
#   - the Deployment: 2 replicas, non-root 65532, read-only root filesystem
#     with emptyDirs for /var/lib/gitops-agent and /tmp only, ALL
#     capabilities dropped, no privilege escalation, seccomp RuntimeDefault,
#     /healthz and /readyz probes on 8080, requests and limits fit for a
#     16 MiB agent, POD_NAMESPACE/POD_NAME from the downward API, a grace
#     period, the `run` arguments, a pinned image;
#   - the Service (80 -> 8080), the NetworkPolicy (ingress 8080 only; egress
#     DNS, API server, Git ports, analysis; no allow-all), the PDB;
#   - RBAC: no wildcard, no escalate/bind/impersonate, Secrets and Leases
#     only in gitops-system (Secrets read one by one, the Lease renewed by
#     name), every kind of every dist/app-* build and every kind the rollout
#     engine creates covered, each rule of rbac.yaml explained by a comment;
#   - the ConfigMap's agent.yaml accepted by the agent's own parser
#     (config-check, ga_config_from_configmap), and a broken one refused.
# --self-test plants a mistake of each kind in a copy of the build and
# expects each to be caught.
#
# Usage: test/dist/manifests.sh ROOT GITOPS_AGENT CONFIG_CHECK [--self-test]
#        (KUBECTL=PATH picks the kubectl, default the one on PATH)
# Output is TAP.  Without kubectl: "1..0 # SKIP".  Needs python3-yaml.
set -uo pipefail

if (($# < 3)); then
	echo "usage: manifests.sh ROOT GITOPS_AGENT CONFIG_CHECK [--self-test]" >&2
	exit 2
fi
kubectl=${KUBECTL:-kubectl}
if ! command -v "$kubectl" >/dev/null 2>&1; then
	echo "1..0 # SKIP kubectl not found (kubectl kustomize builds the manifests)"
	exit 0
fi
if ! python3 -c 'import yaml' >/dev/null 2>&1; then
	echo "Bail out! python3 module yaml missing (Debian package python3-yaml)"
	exit 1
fi
exec python3 "$(dirname "${BASH_SOURCE[0]}")/manifests_policy.py" "$@" "$kubectl"
