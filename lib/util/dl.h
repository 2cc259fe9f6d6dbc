/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared libraries loaded when first needed.  The agent links libgit2 and
 * librnp this way: each drags in a dozen more libraries (TLS, Kerberos,
 * Botan, the C++ runtime, SQLite) whose loading and relocation cost more
 * than a whole `gitops-agent build` of the distribution, which needs none
 * of them.  The library's own folder keeps a table of the functions it
 * calls and fills it once through these two calls.
 */
#ifndef GA_UTIL_DL_H
#define GA_UTIL_DL_H

#include <pthread.h>

/*
 * Open @soname ("libgit2.so.1.5") with every symbol bound now; *@out is
 * the handle, never closed.  @what names it for people ("libgit2, for
 * Git sources").  Returns 0 or GA_EUNSUPPORTED (message: what is missing
 * and the loader's reason).
 */
int ga_dl_open(void **out, const char *soname, const char *what);

/*
 * Copy the address of the function @name in @handle into the function
 * pointer at @fn (of pointer size).  Returns 0 or GA_EUNSUPPORTED.
 */
int ga_dl_fn(void *handle, const char *soname, const char *name, void *fn);

/* A load that runs once per process, and its outcome for every caller. */
typedef struct ga_dl_once {
	pthread_once_t once;
	int result;
	char why[512]; /* the failure's message */
} ga_dl_once;

#define GA_DL_ONCE_INIT                                                        \
	{                                                                      \
		PTHREAD_ONCE_INIT, 0, ""                                       \
	}

/* At the end of @o's load: keep @result (0, or a negative code whose
 * message is set) and the message.  Returns @result. */
int ga_dl_once_done(ga_dl_once *o, int result);

/*
 * Run the load @fn (which ends with ga_dl_once_done) the first time, then
 * repeat its outcome: 0, or its code with its message set again, in the
 * error class @klass.
 */
int ga_dl_once_run(ga_dl_once *o, void (*fn)(void), int klass);

#endif
