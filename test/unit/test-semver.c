/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Semantic versions and Masterminds/semver v3 ranges.  The range tables
 * cover every operator with and without wildcards and pre-releases, the
 * behaviour of upstream that surprises (kept on purpose, so that Flux and we
 * select the same tags), every syntax error and every allocation failure.
 */
#include "ga/semver.h"

#include "ga/alloc.h"
#include "harness.h"
#include "util/alloc.h"

struct version_case {
	const char *in;
	uint64_t major, minor, patch;
	const char *pre, *build;
};

/* Accepted by both parsers, with the same result. */
static const struct version_case strict_ok[] = {
    {"1.2.3", 1, 2, 3, "", ""},
    {"v1.2.3", 1, 2, 3, "", ""},
    {"0.0.0", 0, 0, 0, "", ""},
    {"10.20.30", 10, 20, 30, "", ""},
    {"1.0.0-alpha", 1, 0, 0, "alpha", ""},
    {"1.0.0-alpha.1", 1, 0, 0, "alpha.1", ""},
    {"1.0.0-0.3.7", 1, 0, 0, "0.3.7", ""},
    {"1.0.0-x.7.z.92", 1, 0, 0, "x.7.z.92", ""},
    {"1.0.0-x-y-z.--", 1, 0, 0, "x-y-z.--", ""},
    {"1.0.0--", 1, 0, 0, "-", ""},
    {"1.0.0-0A.is.legal", 1, 0, 0, "0A.is.legal", ""},
    {"1.0.0-alpha+001", 1, 0, 0, "alpha", "001"},
    {"1.0.0+20130313144700", 1, 0, 0, "", "20130313144700"},
    {"1.0.0-beta+exp.sha.5114f85", 1, 0, 0, "beta", "exp.sha.5114f85"},
    {"1.0.0+21AF26D3----117B344092BD", 1, 0, 0, "", "21AF26D3----117B344092BD"},
    {"v2.3.5-20161202202307-sha.e8fc5e5", 2, 3, 5, "20161202202307-sha.e8fc5e5",
     ""},
    {"18446744073709551615.18446744073709551615.18446744073709551615",
     UINT64_MAX, UINT64_MAX, UINT64_MAX, "", ""},
};

/* Accepted only by the lenient parser (Masterminds' NewVersion). */
static const struct version_case lenient_only[] = {
    {"1", 1, 0, 0, "", ""},
    {"v1", 1, 0, 0, "", ""},
    {"1.2", 1, 2, 0, "", ""},
    {"v1.2", 1, 2, 0, "", ""},
    {"1.2-rc.1", 1, 2, 0, "rc.1", ""},
    {"1-2.3", 1, 0, 0, "2.3", ""},
    {"1+build.7", 1, 0, 0, "", "build.7"},
    {"2024.01.15", 2024, 1, 15, "", ""},
    {"01.02.03", 1, 2, 3, "", ""},
    {"00", 0, 0, 0, "", ""},
};

struct error_case {
	const char *in;
	const char *msg; /* NULL: only the code is checked */
};

