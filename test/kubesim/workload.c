/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The status the apps/v1 controllers write (kube-controller-manager's
 * deployment, statefulset and daemonset controllers, Kubernetes 1.32),
 * computed from a workload's spec and a few counts instead of
 * ReplicaSets, ControllerRevisions and pods.  A rollout is modelled in
 * two steps: the new template's pods are all created at once and become
 * ready together after the step's delay, while the previous template's
 * pods keep running (RollingUpdate) or go at once (Recreate).  That is
 * enough for what clients read: observedGeneration, the replica counts,
 * the revisions, and the Deployment conditions with the controller's
 * reasons and messages (pkg/controller/deployment/util), including
 * ProgressDeadlineExceeded once spec.progressDeadlineSeconds pass without
 * progress, and kubectl's rollout status verdicts that follow from them.
 */
#include "sim.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/error.h"
#include "ga/json.h"

#define STATUS_MAX ((size_t)64 << 10)

uint32_t ks_template_hash(const ga_node *template)
{
	ga_buf b = GA_BUF_INIT((size_t)4 << 20);
	uint32_t h = 2166136261u;
	size_t i;

	/* FNV-1a over canonical JSON (sorted keys: clients order fields
	 * differently), as the controller hashes the template with FNV-32a
	 * over its own canonical encoding. */
	if (template && ga_json_emit(&b, template, GA_JSON_SORT_KEYS) == 0)
		for (i = 0; i < b.size; i++)
			h = (h ^ (unsigned char)b.ptr[i]) * 16777619u;
	ga_buf_dispose(&b);
	return h ? h : 1;
}

void ks_hash_name(char out[16], uint32_t hash)
{
	/* rand.SafeEncodeString's alphabet, over the decimal digits. */
	static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
	char digits[16];
	size_t i;

	(void)snprintf(digits, sizeof(digits), "%010" PRIu32, hash);
	for (i = 0; i < 15 && digits[i]; i++)
		out[i] = alphabet[(unsigned char)digits[i] % 27];
	out[i] = '\0';
}

static const ga_node *find_condition(const ga_node *list, const char *type)
{
	size_t i;

	for (i = 0; i < ks_count(list); i++) {
		const char *t = ks_str(ks_get(ks_item(list, i), "type"));
		if (t && strcmp(t, type) == 0)
			return ks_item(list, i);
	}
	return NULL;
}

static bool same_str(const ga_node *n, const char *s)
{
	return ks_str(n) && strcmp(ks_str(n), s) == 0;
}

int ks_condition(ga_buf *b, const ga_node *old_list, const char *type,
                 const char *status, const char *reason, const char *message,
                 const char *now, const char *stamp)
{
	const ga_node *old = find_condition(old_list, type);
	bool same_status = old && same_str(ks_get(old, "status"), status);
	bool same = same_status && same_str(ks_get(old, "reason"), reason) &&
	            same_str(ks_get(old, "message"), message);
	const char *ltt = ks_str(ks_get(old, "lastTransitionTime"));
	const char *lut = stamp ? ks_str(ks_get(old, stamp)) : NULL;

	if (b->size && b->ptr[b->size - 1] != '[')
		(void)ga_buf_putc(b, ',');
	(void)ga_buf_printf(b, "{\"type\":\"%s\",\"status\":\"%s\",", type,
	                    status);
	if (stamp)
		(void)ga_buf_printf(b, "\"%s\":\"%s\",", stamp,
		                    same && lut ? lut : now);
	(void)ga_buf_printf(b,
	                    "\"lastTransitionTime\":\"%s\",\"reason\":\"%s\","
	                    "\"message\":",
	                    same_status && ltt ? ltt : now, reason);
	(void)ga_json_quote(b, message);
	return ga_buf_putc(b, '}');
}

static int64_t spec_replicas(const ga_node *spec)
{
	const ga_node *r = ks_get(spec, "replicas");
	int64_t n = r ? ks_int(r) : 1;

	return n < 0 ? 0 : n;
}

