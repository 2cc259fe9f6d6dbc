/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POST and PUT, with kube-apiserver's semantics: a namespaced object needs
 * its namespace (404 NotFound on the namespace), a name is taken once (409
 * AlreadyExists), an update names the version it read (409 Conflict when
 * metadata.resourceVersion is stale; none means unconditional), an update
 * that changes nothing writes nothing and keeps the resourceVersion,
 * metadata.generation moves only when the spec does, and the main
 * resource and its status subresource each keep the other's part.
 * dryRun=All runs every check and writes nothing.  What follows the
 * reading of the body (ks_create_object, ks_update_object) is shared with
 * PATCH and server-side apply, and records managedFields (managed.c).
 */
#include "ssa.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ga/error.h"
#include "ga/json.h"

int ks_check_body(ks_req *r, ga_node *obj, ks_status *st)
{
	int err;

	st->code = 0;
	if ((err = ks_validate_object(r->res, r->ns, r->name, obj, st)) < 0)
		return err;
	if ((err = ks_secret_canonical(r->res, obj, st)) < 0) {
		if (!st->code)
			ks_status_set(st, 500, "InternalError", "%s",
			              ga_error_last()->message);
		return err;
	}
	if ((err = ks_defaults(r->res, obj)) < 0)
		ks_status_set(st, 500, "InternalError", "%s",
		              ga_error_last()->message);
	return err;
}

/* The request body as a validated object for @r; *out owns it. */
static int read_body(ks_req *r, ga_node **out, ks_status *st)
{
	size_t len = 0;
	const char *body = ga_httpd_request_body(r->http, &len);
	const char *ct = ga_httpd_request_header(r->http, "Content-Type");
	ga_node *obj = NULL;
	int err;

	if ((err = ks_decode_body(&obj, ct, body, len, st)) < 0)
		return err;
	if ((err = ks_check_body(r, obj, st)) < 0) {
		ga_node_free(obj);
		return err;
	}
	*out = obj;
	return 0;
}

static bool namespace_exists(ks_req *r, ks_status *st)
{
	const ks_resource *ns_res = ks_registry_find("", "v1", "namespaces");

	if (!r->res->namespaced ||
	    ks_store_get(r->ks->store, ns_res, "", r->ns))
		return true;
	ks_status_not_found(st, ns_res, r->ns);
	return false;
}

/*
 * The NamespaceLifecycle admission plugin: nothing new in a namespace
 * that is being deleted (403 Forbidden, cause NamespaceTerminating).
 */
static bool namespace_terminating(ks_req *r, const char *name, ks_status *st)
{
	const ks_resource *ns_res = ks_registry_find("", "v1", "namespaces");
	const ga_node *ns;

	if (!r->res->namespaced ||
	    !(ns = ks_store_get(r->ks->store, ns_res, "", r->ns)) ||
	    !ks_meta_str(ns, "deletionTimestamp"))
		return false;
	ks_status_set(st, 403, "Forbidden",
	              "%s%s%s \"%s\" is forbidden: unable to create new "
	              "content in namespace %s because it is being terminated",
	              r->res->plural, r->res->group[0] ? "." : "",
	              r->res->group, name, r->ns);
	ks_status_details(st, r->res, name, false);
	(void)snprintf(st->field, sizeof(st->field), "metadata.namespace");
	st->cause = "NamespaceTerminating";
	(void)snprintf(st->cause_msg, sizeof(st->cause_msg),
	               "namespace %s is being terminated", r->ns);
	return true;
}

/* Replace @obj's @key with an empty map. */
static int reset_map(ga_node *obj, const char *key)
{
	ga_node *m;
	int err;

	if ((err = ga_node_new_map(&m)) < 0)
		return err;
	return ga_node_map_set_take(obj, key, m);
}

/* What the API server sets on a new Namespace. */
static int new_namespace(ga_node *obj)
{
	ga_node *meta = ks_meta(obj), *labels, *spec = NULL, *fin = NULL;
	ga_node *k = NULL;
	int err;

	if (!(labels = ks_get(meta, "labels"))) {
		if ((err = reset_map(meta, "labels")) < 0)
			return err;
		labels = ks_get(meta, "labels");
	}
	if ((err = ks_set_str(labels, "kubernetes.io/metadata.name",
	                      ks_meta_str(obj, "name"))) < 0)
		return err;
	if ((err = ga_node_new_map(&spec)) < 0 ||
	    (err = ga_node_map_set_take(obj, "spec", spec)) < 0 ||
	    (err = ga_node_new_list(&fin)) < 0 ||
	    (err = ga_node_map_set_take(spec, "finalizers", fin)) < 0 ||
	    (err = ga_node_new_string(&k, "kubernetes", 10)) < 0 ||
	    (err = ga_node_list_append_take(fin, k)) < 0 ||
	    (err = reset_map(obj, "status")) < 0)
		return err;
	return ks_set_str(ks_get(obj, "status"), "phase", "Active");
}

