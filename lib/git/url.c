/* SPDX-License-Identifier: Apache-2.0 */
/*
 * URL handling for the Git remotes (RFC 3986 authority syntax:
 * scheme "://" [userinfo "@"] host [":" port] path).  Only what the
 * transports need is parsed; anything odd is refused rather than guessed,
 * and every message shows the URL with its user information replaced.
 */
#include "url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/error.h"
#include "ga/git.h"

static const struct {
	const char *prefix;
	ga_git__scheme scheme;
	unsigned port;
} schemes[] = {
    {"file://", GA_GIT_SCHEME_FILE, 0},  {"git://", GA_GIT_SCHEME_GIT, 9418},
    {"http://", GA_GIT_SCHEME_HTTP, 80}, {"https://", GA_GIT_SCHEME_HTTPS, 443},
    {"ssh://", GA_GIT_SCHEME_SSH, 22},
};

/* Offsets of the authority of @url ("://" to the next "/", "?" or "#"). */
static bool authority(const char *url, size_t *start, size_t *end)
{
	const char *sep = strstr(url, "://");

	if (!sep)
		return false;
	*start = (size_t)(sep - url) + 3;
	*end = *start + strcspn(url + *start, "/?#");
	return true;
}

/* The userinfo ends at the last "@" of the authority: passwords may hold
 * an unescaped "@" in sloppy URLs, host names never do. */
static size_t userinfo_end(const char *url, size_t start, size_t end)
{
	for (size_t i = end; i > start; i--) {
		if (url[i - 1] == '@')
			return i;
	}
	return start;
}

int ga_git_url_redact(ga_buf *out, const char *url)
{
	size_t start, end, at, rest;

	if (!authority(url, &start, &end)) {
		/* Not a URL: show nothing that could be a secret. */
		return ga_buf_puts(out, "(unparsable URL)");
	}
	/* A password with an unescaped "/" would end the authority early:
	 * hide everything up to the last "@" before any query instead. */
	at = userinfo_end(url, start, start + strcspn(url + start, "?#"));
	if (at > end)
		end = at + strcspn(url + at, "/?#");
	rest = end + strcspn(url + end, "?#");
	(void)ga_buf_put(out, url, start);
	if (at > start)
		(void)ga_buf_puts(out, "***@");
	(void)ga_buf_put(out, url + at, rest - at);
	if (url[rest])
		(void)ga_buf_puts(out, "?***");
	return out->err;
}

int ga_git__url_userinfo(ga_buf *out, const char *url)
{
	size_t start, end, at;

	if (!authority(url, &start, &end))
		return 0;
	at = userinfo_end(url, start, start + strcspn(url + start, "?#"));
	if (at > start)
		(void)ga_buf_put(out, url + start, at - 1 - start);
	return out->err;
}

int ga_git__url_identity(ga_buf *out, const char *url)
{
	size_t start, end, at, rest;

	if (!authority(url, &start, &end))
		return ga_buf_puts(out, url);
	at = userinfo_end(url, start, end);
	rest = end + strcspn(url + end, "?#");
	(void)ga_buf_put(out, url, start);
	(void)ga_buf_put(out, url + at, rest - at);
	return out->err;
}

static int fail(const char *url, int code, const char *why)
{
	ga_buf shown = GA_BUF_INIT(4096);

	(void)ga_git_url_redact(&shown, url);
	ga_error_set(GA_ERRCLASS_INVALID, "%s: %s", ga_buf_cstr(&shown), why);
	ga_buf_dispose(&shown);
	return code;
}

static int parse_user(ga_git__url *out, const char *s, size_t len)
{
	size_t ulen = strcspn(s, ":@");

	if (ulen > len)
		ulen = len;
	if (ulen >= sizeof(out->user))
		return -1;
	memcpy(out->user, s, ulen);
	out->user[ulen] = '\0';
	out->has_password = ulen < len;
	return 0;
}

static int parse_host(ga_git__url *out, const char *s, size_t len)
{
	size_t hlen = len;
	const char *port = NULL;

	if (len && s[0] == '[') {
		const char *close = memchr(s, ']', len);

		if (!close)
			return -1;
		hlen = (size_t)(close - s) - 1;
		s++;
		if ((size_t)(close + 1 - (s - 1)) < len) {
			if (close[1] != ':')
				return -1;
			port = close + 2;
		}
	} else {
		const char *colon = memchr(s, ':', len);

		if (colon) {
			hlen = (size_t)(colon - s);
			port = colon + 1;
		}
	}
	if (hlen >= sizeof(out->host))
		return -1;
	memcpy(out->host, s, hlen);
	out->host[hlen] = '\0';
	if (port) {
		char *endp;
		unsigned long p = strtoul(port, &endp, 10);

		if (endp == port || p == 0 || p > 65535 ||
		    (*endp && !strchr("/?#", *endp)))
			return -1;
		out->port = (unsigned)p;
	}
	return 0;
}

int ga_git__url_parse(ga_git__url *out, const char *url)
{
	size_t start, end, at;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		if (strncmp(url, schemes[i].prefix,
		            strlen(schemes[i].prefix)) == 0)
			break;
	}
	if (i == sizeof(schemes) / sizeof(schemes[0]))
		return fail(url,
		            strstr(url, "://") ? GA_EUNSUPPORTED : GA_EINVALID,
		            "not supported: URLs must start with file://, "
		            "git://, http://, https:// or ssh://");
	out->scheme = schemes[i].scheme;
	out->port = schemes[i].port;
	if (!authority(url, &start, &end))
		return fail(url, GA_EINVALID, "not a URL");
	at = userinfo_end(url, start, end);
	if (at > start && parse_user(out, url + start, at - 1 - start) < 0)
		return fail(url, GA_EINVALID, "user name too long");
	if (parse_host(out, url + at, end - at) < 0)
		return fail(url, GA_EINVALID, "invalid host or port");
	if (out->scheme != GA_GIT_SCHEME_FILE && !out->host[0])
		return fail(url, GA_EINVALID, "missing host");
	if (out->scheme == GA_GIT_SCHEME_FILE && (at > start || out->host[0]))
		return fail(url, GA_EUNSUPPORTED,
		            "not supported: file:// URLs with a host");
	if (!url[end] || url[end] != '/')
		return fail(url, GA_EINVALID, "missing repository path");
	return 0;
}