/*
 * An int-or-percent of @n (intstr.GetScaledValueFromIntOrPercent): a
 * percentage rounds up for maxSurge, down for maxUnavailable.
 */
static int64_t scaled(const ga_node *v, int64_t n, bool round_up, int64_t dflt)
{
	const char *s = ks_str(v);
	char *end = NULL;
	long pct;

	if (ks_type(v) == GA_NODE_INT)
		return ks_int(v);
	if (!s)
		return dflt;
	pct = strtol(s, &end, 10);
	if (end == s || *end != '%' || pct < 0)
		return dflt;
	return round_up ? (pct * n + 99) / 100 : pct * n / 100;
}

/* deploymentutil.MaxUnavailable. */
static int64_t max_unavailable(const ga_node *spec, int64_t n)
{
	const ga_node *strategy = ks_get(spec, "strategy");
	const ga_node *ru = ks_get(strategy, "rollingUpdate");
	const char *type = ks_str(ks_get(strategy, "type"));
	int64_t unavail, surge;

	if ((type && strcmp(type, "RollingUpdate") != 0) || n == 0)
		return 0;
	unavail = scaled(ks_get(ru, "maxUnavailable"), n, false, n / 4);
	surge = scaled(ks_get(ru, "maxSurge"), n, true, (n + 3) / 4);
	if (unavail == 0 && surge == 0)
		unavail = 1;
	return unavail > n ? n : unavail;
}

/*
 * Move @sim on to @step: a new template starts a rollout (unless
 * @paused), a new replica count starts new pods, and pods become ready
 * once the step's delay has passed since they were created.  @keep_old:
 * the old template's pods run until the new ones are ready.
 */
static void advance(ks_sim *sim, int64_t n, uint32_t hash, bool paused,
                    bool keep_old, const ks_step *st)
{
	sim->created = false;
	if (!sim->seen || (hash != sim->hash && !paused)) {
		if (sim->seen && sim->ready >= sim->want)
			sim->current = sim->hash;
		sim->old = sim->seen && keep_old ? sim->old + sim->ready : 0;
		sim->hash = hash;
		sim->ready = 0;
		sim->since_ms = sim->progress_ms = st->now_ms;
		sim->created = sim->seen = true;
	} else if (n != sim->want) {
		if (n > sim->ready && sim->ready >= sim->want)
			sim->since_ms = st->now_ms;
		sim->progress_ms = st->now_ms;
	}
	sim->want = n;
	sim->ready = sim->ready > n ? n : sim->ready;
	sim->old = sim->old > n ? n : sim->old;
	if (sim->ready < n && st->delay_ms != KS_NEVER &&
	    st->now_ms - sim->since_ms >= st->delay_ms) {
		sim->ready = n;
		sim->progress_ms = st->now_ms;
	}
	if (sim->ready >= n && (sim->old || sim->current != hash)) {
		sim->old = 0;
		sim->current = sim->hash;
		sim->progress_ms = st->now_ms;
	}
}

