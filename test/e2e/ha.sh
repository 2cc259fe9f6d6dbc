#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Suite e2e: two replicas of `gitops-agent run` and the Lease
# gitops-agent-leader (TAP).  Exactly one replica leads and applies, the
# standby logs who leads and answers /readyz; a push webhook sent to the
# standby is handed to the leader and applied; the leader killed with
# SIGKILL is replaced by the standby once the lease expires, and it
# applies the next signed release; a leader stopped with SIGTERM
# releases the Lease, so the standby takes over at its next retry.
# World and helpers: test/e2e/lib.sh.
#
# Usage: ha.sh KUBESIM GITOPS-AGENT SOURCE-ROOT [GITOPS-AGENT-FOR-VALGRIND]
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/e2e/lib.sh
. "$here/lib.sh"

e2e_world
"$agent" run --help | has -- '--leader-elect\[=true|false\], --no-leader-elect'
result $? "run --help documents --leader-elect and --no-leader-elect" ""
"$agent" run --leader-elect=maybe --namespace "$ns" 2>"$tmp/usage.log"
expect "run --leader-elect=maybe: a usage error (exit 2)" 2 "$?"
has "unknown option or missing value: '--leader-elect=maybe'" "$tmp/usage.log"
result $? "run --leader-elect=maybe: the message names the option" "$(cat "$tmp/usage.log")"
start_replica agent-a
eventually 10 is_holder agent-a
result $? "the first replica takes the Lease" "holder '$(lease_holder)'"
start_replica agent-b
if eventually 60 is_status lastAttemptResult Succeeded; then
	ok "two replicas: the first install succeeds"
else
	not_ok "two replicas: the first install succeeds" "$(status_key lastAttemptMessage)"
	tail -n 20 "$tmp/agent-a.log" "$tmp/agent-b.log" | sed 's/^/# /'
	echo "Bail out! the rest needs a first install"
	exit 1
fi

# ---- exactly one leader --------------------------------------------------------
eventually 10 logged agent-b 'standby: agent-a leads'
result $? "the standby logs who leads" "$(tail -n 3 "$tmp/agent-b.log")"
logged agent-a 'became leader' && ! logged agent-b 'became leader'
result $? "exactly one replica became leader" ""
logged agent-a 'reconciled' && ! grep -q '"msg":"reconcil\|"msg":"applying' "$tmp/agent-b.log"
result $? "only the leader reconciles (the standby's log has no pass)" \
	"$(grep '"msg":"reconcil' "$tmp/agent-b.log" | head -2)"
expect "gitops_agent_leader is 1 on the leader" 1 "$(metric gitops_agent_leader "${rport[agent-a]}")"
expect "gitops_agent_leader is 0 on the standby" 0 "$(metric gitops_agent_leader "${rport[agent-b]}")"
ready=$(curl -s -w ' %{http_code}' "http://127.0.0.1:${rport[agent-b]}/readyz")
expect "/readyz on the standby: ready, and says who leads" "ok: standby, agent-a leads
 200" "$ready"
k -n "$ns" get events -o jsonpath='{range .items[*]}{.reason} {.message}{"\n"}{end}' |
	has '^LeaderElected agent-a became leader$'
result $? "a LeaderElected Event names the leader" ""

# ---- a push on the standby ---------------------------------------------------------
sed -i 's/newTag: v1.36.4/newTag: v1.36.5/' "$tmp/work/dist/base/kustomization.yaml"
signed 'vendor: envoy 1.36.5'
t0=$(date +%s%N)
expect "webhook to the standby: accepted" 200 "$(hook_to "${rport[agent-b]}")"
eventually 10 has_image ingress envoyproxy/envoy:v1.36.5
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
result $rc "webhook to the standby: the leader applies the release in ${ms} ms (interval 30s)" \
	"$(image_of ingress)"
logged agent-b 'standby: push handed to the leader' && logged agent-a 'a push reached the standby'
result $? "webhook to the standby: handed over through the status ConfigMap" ""
! grep -q '"msg":"reconcil' "$tmp/agent-b.log"
result $? "webhook to the standby: the standby itself applied nothing" ""

# ---- the leader killed -----------------------------------------------------------------
sed -i 's/newTag: v1.36.5/newTag: v1.36.6/' "$tmp/work/dist/base/kustomization.yaml"
signed 'vendor: envoy 1.36.6'
t0=$(date +%s%N)
kill -KILL "${rpid[agent-a]}"
wait "${rpid[agent-a]}" 2>/dev/null
eventually 25 logged agent-b 'became leader'
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
result $rc "SIGKILL of the leader: the standby leads after the lease expires (${ms} ms)" \
	"$(tail -n 3 "$tmp/agent-b.log")"
