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
 * remote between health checks (and at once on a webhook), and a new
 * revision cuts it short: the loop starts the next pass at once.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/gitverify.h"
#include "ga/kustomize.h"
#include "ga/log.h"
#include "ga/time.h"
#include "ga/yaml.h"
#include "reconcile.h"
#include "runutil.h"

#define BUILD_OUTPUT_MAX ((size_t)256 << 20)
/* Health: poll every half second, the remote every 5 s, give up at 5 min. */
#define HEALTH_POLL_MS 500
#define REMOTE_POLL_MS 5000
#define HEALTH_TIMEOUT_MS ((uint64_t)5 * 60 * 1000)

const char *ga_run_stage_name(ga_run_stage s)
{
	static const char *const names[] = {
	    "config", "fetch", "verify", "build", "apply", "prune", "health"};

	return s < GA_STAGE_N ? names[s] : "unknown";
}

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

static int open_mirror(ga_agent *a)
{
	const char *url = a->config->source.url;
	int err;

	if (a->mirror && strcmp(a->mirror_url, url) == 0)
		return 0;
	ga_git_mirror_free(a->mirror);
	a->mirror = NULL;
	ga_free(a->mirror_url);
	if (!(a->mirror_url = ga_strdup(url)))
		return GA_ENOMEM;
	a->gopts.url = a->mirror_url;
	a->gopts.timeout_ms = a->config->source.timeout_ms;
	if ((err = ga_git_mirror_open(&a->mirror, &a->gopts)) < 0)
		return err;
	return 0;
}

static ga_git_ref config_ref(const ga_config *c)
{
	static const struct {
		const char *name;
		ga_git_ref_kind kind;
	} kinds[] = {{"branch", GA_GIT_REF_BRANCH},
	             {"tag", GA_GIT_REF_TAG},
	             {"semver", GA_GIT_REF_SEMVER},
	             {"commit", GA_GIT_REF_COMMIT}};
	ga_git_ref ref = {GA_GIT_REF_BRANCH, c->source.ref};

	for (size_t i = 0; i < 4; i++) {
		if (strcmp(c->source.ref_kind, kinds[i].name) == 0)
			ref.kind = kinds[i].kind;
	}
	return ref;
}

/* "Name <mail> (openpgp FPR)" of whoever signed the revision. */
static void signer_of(char *out, size_t cap, const ga_gitverify_result *r)
{
	const ga_verify_result *v =
	    r->commit_checked ? &r->commit_sig : &r->tag_sig;

	(void)snprintf(out, cap, "%s (%s %s)", v->signer,
	               v->format == GA_SIG_SSH ? "ssh" : "openpgp", v->key);
}

/* Poll and verify; on success the new revision goes into @p. */
static int fetch_verify(ga_agent *a, ga_pass *p)
{
	ga_gitverify_opts vo = GA_GITVERIFY_OPTS_INIT;
	ga_git_ref ref = config_ref(a->config);
	ga_gitverify_result res;
	ga_git_result sel;
	ga_verify_keys *keys = NULL;
	uint64_t t = ga_now_ms();
	int err;

	if ((err = ga_reconcile_credentials(a)) < 0 ||
	    (err = open_mirror(a)) < 0 ||
	    (err = ga_git_fetch(&sel, a->mirror, &ref)) < 0) {
		p->ms[GA_STAGE_FETCH] = ga_now_ms() - t;
		ga_pass_fail(p, GA_STAGE_FETCH,
		             err == GA_EAUTH ? "AuthenticationFailed"
		                             : "FetchFailed",
		             "%s", ga_error_last()->message);
		return err;
	}
	p->ms[GA_STAGE_FETCH] = ga_now_ms() - t;
	t = ga_now_ms();
	(void)ga_gitverify_mode_parse(&vo.mode, a->config->source.verify_mode);
	vo.since = a->applied_commit[0] ? a->applied_commit : NULL;
	if ((err = ga_reconcile_load_keys(a, &keys)) < 0) {
		ga_pass_fail(p, GA_STAGE_VERIFY, "KeysUnavailable", "%s",
		             ga_error_last()->message);
		goto out;
	}
	vo.keys = keys;
	if ((err = ga_gitverify_check(&res, a->mirror, &ref, &sel, &vo)) < 0) {
		const char *reason = res.verdict
		                         ? ga_verify_reason_name(res.reason)
		                         : "VerificationFailed";

		ga_serve_count_verify_failure(a->serve, reason);
		ga_pass_fail(p, GA_STAGE_VERIFY, reason,
		             "revision %s refused: %s", sel.revision,
		             ga_error_last()->message);
		goto out;
	}
	(void)snprintf(p->revision, sizeof(p->revision), "%s", res.revision);
	(void)snprintf(p->commit, sizeof(p->commit), "%s", res.commit);
	signer_of(p->signer, sizeof(p->signer), &res);
out:
	p->ms[GA_STAGE_VERIFY] = ga_now_ms() - t;
	ga_verify_keys_free(keys);
	return err;
}

