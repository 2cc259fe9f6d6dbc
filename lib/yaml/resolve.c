/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scalar resolution as kubectl kustomize v5.5.0 performs it (kustomize
 * api/resource AsYAML: goyaml.v3 decode, encoding/json, goyaml.v2 encode):
 *
 * - input: goyaml.v3 resolve.go (sigs.k8s.io/yaml v1.4.0 fork), without the
 *   big.Int fallback of later versions (kubectl 1.32 keeps
 *   "0x10000000000000000" a string);
 * - output: goyaml.v2 resolve.go plus encode.go's isBase60Float, which
 *   decide whether a string is written plain.
 *
 * Both resolvers look at the first byte to pick a path, then try a fixed
 * word list, Go's time.Parse with four layouts, strconv.ParseInt/ParseUint
 * base 0 and strconv.ParseFloat behind a regular expression.  The Go
 * routines are re-implemented here for exactly the inputs they can see:
 * numbers are parsed on the text with every '_' deleted (goyaml's
 * strings.Replace), which the parsers do by skipping '_' instead of
 * copying, so nothing here allocates.
 */
#include "resolve.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ga/error.h"
#include "util/gofloat.h"

/* The tags goyaml's resolve() can produce (its rtag). */
enum rtag { R_NULL, R_BOOL, R_INT, R_FLOAT, R_STR, R_TIMESTAMP };

static const char *const rtag_names[] = {
    [R_NULL] = "null",   [R_BOOL] = "bool", [R_INT] = "int",
    [R_FLOAT] = "float", [R_STR] = "str",   [R_TIMESTAMP] = "timestamp",
};

/* Which of the two goyaml resolvers to imitate. */
enum dialect {
	V3, /* input: YAML 1.2-ish, yes/no/on/off are strings */
	V2, /* output: YAML 1.1 booleans, no 0o fallback */
};

/* A wall-clock time with a fixed offset, as Go's time.Parse returns it. */
struct gotime {
	int year, mon, day, hour, min, sec;
	long nsec;
	int offset; /* seconds east of UTC */
};

struct resolved {
	enum rtag tag;
	ga_yaml_scalar v; /* kind and value, except ts */
	struct gotime t;  /* R_TIMESTAMP */
};

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int lower(int c)
{
	return c | 0x20;
}

/*
 * goyaml's resolveTable: only these first bytes can start a non-string.
 * 'N' stands for the empty scalar.
 */
static char hint_of(const char *s, size_t len)
{
	if (len == 0)
		return 'N';
	if (s[0] == '+' || s[0] == '-')
		return 'S';
	if (s[0] == '.')
		return '.';
	if (is_digit(s[0]))
		return 'D';
	/* strchr() would also match the terminating NUL. */
	return s[0] != '\0' && strchr("yYnNtTfFoO~", s[0]) ? 'M' : 0;
}

/*
 * goyaml's resolveMap; v2_only rows are YAML 1.1 booleans.  Its "<<" row
 * is left out: '<' has no hint, so resolve() never reaches it (merge keys
 * are recognised by the parser, and a "<<" value is the string "<<").
 */
static const struct word {
	const char *text;
	enum rtag tag;
	signed char value; /* bool value, or float: 0 NaN, 1 +Inf, -1 -Inf */
	bool v2_only;
} words[] = {
    {"true", R_BOOL, 1, false},    {"True", R_BOOL, 1, false},
    {"TRUE", R_BOOL, 1, false},    {"false", R_BOOL, 0, false},
    {"False", R_BOOL, 0, false},   {"FALSE", R_BOOL, 0, false},
    {"", R_NULL, 0, false},        {"~", R_NULL, 0, false},
    {"null", R_NULL, 0, false},    {"Null", R_NULL, 0, false},
    {"NULL", R_NULL, 0, false},    {".nan", R_FLOAT, 0, false},
    {".NaN", R_FLOAT, 0, false},   {".NAN", R_FLOAT, 0, false},
    {".inf", R_FLOAT, 1, false},   {".Inf", R_FLOAT, 1, false},
    {".INF", R_FLOAT, 1, false},   {"+.inf", R_FLOAT, 1, false},
    {"+.Inf", R_FLOAT, 1, false},  {"+.INF", R_FLOAT, 1, false},
    {"-.inf", R_FLOAT, -1, false}, {"-.Inf", R_FLOAT, -1, false},
    {"-.INF", R_FLOAT, -1, false}, {"y", R_BOOL, 1, true},
    {"Y", R_BOOL, 1, true},        {"yes", R_BOOL, 1, true},
    {"Yes", R_BOOL, 1, true},      {"YES", R_BOOL, 1, true},
    {"on", R_BOOL, 1, true},       {"On", R_BOOL, 1, true},
    {"ON", R_BOOL, 1, true},       {"n", R_BOOL, 0, true},
    {"N", R_BOOL, 0, true},        {"no", R_BOOL, 0, true},
    {"No", R_BOOL, 0, true},       {"NO", R_BOOL, 0, true},
    {"off", R_BOOL, 0, true},      {"Off", R_BOOL, 0, true},
    {"OFF", R_BOOL, 0, true},
};

