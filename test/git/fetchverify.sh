#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Verified fetch end to end (ga/gitverify.h through `gitops-agent fetch`
# and `build --git-url`): commits and tags signed by real git with real
# gpg and ssh-keygen, published to bare repositories served over file://,
# by `git daemon` (git://), by git http-backend behind lighttpd (http://
# and https://) and by sshd (ssh://) on 127.0.0.1, stopped on exit.  The matrix
# runs once per transport, each on its own copy of the repository and
# its own mirror, because the history cases force-push.  TAP output.
set -uo pipefail

usage="usage: fetchverify.sh PATH-TO-gitops-agent PATH-TO-gitverify-test"
agent=$(realpath "${1:?$usage}")
lib_test=$(realpath "${2:?$usage}")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/git/lib.sh
. "$here/lib.sh"
tmp=$(mktemp -d)
daemon_pid=
http_pid=
sshd_pid=
via=() # transport options of the matrix being run
cleanup() {
	[[ -n $daemon_pid ]] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
	[[ -n $http_pid ]] && kill "$http_pid" 2>/dev/null && wait "$http_pid" 2>/dev/null
	[[ -n $sshd_pid ]] && kill "$sshd_pid" 2>/dev/null && wait "$sshd_pid" 2>/dev/null
	gpgconf --kill gpg-agent >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
git_sandbox

# --- keys ---------------------------------------------------------------
mkdir -m 700 "$GNUPGHOME"
mkdir "$tmp/keys"
gpg_gen --quick-gen-key 'Good Signer <good@example.com>' ed25519 sign never
gpg_gen --quick-gen-key 'Stranger <stranger@example.com>' ed25519 sign never
# A key revoked after it signed, and one that expired in 2020, made and
# used with gpg's faked clock.
gpg_gen --quick-gen-key 'Revoked Signer <revoked@example.com>' ed25519 sign never
gpg_gen --faked-system-time 20200101T000000 \
	--quick-gen-key 'Old Signer <old@example.com>' ed25519 sign 2020-06-01
printf '#!/bin/sh\nexec gpg --faked-system-time 20200301T000000 "$@"\n' >"$tmp/oldgpg"
chmod +x "$tmp/oldgpg"
good_fpr=$(gpg_fpr good@example.com)
gpg --armor --export good@example.com >"$tmp/keys/good.asc"
ssh-keygen -q -t ed25519 -N '' -C ssh@example.com -f "$tmp/id_ssh"
echo "ssh@example.com namespaces=\"git\" $(cut -d' ' -f1,2 "$tmp/id_ssh.pub")" \
	>"$tmp/allowed_signers"
ssh_fpr=$(ssh-keygen -lf "$tmp/id_ssh.pub" | cut -d' ' -f2)

# --- the source repository ----------------------------------------------
src=$tmp/src
git init -q "$src"
g() { git -C "$src" "$@"; }
pgp() { g -c user.signingkey=good@example.com -c commit.gpgsign=true "$@"; }
stranger() { g -c user.signingkey=stranger@example.com -c commit.gpgsign=true "$@"; }
sshsig() {
	g -c gpg.format=ssh -c "user.signingkey=$tmp/id_ssh" -c commit.gpgsign=true "$@"
}
# commit HOW NAME: a commit adding file NAME, signed as HOW says.
commit() {
	echo "$2" >"$src/$2"
	g add "$2"
	case $1 in
	pgp) pgp commit -qm "$2" ;;
	ssh) sshsig commit -qm "$2" ;;
	stranger) stranger commit -qm "$2" ;;
	none) g commit -qm "$2" ;;
	esac
}
rev() { g rev-parse "$1"; }

mkdir -p "$src/app"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  k: v\n' \
	>"$src/app/cm.yaml"
printf 'resources:\n- cm.yaml\n' >"$src/app/kustomization.yaml"
g add app
pgp commit -qm base
commit ssh c2
commit pgp c3
c1=$(rev HEAD~2) c2=$(rev HEAD~1) c3=$(rev HEAD)
g -c user.signingkey=good@example.com tag -s -m 'release 1' v1
g tag -a -m 'unsigned release' v1-unsigned
g tag v1-light
g -c user.signingkey=stranger@example.com tag -s -m 'stranger release' v1-stranger
g branch ssh "$c2"

