#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The agent's cost (issue 8): `gitops-agent run` with dist/app-kubernetes
# under management, in the test world of the e2e suite (kubesim, a git
# daemon serving a gpg-signed copy of dist/, a generic-hmac webhook).
# Prints, each with its target:
#   - resident memory after the first apply and after the idle period
#     (VmHWM, the peak, and VmRSS, from /proc);
#   - push webhook -> every changed object applied, over COMMITS signed
#     commits (an image bump and a replica count each): median, min and
#     max, timed from outside by bench/push_latency.py, which reads the
#     changed objects from the API server every 5 ms after the POST;
#   - the source process's peak memory (it lives for one pass);
#   - idle CPU: the agent's CPU seconds (its source processes' included)
#     over IDLE seconds with nothing to do (reconciles every INTERVAL),
#     as a percentage of one core;
#   - API requests while idle, from kubesim's audit counters: per idle
#     reconcile (the configuration poll's ConfigMap GET every 2 s taken
#     out), and all of them per minute, by verb and by resource.
# There is no Flux in this world to compare with in the same run, so the
# figures stand alone against the issue's targets.
#
# Usage: bench/agent.sh [BUILD_DIR] [COMMITS] [IDLE_SECONDS] [INTERVAL]
#        (build-release, 10, 60, 10s)
set -euo pipefail

# Environment: GA_AGENT and GA_KUBESIM, the programs to run instead of
# building them in BUILD_DIR (the quick run of the test suite does so).
if [[ -n ${GA_AGENT:-} && -n ${GA_KUBESIM:-} ]]; then
	src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	agent=$GA_AGENT
	kubesim=$GA_KUBESIM
else
	# shellcheck source=bench/common.sh
	source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
	ninja -C "$build" agent/gitops-agent test/kubesim/kubesim >/dev/null
	agent=$build/agent/gitops-agent
	kubesim=$build/test/kubesim/kubesim