/* The longest text in words[]: most scalars are longer and skip the
 * table, which every plain scalar of every document would scan. */
#define WORD_MAX 5

static bool lookup_word(struct resolved *r, enum dialect dl, const char *s,
                        size_t len)
{
	if (len > WORD_MAX)
		return false;
	for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
		const struct word *w = &words[k];

		if ((w->v2_only && dl != V2) ||
		    w->text[0] != (len ? s[0] : 0) || strlen(w->text) != len ||
		    memcmp(w->text, s, len) != 0)
			continue;
		r->tag = w->tag;
		r->v.b = w->value != 0;
		if (w->tag == R_FLOAT)
			r->v.f = w->value == 0
			             ? NAN
			             : (w->value > 0 ? INFINITY : -INFINITY);
		return true;
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Go's time.Parse for goyaml's four timestamp layouts.                */

/* Go's getnum: one digit, or two when the second is a digit too. */
static bool ts_num(const char *s, size_t len, size_t *i, int *out)
{
	if (*i >= len || !is_digit(s[*i]))
		return false;
	*out = s[(*i)++] - '0';
	if (*i < len && is_digit(s[*i]))
		*out = *out * 10 + (s[(*i)++] - '0');
	return true;
}

static bool ts_char(const char *s, size_t len, size_t *i, char c)
{
	if (*i >= len || s[*i] != c)
		return false;
	(*i)++;
	return true;
}

static int days_in(int mon, int year)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
	                           31, 31, 30, 31, 30, 31};
	bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

	return mon == 2 && leap ? 29 : days[mon - 1];
}

/*
 * "15:4:5.999999999": hour, minute and second of one or two digits, then
 * an optional fraction after '.' or ',' of any length of which Go keeps
 * (truncates to) nine digits.
 */
static bool ts_clock(struct gotime *t, const char *s, size_t len, size_t *i)
{
	int kept = 0;

	if (!ts_num(s, len, i, &t->hour) || t->hour > 23 ||
	    !ts_char(s, len, i, ':') || !ts_num(s, len, i, &t->min) ||
	    t->min > 59 || !ts_char(s, len, i, ':') ||
	    !ts_num(s, len, i, &t->sec) || t->sec > 59)
		return false;
	if (*i + 1 < len && (s[*i] == '.' || s[*i] == ',') &&
	    is_digit(s[*i + 1])) {
		for ((*i)++; *i < len && is_digit(s[*i]); (*i)++)
			if (kept < 9) {
				t->nsec = t->nsec * 10 + (s[*i] - '0');
				kept++;
			}
		for (; kept < 9; kept++)
			t->nsec *= 10;
	}
	return true;
}

/* "Z07:00": 'Z', or a sign and exactly hh:mm with hh <= 24, mm <= 60. */
static bool ts_zone(struct gotime *t, const char *s, size_t len, size_t *i)
{
	const char *z = s + *i;
	int hh, mm;

	if (*i < len && z[0] == 'Z') {
		(*i)++;
		return true;
	}
	if (len - *i < 6 || z[3] != ':' || !is_digit(z[1]) || !is_digit(z[2]) ||
	    !is_digit(z[4]) || !is_digit(z[5]))
		return false;
	hh = (z[1] - '0') * 10 + (z[2] - '0');
	mm = (z[4] - '0') * 10 + (z[5] - '0');
	if (hh > 24 || mm > 60 || (z[0] != '+' && z[0] != '-'))
		return false;
	t->offset = (hh * 60 + mm) * 60 * (z[0] == '-' ? -1 : 1);
	*i += 6;
	return true;
}

