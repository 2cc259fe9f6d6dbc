#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The Git source under valgrind: `gitops-agent` itself runs under memcheck
# (the 'valgrind' test setup wraps only the test command, not the agent a
# script starts) for a representative set of fetches with verification
# (OpenPGP and SSH signatures) over file://, git://, http:// with basic
# auth, https:// with a throw-away CA and ssh:// with a key and
# known_hosts; one refusal of each kind (signatures, history, host key,
# password, certificate, client key); the ssh:// deadline against a
# silent server; `build --git-url`; `verify-object`.  One TAP point per
# run: it fails when the agent's verdict is wrong or valgrind reports an
# error (exit 99; its report is shown).  Servers listen on 127.0.0.1 only
# and are stopped on exit.  Without valgrind the test is skipped.
#
# Give it the agent linked without mimalloc (test/git/meson.build's
# gitops-agent-glibc-malloc says why).  No suppression is needed, and
# none is used: every report fails its point.
set -uo pipefail

usage="usage: valgrind.sh PATH-TO-gitops-agent"
agent=$(realpath "${1:?$usage}")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/git/lib.sh
. "$here/lib.sh"
if ! command -v valgrind >/dev/null; then
	# meson's TAP protocol counts any nonzero exit, 77 included, as an
	# error: an empty plan with SKIP is its skip.
	echo "1..0 # SKIP valgrind not installed (Debian valgrind)"
	exit 0
fi
scratch
git_sandbox

# vg ARGS...: the agent under memcheck; stdout to $tmp/out, stderr to
# $tmp/err, valgrind's report to $tmp/vg.  Returns the agent's status, or
# 99 when valgrind found an error or a definite leak.
vg() {
	valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		--track-fds=no --quiet --log-file="$tmp/vg" \
		"$agent" "$@" >"$tmp/out" 2>"$tmp/err"
}
# result NAME STATUS WANT-STATUS OK: one point; the detail of a failure
# is valgrind's report when there is one, else the agent's output.
result() {
	local name=$1 status=$2 want=$3 good=$4
	if [[ $status -eq $want && $good == yes && ! -s $tmp/vg ]]; then
		ok "$name"
	elif [[ -s $tmp/vg ]]; then
		not_ok "$name" "exit $status; valgrind: $(grep -v '^==[0-9]*== *$' "$tmp/vg" | head -20)"
	else
		not_ok "$name" "exit $status; stdout: $(cat "$tmp/out"); stderr: $(cat "$tmp/err")"
	fi
}
# fetch NAME WANT-STATUS PATTERN ARGS...: fetch with the keys under
# valgrind; PATTERN (ERE) must match stdout and stderr together.
fetch() {
	local name=$1 want=$2 pattern=$3 status good=no
	shift 3
	vg --log-format text fetch --verify-keys "$tmp/keys" \
		--allowed-signers "$tmp/allowed_signers" "$@"
	status=$?
	# Not `cat | grep -q`: under pipefail, grep leaving at the first match
	# can kill cat with SIGPIPE and fail a pipeline that matched.
	grep -qE -- "$pattern" "$tmp/out" "$tmp/err" && good=yes
	result "$name" "$status" "$want" "$good"
}
# range NAME ARGS...: fetch main verified since base, both signatures.
range() {
	local name=$1 status good=no
	shift
	vg --log-format text fetch --verify-keys "$tmp/keys" \
		--allowed-signers "$tmp/allowed_signers" --branch main --since "$c1" "$@"
	status=$?
	[[ $(cat "$tmp/out") == "$range_out" ]] && grep -q "$range_ok" "$tmp/err" && good=yes
	result "$name: range with OpenPGP and SSH signatures" "$status" 0 "$good"
}

# --- keys and the signed history ------------------------------------------
mkdir -m 700 "$GNUPGHOME"
mkdir "$tmp/keys"
gpg_gen --quick-gen-key 'Good Signer <good@example.com>' ed25519 sign never
gpg_gen --quick-gen-key 'Stranger <stranger@example.com>' ed25519 sign never
good_fpr=$(gpg_fpr good@example.com)
gpg --armor --export good@example.com >"$tmp/keys/good.asc"
ssh-keygen -q -t ed25519 -N '' -C ssh@example.com -f "$tmp/id_sign"
echo "ssh@example.com namespaces=\"git\" $(cut -d' ' -f1,2 "$tmp/id_sign.pub")" \
	>"$tmp/allowed_signers"