/* Refused by both parsers. */
static const struct error_case both_err[] = {
    {"", "invalid semantic version \"\": empty"},
    {"v", "invalid semantic version \"v\": expected a number at the end"},
    {"V1.2.3", "invalid semantic version \"V1.2.3\": "
               "expected a number at \"V1.2.3\""},
    {"vv1.2.3", NULL},
    {"1.", "invalid semantic version \"1.\": expected a number at the end"},
    {"1.2.", NULL},
    {"1.2.3.", "invalid semantic version \"1.2.3.\": unexpected \".\""},
    {"1.2.3.4", NULL},
    {"1.2.3.DEV", NULL},
    {"1.x", "invalid semantic version \"1.x\": expected a number at \"x\""},
    {"1.2.x", NULL},
    {"a.b.c", NULL},
    {"alpha", NULL},
    {"-1.2.3", NULL},
    {"+invalid", NULL},
    {"-invalid+invalid", NULL},
    {" 1.2.3", NULL},
    {"1.2.3 ", "invalid semantic version \"1.2.3 \": unexpected \" \""},
    {"1.2.3-", "invalid semantic version \"1.2.3-\": "
               "empty pre-release identifier"},
    {"1.2.3+", "invalid semantic version \"1.2.3+\": "
               "empty build identifier"},
    {"1.2.3-beta+", NULL},
    {"1.2.3-01", "invalid semantic version \"1.2.3-01\": "
                 "leading zero in pre-release identifier \"01\""},
    {"1.2.3-0123.0123", NULL},
    {"1.2.3-beta.01", NULL},
    {"1.0.0-alpha..1", "invalid semantic version \"1.0.0-alpha..1\": "
                       "empty pre-release identifier"},
    {"1.0.0-alpha.", NULL},
    {"1.1.2+.123", NULL},
    {"1.0.0-alpha_beta", "invalid semantic version \"1.0.0-alpha_beta\": "
                         "unexpected \"_beta\""},
    {"1.0.0-_", "invalid semantic version \"1.0.0-_\": "
                "unexpected \"_\""},
    {"9.8.7+meta+meta", NULL},
    {"9.8.7-whatever+meta+meta", NULL},
    {"1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788", NULL},
    {"1.2.3\n", NULL},
    {"1.2.3\"\\", "invalid semantic version \"1.2.3\\\"\\\\\": "
                  "unexpected \"\\\"\\\\\""},
    {"1.2.3\xc2\xa0", "invalid semantic version \"1.2.3\\xc2\\xa0\": "
                      "unexpected \"\\xc2\\xa0\""},
    {"18446744073709551616.0.0",
     "invalid semantic version \"18446744073709551616.0.0\": "
     "\"18446744073709551616\" does not fit in 64 bits"},
    {"99999999999999999999999.999999999999999999.99999999999999999", NULL},
};

/* Refused by the strict parser only. */
static const struct error_case strict_only_err[] = {
    {"1", "invalid semantic version \"1\": expected MAJOR.MINOR.PATCH"},
    {"1.2", "invalid semantic version \"1.2\": expected MAJOR.MINOR.PATCH"},
    {"v1.2", NULL},
    {"1.2-SNAPSHOT", NULL},
    {"01.2.3", "invalid semantic version \"01.2.3\": "
               "leading zero in \"01\""},
    {"1.02.3", NULL},
    {"1.2.03", NULL},
    {"2024.01.15", NULL},
};

static void check_version(const ga_semver *v, const struct version_case *c)
{
	CHECK_EQ_INT(v->major, c->major);
	CHECK_EQ_INT(v->minor, c->minor);
	CHECK_EQ_INT(v->patch, c->patch);
	CHECK_EQ_STR(v->pre, c->pre);
	CHECK_EQ_STR(v->build, c->build);
}

static void test_parse_ok(void)
{
	ga_semver v = GA_SEMVER_INIT;

	for (size_t i = 0; i < sizeof(strict_ok) / sizeof(strict_ok[0]); i++) {
		CHECK_OK(ga_semver_parse_strict(&v, strict_ok[i].in));
		check_version(&v, &strict_ok[i]);
		CHECK_OK(ga_semver_parse(&v, strict_ok[i].in));
		check_version(&v, &strict_ok[i]);
	}
	for (size_t i = 0; i < sizeof(lenient_only) / sizeof(lenient_only[0]);
	     i++) {
		CHECK_OK(ga_semver_parse(&v, lenient_only[i].in));
		check_version(&v, &lenient_only[i]);
		CHECK_ERR(ga_semver_parse_strict(&v, lenient_only[i].in),
		          GA_EINVALID);
	}
}

static void check_error(int (*parse)(ga_semver *, const char *),
                        const struct error_case *c)
{
	ga_semver v = {7, 7, 7, "keep", "me"};

	ga_error_clear();
	if (parse(&v, c->in) != GA_EINVALID) {
		printf("#   \"%s\" was accepted\n", c->in);
		CHECK(!"refused");
	}
	if (c->msg)
		CHECK_EQ_STR(ga_error_last()->message, c->msg);
	/* The out-parameter is written only on success. */
	CHECK(v.major == 7 && strcmp(v.pre, "keep") == 0);
}

static void test_parse_errors(void)
{
	for (size_t i = 0; i < sizeof(both_err) / sizeof(both_err[0]); i++) {
		check_error(ga_semver_parse, &both_err[i]);
		check_error(ga_semver_parse_strict, &both_err[i]);
	}
	for (size_t i = 0;
	     i < sizeof(strict_only_err) / sizeof(strict_only_err[0]); i++)
		check_error(ga_semver_parse_strict, &strict_only_err[i]);
}

