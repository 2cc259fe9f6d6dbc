/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Go's float text rules, as kubectl kustomize (Go 1.23 strconv and
 * encoding/json, goyaml.v2) applies them:
 *
 * - strconv.FormatFloat(x, 'g', -1, 64) (ftoa.go): the shortest digit
 *   string that reads back as x (ties between equally short candidates go
 *   to the nearer one), then %e form iff the decimal exponent is < -4 or
 *   >= 6 ("precision 6 for this decision" when shortest), with at least two
 *   exponent digits.
 * - encoding/json (encode.go floatEncoder) writes 'f' text for
 *   1e-6 <= |x| < 1e21 and 'e' text otherwise, so integral values below
 *   1e21 come out as digits, which goyaml.v2 reads back as int or uint64
 *   when they fit.
 * - strconv.ParseFloat (atof.go readFloat/underscoreOK) for decimal input.
 *
 * The shortest digits come from the C library: "%.*e" is exact in glibc,
 * so the nearest p-digit decimal is tried for p = 1..17 and the first that
 * reads back wins.  Reading back never uses strtod on text containing a
 * radix character: the digits are rewritten as an integer mantissa with an
 * exponent ("15e-1"), which no locale can misread.
 */
#include "gofloat.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/error.h"

/*
 * Significant digits kept when converting decimal text, as in Go's
 * decimal type.  A double's rounding boundaries need at most 767
 * significant digits, so 800 digits and one sticky non-zero digit for the
 * rest round exactly.
 */
#define MAX_DIGITS 800

/* Exponents beyond this overflow or underflow any double; clamp to it. */
#define EXP_CLAMP 100000

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int lower(int c)
{
	return c | 0x20;
}

/*
 * Nearest double to 0.d1d2...dn * 10^(exp10 + nd) (the digit string read as
 * an integer times 10^exp10).  @nd must be at least 1.
 */
static double digits_to_double(const char *d, size_t nd, long long exp10)
{
	char tmp[MAX_DIGITS + 32];

	if (exp10 > EXP_CLAMP)
		exp10 = EXP_CLAMP;
	if (exp10 < -EXP_CLAMP)
		exp10 = -EXP_CLAMP;
	(void)snprintf(tmp, sizeof(tmp), "%.*se%lld", (int)nd, d, exp10);
	return strtod(tmp, NULL);
}

/* The decimal text being converted, read with or without its '_' bytes. */
struct cursor {
	const char *s;
	size_t len, i;
};

/* The next byte that is not '_', without consuming it; -1 at the end. */
static int peek(struct cursor *c)
{
	while (c->i < c->len && c->s[c->i] == '_')
		c->i++;
	return c->i < c->len ? (unsigned char)c->s[c->i] : -1;
}

/*
 * Exponent digits, saturated as Go does it (atof.go: "if e < 10000"): a
 * longer exponent keeps only its first digits, which matters only next to
 * a mantissa thousands of digits long.
 */
static bool read_exponent(struct cursor *c, long long *out)
{
	long long e = 0;
	bool neg = false;
	int ch = peek(c);

	if (ch == '+' || ch == '-') {
		neg = ch == '-';
		c->i++;
	}
	if (!is_digit(peek(c)))
		return false;
	while (is_digit(ch = peek(c))) {
		if (e < 10000)
			e = e * 10 + (ch - '0');
		c->i++;
	}
	*out = neg ? -e : e;
	return true;
}

/*
 * The significant digits and decimal point of the text, as Go's readFloat
 * and decimal.set see them: value = 0.d1d2d3... * 10^dp.  Go's slow path
 * keeps 800 digits and, past them, stops counting integer digits into its
 * dp; dp_cap is that (wrong) position, dp the true one.
 */
struct mantissa {
	char d[MAX_DIGITS + 1];
	size_t nd;        /* digits kept */
	long long nd_all; /* significant digits seen */
	long long dp, dp_cap;
	bool trunc; /* a non-zero digit was dropped */
	bool any;   /* at least one digit was seen */
	bool dot;
};

static void mantissa_digit(struct mantissa *m, int ch)
{
	m->any = true;
	/* A leading zero only moves the point (and is forgotten at '.'). */
	if (m->nd_all == 0 && ch == '0') {
		m->dp--;
		m->dp_cap--;
		return;
	}
	m->nd_all++;
	if (m->nd < MAX_DIGITS)
		m->d[m->nd++] = (char)ch;
	else if (ch != '0')
		m->trunc = true;
}