/*
 * goyaml's parseTimestamp: the quick check (exactly four digits, then
 * '-'), then the layouts 2006-1-2 followed by nothing, by 'T' or 't' and
 * a clock with a mandatory zone, or by one or more spaces (a space in a Go
 * layout matches any run of spaces) and a clock without zone (UTC).
 */
static bool parse_timestamp(struct gotime *t, const char *s, size_t len)
{
	size_t i = 0;
	bool zone;

	memset(t, 0, sizeof(*t));
	while (i < len && is_digit(s[i]))
		i++;
	if (i != 4 || i == len || s[i] != '-')
		return false;
	t->year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	          (s[3] - '0');
	i++;
	if (!ts_num(s, len, &i, &t->mon) || t->mon < 1 || t->mon > 12 ||
	    !ts_char(s, len, &i, '-') || !ts_num(s, len, &i, &t->day))
		return false;
	if (i < len) {
		zone = s[i] == 'T' || s[i] == 't';
		if (!zone && s[i] != ' ')
			return false;
		while (++i < len && !zone && s[i] == ' ')
			;
		if (!ts_clock(t, s, len, &i) ||
		    (zone && !ts_zone(t, s, len, &i)) || i != len)
			return false;
	}
	return t->day >= 1 && t->day <= days_in(t->mon, t->year);
}

/*
 * time.Time.MarshalJSON: RFC 3339 with nanoseconds, trailing zeros of the
 * fraction trimmed, "Z" for a zero offset.  Go refuses offsets of a day or
 * more ("+24:00", "+23:60"), and so does a kustomize build.
 */
static int format_timestamp(char *ts, const struct gotime *t)
{
	char frac[11] = "";
	int zone = t->offset / 60, n;

	if (zone < 0)
		zone = -zone;
	if (zone / 60 >= 24) {
		ga_error_set(GA_ERRCLASS_YAML,
		             "json: error calling MarshalJSON for type "
		             "time.Time: Time.MarshalJSON: timezone hour "
		             "outside of range [0,23]");
		return GA_EINVALID;
	}
	if (t->nsec) {
		(void)snprintf(frac, sizeof(frac), ".%09ld", t->nsec);
		for (n = 9; frac[n] == '0'; n--)
			frac[n] = '\0';
	}
	n = snprintf(ts, GA_YAML_TS_MAX, "%04d-%02d-%02dT%02d:%02d:%02d%s",
	             t->year, t->mon, t->day, t->hour, t->min, t->sec, frac);
	if (t->offset == 0)
		(void)snprintf(ts + n, (size_t)(GA_YAML_TS_MAX - n), "Z");
	else
		(void)snprintf(ts + n, (size_t)(GA_YAML_TS_MAX - n),
		               "%c%02d:%02d", t->offset < 0 ? '-' : '+',
		               zone / 60, zone % 60);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Go's strconv.ParseUint/ParseInt on the text with '_' deleted.       */

/* Raw index of the @k-th byte that is not '_'; @len when there is none. */
static size_t plain_at(const char *s, size_t len, size_t k)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != '_' && k-- == 0)
			return i;
	return len;
}

/*
 * ParseUint's base 0: "0b", "0o", "0x" (any case) when at least one more
 * byte follows, else a leading "0" means octal.  Returns where the digits
 * start.
 */
static size_t base_prefix(const char *s, size_t len, int *base)
{
	size_t p0 = plain_at(s, len, 0), p1 = plain_at(s, len, 1);
	bool three = plain_at(s, len, 2) < len;
	int c1 = p1 < len ? lower(s[p1]) : 0;

	*base = 10;
	if (s[p0] != '0')
		return 0;
	if (three && (c1 == 'b' || c1 == 'o' || c1 == 'x')) {
		*base = c1 == 'b' ? 2 : (c1 == 'o' ? 8 : 16);
		return p1 + 1;
	}
	*base = 8;
	return p0 + 1;
}

