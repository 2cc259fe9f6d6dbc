/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Server-side apply (PATCH with application/apply-patch+yaml), as
 * kube-apiserver 1.32 does it through structured-merge-diff: the applied
 * configuration is merged into the live object (or into an empty one:
 * apply creates), and the fields it sets are what its manager owns from
 * now on.  A field the apply changes that another manager owns is a
 * conflict (409, one cause per field) unless force=true, which takes it
 * over; setting the value another manager set shares the field.  Fields
 * the manager applied before and no longer applies are removed from the
 * object unless another manager still owns them.  The result takes the
 * PUT path of write.c, with managedFields already settled here.
 */
#include "ssa.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/error.h"
#include "ga/json.h"

/* What an apply computed: the new object and its managers. */
typedef struct apply {
	ks_req *r;
	const ga_kust_schema_at *at;
	char manager[256];
	char av[160];
	ga_node *config;  /* the applied configuration's managed part */
	ga_node *merged;  /* the would-be object */
	ga_node *applied; /* the fields the configuration sets */
	ga_node *changed; /* the fields the apply changes */
	ks_mfs mfs;
} apply;

static void apply_dispose(apply *a)
{
	ga_node_free(a->config);
	ga_node_free(a->merged);
	ga_node_free(a->applied);
	ga_node_free(a->changed);
	ks_mfs_dispose(&a->mfs);
}

/* The applied configuration from the body (YAML or JSON), checked. */
static int read_config(ks_req *r, ga_node **out, ks_status *st)
{
	size_t len = 0, i = 0;
	const char *body = ga_httpd_request_body(r->http, &len);
	ga_node *obj = NULL;
	const ga_node *mf;
	int err;

	while (i < len && strchr(" \t\r\n", body[i]))
		i++;
	if ((err =
	         ks_decode_body(&obj,
	                        i < len && body[i] == '{' ? "application/json"
	                                                  : "application/yaml",
	                        body ? body : "", len, st)) < 0)
		return err;
	mf = ks_get(ks_meta(obj), "managedFields");
	if (mf && ks_type(mf) != GA_NODE_NULL) {
		ks_status_set(st, 400, "BadRequest",
		              "metadata.managedFields must be nil");
		ga_node_free(obj);
		return GA_EINVALID;
	}
	if ((err = ks_validate_object(r->res, r->ns, r->name, obj, st)) < 0) {
		ga_node_free(obj);
		return err;
	}
	*out = obj;
	return 0;
}

/* The object an apply creates starts from its identity alone. */
static int empty_object(ga_node **out, ks_req *r, const ga_node *config)
{
	ga_node *obj = NULL, *meta = NULL;
	int err;

	if ((err = ga_node_new_map(&obj)) < 0 ||
	    (err = ks_set_str(obj, "apiVersion",
	                      ks_str(ks_get(config, "apiVersion")))) < 0 ||
	    (err = ks_set_str(obj, "kind", ks_str(ks_get(config, "kind")))) <
	        0 ||
	    (err = ga_node_new_map(&meta)) < 0 ||
	    (err = ga_node_map_set_take(obj, "metadata", meta)) < 0 ||
	    (err = ks_meta_set_str(obj, "name", r->name)) < 0 ||
	    (r->ns[0] &&
	     (err = ks_meta_set_str(obj, "namespace", r->ns)) < 0)) {
		ga_node_free(obj);
		return err;
	}
	*out = obj;
	return 0;
}

/* Merge the configuration into the live object and see what changes. */
static int compute(apply *a, const ga_node *live_obj, const ga_node *body)
{
	ga_node *live = NULL, *now = NULL;
	int err;

	if ((err = ks_ssa_view(&a->config, a->r->res, a->r->sub, body)) < 0 ||
	    (err = ks_fs_of(&a->applied, a->config, a->at)) < 0 ||
	    (err = ga_node_clone(&a->merged, live_obj)) < 0 ||
	    (err = ks_fs_merge(a->merged, a->config, a->at)) < 0 ||
	    (err = ks_ssa_view(&live, a->r->res, a->r->sub, live_obj)) < 0 ||
	    (err = ks_ssa_view(&now, a->r->res, a->r->sub, a->merged)) < 0)
		goto out;
	err = ks_fs_diff(&a->changed, live, now, a->at);
out:
	ga_node_free(live);
	ga_node_free(now);
	return err;
}

/* How the server names a manager in a conflict. */
static void manager_name(char *out, size_t cap, const ks_mf *mf)
{
	int n = snprintf(out, cap, "\"%s\"", mf->manager);

	if (n > 0 && (size_t)n < cap && mf->sub[0])
		n += snprintf(out + n, cap - (size_t)n,
		              " with subresource \"%s\"", mf->sub);
	if (n > 0 && (size_t)n < cap && !mf->apply)
		(void)snprintf(out + n, cap - (size_t)n, " using %s",
		               mf->api_version);
}

