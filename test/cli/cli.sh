#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The command-line contract of gitops-agent: every command answers --help,
# exit status 0 for success, 1 for failure, 2 for usage errors, and log
# output in the requested format.  TAP output, one point per check.
set -uo pipefail

agent=${1:?usage: cli.sh PATH-TO-gitops-agent}
n=0
failed=0

# check NAME WANT_STATUS PATTERN -- ARGS...: run the agent, compare the exit
# status, and grep the combined output for PATTERN (empty: no check).
check() {
	local name=$1 want=$2 pattern=$3 out status
	shift 4
	out=$("$agent" "$@" 2>&1)
	status=$?
	n=$((n + 1))
	if [[ $status -ne $want ]]; then
		echo "not ok $n - $name (exit $status, want $want)"
		printf '# %s\n' "$out" | head -5
		failed=$((failed + 1))
	elif [[ -n $pattern ]] && ! grep -qE -- "$pattern" <<<"$out"; then
		echo "not ok $n - $name (output lacks /$pattern/)"
		printf '# %s\n' "$out" | head -5
		failed=$((failed + 1))
	else
		echo "ok $n - $name"
	fi
}

check "help" 0 "^usage: gitops-agent" -- --help
check "short help" 0 "Commands:" -- -h
check "help lists version" 0 "^  version +print the version" -- --help
check "help documents exit codes" 0 "0 success, 1 failure, 2 usage" -- --help
check "no command is a usage error" 2 "^usage: gitops-agent" --
check "unknown command" 2 "unknown command 'frobnicate'" -- frobnicate
check "unknown option" 2 "unknown option or missing value: '--nope'" -- --nope version
check "log level without value" 2 "missing value" -- --log-level
check "bad log level" 2 "unknown log level \"loud\"" -- --log-level loud version
check "bad log format" 2 "unknown log format 'xml'" -- --log-format xml version
check "version" 0 "^gitops-agent [0-9]+\.[0-9]+\.[0-9]+$" -- version
check "version --help" 0 "^usage: gitops-agent version" -- version --help
check "help version" 0 "^usage: gitops-agent version" -- help version
check "version extra argument" 2 "unexpected argument 'x'" -- version x
check "global options then command" 0 "^gitops-agent " -- --log-format text --log-level debug version

check "build --help" 0 "^usage: gitops-agent build" -- build --help
check "help lists build" 0 "^  build +build a kustomization" -- --help
check "build without PATH" 2 "missing PATH" -- build
check "build with two paths" 2 "unexpected argument 'b'" -- build a b
check "build bad --reorder" 2 "--reorder takes legacy or none" -- build --reorder x .
check "build unknown option" 2 "unknown option '--frob'" -- build --frob .
check "build of a missing directory" 1 "must build at a directory" -- build /nonexistent/dir

