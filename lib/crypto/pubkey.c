/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signature checks over nettle (and through it GMP) for the key types that
 * git's SSH signing produces with OpenSSH keys: Ed25519 (RFC 8032),
 * rsa-sha2-256/512 (RFC 8332, PKCS#1 v1.5 from RFC 8017) and
 * ecdsa-sha2-nistp256 (RFC 5656).  Wire parsing stays with the caller; this
 * file only turns byte strings into nettle's numbers and asks for a yes or
 * no.  Every number is bounded before it is converted, so GMP never sees a
 * size the caller did not check.
 */
#include "ga/pubkey.h"

#include <nettle/bignum.h>
#include <nettle/dsa.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/ecdsa.h>
#include <nettle/eddsa.h>
#include <nettle/rsa.h>
#include <nettle/sha2.h>

#include "ga/error.h"

int ga_sha512(unsigned char out[GA_SHA512_LEN], const void *data, size_t len)
{
	struct sha512_ctx md;

	if (!out || (!data && len)) {
		ga_error_set(GA_ERRCLASS_INVALID, "sha512: NULL argument");
		return GA_EINVALID;
	}
	sha512_init(&md);
	if (len)
		sha512_update(&md, len, data);
	sha512_digest(&md, GA_SHA512_LEN, out);
	return 0;
}

int ga_ed25519_verify(const unsigned char pub[GA_ED25519_KEY_LEN],
                      const void *msg, size_t len,
                      const unsigned char sig[GA_ED25519_SIG_LEN])
{
	if (!pub || !sig || (!msg && len)) {
		ga_error_set(GA_ERRCLASS_INVALID, "ed25519: NULL argument");
		return GA_EINVALID;
	}
	/* nettle wants a non-NULL message pointer even when it is empty. */
	if (!ed25519_sha512_verify(pub, len, len ? msg : (const void *)sig,
	                           sig)) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "ed25519: signature does not match");
		return GA_EVERIFY;
	}
	return 0;
}

/* Leading zero bytes do not count towards an integer's size. */
static size_t significant(const unsigned char *p, size_t len)
{
	while (len && !*p) {
		p++;
		len--;
	}
	return len;
}

static int rsa_check_key(const struct rsa_public_key *pub, size_t n_len)
{
	size_t bits = mpz_sizeinbase(pub->n, 2);

	if (n_len == 0 || bits < GA_RSA_MIN_BITS || bits > GA_RSA_MAX_BITS) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "rsa: %zu-bit modulus is not supported (%d to %d "
		             "bits)",
		             n_len ? bits : 0, GA_RSA_MIN_BITS,
		             GA_RSA_MAX_BITS);
		return GA_EUNSUPPORTED;
	}
	return 0;
}

int ga_rsa_verify(const unsigned char *n, size_t n_len, const unsigned char *e,
                  size_t e_len, ga_rsa_hash hash, const unsigned char *digest,
                  const unsigned char *sig, size_t sig_len)
{
	struct rsa_public_key pub;
	mpz_t s;
	int err = 0, ok;

	if (!n || !e || !digest || !sig) {
		ga_error_set(GA_ERRCLASS_INVALID, "rsa: NULL argument");
		return GA_EINVALID;
	}
	/* Bound the sizes before GMP allocates anything. */
	if (significant(n, n_len) > GA_RSA_MAX_BITS / 8 ||
	    significant(e, e_len) > 8) {
		ga_error_set(GA_ERRCLASS_VERIFY, "rsa: key is too large");
		return GA_EUNSUPPORTED;
	}
	rsa_public_key_init(&pub);
	mpz_init(s);
	nettle_mpz_set_str_256_u(pub.n, n_len, n);
	nettle_mpz_set_str_256_u(pub.e, e_len, e);
	if ((err = rsa_check_key(&pub, significant(n, n_len))) < 0)
		goto out;
	if (!rsa_public_key_prepare(&pub) || mpz_even_p(pub.e) ||
	    mpz_cmp_ui(pub.e, 3) < 0) {
		ga_error_set(GA_ERRCLASS_VERIFY, "rsa: malformed public key");
		err = GA_EINVALID;
		goto out;
	}
	if (significant(sig, sig_len) > pub.size) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "rsa: signature is longer than the modulus");
		err = GA_EVERIFY;
		goto out;
	}
	nettle_mpz_set_str_256_u(s, sig_len, sig);
	ok = hash == GA_RSA_SHA512 ? rsa_sha512_verify_digest(&pub, digest, s)
	                           : rsa_sha256_verify_digest(&pub, digest, s);
	if (!ok) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "rsa: signature does not match");
		err = GA_EVERIFY;
	}
out:
	mpz_clear(s);
	rsa_public_key_clear(&pub);
	return err;
}

int ga_p256_verify(const unsigned char point[GA_P256_POINT_LEN],
                   const unsigned char digest[32], const unsigned char *r,
                   size_t r_len, const unsigned char *s, size_t s_len)
{
	struct ecc_point pub;
	struct dsa_signature sig;
	mpz_t x, y;
	int err = 0;

	if (!point || !digest || !r || !s) {
		ga_error_set(GA_ERRCLASS_INVALID, "ecdsa: NULL argument");
		return GA_EINVALID;
	}
	if (significant(r, r_len) > 32 || significant(s, s_len) > 32) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "ecdsa: signature value out of range");
		return GA_EVERIFY;
	}
	if (point[0] != 0x04) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "ecdsa: only uncompressed points are supported");
		return GA_EINVALID;
	}
	ecc_point_init(&pub, nettle_get_secp_256r1());
	dsa_signature_init(&sig);
	mpz_inits(x, y, NULL);
	nettle_mpz_set_str_256_u(x, 32, point + 1);
	nettle_mpz_set_str_256_u(y, 32, point + 33);
	/* ecc_point_set() refuses points that are not on the curve. */
	if (!ecc_point_set(&pub, x, y)) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "ecdsa: public key is not a P-256 point");
		err = GA_EINVALID;
		goto out;
	}
	nettle_mpz_set_str_256_u(sig.r, r_len, r);
	nettle_mpz_set_str_256_u(sig.s, s_len, s);
	if (!ecdsa_verify(&pub, 32, digest, &sig)) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "ecdsa: signature does not match");
		err = GA_EVERIFY;
	}
out:
	mpz_clears(x, y, NULL);
	dsa_signature_clear(&sig);
	ecc_point_clear(&pub);
	return err;
}
