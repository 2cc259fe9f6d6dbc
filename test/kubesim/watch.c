/* SPDX-License-Identifier: Apache-2.0 */
/*
 * WATCH (API concepts, "Efficient detection of changes"; the watch cache
 * of kube-apiserver): GET on a collection with watch=true answers 200 and
 * a chunked stream of newline-delimited watch events,
 * {"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":...}.
 * resourceVersion "" or "0" starts with a synthetic ADDED per current
 * object, N with the changes after N; N older than the event history gets
 * one ERROR event carrying 410 Expired, N newer than the store 504
 * "Too large resource version".  Label and field selectors apply
 * to the object before and after a change, so an object leaving the
 * selection is DELETED for this watcher and one entering it ADDED.
 * allowWatchBookmarks=true adds BOOKMARK events (kind, apiVersion and
 * metadata.resourceVersion only) every minute, two seconds before the
 * timeout as the cacher does, and at the end; sendInitialEvents=true
 * ends its initial events with a bookmark annotated
 * k8s.io/initial-events-end.  The stream ends after timeoutSeconds
 * (default 1800, the server's --min-request-timeout), when the client
 * goes or when the server stops; it reads the event history (events.c)
 * without ks_server.lock.
 */
#include "kubesim.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/json.h"
#include "ga/time.h"

#define DEFAULT_TIMEOUT_S 1800
#define BOOKMARK_EVERY_MS 60000
#define PRE_TIMEOUT_MS 2000

struct watcher {
	ks_events *events;
	ks_resource res; /* a copy; its strings are the buffers below */
	char group[256], version[64], kind[128], plural[128];
	char reskey[400]; /* "<group>/<plural>", as events name it */
	char ns[256];     /* "" for every namespace */
	ks_selector *sel;
	ks_watch_opts o;
	uint64_t pos;       /* the last resourceVersion delivered */
	uint64_t deadline;  /* ga_now_ms() when the stream ends */
	uint64_t next_mark; /* when the next periodic bookmark is due */
	bool pre_timeout;   /* the bookmark before the timeout is sent */
	bool defs_sent;     /* a Table already went with its columns */
	ga_buf initial;     /* the initial events, not yet handed out */
	ga_buf *out;        /* during a read: where events go */
};

