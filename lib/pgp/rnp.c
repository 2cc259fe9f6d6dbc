/* SPDX-License-Identifier: Apache-2.0 */
#include "rnp_api.h"

#include "ga/error.h"
#include "util/dl.h"

#define RNP_SONAME "librnp.so.0"

struct ga_rnp_api ga_rnp__api;

static ga_dl_once once = GA_DL_ONCE_INIT;

static int load_all(void)
{
	void *h;
	int err;

	if ((err = ga_dl_open(&h, RNP_SONAME,
	                      "librnp, for OpenPGP signatures")) < 0)
		return err;
#define GA_RNP_LOAD(f)                                                         \
	if ((err = ga_dl_fn(h, RNP_SONAME, #f, &ga_rnp__api.f)) < 0)           \
		return err;
	GA_RNP_FUNCS(GA_RNP_LOAD)
#undef GA_RNP_LOAD
	return 0;
}

static void load(void)
{
	(void)ga_dl_once_done(&once, load_all());
}

int ga_rnp__load(void)
{
	return ga_dl_once_run(&once, load, GA_ERRCLASS_VERIFY);
}