/* The built objects as a list, empty documents left out. */
static int build(ga_agent *a, ga_pass *p, ga_node **out)
{
	ga_buf kust = GA_BUF_INIT((size_t)4 << 20);
	ga_buf text = GA_BUF_INIT(BUILD_OUTPUT_MAX);
	ga_yaml_opts yo = GA_YAML_OPTS_INIT;
	ga_kust_opts ko = GA_KUST_OPTS_INIT;
	ga_kust_fs *tree = NULL, *fs = NULL;
	ga_node *docs = NULL;
	uint64_t t = ga_now_ms();
	int err;

	yo.max_bytes = BUILD_OUTPUT_MAX;
	/* Each object names its file, so a failed apply can say where the
	 * bad object is in the vendor's tree (the apply engine strips it). */
	ko.source_annotation = GA_APPLY_SOURCE_ANNOTATION;
	if ((err = ga_reconcile_overlay_text(&kust, a->config)) < 0 ||
	    (err = ga_git_tree_fs(&tree, a->mirror, p->commit)) < 0)
		goto out;
	err = ga_kust_fs_overlay(&fs, tree, GA_RECONCILE_OVERLAY_DIR,
	                         ga_buf_cstr(&kust), kust.size);
	tree = NULL; /* the overlay took it */
	if (err < 0 ||
	    (err = ga_kust_build(&text, fs, "/", GA_RECONCILE_OVERLAY_DIR,
	                         &ko)) < 0 ||
	    (err = ga_yaml_parse(&docs, ga_buf_cstr(&text), text.size,
	                         a->config->path, &yo)) < 0)
		goto out;
	for (size_t i = ga_node_count(docs); i-- > 0;) {
		if (ga_node_type_of(ga_node_list_get(docs, i)) == GA_NODE_NULL)
			ga_node_free(ga_node_list_remove(docs, i));
	}
	*out = docs;
	docs = NULL;
out:
	if (err < 0)
		ga_pass_fail(p, GA_STAGE_BUILD, "BuildFailed",
		             "revision %s: %s", p->revision,
		             ga_error_last()->message);
	p->ms[GA_STAGE_BUILD] = ga_now_ms() - t;
	ga_node_free(docs);
	ga_kust_fs_free(tree);
	ga_kust_fs_free(fs);
	ga_buf_dispose(&kust);
	ga_buf_dispose(&text);
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

static const char *str_at(const ga_node *obj, const char *a, const char *b)
{
	const ga_node *n = ga_node_map_get(obj, a);

	if (n && b)
		n = ga_node_map_get(n, b);
	return n && ga_node_type_of(n) == GA_NODE_STRING ? ga_node_str(n)
	                                                 : NULL;
}

/*
 * Check every object not yet Current; 1 when all are, 0 when some are
 * still progressing, negative (@p's failure set) when one Failed.
 */
static int health_round(ga_agent *a, ga_pass *p, ga_node *objs, bool *done)
{
	int pending = 0;

	for (size_t i = 0; i < ga_node_count(objs); i++) {
		const ga_node *obj = ga_node_list_get(objs, i);
		ga_node *live = NULL;
		ga_health h;

		if (done[i])
			continue;
		if (ga_kube_get(a->kube, str_at(obj, "apiVersion", NULL),
		                str_at(obj, "kind", NULL),
		                str_at(obj, "metadata", "namespace"),
		                str_at(obj, "metadata", "name"), &live) < 0) {
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
			             "%s/%s: %s: %s", str_at(obj, "kind", NULL),
			             str_at(obj, "metadata", "name"), h.reason,
			             h.message);
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
	ga_git_ref ref = config_ref(a->config);
	ga_git_result sel;

	if (ga_git_fetch(&sel, a->mirror, &ref) < 0) {
		ga_error_clear();
		return false;
	}
	return strcmp(sel.commit, p->commit) != 0;
}

static void health(ga_agent *a, ga_pass *p, ga_node *objs)
{
	size_t n = ga_node_count(objs);
	bool *done = ga_calloc(n ? n : 1, sizeof(bool));
	uint64_t t = ga_now_ms(), last_poll = t;

	if (!done) {
		ga_pass_fail(p, GA_STAGE_HEALTH, "OutOfMemory",
		             "out of memory");
		return;
	}
	while (health_round(a, p, objs, done) == 0) {
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
		poll = hook || ga_now_ms() - last_poll >= REMOTE_POLL_MS;
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

/* Use the last applied revision instead: drift correction. */
static bool fall_back(ga_agent *a, ga_pass *p)
{
	if (!a->applied_commit[0] || !a->mirror)
		return false;
	(void)snprintf(p->revision, sizeof(p->revision), "%s",
	               a->applied_revision);
	(void)snprintf(p->commit, sizeof(p->commit), "%s", a->applied_commit);
	(void)snprintf(p->signer, sizeof(p->signer), "%s", a->applied_signer);
	GA_LOG(GA_LOG_INFO, NULL, 0,
	       "applying the last verified revision %s again",
	       a->applied_revision);
	return true;
}

void ga_reconcile(ga_agent *a, ga_pass *p)
{
	ga_node *objs = NULL;

	memset(p, 0, sizeof(*p));
	p->started_ms = ga_now_ms();
	if (fetch_verify(a, p) < 0) {
		ga_error_clear();
		/* Stopping: no apply of the last revision to delay it. */
		if (atomic_load(&a->stop) || !fall_back(a, p))
			goto out;
	}
	if (build(a, p, &objs) < 0)
		goto out;
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
	health(a, p, objs);
out:
	p->ok = !p->failed_set;
	p->total_ms = ga_now_ms() - p->started_ms;
	ga_node_free(objs);
}
