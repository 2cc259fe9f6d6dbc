/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DELETE and deletecollection with kube-apiserver's semantics (API
 * conventions; "Garbage collection", "Finalizers" and "Namespaces" in the
 * Kubernetes documentation).  DeleteOptions come from the body or the
 * query: dryRun, preconditions (uid, resourceVersion: 409 Conflict when
 * unmet), propagationPolicy (Background, the default, Foreground or
 * Orphan) and the older orphanDependents.  An object with finalizers
 * is only marked (deletionTimestamp, MODIFIED); Foreground and Orphan add
 * their finalizer (foregroundDeletion, orphan) first, which the garbage
 * collector in gc.c removes once the dependents are gone or orphaned.  A
 * namespace is marked Terminating and emptied by gc.c, which removes its
 * "kubernetes" finalizer when nothing is left.  deletecollection answers
 * the list of what it deleted or marked.
 */
#include "kubesim.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/json.h"

static bool str_eq(const char *a, const char *b)
{
	return a && strcmp(a, b) == 0;
}

bool ks_has_finalizer(const ga_node *obj, const char *name)
{
	const ga_node *fin = ks_get(ks_meta(obj), "finalizers");
	size_t i;

	for (i = 0; i < ks_count(fin); i++)
		if (str_eq(ks_str(ks_item(fin, i)), name))
			return true;
	return false;
}

/* Add the finalizer @name to @obj unless it has it. */
static int add_finalizer(ga_node *obj, const char *name)
{
	ga_node *meta = ks_meta(obj), *fin, *v = NULL;
	int err;

	if (ks_has_finalizer(obj, name))
		return 0;
	if (!(fin = ks_get(meta, "finalizers"))) {
		if ((err = ga_node_new_list(&fin)) < 0 ||
		    (err = ga_node_map_set_take(meta, "finalizers", fin)) < 0)
			return err;
	}
	if ((err = ga_node_new_string(&v, name, strlen(name))) < 0)
		return err;
	return ga_node_list_append_take(fin, v);
}

void ks_remove_finalizer(ga_node *obj, const char *name)
{
	ga_node *meta = ks_meta(obj);
	ga_node *fin = ks_get(meta, "finalizers");
	size_t i = 0;

	while (i < ks_count(fin)) {
		if (str_eq(ks_str(ks_item(fin, i)), name))
			ga_node_free(ga_node_list_remove(fin, i));
		else
			i++;
	}
	if (fin && !ks_count(fin))
		ga_node_free(ks_remove(meta, "finalizers"));
}

/* Set deletionTimestamp (and a grace period of 0) unless set. */
static int set_deletion(ga_node *obj)
{
	char now[32];
	ga_node *zero = NULL;
	int err;

	if (ks_meta_str(obj, "deletionTimestamp"))
		return 0;
	ks_now_rfc3339(now);
	if ((err = ks_meta_set_str(obj, "deletionTimestamp", now)) < 0 ||
	    (err = ga_node_new_int(&zero, 0)) < 0)
		return err;
	return ga_node_map_set_take(ks_meta(obj), "deletionGracePeriodSeconds",
	                            zero);
}

int ks_store_changed(ks_store *store, const char *reskey, ga_node *obj,
                     const ga_node *old)
{
	int err;

	if (ks_equal(obj, old))
		return 0;
	if ((err = ks_store_bump(store, obj)) < 0)
		return err;
	return ks_store_record_at(store, reskey, KS_EV_MODIFIED, obj, old);
}

int ks_store_remove_obj(ks_store *store, const char *reskey, const ga_node *obj,
                        ga_node **gone)
{
	char name[256], ns[256];
	int err;

	/* The strings live in @obj, which the removal frees. */
	(void)snprintf(name, sizeof(name), "%s", ks_meta_str(obj, "name"));
	(void)snprintf(
	    ns, sizeof(ns), "%s",
	    ks_meta_str(obj, "namespace") ? ks_meta_str(obj, "namespace") : "");
	if ((err = ks_store_remove_at(store, reskey, ns, name, gone)) < 0)
		return err;
	if (strcmp(reskey, "apiextensions.k8s.io/customresourcedefinitions") ==
	    0)
		ks_crd_forget(store, *gone);
	return 0;
}

