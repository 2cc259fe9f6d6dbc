#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Integration tests of the Git source (lib/git) through `gitops-agent
# fetch` and `gitops-agent build --git-url`, against real servers started
# here on 127.0.0.1 and stopped on exit: a local repository over file://,
# `git daemon` (git://), `git http-backend` behind lighttpd over
# http (basic auth, bearer token) and https (a throw-away CA made with
# openssl), and OpenSSH's sshd on a high port with its own config, host
# key and authorized key.  TAP output, one point per check.
set -uo pipefail

usage="usage: git.sh PATH-TO-gitops-agent SOURCE-ROOT PATH-TO-git-mirror-test"
agent=${1:?$usage}
srcroot=${2:?$usage}
mirror_test=${3:?$usage}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/git/lib.sh
. "$here/lib.sh"
scratch

export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp/home GIT_AUTHOR_NAME=t \
	GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t \
	GIT_COMMITTER_EMAIL=t@example.com
mkdir -p "$HOME"
cache=$tmp/cache

# fetch ARGS...: run the agent; stdout to $tmp/out, stderr to $tmp/err.
fetch() {
	"$agent" --log-format text fetch --cache "$cache" "$@" \
		>"$tmp/out" 2>"$tmp/err"
}
rev() { git -C "$tmp/src" rev-parse "$1"; }
commit() {
	echo "$1" >"$tmp/src/file-$1"
	git -C "$tmp/src" add "file-$1" && git -C "$tmp/src" commit -qm "$1"
}
publish() { git -C "$tmp/src" push -q --force --tags "$tmp/srv/repo.git" main; }
mirror_objects() { find "$cache" -path '*/objects/*' -type f | sort | xargs cat | md5sum; }

# --- the repository -------------------------------------------------------
git init -q -b main "$tmp/src"
commit one
git -C "$tmp/src" tag v1.0.0
commit two
git -C "$tmp/src" tag -a v1.1.0 -m "release 1.1.0"
commit three
git -C "$tmp/src" tag -a v2.0.0-rc.1 -m "rc"
git -C "$tmp/src" tag not-a-version
mkdir -p "$tmp/srv"
git init -q --bare "$tmp/srv/repo.git"
publish
url=file://$tmp/srv/repo.git

# --- file:// --------------------------------------------------------------
fetch --url "$url" --branch main
expect "file: branch" "main@sha1:$(rev main)" "$(cat "$tmp/out")"
grep -q "unchanged=false" "$tmp/err" && ok "file: first poll fetches" ||
	not_ok "file: first poll fetches" "$(cat "$tmp/err")"
before=$(mirror_objects)
fetch --url "$url" --branch main
expect "file: second poll same revision" "main@sha1:$(rev main)" "$(cat "$tmp/out")"
grep -q "unchanged=true received_objects=0 received_bytes=0" "$tmp/err" &&
	ok "file: unchanged poll transfers nothing" ||
	not_ok "file: unchanged poll transfers nothing" "$(cat "$tmp/err")"
expect "file: unchanged poll leaves objects/ alone" "$before" "$(mirror_objects)"

fetch --url "$url" --tag v1.0.0
expect "file: lightweight tag" "v1.0.0@sha1:$(rev v1.0.0)" "$(cat "$tmp/out")"
fetch --url "$url" --tag v1.1.0
expect "file: annotated tag peeled" "v1.1.0@sha1:$(rev 'v1.1.0^{commit}')" "$(cat "$tmp/out")"
fetch --url "$url" --semver ">=1.0.0"
expect "file: semver highest release" "v1.1.0@sha1:$(rev 'v1.1.0^{commit}')" "$(cat "$tmp/out")"
fetch --url "$url" --semver ">=2.0.0-0"
expect "file: semver pre-release when asked" "v2.0.0-rc.1@sha1:$(rev main)" "$(cat "$tmp/out")"
fetch --url "$url" --semver "~1.0"
expect "file: semver tilde" "v1.0.0@sha1:$(rev v1.0.0)" "$(cat "$tmp/out")"
fetch --url "$url" --semver ">=3"
expect "file: semver without match fails" "1" "$?"
fetch --url "$url" --commit "$(rev v1.0.0)"
expect "file: pinned commit" "sha1:$(rev v1.0.0)" "$(cat "$tmp/out")"
dangling=$(git -C "$tmp/src" commit-tree -m dangling "$(rev 'main^{tree}')")
git -C "$tmp/srv/repo.git" fetch -q "$tmp/src" "$dangling" 2>/dev/null
fetch --url "$url" --commit "$dangling"
status=$?
grep -q "not reachable" "$tmp/err" && [[ $status -eq 1 ]] &&
	ok "file: unreachable pinned commit refused" ||
	not_ok "file: unreachable pinned commit refused" "$(cat "$tmp/err")"
