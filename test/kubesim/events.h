/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kubesim's event history, the part of kube-apiserver's watch cache that
 * watch needs: every change of the store (ADDED, MODIFIED, DELETED) with
 * its resourceVersion and the object before and after, in a bounded ring.
 * Writers record under ks_server.lock, so events arrive in
 * resourceVersion order; watch streams read under the ring's own mutex and
 * wait on its condition variable, never holding ks_server.lock.  A reader
 * whose position fell out of the ring gets KS_EVENTS_EXPIRED, the 410 of
 * the real server.  Thread-safe.
 */
#ifndef KS_EVENTS_H
#define KS_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ga/node.h"

typedef enum ks_event_type {
	KS_EV_ADDED,
	KS_EV_MODIFIED,
	KS_EV_DELETED,
} ks_event_type;

/* One change.  Borrowed by readers during their callback only. */
typedef struct ks_event {
	uint64_t rv;        /* the change's resourceVersion */
	ks_event_type type; /* what happened */
	char res[320];      /* "<group>/<plural>" of the object */
	ga_node *obj;       /* after the change; DELETED: the last state */
	ga_node *old;       /* before the change (MODIFIED only), or NULL */
} ks_event;

typedef struct ks_events ks_events;

/* What ks_events_read() reports besides errors. */
enum {
	KS_EVENTS_OK = 0,      /* zero or more events delivered */
	KS_EVENTS_STOPPED = 1, /* ks_events_stop() was called */
	KS_EVENTS_EXPIRED = 2, /* the position fell out of the history */
};

/* The ring in use by kubesim: enough for tests, small enough to wrap. */
#define KS_EVENTS_CAP 4096

/*
 * A history of @cap events that starts at resourceVersion @rv (a watch
 * from @rv or later is answerable).  Returns 0 or GA_ENOMEM.
 */
int ks_events_new(ks_events **out, size_t cap, uint64_t rv);
void ks_events_free(ks_events *ev);

/*
 * Record a change (@obj and @old are cloned; @old may be NULL).  The
 * resourceVersion is @obj's metadata.resourceVersion; callers record in
 * increasing order.  Wakes every waiting reader.  Returns 0, GA_EINVALID
 * (no resourceVersion) or GA_ENOMEM.
 */
int ks_events_record(ks_events *ev, const char *res, ks_event_type type,
                     const ga_node *obj, const ga_node *old);

/* Wake every reader for good: the server is stopping. */
void ks_events_stop(ks_events *ev);

/* The newest recorded resourceVersion (the start one before any). */
uint64_t ks_events_latest(ks_events *ev);

/*
 * Whether a watch may start after @rv: 0, or KS_EVENTS_EXPIRED with
 * *oldest the last resourceVersion no longer held.
 */
int ks_events_check(ks_events *ev, uint64_t rv, uint64_t *oldest);

/* Called for each event a reader gets; non-zero stops the delivery. */
typedef int (*ks_event_fn)(void *payload, const ks_event *e);

/*
 * Hand every event after *pos to @fn in order, advancing *pos, waiting up
 * to @wait_ms for the first one when there is none yet.  Returns
 * KS_EVENTS_OK, KS_EVENTS_STOPPED, KS_EVENTS_EXPIRED (with *oldest set)
 * or @fn's negative return.
 */
int ks_events_read(ks_events *ev, uint64_t *pos, unsigned wait_ms,
                   ks_event_fn fn, void *payload, uint64_t *oldest);

#endif
