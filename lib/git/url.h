/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Remote URLs: the parts the module needs (scheme, user, host, port) and
 * the redacted form shown in messages.  Pure string work.
 */
#ifndef GA_GIT_URL_H
#define GA_GIT_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "ga/buf.h"

typedef enum ga_git__scheme {
	GA_GIT_SCHEME_FILE = 1,
	GA_GIT_SCHEME_GIT,
	GA_GIT_SCHEME_HTTP,
	GA_GIT_SCHEME_HTTPS,
	GA_GIT_SCHEME_SSH,
} ga_git__scheme;

typedef struct ga_git__url {
	ga_git__scheme scheme;
	char user[256]; /* "" when the URL names none */
	bool has_password;
	char host[256]; /* without brackets for IPv6 */
	unsigned port;  /* the scheme's default when absent */
} ga_git__url;

/*
 * Parse @url.  Returns 0, GA_EINVALID (not a URL) or GA_EUNSUPPORTED (a
 * scheme other than file, git, http, https, ssh); the messages show the
 * URL redacted.
 */
int ga_git__url_parse(ga_git__url *out, const char *url);

/*
 * Append @url without its user information (and without query or
 * fragment) to @out: the identity of the repository, whatever the
 * credentials.  Returns 0, GA_ELIMIT or GA_ENOMEM.
 */
int ga_git__url_identity(ga_buf *out, const char *url);

/*
 * Append the user information of @url ("user:secret", up to the last "@"
 * before any query) to @out, for scrubbing it from libgit2's messages;
 * nothing when there is none.  Returns 0, GA_ELIMIT or GA_ENOMEM.
 */
int ga_git__url_userinfo(ga_buf *out, const char *url);

#endif
