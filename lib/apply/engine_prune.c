/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The inventory step: read the previous inventory from its ConfigMaps
 * (absent: empty), plan the prune of what left the set with its guard
 * rails (ga_prune_plan_make, live objects by GET), delete in reverse
 * apply order, then write the new inventory by server-side apply and
 * delete the parts a shrunk inventory no longer needs.  An inventory
 * that did not change is not written, so an idle reconcile writes
 * nothing.  A dry run plans the prune and reports it, nothing more.
 */
#include "apply/apply_int.h"
#include "apply/engine_int.h"
#include "apply/inventory.h"

#include <stdlib.h>
#include <string.h>

#include "ga/error.h"

/* Read inventory part @i. */
static int get_part(eng *e, size_t i, ga_node **out)
{
	ga_buf name = GA_BUF_INIT(512);
	int err;

	if ((err = ga_inventory__part_name(&name, e->o->inventory_name, i)) ==
	    0)
		err = ga_kube_get(e->k, "v1", "ConfigMap", e->o->inventory_ns,
		                  ga_buf_cstr(&name), out);
	ga_buf_dispose(&name);
	return err;
}

/* The previous inventory; *@nparts: how many ConfigMaps hold it. */
static int read_old(eng *e, ga_inventory **out, size_t *nparts)
{
	ga_node *list = NULL, *cm = NULL;
	const char *parts;
	char *end;
	unsigned long n;
	int err;

	*nparts = 0;
	if ((err = get_part(e, 0, &cm)) == GA_ENOTFOUND)
		return ga_inventory_new(out);
	if (err < 0)
		return err;
	parts = ga_apply__str(cm, "data.parts", "");
	n = strtoul(parts, &end, 10);
	if (!*parts || *end || n == 0 || n > GA_INVENTORY__MAX_PARTS) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "ConfigMap %s/%s: data.parts is not a part count",
		             e->o->inventory_ns, e->o->inventory_name);
		err = GA_EINVALID;
		goto out;
	}
	if ((err = ga_node_new_list(&list)) < 0 ||
	    (err = ga_node_list_append_take(list, cm)) < 0)
		goto out;
	cm = NULL;
	for (size_t i = 1; i < n; i++) {
		if ((err = get_part(e, i, &cm)) < 0 ||
		    (err = ga_node_list_append_take(list, cm)) < 0)
			goto out;
		cm = NULL;
	}
	*nparts = n;
	err = ga_inventory_decode(out, list);
out:
	ga_node_free(cm);
	ga_node_free(list);
	return err;
}

static int current_inventory(eng *e, ga_inventory **out)
{
	int err;

	if ((err = ga_inventory_new(out)) < 0)
		return err;
	for (size_t i = 0; i < e->n && err == 0; i++) {
		if (!eng_failed(e, &e->objs[i]))
			err = ga_inventory_add(*out, &e->objs[i].ref);
	}
	return err;
}

typedef struct live_cache {
	eng *e;
	ga_node *held; /* the objects handed out, freed after the plan */
} live_cache;

static int live_lookup(const ga_node **out, const ga_apply_ref *ref,
                       void *payload)
{
	live_cache *c = payload;
	ga_node *obj = NULL;
	char api[320];
	int err;

	*out = NULL;
	err = ga_kube_get(c->e->k, eng_api_version(api, sizeof(api), ref),
	                  ref->kind, ref->ns, ref->name, &obj);
	if (err == GA_ENOTFOUND)
		return 0;
	if (err < 0 || (err = ga_node_list_append_take(c->held, obj)) < 0) {
		ga_node_free(obj);
		return err;
	}
	*out = obj;
	return 0;
}

