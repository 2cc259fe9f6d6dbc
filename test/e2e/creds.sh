#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Suite e2e: the agent's Git credentials and SSH allowed signers, end to
# end (TAP).  One running agent, reconfigured through its ConfigMap, reads
# its credentials from the Secret of source.secretRef with Flux's key
# names, in three transports served on 127.0.0.1 by test/git/lib.sh's
# servers, all over the vendor's one repository (so the applied history
# carries on from one to the next):
# - ssh:// through OpenSSH's sshd (`identity`, `known_hosts`): the first
#   install; a wrong host key in known_hosts refuses the next pass (the
#   status says why, the applied revision and the objects stay); the right
#   one restored, the pending commit is applied;
# - https with `bearerToken` and `ca.crt` (lighttpd, git http-backend and
#   a throw-away CA): a signed commit applied; a wrong token refused as
#   AuthenticationFailed with nothing lost; the right token recovers;
# - commits signed with SSH keys (git's gpg.format=ssh), verified against
#   source.verify.allowedSignersSecretRef alone (the Secret of
#   keysSecretRef, which the configuration requires, holds no OpenPGP
#   key), fetched over https with `username`, `password` and `ca.crt`:
#   an allowed principal's commit is applied and the status names it as
#   the signer; a commit signed by a key the allowed-signers file does
#   not list is refused as UnknownKey.
# The private key, the token and the password are in no log line.  A
# Secret rotation takes effect at the next pass (a push webhook here).
#
# Usage: creds.sh KUBESIM GITOPS-AGENT SOURCE-ROOT [GITOPS-AGENT-FOR-VALGRIND]
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/e2e/lib.sh
. "$here/lib.sh"

