#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Suite e2e: the GitHub and GitLab push webhooks end to end (TAP); run.sh
# covers generic-hmac.  GitHub: the body's HMAC-SHA256 under the shared
# secret in X-Hub-Signature-256, the event in X-GitHub-Event; a push
# triggers a poll, a ping (what GitHub sends when the hook is created)
# is accepted without one.  GitLab: the secret itself in X-Gitlab-Token,
# the event in X-Gitlab-Event ("Push Hook").  The receiver's type and
# secret come from the configuration, switched by a ConfigMap change;
# the poll interval is an hour, so only a webhook can explain an apply.
#
# Usage: webhooks.sh KUBESIM GITOPS-AGENT SOURCE-ROOT [GITOPS-AGENT-FOR-VALGRIND]
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/e2e/lib.sh
. "$here/lib.sh"

github_secret=e2e-github-secret-$RANDOM$RANDOM
gitlab_secret=e2e-gitlab-token-$RANDOM$RANDOM
hook_config() {
	config 1h | sed "s|^  type: generic-hmac|  type: $1|; s|^  secretRef: webhook-token|  secretRef: $1-hook|"
}
kust=$tmp/work/dist/base/kustomization.yaml
tag=4
# release: a signed commit bumping envoy's tag; sets $rev.
release() {
	sed -i "s/newTag: v1.36.$tag\$/newTag: v1.36.$((tag + 1))/" "$kust"
	tag=$((tag + 1))
	signed "vendor: envoy v1.36.$tag"
	rev=$(head_commit)
}
# post URL-PATH BODY HEADER...: the HTTP status of a POST to the agent.
post() {
	local body=$1
	shift
	curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
		"$@" --data-binary "$body" "http://127.0.0.1:$port/hook"
}
hub_sig() { printf '%s' "$1" | openssl dgst -sha256 -hmac "${2:-$github_secret}" -r | cut -d' ' -f1; }
applied() { eventually "${1:-5}" has_image ingress "envoyproxy/envoy:v1.36.$tag"; }

e2e_world
make -n "$ns" secret generic github-hook --from-literal=token="$github_secret"
make -n "$ns" secret generic gitlab-hook --from-literal=token="$gitlab_secret"
hook_config github | set_config
start_agent agent.log
wait_applied "$first" 60
result $? "the first install succeeds" "$(status_key lastAttemptMessage)"

# ---- GitHub -------------------------------------------------------------------------------
push='{"ref":"refs/heads/main","repository":{"full_name":"vendor/app"}}'
ping='{"zen":"Keep it logically awesome.","hook_id":1}'
release
code=$(post "$ping" -H "X-GitHub-Event: ping" -H "X-Hub-Signature-256: sha256=$(hub_sig "$ping")")
expect "github: an authentic ping is accepted" 200 "$code"
! applied 3
result $? "github: a ping triggers no poll (nothing applied within 3 s)" "$(image_of ingress)"
grep -q '"msg":"webhook accepted, no poll","status":"200","event":"ping"' "$tmp/agent.log"
result $? "github: the log says the ping was accepted without a poll" "$(show_log 3)"
code=$(post "$push" -H "X-GitHub-Event: push" -H "X-Hub-Signature-256: sha256=$(hub_sig "$push" wrong)")
expect "github: a push signed with another secret gets 401" 401 "$code"
code=$(post "$push" -H "X-GitHub-Event: push")
expect "github: a push without X-Hub-Signature-256 gets 401" 401 "$code"
t0=$(date +%s%N)
code=$(post "$push" -H "X-GitHub-Event: push" -H "X-Hub-Signature-256: sha256=$(hub_sig "$push")")
expect "github: an authentic push is accepted" 200 "$code"
if applied; then
	ok "github: the push triggers a poll, the release applied in $((($(date +%s%N) - t0) / 1000000)) ms"
else
	not_ok "github: the push triggers a poll" "$(status_key lastAttemptMessage)"
	show_log
fi
wait_applied "$rev"
result $? "github: the status names the release" "$(status_key lastAppliedRevision)"

# ---- GitLab -------------------------------------------------------------------------------
passes=$(grep -c '"msg":"reconciled"' "$tmp/agent.log")
hook_config gitlab | set_config
eventually 10 bash -c "grep -c 'configuration from configmap .* in force' '$tmp/agent.log' | awk '{exit !(\$1 >= 2)}'"
result $? "gitlab: the receiver's new type is taken from the ConfigMap" "$(show_log 3)"
# A new configuration starts a pass at once: the release must come after
# it, or that pass (slow under valgrind) would take it up.
eventually 10 bash -c "grep -c '\"msg\":\"reconciled\"' '$tmp/agent.log' | awk '{exit !(\$1 > $passes)}'"
release
code=$(post "$push" -H "X-Gitlab-Event: Push Hook" -H "X-Gitlab-Token: $github_secret")
expect "gitlab: a wrong token gets 401" 401 "$code"
code=$(post "$push" -H "X-Gitlab-Event: Push Hook")
expect "gitlab: no token gets 401" 401 "$code"
code=$(post "$push" -H "X-GitHub-Event: push" -H "X-Hub-Signature-256: sha256=$(hub_sig "$push")")
expect "gitlab: a GitHub-signed push is refused once the type is gitlab" 401 "$code"
! applied 2
result $? "gitlab: none of them triggers a poll" "$(image_of ingress)"
t0=$(date +%s%N)
code=$(post "$push" -H "X-Gitlab-Event: Push Hook" -H "X-Gitlab-Token: $gitlab_secret")
expect "gitlab: an authentic Push Hook is accepted" 200 "$code"
if applied; then
	ok "gitlab: the Push Hook triggers a poll, the release applied in $((($(date +%s%N) - t0) / 1000000)) ms"
else
	not_ok "gitlab: the Push Hook triggers a poll" "$(status_key lastAttemptMessage)"
	show_log
fi
wait_applied "$rev"
result $? "gitlab: the status names the release" "$(status_key lastAppliedRevision)"
grep -q '"msg":"webhook triggered a poll","status":"200","event":"Push Hook"' "$tmp/agent.log"
result $? "gitlab: the log names the event" "$(show_log 3)"

stop_agent "the agent stops cleanly"
assert_no_secrets "$github_secret" "$gitlab_secret" "$hook_token" "$token"
check_valgrind
stop_kubesim
result $? "kubesim stops cleanly" "$(kubesim_report)"
tap_end
