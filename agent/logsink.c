/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Log records to stderr.  JSON lines carry "ts" (RFC 3339, UTC, milliseconds),
 * "level", "msg" and the record's fields; strings are escaped by the
 * library's JSON quoting so that any byte sequence yields valid JSON.  A line
 * is assembled in a buffer and written with one call, so concurrent writers
 * do not interleave within a line.
 */
#include "logsink.h"

#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "ga/buf.h"
#include "ga/json.h"

#define LOG_LINE_MAX ((size_t)64 << 10)

static ga_logsink_format sink_format;

int ga_logsink_parse_format(ga_logsink_format *out, const char *name)
{
	if (strcmp(name, "json") == 0)
		*out = GA_LOGSINK_JSON;
	else if (strcmp(name, "text") == 0)
		*out = GA_LOGSINK_TEXT;
	else
		return -1;
	return 0;
}

static void timestamp(char *out, size_t len)
{
	struct timeval tv;
	struct tm tm;

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
	         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	         tm.tm_min, tm.tm_sec, (long)(tv.tv_usec / 1000));
}

static void format_json(ga_buf *b, const char *ts, ga_log_level level,
                        const ga_log_field *fields, size_t n, const char *msg)
{
	ga_buf_printf(b, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":", ts,
	              ga_log_level_name(level));
	ga_json_quote(b, msg);
	for (size_t i = 0; i < n; i++) {
		ga_buf_putc(b, ',');
		ga_json_quote(b, fields[i].key);
		ga_buf_putc(b, ':');
		ga_json_quote(b, fields[i].value ? fields[i].value : "");
	}
	ga_buf_puts(b, "}\n");
}

static void format_text(ga_buf *b, const char *ts, ga_log_level level,
                        const ga_log_field *fields, size_t n, const char *msg)
{
	ga_buf_printf(b, "%s %-5s %s", ts, ga_log_level_name(level), msg);
	for (size_t i = 0; i < n; i++)
		ga_buf_printf(b, " %s=%s", fields[i].key,
		              fields[i].value ? fields[i].value : "");
	ga_buf_putc(b, '\n');
}

static void sink(ga_log_level level, const ga_log_field *fields, size_t n,
                 const char *msg, void *payload)
{
	ga_buf line = GA_BUF_INIT(LOG_LINE_MAX);
	char ts[64];

	(void)payload;
	timestamp(ts, sizeof(ts));
	if (sink_format == GA_LOGSINK_JSON)
		format_json(&line, ts, level, fields, n, msg);
	else
		format_text(&line, ts, level, fields, n, msg);
	/* An oversized record is dropped rather than cut into invalid JSON. */
	if (!line.err)
		(void)fwrite(line.ptr, 1, line.size, stderr);
	ga_buf_dispose(&line);
}

void ga_logsink_install(ga_logsink_format fmt, ga_log_level max)
{
	sink_format = fmt;
	ga_log_set(sink, max, NULL);
}
