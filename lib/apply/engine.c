/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ga_apply_run(): kustomize-controller's reconcile of one revision.
 * Objects are normalised and labelled, sorted into stages and dry-run
 * first, all of them whose kind the server already serves: one failure
 * and nothing is written (an apply is all-or-nothing per revision at
 * this point).  Then stage by stage what changed is applied
 * (engine_stage.c), the inventory read, pruned and written
 * (engine_prune.c) and, with wait, health polled (engine_wait.c).
 */
#include "apply/apply_int.h"
#include "apply/engine_int.h"

#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/time.h"

#define DEFAULT_TIMEOUT_MS ((uint64_t)5 * 60 * 1000)

/* The map at @key of @parent, created when absent. */
static int child_map(ga_node **out, ga_node *parent, const char *key)
{
	ga_node *m = ga_node_map_get(parent, key);
	int err;

	if (m && ga_node_type_of(m) == GA_NODE_MAP) {
		*out = m;
		return 0;
	}
	if ((err = ga_node_new_map(&m)) < 0 ||
	    (err = ga_node_map_set_take(parent, key, m)) < 0)
		return err;
	*out = m;
	return 0;
}

/* A CRD of the set that defines @ref's kind, or NULL. */
static const ga_node *crd_in_set(const eng *e, const ga_apply_ref *ref)
{
	for (size_t i = 0; i < e->n; i++) {
		const ga_node *c = e->objs[i].obj;

		if (strcmp(ga_apply__str(c, "kind", ""),
		           "CustomResourceDefinition") == 0 &&
		    strcmp(ga_apply__str(c, "spec.group", ""), ref->group) ==
		        0 &&
		    strcmp(ga_apply__str(c, "spec.names.kind", ""),
		           ref->kind) == 0)
			return c;
	}
	return NULL;
}

/* Whether @o's kind is namespaced: discovery, or the CRD in the set. */
static int scope_of(eng *e, eng_obj *o, bool *namespaced)
{
	ga_kube_resource res;
	const ga_node *crd;
	int err;

	err = ga_kube_resource_for(e->k, o->api_version, o->ref.kind, &res);
	if (err == 0) {
		*namespaced = res.namespaced;
		return 0;
	}
	if (err != GA_ENOTFOUND || !(crd = crd_in_set(e, &o->ref)))
		return eng_entry_fail(e, o->entry,
		                      err == GA_ENOTFOUND ? "no such kind"
		                                          : "discovery");
	o->deferred = true;
	*namespaced =
	    strcmp(ga_apply__str(crd, "spec.scope", ""), "Namespaced") == 0;
	return 0;
}

/* Normalise and label one object, and default its namespace. */
static int prepare(eng *e, eng_obj *o)
{
	ga_node *meta = ga_node_map_get(o->obj, "metadata"), *labels;
	bool namespaced = false;
	int err;

	if ((err = ga_apply_normalize(o->obj)) < 0 ||
	    (err = child_map(&labels, meta, "labels")) < 0)
		return err;
	for (size_t i = 0; i < e->o->nowner_labels; i++) {
		if ((err = ga_apply__set_str(labels, e->o->owner_labels[i].key,
		                             e->o->owner_labels[i].value)) < 0)
			return err;
	}
	if ((err = scope_of(e, o, &namespaced)) < 0 || eng_failed(e, o))
		return err;
	if (namespaced && !*o->ref.ns)
		err = ga_apply__set_str(meta, "namespace",
		                        e->o->default_namespace
		                            ? e->o->default_namespace
		                            : "default");
	else if (!namespaced && *o->ref.ns)
		ga_node_free(ga_node_map_remove(meta, "namespace"));
	/* The identity points into the object: read it again. */
	if (err == 0)
		err = ga_apply_ref_of(&o->ref, o->group, sizeof(o->group),
		                      o->obj);
	if (err == 0 && e->o->memo)
		err = eng_memo_desired(o);
	return err;
}

/*
 * Take the source annotation (GA_APPLY_SOURCE_ANNOTATION) off @o's object
 * into o->source: it is ours, not the user's, so no request carries it
 * and an annotations map it leaves empty goes too (as the build would
 * have printed the object).
 */
