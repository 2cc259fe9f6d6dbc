# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
#
# The e2e suite's test world, sourced by its scripts with the script's
# arguments: KUBESIM GITOPS-AGENT SOURCE-ROOT [GITOPS-AGENT-FOR-VALGRIND].
# kubesim, a `git daemon` on 127.0.0.1 serving a copy of dist/ whose
# commits real gpg signs (the vendor's work tree is $tmp/work), the real
# agent binary configured by its ConfigMap, and the helpers the scenarios
# share.  Everything listens on loopback and is stopped on exit.  With
# KUBESIM_VALGRIND=1 the agent runs under valgrind and waits ($slow) are
# ten times longer.
# shellcheck disable=SC2034 # variables the sourcing script reads
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/git/lib.sh
. "$here/../git/lib.sh"
# shellcheck source=test/kubesim/start.sh
. "$here/../kubesim/start.sh"
kubesim=$1
agent=$(realpath "$2")
src=$3
tmp=$(mktemp -d)
# Under AddressSanitizer: libgit2's own leak on a failed ssh:// connect
# (lsan-libgit2.supp says which).
export LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}print_suppressions=0:suppressions=$here/lsan-libgit2.supp
daemon_pid=
agent_pid=
httpd_pid=
cleanup() {
	local p
	# Only children still running: a pid waited for may be another's now.
	for p in $(jobs -pr); do
		[[ $p == "${kubesim_pid:-}" ]] || { kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; }
	done
	stop_kubesim
	gpgconf --kill gpg-agent >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
git_sandbox
ns=gitops-system
hook_token=e2e-webhook-token-$RANDOM$RANDOM
slow=1
wrapper=()
if [[ ${KUBESIM_VALGRIND:-} == 1 ]]; then
	slow=10
	agent=$(realpath "${4:-$2}")
	# The agent only: its source processes, which run the library's Git
	# code that the git suite's valgrind runs cover, are checked by the
	# sanitizer build's runs (libgit2 1.5's own leak on a failed ssh://
	# connect aside, lsan-libgit2.supp).
	wrapper=(valgrind --error-exitcode=99 --leak-check=full
		--errors-for-leak-kinds=definite --show-leak-kinds=definite --quiet
		--log-file="$tmp/agent-vg.%p.log")
fi

# result RC NAME [DETAIL]: ok when RC (the check just made) is 0.
result() {
	local rc=$1
	shift
	if [[ $rc -eq 0 ]]; then ok "$1"; else not_ok "$1" "${2:-}"; fi
}
k() { kubectl --kubeconfig "$tmp/kubeconfig" "$@"; }
# has GREP-ARGS...: grep that reads all its input, so that the command
# before it in a pipeline never dies of SIGPIPE (pipefail would fail it).
has() { grep "$@" >/dev/null; }
# make ARGS...: `kubectl create ARGS` written by apply (kubesim refuses
# the protobuf bodies `kubectl create` sends).
make() { k create "$@" --dry-run=client -o yaml | k apply -f - >/dev/null; }
status_key() { k -n "$ns" get configmap gitops-agent-status -o "jsonpath={.data.$1}" 2>/dev/null; }
image_of() { k -n webapp get deployment "$1" -o 'jsonpath={.spec.template.spec.containers[0].image}' 2>/dev/null; }
# eventually SECONDS COMMAND...: COMMAND succeeds within SECONDS (times
# $slow), polled every 0.2 s.
eventually() {
	local limit=$(($1 * slow * 5))
	shift
	for _ in $(seq "$limit"); do
		"$@" && return 0
		sleep 0.2
	done
	return 1
}
is_status() { [[ $(status_key "$1") == "$2" ]]; }
has_image() { [[ $(image_of "$1") == "$2" ]]; }
show_log() { tail -n "${1:-15}" "$tmp/agent.log" | sed 's/^/# /'; }
# hook: POST a generic-hmac push to the agent; prints the HTTP status.
hook() {
	local body='{"ref":"refs/heads/main"}' sig
	sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$hook_token" -r | cut -d' ' -f1)
	curl -s -o /dev/null -w '%{http_code}' -X POST -H "X-Signature: sha256=$sig" \
		--data-binary "$body" "http://127.0.0.1:$port/hook"
}
# vendor COMMIT-ARGS...: commit in the vendor's work tree and push.
vendor() {
	git -C "$tmp/work" add -A &&
		git -C "$tmp/work" "$@" -q &&
		git -C "$tmp/work" push -q origin main 2>/dev/null
}
signed() { vendor -c user.signingkey=vendor@example.com -c commit.gpgsign=true commit -m "$1"; }
unsigned() { vendor -c commit.gpgsign=false commit -m "$1"; }
head_commit() { git -C "$tmp/work" rev-parse HEAD; }
config() {
	cat <<-YAML
		source:
		  url: git://127.0.0.1:$daemon_port/vendor.git
		  branch: main
		  interval: $1
		  timeout: 5s
		  verify:
		    keysSecretRef: vendor-keys
		environment: kubernetes
		webhook:
		  type: generic-hmac
		  secretRef: webhook-token
	YAML
}
set_config() {
	make -n "$ns" configmap gitops-agent --from-file=agent.yaml=/dev/stdin
}

# e2e_world [KUBESIM-ARGS...]: the vendor's key and signed repository
# (the first commit in $first), the git daemon, kubesim with the CRDs,
# the agent's namespace, its Secrets and a configuration polling every 30s.
e2e_world() {
	mkdir -m 700 "$GNUPGHOME"
	gpg_gen --quick-gen-key 'Vendor Release <vendor@example.com>' ed25519 sign never
	gpg --armor --export vendor@example.com >"$tmp/vendor.asc"
	git init -q --bare "$tmp/repos/vendor.git"
	git clone -q "$tmp/repos/vendor.git" "$tmp/work" 2>/dev/null
	cp -r "$src/dist" "$tmp/work/"
	signed 'vendor: the distribution'
	first=$(head_commit)
	start_git_daemon "$tmp/repos" || { echo "Bail out! git daemon does not start"; exit 1; }
	start_kubesim_or_bail "$kubesim" "$@"
	make namespace "$ns"
	k apply -k "$src/manifests/crds" >/dev/null
	make -n "$ns" secret generic vendor-keys --from-file=vendor.asc="$tmp/vendor.asc"
	make -n "$ns" secret generic webhook-token --from-literal=token="$hook_token"
	config 30s | set_config
}

# start_agent LOG [ARGS...]: `gitops-agent run` in the background (under
# valgrind with KUBESIM_VALGRIND=1), its stderr in $tmp/LOG; sets
# agent_pid and port (read from its "listening" line), and bails out
# when it does not listen.
start_agent() {
	local log=$tmp/$1
	shift
	"${wrapper[@]}" "$agent" run --kubeconfig "$tmp/kubeconfig" --namespace "$ns" \
		--state-dir "$tmp/state" --listen 127.0.0.1:0 "$@" 2>"$log" &
	agent_pid=$!
	if ! eventually 10 grep -q '"msg":"listening"' "$log"; then
		echo "Bail out! the agent does not listen"
		tail -n 15 "$log" | sed 's/^/# /'
		exit 1
	fi
	port=$(sed -n 's/.*"msg":"listening".*"address":"127.0.0.1:\([0-9]*\)".*/\1/p' "$log" | head -1)
}

# ---- helpers of the scenario scripts envs.sh, customize.sh, refusals.sh,
# webhooks.sh ------------------------------------------------------------------

# built ENV-OR-PATH: what the agent's build engine makes of a path of the
# vendor's work tree (dist/app-ENV for an environment name), in
# $tmp/built.yaml; prints how many objects it holds.
built() {
	local path=$1
	[[ $path == */* ]] || path=dist/app-$path
	"$agent" build "$tmp/work/$path" >"$tmp/built.yaml" || return 1
	grep -c '^kind:' "$tmp/built.yaml"
}
# all_built: every object of $tmp/built.yaml exists in the cluster (kubectl
# gets each by kind, namespace and name); prints the ones missing.
all_built() {
	k get -f "$tmp/built.yaml" -o name >"$tmp/got" 2>"$tmp/got.err"
	local rc=$?
	grep -v '^$' "$tmp/got.err" | head -5
	return $rc
}
# wait_applied COMMIT: the status names COMMIT as applied and the last
# attempt succeeded.
wait_applied() {
	eventually "${2:-20}" is_status lastAppliedRevision "main@sha1:$1" &&
		eventually 10 is_status lastAttemptResult Succeeded
}
# config_env ENV INTERVAL [CUSTOMIZE-FILE]: config INTERVAL for
# environment ENV (or `path: P` when ENV has a slash), with the provider's
# customize section from CUSTOMIZE-FILE.
config_env() {
	local env=$1 sel
	[[ $env == */* ]] && sel="path: $env" || sel="environment: $env"
	config "$2" | sed "s|^environment: kubernetes\$|$sel|"
	[[ -z ${3:-} ]] || cat "$3"
}
events_of() {
	k -n "$ns" get events -o jsonpath='{range .items[*]}{.type} {.reason}{"\n"}{end}'
}
# assert_no_secrets SECRET...: no log of the script (the agents' and
# kubesim's $tmp/*.log, valgrind's, the git daemon's and lighttpd's)
# holds any of the SECRETs; one TAP point.
assert_no_secrets() {
	local s f found='' logs=()
	for f in "$tmp"/*.log "$tmp"/*.err "$tmp"/git-daemon.*; do
		[[ -f $f ]] && logs+=("$f")
	done
	for s in "$@"; do
		[[ -n $s ]] || continue
		for f in "${logs[@]}"; do
			grep -qF -- "$s" "$f" && found+="${f##*/} "
		done
	done
	[[ -z $found ]]
	result $? "logs: none of $# secrets in any of ${#logs[@]} logs" "found in: $found"
}

