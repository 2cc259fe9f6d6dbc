/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHA-256 digests (FIPS 180-4) for kustomize's generated-name hashes and
 * content checksums, one-shot or incremental, and lowercase hex text.  The
 * hashing is nettle's, called only from lib/crypto/; its types
 * never appear here.  An incremental context is owned by its creator and
 * freed with ga_sha256_free().  Thread-safe: distinct contexts may be used
 * concurrently; one context must not be shared between threads.
 */
#ifndef GA_DIGEST_H
#define GA_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "common.h"

/** Bytes in a SHA-256 digest. */
#define GA_SHA256_LEN 32

/** Bytes of ga_hex() output for a SHA-256 digest, NUL included. */
#define GA_SHA256_HEX_SIZE (2 * GA_SHA256_LEN + 1)

/** Bytes in a SHA-1 digest (and an HMAC-SHA1 tag). */
#define GA_SHA1_LEN 20

/** An incremental SHA-256 computation (opaque). */
typedef struct ga_sha256_ctx ga_sha256_ctx;

/**
 * Start an incremental digest.  On success *out is a new context the
 * caller frees with ga_sha256_free(); on failure *out is untouched.
 * Returns 0, GA_EINVALID (NULL @out) or GA_ENOMEM.
 */
GA_EXTERN int ga_sha256_new(ga_sha256_ctx **out);

/** Free @ctx; NULL is ignored. */
GA_EXTERN void ga_sha256_free(ga_sha256_ctx *ctx);

/**
 * Feed @len bytes at @data (which may be NULL when @len is 0) into @ctx.
 * Returns 0 or GA_EINVALID (NULL @ctx, or NULL @data with @len > 0).
 */
GA_EXTERN int ga_sha256_update(ga_sha256_ctx *ctx, const void *data,
                               size_t len);

/**
 * Write the digest of everything fed to @ctx since it was created or last
 * finished into @out.  The context then starts over, empty, and may be fed
 * again.  Returns 0 or GA_EINVALID (NULL argument).
 */
GA_EXTERN int ga_sha256_final(unsigned char out[GA_SHA256_LEN],
                              ga_sha256_ctx *ctx);

/**
 * One-shot digest of @len bytes at @data (NULL allowed when @len is 0)
 * into @out.  Returns 0, GA_EINVALID (NULL @out, or NULL @data with
 * @len > 0).
 */
GA_EXTERN int ga_sha256(unsigned char out[GA_SHA256_LEN], const void *data,
                        size_t len);

/**
 * Write @len bytes at @in as lowercase hexadecimal into @out, which must
 * hold 2 * @len + 1 bytes, and NUL-terminate it.  Never fails.
 */
GA_EXTERN void ga_hex(char *out, const unsigned char *in, size_t len);

/**
 * ga_sha256() of @len bytes at @data (NULL allowed when @len is 0) written
 * as lowercase hex into @out: the form checksums are stored and compared
 * in.  Returns 0 or GA_EINVALID (NULL @data with @len > 0).
 */
GA_EXTERN int ga_sha256_hex(char out[GA_SHA256_HEX_SIZE], const void *data,
                            size_t len);

/**
 * HMAC-SHA1 (RFC 2104) of @len bytes at @data under the @keylen-byte
 * @key, into @out.  SHA-1 here only because OpenSSH's hashed known_hosts
 * entries ("|1|salt|hash") are defined with it.  Returns 0 or GA_EINVALID
 * (NULL arguments).
 */
GA_EXTERN int ga_hmac_sha1(unsigned char out[GA_SHA1_LEN], const void *key,
                           size_t keylen, const void *data, size_t len);

/** HMAC-SHA256 (RFC 2104), as ga_hmac_sha1(). */
GA_EXTERN int ga_hmac_sha256(unsigned char out[GA_SHA256_LEN], const void *key,
                             size_t keylen, const void *data, size_t len);

/**
 * Whether @len bytes at @a and @b are equal, in a time that does not
 * depend on where they differ: for comparing secrets and MACs.
 */
GA_EXTERN bool ga_memeq_secret(const void *a, const void *b, size_t len);

#endif