/* The conflicts found so far, rendered. */
typedef struct conflicts {
	size_t n;
	char who[400];       /* the current manager, as printed */
	ga_buf list;         /* "conflicts with M:\n- path" per manager */
	ga_buf causes;       /* details.causes */
	char first[300];     /* the first conflict's path */
	char first_who[400]; /* and its manager */
} conflicts;

static int add_conflict(const char *path, void *arg)
{
	conflicts *c = arg;
	char msg[440];

	if (!c->n++) {
		(void)snprintf(c->first, sizeof(c->first), "%s", path);
		(void)snprintf(c->first_who, sizeof(c->first_who), "%s",
		               c->who);
	}
	(void)snprintf(msg, sizeof(msg), "conflict with %s", c->who);
	(void)ga_buf_printf(&c->list, "\n- %s", path);
	(void)ga_buf_puts(&c->causes, c->n > 1 ? "," : "[");
	(void)ga_buf_puts(&c->causes, "{\"reason\":\"FieldManagerConflict\","
	                              "\"message\":");
	(void)ga_json_quote(&c->causes, msg);
	(void)ga_buf_puts(&c->causes, ",\"field\":");
	(void)ga_json_quote(&c->causes, path);
	return ga_buf_putc(&c->causes, '}');
}

/* kube-apiserver's wording (fieldmanager's NewConflictError): one
 * conflict on a line, several grouped under their managers. */
static int conflict_reply(ks_req *r, conflicts *c)
{
	ks_status st;

	(void)ga_buf_putc(&c->causes, ']');
	if (c->n == 1)
		ks_status_set(
		    &st, 409, "Conflict",
		    "Apply failed with 1 conflict: conflict with %s: %s",
		    c->first_who, c->first);
	else
		ks_status_set(&st, 409, "Conflict",
		              "Apply failed with %zu conflicts: %s", c->n,
		              ga_buf_cstr(&c->list) + 1);
	st.has_details = true;
	st.causes = ga_buf_cstr(&c->causes);
	return ks_reply_status(r, &st);
}

/* The server sorts the managers of a conflict by name. */
static int by_manager(const void *pa, const void *pb)
{
	const ks_mf *a = pa, *b = pb;
	int c = strcmp(a->manager, b->manager);

	if (c)
		return c;
	return a->apply == b->apply ? strcmp(a->sub, b->sub)
	                            : (a->apply ? -1 : 1);
}

/* The fields of @mine that the entry @mf owns, unless @mf is the
 * applier's own Apply entry. */
static int clash_of(ga_node **out, const apply *a, const ga_node *mine,
                    const ks_mf *mf)
{
	*out = NULL;
	if (mf->apply && strcmp(mf->manager, a->manager) == 0 &&
	    strcmp(mf->sub, a->r->sub) == 0)
		return 0;
	return ks_fs_intersect(out, mine, mf->set);
}

/* Answer the conflicts of @mine with every manager in a 409. */
static int report(apply *a, const ga_node *mine)
{
	conflicts c = {
	    0,  "", GA_BUF_INIT(KS_SSA_BUF_MAX), GA_BUF_INIT(KS_SSA_BUF_MAX),
	    "", ""};
	ga_node *clash = NULL;
	size_t i;
	int err = 0;

	/* The entries are sorted again when stored. */
	if (a->mfs.n > 1)
		qsort(a->mfs.v, a->mfs.n, sizeof(*a->mfs.v), by_manager);
	for (i = 0; i < a->mfs.n && err >= 0; i++) {
		if ((err = clash_of(&clash, a, mine, &a->mfs.v[i])) == 0 &&
		    ks_count(clash)) {
			manager_name(c.who, sizeof(c.who), &a->mfs.v[i]);
			(void)ga_buf_printf(&c.list,
			                    "\nconflicts with %s:", c.who);
			err = ks_fs_paths(clash, add_conflict, &c);
		}
		ga_node_free(clash);
		clash = NULL;
	}
	if (err >= 0)
		err = conflict_reply(a->r, &c) < 0 ? GA_ERROR : 1;
	ga_buf_dispose(&c.list);
	ga_buf_dispose(&c.causes);
	return err;
}

/*
 * The fields the apply changes that other managers own: a 409 (1 is
 * returned once it is answered), or with force they change hands.
 */