# assert_json_log FILE: every line of the agent's log FILE is a JSON
# object (no stray output, no sanitizer report); one TAP point.
assert_json_log() {
	python3 -c 'import json,sys
for l in open(sys.argv[1]): json.loads(l)
' "$1" 2>/dev/null
	result $? "logs: every line of ${1##*/} is a JSON object" "$(grep -v '^{' "$1" | head -5)"
}

# ---- an existing cluster instead of kubesim ---------------------------------------
# With E2E_KUBECONFIG=FILE (CI's Kind job) the scripts that support it
# (envs.sh) run against that cluster: e2e_world copies the kubeconfig
# instead of starting kubesim, waits are five times longer (images are
# pulled, pods really start), and the end of the script deletes the two
# namespaces it made so that the next script starts from a fresh
# cluster.  Checks only kubesim can answer go under `on_kubesim`.
on_kubesim() { [[ -z ${E2E_KUBECONFIG:-} ]]; }
if ! on_kubesim; then
	slow=$((slow * 5))
	start_kubesim_or_bail() {
		cp "$E2E_KUBECONFIG" "$tmp/kubeconfig" || { echo "Bail out! no $E2E_KUBECONFIG"; exit 1; }
		server='' token='' kubesim_pid=''
	}
	stop_kubesim() {
		[[ -f $tmp/kubeconfig ]] || return 0
		k delete namespace webapp "$ns" --ignore-not-found --wait=true --timeout=120s >/dev/null
	}
	kubesim_report() { :; }