static int delete_item(eng *e, const ga_prune_item *it)
{
	size_t idx;
	char api[320];
	int err;

	if (it->decision != GA_PRUNE_DELETE && it->decision != GA_PRUNE_GONE)
		return 0;
	if ((err = eng_entry_add(e, &it->ref, NULL, GA_OUTCOME_PRUNED, &idx)) <
	    0)
		return err;
	e->rep->changed = true;
	if (it->decision == GA_PRUNE_GONE)
		return 0;
	err = ga_kube_delete(e->k, eng_api_version(api, sizeof(api), &it->ref),
	                     it->ref.kind, it->ref.ns, it->ref.name,
	                     "Background", 0);
	if (err < 0 && err != GA_ENOTFOUND && err != GA_ENOMEM)
		return eng_entry_fail(e, idx, "prune");
	return err == GA_ENOTFOUND ? 0 : err;
}

/* The prune plan of @old against @cur; the live objects it read stay in
 * the list *@held until the caller frees it. */
static int make_plan(eng *e, const ga_inventory *old, const ga_inventory *cur,
                     ga_prune_plan *plan, ga_node **held)
{
	ga_prune_opts po = e->o->prune_opts;
	live_cache c = {.e = e};
	int err;

	po.owner_labels = e->o->owner_labels;
	po.nowner_labels = e->o->nowner_labels;
	if ((err = ga_node_new_list(&c.held)) < 0)
		return err;
	if ((err = ga_prune_plan_make(plan, old, cur, live_lookup, &c, &po)) <
	    0) {
		ga_node_free(c.held);
		return err;
	}
	*held = c.held;
	return 0;
}

static int prune(eng *e, const ga_inventory *old, const ga_inventory *cur)
{
	ga_prune_plan plan = {0};
	ga_node *held = NULL;
	int err;

	if ((err = make_plan(e, old, cur, &plan, &held)) < 0)
		return err;
	ga_node_free(held);
	for (size_t i = 0; i < plan.n && err == 0; i++)
		err = delete_item(e, &plan.items[i]);
	ga_prune_plan_dispose(&plan);
	return err;
}

/* The object of @held that @ref names, or NULL. */
static const ga_node *held_object(const ga_node *held, const ga_apply_ref *ref)
{
	for (size_t i = 0; i < ga_node_count(held); i++) {
		const ga_node *o = ga_node_list_get(held, i);

		if (strcmp(ga_apply__str(o, "kind", ""), ref->kind) == 0 &&
		    strcmp(ga_apply__str(o, "metadata.name", ""), ref->name) ==
		        0 &&
		    strcmp(ga_apply__str(o, "metadata.namespace", ""),
		           ref->ns) == 0)
			return o;
	}
	return NULL;
}

/*
 * A dry run's prune: the same plan and guard rails as a real one, but
 * what it would delete is only reported (outcome pruned) and, with a
 * diff, shown as the deletion of the whole object, as kubectl diff
 * --prune does.  An object already gone changes nothing on the cluster
 * and is left out.
 */
static int preview(eng *e, const ga_inventory *old, const ga_inventory *cur)
{
	ga_prune_plan plan = {0};
	ga_node *held = NULL;
	size_t idx;
	int err;

	if ((err = make_plan(e, old, cur, &plan, &held)) < 0)
		return err;
	for (size_t i = 0; i < plan.n && err == 0; i++) {
		const ga_prune_item *it = &plan.items[i];
		const ga_node *live;

		if (it->decision != GA_PRUNE_DELETE)
			continue;
		if ((err = eng_entry_add(e, &it->ref, NULL, GA_OUTCOME_PRUNED,
		                         &idx)) < 0)
			break;
		e->rep->changed = true;
		live = held_object(held, &it->ref);
		if (e->o->diff && live)
			err = ga_apply_diff(&e->rep->diff, live, NULL);
	}
	ga_node_free(held);
	ga_prune_plan_dispose(&plan);
	return err;
}

static bool same_inventory(const ga_inventory *a, const ga_inventory *b)
{
	if (ga_inventory_count(a) != ga_inventory_count(b))
		return false;
	for (size_t i = 0; i < ga_inventory_count(a); i++) {
		if (strcmp(ga_inventory_id(a, i), ga_inventory_id(b, i)) != 0 ||
		    strcmp(ga_inventory_get(a, i)->version,
		           ga_inventory_get(b, i)->version) != 0)
			return false;
	}
	return true;
}

/* Apply @inv's parts and delete the ones beyond them; *@parts: how many
 * are stored, before and after. */