/* The Deployment's Progressing condition (syncRolloutStatus). */
static int progressing(ga_buf *b, const ga_node *obj, const ks_sim *sim,
                       bool complete, const ks_step *st)
{
	const ga_node *spec = ks_get(obj, "spec");
	const ga_node *old = ks_get(ks_get(obj, "status"), "conditions");
	const ga_node *was = find_condition(old, "Progressing");
	int64_t deadline = ks_get(spec, "progressDeadlineSeconds")
	                       ? ks_int(ks_get(spec, "progressDeadlineSeconds"))
	                       : 600;
	char rs[300], hash[16], msg[400];
	const char *status = "True", *reason;

	ks_hash_name(hash, sim->hash);
	(void)snprintf(rs, sizeof(rs), "%.250s-%s", ks_meta_str(obj, "name"),
	               hash);
	(void)snprintf(msg, sizeof(msg), "ReplicaSet \"%s\" is progressing.",
	               rs);
	reason = "ReplicaSetUpdated";
	if (ks_bool(ks_get(spec, "paused"))) {
		status = "Unknown";
		reason = "DeploymentPaused";
		(void)snprintf(msg, sizeof(msg), "Deployment is paused");
	} else if (same_str(ks_get(was, "reason"), "DeploymentPaused")) {
		status = "Unknown";
		reason = "DeploymentResumed";
		(void)snprintf(msg, sizeof(msg), "Deployment is resumed");
	} else if (complete) {
		reason = "NewReplicaSetAvailable";
		(void)snprintf(msg, sizeof(msg),
		               "ReplicaSet \"%s\" has successfully progressed.",
		               rs);
	} else if (sim->created) {
		reason = "NewReplicaSetCreated";
		(void)snprintf(msg, sizeof(msg),
		               "Created new replica set \"%s\"", rs);
	} else if (deadline > 0 &&
	           st->now_ms - sim->progress_ms > (uint64_t)deadline * 1000) {
		status = "False";
		reason = "ProgressDeadlineExceeded";
		(void)snprintf(msg, sizeof(msg),
		               "ReplicaSet \"%s\" has timed out progressing.",
		               rs);
	}
	return ks_condition(b, old, "Progressing", status, reason, msg, st->now,
	                    "lastUpdateTime");
}

/* Write "key":value for a count the API omits when zero (omitempty). */
static void count(ga_buf *b, const char *key, int64_t v, bool always)
{
	if (v || always)
		(void)ga_buf_printf(b, ",\"%s\":%" PRId64, key, v);
}

static int deployment(ga_buf *b, const ga_node *obj, ks_sim *sim,
                      const ks_step *st)
{
	const ga_node *spec = ks_get(obj, "spec");
	const ga_node *old = ks_get(ks_get(obj, "status"), "conditions");
	const char *type = ks_str(ks_get(ks_get(spec, "strategy"), "type"));
	int64_t n = spec_replicas(spec), updated, total, ready, unavail;
	uint32_t hash = ks_template_hash(ks_get(spec, "template"));
	bool paused = ks_bool(ks_get(spec, "paused")), complete;

	advance(sim, n, hash, paused, !type || strcmp(type, "Recreate") != 0,
	        st);
	/* A paused Deployment makes no ReplicaSet for a new template. */
	updated = hash == sim->hash ? n : 0;
	total = sim->old + n;
	ready = sim->old + sim->ready;
	unavail = n - ready > 0 ? n - ready : 0;
	complete = updated == n && total == n && ready == n;
	(void)ga_buf_printf(b, "{\"observedGeneration\":%" PRId64,
	                    ks_int(ks_get(ks_meta(obj), "generation")));
	count(b, "replicas", total, false);
	count(b, "updatedReplicas", updated, false);
	count(b, "readyReplicas", ready, false);
	count(b, "availableReplicas", ready, false);
	count(b, "unavailableReplicas", unavail, false);
	(void)ga_buf_puts(b, ",\"conditions\":[");
	if (ready >= n - max_unavailable(spec, n))
		(void)ks_condition(b, old, "Available", "True",
		                   "MinimumReplicasAvailable",
		                   "Deployment has minimum availability.",
		                   st->now, "lastUpdateTime");
	else
		(void)ks_condition(b, old, "Available", "False",
		                   "MinimumReplicasUnavailable",
		                   "Deployment does not have minimum "
		                   "availability.",
		                   st->now, "lastUpdateTime");
	(void)progressing(b, obj, sim, complete, st);
	return ga_buf_puts(b, "]}");
}

/* Pods of a StatefulSet or DaemonSet, replaced one at a time. */
struct rolling {
	int64_t n, current, updated, ready;
	bool first; /* the first rollout: pods are still being created */
	char current_rev[300], update_rev[300];
};

