/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The table of the libcurl functions lib/http calls, filled when libcurl
 * is loaded on first use (util/dl.h says why: libcurl brings a dozen
 * libraries of its own, which `gitops-agent build` never needs).  Only
 * curl.c includes this header alone; the rest of lib/http includes
 * curl.h, which routes every call through the table.
 */
#ifndef GA_HTTP_CURL_API_H
#define GA_HTTP_CURL_API_H

/* The type-checking macros of <curl/typecheck-gcc.h> would hide the
 * names the table redirects. */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#define GA_CURL_FUNCS(X)                                                       \
	X(curl_easy_cleanup)                                                   \
	X(curl_easy_getinfo)                                                   \
	X(curl_easy_init)                                                      \
	X(curl_easy_perform)                                                   \
	X(curl_easy_reset)                                                     \
	X(curl_easy_setopt)                                                    \
	X(curl_easy_strerror)                                                  \
	X(curl_global_init)                                                    \
	X(curl_slist_append)                                                   \
	X(curl_slist_free_all)

struct ga_curl_api {
/* A member named after the function: no parentheses possible. */
/* NOLINTNEXTLINE(bugprone-macro-parentheses) */
#define GA_CURL_PTR(f) __typeof__(f) *f;
	GA_CURL_FUNCS(GA_CURL_PTR)
#undef GA_CURL_PTR
};

extern struct ga_curl_api ga_curl__api;

/* Load libcurl and fill the table, once per process.  Returns 0 or
 * GA_EUNSUPPORTED (message set). */
int ga_curl__init(void);

#endif
