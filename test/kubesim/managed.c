/* SPDX-License-Identifier: Apache-2.0 */
/*
 * metadata.managedFields as kube-apiserver keeps them
 * (k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager, with
 * structured-merge-diff underneath): one entry per manager, operation
 * (Apply or Update) and subresource, holding the fields that manager owns
 * in the fieldsV1 encoding.  Every write that is not an apply is an
 * Update: the fields it changed move to its manager and leave every other
 * entry; entries left empty go.  The manager is the fieldManager query
 * parameter, else the User-Agent up to its first '/', as the server
 * derives it.  Entries are sorted as the server sorts them: Apply before
 * Update, then by time, manager, apiVersion and subresource.
 *
 * A request's own managedFields: absent, empty or unchanged means "track
 * as usual"; [{}] resets them (the object keeps none); any other value is
 * taken as the new set after validation (kubectl's client-side to
 * server-side apply migration sends one in a JSON patch).
 */
#include "ssa.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"

/* Most entries an object may hold; more is refused as malformed. */
#define MAX_ENTRIES 256

const ga_kust_schema_at *ks_ssa_schema(const ga_node *obj)
{
	return ga_kust_schema_root(ks_str(ks_get(obj, "apiVersion")),
	                           ks_str(ks_get(obj, "kind")));
}

int ks_ssa_view(ga_node **out, const ks_resource *res, const char *sub,
                const ga_node *obj)
{
	static const char *const server_meta[] = {
	    "name",
	    "namespace",
	    "uid",
	    "resourceVersion",
	    "generation",
	    "creationTimestamp",
	    "deletionTimestamp",
	    "deletionGracePeriodSeconds",
	    "managedFields",
	    "selfLink",
	};
	ga_node *v = NULL, *meta;
	size_t i;
	int err;

	if ((err = ga_node_clone(&v, obj)) < 0)
		return err;
	ga_node_free(ks_remove(v, "apiVersion"));
	ga_node_free(ks_remove(v, "kind"));
	meta = ks_get(v, "metadata");
	for (i = 0; i < sizeof(server_meta) / sizeof(server_meta[0]); i++)
		ga_node_free(ks_remove(meta, server_meta[i]));
	if (meta && !ks_count(meta))
		ga_node_free(ks_remove(v, "metadata"));
	if (sub[0]) {
		/* A status write manages the status only. */
		ga_node *st = ks_remove(v, "status");
		ga_node_free(v);
		v = NULL;
		if ((err = ga_node_new_map(&v)) < 0 ||
		    (st && (err = ga_node_map_set_take(v, "status", st)) < 0)) {
			ga_node_free(v);
			return err;
		}
	} else if (res->flags & KS_RES_STATUS) {
		ga_node_free(ks_remove(v, "status"));
	}
	*out = v;
	return 0;
}

void ks_ssa_manager(const ks_req *r, char out[256])
{
	const char *fm = ga_httpd_request_query(r->http, "fieldManager");
	const char *ua = ga_httpd_request_header(r->http, "User-Agent");
	size_t n;

	if (fm && fm[0]) {
		(void)snprintf(out, 256, "%s", fm);
		return;
	}
	ua = ua ? ua : "";
	n = strcspn(ua, "/");
	(void)snprintf(out, 256, "%.*s", (int)(n > 128 ? 128 : n), ua);
}

void ks_mfs_dispose(ks_mfs *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		ga_node_free(m->v[i].set);
	ga_free(m->v);
	memset(m, 0, sizeof(*m));
}

static ks_mf *mfs_add(ks_mfs *m)
{
	ks_mf *v;

	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 4;
		if (!(v = ga_reallocarray(m->v, cap, sizeof(*v))))
			return NULL;
		m->v = v;
		m->cap = cap;
	}
	v = &m->v[m->n++];
	memset(v, 0, sizeof(*v));
	return v;
}

/* Copy the string field @key of @e into @out; false when mistyped. */
static bool copy_str(char *out, size_t cap, const ga_node *e, const char *key)
{
	const ga_node *v = ks_get(e, key);

	if (v && ks_type(v) != GA_NODE_STRING)
		return false;
	if (v && strlen(ks_str(v)) >= cap)
		return false;
	(void)snprintf(out, cap, "%s", v ? ks_str(v) : "");
	return true;
}

