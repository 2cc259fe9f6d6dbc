/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SSH wire strings (RFC 4251 §5), OpenSSH public key blobs and signature
 * blobs for the key types git users sign with: ssh-ed25519 (RFC 8709),
 * ssh-rsa keys with rsa-sha2-256/512 signatures (RFC 8332; SHA-1 "ssh-rsa"
 * signatures are refused, as PROTOCOL.sshsig requires) and
 * ecdsa-sha2-nistp256 (RFC 5656).  Security keys (sk-*), certificates and
 * the larger ECDSA curves are reported as unsupported.  The arithmetic is
 * in lib/crypto/ behind ga/pubkey.h.
 */
#include "verify/ssh.h"

#include <string.h>

#include "ga/digest.h"
#include "ga/error.h"
#include "ga/pubkey.h"
#include "util/base64.h"

static int wire_error(const char *what)
{
	ga_error_set(GA_ERRCLASS_VERIFY, "ssh: %s", what);
	return GA_EINVALID;
}

int ga_ssh__read_u32(ga_ssh_reader *r, uint32_t *out)
{
	if (r->len < 4)
		return wire_error("truncated integer");
	*out = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 |
	       (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	r->len -= 4;
	return 0;
}

int ga_ssh__read_string(ga_ssh_reader *r, ga_ssh_str *out)
{
	ga_ssh_reader save = *r;
	uint32_t n;

	if (ga_ssh__read_u32(r, &n) < 0)
		return GA_EINVALID;
	if (n > r->len) {
		*r = save;
		return wire_error("truncated string");
	}
	out->p = r->p;
	out->len = n;
	r->p += n;
	r->len -= n;
	return 0;
}

bool ga_ssh__str_eq(ga_ssh_str s, const char *text)
{
	size_t n = strlen(text);

	return s.len == n && memcmp(s.p, text, n) == 0;
}

/* An mpint that must be positive; leading zero bytes are dropped. */
static int read_mpint(ga_ssh_reader *r, ga_ssh_str *out)
{
	if (ga_ssh__read_string(r, out) < 0)
		return GA_EINVALID;
	if (out->len && (out->p[0] & 0x80))
		return wire_error("negative integer");
	while (out->len && !out->p[0]) {
		out->p++;
		out->len--;
	}
	return 0;
}

static int unsupported(ga_ssh_str type, const char *what)
{
	ga_error_set(GA_ERRCLASS_VERIFY, "ssh: %s \"%.*s\" is not supported",
	             what, (int)(type.len > 64 ? 64 : type.len),
	             (const char *)type.p);
	return GA_EUNSUPPORTED;
}

static int verify_ed25519(ga_ssh_reader *key, ga_ssh_str type, ga_ssh_str data,
                          const void *msg, size_t len)
{
	ga_ssh_str pub;

	if (ga_ssh__read_string(key, &pub) < 0 || key->len ||
	    pub.len != GA_ED25519_KEY_LEN)
		return wire_error("malformed ssh-ed25519 key");
	if (!ga_ssh__str_eq(type, "ssh-ed25519"))
		return unsupported(type, "signature type for an ed25519 key");
	if (data.len != GA_ED25519_SIG_LEN)
		return wire_error("malformed ssh-ed25519 signature");
	return ga_ed25519_verify(pub.p, msg, len, data.p);
}

static int verify_rsa(ga_ssh_reader *key, ga_ssh_str type, ga_ssh_str data,
                      const void *msg, size_t len)
{
	unsigned char digest[GA_SHA512_LEN];
	ga_ssh_str e, n;
	ga_rsa_hash hash;

	if (read_mpint(key, &e) < 0 || read_mpint(key, &n) < 0 || key->len)
		return wire_error("malformed ssh-rsa key");
	if (ga_ssh__str_eq(type, "rsa-sha2-512")) {
		hash = GA_RSA_SHA512;
		(void)ga_sha512(digest, msg, len);
	} else if (ga_ssh__str_eq(type, "rsa-sha2-256")) {
		hash = GA_RSA_SHA256;
		(void)ga_sha256(digest, msg, len);
	} else {
		return unsupported(type, "signature type for an RSA key");
	}
	return ga_rsa_verify(n.p, n.len, e.p, e.len, hash, digest, data.p,
	                     data.len);
}

static int verify_p256(ga_ssh_reader *key, ga_ssh_str type, ga_ssh_str data,
                       const void *msg, size_t len)
{
	unsigned char digest[GA_SHA256_LEN];
	ga_ssh_str curve, point, r, s;
	ga_ssh_reader sig = {data.p, data.len};

	if (ga_ssh__read_string(key, &curve) < 0 ||
	    ga_ssh__read_string(key, &point) < 0 || key->len ||
	    !ga_ssh__str_eq(curve, "nistp256") ||
	    point.len != GA_P256_POINT_LEN)
		return wire_error("malformed ecdsa-sha2-nistp256 key");
	if (!ga_ssh__str_eq(type, "ecdsa-sha2-nistp256"))
		return unsupported(type, "signature type for a P-256 key");
	if (read_mpint(&sig, &r) < 0 || read_mpint(&sig, &s) < 0 || sig.len)
		return wire_error("malformed ecdsa-sha2-nistp256 signature");
	(void)ga_sha256(digest, msg, len);
	return ga_p256_verify(point.p, digest, r.p, r.len, s.p, s.len);
}

int ga_ssh__verify_blob(ga_ssh_str key, ga_ssh_str sig, const void *data,
                        size_t len)
{
	ga_ssh_reader k = {key.p, key.len}, s = {sig.p, sig.len};
	ga_ssh_str ktype, stype, sdata;

	if (ga_ssh__read_string(&k, &ktype) < 0)
		return wire_error("malformed public key");
	if (ga_ssh__read_string(&s, &stype) < 0 ||
	    ga_ssh__read_string(&s, &sdata) < 0 || s.len)
		return wire_error("malformed signature");
	if (ga_ssh__str_eq(ktype, "ssh-ed25519"))
		return verify_ed25519(&k, stype, sdata, data, len);
	if (ga_ssh__str_eq(ktype, "ssh-rsa"))
		return verify_rsa(&k, stype, sdata, data, len);
	if (ga_ssh__str_eq(ktype, "ecdsa-sha2-nistp256"))
		return verify_p256(&k, stype, sdata, data, len);
	return unsupported(ktype, "key type");
}

void ga_ssh__fingerprint(char out[GA_SSH_FP_SIZE], ga_ssh_str key)
{
	unsigned char digest[GA_SHA256_LEN];
	ga_buf text = GA_BUF_INIT(GA_SSH_FP_SIZE);

	(void)ga_sha256(digest, key.p, key.len);
	memcpy(out, "SHA256:", 8);
	/* 32 bytes are 43 characters unpadded, so it always fits. */
	if (ga_base64_encode(&text, digest, sizeof(digest), false) == 0 &&
	    text.size + 8 <= GA_SSH_FP_SIZE)
		memcpy(out + 7, text.ptr, text.size + 1);
	ga_buf_dispose(&text);
}
