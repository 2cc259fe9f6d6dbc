/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Semantic version ranges.  They reproduce github.com/Masterminds/semver/v3 at
 * v3.4 (constraints.go, version.go), the library Flux's source-controller
 * uses for "semver:" tag selection, so that a range in a manifest picks the
 * same tags here.  That library works with regular expressions; the
 * hand-written scanners below accept the same texts.  What they rely on:
 *
 *  - A range first has its hyphen ranges rewritten: every leftmost match of
 *    \s*(V)\s+-\s+(V)\s* becomes ">= A, <= B ".  V is the "cvRegex"
 *    v?N(\.N)?(\.N)?(-ID(\.ID)*)?(\+ID(\.ID)*)? with N = [0-9|xX*]+ (the
 *    "|" is in the upstream character class by accident, and matters: it
 *    lets a hyphen range swallow an adjacent "||") and ID = [0-9A-Za-z-]+.
 *    \s is [\t\n\f\r ] as in Go's regexp.
 *  - The text is then split at every "||"; each part must be a list of
 *    OP \s* V separated by \s+ or by one comma with optional spaces, with
 *    optional spaces around.  OP is "", =, !=, >, <, >=, =>, <=, =<, ~, ~>
 *    or ^.  Because none of the operator characters can start a version
 *    and no version character is a space or a comma, the longest operator
 *    and the longest version at each point are the only possible parse.
 *  - Each comparison's version is then read by NewVersion in its default
 *    coercing mode: numbers are digits (leading zeros allowed, at most
 *    2^64-1), numeric pre-release identifiers have no leading zero.  The
 *    first "x", "X" or "*" part makes the comparison "dirty" and drops the
 *    parts after it without looking at them ("1.x.|" is valid); a missing
 *    minor or patch counts as a wildcard too.
 *  - Each operator is evaluated as upstream does, quirks included: "<1.x"
 *    is <1.0.0, "<=2.x" is <3.0.0, ">1.x" is >=2.0.0, and "^*" matches
 *    only 0.0.0 (upstream documents "any" but does not implement it).
 *  - A pre-release version fails every comparison unless the OR
 *    alternative holding it contains a comparison with a pre-release
 *    (v3.4's containsPre; before v3.4 each comparison needed its own).
 *
 * Known differences, all on inputs no tag or manifest should contain:
 * upstream's rewrite replaces the first earlier occurrence of the matched
 * text rather than the match itself (only ever seen to matter for ranges
 * that are invalid either way), and it compares numeric pre-release
 * identifiers above 2^64-1 as text where semver (and we) compare numbers.
 */
#include "ga/semver.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "quote.h"
#include "semver_int.h"

/* The hyphen rewrite grows a range by at most 6 bytes per 5 input bytes. */
#define REWRITE_MAX ((size_t)3 * GA_SEMVER_RANGE_MAX_LEN)

enum op {
	OP_EQ,    /* "" and "=": equal, or tilde when dirty */
	OP_NE,    /* "!=" */
	OP_GT,    /* ">" */
	OP_LT,    /* "<" */
	OP_GE,    /* ">=" and "=>" */
	OP_LE,    /* "<=" and "=<" */
	OP_TILDE, /* "~" and "~>" */
	OP_CARET, /* "^" */
};

/* One comparison; upstream's "constraint" struct. */
struct term {
	struct sv con; /* pre-release points into the range's text */
	enum op op;
	bool dirty;       /* some part was a wildcard or missing */
	bool minor_dirty; /* the minor (and so the patch) was */
	bool patch_dirty; /* only the patch was */
};

/* One "||" alternative: terms [first, first + count) must all hold. */
struct group {
	size_t first;
	size_t count;
	bool has_pre; /* some term names a pre-release: admit them */
};

struct ga_semver_range {
	char *text; /* the range after the hyphen rewrite; owned */
	struct term *terms;
	size_t nterms, aterms;
	struct group *groups;
	size_t ngroups, agroups;
};

/* A version as upstream's cvRegex sees it; offsets into the scanned text. */
struct cv {
	size_t start, end;
	size_t part[3], part_len[3]; /* major, minor, patch; 0 if absent */
	size_t pre, pre_len;         /* without the "-" */
};

/* ---- Range syntax ------------------------------------------------------ */

#define RFAIL(code, in, ...)                                                   \
	ga_semver__fail((code), "semver range", (in), strlen(in), __VA_ARGS__)

static size_t skip_ws(const char *s, size_t len, size_t i)
{
	while (is_ws(at(s, len, i)))
		i++;
	return i;
}

static size_t scan_idents(const char *s, size_t len, size_t i)
{
	for (;;) {
		while (is_ident(at(s, len, i)))
			i++;
		if (at(s, len, i) != '.' || !is_ident(at(s, len, i + 1)))
			return i;
		i++;
	}
}

/*
 * Upstream's cvRegex at @s[@i], matched greedily; false when no version
 * starts there.  Greedy is exact here: whatever follows a version in the
 * patterns that use it (spaces, a comma, the end) cannot continue it.
 */
static bool scan_cv(struct cv *cv, const char *s, size_t len, size_t i)
{
	memset(cv, 0, sizeof(*cv));
	cv->start = i;
	if (at(s, len, i) == 'v' && is_xnum(at(s, len, i + 1)))
		i++;
	if (!is_xnum(at(s, len, i)))
		return false;
	for (int k = 0; k < 3; k++) {
		if (k > 0 &&
		    (at(s, len, i) != '.' || !is_xnum(at(s, len, i + 1))))
			break;
		if (k > 0)
			i++;
		cv->part[k] = i;
		while (is_xnum(at(s, len, i)))
			i++;
		cv->part_len[k] = i - cv->part[k];
	}
	if (at(s, len, i) == '-' && is_ident(at(s, len, i + 1))) {
		cv->pre = i + 1;
		i = scan_idents(s, len, i + 1);
		cv->pre_len = i - cv->pre;
	}
	if (at(s, len, i) == '+' && is_ident(at(s, len, i + 1)))
		i = scan_idents(s, len, i + 1);
	cv->end = i;
	return true;
}

/*
 * Upstream's hyphen-range regex \s*(V)\s+-\s+(V)\s* at @p; on a match
 * *@a and *@b are the two versions and *@end is where the match ends.
 */
static bool match_hyphen(struct cv *a, struct cv *b, size_t *end, const char *s,
                         size_t len, size_t p)
{
	size_t i = skip_ws(s, len, p);

	if (!scan_cv(a, s, len, i) || !is_ws(at(s, len, a->end)))
		return false;
	i = skip_ws(s, len, a->end);
	if (at(s, len, i) != '-' || !is_ws(at(s, len, i + 1)))
		return false;
	i = skip_ws(s, len, i + 1);
	if (!scan_cv(b, s, len, i))
		return false;
	*end = skip_ws(s, len, b->end);
	return true;
}

/* Rewrite each leftmost hyphen range "A - B" as ">= A, <= B " (upstream). */
static int rewrite_hyphens(ga_buf *out, const char *s, size_t len)
{
	struct cv a, b;
	size_t copied = 0, end;

	for (size_t p = 0; p < len; p++) {
		if (!match_hyphen(&a, &b, &end, s, len, p))
			continue;
		(void)ga_buf_put(out, s + copied, p - copied);
		(void)ga_buf_puts(out, ">= ");
		(void)ga_buf_put(out, s + a.start, a.end - a.start);
		(void)ga_buf_puts(out, ", <= ");
		(void)ga_buf_put(out, s + b.start, b.end - b.start);
		(void)ga_buf_putc(out, ' ');
		copied = end;
		p = end - 1;
	}
	/* Failures are sticky, so the last append reports any of them. */
	return ga_buf_put(out, s + copied, len - copied);
}

static bool parse_op(enum op *op, const char *p, size_t n)
{
	static const struct {
		const char *text;
		enum op op;
	} ops[] = {
	    {"", OP_EQ},   {"=", OP_EQ},    {"!=", OP_NE},    {">", OP_GT},
	    {"<", OP_LT},  {">=", OP_GE},   {"=>", OP_GE},    {"<=", OP_LE},
	    {"=<", OP_LE}, {"~", OP_TILDE}, {"~>", OP_TILDE}, {"^", OP_CARET},
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strlen(ops[i].text) == n &&
		    memcmp(ops[i].text, p, n) == 0) {
			*op = ops[i].op;
			return true;
		}
	}
	return false;
}

