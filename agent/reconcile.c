/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One reconcile pass, as Flux's source- and kustomize-controllers split
 * it: poll the Git remote, verify the revision's signatures, build the
 * distribution with the provider's customisations from the verified tree
 * (never from a checkout another process could change), apply with prune
 * (ga_apply_run), then wait for health.  A revision that cannot be
 * fetched or is refused leaves the last verified and applied one in
 * force: it is built from the mirror and applied again, which corrects
 * drift even while the Git server is down.  The health wait polls the
 * remote between health checks, and a new revision or a push webhook
 * cuts it short: the loop starts the next pass at once.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/log.h"
#include "ga/time.h"
#include "ga/yaml.h"
#include "reconcile.h"
#include "runutil.h"
#include "source.h"

/* Health: poll every half second, the remote every 5 s, give up at 5 min. */
#define HEALTH_POLL_MS 500
#define REMOTE_POLL_MS 5000
#define HEALTH_TIMEOUT_MS ((uint64_t)5 * 60 * 1000)

void ga_pass_fail(ga_pass *p, ga_run_stage stage, const char *reason,
                  const char *fmt, ...)
{
	va_list ap;

	if (p->failed_set)
		return;
	p->failed_set = true;
	p->stage = stage;
	(void)snprintf(p->reason, sizeof(p->reason), "%s", reason);
	va_start(ap, fmt);
	(void)vsnprintf(p->message, sizeof(p->message), fmt, ap);
	va_end(ap);
}

/* Use the last applied revision instead: drift correction. */
static void fall_back(ga_agent *a, ga_pass *p)
{
	(void)snprintf(p->revision, sizeof(p->revision), "%s",
	               a->applied_revision);
	(void)snprintf(p->commit, sizeof(p->commit), "%s", a->applied_commit);
	(void)snprintf(p->signer, sizeof(p->signer), "%s", a->applied_signer);
	GA_LOG(GA_LOG_INFO, NULL, 0,
	       "applying the last verified revision %s again",
	       a->applied_revision);
}

/* The built objects as a list, empty documents left out. */
static int parse_built(ga_agent *a, ga_pass *p, const ga_buf *text,
                       ga_node **out)
{
	ga_yaml_opts yo = GA_YAML_OPTS_INIT;
	ga_node *docs = NULL;
	int err;

	yo.max_bytes = GA_SOURCE_BUILD_MAX;
	if ((err = ga_yaml_parse(&docs, text->ptr ? text->ptr : "", text->size,
	                         a->config->path, &yo)) < 0) {
		ga_pass_fail(p, GA_STAGE_BUILD, "BuildFailed",
		             "revision %s: %s", p->revision,
		             ga_error_last()->message);
		return err;
	}
	for (size_t i = ga_node_count(docs); i-- > 0;) {
		if (ga_node_type_of(ga_node_list_get(docs, i)) == GA_NODE_NULL)
			ga_node_free(ga_node_list_remove(docs, i));
	}
	*out = docs;
	return 0;
}

/*
 * Poll, verify and build in the source process (source.h).  A poll or
 * verification failure is the pass's failure even when the last applied
 * revision was built instead and is applied again.
 */
static int fetch_verify_build(ga_agent *a, ga_pass *p, ga_node **out)
{
	ga_source_result r;
	int err;

	if ((err = ga_reconcile_credentials(a)) < 0) {
		ga_pass_fail(p, GA_STAGE_FETCH, "FetchFailed", "%s",
		             ga_error_last()->message);
		return err;
	}
	if ((err = ga_source_run(a, GA_SOURCE_PASS, &r)) < 0) {
		ga_pass_fail(p, GA_STAGE_FETCH, "SourceProcessFailed", "%s",
		             ga_error_last()->message);
		goto out;
	}
	for (int s = GA_STAGE_FETCH; s <= GA_STAGE_BUILD; s++)
		p->ms[s] = r.ms[s];
	(void)snprintf(p->attempted, sizeof(p->attempted), "%s", r.polled);
	if (r.failed && r.stage == GA_STAGE_VERIFY &&
	    strcmp(r.reason, "KeysUnavailable") != 0)
		ga_serve_count_verify_failure(a->serve, r.reason);
	if (r.failed)
		ga_pass_fail(p, r.stage, r.reason, "%s", r.message);
	if (r.revision[0]) {
		(void)snprintf(p->revision, sizeof(p->revision), "%s",
		               r.revision);
		(void)snprintf(p->commit, sizeof(p->commit), "%s", r.commit);
		(void)snprintf(p->signer, sizeof(p->signer), "%s", r.signer);
	}
	if (!r.built[0]) {
		err = GA_ERROR;
		goto out;
	}
	if (strcmp(r.built, p->commit) != 0)
		fall_back(a, p);
	err = parse_built(a, p, &r.yaml, out);
out:
	ga_source_result_dispose(&r);
	return err;
}

