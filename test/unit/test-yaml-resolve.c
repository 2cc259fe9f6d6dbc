/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scalar resolution against kubectl kustomize v5.5.0 (kubectl v1.32.4).
 * Every table row was produced by running `kubectl kustomize` on a custom
 * resource holding the value under spec, and is written as kubectl printed
 * it: plain scalars and tagged scalars as they come out of the build, and
 * strings (given single-quoted) as plain or double-quoted.  A row that
 * fails names its input on the TAP diagnostics.
 */
#include "yaml/resolve.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/buf.h"
#include "harness.h"
#include "util/gofloat.h"

/*
 * What kubectl prints for a resolved scalar: a string plain or
 * double-quoted as goyaml.v2 decides, a timestamp double-quoted, floats
 * through ga_fmt_float_kustomize() (non-finite ones, a build error in
 * kustomize, by Go's name).
 */
static const char *render(char *buf, size_t cap, const ga_yaml_scalar *sc,
                          const char *in)
{
	size_t len = strlen(in);

	switch (sc->kind) {
	case GA_YSCALAR_NULL:
		return "null";
	case GA_YSCALAR_BOOL:
		return sc->b ? "true" : "false";
	case GA_YSCALAR_INT:
		(void)snprintf(buf, cap, "%" PRId64, sc->i);
		return buf;
	case GA_YSCALAR_UINT:
		(void)snprintf(buf, cap, "%" PRIu64, sc->u);
		return buf;
	case GA_YSCALAR_FLOAT:
		if (isnan(sc->f))
			return "NaN";
		if (isinf(sc->f))
			return sc->f > 0 ? "+Inf" : "-Inf";
		return ga_fmt_float_kustomize(buf, cap, sc->f) == 0 ? buf : "?";
	case GA_YSCALAR_TIMESTAMP:
		(void)snprintf(buf, cap, "\"%s\"", sc->ts);
		return buf;
	case GA_YSCALAR_STRING:
		if (ga_yaml__v2_plain_is_string(in, len))
			return in;
		(void)snprintf(buf, cap, "\"%s\"", in);
		return buf;
	case GA_YSCALAR_BINARY:
		return "binary";
	}
	return "?";
}