static void test_parse_limits(void)
{
	char in[GA_SEMVER_MAX_LEN + 2];
	ga_semver v;

	/* "1.0.0-" and 250 identifier bytes make exactly 256. */
	memcpy(in, "1.0.0-", 6);
	memset(in + 6, 'a', 250);
	in[256] = '\0';
	CHECK_OK(ga_semver_parse_strict(&v, in));
	CHECK_EQ_INT(strlen(v.pre), 250);
	in[256] = 'a';
	in[257] = '\0';
	CHECK_ERR(ga_semver_parse_strict(&v, in), GA_ELIMIT);
	CHECK(strstr(ga_error_last()->message, "longer than 256 bytes"));
	CHECK_ERR(ga_semver_parse(&v, in), GA_ELIMIT);

	/* The build metadata may fill the text as well. */
	memcpy(in, "1.0.0+", 6);
	memset(in + 6, 'b', 250);
	in[256] = '\0';
	CHECK_OK(ga_semver_parse(&v, in));
	CHECK_EQ_INT(strlen(v.build), 250);

	CHECK_ERR(ga_semver_parse(NULL, "1.2.3"), GA_EINVALID);
	CHECK_ERR(ga_semver_parse(&v, NULL), GA_EINVALID);
	CHECK_ERR(ga_semver_parse_strict(&v, NULL), GA_EINVALID);
}

static int cmp(const char *a, const char *b)
{
	ga_semver x, y;

	if (ga_semver_parse(&x, a) < 0 || ga_semver_parse(&y, b) < 0) {
		printf("#   cannot parse \"%s\" or \"%s\"\n", a, b);
		return 99;
	}
	return ga_semver_compare(&x, &y);
}

static void test_compare(void)
{
	/* Ascending, from semver.org section 11 and a few of our own. */
	static const char *const order[] = {
	    "0.0.0-0",
	    "0.0.0",
	    "0.0.1",
	    "0.1.0",
	    "1.0.0-0",
	    "1.0.0-1",
	    "1.0.0-2",
	    "1.0.0-10",
	    "1.0.0-99999999999999999999",
	    "1.0.0-100000000000000000000",
	    "1.0.0-1a",
	    "1.0.0-BETA",
	    "1.0.0-alpha",
	    "1.0.0-alpha.1",
	    "1.0.0-alpha.beta",
	    "1.0.0-alpha0",
	    "1.0.0-beta",
	    "1.0.0-beta.2",
	    "1.0.0-beta.11",
	    "1.0.0-rc.1",
	    "1.0.0",
	    "1.0.1",
	    "1.9.0",
	    "1.10.0",
	    "2.0.0",
	    "2.1.0",
	    "2.1.1",
	    "18446744073709551615.0.0",
	};
	size_t n = sizeof(order) / sizeof(order[0]);

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			int want = (i > j) - (i < j),
			    got = cmp(order[i], order[j]);

			if (got != want) {
				printf("#   compare(%s, %s) = %d, want %d\n",
				       order[i], order[j], got, want);
				CHECK(!"order");
			}
		}
	}
	/* Build metadata and the "v" play no part; partial versions fill 0. */
	CHECK_EQ_INT(cmp("1.0.0+a", "1.0.0+b"), 0);
	CHECK_EQ_INT(cmp("v1.0.0", "1.0.0"), 0);
	CHECK_EQ_INT(cmp("1.2", "1.2.0"), 0);
	CHECK_EQ_INT(cmp("1.0.0-rc.1+x", "1.0.0-rc.1"), 0);
}

static void test_compare_hand_built(void)
{
	/* Values a caller filled in: zeros and empty fields still order. */
	ga_semver a = {1, 0, 0, "007", ""}, b = {1, 0, 0, "7", ""};
	ga_semver c = {1, 0, 0, "a..b", ""}, d = {1, 0, 0, "a.0.b", ""};

	CHECK_EQ_INT(ga_semver_compare(&a, &b), 0);
	CHECK_EQ_INT(ga_semver_compare(&b, &a), 0);
	CHECK_EQ_INT(ga_semver_compare(&c, &d), -1);
	CHECK_EQ_INT(ga_semver_compare(&d, &c), 1);
}

