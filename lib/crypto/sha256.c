/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHA-256 (FIPS 180-4) over nettle, the only place that calls it.
 *
 * nettle rather than OpenSSL's EVP interface: a digest here is a plain
 * struct with no global state, while EVP's first use initialises the
 * provider machinery, which cost a small build about a tenth of its
 * instructions.  nettle's hashing cannot fail, so the errors left are
 * ours: NULL arguments and the context allocation.
 */
#include "ga/digest.h"

#include <nettle/sha2.h>

#include "ga/alloc.h"
#include "ga/error.h"

struct ga_sha256_ctx {
	struct sha256_ctx md;
};

int ga_sha256_new(ga_sha256_ctx **out)
{
	ga_sha256_ctx *ctx;

	if (!out) {
		ga_error_set(GA_ERRCLASS_INVALID, "sha256: NULL argument");
		return GA_EINVALID;
	}
	if (!(ctx = ga_malloc(sizeof(*ctx))))
		return GA_ENOMEM;
	sha256_init(&ctx->md);
	*out = ctx;
	return 0;
}

void ga_sha256_free(ga_sha256_ctx *ctx)
{
	ga_free(ctx);
}

int ga_sha256_update(ga_sha256_ctx *ctx, const void *data, size_t len)
{
	if (!ctx || (!data && len)) {
		ga_error_set(GA_ERRCLASS_INVALID, "sha256: NULL argument");
		return GA_EINVALID;
	}
	if (len)
		sha256_update(&ctx->md, len, data);
	return 0;
}

int ga_sha256_final(unsigned char out[GA_SHA256_LEN], ga_sha256_ctx *ctx)
{
	if (!out || !ctx) {
		ga_error_set(GA_ERRCLASS_INVALID, "sha256: NULL argument");
		return GA_EINVALID;
	}
	/* nettle's digest also resets the context for the next use. */
	sha256_digest(&ctx->md, GA_SHA256_LEN, out);
	return 0;
}

int ga_sha256(unsigned char out[GA_SHA256_LEN], const void *data, size_t len)
{
	struct sha256_ctx md;

	if (!out || (!data && len)) {
		ga_error_set(GA_ERRCLASS_INVALID, "sha256: NULL argument");
		return GA_EINVALID;
	}
	sha256_init(&md);
	if (len)
		sha256_update(&md, len, data);
	sha256_digest(&md, GA_SHA256_LEN, out);
	return 0;
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

int ga_sha256_hex(char out[GA_SHA256_HEX_SIZE], const void *data, size_t len)
{
	unsigned char md[GA_SHA256_LEN];
	int err;

	if ((err = ga_sha256(md, data, len)) < 0)
		return err;
	ga_hex(out, md, sizeof(md));
	return 0;
}
