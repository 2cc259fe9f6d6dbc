/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Applying one stage: the dry run of objects whose CRDs the earlier
 * stages established, then a forced server-side apply of every created
 * or configured object (unchanged ones are not written), recreating an
 * object whose immutable fields changed when that is allowed, and after
 * the definitions stage a wait for its CRDs to be Established and its
 * Namespaces Active before the kinds they define are used.
 */
#include "apply/apply_int.h"
#include "apply/engine_int.h"

#include <string.h>

#include "ga/error.h"

#define POLL_MS 200

static void stage_range(const eng *e, ga_apply_stage s, size_t *lo, size_t *hi)
{
	*lo = s == 0 ? 0 : e->order.stage_end[s - 1];
	*hi = e->order.stage_end[s];
}

/* Apply @o; what the server answers becomes its live state. */
static int apply_keep(eng *e, eng_obj *o)
{
	ga_node *out = NULL;
	int err = ga_kube_apply(e->k, o->obj, e->o->field_manager,
	                        GA_KUBE_FORCE, &out);

	if (err == 0) {
		ga_node_free(o->live);
		o->live = out;
	}
	return err;
}

/*
 * GET @o every POLL_MS until @done says so of the answer (its code and
 * the object): 0, a failure other than NotFound, or 1 at the deadline.
 */
static int poll_until(eng *e, eng_obj *o,
                      bool (*done)(int err, const ga_node *live))
{
	for (;;) {
		ga_node *live = NULL;
		int err = ga_kube_get(e->k, o->api_version, o->ref.kind,
		                      o->ref.ns, o->ref.name, &live);
		bool ok = done(err, live);

		ga_node_free(live);
		if (ok)
			return 0;
		if (err < 0 && err != GA_ENOTFOUND)
			return err;
		if (eng_left_ms(e) == 0)
			return 1;
		eng_sleep_ms(POLL_MS);
	}
}

static bool gone(int err, const ga_node *live)
{
	(void)live;
	return err == GA_ENOTFOUND;
}

/* Poll until @o is gone (404) or the deadline. */
static int wait_gone(eng *e, eng_obj *o)
{
	int err = poll_until(e, o, gone);

	if (err == 1) {
		ga_error_set(GA_ERRCLASS_KUBE,
		             "%s %s%s%s still exists after its deletion for "
		             "recreate",
		             o->ref.kind, o->ref.ns, *o->ref.ns ? "/" : "",
		             o->ref.name);
		return GA_ERROR;
	}
	return err;
}

/* Delete (foreground), wait until gone, apply again. */
static int recreate(eng *e, eng_obj *o)
{
	int err = ga_kube_delete(e->k, o->api_version, o->ref.kind, o->ref.ns,
	                         o->ref.name, "Foreground", 0);

	if (err < 0 && err != GA_ENOTFOUND)
		return err;
	if ((err = wait_gone(e, o)) < 0)
		return err;
	e->rep->entries[o->entry].recreated = true;
	return apply_keep(e, o);
}

static int apply_one(eng *e, eng_obj *o)
{
	const ga_node *status = NULL;
	ga_recreate rc;
	int err;

	if (o->recreate) {
		err = recreate(e, o);
		goto out;
	}
	err = apply_keep(e, o);
	if (err < 0 && err != GA_ENOMEM) {
		/* The dry run passed, but the server may still refuse. */
		ga_apply_recreate_check(
		    &rc, ga_kube_last_failure(e->k, &status), status, o->obj,
		    o->live, &e->o->recreate);
		if (rc.immutable && rc.allowed)
			err = recreate(e, o);
	}
out:
	if (err < 0 && err != GA_ENOMEM)
		return eng_entry_fail_req(
		    e, o->entry, err, o->recreate ? "recreate" : "apply", NULL);
	return err;
}

/* Whether a just-applied definition is ready for what uses it. */
static bool definition_ready(const ga_node *live)
{
	ga_health h;

	if (strcmp(ga_apply__str(live, "kind", ""), "Namespace") == 0)
		return strcmp(ga_apply__str(live, "status.phase", ""),
		              "Active") == 0;
	ga_apply_health(&h, live);
	return h.status == GA_HEALTH_CURRENT;
}

static bool defined(int err, const ga_node *live)
{
	return err == 0 && definition_ready(live);
}

static int wait_definition(eng *e, eng_obj *o)
{
	int err = poll_until(e, o, defined);

	if (err == 1) {
		ga_error_set(GA_ERRCLASS_KUBE, "%s %s is not %s in time",
		             o->ref.kind, o->ref.name,
		             strcmp(o->ref.kind, "Namespace") == 0
		                 ? "Active"
		                 : "Established");
		return GA_ERROR;
	}
	return err;
}

/* After the definitions stage: CRDs Established, Namespaces Active. */
static int wait_definitions(eng *e, size_t lo, size_t hi)
{
	bool crds = false;
	int err;

	for (size_t i = lo; i < hi; i++) {
		eng_obj *o = &e->objs[e->order.order[i]];

		if (eng_failed(e, o) || o->action == GA_APPLY_UNCHANGED ||
		    (strcmp(o->ref.kind, "CustomResourceDefinition") != 0 &&
		     strcmp(o->ref.kind, "Namespace") != 0))
			continue;
		crds |= strcmp(o->ref.kind, "CustomResourceDefinition") == 0;
		err = wait_definition(e, o);
		if (err == GA_ENOMEM)
			return err;
		if (err < 0)
			return eng_entry_fail(e, o->entry, "wait");
	}
	if (crds)
		ga_kube_invalidate(e->k);
	return 0;
}

int eng_apply_stage(eng *e, ga_apply_stage s)
{
	size_t lo, hi;
	int err;

	stage_range(e, s, &lo, &hi);
	for (size_t i = lo; i < hi; i++) {
		eng_obj *o = &e->objs[e->order.order[i]];

		if (o->deferred && !eng_failed(e, o) &&
		    (err = eng_dry_run(e, o)) < 0)
			return err;
	}
	if (eng_nfailed(e))
		return 0;
	for (size_t i = lo; i < hi; i++) {
		eng_obj *o = &e->objs[e->order.order[i]];

		if (eng_failed(e, o) || o->action == GA_APPLY_UNCHANGED)
			continue;
		if ((err = apply_one(e, o)) < 0)
			return err;
	}
	if (s == GA_APPLY_STAGE_DEFINITIONS && !eng_nfailed(e))
		return wait_definitions(e, lo, hi);
	return 0;
}
