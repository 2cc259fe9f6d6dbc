/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Allowed-signers files (ssh-keygen(1), "ALLOWED SIGNERS"; git's
 * gpg.ssh.allowedSignersFile) and authorized_keys-style key lines.  An
 * allowed-signers line is
 *
 *	principals [options] keytype base64-key [comment]
 *
 * with principals a comma-separated pattern list (optionally in double
 * quotes) and options among namespaces="...", valid-after="..." and
 * valid-before="..." (times as YYYYMMDD[HHMM[SS]], UTC with a trailing Z,
 * local time otherwise, as ssh-keygen reads them).  cert-authority is
 * refused: certificates are not supported.  Blank lines and lines starting
 * with '#' are skipped.  Every error names the origin and the line.
 */
#include "verify/ssh.h"

#include <string.h>
#include <time.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "util/base64.h"

/* The longest line we read (an RSA-16384 key in base64 is ~2.8 KiB). */
#define LINE_MAX_LEN 8192

typedef struct line_ctx {
	const char *origin;
	size_t lineno;
} line_ctx;

static int line_error(const line_ctx *lc, int code, const char *why)
{
	ga_error_set(GA_ERRCLASS_VERIFY, "%s:%zu: %s", lc->origin, lc->lineno,
	             why);
	return code;
}

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A whitespace-delimited token, or a double-quoted one (quotes kept off). */
static int take_token(const line_ctx *lc, const char **p, const char **tok,
                      size_t *len)
{
	const char *s = skip_space(*p), *e;

	if (*s == '"') {
		if (!(e = strchr(s + 1, '"')))
			return line_error(lc, GA_EINVALID,
			                  "unterminated quote");
		*tok = s + 1;
		*len = (size_t)(e - s - 1);
		*p = e + 1;
		if (**p && **p != ' ' && **p != '\t')
			return line_error(lc, GA_EINVALID,
			                  "text right after a closing quote");
		return 0;
	}
	for (e = s; *e && *e != ' ' && *e != '\t'; e++)
		;
	*tok = s;
	*len = (size_t)(e - s);
	*p = e;
	return 0;
}

static bool has_prefix_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool looks_like_options(const char *s)
{
	return has_prefix_ci(s, "cert-authority") ||
	       has_prefix_ci(s, "namespaces=") ||
	       has_prefix_ci(s, "valid-after=") ||
	       has_prefix_ci(s, "valid-before=");
}

/* Parse YYYYMMDD[HHMM[SS]][Z] into seconds since the epoch. */
static int parse_time(const line_ctx *lc, const char *s, size_t len,
                      int64_t *out)
{
	struct tm tm = {0};
	int v[7] = {0};
	size_t digits = len;
	bool utc = len && s[len - 1] == 'Z';
	time_t t;

	if (utc)
		digits--;
	if (digits != 8 && digits != 12 && digits != 14)
		return line_error(lc, GA_EINVALID,
		                  "time is not YYYYMMDD[HHMM[SS]][Z]");
	for (size_t i = 0; i < digits; i++) {
		if (s[i] < '0' || s[i] > '9')
			return line_error(lc, GA_EINVALID,
			                  "time is not YYYYMMDD[HHMM[SS]][Z]");
		v[i < 4 ? 0 : 1 + (i - 4) / 2] =
		    v[i < 4 ? 0 : 1 + (i - 4) / 2] * 10 + (s[i] - '0');
	}
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 ||
	    v[4] > 59 || v[5] > 60)
		return line_error(lc, GA_EINVALID, "time out of range");
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
	tm.tm_isdst = -1;
	t = utc ? timegm(&tm) : mktime(&tm);
	if (t == (time_t)-1)
		return line_error(lc, GA_EINVALID, "time out of range");
	*out = (int64_t)t;
	return 0;
}

/* The value of name="value" at *p; *p moves past the closing quote. */
static int option_value(const line_ctx *lc, const char **p, const char **val,
                        size_t *len)
{
	const char *q = strchr(*p, '=') + 1, *e;

	if (*q != '"' || !(e = strchr(q + 1, '"')))
		return line_error(lc, GA_EINVALID,
		                  "option value must be in double quotes");
	*val = q + 1;
	*len = (size_t)(e - q - 1);
	*p = e + 1;
	return 0;
}

