/* SPDX-License-Identifier: Apache-2.0 */
#include "mhd_api.h"

#include "gnutls_api.h"

#include "ga/error.h"
#include "util/dl.h"

#define MHD_SONAME "libmicrohttpd.so.12"

struct ga_mhd_api ga_mhd__api;

static ga_dl_once once = GA_DL_ONCE_INIT;

static int load_all(void)
{
	void *h;
	int err;

	/* GnuTLS first: libmicrohttpd pulls it in anyway, and opening it by
	 * name later (pki.c), after it came in as a dependency, makes the
	 * loader of glibc 2.36 lose a block that valgrind reports. */
	if ((err = ga_gnutls__load()) < 0)
		return err;
	if ((err = ga_dl_open(&h, MHD_SONAME,
	                      "libmicrohttpd, for HTTP servers")) < 0)
		return err;
#define GA_MHD_LOAD(f)                                                         \
	if ((err = ga_dl_fn(h, MHD_SONAME, #f, &ga_mhd__api.f)) < 0)           \
		return err;
	GA_MHD_FUNCS(GA_MHD_LOAD)
#undef GA_MHD_LOAD
	return 0;
}

static void load(void)
{
	(void)ga_dl_once_done(&once, load_all());
}

int ga_mhd__load(void)
{
	return ga_dl_once_run(&once, load, GA_ERRCLASS_HTTP);
}