fetch --url "$url" --branch nope
status=$?
grep -q "branch 'nope' not found" "$tmp/err" && [[ $status -eq 1 ]] &&
	ok "file: missing branch" || not_ok "file: missing branch" "$(cat "$tmp/err")"

commit four
publish
fetch --url "$url" --branch main
expect "file: branch moved" "main@sha1:$(rev main)" "$(cat "$tmp/out")"
grep -qE "unchanged=false received_objects=[1-9]" "$tmp/err" &&
	ok "file: moved branch fetched incrementally" ||
	not_ok "file: moved branch fetched incrementally" "$(cat "$tmp/err")"
git -C "$tmp/src" reset -q --hard HEAD~2
publish
fetch --url "$url" --branch main
expect "file: force-pushed branch followed" "main@sha1:$(rev main)" "$(cat "$tmp/out")"

# --- build from a revision equals build from a checkout -------------------
git init -q -b main "$tmp/dist-src"
cp -r "$srcroot/dist" "$tmp/dist-src/dist"
mkdir -p "$tmp/dist-src/links/app" "$tmp/dist-src/escape"
ln -s ../dist/app-kubernetes "$tmp/dist-src/links/kube"
ln -s ../../etc/passwd "$tmp/dist-src/escape/up"
ln -s /etc/passwd "$tmp/dist-src/escape/abs"
ln -s loop "$tmp/dist-src/escape/loop"
printf 'resources:\n- up\n' >"$tmp/dist-src/escape/kustomization.yaml"
git -C "$tmp/dist-src" add -A && git -C "$tmp/dist-src" commit -qm dist
durl=file://$tmp/dist-src
for overlay in dist/app-kubernetes dist/app-istio dist/app-linkerd links/kube; do
	"$agent" build "$tmp/dist-src/$overlay" >"$tmp/want" 2>&1
	"$agent" --log-level error build --git-url "$durl" --branch main \
		--cache "$cache" "$overlay" >"$tmp/got" 2>&1
	if [[ -s $tmp/want ]] && cmp -s "$tmp/want" "$tmp/got"; then
		ok "build: $overlay from git equals the checkout"
	else
		not_ok "build: $overlay from git equals the checkout" \
			"$(diff "$tmp/want" "$tmp/got" | head -5)"
	fi
done
"$agent" --log-level error build --git-url "$durl" --branch main \
	--cache "$cache" escape >"$tmp/got" 2>&1
status=$?
grep -q "security" "$tmp/got" && [[ $status -eq 1 ]] &&
	ok "build: a link out of the tree is refused" ||
	not_ok "build: a link out of the tree is refused" "$(cat "$tmp/got")"
for link in abs loop; do
	printf 'resources:\n- %s\n' "$link" >"$tmp/dist-src/escape/kustomization.yaml"
	git -C "$tmp/dist-src" commit -qam "$link"
	"$agent" --log-level error build --git-url "$durl" --branch main \
		--cache "$cache" escape >"$tmp/got" 2>&1
	status=$?
	[[ $status -eq 1 ]] && ! grep -q "root:" "$tmp/got" &&
		ok "build: link '$link' does not resolve" ||
		not_ok "build: link '$link' does not resolve" "$(cat "$tmp/got")"