static int parse_option(const line_ctx *lc, const char **p, ga_ssh_signer *s)
{
	const char *val;
	size_t len;
	int err, which;

	if (has_prefix_ci(*p, "cert-authority"))
		return line_error(lc, GA_EUNSUPPORTED,
		                  "cert-authority is not supported (SSH "
		                  "certificates cannot be verified)");
	if (has_prefix_ci(*p, "namespaces="))
		which = 0;
	else if (has_prefix_ci(*p, "valid-after="))
		which = 1;
	else if (has_prefix_ci(*p, "valid-before="))
		which = 2;
	else
		return line_error(lc, GA_EINVALID, "unknown option");
	if ((err = option_value(lc, p, &val, &len)) < 0)
		return err;
	if (which == 1)
		return parse_time(lc, val, len, &s->valid_after);
	if (which == 2)
		return parse_time(lc, val, len, &s->valid_before);
	if (s->nspaces)
		return line_error(lc, GA_EINVALID, "namespaces given twice");
	if (!(s->nspaces = ga_strndup(val, len)))
		return GA_ENOMEM;
	return 0;
}

static int parse_options(const line_ctx *lc, const char **p, ga_ssh_signer *s)
{
	int err;

	*p = skip_space(*p);
	for (;;) {
		if ((err = parse_option(lc, p, s)) < 0)
			return err;
		if (**p != ',')
			break;
		(*p)++;
	}
	if (**p != ' ' && **p != '\t')
		return line_error(lc, GA_EINVALID, "no key after the options");
	return 0;
}

/* "keytype base64 [comment]": decode the key and check its type. */
static int parse_key(const line_ctx *lc, const char *p, ga_ssh_signer *s)
{
	ga_buf blob = GA_BUF_INIT(GA_SSH_KEY_MAX);
	const char *type, *b64;
	size_t tlen, blen;
	ga_ssh_reader r;
	ga_ssh_str inner;
	int err;

	if ((err = take_token(lc, &p, &type, &tlen)) < 0 ||
	    (err = take_token(lc, &p, &b64, &blen)) < 0)
		goto out;
	if (!tlen || !blen) {
		err = line_error(lc, GA_EINVALID,
		                 "expected \"keytype base64-key [comment]\"");
		goto out;
	}
	if ((err = ga_base64_decode(&blob, b64, blen, false)) < 0) {
		err = line_error(lc, err == GA_ENOMEM ? err : GA_EINVALID,
		                 err == GA_ELIMIT ? "key is too large"
		                                  : "key is not valid base64");
		goto out;
	}
	r.p = (const unsigned char *)blob.ptr;
	r.len = blob.size;
	if (ga_ssh__read_string(&r, &inner) < 0 || inner.len != tlen ||
	    memcmp(inner.p, type, tlen) != 0) {
		err = line_error(lc, GA_EINVALID,
		                 "key type does not match the key");
		goto out;
	}
	p = skip_space(p);
	if (*p && !(s->comment = ga_strdup(p))) {
		err = GA_ENOMEM;
		goto out;
	}
	s->key_len = blob.size;
	s->key = (unsigned char *)ga_buf_detach(&blob);
	if (!s->key)
		err = GA_ENOMEM;
out:
	ga_buf_dispose(&blob);
	return err;
}

static int parse_line(const line_ctx *lc, const char *p, ga_ssh_signer *s,
                      bool with_principals)
{
	const char *tok;
	size_t len;
	int err;

	if (with_principals) {
		if ((err = take_token(lc, &p, &tok, &len)) < 0)
			return err;
		if (!len || !*skip_space(p))
			return line_error(lc, GA_EINVALID,
			                  "expected \"principals [options] "
			                  "keytype base64-key\"");
		if (!(s->principals = ga_strndup(tok, len)))
			return GA_ENOMEM;
		p = skip_space(p);
		if (looks_like_options(p) &&
		    (err = parse_options(lc, &p, s)) < 0)
			return err;
	} else {
		const char *q = p;

		if ((err = take_token(lc, &q, &tok, &len)) < 0)
			return err;
		if (memchr(tok, '=', len) || memchr(tok, ',', len) ||
		    memchr(tok, '"', len))
			return line_error(lc, GA_EUNSUPPORTED,
			                  "key options are not supported here");
	}
	return parse_key(lc, p, s);
}

