/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Go duration parsing and formatting.  The tables follow Go's own
 * parseDurationTests, parseDurationErrorTests and durationTests (src/time),
 * plus the cases Flux manifests use, so that a difference from Go shows up
 * as a named failing row.
 */
#include "ga/duration.h"

#include "harness.h"

#define US INT64_C(1000)
#define MS INT64_C(1000000)
#define SEC INT64_C(1000000000)
#define MIN (60 * SEC)
#define HOUR (60 * MIN)

struct parse_case {
	const char *in;
	int64_t want;
};

static const struct parse_case parse_ok[] = {
    /* Simple values, and the bare zero Go allows. */
    {"0", 0},
    {"5s", 5 * SEC},
    {"30s", 30 * SEC},
    {"1478s", 1478 * SEC},
    /* Signs. */
    {"-5s", -5 * SEC},
    {"+5s", 5 * SEC},
    {"-0", 0},
    {"+0", 0},
    {"0s", 0},
    {"-0s", 0},
    /* Fractions, with digits on either side of the point. */
    {"5.0s", 5 * SEC},
    {"5.6s", 5 * SEC + 600 * MS},
    {"5.s", 5 * SEC},
    {".5s", 500 * MS},
    {"1.0s", SEC},
    {"1.00s", SEC},
    {"1.004s", SEC + 4 * MS},
    {"1.0040s", SEC + 4 * MS},
    {"100.00100s", 100 * SEC + MS},
    {"-1.5h", -(HOUR + 30 * MIN)},
    {"1.5ns", 1},
    {"1.9ns", 1},
    {"0.5ns", 0},
    /* Every unit, including both spellings of micro. */
    {"10ns", 10},
    {"11us", 11 * US},
    {"12\xc2\xb5s", 12 * US},
    {"12\xce\xbcs", 12 * US},
    {"13ms", 13 * MS},
    {"14s", 14 * SEC},
    {"15m", 15 * MIN},
    {"16h", 16 * HOUR},
    {"300ms", 300 * MS},
    /* Composite values, in any order. */
    {"3h30m", 3 * HOUR + 30 * MIN},
    {"2h45m", 2 * HOUR + 45 * MIN},
    {"1m30s", 90 * SEC},
    {"10.5s4m", 4 * MIN + 10 * SEC + 500 * MS},
    {"-2m3.4s", -(2 * MIN + 3 * SEC + 400 * MS)},
    {"1h2m3s4ms5us6ns", HOUR + 2 * MIN + 3 * SEC + 4 * MS + 5 * US + 6},
    {"39h9m14.425s", 39 * HOUR + 9 * MIN + 14 * SEC + 425 * MS},
    {"1s1s", 2 * SEC},
    {"52763797000ns", INT64_C(52763797000)},
    /* More than nine fraction digits (Go issue 6617). */
    {"0.3333333333333333333h", 20 * MIN},
    /* 2^53 + 1 does not fit a double; the integer path keeps it. */
    {"9007199254740993ns", INT64_C(9007199254740993)},
    /* The int64 limits, reached in several ways. */
    {"9223372036854775807ns", INT64_MAX},
    {"9223372036854775.807us", INT64_MAX},
    {"9223372036s854ms775us807ns", INT64_MAX},
    {"2562047h47m16.854775807s", INT64_MAX},
    {"-9223372036854775808ns", INT64_MIN},
    {"-9223372036854775.808us", INT64_MIN},
    {"-9223372036s854ms775us808ns", INT64_MIN},
    {"-2562047h47m16.854775808s", INT64_MIN},
    /* Long fractions stop accumulating instead of failing (issue 15011). */
    {"0.100000000000000000000h", 6 * MIN},
    {"0.830103483285477580700h", 49 * MIN + 48 * SEC + 372539827},
    {"1.000000000000000000000000000000000000001s", SEC},
    /* The 19th fraction digit would pass 2^63, so it is dropped. */
    {"0.9223372036854775809s", 922337203},
};

struct error_case {
	const char *in;
	const char *msg;
};

