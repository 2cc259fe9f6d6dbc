/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The watch stream's consumer: events split across reads at every byte,
 * the resourceVersion to resume from (bookmarks included), a handler
 * that stops, and the errors that end a watch: an ERROR event (410
 * Expired), an unknown type, a line over the cap.
 */
#include <stdio.h>
#include <string.h>

#include "ga/error.h"
#include "harness.h"
#include "kube/kube_int.h"

struct seen {
	char log[512];
	unsigned stop_after; /* 0: never */
	unsigned n;
};

static int on_event(void *payload, ga_kube_event_type type, const ga_node *obj)
{
	static const char *const names[] = {"A", "M", "D", "B"};
	struct seen *s = payload;
	const ga_node *name =
	    ga_node_map_get(ga_node_map_get(obj, "metadata"), "name");
	size_t len = strlen(s->log);

	snprintf(s->log + len, sizeof(s->log) - len, "%s:%s ", names[type],
	         name ? ga_node_str(name) : "-");
	return s->stop_after && ++s->n >= s->stop_after;
}

#define EV(type, name, rv)                                                     \
	"{\"type\":\"" type "\",\"object\":{\"metadata\":{\"name\":\"" name    \
	"\",\"resourceVersion\":\"" rv "\"}}}\n"
#define BOOKMARK(rv)                                                           \
	"{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"ConfigMap\","           \
	"\"metadata\":{\"resourceVersion\":\"" rv "\"}}}\n"

/* Feed @text in pieces of @step bytes; the consumer's last answer. */
static int feed(ga_kube__watch *w, const char *text, size_t step)
{
	size_t len = strlen(text);
	int rc = 0;

	for (size_t at = 0; at < len && rc == 0; at += step)
		rc = ga_kube__watch_data(w, text + at,
		                         len - at < step ? len - at : step);
	return rc;
}

static void test_events_any_split(void)
{
	const char *stream = EV("ADDED", "a", "10") EV("MODIFIED", "a", "11")
	    BOOKMARK("15") EV("DELETED", "a", "16") BOOKMARK("20");

	for (size_t step = 1; step <= strlen(stream); step += 7) {
		struct seen s = {"", 0, 0};
		char rv[GA_KUBE_RV_MAX] = "";
		ga_kube__watch w;

		ga_kube__watch_init(&w, on_event, &s, "v1 ConfigMap", rv);
		CHECK_EQ_INT(feed(&w, stream, step), 0);
		CHECK_EQ_INT(w.err, 0);
		CHECK_EQ_STR(s.log, "A:a M:a B:- D:a B:- ");
		CHECK_EQ_STR(rv, "20");
		ga_buf_dispose(&w.line);
	}
}

static void test_handler_stops(void)
{
	struct seen s = {"", 2, 0};
	char rv[GA_KUBE_RV_MAX] = "";
	ga_kube__watch w;

	ga_kube__watch_init(&w, on_event, &s, "v1 ConfigMap", rv);
	CHECK(feed(&w,
	           EV("ADDED", "a", "1") EV("ADDED", "b", "2")
	               EV("ADDED", "c", "3"),
	           1000) != 0);
	CHECK_EQ_INT(w.err, 0);
	CHECK_EQ_STR(s.log, "A:a A:b ");
	CHECK_EQ_STR(rv, "2");
	ga_buf_dispose(&w.line);
}

/* @stream ends the watch with @code and a message holding @part. */
static void ends_with(const char *stream, int code, const char *part)
{
	struct seen s = {"", 0, 0};
	char rv[GA_KUBE_RV_MAX] = "";
	ga_kube__watch w;

	ga_kube__watch_init(&w, on_event, &s, "v1 ConfigMap ns/", rv);
	CHECK(feed(&w, stream, 3) != 0);
	CHECK_EQ_INT(w.err, code);
	if (!strstr(ga_error_last()->message, part)) {
		th_fail(__FILE__, __LINE__, part);
		th_diag("message", ga_error_last()->message);
	}
	ga_buf_dispose(&w.line);
}

static void test_errors(void)
{
	ends_with("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\","
	          "\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
	          "\"too old resource version: 5 (1000)\",\"reason\":"
	          "\"Expired\",\"code\":410}}\n",
	          GA_ECONFLICT,
	          "v1 ConfigMap ns/: Expired: too old resource version");
	ends_with("{\"type\":\"RENAMED\",\"object\":{}}\n", GA_EINVALID,
	          "unknown type RENAMED");
	ends_with("{\"type\":\"ADDED\"}\n", GA_EINVALID,
	          "without a type and an object");
	ends_with("{\"type\":\"ADDED\",\"object\":[1]}\n", GA_EINVALID,
	          "without a type and an object");
	ends_with("{\"type\":\n", GA_EINVALID, "watch event");
}

static void test_line_cap(void)
{
	struct seen s = {"", 0, 0};
	char rv[GA_KUBE_RV_MAX] = "", chunk[65536];
	ga_kube__watch w;
	int rc = 0;

	memset(chunk, 'x', sizeof(chunk));
	ga_kube__watch_init(&w, on_event, &s, "v1 ConfigMap", rv);
	for (int i = 0; i < 200 && rc == 0; i++)
		rc = ga_kube__watch_data(&w, chunk, sizeof(chunk));
	CHECK(rc != 0);
	CHECK_EQ_INT(w.err, GA_ELIMIT);
	ga_buf_dispose(&w.line);
}

int main(void)
{
	RUN(test_events_any_split);
	RUN(test_handler_stops);
	RUN(test_errors);
	RUN(test_line_cap);
	return DONE();
}
