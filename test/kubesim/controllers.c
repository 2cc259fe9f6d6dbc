/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kubesim's controller manager: one background thread that, every tick,
 * takes ks_server.lock and walks the workloads (Deployments,
 * StatefulSets, DaemonSets, Jobs, then HPAs), writing the status their
 * controllers would (workload.c, jobs.c).  A status write is what a PUT
 * of the status subresource does: the object is replaced in the store
 * with a new resourceVersion, and only when the status changed, so
 * settled workloads cost no writes.  An HPA sets its target's
 * spec.replicas the same way a client's update does (new generation, new
 * resourceVersion).  What the controller remembers per workload (a
 * ks_sim) is keyed by resource, namespace and name and reset when the
 * uid changes; a workload whose stored status already shows a finished
 * rollout (a restart with --state) is taken as settled.
 */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/json.h"
#include "ga/time.h"
#include "ssa.h"

struct ks_ctrl {
	ks_server *ks;
	ks_ticker *ticker;
	uint64_t delay_ms;
	ga_node *sims; /* "<group>|<version>|<plural>|<ns>|<name>" -> ks_sim */
	uint64_t tick;
};

/* The workload kinds, in the order a pass visits them. */
static const struct {
	const char *group, *plural;
} workloads[] = {
    {"apps", "deployments"},
    {"apps", "statefulsets"},
    {"apps", "daemonsets"},
    {"batch", "jobs"},
};

static void sim_key(char *out, size_t cap, const ks_resource *res,
                    const ga_node *obj)
{
	const char *ns = ks_meta_str(obj, "namespace");

	(void)snprintf(out, cap, "%s|%s|%s|%s|%s", res->group, res->version,
	               res->plural, ns ? ns : "", ks_meta_str(obj, "name"));
}

/* The remembered state of @obj; zero when new or its uid changed. */
static void sim_load(ks_ctrl *c, const char *key, const ga_node *obj,
                     ks_sim *sim)
{
	const ga_node *v = ks_get(c->sims, key);
	const char *uid = ks_meta_str(obj, "uid");

	memset(sim, 0, sizeof(*sim));
	if (v && ks_str_len(v) == sizeof(*sim))
		memcpy(sim, ks_str(v), sizeof(*sim));
	if (!uid || strcmp(sim->uid, uid) != 0) {
		memset(sim, 0, sizeof(*sim));
		(void)snprintf(sim->uid, sizeof(sim->uid), "%s",
		               uid ? uid : "");
	}
}

/* Field by field: the struct has padding, so no memcmp. */
static bool sim_equal(const ks_sim *a, const ks_sim *b)
{
	return strcmp(a->uid, b->uid) == 0 && a->rv == b->rv &&
	       a->hash == b->hash && a->current == b->current &&
	       a->want == b->want && a->old == b->old && a->ready == b->ready &&
	       a->since_ms == b->since_ms && a->progress_ms == b->progress_ms &&
	       a->created == b->created && a->seen == b->seen &&
	       a->tick == b->tick;
}

static int sim_save(ks_ctrl *c, const char *key, ks_sim *sim)
{
	const ga_node *v = ks_get(c->sims, key);
	ga_node *bytes;
	ks_sim was;
	int err;

	/* The tick moves only every 16 passes, so that a settled
	 * workload's entry is not rewritten on every pass. */
	sim->tick = c->tick & ~(uint64_t)15;
	if (v && ks_str_len(v) == sizeof(was)) {
		memcpy(&was, ks_str(v), sizeof(was));
		if (sim_equal(&was, sim))
			return 0;
	}
	if ((err = ga_node_new_string(&bytes, (const char *)sim,
	                              sizeof(*sim))) < 0)
		return err;
	return ga_node_map_set_take(c->sims, key, bytes);
}

/*
 * Replace @obj with a copy whose @key is @value (taken), under a new
 * resourceVersion, unless it is already equal; a spec change also moves
 * metadata.generation, as an update does.
 */
