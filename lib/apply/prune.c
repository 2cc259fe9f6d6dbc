/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The prune plan (flux.md §2.8 and §8.5).  As in Flux, only objects that
 * are in our old inventory, missing from the new one, and whose live
 * labels still carry every owner label are deleted, and the per-object
 * switches (prune: disabled, reconcile: disabled, ssa: Ignore) keep an
 * object.  Flux stops there and has deleted flux-system and pre-created
 * namespaces (flux2#3949, #1462); we add the guard rails it lacks:
 * Namespaces, CRDs (which take all their objects with them) and volumes
 * are kept unless the configuration allows their deletion, the agent's
 * own Namespace is always kept, and a plan that would delete more than a
 * share of the inventory (a renamed overlay path, an emptied kustomization)
 * is refused with the list of what it would have deleted.
 */
#include <string.h>

#include "apply/apply_int.h"
#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/error.h"

#define SHOW_MAX 10

static bool owned(const ga_node *live, const ga_prune_opts *o)
{
	const ga_node *labels = ga_apply__at(live, "metadata.labels");

	for (size_t i = 0; i < o->nowner_labels; i++) {
		const ga_node *v =
		    labels && ga_node_type_of(labels) == GA_NODE_MAP
		        ? ga_node_map_get(labels, o->owner_labels[i].key)
		        : NULL;

		if (!v || !ga_node_str(v) ||
		    strcmp(ga_node_str(v), o->owner_labels[i].value) != 0)
			return false;
	}
	return true;
}

static bool disabled(const ga_node *live)
{
	return ga_apply__meta_is(live, GA_APPLY__FLUX "prune", "disabled") ||
	       ga_apply__meta_is(live, GA_APPLY__FLUX "reconcile",
	                         "disabled") ||
	       ga_apply__meta_is(live, GA_APPLY__FLUX "ssa", "Ignore");
}

static bool is(const ga_apply_ref *r, const char *group, const char *kind)
{
	return strcmp(r->group, group) == 0 && strcmp(r->kind, kind) == 0;
}

/* Why the options protect @r, or NULL. */
static const char *protected_why(const ga_apply_ref *r, const ga_prune_opts *o)
{
	if (is(r, "", "Namespace") && o->agent_namespace &&
	    strcmp(r->name, o->agent_namespace) == 0)
		return "the agent's own namespace is never pruned";
	if (is(r, "", "Namespace") && !o->allow_namespaces)
		return "Namespaces are pruned only when allowed";
	if (is(r, "apiextensions.k8s.io", "CustomResourceDefinition") &&
	    !o->allow_crds)
		return "CustomResourceDefinitions are pruned only when allowed";
	if ((is(r, "", "PersistentVolumeClaim") ||
	     is(r, "", "PersistentVolume")) &&
	    !o->allow_volumes)
		return "volumes are pruned only when allowed";
	return NULL;
}

static int decide(ga_prune_item *it, const ga_apply_ref *r,
                  const ga_prune_opts *o, ga_prune_live_fn live, void *payload)
{
	const ga_node *obj = NULL;
	const char *why;
	int err;

	it->ref = *r;
	if ((err = live(&obj, r, payload)) < 0)
		return err;
	if (!obj) {
		it->decision = GA_PRUNE_GONE;
		it->why = "already deleted";
	} else if (!owned(obj, o)) {
		it->decision = GA_PRUNE_NOT_OWNED;
		it->why = "its labels no longer name this agent as owner";
	} else if (disabled(obj)) {
		it->decision = GA_PRUNE_DISABLED;
		it->why = "prune is disabled on the object";
	} else if ((why = protected_why(r, o)) != NULL) {
		it->decision = GA_PRUNE_PROTECTED;
		it->why = why;
	} else {
		it->decision = GA_PRUNE_DELETE;
		it->why = "no longer in the desired state";
	}
	return 0;
}

static void describe(ga_buf *b, const ga_apply_ref *r)
{
	(void)ga_buf_printf(b, "%s%s%s %s %s%s%s", r->group,
	                    *r->group ? "/" : "", r->version, r->kind, r->ns,
	                    *r->ns ? "/" : "", r->name);
}

/* Refuse @plan when it deletes more than the allowed share of @total. */
static int check_share(const ga_prune_plan *plan, size_t total,
                       const ga_prune_opts *o)
{
	ga_buf list = GA_BUF_INIT(8192);
	size_t shown = 0;

	if (o->max_percent >= 100 ||
	    plan->ndelete * 100 <= (size_t)o->max_percent * total)
		return 0;
	for (size_t i = 0; i < plan->n && shown < SHOW_MAX; i++) {
		if (plan->items[i].decision != GA_PRUNE_DELETE)
			continue;
		(void)ga_buf_puts(&list, shown++ ? ", " : "");
		describe(&list, &plan->items[i].ref);
	}
	if (plan->ndelete > shown)
		(void)ga_buf_printf(&list, " and %zu more",
		                    plan->ndelete - shown);
	ga_error_set(GA_ERRCLASS_CONFIG,
	             "prune refused: it would delete %zu of the %zu objects in "
	             "the inventory (%zu%%), more than the allowed %u%%, which "
	             "looks like a renamed or emptied source path rather than "
	             "removed objects; it would have deleted %s",
	             plan->ndelete, total, plan->ndelete * 100 / total,
	             o->max_percent, ga_buf_cstr(&list));
	ga_buf_dispose(&list);
	return GA_ELIMIT;
}

/* The items of @plan->stale in deletion order, each decided. */
static int decide_all(ga_prune_plan *plan, const ga_prune_opts *o,
                      ga_prune_live_fn live, void *payload)
{
	size_t n = ga_inventory_count(plan->stale);
	ga_apply_ref *refs = ga_calloc(n ? n : 1, sizeof(*refs));
	ga_apply_order order = {NULL, 0, {0}};
	int err;

	plan->items = ga_calloc(n ? n : 1, sizeof(*plan->items));
	if (!refs || !plan->items) {
		err = GA_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		refs[i] = *ga_inventory_get(plan->stale, i);
	if ((err = ga_apply_sort_delete(&order, refs, n)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		ga_prune_item *it = &plan->items[plan->n];

		if ((err = decide(it, &refs[order.order[i]], o, live,
		                  payload)) < 0)
			goto out;
		plan->n++;
		plan->ndelete += it->decision == GA_PRUNE_DELETE;
	}
out:
	ga_apply_order_dispose(&order);
	ga_free(refs);
	return err;
}

int ga_prune_plan_make(ga_prune_plan *out, const ga_inventory *old,
                       const ga_inventory *cur, ga_prune_live_fn live,
                       void *payload, const ga_prune_opts *opts)
{
	ga_prune_opts o = GA_PRUNE_OPTS_INIT;
	ga_prune_plan plan = {NULL, NULL, 0, 0};
	int err;

	if (opts)
		o = *opts;
	if (!o.nowner_labels || !live) {
		ga_error_set(GA_ERRCLASS_CONFIG, "prune: %s",
		             live ? "no owner labels to match live objects "
		                    "against"
		                  : "no way to look up live objects");
		return GA_EINVALID;
	}
	if ((err = ga_inventory_diff(&plan.stale, old, cur)) < 0 ||
	    (err = decide_all(&plan, &o, live, payload)) < 0 ||
	    (err = check_share(&plan, ga_inventory_count(old), &o)) < 0) {
		ga_prune_plan_dispose(&plan);
		return err;
	}
	*out = plan;
	return 0;
}

void ga_prune_plan_dispose(ga_prune_plan *plan)
{
	if (!plan)
		return;
	ga_free(plan->items);
	ga_inventory_free(plan->stale);
	*plan = (ga_prune_plan){NULL, NULL, 0, 0};
}
