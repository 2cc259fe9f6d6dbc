/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The agent's log sink: one JSON object per line on stderr (for log
 * collectors), or human-readable text.
 */
#ifndef GA_AGENT_LOGSINK_H
#define GA_AGENT_LOGSINK_H

#include <stdio.h>

#include "ga/log.h"

typedef enum ga_logsink_format {
	GA_LOGSINK_JSON,
	GA_LOGSINK_TEXT,
} ga_logsink_format;

/* "json" or "text"; returns 0 or -1. */
int ga_logsink_parse_format(ga_logsink_format *out, const char *name);

/*
 * Keep file descriptor 2 for the agent's own messages and make whatever
 * libraries print to the C library's stderr debug records instead (see
 * logsink.c).  Call first thing in main(), before any thread starts.
 * Returns 0, or -1 when it could not (stderr is then left as it was).
 */
int ga_logsink_claim_stderr(void);

/* The stream of the agent's own messages on fd 2. */
FILE *ga_logsink_stderr(void);

/* The installed format's name and level, for a child to log alike. */
const char *ga_logsink_format_name(void);
ga_log_level ga_logsink_level(void);

/* Install the sink as the library's log callback. */
void ga_logsink_install(ga_logsink_format fmt, ga_log_level max);

#endif