/* A namespace goes Terminating; gc.c empties and then removes it. */
static int terminate_namespace(ks_store *store, ga_node *obj, ga_node **gone)
{
	ga_node *old = NULL, *status;
	int err;

	if (!ks_count(ks_get(ks_get(obj, "spec"), "finalizers")) &&
	    !ks_count(ks_get(ks_meta(obj), "finalizers")))
		return ks_store_remove_obj(store, "/namespaces", obj, gone);
	if ((err = ga_node_clone(&old, obj)) < 0)
		return err;
	if (!(status = ks_get(obj, "status"))) {
		if ((err = ga_node_new_map(&status)) < 0 ||
		    (err = ga_node_map_set_take(obj, "status", status)) < 0)
			goto out;
	}
	if ((err = set_deletion(obj)) < 0 ||
	    (err = ks_set_str(status, "phase", "Terminating")) < 0)
		goto out;
	err = ks_store_changed(store, "/namespaces", obj, old);
out:
	ga_node_free(old);
	return err;
}

int ks_delete_stored(ks_store *store, const char *reskey, ga_node *obj,
                     ks_propagation prop, ga_node **gone)
{
	ga_node *old = NULL;
	int err;

	*gone = NULL;
	if (strcmp(reskey, "/namespaces") == 0)
		return terminate_namespace(store, obj, gone);
	if ((err = ga_node_clone(&old, obj)) < 0)
		return err;
	if ((prop == KS_PROP_FOREGROUND &&
	     (err = add_finalizer(obj, "foregroundDeletion")) < 0) ||
	    (prop == KS_PROP_ORPHAN &&
	     (err = add_finalizer(obj, "orphan")) < 0))
		goto out;
	if (!ks_count(ks_get(ks_meta(obj), "finalizers"))) {
		err = ks_store_remove_obj(store, reskey, obj, gone);
		goto out;
	}
	if ((err = set_deletion(obj)) < 0)
		goto out;
	err = ks_store_changed(store, reskey, obj, old);
out:
	ga_node_free(old);
	return err;
}

static int invalid_options(ks_status *st, const char *value, const char *msg)
{
	char shown[200];

	(void)snprintf(shown, sizeof(shown), "Unsupported value: \"%.60s\": %s",
	               value, msg);
	ks_status_set(st, 422, "Invalid",
	              "DeleteOptions.meta.k8s.io \"\" is invalid: "
	              "propagationPolicy: %s",
	              shown);
	st->has_details = true;
	st->group = "meta.k8s.io";
	st->kind = "DeleteOptions";
	(void)snprintf(st->field, sizeof(st->field), "propagationPolicy");
	st->cause = "FieldValueNotSupported";
	(void)snprintf(st->cause_msg, sizeof(st->cause_msg), "%s", shown);
	return GA_EINVALID;
}

/* propagationPolicy, or orphanDependents, as ValidateDeleteOptions. */
static int policy(const char *p, const ga_node *orphan, ks_propagation *out,
                  ks_status *st)
{
	*out = KS_PROP_BACKGROUND;
	if (p && orphan)
		return invalid_options(
		    st, p,
		    "orphanDependents and "
		    "deletionPropagation cannot be both set");
	if (orphan)
		*out = ks_bool(orphan) ? KS_PROP_ORPHAN : KS_PROP_BACKGROUND;
	else if (str_eq(p, "Foreground"))
		*out = KS_PROP_FOREGROUND;
	else if (str_eq(p, "Orphan"))
		*out = KS_PROP_ORPHAN;
	else if (p && !str_eq(p, "Background"))
		return invalid_options(st, p,
		                       "supported values: \"Foreground\", "
		                       "\"Background\", \"Orphan\", \"nil\"");
	return 0;
}

/* DeleteOptions, as far as kubesim honours them. */
struct delopts {
	ks_propagation prop;
	char uid[64]; /* preconditions.uid, "" for none */
	char rv[32];  /* preconditions.resourceVersion, "" for none */
};

/*
 * DeleteOptions from the body (kubectl sends them there) and the query:
 * dryRun sets r->dry_run, the rest goes to @o.  Returns 0 or GA_EINVALID
 * with @st.
 */
