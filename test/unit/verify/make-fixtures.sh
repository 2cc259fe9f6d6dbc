#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# How the committed fixtures of test-verify-policy were made, with real gpg,
# ssh-keygen and git.  Not run by the tests (the keys are random, so every
# run gives new files); rerun by hand to replace them all at once:
#   test/unit/verify/make-fixtures.sh test/unit/verify
set -euo pipefail
out=$(realpath "${1:?usage: make-fixtures.sh OUTDIR}")
work=$(mktemp -d)
trap 'gpgconf --kill gpg-agent 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
export GNUPGHOME=$work/gnupg GIT_CONFIG_NOSYSTEM=1 HOME=$work
mkdir -m 700 "$GNUPGHOME"
gen() { gpg --batch --passphrase '' "$@" 2>/dev/null; }

gen --quick-gen-key 'Good Signer <good@example.com>' ed25519 sign never
gen --quick-gen-key 'Revoked Signer <revoked@example.com>' rsa3072 sign never
# A key that expired in 2020, made and used with gpg's faked clock.
gen --faked-system-time 20200101T000000 \
	--quick-gen-key 'Old Signer <old@example.com>' ed25519 sign 2020-06-01
gen --quick-gen-key 'Stranger <stranger@example.com>' ed25519 sign never
printf '#!/bin/sh\nexec gpg --faked-system-time 20200301T000000 "$@"\n' >oldgpg
chmod +x oldgpg

ssh-keygen -q -t ed25519 -N '' -C ed@example.com -f id_ed25519
ssh-keygen -q -t rsa -b 3072 -N '' -C rsa@example.com -f id_rsa
ssh-keygen -q -t ecdsa -b 256 -N '' -C ec@example.com -f id_ecdsa
ssh-keygen -q -t ed25519 -N '' -C stranger@example.com -f id_stranger

git init -q repo
cd repo
git config user.name Tester
git config user.email tester@example.com
export GIT_AUTHOR_DATE='2024-05-01T12:00:00Z' GIT_COMMITTER_DATE='2024-05-01T12:00:00Z'
commit() { # NAME [git -c options...]
	local name=$1
	shift
	git "$@" commit -q --allow-empty -m "$name" -m "body of $name"
	git cat-file commit HEAD >"$out/$name.commit"
}
commit pgp-good -c user.signingkey=good@example.com -c commit.gpgsign=true
commit pgp-revoked -c user.signingkey=revoked@example.com -c commit.gpgsign=true
commit pgp-stranger -c user.signingkey=stranger@example.com -c commit.gpgsign=true
GIT_COMMITTER_DATE='2020-03-01T00:00:00Z' \
	commit pgp-expired -c gpg.program=../oldgpg \
	-c user.signingkey=old@example.com -c commit.gpgsign=true
for k in ed25519 rsa ecdsa stranger; do
	commit "ssh-$k" -c gpg.format=ssh -c "user.signingkey=$work/id_$k" \
		-c commit.gpgsign=true
done
commit unsigned
git -c user.signingkey=good@example.com tag -s -m 'release one' v1
git cat-file tag v1 >"$out/pgp-good.tag"
git -c gpg.format=ssh -c "user.signingkey=$work/id_ed25519" \
	tag -s -m 'release two' v2
git cat-file tag v2 >"$out/ssh-ed25519.tag"
cd ..

# An sshsig over a file in another namespace, and one with SHA-256.
printf 'hello\n' >msg
ssh-keygen -q -Y sign -n file -f id_ed25519 msg
mv msg.sig "$out/file-namespace.sig"
ssh-keygen -q -Y sign -n git -O hashalg=sha256 -f id_ecdsa msg
mv msg.sig "$out/sha256-ecdsa.sig"

# Revoke after signing: the revocation certificate gpg made at creation.
fpr=$(gpg --with-colons --list-keys revoked@example.com | awk -F: '/^fpr/{print $10; exit}')
sed 's/^:-----/-----/' "$GNUPGHOME/openpgp-revocs.d/$fpr.rev" | gen --import
gpg --armor --export good@example.com >"$out/good.asc"
gpg --armor --export revoked@example.com >"$out/revoked.asc"
gpg --armor --export old@example.com >"$out/old.asc"
for k in ed25519 rsa ecdsa; do cp "id_$k.pub" "$out/$k.pub"; done
{
	echo '# principals [options] key'
	echo "ed@example.com $(cut -d' ' -f1,2 id_ed25519.pub)"
	echo "rsa@example.com namespaces=\"git\" $(cut -d' ' -f1,2 id_rsa.pub)"
	echo "ec@example.com,*@ec.example.com valid-after=\"20200101\" $(cut -d' ' -f1,2 id_ecdsa.pub)"
} >"$out/allowed_signers"
