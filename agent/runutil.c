/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Timing and small decoders of the reconcile loop.  The backoff follows
 * Flux's controllers (exponential from a second, capped: here at the
 * interval, since a poll every interval happens anyway); the jitter is
 * source-controller's ±10%; base64 is RFC 4648 §4 as Kubernetes encodes
 * Secret data (padded, strict).
 */
#include "runutil.h"

#include "ga/error.h"

uint64_t ga_run_next_wait_ms(uint64_t interval_ms, unsigned failures,
                             uint32_t rnd)
{
	uint64_t spread = interval_ms / 10, wait;

	if (failures > 0) {
		wait = GA_RUN_BACKOFF_BASE_MS;
		for (unsigned i = 1; i < failures && wait < interval_ms; i++)
			wait *= 2;
		return wait < interval_ms ? wait : interval_ms;
	}
	if (spread == 0)
		return interval_ms;
	/* interval - spread .. interval + spread */
	return interval_ms - spread + (uint64_t)rnd % (2 * spread + 1);
}

void ga_run_bucket_init(ga_run_bucket *b, double rate, double burst,
                        uint64_t now_ms)
{
	b->rate = rate;
	b->burst = burst;
	b->tokens = burst;
	b->last_ms = now_ms;
}

bool ga_run_bucket_take(ga_run_bucket *b, uint64_t now_ms)
{
	if (now_ms > b->last_ms) {
		b->tokens += (double)(now_ms - b->last_ms) * b->rate / 1000.0;
		if (b->tokens > b->burst)
			b->tokens = b->burst;
		b->last_ms = now_ms;
	}
	if (b->tokens < 1.0)
		return false;
	b->tokens -= 1.0;
	return true;
}

/* The value of a base64 character, or -1. */
static int b64_value(unsigned char c)
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

/* Decode one group of four characters (@pad of them '=' at the end). */
static int b64_group(ga_buf *out, const char *in, size_t pad)
{
	uint32_t v = 0;
	unsigned char bytes[3];

	for (size_t i = 0; i < 4; i++) {
		int d = i < 4 - pad ? b64_value((unsigned char)in[i]) : 0;

		if (d < 0)
			return GA_EINVALID;
		v = v << 6 | (uint32_t)d;
	}
	/* The bits past the last byte must be zero: one spelling only. */
	if ((pad == 1 && (v & 0xff)) || (pad == 2 && (v & 0xffff)))
		return GA_EINVALID;
	bytes[0] = (unsigned char)(v >> 16);
	bytes[1] = (unsigned char)(v >> 8);
	bytes[2] = (unsigned char)v;
	return ga_buf_put(out, bytes, 3 - pad);
}

int ga_run_base64_decode(ga_buf *out, const char *in, size_t len)
{
	size_t pad = 0;
	int err;

	if (len % 4 != 0) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "base64: length %zu is not a multiple of 4", len);
		return GA_EINVALID;
	}
	if (len >= 1 && in[len - 1] == '=')
		pad = len >= 2 && in[len - 2] == '=' ? 2 : 1;
	for (size_t i = 0; i < len; i += 4) {
		err = b64_group(out, in + i, i + 4 == len ? pad : 0);
		if (err == GA_EINVALID) {
			ga_error_set(GA_ERRCLASS_INVALID,
			             "base64: bad character or padding in "
			             "characters %zu-%zu",
			             i, i + 3);
			return err;
		}
		if (err < 0)
			return err;
	}
	return 0;
}