static bool go_parse_uint(uint64_t *out, const char *s, size_t len, int base)
{
	uint64_t v = 0;
	size_t i = 0;

	if (plain_at(s, len, 0) == len)
		return false;
	if (base == 0)
		i = base_prefix(s, len, &base);
	for (; i < len; i++) {
		int c = (unsigned char)s[i], d;

		if (c == '_')
			continue;
		if (is_digit(c))
			d = c - '0';
		else if (lower(c) >= 'a' && lower(c) <= 'z')
			d = lower(c) - 'a' + 10;
		else
			return false;
		if (d >= base ||
		    __builtin_mul_overflow(v, (uint64_t)base, &v) ||
		    __builtin_add_overflow(v, (uint64_t)d, &v))
			return false;
	}
	*out = v;
	return true;
}

/*
 * ParseInt(s, base, 64); @minus prepends a '-' to the text, for goyaml's
 * ParseInt("-" + plain[3:], ...) fallbacks.
 */
static bool go_parse_int(int64_t *out, const char *s, size_t len, int base,
                         bool minus)
{
	size_t p0 = plain_at(s, len, 0), start = 0;
	bool neg = minus;
	uint64_t u;

	if (!minus && p0 == len)
		return false;
	if (!minus && (s[p0] == '+' || s[p0] == '-')) {
		neg = s[p0] == '-';
		start = p0 + 1;
	}
	if (!go_parse_uint(&u, s + start, len - start, base))
		return false;
	if (u > (uint64_t)INT64_MAX + (neg ? 1 : 0))
		return false;
	*out = neg ? (int64_t)(0 - u) : (int64_t)u;
	return true;
}

/* A cursor over the text as strings.Replace(in, "_", "", -1) leaves it. */
struct plain {
	const char *s;
	size_t len, i;
};

/* The next byte that is not '_', not consumed; -1 at the end. */
static int pl_peek(struct plain *p)
{
	while (p->i < p->len && p->s[p->i] == '_')
		p->i++;
	return p->i < p->len ? (unsigned char)p->s[p->i] : -1;
}

/* Consume digits; returns how many. */
static size_t pl_digits(struct plain *p)
{
	size_t n = 0;

	while (is_digit(pl_peek(p))) {
		p->i++;
		n++;
	}
	return n;
}

/*
 * goyaml's yamlStyleFloat, ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)
 * ([eE][-+]?[0-9]+)?$, matched against the text without '_'.
 */
static bool yaml_float_pattern(const char *s, size_t len)
{
	struct plain p = {s, len, 0};
	size_t digits;
	int c = pl_peek(&p);

	if (c == '+' || c == '-')
		p.i++;
	digits = pl_digits(&p);
	if (pl_peek(&p) == '.') {
		p.i++;
		digits += pl_digits(&p);
	}
	if (digits == 0)
		return false;
	c = pl_peek(&p);
	if (c == 'e' || c == 'E') {
		p.i++;
		c = pl_peek(&p);
		if (c == '+' || c == '-')
			p.i++;
		if (pl_digits(&p) == 0)
			return false;
	}
	return pl_peek(&p) == -1;
}

/*
 * goyaml.v2's isBase60Float, ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+
 * (?:\.[0-9_]*)?$ on the text as is.  A group takes two digits when the
 * first is 0-5: taking one would leave a digit where ':' or '.' must
 * follow, so the greedy match is the only one.
 */
static bool is_base60_float(const char *s, size_t len)
{
	size_t i = 0, groups = 0;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	if (i >= len || !is_digit(s[i]))
		return false;
	while (++i < len && (is_digit(s[i]) || s[i] == '_'))
		;
	while (i < len && s[i] == ':') {
		i++;
		if (i + 1 < len && s[i] >= '0' && s[i] <= '5' &&
		    is_digit(s[i + 1]))
			i += 2;
		else if (i < len && is_digit(s[i]))
			i++;
		else
			return false;
		groups++;
	}
	if (groups == 0)
		return false;
	if (i < len && s[i] == '.')
		while (++i < len && (is_digit(s[i]) || s[i] == '_'))
			;
	return i == len;
}

/* ------------------------------------------------------------------ */
/* The resolvers.                                                      */

static void set_int(struct resolved *r, int64_t i)
{
	r->tag = R_INT;
	r->v.kind = GA_YSCALAR_INT;
	r->v.i = i;
}