# Heads that fail: unsigned, signed by a stranger, tampered after signing.
g checkout -q -b unsigned "$c3" && commit none u1
g checkout -q -b stranger "$c3" && commit stranger s1
g checkout -q -b tampered "$c3" && commit pgp t1
g cat-file commit HEAD | sed 's/^t1$/t1 (changed)/' >"$tmp/tampered"
g update-ref refs/heads/tampered "$(g hash-object -t commit -w "$tmp/tampered")"
# Heads signed by the key revoked below, and by the expired key.
g checkout -q -b revoked "$c3" && echo r1 >"$src/r1" && g add r1 &&
	g -c user.signingkey=revoked@example.com -c commit.gpgsign=true commit -qm r1
g checkout -q -b expired "$c3" && echo e1 >"$src/e1" && g add e1 &&
	GIT_COMMITTER_DATE=2020-03-01T00:00:00Z g -c gpg.program="$tmp/oldgpg" \
		-c user.signingkey=old@example.com -c commit.gpgsign=true commit -qm e1
sed 's/^:-----/-----/' "$GNUPGHOME/openpgp-revocs.d/$(gpg_fpr revoked@example.com).rev" |
	gpg_gen --import
for u in revoked old; do
	gpg --armor --export "$u@example.com" >"$tmp/keys/$u.asc"
done
# A signed tag on an unsigned commit: tag passes, tag-and-head does not.
g -c user.signingkey=good@example.com tag -s -m 'tag on unsigned' v2 unsigned

# Ranges: an unsigned commit in the middle; an unsigned commit merged in.
g checkout -q -b mid "$c3" && commit pgp m1 && commit none m2 && commit pgp m3
m2=$(rev mid~1)
g checkout -q -b side "$c3" && commit none side1
side1=$(rev side)
g checkout -q -b merged "$c3" && commit pgp x1
pgp merge -q --no-ff -m merge side
# Two signed histories from c3 (a rewrite), and one with an unsigned commit.
g checkout -q -b rw-a "$c3" && commit pgp a1 && commit pgp a2
g checkout -q -b rw-b "$c3" && commit pgp b1
g checkout -q -b rw-c "$c3" && commit none bad1 && commit pgp b2
bad1=$(rev rw-c~1)
# Longer than the cap (1000): 1001 unsigned commits on c3.
{
	for i in $(seq 1001); do
		printf 'commit refs/heads/long\ncommitter T <t@example.com> %d +0000\n' "$((1700000000 + i))"
		printf 'data 2\n%s\n' "$((i % 10))"
		[[ $i -eq 1 ]] && printf 'from %s\n' "$c3"
		printf '\n'
	done
} | g fast-import --quiet
g checkout -q main

srv=$tmp/srv
mkdir -p "$srv"
# publish REPO REFSPEC...: force-push to the served repository REPO.
publish() {
	local repo=$1
	shift
	g push -q --force "$srv/$repo.git" "$@"
}

# --- checks -------------------------------------------------------------
# run ARGS...: fetch with the keys; stdout to $tmp/out, stderr to $tmp/err.
run() {
	"$agent" --log-format text fetch --cache "$cache" --url "$url" "${via[@]}" \
		--verify-keys "$tmp/keys" --allowed-signers "$tmp/allowed_signers" \
		"$@" >"$tmp/out" 2>"$tmp/err"
}
# pass NAME WANT-STDOUT ARGS...: the fetch succeeds and prints exactly that.
pass() {
	local name="$label: $1" want=$2 status
	shift 2
	run "$@"
	status=$?
	if [[ $status -eq 0 && $(cat "$tmp/out") == "$want" ]]; then
		ok "$name"
	else
		not_ok "$name" "exit $status; stdout: $(cat "$tmp/out"); stderr: $(cat "$tmp/err")"
	fi
}
# refuse NAME PATTERN ARGS...: exit 1, nothing on stdout, PATTERN in stderr,
# which holds our log records and our one error line, nothing else (no
# line a library printed by itself).
refuse() {
	local name="$label: $1" pattern=$2 status
	shift 2
	run "$@"
	status=$?
	if [[ $status -eq 1 && ! -s $tmp/out ]] &&
		grep -qE -- "^gitops-agent fetch: $pattern" "$tmp/err" &&
		[[ $(grep -c "^gitops-agent fetch: " "$tmp/err") -eq 1 ]] &&
		! grep -qvE "^(gitops-agent fetch: |[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z )" "$tmp/err"; then
		ok "$name"
	else
		not_ok "$name" "exit $status; stdout: $(cat "$tmp/out"); stderr: $(cat "$tmp/err")"
	fi
}
pgp_line() { echo "commit $1 openpgp $good_fpr Good Signer <good@example.com>"; }