static int check_conflicts(apply *a, bool force)
{
	ga_node *mine = NULL, *clash = NULL;
	size_t i, managers = 0;
	int err;

	if ((err = ks_fs_intersect(&mine, a->changed, a->applied)) < 0)
		return err;
	for (i = 0; i < a->mfs.n && err >= 0; i++) {
		if ((err = clash_of(&clash, a, mine, &a->mfs.v[i])) == 0 &&
		    ks_count(clash)) {
			managers++;
			if (force)
				ks_fs_subtract(a->mfs.v[i].set, clash);
		}
		ga_node_free(clash);
		clash = NULL;
	}
	if (err >= 0 && managers && !force)
		err = report(a, mine);
	ga_node_free(mine);
	return err;
}

/*
 * The fields the manager applied before and no longer applies leave the
 * object unless another manager owns them; then its set is what it
 * applied now.
 */
static int settle(apply *a)
{
	ks_mf *me = ks_mfs_entry(&a->mfs, a->manager, true, a->r->sub, a->av);
	ga_node *gone = NULL;
	size_t i;
	int err;

	if (!me)
		return GA_ENOMEM;
	if ((err = ga_node_clone(&gone, me->set)) < 0)
		return err;
	ks_fs_subtract(gone, a->applied);
	for (i = 0; i < a->mfs.n; i++)
		if (&a->mfs.v[i] != me)
			ks_fs_subtract(gone, a->mfs.v[i].set);
	err = ks_fs_remove(a->merged, gone, a->at);
	if (err == 0 && (ks_count(gone) || ks_count(a->changed) ||
	                 !ks_equal(me->set, a->applied)))
		ks_now_rfc3339(me->time);
	ga_node_free(gone);
	if (err < 0)
		return err;
	ga_node_free(me->set);
	me->set = a->applied;
	a->applied = NULL;
	return ks_mfs_store(&a->mfs, a->merged);
}

/* The request's checks before anything is computed; 1 once answered. */
static int preconditions(apply *a, ga_node **config, ks_status *st)
{
	const char *fm = ga_httpd_request_query(a->r->http, "fieldManager");
	int err;

	if (!fm || !fm[0]) {
		err = ks_patch_options_invalid(
		    a->r, "fieldManager", "FieldValueRequired",
		    "Required value: is required for apply patch");
		return err < 0 ? err : 1;
	}
	if (strlen(fm) > 128) {
		err = ks_patch_options_invalid(
		    a->r, "fieldManager", "FieldValueTooLong",
		    "Too long: may not be more than 128 bytes");
		return err < 0 ? err : 1;
	}
	ks_ssa_manager(a->r, a->manager);
	(void)snprintf(a->av, sizeof(a->av), "%s%s%s", a->r->res->group,
	               a->r->res->group[0] ? "/" : "", a->r->res->version);
	if (read_config(a->r, config, st) < 0) {
		err = ks_reply_status(a->r, st);
		return err < 0 ? err : 1;
	}
	return 0;
}

/* Answer a failure found while computing: a configuration too deep or
 * otherwise unusable is the client's (400), the rest the server's. */
static int failed(ks_req *r, int err, ks_status *st)
{
	if (!st->code && (err == GA_EINVALID || err == GA_ELIMIT))
		ks_status_set(st, 400, "BadRequest", "%s",
		              ga_error_last()->message);
	else if (!st->code)
		ks_status_set(st, 500, "InternalError", "%s",
		              ga_error_last()->message);
	return ks_reply_status(r, st);
}

int ks_apply(ks_req *r, const ga_node *old)
{
	const char *force = ga_httpd_request_query(r->http, "force");
	apply a;
	ga_node *body = NULL, *live = NULL, *obj;
	ks_status st;
	int err;

	memset(&a, 0, sizeof(a));
	a.r = r;
	if ((err = preconditions(&a, &body, &st)) != 0)
		return err < 0 ? err : 0;
	a.at = ks_ssa_schema(body);
	if (!old && r->sub[0]) {
		ks_status_not_found(&st, r->res, r->name);
		err = ks_reply_status(r, &st);
		goto out;
	}
	st.code = 0;
	if ((err = old ? 0 : empty_object(&live, r, body)) < 0 ||
	    (err = compute(&a, old ? old : live, body)) < 0 ||
	    (err = ks_mfs_decode(&a.mfs, ks_get(ks_meta(old), "managedFields"),
	                         &st)) < 0 ||
	    (err = check_conflicts(&a, force && strcmp(force, "true") == 0)) !=
	        0 ||
	    (err = settle(&a)) < 0) {
		if (err < 0)
			err = failed(r, err, &st);
		goto out;
	}
	if (ks_check_body(r, a.merged, &st) < 0) {
		err = ks_reply_status(r, &st);
		goto out;
	}
	obj = a.merged;
	a.merged = NULL;
	r->applied = true;
	err = old ? ks_update_object(r, obj, old) : ks_create_object(r, obj);
out:
	if (err == 1)
		err = 0;
	apply_dispose(&a);
	ga_node_free(body);
	ga_node_free(live);
	return err;
}
