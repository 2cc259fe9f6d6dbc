#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# A small run of bench/kubesim-load.sh's driver as a test: 300 objects by
# server-side apply from 4 threads, 10 watchers that must each see all 50
# changes, a LIST that must hold every object.  Only the answers are
# checked, never the time (the benchmark reports that).
#
# Usage: load.sh KUBESIM DRIVER
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/kubesim/start.sh
. "$here/../kubesim/start.sh"
tmp=$(mktemp -d)
trap 'stop_kubesim; rm -rf "$tmp"' EXIT

start_kubesim_or_bail "$1"
if "$2" "$tmp/kubeconfig" 300 4 10 50 >"$tmp/out" 2>&1; then
	echo "ok 1 - 300 applied, 10 watchers saw all 50 changes, LIST holds all"
else
	echo "not ok 1 - 300 applied, 10 watchers saw all 50 changes, LIST holds all"
	sed 's/^/# /' "$tmp/out" | tail -20
fi
if stop_kubesim; then
	echo "ok 2 - kubesim stops cleanly on SIGTERM"
else
	echo "not ok 2 - kubesim stops cleanly on SIGTERM"
	kubesim_report
fi
echo "1..2"
