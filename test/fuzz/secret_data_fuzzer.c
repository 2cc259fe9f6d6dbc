/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the decoding of Secret data (ga_kube_secret_each): the
 * input is the value of one data key, as an API answer would carry it.
 * It is refused with GA_EINVALID and a message that names the key but
 * never the value, or decodes to bytes that encode back to exactly the
 * input: one spelling of each value only.  A broken invariant aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/buf.h"
#include "ga/error.h"
#include "ga/kube.h"
#include "ga/node.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fail(const char *what)
{
	fprintf(stderr, "secret_data fuzzer: %s (last error \"%s\")\n", what,
	        ga_error_last()->message);
	abort();
}

/* Standard padded base64 of @out's bytes, appended to @enc. */
static void encode(ga_buf *enc, const unsigned char *p, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	                          "qrstuvwxyz0123456789+/=";

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		size_t left = n - i;

		if (left > 1)
			v |= (uint32_t)p[i + 1] << 8;
		if (left > 2)
			v |= p[i + 2];
		(void)ga_buf_putc(enc, abc[v >> 18 & 63]);
		(void)ga_buf_putc(enc, abc[v >> 12 & 63]);
		(void)ga_buf_putc(enc, abc[left > 1 ? v >> 6 & 63 : 64]);
		(void)ga_buf_putc(enc, abc[left > 2 ? v & 63 : 64]);
	}
}

/* Keep the decoded value of the one key. */
static int keep(void *payload, const char *key, const char *value, size_t len)
{
	if (strcmp(key, "k") != 0 || value[len] != '\0')
		fuzz_fail(
		    "the callback got a bad key or an unterminated value");
	return ga_buf_put(payload, value, len);
}

/* A Secret {metadata: {name: s}, data: {k: DATA}}, or NULL. */
static ga_node *secret_of(const uint8_t *data, size_t size)
{
	ga_node *obj = NULL, *meta = NULL, *map = NULL, *v = NULL, *name = NULL;

	if (ga_node_new_map(&obj) < 0 || ga_node_new_map(&meta) < 0 ||
	    ga_node_new_map(&map) < 0 ||
	    ga_node_new_string(&name, "s", 1) < 0 ||
	    ga_node_new_string(&v, (const char *)data, size) < 0 ||
	    ga_node_map_set_take(meta, "name", name) < 0 ||
	    ga_node_map_set_take(map, "k", v) < 0 ||
	    ga_node_map_set_take(obj, "metadata", meta) < 0 ||
	    ga_node_map_set_take(obj, "data", map) < 0)
		fuzz_fail("cannot build the Secret");
	return obj;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ga_buf out = GA_BUF_INIT(1 << 20), enc = GA_BUF_INIT(2 << 20);
	ga_node *secret = secret_of(data, size);
	int err = ga_kube_secret_each(secret, keep, &out);

	if (err != 0 && err != GA_EINVALID)
		fuzz_fail("unexpected error code");
	if (err != 0 && !strstr(ga_error_last()->message, "secret /s: data.k"))
		fuzz_fail("failure that does not name the Secret and key");
	if (err == 0) {
		encode(&enc, (const unsigned char *)out.ptr, out.size);
		if (enc.err || enc.size != size ||
		    (size && memcmp(enc.ptr, data, size) != 0))
			fuzz_fail("decoded bytes do not encode back to the "
			          "input");
	}
	ga_node_free(secret);
	ga_buf_dispose(&out);
	ga_buf_dispose(&enc);
	ga_error_clear();
	return 0;
}