static const struct error_case parse_err[] = {
    {"", "invalid duration \"\": expected a number"},
    {"-", "invalid duration \"-\": expected a number"},
    {"+", "invalid duration \"+\": expected a number"},
    {"3", "invalid duration \"3\": missing unit after \"3\""},
    {"1h30", "invalid duration \"1h30\": missing unit after \"30\""},
    {"1.5", "invalid duration \"1.5\": missing unit after \"1.5\""},
    {"00", "invalid duration \"00\": missing unit after \"00\""},
    {"s", "invalid duration \"s\": expected a number at \"s\""},
    {"h", "invalid duration \"h\": expected a number at \"h\""},
    {".", "invalid duration \".\": expected a number at \".\""},
    {"-.", "invalid duration \"-.\": expected a number at \".\""},
    {".s", "invalid duration \".s\": expected a number at \".s\""},
    {"+.s", "invalid duration \"+.s\": expected a number at \".s\""},
    {"1..5s", "invalid duration \"1..5s\": missing unit after \"1.\""},
    {" 1s", "invalid duration \" 1s\": expected a number at \" 1s\""},
    {"--1s", "invalid duration \"--1s\": expected a number at \"-1s\""},
    {"1x", "invalid duration \"1x\": unknown unit \"x\""},
    {"1d", "invalid duration \"1d\": unknown unit \"d\""},
    {"1sec", "invalid duration \"1sec\": unknown unit \"sec\""},
    {"1s ", "invalid duration \"1s \": unknown unit \"s \""},
    {"1S", "invalid duration \"1S\": unknown unit \"S\""},
    {"1-1s", "invalid duration \"1-1s\": unknown unit \"-\""},
    {"1\xb5s", "invalid duration \"1\\xb5s\": unknown unit \"\\xb5s\""},
    {"\x85\x85", "invalid duration \"\\x85\\x85\": "
                 "expected a number at \"\\x85\\x85\""},
    {"1\"\\", "invalid duration \"1\\\"\\\\\": unknown unit \"\\\"\\\\\""},
    /* Overflow, in the integer part and in the sum. */
    {"9223372036854775810ns", "invalid duration \"9223372036854775810ns\": "
                              "overflows int64 nanoseconds"},
    {"9223372036854775808ns", "invalid duration \"9223372036854775808ns\": "
                              "overflows int64 nanoseconds"},
    {"-9223372036854775809ns", "invalid duration \"-9223372036854775809ns\": "
                               "overflows int64 nanoseconds"},
    {"9223372036854776us", "invalid duration \"9223372036854776us\": "
                           "overflows int64 nanoseconds"},
    {"3000000h", "invalid duration \"3000000h\": overflows int64 nanoseconds"},
    {"9223372036854775.808us", "invalid duration \"9223372036854775.808us\": "
                               "overflows int64 nanoseconds"},
    {"9223372036854ms775us808ns",
     "invalid duration \"9223372036854ms775us808ns\": "
     "overflows int64 nanoseconds"},
    {"2562047.8h",
     "invalid duration \"2562047.8h\": overflows int64 nanoseconds"},
    {"99999999999999999999999s",
     "invalid duration \"99999999999999999999999s\": "
     "overflows int64 nanoseconds"},
    /* Go wraps this sum to zero and accepts it; we refuse (see .c). */
    {"9223372036854775808ns9223372036854775808ns",
     "invalid duration \"9223372036854775808ns9223372036854775808ns\": "
     "overflows int64 nanoseconds"},
};

struct format_case {
	int64_t ns;
	const char *want;
};

static const struct format_case format_cases[] = {
    {0, "0s"},
    {1, "1ns"},
    {999, "999ns"},
    {1000, "1\xc2\xb5s"},
    {1100, "1.1\xc2\xb5s"},
    {2200 * US, "2.2ms"},
    {500 * MS, "500ms"},
    {3300 * MS, "3.3s"},
    {1500 * MS, "1.5s"},
    {4 * MIN + 5 * SEC, "4m5s"},
    {4 * MIN + 5001 * MS, "4m5.001s"},
    {5 * HOUR + 6 * MIN + 7001 * MS, "5h6m7.001s"},
    {8 * MIN + 1, "8m0.000000001s"},
    {HOUR + 30 * MIN, "1h30m0s"},
    {HOUR, "1h0m0s"},
    {-(2 * MIN + 3 * SEC), "-2m3s"},
    {-1, "-1ns"},
    {-1500 * US, "-1.5ms"},
    {INT64_MAX, "2562047h47m16.854775807s"},
    {INT64_MIN, "-2562047h47m16.854775808s"},
};

static void test_parse_ok(void)
{
	for (size_t i = 0; i < sizeof(parse_ok) / sizeof(parse_ok[0]); i++) {
		int64_t got = -42;

		ga_error_clear();
		if (ga_duration_parse(&got, parse_ok[i].in) < 0 ||
		    got != parse_ok[i].want) {
			printf("#   input \"%s\": got %" PRId64
			       ", want %" PRId64 "\n",
			       parse_ok[i].in, got, parse_ok[i].want);
			CHECK(!"parse");
		}
	}
}

static void test_parse_errors(void)
{
	for (size_t i = 0; i < sizeof(parse_err) / sizeof(parse_err[0]); i++) {
		int64_t got = 42;

		ga_error_clear();
		CHECK_ERR(ga_duration_parse(&got, parse_err[i].in),
		          GA_EINVALID);
		CHECK_EQ_STR(ga_error_last()->message, parse_err[i].msg);
		/* The out-parameter is written only on success. */
		CHECK_EQ_INT(got, 42);
	}
}

static void test_long_input_is_quoted_briefly(void)
{
	char in[300];
	int64_t got = 0;

	memset(in, 'x', sizeof(in) - 1);
	in[sizeof(in) - 1] = '\0';
	CHECK_ERR(ga_duration_parse(&got, in), GA_EINVALID);
	/* The quoted input is cut at 64 bytes and marked with "...". */
	CHECK(strlen(ga_error_last()->message) < 200);
	CHECK(strstr(ga_error_last()->message, "xxx...\"") != NULL);
}