static void test_format(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"1.2.3", "1.2.3"},
	    {"v1.2", "1.2.0"},
	    {"2024.01.15", "2024.1.15"},
	    {"1.0.0-rc.1+build.5", "1.0.0-rc.1+build.5"},
	    {"1+b", "1.0.0+b"},
	    {"1-a", "1.0.0-a"},
	};
	char buf[GA_SEMVER_FORMAT_MAX];
	ga_semver v;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_OK(ga_semver_parse(&v, cases[i].in));
		CHECK_OK(ga_semver_format(buf, sizeof(buf), &v));
		CHECK_EQ_STR(buf, cases[i].want);
	}
}

static void test_format_limits(void)
{
	ga_semver v = {1, 22, 333, "rc", ""};
	ga_semver big = {UINT64_MAX, UINT64_MAX, UINT64_MAX, "", ""};
	char buf[GA_SEMVER_FORMAT_MAX];

	/* "1.22.333-rc" is 11 bytes and its NUL makes 12. */
	CHECK_OK(ga_semver_format(buf, 12, &v));
	CHECK_EQ_STR(buf, "1.22.333-rc");
	memset(buf, '#', 16);
	CHECK_ERR(ga_semver_format(buf, 11, &v), GA_ELIMIT);
	CHECK_EQ_STR(ga_error_last()->message,
	             "version text needs 12 bytes, buffer has 11");
	CHECK(buf[0] == '#');
	CHECK_ERR(ga_semver_format(NULL, 0, &v), GA_ELIMIT);
	CHECK_ERR(ga_semver_format(NULL, 4, &v), GA_EINVALID);
	CHECK_ERR(ga_semver_format(buf, sizeof(buf), NULL), GA_EINVALID);

	/* The longest possible text fits GA_SEMVER_FORMAT_MAX. */
	memset(big.pre, 'p', sizeof(big.pre) - 1);
	memset(big.build, 'b', sizeof(big.build) - 1);
	CHECK_OK(ga_semver_format(buf, sizeof(buf), &big));
	CHECK_EQ_INT(strlen(buf), 3 * 20 + 2 + 2 + 2 * 255);

	/* An unterminated field is refused, not overread. */
	memset(big.pre, 'p', sizeof(big.pre));
	CHECK_ERR(ga_semver_format(buf, sizeof(buf), &big), GA_EINVALID);
}

struct match_case {
	const char *range;
	const char *version;
	bool want;
};

