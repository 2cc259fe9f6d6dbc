/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/http's retry policy: which failures are retried for which methods,
 * Retry-After in both of its forms, the backoff's bounds and jitter, and
 * URLs shown without their credentials.
 */
#include <string.h>
#include <time.h>

#include "harness.h"
#include "http/http_int.h"

static void test_retry_status(void)
{
	CHECK(ga_http__retry_status(429, "POST"));
	CHECK(ga_http__retry_status(429, "GET"));
	CHECK(ga_http__retry_status(503, "GET"));
	CHECK(ga_http__retry_status(500, "PATCH"));
	CHECK(ga_http__retry_status(504, "DELETE"));
	CHECK(!ga_http__retry_status(503, "POST"));
	CHECK(!ga_http__retry_status(501, "GET"));
	CHECK(!ga_http__retry_status(409, "PUT"));
	CHECK(!ga_http__retry_status(404, "GET"));
	CHECK(!ga_http__retry_status(200, "GET"));
}

static void test_retry_after(void)
{
	/* 2015-10-21 07:28:00 UTC */
	time_t now = 1445412480;

	CHECK_EQ_INT(ga_http__parse_retry_after(" 3", now), 3000);
	CHECK_EQ_INT(ga_http__parse_retry_after("0", now), 0);
	CHECK_EQ_INT(ga_http__parse_retry_after("120\r\n", now), 120000);
	CHECK_EQ_INT(ga_http__parse_retry_after("3x", now), 0);
	CHECK_EQ_INT(ga_http__parse_retry_after("-1", now), 0);
	CHECK_EQ_INT(ga_http__parse_retry_after("99999999", now), 0);
	CHECK_EQ_INT(ga_http__parse_retry_after("", now), 0);
	CHECK_EQ_INT(
	    ga_http__parse_retry_after("Wed, 21 Oct 2015 07:28:05 GMT", now),
	    5000);
	/* In the past, or garbage: no wait beyond our own. */
	CHECK_EQ_INT(
	    ga_http__parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now),
	    0);
	CHECK_EQ_INT(ga_http__parse_retry_after("soon", now), 0);
}

static void test_backoff(void)
{
	ga_http_opts o = GA_HTTP_OPTS_INIT;
	uint64_t rng = 0, prev_max = 0;
	bool varied = false;

	o.backoff_ms = 100;
	o.backoff_max_ms = 1000;
	for (unsigned a = 0; a < 8; a++) {
		uint64_t want = 100ull << a, lo, hi = 0, first = 0;

		if (want > 1000)
			want = 1000;
		lo = want;
		for (int i = 0; i < 200; i++) {
			uint64_t d = ga_http__backoff(&o, a, 0, &rng);

			lo = d < lo ? d : lo;
			hi = d > hi ? d : hi;
			if (i == 0)
				first = d;
			varied |= d != first;
		}
		/* Within [half, full] of the doubled, capped backoff. */
		CHECK(lo >= want / 2);
		CHECK(hi <= want);
		CHECK(hi >= prev_max / 2);
		prev_max = hi;
	}
	CHECK(varied);
	/* The server's Retry-After wins when longer, even past the cap. */
	CHECK_EQ_INT(ga_http__backoff(&o, 0, 5000, &rng), 5000);
	CHECK(ga_http__backoff(&o, 3, 1, &rng) >= 400);
}

static void test_redact(void)
{
	char out[256];

	ga_http__redact(out, sizeof(out), "https://user:secret@h:6443/api?x=1");
	CHECK_EQ_STR(out, "https://h:6443/api?x=1");
	ga_http__redact(out, sizeof(out), "https://h/api/x@y");
	CHECK_EQ_STR(out, "https://h/api/x@y");
	ga_http__redact(out, sizeof(out), "http://tok@h");
	CHECK_EQ_STR(out, "http://h");
	ga_http__redact(out, sizeof(out), "h/x");
	CHECK_EQ_STR(out, "h/x");
}

int main(void)
{
	RUN(test_retry_status);
	RUN(test_retry_after);
	RUN(test_backoff);
	RUN(test_redact);
	return DONE();
}