static int write_field(ks_server *ks, const ks_resource *res,
                       const ga_node *obj, const char *key, ga_node *value)
{
	ga_node *copy = NULL, *gen = NULL;
	int err;

	if (ks_equal(ks_get(obj, key), value)) {
		ga_node_free(value);
		return 0;
	}
	if ((err = ga_node_clone(&copy, obj)) < 0) {
		ga_node_free(value);
		return err;
	}
	/* set_take takes @value even when it fails. */
	if ((err = ga_node_map_set_take(copy, key, value)) < 0) {
		ga_node_free(copy);
		return err;
	}
	if (strcmp(key, "spec") == 0 && ks_get(ks_meta(obj), "generation") &&
	    ((err = ga_node_new_int(
	          &gen, ks_int(ks_get(ks_meta(obj), "generation")) + 1)) < 0 ||
	     (err = ga_node_map_set_take(ks_meta(copy), "generation", gen)) <
	         0)) {
		ga_node_free(copy);
		return err;
	}
	if ((err = ks_store_bump(ks->store, copy)) < 0) {
		ga_node_free(copy);
		return err;
	}
	return ks_store_put(ks->store, res, copy, NULL);
}

/* The step for @template's pods. */
static void step_for(ks_ctrl *c, const ga_node *template, ks_step *st)
{
	uint64_t slow = 0;

	st->profile = ks_profiles_match(c->ks->profiles, template, &slow);
	st->delay_ms = st->profile == KS_PROFILE_NORMAL ? c->delay_ms
	               : st->profile == KS_PROFILE_SLOW ? slow
	                                                : KS_NEVER;
}

/* A workload seen first whose status shows it settled stays settled. */
static void adopt_settled(const ks_resource *res, const ga_node *obj,
                          ks_sim *sim, const ks_step *st)
{
	const ga_node *spec = ks_get(obj, "spec");
	ks_sim settled = *sim;
	ga_node *status = NULL;

	if (sim->seen || !ks_get(ks_get(obj, "status"), "observedGeneration"))
		return;
	settled.seen = true;
	settled.hash = settled.current =
	    ks_template_hash(ks_get(spec, "template"));
	settled.want = settled.ready =
	    strcmp(res->kind, "DaemonSet") == 0 ? st->nodes
	    : ks_get(spec, "replicas") ? ks_int(ks_get(spec, "replicas"))
	                               : 1;
	settled.since_ms = settled.progress_ms = st->now_ms;
	if (ks_workload_status(&status, res->kind, obj, &settled, st) == 0 &&
	    ks_equal(status, ks_get(obj, "status")))
		*sim = settled;
	ga_node_free(status);
}

/*
 * Whether a step would change nothing: the rollout is over and the
 * object is as the last step saw it (a DaemonSet: and on as many
 * nodes).  Skipping those keeps a pass cheap with many workloads.
 */
static bool settled(const ks_resource *res, const ks_sim *sim, uint64_t rv,
                    const ks_step *st)
{
	/* Jobs finish by the clock alone; they are not skipped here. */
	return strcmp(res->kind, "Job") != 0 && sim->seen && sim->rv == rv &&
	       sim->ready >= sim->want && !sim->old &&
	       sim->current == sim->hash &&
	       (strcmp(res->kind, "DaemonSet") != 0 || sim->want == st->nodes);
}

static int reconcile(ks_ctrl *c, const ks_resource *res, const ga_node *obj,
                     ks_step *st)
{
	const ga_node *spec = ks_get(obj, "spec");
	ga_node *status = NULL;
	char key[1200];
	uint64_t rv;
	ks_sim sim;
	int err;

	sim_key(key, sizeof(key), res, obj);
	sim_load(c, key, obj, &sim);
	rv = strtoull(ks_meta_str(obj, "resourceVersion")
	                  ? ks_meta_str(obj, "resourceVersion")
	                  : "0",
	              NULL, 10);
	if (settled(res, &sim, rv, st))
		return sim_save(c, key, &sim);
	sim.rv = rv;
	step_for(c, ks_get(spec, "template"), st);
	if (strcmp(res->kind, "Job") == 0) {
		const ga_node *old = ks_get(obj, "status");
		/* A finished Job stays as it is. */
		if (ks_get(old, "completionTime") || ks_get(old, "failed"))
			return sim_save(c, key, &sim);
		if (st->profile == KS_PROFILE_CRASHLOOP)
			st->delay_ms = c->delay_ms;
		err = ks_job_status(&status, obj, &sim, st);
	} else {
		adopt_settled(res, obj, &sim, st);
		err = ks_workload_status(&status, res->kind, obj, &sim, st);
	}
	if (err < 0 ||
	    (err = write_field(c->ks, res, obj, "status", status)) < 0)
		return err;
	return sim_save(c, key, &sim);
}

