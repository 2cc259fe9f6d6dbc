#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The README's main job on a fresh Debian bookworm machine: install the
# build dependencies, build gitops-agent, and run it: its command line, and
# the build of the vendor distribution it will deliver.  Later milestones
# turn this into the local demo (test cluster, signed vendor repository,
# live rollout).
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$src"
bash scripts/deps.sh </dev/null
if [[ ! -f build/build.ninja ]]; then
	meson setup build >/dev/null
fi
ninja -C build agent/gitops-agent >/dev/null
echo "\$ gitops-agent --help"
build/agent/gitops-agent --help
echo
echo "\$ gitops-agent version"
build/agent/gitops-agent version
echo
echo "\$ gitops-agent build dist/app-istio   # the vendor distribution for Istio clusters"
build/agent/gitops-agent build dist/app-istio