static bool is_x(const char *p, size_t n)
{
	return n == 1 && (p[0] == 'x' || p[0] == 'X' || p[0] == '*');
}

/*
 * Upstream's parseConstraint plus NewVersion for the version @cv of
 * @seg: wildcards, the parts that must be numbers, the pre-release.
 */
static int make_term(struct term *t, const char *in, const char *seg,
                     enum op op, const struct cv *cv)
{
	char q[GA_QUOTE_SIZE], qv[GA_QUOTE_SIZE];
	uint64_t num[3] = {0, 0, 0};
	int nparts = 3;

	memset(t, 0, sizeof(*t));
	t->op = op;
	ga_quote_excerpt(qv, seg + cv->start, cv->end - cv->start);
	if (is_x(seg + cv->part[0], cv->part_len[0])) {
		t->dirty = true;
		nparts = 0;
	} else if (cv->part_len[1] == 0 ||
	           is_x(seg + cv->part[1], cv->part_len[1])) {
		t->dirty = t->minor_dirty = true;
		nparts = 1;
	} else if (cv->part_len[2] == 0 ||
	           is_x(seg + cv->part[2], cv->part_len[2])) {
		t->dirty = t->patch_dirty = true;
		nparts = 2;
	}
	for (int k = 0; k < nparts; k++) {
		const char *p = seg + cv->part[k];
		size_t n = cv->part_len[k];

		ga_quote_excerpt(q, p, n);
		if (!all_digits(p, n))
			return RFAIL(GA_EINVALID, in,
			             "in %s: %s is not a number", qv, q);
		if (!ga_semver__digits_to_u64(&num[k], p, n))
			return RFAIL(GA_EINVALID, in,
			             "in %s: %s does not fit in 64 bits", qv,
			             q);
	}
	for (size_t i = cv->pre, b = i; i <= cv->pre + cv->pre_len; i++) {
		if (i < cv->pre + cv->pre_len && seg[i] != '.')
			continue;
		if (leading_zero(seg + b, i - b)) {
			ga_quote_excerpt(q, seg + b, i - b);
			return RFAIL(GA_EINVALID, in,
			             "in %s: leading zero in "
			             "pre-release identifier %s",
			             qv, q);
		}
		b = i + 1;
	}
	t->con.major = num[0];
	t->con.minor = num[1];
	t->con.patch = num[2];
	t->con.pre = seg + cv->pre;
	t->con.pre_len = cv->pre_len;
	return 0;
}

