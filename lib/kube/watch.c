/* SPDX-License-Identifier: Apache-2.0 */
/*
 * WATCH (ga/kube.h): one streamed request, its newline-delimited JSON
 * events handed to the caller one by one.  An event line is capped (the
 * largest object the API stores is far below it), an ERROR event ends
 * the watch with the error its Status names (410 Expired: the caller
 * lists again), and the last resourceVersion seen, bookmarks included,
 * is kept so that the caller can resume where the stream ended.
 */
#include <stdio.h>
#include <string.h>

#include "ga/error.h"
#include "ga/json.h"
#include "kube_int.h"

/* One event line at most: a stored object is at most ~1.5 MiB. */
#define MAX_EVENT ((size_t)8 << 20)
/* The server's own default for a watch without timeoutSeconds is
 * 30–60 min; ours is shorter so that a lost connection shows soon. */
#define DEFAULT_TIMEOUT_S 300
/* Time past the server's timeout before the client gives up. */
#define GRACE_MS 30000

static const struct {
	const char *name;
	ga_kube_event_type type;
} types[] = {
    {"ADDED", GA_KUBE_ADDED},
    {"MODIFIED", GA_KUBE_MODIFIED},
    {"DELETED", GA_KUBE_DELETED},
    {"BOOKMARK", GA_KUBE_BOOKMARK},
};

/* An ERROR event: the error its Status names. */
static int error_event(ga_kube__watch *w, const ga_node *status)
{
	ga_buf json = GA_BUF_INIT(MAX_EVENT);
	const ga_node *code = ga_node_map_get(status, "code");
	int err;

	if ((err = ga_json_emit(&json, status, 0)) < 0)
		goto out;
	err = ga_kube__status_error(code ? (long)ga_node_int(code) : 500,
	                            json.ptr, json.size, w->what);
out:
	ga_buf_dispose(&json);
	return err;
}

/* Remember the resourceVersion of @obj, the point to resume from. */
static void keep_rv(ga_kube__watch *w, const ga_node *obj)
{
	const ga_node *meta = ga_node_map_get(obj, "metadata");
	const ga_node *rv = meta && ga_node_type_of(meta) == GA_NODE_MAP
	                        ? ga_node_map_get(meta, "resourceVersion")
	                        : NULL;
	const char *s = rv ? ga_node_str(rv) : NULL;

	if (s && strlen(s) < GA_KUBE_RV_MAX)
		memcpy(w->rv, s, strlen(s) + 1);
}

/* One complete event line. */
static int event(ga_kube__watch *w, const char *text, size_t len)
{
	ga_node *ev = NULL;
	const ga_node *type, *obj;
	const char *name;
	int err;

	if ((err = ga_json_parse(&ev, text, len, w->what)) < 0) {
		ga_error_prefix("watch event");
		goto out;
	}
	type = ga_node_map_get(ev, "type");
	obj = ga_node_map_get(ev, "object");
	name = type ? ga_node_str(type) : NULL;
	err = GA_EINVALID;
	if (!name || !obj || ga_node_type_of(obj) != GA_NODE_MAP) {
		ga_error_set(GA_ERRCLASS_KUBE,
		             "%s: watch event without a type and an object",
		             w->what);
		goto out;
	}
	if (strcmp(name, "ERROR") == 0) {
		err = error_event(w, obj);
		goto out;
	}
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strcmp(name, types[i].name) != 0)
			continue;
		keep_rv(w, obj);
		err = w->fn(w->payload, types[i].type, obj) ? 1 : 0;
		goto out;
	}
	ga_error_set(GA_ERRCLASS_KUBE, "%s: watch event of unknown type %.32s",
	             w->what, name);
out:
	ga_node_free(ev);
	return err;
}

void ga_kube__watch_init(ga_kube__watch *w, ga_kube_watch_fn fn, void *payload,
                         const char *what, char rv[GA_KUBE_RV_MAX])
{
	*w = (ga_kube__watch){fn, payload, what, GA_BUF_INIT(MAX_EVENT), rv, 0};
}

