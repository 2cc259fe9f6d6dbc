/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The event history behind watch (API concepts, "Efficient detection of
 * changes"): kube-apiserver keeps a bounded window of recent changes per
 * resource in its watch cache and answers a watch from a resourceVersion
 * older than that window with 410 Gone, reason Expired, "too old resource
 * version: X (Y)".  Here one ring serves every resource; it is ordered by
 * resourceVersion because writers hold ks_server.lock while recording.
 * The ring has a mutex and a condition variable of its own (on the
 * monotonic clock), so watch streams block here and not on the server.
 */
#include "events.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ga/alloc.h"
#include "ga/error.h"

struct ks_events {
	pthread_mutex_t mu;
	pthread_cond_t cond; /* broadcast on every record and on stop */
	ks_event *ring;
	size_t cap, head, count; /* head: the oldest event's slot */
	uint64_t floor;          /* every change at or below it is forgotten */
	uint64_t latest;         /* the newest recorded resourceVersion */
	bool stopped;
};

int ks_events_new(ks_events **out, size_t cap, uint64_t rv)
{
	ks_events *ev = ga_calloc(1, sizeof(*ev));
	pthread_condattr_t attr;

	if (!ev || !(ev->ring = ga_calloc(cap ? cap : 1, sizeof(*ev->ring)))) {
		ga_free(ev);
		return GA_ENOMEM;
	}
	ev->cap = cap ? cap : 1;
	ev->floor = rv;
	ev->latest = rv;
	(void)pthread_mutex_init(&ev->mu, NULL);
	(void)pthread_condattr_init(&attr);
	(void)pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	(void)pthread_cond_init(&ev->cond, &attr);
	(void)pthread_condattr_destroy(&attr);
	*out = ev;
	return 0;
}

static void event_dispose(ks_event *e)
{
	ga_node_free(e->obj);
	ga_node_free(e->old);
	memset(e, 0, sizeof(*e));
}

void ks_events_free(ks_events *ev)
{
	size_t i;

	if (!ev)
		return;
	for (i = 0; i < ev->count; i++)
		event_dispose(&ev->ring[(ev->head + i) % ev->cap]);
	ga_free(ev->ring);
	(void)pthread_cond_destroy(&ev->cond);
	(void)pthread_mutex_destroy(&ev->mu);
	ga_free(ev);
}

static uint64_t object_rv(const ga_node *obj)
{
	const ga_node *meta = obj ? ga_node_map_get(obj, "metadata") : NULL;
	const ga_node *rv =
	    meta ? ga_node_map_get(meta, "resourceVersion") : NULL;
	const char *s = rv ? ga_node_str(rv) : NULL;
	char *end = NULL;
	unsigned long long v;

	if (!s || !s[0])
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	return *end || errno ? 0 : (uint64_t)v;
}

int ks_events_record(ks_events *ev, const char *res, ks_event_type type,
                     const ga_node *obj, const ga_node *old)
{
	ks_event e;
	ks_event *slot;

	memset(&e, 0, sizeof(e));
	if (!(e.rv = object_rv(obj))) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "event without a resourceVersion");
		return GA_EINVALID;
	}
	e.type = type;
	(void)snprintf(e.res, sizeof(e.res), "%s", res);
	if (ga_node_clone(&e.obj, obj) < 0 ||
	    (old && ga_node_clone(&e.old, old) < 0)) {
		event_dispose(&e);
		return GA_ENOMEM;
	}
	(void)pthread_mutex_lock(&ev->mu);
	if (ev->count == ev->cap) {
		/* The oldest change goes; watches from before it expire. */
		slot = &ev->ring[ev->head];
		ev->floor = slot->rv;
		event_dispose(slot);
		ev->head = (ev->head + 1) % ev->cap;
		ev->count--;
	}
	ev->ring[(ev->head + ev->count) % ev->cap] = e;
	ev->count++;
	if (e.rv > ev->latest)
		ev->latest = e.rv;
	(void)pthread_cond_broadcast(&ev->cond);
	(void)pthread_mutex_unlock(&ev->mu);
	return 0;
}

void ks_events_stop(ks_events *ev)
{
	(void)pthread_mutex_lock(&ev->mu);
	ev->stopped = true;
	(void)pthread_cond_broadcast(&ev->cond);
	(void)pthread_mutex_unlock(&ev->mu);
}

uint64_t ks_events_latest(ks_events *ev)
{
	uint64_t v;

	(void)pthread_mutex_lock(&ev->mu);
	v = ev->latest;
	(void)pthread_mutex_unlock(&ev->mu);
	return v;
}

int ks_events_check(ks_events *ev, uint64_t rv, uint64_t *oldest)
{
	int rc = KS_EVENTS_OK;

	(void)pthread_mutex_lock(&ev->mu);
	if (rv < ev->floor) {
		*oldest = ev->floor;
		rc = KS_EVENTS_EXPIRED;
	}
	(void)pthread_mutex_unlock(&ev->mu);
	return rc;
}

/* Whether an event after @pos is held; the mutex is held. */
static bool have_after(const ks_events *ev, uint64_t pos)
{
	return ev->count &&
	       ev->ring[(ev->head + ev->count - 1) % ev->cap].rv > pos;
}

static void deadline_after(struct timespec *ts, unsigned ms)
{
	(void)clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += (time_t)(ms / 1000);
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

int ks_events_read(ks_events *ev, uint64_t *pos, unsigned wait_ms,
                   ks_event_fn fn, void *payload, uint64_t *oldest)
{
	struct timespec until;
	size_t i;
	int rc = KS_EVENTS_OK;

	deadline_after(&until, wait_ms);
	(void)pthread_mutex_lock(&ev->mu);
	while (!ev->stopped && *pos >= ev->floor && !have_after(ev, *pos))
		if (pthread_cond_timedwait(&ev->cond, &ev->mu, &until) ==
		    ETIMEDOUT)
			break;
	if (ev->stopped) {
		rc = KS_EVENTS_STOPPED;
		goto out;
	}
	if (*pos < ev->floor) {
		*oldest = ev->floor;
		rc = KS_EVENTS_EXPIRED;
		goto out;
	}
	for (i = 0; i < ev->count; i++) {
		const ks_event *e = &ev->ring[(ev->head + i) % ev->cap];
		if (e->rv <= *pos)
			continue;
		if ((rc = fn(payload, e)) < 0)
			goto out;
		*pos = e->rv;
	}
out:
	(void)pthread_mutex_unlock(&ev->mu);
	return rc;
}
