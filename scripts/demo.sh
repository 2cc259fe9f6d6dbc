#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The README's main job, the local demo of issue 8, on a fresh Debian
# bookworm machine: install the build dependencies, build gitops-agent,
# then play a vendor release end to end on loopback.  The test world is
# kubesim (the Kubernetes API test server), a `git daemon` serving the
# vendor's repository (a copy of dist/ whose commits gpg signs) and the
# agent (`gitops-agent run`) configured by its ConfigMap: environment
# kubernetes, signatures verified with the vendor's key, a generic-hmac
# push webhook.  The demo shows the first install, a signed release (an
# image bump and a replica count) applied after the push webhook with the
# measured delay, and an unsigned commit refused with nothing applied.
# Every step is checked: the exit status is 0 only when each did what it
# says.  Everything started is stopped on exit; only the log directory it
# names at the end stays.
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$src"
bash scripts/deps.sh </dev/null
if [[ ! -f build/build.ninja ]]; then
	meson setup build >/dev/null
fi
ninja -C build agent/gitops-agent test/kubesim/kubesim >/dev/null
# A system python3 when there is one: a version manager's shim costs
# seconds a call, and the demo reads the API through it often.
py=$(command -v /usr/bin/python3 || command -v python3)

logs=$(mktemp -d "${TMPDIR:-/tmp}/gitops-agent-demo.XXXXXX")
tmp=$logs/world # the test world, removed on exit; $logs keeps the logs
mkdir "$tmp"
agent=$src/build/agent/gitops-agent
ns=gitops-system
daemon_pid=
agent_pid=
# shellcheck source=test/git/lib.sh
. test/git/lib.sh
# shellcheck source=test/kubesim/start.sh
. test/kubesim/start.sh
cleanup() {
	set +e # a server killed by its signal makes wait fail: stop the rest anyway
	[[ -n $agent_pid ]] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null
	[[ -n $daemon_pid ]] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
	stop_kubesim
	gpgconf --kill gpg-agent >/dev/null 2>&1
	cp "$tmp"/kubesim.log "$tmp"/git-daemon.* "$logs/" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

say() { printf '\n== %s\n' "$*"; }
run() {
	printf '$ %s\n' "$*"
	"$@"
}
fail() {
	printf '\nFAILED: %s\n' "$*"
	[[ -f $logs/agent.log ]] && tail -n 5 "$logs/agent.log"
	echo "logs: $logs"
	exit 1
}
# api PATH FIELD: FIELD (a dotted path) of the object at PATH, or empty.
api() {
	curl -sf --cacert "$tmp/ca.crt" -H "Authorization: Bearer $token" "$server$1" |
		"$py" -c 'import json, sys
o = json.load(sys.stdin)
for p in sys.argv[1].split("."):
    o = o[int(p)] if isinstance(o, list) else o.get(p) if isinstance(o, dict) else None
    if o is None:
        break
print("" if o is None else o)' "$2" 2>/dev/null || true
}
status_key() { api "/api/v1/namespaces/$ns/configmaps/gitops-agent-status" "data.$1"; }
deploy() { api "/apis/apps/v1/namespaces/webapp/deployments/$1" "$2"; }
image_of() { deploy "$1" spec.template.spec.containers.0.image; }
# until SECONDS COMMAND...: poll COMMAND every 0.1 s.
until_ok() {
	local limit=$(($1 * 10))
	shift
	for _ in $(seq "$limit"); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
is_status() { [[ $(status_key "$1") == "$2" ]]; }
workloads() {
	if command -v kubectl >/dev/null; then
		run kubectl --kubeconfig "$tmp/kubeconfig" -n webapp get deployments \
			-o custom-columns='NAME:.metadata.name,REPLICAS:.spec.replicas,IMAGE:.spec.template.spec.containers[0].image'
	else
		echo "the Deployments of namespace webapp, read from the API (no kubectl here):"
		printf '%-10s %-9s %s\n' NAME REPLICAS IMAGE
		for d in frontend backend cache database ingress tester; do
			printf '%-10s %-9s %s\n' "$d" "$(deploy "$d" spec.replicas)" "$(image_of "$d")"
		done
	fi
}
vendor_commit() {
	git -C "$tmp/work" add -A
	git -C "$tmp/work" "$@" -q
	git -C "$tmp/work" push -q origin main 2>/dev/null
	git -C "$tmp/work" log -1 --format='%h %s (signature: %G?)'
}
signed() { vendor_commit -c user.signingkey=vendor@example.com -c commit.gpgsign=true commit -m "$1"; }
unsigned() { vendor_commit -c commit.gpgsign=false commit -m "$1"; }
start=$(date +%s)

say "The vendor: a Git repository with dist/, every commit signed with the vendor's OpenPGP key"
git_sandbox
mkdir -m 700 "$GNUPGHOME"
gpg_gen --quick-gen-key 'Vendor Release <vendor@example.com>' ed25519 sign never ||
	fail "gpg cannot make the vendor's key"
gpg --armor --export vendor@example.com >"$tmp/vendor.asc"
git init -q --bare "$tmp/repos/vendor.git"
git clone -q "$tmp/repos/vendor.git" "$tmp/work" 2>/dev/null
cp -r dist "$tmp/work/"
signed 'vendor: the distribution'
first=$(git -C "$tmp/work" rev-parse HEAD)
start_git_daemon "$tmp/repos" || fail "git daemon does not start"
echo "served by git daemon at git://127.0.0.1:$daemon_port/vendor.git"

say "The provider's cluster: kubesim, the Kubernetes API test server, on 127.0.0.1"
start_kubesim build/test/kubesim/kubesim || fail "kubesim does not start: $(tail -3 "$tmp/kubesim.log")"
echo "kubesim at $server (kubeconfig $tmp/kubeconfig)"

say "Installing the agent's configuration: the vendor's key, the webhook secret, the ConfigMap"
hook_secret=demo-webhook-$RANDOM$RANDOM
mkdir "$tmp/install"
cp -r manifests/crds "$tmp/install/crds"
# The key's Secret is written out, not generated: kustomize wraps long
# base64 values, which kube-apiserver unwraps but kubesim keeps as sent.
printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: vendor-keys\ndata:\n  vendor.asc: %s\n' \
	"$(base64 -w0 "$tmp/vendor.asc")" >"$tmp/install/vendor-keys.yaml"
cat >"$tmp/install/agent.yaml" <<EOF
source:
  url: git://127.0.0.1:$daemon_port/vendor.git
  branch: main
  interval: 1m          # the webhook, not the poll, brings releases in
  timeout: 10s
  verify:                        # mode range (the default for a branch): every commit since
    keysSecretRef: vendor-keys   # the last applied one must be signed by one of these keys
environment: kubernetes          # dist/app-kubernetes
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
printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n' "$ns" >"$tmp/install/namespace.yaml"
sed 's/^/    /' "$tmp/install/agent.yaml"
"$agent" --log-format text apply --kubeconfig "$tmp/kubeconfig" "$tmp/install" >"$logs/install.log" 2>&1 ||
	fail "the configuration is not installed: $(tail -3 "$logs/install.log")"
tail -1 "$logs/install.log"

say "Starting the agent: gitops-agent run"
printf '$ gitops-agent run --kubeconfig %s --namespace %s --listen 127.0.0.1:0 2>%s\n' \
	"$tmp/kubeconfig" "$ns" "$logs/agent.log"
"$agent" run --kubeconfig "$tmp/kubeconfig" --namespace "$ns" --state-dir "$tmp/state" \
	--listen 127.0.0.1:0 2>"$logs/agent.log" &
agent_pid=$!
listening() { grep -q '"msg":"listening"' "$logs/agent.log"; }
until_ok 10 listening || fail "the agent does not listen"
port=$(sed -n 's/.*"msg":"listening".*"address":"127.0.0.1:\([0-9]*\)".*/\1/p' "$logs/agent.log" | head -1)
echo "webhook, /healthz, /readyz and /metrics on http://127.0.0.1:$port"

say "First install: the agent fetches, verifies, builds dist/app-kubernetes and applies it"
until_ok 60 is_status lastAttemptResult Succeeded ||
	fail "the first reconcile did not succeed: $(status_key lastAttemptMessage)"
[[ $(status_key lastAppliedRevision) == "main@sha1:$first" ]] ||
	fail "the status names $(status_key lastAppliedRevision), not main@sha1:$first"
run "$agent" status --kubeconfig "$tmp/kubeconfig" --namespace "$ns" || fail "gitops-agent status failed"
workloads
[[ $(image_of ingress) == envoyproxy/envoy:v1.36.4 ]] || fail "the ingress runs $(image_of ingress)"

say "A vendor release: Envoy v1.36.4 -> v1.36.5 and the ingress 2 -> 3 replicas, signed"
sed -i 's/newTag: v1.36.4/newTag: v1.36.5/' "$tmp/work/dist/base/kustomization.yaml"
sed -i 's/^  replicas: 2$/  replicas: 3/' "$tmp/work/dist/base/ingress/deployment.yaml"
git -C "$tmp/work" --no-pager diff --stat
signed 'vendor: envoy v1.36.5, three ingress replicas'
second=$(git -C "$tmp/work" rev-parse HEAD)
echo "push webhook: POST http://127.0.0.1:$port/hook (X-Signature: sha256=HMAC of the body)"
ms=$(KUBE_SERVER=$server KUBE_CA=$tmp/ca.crt KUBE_TOKEN=$token HOOK_SECRET=$hook_secret \
	"$py" bench/push_latency.py "http://127.0.0.1:$port/hook" 10 \
	/apis/apps/v1/namespaces/webapp/deployments/ingress spec.template.spec.containers.0.image \
	envoyproxy/envoy:v1.36.5 \
	/apis/apps/v1/namespaces/webapp/deployments/ingress spec.replicas 3) ||
	fail "the signed release was not applied within 10 s of the webhook"
echo ">>> applied ${ms} ms after the push webhook (the poll interval is 1m)"
until_ok 30 is_status lastAppliedRevision "main@sha1:$second" ||
	fail "the status does not name the release: $(status_key lastAppliedRevision)"
workloads
run "$agent" status --kubeconfig "$tmp/kubeconfig" --namespace "$ns" || fail "gitops-agent status failed"

say "An unsigned commit: Envoy v1.36.6 pushed without a signature"
sed -i 's/newTag: v1.36.5/newTag: v1.36.6/' "$tmp/work/dist/base/kustomization.yaml"
unsigned 'someone: envoy v1.36.6, not signed'
bad=$(git -C "$tmp/work" rev-parse HEAD)
sig=$(printf '%s' '{"ref":"refs/heads/main"}' | openssl dgst -sha256 -hmac "$hook_secret" -r | cut -d' ' -f1)
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "X-Signature: sha256=$sig" \
	--data-binary '{"ref":"refs/heads/main"}' "http://127.0.0.1:$port/hook")
[[ $code == 200 ]] || fail "the webhook answered $code"
until_ok 10 is_status lastAttemptReason Unsigned ||
	fail "the unsigned commit was not refused: $(status_key lastAttemptReason)"
[[ $(status_key lastAttemptMessage) == *"$bad"* ]] ||
	fail "the status does not name the refused commit: $(status_key lastAttemptMessage)"
set +e
run "$agent" status --kubeconfig "$tmp/kubeconfig" --namespace "$ns"
code=$?
set -e
[[ $code == 1 ]] || fail "gitops-agent status exits $code after a refused commit, not 1"
workloads
[[ $(image_of ingress) == envoyproxy/envoy:v1.36.5 ]] || fail "the ingress runs $(image_of ingress)"
[[ $(status_key lastAppliedRevision) == "main@sha1:$second" ]] ||
	fail "the applied revision changed to $(status_key lastAppliedRevision)"
echo ">>> refused: nothing applied, main@sha1:${second:0:12}... stays in force"

say "Stopping the agent (SIGTERM), the git daemon and kubesim"
kill -TERM "$agent_pid"
wait "$agent_pid" || fail "the agent did not stop cleanly"
agent_pid=
echo "done in $(($(date +%s) - start)) s; logs (agent.log is JSON lines): $logs"