int ga_kube__watch_data(void *p, const char *data, size_t len)
{
	ga_kube__watch *w = p;

	while (len) {
		const char *nl = memchr(data, '\n', len);
		size_t take = nl ? (size_t)(nl - data) : len;
		int rc;

		if (ga_buf_put(&w->line, data, take) < 0) {
			ga_error_set(GA_ERRCLASS_KUBE,
			             "%s: watch event over %zu bytes", w->what,
			             MAX_EVENT);
			w->err = GA_ELIMIT;
			return 1;
		}
		if (!nl)
			return 0;
		data += take + 1;
		len -= take + 1;
		rc = w->line.size ? event(w, w->line.ptr, w->line.size) : 0;
		ga_buf_clear(&w->line);
		if (rc < 0)
			w->err = rc;
		if (rc != 0)
			return 1;
	}
	return 0;
}

/* The watch URL's path and query. */
static int watch_path(ga_kube *k, ga_buf *path, const char *api_version,
                      const char *kind, const ga_kube_watch_opts *o,
                      unsigned timeout_s)
{
	int err;

	if ((err = ga_kube__object_path(k, path, api_version, kind, o->ns, NULL,
	                                true)) < 0)
		return err;
	ga_buf_printf(path,
	              "?watch=1&allowWatchBookmarks=true&timeoutSeconds=%u",
	              timeout_s);
	if (o->resource_version && o->resource_version[0])
		ga_kube__query(path, "resourceVersion", o->resource_version);
	if (o->selector && o->selector[0])
		ga_kube__query(path, "labelSelector", o->selector);
	if (o->field_selector && o->field_selector[0])
		ga_kube__query(path, "fieldSelector", o->field_selector);
	return path->err;
}

int ga_kube_watch(ga_kube *k, const char *api_version, const char *kind,
                  const ga_kube_watch_opts *o, ga_kube_watch_fn fn,
                  void *payload, char rv[GA_KUBE_RV_MAX])
{
	unsigned timeout_s = o->timeout_s ? o->timeout_s : DEFAULT_TIMEOUT_S;
	const char *from = o->resource_version ? o->resource_version : "";
	ga_buf path = GA_BUF_INIT(16384), url = GA_BUF_INIT(16384);
	ga_kube__watch w;
	ga_http_request req = {.method = "GET",
	                       .accept = "application/json",
	                       .timeout_ms =
	                           (uint64_t)timeout_s * 1000 + GRACE_MS};
	ga_http_response resp;
	char what[512];
	int err;

	ga_http_response_init(&resp);
	ga_kube__describe(what, sizeof(what), api_version, kind, o->ns, "");
	ga_kube__watch_init(&w, fn, payload, what, rv);
	if (strlen(from) >= GA_KUBE_RV_MAX) {
		ga_error_set(GA_ERRCLASS_KUBE,
		             "watch %s: resourceVersion over %d bytes", what,
		             GA_KUBE_RV_MAX - 1);
		err = GA_EINVALID;
		goto out;
	}
	if ((err = watch_path(k, &path, api_version, kind, o, timeout_s)) < 0)
		goto out;
	/* After the path: @rv may be where o->resource_version points. */
	memmove(rv, from, strlen(from) + 1);
	ga_buf_printf(&url, "%s%s", k->base, path.ptr);
	req.url = ga_buf_cstr(&url);
	if ((err = url.err) < 0 ||
	    (err = ga_http_stream(k->http, &req, ga_kube__watch_data, &w,
	                          &resp)) < 0) {
		ga_error_prefix("watch %s", what);
		goto out;
	}
	if (resp.status < 200 || resp.status > 299)
		err = ga_kube__status_error(resp.status, resp.body.ptr,
		                            resp.body.size, what);
	else
		err = w.err;
out:
	ga_http_response_dispose(&resp);
	ga_buf_dispose(&w.line);
	ga_buf_dispose(&path);
	ga_buf_dispose(&url);
	return err;
}