static void mantissa_point(struct mantissa *m)
{
	m->dot = true;
	m->dp = m->nd_all;
	m->dp_cap = (long long)m->nd;
}

/*
 * The nearest double to the mantissa times 10^@e, or infinity.  Go only
 * uses its capped slow path when the fast paths (exact arithmetic,
 * Eisel-Lemire, both fed the true position) cannot apply: when the
 * exponent of the first 19 digits lies outside 10^-348..10^347.  Exact
 * rounding then happens for the position Go uses; a kept-digit string
 * with one sticky non-zero digit appended rounds like the full text.
 */
static double mantissa_value(struct mantissa *m, long long e)
{
	long long nd19 = m->nd_all < 19 ? m->nd_all : 19;
	long long dp = m->dp + e;

	if (dp - nd19 < -348 || dp - nd19 > 347) {
		dp = m->dp_cap + e;
		if (dp > 310)
			return INFINITY;
		if (dp < -330)
			return 0.0;
	}
	if (m->trunc)
		m->d[m->nd++] = '1';
	return digits_to_double(m->d, m->nd, dp - (long long)m->nd);
}

int ga_float_from_decimal(double *out, const char *s, size_t len)
{
	struct cursor c = {s, len, 0};
	struct mantissa m = {.nd = 0};
	bool neg = false;
	long long e = 0;
	double v = 0.0;
	int ch = peek(&c);

	if (ch == '+' || ch == '-') {
		neg = ch == '-';
		c.i++;
	}
	for (ch = peek(&c); ch == '.' || is_digit(ch); ch = peek(&c)) {
		c.i++;
		if (ch == '.' && m.dot)
			goto bad;
		if (ch == '.')
			mantissa_point(&m);
		else
			mantissa_digit(&m, ch);
	}
	if (!m.any)
		goto bad;
	if (!m.dot)
		mantissa_point(&m);
	if (ch == 'e' || ch == 'E') {
		c.i++;
		if (!read_exponent(&c, &e))
			goto bad;
	}
	if (peek(&c) != -1)
		goto bad;
	if (m.nd > 0 && isinf(v = mantissa_value(&m, e))) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "strconv.ParseFloat: parsing \"%.*s\": "
		             "value out of range",
		             (int)(len > 256 ? 256 : len), s);
		return GA_ELIMIT;
	}
	*out = neg ? -v : v;
	return 0;
bad:
	ga_error_set(GA_ERRCLASS_INVALID,
	             "strconv.ParseFloat: parsing \"%.*s\": invalid syntax",
	             (int)(len > 256 ? 256 : len), s);
	return GA_EINVALID;
}

/*
 * Go's underscoreOK: '_' may only separate digits, or follow a base
 * prefix.  Go checks this on the text it consumed, after the fact.
 */
static bool underscore_ok(const char *s, size_t len)
{
	char saw = '^';
	bool hex = false;
	size_t i = 0;

	if (len >= 1 && (s[0] == '-' || s[0] == '+')) {
		s++;
		len--;
	}
	if (len >= 2 && s[0] == '0' &&
	    (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
		i = 2;
		saw = '0';
		hex = lower(s[1]) == 'x';
	}
	for (; i < len; i++) {
		if (is_digit(s[i]) ||
		    (hex && lower(s[i]) >= 'a' && lower(s[i]) <= 'f')) {
			saw = '0';
			continue;
		}
		if (s[i] == '_') {
			if (saw != '0')
				return false;
			saw = '_';
			continue;
		}
		if (saw == '_')
			return false;
		saw = '!';
	}
	return saw != '_';
}

/* Go's readFloat grammar for base 10; returns whether it spans all of @s. */
static bool go_decimal_syntax(const char *s, size_t len, bool *underscores)
{
	bool dot = false, digits = false;
	size_t i = 0;

	*underscores = false;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	for (; i < len; i++) {
		if (s[i] == '_') {
			*underscores = true;
		} else if (s[i] == '.') {
			if (dot)
				break;
			dot = true;
		} else if (is_digit(s[i])) {
			digits = true;
		} else {
			break;
		}
	}
	if (!digits)
		return false;
	if (i < len && lower(s[i]) == 'e') {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= len || !is_digit(s[i]))
			return false;
		for (; i < len && (is_digit(s[i]) || s[i] == '_'); i++)
			if (s[i] == '_')
				*underscores = true;
	}
	return i == len;
}