static int decode_entry(ks_mf *mf, const ga_node *e, size_t i, ks_status *st)
{
	const char *op = ks_str(ks_get(e, "operation"));
	const char *ft = ks_str(ks_get(e, "fieldsType"));
	int err;

	if (ks_type(e) != GA_NODE_MAP ||
	    !copy_str(mf->manager, sizeof(mf->manager), e, "manager") ||
	    !copy_str(mf->sub, sizeof(mf->sub), e, "subresource") ||
	    !copy_str(mf->api_version, sizeof(mf->api_version), e,
	              "apiVersion") ||
	    !copy_str(mf->time, sizeof(mf->time), e, "time") || !op ||
	    (strcmp(op, "Apply") != 0 && strcmp(op, "Update") != 0) ||
	    (ft && strcmp(ft, "FieldsV1") != 0)) {
		ks_status_set(st, 400, "BadRequest",
		              "metadata.managedFields[%zu]: invalid entry: "
		              "needs manager, operation Apply or Update and "
		              "fieldsType FieldsV1",
		              i);
		return GA_EINVALID;
	}
	mf->apply = strcmp(op, "Apply") == 0;
	if ((err = ks_fs_decode(&mf->set, ks_get(e, "fieldsV1"))) < 0) {
		ks_status_set(st, 400, "BadRequest",
		              "metadata.managedFields[%zu].fieldsV1: %s", i,
		              ga_error_last()->message);
		return err;
	}
	return 0;
}

int ks_mfs_decode(ks_mfs *out, const ga_node *list, ks_status *st)
{
	size_t i;
	int err;

	memset(out, 0, sizeof(*out));
	if (list &&
	    (ks_type(list) != GA_NODE_LIST || ks_count(list) > MAX_ENTRIES)) {
		ks_status_set(st, 400, "BadRequest",
		              "metadata.managedFields: must be a list of at "
		              "most %d entries",
		              MAX_ENTRIES);
		return GA_EINVALID;
	}
	for (i = 0; i < ks_count(list); i++) {
		ks_mf *mf = mfs_add(out);
		if (!mf) {
			ks_mfs_dispose(out);
			ks_status_set(st, 500, "InternalError",
			              "out of memory");
			return GA_ENOMEM;
		}
		if ((err = decode_entry(mf, ks_item(list, i), i, st)) < 0) {
			ks_mfs_dispose(out);
			return err;
		}
	}
	return 0;
}

ks_mf *ks_mfs_entry(ks_mfs *m, const char *manager, bool apply, const char *sub,
                    const char *api_version)
{
	ks_mf *mf = NULL;
	size_t i;

	for (i = 0; i < m->n && !mf; i++)
		if (m->v[i].apply == apply &&
		    strcmp(m->v[i].manager, manager) == 0 &&
		    strcmp(m->v[i].sub, sub) == 0)
			mf = &m->v[i];
	if (!mf) {
		if (!(mf = mfs_add(m)))
			return NULL;
		if (ga_node_new_map(&mf->set) < 0) {
			m->n--;
			return NULL;
		}
		(void)snprintf(mf->manager, sizeof(mf->manager), "%s", manager);
		(void)snprintf(mf->sub, sizeof(mf->sub), "%s", sub);
		mf->apply = apply;
	}
	(void)snprintf(mf->api_version, sizeof(mf->api_version), "%s",
	               api_version);
	return mf;
}

static int mf_cmp(const void *pa, const void *pb)
{
	const ks_mf *a = pa, *b = pb;
	int c;

	if (a->apply != b->apply)
		return a->apply ? -1 : 1;
	if ((c = strcmp(a->time, b->time)) != 0 ||
	    (c = strcmp(a->manager, b->manager)) != 0 ||
	    (c = strcmp(a->api_version, b->api_version)) != 0)
		return c;
	return strcmp(a->sub, b->sub);
}