static const struct match_case matches[] = {
    /* Plain comparisons. */
    {"=2.0.0", "2.0.0", true},
    {"=2.0.0", "1.2.3", false},
    {"2.0.0", "2.0.0", true},
    {"v2.0.0", "2.0.0", true},
    {"= 2.0.0", "2.0.0", true},
    {"2.0.0", "2.0.0+build", true},
    {"2.0.0+build", "2.0.0", true},
    {"!=4.1.0", "4.1.0", false},
    {"!=4.1.0", "4.1.1", true},
    {">1.1.0", "1.1.0", false},
    {">1.1.0", "1.1.1", true},
    {"<1.1.0", "1.0.9", true},
    {"<1.1.0", "1.1.0", false},
    {">=1.1.0", "1.1.0", true},
    {"=>1.1.0", "1.1.0", true},
    {">=1.1.0", "1.0.9", false},
    {"<=1.1.0", "1.1.0", true},
    {"=<1.1.0", "1.1.0", true},
    {"<=1.1.0", "1.1.1", false},
    /* Partial versions and wildcards. */
    {"=2.0", "2.0.1", true},
    {"=2.0", "2.1.0", false},
    {"4.1", "4.1.0", true},
    {"2", "2.1.1", true},
    {"2", "3.4.5", false},
    {"1.2.x", "1.2.9", true},
    {"1.2.x", "1.3.0", false},
    {"1.2.X", "1.2.0", true},
    {"1.2.*", "1.2.0", true},
    {"1.*", "1.9.9", true},
    {"1.*", "2.0.0", false},
    {"1.x.x", "1.4.0", true},
    {"*", "0.0.0", true},
    {"*", "4.5.6", true},
    {"x", "4.5.6", true},
    {"!=4.1", "4.1.0", false},
    {"!=4.1", "4.1.1", false},
    {"!=4.1", "5.1.0", true},
    {"!=4.x", "4.1.0", false},
    {"!=4.x", "5.1.0", true},
    {"!=4.1.x", "4.2.0", true},
    {"!=4.2.x", "4.2.3", false},
    {"!=x", "0.0.0", false},
    {"!=x", "0.0.1", true},
    {">1.1", "1.1.9", false},
    {">1.1", "1.2.0", true},
    {">11", "11.9.0", false},
    {">11", "12.0.0", true},
    {">0", "0.0.0", false},
    {">0", "1.0.0", true},
    {">x", "0.0.1", true},
    {">x", "0.0.0", false},
    {"<1.x", "0.9.9", true},
    {"<1.x", "1.0.0", false},
    {"<1.1.x", "1.0.500", true},
    {"<1.1.x", "1.1.0", false},
    {">=1.1", "1.1.0", true},
    {">=1.x", "1.0.0", true},
    {">= 1.2.x", "1.2.0", true},
    {"<=1.1", "1.1.999", true},
    {"<=1.1", "1.2.0", false},
    {"<=1.x", "1.9.0", true},
    {"<=2.x", "2.99.0", true},
    {"<=2.x", "3.0.0", false},
    {"<=11", "11.2.3", true},
    {"<=11", "12.0.0", false},
    /* Tilde. */
    {"~1.2.3", "1.2.3", true},
    {"~1.2.3", "1.2.9", true},
    {"~1.2.3", "1.2.2", false},
    {"~1.2.3", "1.3.0", false},
    {"~>1.2.3", "1.2.9", true},
    {"~ 1.2.3", "1.2.9", true},
    {"~1.2", "1.2.4", true},
    {"~1.2", "1.3.0", false},
    {"~1", "1.9.9", true},
    {"~1", "2.0.0", false},
    {"~1.x", "1.3.5", true},
    {"~1.x", "2.1.1", false},
    {"~0.2.3", "0.2.5", true},
    {"~0.2.3", "0.3.0", false},
    {"~*", "2.1.1", true},
    {"~0.0.0", "1.2.3", true},
    {"~0", "0.9.0", true},
    {"~0", "1.0.0", false},
    /* Caret. */
    {"^1.2.3", "1.2.3", true},
    {"^1.2.3", "1.8.9", true},
    {"^1.2.3", "1.2.2", false},
    {"^1.2.3", "2.0.0", false},
    {"^1.2", "1.8.9", true},
    {"^1", "1.8.9", true},
    {"^1", "2.0.0", false},
    {"^1.x", "1.1.1", true},
    {"^2.x", "1.1.1", false},
    {"^0.2.3", "0.2.3", true},
    {"^0.2.3", "0.2.9", true},
    {"^0.2.3", "0.3.0", false},
    {"^0.2", "0.2.5", true},
    {"^0.2", "0.3.0", false},
    {"^0.0.3", "0.0.3", true},
    {"^0.0.3", "0.0.4", false},
    {"^0.0", "0.0.3", true},
    {"^0.0", "0.1.0", false},
    {"^0", "0.9.9", true},
    {"^0", "1.0.0", false},
    {"^0.0.0", "1.2.3", false},
    /* Upstream matches "^*" against 0.0.0 only, whatever its comment says. */
    {"^*", "0.0.0", true},
    {"^*", "1.2.3", false},
    /* Hyphen ranges, AND and OR. */
    {"1.2 - 1.4.5", "1.2.0", true},
    {"1.2 - 1.4.5", "1.4.5", true},
    {"1.2 - 1.4.5", "1.4.6", false},
    {"1.2 - 1.4.5", "1.1.9", false},
    {"1.1 - 2", "2.9.0", true},
    {"1.1 - 2", "3.0.0", false},
    {"1.1-3", "1.1.0-3", true},
    {"1.1-3", "1.1.7", true},
    {"1.1-3", "1.2.0", false},
    {"1.0.0 - 2.0.0 <=1.5.0", "1.5.0", true},
    {"1.0.0 - 2.0.0, <=1.5.0", "1.6.0", false},
    {"\t1.0.0\n-\r2.0.0\f", "1.5.0", true},
    {">=1.2 <2", "1.9.9", true},
    {">=1.2 <2", "2.0.0", false},
    {">= 1.2, < 2", "1.5.0", true},
    {">=1.2 ,<2", "1.5.0", true},
    {">1.1    <3", "4.3.2", false},
    {">=1.1, <2, !=1.2.3", "1.2.3", false},
    {">=1.1, <2, !=1.2.3", "1.2.4", true},
    {">=1.1 <2 !=1.2.3 || > 3", "4.1.2", true},
    {">=1.1 <2 !=1.2.3 || > 3", "3.1.2", false},
    {">=1.1 <2 !=1.2.3 || >= 3", "3.0.0", true},
    {"1.x || 3.x", "3.1.0", true},
    {"1.x || 3.x", "2.1.0", false},
    {"1 - 2 || 4 - 5", "5.0.0", true},
    {"1 - 2 || 4 - 5", "3.0.0", false},
    /* Pre-releases need a pre-release in their alternative. */
    {">=1.1", "4.1.0-beta", false},
    {">=1.2.3", "1.5.0-rc.1", false},
    {">=1.2.3-0", "1.5.0-rc.1", true},
    {">=1.2.3-0 <2.0.0", "1.5.0-rc.1", true},
    {">=1.2.3-0 <2.0.0", "2.0.0-rc.1", true},
    {">=1.2.3 <2.0.0", "1.5.0-rc.1", false},
    {">=1.2.3-0 || <3.0.0", "1.5.0-rc.1", true},
    {"<3.0.0 || >=4.0.0-0", "1.5.0-rc.1", false},
    {">= 1.0.0  <= 2.0.0-beta", "1.0.1-beta", true},
    {">= 1.0.0  <= 2.0.0-beta", "3.0.0", false},
    {">= 1.0.0  <= 2.0.0-beta || > 3", "3.0.1-beta", false},
    {">= 1.0.0  <= 2.0.0-beta != 1.0.1-beta || > 3", "1.0.1-beta", false},
    {"*", "1.2.3-alpha.1", false},
    {"*-0", "1.2.3-alpha.1", true},
    {"^1.2.0", "1.2.1-alpha.1", false},
    {"^1.2.0-alpha.0", "1.2.1-alpha.1", true},
    {"^1.2.0-alpha.2", "1.2.0-alpha.1", false},
    {"^1.1.2-alpha", "1.2.1-beta1", true},
    {"^1.2.x-alpha", "1.1.1-beta1", false},
    {"~1.2.3-beta.2", "1.2.3-beta.4", true},
    {"~1.2.3-beta.2", "1.2.4-beta.2", true},
    {"~1.2.3-beta.2", "1.3.4-beta.2", false},
    {"~1.1.1-beta", "1.1.1-alpha", false},
    {"~1.1.1-beta", "1.1.1", true},
    {"!=4.1-alpha", "4.1.0-alpha", false},
    {"!=4.1-alpha", "4.1.1-alpha", false},
    {"!=4.1-alpha", "4.1.0", true},
    {"!=4.1.0", "5.1.0-alpha.1", false},
    {">0.0.0-0", "0.0.0-alpha", true},
    {">0-0", "0.0.0-alpha", false},
    {">=0-0", "0.0.1-alpha", true},
    {"<0-z", "0.0.0-alpha", true},
    {"<=1.1-a", "0.1.0-alpha", true},
    {"1.2.3-beta+b1", "1.2.3-beta+b2", true},
    /* Leading zeros are coerced in ranges, as NewVersion does. */
    {"01.02.03", "1.2.3", true},
    {">=2024.01", "2024.1.15", true},
    /* Upstream quirks that must be kept. */
    {"1.x.|", "1.5.0", true},
    {"1||2 - 3", "5.0.0", true},
    {"1 || 2 - 3", "2.5.0", true},
};