static void signer_dispose(ga_ssh_signer *s)
{
	ga_free(s->principals);
	ga_free(s->comment);
	ga_free(s->nspaces);
	ga_free(s->key);
}

static int push(ga_ssh_signers *list, ga_ssh_signer *s)
{
	if (list->n == list->cap) {
		size_t cap = list->cap ? 2 * list->cap : 8;
		ga_ssh_signer *v = ga_reallocarray(list->v, cap, sizeof(*v));

		if (!v)
			return GA_ENOMEM;
		list->v = v;
		list->cap = cap;
	}
	list->v[list->n++] = *s;
	return 0;
}

/* Copy line @lc->lineno (@len bytes at @p) into @line, trimmed. */
static int copy_line(const line_ctx *lc, char *line, const char *p, size_t len)
{
	if (len && p[len - 1] == '\r')
		len--;
	if (len >= LINE_MAX_LEN)
		return line_error(lc, GA_ELIMIT, "line is too long");
	if (memchr(p, '\0', len))
		return line_error(lc, GA_EINVALID, "NUL byte");
	memcpy(line, p, len);
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	line[len] = '\0';
	return 0;
}

static int parse_all(ga_ssh_signers *list, const char *text, size_t len,
                     line_ctx *lc, bool with_principals, char *line)
{
	size_t pos = 0;
	int err;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		ga_ssh_signer s = {NULL,      NULL, NULL, INT64_MIN,
		                   INT64_MAX, NULL, 0};
		const char *p;

		lc->lineno++;
		if ((err = copy_line(lc, line, text + pos, n)) < 0)
			return err;
		pos += n + (nl ? 1 : 0);
		p = skip_space(line);
		if (!*p || *p == '#')
			continue;
		if (list->n >= GA_SSH_SIGNERS_MAX)
			return line_error(lc, GA_ELIMIT, "too many keys");
		if ((err = parse_line(lc, p, &s, with_principals)) < 0 ||
		    (err = push(list, &s)) < 0) {
			signer_dispose(&s);
			return err;
		}
	}
	return 0;
}

int ga_ssh__parse_signers(ga_ssh_signers *list, const char *text, size_t len,
                          const char *origin, bool with_principals)
{
	line_ctx lc = {origin ? origin : "keys", 0};
	size_t before = list->n;
	char *line;
	int err;

	if (len > GA_SSH_SIGNERS_TEXT_MAX) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "%s: %zu bytes exceed the limit of %zu", lc.origin,
		             len, GA_SSH_SIGNERS_TEXT_MAX);
		return GA_ELIMIT;
	}
	if (!(line = ga_malloc(LINE_MAX_LEN)))
		return GA_ENOMEM;
	err = parse_all(list, text, len, &lc, with_principals, line);
	ga_free(line);
	/* All or nothing: a half-read file must not grant anything. */
	while (err < 0 && list->n > before)
		signer_dispose(&list->v[--list->n]);
	return err;
}

void ga_ssh__signers_dispose(ga_ssh_signers *list)
{
	for (size_t i = 0; i < list->n; i++)
		signer_dispose(&list->v[i]);
	ga_free(list->v);
	list->v = NULL;
	list->n = list->cap = 0;
}

/* One pattern against @s: '*' any run, '?' any one character. */
static bool match_one(const char *s, const char *pat, size_t plen)
{
	const char *star = NULL, *resume = NULL;
	size_t i = 0;

	while (*s) {
		if (i < plen && (pat[i] == '?' || pat[i] == *s)) {
			s++;
			i++;
		} else if (i < plen && pat[i] == '*') {
			star = pat + i++;
			resume = s;
		} else if (star) {
			i = (size_t)(star - pat) + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (i < plen && pat[i] == '*')
		i++;
	return i == plen;
}

bool ga_ssh__match_list(const char *name, const char *list)
{
	bool positive = false;

	while (*list) {
		const char *comma = strchr(list, ',');
		size_t n = comma ? (size_t)(comma - list) : strlen(list);
		bool neg = n && list[0] == '!';

		if (match_one(name, list + neg, n - neg)) {
			if (neg)
				return false;
			positive = true;
		}
		list += n + (comma ? 1 : 0);
	}
	return positive;
}