static void roll_one_by_one(struct rolling *r, const ga_node *obj, ks_sim *sim,
                            int64_t n, const ks_step *st)
{
	const ga_node *spec = ks_get(obj, "spec");
	uint32_t hash = ks_template_hash(ks_get(spec, "template"));
	char h[16];
	int64_t inflight;

	advance(sim, n, hash, false, false, st);
	inflight = sim->ready < n ? 1 : 0;
	r->n = n;
	r->first = !sim->current || sim->current == sim->hash;
	if (r->first) {
		/* The first rollout: pods start one after the other. */
		r->current = r->updated = sim->ready + inflight;
		r->ready = sim->ready;
	} else {
		r->updated = sim->ready + inflight;
		r->current = n - r->updated;
		r->ready = n - inflight;
	}
	ks_hash_name(h, sim->hash);
	(void)snprintf(r->update_rev, sizeof(r->update_rev), "%.250s-%s",
	               ks_meta_str(obj, "name"), h);
	ks_hash_name(h, sim->current ? sim->current : sim->hash);
	(void)snprintf(r->current_rev, sizeof(r->current_rev), "%.250s-%s",
	               ks_meta_str(obj, "name"), h);
}

static int statefulset(ga_buf *b, const ga_node *obj, ks_sim *sim,
                       const ks_step *st)
{
	struct rolling r;

	roll_one_by_one(&r, obj, sim, spec_replicas(ks_get(obj, "spec")), st);
	(void)ga_buf_printf(b, "{\"observedGeneration\":%" PRId64,
	                    ks_int(ks_get(ks_meta(obj), "generation")));
	count(b, "replicas", r.first ? r.current : r.n, true);
	count(b, "readyReplicas", r.ready, false);
	count(b, "currentReplicas", r.current, false);
	count(b, "updatedReplicas", r.updated, false);
	(void)ga_buf_puts(b, ",\"currentRevision\":");
	(void)ga_json_quote(b, r.current_rev);
	(void)ga_buf_puts(b, ",\"updateRevision\":");
	(void)ga_json_quote(b, r.update_rev);
	(void)ga_buf_puts(b, ",\"collisionCount\":0");
	count(b, "availableReplicas", r.ready, true);
	return ga_buf_putc(b, '}');
}

static int daemonset(ga_buf *b, const ga_node *obj, ks_sim *sim,
                     const ks_step *st)
{
	struct rolling r;

	roll_one_by_one(&r, obj, sim, st->nodes, st);
	(void)ga_buf_printf(
	    b,
	    "{\"currentNumberScheduled\":%" PRId64 ",\"numberMisscheduled\":0"
	    ",\"desiredNumberScheduled\":%" PRId64 ",\"numberReady\":%" PRId64
	    ",\"observedGeneration\":%" PRId64,
	    r.n, r.n, r.ready, ks_int(ks_get(ks_meta(obj), "generation")));
	count(b, "updatedNumberScheduled", r.updated, false);
	count(b, "numberAvailable", r.ready, false);
	count(b, "numberUnavailable", r.n - r.ready, false);
	return ga_buf_putc(b, '}');
}

int ks_workload_status(ga_node **out, const char *kind, const ga_node *obj,
                       ks_sim *sim, const ks_step *step)
{
	ga_buf b = GA_BUF_INIT(STATUS_MAX);
	int err;

	if (strcmp(kind, "Deployment") == 0)
		err = deployment(&b, obj, sim, step);
	else if (strcmp(kind, "StatefulSet") == 0)
		err = statefulset(&b, obj, sim, step);
	else if (strcmp(kind, "DaemonSet") == 0)
		err = daemonset(&b, obj, sim, step);
	else
		err = GA_EINVALID;
	if (err == 0 && b.err)
		err = b.err;
	if (err == 0)
		err = ga_json_parse(out, b.ptr, b.size, "status");
	ga_buf_dispose(&b);
	return err;
}