fi
commits=${2:-10}
idle=${3:-60}
interval=${4:-10s}
# A system python3 when there is one (a version manager's shim costs
# seconds a call).
py=$(command -v /usr/bin/python3 || command -v python3)
ns=gitops-system
tmp=$(mktemp -d)
daemon_pid=
agent_pid=
# shellcheck source=test/git/lib.sh
source "$src/test/git/lib.sh"
# shellcheck source=test/kubesim/start.sh
source "$src/test/kubesim/start.sh"
cleanup() {
	set +e # a server killed by its signal makes wait fail
	[[ -n $agent_pid ]] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null
	[[ -n $daemon_pid ]] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
	stop_kubesim
	gpgconf --kill gpg-agent >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
die() {
	echo "agent.sh: $*" >&2
	tail -n 5 "$tmp/agent.log" >&2 2>/dev/null
	exit 1
}
kget() { curl -sf --cacert "$tmp/ca.crt" -H "Authorization: Bearer $token" "$server$1"; }
status_key() {
	kget "/api/v1/namespaces/$ns/configmaps/gitops-agent-status" |
		"$py" -c 'import json, sys; print(json.load(sys.stdin)["data"].get(sys.argv[1], ""))' "$1" 2>/dev/null
}
until_status() {
	for _ in $(seq "$(($1 * 10))"); do
		[[ $(status_key "$2") == "$3" ]] && return 0
		sleep 0.1
	done
	return 1
}
# mem: "VmHWM X MiB, VmRSS Y MiB (RssAnon A, RssFile F)" of the agent:
# RssFile is the shared libraries' pages, RssAnon the heap and stacks.
mem() {
	awk '{v[$1] = sprintf("%.1f", $2 / 1024)}
		END {printf "VmHWM %s MiB, VmRSS %s MiB (RssAnon %s, RssFile %s)",
			v["VmHWM:"], v["VmRSS:"], v["RssAnon:"], v["RssFile:"]}' \
		"/proc/$agent_pid/status"
}
vmhwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$agent_pid/status"; }
# The agent's CPU and its source processes' (reaped children).
cpu_ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$agent_pid/stat"; }
# The last source process's peak RSS, from the agent's /metrics.
source_rss() {
	curl -sf "http://127.0.0.1:$port/metrics" |
		awk '/^gitops_agent_source_process_peak_rss_bytes / {printf "%.1f MiB", $2 / 1048576}'
}
reconciles() { grep -c '"msg":"reconciled"' "$tmp/agent.log" || true; }
signed() {
	git -C "$tmp/work" add -A
	git -C "$tmp/work" -c user.signingkey=vendor@example.com -c commit.gpgsign=true \
		commit -q -m "$1"
	git -C "$tmp/work" push -q origin main 2>/dev/null
}

# ---- the test world ------------------------------------------------------------
git_sandbox
mkdir -m 700 "$GNUPGHOME"
gpg_gen --quick-gen-key 'Vendor Release <vendor@example.com>' ed25519 sign never
gpg --armor --export vendor@example.com >"$tmp/vendor.asc"
git init -q --bare "$tmp/repos/vendor.git"
git clone -q "$tmp/repos/vendor.git" "$tmp/work" 2>/dev/null
cp -r "$src/dist" "$tmp/work/"
signed 'vendor: the distribution'
start_git_daemon "$tmp/repos" || die "git daemon does not start"
start_kubesim "$kubesim" || die "kubesim does not start"
hook_secret=bench-webhook-$RANDOM$RANDOM
mkdir "$tmp/install"
cp -r "$src/manifests/crds" "$tmp/install/crds"
# The key's Secret is written out, not generated: kustomize wraps long
# base64 values, which kube-apiserver unwraps but kubesim keeps as sent.
printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: vendor-keys\ndata:\n  vendor.asc: %s\n' \
	"$(base64 -w0 "$tmp/vendor.asc")" >"$tmp/install/vendor-keys.yaml"
printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n' "$ns" >"$tmp/install/namespace.yaml"
cat >"$tmp/install/agent.yaml" <<EOF
source:
  url: git://127.0.0.1:$daemon_port/vendor.git
  branch: main
  interval: $interval
  timeout: 10s
  verify:
    keysSecretRef: vendor-keys
environment: kubernetes
webhook:
  type: generic-hmac
  secretRef: webhook-token
EOF
cat >"$tmp/install/kustomization.yaml" <<EOF
namespace: $ns
resources: [namespace.yaml, vendor-keys.yaml, crds]
generatorOptions: {disableNameSuffixHash: true}
secretGenerator:
  - {name: webhook-token, literals: [token=$hook_secret]}
configMapGenerator:
  - {name: gitops-agent, files: [agent.yaml]}
EOF
"$agent" apply --kubeconfig "$tmp/kubeconfig" "$tmp/install" >"$tmp/install.log" 2>&1 ||
	die "the configuration is not installed: $(tail -3 "$tmp/install.log")"
"$agent" run --kubeconfig "$tmp/kubeconfig" --namespace "$ns" --state-dir "$tmp/state" \
	--listen 127.0.0.1:0 2>"$tmp/agent.log" &
agent_pid=$!
for _ in $(seq 100); do
	grep -q '"msg":"listening"' "$tmp/agent.log" && break
	sleep 0.1
done
port=$(sed -n 's/.*"msg":"listening".*"address":"127.0.0.1:\([0-9]*\)".*/\1/p' "$tmp/agent.log" | head -1)
[[ -n $port ]] || die "the agent does not listen"
until_status 60 lastAttemptResult Succeeded || die "the first install failed: $(status_key lastAttemptMessage)"

echo "gitops-agent run, dist/app-kubernetes ($(status_key objects | cut -d, -f1)), interval $interval;"
echo "kubesim and git daemon on 127.0.0.1, the programs of $(basename "$(dirname "$(dirname "$agent")")"); no Flux in this world to compare with."
printf '%-48s %s\n' "resident memory after the first apply" "$(mem)   (target: VmRSS <= 16 MiB)"

# ---- push webhook -> applied -----------------------------------------------------
lat=()
for i in $(seq "$commits"); do
	tag=v1.37.$i
	sed -i "s/^    newTag: v1\.3[67]\.[0-9]*$/    newTag: $tag/" "$tmp/work/dist/base/kustomization.yaml"
	replicas=$((2 + i % 2))
	sed -i "s/^  replicas: [0-9]*$/  replicas: $replicas/" "$tmp/work/dist/base/ingress/deployment.yaml"
	signed "vendor: envoy $tag, $replicas ingress replicas"
	rev=main@sha1:$(git -C "$tmp/work" rev-parse HEAD)
	ms=$(KUBE_SERVER=$server KUBE_CA=$tmp/ca.crt KUBE_TOKEN=$token HOOK_SECRET=$hook_secret \
		"$py" "$src/bench/push_latency.py" "http://127.0.0.1:$port/hook" 30 \
		/apis/apps/v1/namespaces/webapp/deployments/ingress \
		spec.template.spec.containers.0.image "envoyproxy/envoy:$tag" \
		/apis/apps/v1/namespaces/webapp/deployments/ingress spec.replicas "$replicas") ||
		die "commit $i was not applied within 30 s of its webhook"
	lat+=("$ms")
	# The pass ends (health, status) before the next commit.
	until_status 60 lastAppliedRevision "$rev" || die "the status does not name $rev"
done
read -r med lo hi < <(printf '%s\n' "${lat[@]}" | sort -n |
	awk '{v[NR] = $1} END {m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[1], v[NR]}')
printf '%-48s %s\n' "push webhook -> applied, $commits signed commits" \
	"median $med ms (min $lo, max $hi)   (target: <= 1000 ms)"
echo "  (each: $(printf '%s ' "${lat[@]}")ms; last pass: $(status_key timings))"

# ---- idle ------------------------------------------------------------------------
sleep 1
kget /kubesim/audit >/dev/null
curl -sf --cacert "$tmp/ca.crt" -H "Authorization: Bearer $token" -X DELETE \
	"$server/kubesim/audit" >/dev/null
r0=$(reconciles)
c0=$(cpu_ticks)
t0=$(date +%s%N)
sleep "$idle"
c1=$(cpu_ticks)
t1=$(date +%s%N)
r1=$(reconciles)
hz=$(getconf CLK_TCK)
kget /kubesim/audit >"$tmp/audit.json"
"$py" - "$tmp/audit.json" "$((r1 - r0))" "$((c1 - c0))" "$hz" "$((t1 - t0))" <<'EOF'
import json, sys
audit = json.load(open(sys.argv[1]))
passes, ticks, hz, ns = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
secs = ns / 1e9
cpu = ticks / hz
print(f"{'idle CPU over %.0f s (%d reconciles)' % (secs, passes):<48} "
      f"{cpu:.2f} CPU s = {100 * cpu / secs:.2f} % of a core   (target: idle)")
total = audit["total"]
res = audit["resources"]
# Between passes the agent reads its ConfigMap every 2 s (CONFIG_POLL_MS
# in agent/run.c): those GETs are not the reconciles' own.
poll = int(secs // 2)
per = (total - poll) / passes if passes else float("nan")
print(f"{'API requests per idle reconcile':<48} {per:.1f}   "
      f"(+ about {poll} ConfigMap GETs of the configuration poll; "
      f"{total * 60 / secs:.0f} requests a minute in all)")
print("  by verb:", ", ".join(f"{k} {v}" for k, v in sorted(audit["verbs"].items())))
print("  by resource:", ", ".join(
    f"{r} " + "/".join(f"{k} {v}" for k, v in sorted(verbs.items()))
    for r, verbs in sorted(res.items(), key=lambda x: -sum(x[1].values()))))
EOF
hwm_before=$(vmhwm_kib)
printf '%-48s %s\n' "resident memory after the idle period" "$(mem)   (target: VmRSS <= 16 MiB)"
printf '%-48s %s\n' "  the source process (fetch, verify, build)" "peak VmHWM $(source_rss), for each pass only"
[[ $(reconciles) -gt 0 ]] || die "no reconcile logged"
[[ $hwm_before -gt 0 ]]
kill -TERM "$agent_pid"
wait "$agent_pid" || die "the agent did not stop cleanly"
agent_pid=
