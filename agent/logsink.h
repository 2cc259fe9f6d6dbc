/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The agent's log sink: one JSON object per line on stderr (for log
 * collectors), or human-readable text.
 */
#ifndef GA_AGENT_LOGSINK_H
#define GA_AGENT_LOGSINK_H

#include "ga/log.h"

typedef enum ga_logsink_format {
	GA_LOGSINK_JSON,
	GA_LOGSINK_TEXT,
} ga_logsink_format;

/* "json" or "text"; returns 0 or -1. */
int ga_logsink_parse_format(ga_logsink_format *out, const char *name);

/* Install the sink as the library's log callback. */
void ga_logsink_install(ga_logsink_format fmt, ga_log_level max);

#endif