/*
 * Write @target's @spec (taken) with its new replicas as the HPA
 * controller does, through the scale subresource: kube-apiserver records
 * an Update by kube-controller-manager that owns spec.replicas from then
 * on, which appliers see and leave alone.
 */
static int scale(ks_ctrl *c, const ks_resource *res, const ga_node *target,
                 ga_node *spec)
{
	static const char owned[] = "{\"f:spec\":{\"f:replicas\":{}}}";
	ga_node *copy = NULL, *v1 = NULL;
	int err;

	if ((err = ga_node_clone(&copy, target)) < 0 ||
	    (err = ga_json_parse(&v1, owned, sizeof(owned) - 1, "scale")) < 0 ||
	    (err = ks_managed_controller(copy, "kube-controller-manager",
	                                 "scale", v1)) < 0) {
		ga_node_free(spec);
		goto out;
	}
	err = write_field(c->ks, res, copy, "spec", spec);
out:
	ga_node_free(copy);
	ga_node_free(v1);
	return err;
}

/* The replicas of the HPA's target, set to what it wants. */
static int autoscale(ks_ctrl *c, const ks_resource *hpa_res, const ga_node *hpa,
                     const ks_step *st)
{
	const ga_node *ref = ks_get(ks_get(hpa, "spec"), "scaleTargetRef");
	const char *av = ks_str(ks_get(ref, "apiVersion"));
	const char *kind = ks_str(ks_get(ref, "kind"));
	const char *slash = av ? strchr(av, '/') : NULL;
	const ks_resource *list[64], *res = NULL;
	char group[128];
	const ga_node *target;
	ga_node *status = NULL, *spec = NULL, *n = NULL;
	int64_t desired = 0;
	size_t i, count;
	int err;

	(void)snprintf(group, sizeof(group), "%.*s",
	               slash ? (int)(slash - av) : 0, av ? av : "");
	count = ks_registry_list(list, 64, group,
	                         slash ? slash + 1
	                         : av  ? av
	                               : "");
	for (i = 0; kind && i < count && i < 64; i++)
		if (strcmp(list[i]->kind, kind) == 0)
			res = list[i];
	if (!res || !(res->flags & KS_RES_SCALE) ||
	    !(target =
	          ks_store_get(c->ks->store, res, ks_meta_str(hpa, "namespace"),
	                       ks_str(ks_get(ref, "name")))))
		return 0; /* the real controller reports FailedGetScale */
	if ((err = ks_hpa_status(
	         &status, hpa,
	         ks_int(ks_get(ks_get(target, "spec"), "replicas")), &desired,
	         st)) < 0 ||
	    (err = write_field(c->ks, hpa_res, hpa, "status", status)) < 0)
		return err;
	if (desired == ks_int(ks_get(ks_get(target, "spec"), "replicas")))
		return 0;
	if ((err = ga_node_clone(&spec, ks_get(target, "spec"))) < 0 ||
	    (err = ga_node_new_int(&n, desired)) < 0 ||
	    (err = ga_node_map_set_take(spec, "replicas", n)) < 0) {
		ga_node_free(spec);
		return err;
	}
	return scale(c, res, target, spec);
}

/* Run @fn over every object of @group/@version/@plural. */
static int each(ks_ctrl *c, const char *group, const char *version,
                const char *plural, ks_step *st,
                int (*fn)(ks_ctrl *, const ks_resource *, const ga_node *,
                          ks_step *))
{
	const ks_resource *res = ks_registry_find(group, version, plural);
	const ga_node **objs = NULL;
	size_t i, n = 0;
	int err;

	if (!res)
		return 0;
	if ((err = ks_store_list(c->ks->store, res, "", &objs, &n)) < 0)
		return err;
	for (i = 0; i < n && err == 0; i++)
		err = fn(c, res, objs[i], st);
	ga_free(objs);
	return err;
}

static int autoscale_one(ks_ctrl *c, const ks_resource *res, const ga_node *obj,
                         ks_step *st)
{
	return autoscale(c, res, obj, st);
}

/* Forget workloads no pass has seen for a while (deleted ones). */
static void prune(ks_ctrl *c)
{
	size_t i = 0;

	while (i < ks_count(c->sims)) {
		const ga_node *v = ga_node_map_value(c->sims, i);
		ks_sim sim;
		memcpy(&sim, ks_str(v), sizeof(sim));
		if (sim.tick + 32 < c->tick)
			ga_node_free(ks_remove(
			    c->sims, ga_node_map_key(c->sims, i, NULL)));
		else
			i++;
	}
}

