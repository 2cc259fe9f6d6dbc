/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The verbs of the Kubernetes API client (ga/kube.h): GET, LIST with
 * paging, POST, PUT (optimistic, by resourceVersion), server-side apply
 * and DELETE.  Each names its object in its errors; the requests and
 * discovery are client.c's.
 */
#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/json.h"
#include "kube_int.h"

/* Items per LIST page: kubectl's and client-go's pager default. */
#define PAGE_LIMIT 500
/* The largest request body: kube-apiserver's own limit is 3 MiB. */
#define MAX_BODY ((size_t)8 << 20)

/* The query parameters the write flags ask for. */
static void write_query(ga_buf *path, const char *manager, unsigned flags)
{
	if (manager)
		ga_kube__query(path, "fieldManager", manager);
	if (flags & GA_KUBE_FORCE)
		ga_kube__query(path, "force", "true");
	if (flags & GA_KUBE_DRY_RUN)
		ga_kube__query(path, "dryRun", "All");
}

/* An object to write: its identity, description and path. */
struct target {
	const char *api_version, *kind, *ns, *name;
	char what[512];
	ga_buf path;
};

/*
 * The target of writing @obj with @verb: the path of its collection
 * (@collection, for POST) or of the object itself (its status with
 * GA_KUBE_STATUS in @flags).  Dispose t->path after.
 */
static int target_of(ga_kube *k, struct target *t, const ga_node *obj,
                     const char *verb, bool collection, unsigned flags)
{
	const ga_node *meta = ga_node_map_get(obj, "metadata");
	int err;

	t->path = (ga_buf)GA_BUF_INIT(16384);
	t->api_version = ga_kube__str(obj, "apiVersion", NULL);
	t->kind = ga_kube__str(obj, "kind", NULL);
	t->ns = ga_kube__str(meta, "namespace", NULL);
	t->name = ga_kube__str(meta, "name", NULL);
	if (!t->api_version || !t->kind || !t->name || !t->name[0]) {
		ga_error_set(GA_ERRCLASS_KUBE,
		             "%s: an object needs apiVersion, kind and "
		             "metadata.name",
		             verb);
		return GA_EINVALID;
	}
	ga_kube__describe(t->what, sizeof(t->what), t->api_version, t->kind,
	                  t->ns, t->name);
	if ((err = ga_kube__object_path(k, &t->path, t->api_version, t->kind,
	                                t->ns, collection ? NULL : t->name,
	                                false)) < 0) {
		ga_error_prefix("%s %s", verb, t->what);
		return err;
	}
	if (flags & GA_KUBE_STATUS)
		ga_buf_puts(&t->path, "/status");
	return t->path.err;
}

/* Write @obj with @method and @ctype to @t's path: its JSON (which is
 * also YAML, so apply needs no second encoder). */
static int send_object(ga_kube *k, struct target *t, const char *method,
                       const char *ctype, const ga_node *obj, ga_node **out)
{
	ga_buf body = GA_BUF_INIT(MAX_BODY);
	int err;

	if ((err = t->path.err) < 0 || (err = ga_json_emit(&body, obj, 0)) < 0)
		goto out;
	err = ga_kube__call(k, method, t->path.ptr, ctype, &body, t->what, out);
out:
	ga_buf_dispose(&body);
	return err;
}

int ga_kube_get(ga_kube *k, const char *api_version, const char *kind,
                const char *ns, const char *name, ga_node **out)
{
	ga_buf path = GA_BUF_INIT(8192);
	char what[512];
	int err;

	ga_kube__describe(what, sizeof(what), api_version, kind, ns, name);
	if (!(err = ga_kube__object_path(k, &path, api_version, kind, ns, name,
	                                 false)))
		err = ga_kube__call(k, "GET", path.ptr, NULL, NULL, what, out);
	ga_buf_dispose(&path);
	return err;
}

int ga_kube__take_items(ga_node *items, ga_node *page, const char *api_version,
                        const char *kind)
{
	ga_node *list = page && ga_node_type_of(page) == GA_NODE_MAP
	                    ? ga_node_map_get(page, "items")
	                    : NULL;
	int err = 0;

	/* "items" may be null in an empty list (a Go nil slice). */
	if (!list || (ga_node_type_of(list) != GA_NODE_LIST &&
	              ga_node_type_of(list) != GA_NODE_NULL)) {
		ga_error_set(GA_ERRCLASS_KUBE,
		             "%s %s: a LIST answer without an items list",
		             api_version, kind);
		return GA_EINVALID;
	}
	while (!err && ga_node_type_of(list) == GA_NODE_LIST &&
	       ga_node_count(list)) {
		ga_node *item = ga_node_list_remove(list, 0), *v = NULL;

		if (ga_node_type_of(item) != GA_NODE_MAP) {
			ga_node_free(item);
			continue;
		}
		if (!(err = ga_node_new_string(&v, api_version,
		                               strlen(api_version))) &&
		    !(err = ga_node_map_set_take(item, "apiVersion", v)) &&
		    !(err = ga_node_new_string(&v, kind, strlen(kind))))
			err = ga_node_map_set_take(item, "kind", v);
		if (!err)
			err = ga_node_list_append_take(items, item);
		else
			ga_node_free(item);
	}
	return err;
}