static bool truthy(const char *v)
{
	return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

static int invalid_list_options(ks_status *st, const char *field,
                                const char *msg)
{
	ks_status_set(st, 422, "Invalid",
	              "ListOptions.meta.k8s.io \"\" is invalid: %s: "
	              "Forbidden: %s",
	              field, msg);
	st->has_details = true;
	st->group = "meta.k8s.io";
	st->kind = "ListOptions";
	(void)snprintf(st->field, sizeof(st->field), "%s", field);
	st->cause = "FieldValueForbidden";
	(void)snprintf(st->cause_msg, sizeof(st->cause_msg), "Forbidden: %s",
	               msg);
	return GA_EINVALID;
}

static int parse_uint(const char *s, uint64_t *out)
{
	char *end = NULL;

	if (!s || !s[0] || s[0] == '-' || s[0] == '+' || s[0] == ' ')
		return GA_EINVALID;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return *end || errno ? GA_EINVALID : 0;
}

int ks_watch_opts_parse(ks_watch_opts *o, const char *rv, const char *match,
                        const char *initial, const char *bookmarks,
                        const char *timeout, ks_status *st)
{
	memset(o, 0, sizeof(*o));
	o->bookmarks = truthy(bookmarks);
	o->timeout_s = DEFAULT_TIMEOUT_S;
	if (timeout && timeout[0] && strcmp(timeout, "0") != 0 &&
	    (parse_uint(timeout, &o->timeout_s) < 0 ||
	     o->timeout_s > (uint64_t)86400 * 365)) {
		ks_status_set(st, 400, "BadRequest",
		              "invalid timeoutSeconds: \"%.40s\"", timeout);
		return GA_EINVALID;
	}
	if (rv && rv[0] && parse_uint(rv, &o->rv) < 0) {
		ks_status_set(st, 400, "BadRequest",
		              "invalid resource version: \"%.40s\"", rv);
		return GA_EINVALID;
	}
	if (!initial && match && match[0])
		return invalid_list_options(
		    st, "resourceVersionMatch",
		    "resourceVersionMatch is forbidden for watch unless "
		    "sendInitialEvents is provided");
	if (initial) {
		if (!match || strcmp(match, "NotOlderThan") != 0)
			return invalid_list_options(
			    st, "resourceVersionMatch",
			    "sendInitialEvents requires setting "
			    "resourceVersionMatch to NotOlderThan");
		if (!o->bookmarks)
			return invalid_list_options(
			    st, "allowWatchBookmarks",
			    "sendInitialEvents requires setting "
			    "allowWatchBookmarks to true");
		o->initial = truthy(initial);
		o->initial_end = o->initial;
		return 0;
	}
	/* Without sendInitialEvents, "" and "0" mean "the state, then
	 * changes" (the legacy semantics); N means "changes after N". */
	o->initial = o->rv == 0;
	return 0;
}

static void watcher_free(void *payload)
{
	struct watcher *w = payload;

	ks_selector_free(w->sel);
	ga_buf_dispose(&w->initial);
	ga_free(w);
}

static bool copy_str(char *dst, size_t cap, const char *src)
{
	return (size_t)snprintf(dst, cap, "%s", src) < cap;
}

static int watcher_new(struct watcher **out, ks_req *r)
{
	struct watcher *w = ga_calloc(1, sizeof(*w));

	if (!w)
		return GA_ENOMEM;
	w->initial = (ga_buf)GA_BUF_INIT((size_t)15 << 20);
	w->events = ks_store_events(r->ks->store);
	w->res = *r->res;
	if (!copy_str(w->group, sizeof(w->group), r->res->group) ||
	    !copy_str(w->version, sizeof(w->version), r->res->version) ||
	    !copy_str(w->kind, sizeof(w->kind), r->res->kind) ||
	    !copy_str(w->plural, sizeof(w->plural), r->res->plural)) {
		watcher_free(w);
		ga_error_set(GA_ERRCLASS_INVALID, "resource names too long");
		return GA_EINVALID;
	}
	w->res.group = w->group;
	w->res.version = w->version;
	w->res.kind = w->kind;
	w->res.plural = w->plural;
	w->res.singular = w->res.short_names = w->res.crd = "";
	w->res.owned = NULL;
	(void)snprintf(w->reskey, sizeof(w->reskey), "%s/%s", w->group,
	               w->plural);
	(void)snprintf(w->ns, sizeof(w->ns), "%s", r->ns);
	*out = w;
	return 0;
}

static bool str_is(const char *a, const char *b)
{
	return strcmp(a ? a : "", b) == 0;
}

/* Whether @obj is in this watch's namespace and selectors. */
static bool selected(const struct watcher *w, const ga_node *obj)
{
	if (!obj)
		return false;
	if (w->ns[0] && !str_is(ks_meta_str(obj, "namespace"), w->ns))
		return false;
	return ks_selector_match(w->sel, obj);
}

static const char *const type_names[] = {"ADDED", "MODIFIED", "DELETED"};

static int put_event(struct watcher *w, ga_buf *b, const char *type,
                     const ga_node *obj)
{
	(void)ga_buf_printf(b, "{\"type\":\"%s\",\"object\":", type);
	if (w->o.table) {
		(void)ks_table_event(b, &w->res, obj, w->o.whole,
		                     !w->defs_sent);
		w->defs_sent = true;
	} else {
		(void)ga_json_emit(b, obj, GA_JSON_COMPACT);
	}
	(void)ga_buf_puts(b, "}\n");
	return b->err;
}

static void put_bookmark(struct watcher *w, ga_buf *b, bool initial_end)
{
	(void)ga_buf_printf(b,
	                    "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":"
	                    "\"%s\",\"apiVersion\":\"%s%s%s\",\"metadata\":{"
	                    "\"resourceVersion\":\"%" PRIu64 "\"%s}}}\n",
	                    w->kind, w->group, w->group[0] ? "/" : "",
	                    w->version, w->pos,
	                    initial_end ? ",\"annotations\":{\"k8s.io/"
	                                  "initial-events-end\":\"true\"}"
	                                : "");
}

static void put_expired(ga_buf *b, uint64_t rv, uint64_t oldest)
{
	(void)ga_buf_printf(b,
	                    "{\"type\":\"ERROR\",\"object\":{\"kind\":"
	                    "\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
	                    "\"status\":\"Failure\",\"message\":\"too old "
	                    "resource version: %" PRIu64 " (%" PRIu64
	                    ")\",\"reason\":\"Expired\",\"code\":410}}\n",
	                    rv, oldest);
}

/* DELETED for an object that left the selection: its last selected
 * state at the resourceVersion of the change, as the cacher sends it. */
static int put_left(struct watcher *w, const ks_event *e)
{
	ga_node *gone = NULL;
	char rv[24];
	int err;

	(void)snprintf(rv, sizeof(rv), "%" PRIu64, e->rv);
	if ((err = ga_node_clone(&gone, e->old)) < 0 ||
	    (err = ks_meta_set_str(gone, "resourceVersion", rv)) < 0 ||
	    (err = put_event(w, w->out, "DELETED", gone)) < 0) {
		ga_node_free(gone);
		return err;
	}
	ga_node_free(gone);
	return 0;
}

static int on_event(void *payload, const ks_event *e)
{
	struct watcher *w = payload;
	bool now, was;

	if (strcmp(e->res, w->reskey) != 0)
		return 0;
	now = selected(w, e->obj);
	was = e->type == KS_EV_MODIFIED && e->old ? selected(w, e->old) : now;
	if (e->type == KS_EV_MODIFIED && now && !was)
		return put_event(w, w->out, "ADDED", e->obj);
	if (e->type == KS_EV_MODIFIED && !now && was)
		return put_left(w, e);
	if (!now)
		return 0;
	return put_event(w, w->out, type_names[e->type], e->obj);
}

/* The stream's reader: initial events, then changes, then the end. */
static int watch_read(void *payload, ga_buf *out, unsigned wait_ms)
{
	struct watcher *w = payload;
	uint64_t now = ga_now_ms(), oldest = 0, until;
	int rc;

	if (w->initial.size || w->o.initial_end) {
		(void)ga_buf_put(out, w->initial.ptr, w->initial.size);
		ga_buf_dispose(&w->initial);
		if (w->o.initial_end)
			put_bookmark(w, out, true);
		w->o.initial_end = false;
		return GA_HTTPD_STREAM_MORE;
	}
	if (now >= w->deadline) {
		if (w->o.bookmarks)
			put_bookmark(w, out, false);
		return GA_HTTPD_STREAM_DONE;
	}
	until = w->deadline < w->next_mark ? w->deadline : w->next_mark;
	if (until < now)
		until = now;
	if (until - now < wait_ms)
		wait_ms = (unsigned)(until - now);
	w->out = out;
	rc = ks_events_read(w->events, &w->pos, wait_ms, on_event, w, &oldest);
	w->out = NULL;
	if (rc == KS_EVENTS_EXPIRED) {
		put_expired(out, w->pos, oldest);
		return GA_HTTPD_STREAM_DONE;
	}
	if (rc != KS_EVENTS_OK)
		return rc < 0 ? rc : GA_HTTPD_STREAM_DONE;
	now = ga_now_ms();
	if (w->o.bookmarks && now >= w->next_mark && now < w->deadline) {
		put_bookmark(w, out, false);
		w->next_mark += BOOKMARK_EVERY_MS;
		if (!w->pre_timeout && w->deadline > PRE_TIMEOUT_MS &&
		    w->next_mark > w->deadline - PRE_TIMEOUT_MS) {
			w->next_mark = w->deadline - PRE_TIMEOUT_MS;
			w->pre_timeout = true;
		}
	}
	return GA_HTTPD_STREAM_MORE;
}

/* The ADDED events of the objects there now; under ks_server.lock. */
static int initial_events(struct watcher *w, ks_req *r)
{
	const ga_node **objs = NULL;
	size_t i, n = 0;
	int err;

	if ((err = ks_store_list(r->ks->store, r->res, r->ns, &objs, &n)) < 0)
		return err;
	for (i = 0; i < n && err == 0; i++)
		if (selected(w, objs[i]))
			err = put_event(w, &w->initial, "ADDED", objs[i]);
	ga_free(objs);
	return err;
}

static void schedule(struct watcher *w)
{
	uint64_t now = ga_now_ms(), span = w->o.timeout_s * 1000;

	w->deadline = now + span;
	w->next_mark = now + BOOKMARK_EVERY_MS;
	if (span > PRE_TIMEOUT_MS &&
	    w->next_mark > w->deadline - PRE_TIMEOUT_MS) {
		w->next_mark = w->deadline - PRE_TIMEOUT_MS;
		w->pre_timeout = true;
	}
	/* A short watch gets its one bookmark at the end. */
	if (w->next_mark > w->deadline)
		w->next_mark = UINT64_MAX;
}

static int parse_request(ks_req *r, ks_watch_opts *o, ks_selector **sel,
                         ks_status *st)
{
	const ga_httpd_request *h = r->http;
	const char *inc = ga_httpd_request_query(h, "includeObject");
	int err;

	if ((err = ks_watch_opts_parse(
	         o, ga_httpd_request_query(h, "resourceVersion"),
	         ga_httpd_request_query(h, "resourceVersionMatch"),
	         ga_httpd_request_query(h, "sendInitialEvents"),
	         ga_httpd_request_query(h, "allowWatchBookmarks"),
	         ga_httpd_request_query(h, "timeoutSeconds"), st)) < 0)
		return err;
	o->table = ks_table_wanted(r);
	o->whole = inc && strcmp(inc, "Object") == 0;
	return ks_selector_parse(
	    sel, ga_httpd_request_query(h, "labelSelector"),
	    ga_httpd_request_query(h, "fieldSelector"), st);
}

/*
 * A resourceVersion the store has not reached: the watch cache waits
 * three seconds for it, then answers 504 with this Status.  kubesim's
 * store is always current, so it answers at once.
 */
static int too_large(ks_req *r, uint64_t rv)
{
	ga_buf *b = ga_httpd_response_body(r->resp);

	ga_buf_clear(b);
	(void)ga_buf_printf(
	    b,
	    "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
	    "\"metadata\":{},\"status\":\"Failure\","
	    "\"message\":\"Too large resource version: %" PRIu64
	    ", current: %" PRIu64 "\",\"reason\":\"Timeout\","
	    "\"details\":{\"causes\":[{\"reason\":"
	    "\"ResourceVersionTooLarge\",\"message\":\"Too "
	    "large resource version\"}],\"retryAfterSeconds\":1},"
	    "\"code\":504}\n",
	    rv, ks_store_rv(r->ks->store));
	if (b->err)
		return b->err;
	ga_httpd_response_set_status(r->resp, 504);
	return ga_httpd_response_add_header(r->resp, "Content-Type",
	                                    "application/json");
}

int ks_watch(ks_req *r)
{
	struct watcher *w = NULL;
	ks_watch_opts o;
	ks_selector *sel = NULL;
	ks_status st;
	uint64_t oldest = 0;
	bool expired;
	int err;

	if (parse_request(r, &o, &sel, &st) < 0)
		return ks_reply_status(r, &st);
	if (o.rv > ks_store_rv(r->ks->store)) {
		ks_selector_free(sel);
		return too_large(r, o.rv);
	}
	if ((err = watcher_new(&w, r)) < 0) {
		ks_selector_free(sel);
		return err;
	}
	w->sel = sel;
	w->o = o;
	w->pos = o.rv;
	expired = !o.initial && o.rv &&
	          ks_events_check(w->events, o.rv, &oldest) != KS_EVENTS_OK;
	if (expired) {
		put_expired(&w->initial, o.rv, oldest);
		w->o.timeout_s = 0;
		w->o.bookmarks = false;
	} else if (o.initial || !o.rv) {
		w->pos = ks_store_rv(r->ks->store);
		if (o.initial && (err = initial_events(w, r)) < 0)
			goto fail;
	}
	schedule(w);
	ga_httpd_response_set_status(r->resp, 200);
	if ((err = ga_httpd_response_add_header(
	         r->resp, "Content-Type",
	         o.table ? "application/json;as=Table;v=v1;g=meta.k8s.io"
	                 : "application/json")) < 0)
		goto fail;
	ga_httpd_response_stream(r->resp, watch_read, watcher_free, w);
	return 0;
fail:
	watcher_free(w);
	return err;
}
