/* SPDX-License-Identifier: Apache-2.0 */
#include "git2_api.h"

#include "ga/error.h"
#include "util/dl.h"

#define GIT2_SONAME "libgit2.so.1.5"

struct ga_git2_api ga_git2__api;

int ga_git2__load(void)
{
	void *h;
	int err;

	if ((err = ga_dl_open(&h, GIT2_SONAME, "libgit2, for Git sources")) < 0)
		return err;
#define GA_GIT2_LOAD(f)                                                        \
	if ((err = ga_dl_fn(h, GIT2_SONAME, #f, &ga_git2__api.f)) < 0)         \
		return err;
	GA_GIT2_FUNCS(GA_GIT2_LOAD)
#undef GA_GIT2_LOAD
	return 0;
}
