#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The apply engine's cost (issue 7): N objects over ten kinds applied to
# kubesim, then reconciled idle with the drift memo as the agent's loop
# does.  Prints the driver's figures (seconds, requests by kind, its peak
# resident memory) and kubesim's audit total, the server's own count of
# the requests.
#
# Usage: bench/apply.sh [BUILD_DIR] [N]   (build-release, 5000)
set -euo pipefail

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
n=${2:-5000}
ninja -C "$build" test/kubesim/kubesim bench/apply-bench >/dev/null
# shellcheck source=test/kubesim/start.sh
source "$src/test/kubesim/start.sh"
tmp=$(mktemp -d)
trap 'stop_kubesim; rm -rf "$tmp"' EXIT

start_kubesim "$build/test/kubesim/kubesim"
"$build/bench/apply-bench" "$tmp/kubeconfig" "$n"
curl -sf --cacert "$tmp/ca.crt" -H "Authorization: Bearer $token" \
	"$server/kubesim/audit" |
	python3 -c 'import json,sys; print("kubesim_audit_total", json.load(sys.stdin)["total"])'