static const struct plain_row {
	const char *in;
	ga_yaml_scalar_kind kind;
	const char *want; /* kubectl's output */
} plain_rows[] = {
    {"42", GA_YSCALAR_INT, "42"},
    {"-7", GA_YSCALAR_INT, "-7"},
    {"+3", GA_YSCALAR_INT, "3"},
    {"0", GA_YSCALAR_INT, "0"},
    {"-0", GA_YSCALAR_INT, "0"},
    {"+0", GA_YSCALAR_INT, "0"},
    {"00", GA_YSCALAR_INT, "0"},
    {"007", GA_YSCALAR_INT, "7"},
    {"08", GA_YSCALAR_FLOAT, "8"},
    {"09", GA_YSCALAR_FLOAT, "9"},
    {"0755", GA_YSCALAR_INT, "493"},
    {"-0755", GA_YSCALAR_INT, "-493"},
    {"0x1F", GA_YSCALAR_INT, "31"},
    {"0X1f", GA_YSCALAR_INT, "31"},
    {"-0x1F", GA_YSCALAR_INT, "-31"},
    {"+0x1F", GA_YSCALAR_INT, "31"},
    {"0o17", GA_YSCALAR_INT, "15"},
    {"0O17", GA_YSCALAR_INT, "15"},
    {"-0o17", GA_YSCALAR_INT, "-15"},
    {"0b101", GA_YSCALAR_INT, "5"},
    {"0B101", GA_YSCALAR_INT, "5"},
    {"-0b101", GA_YSCALAR_INT, "-5"},
    {"0b-101", GA_YSCALAR_INT, "-5"},
    {"0b+101", GA_YSCALAR_INT, "5"},
    {"0o-5", GA_YSCALAR_INT, "-5"},
    {"0o+17", GA_YSCALAR_INT, "15"},
    {"-0o-5", GA_YSCALAR_STRING, "-0o-5"},
    {"-0b-101", GA_YSCALAR_STRING, "-0b-101"},
    {"0B-101", GA_YSCALAR_STRING, "0B-101"},
    {"0O-5", GA_YSCALAR_STRING, "0O-5"},
    {"1_000", GA_YSCALAR_INT, "1000"},
    {"1__0", GA_YSCALAR_INT, "10"},
    {"0x_1F", GA_YSCALAR_INT, "31"},
    {"0_x1F", GA_YSCALAR_INT, "31"},
    {"1_0.5", GA_YSCALAR_FLOAT, "10.5"},
    {"1_000.5", GA_YSCALAR_FLOAT, "1000.5"},
    {"-1_000", GA_YSCALAR_INT, "-1000"},
    {"_1", GA_YSCALAR_STRING, "_1"},
    {"1_", GA_YSCALAR_INT, "1"},
    {"9223372036854775807", GA_YSCALAR_INT, "9223372036854775807"},
    {"9223372036854775808", GA_YSCALAR_UINT, "9223372036854775808"},
    {"-9223372036854775808", GA_YSCALAR_INT, "-9223372036854775808"},
    {"-9223372036854775809", GA_YSCALAR_FLOAT, "-9.223372036854776e+18"},
    {"18446744073709551615", GA_YSCALAR_UINT, "18446744073709551615"},
    {"18446744073709551616", GA_YSCALAR_FLOAT, "1.8446744073709552e+19"},
    {"0xFFFFFFFFFFFFFFFF", GA_YSCALAR_UINT, "18446744073709551615"},
    {"0x10000000000000000", GA_YSCALAR_STRING, "0x10000000000000000"},
    {"0x8000000000000000", GA_YSCALAR_UINT, "9223372036854775808"},
    {"-0x8000000000000000", GA_YSCALAR_INT, "-9223372036854775808"},
    {"-0x8000000000000001", GA_YSCALAR_STRING, "-0x8000000000000001"},
    {"0b1111111111111111111111111111111111111111111111111111111111111111",
     GA_YSCALAR_UINT, "18446744073709551615"},
    {"0o1777777777777777777777", GA_YSCALAR_UINT, "18446744073709551615"},
    {"+9223372036854775808", GA_YSCALAR_FLOAT, "9223372036854776000"},
    {"1.0", GA_YSCALAR_FLOAT, "1"},
    {"1.50", GA_YSCALAR_FLOAT, "1.5"},
    {"1e3", GA_YSCALAR_FLOAT, "1000"},
    {"-0.0", GA_YSCALAR_FLOAT, "0"},
    {"0.000001", GA_YSCALAR_FLOAT, "1e-06"},
    {"0.0000001", GA_YSCALAR_FLOAT, "1e-07"},
    {"1e21", GA_YSCALAR_FLOAT, "1e+21"},
    {"1e20", GA_YSCALAR_FLOAT, "1e+20"},
    {"123456789012345678901234", GA_YSCALAR_FLOAT, "1.2345678901234569e+23"},
    {"3.14159265358979323846", GA_YSCALAR_FLOAT, "3.141592653589793"},
    {"1234567.5", GA_YSCALAR_FLOAT, "1.2345675e+06"},
    {"123456.5", GA_YSCALAR_FLOAT, "123456.5"},
    {"0.0001", GA_YSCALAR_FLOAT, "0.0001"},
    {"0.00001", GA_YSCALAR_FLOAT, "1e-05"},
    {"1e-05", GA_YSCALAR_FLOAT, "1e-05"},
    {"1.", GA_YSCALAR_FLOAT, "1"},
    {"1.e5", GA_YSCALAR_FLOAT, "100000"},
    {"-.5", GA_YSCALAR_FLOAT, "-0.5"},
    {"+.5", GA_YSCALAR_FLOAT, "0.5"},
    {".5", GA_YSCALAR_FLOAT, "0.5"},
    {".5e3", GA_YSCALAR_FLOAT, "500"},
    {".5E-3", GA_YSCALAR_FLOAT, "0.0005"},
    {".5_5", GA_YSCALAR_FLOAT, "0.55"},
    {".5__5", GA_YSCALAR_STRING, ".5__5"},
    {"._5", GA_YSCALAR_STRING, "._5"},
    {".5_", GA_YSCALAR_STRING, ".5_"},
    {".5e1_0", GA_YSCALAR_FLOAT, "5000000000"},
    {".5e999", GA_YSCALAR_STRING, ".5e999"},
    {".5e-999", GA_YSCALAR_FLOAT, "0"},
    {"1e400", GA_YSCALAR_STRING, "1e400"},
    {"-1e400", GA_YSCALAR_STRING, "-1e400"},
    {"1e-400", GA_YSCALAR_FLOAT, "0"},
    {"-1e-400", GA_YSCALAR_FLOAT, "0"},
    {"4.9e-324", GA_YSCALAR_FLOAT, "5e-324"},
    {"2.5e-324", GA_YSCALAR_FLOAT, "5e-324"},
    {"2e-324", GA_YSCALAR_FLOAT, "0"},
    {"1.7976931348623157e308", GA_YSCALAR_FLOAT, "1.7976931348623157e+308"},
    {"1.7976931348623159e308", GA_YSCALAR_STRING, "1.7976931348623159e308"},
    {"1.7976931348623158e308", GA_YSCALAR_FLOAT, "1.7976931348623157e+308"},
    {"0.1", GA_YSCALAR_FLOAT, "0.1"},
    {"0.2", GA_YSCALAR_FLOAT, "0.2"},
    {"0.3", GA_YSCALAR_FLOAT, "0.3"},
    {"1e6", GA_YSCALAR_FLOAT, "1000000"},
    {"1000000.0", GA_YSCALAR_FLOAT, "1000000"},
    {"100000.0", GA_YSCALAR_FLOAT, "100000"},
    {"999999.9", GA_YSCALAR_FLOAT, "999999.9"},
    {"9999999", GA_YSCALAR_INT, "9999999"},
    {"1e15", GA_YSCALAR_FLOAT, "1000000000000000"},
    {"1e16", GA_YSCALAR_FLOAT, "10000000000000000"},
    {"1e17", GA_YSCALAR_FLOAT, "100000000000000000"},
    {"1e18", GA_YSCALAR_FLOAT, "1000000000000000000"},
    {"1e19", GA_YSCALAR_FLOAT, "10000000000000000000"},
    {"9.223372036854775807e18", GA_YSCALAR_FLOAT, "9223372036854776000"},
    {"18446744073709551615.0", GA_YSCALAR_FLOAT, "1.8446744073709552e+19"},
    {"18446744073709550000.0", GA_YSCALAR_FLOAT, "18446744073709550000"},
    {"-1e19", GA_YSCALAR_FLOAT, "-1e+19"},
    {"1e+3", GA_YSCALAR_FLOAT, "1000"},
    {"1E3", GA_YSCALAR_FLOAT, "1000"},
    {"1e-3", GA_YSCALAR_FLOAT, "0.001"},
    {"12e", GA_YSCALAR_STRING, "12e"},
    {"1e+", GA_YSCALAR_STRING, "1e+"},
    {"e3", GA_YSCALAR_STRING, "e3"},
    {"+", GA_YSCALAR_STRING, "+"},
    {".", GA_YSCALAR_STRING, "."},
    {"..", GA_YSCALAR_STRING, ".."},
    {"-.", GA_YSCALAR_STRING, "-."},
    {"+-1", GA_YSCALAR_STRING, "+-1"},
    {"--1", GA_YSCALAR_STRING, "--1"},
    {"1-", GA_YSCALAR_STRING, "1-"},
    {"1.2.3", GA_YSCALAR_STRING, "1.2.3"},
    {"1,5", GA_YSCALAR_STRING, "1,5"},
    {"1 2", GA_YSCALAR_STRING, "1 2"},
    {"0x", GA_YSCALAR_STRING, "0x"},
    {"0b", GA_YSCALAR_STRING, "0b"},
    {"0o", GA_YSCALAR_STRING, "0o"},
    {"0x1g", GA_YSCALAR_STRING, "0x1g"},
    {"0b102", GA_YSCALAR_STRING, "0b102"},
    {"0o8", GA_YSCALAR_STRING, "0o8"},
    {"089", GA_YSCALAR_FLOAT, "89"},
    {"0.5.", GA_YSCALAR_STRING, "0.5."},
    {".inf", GA_YSCALAR_FLOAT, "+Inf"},
    {".Inf", GA_YSCALAR_FLOAT, "+Inf"},
    {".INF", GA_YSCALAR_FLOAT, "+Inf"},
    {"+.inf", GA_YSCALAR_FLOAT, "+Inf"},
    {"-.inf", GA_YSCALAR_FLOAT, "-Inf"},
    {".nan", GA_YSCALAR_FLOAT, "NaN"},
    {".NaN", GA_YSCALAR_FLOAT, "NaN"},
    {".NAN", GA_YSCALAR_FLOAT, "NaN"},
    {".iNf", GA_YSCALAR_STRING, ".iNf"},
    {"inf", GA_YSCALAR_STRING, "inf"},
    {"NaN", GA_YSCALAR_STRING, "NaN"},
    {"-inf", GA_YSCALAR_STRING, "-inf"},
    {"true", GA_YSCALAR_BOOL, "true"},
    {"True", GA_YSCALAR_BOOL, "true"},
    {"TRUE", GA_YSCALAR_BOOL, "true"},
    {"tRue", GA_YSCALAR_STRING, "tRue"},
    {"false", GA_YSCALAR_BOOL, "false"},
    {"False", GA_YSCALAR_BOOL, "false"},
    {"FALSE", GA_YSCALAR_BOOL, "false"},
    {"yes", GA_YSCALAR_STRING, "\"yes\""},
    {"Yes", GA_YSCALAR_STRING, "\"Yes\""},
    {"no", GA_YSCALAR_STRING, "\"no\""},
    {"on", GA_YSCALAR_STRING, "\"on\""},
    {"off", GA_YSCALAR_STRING, "\"off\""},
    {"y", GA_YSCALAR_STRING, "\"y\""},
    {"n", GA_YSCALAR_STRING, "\"n\""},
    {"Y", GA_YSCALAR_STRING, "\"Y\""},
    {"N", GA_YSCALAR_STRING, "\"N\""},
    {"null", GA_YSCALAR_NULL, "null"},
    {"Null", GA_YSCALAR_NULL, "null"},
    {"NULL", GA_YSCALAR_NULL, "null"},
    {"nULL", GA_YSCALAR_STRING, "nULL"},
    {"~", GA_YSCALAR_NULL, "null"},
    {"<<", GA_YSCALAR_STRING, "<<"},
    {"2001-12-14", GA_YSCALAR_TIMESTAMP, "\"2001-12-14T00:00:00Z\""},
    {"2001-12-14 21:59:43.10", GA_YSCALAR_TIMESTAMP,
     "\"2001-12-14T21:59:43.1Z\""},
    {"2001-12-14T21:59:43.10-05:00", GA_YSCALAR_TIMESTAMP,
     "\"2001-12-14T21:59:43.1-05:00\""},
    {"2001-12-14t21:59:43.10-05:00", GA_YSCALAR_TIMESTAMP,
     "\"2001-12-14T21:59:43.1-05:00\""},
    {"2001-12-14T21:59:43Z", GA_YSCALAR_TIMESTAMP, "\"2001-12-14T21:59:43Z\""},
    {"2001-12-14T21:59:43z", GA_YSCALAR_STRING, "2001-12-14T21:59:43z"},
    {"2001-12-14T21:59:43", GA_YSCALAR_STRING, "2001-12-14T21:59:43"},
    {"2001-12-14 21:59:43", GA_YSCALAR_TIMESTAMP, "\"2001-12-14T21:59:43Z\""},
    {"2001-12-14  21:59:43", GA_YSCALAR_TIMESTAMP, "\"2001-12-14T21:59:43Z\""},
    {"2001-12-14 21:59:43Z", GA_YSCALAR_STRING, "2001-12-14 21:59:43Z"},
    {"2001-12-14 21:59:43 +01:00", GA_YSCALAR_STRING,
     "2001-12-14 21:59:43 +01:00"},
    {"2001-12-14 21:59:43.10 -5", GA_YSCALAR_STRING,
     "2001-12-14 21:59:43.10 -5"},
    {"2001-1-4T1:2:3+00:00", GA_YSCALAR_TIMESTAMP, "\"2001-01-04T01:02:03Z\""},
    {"2001-1-4", GA_YSCALAR_TIMESTAMP, "\"2001-01-04T00:00:00Z\""},
    {"2001-01-04T01:02:03.000Z", GA_YSCALAR_TIMESTAMP,
     "\"2001-01-04T01:02:03Z\""},
    {"2001-12-14T21:59:43,5Z", GA_YSCALAR_TIMESTAMP,
     "\"2001-12-14T21:59:43.5Z\""},
    {"2001-12-14T21:59:43.123456789999Z", GA_YSCALAR_TIMESTAMP,
     "\"2001-12-14T21:59:43.123456789Z\""},
    {"2001-12-14T21:59:43.000000001Z", GA_YSCALAR_TIMESTAMP,
     "\"2001-12-14T21:59:43.000000001Z\""},
    {"2001-12-14T21:59:43.0000000001Z", GA_YSCALAR_TIMESTAMP,
     "\"2001-12-14T21:59:43Z\""},
    {"2001-12-14T21:59:43.Z", GA_YSCALAR_STRING, "2001-12-14T21:59:43.Z"},
    {"2001-12-14T21:59:43.5+05:30", GA_YSCALAR_TIMESTAMP,
     "\"2001-12-14T21:59:43.5+05:30\""},
    {"2001-12-14T21:59:43-00:00", GA_YSCALAR_TIMESTAMP,
     "\"2001-12-14T21:59:43Z\""},
    {"2001-12-14T21:59:43+01:60", GA_YSCALAR_TIMESTAMP,
     "\"2001-12-14T21:59:43+02:00\""},
    {"2001-12-14T21:59:43+01:61", GA_YSCALAR_STRING,
     "2001-12-14T21:59:43+01:61"},
    {"2001-12-14T21:59:43+25:00", GA_YSCALAR_STRING,
     "2001-12-14T21:59:43+25:00"},
    {"2001-12-14T21:59:43+0100", GA_YSCALAR_STRING, "2001-12-14T21:59:43+0100"},
    {"2001-12-14T21:59:43+1:00", GA_YSCALAR_STRING, "2001-12-14T21:59:43+1:00"},
    {"2001-12-14T21:59:43+01:00:00", GA_YSCALAR_STRING,
     "2001-12-14T21:59:43+01:00:00"},
    {"2001-12-14T24:00:00Z", GA_YSCALAR_STRING, "2001-12-14T24:00:00Z"},
    {"2001-12-14T23:60:00Z", GA_YSCALAR_STRING, "2001-12-14T23:60:00Z"},
    {"2001-12-14T23:59:60Z", GA_YSCALAR_STRING, "2001-12-14T23:59:60Z"},
    {"2001-12-14T123:00:00Z", GA_YSCALAR_STRING, "2001-12-14T123:00:00Z"},
    {"2001-02-29", GA_YSCALAR_STRING, "2001-02-29"},
    {"2000-02-29", GA_YSCALAR_TIMESTAMP, "\"2000-02-29T00:00:00Z\""},
    {"1900-02-29", GA_YSCALAR_STRING, "1900-02-29"},
    {"0000-02-29", GA_YSCALAR_TIMESTAMP, "\"0000-02-29T00:00:00Z\""},
    {"2001-02-28", GA_YSCALAR_TIMESTAMP, "\"2001-02-28T00:00:00Z\""},
    {"2001-04-31", GA_YSCALAR_STRING, "2001-04-31"},
    {"2001-12-32", GA_YSCALAR_STRING, "2001-12-32"},
    {"2001-13-01", GA_YSCALAR_STRING, "2001-13-01"},
    {"2001-00-01", GA_YSCALAR_STRING, "2001-00-01"},
    {"2001-01-00", GA_YSCALAR_STRING, "2001-01-00"},
    {"2001-1-1", GA_YSCALAR_TIMESTAMP, "\"2001-01-01T00:00:00Z\""},
    {"2001-012-1", GA_YSCALAR_STRING, "2001-012-1"},
    {"20011-12-14", GA_YSCALAR_STRING, "20011-12-14"},
    {"201-12-14", GA_YSCALAR_STRING, "201-12-14"},
    {"2001-12-14x", GA_YSCALAR_STRING, "2001-12-14x"},
    {"2001-12-14T", GA_YSCALAR_STRING, "2001-12-14T"},
    {"9999-12-31T23:59:59.999999999Z", GA_YSCALAR_TIMESTAMP,
     "\"9999-12-31T23:59:59.999999999Z\""},
    {"0001-01-01T00:00:00Z", GA_YSCALAR_TIMESTAMP, "\"0001-01-01T00:00:00Z\""},
    {"2001-12-14T21:59:43-23:59", GA_YSCALAR_TIMESTAMP,
     "\"2001-12-14T21:59:43-23:59\""},
};