static int add_term(ga_semver_range *r, const char *in, const char *seg,
                    enum op op, const struct cv *cv)
{
	struct term t, *p;
	int err;

	if ((err = make_term(&t, in, seg, op, cv)) < 0)
		return err;
	if (r->nterms == GA_SEMVER_RANGE_MAX_TERMS)
		return RFAIL(GA_ELIMIT, in, "more than %d comparisons",
		             GA_SEMVER_RANGE_MAX_TERMS);
	if (r->nterms == r->aterms) {
		size_t n = r->aterms ? r->aterms * 2 : 4;

		if (!(p = ga_reallocarray(r->terms, n, sizeof(*p))))
			return GA_ENOMEM;
		r->terms = p;
		r->aterms = n;
	}
	r->terms[r->nterms++] = t;
	r->groups[r->ngroups - 1].count++;
	if (t.con.pre_len)
		r->groups[r->ngroups - 1].has_pre = true;
	return 0;
}

static int add_group(ga_semver_range *r)
{
	struct group *p;

	if (r->ngroups == r->agroups) {
		size_t n = r->agroups ? r->agroups * 2 : 2;

		if (!(p = ga_reallocarray(r->groups, n, sizeof(*p))))
			return GA_ENOMEM;
		r->groups = p;
		r->agroups = n;
	}
	r->groups[r->ngroups].first = r->nterms;
	r->groups[r->ngroups].count = 0;
	r->groups[r->ngroups].has_pre = false;
	r->ngroups++;
	return 0;
}

