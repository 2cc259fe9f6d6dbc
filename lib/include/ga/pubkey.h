/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Public-key signature checks and SHA-512 for signature verification of Git
 * objects (SSH signatures): Ed25519 (RFC 8032), RSA PKCS#1 v1.5 with
 * SHA-256/SHA-512 (RFC 8017) and ECDSA over NIST P-256 (FIPS 186-4).  The
 * arithmetic is nettle's, called only from lib/crypto/; its types never
 * appear here.  Keys and signatures are plain byte strings as they appear on
 * the wire (big-endian integers); nothing is retained.  Thread-safe.
 */
#ifndef GA_PUBKEY_H
#define GA_PUBKEY_H

#include <stddef.h>

#include "common.h"

/** Bytes in a SHA-512 digest. */
#define GA_SHA512_LEN 64
/** Bytes in an Ed25519 public key and signature. */
#define GA_ED25519_KEY_LEN 32
#define GA_ED25519_SIG_LEN 64
/** Bytes in an uncompressed P-256 point (0x04 || X || Y). */
#define GA_P256_POINT_LEN 65
/** The RSA modulus sizes we accept, in bits. */
#define GA_RSA_MIN_BITS 2048
#define GA_RSA_MAX_BITS 16384

/** The digest an RSA signature was made over. */
typedef enum ga_rsa_hash {
	GA_RSA_SHA256, /**< rsa-sha2-256 */
	GA_RSA_SHA512, /**< rsa-sha2-512 */
} ga_rsa_hash;

/**
 * One-shot SHA-512 of @len bytes at @data (NULL allowed when @len is 0)
 * into @out.  Returns 0 or GA_EINVALID (NULL argument).
 */
GA_EXTERN int ga_sha512(unsigned char out[GA_SHA512_LEN], const void *data,
                        size_t len);

/**
 * Check the Ed25519 signature @sig of the @len bytes at @msg under the
 * public key @pub.  Returns 0 when it is valid, GA_EVERIFY when it is not
 * (message set), GA_EINVALID for a NULL argument.
 */
GA_EXTERN int ga_ed25519_verify(const unsigned char pub[GA_ED25519_KEY_LEN],
                                const void *msg, size_t len,
                                const unsigned char sig[GA_ED25519_SIG_LEN]);

/**
 * Check the RSASSA-PKCS1-v1_5 signature @sig (@sig_len bytes, at most the
 * modulus size) of @digest (32 bytes for GA_RSA_SHA256, 64 for
 * GA_RSA_SHA512) under the key with modulus @n and exponent @e (unsigned
 * big-endian, @n_len and @e_len bytes).  Returns 0 when valid, GA_EVERIFY
 * when not, GA_EUNSUPPORTED for a modulus outside GA_RSA_MIN_BITS ..
 * GA_RSA_MAX_BITS, GA_EINVALID for a malformed key or NULL argument.
 */
GA_EXTERN int ga_rsa_verify(const unsigned char *n, size_t n_len,
                            const unsigned char *e, size_t e_len,
                            ga_rsa_hash hash, const unsigned char *digest,
                            const unsigned char *sig, size_t sig_len);

/**
 * Check the ECDSA P-256 signature (@r, @s: unsigned big-endian, at most 32
 * significant bytes each) of the SHA-256 @digest under the uncompressed
 * point @point.  Returns 0 when valid, GA_EVERIFY when not, GA_EINVALID for
 * a point that is not on the curve or a NULL argument.
 */
GA_EXTERN int ga_p256_verify(const unsigned char point[GA_P256_POINT_LEN],
                             const unsigned char digest[32],
                             const unsigned char *r, size_t r_len,
                             const unsigned char *s, size_t s_len);

#endif