static void test_plain_table(void)
{
	char buf[GA_FMT_FLOAT_MAX + GA_YAML_TS_MAX];

	for (size_t k = 0; k < sizeof(plain_rows) / sizeof(*plain_rows); k++) {
		const struct plain_row *r = &plain_rows[k];
		ga_yaml_scalar sc;
		int failed = th_current_failed;

		th_current_failed = 0;
		CHECK_OK(ga_yaml__resolve_plain(&sc, r->in, strlen(r->in)));
		CHECK_EQ_INT(sc.kind, r->kind);
		CHECK_EQ_STR(render(buf, sizeof(buf), &sc, r->in), r->want);
		if (th_current_failed)
			printf("#   input \"%s\"\n", r->in);
		th_current_failed |= failed;
	}
}

/*
 * Go parses these offsets, but time.Time's MarshalJSON refuses a zone of a
 * day or more, so kubectl fails the whole build.
 */
static void test_plain_zone_overflow(void)
{
	static const char *const bad[] = {
	    "2001-12-14T21:59:43+24:00",
	    "2001-12-14T21:59:43+23:60",
	    "2001-12-14T21:59:43-24:00",
	};
	ga_yaml_scalar sc = {.kind = GA_YSCALAR_BINARY};

	for (size_t k = 0; k < sizeof(bad) / sizeof(*bad); k++) {
		CHECK_ERR(ga_yaml__resolve_plain(&sc, bad[k], strlen(bad[k])),
		          GA_EINVALID);
		CHECK_EQ_STR(ga_error_last()->message,
		             "json: error calling MarshalJSON for type "
		             "time.Time: Time.MarshalJSON: timezone hour "
		             "outside of range [0,23]");
		/* *out is written only on success. */
		CHECK_EQ_INT(sc.kind, GA_YSCALAR_BINARY);
	}
}

