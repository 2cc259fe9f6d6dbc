/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kubesim's event history (events.c), the ring behind watch: events come
 * back in order after a position, the ring wraps and forgets its oldest
 * events, a position before what it holds is expired (the 410 of watch),
 * a waiting reader wakes when a change is recorded and ends when the ring
 * stops.  Also the watch query's checks (ks_watch_opts_parse), as
 * ValidateListOptions makes them for a watch.
 */
#include <pthread.h>
#include <string.h>

#include "ga/json.h"
#include "harness.h"
#include "kubesim.h"

static ga_node *object(const char *name, unsigned rv)
{
	char json[256];
	ga_node *obj = NULL;

	(void)snprintf(json, sizeof(json),
	               "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"ns\","
	               "\"resourceVersion\":\"%u\"}}",
	               name, rv);
	CHECK_OK(ga_json_parse(&obj, json, strlen(json), "object"));
	return obj;
}

static void record(ks_events *ev, ks_event_type type, unsigned rv)
{
	char name[16];
	ga_node *obj;

	(void)snprintf(name, sizeof(name), "o%u", rv);
	obj = object(name, rv);
	CHECK_OK(ks_events_record(ev, "/configmaps", type, obj, NULL));
	ga_node_free(obj);
}

/* What a reader saw: the resourceVersions and types, in order. */
struct seen {
	uint64_t rv[16];
	ks_event_type type[16];
	size_t n;
};

static int collect(void *payload, const ks_event *e)
{
	struct seen *s = payload;

	if (s->n < 16) {
		s->rv[s->n] = e->rv;
		s->type[s->n] = e->type;
	}
	s->n++;
	return 0;
}

static void test_order(void)
{
	ks_events *ev = NULL;
	struct seen s;
	uint64_t pos = 100, oldest = 0;

	memset(&s, 0, sizeof(s));
	CHECK_OK(ks_events_new(&ev, 8, 100));
	record(ev, KS_EV_ADDED, 101);
	record(ev, KS_EV_MODIFIED, 102);
	record(ev, KS_EV_DELETED, 103);
	CHECK_EQ_INT(ks_events_latest(ev), 103);
	CHECK_EQ_INT(ks_events_read(ev, &pos, 0, collect, &s, &oldest),
	             KS_EVENTS_OK);
	CHECK_EQ_INT(s.n, 3);
	CHECK_EQ_INT(s.rv[0], 101);
	CHECK_EQ_INT(s.type[1], KS_EV_MODIFIED);
	CHECK_EQ_INT(s.type[2], KS_EV_DELETED);
	CHECK_EQ_INT(pos, 103);
	/* From the middle: only what came after. */
	memset(&s, 0, sizeof(s));
	pos = 102;
	CHECK_EQ_INT(ks_events_read(ev, &pos, 0, collect, &s, &oldest),
	             KS_EVENTS_OK);
	CHECK_EQ_INT(s.n, 1);
	CHECK_EQ_INT(s.rv[0], 103);
	/* Nothing new: the wait times out with nothing delivered. */
	memset(&s, 0, sizeof(s));
	CHECK_EQ_INT(ks_events_read(ev, &pos, 20, collect, &s, &oldest),
	             KS_EVENTS_OK);
	CHECK_EQ_INT(s.n, 0);
	CHECK_EQ_INT(pos, 103);
	ks_events_free(ev);
}

static void test_wrap_and_expire(void)
{
	ks_events *ev = NULL;
	struct seen s;
	uint64_t pos, oldest = 0;
	unsigned rv;

	memset(&s, 0, sizeof(s));
	CHECK_OK(ks_events_new(&ev, 4, 100));
	CHECK_EQ_INT(ks_events_check(ev, 100, &oldest), KS_EVENTS_OK);
	CHECK_EQ_INT(ks_events_check(ev, 99, &oldest), KS_EVENTS_EXPIRED);
	CHECK_EQ_INT(oldest, 100);
	for (rv = 101; rv <= 110; rv++)
		record(ev, KS_EV_ADDED, rv);
	/* Four held (107..110): 106 and later are answerable. */
	CHECK_EQ_INT(ks_events_check(ev, 106, &oldest), KS_EVENTS_OK);
	CHECK_EQ_INT(ks_events_check(ev, 105, &oldest), KS_EVENTS_EXPIRED);
	CHECK_EQ_INT(oldest, 106);
	pos = 105;
	CHECK_EQ_INT(ks_events_read(ev, &pos, 0, collect, &s, &oldest),
	             KS_EVENTS_EXPIRED);
	CHECK_EQ_INT(s.n, 0);
	pos = 106;
	CHECK_EQ_INT(ks_events_read(ev, &pos, 0, collect, &s, &oldest),
	             KS_EVENTS_OK);
	CHECK_EQ_INT(s.n, 4);
	CHECK_EQ_INT(s.rv[0], 107);
	CHECK_EQ_INT(s.rv[3], 110);
	/* A reader left behind by further changes expires too. */
	for (rv = 111; rv <= 116; rv++)
		record(ev, KS_EV_MODIFIED, rv);
	CHECK_EQ_INT(ks_events_read(ev, &pos, 0, collect, &s, &oldest),
	             KS_EVENTS_EXPIRED);
	CHECK_EQ_INT(oldest, 112);
	ks_events_free(ev);
}

