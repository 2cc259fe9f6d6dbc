#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Signature verification end to end: keys made by real gpg and ssh-keygen,
# commits and tags signed by real git (gpg.format openpgp and ssh) and by
# ssh-keygen -Y sign directly, fed to `gitops-agent verify-object` as
# `git cat-file` prints them.  Where git itself can judge (git
# verify-commit), its verdict is checked to agree with ours.  Everything
# lives in a temporary directory; the gpg-agent started for it is stopped
# on exit.  TAP output, one point per check.
set -uo pipefail

agent=${1:?usage: verify.sh PATH-TO-gitops-agent}
agent=$(realpath "$agent")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/git/lib.sh
. "$here/lib.sh"
work=$(mktemp -d)
export GNUPGHOME=$work/gnupg HOME=$work GIT_CONFIG_NOSYSTEM=1
export GIT_CONFIG_GLOBAL=$work/gitconfig TZ=UTC
cleanup() {
	gpgconf --kill gpg-agent >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
cd "$work" || exit 1


# expect NAME WANT_STATUS PATTERN OBJECT-FILE [verify-object options...]:
# PATTERN is looked for in stdout and stderr together, which must be one
# line: the verdict or our error, and nothing from a library (librnp
# logs to stderr unless told otherwise).
expect() {
	local name=$1 want=$2 pattern=$3 file=$4 out status
	shift 4
	out=$("$agent" verify-object "$@" "$file" 2>&1)
	status=$?
	if [[ $status -ne $want ]]; then
		not_ok "$name (exit $status, want $want)" "$out"
	elif ! grep -qE -- "$pattern" <<<"$out"; then
		not_ok "$name (output lacks /$pattern/)" "$out"
	elif [[ $(wc -l <<<"$out") -ne 1 ]]; then
		not_ok "$name (more than our one line)" "$out"
	else
		ok "$name"
	fi
}

# Keys.  An OpenPGP key that expired in 2020 is made, and used, with
# gpg's faked clock; the revoked key is revoked after it signed.
mkdir -m 700 gnupg keys stranger-keys
gpg_gen --quick-gen-key 'Good Signer <good@example.com>' ed25519 sign never
gpg_gen --quick-gen-key 'Revoked Signer <revoked@example.com>' rsa3072 sign never
gpg_gen --quick-gen-key 'Stranger <stranger@example.com>' ed25519 sign never
gpg_gen --faked-system-time 20200101T000000 \
	--quick-gen-key 'Old Signer <old@example.com>' ed25519 sign 2020-06-01
printf '#!/bin/sh\nexec gpg --faked-system-time 20200301T000000 "$@"\n' >oldgpg
chmod +x oldgpg
good_fpr=$(gpg_fpr good@example.com)
for k in ed25519 rsa ecdsa stranger; do
	t=$k
	[[ $k == stranger ]] && t=ed25519
	ssh-keygen -q -t "$t" -N '' -C "$k@example.com" -f "id_$k"
done
{
	for k in ed25519 rsa ecdsa; do
		echo "$k@example.com namespaces=\"git\" $(cut -d' ' -f1,2 "id_$k.pub")"
	done
} >allowed_signers

git init -q repo
cd repo || exit 1
git config user.name Tester
git config user.email tester@example.com
git config gpg.ssh.allowedSignersFile "$work/allowed_signers"
commit() { # MESSAGE [git -c options]
	local msg=$1
	shift
	git "$@" commit -q --allow-empty -m "$msg"
}
sign_pgp() { commit "$1" -c "user.signingkey=$2" -c commit.gpgsign=true; }
sign_ssh() {
	commit "$1" -c gpg.format=ssh -c "user.signingkey=$work/id_$2" \
		-c commit.gpgsign=true
}
obj() { git cat-file commit HEAD >"$work/$1"; }

sign_pgp "good" good@example.com && obj pgp-good
git -c user.signingkey=good@example.com tag -s -m 'release 1' v1
git cat-file tag v1 >"$work/pgp-tag"
sign_pgp "revoked" revoked@example.com && obj pgp-revoked
sign_pgp "stranger" stranger@example.com && obj pgp-stranger
GIT_COMMITTER_DATE=2020-03-01T00:00:00Z \
	commit "expired" -c gpg.program="$work/oldgpg" \
	-c user.signingkey=old@example.com -c commit.gpgsign=true &&
	obj pgp-expired
for k in ed25519 rsa ecdsa stranger; do sign_ssh "ssh $k" "$k" && obj "ssh-$k"; done
git -c gpg.format=ssh -c "user.signingkey=$work/id_ed25519" \
	tag -s -m 'release 2' v2
git cat-file tag v2 >"$work/ssh-tag"
commit "plain" && obj unsigned
cd "$work" || exit 1

# Revoke now, then export what the operator would hand us.
sed 's/^:-----/-----/' "$GNUPGHOME/openpgp-revocs.d/$(gpg_fpr revoked@example.com).rev" |
	gpg_gen --import
for u in good revoked old; do
	gpg --armor --export "$u@example.com" >"keys/$u.asc"
done
gpg --armor --export stranger@example.com >stranger-keys/stranger.asc

expect "openpgp commit" 0 "^OK openpgp $good_fpr Good Signer <good@example.com>$" \
	pgp-good --keys keys
expect "openpgp tag" 0 "^OK openpgp $good_fpr Good Signer" pgp-tag --keys keys
sed 's/^good$/gooD/' pgp-good >pgp-tampered
expect "openpgp tampered commit" 1 "^BadSignature: commit: signed by OpenPGP key $good_fpr" \
	pgp-tampered --keys keys
sed 's/release 1/release 2/' pgp-tag >pgp-tag-tampered
expect "openpgp tampered tag" 1 "^BadSignature: tag: " pgp-tag-tampered --keys keys
# What librnp prints on its own (Debian's 0.16 logs every failed check to
# the C library's stderr) becomes a debug record; the rest is our line.
out=$("$agent" --log-level debug --log-format text verify-object --keys keys \
	pgp-tampered 2>&1)
if grep -q ' debug library output text=\[signature_validate()' <<<"$out" &&
	[[ $(grep -vc ' debug ' <<<"$out") -eq 1 ]] && grep -q '^BadSignature: ' <<<"$out"; then
	ok "librnp's stderr lines become debug records"
else
	not_ok "librnp's stderr lines become debug records" "$out"
fi
expect "openpgp key not in the set" 1 "^UnknownKey: commit: signed by OpenPGP key .* which is not allowed" \
	pgp-stranger --keys keys
expect "openpgp stranger with its own key" 0 "^OK openpgp .* Stranger" \
	pgp-stranger --keys stranger-keys
expect "openpgp expired key" 1 "^ExpiredKey: commit: .*Old Signer.* which has expired" \
	pgp-expired --keys keys
expect "openpgp revoked key" 1 "^RevokedKey: commit: .*Revoked Signer.* which has been revoked" \
	pgp-revoked --keys keys
expect "unsigned commit" 1 "^Unsigned: commit: not signed" unsigned --keys keys

for k in ed25519 rsa ecdsa; do
	expect "ssh $k commit" 0 "^OK ssh SHA256:[A-Za-z0-9+/]{43} $k@example.com$" \
		"ssh-$k" --allowed-signers allowed_signers
	sed "s/^ssh $k$/ssh $k!/" "ssh-$k" >"ssh-$k-tampered"
	expect "ssh $k tampered commit" 1 "^BadSignature: commit: signed by SSH key" \
		"ssh-$k-tampered" --allowed-signers allowed_signers
done
expect "ssh tag" 0 "^OK ssh .* ed25519@example.com$" ssh-tag --allowed-signers allowed_signers
sed 's/release 2/release 3/' ssh-tag >ssh-tag-tampered
expect "ssh tampered tag" 1 "^BadSignature: tag: " ssh-tag-tampered --allowed-signers allowed_signers
expect "ssh key not allowed" 1 "^UnknownKey: commit: signed by SSH key SHA256:.* which is not allowed" \
	ssh-stranger --allowed-signers allowed_signers
fp=$(ssh-keygen -lf id_ed25519.pub | cut -d' ' -f2)
fp=${fp//+/\\+} # a pattern: base64 has + in it
expect "ssh fingerprint as ssh-keygen prints it" 0 "^OK ssh $fp " ssh-ed25519 \
	--allowed-signers allowed_signers
mkdir sshkeys && cp id_ed25519.pub sshkeys/
expect "ssh key from a .pub file" 0 "^OK ssh $fp ed25519@example.com$" ssh-ed25519 --keys sshkeys
echo "ed25519@example.com namespaces=\"file\" $(cut -d' ' -f1,2 id_ed25519.pub)" >ns_signers
expect "ssh key allowed for another namespace" 1 "^UnknownKey: .*not allowed for namespace git" \
	ssh-ed25519 --allowed-signers ns_signers
echo "ed25519@example.com valid-before=\"20200101Z\" $(cut -d' ' -f1,2 id_ed25519.pub)" >old_signers
expect "ssh key past valid-before" 1 "^ExpiredKey: " ssh-ed25519 --allowed-signers old_signers
expect "openpgp keys do not cover ssh" 1 "^UnknownKey: " ssh-ed25519 --keys keys
expect "ssh keys do not cover openpgp" 1 "^UnknownKey: " pgp-good --allowed-signers allowed_signers

out=$("$agent" verify-object --keys keys - <pgp-good 2>/dev/null)
if [[ $out == "OK openpgp $good_fpr Good Signer <good@example.com>" ]]; then
	ok "object from standard input"
else
	not_ok "object from standard input" "$out"
fi

# Key files the operator got wrong are refused, naming the file.
mkdir secret-keys bad-keys
gpg --batch --pinentry-mode loopback --passphrase '' --armor \
	--export-secret-keys good@example.com >secret-keys/good.asc 2>/dev/null
expect "a secret key in the key directory" 1 "secret-keys/good.asc: holds a secret key" \
	pgp-good --keys secret-keys
printf '# keys\nssh-ed25519 AAAA!!!! broken\n' >bad-keys/broken.pub
expect "a broken .pub line" 1 "bad-keys/broken.pub:2: key is not valid base64" \
	ssh-ed25519 --keys bad-keys
echo "a@example.com cert-authority $(cut -d' ' -f1,2 id_ed25519.pub)" >ca_signers
expect "cert-authority is refused" 1 "ca_signers:1: cert-authority is not supported" \
	ssh-ed25519 --allowed-signers ca_signers

# A commit signed by ssh-keygen -Y sign directly, as git would have:
# the unsigned commit is the payload, the signature goes in a gpgsig header.
cd repo || exit 1
git cat-file commit HEAD >"$work/payload"
ssh-keygen -q -Y sign -n git -f "$work/id_rsa" "$work/payload"
{
	sed -n '1,/^$/p' "$work/payload" | sed '$d'
	sed '1s/^/gpgsig /; 2,$s/^/ /' "$work/payload.sig"
	sed -n '/^$/,$p' "$work/payload"
} >"$work/keygen-signed"
id=$(git hash-object -t commit -w "$work/keygen-signed")
git cat-file commit "$id" >"$work/keygen-object"
if git -c gpg.format=ssh verify-commit "$id" >/dev/null 2>&1; then
	ok "git accepts the ssh-keygen signed commit"
else
	not_ok "git accepts the ssh-keygen signed commit"
fi
expect "ssh-keygen -Y sign commit" 0 "^OK ssh .* rsa@example.com$" \
	"$work/keygen-object" --allowed-signers "$work/allowed_signers"
ssh-keygen -q -Y sign -n file -f "$work/id_rsa" - <"$work/payload" >"$work/file.sig"
{
	sed -n '1,/^$/p' "$work/payload" | sed '$d'
	sed '1s/^/gpgsig /; 2,$s/^/ /' "$work/file.sig"
	sed -n '/^$/,$p' "$work/payload"
} >"$work/file-signed"
id=$(git hash-object -t commit -w "$work/file-signed")
if git -c gpg.format=ssh verify-commit "$id" >/dev/null 2>&1; then
	not_ok "git refuses a signature for namespace file"
else
	ok "git refuses a signature for namespace file"
fi
expect "ssh signature for namespace file" 1 "^BadSignature: .*namespace \"file\", not \"git\"" \
	"$work/file-signed" --allowed-signers "$work/allowed_signers"
# git's verdict on our tampered objects agrees with ours.
id=$(git hash-object -t commit -w "$work/ssh-rsa-tampered")
if git -c gpg.format=ssh verify-commit "$id" >/dev/null 2>&1; then
	not_ok "git refuses the tampered ssh commit"
else
	ok "git refuses the tampered ssh commit"
fi
cd "$work" || exit 1

# A SHA-256 repository signs into gpgsig-sha256.
git init -q --object-format=sha256 repo256
git -C repo256 -c user.name=T -c user.email=t@example.com -c gpg.format=ssh \
	-c "user.signingkey=$work/id_ecdsa" commit -q --allow-empty -S -m sha256
git -C repo256 cat-file commit HEAD >sha256-commit
if grep -q '^gpgsig-sha256 ' sha256-commit; then
	ok "sha256 repository writes gpgsig-sha256"
else
	not_ok "sha256 repository writes gpgsig-sha256"
fi
expect "sha256 repository commit" 0 "^OK ssh .* ecdsa@example.com$" sha256-commit \
	--sha256 --allowed-signers allowed_signers
expect "sha256 commit read as sha1" 1 "^Unsigned: " sha256-commit \
	--allowed-signers allowed_signers

tap_end