/*
 * One "||" alternative, @seg[0, @n): comparisons separated by spaces or a
 * comma (upstream's validConstraintRegex and findConstraintRegex).
 */
static int parse_group(ga_semver_range *r, const char *in, const char *seg,
                       size_t n)
{
	char q[GA_QUOTE_SIZE], qv[GA_QUOTE_SIZE];
	size_t i = skip_ws(seg, n, 0);
	struct cv cv;
	enum op op;
	int err;

	if ((err = add_group(r)) < 0)
		return err;
	if (i == n)
		return RFAIL(GA_EINVALID, in, "%s",
		             r->ngroups > 1 || seg[n]
		                 ? "empty alternative next to \"||\""
		                 : "empty");
	for (;;) {
		size_t o = i, spaces;

		while (is_opchar(at(seg, n, i)))
			i++;
		ga_quote_excerpt(q, seg + o, i - o);
		if (!parse_op(&op, seg + o, i - o))
			return RFAIL(GA_EINVALID, in, "unknown operator %s", q);
		i = skip_ws(seg, n, i);
		if (!scan_cv(&cv, seg, n, i)) {
			if (i == n)
				return RFAIL(GA_EINVALID, in,
				             "expected a version after %s", q);
			ga_quote_excerpt(q, seg + i, n - i);
			return RFAIL(GA_EINVALID, in,
			             "expected a version at %s", q);
		}
		if ((err = add_term(r, in, seg, op, &cv)) < 0)
			return err;
		i = skip_ws(seg, n, cv.end);
		spaces = i - cv.end;
		if (i == n)
			return 0;
		if (seg[i] == ',') {
			i = skip_ws(seg, n, i + 1);
			if (i == n)
				return RFAIL(
				    GA_EINVALID, in,
				    "expected a comparison after \",\"");
		} else if (!spaces) {
			ga_quote_excerpt(q, seg + i, n - i);
			ga_quote_excerpt(qv, seg + cv.start, cv.end - cv.start);
			return RFAIL(GA_EINVALID, in, "unexpected %s after %s",
			             q, qv);
		}
	}
}

/* Split the rewritten text at every "||", left to right (strings.Split). */
static int parse_groups(ga_semver_range *r, const char *in)
{
	const char *t = r->text;
	size_t start = 0, i = 0;
	int err;

	for (;; i++) {
		bool bar = t[i] == '|' && t[i + 1] == '|';

		if (!bar && t[i] != '\0')
			continue;
		if ((err = parse_group(r, in, t + start, i - start)) < 0)
			return err;
		if (!bar)
			return 0;
		start = i + 2;
		i++;
	}
}

int ga_semver_range_parse(ga_semver_range **out, const char *s)
{
	ga_buf text = GA_BUF_INIT(REWRITE_MAX);
	ga_semver_range *r = NULL;
	size_t len;
	int err = 0;

	if (!out || !s) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "ga_semver_range_parse: NULL argument");
		return GA_EINVALID;
	}
	len = strnlen(s, GA_SEMVER_RANGE_MAX_LEN + 1);
	if (len > GA_SEMVER_RANGE_MAX_LEN) {
		err = ga_semver__fail(GA_ELIMIT, "semver range", s, len,
		                      "longer than %d bytes",
		                      GA_SEMVER_RANGE_MAX_LEN);
		goto out;
	}
	if ((err = rewrite_hyphens(&text, s, len)) < 0)
		goto out;
	if (!(r = ga_calloc(1, sizeof(*r)))) {
		err = GA_ENOMEM;
		goto out;
	}
	if (!(r->text = ga_buf_detach(&text))) {
		err = GA_ENOMEM;
		goto out;
	}
	if ((err = parse_groups(r, s)) < 0)
		goto out;

	*out = r;
	r = NULL;
out:
	ga_semver_range_free(r);
	ga_buf_dispose(&text);
	return err;
}

void ga_semver_range_free(ga_semver_range *r)
{
	if (!r)
		return;
	ga_free(r->groups);
	ga_free(r->terms);
	ga_free(r->text);
	ga_free(r);
}

/* ---- Range evaluation (upstream's constraint functions) --------------- */

