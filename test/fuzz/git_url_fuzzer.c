/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the Git remote URL handling (lib/git/url.c): parsing,
 * redaction and the credential-free identity that names a mirror.  The
 * input is the URL.  Invariants, each aborting on violation:
 *
 *  - parsing fails only with GA_EINVALID or GA_EUNSUPPORTED;
 *  - neither the redacted form nor the identity holds the user
 *    information of the authority (what sits before its last "@"), nor
 *    does the parser's error message;
 *  - redacting the redacted form changes nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "ga/git.h"
#include "git/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fail(const char *what, const char *url)
{
	fprintf(stderr, "git url fuzzer: %s (url \"%s\", last error \"%s\")\n",
	        what, url, ga_error_last()->message);
	abort();
}

/* The userinfo of @url when it has one of at least 4 bytes, else NULL. */
static char *userinfo(const char *url)
{
	const char *sep = strstr(url, "://"), *auth, *at = NULL;
	size_t len;

	if (!sep)
		return NULL;
	auth = sep + 3;
	len = strcspn(auth, "/?#");
	for (size_t i = len; i > 0; i--) {
		if (auth[i - 1] == '@') {
			at = auth + i - 1;
			break;
		}
	}
	if (!at || at - auth < 4)
		return NULL;
	return ga_strndup(auth, (size_t)(at - auth));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ga_buf url = GA_BUF_INIT(size + 1), red = GA_BUF_INIT(4 * size + 64),
	       again = GA_BUF_INIT(4 * size + 64), id = GA_BUF_INIT(size + 1);
	ga_git__url parsed;
	char *secret;
	int err;

	if (memchr(data, 0, size) || ga_buf_put(&url, data, size) < 0)
		goto out;
	secret = userinfo(url.ptr);
	err = ga_git__url_parse(&parsed, url.ptr);
	if (err < 0 && err != GA_EINVALID && err != GA_EUNSUPPORTED)
		fuzz_fail("unexpected error code", url.ptr);
	if (err < 0 && secret && strstr(ga_error_last()->message, secret))
		fuzz_fail("an error message shows the user information",
		          url.ptr);
	if (ga_git_url_redact(&red, url.ptr) < 0 ||
	    ga_git__url_identity(&id, url.ptr) < 0)
		fuzz_fail("redaction failed", url.ptr);
	if (secret && (strstr(ga_buf_cstr(&red), secret) ||
	               strstr(ga_buf_cstr(&id), secret)))
		fuzz_fail("the user information survived", url.ptr);
	if (ga_git_url_redact(&again, ga_buf_cstr(&red)) < 0 ||
	    strcmp(ga_buf_cstr(&again), ga_buf_cstr(&red)) != 0)
		fuzz_fail("redaction is not idempotent", url.ptr);
	ga_free(secret);
out:
	ga_error_clear();
	ga_buf_dispose(&url);
	ga_buf_dispose(&red);
	ga_buf_dispose(&again);
	ga_buf_dispose(&id);
	return 0;
}