/* The input is @len bytes, not a C string. */
static void test_plain_length_bounded(void)
{
	ga_yaml_scalar sc;

	CHECK_OK(ga_yaml__resolve_plain(&sc, "123abc", 3));
	CHECK_EQ_INT(sc.kind, GA_YSCALAR_INT);
	CHECK_EQ_INT(sc.i, 123);
	CHECK_OK(ga_yaml__resolve_plain(&sc, "truex", 4));
	CHECK_EQ_INT(sc.kind, GA_YSCALAR_BOOL);
	CHECK(sc.b);
	CHECK_OK(ga_yaml__resolve_plain(&sc, "2001-12-14T", 10));
	CHECK_EQ_INT(sc.kind, GA_YSCALAR_TIMESTAMP);
	CHECK_EQ_STR(sc.ts, "2001-12-14T00:00:00Z");
	CHECK_OK(ga_yaml__resolve_plain(&sc, "nullx", 0));
	CHECK_EQ_INT(sc.kind, GA_YSCALAR_NULL);
	CHECK(!ga_yaml__v2_plain_is_string("yes!", 3));
	CHECK(ga_yaml__v2_plain_is_string("yes!", 4));
}

/*
 * Long numbers (all checked with kubectl): past 800 significant digits a
 * sticky digit keeps the rounding exact, so 2^53 + 1 + tiny rounds up
 * while the exact halfway value rounds to even.
 */
