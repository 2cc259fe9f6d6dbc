#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Suite e2e: revisions the agent must not apply (TAP).  A force-push:
# the vendor rewrites main with a signed commit that does not descend
# from the applied one; with no verify.mode in the configuration (range
# for a branch: the mode that checks history, lib/include/ga/gitverify.h)
# it is refused as NonFastForward, while an explicit `head` (Flux's check
# of the tip alone) takes it, as that mode promises no more.  Then broken
# manifests in signed commits:
# a Deployment the API server refuses (a changed selector, immutable), and a file that is
# not YAML: nothing of either is applied, the status names the file and
# the object, a Warning Event says why, and the next good commit
# recovers.
#
# Usage: refusals.sh KUBESIM GITOPS-AGENT SOURCE-ROOT [GITOPS-AGENT-FOR-VALGRIND]
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/e2e/lib.sh
. "$here/lib.sh"

mode_config() { config 30s | sed "s|^    keysSecretRef:|    mode: $1\n&|"; }
kust=$tmp/work/dist/base/kustomization.yaml
bump() { sed -i "s/newTag: $1/newTag: $2/" "$kust"; }

# e2e_world's configuration names no verify.mode: the default is tested.
e2e_world
live_config() { k -n "$ns" get configmap gitops-agent -o 'jsonpath={.data.agent\.yaml}'; }
live_config | has 'keysSecretRef: vendor-keys' && ! live_config | has 'mode:'
result $? "the configuration leaves verify.mode to its default" "$(live_config)"
start_agent agent.log
wait_applied "$first" 60
result $? "default mode: the first install succeeds" "$(status_key lastAttemptMessage)"

# ---- a force-push ------------------------------------------------------------------
bump v1.36.4 v1.36.5
signed 'vendor: envoy v1.36.5'
second=$(head_commit)
hook >/dev/null
wait_applied "$second"
result $? "default mode: a fast-forward is applied" "$(status_key lastAttemptMessage)"
git -C "$tmp/work" reset -q --hard "$first"
bump v1.36.4 v1.36.6
git -C "$tmp/work" add -A
git -C "$tmp/work" -c user.signingkey=vendor@example.com -c commit.gpgsign=true \
	commit -qm 'vendor: main rewritten'
rewritten=$(head_commit)
git -C "$tmp/work" push -qf origin main 2>/dev/null
result $? "force-push: the vendor rewrites main (signed, not a descendant of $second)" ""
hook >/dev/null
if eventually 10 is_status lastAttemptReason NonFastForward; then
	ok "force-push: refused as NonFastForward by the default mode (range)"
else
	not_ok "force-push: refused as NonFastForward by the default mode (range)" \
		"$(status_key lastAttemptReason): $(status_key lastAttemptMessage)"
	show_log
fi
msg=$(status_key lastAttemptMessage)
[[ $msg == *"$rewritten"*"does not descend from"*"$second"* ]]
result $? "force-push: the message names both commits and why" "$msg"
expect "force-push: nothing of it is applied" envoyproxy/envoy:v1.36.5 "$(image_of ingress)"
expect "force-push: the last applied revision stays" "main@sha1:$second" "$(status_key lastAppliedRevision)"
events_of | has '^Warning NonFastForward$'
result $? "force-push: a Warning Event says why" "$(events_of | sort | uniq -c | tr '\n' ' ')"
mode_config head | set_config
if eventually 10 has_image ingress envoyproxy/envoy:v1.36.6; then
	ok "force-push: mode head (the tip's signature only) takes the rewritten main"
else
	not_ok "force-push: mode head (the tip's signature only) takes the rewritten main" \
		"$(status_key lastAttemptReason): $(status_key lastAttemptMessage)"
fi
wait_applied "$rewritten"
result $? "force-push: ... and the status names it" "$(status_key lastAppliedRevision)"

# ---- an object the API server refuses ----------------------------------------------------
# A new selector for the tester: valid alone, but a Deployment's selector
# is immutable, so kube-apiserver (and kubesim) answer 422 Invalid.
good=$(image_of ingress)
deploy=dist/base/tester/deployment.yaml
cp "$tmp/work/$deploy" "$tmp/deployment.yaml.good"
sed -i 's/^spec:$/&\n  selector: {matchLabels: {tier: test}}/
	s/^  template:$/&\n    metadata: {labels: {tier: test}}/' "$tmp/work/$deploy"
bump v1.36.6 v1.36.7
signed 'vendor: a new selector for the tester'
invalid=$(head_commit)
hook >/dev/null
if eventually 10 is_status lastAttemptReason ApplyFailed; then
	ok "invalid object: the apply fails"
else
	not_ok "invalid object: the apply fails" "$(status_key lastAttemptReason): $(status_key lastAttemptMessage)"
	show_log
fi
fobj=$(status_key failedObjects)
[[ $fobj == *"Deployment/webapp/tester"*"$deploy"*"spec.selector"*immutable* ]]
result $? "invalid object: failedObjects names the object, its file and the field" "$fobj"
msg=$(status_key lastAttemptMessage)
[[ $msg == *"$deploy"*"Deployment webapp/tester"*"spec.selector"* ]]
result $? "invalid object: the attempt's message names the file, the object and the field" "$msg"
expect "invalid object: nothing of the revision is applied (its image bump neither)" \
	"$good" "$(image_of ingress)"
expect "invalid object: the last applied revision stays" "main@sha1:$rewritten" \
	"$(status_key lastAppliedRevision)"
expect "invalid object: the attempt names the revision" "main@sha1:$invalid" \
	"$(status_key lastAttemptRevision)"
events_of | has '^Warning ApplyFailed$'
result $? "invalid object: a Warning Event ApplyFailed" "$(events_of | sort | uniq -c | tr '\n' ' ')"

# ---- YAML that does not parse ---------------------------------------------------------------
cp "$tmp/deployment.yaml.good" "$tmp/work/$deploy"
printf 'broken: [unclosed\n' >>"$tmp/work/$deploy"
signed 'vendor: a file that is not YAML'
hook >/dev/null
if eventually 10 is_status lastAttemptReason BuildFailed; then
	ok "bad YAML: the build fails"
else
	not_ok "bad YAML: the build fails" "$(status_key lastAttemptReason): $(status_key lastAttemptMessage)"
	show_log
fi
status_key lastAttemptMessage | has "$deploy"
result $? "bad YAML: the message names the file" "$(status_key lastAttemptMessage)"
expect "bad YAML: nothing is applied" "$good" "$(image_of ingress)"
events_of | has '^Warning BuildFailed$'
result $? "bad YAML: a Warning Event BuildFailed" "$(events_of | sort | uniq -c | tr '\n' ' ')"

# ---- the next good commit recovers ----------------------------------------------------------
cp "$tmp/deployment.yaml.good" "$tmp/work/$deploy"
signed 'vendor: the fix'
fixed=$(head_commit)
hook >/dev/null
wait_applied "$fixed"
result $? "recovery: the next good commit is applied" \
	"$(status_key lastAttemptReason): $(status_key lastAttemptMessage)"
expect "recovery: with the bump the broken commits carried" envoyproxy/envoy:v1.36.7 "$(image_of ingress)"
[[ -z $(status_key failedObjects) ]]
result $? "recovery: no failed object is listed any more" "$(status_key failedObjects)"

stop_agent "the agent stops cleanly"
assert_no_secrets "$hook_token" "$token"
check_valgrind
stop_kubesim
result $? "kubesim stops cleanly" "$(kubesim_report)"
tap_end