int ga_kube_list(ga_kube *k, const char *api_version, const char *kind,
                 const char *ns, const char *selector, ga_node **out)
{
	ga_buf base = GA_BUF_INIT(8192), path = GA_BUF_INIT(16384);
	ga_node *items = NULL, *page = NULL;
	char what[512], cont[4096] = "";
	int err;

	ga_kube__describe(what, sizeof(what), api_version, kind, ns, "");
	if ((err = ga_kube__object_path(k, &base, api_version, kind, ns, NULL,
	                                true)) < 0 ||
	    (err = ga_node_new_list(&items)) < 0)
		goto out;
	do {
		const ga_node *next;

		ga_buf_clear(&path);
		ga_buf_printf(&path, "%s?limit=%d", base.ptr, PAGE_LIMIT);
		if (selector && selector[0])
			ga_kube__query(&path, "labelSelector", selector);
		if (cont[0])
			ga_kube__query(&path, "continue", cont);
		if ((err = path.err) < 0 ||
		    (err = ga_kube__call(k, "GET", path.ptr, NULL, NULL, what,
		                         &page)) < 0 ||
		    (err = ga_kube__take_items(items, page, api_version,
		                               kind)) < 0)
			goto out;
		next = ga_node_map_get(ga_node_map_get(page, "metadata"),
		                       "continue");
		if (next && ga_node_str_len(next) >= sizeof(cont)) {
			ga_error_set(GA_ERRCLASS_KUBE,
			             "%s: continue token over %zu bytes", what,
			             sizeof(cont) - 1);
			err = GA_ELIMIT;
			goto out;
		}
		snprintf(cont, sizeof(cont), "%s",
		         next && ga_node_str(next) ? ga_node_str(next) : "");
		ga_node_free(page);
		page = NULL;
	} while (cont[0]);
	*out = items;
	items = NULL;
out:
	ga_node_free(page);
	ga_node_free(items);
	ga_buf_dispose(&base);
	ga_buf_dispose(&path);
	return err;
}

int ga_kube_create(ga_kube *k, const ga_node *obj, const char *manager,
                   unsigned flags, ga_node **out)
{
	struct target t;
	int err;

	if (!(err = target_of(k, &t, obj, "create", true, 0))) {
		write_query(&t.path, manager, flags & GA_KUBE_DRY_RUN);
		err = send_object(k, &t, "POST", "application/json", obj, out);
	}
	ga_buf_dispose(&t.path);
	return err;
}

int ga_kube_update(ga_kube *k, const ga_node *obj, const char *manager,
                   unsigned flags, ga_node **out)
{
	struct target t;
	int err;

	if (!(err = target_of(k, &t, obj, "update", false, flags))) {
		write_query(&t.path, manager, flags & GA_KUBE_DRY_RUN);
		err = send_object(k, &t, "PUT", "application/json", obj, out);
	}
	ga_buf_dispose(&t.path);
	return err;
}

int ga_kube_apply(ga_kube *k, const ga_node *obj, const char *manager,
                  unsigned flags, ga_node **out)
{
	struct target t;
	int err;

	if (!manager || !manager[0]) {
		ga_error_set(GA_ERRCLASS_KUBE, "apply: a field manager is "
		                               "required");
		return GA_EINVALID;
	}
	if (!(err = target_of(k, &t, obj, "apply", false, flags))) {
		write_query(&t.path, manager, flags);
		err = send_object(k, &t, "PATCH",
		                  "application/apply-patch+yaml", obj, out);
	}
	ga_buf_dispose(&t.path);
	return err;
}

int ga_kube_delete(ga_kube *k, const char *api_version, const char *kind,
                   const char *ns, const char *name, const char *propagation,
                   unsigned flags)
{
	ga_buf path = GA_BUF_INIT(16384);
	char what[512];
	int err;

	ga_kube__describe(what, sizeof(what), api_version, kind, ns, name);
	if ((err = ga_kube__object_path(k, &path, api_version, kind, ns, name,
	                                false)) < 0)
		goto out;
	if (propagation)
		ga_kube__query(&path, "propagationPolicy", propagation);
	write_query(&path, NULL, flags & GA_KUBE_DRY_RUN);
	if (!(err = path.err))
		err = ga_kube__call(k, "DELETE", path.ptr, NULL, NULL, what,
		                    NULL);
out:
	ga_buf_dispose(&path);
	return err;
}