static void test_match(void)
{
	for (size_t i = 0; i < sizeof(matches) / sizeof(matches[0]); i++) {
		const struct match_case *c = &matches[i];
		ga_semver_range *r = NULL;
		ga_semver v;

		ga_error_clear();
		if (ga_semver_range_parse(&r, c->range) < 0 ||
		    ga_semver_parse(&v, c->version) < 0) {
			printf("#   cannot parse \"%s\" / \"%s\": %s\n",
			       c->range, c->version, ga_error_last()->message);
			CHECK(!"parse");
			ga_semver_range_free(r);
			continue;
		}
		if (ga_semver_range_match(r, &v) != c->want) {
			printf("#   \"%s\" matching \"%s\": got %d, want %d\n",
			       c->range, c->version, !c->want, c->want);
			CHECK(!"match");
		}
		ga_semver_range_free(r);
	}
}

static const struct error_case range_err[] = {
    {"", "invalid semver range \"\": empty"},
    {"   ", "invalid semver range \"   \": empty"},
    {"||", "invalid semver range \"||\": empty alternative next to \"||\""},
    {"1 ||", NULL},
    {"|| 1", NULL},
    {"1 || || 2", NULL},
    {">=1.2.x.y", "invalid semver range \">=1.2.x.y\": "
                  "unexpected \".y\" after \"1.2.x\""},
    {"12.3.4.1234", NULL},
    {"12.3.34~ 1.2.3", NULL},
    {">= bar", "invalid semver range \">= bar\": "
               "expected a version at \"bar\""},
    {"BAR >= 1.2.3", NULL},
    {"foo", NULL},
    {"1.0.0 || foo", NULL},
    {">>1", "invalid semver range \">>1\": unknown operator \">>\""},
    {"> = 1", NULL},
    {"==1", NULL},
    {"!1", NULL},
    {">=", "invalid semver range \">=\": expected a version after \">=\""},
    {"~", NULL},
    {"^ ", NULL},
    {"v", NULL},
    {"1.2,", "invalid semver range \"1.2,\": "
             "expected a comparison after \",\""},
    {",1.2", NULL},
    {"1.2,,1.3", NULL},
    {"1.2 , , 1.3", NULL},
    {">=1.2<2", NULL},
    {"1.2.3 @", NULL},
    {"1.2.3-", NULL},
    {"1.2.3 -beta", NULL},
    {"1|2", "invalid semver range \"1|2\": in \"1|2\": "
            "\"1|2\" is not a number"},
    {"1|||2", NULL},
    {">=x1", NULL},
    {"1xx", NULL},
    {"**", NULL},
    {"1.2.3-01", "invalid semver range \"1.2.3-01\": in \"1.2.3-01\": "
                 "leading zero in pre-release identifier \"01\""},
    {"99999999999999999999999",
     "invalid semver range "
     "\"99999999999999999999999\": in \"99999999999999999999999\": "
     "\"99999999999999999999999\" does not fit in 64 bits"},
    /* Rewritten to ">=>= 1.0, <= 2.0 ", which is not a range. */
    {">=1.0 - 2.0", NULL},
    {"1 - 2 - 3", NULL},
    /* Rewritten to "1>= ||2, <= 3 ": the range swallows the "||". */
    {"1 ||2 - 3", "invalid semver range \"1 ||2 - 3\": "
                  "unexpected \">= \" after \"1\""},
    {"1.2.3.4 - 5", NULL},
    {"1.2.3\v", NULL},
    {"1.2.3\xc2\xa0", NULL},
};