# matrix LABEL URL-BASE: every case against repositories under URL-BASE.
matrix() {
	label=$1
	cache=$tmp/cache-$1
	local base=$2 r
	r=$label-repo
	git init -q --bare "$srv/$r.git"
	publish "$r" main ssh unsigned stranger tampered revoked expired mid merged long \
		'refs/tags/*:refs/tags/*'
	url=$base/$r.git

	# head
	pass "head: signed by an allowed OpenPGP key" \
		"main@sha1:$c3"$'\n'"$(pgp_line "$c3")" --branch main --verify-mode head
	pass "head: signed by an allowed SSH key" \
		"ssh@sha1:$c2"$'\n'"commit $c2 ssh $ssh_fpr ssh@example.com" \
		--branch ssh --verify-mode head
	refuse "head: unsigned" "Unsigned: commit $(rev unsigned): not signed" \
		--branch unsigned --verify-mode head
	refuse "head: unknown key" "UnknownKey: commit $(rev stranger): signed by OpenPGP key" \
		--branch stranger --verify-mode head
	refuse "head: bad signature" \
		"BadSignature: commit $(rev tampered): signed by OpenPGP key $good_fpr" \
		--branch tampered --verify-mode head
	refuse "head: revoked key" "RevokedKey: commit $(rev revoked): " \
		--branch revoked --verify-mode head
	refuse "head: expired key" "ExpiredKey: commit $(rev expired): " \
		--branch expired --verify-mode head

	# tag and tag-and-head
	pass "tag: signed annotated tag" \
		"v1@sha1:$c3"$'\n'"tag $(rev v1) openpgp $good_fpr Good Signer <good@example.com>" \
		--tag v1 --verify-mode tag
	pass "tag-and-head: tag and commit signed" \
		"v1@sha1:$c3"$'\n'"tag $(rev v1) openpgp $good_fpr Good Signer <good@example.com>"$'\n'"$(pgp_line "$c3")" \
		--tag v1 --verify-mode tag-and-head
	pass "tag: semver selection" \
		"v1@sha1:$c3"$'\n'"tag $(rev v1) openpgp $good_fpr Good Signer <good@example.com>" \
		--semver '<2' --verify-mode tag
	refuse "tag: unsigned annotated tag" "Unsigned: tag v1-unsigned \($(rev v1-unsigned)\): not signed" \
		--tag v1-unsigned --verify-mode tag
	refuse "tag: lightweight tag is Unsigned" "Unsigned: tag v1-light: a lightweight tag" \
		--tag v1-light --verify-mode tag
	refuse "tag-and-head: lightweight tag is Unsigned" "Unsigned: tag v1-light: a lightweight tag" \
		--tag v1-light --verify-mode tag-and-head
	refuse "tag: unknown key" "UnknownKey: tag v1-stranger" --tag v1-stranger --verify-mode tag
	pass "tag: signed tag on an unsigned commit" \
		"v2@sha1:$(rev unsigned)"$'\n'"tag $(rev v2) openpgp $good_fpr Good Signer <good@example.com>" \
		--tag v2 --verify-mode tag
	refuse "tag-and-head: signed tag on an unsigned commit" \
		"Unsigned: commit $(rev unsigned): not signed" --tag v2 --verify-mode tag-and-head
	refuse "tag: a branch has no tag" "verify mode tag needs a tag to be selected" \
		--branch main --verify-mode tag

	# range
	pass "range: first run checks the head" "main@sha1:$c3"$'\n'"$(pgp_line "$c3")" \
		--branch main
	check "$label: range: first run logged" "$(cat "$tmp/err")" \
		grep -q "history=first commits_verified=1" "$tmp/err"
	pass "range: all signed since c1" "main@sha1:$c3"$'\n'"$(pgp_line "$c3")" \
		--branch main --since "$c1"
	check "$label: range: both commits since c1 verified" "$(cat "$tmp/err")" \
		grep -q "history=fast-forward commits_verified=2" "$tmp/err"
	pass "range: since the same commit" "main@sha1:$c3"$'\n'"$(pgp_line "$c3")" \
		--branch main --since "$c3"
	refuse "range: unsigned commit in the middle is named" \
		"Unsigned: commit $m2 \(between $c3 and $(rev mid)\): not signed" \
		--branch mid --since "$c3"
	pass "head mode does not look at the middle" \
		"mid@sha1:$(rev mid)"$'\n'"$(pgp_line "$(rev mid)")" --branch mid --verify-mode head
	refuse "range: unsigned commit merged in" "Unsigned: commit $side1 \(between" \
		--branch merged --since "$c3"
	refuse "range: longer than the cap" \
		"RangeTooLong: commit $(rev long): more than 1000 commits since the last applied commit $c3; none of them was verified" \
		--branch long --since "$c3"
	refuse "range: unknown last commit" \
		"NonFastForward: commit $c3 cannot be shown to descend from the last applied commit 0123456789abcdef0123456789abcdef01234567" \
		--branch main --since 0123456789abcdef0123456789abcdef01234567

	# history: a force-push to a rewritten history, and to an older commit
	publish "$r" rw-a:refs/heads/rw
	pass "range: before the rewrite" "rw@sha1:$(rev rw-a)"$'\n'"$(pgp_line "$(rev rw-a)")" \
		--branch rw --since "$c3"
	publish "$r" rw-b:refs/heads/rw
	refuse "range: force-push rewrite is NonFastForward" \
		"NonFastForward: commit $(rev rw-b) does not descend from the last applied commit $(rev rw-a) \(the history was rewritten\)" \
		--branch rw --since "$(rev rw-a)"
	pass "range: rewrite with --allow-non-fast-forward" \
		"rw@sha1:$(rev rw-b)"$'\n'"$(pgp_line "$(rev rw-b)")" \
		--branch rw --since "$(rev rw-a)" --allow-non-fast-forward
	check "$label: range: allowed rewrite verifies the new commits" "$(cat "$tmp/err")" \
		grep -q "history=rewrite commits_verified=1" "$tmp/err"
	publish "$r" rw-c:refs/heads/rw
	refuse "range: allowed rewrite with an unsigned commit" \
		"Unsigned: commit $bad1 \(between $(rev rw-b) and $(rev rw-c)\)" \
		--branch rw --since "$(rev rw-b)" --allow-non-fast-forward
	publish "$r" "$c1:refs/heads/rw"
	refuse "range: rollback is NonFastForward" \
		"NonFastForward: commit $c1 is an ancestor of the last applied commit $(rev rw-c) \(a rollback\)" \
		--branch rw --since "$(rev rw-c)"
	pass "range: rollback with --allow-non-fast-forward" \
		"rw@sha1:$c1"$'\n'"$(pgp_line "$c1")" \
		--branch rw --since "$(rev rw-c)" --allow-non-fast-forward

	# A moved tag: a signed tag re-made on a rewritten history.
	g -c user.signingkey=good@example.com tag -f -s -m 'release 3' v3 rw-a >/dev/null 2>&1
	publish "$r" refs/tags/v3
	pass "range: tag before it moved" "v3@sha1:$(rev rw-a)"$'\n'"$(pgp_line "$(rev rw-a)")" \
		--tag v3 --since "$c3"
	g -c user.signingkey=good@example.com tag -f -s -m 'release 3' v3 rw-b >/dev/null 2>&1
	publish "$r" refs/tags/v3
	refuse "range: moved tag is NonFastForward" \
		"NonFastForward: commit $(rev rw-b) does not descend from the last applied commit $(rev rw-a)" \
		--tag v3 --since "$(rev rw-a)"
	pass "tag mode alone accepts the moved signed tag" \
		"v3@sha1:$(rev rw-b)"$'\n'"tag $(rev v3) openpgp $good_fpr Good Signer <good@example.com>" \
		--tag v3 --verify-mode tag
	g tag -d v3 >/dev/null

	# build --git-url builds only what verified
	"$agent" --log-level error build --git-url "$url" --cache "$cache" "${via[@]}" \
		--branch unsigned --verify-keys "$tmp/keys" app >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [[ $status -eq 1 && ! -s $tmp/out ]] &&
		grep -q "^gitops-agent build: Unsigned: commit $(rev unsigned)" "$tmp/err"; then
		ok "$label: build --git-url refuses an unsigned revision"
	else
		not_ok "$label: build --git-url refuses an unsigned revision" \
			"exit $status; $(cat "$tmp/out" "$tmp/err")"
	fi
	"$agent" --log-level error build --git-url "$url" --cache "$cache" "${via[@]}" \
		--branch main --since "$c1" --verify-keys "$tmp/keys" \
		--allowed-signers "$tmp/allowed_signers" app >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [[ $status -eq 0 ]] && grep -q "kind: ConfigMap" "$tmp/out"; then
		ok "$label: build --git-url builds a verified revision"
	else
		not_ok "$label: build --git-url builds a verified revision" \
			"exit $status; $(cat "$tmp/out" "$tmp/err")"
	fi
}

