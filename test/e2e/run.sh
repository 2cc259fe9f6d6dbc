#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Suite e2e: `gitops-agent run` end to end (TAP).  The test world is
# kubesim, a `git daemon` on 127.0.0.1 serving a copy of dist/ whose
# commits real gpg signs, and the real agent binary configured by its
# ConfigMap.  Scenarios, in order: first install of dist/app-kubernetes;
# a signed vendor commit (an image bump) applied within seconds of a push
# webhook; webhook refusals and the rate limit; an unsigned commit refused
# (nothing applied, the status says why), then a signed commit on top of
# it refused too (the default verification of a branch, range, checks
# every commit since the applied one), and the vendor's recovery: main
# force-pushed back to the applied commit plus a new signed one, which is
# applied (a fast-forward from what was applied); an invalid configuration
# rejected with the old one kept, then a valid change taken; drift
# corrected; a new revision preempting a health wait; prune of an object
# the vendor removed; the Git server down (the last revision kept and
# applied again); metrics, `gitops-agent status`, logs and SIGTERM; then
# --once, a mounted configuration file with SIGHUP, and Git credentials
# (HTTP basic auth) from a Secret.  No secret may appear in any log line.
# Everything listens on loopback and is stopped on exit.  With
# KUBESIM_VALGRIND=1 kubesim and the agent run under valgrind and the
# waits are longer.
#
# Usage: run.sh KUBESIM GITOPS-AGENT SOURCE-ROOT [GITOPS-AGENT-FOR-VALGRIND]
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/e2e/lib.sh
. "$here/lib.sh"

e2e_world --image-profile 'envoy:stuck$=never-ready'
start_agent agent.log

# ---- first install -----------------------------------------------------------
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")
expect "/healthz answers 200" 200 "$code"
if eventually 60 is_status lastAttemptResult Succeeded; then
	ok "first install: the first reconcile succeeds"
else
	not_ok "first install: the first reconcile succeeds" "$(status_key lastAttemptMessage)"
	show_log 30
	echo "Bail out! the rest needs a first install"
	exit 1
fi
expect "first install: the status names the signed revision" \
	"main@sha1:$first" "$(status_key lastAppliedRevision)"
objects=$(status_key objects)
[[ $objects == "24 created, 0 configured, 0 unchanged, 0 pruned, 0 failed" ]]
result $? "first install: every object of dist/app-kubernetes created" "$objects"
check "first install: the Deployments are there" "$(k -n webapp get deploy 2>&1 | head -3)" \
	has_image ingress envoyproxy/envoy:v1.36.4
status_key lastAppliedSigner | has 'Vendor Release <vendor@example.com> (openpgp [0-9A-F]\{40\})'
result $? "first install: the status names the verified signer" "$(status_key lastAppliedSigner)"
[[ $(status_key timings) =~ ^fetch=[0-9]+ms\ verify=[0-9]+ms\ build=[0-9]+ms\ apply\+prune=[0-9]+ms\ health=[0-9]+ms\ total=[0-9]+ms$ ]]
result $? "first install: per-stage timings" "$(status_key timings)"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")
expect "/readyz answers 200 after the first reconcile" 200 "$code"
k -n "$ns" get events -o jsonpath='{range .items[*]}{.reason} {.involvedObject.name}{"\n"}{end}' |
	has '^RevisionApplied gitops-agent-status$'
result $? "first install: a RevisionApplied Event on the status ConfigMap" ""
k -n webapp get deploy ingress -o jsonpath='{.metadata.labels}' | has '"gitops-agent.io/name":"gitops-agent"'
result $? "first install: objects carry the owner labels" ""

# ---- a signed vendor release through the webhook ---------------------------------
sed -i 's/newTag: v1.36.4/newTag: v1.36.5/' "$tmp/work/dist/base/kustomization.yaml"
signed 'vendor: envoy v1.36.5'
second=$(head_commit)
t0=$(date +%s%N)
expect "webhook: an authentic push is accepted" 200 "$(hook)"
if eventually 5 has_image ingress envoyproxy/envoy:v1.36.5; then
	ms=$((($(date +%s%N) - t0) / 1000000))
	ok "webhook: the signed image bump is applied ${ms} ms after the push (interval 30s)"