static int workloads_pass(ks_ctrl *c, ks_step *st)
{
	size_t i;
	int err;

	for (i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++)
		if ((err = each(c, workloads[i].group, "v1",
		                workloads[i].plural, st, reconcile)) < 0)
			return err;
	return 0;
}

static int autoscalers_pass(ks_ctrl *c, ks_step *st)
{
	return each(c, "autoscaling", "v2", "horizontalpodautoscalers", st,
	            autoscale_one);
}

/*
 * The controllers, in the order a pass runs them, each over the whole
 * store under ks_server.lock with the pass's clock.  A simulation that
 * follows the store (traffic and metrics over Services, VirtualServices,
 * HTTPRoutes and TrafficSplits, see NOTES.md) is one more entry here.
 */
static const struct {
	const char *name;
	int (*pass)(ks_ctrl *c, ks_step *st);
} controllers[] = {
    {"workloads", workloads_pass},
    {"horizontalpodautoscalers", autoscalers_pass},
};

int ks_ctrl_pass(ks_server *ks, ks_ctrl *c, uint64_t now_ms)
{
	const ks_resource *nodes = ks_registry_find("", "v1", "nodes");
	const ga_node **objs = NULL;
	ks_step st;
	size_t i, n = 0;
	int err;

	c->tick++;
	memset(&st, 0, sizeof(st));
	st.now_ms = now_ms;
	ks_now_rfc3339(st.now);
	/* A cluster without Node objects still has one node to run on. */
	if ((err = ks_store_list(ks->store, nodes, "", &objs, &n)) < 0)
		return err;
	ga_free(objs);
	st.nodes = n ? (int64_t)n : 1;
	for (i = 0; i < sizeof(controllers) / sizeof(controllers[0]); i++)
		if ((err = controllers[i].pass(c, &st)) < 0) {
			char why[256];
			/* The message is copied: set() writes over it. */
			(void)snprintf(why, sizeof(why), "%s",
			               ga_error_last()->message);
			ga_error_set(GA_ERRCLASS_NONE, "%s: %s",
			             controllers[i].name, why);
			return err;
		}
	if (c->tick % 64 == 0)
		prune(c);
	return 0;
}

/* One tick: a pass under the server's lock. */
static void tick(void *arg)
{
	ks_ctrl *c = arg;

	(void)pthread_mutex_lock(&c->ks->lock);
	if (ks_ctrl_pass(c->ks, c, ga_now_ms()) < 0)
		fprintf(stderr, "kubesim: controllers: %s\n",
		        ga_error_last()->message);
	(void)pthread_mutex_unlock(&c->ks->lock);
}

static int ctrl_new(ks_ctrl **out, ks_server *ks, uint64_t delay_ms)
{
	ks_ctrl *c = ga_calloc(1, sizeof(*c));

	if (!c || ga_node_new_map(&c->sims) < 0) {
		ga_free(c);
		return GA_ENOMEM;
	}
	c->ks = ks;
	c->delay_ms = delay_ms;
	*out = c;
	return 0;
}

static void ctrl_free(ks_ctrl *c)
{
	ga_node_free(c->sims);
	ga_free(c);
}

int ks_ctrl_start(ks_ctrl **out, ks_server *ks, uint64_t ready_delay_ms)
{
	ks_ctrl *c = NULL;
	int err;

	if ((err = ctrl_new(&c, ks, ready_delay_ms)) < 0)
		return err;
	/* A pass at once, then every 50 ms (20 ms when pods get ready
	 * faster than 200 ms, so the delay shows). */
	if ((err = ks_ticker_start(&c->ticker, "controllers",
	                           ready_delay_ms >= 200 ? 50 : 20, true, tick,
	                           c)) < 0) {
		ctrl_free(c);
		return err;
	}
	*out = c;
	return 0;
}

/* For tests that drive passes by hand: a controller without a thread. */
int ks_ctrl_new_manual(ks_ctrl **out, ks_server *ks, uint64_t ready_delay_ms)
{
	return ctrl_new(out, ks, ready_delay_ms);
}

void ks_ctrl_free_manual(ks_ctrl *c)
{
	if (c)
		ctrl_free(c);
}

void ks_ctrl_stop(ks_ctrl *c)
{
	if (!c)
		return;
	ks_ticker_stop(c->ticker);
	ctrl_free(c);
}
