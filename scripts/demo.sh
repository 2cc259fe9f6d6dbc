#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The README's main job on a fresh Debian bookworm machine: install the
# build dependencies, build gitops-agent, and run it: its command line,
# the build of the vendor distribution it delivers, and that distribution
# applied to kubesim (the Kubernetes API test server, on 127.0.0.1 only,
# stopped at the end): diff, apply, wait for health, re-apply with nothing
# to write.  Issue 8 turns this into the full local demo (signed vendor
# repository, the agent's loop, push webhook, live rollout).
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$src"
bash scripts/deps.sh </dev/null
if [[ ! -f build/build.ninja ]]; then
	meson setup build >/dev/null
fi
ninja -C build agent/gitops-agent test/kubesim/kubesim >/dev/null
echo "\$ gitops-agent --help"
build/agent/gitops-agent --help
echo
echo "\$ gitops-agent version"
build/agent/gitops-agent version
echo
echo "\$ gitops-agent build dist/app-istio   # the vendor distribution for Istio clusters"
build/agent/gitops-agent build dist/app-istio

# The distribution for plain Kubernetes clusters, with the CRDs its
# Canaries need, applied to kubesim.
tmp=$(mktemp -d)
# shellcheck source=test/kubesim/start.sh
. test/kubesim/start.sh
trap 'stop_kubesim; rm -rf "$tmp"' EXIT
cp -r dist manifests "$tmp/"
mkdir "$tmp/cluster"
printf 'resources:\n  - ../manifests/crds\n  - ../dist/app-kubernetes\n' \
	>"$tmp/cluster/kustomization.yaml"
start_kubesim build/test/kubesim/kubesim
agent=(build/agent/gitops-agent --log-format text)
echo
echo "\$ kubesim --listen 127.0.0.1:0 ...   # the test cluster, at $server"
echo
echo "\$ gitops-agent diff dist/app-kubernetes | head -20   # an empty cluster: every object is new"
"${agent[@]}" diff --kubeconfig "$tmp/kubeconfig" "$tmp/cluster" | head -20 || true
echo "..."
echo
echo "\$ gitops-agent apply --wait dist/app-kubernetes"
"${agent[@]}" apply --wait --timeout 2m --kubeconfig "$tmp/kubeconfig" "$tmp/cluster"
echo
echo "\$ gitops-agent apply dist/app-kubernetes   # again: nothing to write"
"${agent[@]}" apply --kubeconfig "$tmp/kubeconfig" "$tmp/cluster" | tail -3
