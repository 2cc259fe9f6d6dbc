/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HMAC-SHA1 (RFC 2104) and base64 decoding (RFC 4648 section 4) over
 * nettle.  Both serve OpenSSH's known_hosts file, whose hashed host names
 * are "|1|" base64(salt) "|" base64(HMAC-SHA1(salt, host)) and whose keys
 * are base64 wire blobs.
 */
#include "ga/digest.h"

#include <stdbool.h>
#include <stdint.h>

#include <nettle/base64.h>
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

/* nettle skips white space inside the text; the callers' formats do not
 * allow any, so it is refused here before nettle sees it. */
static bool base64_alphabet(const char *s, size_t len)
{
	size_t pad = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '=') {
			pad++;
			continue;
		}
		if (pad)
			return false;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '+' || c == '/'))
			return false;
	}
	return pad <= 2 && len % 4 == 0;
}

int ga_base64_decode(ga_buf *out, const char *s, size_t len)
{
	struct base64_decode_ctx ctx;
	uint8_t chunk[BASE64_DECODE_LENGTH(256)];
	int err;

	if (!base64_alphabet(s, len)) {
		ga_error_set(GA_ERRCLASS_INVALID, "invalid base64 data");
		return GA_EINVALID;
	}
	base64_decode_init(&ctx);
	for (size_t off = 0; off < len; off += 256) {
		size_t in = len - off < 256 ? len - off : 256;
		size_t n = sizeof(chunk);

		if (!base64_decode_update(&ctx, &n, chunk, in, s + off)) {
			ga_error_set(GA_ERRCLASS_INVALID,
			             "invalid base64 data");
			return GA_EINVALID;
		}
		if ((err = ga_buf_put(out, chunk, n)) < 0)
			return err;
	}
	if (!base64_decode_final(&ctx)) {
		ga_error_set(GA_ERRCLASS_INVALID, "invalid base64 data");
		return GA_EINVALID;
	}
	return 0;
}