/* The first failed object, for the message of a failed apply. */
static const ga_apply_entry *first_failed(const ga_apply_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		if (r->entries[i].outcome == GA_OUTCOME_FAILED)
			return &r->entries[i];
	}
	return NULL;
}

static int apply(ga_agent *a, ga_pass *p, ga_node *objs)
{
	const ga_config *c = a->config;
	ga_apply_label labels[] = {{"gitops-agent.io/name", GA_RUN_OWNER_NAME},
	                           {"gitops-agent.io/namespace", a->ns}};
	ga_apply_run_opts o = {.field_manager = GA_RUN_MANAGER,
	                       .owner_labels = labels,
	                       .nowner_labels = 2,
	                       .inventory_name = GA_RUN_INVENTORY_NAME,
	                       .inventory_ns = a->ns,
	                       .prune = c->prune.enabled,
	                       .prune_opts = GA_PRUNE_OPTS_INIT,
	                       .recreate = GA_RECREATE_OPTS_INIT,
	                       .memo = a->memo};
	const ga_apply_entry *bad;
	uint64_t t = ga_now_ms();
	int err;

	o.prune_opts.agent_namespace = a->ns;
	o.prune_opts.allow_namespaces = c->prune.namespaces;
	o.prune_opts.allow_crds = c->prune.crds;
	o.prune_opts.allow_volumes = c->prune.volumes;
	o.prune_opts.max_percent = c->prune.max_percent;
	err = ga_apply_run(&p->report, a->kube, objs, &o);
	p->ms[GA_STAGE_APPLY] = ga_now_ms() - t;
	if (err < 0 && atomic_load(&a->stop)) {
		/* SIGTERM cancelled the request in flight: what was applied
		 * stays, the inventory is written by the next pass. */
		ga_pass_fail(p, GA_STAGE_APPLY, "Interrupted",
		             "the agent is stopping: the apply was cut short "
		             "(%s)",
		             ga_error_last()->message);
	} else if (err == GA_ELIMIT) {
		ga_pass_fail(p, GA_STAGE_PRUNE, "PruneRefused", "%s",
		             ga_error_last()->message);
	} else if (err < 0) {
		/* The first failed object's own message names its file,
		 * the object and the server's causes. */
		bad = first_failed(&p->report);
		if (bad && bad->message)
			ga_pass_fail(p, GA_STAGE_APPLY, "ApplyFailed", "%s: %s",
			             ga_error_last()->message, bad->message);
		else
			ga_pass_fail(p, GA_STAGE_APPLY, "ApplyFailed",
			             "%s%s%s%s%s%s", ga_error_last()->message,
			             bad ? " (" : "", bad ? bad->kind : "",
			             bad ? "/" : "", bad ? bad->name : "",
			             bad ? ")" : "");
	}
	return err;
}

/*
 * Whether the health wait is over for report entry @en before any read:
 * it is not an object this apply keeps (pruned, failed, or left alone
 * as its ssa/reconcile switches ask), or the drift memo let it go
 * unchanged and the LIST that showed so also showed it Current.
 */
static bool settled(const ga_apply_entry *en)
{
	if (en->outcome != GA_OUTCOME_CREATED &&
	    en->outcome != GA_OUTCOME_CONFIGURED &&
	    en->outcome != GA_OUTCOME_UNCHANGED)
		return true;
	return en->health_listed && en->health.status == GA_HEALTH_CURRENT;
}

/*
 * Check every object not yet Current; 1 when all are, 0 when some are
 * still progressing, negative (@p's failure set) when one Failed.
 */
static int health_round(ga_agent *a, ga_pass *p, bool *done)
{
	int pending = 0;

	for (size_t i = 0; i < p->report.n; i++) {
		const ga_apply_entry *en = &p->report.entries[i];
		char api[520];
		ga_node *live = NULL;
		ga_health h;

		if (done[i])
			continue;
		(void)snprintf(api, sizeof(api), "%s%s%s", en->group,
		               en->group[0] ? "/" : "", en->version);
		if (ga_kube_get(a->kube, api, en->kind,
		                en->ns[0] ? en->ns : NULL, en->name,
		                &live) < 0) {
			ga_error_clear();
			pending++;
			continue;
		}
		ga_apply_health(&h, live);
		ga_node_free(live);
		if (h.status == GA_HEALTH_CURRENT) {
			done[i] = true;
		} else if (h.status == GA_HEALTH_FAILED) {
			ga_pass_fail(p, GA_STAGE_HEALTH, "HealthCheckFailed",
			             "%s/%s: %s: %s", en->kind, en->name,
			             h.reason, h.message);
			return GA_ERROR;
		} else {
			pending++;
		}
	}
	return pending == 0;
}

