/* SPDX-License-Identifier: Apache-2.0 */
#include "util/dl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "ga/error.h"

int ga_dl_open(void **out, const char *soname, const char *what)
{
	const char *why;

	if ((*out = dlopen(soname, RTLD_NOW | RTLD_LOCAL)))
		return 0;
	why = dlerror();
	ga_error_set(GA_ERRCLASS_OS, "%s (%s) cannot be loaded: %s", what,
	             soname, why ? why : "unknown reason");
	return GA_EUNSUPPORTED;
}

int ga_dl_fn(void *handle, const char *soname, const char *name, void *fn)
{
	void *p = dlsym(handle, name);

	if (!p) {
		ga_error_set(GA_ERRCLASS_OS, "%s has no %s", soname, name);
		return GA_EUNSUPPORTED;
	}
	/* POSIX makes a function's address a void *; C only lets it be
	 * copied into a function pointer, not converted. */
	memcpy(fn, &p, sizeof(p));
	return 0;
}

int ga_dl_once_done(ga_dl_once *o, int result)
{
	o->result = result;
	if (result < 0)
		(void)snprintf(o->why, sizeof(o->why), "%s",
		               ga_error_last()->message);
	return result;
}

int ga_dl_once_run(ga_dl_once *o, void (*fn)(void), int klass)
{
	(void)pthread_once(&o->once, fn);
	if (o->result < 0)
		ga_error_set(klass, "%s", o->why);
	return o->result;
}