/* The fields a kind's create strategy sets or clears. */
static int prepare_create(ks_req *r, ga_node *obj, ks_status *st)
{
	unsigned next_ip;
	int err;

	if (strcmp(r->res->kind, "Namespace") == 0 && !r->res->group[0])
		return new_namespace(obj);
	if (strcmp(r->res->kind, "CustomResourceDefinition") == 0)
		return ks_crd_accept(obj, st);
	/* With a status subresource the main resource cannot set it. */
	if ((r->res->flags & KS_RES_STATUS) &&
	    (err = reset_map(obj, "status")) < 0)
		return err;
	if (strcmp(r->res->kind, "Service") == 0 && !r->res->group[0] &&
	    (err = reset_map(ks_get(obj, "status"), "loadBalancer")) < 0)
		return err;
	/* A dry run shows an address but keeps none: the next create gets
	 * the same one, as the server's allocator releases it. */
	next_ip = r->ks->next_ip;
	err = ks_allocate(r->ks, r->res, obj);
	if (r->dry_run)
		r->ks->next_ip = next_ip;
	return err;
}

int ks_create(ks_req *r)
{
	ga_node *obj = NULL;
	ks_status st;

	if (r->sub[0]) {
		ks_status_set(&st, 405, "MethodNotAllowed",
		              "POST is not supported on this subresource");
		return ks_reply_status(r, &st);
	}
	if (!namespace_exists(r, &st) || read_body(r, &obj, &st) < 0)
		return ks_reply_status(r, &st);
	return ks_create_object(r, obj);
}

int ks_create_object(ks_req *r, ga_node *obj)
{
	ga_node *stored = NULL;
	ks_status st;
	int err;

	/* Apply creates through here too: the namespace is checked again. */
	if (!namespace_exists(r, &st) ||
	    namespace_terminating(r, ks_meta_str(obj, "name"), &st)) {
		err = ks_reply_status(r, &st);
		goto out;
	}
	if (ks_store_get(r->ks->store, r->res, r->ns,
	                 ks_meta_str(obj, "name"))) {
		ks_status_set(&st, 409, "AlreadyExists",
		              "%s%s%s \"%s\" already exists", r->res->plural,
		              r->res->group[0] ? "." : "", r->res->group,
		              ks_meta_str(obj, "name"));
		ks_status_details(&st, r->res, ks_meta_str(obj, "name"), false);
		err = ks_reply_status(r, &st);
		goto out;
	}
	st.code = 0;
	if ((err = prepare_create(r, obj, &st)) < 0 ||
	    (!r->applied && (err = ks_managed_update(r, obj, NULL, &st)) < 0)) {
		err = st.code ? ks_reply_status(r, &st) : err;
		goto out;
	}
	if ((err = ks_store_stamp_new(r->ks->store, r->res, obj, r->dry_run)) <
	    0)
		goto out;
	if (r->dry_run) {
		err = ks_reply_object(r, 201, obj);
		goto out;
	}
	if (strcmp(r->res->kind, "CustomResourceDefinition") == 0 &&
	    ks_registry_add_crd(obj, &st) < 0) {
		err = ks_reply_status(r, &st);
		goto out;
	}
	if ((err = ks_store_put(r->ks->store, r->res, obj, &stored)) < 0) {
		obj = NULL;
		goto out;
	}
	obj = NULL;
	err = ks_reply_object(r, 201, stored);
out:
	ga_node_free(obj);
	return err;
}

/* Move @key from @from to @to (a clone), or drop it from @to. */
static int carry(ga_node *to, const ga_node *from, const char *key)
{
	const ga_node *v = ks_get(from, key);
	ga_node *copy;
	int err;

	if (!v) {
		ga_node_free(ks_remove(to, key));
		return 0;
	}
	if ((err = ga_node_clone(&copy, v)) < 0)
		return err;
	return ga_node_map_set_take(to, key, copy);
}

/*
 * Fill @obj, the body of a PUT to the object, with what it may not
 * change: identity, timestamps, status (a subresource of its own) and
 * generation, bumped when the spec changed.
 */