static void test_plain_long_numbers(void)
{
	static char s[3000];
	char buf[GA_FMT_FLOAT_MAX];
	ga_yaml_scalar sc;

	(void)snprintf(s, sizeof(s), "%s", "9007199254740993.");
	memset(s + 17, '0', 900);
	CHECK_OK(ga_yaml__resolve_plain(&sc, s, 17 + 900));
	CHECK_EQ_INT(sc.kind, GA_YSCALAR_FLOAT);
	CHECK_OK(ga_fmt_float_kustomize(buf, sizeof(buf), sc.f));
	CHECK_EQ_STR(buf, "9007199254740992");
	s[17 + 900] = '1';
	CHECK_OK(ga_yaml__resolve_plain(&sc, s, 17 + 901));
	CHECK_OK(ga_fmt_float_kustomize(buf, sizeof(buf), sc.f));
	CHECK_EQ_STR(buf, "9007199254740994");

	/* 0.000...01 with 2000 zeros underflows to 0 without error. */
	(void)snprintf(s, sizeof(s), "%s", "0.");
	memset(s + 2, '0', 2000);
	s[2002] = '1';
	CHECK_OK(ga_yaml__resolve_plain(&sc, s, 2003));
	CHECK_EQ_INT(sc.kind, GA_YSCALAR_FLOAT);
	CHECK(sc.f == 0.0);

	/* 1000 ones overflow float64 and stay a (plain) string. */
	memset(s, '1', 1000);
	CHECK_OK(ga_yaml__resolve_plain(&sc, s, 1000));
	CHECK_EQ_INT(sc.kind, GA_YSCALAR_STRING);
	CHECK(ga_yaml__v2_plain_is_string(s, 1000));

	/* 1e308 written out in digits is still a float... */
	s[0] = '1';
	memset(s + 1, '0', 308);
	CHECK_OK(ga_yaml__resolve_plain(&sc, s, 309));
	CHECK_OK(ga_fmt_float_kustomize(buf, sizeof(buf), sc.f));
	CHECK_EQ_STR(buf, "1e+308");
	/* ...and 1e309 is not. */
	s[309] = '0';
	CHECK_OK(ga_yaml__resolve_plain(&sc, s, 310));
	CHECK_EQ_INT(sc.kind, GA_YSCALAR_STRING);
}