/* "!=": with wildcards, differs in a part that was given. */
static bool check_not_equal(const struct term *t, const struct sv *v)
{
	const struct sv *c = &t->con;

	if (t->dirty) {
		if (c->major != v->major)
			return true;
		if (t->minor_dirty)
			return false;
		if (c->minor != v->minor)
			return true;
		if (t->patch_dirty) {
			if (v->pre_len || c->pre_len)
				return ga_semver__cmp_pre(v->pre, v->pre_len,
				                          c->pre,
				                          c->pre_len) != 0;
			return false;
		}
		if (c->patch != v->patch)
			return true;
	}
	return ga_semver__sv_cmp(v, c) != 0;
}

/* ">": ">1.x" means >=2.0.0 and ">1.2" means >=1.3.0. */
static bool check_greater(const struct term *t, const struct sv *v)
{
	const struct sv *c = &t->con;

	if (!t->dirty)
		return ga_semver__sv_cmp(v, c) > 0;
	if (v->major != c->major)
		return v->major > c->major;
	if (t->minor_dirty)
		return false;
	if (t->patch_dirty)
		return v->minor > c->minor;
	return ga_semver__sv_cmp(v, c) > 0;
}

/* "<=": "<=1.x" admits all of 1.x, "<=1.2" all of 1.2.x. */
static bool check_less_equal(const struct term *t, const struct sv *v)
{
	const struct sv *c = &t->con;

	if (!t->dirty)
		return ga_semver__sv_cmp(v, c) <= 0;
	if (v->major > c->major)
		return false;
	if (v->major == c->major && v->minor > c->minor && !t->minor_dirty)
		return false;
	return true;
}

/* "~": same major, and same minor unless the minor was a wildcard. */
static bool check_tilde(const struct term *t, const struct sv *v)
{
	const struct sv *c = &t->con;

	if (ga_semver__sv_cmp(v, c) < 0)
		return false;
	/* "~0.0.0" and "~*" mean ">=0.0.0". */
	if (c->major == 0 && c->minor == 0 && c->patch == 0 &&
	    !t->minor_dirty && !t->patch_dirty)
		return true;
	if (v->major != c->major)
		return false;
	return v->minor == c->minor || t->minor_dirty;
}

/* "^": the leftmost non-zero part given must stay the same. */
static bool check_caret(const struct term *t, const struct sv *v)
{
	const struct sv *c = &t->con;

	if (ga_semver__sv_cmp(v, c) < 0)
		return false;
	if (c->major > 0 || t->minor_dirty)
		return v->major == c->major;
	if (v->major > 0)
		return false;
	if (c->minor > 0 || t->patch_dirty)
		return v->minor == c->minor;
	if (v->minor > 0)
		return false;
	return v->patch == c->patch;
}

static bool check_term(const struct term *t, const struct sv *v,
                       bool include_pre)
{
	/* Pre-releases only where the alternative asks for them. */
	if (v->pre_len && !include_pre)
		return false;
	switch (t->op) {
	case OP_EQ:
		return t->dirty ? check_tilde(t, v)
		                : ga_semver__sv_cmp(v, &t->con) == 0;
	case OP_NE:
		return check_not_equal(t, v);
	case OP_GT:
		return check_greater(t, v);
	case OP_LT:
		return ga_semver__sv_cmp(v, &t->con) < 0;
	case OP_GE:
		return ga_semver__sv_cmp(v, &t->con) >= 0;
	case OP_LE:
		return check_less_equal(t, v);
	case OP_TILDE:
		return check_tilde(t, v);
	case OP_CARET:
		return check_caret(t, v);
	}
	return false;
}

bool ga_semver_range_match(const ga_semver_range *r, const ga_semver *v)
{
	struct sv x;

	if (!r || !v)
		return false;
	x = ga_semver__sv_of(v);
	for (size_t g = 0; g < r->ngroups; g++) {
		const struct group *grp = &r->groups[g];
		bool ok = true;

		for (size_t k = 0; ok && k < grp->count; k++)
			ok = check_term(&r->terms[grp->first + k], &x,
			                grp->has_pre);
		if (ok)
			return true;
	}
	return false;
}