matrix file "file://$srv"
start_git_daemon "$srv"
matrix git "git://127.0.0.1:$daemon_port"
# Smart HTTP: git http-backend behind lighttpd, without authentication.
start_httpd "$srv" "$tmp/http" || not_ok "lighttpd starts (http)" "$(cat "$tmp/http.err")"
http_pid=$httpd_pid
matrix http "http://127.0.0.1:$hport"
# The same over https://, trusting a throw-away CA.
if command -v openssl >/dev/null && make_test_pki "$tmp/pki"; then
	kill "$http_pid" 2>/dev/null && wait "$http_pid" 2>/dev/null
	start_httpd "$srv" "$tmp/https" --cert "$tmp/pki/srv.crt" \
		--key "$tmp/pki/srv.key" ||
		not_ok "lighttpd starts (https)" "$(cat "$tmp/https.err")"
	http_pid=$httpd_pid
	via=(--ca-file "$tmp/pki/ca.crt")
	matrix https "https://localhost:$hport"
	via=()
else
	skip "https: the verified-fetch matrix" "openssl not installed"
fi
# And over ssh://, the host known from known_hosts.
sdir=$tmp/sshd
mkdir -m 700 "$sdir"
ssh-keygen -q -t ed25519 -N '' -f "$sdir/id" -C client
cp "$sdir/id.pub" "$sdir/authorized_keys"
if start_sshd "$sdir" "$sdir/authorized_keys"; then
	via=(--ssh-key "$sdir/id" --known-hosts "$sdir/known_hosts")
	matrix ssh "ssh://$(id -un)@127.0.0.1:$sshd_port$srv"
	via=()