else
	not_ok "webhook: the signed image bump is applied within 5 s of the push" "$(status_key lastAttemptMessage)"
	show_log
fi
eventually 5 is_status lastAppliedRevision "main@sha1:$second"
result $? "webhook: the status names the new revision" "$(status_key lastAppliedRevision)"

# ---- webhook refusals and the rate limit ---------------------------------------
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "X-Signature: sha256=$(printf '%064d' 0)" \
	--data-binary '{}' "http://127.0.0.1:$port/hook")
expect "webhook: a wrong signature gets 401" 401 "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'X-Signature: sha256=zz' \
	--data-binary '{}' "http://127.0.0.1:$port/hook")
expect "webhook: a malformed signature gets 400" 400 "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary '{}' "http://127.0.0.1:$port/hook")
expect "webhook: a missing signature gets 401" 401 "$code"
head -c $((2 << 20)) /dev/zero | tr '\0' a >"$tmp/big"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary @"$tmp/big" "http://127.0.0.1:$port/hook")
expect "webhook: a body over the cap gets 413" 413 "$code"
# Forty at once: one after another, an agent under valgrind answers so
# slowly that the bucket refills between them.
codes=$(seq 40 | xargs -P 40 -I{} curl -s -o /dev/null -w '%{http_code}\n' -X POST \
	-H 'X-Signature: sha256=00' --data-binary '{}' "http://127.0.0.1:$port/hook")
grep -q '^429$' <<<"$codes"
result $? "webhook: a burst of requests meets 429 (token bucket)" "$(sort <<<"$codes" | uniq -c | tr '\n' ' ')"
sleep 4 # the bucket refills

# ---- an unsigned commit ------------------------------------------------------------
sed -i 's/newTag: v1.36.5/newTag: v1.36.6/' "$tmp/work/dist/base/kustomization.yaml"
unsigned 'someone: envoy v1.36.6, not signed'
bad=$(head_commit)
expect "unsigned: the push is accepted by the receiver" 200 "$(hook)"
if eventually 10 is_status lastAttemptReason Unsigned; then
	ok "unsigned: the status says the revision was refused as Unsigned"
else
	not_ok "unsigned: the status says the revision was refused as Unsigned" \
		"$(status_key lastAttemptReason): $(status_key lastAttemptMessage)"
	show_log
fi
status_key lastAttemptMessage | has "$bad"
result $? "unsigned: the message names the refused commit" "$(status_key lastAttemptMessage)"
expect "unsigned: nothing of it is applied" envoyproxy/envoy:v1.36.5 "$(image_of ingress)"
expect "unsigned: the last applied revision stays" "main@sha1:$second" "$(status_key lastAppliedRevision)"
k -n "$ns" get events -o jsonpath='{range .items[*]}{.type} {.reason}{"\n"}{end}' | has '^Warning Unsigned$'
result $? "unsigned: a Warning Event says why" ""

# ---- a signed commit on top of the unsigned one, and the recovery ----------------
# The configuration names no verify.mode: range is the default for a
# branch, so the unsigned commit stays in every range from $second.
sed -i 's/newTag: v1.36.6/newTag: v1.36.7/' "$tmp/work/dist/base/kustomization.yaml"
signed 'vendor: envoy v1.36.7, signed, on top of the unsigned commit'
on_top=$(head_commit)
hook >/dev/null
# (lastAttemptRevision names a revision once it is verified only: the
# message names the refused one.)
on_top_refused() {
	is_status lastAttemptReason Unsigned && [[ $(status_key lastAttemptMessage) == *"$on_top"* ]]
}
eventually 10 on_top_refused
result $? "signed on top: refused as Unsigned (the default mode checks the range)" \
	"$(status_key lastAttemptReason): $(status_key lastAttemptMessage)"
