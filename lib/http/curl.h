/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libcurl for lib/http: its API as declared by its headers, every function
 * called through the table curl_api.h declares, so that libcurl is loaded
 * only when first used (ga_curl__init()).  A call keeps its name.
 */
#ifndef GA_HTTP_CURL_H
#define GA_HTTP_CURL_H

#include "curl_api.h"

/* <curl/curl.h> wraps these two in checking macros of its own. */
#undef curl_easy_getinfo
#undef curl_easy_setopt

#define curl_easy_cleanup (ga_curl__api.curl_easy_cleanup)
#define curl_easy_getinfo (ga_curl__api.curl_easy_getinfo)
#define curl_easy_init (ga_curl__api.curl_easy_init)
#define curl_easy_perform (ga_curl__api.curl_easy_perform)
#define curl_easy_reset (ga_curl__api.curl_easy_reset)
#define curl_easy_setopt (ga_curl__api.curl_easy_setopt)
#define curl_easy_strerror (ga_curl__api.curl_easy_strerror)
#define curl_global_init (ga_curl__api.curl_global_init)
#define curl_slist_append (ga_curl__api.curl_slist_append)
#define curl_slist_free_all (ga_curl__api.curl_slist_free_all)

#endif