static int delete_options(ks_req *r, struct delopts *o, ks_status *st)
{
	size_t len = 0, i;
	const char *body = ga_httpd_request_body(r->http, &len);
	const char *p = ga_httpd_request_query(r->http, "propagationPolicy");
	const char *q = ga_httpd_request_query(r->http, "orphanDependents");
	const ga_node *dry, *orphan = NULL, *pre;
	ga_node *opts = NULL, *qorphan = NULL;
	int err;

	memset(o, 0, sizeof(*o));
	if (len && ga_json_parse(&opts, body, len, "DeleteOptions") < 0)
		ga_error_clear();
	dry = ks_get(opts, "dryRun");
	for (i = 0; i < ks_count(dry); i++)
		if (str_eq(ks_str(ks_item(dry, i)), "All"))
			r->dry_run = true;
	if (ks_str(ks_get(opts, "propagationPolicy")))
		p = ks_str(ks_get(opts, "propagationPolicy"));
	if (ks_type(ks_get(opts, "orphanDependents")) == GA_NODE_BOOL)
		orphan = ks_get(opts, "orphanDependents");
	else if (q && ga_node_new_bool(&qorphan, str_eq(q, "true")) == 0)
		orphan = qorphan;
	pre = ks_get(opts, "preconditions");
	if (ks_str(ks_get(pre, "uid")))
		(void)snprintf(o->uid, sizeof(o->uid), "%s",
		               ks_str(ks_get(pre, "uid")));
	if (ks_str(ks_get(pre, "resourceVersion")))
		(void)snprintf(o->rv, sizeof(o->rv), "%s",
		               ks_str(ks_get(pre, "resourceVersion")));
	err = policy(p, orphan, &o->prop, st);
	ga_node_free(opts);
	ga_node_free(qorphan);
	return err;
}

/* The preconditions against @obj: false and a 409 Conflict when unmet. */
static bool preconditions_met(ks_req *r, const ga_node *obj,
                              const struct delopts *o, ks_status *st)
{
	const char *uid = ks_meta_str(obj, "uid");
	const char *rv = ks_meta_str(obj, "resourceVersion");
	char why[300];

	if (o->uid[0] && !str_eq(uid, o->uid))
		(void)snprintf(
		    why, sizeof(why),
		    "UID in precondition: %s, UID in object meta: %s", o->uid,
		    uid ? uid : "");
	else if (o->rv[0] && !str_eq(rv, o->rv))
		(void)snprintf(why, sizeof(why),
		               "ResourceVersion in precondition: %s, "
		               "ResourceVersion in object meta: %s",
		               o->rv, rv ? rv : "");
	else
		return true;
	ks_status_set(st, 409, "Conflict",
	              "Operation cannot be fulfilled on %s%s%s \"%s\": "
	              "Precondition failed: %s",
	              r->res->plural, r->res->group[0] ? "." : "",
	              r->res->group, r->name, why);
	ks_status_details(st, r->res, r->name, false);
	return false;
}

/* The namespaces the API server will not delete (403 Forbidden). */
static bool protected_namespace(ks_req *r, ks_status *st)
{
	static const char *const names[] = {"default", "kube-public",
	                                    "kube-system"};
	size_t i;

	if (r->res->group[0] || strcmp(r->res->plural, "namespaces") != 0)
		return false;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(r->name, names[i]) == 0) {
			ks_status_set(st, 403, "Forbidden",
			              "namespaces \"%s\" is forbidden: this "
			              "namespace may not be deleted",
			              r->name);
			ks_status_details(st, r->res, r->name, false);
			return true;
		}
	return false;
}

int ks_delete(ks_req *r)
{
	ga_node *obj = ks_store_get(r->ks->store, r->res, r->ns, r->name);
	ga_node *gone = NULL;
	struct delopts o;
	char reskey[512];
	ks_status st;
	int err;

	if (delete_options(r, &o, &st) < 0)
		return ks_reply_status(r, &st);
	if (!obj) {
		ks_status_not_found(&st, r->res, r->name);
		return ks_reply_status(r, &st);
	}
	if (protected_namespace(r, &st) || !preconditions_met(r, obj, &o, &st))
		return ks_reply_status(r, &st);
	if (r->dry_run)
		return ks_reply_object(r, 200, obj);
	ks_res_key(reskey, sizeof(reskey), r->res);
	if ((err = ks_delete_stored(r->ks->store, reskey, obj, o.prop, &gone)) <
	    0)
		return err;
	err = ks_reply_object(r, 200, gone ? gone : obj);
	ga_node_free(gone);
	return err;
}

