/* SPDX-License-Identifier: Apache-2.0 */
#include "util/dl.h"

#include <dlfcn.h>
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