/* Whether the remote moved past the revision being waited on. */
static bool remote_moved(ga_agent *a, const ga_pass *p)
{
	ga_source_result r;
	bool moved;

	if (ga_source_run(a, GA_SOURCE_POLL, &r) < 0)
		ga_error_clear();
	moved = !r.failed && r.commit[0] && strcmp(r.commit, p->commit) != 0;
	ga_source_result_dispose(&r);
	return moved;
}

static void health(ga_agent *a, ga_pass *p)
{
	size_t n = p->report.n;
	bool *done = ga_calloc(n ? n : 1, sizeof(bool));
	uint64_t t = ga_now_ms(), last_poll = t;

	if (!done) {
		ga_pass_fail(p, GA_STAGE_HEALTH, "OutOfMemory",
		             "out of memory");
		return;
	}
	for (size_t i = 0; i < n; i++)
		done[i] = settled(&p->report.entries[i]);
	while (health_round(a, p, done) == 0) {
		bool hook = ga_serve_wait_trigger(a->serve, HEALTH_POLL_MS);
		bool poll;

		if (atomic_load(&a->stop)) {
			ga_pass_fail(p, GA_STAGE_HEALTH, "Interrupted",
			             "the agent is stopping");
			break;
		}
		/* The wait may outlast the lease: renew it, or stop.  A
		 * push the standby recorded counts as one made here. */
		hook = ga_run_leader_tick(a) || hook;
		if (!atomic_load(&a->leading)) {
			ga_pass_fail(p, GA_STAGE_HEALTH, "LeadershipLost",
			             "another replica leads now");
			break;
		}
		if (hook) {
			/* A push: the next pass polls at once (a poll of
			 * its own first would cost a source process). */
			p->preempted = true;
			ga_pass_fail(p, GA_STAGE_HEALTH, "Preempted",
			             "a push came; the wait for %s was cut "
			             "short",
			             p->revision);
			break;
		}
		poll = ga_now_ms() - last_poll >= REMOTE_POLL_MS;
		if (poll)
			last_poll = ga_now_ms();
		if (poll && remote_moved(a, p)) {
			p->preempted = true;
			ga_pass_fail(
			    p, GA_STAGE_HEALTH, "Preempted",
			    "a new revision is on the remote; the wait "
			    "for %s was cut short",
			    p->revision);
			break;
		}
		if (ga_now_ms() - t >= HEALTH_TIMEOUT_MS) {
			ga_pass_fail(
			    p, GA_STAGE_HEALTH, "HealthCheckTimeout",
			    "objects not ready after %llu s",
			    (unsigned long long)(HEALTH_TIMEOUT_MS / 1000));
			break;
		}
	}
	p->ms[GA_STAGE_HEALTH] = ga_now_ms() - t;
	ga_free(done);
}

void ga_reconcile(ga_agent *a, ga_pass *p)
{
	ga_node *objs = NULL;

	memset(p, 0, sizeof(*p));
	p->started_ms = ga_now_ms();
	if (!a->status_loaded && ga_status_load(a) < 0) {
		ga_pass_fail(p, GA_STAGE_CONFIG, "StatusUnavailable",
		             "the last applied revision is unknown: the "
		             "status ConfigMap %s cannot be read: %s",
		             GA_RUN_STATUS_NAME, ga_error_last()->message);
		ga_error_clear();
		goto out;
	}
	if (fetch_verify_build(a, p, &objs) < 0) {
		ga_error_clear();
		goto out;
	}
	/*
	 * Fetch and build may have taken a while: apply only while still
	 * leading and not asked to stop (a cut-short pass is redone).
	 */
	if (ga_run_leader_tick(a))
		a->pass_due = true; /* a push came after the fetch */
	if (atomic_load(&a->stop) || !atomic_load(&a->leading)) {
		ga_pass_fail(p, GA_STAGE_APPLY, "Interrupted",
		             "%s before the apply",
		             atomic_load(&a->stop) ? "the agent is stopping"
		                                   : "leadership was lost");
		goto out;
	}
	if (apply(a, p, objs) < 0)
		goto out;
	p->applied = true;
	p->new_revision = strcmp(p->commit, a->applied_commit) != 0;
	if (p->new_revision) {
		/* The cluster holds it now: record it before the health
		 * wait, which this replica may not outlive, so that the
		 * next leader's range and fall-back start from here. */
		ga_run_note_applied(a, p);
		if (ga_status_write(a, NULL) < 0)
			ga_error_clear();
	}
	health(a, p);
out:
	p->ok = !p->failed_set;
	p->total_ms = ga_now_ms() - p->started_ms;
	ga_node_free(objs);
}