msg=$(status_key lastAttemptMessage)
[[ $msg == *"$on_top"*"Unsigned: commit $bad"* ]]
result $? "signed on top: the message names the new revision and the unsigned commit in its range" "$msg"
expect "signed on top: nothing of it is applied" envoyproxy/envoy:v1.36.5 "$(image_of ingress)"
# The vendor's way out: main back to the last applied (signed) commit, a
# new signed commit on top, force-pushed.
git -C "$tmp/work" reset -q --hard "$second"
sed -i 's/newTag: v1.36.5/newTag: v1.36.6/' "$tmp/work/dist/base/kustomization.yaml"
git -C "$tmp/work" add -A
git -C "$tmp/work" -c user.signingkey=vendor@example.com -c commit.gpgsign=true \
	commit -qm 'vendor: envoy v1.36.6, signed, on the last applied commit'
recovered=$(head_commit)
git -C "$tmp/work" push -qf origin main 2>/dev/null
result $? "recovery: the vendor force-pushes main to $second plus a signed commit" ""
hook >/dev/null
wait_applied "$recovered"
result $? "recovery: the new signed commit is applied (a fast-forward from $second)" \
	"$(status_key lastAttemptRevision) $(status_key lastAttemptReason): $(status_key lastAttemptMessage)"
expect "recovery: the ingress runs its image" envoyproxy/envoy:v1.36.6 "$(image_of ingress)"
status_key lastAppliedSigner | has 'Vendor Release <vendor@example.com>'
result $? "recovery: the status names the vendor as its signer" "$(status_key lastAppliedSigner)"

# ---- configuration: an invalid change, then a valid one ---------------------------
config banana | set_config
if eventually 10 bash -c "kubectl --kubeconfig $tmp/kubeconfig -n $ns get cm gitops-agent-status -o jsonpath='{.data.configError}' | grep 'source.interval' >/dev/null"; then
	ok "config: an invalid change is rejected and the status names the key"
else
	not_ok "config: an invalid change is rejected and the status names the key" "$(status_key configError)"
	show_log
fi
status_key configError | has '^configmap gitops-system/gitops-agent:[0-9]*: source.interval'
result $? "config: the message is ORIGIN:LINE: KEY" "$(status_key configError)"
grep -q '"msg":"configuration rejected, the previous one stays in force' "$tmp/agent.log"
result $? "config: the rejection is logged" ""
events() { k -n "$ns" get events -o jsonpath='{range .items[*]}{.type} {.reason}{"\n"}{end}'; }
events | has '^Warning ConfigRejected$'
result $? "config: a Warning Event ConfigRejected" "$(events | sort | uniq -c | tr '\n' ' '; grep 'not recorded' "$tmp/agent.log" | tail -2)"
# The old configuration still works: a signed fix is applied after a hook.
sed -i 's/newTag: v1.36.6/newTag: v1.36.5/' "$tmp/work/dist/base/kustomization.yaml"
signed 'vendor: back to a signed head'
third=$(head_commit)
hook >/dev/null
eventually 10 is_status lastAppliedRevision "main@sha1:$third"
result $? "config: the old configuration stays in force (a signed commit is applied)" \
	"$(status_key lastAppliedRevision)"
config 3s | set_config
eventually 10 bash -c "! kubectl --kubeconfig $tmp/kubeconfig -n $ns get cm gitops-agent-status -o jsonpath='{.data}' | grep configError >/dev/null"
result $? "config: a valid change is taken and the error cleared" "$(status_key configError)"

# ---- drift -----------------------------------------------------------------------------
k -n webapp set image deployment/ingress '*=envoyproxy/envoy:drifted' >/dev/null
has_image ingress envoyproxy/envoy:drifted
result $? "drift: an edit by hand lands" "$(image_of ingress)"
if eventually 10 has_image ingress envoyproxy/envoy:v1.36.5; then
	ok "drift: corrected within an interval (3s)"
else
	not_ok "drift: corrected within an interval (3s)" "$(image_of ingress)"
	show_log
fi

