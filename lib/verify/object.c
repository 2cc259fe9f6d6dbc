/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cutting a raw Git commit or tag into the signed payload and the signature,
 * the way git does it (git's commit.c parse_buffer_signed_by_header() for
 * commits, gpg-interface.c parse_signed_buffer() for tags):
 *
 *  - commit: the header named gpgsig (SHA-1 repositories) or gpgsig-sha256
 *    (SHA-256 ones), with its continuation lines (those starting with a
 *    space, which is dropped), is the signature.  The payload is the object
 *    without that header and without the other format's signature header.
 *    Headers end at the first empty line; the message is copied unchanged.
 *  - tag: the signature is the trailing block that starts at the last line
 *    beginning with a signature marker; everything before it is the
 *    payload.
 *
 * Where git would carry on with something odd, we stop with a precise
 * error instead: a second signature header, NUL bytes in the headers,
 * headers that never end, a marker of no known kind.
 */
#include "ga/verify.h"

#include <stdbool.h>
#include <string.h>

#include "ga/error.h"
#include "verify/object.h"

static const struct {
	const char *marker;
	ga_sig_format format;
} markers[] = {
    {"-----BEGIN PGP SIGNATURE-----", GA_SIG_OPENPGP},
    {"-----BEGIN PGP MESSAGE-----", GA_SIG_OPENPGP},
    {"-----BEGIN SIGNED MESSAGE-----", GA_SIG_X509},
    {"-----BEGIN SSH SIGNATURE-----", GA_SIG_SSH},
};

static bool starts_with(const char *p, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(p, prefix, n) == 0;
}

ga_sig_format ga_verify__sig_format(const char *p, size_t len)
{
	for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++)
		if (starts_with(p, len, markers[i].marker))
			return markers[i].format;
	return GA_SIG_NONE;
}

static int malformed(const char *kind, const char *why)
{
	ga_error_set(GA_ERRCLASS_VERIFY, "%s object: %s", kind, why);
	return GA_EINVALID;
}

/* The length of the line at @p, its newline included if it has one. */
static size_t line_len(const char *p, size_t left)
{
	const char *nl = memchr(p, '\n', left);

	return nl ? (size_t)(nl - p) + 1 : left;
}

/* Parse the seconds of "<name> Who <mail> SECONDS +ZONE" into *out. */
static void read_time(const char *line, size_t len, int64_t *out)
{
	const char *gt = NULL;
	int64_t v = 0;
	size_t i;

	for (i = 0; i < len; i++)
		if (line[i] == '>')
			gt = line + i;
	if (!gt)
		return;
	i = (size_t)(gt - line) + 1;
	if (i >= len || line[i] != ' ')
		return;
	for (i++; i < len && line[i] >= '0' && line[i] <= '9'; i++) {
		if (v > (INT64_MAX - 9) / 10)
			return;
		v = v * 10 + (line[i] - '0');
	}
	if (i < len && (line[i] == ' ' || line[i] == '\n'))
		*out = v;
}

/*
 * Check the header block of @data: where it ends (*body, the offset just
 * past the empty line), no NUL bytes, and the committer or tagger time.
 */
static int scan_headers(ga_signed_object *out, const char *data, size_t len,
                        size_t *body)
{
	const char *kind = out->kind == GA_GIT_TAG ? "tag" : "commit";
	const char *who = out->kind == GA_GIT_TAG ? "tagger " : "committer ";
	size_t pos = 0;

	if (memchr(data, '\0', len)) {
		const char *end = memmem(data, len, "\n\n", 2);
		if (!end || memchr(data, '\0', (size_t)(end - data)))
			return malformed(kind, "NUL byte in the headers");
	}
	while (pos < len) {
		size_t n = line_len(data + pos, len - pos);

		if (data[pos + n - 1] != '\n')
			break;
		if (n == 1) {
			*body = pos + 1;
			return 0;
		}
		if (starts_with(data + pos, n, who))
			read_time(data + pos, n, &out->time);
		pos += n;
	}
	return malformed(kind, "no empty line after the headers");
}