static void test_range_errors(void)
{
	for (size_t i = 0; i < sizeof(range_err) / sizeof(range_err[0]); i++) {
		ga_semver_range *r = (ga_semver_range *)&r;

		ga_error_clear();
		if (ga_semver_range_parse(&r, range_err[i].in) != GA_EINVALID) {
			printf("#   \"%s\" was not refused\n", range_err[i].in);
			CHECK(!"refused");
			continue;
		}
		if (range_err[i].msg)
			CHECK_EQ_STR(ga_error_last()->message,
			             range_err[i].msg);
		CHECK(r == (ga_semver_range *)&r);
	}
}

static void test_range_limits(void)
{
	char in[GA_SEMVER_RANGE_MAX_LEN + 2];
	ga_semver_range *r = NULL;
	ga_semver v;
	size_t n = 0;

	/* 64 comparisons fit; the 65th does not. */
	for (int i = 0; i < GA_SEMVER_RANGE_MAX_TERMS; i++)
		n += (size_t)snprintf(in + n, sizeof(in) - n, ">=%d ", i);
	CHECK_OK(ga_semver_range_parse(&r, in));
	CHECK_OK(ga_semver_parse(&v, "63.0.0"));
	CHECK(ga_semver_range_match(r, &v));
	CHECK_OK(ga_semver_parse(&v, "62.0.0"));
	CHECK(!ga_semver_range_match(r, &v));
	ga_semver_range_free(r);
	r = NULL;
	(void)snprintf(in + n, sizeof(in) - n, "|| 1");
	CHECK_ERR(ga_semver_range_parse(&r, in), GA_ELIMIT);
	CHECK(strstr(ga_error_last()->message, "more than 64 comparisons"));
	CHECK(r == NULL);

	/* 1024 bytes are accepted, 1025 are not. */
	memset(in, ' ', GA_SEMVER_RANGE_MAX_LEN);
	in[0] = '1';
	in[GA_SEMVER_RANGE_MAX_LEN] = '\0';
	CHECK_OK(ga_semver_range_parse(&r, in));
	ga_semver_range_free(r);
	r = NULL;
	in[GA_SEMVER_RANGE_MAX_LEN] = ' ';
	in[GA_SEMVER_RANGE_MAX_LEN + 1] = '\0';
	CHECK_ERR(ga_semver_range_parse(&r, in), GA_ELIMIT);
	CHECK(strstr(ga_error_last()->message, "longer than 1024 bytes"));

	/* 32 hyphen ranges make 64 comparisons. */
	n = 0;
	for (int i = 0; i < GA_SEMVER_RANGE_MAX_TERMS / 2; i++)
		n += (size_t)snprintf(in + n, sizeof(in) - n, "1 - 2 ");
	CHECK_OK(ga_semver_range_parse(&r, in));
	ga_semver_range_free(r);
	r = NULL;

	/* The rewrite grows a full-length range by almost a fifth. */
	n = 0;
	while (n + 6 <= GA_SEMVER_RANGE_MAX_LEN)
		n += (size_t)snprintf(in + n, sizeof(in) - n, "1 - 2 ");
	CHECK_ERR(ga_semver_range_parse(&r, in), GA_ELIMIT);
	CHECK(strstr(ga_error_last()->message, "more than 64 comparisons"));

	CHECK_ERR(ga_semver_range_parse(NULL, "1"), GA_EINVALID);
	CHECK_ERR(ga_semver_range_parse(&r, NULL), GA_EINVALID);
	CHECK(!ga_semver_range_match(NULL, &v));
	ga_semver_range_free(NULL);
}

