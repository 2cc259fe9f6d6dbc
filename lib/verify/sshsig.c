/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SSH signature format of OpenSSH's PROTOCOL.sshsig, as `ssh-keygen -Y
 * sign` writes it and git stores it: an armored blob
 *
 *	byte[6]  "SSHSIG"
 *	uint32   version (1)
 *	string   publickey
 *	string   namespace
 *	string   reserved
 *	string   hash_algorithm ("sha256" or "sha512")
 *	string   signature
 *
 * whose signature covers "SSHSIG" || string(namespace) ||
 * string(reserved) || string(hash_algorithm) || string(H(message)).  The
 * parser accepts exactly one armored block, nothing after the end marker
 * but line breaks, and no bytes after the last field.
 */
#include "verify/ssh.h"

#include <string.h>

#include "ga/digest.h"
#include "ga/error.h"
#include "ga/pubkey.h"
#include "util/base64.h"

#define BEGIN "-----BEGIN SSH SIGNATURE-----"
#define END "-----END SSH SIGNATURE-----"
#define MAGIC "SSHSIG"

static int bad(const char *why)
{
	ga_error_set(GA_ERRCLASS_VERIFY, "ssh signature: %s", why);
	return GA_EINVALID;
}

/* Decode the base64 between the markers into sig->blob. */
static int dearmor(ga_sshsig *sig, const char *text, size_t len)
{
	size_t blen = strlen(BEGIN), elen = strlen(END);
	const char *body, *end;
	int err;

	if (len < blen || memcmp(text, BEGIN, blen) != 0)
		return bad("does not start with \"" BEGIN "\"");
	body = text + blen;
	end = memmem(body, len - blen, END, elen);
	if (!end)
		return bad("no \"" END "\" line");
	for (const char *p = end + elen; p < text + len; p++)
		if (*p != '\n' && *p != '\r')
			return bad("text after the end marker");
	err = ga_base64_decode(&sig->blob, body, (size_t)(end - body), true);
	if (err == GA_EINVALID)
		ga_error_prefix("ssh signature");
	return err;
}

static int read_fields(ga_sshsig *sig)
{
	ga_ssh_reader r = {(const unsigned char *)sig->blob.ptr,
	                   sig->blob.size};
	uint32_t version;

	if (r.len < 6 || memcmp(r.p, MAGIC, 6) != 0)
		return bad("missing the SSHSIG preamble");
	r.p += 6;
	r.len -= 6;
	if (ga_ssh__read_u32(&r, &version) < 0)
		return bad("truncated");
	if (version != 1) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "ssh signature: version %u is not supported",
		             (unsigned)version);
		return GA_EUNSUPPORTED;
	}
	if (ga_ssh__read_string(&r, &sig->pubkey) < 0 ||
	    ga_ssh__read_string(&r, &sig->nspace) < 0 ||
	    ga_ssh__read_string(&r, &sig->reserved) < 0 ||
	    ga_ssh__read_string(&r, &sig->hash_alg) < 0 ||
	    ga_ssh__read_string(&r, &sig->signature) < 0)
		return bad("truncated");
	if (r.len)
		return bad("trailing bytes after the signature");
	if (sig->pubkey.len == 0 || sig->pubkey.len > GA_SSH_KEY_MAX)
		return bad("public key of impossible size");
	return 0;
}

int ga_sshsig_parse(ga_sshsig *out, const char *text, size_t len)
{
	int err;

	if (!out || (!text && len)) {
		ga_error_set(GA_ERRCLASS_INVALID, "sshsig: NULL argument");
		return GA_EINVALID;
	}
	ga_sshsig_dispose(out);
	if ((err = dearmor(out, text, len)) < 0)
		return err;
	return read_fields(out);
}

void ga_sshsig_dispose(ga_sshsig *sig)
{
	ga_ssh_str none = {NULL, 0};

	if (!sig)
		return;
	ga_buf_dispose(&sig->blob);
	sig->pubkey = sig->nspace = sig->hash_alg = none;
	sig->reserved = sig->signature = none;
}

static void put_string(ga_buf *b, const void *p, size_t len)
{
	unsigned char n[4] = {(unsigned char)(len >> 24),
	                      (unsigned char)(len >> 16),
	                      (unsigned char)(len >> 8), (unsigned char)len};

	(void)ga_buf_put(b, n, 4);
	(void)ga_buf_put(b, p, len);
}

int ga_sshsig_verify(const ga_sshsig *sig, const void *msg, size_t len,
                     const char *nspace)
{
	unsigned char digest[GA_SHA512_LEN];
	size_t dlen;
	ga_buf signed_data = GA_BUF_INIT(GA_VERIFY_SIGNATURE_MAX);
	int err;

	if (!ga_ssh__str_eq(sig->nspace, nspace)) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "ssh signature: made for namespace \"%.*s\", not "
		             "\"%s\"",
		             (int)(sig->nspace.len > 64 ? 64 : sig->nspace.len),
		             (const char *)sig->nspace.p, nspace);
		return GA_EVERIFY;
	}
	if (ga_ssh__str_eq(sig->hash_alg, "sha512")) {
		dlen = GA_SHA512_LEN;
		(void)ga_sha512(digest, msg, len);
	} else if (ga_ssh__str_eq(sig->hash_alg, "sha256")) {
		dlen = GA_SHA256_LEN;
		(void)ga_sha256(digest, msg, len);
	} else {
		ga_error_set(
		    GA_ERRCLASS_VERIFY,
		    "ssh signature: hash \"%.*s\" is not supported",
		    (int)(sig->hash_alg.len > 64 ? 64 : sig->hash_alg.len),
		    (const char *)sig->hash_alg.p);
		return GA_EUNSUPPORTED;
	}
	(void)ga_buf_put(&signed_data, MAGIC, 6);
	put_string(&signed_data, sig->nspace.p, sig->nspace.len);
	put_string(&signed_data, sig->reserved.p, sig->reserved.len);
	put_string(&signed_data, sig->hash_alg.p, sig->hash_alg.len);
	put_string(&signed_data, digest, dlen);
	if ((err = signed_data.err) == 0)
		err = ga_ssh__verify_blob(sig->pubkey, sig->signature,
		                          signed_data.ptr, signed_data.size);
	ga_buf_dispose(&signed_data);
	return err;
}
