/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Log records to stderr.  JSON lines carry "ts" (RFC 3339, UTC, milliseconds),
 * "level", "msg" and the record's fields; strings are escaped by the
 * library's JSON quoting so that any byte sequence yields valid JSON.  A line
 * is assembled in a buffer and written with one call, so concurrent writers
 * do not interleave within a line.
 *
 * File descriptor 2 carries the agent's own messages only.  Libraries we
 * load may print to the C library's stderr by themselves: Debian's librnp
 * 0.16 is built without NDEBUG, so its internal RNP_LOG prints lines such
 * as "[signature_validate() ...] wrong lbits" for every failed check,
 * whatever RNP_LOG_CONSOLE says, and its one log control,
 * rnp_ffi_set_log_fd(), covers only its FFI layer.  So at start-up the
 * agent keeps fd 2 for itself (ga_logsink_stderr()) and turns the C
 * library's stderr into a stream whose lines become debug records
 * ("library output"): hidden by default, there when debugging.
 */
#include "logsink.h"

#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "ga/buf.h"
#include "ga/json.h"

#define LOG_LINE_MAX ((size_t)64 << 10)
#define LIB_LINE_MAX 1024

static ga_logsink_format sink_format;
static ga_log_level sink_max = GA_LOG_INFO;
static FILE *own_stderr; /* fd 2, once claimed */
/* The line a library is writing to stderr; guarded by that FILE's lock,
 * which stdio holds around each call into library_write(). */
static char lib_line[LIB_LINE_MAX];
static size_t lib_len;

FILE *ga_logsink_stderr(void)
{
	return own_stderr ? own_stderr : stderr;
}

static void library_line(void)
{
	ga_log_field f = {"text", lib_line};

	lib_line[lib_len] = '\0';
	lib_len = 0;
	GA_LOG(GA_LOG_DEBUG, &f, 1, "library output");
}

static ssize_t library_write(void *cookie, const char *buf, size_t size)
{
	(void)cookie;
	for (size_t i = 0; i < size; i++) {
		if (buf[i] == '\n') {
			library_line();
			continue;
		}
		if (lib_len == sizeof(lib_line) - 1)
			library_line();
		lib_line[lib_len++] = buf[i];
	}
	return (ssize_t)size;
}

int ga_logsink_claim_stderr(void)
{
	cookie_io_functions_t io = {NULL, library_write, NULL, NULL};
	FILE *own = NULL, *lib = NULL;
	int fd = dup(2);

	if (fd < 0 || !(own = fdopen(fd, "w")) ||
	    !(lib = fopencookie(NULL, "w", io))) {
		if (own)
			(void)fclose(own);
		else if (fd >= 0)
			(void)close(fd);
		return -1;
	}
	/* Unbuffered, as stderr is: messages appear when written. */
	(void)setvbuf(own, NULL, _IONBF, 0);
	(void)setvbuf(lib, NULL, _IOLBF, LIB_LINE_MAX);
	own_stderr = own;
	stderr = lib;
	return 0;
}

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
		(void)fwrite(line.ptr, 1, line.size, ga_logsink_stderr());
	ga_buf_dispose(&line);
}

const char *ga_logsink_format_name(void)
{
	return sink_format == GA_LOGSINK_JSON ? "json" : "text";
}

ga_log_level ga_logsink_level(void)
{
	return sink_max;
}

void ga_logsink_install(ga_logsink_format fmt, ga_log_level max)
{
	sink_format = fmt;
	sink_max = max;
	ga_log_set(sink, max, NULL);
}
