/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for Go durations (lib/util/duration.c).  Any input must be
 * refused with GA_EINVALID and a message, or parse to a value that formats
 * as Go's Duration.String() and parses back to the same value.  The first
 * eight bytes are also read as a raw int64 and sent through format and
 * parse, so the formatter sees every magnitude.  A broken invariant aborts,
 * which the fuzzer and the replay test both report.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/duration.h"
#include "ga/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fail(const char *what, const char *text)
{
	fprintf(stderr,
	        "duration fuzzer: %s (text \"%s\", last error \"%s\")\n", what,
	        text, ga_error_last()->message);
	abort();
}

/* Format @ns, parse the text back and insist on the same value. */
static void check_round_trip(int64_t ns)
{
	char buf[GA_DURATION_FORMAT_MAX], again[GA_DURATION_FORMAT_MAX];
	int64_t back = 0;

	if (ga_duration_format(buf, sizeof(buf), ns) != 0)
		fuzz_fail("format failed", "");
	if (ga_duration_parse(&back, buf) != 0)
		fuzz_fail("formatted text does not parse", buf);
	if (back != ns)
		fuzz_fail("round trip changed the value", buf);
	if (ga_duration_format(again, sizeof(again), back) != 0 ||
	    strcmp(buf, again) != 0)
		fuzz_fail("formatting is not stable", buf);
}

static void check_text(const char *s)
{
	int64_t ns = 0;
	uint64_t ms = 0;
	int err = ga_duration_parse(&ns, s);
	int err_ms = ga_duration_parse_ms(&ms, s);

	if (err != 0 && err != GA_EINVALID)
		fuzz_fail("unexpected error code", s);
	if (err != 0 && ga_error_last()->message[0] == '\0')
		fuzz_fail("failure without a message", s);
	if (err == 0) {
		check_round_trip(ns);
		if (ns >= 0 && (err_ms != 0 || ms != (uint64_t)ns / 1000000))
			fuzz_fail("parse_ms disagrees with parse", s);
		if (ns < 0 && err_ms != GA_EINVALID)
			fuzz_fail("parse_ms accepted a negative value", s);
	} else if (err_ms != err) {
		fuzz_fail("parse_ms accepted what parse refused", s);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = ga_malloc(size + 1);
	int64_t raw;

	if (!s)
		return 0;
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	check_text(s);
	if (size >= sizeof(raw)) {
		memcpy(&raw, data, sizeof(raw));
		check_round_trip(raw);
	}
	ga_free(s);
	ga_error_clear();
	return 0;
}