static int entry_node(ga_node **out, const ks_mf *mf)
{
	ga_node *e = NULL, *v1 = NULL;
	int err;

	if ((err = ga_node_new_map(&e)) < 0 ||
	    (err = ks_set_str(e, "manager", mf->manager)) < 0 ||
	    (err = ks_set_str(e, "operation", mf->apply ? "Apply" : "Update")) <
	        0 ||
	    (err = ks_set_str(e, "apiVersion", mf->api_version)) < 0 ||
	    (mf->time[0] && (err = ks_set_str(e, "time", mf->time)) < 0) ||
	    (err = ks_set_str(e, "fieldsType", "FieldsV1")) < 0 ||
	    (err = ks_fs_encode(&v1, mf->set)) < 0 ||
	    (err = ga_node_map_set_take(e, "fieldsV1", v1)) < 0 ||
	    (mf->sub[0] && (err = ks_set_str(e, "subresource", mf->sub)) < 0)) {
		ga_node_free(e);
		return err;
	}
	*out = e;
	return 0;
}

int ks_mfs_store(ks_mfs *m, ga_node *obj)
{
	ga_node *list = NULL, *e;
	size_t i;
	int err;

	/* qsort is not stable; the keys compared tell entries apart. */
	if (m->n > 1)
		qsort(m->v, m->n, sizeof(*m->v), mf_cmp);
	if ((err = ga_node_new_list(&list)) < 0)
		return err;
	for (i = 0; i < m->n; i++) {
		if (!ks_count(m->v[i].set))
			continue;
		if ((err = entry_node(&e, &m->v[i])) < 0 ||
		    (err = ga_node_list_append_take(list, e)) < 0) {
			ga_node_free(list);
			return err;
		}
	}
	if (!ks_count(list)) {
		ga_node_free(list);
		ga_node_free(ks_remove(ks_meta(obj), "managedFields"));
		return 0;
	}
	return ga_node_map_set_take(ks_meta(obj), "managedFields", list);
}

/* The request's own managedFields: 1 when they replace the tracked ones
 * (stored, or dropped for [{}]), 0 to track as usual. */
static int requested(ga_node *obj, const ga_node *old, ks_status *st)
{
	const ga_node *want = ks_get(ks_meta(obj), "managedFields");
	const ga_node *first = ks_item(want, 0);
	ks_mfs m;
	int err;

	if (!want || ks_type(want) == GA_NODE_NULL ||
	    (ks_type(want) == GA_NODE_LIST && !ks_count(want)) ||
	    ks_equal(want, ks_get(ks_meta(old), "managedFields")))
		return 0;
	if (ks_count(want) == 1 && ks_type(first) == GA_NODE_MAP &&
	    !ks_count(first)) {
		ga_node_free(ks_remove(ks_meta(obj), "managedFields"));
		return 1;
	}
	if ((err = ks_mfs_decode(&m, want, st)) < 0)
		return err;
	err = ks_mfs_store(&m, obj);
	ks_mfs_dispose(&m);
	return err < 0 ? err : 1;
}

/* Move the fields @changed to @mf, away from every other entry. */
static int take_fields(ks_mfs *m, ks_mf *mf, const ga_node *changed,
                       const ga_node *present)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		ks_fs_subtract(m->v[i].set, changed);
	ks_now_rfc3339(mf->time);
	return ks_fs_union(mf->set, present);
}

static int track(ks_req *r, ga_node *obj, const ga_node *old, ks_mfs *m)
{
	const ga_kust_schema_at *at = ks_ssa_schema(obj);
	ga_node *was = NULL, *now = NULL, *changed = NULL, *all = NULL;
	ga_node *present = NULL;
	char manager[256], av[160];
	ks_mf *mf;
	int err;

	if ((err = old ? ks_ssa_view(&was, r->res, r->sub, old)
	               : ga_node_new_map(&was)) < 0 ||
	    (err = ks_ssa_view(&now, r->res, r->sub, obj)) < 0 ||
	    (err = ks_fs_diff(&changed, was, now, at)) < 0)
		goto out;
	if (!ks_count(changed)) {
		err = 1;
		goto out;
	}
	ks_ssa_manager(r, manager);
	(void)snprintf(av, sizeof(av), "%s%s%s", r->res->group,
	               r->res->group[0] ? "/" : "", r->res->version);
	err = GA_ENOMEM;
	if (!(mf = ks_mfs_entry(m, manager, false, r->sub, av)) ||
	    (err = ks_fs_of(&all, now, at)) < 0 ||
	    (err = ks_fs_intersect(&present, changed, all)) < 0)
		goto out;
	err = take_fields(m, mf, changed, present);
out:
	ga_node_free(was);
	ga_node_free(now);
	ga_node_free(changed);
	ga_node_free(all);
	ga_node_free(present);
	return err;
}

