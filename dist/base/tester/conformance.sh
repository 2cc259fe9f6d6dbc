#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# conformance HOST: the acceptance test a new version of a service must pass
# before it receives any traffic (the pre-rollout hook of its Canary). HOST is
# the Service of the new version, <service>-canary. Exit status 0 = pass.
set -eu
base="http://${1:?usage: conformance HOST}"
curl -fsS --max-time 5 "$base/healthz" >/dev/null
curl -fsS --max-time 5 "$base/readyz" >/dev/null
# It names the version it runs.
curl -fsS --max-time 5 "$base/version" | jq -e '.version | length > 0' >/dev/null
echo "conformance: $1 passed"
