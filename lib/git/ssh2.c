/* SPDX-License-Identifier: Apache-2.0 */
#include "ssh2_api.h"

#include "ga/error.h"
#include "util/dl.h"

#define SSH2_SONAME "libssh2.so.1"

struct ga_ssh2_api ga_ssh2__api;

static ga_dl_once ssh2_once = GA_DL_ONCE_INIT;

static int load(void)
{
	void *h;
	int err;

	if ((err = ga_dl_open(&h, SSH2_SONAME, "libssh2, for ssh:// remotes")) <
	    0)
		return err;
#define GA_SSH2_LOAD(f)                                                        \
	if ((err = ga_dl_fn(h, SSH2_SONAME, #f, &ga_ssh2__api.f)) < 0)         \
		return err;
	GA_SSH2_FUNCS(GA_SSH2_LOAD)
#undef GA_SSH2_LOAD
	/* Reference-counted: libgit2 initialised it too. */
	if (ga_ssh2__api.libssh2_init(0) != 0) {
		ga_error_set(GA_ERRCLASS_GIT, "libssh2 failed to initialise");
		return GA_ERROR;
	}
	return 0;
}

static void init_once(void)
{
	(void)ga_dl_once_done(&ssh2_once, load());
}

int ga_ssh2__init(void)
{
	return ga_dl_once_run(&ssh2_once, init_once, GA_ERRCLASS_GIT);
}
