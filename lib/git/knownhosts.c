/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OpenSSH known_hosts matching (sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT";
 * the hashed form is OpenSSH's HashKnownHosts: "|1|" base64(salt) "|"
 * base64(HMAC-SHA1(key = salt, host name))).  The host name looked up is
 * "host" on port 22 and "[host]:port" elsewhere, as ssh(1) writes it.
 *
 * Never trust on first use: a host without an entry is refused, and so is
 * a host whose entries all hold other keys.  A line we cannot read grants
 * nothing, so skipping it can only refuse more, never accept more.
 */
#include "knownhosts.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ga/buf.h"
#include "ga/digest.h"
#include "ga/error.h"
#include "util/base64.h"

#define KEY_BLOB_MAX 16384
#define NAME_MAX_LEN 300

typedef struct line_fields {
	const char *marker; /* "@revoked" etc., or NULL */
	size_t marker_len;
	const char *hosts;
	size_t hosts_len;
	const char *key64;
	size_t key64_len;
} line_fields;

typedef struct match_state {
	bool host_seen;
	bool key_ok;
	bool revoked;
} match_state;

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Next white-space separated field of [*p, end). */
static bool next_field(const char **p, const char *end, const char **f,
                       size_t *flen)
{
	while (*p < end && is_space(**p))
		(*p)++;
	*f = *p;
	while (*p < end && !is_space(**p))
		(*p)++;
	*flen = (size_t)(*p - *f);
	return *flen > 0;
}

static bool split_line(line_fields *lf, const char *p, const char *end)
{
	const char *f, *type;
	size_t flen, type_len;

	memset(lf, 0, sizeof(*lf));
	if (!next_field(&p, end, &f, &flen) || f[0] == '#')
		return false;
	if (f[0] == '@') {
		lf->marker = f;
		lf->marker_len = flen;
		if (!next_field(&p, end, &f, &flen))
			return false;
	}
	lf->hosts = f;
	lf->hosts_len = flen;
	return next_field(&p, end, &type, &type_len) &&
	       next_field(&p, end, &lf->key64, &lf->key64_len);
}

static char lower(char c)
{
	static const char upper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	static const char low[] = "abcdefghijklmnopqrstuvwxyz";
	const char *at = c ? strchr(upper, c) : NULL;

	if (at)
		return low[at - upper];
	return c;
}

/* Glob with "*" and "?", case-insensitive, linear backtracking. */
static bool glob(const char *pat, size_t plen, const char *s)
{
	size_t pi = 0, si = 0, star = (size_t)-1, mark = 0;
	size_t slen = strlen(s);

	while (si < slen) {
		if (pi < plen && (pat[pi] == '?' || lower(pat[pi]) == s[si])) {
			pi++;
			si++;
		} else if (pi < plen && pat[pi] == '*') {
			star = pi++;
			mark = si;
		} else if (star != (size_t)-1) {
			pi = star + 1;
			si = ++mark;
		} else {
			return false;
		}
	}
	while (pi < plen && pat[pi] == '*')
		pi++;
	return pi == plen;
}

/* "|1|salt|hash": compare HMAC-SHA1(salt, name) with hash. */
static int hashed_match(bool *out, const char *f, size_t len, const char *name)
{
	ga_buf salt = GA_BUF_INIT(256), want = GA_BUF_INIT(256);
	const char *bar;
	unsigned char mac[GA_SHA1_LEN];
	int err = 0;

	*out = false;
	f += 3;
	len -= 3;
	if (!(bar = memchr(f, '|', len)))
		goto out;
	if (ga_base64_decode(&salt, f, (size_t)(bar - f), false) < 0 ||
	    ga_base64_decode(&want, bar + 1, len - (size_t)(bar + 1 - f),
	                     false) < 0) {
		err = salt.err == GA_ENOMEM || want.err == GA_ENOMEM ? GA_ENOMEM
		                                                     : 0;
		goto out;
	}
	if (want.size != GA_SHA1_LEN)
		goto out;
	(void)ga_hmac_sha1(mac, salt.ptr, salt.size, name, strlen(name));
	*out = memcmp(mac, want.ptr, GA_SHA1_LEN) == 0;
out:
	ga_buf_dispose(&salt);
	ga_buf_dispose(&want);
	ga_error_clear();
	return err;
}

/* A comma list of patterns: any "!" pattern that matches vetoes. */
static bool patterns_match(const char *f, size_t len, const char *name)
{
	bool hit = false;

	while (len) {
		size_t plen = 0;
		bool negated = f[0] == '!';

		while (plen < len && f[plen] != ',')
			plen++;
		if (negated && glob(f + 1, plen - 1, name))
			return false;
		if (!negated && glob(f, plen, name))
			hit = true;
		f += plen;
		len -= plen;
		if (len) {
			f++;
			len--;
		}
	}
	return hit;
}

static int check_line(match_state *st, const line_fields *lf, const char *name,
                      const unsigned char *key, size_t key_len)
{
	ga_buf blob = GA_BUF_INIT(KEY_BLOB_MAX);
	bool revoked = false, hit;
	int err = 0;

	if (lf->marker) {
		revoked = lf->marker_len == 8 &&
		          memcmp(lf->marker, "@revoked", 8) == 0;
		if (!revoked)
			return 0; /* @cert-authority: not supported */
	}
	if (lf->hosts_len > 3 && memcmp(lf->hosts, "|1|", 3) == 0) {
		if ((err = hashed_match(&hit, lf->hosts, lf->hosts_len, name)) <
		    0)
			return err;
	} else {
		hit = patterns_match(lf->hosts, lf->hosts_len, name);
	}
	if (!hit && !revoked)
		return 0;
	if (ga_base64_decode(&blob, lf->key64, lf->key64_len, false) < 0) {
		err = blob.err == GA_ENOMEM ? GA_ENOMEM : 0;
		ga_error_clear();
		goto out;
	}
	bool same = blob.size == key_len && memcmp(blob.ptr, key, key_len) == 0;
	/* A revoked key is refused for every host, listed or not. */
	if (revoked) {
		st->revoked = st->revoked || same;
		goto out;
	}
	st->host_seen = true;
	st->key_ok = st->key_ok || same;
out:
	ga_buf_dispose(&blob);
	return err;
}

int ga_git__known_hosts_check(const char *text, size_t len, const char *host,
                              unsigned port, const unsigned char *key,
                              size_t key_len)
{
	match_state st = {false, false, false};
	char name[NAME_MAX_LEN];
	const char *p = text, *end = text + len;
	char *q;
	int err;

	if (port == 22)
		(void)snprintf(name, sizeof(name), "%.255s", host);
	else
		(void)snprintf(name, sizeof(name), "[%.255s]:%u", host, port);
	for (q = name; *q; q++)
		*q = lower(*q);
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		line_fields lf;

		if (!eol)
			eol = end;
		if (split_line(&lf, p, eol) &&
		    (err = check_line(&st, &lf, name, key, key_len)) < 0)
			return err;
		p = eol + (eol < end);
	}
	if (st.revoked) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "host key of %s is marked @revoked in known_hosts",
		             name);
		return GA_EVERIFY;
	}
	if (st.key_ok)
		return 0;
	if (st.host_seen)
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "host key of %s does not match known_hosts (the "
		             "key has changed); refused",
		             name);
	else
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "host %s is not in known_hosts (unknown host); "
		             "refused",
		             name);
	return GA_EVERIFY;
}