else
	skip "ssh: the verified-fetch matrix" "sshd not installed (Debian openssh-server)"
fi

# The library's result contract, on the file:// copy.
"$lib_test" "file://$srv/file-repo.git" "$tmp/cache-lib" "$tmp/keys" "$c3" \
	"$(rev unsigned)" "$(rev mid)" "$m2" >"$tmp/lib.out" 2>&1
while read -r verdict rest; do
	case $verdict in
	PASS) ok "library: $rest" ;;
	FAIL) not_ok "library: ${rest%%:*}" "${rest#*: }" ;;
	*) not_ok "library: unexpected output" "$verdict $rest" ;;
	esac
done <"$tmp/lib.out"
[[ -s $tmp/lib.out ]] || not_ok "library: gitverify-test ran" ""

# Without keys nothing is verified, and the log says so.
"$agent" --log-format text fetch --cache "$tmp/cache-file" --url "file://$srv/file-repo.git" \
	--branch unsigned >"$tmp/out" 2>"$tmp/err"
if [[ $? -eq 0 && $(cat "$tmp/out") == "unsigned@sha1:$(rev unsigned)" ]] &&
	grep -q " warn .*signature verification is off" "$tmp/err"; then
	ok "no keys: no verification, with a warning"
else
	not_ok "no keys: no verification, with a warning" "$(cat "$tmp/out" "$tmp/err")"
fi

tap_end
