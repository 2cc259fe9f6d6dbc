/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for semantic versions and Masterminds-style ranges
 * (lib/util/semver.c).  The input is parsed as a version by both parsers
 * and as a range; when it holds a newline, the part before it is the range
 * and the part after it the version.  Invariants checked, each aborting on
 * a violation:
 *
 *  - errors are GA_EINVALID or GA_ELIMIT (GA_ENOMEM never happens here);
 *  - whatever the strict parser accepts, the lenient one accepts the same;
 *  - a parsed version formats to text that parses strictly to an equal
 *    version with the same identifiers (when it fits GA_SEMVER_MAX_LEN);
 *  - comparison is antisymmetric; "=V" and ">=V" match V, "!=V" and "<V"
 *    do not, for every parsed V;
 *  - matching a parsed range twice gives the same answer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/semver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fixed[] = {
    "0.0.0",   "0.0.1-alpha", "1.0.0-rc.1",
    "1.0.0",   "1.2.3",       "1.10.0",
    "2.0.0-0", "2.0.0",       "18446744073709551615.0.0",
};

static void fuzz_fail(const char *what, const char *text)
{
	fprintf(stderr, "semver fuzzer: %s (text \"%s\", last error \"%s\")\n",
	        what, text, ga_error_last()->message);
	abort();
}

static bool same(const ga_semver *a, const ga_semver *b)
{
	return a->major == b->major && a->minor == b->minor &&
	       a->patch == b->patch && strcmp(a->pre, b->pre) == 0 &&
	       strcmp(a->build, b->build) == 0;
}

/* The comparisons "<op>V" must (or must not) match V itself. */
static void check_self_ranges(const ga_semver *v, const char *text)
{
	static const struct {
		const char *op;
		bool want;
	} ops[] = {{"=", true},   {">=", true}, {"<=", true}, {"~", true},
	           {"!=", false}, {"<", false}, {">", false}};
	char range[GA_SEMVER_FORMAT_MAX + 4];

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		ga_semver_range *r = NULL;

		(void)snprintf(range, sizeof(range), "%s%s", ops[i].op, text);
		if (strlen(range) > GA_SEMVER_RANGE_MAX_LEN)
			return;
		if (ga_semver_range_parse(&r, range) != 0)
			fuzz_fail("a formatted version is not a range", range);
		if (ga_semver_range_match(r, v) != ops[i].want)
			fuzz_fail("a version against itself", range);
		ga_semver_range_free(r);
	}
}

static void check_version(const char *s)
{
	ga_semver a, b, c;
	char text[GA_SEMVER_FORMAT_MAX];
	int lenient = ga_semver_parse(&a, s);
	int strict = ga_semver_parse_strict(&b, s);

	if ((lenient != 0 && lenient != GA_EINVALID && lenient != GA_ELIMIT) ||
	    (strict != 0 && strict != GA_EINVALID && strict != GA_ELIMIT))
		fuzz_fail("unexpected error code", s);
	if (strict == 0 && (lenient != 0 || !same(&a, &b)))
		fuzz_fail("strict and lenient parsers disagree", s);
	if (lenient != 0)
		return;
	if (ga_semver_format(text, sizeof(text), &a) != 0)
		fuzz_fail("format failed", s);
	if (strlen(text) <= GA_SEMVER_MAX_LEN) {
		if (ga_semver_parse_strict(&c, text) != 0)
			fuzz_fail("formatted version is not strict", text);
		if (!same(&a, &c) || ga_semver_compare(&a, &c) != 0)
			fuzz_fail("format and parse changed the version", text);
		check_self_ranges(&a, text);
	}
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		if (ga_semver_parse_strict(&c, fixed[i]) != 0)
			fuzz_fail("fixed version does not parse", fixed[i]);
		if (ga_semver_compare(&a, &c) != -ga_semver_compare(&c, &a))
			fuzz_fail("compare is not antisymmetric", s);
	}
}

static void check_range(const char *range, const char *version)
{
	ga_semver_range *r = NULL;
	ga_semver v;
	int err = ga_semver_range_parse(&r, range);

	if (err != 0 && err != GA_EINVALID && err != GA_ELIMIT)
		fuzz_fail("unexpected range error code", range);
	if (err != 0) {
		if (r != NULL || ga_error_last()->message[0] == '\0')
			fuzz_fail("failed range parse left state behind",
			          range);
		return;
	}
	if (ga_semver_parse(&v, version) == 0) {
		bool first = ga_semver_range_match(r, &v);
		bool again = ga_semver_range_match(r, &v);

		if (first != again)
			fuzz_fail("matching is not deterministic", range);
	}
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		if (ga_semver_parse(&v, fixed[i]) != 0)
			fuzz_fail("fixed version does not parse", fixed[i]);
		(void)ga_semver_range_match(r, &v);
	}
	ga_semver_range_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = ga_malloc(size + 1);
	char *nl;

	if (!s)
		return 0;
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	check_version(s);
	check_range(s, s);
	nl = strchr(s, '\n');
	if (nl) {
		*nl = '\0';
		check_version(nl + 1);
		check_range(s, nl + 1);
	}
	ga_free(s);
	ga_error_clear();
	return 0;
}