done

# --- git:// ---------------------------------------------------------------
start_git_daemon "$tmp/srv"
pids+=("$daemon_pid")
gurl=git://127.0.0.1:$daemon_port/repo.git
fetch --url "$gurl" --branch main
expect "git: branch" "main@sha1:$(rev main)" "$(cat "$tmp/out")"
fetch --url "$gurl" --branch main
grep -q "unchanged=true received_objects=0" "$tmp/err" &&
	ok "git: unchanged poll transfers nothing" ||
	not_ok "git: unchanged poll transfers nothing" "$(cat "$tmp/err")"
commit five
publish
fetch --url "$gurl" --branch main
expect "git: branch moved" "main@sha1:$(rev main)" "$(cat "$tmp/out")"
# One commit adding one file: its commit, its root tree and the blob.
grep -q "received_objects=3 " "$tmp/err" && ok "git: a one-commit change transfers three objects" ||
	not_ok "git: a one-commit change transfers three objects" "$(cat "$tmp/err")"
fetch --url "$gurl" --tag v1.1.0
expect "git: annotated tag" "v1.1.0@sha1:$(rev 'v1.1.0^{commit}')" "$(cat "$tmp/out")"

# --- the library: objects, ancestry, ranges, tree links, cancellation ---
"$mirror_test" "$url" "$tmp/mcache" "$(rev v1.1.0)" "$(rev v1.0.0)" \
	"$(rev main)" "$(git -C "$tmp/src" rev-list --count v1.0.0..main)" \
	"$durl" "$gurl" >"$tmp/mirror.out" 2>&1
while read -r verdict rest; do
	case $verdict in
	PASS) ok "library: $rest" ;;
	FAIL) not_ok "library: ${rest%%:*}" "${rest#*: }" ;;
	*) not_ok "library: unexpected output" "$verdict $rest" ;;
	esac
done <"$tmp/mirror.out"
[[ -s $tmp/mirror.out ]] || not_ok "library: mirror-test ran" ""

# --- http(s):// -----------------------------------------------------------
# httpd NAME ARGS...: start_httpd over $tmp/srv, files $tmp/NAME.*.
httpd() {
	start_httpd "$tmp/srv" "$tmp/$1" "${@:2}" ||
		not_ok "lighttpd starts ($1)" "$(cat "$tmp/$1.err")"
	pids+=("$httpd_pid")
}
printf 'pa55-w0rd-XYZ\n' >"$tmp/password"
printf 'wrong-pa55-ABC\n' >"$tmp/badpassword"
printf 'tok-0123456789-secret\n' >"$tmp/token"
printf 'tok-wrong-987654321\n' >"$tmp/badtoken"
# no_secret NAME: neither stdout nor stderr of the last run shows a secret.
no_secret() {
	if grep -qE "pa55|tok-|s3cr3t" "$tmp/out" "$tmp/err"; then
		not_ok "$1" "$(cat "$tmp/err")"
	else
		ok "$1"
	fi
}

httpd basic --basic "alice:pa55-w0rd-XYZ"
hurl=http://127.0.0.1:$hport/repo.git
fetch --url "$hurl" --branch main --username alice --password-file "$tmp/password"
expect "http basic: branch" "main@sha1:$(rev main)" "$(cat "$tmp/out")"
: >"$tmp/basic.log"
fetch --url "$hurl" --branch main --username alice --password-file "$tmp/password"
# The log shows the ref listing (so it is being written) and no POST (no
# upload-pack request, no pack).
grep -q "unchanged=true received_objects=0" "$tmp/err" &&
	grep -q "^GET /repo.git/info/refs 200 " "$tmp/basic.log" &&
	! grep -q POST "$tmp/basic.log" &&
	ok "http basic: unchanged poll is one ref listing" ||
	not_ok "http basic: unchanged poll is one ref listing" "$(cat "$tmp/err" "$tmp/basic.log")"