[[ $ms -ge 5000 ]]
result $? "SIGKILL of the leader: not before the lease could expire (lease 15s)" "${ms} ms"
expect "SIGKILL of the leader: the Lease names the new leader" agent-b "$(lease_holder)"
eventually 15 has_image ingress envoyproxy/envoy:v1.36.6
result $? "SIGKILL of the leader: the new leader applies the next signed release" "$(image_of ingress)"
expect "gitops_agent_leader is 1 on the new leader" 1 "$(metric gitops_agent_leader "${rport[agent-b]}")"

# ---- the leader stopped -----------------------------------------------------------------
start_replica agent-c
eventually 10 logged agent-c 'standby: agent-b leads'
result $? "a new replica stands by" "$(tail -n 3 "$tmp/agent-c.log")"
t0=$(date +%s%N)
kill -TERM "${rpid[agent-b]}"
wait "${rpid[agent-b]}"
code=$?
expect "SIGTERM of the leader: it exits 0" 0 "$code"
logged agent-b 'lease released'
result $? "SIGTERM of the leader: it releases the Lease" "$(tail -n 3 "$tmp/agent-b.log")"
eventually 6 logged agent-c 'became leader'
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
result $rc "SIGTERM of the leader: the standby leads at once (${ms} ms, lease 15s)" \
	"$(tail -n 3 "$tmp/agent-c.log")"
[[ $ms -lt $((6000 * slow)) ]]
result $? "SIGTERM of the leader: handover well under the lease duration" "${ms} ms"
eventually 20 is_status lastAttemptResult Succeeded
result $? "the new leader reconciles" "$(status_key lastAttemptMessage)"
k -n "$ns" get events -o jsonpath='{range .items[*]}{.reason} {.message}{"\n"}{end}' |
	has '^LeaderElected agent-c became leader$'
result $? "a LeaderElected Event for each leader" ""

# ---- a takeover while Git is down: the newest revision, never an older one -------------
start_replica agent-d
eventually 10 logged agent-d 'standby: agent-c leads'
result $? "another replica stands by" "$(tail -n 3 "$tmp/agent-d.log")"
sed -i 's/newTag: v1.36.6/newTag: v1.36.7/' "$tmp/work/dist/base/kustomization.yaml"
signed 'vendor: envoy 1.36.7'
latest=$(head_commit)
expect "webhook: accepted" 200 "$(hook_to "${rport[agent-c]}")"
eventually 10 has_image ingress envoyproxy/envoy:v1.36.7
result $? "the leader applies a release the standby has not seen" "$(image_of ingress)"
kill "$daemon_pid" 2>/dev/null
wait "$daemon_pid" 2>/dev/null
kill -TERM "${rpid[agent-c]}"
wait "${rpid[agent-c]}"
result $? "the leader stops cleanly"
# agent-d stood by while the release came: its mirror lacks the commit,
# so it can only try to build it again (and must not fall back further).
eventually 15 logged agent-d 'the last verified revision'
result $? "Git down at the takeover: the new leader turns to the last verified revision" \
	"$(tail -n 3 "$tmp/agent-d.log")"
grep '"msg":"[^"]*the last verified revision' "$tmp/agent-d.log" | has "main@sha1:$latest"
result $? "Git down at the takeover: that is the newest one the old leader applied (no rollback)" \
	"$(grep '"msg":"[^"]*the last verified revision' "$tmp/agent-d.log" | head -1)"
eventually 15 logged agent-d 'reconcile failed'
has_image ingress envoyproxy/envoy:v1.36.7
result $? "Git down at the takeover: after that pass the image is still the newest" "$(image_of ingress)"
kill -TERM "${rpid[agent-d]}"
wait "${rpid[agent-d]}"
result $? "the last replica stops cleanly"

for f in "$tmp"/agent-*.log; do
	python3 -c 'import json,sys
for l in open(sys.argv[1]): json.loads(l)
' "$f" 2>/dev/null || not_ok "logs: $f has a line that is not JSON" "$(grep -v '^{' "$f" | head -3)"
done
! grep -qF "$hook_token" "$tmp"/agent-*.log
result $? "logs: the webhook secret is in no log line" ""
check_valgrind "the agents"
stop_kubesim
result $? "kubesim stops cleanly" "$(kubesim_report)"
tap_end
