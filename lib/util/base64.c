/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Base64 per RFC 4648 §4.  The decoder rejects non-canonical text (stray
 * characters, missing or misplaced padding, non-zero trailing bits): key
 * blobs are compared byte for byte, and a lenient decoder would let one key
 * be written several ways.
 */
#include "util/base64.h"

#include "ga/error.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int value_of(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int bad(const char *why)
{
	ga_error_set(GA_ERRCLASS_INVALID, "base64: %s", why);
	return GA_EINVALID;
}

/* Emit the bytes of a final group of @n (2 or 3) characters in @acc. */
static int flush_tail(ga_buf *out, unsigned acc, int n)
{
	unsigned char b[2];

	if (n == 1)
		return bad("truncated input");
	if (n == 2) {
		if (acc & 0xf)
			return bad("non-zero trailing bits");
		b[0] = (unsigned char)(acc >> 4);
		return ga_buf_put(out, b, 1);
	}
	if (acc & 0x3)
		return bad("non-zero trailing bits");
	b[0] = (unsigned char)(acc >> 10);
	b[1] = (unsigned char)(acc >> 2);
	return ga_buf_put(out, b, 2);
}

int ga_base64_decode(ga_buf *out, const char *in, size_t len, bool skip_space)
{
	unsigned acc = 0;
	int n = 0, pad = 0, err;

	for (size_t i = 0; i < len; i++) {
		char c = in[i];
		int v;

		if (skip_space && is_space(c))
			continue;
		if (c == '=') {
			if (n < 2 || ++pad > 4 - n)
				return bad("misplaced padding");
			continue;
		}
		if (pad)
			return bad("data after padding");
		if ((v = value_of(c)) < 0)
			return bad("invalid character");
		acc = (acc << 6) | (unsigned)v;
		if (++n == 4) {
			unsigned char b[3] = {(unsigned char)(acc >> 16),
			                      (unsigned char)(acc >> 8),
			                      (unsigned char)acc};
			if ((err = ga_buf_put(out, b, 3)) < 0)
				return err;
			acc = 0;
			n = 0;
		}
	}
	if (n == 0)
		return pad ? bad("misplaced padding") : 0;
	if (pad != 4 - n)
		return bad("missing padding");
	return flush_tail(out, acc, n);
}

int ga_base64_encode(ga_buf *out, const unsigned char *in, size_t len, bool pad)
{
	for (size_t i = 0; i < len; i += 3) {
		size_t left = len - i;
		unsigned acc = (unsigned)in[i] << 16;
		char q[4];
		size_t nq = left >= 3 ? 4 : left + 1;

		if (left > 1)
			acc |= (unsigned)in[i + 1] << 8;
		if (left > 2)
			acc |= in[i + 2];
		q[0] = alphabet[(acc >> 18) & 63];
		q[1] = alphabet[(acc >> 12) & 63];
		q[2] = q[3] = '=';
		if (nq > 2)
			q[2] = alphabet[(acc >> 6) & 63];
		if (nq > 3)
			q[3] = alphabet[acc & 63];
		(void)ga_buf_put(out, q, pad ? 4 : nq);
	}
	return out->err;
}
