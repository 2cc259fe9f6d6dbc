/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Record dispatch to the host's sink (libgit2's git_trace_set).  Messages are
 * formatted into a bounded stack buffer: a log line is never worth an
 * allocation failure.
 */
#include "ga/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ga/error.h"

#define GA_LOG_MSG_MAX 2048

static ga_log_fn log_fn;
static ga_log_level log_max = GA_LOG_INFO;
static void *log_payload;

static const char *const level_names[] = {
    "error", "warn", "info", "debug", "trace",
};

void ga_log_set(ga_log_fn fn, ga_log_level max, void *payload)
{
	log_fn = fn;
	log_max = max;
	log_payload = payload;
}

bool ga_log_enabled(ga_log_level level)
{
	return log_fn && level <= log_max;
}

void ga_log_write(ga_log_level level, const ga_log_field *fields,
                  size_t nfields, const char *fmt, ...)
{
	char msg[GA_LOG_MSG_MAX];
	va_list ap;

	if (!ga_log_enabled(level))
		return;
	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	va_end(ap);
	log_fn(level, fields, nfields, msg, log_payload);
}

const char *ga_log_level_name(ga_log_level level)
{
	if ((unsigned)level >= sizeof(level_names) / sizeof(level_names[0]))
		return "unknown";
	return level_names[level];
}

int ga_log_level_parse(ga_log_level *out, const char *name)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]);
	     i++) {
		if (strcmp(name, level_names[i]) == 0) {
			*out = (ga_log_level)i;
			return 0;
		}
	}
	ga_error_set(GA_ERRCLASS_INVALID,
	             "unknown log level \"%s\" (want error, warn, info, "
	             "debug or trace)",
	             name);
	return GA_EINVALID;
}