static void set_uint(struct resolved *r, uint64_t u)
{
	if (u <= (uint64_t)INT64_MAX) {
		set_int(r, (int64_t)u);
		return;
	}
	r->tag = R_INT;
	r->v.kind = GA_YSCALAR_UINT;
	r->v.u = u;
}

/*
 * One of goyaml's prefix fallbacks, tried after base 0 failed: "0b..."
 * (or "0o...") as ParseInt, then ParseUint, of the rest in base 2 (8), and
 * "-0b..." as ParseInt("-" + rest).  The explicit base still accepts a
 * sign, so "0b-101" is -5 and "0o+17" is 15.  Lowercase prefixes only.
 */
static bool prefixed(struct resolved *r, const char *s, size_t len, char letter,
                     int base)
{
	size_t p0 = plain_at(s, len, 0), p1 = plain_at(s, len, 1);
	size_t p2 = plain_at(s, len, 2);
	int64_t i;
	uint64_t u;

	if (p1 < len && s[p0] == '0' && s[p1] == letter) {
		if (go_parse_int(&i, s + p1 + 1, len - p1 - 1, base, false)) {
			set_int(r, i);
			return true;
		}
		if (go_parse_uint(&u, s + p1 + 1, len - p1 - 1, base)) {
			set_uint(r, u);
			return true;
		}
		return false;
	}
	if (p2 < len && s[p0] == '-' && s[p1] == '0' && s[p2] == letter &&
	    go_parse_int(&i, s + p2 + 1, len - p2 - 1, base, true)) {
		set_int(r, i);
		return true;
	}
	return false;
}

/* Both goyaml versions fall back on 0b; only v3 on 0o. */
static bool prefixed_fallback(struct resolved *r, enum dialect dl,
                              const char *s, size_t len)
{
	return prefixed(r, s, len, 'b', 2) ||
	       (dl == V3 && prefixed(r, s, len, 'o', 8));
}

/* The 'D' and 'S' hints: timestamp, int, uint, float or fallbacks. */
static void resolve_number(struct resolved *r, enum dialect dl, bool try_ts,
                           const char *s, size_t len)
{
	int64_t i;
	uint64_t u;
	double f;

	if (try_ts && parse_timestamp(&r->t, s, len)) {
		r->tag = R_TIMESTAMP;
		r->v.kind = GA_YSCALAR_TIMESTAMP;
		return;
	}
	if (go_parse_int(&i, s, len, 0, false)) {
		set_int(r, i);
		return;
	}
	if (go_parse_uint(&u, s, len, 0)) {
		set_uint(r, u);
		return;
	}
	if (yaml_float_pattern(s, len)) {
		/* Only overflow can fail here; goyaml then moves on. */
		if (ga_float_from_decimal(&f, s, len) == 0) {
			r->tag = R_FLOAT;
			r->v.kind = GA_YSCALAR_FLOAT;
			r->v.f = f;
			return;
		}
		ga_error_clear();
	}
	(void)prefixed_fallback(r, dl, s, len);
}

static ga_yaml_scalar_kind kind_of(enum rtag tag)
{
	switch (tag) {
	case R_NULL:
		return GA_YSCALAR_NULL;
	case R_BOOL:
		return GA_YSCALAR_BOOL;
	case R_FLOAT:
		return GA_YSCALAR_FLOAT;
	case R_TIMESTAMP:
		return GA_YSCALAR_TIMESTAMP;
	case R_INT:
		return GA_YSCALAR_INT;
	case R_STR:
		return GA_YSCALAR_STRING;
	}
	return GA_YSCALAR_STRING;
}

/*
 * goyaml's resolve() for an untagged scalar (@try_ts) or one tagged with a
 * resolvable tag other than !!str (timestamps then only for !!timestamp).
 */
static void resolve_core(struct resolved *r, enum dialect dl, bool try_ts,
                         const char *s, size_t len)
{
	double f;

	memset(r, 0, sizeof(*r));
	r->tag = R_STR;
	r->v.kind = GA_YSCALAR_STRING;
	switch (hint_of(s, len)) {
	case 0:
		return;
	case 'D':
	case 'S':
		if (lookup_word(r, dl, s, len))
			break;
		resolve_number(r, dl, try_ts, s, len);
		return;
	case '.':
		if (lookup_word(r, dl, s, len))
			break;
		if (ga_parse_float_go(&f, s, len) == 0) {
			r->tag = R_FLOAT;
			r->v.f = f;
			break;
		}
		ga_error_clear();
		return;
	default:
		(void)lookup_word(r, dl, s, len);
		break;
	}
	r->v.kind = kind_of(r->tag);
}