fetch --url "$hurl" --branch main --username alice --password-file "$tmp/badpassword"
status=$?
grep -q "authentication failed" "$tmp/err" && [[ $status -eq 1 ]] &&
	ok "http basic: wrong password refused" ||
	not_ok "http basic: wrong password refused" "$(cat "$tmp/err")"
no_secret "http basic: no password in the output"
fetch --url "$hurl" --branch main
[[ $? -eq 1 ]] && grep -q "authentication required" "$tmp/err" &&
	ok "http basic: no credentials refused" ||
	not_ok "http basic: no credentials refused" "$(cat "$tmp/err")"
fetch --url "http://alice:s3cr3t-in-url@127.0.0.1:$hport/missing.git" --branch main
[[ $? -eq 1 ]] && grep -q "http://\*\*\*@127.0.0.1" "$tmp/err" &&
	ok "http: URL credentials redacted in errors" ||
	not_ok "http: URL credentials redacted in errors" "$(cat "$tmp/err")"
no_secret "http: no URL password in the output"

httpd bearer --bearer "tok-0123456789-secret"
turl=http://127.0.0.1:$hport/repo.git
fetch --url "$turl" --branch main --token-file "$tmp/token"
expect "http token: branch" "main@sha1:$(rev main)" "$(cat "$tmp/out")"
fetch --url "$turl" --semver ">=1" --token-file "$tmp/token"
expect "http token: semver" "v1.1.0@sha1:$(rev 'v1.1.0^{commit}')" "$(cat "$tmp/out")"
fetch --url "$turl" --branch main --token-file "$tmp/badtoken"
[[ $? -eq 1 ]] && grep -q "authentication" "$tmp/err" &&
	ok "http token: wrong token refused" ||
	not_ok "http token: wrong token refused" "$(cat "$tmp/err")"
no_secret "http token: no token in the output"

if command -v openssl >/dev/null; then
	pki=$tmp/pki
	make_test_pki "$pki"
	httpd tls --basic "alice:pa55-w0rd-XYZ" --cert "$pki/srv.crt" --key "$pki/srv.key"
	surl=https://localhost:$hport/repo.git
	fetch --url "$surl" --branch main --username alice \
		--password-file "$tmp/password" --ca-file "$pki/ca.crt"
	expect "https: branch with the CA bundle" "main@sha1:$(rev main)" "$(cat "$tmp/out")"
	fetch --url "$surl" --branch main --username alice \
		--password-file "$tmp/password" --ca-file "$pki/other.crt"
	[[ $? -eq 1 ]] && grep -qi "certificate" "$tmp/err" &&
		ok "https: a certificate from another CA is refused" ||
		not_ok "https: a certificate from another CA is refused" "$(cat "$tmp/err")"
	fetch --url "$surl" --branch main --username alice --password-file "$tmp/password"
	[[ $? -eq 1 ]] && grep -qi "certificate" "$tmp/err" &&
		ok "https: the system CAs do not trust the test CA" ||
		not_ok "https: the system CAs do not trust the test CA" "$(cat "$tmp/err")"
	no_secret "https: no password in the output"
else
	for t in "CA bundle" "other CA" "system CAs" "no password"; do
		skip "https: $t" "openssl not installed"
	done
fi

# --- timeouts: a server that accepts and then says nothing ---------------
stall_server "$tmp/silent.port"
pids+=("$stall_pid")
sport=$stall_port
for scheme in git http https; do
	start=$(date +%s)
	fetch --url "$scheme://127.0.0.1:$sport/repo.git" --branch main --timeout 1s
	status=$?
	took=$(($(date +%s) - start))
	[[ $status -eq 1 && $took -le 10 ]] && grep -q "timed out after 1000 ms" "$tmp/err" &&
		ok "timeout: a silent $scheme server gives up after the deadline" ||
		not_ok "timeout: a silent $scheme server gives up after the deadline" \
			"exit $status after ${took}s: $(cat "$tmp/err")"
done

# --- ssh:// ---------------------------------------------------------------
# shellcheck source=test/git/ssh.sh
. "$here/ssh.sh"

tap_end
