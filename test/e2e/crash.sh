#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Suite e2e: crash safety of `gitops-agent run` (TAP).  The agent killed
# with SIGKILL in the middle of an apply and started again converges:
# the release is applied whole, the object it added is in the inventory
# (a later release that drops it prunes it), nothing is orphaned; the
# same when the release that follows was pushed while the agent was
# down.  SIGTERM during an apply cancels the request in flight and the
# agent exits at once (well inside the pod's 30 s grace period).  kubesim
# stopped and started again with its --state: the agent keeps running
# (errors, backoff, no busy loop) and converges when the API server is
# back.  kubesim's fault rules hold the apply of one Deployment for
# seconds, so the kill lands mid-apply every time.  World and helpers:
# test/e2e/lib.sh.
#
# Usage: crash.sh KUBESIM GITOPS-AGENT SOURCE-ROOT [GITOPS-AGENT-FOR-VALGRIND]
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/e2e/lib.sh
. "$here/lib.sh"

# Plain HTTP without a token, so that a restarted kubesim (new port
# binding, same address) is reachable with the kubeconfig the agent read.
e2e_world --no-tls --state "$tmp/kubesim-state.json"
# faults JSON: kubesim's fault rules, replaced whole.
faults() {
	curl -s -o /dev/null -w '%{http_code}' -X PUT --data "$1" "$server/kubesim/faults"
}
# hold_ingress SECONDS: the next dry run of the ingress Deployment passes,
# its apply then waits SECONDS in kubesim.
hold_ingress() {
	local p=/apis/apps/v1/namespaces/webapp/deployments/ingress
	faults '{"rules":[{"action":"latency","method":"PATCH","path":"'$p'","latency":"1ms","next":1},
		{"action":"latency","method":"PATCH","path":"'$p'","latency":"'"$1"'s"}]}'
}
owned() { k -n webapp get configmaps -l gitops-agent.io/name=gitops-agent -o name 2>/dev/null | sort; }
has_extra() { k -n webapp get configmap crash-extra >/dev/null 2>&1; }
no_extra() { ! has_extra; }
tag() { sed -i "s/newTag: v1.36.[0-9]*/newTag: $1/" "$tmp/work/dist/base/ingress/../kustomization.yaml"; }
add_extra() {
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: crash-extra\ndata:\n  release: "%s"\n' \
		"$1" >"$tmp/work/dist/base/ingress/extra.yaml"
	sed -i 's/^resources: \[deployment.yaml, service.yaml, pdb.yaml\]$/resources: [deployment.yaml, service.yaml, pdb.yaml, extra.yaml]/' \
		"$tmp/work/dist/base/ingress/kustomization.yaml"
}
drop_extra() {
	rm -f "$tmp/work/dist/base/ingress/extra.yaml"
	sed -i 's/, extra.yaml\]$/]/' "$tmp/work/dist/base/ingress/kustomization.yaml"
}
# held: kubesim is holding the ingress apply now (the second rule fired).
held() { [[ $(curl -s "$server/kubesim/faults" | jq -r '.rules[1].fired') == 1 ]]; }
applied() { is_status lastAppliedRevision "main@sha1:$1" && is_status lastAttemptResult Succeeded; }

start_replica agent-x
if eventually 60 is_status lastAttemptResult Succeeded; then
	ok "first install succeeds"
else
	not_ok "first install succeeds" "$(status_key lastAttemptMessage)"
	show_log 20
	echo "Bail out! the rest needs a first install"
	exit 1
fi
baseline=$(owned)

# ---- SIGKILL mid-apply, then a restart ------------------------------------------------
tag v1.36.5
add_extra r2
signed 'vendor: envoy v1.36.5 and crash-extra'
r2=$(head_commit)
expect "hold: kubesim holds the ingress apply" 200 "$(hold_ingress 4)"
expect "webhook: accepted" 200 "$(hook_to "${rport[agent-x]}")"
eventually 10 held && has_extra
result $? "mid-apply: the new ConfigMap is created, the ingress apply held" "$(tail -n 3 "$tmp/agent-x.log")"
kill -KILL "${rpid[agent-x]}"
wait "${rpid[agent-x]}" 2>/dev/null
[[ $(image_of ingress) == envoyproxy/envoy:v1.36.4 ]] && ! is_status lastAppliedRevision "main@sha1:$r2"
result $? "SIGKILL mid-apply: the ingress not applied yet, no status of the release" \
	"$(image_of ingress) $(status_key lastAppliedRevision)"
# kubesim completes the write it was holding, as an API server does with a
# request whose client died; wait for it so that it cannot land later.
eventually 15 has_image ingress envoyproxy/envoy:v1.36.5
result $? "the dead agent's held write lands" "$(image_of ingress)"
expect "faults cleared" 200 "$(faults '{"rules":[]}')"
start_replica agent-x
eventually 30 applied "$r2"
result $? "restart: the agent converges on the release (status Succeeded)" \
	"$(status_key lastAttemptMessage)"
has_image ingress envoyproxy/envoy:v1.36.5 && has_extra
result $? "restart: every object of the release is there" "$(image_of ingress)"
drop_extra
signed 'vendor: crash-extra removed'
r3=$(head_commit)
expect "webhook: accepted" 200 "$(hook_to "${rport[agent-x]}")"
eventually 15 applied "$r3"
result $? "a later release is applied" "$(status_key lastAttemptMessage)"
no_extra
result $? "prune: the object created by the killed apply is pruned (it is in the inventory)" ""
expect "nothing orphaned: the agent's ConfigMaps are those of the first release" "$baseline" "$(owned)"

