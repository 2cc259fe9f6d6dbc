/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Semantic versions: parsing (strict semver.org 2.0.0, or lenient as
 * Masterminds/semver's NewVersion does for tags), precedence (semver.org
 * section 11) and formatting.  Ranges are in semver_range.c.
 */
#include "ga/semver.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ga/error.h"
#include "quote.h"
#include "semver_int.h"

bool ga_semver__digits_to_u64(uint64_t *out, const char *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t d = (uint64_t)(p[i] - '0');

		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

int ga_semver__fail(int code, const char *what, const char *in, size_t in_len,
                    const char *fmt, ...)
{
	char q[GA_QUOTE_SIZE], reason[3 * GA_QUOTE_SIZE];
	va_list ap;

	ga_quote_excerpt(q, in, in_len);
	va_start(ap, fmt);
	(void)vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	ga_error_set(GA_ERRCLASS_INVALID, "invalid %s %s: %s", what, q, reason);
	return code;
}

/* ---- Versions --------------------------------------------------------- */

struct vparse {
	const char *s; /* the whole input, for messages */
	size_t len;
	size_t i;
	bool strict;
};

#define VFAIL(vp, ...)                                                         \
	ga_semver__fail(GA_EINVALID, "semantic version", (vp)->s, (vp)->len,   \
	                __VA_ARGS__)

/* Describe what stands at the cursor: a quoted excerpt, or "the end". */
static void describe_rest(char *out, const struct vparse *vp)
{
	if (vp->i >= vp->len)
		(void)snprintf(out, GA_QUOTE_SIZE, "the end");
	else
		ga_quote_excerpt(out, vp->s + vp->i, vp->len - vp->i);
}

static int parse_number(uint64_t *out, struct vparse *vp)
{
	char q[GA_QUOTE_SIZE];
	size_t start = vp->i;

	while (is_digit(at(vp->s, vp->len, vp->i)))
		vp->i++;
	if (vp->i == start) {
		describe_rest(q, vp);
		return VFAIL(vp, "expected a number at %s", q);
	}
	ga_quote_excerpt(q, vp->s + start, vp->i - start);
	if (vp->strict && vp->i - start > 1 && vp->s[start] == '0')
		return VFAIL(vp, "leading zero in %s", q);
	if (!ga_semver__digits_to_u64(out, vp->s + start, vp->i - start))
		return VFAIL(vp, "%s does not fit in 64 bits", q);
	return 0;
}

/*
 * Dot-separated identifiers for a pre-release (@pre) or build metadata;
 * on success [*@start, *@start + *@n) is their text.
 */
static int parse_idents(size_t *start, size_t *n, struct vparse *vp, bool pre)
{
	const char *kind = pre ? "pre-release" : "build";
	char q[GA_QUOTE_SIZE];
	size_t s0 = vp->i;

	for (;;) {
		size_t b = vp->i;
		char c;

		while (is_ident(at(vp->s, vp->len, vp->i)))
			vp->i++;
		c = at(vp->s, vp->len, vp->i);
		if (vp->i == b && (c == '\0' || c == '.' || c == '+'))
			return VFAIL(vp, "empty %s identifier", kind);
		if (vp->i == b) {
			describe_rest(q, vp);
			return VFAIL(vp, "unexpected %s", q);
		}
		if (pre && leading_zero(vp->s + b, vp->i - b)) {
			ga_quote_excerpt(q, vp->s + b, vp->i - b);
			return VFAIL(vp,
			             "leading zero in pre-release "
			             "identifier %s",
			             q);
		}
		if (c != '.')
			break;
		vp->i++;
	}
	*start = s0;
	*n = vp->i - s0;
	return 0;
}

static int parse_version(ga_semver *out, const char *s, bool strict)
{
	struct vparse vp = {s, 0, 0, strict};
	size_t start = 0, n = 0;
	uint64_t num[3] = {0, 0, 0};
	char pre[GA_SEMVER_MAX_LEN] = "", build[GA_SEMVER_MAX_LEN] = "";
	char q[GA_QUOTE_SIZE];
	int err;

	if (!out || !s) {
		ga_error_set(GA_ERRCLASS_INVALID, "semver: NULL argument");
		return GA_EINVALID;
	}
	vp.len = strnlen(s, GA_SEMVER_MAX_LEN + 1);
	if (vp.len > GA_SEMVER_MAX_LEN)
		return ga_semver__fail(GA_ELIMIT, "semantic version", s, vp.len,
		                       "longer than %d bytes",
		                       GA_SEMVER_MAX_LEN);
	if (vp.len == 0)
		return VFAIL(&vp, "empty");
	if (s[0] == 'v')
		vp.i++;
	for (int k = 0; k < 3; k++) {
		if (k > 0 && at(s, vp.len, vp.i) != '.') {
			if (!strict)
				break;
			return VFAIL(&vp, "expected MAJOR.MINOR.PATCH");
		}
		if (k > 0)
			vp.i++;
		if ((err = parse_number(&num[k], &vp)) < 0)
			return err;
	}
	/* Both fit: at least "0-" precedes them in at most 256 bytes. */
	if (at(s, vp.len, vp.i) == '-') {
		vp.i++;
		if ((err = parse_idents(&start, &n, &vp, true)) < 0)
			return err;
		memcpy(pre, s + start, n);
		pre[n] = '\0';
	}
	if (at(s, vp.len, vp.i) == '+') {
		vp.i++;
		if ((err = parse_idents(&start, &n, &vp, false)) < 0)
			return err;
		memcpy(build, s + start, n);
		build[n] = '\0';
	}
	if (vp.i != vp.len) {
		describe_rest(q, &vp);
		return VFAIL(&vp, "unexpected %s", q);
	}
	out->major = num[0];
	out->minor = num[1];
	out->patch = num[2];
	memcpy(out->pre, pre, sizeof(pre));
	memcpy(out->build, build, sizeof(build));
	return 0;
}

int ga_semver_parse(ga_semver *out, const char *s)
{
	return parse_version(out, s, false);
}

int ga_semver_parse_strict(ga_semver *out, const char *s)
{
	return parse_version(out, s, true);
}

/* ---- Precedence -------------------------------------------------------- */

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

static int sign(int r)
{
	return (r > 0) - (r < 0);
}

/* One pre-release identifier against another (semver 11.4.1 to 11.4.3). */
static int cmp_ident(const char *a, size_t an, const char *b, size_t bn)
{
	bool anum = all_digits(a, an), bnum = all_digits(b, bn);
	int r;

	/* Empty ones (only in hand-built values) first, as upstream does. */
	if (an == 0 || bn == 0)
		return (an != 0) - (bn != 0);
	if (anum && bnum) {
		/* Numbers of any length; zeros only in hand-built values. */
		while (an > 1 && a[0] == '0') {
			a++;
			an--;
		}
		while (bn > 1 && b[0] == '0') {
			b++;
			bn--;
		}
		if (an != bn)
			return an < bn ? -1 : 1;
		return sign(memcmp(a, b, an));
	}
	if (anum || bnum)
		return anum ? -1 : 1;
	r = memcmp(a, b, an < bn ? an : bn);
	return r ? sign(r) : cmp_u64(an, bn);
}

/* Pre-releases; an empty one is a release and sorts after all others. */
int ga_semver__cmp_pre(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;

	if (an == 0 || bn == 0)
		return (an == 0) - (bn == 0);
	for (;;) {
		size_t ie = i, je = j;
		int r;

		while (ie < an && a[ie] != '.')
			ie++;
		while (je < bn && b[je] != '.')
			je++;
		if ((r = cmp_ident(a + i, ie - i, b + j, je - j)) != 0)
			return r;
		/* A larger set of fields has higher precedence. */
		if (ie == an || je == bn)
			return (ie < an) - (je < bn);
		i = ie + 1;
		j = je + 1;
	}
}

int ga_semver__sv_cmp(const struct sv *a, const struct sv *b)
{
	int r;

	if ((r = cmp_u64(a->major, b->major)) != 0 ||
	    (r = cmp_u64(a->minor, b->minor)) != 0 ||
	    (r = cmp_u64(a->patch, b->patch)) != 0)
		return r;
	return ga_semver__cmp_pre(a->pre, a->pre_len, b->pre, b->pre_len);
}

struct sv ga_semver__sv_of(const ga_semver *v)
{
	struct sv s = {v->major, v->minor, v->patch, v->pre,
	               strnlen(v->pre, sizeof(v->pre))};

	return s;
}

int ga_semver_compare(const ga_semver *a, const ga_semver *b)
{
	struct sv x = ga_semver__sv_of(a), y = ga_semver__sv_of(b);

	return ga_semver__sv_cmp(&x, &y);
}

int ga_semver_format(char *buf, size_t cap, const ga_semver *v)
{
	char tmp[GA_SEMVER_FORMAT_MAX];
	size_t pre_len, build_len;
	int n;

	if ((!buf && cap) || !v) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "ga_semver_format: NULL argument");
		return GA_EINVALID;
	}
	pre_len = strnlen(v->pre, sizeof(v->pre));
	build_len = strnlen(v->build, sizeof(v->build));
	if (pre_len == sizeof(v->pre) || build_len == sizeof(v->build)) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "ga_semver_format: field not NUL-terminated");
		return GA_EINVALID;
	}
	n = snprintf(tmp, sizeof(tmp),
	             "%" PRIu64 ".%" PRIu64 ".%" PRIu64 "%s%s%s%s", v->major,
	             v->minor, v->patch, pre_len ? "-" : "", v->pre,
	             build_len ? "+" : "", v->build);
	/* Cannot happen with terminated fields; checked all the same. */
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		ga_error_set(GA_ERRCLASS_INVALID, "semver: format failed");
		return GA_EINVALID;
	}
	if ((size_t)n + 1 > cap) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "version text needs %d bytes, buffer has %zu",
		             n + 1, cap);
		return GA_ELIMIT;
	}
	memcpy(buf, tmp, (size_t)n + 1);
	return 0;
}