# ---- an idle pass reads health from the drift memo's LISTs ---------------------------
# After a full pass past the correction, passes change nothing: the LIST of
# each kind that shows an object unchanged also gives its health, so no
# workload is read on its own.
reconciled() { grep -c '"msg":"reconciled"' "$tmp/agent.log"; }
seen=$(reconciled)
eventually 15 bash -c "[[ \$(grep -c '\"msg\":\"reconciled\"' $tmp/agent.log) -ge $((seen + 1)) ]]"
kubesim_audit() { curl -sf --cacert "$tmp/ca.crt" -H "Authorization: Bearer $token" "$@" "$server/kubesim/audit"; }
kubesim_audit -X DELETE >/dev/null
seen=$(reconciled)
eventually 20 bash -c "[[ \$(grep -c '\"msg\":\"reconciled\"' $tmp/agent.log) -ge $((seen + 2)) ]]"
result $? "idle: two passes complete" "$(tail -n 2 "$tmp/agent.log")"
kubesim_audit | python3 -c '
import json, sys
res = json.load(sys.stdin)["resources"]
gets = {r: v.get("get", 0) for r, v in res.items()
        if r.split(".")[0] in ("deployments", "services", "poddisruptionbudgets",
                               "horizontalpodautoscalers", "canaries")}
print(gets)
sys.exit(1 if any(gets.values()) or not res.get("deployments.apps", {}).get("list") else 0)' >"$tmp/idle-gets.txt"
result $? "idle: health comes from the LISTs, no workload is read by GET" "$(cat "$tmp/idle-gets.txt")"

# ---- a new revision preempts a health wait --------------------------------------------
sed -i 's/newTag: v1.36.5/newTag: stuck/' "$tmp/work/dist/base/kustomization.yaml"
signed 'vendor: a release that never becomes ready'
hook >/dev/null
eventually 10 has_image ingress envoyproxy/envoy:stuck
result $? "preempt: a release that never becomes ready is applied" "$(image_of ingress)"
sleep 1 # the agent waits for its health
# Pushed without a webhook: the wait's own poll of the remote (every 5 s)
# finds it.
sed -i 's/newTag: stuck/newTag: v1.36.4/' "$tmp/work/dist/base/kustomization.yaml"
signed 'vendor: a fix, no webhook'
eventually $((10 * slow)) has_image ingress envoyproxy/envoy:v1.36.4
result $? "preempt: a fix pushed without a webhook is applied (the wait polls the remote)" "$(image_of ingress)"
grep -q '"msg":"reconcile preempted: a new revision is on the remote' "$tmp/agent.log"
result $? "preempt: that health wait was cut short by the new revision on the remote" \
	"$(grep -c preempted "$tmp/agent.log")"
sed -i 's/newTag: v1.36.4/newTag: stuck/' "$tmp/work/dist/base/kustomization.yaml"
signed 'vendor: stuck again'
hook >/dev/null
eventually 10 has_image ingress envoyproxy/envoy:stuck
result $? "preempt: stuck again" "$(image_of ingress)"
sleep 1 # the agent waits for its health
sed -i 's/newTag: stuck/newTag: v1.36.5/' "$tmp/work/dist/base/kustomization.yaml"
signed 'vendor: the fix'
fix=$(head_commit)
t0=$(date +%s%N)
hook >/dev/null
if eventually 5 has_image ingress envoyproxy/envoy:v1.36.5; then
	ok "preempt: the fix is applied $((($(date +%s%N) - t0) / 1000000)) ms after its push webhook"
else
	not_ok "preempt: the fix is applied within 5 s of its push webhook" "$(image_of ingress)"
	show_log
fi
grep -q '"msg":"reconcile preempted: a push came' "$tmp/agent.log"
result $? "preempt: the push webhook cut the health wait short" "$(grep -c preempted "$tmp/agent.log")"
eventually 10 is_status lastAppliedRevision "main@sha1:$fix"
result $? "preempt: the fix is the applied revision" "$(status_key lastAppliedRevision)"