static void test_null_arguments(void)
{
	int64_t ns;
	uint64_t ms;

	CHECK_ERR(ga_duration_parse(NULL, "1s"), GA_EINVALID);
	CHECK_ERR(ga_duration_parse(&ns, NULL), GA_EINVALID);
	CHECK_ERR(ga_duration_parse_ms(NULL, "1s"), GA_EINVALID);
	CHECK_ERR(ga_duration_parse_ms(&ms, NULL), GA_EINVALID);
	CHECK_ERR(ga_duration_format(NULL, 8, 0), GA_EINVALID);
}

static void test_parse_ms(void)
{
	static const struct {
		const char *in;
		uint64_t want;
	} cases[] = {
	    {"0", 0},
	    {"1s", 1000},
	    {"1m30s", 90000},
	    {"1500us", 1},
	    {"999us", 0},
	    {"2.5ms", 2},
	    {"-0", 0},
	    {"24h", 86400000},
	    {"9223372036854775807ns", UINT64_C(9223372036854)},
	};
	uint64_t got;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = 7;
		CHECK_OK(ga_duration_parse_ms(&got, cases[i].in));
		CHECK_EQ_INT(got, cases[i].want);
	}
	got = 7;
	CHECK_ERR(ga_duration_parse_ms(&got, "-1s"), GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message,
	             "invalid duration \"-1s\": must not be negative");
	CHECK_ERR(ga_duration_parse_ms(&got, "-1ns"), GA_EINVALID);
	CHECK_ERR(ga_duration_parse_ms(&got, "1x"), GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message,
	             "invalid duration \"1x\": unknown unit \"x\"");
	CHECK_EQ_INT(got, 7);
}

static void test_format(void)
{
	char buf[GA_DURATION_FORMAT_MAX];
	size_t n = sizeof(format_cases) / sizeof(format_cases[0]);

	for (size_t i = 0; i < n; i++) {
		CHECK_OK(
		    ga_duration_format(buf, sizeof(buf), format_cases[i].ns));
		CHECK_EQ_STR(buf, format_cases[i].want);
	}
}

static void test_format_cap(void)
{
	char buf[8];

	/* "1h30m0s" is 7 bytes and its NUL makes 8. */
	memset(buf, '#', sizeof(buf));
	CHECK_OK(ga_duration_format(buf, 8, HOUR + 30 * MIN));
	CHECK_EQ_STR(buf, "1h30m0s");
	memset(buf, '#', sizeof(buf));
	CHECK_ERR(ga_duration_format(buf, 7, HOUR + 30 * MIN), GA_ELIMIT);
	CHECK_EQ_STR(ga_error_last()->message,
	             "duration text needs 8 bytes, buffer has 7");
	CHECK(buf[0] == '#');
	CHECK_ERR(ga_duration_format(buf, 0, 0), GA_ELIMIT);
	CHECK_ERR(ga_duration_format(NULL, 0, 0), GA_ELIMIT);
	CHECK_OK(ga_duration_format(buf, 3, 0));
	CHECK_EQ_STR(buf, "0s");
}

/* Formatting then parsing gives back the same value (Go guarantees it). */
static void test_round_trip(void)
{
	static const int64_t values[] = {
	    0,
	    1,
	    -1,
	    999,
	    1000,
	    1001,
	    999999,
	    1000000,
	    123456789,
	    SEC - 1,
	    SEC,
	    SEC + 1,
	    59 * SEC,
	    MIN,
	    HOUR - 1,
	    HOUR,
	    25 * HOUR + 1,
	    INT64_MAX,
	    INT64_MIN,
	    INT64_MIN + 1,
	    INT64_C(1) << 53,
	    (INT64_C(1) << 53) + 1,
	    -(7 * HOUR + 3),
	};
	char buf[GA_DURATION_FORMAT_MAX];

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		int64_t back = 0;

		CHECK_OK(ga_duration_format(buf, sizeof(buf), values[i]));
		CHECK_OK(ga_duration_parse(&back, buf));
		if (back != values[i]) {
			printf("#   %s: got %" PRId64 ", want %" PRId64 "\n",
			       buf, back, values[i]);
			CHECK(!"round trip");
		}
	}
	/* Powers of ten and their neighbours at every magnitude. */
	for (int64_t v = 1; v <= INT64_MAX / 10; v *= 10) {
		for (int64_t d = -1; d <= 1; d++) {
			int64_t back = 0;

			CHECK_OK(ga_duration_format(buf, sizeof(buf), v + d));
			CHECK_OK(ga_duration_parse(&back, buf));
			CHECK_EQ_INT(back, v + d);
		}
	}
}

int main(void)
{
	RUN(test_parse_ok);
	RUN(test_parse_errors);
	RUN(test_long_input_is_quoted_briefly);
	RUN(test_null_arguments);
	RUN(test_parse_ms);
	RUN(test_format);
	RUN(test_format_cap);
	RUN(test_round_trip);
	return DONE();
}