int ga_parse_float_go(double *out, const char *s, size_t len)
{
	bool underscores;

	/*
	 * "0x..." is a hexadecimal float in Go; it never reaches us from the
	 * YAML resolvers, so it is refused rather than half-supported.
	 */
	if (!go_decimal_syntax(s, len, &underscores) ||
	    (underscores && !underscore_ok(s, len))) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "strconv.ParseFloat: parsing \"%.*s\": "
		             "invalid syntax",
		             (int)(len > 256 ? 256 : len), s);
		return GA_EINVALID;
	}
	return ga_float_from_decimal(out, s, len);
}

/* Shortest digits of a positive finite double: d[0..nd), value 0.d * 10^dp. */
struct digits {
	char d[24];
	int nd, dp;
};

/* Parse "%.*e" output (any radix character) into digits and exponent. */
static void read_printf_e(struct digits *g, const char *t)
{
	int e = 0, sign = 1;

	g->nd = 0;
	for (; *t && *t != 'e'; t++)
		if (is_digit(*t) && g->nd < (int)sizeof(g->d))
			g->d[g->nd++] = *t;
	if (*t == 'e')
		t++;
	if (*t == '-' || *t == '+')
		sign = *t++ == '-' ? -1 : 1;
	for (; is_digit(*t); t++)
		e = e * 10 + (*t - '0');
	g->dp = sign * e + 1;
}

static bool reads_back(const struct digits *g, double ax)
{
	return digits_to_double(g->d, (size_t)g->nd,
	                        (long long)g->dp - g->nd) == ax;
}

/* Add one unit in the last place ("199" -> "200", "99" -> "100"). */
static void next_up(struct digits *g)
{
	int i = g->nd - 1;

	while (i >= 0 && g->d[i] == '9')
		g->d[i--] = '0';
	if (i >= 0) {
		g->d[i]++;
		return;
	}
	g->d[0] = '1';
	g->dp++;
}

static void shortest_digits(struct digits *g, double ax)
{
	char tmp[64];

	for (int p = 1; p <= 17; p++) {
		(void)snprintf(tmp, sizeof(tmp), "%.*e", p - 1, ax);
		read_printf_e(g, tmp);
		if (reads_back(g, ax))
			break;
		/*
		 * Just above a power of two the gap below is half the gap
		 * above, so the nearest p-digit decimal can miss while the
		 * one above still reads back; Go then takes the one above.
		 */
		next_up(g);
		if (reads_back(g, ax))
			break;
	}
	while (g->nd > 1 && g->d[g->nd - 1] == '0')
		g->nd--;
}

/* Go's fmtE for the shortest case: d.ddde±XX. */
static size_t fmt_e(char *o, const struct digits *g)
{
	size_t n = 0;
	int exp = g->dp - 1;

	o[n++] = g->d[0];
	if (g->nd > 1) {
		o[n++] = '.';
		memcpy(o + n, g->d + 1, (size_t)g->nd - 1);
		n += (size_t)g->nd - 1;
	}
	o[n++] = 'e';
	o[n++] = exp < 0 ? '-' : '+';
	if (exp < 0)
		exp = -exp;
	if (exp >= 100)
		o[n++] = (char)('0' + exp / 100);
	o[n++] = (char)('0' + exp / 10 % 10);
	o[n++] = (char)('0' + exp % 10);
	return n;
}

/* Go's fmtF with prec = max(nd - dp, 0): every digit, no exponent. */
/* The @i-th digit, or the '0' that pads it on either side. */
static char digit_at(const struct digits *g, int i)
{
	if (i >= 0 && i < g->nd)
		return g->d[i];
	return '0';
}

static size_t fmt_f(char *o, const struct digits *g)
{
	size_t n = 0;
	int prec = g->nd - g->dp > 0 ? g->nd - g->dp : 0;

	if (g->dp > 0)
		for (int i = 0; i < g->dp; i++)
			o[n++] = digit_at(g, i);
	else
		o[n++] = '0';
	if (prec > 0) {
		o[n++] = '.';
		for (int i = 0; i < prec; i++)
			o[n++] = digit_at(g, g->dp + i);
	}
	return n;
}

