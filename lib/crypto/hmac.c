/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HMAC-SHA1 (RFC 2104) over nettle, for OpenSSH's known_hosts file, whose
 * hashed host names are "|1|" base64(salt) "|" base64(HMAC-SHA1(salt,
 * host)).
 */
#include "ga/digest.h"

#include <nettle/hmac.h>

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