static int take_source(eng_obj *o)
{
	ga_node *meta = ga_node_map_get(o->obj, "metadata");
	ga_node *ann = ga_node_map_get(meta, "annotations"), *v;

	if (!ann || ga_node_type_of(ann) != GA_NODE_MAP ||
	    !(v = ga_node_map_remove(ann, GA_APPLY_SOURCE_ANNOTATION)))
		return 0;
	if (ga_node_str(v) && !(o->source = ga_strdup(ga_node_str(v)))) {
		ga_node_free(v);
		ga_error_set_oom();
		return GA_ENOMEM;
	}
	ga_node_free(v);
	if (!ga_node_count(ann))
		ga_node_free(ga_node_map_remove(meta, "annotations"));
	return 0;
}

static int load(eng *e, ga_node *objs)
{
	int err;

	e->n = ga_node_count(objs);
	if (e->n && !(e->objs = ga_calloc(e->n, sizeof(*e->objs)))) {
		ga_error_set_oom();
		return GA_ENOMEM;
	}
	for (size_t i = 0; i < e->n; i++) {
		eng_obj *o = &e->objs[i];

		o->obj = ga_node_list_get(objs, i);
		if (ga_node_type_of(o->obj) != GA_NODE_MAP ||
		    !ga_node_map_get(o->obj, "metadata")) {
			ga_error_set(GA_ERRCLASS_INVALID,
			             "object %zu of the set is not an object "
			             "with metadata",
			             i + 1);
			return GA_EINVALID;
		}
		if ((err = take_source(o)) < 0 ||
		    (err = ga_apply_ref_of(&o->ref, o->group, sizeof(o->group),
		                           o->obj)) < 0)
			return err;
		o->api_version = ga_apply__str(o->obj, "apiVersion", "");
	}
	return 0;
}

/* Entries in apply order, each object prepared. */
static int prepare_all(eng *e)
{
	ga_node **list = NULL;
	int err = 0;

	if (e->n && !(list = ga_calloc(e->n, sizeof(ga_node *)))) {
		ga_error_set_oom();
		return GA_ENOMEM;
	}
	for (size_t i = 0; i < e->n; i++)
		list[i] = e->objs[i].obj;
	if ((err = ga_apply_sort(&e->order, list, e->n, NULL, 0)) < 0)
		goto out;
	for (size_t i = 0; i < e->n && err == 0; i++) {
		eng_obj *o = &e->objs[e->order.order[i]];

		if ((err = eng_entry_add(e, &o->ref, o->source,
		                         GA_OUTCOME_UNCHANGED, &o->entry)) == 0)
			err = prepare(e, o);
	}
out:
	ga_free(list);
	return err;
}

/*
 * What a diff shows of an object whose CRD is not on the cluster yet: it
 * would be created, as the set has it (no dry run is possible).
 */
static int diff_deferred(eng *e, eng_obj *o)
{
	if (eng_skip(e, o))
		return 0;
	o->action = GA_APPLY_CREATED;
	eng_entry_set(e, o->entry, GA_OUTCOME_CREATED);
	e->rep->changed = true;
	return e->o->diff ? ga_apply_diff(&e->rep->diff, NULL, o->obj) : 0;
}

/*
 * Whether @o lives in a Namespace of the set that does not exist yet: the
 * server refuses even a dry run there, so it waits for its stage, after
 * the definitions stage created the Namespace.  Namespaces come first in
 * the order, so theirs were dry-run (and their live state read) already.
 */
static bool namespace_pending(const eng *e, const eng_obj *o)
{
	if (!*o->ref.ns)
		return false;
	for (size_t i = 0; i < e->n; i++) {
		const eng_obj *n = &e->objs[i];

		if (strcmp(n->ref.kind, "Namespace") == 0 && !*n->ref.group &&
		    strcmp(n->ref.name, o->ref.ns) == 0)
			return !n->live && !n->skipped;
	}
	return false;
}

/*
 * Whether the memo shows @o as the last apply left it: then it is
 * unchanged without a dry run.  Its live side comes from the LIST of its
 * kind and namespace.
 */
static int memo_skip(eng *e, eng_obj *o, bool *skip)
{
	const ga_node *live;
	int err;

	*skip = false;
	if (!ga_apply_memo_count(e->o->memo) || !e->o->nowner_labels ||
	    e->o->dry_run)
		return 0;
	if ((err = eng_listed(e, o, &live)) < 0 || !eng_memo_still(e, o, live))
		return err;
	o->skipped = true;
	o->action = GA_APPLY_UNCHANGED;
	e->rep->skipped++;
	/* Nothing is written to it: its health is the listed one's. */
	ga_apply_health(&e->rep->entries[o->entry].health, live);
	e->rep->entries[o->entry].health_listed = true;
	*skip = true;
	return 0;
}

