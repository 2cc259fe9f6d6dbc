/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One object's dry run: the live object (GET; 404 means it will be
 * created), then a server-side apply with dryRun=All and force, as Flux
 * does, whose answer ga_apply_classify compares with the live object.
 * An immutable-field error is not a failure when the options allow the
 * object to be recreated; any other error is, with the server's message
 * and causes.  Objects kubectl wrote are taken over first (unless
 * ssa: Merge), objects Flux's switches exclude are skipped, and a
 * replica count an autoscaler owns is left to it (ga_apply_yield).
 */
#include "apply/apply_int.h"
#include "apply/engine_int.h"

#include "ga/error.h"

static ga_apply_outcome outcome_of(ga_apply_action a)
{
	switch (a) {
	case GA_APPLY_CREATED:
		return GA_OUTCOME_CREATED;
	case GA_APPLY_CONFIGURED:
		return GA_OUTCOME_CONFIGURED;
	default:
		return GA_OUTCOME_UNCHANGED;
	}
}

static int get_live(eng *e, eng_obj *o)
{
	int err;

	ga_node_free(o->live);
	o->live = NULL;
	err = ga_kube_get(e->k, o->api_version, o->ref.kind, o->ref.ns,
	                  o->ref.name, &o->live);
	if (err == GA_ENOTFOUND) {
		o->live = NULL;
		return 0;
	}
	if (err < 0)
		return eng_entry_fail(e, o->entry, "get");
	return 0;
}

/* The dry run failed with @err: a recreate, or a failure with the
 * server's causes. */
static int dry_failed(eng *e, eng_obj *o, int err)
{
	const ga_node *status = NULL;
	long http = ga_kube_last_failure(e->k, &status);
	ga_recreate rc;

	ga_apply_recreate_check(&rc, http, status, o->obj, o->live,
	                        &e->o->recreate);
	if (rc.immutable && rc.allowed && o->live) {
		o->recreate = true;
		o->action = GA_APPLY_CONFIGURED;
		eng_entry_set(e, o->entry, GA_OUTCOME_CONFIGURED);
		e->rep->changed = true;
		return e->o->diff
		           ? ga_apply_diff(&e->rep->diff, o->live, o->obj)
		           : 0;
	}
	return eng_entry_fail_req(e, o->entry, err, "dry-run",
	                          rc.immutable ? rc.why : NULL);
}

/*
 * Flux's per-object switches (flux.md §2.2): reconcile: disabled or ssa:
 * Ignore on the desired or the live object, or ssa: IfNotPresent on the
 * desired one once the object exists, and the object is not written.
 * Annotations and labels both count, values in any case, as in Flux.
 */
bool eng_skip(eng *e, eng_obj *o)
{
	const ga_node *sides[2] = {o->obj, o->live};
	bool skip = o->live && ga_apply__meta_is(o->obj, GA_APPLY__FLUX "ssa",
	                                         "IfNotPresent");

	for (size_t i = 0; i < 2 && !skip; i++)
		skip = sides[i] &&
		       (ga_apply__meta_is(sides[i], GA_APPLY__FLUX "reconcile",
		                          "disabled") ||
		        ga_apply__meta_is(sides[i], GA_APPLY__FLUX "ssa",
		                          "Ignore"));
	if (skip) {
		o->action = GA_APPLY_UNCHANGED;
		eng_entry_set(e, o->entry, GA_OUTCOME_SKIPPED);
	}
	return skip;
}

/*
 * Take over what kubectl wrote (ga_apply_take_over) before the dry run,
 * so that it shows the removal of fields no longer in the set.  Not in a
 * dry-run-only reconcile: that writes nothing.
 */
static int take_over(eng *e, eng_obj *o)
{
	ga_node *obj = NULL, *updated = NULL;
	int err;

	/* ssa: Merge keeps what kubectl wrote: its fields stay its. */
	if (!o->live || e->o->dry_run ||
	    ga_apply__meta_is(o->obj, GA_APPLY__FLUX "ssa", "Merge") ||
	    ga_apply__meta_is(o->live, GA_APPLY__FLUX "ssa", "Merge"))
		return 0;
	if ((err = ga_apply_take_over(&obj, o->live, e->o->field_manager)) <
	        0 ||
	    !obj)
		return err;
	err = ga_kube_update(e->k, obj, e->o->field_manager, 0, &updated);
	ga_node_free(obj);
	if (err == GA_ENOMEM)
		return err;
	if (err < 0)
		return eng_entry_fail(e, o->entry,
		                      "taking over kubectl's fields");
	ga_node_free(o->live);
	o->live = updated;
	return 0;
}

int eng_dry_run(eng *e, eng_obj *o)
{
	int err;

	if ((err = get_live(e, o)) < 0 || eng_failed(e, o) || eng_skip(e, o) ||
	    (err = take_over(e, o)) < 0 || eng_failed(e, o))
		return err;
	(void)ga_apply_yield(o->obj, o->live, e->o->field_manager);
	ga_node_free(o->dry);
	o->dry = NULL;
	err = ga_kube_apply(e->k, o->obj, e->o->field_manager,
	                    GA_KUBE_FORCE | GA_KUBE_DRY_RUN, &o->dry);
	if (err == GA_ENOMEM)
		return err;
	if (err < 0)
		return dry_failed(e, o, err);
	if ((err = ga_apply_classify(&o->action, o->live, o->dry)) < 0)
		return err;
	eng_entry_set(e, o->entry, outcome_of(o->action));
	if (o->action == GA_APPLY_UNCHANGED)
		return 0;
	e->rep->changed = true;
	return e->o->diff ? ga_apply_diff(&e->rep->diff, o->live, o->dry) : 0;
}
