/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Go durations: time.ParseDuration and Duration.String as in the
 * src/time/format.go and time.go of current Go releases, reproduced so that
 * manifests written for Flux and Kubernetes mean the same thing here.
 *
 * The parsing rules we rely on, all taken from Go's implementation:
 *
 *  - The text is [-+]? followed by one or more components, each
 *    [0-9]* ( "." [0-9]* )? unit, with at least one digit before or after
 *    the point: "1.s" and ".5s" are valid, ".s" and "." are not.
 *  - The whole remainder after the sign being exactly "0" means zero;
 *    "00" and "0.0" lack a unit and "" lacks a number.
 *  - A unit is the longest run of bytes that are neither digits nor ".", so
 *    "1sec" has the unknown unit "sec" and "1h30" ends without a unit.
 *    Units: ns, us, µs (U+00B5), μs (U+03BC), ms, s, m, h.  Components may
 *    repeat and come in any order ("1s1h" is 1h0m1s).
 *  - The integer part may reach 2^63 before scaling; more digits overflow.
 *    Fraction digits stop counting once they would overflow, so digits past
 *    about 19 are ignored rather than rejected.
 *  - A fraction contributes (uint64)(float64(f) * (float64(unit) / scale)),
 *    where f is the fraction's digits as an integer and scale is 10^digits.
 *    The double arithmetic is Go's, repeated here step for step so that
 *    results agree to the nanosecond, including the truncation of digits
 *    finer than a nanosecond ("1.9ns" is 1ns).  This assumes doubles are
 *    evaluated without excess precision (FLT_EVAL_METHOD 0, as on x86-64
 *    and arm64), which is also what Go does.
 *  - The sum may reach 2^63 when the sign is "-" (giving INT64_MIN) and
 *    2^63-1 otherwise.
 *
 * One deliberate difference: Go adds two components of exactly 2^63 ns
 * ("9223372036854775808ns9223372036854775808ns") in a uint64 that wraps to
 * zero and accepts the text as 0s; we report the overflow instead.
 */
#include "ga/duration.h"

#include <stdbool.h>
#include <string.h>

#include "ga/error.h"
#include "quote.h"

#define NS_PER_US UINT64_C(1000)
#define NS_PER_MS UINT64_C(1000000)
#define NS_PER_S UINT64_C(1000000000)
#define NS_PER_MIN (60 * NS_PER_S)
#define NS_PER_HOUR (60 * NS_PER_MIN)

/* 2^63: the magnitude of INT64_MIN, the largest any component may reach. */
#define MAG_MAX (UINT64_C(1) << 63)

struct unit {
	const char *name;
	size_t len;
	uint64_t ns;
};

static const struct unit units[] = {
    {"ns", 2, 1},
    {"us", 2, NS_PER_US},
    {"\xc2\xb5s", 3, NS_PER_US}, /* U+00B5 MICRO SIGN */
    {"\xce\xbcs", 3, NS_PER_US}, /* U+03BC GREEK SMALL LETTER MU */
    {"ms", 2, NS_PER_MS},
    {"s", 1, NS_PER_S},
    {"m", 1, NS_PER_MIN},
    {"h", 1, NS_PER_HOUR},
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Set the message "invalid duration "<s>": <reason>" and fail. */
static int fail(const char *s, const char *reason)
{
	char q[GA_QUOTE_SIZE];

	ga_quote_excerpt(q, s, strlen(s));
	ga_error_set(GA_ERRCLASS_INVALID, "invalid duration %s: %s", q, reason);
	return GA_EINVALID;
}

/* As fail(), with a quoted excerpt of the input in the reason. */
static int fail_at(const char *s, const char *what, const char *p, size_t len)
{
	char q[GA_QUOTE_SIZE], qp[GA_QUOTE_SIZE];

	ga_quote_excerpt(q, s, strlen(s));
	ga_quote_excerpt(qp, p, len);
	ga_error_set(GA_ERRCLASS_INVALID, "invalid duration %s: %s %s", q, what,
	             qp);
	return GA_EINVALID;
}

static int fail_overflow(const char *s)
{
	return fail(s, "overflows int64 nanoseconds");
}

static const struct unit *find_unit(const char *p, size_t len)
{
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (units[i].len == len && memcmp(units[i].name, p, len) == 0)
			return &units[i];
	return NULL;
}

/*
 * Go's leadingFraction: the digits at @s[*pos] as an integer @f and
 * @scale = 10^(digits counted).  Digits that would overflow are skipped, not
 * rejected, since they only add precision below a nanosecond.
 */
static void leading_fraction(uint64_t *f, double *scale, const char *s,
                             size_t *pos)
{
	bool overflow = false;
	size_t i = *pos;

	*f = 0;
	*scale = 1;
	for (; is_digit(s[i]); i++) {
		uint64_t y;

		if (overflow)
			continue;
		if (*f > (uint64_t)INT64_MAX / 10) {
			overflow = true;
			continue;
		}
		y = *f * 10 + (uint64_t)(s[i] - '0');
		if (y > MAG_MAX) {
			overflow = true;
			continue;
		}
		*f = y;
		*scale *= 10;
	}
	*pos = i;
}

/*
 * Parse one component (number, optional fraction, unit) of @s starting at
 * *@pos.  On success *@out holds its nanoseconds (at most 2^63) and *@pos
 * points past the unit.
 */
static int parse_component(uint64_t *out, const char *s, size_t *pos)
{
	const struct unit *unit;
	uint64_t v = 0, f = 0;
	double scale = 1;
	size_t i = *pos, start = i;
	bool pre, post = false;

	for (; is_digit(s[i]); i++) {
		if (v > MAG_MAX / 10)
			return fail_overflow(s);
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > MAG_MAX)
			return fail_overflow(s);
	}
	pre = i != start;
	if (s[i] == '.') {
		start = ++i;
		leading_fraction(&f, &scale, s, &i);
		post = i != start;
	}
	if (!pre && !post)
		return fail_at(s, "expected a number at", s + *pos,
		               strlen(s + *pos));

	start = i;
	while (s[i] && s[i] != '.' && !is_digit(s[i]))
		i++;
	if (i == start)
		return fail_at(s, "missing unit after", s + *pos, i - *pos);
	unit = find_unit(s + start, i - start);
	if (!unit)
		return fail_at(s, "unknown unit", s + start, i - start);

	if (v > MAG_MAX / unit->ns)
		return fail_overflow(s);
	v *= unit->ns;
	if (f > 0) {
		/* Go's expression, operation for operation (see the top). */
		v += (uint64_t)((double)f * ((double)unit->ns / scale));
		if (v > MAG_MAX)
			return fail_overflow(s);
	}
	*out = v;
	*pos = i;
	return 0;
}

