/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for push webhook checks: the input up to its first newline
 * is every header's value, the rest the body; each receiver type checks
 * it.  Nothing may crash, and only a right signature may pass: a random
 * input that passes a HMAC check would be a forgery.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/webhook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t hlen = nl ? (size_t)(nl - (const char *)data) : size;
	const char *body = nl ? nl + 1 : "";
	size_t blen = nl ? size - hlen - 1 : 0;
	char *value = ga_strndup((const char *)data, hlen);
	ga_webhook_headers h = {value, "push", value, "Push Hook", value};
	ga_webhook_verdict v;

	if (!value)
		return 0;
	if (ga_webhook_check(GA_WEBHOOK_GITHUB, &h, body, blen, "k", 1, NULL, 0,
	                     &v) == 0 ||
	    ga_webhook_check(GA_WEBHOOK_GENERIC_HMAC, &h, body, blen, "k", 1,
	                     NULL, 0, &v) == 0)
		abort(); /* a forged HMAC */
	(void)ga_webhook_check(GA_WEBHOOK_GITLAB, &h, body, blen, "k", 1, NULL,
	                       0, &v);
	ga_free(value);
	return 0;
}