static int finish(ga_yaml_scalar *out, struct resolved *r)
{
	int err;

	if (r->tag == R_TIMESTAMP && (err = format_timestamp(r->v.ts, &r->t)))
		return err;
	*out = r->v;
	return 0;
}

/* Whether @text is how the value @sc prints anyway, so that its source
 * spelling need not be kept. */
static bool canonical(const ga_yaml_scalar *sc, const char *text, size_t len)
{
	size_t i = len && text[0] == '-';

	switch (sc->kind) {
	case GA_YSCALAR_NULL:
		return len == 4 && memcmp(text, "null", 4) == 0;
	case GA_YSCALAR_BOOL:
		return len == (sc->b ? 4u : 5u) &&
		       memcmp(text, sc->b ? "true" : "false", len) == 0;
	case GA_YSCALAR_INT:
	case GA_YSCALAR_UINT:
		/* Decimal without a sign or leading zero ("-0" is 0). */
		if (i == len || (text[i] == '0' && (i || len > 1)))
			return false;
		for (; i < len; i++)
			if (text[i] < '0' || text[i] > '9')
				return false;
		return true;
	default:
		return false;
	}
}

int ga_yaml__scalar_node(ga_node **out, const ga_yaml_scalar *sc,
                         const char *text, size_t len)
{
	ga_node *n = NULL;
	int err;

	switch (sc->kind) {
	case GA_YSCALAR_NULL:
		err = ga_node_new_null(&n);
		break;
	case GA_YSCALAR_BOOL:
		err = ga_node_new_bool(&n, sc->b);
		break;
	case GA_YSCALAR_INT:
		err = ga_node_new_int(&n, sc->i);
		break;
	case GA_YSCALAR_UINT:
		err = ga_node_new_uint(&n, sc->u);
		break;
	case GA_YSCALAR_FLOAT:
		err = ga_node_new_float(&n, sc->f);
		break;
	case GA_YSCALAR_TIMESTAMP:
		err = ga_node_new_string(&n, sc->ts, strlen(sc->ts));
		break;
	case GA_YSCALAR_STRING:
	case GA_YSCALAR_BINARY:
	default:
		return ga_node_new_string(out, text, len);
	}
	/* kyaml keeps the text as the node's value: "0x1F" stays "0x1F"
	 * where kustomize reads values as strings. */
	if (!err && !canonical(sc, text, len))
		err = ga_node_set_source_text(n, text, len);
	if (err < 0) {
		ga_node_free(n);
		return err;
	}
	*out = n;
	return 0;
}

int ga_yaml__resolve_plain(ga_yaml_scalar *out, const char *s, size_t len)
{
	struct resolved r;

	resolve_core(&r, V3, true, s, len);
	return finish(out, &r);
}

int ga_yaml__resolve_plain_v2(ga_yaml_scalar *out, const char *s, size_t len)
{
	struct resolved r;

	/* v2 leaves timestamps as strings when decoding into interface{}. */
	resolve_core(&r, V2, false, s, len);
	return finish(out, &r);
}

/* "int" for "!!int" or "tag:yaml.org,2002:int"; NULL for local tags. */
static const char *core_tag_name(const char *tag)
{
	static const char long_prefix[] = "tag:yaml.org,2002:";

	if (strncmp(tag, "!!", 2) == 0)
		return tag + 2;
	if (strncmp(tag, long_prefix, sizeof(long_prefix) - 1) == 0)
		return tag + sizeof(long_prefix) - 1;
	return NULL;
}

/* goyaml's resolvableTag: !!null, !!bool, !!int, !!float, !!str, !!timestamp.
 */
static bool resolvable_tag(enum rtag *out, const char *name)
{
	for (size_t k = 0; name && k < sizeof(rtag_names) / sizeof(*rtag_names);
	     k++) {
		if (strcmp(name, rtag_names[k]) == 0) {
			*out = (enum rtag)k;
			return true;
		}
	}
	return false;
}

static void set_kind(ga_yaml_scalar *out, ga_yaml_scalar_kind kind)
{
	memset(out, 0, sizeof(*out));
	out->kind = kind;
}