# ---- prune ------------------------------------------------------------------------------
sed -i 's/, pdb.yaml\]/]/' "$tmp/work/dist/base/ingress/kustomization.yaml"
signed 'vendor: the ingress needs no PodDisruptionBudget'
fourth=$(head_commit)
hook >/dev/null
pdb_gone() { ! k -n webapp get pdb ingress >/dev/null 2>&1; }
if eventually 10 pdb_gone; then
	ok "prune: the object the vendor removed is deleted"
else
	not_ok "prune: the object the vendor removed is deleted" "$(status_key objects)"
	show_log
fi
eventually 5 is_status lastAppliedRevision "main@sha1:$fourth"
check "prune: the status counts it" "$(status_key objects)" \
	bash -c "kubectl --kubeconfig $tmp/kubeconfig -n $ns get cm gitops-agent-status -o jsonpath='{.data.objects}' | grep ', 1 pruned' >/dev/null"
k -n webapp get pdb frontend >/dev/null 2>&1
result $? "prune: the other objects stay" ""

# ---- the Git server down ------------------------------------------------------------------
kill "$daemon_pid" 2>/dev/null
wait "$daemon_pid" 2>/dev/null
daemon_pid=
if eventually 15 is_status lastAttemptReason FetchFailed; then
	ok "git down: the status says the fetch failed"
else
	not_ok "git down: the status says the fetch failed" "$(status_key lastAttemptReason)"
	show_log
fi
expect "git down: the last applied revision stays" "main@sha1:$fourth" "$(status_key lastAppliedRevision)"
k -n webapp set image deployment/ingress '*=envoyproxy/envoy:drifted' >/dev/null
if eventually 15 has_image ingress envoyproxy/envoy:v1.36.5; then
	ok "git down: drift is still corrected from the last verified revision"
else
	not_ok "git down: drift is still corrected from the last verified revision" "$(image_of ingress)"
	show_log
fi

# ---- metrics, status command, logs, shutdown --------------------------------------------
curl -s "http://127.0.0.1:$port/metrics" >"$tmp/metrics"
for want in \
	'gitops_agent_reconcile_duration_seconds_bucket{result="success",le="+Inf"}' \
	"gitops_agent_applied_revision_info{revision=\"main@sha1:$fourth\"" \
	'gitops_agent_verification_failures_total{reason="Unsigned"}' \
	'gitops_agent_reconcile_failures_total{stage="fetch",reason="FetchFailed"}' \
	'gitops_agent_objects_total{outcome="pruned"} 1' \
	'gitops_agent_config_rejections_total 1' \
	'gitops_agent_webhook_requests_total{code="429"}'; do
	grep -qF "$want" "$tmp/metrics"
	result $? "metrics: $want" "$(grep -c . "$tmp/metrics") lines"
done
"$agent" status --kubeconfig "$tmp/kubeconfig" --namespace "$ns" >"$tmp/status.out" 2>&1
code=$?
grep -q "Applied revision: *main@sha1:$fourth" "$tmp/status.out" &&
	grep -q 'Last attempt: *Failed in fetch (FetchFailed)' "$tmp/status.out"
result $? "status: prints the revision and the last attempt" "$(head -5 "$tmp/status.out")"
expect "status: exits 1 while the last attempt failed" 1 "$code"
! grep -qF "$hook_token" "$tmp/agent.log"
result $? "logs: the webhook secret is in no log line" ""
python3 -c 'import json,sys
for l in open(sys.argv[1]): json.loads(l)
' "$tmp/agent.log" 2>/dev/null
result $? "logs: every line is a JSON object (no stray output, no sanitizer report)" \
	"$(grep -v '^{' "$tmp/agent.log" | head -5)"
t0=$(date +%s%N)
kill -TERM "$agent_pid"
wait "$agent_pid"
code=$?
agent_pid=
ms=$((($(date +%s%N) - t0) / 1000000))
[[ $code -eq 0 && $ms -lt $((3000 * slow)) ]]
result $? "SIGTERM: the agent stops cleanly in ${ms} ms" "exit $code"
"${wrapper[@]}" "$agent" run --once --kubeconfig "$tmp/kubeconfig" --namespace "$ns" \
	--state-dir "$tmp/state" --listen 127.0.0.1:0 2>"$tmp/once.log"