/* The dry run of every object whose kind and namespace are there. */
static int dry_run_served(eng *e)
{
	int err;

	for (size_t i = 0; i < e->order.n; i++) {
		eng_obj *o = &e->objs[e->order.order[i]];

		if (eng_failed(e, o))
			continue;
		o->deferred |= namespace_pending(e, o);
		if (o->deferred) {
			err = e->o->dry_run ? diff_deferred(e, o) : 0;
		} else {
			bool skip;

			err = memo_skip(e, o, &skip);
			if (err == 0 && !skip)
				err = eng_dry_run(e, o);
		}
		if (err < 0)
			return err;
	}
	return 0;
}

static int failed_summary(const eng *e)
{
	ga_error_set(GA_ERRCLASS_KUBE,
	             "%zu object%s failed: %s; nothing was applied"
	             " after the failures",
	             eng_nfailed(e), eng_nfailed(e) == 1 ? "" : "s",
	             eng_nfailed(e) == 1 ? "see its message"
	                                 : "see their messages");
	return GA_EINVALID;
}

/*
 * The inventory widened before stage @s is applied: before the first
 * one, or when the inventory's namespace is one the set creates, right
 * after it.  Returns 0 once done (or when there is no inventory).
 */
static int widen(eng *e, int s)
{
	int err;

	if (!e->o->inventory_name || e->widened)
		return 0;
	err = eng_inventory_widen(e);
	if (err == GA_ENOTFOUND && s == 0) {
		ga_error_clear();
		return 0;
	}
	e->widened = err == 0;
	return err;
}

static int run(eng *e, ga_node *objs)
{
	int err;

	if ((err = load(e, objs)) < 0 || (err = prepare_all(e)) < 0 ||
	    (err = dry_run_served(e)) < 0)
		return err;
	if (eng_nfailed(e))
		return failed_summary(e);
	/* A dry run shows what a prune would delete, nothing else of the
	 * inventory step. */
	if (e->o->dry_run)
		return e->o->inventory_name && e->o->prune ? eng_inventory(e)
		                                           : 0;
	for (int s = 0; s < GA_APPLY_NSTAGES; s++) {
		if ((err = widen(e, s)) < 0 ||
		    (err = eng_apply_stage(e, (ga_apply_stage)s)) < 0)
			return err;
		if (eng_nfailed(e))
			return failed_summary(e);
	}
	if (e->o->inventory_name && (err = eng_inventory(e)) < 0)
		return err;
	return e->o->wait ? eng_wait_health(e) : 0;
}

int ga_apply_run(ga_apply_report *report, ga_kube *k, ga_node *objs,
                 const ga_apply_run_opts *opts)
{
	eng e = {.k = k, .o = opts, .rep = report};
	ga_kube_counts before, after;
	int err;

	if (!opts->field_manager || !*opts->field_manager ||
	    ga_node_type_of(objs) != GA_NODE_LIST) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "apply: a field manager and a list of objects "
		             "are required");
		return GA_EINVALID;
	}
	if (report->diff.max == 0)
		report->diff = (ga_buf)GA_BUF_INIT((size_t)64 << 20);
	e.deadline_ms = ga_now_ms() + (opts->timeout_ms ? opts->timeout_ms
	                                                : DEFAULT_TIMEOUT_MS);
	ga_kube_request_counts(k, &before);
	err = run(&e, objs);
	/* A failed reconcile keeps no memo: the next one checks all. */
	if (err == 0 && !eng_nfailed(&e) && !opts->dry_run)
		err = eng_memo_record(&e);
	if (err < 0 || eng_nfailed(&e))
		eng_memo_forget(&e);
	ga_kube_request_counts(k, &after);
	report->reads = after.reads - before.reads;
	report->dry_runs = after.dry_runs - before.dry_runs;
	report->writes = after.writes - before.writes;
	eng_lists_free(&e);
	for (size_t i = 0; i < e.n; i++) {
		ga_node_free(e.objs[i].live);
		ga_node_free(e.objs[i].dry);
		ga_free(e.objs[i].source);
	}
	ga_free(e.objs);
	ga_apply_order_dispose(&e.order);
	ga_inventory_free(e.inv_old);
	ga_inventory_free(e.inv_stored);
	return err;
}
