#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# kubesim under load (issue 6), through our own Kubernetes client: N
# ConfigMaps applied by server-side apply from 8 threads, then W watchers
# while 200 objects change (a GET timed after each change: does kubesim
# stay responsive?), and a LIST of all.  kubesim runs over HTTPS with its
# token on 127.0.0.1, as in the tests.  Prints the driver's figures and
# kubesim's peak resident memory.  There is no kube-apiserver on these
# machines to compare with: the figures stand alone.
#
# Usage: bench/kubesim-load.sh [BUILD_DIR] [N] [W]   (build-release, 5000, 50)
set -euo pipefail

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
n=${2:-5000}
watchers=${3:-50}
ninja -C "$build" test/kubesim/kubesim bench/kubesim-load >/dev/null
# shellcheck source=test/kubesim/start.sh
source "$src/test/kubesim/start.sh"
tmp=$(mktemp -d)
trap 'stop_kubesim; rm -rf "$tmp"' EXIT

start_kubesim "$build/test/kubesim/kubesim"
"$build/bench/kubesim-load" "$tmp/kubeconfig" "$n" 8 "$watchers" 200
awk '/^VmHWM/ {printf "kubesim_peak_rss_mib %.1f\n", $2 / 1024}' \
	"/proc/$kubesim_pid/status"