int ga_duration_parse(int64_t *out_ns, const char *s)
{
	uint64_t total = 0;
	size_t i = 0;
	bool neg = false;
	int err;

	if (!out_ns || !s) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "ga_duration_parse: NULL argument");
		return GA_EINVALID;
	}
	if (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-';
		i++;
	}
	if (strcmp(s + i, "0") == 0) {
		*out_ns = 0;
		return 0;
	}
	if (!s[i])
		return fail(s, "expected a number");
	while (s[i]) {
		uint64_t v = 0;

		if ((err = parse_component(&v, s, &i)) < 0)
			return err;
		if (v > MAG_MAX - total)
			return fail_overflow(s);
		total += v;
	}
	if (neg) {
		/* -(2^63) is INT64_MIN; smaller magnitudes negate directly. */
		*out_ns = total == MAG_MAX ? INT64_MIN : -(int64_t)total;
		return 0;
	}
	if (total > (uint64_t)INT64_MAX)
		return fail_overflow(s);
	*out_ns = (int64_t)total;
	return 0;
}

int ga_duration_parse_ms(uint64_t *out_ms, const char *s)
{
	int64_t ns;
	int err;

	if (!out_ms) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "ga_duration_parse_ms: NULL argument");
		return GA_EINVALID;
	}
	if ((err = ga_duration_parse(&ns, s)) < 0)
		return err;
	if (ns < 0)
		return fail(s, "must not be negative");
	*out_ms = (uint64_t)ns / NS_PER_MS;
	return 0;
}

/*
 * Go's fmtFrac: write the @prec low decimal digits of *@v as a fraction
 * ending before @buf[@w], dropping trailing zeros and the point when all
 * are zero, and leave the integer part in *@v.  Returns the new start.
 */
static size_t fmt_frac(char *buf, size_t w, uint64_t *v, int prec)
{
	bool print = false;

	for (int i = 0; i < prec; i++) {
		char digit = (char)(*v % 10);

		print = print || digit != 0;
		if (print)
			buf[--w] = (char)('0' + digit);
		*v /= 10;
	}
	if (print)
		buf[--w] = '.';
	return w;
}

/* Go's fmtInt: write @v in decimal ending before @buf[@w]. */
static size_t fmt_int(char *buf, size_t w, uint64_t v)
{
	if (v == 0)
		buf[--w] = '0';
	for (; v > 0; v /= 10)
		buf[--w] = (char)('0' + v % 10);
	return w;
}

/*
 * Go's Duration.format: fill @buf backwards from its end and return the
 * offset of the first character.  Below one second the unit shrinks so
 * that the leading digit is not zero ("1.5ms"); from one second on the
 * text is [Nh][Nm]N[.frac]s with leading zero units left out.
 */
static size_t format_backwards(char buf[GA_DURATION_FORMAT_MAX], int64_t ns)
{
	size_t w = GA_DURATION_FORMAT_MAX - 1;
	uint64_t u = (uint64_t)ns;
	bool neg = ns < 0;
	int prec;

	buf[w] = '\0';
	if (neg)
		u = -u;
	if (u < NS_PER_S) {
		buf[--w] = 's';
		if (u == 0) {
			buf[--w] = '0';
			return w;
		} else if (u < NS_PER_US) {
			prec = 0;
			buf[--w] = 'n';
		} else if (u < NS_PER_MS) {
			prec = 3;
			w -= 2;
			memcpy(buf + w, "\xc2\xb5", 2); /* U+00B5 */
		} else {
			prec = 6;
			buf[--w] = 'm';
		}
		w = fmt_frac(buf, w, &u, prec);
		w = fmt_int(buf, w, u);
	} else {
		buf[--w] = 's';
		w = fmt_frac(buf, w, &u, 9);
		w = fmt_int(buf, w, u % 60);
		u /= 60;
		if (u > 0) {
			buf[--w] = 'm';
			w = fmt_int(buf, w, u % 60);
			u /= 60;
			/* Hours are the largest unit: days vary in length. */
			if (u > 0) {
				buf[--w] = 'h';
				w = fmt_int(buf, w, u);
			}
		}
	}
	if (neg)
		buf[--w] = '-';
	return w;
}

int ga_duration_format(char *buf, size_t cap, int64_t ns)
{
	char tmp[GA_DURATION_FORMAT_MAX];
	size_t w, need;

	if (!buf && cap) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "ga_duration_format: NULL buffer");
		return GA_EINVALID;
	}
	w = format_backwards(tmp, ns);
	need = sizeof(tmp) - w; /* text and NUL */
	if (!buf || need > cap) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "duration text needs %zu bytes, buffer has %zu",
		             need, cap);
		return GA_ELIMIT;
	}
	memcpy(buf, tmp + w, need);
	return 0;
}