src=$tmp/src
git init -q "$src"
g() { git -C "$src" "$@"; }
pgp() { g -c user.signingkey=good@example.com -c commit.gpgsign=true "$@"; }
# base (OpenPGP, with an overlay to build), c2 (SSH), c3 (OpenPGP): a
# range since base checks one signature of each kind.
mkdir -p "$src/app"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  k: v\n' \
	>"$src/app/cm.yaml"
printf 'resources:\n- cm.yaml\n' >"$src/app/kustomization.yaml"
g add app && pgp commit -qm base
echo c2 >"$src/c2" && g add c2 &&
	g -c gpg.format=ssh -c "user.signingkey=$tmp/id_sign" -c commit.gpgsign=true commit -qm c2
echo c3 >"$src/c3" && g add c3 && pgp commit -qm c3
c1=$(g rev-parse HEAD~2) c3=$(g rev-parse HEAD)
g -c user.signingkey=good@example.com tag -s -m 'release 1' v1
g checkout -q -b unsigned && echo u >"$src/u" && g add u && g commit -qm unsigned
g checkout -q -b stranger "$c3" && echo s >"$src/s" && g add s &&
	g -c user.signingkey=stranger@example.com -c commit.gpgsign=true commit -qm stranger
g checkout -q main
g branch old "$c1"
srv=$tmp/srv
git init -q --bare "$srv/repo.git"
g push -q "$srv/repo.git" main unsigned stranger old refs/tags/v1
unsigned=$(g rev-parse unsigned) stranger=$(g rev-parse stranger)

# The lines of a verified range since base.
range_out="main@sha1:$c3"$'\n'"commit $c3 openpgp $good_fpr Good Signer <good@example.com>"
range_ok="history=fast-forward commits_verified=2"

# --- servers ----------------------------------------------------------------
start_git_daemon "$srv"
pids+=("$daemon_pid")
printf 'pa55-w0rd-XYZ\n' >"$tmp/password"
start_httpd "$srv" "$tmp/http" --basic "alice:pa55-w0rd-XYZ" ||
	not_ok "lighttpd starts (http)" "$(cat "$tmp/http.err")"
pids+=("$httpd_pid")
http_port=$hport
https_port=
if make_test_pki "$tmp/pki" &&
	start_httpd "$srv" "$tmp/https" --cert "$tmp/pki/srv.crt" --key "$tmp/pki/srv.key"; then
	pids+=("$httpd_pid")
	https_port=$hport
fi
sdir=$tmp/sshd
mkdir -m 700 "$sdir"
ssh-keygen -q -t ed25519 -N '' -f "$sdir/id" -C client
ssh-keygen -q -t ed25519 -N '' -f "$sdir/other_host_key" -C other
cp "$sdir/id.pub" "$sdir/authorized_keys"
sshd_port=
if start_sshd "$sdir" "$sdir/authorized_keys"; then
	pids+=("$sshd_pid")
	printf '[127.0.0.1]:%s %s\n' "$sshd_port" \
		"$(cut -d' ' -f1,2 "$sdir/other_host_key.pub")" >"$sdir/known_hosts_changed"
fi
stall_server "$tmp/silent.port"
pids+=("$stall_pid")

# --- fetch and verify over every transport ----------------------------------
cache=$tmp/cache
file_url=file://$srv/repo.git
range file --cache "$cache" --url "$file_url"
fetch "file: signed tag and head" 0 "^tag $(g rev-parse v1) openpgp $good_fpr " \
	--cache "$cache" --url "$file_url" --tag v1 --verify-mode tag-and-head
git_url=git://127.0.0.1:$daemon_port/repo.git
range git --cache "$cache" --url "$git_url"
http=(--cache "$cache" --url "http://127.0.0.1:$http_port/repo.git"
	--username alice --password-file "$tmp/password")
range "http basic auth" "${http[@]}"
if [[ -n $https_port ]]; then
	https=(--cache "$cache" --url "https://localhost:$https_port/repo.git"
		--ca-file "$tmp/pki/ca.crt")
	range https "${https[@]}"
else
	skip "https: range with OpenPGP and SSH signatures" "no https server (openssl, lighttpd-mod-openssl)"
fi
if [[ -n $sshd_port ]]; then
	ssh=(--cache "$cache" --url "ssh://$(id -un)@127.0.0.1:$sshd_port$srv/repo.git"
		--ssh-key "$sdir/id")
	range ssh "${ssh[@]}" --known-hosts "$sdir/known_hosts"
