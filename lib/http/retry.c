/* SPDX-License-Identifier: Apache-2.0 */
/*
 * When and how long to wait before trying a request again: which failures
 * are transient for which methods, exponential backoff with jitter, and
 * the server's Retry-After.
 */
#include "http_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

bool ga_http__idempotent(const char *method)
{
	/* Server-side apply and merge patches are idempotent; so is every
	 * PATCH the agent sends.  POST creates: sent twice, it may create
	 * twice (or fail the second time). */
	return strcmp(method, "POST") != 0;
}

bool ga_http__retry_status(long status, const char *method)
{
	if (status == 429)
		return true; /* refused before any work: safe for all */
	return (status == 500 || status == 502 || status == 503 ||
	        status == 504) &&
	       ga_http__idempotent(method);
}

/* Delta-seconds or an HTTP-date (RFC 9110 §10.2.3); 0 when absent or
 * unreadable, so the computed backoff applies. */
uint64_t ga_http__parse_retry_after(const char *v, time_t now)
{
	struct tm tm;
	char *end;
	unsigned long long secs;
	time_t at;

	while (*v == ' ' || *v == '\t')
		v++;
	if (*v >= '0' && *v <= '9') {
		secs = strtoull(v, &end, 10);
		while (*end == ' ' || *end == '\t' || *end == '\r' ||
		       *end == '\n')
			end++;
		if (*end || secs > 86400)
			return 0;
		return (uint64_t)secs * 1000;
	}
	memset(&tm, 0, sizeof(tm));
	end = strptime(v, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (!end)
		return 0;
	at = timegm(&tm);
	return at > now && at - now <= 86400 ? (uint64_t)(at - now) * 1000 : 0;
}

static uint64_t next_random(uint64_t *state)
{
	uint64_t x = *state;

	if (!x && getrandom(&x, sizeof(x), GRND_NONBLOCK) != (ssize_t)sizeof(x))
		x = (uint64_t)time(NULL) ^ 0x9e3779b97f4a7c15ull;
	x |= 1;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

uint64_t ga_http__backoff(const ga_http_opts *o, unsigned attempt,
                          uint64_t retry_after_ms, uint64_t *rng)
{
	uint64_t d = o->backoff_ms ? o->backoff_ms : 1;

	for (unsigned i = 0; i < attempt && d < o->backoff_max_ms; i++)
		d *= 2;
	if (d > o->backoff_max_ms)
		d = o->backoff_max_ms;
	/* Half fixed, half random: clients that failed together do not
	 * come back together. */
	d = d / 2 + (d / 2 ? next_random(rng) % (d / 2 + 1) : 0);
	return retry_after_ms > d ? retry_after_ms : d;
}
