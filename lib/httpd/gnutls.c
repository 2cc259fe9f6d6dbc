/* SPDX-License-Identifier: Apache-2.0 */
#include "gnutls_api.h"

#include "ga/error.h"
#include "util/dl.h"

#define GNUTLS_SONAME "libgnutls.so.30"

struct ga_gnutls_api ga_gnutls__api;

static ga_dl_once once = GA_DL_ONCE_INIT;

static int load_all(void)
{
	void *h;
	int err;

	if ((err = ga_dl_open(&h, GNUTLS_SONAME,
	                      "GnuTLS, for test certificates")) < 0)
		return err;
#define GA_GNUTLS_LOAD(f)                                                      \
	if ((err = ga_dl_fn(h, GNUTLS_SONAME, #f, &ga_gnutls__api.f)) < 0)     \
		return err;
	GA_GNUTLS_FUNCS(GA_GNUTLS_LOAD)
#undef GA_GNUTLS_LOAD
	return 0;
}

static void load(void)
{
	(void)ga_dl_once_done(&once, load_all());
}

int ga_gnutls__load(void)
{
	return ga_dl_once_run(&once, load, GA_ERRCLASS_HTTP);
}
