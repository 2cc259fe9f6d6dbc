/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-thread last error (libgit2's git_error_set/git_error_last).  The
 * message lives in a fixed thread-local buffer, so setting an error never
 * allocates and the out-of-memory path cannot fail in turn.
 */
#include "ga/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define GA_ERROR_MAX 1024

static _Thread_local char err_msg[GA_ERROR_MAX];
static _Thread_local ga_error err_last = {GA_ERRCLASS_NONE, ""};

const ga_error *ga_error_last(void)
{
	if (!err_last.message)
		err_last.message = "";
	return &err_last;
}

void ga_error_clear(void)
{
	err_msg[0] = '\0';
	err_last.klass = GA_ERRCLASS_NONE;
	err_last.message = "";
}

const char *ga_error_name(int code)
{
	switch (code) {
	case GA_OK:
		return "OK";
	case GA_ERROR:
		return "ERROR";
	case GA_ENOMEM:
		return "ENOMEM";
	case GA_EINVALID:
		return "EINVALID";
	case GA_ENOTFOUND:
		return "ENOTFOUND";
	case GA_EEXISTS:
		return "EEXISTS";
	case GA_ELIMIT:
		return "ELIMIT";
	case GA_EIO:
		return "EIO";
	case GA_ECONFLICT:
		return "ECONFLICT";
	case GA_ERETRY:
		return "ERETRY";
	case GA_EAUTH:
		return "EAUTH";
	case GA_EVERIFY:
		return "EVERIFY";
	case GA_EUNSUPPORTED:
		return "EUNSUPPORTED";
	default:
		return "EUNKNOWN";
	}
}

/* Mark a truncated message so that readers know text is missing. */
static void mark_truncated(int n)
{
	if (n >= GA_ERROR_MAX)
		memcpy(err_msg + GA_ERROR_MAX - 4, "...", 4);
}

static void set_v(ga_error_class klass, const char *fmt, va_list ap)
    GA_PRINTF(2, 0);

static void set_v(ga_error_class klass, const char *fmt, va_list ap)
{
	char tmp[GA_ERROR_MAX];
	int n;

	/* Format into a copy: the arguments may point into err_msg itself. */
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	if (n < 0)
		n = 0, tmp[0] = '\0';
	memcpy(err_msg, tmp, sizeof(tmp));
	mark_truncated(n);
	err_last.klass = klass;
	err_last.message = err_msg;
}

void ga_error_set(ga_error_class klass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_v(klass, fmt, ap);
	va_end(ap);
}

void ga_error_set_os(int errnum, const char *fmt, ...)
{
	char reason[256];
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	set_v(GA_ERRCLASS_OS, fmt, ap);
	va_end(ap);

	/* GNU strerror_r may return a static string instead of filling ours. */
	const char *r = strerror_r(errnum, reason, sizeof(reason));
	len = strlen(err_msg);
	if (len < GA_ERROR_MAX - 1) {
		int n = snprintf(err_msg + len, GA_ERROR_MAX - len, ": %s", r);
		if (n >= 0 && (size_t)n >= GA_ERROR_MAX - len)
			mark_truncated(GA_ERROR_MAX);
	}
}

void ga_error_set_oom(void)
{
	err_last.klass = GA_ERRCLASS_NOMEMORY;
	err_last.message = "out of memory";
}

void ga_error_prefix(const char *fmt, ...)
{
	char prefix[GA_ERROR_MAX];
	char tmp[GA_ERROR_MAX];
	const char *old = ga_error_last()->message;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	n = snprintf(tmp, sizeof(tmp), "%s: %s", prefix, old);
	if (n < 0)
		return;
	memcpy(err_msg, tmp, sizeof(tmp));
	mark_truncated(n);
	err_last.message = err_msg;
	if (err_last.klass == GA_ERRCLASS_NONE)
		err_last.klass = GA_ERRCLASS_INVALID;
}