static int copy_out(char *buf, size_t cap, const char *text, size_t n)
{
	if (cap < n + 1) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "float text needs %zu bytes, the buffer holds %zu",
		             n + 1, cap);
		return GA_ELIMIT;
	}
	memcpy(buf, text, n);
	buf[n] = '\0';
	return 0;
}

static const char *nonfinite_name(double x)
{
	if (isnan(x))
		return "NaN";
	return x > 0 ? "+Inf" : "-Inf";
}

int ga_fmt_float_go(char *buf, size_t cap, double x)
{
	char text[GA_FMT_FLOAT_MAX];
	struct digits g = {.nd = 0, .dp = 0};
	size_t n = 0;

	if (!isfinite(x)) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "cannot format %s as a finite Go float",
		             nonfinite_name(x));
		return GA_EINVALID;
	}
	if (signbit(x))
		text[n++] = '-';
	if (x == 0.0) {
		text[n++] = '0';
		return copy_out(buf, cap, text, n);
	}
	shortest_digits(&g, fabs(x));
	if (g.dp - 1 < -4 || g.dp - 1 >= 6)
		n += fmt_e(text + n, &g);
	else
		n += fmt_f(text + n, &g);
	return copy_out(buf, cap, text, n);
}

int ga_fmt_float_json(char *buf, size_t cap, double x)
{
	char text[GA_FMT_FLOAT_MAX];
	struct digits g = {.nd = 0, .dp = 0};
	double ax = fabs(x);
	size_t n = 0;

	if (!isfinite(x)) {
		ga_error_set(GA_ERRCLASS_INVALID, "json: unsupported value: %s",
		             nonfinite_name(x));
		return GA_EINVALID;
	}
	if (signbit(x))
		text[n++] = '-';
	if (x == 0.0) {
		text[n++] = '0';
		return copy_out(buf, cap, text, n);
	}
	shortest_digits(&g, ax);
	if (ax >= 1e-6 && ax < 1e21)
		return copy_out(buf, cap, text, n + fmt_f(text + n, &g));
	n += fmt_e(text + n, &g);
	/* encoding/json shortens "e-07" to "e-7" (and only that). */
	if (n >= 4 && text[n - 4] == 'e' && text[n - 3] == '-' &&
	    text[n - 2] == '0') {
		text[n - 2] = text[n - 1];
		n--;
	}
	return copy_out(buf, cap, text, n);
}

/*
 * The integer that encoding/json's 'f' text for the integral @ax denotes
 * (shortest digits padded with zeros), if it fits in uint64.
 */
static bool json_integer(uint64_t *out, double ax, struct digits *g)
{
	uint64_t v = 0;

	shortest_digits(g, ax);
	for (int i = 0; i < g->dp; i++) {
		uint64_t d = (uint64_t)(i < g->nd ? g->d[i] - '0' : 0);

		if (__builtin_mul_overflow(v, 10u, &v) ||
		    __builtin_add_overflow(v, d, &v))
			return false;
	}
	*out = v;
	return true;
}

int ga_fmt_float_kustomize(char *buf, size_t cap, double x)
{
	char text[GA_FMT_FLOAT_MAX];
	struct digits g;
	uint64_t v;
	size_t n = 0;

	if (!isfinite(x)) {
		ga_error_set(GA_ERRCLASS_INVALID, "json: unsupported value: %s",
		             nonfinite_name(x));
		return GA_EINVALID;
	}
	/* -0.0 is JSON "-0", which goyaml.v2 reads as the int 0. */
	if (x == 0.0)
		return copy_out(buf, cap, "0", 1);
	if (x != trunc(x) || fabs(x) >= 1e21 || !json_integer(&v, fabs(x), &g))
		return ga_fmt_float_go(buf, cap, x);
	/* Negative JSON integers must fit int64 (down to -2^63). */
	if (x < 0 && v > (uint64_t)INT64_MAX + 1)
		return ga_fmt_float_go(buf, cap, x);
	if (x < 0)
		text[n++] = '-';
	n += fmt_f(text + n, &g);
	return copy_out(buf, cap, text, n);
}