/* Probing floats internally must not leave an error behind. */
static void test_plain_no_stale_error(void)
{
	ga_yaml_scalar sc;

	CHECK_OK(ga_yaml__resolve_plain(&sc, ".5e999", 6));
	CHECK_EQ_INT(sc.kind, GA_YSCALAR_STRING);
	CHECK_OK(ga_yaml__resolve_plain(&sc, "1e400", 5));
	CHECK_EQ_INT(sc.kind, GA_YSCALAR_STRING);
	CHECK(!ga_yaml__v2_plain_is_string(".5e-999", 7));
	CHECK_EQ_STR(ga_error_last()->message, "");
}

static const struct v2_row {
	const char *s;
	bool plain; /* kubectl printed it plain (or single-quoted) */
} v2_rows[] = {
    {"abc", true},
    {"y", false},
    {"Y", false},
    {"yes", false},
    {"Yes", false},
    {"YES", false},
    {"yEs", true},
    {"n", false},
    {"N", false},
    {"no", false},
    {"No", false},
    {"NO", false},
    {"on", false},
    {"On", false},
    {"ON", false},
    {"oN", true},
    {"off", false},
    {"Off", false},
    {"OFF", false},
    {"true", false},
    {"True", false},
    {"TRUE", false},
    {"false", false},
    {"False", false},
    {"FALSE", false},
    {"~", false},
    {"null", false},
    {"Null", false},
    {"NULL", false},
    {".nan", false},
    {".NaN", false},
    {".NAN", false},
    {".inf", false},
    {".Inf", false},
    {".INF", false},
    {"+.inf", false},
    {"-.inf", false},
    {"-.Inf", false},
    {"+.INF", false},
    {"1.10", false},
    {"12:30", false},
    {"1:20", false},
    {"1:5", false},
    {"1:60", true},
    {"1:59", false},
    {"1:123", true},
    {"190:20:30", false},
    {"+1:20.5", false},
    {"-1:20", false},
    {"1_:20", false},
    {"1:20.", false},
    {"1:20.5_", false},
    {"1:20:", true},
    {":20", true},
    {"a1:20", true},
    {"1:2a", true},
    {"0b101", false},
    {"0b-101", false},
    {"0b+101", false},
    {"-0b101", false},
    {"-0b-101", true},
    {"0B101", false},
    {"0o17", false},
    {"0o-5", true},
    {"0x1F", false},
    {"0x", true},
    {"0b", true},
    {"0o", true},
    {"0755", false},
    {"08", false},
    {"1_000", false},
    {"_1", true},
    {"1__0", false},
    {"1_", false},
    {".5", false},
    {".5_5", false},
    {"._5", true},
    {".5e999", true},
    {".5e-999", false},
    {"1e3", false},
    {"1e400", true},
    {"1e-400", false},
    {".", true},
    {"..", true},
    {".a", true},
    {".e5", true},
    {"+", true},
    {"+a", true},
    {"-a", true},
    {"-1", false},
    {"+1", false},
    {"-.5", false},
    {"+.5", false},
    {"1.", false},
    {"1.e5", false},
    {"12e", true},
    {"0x1g", true},
    {"2001-12-14", false},
    {"2001-12-14T21:59:43", true},
    {"2001-12-14T21:59:43Z", false},
    {"2001-12-14 21:59:43", false},
    {"2001-12-14T21:59:43+24:00", false},
    {"2001-12-14T00:00:00Z", false},
    {"2001-02-30", true},
    {"2001-12-14T21:59:43.1-05:00", false},
    {"9223372036854775808", false},
    {"18446744073709551616", false},
    {"0x10000000000000000", true},
    {"inf", true},
    {"nan", true},
    {"NaN", true},
    {"<<", true},
    {"=", true},
    {"a-b", true},
    {"t", true},
    {"f", true},
    {"T", true},
    {"F", true},
    {"o", true},
    {"O", true},
    {"nil", true},
    {"None", true},
    {"", false},
};

static void test_v2_plain_is_string(void)
{
	for (size_t k = 0; k < sizeof(v2_rows) / sizeof(*v2_rows); k++) {
		const struct v2_row *r = &v2_rows[k];
		bool got = ga_yaml__v2_plain_is_string(r->s, strlen(r->s));

		if (got != r->plain) {
			th_fail(__FILE__, __LINE__, "v2 predicate");
			printf("#   \"%s\": got %d, want %d\n", r->s, got,
			       r->plain);
		}
	}
}

