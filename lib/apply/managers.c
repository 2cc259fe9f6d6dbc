/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Taking over objects first written by kubectl (flux.md §3.3): the
 * managedFields entries of `kubectl apply` (client-side, whose manager is
 * kubectl-client-side-apply, and server-side), of `kubectl edit` and
 * friends (kubectl-*), and of before-first-apply are merged into our own
 * Apply entry, or renamed to it, and the last-applied-configuration
 * annotation goes.  Our next server-side apply then owns those fields and
 * removes the ones no longer in the set, instead of leaving them to an
 * old manager forever.  Entries for subresources (status) are kept: they
 * belong to controllers.
 */
#include <string.h>

#include "apply/apply_int.h"
#include "ga/error.h"

#define LAST_APPLIED "kubectl.kubernetes.io/last-applied-configuration"

/* Whether entry @e is one we take over. */
static bool taken_over(const ga_node *e)
{
	const char *m = ga_apply__str(e, "manager", "");
	const char *op = ga_apply__str(e, "operation", "");

	if (*ga_apply__str(e, "subresource", ""))
		return false;
	if (strncmp(m, "kubectl", 7) == 0)
		return strcmp(op, "Apply") == 0 || strcmp(op, "Update") == 0;
	return strcmp(m, "before-first-apply") == 0 &&
	       strcmp(op, "Update") == 0;
}

static bool ours(const ga_node *e, const char *manager)
{
	return strcmp(ga_apply__str(e, "manager", ""), manager) == 0 &&
	       strcmp(ga_apply__str(e, "operation", ""), "Apply") == 0 &&
	       !*ga_apply__str(e, "subresource", "");
}

/* The union of two fieldsV1 sets: @src's members added into @dst. */
static int fields_union(ga_node *dst, const ga_node *src)
{
	int err;

	for (size_t i = 0; i < ga_node_count(src); i++) {
		const char *key = ga_node_map_key(src, i, NULL);
		ga_node *sv = ga_node_map_value(src, i), *dv, *copy = NULL;

		dv = ga_node_map_get(dst, key);
		if (dv && ga_node_type_of(dv) == GA_NODE_MAP &&
		    ga_node_type_of(sv) == GA_NODE_MAP) {
			if ((err = fields_union(dv, sv)) < 0)
				return err;
			continue;
		}
		if (dv)
			continue;
		if ((err = ga_node_clone(&copy, sv)) < 0 ||
		    (err = ga_node_map_set_take(dst, key, copy)) < 0)
			return err;
	}
	return 0;
}

/* Merge entry @e into ours in @list (renaming @e when there is none). */
static int merge_entry(ga_node *list, ga_node *e, const char *manager)
{
	ga_node *fields = ga_node_map_get(e, "fieldsV1");
	int err;

	for (size_t i = 0; i < ga_node_count(list); i++) {
		ga_node *o = ga_node_list_get(list, i);
		ga_node *ofields = ga_node_map_get(o, "fieldsV1");

		if (!ours(o, manager))
			continue;
		err = fields && ofields &&
		              ga_node_type_of(fields) == GA_NODE_MAP &&
		              ga_node_type_of(ofields) == GA_NODE_MAP
		          ? fields_union(ofields, fields)
		          : 0;
		ga_node_free(e);
		return err;
	}
	if ((err = ga_apply__set_str(e, "manager", manager)) < 0 ||
	    (err = ga_apply__set_str(e, "operation", "Apply")) < 0 ||
	    (err = ga_node_list_append_take(list, e)) < 0)
		ga_node_free(e);
	return err;
}

/* Move the entries taken over out of @mf and into ours. */
static int take_over(ga_node *mf, const char *manager)
{
	int err = 0;

	for (size_t i = ga_node_count(mf); i-- > 0 && err == 0;) {
		if (taken_over(ga_node_list_get(mf, i)))
			err = merge_entry(mf, ga_node_list_remove(mf, i),
			                  manager);
	}
	return err;
}

static bool needs_cleanup(const ga_node *live)
{
	const ga_node *mf = ga_apply__at(live, "metadata.managedFields");

	if (ga_apply__at(live, "metadata.annotations." LAST_APPLIED))
		return true;
	for (size_t i = 0;
	     mf && ga_node_type_of(mf) == GA_NODE_LIST && i < ga_node_count(mf);
	     i++) {
		if (taken_over(ga_node_list_get(mf, i)))
			return true;
	}
	return false;
}

int ga_apply_take_over(ga_node **out, const ga_node *live, const char *manager)
{
	ga_node *obj = NULL, *meta, *ann, *mf;
	int err;

	*out = NULL;
	if (!live || ga_node_type_of(live) != GA_NODE_MAP || !manager ||
	    !*manager) {
		ga_error_set(
		    GA_ERRCLASS_INVALID,
		    "take over: a live object and a manager are needed");
		return GA_EINVALID;
	}
	if (!needs_cleanup(live))
		return 0;
	if ((err = ga_node_clone(&obj, live)) < 0)
		return err;
	meta = ga_node_map_get(obj, "metadata");
	ann = ga_node_map_get(meta, "annotations");
	if (ann && ga_node_type_of(ann) == GA_NODE_MAP) {
		ga_node_free(ga_node_map_remove(ann, LAST_APPLIED));
		if (ga_node_count(ann) == 0)
			ga_node_free(ga_node_map_remove(meta, "annotations"));
	}
	mf = ga_node_map_get(meta, "managedFields");
	if (mf && ga_node_type_of(mf) == GA_NODE_LIST &&
	    (err = take_over(mf, manager)) < 0) {
		ga_node_free(obj);
		return err;
	}
	*out = obj;
	return 0;
}

/* Whether @e, another manager's Update, owns spec.replicas. */
static bool owns_replicas(const ga_node *e, const char *manager)
{
	const ga_node *spec = ga_apply__at(e, "fieldsV1.f:spec");

	return strcmp(ga_apply__str(e, "operation", ""), "Update") == 0 &&
	       strcmp(ga_apply__str(e, "manager", ""), manager) != 0 && spec &&
	       ga_node_type_of(spec) == GA_NODE_MAP &&
	       ga_node_map_get(spec, "f:replicas");
}

int ga_apply_yield(ga_node *obj, const ga_node *live, const char *manager)
{
	const ga_node *mf = ga_apply__at(live, "metadata.managedFields");
	ga_node *spec = ga_node_type_of(obj) == GA_NODE_MAP
	                    ? ga_node_map_get(obj, "spec")
	                    : NULL;
	size_t n =
	    mf && ga_node_type_of(mf) == GA_NODE_LIST ? ga_node_count(mf) : 0;

	if (!spec || ga_node_type_of(spec) != GA_NODE_MAP ||
	    !ga_node_map_get(spec, "replicas"))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (owns_replicas(ga_node_list_get(mf, i), manager)) {
			ga_node_free(ga_node_map_remove(spec, "replicas"));
			return 1;
		}
	return 0;
}
