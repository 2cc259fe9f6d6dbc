/* SPDX-License-Identifier: Apache-2.0 */
#include "curl_api.h"

#include "ga/error.h"
#include "util/dl.h"

#define CURL_SONAME "libcurl.so.4"

struct ga_curl_api ga_curl__api;

static ga_dl_once once = GA_DL_ONCE_INIT;

static int load_all(void)
{
	void *h;
	int err;

	if ((err = ga_dl_open(&h, CURL_SONAME, "libcurl, for HTTP")) < 0)
		return err;
#define GA_CURL_LOAD(f)                                                        \
	if ((err = ga_dl_fn(h, CURL_SONAME, #f, &ga_curl__api.f)) < 0)         \
		return err;
	GA_CURL_FUNCS(GA_CURL_LOAD)
#undef GA_CURL_LOAD
	/* Not thread-safe, hence here, once. */
	if (ga_curl__api.curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		ga_error_set(GA_ERRCLASS_HTTP, "libcurl: global init failed");
		return GA_ERROR;
	}
	return 0;
}

static void load(void)
{
	(void)ga_dl_once_done(&once, load_all());
}

int ga_curl__init(void)
{
	return ga_dl_once_run(&once, load, GA_ERRCLASS_HTTP);
}
