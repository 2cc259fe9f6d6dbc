/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SSH half of signature verification without real signatures: base64,
 * the crypto primitives against published vectors (RFC 8032, FIPS 180-2),
 * the sshsig container (PROTOCOL.sshsig) built by hand, allowed-signers
 * parsing (ssh-keygen(1) ALLOWED SIGNERS) and OpenSSH pattern lists.  Real
 * signatures made by ssh-keygen and git are in test-verify-policy.
 */
#include "verify/ssh.h"

#include <stdlib.h>

#include "ga/alloc.h"
#include "ga/pubkey.h"
#include "harness.h"
#include "util/base64.h"

#define ED_KEY                                                                 \
	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIITCP2SRl2DQWzdVHaVNe7jNw7nfTDB" \
	"kc2MAHmmBay/"

static void unhex(unsigned char *out, const char *hex)
{
	for (size_t i = 0; hex[2 * i]; i++) {
		char pair[3] = {hex[2 * i], hex[2 * i + 1], '\0'};

		out[i] = (unsigned char)strtoul(pair, NULL, 16);
	}
}

static void base64(void)
{
	static const char *const plain[] = {"",     "f",     "fo",    "foo",
	                                    "foob", "fooba", "foobar"};
	static const char *const coded[] = {
	    "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	ga_buf b = GA_BUF_INIT(64);

	for (size_t i = 0; i < 7; i++) {
		ga_buf_clear(&b);
		CHECK_OK(ga_base64_encode(&b, (const unsigned char *)plain[i],
		                          strlen(plain[i]), true));
		CHECK_EQ_STR(ga_buf_cstr(&b), coded[i]);
		ga_buf_clear(&b);
		CHECK_OK(
		    ga_base64_decode(&b, coded[i], strlen(coded[i]), false));
		CHECK_EQ_STR(ga_buf_cstr(&b), plain[i]);
	}
	ga_buf_clear(&b);
	CHECK_OK(ga_base64_encode(&b, (const unsigned char *)"fo", 2, false));
	CHECK_EQ_STR(ga_buf_cstr(&b), "Zm8");
	ga_buf_clear(&b);
	CHECK_OK(ga_base64_decode(&b, "Zm9v\nYmFy\r\n", 11, true));
	CHECK_EQ_STR(ga_buf_cstr(&b), "foobar");
	CHECK_ERR(ga_base64_decode(&b, "Zm9v YmFy", 9, false), GA_EINVALID);
	CHECK_ERR(ga_base64_decode(&b, "Zm8", 3, false), GA_EINVALID);
	CHECK_ERR(ga_base64_decode(&b, "Zm9=", 4, false), GA_EINVALID);
	CHECK_ERR(ga_base64_decode(&b, "Zg==Zg==", 8, false), GA_EINVALID);
	CHECK_ERR(ga_base64_decode(&b, "Z===", 4, false), GA_EINVALID);
	CHECK_ERR(ga_base64_decode(&b, "Zm-v", 4, false), GA_EINVALID);
	CHECK_ERR(ga_base64_decode(&b, "=", 1, false), GA_EINVALID);
	ga_buf_dispose(&b);
}

static void primitives(void)
{
	unsigned char pub[32], sig[64], md[65], want[65];

	unhex(md, "00");
	CHECK_OK(ga_sha512(md, "abc", 3));
	unhex(want, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee6"
	            "4b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e"
	            "2a9ac94fa54ca49f");
	CHECK(memcmp(md, want, 64) == 0);
	/* RFC 8032 §7.1, test 1 (the empty message). */
	unhex(pub, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f"
	           "707511a");
	unhex(sig, "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e0652"
	           "24901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe2465"
	           "5141438e7a100b");
	CHECK_OK(ga_ed25519_verify(pub, NULL, 0, sig));
	CHECK_ERR(ga_ed25519_verify(pub, "x", 1, sig), GA_EVERIFY);
	sig[10] ^= 1;
	CHECK_ERR(ga_ed25519_verify(pub, NULL, 0, sig), GA_EVERIFY);
	/* RSA and P-256 refuse bad keys before doing arithmetic. */
	memset(md, 0xff, sizeof(md));
	CHECK_ERR(ga_rsa_verify(md, 64, (const unsigned char *)"\x01\x00\x01",
	                        3, GA_RSA_SHA256, md, md, 64),
	          GA_EUNSUPPORTED);
	memset(want, 0, sizeof(want));
	want[0] = 4;
	CHECK_ERR(ga_p256_verify(want, md, md, 33, md, 32), GA_EVERIFY);
	CHECK_EQ_STR(ga_error_last()->message,
	             "ecdsa: signature value out of range");
	CHECK_ERR(ga_p256_verify(want, md, md, 1, md, 1), GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message,
	             "ecdsa: public key is not a P-256 point");
}

/* An armored sshsig of the given fields, SSH strings each. */
static void armor(ga_buf *out, uint32_t version, const char *extra,
                  size_t extra_len)
{
	ga_buf blob = GA_BUF_INIT(4096);
	static const char fields[] =
	    "\0\0\0\x0bssh-ed25519" /* not a real key: parsing only */
	    "\0\0\0\x03git"
	    "\0\0\0\0"
	    "\0\0\0\x06sha512"
	    "\0\0\0\x02xy";
	unsigned char v[4] = {(unsigned char)(version >> 24), 0, 0,
	                      (unsigned char)version};

	(void)ga_buf_put(&blob, "SSHSIG", 6);
	(void)ga_buf_put(&blob, v, 4);
	(void)ga_buf_put(&blob, fields, sizeof(fields) - 1);
	(void)ga_buf_put(&blob, extra, extra_len);
	ga_buf_clear(out);
	(void)ga_buf_puts(out, "-----BEGIN SSH SIGNATURE-----\n");
	(void)ga_base64_encode(out, (const unsigned char *)blob.ptr, blob.size,
	                       true);
	(void)ga_buf_puts(out, "\n-----END SSH SIGNATURE-----\n");
	ga_buf_dispose(&blob);
}

static void sshsig_container(void)
{
	ga_sshsig sig = GA_SSHSIG_INIT;
	ga_buf text = GA_BUF_INIT(8192);

	armor(&text, 1, "", 0);
	CHECK_OK(ga_sshsig_parse(&sig, text.ptr, text.size));
	CHECK(ga_ssh__str_eq(sig.nspace, "git"));
	CHECK(ga_ssh__str_eq(sig.hash_alg, "sha512"));
	CHECK(ga_ssh__str_eq(sig.signature, "xy"));
	CHECK(ga_ssh__str_eq(sig.pubkey, "ssh-ed25519"));
	/* The wrong namespace is refused before any key is looked at. */
	CHECK_ERR(ga_sshsig_verify(&sig, "m", 1, "file"), GA_EVERIFY);
	/* "ssh-ed25519" without its key bytes. */
	CHECK_ERR(ga_sshsig_verify(&sig, "m", 1, "git"), GA_EINVALID);

	armor(&text, 2, "", 0);
	CHECK_ERR(ga_sshsig_parse(&sig, text.ptr, text.size), GA_EUNSUPPORTED);
	armor(&text, 1, "z", 1);
	CHECK_ERR(ga_sshsig_parse(&sig, text.ptr, text.size), GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message,
	             "ssh signature: trailing bytes after the signature");
	armor(&text, 1, "", 0);
	CHECK_ERR(ga_sshsig_parse(&sig, text.ptr, text.size - 10), GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message,
	             "ssh signature: no \"-----END SSH SIGNATURE-----\" line");
	(void)ga_buf_puts(&text, "x");
	CHECK_ERR(ga_sshsig_parse(&sig, text.ptr, text.size), GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message,
	             "ssh signature: text after the end marker");
	CHECK_ERR(ga_sshsig_parse(&sig,
	                          "-----BEGIN SSH SIGNATURE-----\n!\n"
	                          "-----END SSH SIGNATURE-----\n",
	                          60),
	          GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message,
	             "ssh signature: base64: invalid character");
	CHECK_ERR(ga_sshsig_parse(&sig,
	                          "-----BEGIN SSH SIGNATURE-----\n"
	                          "U1NIU0lHAAAA\n"
	                          "-----END SSH SIGNATURE-----\n",
	                          71),
	          GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message, "ssh signature: truncated");
	CHECK_ERR(ga_sshsig_parse(&sig, "-----BEGIN PGP SIGNATURE-----\n", 30),
	          GA_EINVALID);
	ga_sshsig_dispose(&sig);
	ga_buf_dispose(&text);
}

static int parse(ga_ssh_signers *l, const char *text, bool principals)
{
	return ga_ssh__parse_signers(l, text, strlen(text), "signers",
	                             principals);
}

static void allowed_signers(void)
{
	ga_ssh_signers l = {0};
	const char *text =
	    "# comment\n"
	    "\n"
	    "  a@example.com " ED_KEY " laptop  \r\n"
	    "\"b@example.com,*@corp.example\" namespaces=\"git,file\","
	    "VALID-AFTER=\"20240101\",valid-before=\"20250102030405Z\" " ED_KEY
	    "\n"
	    "c@example.com valid-before=\"203001011200Z\" " ED_KEY;

	CHECK_OK(parse(&l, text, true));
	CHECK_EQ_INT(l.n, 3);
	if (l.n == 3) {
		CHECK_EQ_STR(l.v[0].principals, "a@example.com");
		CHECK_EQ_STR(l.v[0].comment, "laptop");
		CHECK(l.v[0].nspaces == NULL);
		CHECK(l.v[0].valid_after == INT64_MIN);
		CHECK(l.v[0].valid_before == INT64_MAX);
		CHECK_EQ_INT(l.v[0].key_len, 51);
		CHECK_EQ_STR(l.v[1].principals, "b@example.com,*@corp.example");
		CHECK_EQ_STR(l.v[1].nspaces, "git,file");
		CHECK_EQ_INT(l.v[1].valid_before, 1735787045);
		CHECK(l.v[1].comment == NULL);
		CHECK_EQ_INT(l.v[2].valid_before, 1893499200);
	}
	/* authorized_keys style: no principals. */
	CHECK_OK(parse(&l, ED_KEY " ed@example.com\n", false));
	CHECK_EQ_INT(l.n, 4);
	if (l.n == 4) {
		CHECK(l.v[3].principals == NULL);
		CHECK_EQ_STR(l.v[3].comment, "ed@example.com");
	}
	ga_ssh__signers_dispose(&l);
}

static void expect_error(const char *text, bool principals, int code,
                         const char *message)
{
	ga_ssh_signers l = {0};

	CHECK_OK(parse(&l, ED_KEY "\n", false));
	CHECK_ERR(parse(&l, text, principals), code);
	CHECK_EQ_STR(ga_error_last()->message, message);
	/* All or nothing: the earlier key stays, nothing of @text does. */
	CHECK_EQ_INT(l.n, 1);
	ga_ssh__signers_dispose(&l);
}

static void allowed_signers_errors(void)
{
	expect_error("a@x " ED_KEY "\nb@x\n", true, GA_EINVALID,
	             "signers:2: expected \"principals [options] keytype "
	             "base64-key\"");
	expect_error("a@x cert-authority " ED_KEY, true, GA_EUNSUPPORTED,
	             "signers:1: cert-authority is not supported (SSH "
	             "certificates cannot be verified)");
	expect_error("a@x namespaces=git " ED_KEY, true, GA_EINVALID,
	             "signers:1: option value must be in double quotes");
	expect_error("a@x valid-after=\"2024\" " ED_KEY, true, GA_EINVALID,
	             "signers:1: time is not YYYYMMDD[HHMM[SS]][Z]");
	expect_error("a@x valid-after=\"20241301\" " ED_KEY, true, GA_EINVALID,
	             "signers:1: time out of range");
	expect_error("a@x namespaces=\"git\",namespaces=\"x\" " ED_KEY, true,
	             GA_EINVALID, "signers:1: namespaces given twice");
	expect_error("a@x namespaces=\"git\"" ED_KEY, true, GA_EINVALID,
	             "signers:1: no key after the options");
	expect_error("\"a@x " ED_KEY, true, GA_EINVALID,
	             "signers:1: unterminated quote");
	expect_error("a@x ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIIITCP2SRl2DQWzdVHaV"
	             "Ne7jNw7nfTDBkc2MAHmmBay/",
	             true, GA_EINVALID,
	             "signers:1: key type does not match the key");
	expect_error("a@x ssh-ed25519 AAAA!", true, GA_EINVALID,
	             "signers:1: key is not valid base64");
	expect_error("a@x ssh-ed25519", true, GA_EINVALID,
	             "signers:1: expected \"keytype base64-key [comment]\"");
	expect_error("restrict,command=\"x\" " ED_KEY, false, GA_EUNSUPPORTED,
	             "signers:1: key options are not supported here");
}

static void allowed_signers_limits(void)
{
	ga_ssh_signers l = {0};
	ga_buf text = GA_BUF_INIT(GA_SSH_SIGNERS_TEXT_MAX + 16);

	for (int i = 0; i < GA_SSH_SIGNERS_MAX + 1; i++)
		(void)ga_buf_puts(&text, ED_KEY "\n");
	CHECK_OK(text.err);
	CHECK_ERR(ga_ssh__parse_signers(&l, text.ptr, text.size, "many", false),
	          GA_ELIMIT);
	CHECK_EQ_INT(l.n, 0);
	ga_buf_clear(&text);
	(void)ga_buf_puts(&text, "a@x ");
	while (text.size < 9000)
		(void)ga_buf_puts(&text, "a");
	CHECK_ERR(ga_ssh__parse_signers(&l, text.ptr, text.size, "long", true),
	          GA_ELIMIT);
	CHECK_EQ_STR(ga_error_last()->message, "long:1: line is too long");
	CHECK_ERR(ga_ssh__parse_signers(&l, "a@x \0 y", 7, "nul", true),
	          GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message, "nul:1: NUL byte");
	ga_ssh__signers_dispose(&l);
	ga_buf_dispose(&text);
}

static void pattern_lists(void)
{
	CHECK(ga_ssh__match_list("git", "git"));
	CHECK(ga_ssh__match_list("git", "file,git"));
	CHECK(!ga_ssh__match_list("git", "file"));
	CHECK(ga_ssh__match_list("a@corp.example", "*@corp.example"));
	CHECK(ga_ssh__match_list("a@corp.example", "?@corp.*"));
	CHECK(!ga_ssh__match_list("ab@corp.example", "?@corp.*"));
	CHECK(!ga_ssh__match_list("a@corp.example", "*,!a@*"));
	CHECK(ga_ssh__match_list("b@corp.example", "*,!a@*"));
	CHECK(!ga_ssh__match_list("x", "!y"));
	CHECK(!ga_ssh__match_list("x", ""));
	CHECK(ga_ssh__match_list("", "*"));
}

int main(void)
{
	RUN(base64);
	RUN(primitives);
	RUN(sshsig_container);
	RUN(allowed_signers);
	RUN(allowed_signers_errors);
	RUN(allowed_signers_limits);
	RUN(pattern_lists);
	return DONE();
}