struct key {
	char ns[256], name[256];
};

/* Delete (or mark) the objects named in @keys, appending each to @b. */
static int delete_each(ks_req *r, const struct key *keys, size_t n,
                       ks_propagation prop, ga_buf *b)
{
	char reskey[512];
	ga_node *obj, *gone = NULL;
	size_t i;
	bool comma = false;
	int err;

	ks_res_key(reskey, sizeof(reskey), r->res);
	for (i = 0; i < n; i++) {
		/* Deleting one may take others (a CRD its objects). */
		if (!(obj = ks_store_get(r->ks->store, r->res, keys[i].ns,
		                         keys[i].name)))
			continue;
		if (comma)
			(void)ga_buf_putc(b, ',');
		comma = true;
		if (r->dry_run) {
			(void)ga_json_emit(b, obj, GA_JSON_COMPACT);
			continue;
		}
		if ((err = ks_delete_stored(r->ks->store, reskey, obj, prop,
		                            &gone)) < 0)
			return err;
		(void)ga_json_emit(b, gone ? gone : obj, GA_JSON_COMPACT);
		ga_node_free(gone);
	}
	return 0;
}

/* The names of the objects of @r's collection that @sel selects. */
static int selected_keys(ks_req *r, const ks_selector *sel, struct key **out,
                         size_t *n_out)
{
	const ga_node **objs = NULL;
	struct key *keys = NULL;
	size_t i, n = 0, kept = 0;
	int err;

	if ((err = ks_store_list(r->ks->store, r->res, r->ns, &objs, &n)) < 0)
		return err;
	if (!(keys = ga_calloc(n ? n : 1, sizeof(*keys)))) {
		ga_free(objs);
		return GA_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		const char *ns = ks_meta_str(objs[i], "namespace");
		if (!ks_selector_match(sel, objs[i]))
			continue;
		(void)snprintf(keys[kept].ns, sizeof(keys[kept].ns), "%s",
		               ns ? ns : "");
		(void)snprintf(keys[kept].name, sizeof(keys[kept].name), "%s",
		               ks_meta_str(objs[i], "name"));
		kept++;
	}
	ga_free(objs);
	*out = keys;
	*n_out = kept;
	return 0;
}

int ks_delete_collection(ks_req *r)
{
	const char *lsel = ga_httpd_request_query(r->http, "labelSelector");
	const char *fsel = ga_httpd_request_query(r->http, "fieldSelector");
	ga_buf *b = ga_httpd_response_body(r->resp);
	struct key *keys = NULL;
	ks_selector *sel = NULL;
	struct delopts o;
	size_t n = 0;
	ks_status st;
	int err;

	if (delete_options(r, &o, &st) < 0 ||
	    ks_selector_parse(&sel, lsel, fsel, &st) < 0)
		return ks_reply_status(r, &st);
	if ((err = selected_keys(r, sel, &keys, &n)) < 0)
		goto out;
	ga_buf_clear(b);
	(void)ga_buf_printf(
	    b,
	    "{\"kind\":\"%sList\",\"apiVersion\":\"%s%s%s\","
	    "\"metadata\":{\"resourceVersion\":\"%" PRIu64 "\"},\"items\":[",
	    r->res->kind, r->res->group, r->res->group[0] ? "/" : "",
	    r->res->version, ks_store_rv(r->ks->store));
	if ((err = delete_each(r, keys, n, o.prop, b)) < 0)
		goto out;
	(void)ga_buf_puts(b, "]}\n");
	if ((err = b->err) < 0)
		goto out;
	ga_httpd_response_set_status(r->resp, 200);
	err = ga_httpd_response_add_header(r->resp, "Content-Type",
	                                   "application/json");
out:
	ga_free(keys);
	ks_selector_free(sel);
	return err;
}