static int write_new(eng *e, const ga_inventory *inv, size_t *parts)
{
	ga_buf name = GA_BUF_INIT(512);
	ga_node *cms = NULL;
	size_t n;
	int err;

	if ((err = ga_inventory_encode(&cms, inv, e->o->inventory_name,
	                               e->o->inventory_ns, NULL)) < 0)
		return err;
	n = ga_node_count(cms);
	for (size_t i = 0; i < n && err == 0; i++)
		err = ga_kube_apply(e->k, ga_node_list_get(cms, i),
		                    e->o->field_manager, GA_KUBE_FORCE, NULL);
	for (size_t i = n; i < *parts && err == 0; i++) {
		ga_buf_clear(&name);
		if ((err = ga_inventory__part_name(&name, e->o->inventory_name,
		                                   i)) < 0)
			break;
		err =
		    ga_kube_delete(e->k, "v1", "ConfigMap", e->o->inventory_ns,
		                   ga_buf_cstr(&name), NULL, 0);
		err = err == GA_ENOTFOUND ? 0 : err;
	}
	if (err == 0)
		*parts = n;
	if (err < 0)
		ga_error_prefix("inventory %s/%s", e->o->inventory_ns,
		                e->o->inventory_name);
	ga_node_free(cms);
	ga_buf_dispose(&name);
	return err;
}

/* The inventory as stored, read once per reconcile into e->inv_old. */
static int load_old(eng *e)
{
	int err;

	if (e->inv_old)
		return 0;
	if (!e->o->inventory_ns || !*e->o->inventory_ns) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "apply: the inventory needs a namespace");
		return GA_EINVALID;
	}
	if ((err = read_old(e, &e->inv_old, &e->inv_parts)) < 0)
		ga_error_prefix("reading the inventory");
	return err;
}

/* @old with the entries of @cur it lacks. */
static int union_of(ga_inventory **out, const ga_inventory *old,
                    const ga_inventory *cur)
{
	int err;

	if ((err = ga_inventory_new(out)) < 0)
		return err;
	for (size_t i = 0; i < ga_inventory_count(old) && err == 0; i++)
		err = ga_inventory_add(*out, ga_inventory_get(old, i));
	for (size_t i = 0; i < ga_inventory_count(cur) && err == 0; i++) {
		const ga_apply_ref *ref = ga_inventory_get(cur, i);

		if (!ga_inventory_contains(old, ref))
			err = ga_inventory_add(*out, ref);
	}
	return err;
}

int eng_inventory_widen(eng *e)
{
	ga_inventory *cur = NULL, *uni = NULL;
	bool grows = false;
	int err;

	if ((err = load_old(e)) < 0 || (err = current_inventory(e, &cur)) < 0)
		goto out;
	for (size_t i = 0; i < ga_inventory_count(cur) && !grows; i++)
		grows = !ga_inventory_contains(e->inv_old,
		                               ga_inventory_get(cur, i));
	if (!grows)
		goto out;
	if ((err = union_of(&uni, e->inv_old, cur)) < 0 ||
	    (err = write_new(e, uni, &e->inv_parts)) < 0)
		goto out;
	e->inv_stored = uni;
	uni = NULL;
out:
	ga_inventory_free(cur);
	ga_inventory_free(uni);
	return err;
}

int eng_inventory(eng *e)
{
	ga_inventory *cur = NULL;
	const ga_inventory *stored;
	int err;

	if ((err = load_old(e)) < 0 || (err = current_inventory(e, &cur)) < 0)
		goto out;
	if (e->o->prune &&
	    (err = e->o->dry_run ? preview(e, e->inv_old, cur)
	                         : prune(e, e->inv_old, cur)) < 0)
		goto out;
	/* A dry run writes nothing, the inventory included. */
	stored = e->inv_stored ? e->inv_stored : e->inv_old;
	if (!e->o->dry_run &&
	    (e->inv_parts == 0 || !same_inventory(stored, cur)))
		err = write_new(e, cur, &e->inv_parts);
out:
	ga_inventory_free(cur);
	return err;
}