kust=$tmp/work/dist/base/kustomization.yaml
tag=v1.36.4
# bump: a new envoy tag in the vendor's tree (the ingress image follows),
# so that a revision applied or not shows in the cluster.
bump() {
	local next=${tag%.*}.$((${tag##*.} + 1))
	sed -i "s/newTag: $tag/newTag: $next/" "$kust"
	tag=$next
}
ingress_tag() { [[ $(image_of ingress) == *":$1" ]]; }
# kept: the ingress still runs the tag before the last bump (the pending
# commit's objects were not applied).
kept() { ingress_tag "${tag%.*}.$((${tag##*.} - 1))"; }
# creds_config URL SECRET [VERIFY-LINES]: the configuration polling every
# hour (each pass below is a push webhook or a configuration change),
# with Git credentials from SECRET and the verification keys of
# VERIFY-LINES (default: e2e_world's OpenPGP keys).
creds_config() {
	config 1h | sed "s|url: .*|url: $1|; s|timeout: 5s|&\n  secretRef: $2|" |
		if [[ -n ${3:-} ]]; then
			sed "s|^    keysSecretRef: .*|$3|"
		else
			cat
		fi
}
# secret NAME ARGS...: (re)write the Secret NAME from kubectl's ARGS.
secret() {
	local name=$1
	shift
	make -n "$ns" secret generic "$name" "$@"
}
# attempt: the last attempt's result, reason and message, in one request
# (each kubectl costs a few tenths of a second, and the checks poll).
attempt() {
	k -n "$ns" get configmap gitops-agent-status -o \
		'jsonpath={.data.lastAttemptResult} {.data.lastAttemptReason}: {.data.lastAttemptMessage}' 2>/dev/null
}
# refused REASON MESSAGE-GLOB: the last attempt failed for REASON with a
# message matching MESSAGE-GLOB.
refused() {
	# shellcheck disable=SC2053 # a glob on the right
	[[ $(attempt) == "Failed $1: "$2 ]]
}
# pass_then CHECK...: a push webhook, then CHECK holds within 20 s.
pass_then() {
	[[ $(hook) == 200 ]] || return 1
	eventually 20 "$@"
}
why() { attempt; }

e2e_world
# The agent's SSH key, the one sshd authorizes, and a host key that is
# not sshd's (for a wrong known_hosts).
sdir=$tmp/ssh
mkdir -m 700 "$sdir"
ssh-keygen -q -t ed25519 -N '' -f "$sdir/id" -C agent
ssh-keygen -q -t ed25519 -N '' -f "$sdir/other_host_key" -C other
cp "$sdir/id.pub" "$sdir/authorized_keys"

# ---- ssh:// with identity and known_hosts ---------------------------------------------
if ! start_sshd "$sdir" "$sdir/authorized_keys"; then
	echo "Bail out! sshd does not start: $(tail -2 "$sdir/sshd.log" 2>/dev/null)"
	exit 1
fi
printf '[127.0.0.1]:%s %s\n' "$sshd_port" "$(cut -d' ' -f1,2 "$sdir/other_host_key.pub")" \
	>"$sdir/known_hosts_wrong"
ssh_url=ssh://$(id -un)@127.0.0.1:$sshd_port$tmp/repos/vendor.git
secret vendor-ssh --from-file=identity="$sdir/id" --from-file=known_hosts="$sdir/known_hosts"
creds_config "$ssh_url" vendor-ssh | set_config
start_agent agent.log
wait_applied "$first" 60
result $? "ssh: the first install over ssh:// (identity, known_hosts from Secret vendor-ssh)" "$(why)"
ingress_tag "$tag"
result $? "ssh: the objects are there" "$(image_of ingress)"
expect "ssh: the revision is signed by the vendor's OpenPGP key" "Vendor Release <vendor@example.com>" \
	"$(status_key lastAppliedSigner | sed 's/ (openpgp .*//')"

applied=$first
bump
signed "vendor: envoy $tag"
pending=$(head_commit)
secret vendor-ssh --from-file=identity="$sdir/id" --from-file=known_hosts="$sdir/known_hosts_wrong"
pass_then refused FetchFailed "*host key of ?127.0.0.1?:$sshd_port does not match known_hosts*"
result $? "ssh: a wrong host key in known_hosts refuses the next pass (the status says so)" "$(why)"
expect "ssh: the last applied revision stays" "main@sha1:$applied" "$(status_key lastAppliedRevision)"
kept
result $? "ssh: the objects stay as applied (the new commit is not fetched)" "$(image_of ingress)"
# The same key, passphrase-protected: Flux's Secret gives the passphrase
# as `password` beside `identity`.
ssh_pass=e2e-ssh-pass-$RANDOM$RANDOM$RANDOM
cp "$sdir/id" "$sdir/id_locked"
ssh-keygen -q -p -f "$sdir/id_locked" -P '' -N "$ssh_pass" >/dev/null # it reports on stdout
secret vendor-ssh --from-file=identity="$sdir/id_locked" --from-file=known_hosts="$sdir/known_hosts"
pass_then refused AuthenticationFailed "*the SSH key cannot be read*"
result $? "ssh: a passphrase-protected identity without its password is refused" "$(why)"
secret vendor-ssh --from-file=identity="$sdir/id_locked" --from-file=known_hosts="$sdir/known_hosts" \
	--from-literal=password="$ssh_pass"
pass_then wait_applied "$pending"
result $? "ssh: the right known_hosts restored, the identity unlocked by password, the pending commit is applied" "$(why)"
ingress_tag "$tag"
result $? "ssh: its objects follow" "$(image_of ingress)"
applied=$pending

# ---- https with bearerToken and ca.crt -------------------------------------------------
token_git=e2e-git-token-$RANDOM$RANDOM$RANDOM
if ! make_test_pki "$tmp/pki"; then
	echo "Bail out! openssl cannot make the test CA"
	exit 1
fi
if ! start_httpd "$tmp/repos" "$tmp/https" --bearer "$token_git" \
	--cert "$tmp/pki/srv.crt" --key "$tmp/pki/srv.key"; then
	echo "Bail out! lighttpd does not start: $(tail -2 "$tmp/https.err")"
	exit 1
fi
https_url=https://localhost:$hport/vendor.git
bearer_pid=$httpd_pid
secret vendor-https --from-literal=bearerToken="$token_git" --from-file=ca.crt="$tmp/pki/ca.crt"
bump
signed "vendor: envoy $tag"
pending=$(head_commit)
creds_config "$https_url" vendor-https | set_config
wait_applied "$pending"
result $? "https: a signed commit applied over https (bearerToken, ca.crt from Secret vendor-https)" "$(why)"
grep -q "^GET /vendor.git/info/refs 200 " "$tmp/https.log"
result $? "https: the agent went through lighttpd" "$(tail -3 "$tmp/https.log")"
applied=$pending

bump
signed "vendor: envoy $tag"
pending=$(head_commit)
secret vendor-https --from-literal=bearerToken="wrong-$token_git" --from-file=ca.crt="$tmp/pki/ca.crt"
pass_then refused AuthenticationFailed "*"
result $? "https: a wrong token is refused (AuthenticationFailed)" "$(why)"
expect "https: the last applied revision stays" "main@sha1:$applied" "$(status_key lastAppliedRevision)"
kept
result $? "https: the objects stay as applied" "$(image_of ingress)"
# The server's certificate is checked against ca.crt alone: another CA
# is refused before any token is sent.
secret vendor-https --from-literal=bearerToken="$token_git" --from-file=ca.crt="$tmp/pki/other.crt"
pass_then refused FetchFailed "*certificate*"
result $? "https: a certificate the Secret's ca.crt does not sign is refused" "$(why)"
secret vendor-https --from-literal=bearerToken="$token_git" --from-file=ca.crt="$tmp/pki/ca.crt"
pass_then wait_applied "$pending"
result $? "https: the right token restored, the pending commit is applied" "$(why)"
applied=$pending

# ---- SSH signatures, allowed signers only (over https with basic auth) -----------------
password=e2e-git-pass-$RANDOM$RANDOM$RANDOM
if ! start_httpd "$tmp/repos" "$tmp/basic" --basic "vendor:$password" \
	--cert "$tmp/pki/srv.crt" --key "$tmp/pki/srv.key"; then
	echo "Bail out! lighttpd does not start: $(tail -2 "$tmp/basic.err")"
	exit 1
fi
basic_url=https://localhost:$hport/vendor.git
secret vendor-basic --from-literal=username=vendor --from-literal=password="$password" \
	--from-file=ca.crt="$tmp/pki/ca.crt"
ssh-keygen -q -t ed25519 -N '' -f "$sdir/release" -C release
ssh-keygen -q -t ed25519 -N '' -f "$sdir/stranger" -C stranger
printf 'release@vendor.example %s\n' "$(cut -d' ' -f1,2 "$sdir/release.pub")" >"$sdir/allowed_signers"
secret vendor-signers --from-file=allowed_signers="$sdir/allowed_signers"
ssh_signed() {
	vendor -c gpg.format=ssh -c "user.signingkey=$sdir/$1" -c commit.gpgsign=true commit -m "$2"
}
creds_config "$basic_url" vendor-basic '    allowedSignersSecretRef: vendor-signers' | set_config
bump
ssh_signed release "vendor: envoy $tag, signed with ssh"
pending=$(head_commit)
pass_then wait_applied "$pending"
result $? "allowed signers: a commit signed by an allowed principal's SSH key is applied" "$(why)"
grep -q "^POST /vendor.git/git-upload-pack 200 " "$tmp/basic.log"
result $? "https basic auth: fetched with username, password and ca.crt from Secret vendor-basic" \
	"$(tail -3 "$tmp/basic.log")"
signer=$(status_key lastAppliedSigner)
fp=$(ssh-keygen -lf "$sdir/release.pub" | cut -d' ' -f2)
[[ $signer == "release@vendor.example (ssh $fp)" ]]
result $? "allowed signers: the status names the principal and the key" "$signer"
ingress_tag "$tag"
result $? "allowed signers: its objects follow" "$(image_of ingress)"
applied=$pending

bump
ssh_signed stranger "vendor: envoy $tag, signed by a stranger"
pending=$(head_commit)
pass_then refused UnknownKey "*$pending*"
result $? "allowed signers: a commit signed by an SSH key not in the file is refused (UnknownKey)" "$(why)"
expect "allowed signers: the last applied revision stays" "main@sha1:$applied" \
	"$(status_key lastAppliedRevision)"
kept
result $? "allowed signers: the objects stay as applied" "$(image_of ingress)"

# ---- an SSH key named *.pub in keysSecretRef may sign as anyone ------------------------
secret stranger-keys --from-file=stranger.pub="$sdir/stranger.pub"
creds_config "$basic_url" vendor-basic \
	'    keysSecretRef: stranger-keys\n    allowedSignersSecretRef: vendor-signers' | set_config
wait_applied "$pending"
result $? "keys: with the stranger's key as stranger.pub in keysSecretRef, its commit is applied" "$(why)"
fp=$(ssh-keygen -lf "$sdir/stranger.pub" | cut -d' ' -f2)
expect "keys: the status names the key's comment and fingerprint" "stranger (ssh $fp)" \
	"$(status_key lastAppliedSigner)"

stop_agent "the agent stops cleanly"
kill "$bearer_pid" "$httpd_pid" "$sshd_pid" 2>/dev/null
wait "$bearer_pid" "$httpd_pid" "$sshd_pid" 2>/dev/null
# sshd's log, beside the others assert_no_secrets reads.
cp "$sdir/sshd.log" "$tmp/sshd.log"
mapfile -t key_lines < <(grep -hv -- '-----' "$sdir/id" "$sdir/id_locked")
assert_no_secrets "$hook_token" "$token" "$token_git" "$password" "$ssh_pass" "${key_lines[@]}"
check_valgrind
stop_kubesim
result $? "kubesim stops cleanly" "$(kubesim_report)"
tap_end