code=$?
grep -q '"reason":"FetchFailed"' "$tmp/once.log" && grep -q 'applying the last verified revision' "$tmp/once.log"
result $? "--once: one pass, the last revision applied while Git is down" "$(tail -3 "$tmp/once.log")"
expect "--once: exits 1 when the pass failed" 1 "$code"
# ---- a mounted configuration file and SIGHUP -------------------------------------------
config 1h >"$tmp/agent.yaml"
"${wrapper[@]}" "$agent" run --config "$tmp/agent.yaml" --kubeconfig "$tmp/kubeconfig" \
	--namespace "$ns" --state-dir "$tmp/state" --listen 127.0.0.1:0 2>"$tmp/file.log" &
agent_pid=$!
file_read() { grep -q "configuration from $tmp/agent.yaml in force" "$tmp/file.log"; }
eventually 20 file_read
result $? "file: the configuration is read from the mounted file" "$(tail -3 "$tmp/file.log")"
sed -i 's/interval: 1h/interval: soon/' "$tmp/agent.yaml"
kill -HUP "$agent_pid"
rejected() { grep -q "configuration rejected, the previous one stays in force: $tmp/agent.yaml:[0-9]*: source.interval" "$tmp/file.log"; }
eventually 3 rejected
result $? "SIGHUP: the file is read at once, an invalid one rejected (the file poll is 30s)" \
	"$(tail -3 "$tmp/file.log")"
kill -TERM "$agent_pid"
wait "$agent_pid"
result $? "SIGHUP: the agent still stops cleanly"
agent_pid=
! grep -qF "$hook_token" "$tmp/file.log" "$tmp/once.log"
result $? "logs: the webhook secret is in no log line of the other runs" ""
# ---- Git credentials from a Secret (HTTP basic auth) -------------------------------------
password=e2e-git-pass-$RANDOM$RANDOM
httpd_pid=
if start_httpd "$tmp/repos" "$tmp/http" --basic "vendor:$password"; then
	make -n "$ns" secret generic vendor-git --from-literal=username=vendor \
		--from-literal=password="$password"
	config 1h | sed "s|url: .*|url: http://127.0.0.1:$hport/vendor.git|; s|timeout: 5s|&\n  secretRef: vendor-git|" \
		>"$tmp/http.yaml"
	"${wrapper[@]}" "$agent" run --once --config "$tmp/http.yaml" --kubeconfig "$tmp/kubeconfig" \
		--namespace "$ns" --state-dir "$tmp/state" --listen 127.0.0.1:0 2>"$tmp/http-once.log"
	result $? "credentials: --once over HTTP basic auth from Secret vendor-git succeeds" \
		"$(tail -3 "$tmp/http-once.log")"
	expect "credentials: the newest signed revision stays applied" "main@sha1:$fourth" "$(status_key lastAppliedRevision)"
	make -n "$ns" secret generic vendor-git --from-literal=username=vendor \
		--from-literal=password="wrong-$password"
	"${wrapper[@]}" "$agent" run --once --config "$tmp/http.yaml" --kubeconfig "$tmp/kubeconfig" \
		--namespace "$ns" --state-dir "$tmp/state" --listen 127.0.0.1:0 2>>"$tmp/http-once.log"
	code=$?
	[[ $code -eq 1 ]] && is_status lastAttemptReason AuthenticationFailed
	result $? "credentials: a wrong password is refused (AuthenticationFailed)" \
		"exit $code, $(status_key lastAttemptReason): $(status_key lastAttemptMessage)"
	! grep -qF "$password" "$tmp/http-once.log"
	result $? "credentials: no password in any log line" ""
	kill "$httpd_pid" 2>/dev/null
	wait "$httpd_pid" 2>/dev/null
	httpd_pid=
else
	skip "credentials: HTTP basic auth" "lighttpd does not start: $(tail -2 "$tmp/http.err")"
fi

assert_no_secrets "$hook_token" "${password:-}" "$token"
check_valgrind
stop_kubesim
result $? "kubesim stops cleanly" "$(kubesim_report)"
tap_end
