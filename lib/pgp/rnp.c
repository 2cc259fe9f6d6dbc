/* SPDX-License-Identifier: Apache-2.0 */
#include "rnp_api.h"

#include <pthread.h>
#include <stdio.h>

#include "ga/error.h"
#include "util/dl.h"

#define RNP_SONAME "librnp.so.0"

struct ga_rnp_api ga_rnp__api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int result;
static char why[512];

static void load(void)
{
	void *h;

	if ((result = ga_dl_open(&h, RNP_SONAME,
	                         "librnp, for OpenPGP signatures")) < 0)
		goto out;
#define GA_RNP_LOAD(f)                                                         \
	if ((result = ga_dl_fn(h, RNP_SONAME, #f, &ga_rnp__api.f)) < 0)        \
		goto out;
	GA_RNP_FUNCS(GA_RNP_LOAD)
#undef GA_RNP_LOAD
out:
	if (result < 0)
		(void)snprintf(why, sizeof(why), "%s",
		               ga_error_last()->message);
}

int ga_rnp__load(void)
{
	(void)pthread_once(&once, load);
	if (result < 0)
		ga_error_set(GA_ERRCLASS_VERIFY, "%s", why);
	return result;
}