else
	skip "ssh: range with OpenPGP and SSH signatures" "sshd not installed (Debian openssh-server)"
fi

# --- refusals -----------------------------------------------------------------
fetch "git: an unsigned commit is refused" 1 \
	"^gitops-agent fetch: Unsigned: commit $unsigned: not signed" \
	--cache "$cache" --url "$git_url" --branch unsigned --verify-mode head
fetch "http: a commit by an unknown key is refused" 1 \
	"^gitops-agent fetch: UnknownKey: commit $stranger: signed by OpenPGP key" \
	"${http[@]}" --branch stranger --verify-mode head
fetch "file: a rollback is NonFastForward" 1 \
	"^gitops-agent fetch: NonFastForward: commit $c1 is an ancestor of the last applied commit $c3" \
	--cache "$cache" --url "$file_url" --branch old --since "$c3"
if [[ -n $sshd_port ]]; then
	fetch "ssh: a changed host key is refused" 1 "key has changed" \
		"${ssh[@]}" --known-hosts "$sdir/known_hosts_changed" --branch main
else
	skip "ssh: a changed host key is refused" "sshd not installed (Debian openssh-server)"
fi
# Refusals of the transports themselves: their error paths free what a
# half-made connection holds.
printf 'wrong-pa55-ABC\n' >"$tmp/badpassword"
fetch "http: a wrong password is refused" 1 "authentication failed" \
	--cache "$cache" --url "http://127.0.0.1:$http_port/repo.git" --branch main \
	--username alice --password-file "$tmp/badpassword"
if [[ -n $https_port ]]; then
	fetch "https: a certificate from another CA is refused" 1 "certificate" \
		--cache "$cache" --url "https://localhost:$https_port/repo.git" --branch main \
		--ca-file "$tmp/pki/other.crt"
else
	skip "https: a certificate from another CA is refused" "no https server"
fi
if [[ -n $sshd_port ]]; then
	ssh-keygen -q -t ed25519 -N '' -f "$sdir/id_stranger" -C stranger
	fetch "ssh: a key not authorized is refused" 1 "authentication failed" \
		--cache "$cache" --url "ssh://$(id -un)@127.0.0.1:$sshd_port$srv/repo.git" \
		--ssh-key "$sdir/id_stranger" --known-hosts "$sdir/known_hosts" --branch main
else
	skip "ssh: a key not authorized is refused" "sshd not installed (Debian openssh-server)"
fi
# The deadline against a server that accepts and never speaks.  Under
# valgrind the agent starts slowly: the bound is loose, the message exact.
printf '[127.0.0.1]:%s %s\n' "$stall_port" "$(cut -d' ' -f1,2 "$sdir/other_host_key.pub")" \
	>"$sdir/known_hosts_silent"
start=$SECONDS
vg --log-format text fetch --cache "$cache" --url "ssh://git@127.0.0.1:$stall_port/repo.git" \
	--branch main --ssh-key "$sdir/id" --known-hosts "$sdir/known_hosts_silent" --timeout 1s
status=$?
good=no
((SECONDS - start <= 30)) && grep -q "timed out after 1000 ms" "$tmp/err" && good=yes
result "ssh: a silent server times out" "$status" 1 "$good"

# --- build --git-url and verify-object --------------------------------------
vg --log-level error build --git-url "$file_url" --cache "$cache" --branch main \
	--since "$c1" --verify-keys "$tmp/keys" --allowed-signers "$tmp/allowed_signers" app
status=$?
good=no
grep -q "kind: ConfigMap" "$tmp/out" && good=yes
result "build --git-url: a verified revision is built" "$status" 0 "$good"

g cat-file commit "$c3" >"$tmp/c3.commit"
vg verify-object --keys "$tmp/keys" "$tmp/c3.commit"
status=$?
good=no
[[ $(cat "$tmp/out") == "OK openpgp $good_fpr Good Signer <good@example.com>" ]] && good=yes
result "verify-object: an OpenPGP-signed commit" "$status" 0 "$good"
g cat-file commit "$c3~1" >"$tmp/c2.commit"
vg verify-object --allowed-signers "$tmp/allowed_signers" "$tmp/c2.commit"
status=$?
good=no
grep -qE "^OK ssh SHA256:[A-Za-z0-9+/]{43} ssh@example.com$" "$tmp/out" && good=yes
result "verify-object: an SSH-signed commit" "$status" 0 "$good"

tap_end