/* A fieldManager longer than the server allows: 422 on the options of
 * the verb, as its validation words it. */
static int manager_too_long(const ks_req *r, ks_status *st)
{
	const char *fm = ga_httpd_request_query(r->http, "fieldManager");
	const char *opts = strcmp(r->method, "POST") == 0  ? "CreateOptions"
	                   : strcmp(r->method, "PUT") == 0 ? "UpdateOptions"
	                                                   : "PatchOptions";

	if (!fm || strlen(fm) <= 128)
		return 0;
	ks_status_set(st, 422, "Invalid",
	              "%s.meta.k8s.io \"\" is invalid: fieldManager: Too long: "
	              "may not be more than 128 bytes",
	              opts);
	st->has_details = true;
	st->group = "meta.k8s.io";
	st->kind = opts;
	(void)snprintf(st->field, sizeof(st->field), "fieldManager");
	st->cause = "FieldValueTooLong";
	(void)snprintf(st->cause_msg, sizeof(st->cause_msg),
	               "Too long: may not be more than 128 bytes");
	return GA_EINVALID;
}

int ks_managed_update(ks_req *r, ga_node *obj, const ga_node *old,
                      ks_status *st)
{
	const ga_node *had = ks_get(ks_meta(old), "managedFields");
	ga_node *copy = NULL;
	ks_mfs m;
	int err;

	st->code = 0;
	if ((err = manager_too_long(r, st)) < 0)
		return err;
	if ((err = requested(obj, old, st)) != 0)
		return err < 0 ? err : 0;
	if ((err = ks_mfs_decode(&m, had, st)) < 0)
		return err;
	if ((err = track(r, obj, old, &m)) == 0)
		err = ks_mfs_store(&m, obj);
	else if (err == 1 && had)
		/* Nothing changed: the entries stay as they were. */
		err = ga_node_clone(&copy, had) < 0
		          ? GA_ENOMEM
		          : ga_node_map_set_take(ks_meta(obj), "managedFields",
		                                 copy);
	else if (err == 1)
		ga_node_free(ks_remove(ks_meta(obj), "managedFields"));
	if (err == 1)
		err = 0;
	ks_mfs_dispose(&m);
	if (err < 0 && !st->code)
		ks_status_set(st, err == GA_ELIMIT ? 400 : 500,
		              err == GA_ELIMIT ? "BadRequest" : "InternalError",
		              "%s", ga_error_last()->message);
	return err;
}

int ks_managed_controller(ga_node *obj, const char *manager, const char *sub,
                          const ga_node *fields_v1)
{
	const ga_node *list = ks_get(ks_meta(obj), "managedFields");
	ga_node *set = NULL;
	ks_mfs m;
	ks_status st;
	ks_mf *mf;
	int err;

	memset(&m, 0, sizeof(m));
	if ((err = ks_fs_decode(&set, fields_v1)) < 0 ||
	    (list && (err = ks_mfs_decode(&m, list, &st)) < 0))
		goto out;
	err = GA_ENOMEM;
	if (!(mf = ks_mfs_entry(&m, manager, false, sub,
	                        ks_str(ks_get(obj, "apiVersion"))
	                            ? ks_str(ks_get(obj, "apiVersion"))
	                            : "")))
		goto out;
	/* The write takes the fields from whoever owned them. */
	if ((err = take_fields(&m, mf, set, set)) < 0)
		goto out;
	err = ks_mfs_store(&m, obj);
out:
	ks_mfs_dispose(&m);
	ga_node_free(set);
	return err;
}