static const struct tag_row {
	const char *tag;
	const char *in;
	int err;
	const char *want; /* kubectl's output, or the error message */
} tag_rows[] = {
    {"!!int", "12", 0, "12"},
    {"tag:yaml.org,2002:int", "12", 0, "12"},
    {"!!int", "abc", -1, "cannot decode !!str `abc` as a !!int"},
    {"tag:yaml.org,2002:int", "", -1, "cannot decode !!null `` as a !!int"},
    {"!!int", "~", -1, "cannot decode !!null `~` as a !!int"},
    {"tag:yaml.org,2002:int", "1.5", -1,
     "cannot decode !!float `1.5` as a !!int"},
    {"!!int", "0x1F", 0, "31"},
    {"tag:yaml.org,2002:int", "0o-5", 0, "-5"},
    {"!!int", "1_0", 0, "10"},
    {"tag:yaml.org,2002:int", "9223372036854775808", 0, "9223372036854775808"},
    {"!!int", "2001-12-14", -1, "cannot decode !!str `2001-12-14` as a !!int"},
    {"tag:yaml.org,2002:int", "true", -1,
     "cannot decode !!bool `true` as a !!int"},
    {"!!int", "yes", -1, "cannot decode !!str `yes` as a !!int"},
    {"tag:yaml.org,2002:int", "<<", -1, "cannot decode !!str `<<` as a !!int"},
    {"!!str", "12", 0, "\"12\""},
    {"tag:yaml.org,2002:str", "true", 0, "\"true\""},
    {"!!str", "~", 0, "\"~\""},
    {"tag:yaml.org,2002:str", "2001-12-14", 0, "\"2001-12-14\""},
    {"!!float", "1", 0, "1"},
    {"tag:yaml.org,2002:float", "1.5", 0, "1.5"},
    {"!!float", "08", 0, "8"},
    {"tag:yaml.org,2002:float", "-0", 0, "0"},
    {"!!float", "0o-5", 0, "-5"},
    {"tag:yaml.org,2002:float", "1_0", 0, "10"},
    {"!!float", ".5_5", 0, "0.55"},
    {"tag:yaml.org,2002:float", "1e400", -1,
     "cannot decode !!str `1e400` as a !!float"},
    {"!!float", "1e-400", 0, "0"},
    {"tag:yaml.org,2002:float", "abc", -1,
     "cannot decode !!str `abc` as a !!float"},
    {"!!float", "2001-12-14", -1,
     "cannot decode !!str `2001-12-14` as a !!float"},
    {"tag:yaml.org,2002:float", "9223372036854775808", -1,
     "cannot decode !!int `9223372036854775808` as a !!float"},
    {"!!float", "9223372036854775807", 0, "9223372036854776000"},
    {"tag:yaml.org,2002:float", "0x1F", 0, "31"},
    {"!!float", "true", -1, "cannot decode !!bool `true` as a !!float"},
    {"tag:yaml.org,2002:bool", "yes", -1,
     "cannot decode !!str `yes` as a !!bool"},
    {"!!bool", "true", 0, "true"},
    {"tag:yaml.org,2002:bool", "True", 0, "true"},
    {"!!bool", "1", -1, "cannot decode !!int `1` as a !!bool"},
    {"tag:yaml.org,2002:bool", "on", -1,
     "cannot decode !!str `on` as a !!bool"},
    {"!!bool", "", -1, "cannot decode !!null `` as a !!bool"},
    {"tag:yaml.org,2002:null", "", 0, "null"},
    {"!!null", "abc", -1, "cannot decode !!str `abc` as a !!null"},
    {"tag:yaml.org,2002:null", "~", 0, "null"},
    {"!!null", "null", 0, "null"},
    {"tag:yaml.org,2002:null", "NULL", 0, "null"},
    {"!!null", "false", -1, "cannot decode !!bool `false` as a !!null"},
    {"tag:yaml.org,2002:timestamp", "2001-12-14", 0,
     "\"2001-12-14T00:00:00Z\""},
    {"!!timestamp", "2001-12-14", 0, "\"2001-12-14T00:00:00Z\""},
    {"tag:yaml.org,2002:timestamp", "2001-12-14 21:59:43", 0,
     "\"2001-12-14T21:59:43Z\""},
    {"!!timestamp", "2001-02-30", -1,
     "cannot decode !!str `2001-02-30` as a !!timestamp"},
    {"tag:yaml.org,2002:timestamp", "1", -1,
     "cannot decode !!int `1` as a !!timestamp"},
    {"!!timestamp", "abc", -1, "cannot decode !!str `abc` as a !!timestamp"},
    {"tag:yaml.org,2002:timestamp", "2001-12-14T21:59:43+01:30", 0,
     "\"2001-12-14T21:59:43+01:30\""},
    {"!foo", "12", 0, "\"12\""},
    {"!foo", "true", 0, "\"true\""},
    {"!!map", "12", 0, "\"12\""},
    {"!!seq", "12", 0, "\"12\""},
    {"!!merge", "12", 0, "\"12\""},
    {"!!foo", "12", 0, "\"12\""},
    {"!", "12", 0, "12"},
    {"!", "true", 0, "true"},
    {"!", "abc", 0, "abc"},
    {"!", "2001-12-14", 0, "\"2001-12-14T00:00:00Z\""},
    {"tag:yaml.org,2002:int", "12", 0, "12"},
    {"tag:yaml.org,2002:float", "12", 0, "12"},
    {"tag:yaml.org,2002:str", "12", 0, "\"12\""},
};

static void test_tagged_table(void)
{
	char buf[GA_FMT_FLOAT_MAX + GA_YAML_TS_MAX];

	for (size_t k = 0; k < sizeof(tag_rows) / sizeof(*tag_rows); k++) {
		const struct tag_row *r = &tag_rows[k];
		ga_yaml_scalar sc;
		int failed = th_current_failed, err;

		th_current_failed = 0;
		ga_error_clear();
		err =
		    ga_yaml__resolve_tagged(&sc, r->tag, r->in, strlen(r->in));
		if (r->err) {
			CHECK_EQ_INT(err, GA_EINVALID);
			CHECK_EQ_STR(ga_error_last()->message, r->want);
		} else {
			CHECK_OK(err);
			if (err == 0)
				CHECK_EQ_STR(
				    render(buf, sizeof(buf), &sc, r->in),
				    r->want);
		}
		if (th_current_failed)
			printf("#   %s \"%s\"\n", r->tag, r->in);
		th_current_failed |= failed;
	}
}

