/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Logging.  The library never writes to stdout or stderr: it hands each
 * record (level, structured fields, message) to a callback the host
 * installs; the agent prints JSON lines or human text.  GA_LOG() tests the
 * level before it evaluates its arguments, so disabled levels cost one
 * comparison.  Install the callback before starting threads; emitting is
 * thread-safe as long as the callback is.
 */
#ifndef GA_LOG_H
#define GA_LOG_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"

typedef enum ga_log_level {
	GA_LOG_ERROR = 0,
	GA_LOG_WARN,
	GA_LOG_INFO,
	GA_LOG_DEBUG,
	GA_LOG_TRACE,
} ga_log_level;

/** One structured field of a record; both strings are borrowed. */
typedef struct ga_log_field {
	const char *key;
	const char *value;
} ga_log_field;

/**
 * The host's sink.  @fields and @msg are valid only during the call.
 */
typedef void (*ga_log_fn)(ga_log_level level, const ga_log_field *fields,
                          size_t nfields, const char *msg, void *payload);

/**
 * Install @fn for records up to @max (inclusive).  NULL @fn discards
 * everything, which is the default.
 */
GA_EXTERN void ga_log_set(ga_log_fn fn, ga_log_level max, void *payload);

/** Whether a record at @level would reach the sink. */
GA_EXTERN bool ga_log_enabled(ga_log_level level);

/** Format and emit a record; prefer GA_LOG(). */
GA_EXTERN void ga_log_write(ga_log_level level, const ga_log_field *fields,
                            size_t nfields, const char *fmt, ...)
    GA_PRINTF(4, 5);

/** The lower-case name of @level ("info"). */
GA_EXTERN const char *ga_log_level_name(ga_log_level level);

/**
 * Parse a level name ("error", "warn", "info", "debug", "trace").
 * Returns 0 or GA_EINVALID.
 */
GA_EXTERN int ga_log_level_parse(ga_log_level *out, const char *name);

#define GA_LOG(level, fields, nfields, ...)                                    \
	do {                                                                   \
		if (ga_log_enabled(level))                                     \
			ga_log_write((level), (fields), (nfields),             \
			             __VA_ARGS__);                             \
	} while (0)

#endif
