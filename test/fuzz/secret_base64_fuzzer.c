/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the agent's decoder of Secret data (agent/runutil.c).
 * Any input is refused with GA_EINVALID and a message, or decodes to
 * bytes that encode back to exactly the input: the decoder accepts one
 * spelling of each value only.  A broken invariant aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/runutil.h"
#include "ga/buf.h"
#include "ga/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fail(const char *what)
{
	fprintf(stderr, "secret_base64 fuzzer: %s (last error \"%s\")\n", what,
	        ga_error_last()->message);
	abort();
}

/* Standard padded base64 of @out's bytes, appended to @enc. */
static void encode(ga_buf *enc, const unsigned char *p, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	                          "qrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		size_t left = n - i;

		if (left > 1)
			v |= (uint32_t)p[i + 1] << 8;
		if (left > 2)
			v |= p[i + 2];
		(void)ga_buf_putc(enc, abc[v >> 18 & 63]);
		(void)ga_buf_putc(enc, abc[v >> 12 & 63]);
		(void)ga_buf_putc(enc, left > 1 ? abc[v >> 6 & 63] : '=');
		(void)ga_buf_putc(enc, left > 2 ? abc[v & 63] : '=');
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ga_buf out = GA_BUF_INIT(1 << 20), enc = GA_BUF_INIT(2 << 20);
	int err = ga_run_base64_decode(&out, (const char *)data, size);

	if (err != 0 && err != GA_EINVALID && err != GA_ELIMIT)
		fuzz_fail("unexpected error code");
	if (err != 0 && ga_error_last()->message[0] == '\0')
		fuzz_fail("failure without a message");
	if (err == 0) {
		encode(&enc, (const unsigned char *)out.ptr, out.size);
		if (enc.err || enc.size != size ||
		    (size && memcmp(enc.ptr, data, size) != 0))
			fuzz_fail("decoded bytes do not encode back to the "
			          "input");
	}
	ga_buf_dispose(&out);
	ga_buf_dispose(&enc);
	ga_error_clear();
	return 0;
}