/* A range exercising every growth path: groups, terms, rewrite buffer. */
static const char oom_range[] =
    ">=1.0.0-0 <2, !=1.5.0 || 1.2 - 1.4.5 || ~3.1 || ^0.2.3 || 5.x "
    "|| >6 <7 || =8 || 9 - 10 || 11.* || ~>12.1.2-rc.1 || <=13.4 "
    "|| 14 - 15.0.0-beta.1+build.7";

static void check_oom_range(const ga_semver_range *r)
{
	ga_semver v;

	CHECK_OK(ga_semver_parse(&v, "1.3.0"));
	CHECK(ga_semver_range_match(r, &v));
	CHECK_OK(ga_semver_parse(&v, "12.1.5-rc.2"));
	CHECK(ga_semver_range_match(r, &v));
	CHECK_OK(ga_semver_parse(&v, "1.5.0"));
	CHECK(ga_semver_range_match(r, &v));
	CHECK_OK(ga_semver_parse(&v, "16.0.0"));
	CHECK(!ga_semver_range_match(r, &v));
}

/*
 * Fail the 1st, 2nd, ... allocation until parsing succeeds, once failing
 * only that allocation and once every allocation from it on.  Every
 * allocation failure must surface as GA_ENOMEM, so both passes fail as many
 * times as parsing allocates.
 */
static void test_range_oom(void)
{
	unsigned long failed[2] = {0, 0};

	for (int sticky = 0; sticky <= 1; sticky++) {
		unsigned long n;

		for (n = 1; n < 1000; n++) {
			ga_semver_range *r = NULL;
			int err;

			ga_alloc__fail_after(n, sticky);
			err = ga_semver_range_parse(&r, oom_range);
			ga_alloc__fail_after(0, false);
			if (err == 0) {
				check_oom_range(r);
				ga_semver_range_free(r);
				break;
			}
			CHECK_EQ_INT(err, GA_ENOMEM);
			CHECK_EQ_STR(ga_error_last()->message, "out of memory");
			CHECK(r == NULL);
			failed[sticky]++;
		}
		CHECK(n < 1000);
	}
	CHECK_EQ_INT(failed[0], failed[1]);
	CHECK(failed[0] >= 5);
	printf("# %lu allocations, each failed in turn\n", failed[0]);
}

int main(void)
{
	RUN(test_parse_ok);
	RUN(test_parse_errors);
	RUN(test_parse_limits);
	RUN(test_compare);
	RUN(test_compare_hand_built);
	RUN(test_format);
	RUN(test_format_limits);
	RUN(test_match);
	RUN(test_range_errors);
	RUN(test_range_limits);
	RUN(test_range_oom);
	return DONE();
}
