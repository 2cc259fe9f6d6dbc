/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHA-256 (FIPS 180-4) over OpenSSL's EVP interface, the only place that
 * calls libcrypto.  Every libcrypto failure is turned into our error
 * contract here: the oldest error on OpenSSL's per-thread queue becomes the
 * message (ERR_error_string_n) and the queue is emptied, so that nothing
 * stale is reported later by someone else.
 *
 * libcrypto allocates with its own allocator.  It is deliberately not pointed
 * at ga_malloc(): CRYPTO_set_mem_functions() is process-wide, works only
 * before libcrypto's first allocation (libcurl may get there first), and an
 * injected failure during libcrypto's one-time initialisation would leave it
 * failed for the rest of the process.  Our own allocations (the context
 * wrapper) go through ga/alloc.h and are covered by failure injection; an
 * out-of-memory reported by libcrypto is mapped to GA_ENOMEM.
 */
#include "ga/digest.h"

#include <stdbool.h>
#include <stdio.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "ga/alloc.h"
#include "ga/error.h"

struct ga_sha256_ctx {
	EVP_MD_CTX *md;
	/* False after ga_sha256_final() until the next use re-initialises. */
	bool started;
};

/*
 * Record the oldest queued libcrypto error as ours, prefixed by @what, and
 * empty the queue.  Returns GA_ENOMEM when libcrypto ran out of memory,
 * GA_ERROR otherwise.
 */
static int crypto_error(const char *what)
{
	char msg[256];
	unsigned long e = ERR_get_error();

	ERR_clear_error();
	if (e && ERR_GET_REASON(e) == ERR_R_MALLOC_FAILURE) {
		ga_error_set_oom();
		return GA_ENOMEM;
	}
	if (e)
		ERR_error_string_n(e, msg, sizeof(msg));
	else
		(void)snprintf(msg, sizeof(msg), "unknown libcrypto error");
	ga_error_set(GA_ERRCLASS_VERIFY, "sha256: %s: %s", what, msg);
	return GA_ERROR;
}

/* OpenSSL reports the digest size it wrote; anything but 32 bytes would
 * mean a different algorithm was bound, so refuse to hand it on. */
static int check_len(unsigned int n)
{
	if (n != GA_SHA256_LEN) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "sha256: digest of %u bytes, expected %d", n,
		             GA_SHA256_LEN);
		return GA_ERROR;
	}
	return 0;
}

/* (Re)initialise @ctx for a new digest unless it is already started. */
static int start(ga_sha256_ctx *ctx)
{
	if (ctx->started)
		return 0;
	if (EVP_DigestInit_ex(ctx->md, EVP_sha256(), NULL) != 1)
		return crypto_error("EVP_DigestInit_ex");
	ctx->started = true;
	return 0;
}

int ga_sha256_new(ga_sha256_ctx **out)
{
	ga_sha256_ctx *ctx = NULL;
	int err = 0;

	if (!out) {
		ga_error_set(GA_ERRCLASS_INVALID, "sha256: NULL argument");
		return GA_EINVALID;
	}
	if (!(ctx = ga_calloc(1, sizeof(*ctx)))) {
		err = GA_ENOMEM;
		goto out;
	}
	if (!(ctx->md = EVP_MD_CTX_new())) {
		/* EVP_MD_CTX_new fails only when its allocation does. */
		ERR_clear_error();
		ga_error_set_oom();
		err = GA_ENOMEM;
		goto out;
	}
	if ((err = start(ctx)) < 0)
		goto out;

	*out = ctx;
	ctx = NULL;
out:
	ga_sha256_free(ctx);
	return err;
}

void ga_sha256_free(ga_sha256_ctx *ctx)
{
	if (!ctx)
		return;
	EVP_MD_CTX_free(ctx->md);
	ga_free(ctx);
}

int ga_sha256_update(ga_sha256_ctx *ctx, const void *data, size_t len)
{
	int err;

	if (!ctx || (!data && len)) {
		ga_error_set(GA_ERRCLASS_INVALID, "sha256: NULL argument");
		return GA_EINVALID;
	}
	if ((err = start(ctx)) < 0)
		return err;
	if (!len)
		return 0;
	if (EVP_DigestUpdate(ctx->md, data, len) != 1)
		return crypto_error("EVP_DigestUpdate");
	return 0;
}

int ga_sha256_final(unsigned char out[GA_SHA256_LEN], ga_sha256_ctx *ctx)
{
	unsigned int n = 0;
	int err;

	if (!out || !ctx) {
		ga_error_set(GA_ERRCLASS_INVALID, "sha256: NULL argument");
		return GA_EINVALID;
	}
	if ((err = start(ctx)) < 0)
		return err;
	/* Finished either way: the next use must initialise again. */
	ctx->started = false;
	if (EVP_DigestFinal_ex(ctx->md, out, &n) != 1)
		return crypto_error("EVP_DigestFinal_ex");
	return check_len(n);
}

int ga_sha256(unsigned char out[GA_SHA256_LEN], const void *data, size_t len)
{
	unsigned int n = 0;

	if (!out || (!data && len)) {
		ga_error_set(GA_ERRCLASS_INVALID, "sha256: NULL argument");
		return GA_EINVALID;
	}
	if (EVP_Digest(data ? data : "", len, out, &n, EVP_sha256(), NULL) != 1)
		return crypto_error("EVP_Digest");
	return check_len(n);
}

void ga_hex(char *out, const unsigned char *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}