fi

# ---- replicas and restarts (ha.sh, crash.sh) ---------------------------------
# start_replica NAME [ARGS...]: start_agent as the pod NAME (POD_NAME, the
# Lease holder identity), with its own state directory and the log
# $tmp/NAME.log; its pid and port in ${rpid[NAME]} and ${rport[NAME]}.
declare -A rpid rport
start_replica() {
	local name=$1
	shift
	POD_NAME=$name start_agent "$name.log" --state-dir "$tmp/state-$name" "$@"
	rpid[$name]=$agent_pid
	rport[$name]=$port
}
# logged NAME MSG-REGEX: the replica's log has a line whose msg matches.
logged() { grep -q "\"msg\":\"$2" "$tmp/$1.log"; }
lease_holder() {
	k -n "$ns" get lease gitops-agent-leader -o 'jsonpath={.spec.holderIdentity}' 2>/dev/null
}
is_holder() { [[ $(lease_holder) == "$1" ]]; }
# metric NAME PORT: the value of an unlabelled metric of the agent on PORT.
metric() {
	curl -s "http://127.0.0.1:$2/metrics" | awk -v m="$1" '$1 == m {print $2}'
}
# hook_to PORT: hook, to the agent listening on PORT.
hook_to() { port=$1 hook; }
# cpu_ticks PID: user + system clock ticks the process used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null; }
# kubesim_restart [ARGS...]: stop kubesim (SIGTERM: it saves its --state),
# then start it again on the same address with ARGS (give the same
# --no-tls, --token and --state as the first start, so that the agents'
# kubeconfig stays valid).  kubesim_stop and kubesim_start do the halves.
kubesim_stop() {
	kubesim_addr=${server#*://}
	stop_kubesim
}
kubesim_start() {
	start_kubesim "$kubesim" "$@" --listen "$kubesim_addr"
}

# stop_agent NAME: SIGTERM the agent ($agent_pid), NAME ok when it exits
# 0; its log must hold JSON lines only.
stop_agent() {
	kill -TERM "$agent_pid"
	wait "$agent_pid"
	result $? "$1"
	agent_pid=
	assert_json_log "$tmp/agent.log"
}

# check_valgrind [WHAT]: with KUBESIM_VALGRIND=1, no valgrind report on
# the agent (or WHAT).
check_valgrind() {
	[[ ${KUBESIM_VALGRIND:-} == 1 ]] || return 0
	! grep -qs . "$tmp"/agent-vg.*.log
	result $? "valgrind: no report on ${1:-the agent}" "$(cat "$tmp"/agent-vg.*.log 2>/dev/null | head -20)"
}