static void test_tagged_kinds(void)
{
	ga_yaml_scalar sc;

	/* No tag, or the non-specific "!", resolve like plain scalars. */
	CHECK_OK(ga_yaml__resolve_tagged(&sc, NULL, "12", 2));
	CHECK_EQ_INT(sc.kind, GA_YSCALAR_INT);
	CHECK_OK(ga_yaml__resolve_tagged(&sc, "", "true", 4));
	CHECK_EQ_INT(sc.kind, GA_YSCALAR_BOOL);
	CHECK_OK(ga_yaml__resolve_tagged(&sc, "!", "~", 1));
	CHECK_EQ_INT(sc.kind, GA_YSCALAR_NULL);
	CHECK_OK(ga_yaml__resolve_tagged(&sc, "tag:yaml.org,2002:binary",
	                                 "aGVsbG8=", 8));
	CHECK_EQ_INT(sc.kind, GA_YSCALAR_BINARY);
	CHECK_OK(ga_yaml__resolve_tagged(&sc, "!!binary", "~", 1));
	CHECK_EQ_INT(sc.kind, GA_YSCALAR_BINARY);
	CHECK_OK(ga_yaml__resolve_tagged(&sc, "!!str", "", 0));
	CHECK_EQ_INT(sc.kind, GA_YSCALAR_STRING);
	CHECK_OK(ga_yaml__resolve_tagged(&sc, "tag:yaml.org,2002:map", "1", 1));
	CHECK_EQ_INT(sc.kind, GA_YSCALAR_STRING);
	CHECK_OK(ga_yaml__resolve_tagged(&sc, "!!float", "-0", 2));
	CHECK_EQ_INT(sc.kind, GA_YSCALAR_FLOAT);
	CHECK(sc.f == 0.0);
	CHECK_OK(ga_yaml__resolve_tagged(&sc, "!!float", ".inf", 4));
	CHECK(isinf(sc.f) && sc.f > 0);
	CHECK_OK(ga_yaml__resolve_tagged(&sc, "!!timestamp",
	                                 "2001-12-14T21:59:43.5+05:30", 27));
	CHECK_EQ_STR(sc.ts, "2001-12-14T21:59:43.5+05:30");
	CHECK_ERR(ga_yaml__resolve_tagged(&sc, "!!timestamp",
	                                  "2001-12-14T21:59:43+24:00", 25),
	          GA_EINVALID);
}

static const struct bin_row {
	const char *in;
	const char *want; /* NULL: Go refuses it */
} bin_rows[] = {
    {"aGVsbG8=", "hello"},   {"aGVsbG8", NULL},       {"aGVsbA==", "hell"},
    {"aGVsbA=", NULL},       {"aGVsbA===", NULL},     {"aGVs bG8=", NULL},
    {"aGVs\nbG8=", "hello"}, {"aGVsbG8=\n", "hello"}, {"aGVs\r\nbG8=", "hello"},
    {"aGVsbG8=x", NULL},     {"aGVsbA=\n=", "hell"},  {"a", NULL},
    {"aGU*", NULL},          {"YWJj", "abc"},         {"", ""},
};

static void test_decode_binary(void)
{
	ga_buf b = GA_BUF_INIT(1024);

	for (size_t k = 0; k < sizeof(bin_rows) / sizeof(*bin_rows); k++) {
		const struct bin_row *r = &bin_rows[k];
		int failed = th_current_failed, err;

		th_current_failed = 0;
		ga_buf_clear(&b);
		CHECK_OK(ga_buf_puts(&b, "pre:"));
		err = ga_yaml__decode_binary(&b, r->in, strlen(r->in));
		if (!r->want) {
			CHECK_EQ_INT(err, GA_EINVALID);
			CHECK_EQ_STR(ga_error_last()->message,
			             "!!binary value contains invalid base64 "
			             "data");
			/* A failed decode leaves the buffer as it was. */
			CHECK_EQ_STR(ga_buf_cstr(&b), "pre:");
		} else {
			CHECK_OK(err);
			CHECK_EQ_STR(ga_buf_cstr(&b) + 4, r->want);
		}
		if (th_current_failed)
			printf("#   input \"%s\"\n", r->in);
		th_current_failed |= failed;
	}
	ga_buf_dispose(&b);
}

static void test_decode_binary_bytes(void)
{
	ga_buf b = GA_BUF_INIT(4);

	/* Bytes are raw: NUL and 0xff survive. */
	CHECK_OK(ga_yaml__decode_binary(&b, "AP8=", 4));
	CHECK_EQ_INT(b.size, 2);
	CHECK(b.ptr[0] == 0 && (unsigned char)b.ptr[1] == 0xff);
	/* The buffer's cap is reported and the partial append undone. */
	CHECK_ERR(ga_yaml__decode_binary(&b, "YWJj", 4), GA_ELIMIT);
	CHECK_EQ_INT(b.size, 2);
	ga_buf_dispose(&b);
}

int main(void)
{
	RUN(test_plain_table);
	RUN(test_plain_zone_overflow);
	RUN(test_plain_length_bounded);
	RUN(test_plain_long_numbers);
	RUN(test_plain_no_stale_error);
	RUN(test_v2_plain_is_string);
	RUN(test_tagged_table);
	RUN(test_tagged_kinds);
	RUN(test_decode_binary);
	RUN(test_decode_binary_bytes);
	return DONE();
}