# ---- SIGKILL mid-apply, the next release pushed while the agent is down -----------
add_extra r4
tag v1.36.6
signed 'vendor: envoy v1.36.6, crash-extra again'
expect "hold: kubesim holds the ingress apply" 200 "$(hold_ingress 4)"
expect "webhook: accepted" 200 "$(hook_to "${rport[agent-x]}")"
eventually 10 held
result $? "mid-apply: the ingress apply is held" "$(tail -n 3 "$tmp/agent-x.log")"
has_extra
result $? "mid-apply: the new ConfigMap is created again" ""
kill -KILL "${rpid[agent-x]}"
wait "${rpid[agent-x]}" 2>/dev/null
eventually 15 has_image ingress envoyproxy/envoy:v1.36.6
result $? "the dead agent's held write lands" "$(image_of ingress)"
drop_extra
signed 'vendor: crash-extra gone for good'
r5=$(head_commit)
expect "faults cleared" 200 "$(faults '{"rules":[]}')"
start_replica agent-x
eventually 30 applied "$r5"
result $? "restart on a newer release: the agent converges" "$(status_key lastAttemptMessage)"
has_image ingress envoyproxy/envoy:v1.36.6
result $? "restart on a newer release: its objects are applied" "$(image_of ingress)"
no_extra
result $? "nothing orphaned: the object the killed apply created, gone from the newer release, is pruned" \
	"$(k -n webapp get configmap crash-extra -o jsonpath='{.metadata.labels}' 2>&1)"
expect "nothing orphaned: the agent's ConfigMaps are those of the release" "$baseline" "$(owned)"

# ---- SIGTERM during an apply ----------------------------------------------------------
tag v1.36.7
signed 'vendor: envoy v1.36.7'
r6=$(head_commit)
expect "hold: kubesim holds the ingress apply for 10 s" 200 "$(hold_ingress 10)"
expect "webhook: accepted" 200 "$(hook_to "${rport[agent-x]}")"
eventually 10 held
result $? "mid-apply: the ingress apply is held" "$(curl -s "$server/kubesim/faults")"
t0=$(date +%s%N)
kill -TERM "${rpid[agent-x]}"
wait "${rpid[agent-x]}"
code=$?
ms=$((($(date +%s%N) - t0) / 1000000))
expect "SIGTERM during an apply: exit 0" 0 "$code"
[[ $ms -lt $((3000 * slow)) ]]
result $? "SIGTERM during an apply: the request in flight is cancelled, exit in ${ms} ms (held 10 s, grace 30 s)" ""
expect "SIGTERM during an apply: the status says the pass was interrupted" Interrupted \
	"$(status_key lastAttemptReason)"
expect "faults cleared" 200 "$(faults '{"rules":[]}')"
start_replica agent-x
eventually 30 applied "$r6"
result $? "restart after SIGTERM: the agent converges" "$(status_key lastAttemptMessage)"
has_image ingress envoyproxy/envoy:v1.36.7
result $? "restart after SIGTERM: the release is applied" "$(image_of ingress)"

# ---- kubesim stopped and started again with its state ---------------------------------
pid=${rpid[agent-x]}
kubesim_stop
result $? "kubesim stops cleanly (and saves its state)" "$(kubesim_report)"
ticks0=$(cpu_ticks "$pid")
tag v1.36.8
signed 'vendor: envoy v1.36.8, pushed while the API server is down'
r7=$(head_commit)
eventually 20 logged agent-x 'lost leadership'
result $? "API server down: the leader stops leading after the renew deadline" "$(tail -n 3 "$tmp/agent-x.log")"
sleep 2
kill -0 "$pid" 2>/dev/null
result $? "API server down: the agent keeps running" ""
ticks=$(($(cpu_ticks "$pid") - ticks0))
[[ $ticks -lt $((150 * slow)) ]]
result $? "API server down: no busy loop (${ticks} CPU ticks over $(((($(date +%s%N) - t0) / 1000000000)))+ s)" ""
grep -q '"msg":"lease gitops-agent-leader: ' "$tmp/agent-x.log"
result $? "API server down: the failure is logged" ""
[[ $(grep -c '"msg":"lease gitops-agent-leader: ' "$tmp/agent-x.log") -le 2 ]]
result $? "API server down: the lease failure is logged once, not every retry" \
	"$(grep -c '"msg":"lease gitops-agent-leader: ' "$tmp/agent-x.log")"
kubesim_start --no-tls --state "$tmp/kubesim-state.json"
result $? "kubesim starts again on the same address with its state" "$(kubesim_report)"
eventually 30 applied "$r7"
result $? "API server back: the agent leads again and applies the release pushed meanwhile" \
	"$(status_key lastAttemptMessage) $(tail -n 3 "$tmp/agent-x.log")"
has_image ingress envoyproxy/envoy:v1.36.8
result $? "API server back: the new image is applied" "$(image_of ingress)"
expect "API server back: nothing orphaned" "$baseline" "$(owned)"
kill -TERM "$pid"
wait "$pid"
result $? "the agent stops cleanly" ""

for f in "$tmp"/agent-*.log; do
	python3 -c 'import json,sys
for l in open(sys.argv[1]): json.loads(l)
' "$f" 2>/dev/null || not_ok "logs: $f has a line that is not JSON" "$(grep -v '^{' "$f" | head -3)"
done
check_valgrind
stop_kubesim
result $? "kubesim stops cleanly" "$(kubesim_report)"
tap_end