static int merge_update(ks_req *r, ga_node *obj, const ga_node *old)
{
	static const char *const kept[] = {"uid",
	                                   "creationTimestamp",
	                                   "deletionTimestamp",
	                                   "deletionGracePeriodSeconds",
	                                   "generation",
	                                   "resourceVersion"};
	ga_node *meta = ks_meta(obj);
	ga_node *gen;
	size_t i;
	int err;

	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if ((err = carry(meta, ks_meta(old), kept[i])) < 0)
			return err;
	if (strcmp(r->res->kind, "Namespace") == 0 && !r->res->group[0] &&
	    (err = carry(obj, old, "spec")) < 0)
		return err;
	if ((r->res->flags & KS_RES_STATUS) &&
	    (err = carry(obj, old, "status")) < 0)
		return err;
	gen = ks_get(meta, "generation");
	if (gen && !ks_equal(ks_get(obj, "spec"), ks_get(old, "spec"))) {
		ga_node *next;
		if ((err = ga_node_new_int(&next, ks_int(gen) + 1)) < 0 ||
		    (err = ga_node_map_set_take(meta, "generation", next)) < 0)
			return err;
	}
	return 0;
}

/*
 * The body of a PUT to /status: the stored object with its status, and
 * with the managedFields an apply settled (@applied).
 */
static int merge_status(ga_node **obj, const ga_node *old, bool applied)
{
	ga_node *next = NULL;
	int err;

	if ((err = ga_node_clone(&next, old)) < 0 ||
	    (err = carry(next, *obj, "status")) < 0 ||
	    (applied && (err = carry(ks_meta(next), ks_meta(*obj),
	                             "managedFields")) < 0)) {
		ga_node_free(next);
		return err;
	}
	ga_node_free(*obj);
	*obj = next;
	return 0;
}

/* Fields an update may not change, per kind (the strategies' checks). */
static const struct immutable {
	const char *group, *kind;
	const char *parent, *field; /* spec.selector: "spec", "selector" */
	bool keep_when_unset;       /* Service: an omitted value is kept */
	bool may_change;            /* only kept, not immutable */
} immutables[] = {
    {"apps", "DaemonSet", "spec", "selector", false, false},
    {"apps", "Deployment", "spec", "selector", false, false},
    {"apps", "ReplicaSet", "spec", "selector", false, false},
    {"apps", "StatefulSet", "spec", "selector", false, false},
    {"batch", "Job", "spec", "selector", false, false},
    {"batch", "Job", "spec", "template", false, false},
    {"", "Service", "spec", "clusterIP", true, false},
    {"", "Service", "spec", "clusterIPs", true, false},
    {"", "Service", "spec", "ipFamilies", true, true},
    {"", "Service", "spec", "ipFamilyPolicy", true, true},
};

static int immutable_error(ks_req *r, const struct immutable *im,
                           const ga_node *value, ks_status *st)
{
	ga_buf shown = GA_BUF_INIT(1 << 20);
	char field[64], msg[4096];

	if (!value || ga_json_emit(&shown, value, GA_JSON_COMPACT) < 0) {
		ga_buf_clear(&shown);
		(void)ga_buf_puts(&shown, "null");
	}
	(void)snprintf(field, sizeof(field), "%s.%s", im->parent, im->field);
	/* A long value (a Job's template) is cut, never the verdict after
	 * it, which clients match on. */
	(void)snprintf(msg, sizeof(msg),
	               "Invalid value: %.3000s%s: field is immutable",
	               ga_buf_cstr(&shown), shown.size > 3000 ? "..." : "");
	ga_buf_dispose(&shown);
	return ks_status_invalid(st, r->res, r->name, field,
	                         "FieldValueInvalid", msg);
}

/*
 * The immutable fields of @obj against @old: 422 Invalid when one
 * changed; a Service's omitted clusterIP is carried over, as the
 * service registry does with allocated values.
 */
static int check_immutable(ks_req *r, ga_node *obj, const ga_node *old,
                           ks_status *st)
{
	size_t i;
	int err;

	for (i = 0; i < sizeof(immutables) / sizeof(immutables[0]); i++) {
		const struct immutable *im = &immutables[i];
		const ga_node *was = ks_get(ks_get(old, im->parent), im->field);
		ga_node *parent = ks_get(obj, im->parent);
		const ga_node *now = ks_get(parent, im->field);
		if (strcmp(r->res->group, im->group) != 0 ||
		    strcmp(r->res->kind, im->kind) != 0 || ks_equal(was, now))
			continue;
		if (im->keep_when_unset && !now && parent) {
			if ((err = carry(parent, ks_get(old, im->parent),
			                 im->field)) < 0)
				return err;
			continue;
		}
		if (!im->may_change)
			return immutable_error(r, im, now, st);
	}
	return 0;
}