/* Git's parse_buffer_signed_by_header(), over the headers only. */
static int split_commit(ga_signed_object *out, const char *data, size_t len,
                        size_t body, ga_git_hash hash)
{
	const char *mine = hash == GA_GIT_SHA256 ? "gpgsig-sha256" : "gpgsig";
	size_t mlen = strlen(mine), pos = 0;
	bool in_sig = false, other = false, seen = false;

	while (pos < body) {
		const char *line = data + pos;
		size_t n = line_len(line, body - pos);
		bool own =
		    starts_with(line, n, mine) && n > mlen && line[mlen] == ' ';

		pos += n;
		if (in_sig && line[0] == ' ') {
			(void)ga_buf_put(&out->signature, line + 1, n - 1);
			continue;
		}
		in_sig = false;
		if (own) {
			if (seen)
				return malformed(
				    "commit", "more than one signature header");
			seen = in_sig = true;
			other = false;
			(void)ga_buf_put(&out->signature, line + mlen + 1,
			                 n - mlen - 1);
			continue;
		}
		if (starts_with(line, n, "gpgsig"))
			other = true;
		else if (other && line[0] != ' ')
			other = false;
		if (!other)
			(void)ga_buf_put(&out->payload, line, n);
	}
	(void)ga_buf_put(&out->payload, data + body, len - body);
	if (out->signature.err)
		return out->signature.err;
	return out->payload.err;
}

/* Git's parse_signed_buffer(): the last line starting with a marker. */
static int split_tag(ga_signed_object *out, const char *data, size_t len,
                     size_t body)
{
	size_t pos = 0, match = len;

	while (pos < len) {
		if (ga_verify__sig_format(data + pos, len - pos) != GA_SIG_NONE)
			match = pos;
		pos += line_len(data + pos, len - pos);
	}
	if (match < body)
		return malformed("tag", "signature marker in the headers");
	(void)ga_buf_put(&out->payload, data, match);
	(void)ga_buf_put(&out->signature, data + match, len - match);
	if (out->signature.err)
		return out->signature.err;
	return out->payload.err;
}

static int detect_kind(ga_git_kind *kind, const char *data, size_t len)
{
	ga_git_kind seen = GA_GIT_ANY;

	if (starts_with(data, len, "tree "))
		seen = GA_GIT_COMMIT;
	else if (starts_with(data, len, "object "))
		seen = GA_GIT_TAG;
	if (seen == GA_GIT_ANY && *kind == GA_GIT_ANY) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "not a commit or tag object: it starts with "
		             "neither \"tree \" nor \"object \"");
		return GA_EINVALID;
	}
	if (*kind != GA_GIT_ANY && *kind != seen) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "not a %s object: it does not start with \"%s\"",
		             *kind == GA_GIT_TAG ? "tag" : "commit",
		             *kind == GA_GIT_TAG ? "object " : "tree ");
		return GA_EINVALID;
	}
	*kind = seen;
	return 0;
}

int ga_signed_object_parse(ga_signed_object *out, const char *data, size_t len,
                           ga_git_kind kind, ga_git_hash hash)
{
	size_t body = 0;
	int err;

	if (!out || (!data && len)) {
		ga_error_set(GA_ERRCLASS_INVALID, "verify: NULL argument");
		return GA_EINVALID;
	}
	if (!data)
		data = ""; /* an empty object: malformed, not a NULL argument */
	ga_signed_object_dispose(out);
	if (len > GA_VERIFY_OBJECT_MAX) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "object of %zu bytes exceeds the limit of %zu",
		             len, GA_VERIFY_OBJECT_MAX);
		return GA_ELIMIT;
	}
	if ((err = detect_kind(&kind, data, len)) < 0)
		return err;
	out->kind = kind;
	if ((err = scan_headers(out, data, len, &body)) < 0)
		return err;
	err = kind == GA_GIT_TAG ? split_tag(out, data, len, body)
	                         : split_commit(out, data, len, body, hash);
	if (err == GA_ELIMIT && out->signature.err)
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "signature exceeds the limit of %zu bytes",
		             GA_VERIFY_SIGNATURE_MAX);
	if (err < 0 || out->signature.size == 0)
		return err;
	out->format =
	    ga_verify__sig_format(out->signature.ptr, out->signature.size);
	if (out->format == GA_SIG_NONE)
		return malformed(kind == GA_GIT_TAG ? "tag" : "commit",
		                 "signature header holds no known signature "
		                 "kind");
	return 0;
}

void ga_signed_object_dispose(ga_signed_object *obj)
{
	if (!obj)
		return;
	ga_buf_dispose(&obj->payload);
	ga_buf_dispose(&obj->signature);
	obj->payload.max = GA_VERIFY_OBJECT_MAX;
	obj->signature.max = GA_VERIFY_SIGNATURE_MAX;
	obj->kind = GA_GIT_ANY;
	obj->format = GA_SIG_NONE;
	obj->time = -1;
}