int ga_yaml__resolve_tagged(ga_yaml_scalar *out, const char *tag, const char *s,
                            size_t len)
{
	const char *name;
	struct resolved r;
	enum rtag want;

	/* goyaml.v3's parser treats "!" like no tag (parser.node()). */
	if (!tag || !tag[0] || strcmp(tag, "!") == 0)
		return ga_yaml__resolve_plain(out, s, len);
	name = core_tag_name(tag);
	if (name && strcmp(name, "binary") == 0) {
		set_kind(out, GA_YSCALAR_BINARY);
		return 0;
	}
	/* !!str, and tags goyaml cannot resolve, keep the text. */
	if (!resolvable_tag(&want, name) || want == R_STR) {
		set_kind(out, GA_YSCALAR_STRING);
		return 0;
	}
	resolve_core(&r, V3, want == R_TIMESTAMP, s, len);
	if (want == R_FLOAT && r.v.kind == GA_YSCALAR_INT) {
		r.tag = R_FLOAT;
		r.v.kind = GA_YSCALAR_FLOAT;
		r.v.f = (double)r.v.i;
	}
	if (r.tag != want) {
		ga_error_set(GA_ERRCLASS_YAML,
		             "cannot decode !!%s `%.*s` as a !!%s",
		             rtag_names[r.tag], (int)(len > 512 ? 512 : len), s,
		             rtag_names[want]);
		return GA_EINVALID;
	}
	return finish(out, &r);
}

bool ga_yaml__v2_plain_is_string(const char *s, size_t len)
{
	struct resolved r;

	resolve_core(&r, V2, true, s, len);
	return r.tag == R_STR && !is_base60_float(s, len);
}

/* ------------------------------------------------------------------ */
/* !!binary: Go's base64.StdEncoding.DecodeString.                     */

static int b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (is_digit(c))
		return c - '0' + 52;
	if (c == '+')
		return 62;
	return c == '/' ? 63 : -1;
}

static void skip_newlines(const char *s, size_t len, size_t *i)
{
	while (*i < len && (s[*i] == '\n' || s[*i] == '\r'))
		(*i)++;
}

/*
 * One quantum of up to four characters.  Returns the number of bytes it
 * decodes to (3, or 1-2 before padding, 0 at the clean end) and sets
 * *last after padding; -1 for corrupt input.
 */
static int b64_quantum(const char *s, size_t len, size_t *i, unsigned char b[3],
                       bool *last)
{
	unsigned v = 0;
	int j;

	for (j = 0; j < 4; j++) {
		int d;

		skip_newlines(s, len, i);
		if (*i == len && j == 0) {
			*last = true;
			return 0;
		}
		/* StdEncoding wants padding: a short last quantum is corrupt.
		 */
		if (*i == len)
			return -1;
		if (s[*i] == '=')
			break;
		if ((d = b64_value((unsigned char)s[(*i)++])) < 0)
			return -1;
		v = v << 6 | (unsigned)d;
	}
	if (j < 4) {
		/* Padding: "x=" is corrupt, "xx==" and "xxx=" end the data. */
		if (j < 2)
			return -1;
		(*i)++;
		if (j == 2) {
			skip_newlines(s, len, i);
			if (*i == len || s[(*i)++] != '=')
				return -1;
		}
		skip_newlines(s, len, i);
		if (*i < len)
			return -1;
		*last = true;
		v <<= 6 * (4 - j);
	}
	b[0] = (unsigned char)(v >> 16);
	b[1] = (unsigned char)(v >> 8);
	b[2] = (unsigned char)v;
	return j - 1;
}

int ga_yaml__decode_binary(ga_buf *out, const char *s, size_t len)
{
	size_t start = out->size, i = 0;
	unsigned char b[3];
	bool last = false;
	int n, err;

	while (!last) {
		n = b64_quantum(s, len, &i, b, &last);
		if (n < 0) {
			ga_buf_truncate(out, start);
			ga_error_set(GA_ERRCLASS_YAML,
			             "!!binary value contains "
			             "invalid base64 data");
			return GA_EINVALID;
		}
		if (n > 0 && (err = ga_buf_put(out, b, (size_t)n)) < 0) {
			ga_buf_truncate(out, start);
			return err;
		}
	}
	return 0;
}