/* ConfigMaps and Secrets marked immutable keep their data. */
static int check_immutable_data(ks_req *r, const ga_node *obj,
                                const ga_node *old, ks_status *st)
{
	static const char *const fields[] = {"immutable", "data", "binaryData",
	                                     "stringData"};
	size_t i;

	if (r->res->group[0] || !ks_bool(ks_get(old, "immutable")) ||
	    (strcmp(r->res->kind, "ConfigMap") != 0 &&
	     strcmp(r->res->kind, "Secret") != 0))
		return 0;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!ks_equal(ks_get(obj, fields[i]), ks_get(old, fields[i])))
			return ks_status_invalid(
			    st, r->res, r->name, fields[i],
			    "FieldValueForbidden",
			    "Forbidden: field is immutable when `immutable` is "
			    "set");
	return 0;
}

int ks_reply_conflict(ks_req *r)
{
	ks_status st;

	ks_status_set(&st, 409, "Conflict",
	              "Operation cannot be fulfilled on %s%s%s \"%s\": the "
	              "object has been modified; please apply your changes to "
	              "the latest version and try again",
	              r->res->plural, r->res->group[0] ? "." : "",
	              r->res->group, r->name);
	ks_status_details(&st, r->res, r->name, false);
	return ks_reply_status(r, &st);
}

/*
 * The last finalizer of an object marked for deletion is gone: the
 * object goes instead of being updated, and the update answers with the
 * deleted object, as the registry's deleteWithoutFinalizers does.
 */
static int finish_delete(ks_req *r, ga_node *obj)
{
	ga_node *gone = NULL;
	int err;

	ga_node_free(obj);
	if ((err = ks_store_remove(r->ks->store, r->res, r->ns, r->name,
	                           &gone)) < 0)
		return err;
	err = ks_reply_object(r, 200, gone);
	ga_node_free(gone);
	return err;
}

/* Store @obj (taken) as the new version of @old, or not when equal. */
static int write_update(ks_req *r, ga_node *obj, const ga_node *old)
{
	ga_node *stored = NULL;
	char rv[24];
	int err;

	if (ks_equal(obj, old) || r->dry_run) {
		err = ks_reply_object(r, 200, obj);
		ga_node_free(obj);
		return err;
	}
	(void)snprintf(rv, sizeof(rv), "%" PRIu64,
	               ks_store_next_rv(r->ks->store));
	if ((err = ks_meta_set_str(obj, "resourceVersion", rv)) < 0) {
		ga_node_free(obj);
		return err;
	}
	if (strcmp(r->res->kind, "CustomResourceDefinition") == 0) {
		ks_status st;
		ks_registry_remove_crd(r->name);
		if (ks_registry_add_crd(obj, &st) < 0) {
			ga_node_free(obj);
			return ks_reply_status(r, &st);
		}
	}
	if (ks_meta_str(obj, "deletionTimestamp") &&
	    !ks_count(ks_get(ks_meta(obj), "finalizers")))
		return finish_delete(r, obj);
	if ((err = ks_store_put(r->ks->store, r->res, obj, &stored)) < 0)
		return err;
	return ks_reply_object(r, 200, stored);
}

int ks_update(ks_req *r)
{
	const ga_node *old;
	ga_node *obj = NULL;
	ks_status st;

	if (r->sub[0] && (strcmp(r->sub, "status") != 0 ||
	                  !(r->res->flags & KS_RES_STATUS))) {
		ks_status_set(&st, 404, "NotFound", "%s", ks_no_resource);
		return ks_reply_status(r, &st);
	}
	if (!(old = ks_store_get(r->ks->store, r->res, r->ns, r->name))) {
		ks_status_not_found(&st, r->res, r->name);
		return ks_reply_status(r, &st);
	}
	if (read_body(r, &obj, &st) < 0)
		return ks_reply_status(r, &st);
	return ks_update_object(r, obj, old);
}

int ks_update_object(ks_req *r, ga_node *obj, const ga_node *old)
{
	const char *want = ks_meta_str(obj, "resourceVersion");
	ks_status st;
	int err;

	if (want && want[0] &&
	    strcmp(want, ks_meta_str(old, "resourceVersion")) != 0) {
		ga_node_free(obj);
		return ks_reply_conflict(r);
	}
	err = r->sub[0] ? merge_status(&obj, old, r->applied)
	                : merge_update(r, obj, old);
	st.code = 0;
	if (err == 0 && !r->sub[0] &&
	    ((err = check_immutable(r, obj, old, &st)) < 0 ||
	     (err = check_immutable_data(r, obj, old, &st)) < 0) &&
	    st.code) {
		ga_node_free(obj);
		return ks_reply_status(r, &st);
	}
	if (err == 0 && !r->applied &&
	    (err = ks_managed_update(r, obj, old, &st)) < 0 && st.code) {
		ga_node_free(obj);
		return ks_reply_status(r, &st);
	}
	if (err < 0) {
		ga_node_free(obj);
		return err;
	}
	return write_update(r, obj, old);
}