static void test_record_needs_rv(void)
{
	ks_events *ev = NULL;
	ga_node *obj = NULL;

	CHECK_OK(ks_events_new(&ev, 2, 1));
	CHECK_OK(ga_json_parse(&obj, "{\"metadata\":{}}", 15, "object"));
	CHECK_EQ_INT(ks_events_record(ev, "/x", KS_EV_ADDED, obj, NULL),
	             GA_EINVALID);
	ga_error_clear();
	ga_node_free(obj);
	ks_events_free(ev);
}

static void *later(void *arg)
{
	ks_events *ev = arg;
	struct timespec ts = {0, 50 * 1000000L};

	(void)nanosleep(&ts, NULL);
	record(ev, KS_EV_ADDED, 11);
	return NULL;
}

/* A waiting reader wakes on a change, and ends for good on stop. */
static void test_wake_and_stop(void)
{
	ks_events *ev = NULL;
	pthread_t t;
	struct seen s;
	uint64_t pos = 10, oldest = 0;

	memset(&s, 0, sizeof(s));
	CHECK_OK(ks_events_new(&ev, 4, 10));
	CHECK_EQ_INT(pthread_create(&t, NULL, later, ev), 0);
	CHECK_EQ_INT(ks_events_read(ev, &pos, 5000, collect, &s, &oldest),
	             KS_EVENTS_OK);
	(void)pthread_join(t, NULL);
	CHECK_EQ_INT(s.n, 1);
	CHECK_EQ_INT(pos, 11);
	ks_events_stop(ev);
	CHECK_EQ_INT(ks_events_read(ev, &pos, 5000, collect, &s, &oldest),
	             KS_EVENTS_STOPPED);
	ks_events_free(ev);
}

static void test_watch_opts(void)
{
	ks_watch_opts o;
	ks_status st;

	CHECK_OK(ks_watch_opts_parse(&o, NULL, NULL, NULL, NULL, NULL, &st));
	CHECK(o.initial && !o.bookmarks && o.rv == 0);
	CHECK_EQ_INT(o.timeout_s, 1800);
	CHECK_OK(ks_watch_opts_parse(&o, "0", NULL, NULL, "true", "0", &st));
	CHECK(o.initial && o.bookmarks);
	CHECK_EQ_INT(o.timeout_s, 1800);
	CHECK_OK(ks_watch_opts_parse(&o, "1234", NULL, NULL, "1", "5", &st));
	CHECK(!o.initial && o.rv == 1234 && o.timeout_s == 5);
	CHECK_OK(ks_watch_opts_parse(&o, "", "NotOlderThan", "true", "true",
	                             NULL, &st));
	CHECK(o.initial && o.initial_end);
	CHECK_OK(ks_watch_opts_parse(&o, "", "NotOlderThan", "false", "true",
	                             NULL, &st));
	CHECK(!o.initial && !o.initial_end);
	CHECK_ERR(ks_watch_opts_parse(&o, "x1", NULL, NULL, NULL, NULL, &st),
	          GA_EINVALID);
	CHECK_EQ_INT(st.code, 400);
	CHECK_ERR(ks_watch_opts_parse(&o, NULL, NULL, NULL, NULL, "-1", &st),
	          GA_EINVALID);
	CHECK_EQ_INT(st.code, 400);
	CHECK_ERR(ks_watch_opts_parse(&o, "18446744073709551616", NULL, NULL,
	                              NULL, NULL, &st),
	          GA_EINVALID);
	CHECK_ERR(ks_watch_opts_parse(&o, NULL, "Exact", NULL, NULL, NULL, &st),
	          GA_EINVALID);
	CHECK_EQ_INT(st.code, 422);
	CHECK_EQ_STR(st.field, "resourceVersionMatch");
	CHECK_ERR(
	    ks_watch_opts_parse(&o, NULL, "Exact", "true", "true", NULL, &st),
	    GA_EINVALID);
	CHECK_EQ_STR(st.message,
	             "ListOptions.meta.k8s.io \"\" is invalid: "
	             "resourceVersionMatch: Forbidden: sendInitialEvents "
	             "requires setting resourceVersionMatch to NotOlderThan");
	CHECK_ERR(ks_watch_opts_parse(&o, NULL, "NotOlderThan", "true", NULL,
	                              NULL, &st),
	          GA_EINVALID);
	CHECK_EQ_STR(st.field, "allowWatchBookmarks");
}

int main(void)
{
	RUN(test_order);
	RUN(test_wrap_and_expire);
	RUN(test_record_needs_rv);
	RUN(test_wake_and_stop);
	RUN(test_watch_opts);
	return DONE();
}
