/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the known_hosts parser (lib/git/knownhosts.c), which
 * reads a file an operator supplies and decides whether an SSH server is
 * trusted.  The input is the file; it is checked for a fixed ed25519 key
 * on a few host names and ports.  Invariants, each aborting on violation:
 *
 *  - the result is 0 or GA_EVERIFY (GA_ENOMEM never happens here), with a
 *    message on refusal;
 *  - a key is never accepted for a host when the file does not hold that
 *    key's base64 text somewhere (no entry grants a key it does not name);
 *  - the answer does not depend on a trailing newline.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/buf.h"
#include "ga/digest.h"
#include "ga/error.h"
#include "git/knownhosts.h"
#include "util/base64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define KEY                                                                    \
	"AAAAC3NzaC1lZDI1NTE5AAAAIFAfd+fcoRRrZumhzyE2Kx5ncK6RUxK8T3vTiATtBnMd"

static const struct {
	const char *host;
	unsigned port;
} probes[] = {
    {"example.com", 22},
    {"example.com", 2222},
    {"127.0.0.1", 2222},
    {"a.example.com", 22},
};

static void fuzz_fail(const char *what)
{
	fprintf(stderr, "known_hosts fuzzer: %s (last error \"%s\")\n", what,
	        ga_error_last()->message);
	abort();
}

/* Whether the key's first base64 bytes occur in the text at all. */
static int mentions_key(const char *text, size_t len)
{
	static const char head[] = "AAAAC3NzaC1lZDI1NTE5AAAAIFAfd";

	for (size_t i = 0; i + sizeof(head) - 1 <= len; i++) {
		if (memcmp(text + i, head, sizeof(head) - 1) == 0)
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ga_buf key = GA_BUF_INIT(256), text = GA_BUF_INIT(size + 2);
	const char *t;

	if (ga_base64_decode(&key, KEY, strlen(KEY), false) < 0 ||
	    ga_buf_put(&text, data, size) < 0)
		fuzz_fail("setup");
	t = ga_buf_cstr(&text);
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		const unsigned char *k = (const unsigned char *)key.ptr;
		int a = ga_git__known_hosts_check(t, size, probes[i].host,
		                                  probes[i].port, k, key.size);
		int b;

		if (a != 0 && a != GA_EVERIFY)
			fuzz_fail("unexpected error code");
		if (a == GA_EVERIFY && !ga_error_last()->message[0])
			fuzz_fail("refusal without a message");
		if (a == 0 && !mentions_key(t, size))
			fuzz_fail("accepted a key the file does not name");
		(void)ga_buf_putc(&text, '\n');
		b = ga_git__known_hosts_check(ga_buf_cstr(&text), text.size,
		                              probes[i].host, probes[i].port, k,
		                              key.size);
		ga_buf_truncate(&text, size);
		t = ga_buf_cstr(&text);
		if (a != b)
			fuzz_fail("a trailing newline changed the answer");
	}
	ga_error_clear();
	ga_buf_dispose(&key);
	ga_buf_dispose(&text);
	return 0;
}