check "verify-object --help" 0 "^usage: gitops-agent verify-object" -- verify-object --help
check "help lists verify-object" 0 "^  verify-object +check the signature" -- --help
check "help verify-object" 0 "ExpiredKey, RevokedKey" -- help verify-object
check "verify-object without FILE" 2 "missing FILE" -- verify-object --keys .
check "verify-object without keys" 2 "give --keys or --allowed-signers" -- verify-object obj
check "verify-object unknown option" 2 "unknown option or missing value: '--frob'" -- verify-object --frob x
check "verify-object two files" 2 "unexpected argument 'b'" -- verify-object --keys . a b
check "verify-object missing key directory" 1 "^gitops-agent verify-object: /nonexistent/keys" -- verify-object --keys /nonexistent/keys obj
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n\nmsg\n' >"$tmp/commit"
check "verify-object of an unsigned commit" 1 "^Unsigned: commit: not signed" -- verify-object --keys "$tmp" "$tmp/commit"
printf 'blob 3\n\nabc' >"$tmp/blob"
check "verify-object of a non-object" 1 "^Malformed: object: not a commit or tag" -- verify-object --keys "$tmp" "$tmp/blob"
check "fetch --help" 0 "^usage: gitops-agent fetch" -- fetch --help
check "help lists fetch" 0 "^  fetch +poll a Git repository" -- --help
check "help fetch" 0 "--known-hosts FILE" -- help fetch
check "fetch without URL" 2 "missing --url" -- fetch --branch main
check "fetch without ref" 2 "give one of --branch, --tag, --semver and --commit" -- fetch --url file:///x
check "fetch with two refs" 2 "give one of" -- fetch --url file:///x --branch a --tag b
check "fetch option without value" 2 "--branch needs a value" -- fetch --url file:///x --branch
check "fetch unknown option" 2 "unknown option '--frob'" -- fetch --frob
check "fetch bad timeout" 2 "--timeout: " -- fetch --url file:///x --branch a --timeout 5
check "fetch unsupported scheme" 1 "not supported: URLs must start with" -- fetch --url ftp://h/r --branch a --cache /nonexistent
check "fetch redacts URL credentials" 1 "https://\*\*\*@h/r" -- fetch --url https://u:pw@h/r --branch a --cache /nonexistent --ssh-key k
check "fetch ssh needs known_hosts" 1 "needs a private key and a known_hosts file" -- fetch --url ssh://git@h/r --branch a --cache /nonexistent --ssh-key k
check "fetch token and basic auth" 1 "exclude each other" -- fetch --url https://h/r --branch a --cache /nonexistent --token-file t --username u --password-file p
check "fetch bad commit" 1 "is not a commit id" -- fetch --url file:///nonexistent/r --commit abc --cache /nonexistent/c
check "build --help documents --git-url" 0 "--git-url URL" -- build --help
check "build --git-url without ref" 2 "give one of" -- build --git-url file:///x .
check "fetch --help documents verification" 0 "--verify-mode MODE" -- fetch --help
check "fetch --help names the reasons" 0 "NonFastForward, RangeTooLong" -- fetch --help
check "fetch --help: merged commits count" 0 "the commits they merge all count" -- fetch --help
check "build --help documents verification" 0 "--allow-non-fast-forward" -- build --help
check "fetch --since without keys" 2 "need --verify-keys or --allowed-signers" -- fetch --url file:///x --branch a --since 0123456789abcdef0123456789abcdef01234567
check "fetch --verify-mode without keys" 2 "need --verify-keys" -- fetch --url file:///x --branch a --verify-mode head
check "fetch bad --verify-mode" 2 "--verify-mode: verify mode 'HEAD' is not one of" -- fetch --url file:///x --branch a --verify-keys k --verify-mode HEAD
check "fetch --since with head mode" 2 "apply to --verify-mode range only" -- fetch --url file:///x --branch a --verify-keys k --verify-mode head --since 0123456789abcdef0123456789abcdef01234567
check "fetch --allow-non-fast-forward with tag mode" 2 "apply to --verify-mode range only" -- fetch --url file:///x --tag a --verify-keys k --verify-mode tag --allow-non-fast-forward
check "fetch --since not a commit id" 2 "--since: 'abc' is not a commit id" -- fetch --url file:///x --branch a --verify-keys k --since abc
check "fetch --verify-keys without value" 2 "--verify-keys needs a value" -- fetch --url file:///x --branch a --verify-keys
check "fetch missing key directory" 1 "nonexistent-keys" -- fetch --url file:///nonexistent/r --branch a --cache /nonexistent/c --verify-keys /nonexistent-keys
check "build verification flags need --git-url" 2 "missing --git-url" -- build --verify-keys k .

# kubectl hashes the name of a kind other than ConfigMap and Secret from
# its YAML node tree (positions, quoting, comments): refused, not guessed.
mkdir -p "$tmp/hash-svc" "$tmp/hash-kind"
printf 'resources: [svc.yaml]\n' >"$tmp/hash-svc/kustomization.yaml"
printf 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n    internal.config.kubernetes.io/needsHashSuffix: enabled\n' >"$tmp/hash-svc/svc.yaml"
check "build refuses the name hash of a Service" 1 "v1 Service s: the name hash of a Service: .*not supported" -- build "$tmp/hash-svc"
cat >"$tmp/hash-kind/kustomization.yaml" <<'YAML'
configMapGenerator:
- {name: x, literals: [a=b]}
patches:
- target: {kind: ConfigMap, name: x}
  options: {allowKindChange: true}
  patch: '{"apiVersion": "v1", "kind": "Foo", "metadata": {"name": "x"}}'
YAML
check "build refuses the name hash of a kind a patch changed" 1 "v1 Foo x: the name hash of a Foo: .*not supported" -- build "$tmp/hash-kind"

echo "1..$n"
[[ $failed -eq 0 ]]
