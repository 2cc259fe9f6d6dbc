/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HMAC (RFC 2104) over nettle: SHA-1 for OpenSSH's known_hosts file,
 * whose hashed host names are "|1|" base64(salt) "|" base64(HMAC-SHA1(
 * salt, host)); SHA-256 for push webhooks (GitHub's X-Hub-Signature-256,
 * generic HMAC receivers).  And the comparison of secrets in constant
 * time.
 */
#include "ga/digest.h"

#include <nettle/hmac.h>
#include <nettle/memops.h>

#include "ga/error.h"

int ga_hmac_sha1(unsigned char out[GA_SHA1_LEN], const void *key, size_t keylen,
                 const void *data, size_t len)
{
	struct hmac_sha1_ctx ctx;

	if (!out || (!key && keylen) || (!data && len)) {
		ga_error_set(GA_ERRCLASS_INVALID, "hmac-sha1: NULL argument");
		return GA_EINVALID;
	}
	hmac_sha1_set_key(&ctx, keylen, key);
	if (len)
		hmac_sha1_update(&ctx, len, data);
	hmac_sha1_digest(&ctx, GA_SHA1_LEN, out);
	return 0;
}

int ga_hmac_sha256(unsigned char out[GA_SHA256_LEN], const void *key,
                   size_t keylen, const void *data, size_t len)
{
	struct hmac_sha256_ctx ctx;

	if (!out || (!key && keylen) || (!data && len)) {
		ga_error_set(GA_ERRCLASS_INVALID, "hmac-sha256: NULL argument");
		return GA_EINVALID;
	}
	hmac_sha256_set_key(&ctx, keylen, key);
	if (len)
		hmac_sha256_update(&ctx, len, data);
	hmac_sha256_digest(&ctx, GA_SHA256_LEN, out);
	return 0;
}

bool ga_memeq_secret(const void *a, const void *b, size_t len)
{
	return memeql_sec(a, b, len) != 0;
}
