/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the agent reports: the ConfigMap gitops-agent-status in its
 * namespace, written by server-side apply after every pass (so keys it
 * no longer writes go away), and Kubernetes Events about that ConfigMap
 * as client-go's recorder writes them (Flux's controllers report through
 * the status of their objects and Events the same way).  The ConfigMap
 * stays small and bounded: messages are cut, and at most
 * STATUS_MAX_FAILED failed objects are listed.  It also carries the last
 * verified and applied revision across restarts, which range
 * verification needs as its starting point.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ga/buf.h"
#include "ga/error.h"
#include "ga/log.h"
#include "run.h"

#define STATUS_MAX_FAILED 20
#define STATUS_LINE_MAX 256

static int put(ga_node *data, const char *key, const char *value)
{
	ga_node *s = NULL;
	int err;

	if ((err = ga_node_new_string(&s, value, strlen(value))) < 0)
		return err;
	return ga_node_map_set_take(data, key, s);
}

static void now_rfc3339(char *out, size_t cap)
{
	time_t t = time(NULL);
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)snprintf(out, cap, "unknown");
}

static const char *result_of(const ga_pass *p)
{
	return p->ok ? "Succeeded" : p->preempted ? "Preempted" : "Failed";
}

static int put_timings(ga_node *data, const ga_pass *p)
{
	char line[256];

	(void)snprintf(line, sizeof(line),
	               "fetch=%llums verify=%llums build=%llums "
	               "apply+prune=%llums health=%llums total=%llums",
	               (unsigned long long)p->ms[GA_STAGE_FETCH],
	               (unsigned long long)p->ms[GA_STAGE_VERIFY],
	               (unsigned long long)p->ms[GA_STAGE_BUILD],
	               (unsigned long long)p->ms[GA_STAGE_APPLY],
	               (unsigned long long)p->ms[GA_STAGE_HEALTH],
	               (unsigned long long)p->total_ms);
	return put(data, "timings", line);
}

static int put_objects(ga_node *data, const ga_pass *p)
{
	const ga_apply_report *r = &p->report;
	ga_buf b = GA_BUF_INIT((size_t)STATUS_MAX_FAILED * STATUS_LINE_MAX);
	size_t listed = 0;
	char line[256];
	int err;

	(void)snprintf(
	    line, sizeof(line),
	    "%zu created, %zu configured, %zu unchanged, %zu "
	    "pruned, %zu failed",
	    r->totals[GA_OUTCOME_CREATED], r->totals[GA_OUTCOME_CONFIGURED],
	    r->totals[GA_OUTCOME_UNCHANGED], r->totals[GA_OUTCOME_PRUNED],
	    r->totals[GA_OUTCOME_FAILED]);
	if ((err = put(data, "objects", line)) < 0)
		return err;
	for (size_t i = 0; i < r->n && listed < STATUS_MAX_FAILED; i++) {
		const ga_apply_entry *e = &r->entries[i];

		if (e->outcome != GA_OUTCOME_FAILED)
			continue;
		(void)ga_buf_printf(&b, "%s/%s%s%s: %.200s\n", e->kind, e->ns,
		                    *e->ns ? "/" : "", e->name,
		                    e->message ? e->message : "failed");
		listed++;
	}
	if (listed == STATUS_MAX_FAILED)
		(void)ga_buf_puts(&b, "(more not listed)\n");
	err = b.err
	          ? b.err
	          : (listed ? put(data, "failedObjects", ga_buf_cstr(&b)) : 0);
	ga_buf_dispose(&b);
	return err;
}

static int put_pass(ga_node *data, const ga_pass *p)
{
	char when[64];
	int err;

	now_rfc3339(when, sizeof(when));
	if ((err = put(data, "lastAttemptTime", when)) < 0 ||
	    (err = put(data, "lastAttemptResult", result_of(p))) < 0 ||
	    (err = put(data, "lastAttemptRevision",
	               p->attempted[0] ? p->attempted : p->revision)) < 0 ||
	    (err = put_timings(data, p)) < 0 ||
	    (err = put_objects(data, p)) < 0)
		return err;
	if (!p->failed_set)
		return 0;
	if ((err = put(data, "lastAttemptStage", ga_run_stage_name(p->stage))) <
	        0 ||
	    (err = put(data, "lastAttemptReason", p->reason)) < 0)
		return err;
	return put(data, "lastAttemptMessage", p->message);
}

/* The data to write: a new pass, or the last one's with a new config
 * error. */
static int status_data(ga_agent *a, const ga_pass *p, ga_node **out)
{
	const ga_node *old =
	    a->status_obj ? ga_node_map_get(a->status_obj, "data") : NULL;
	ga_node *data = NULL;
	int err;

	err = !p && old ? ga_node_clone(&data, old) : ga_node_new_map(&data);
	if (err < 0)
		return err;
	ga_node_free(ga_node_map_remove(data, "configError"));
	if ((err = put(data, "lastAppliedRevision", a->applied_revision)) < 0 ||
	    (err = put(data, "lastAppliedCommit", a->applied_commit)) < 0 ||
	    (err = put(data, "lastAppliedSigner", a->applied_signer)) < 0 ||
	    (p && (err = put_pass(data, p)) < 0) ||
	    (a->config_error &&
	     (err = put(data, "configError", a->config_error)) < 0)) {
		ga_node_free(data);
		return err;
	}
	*out = data;
	return 0;
}

/* A ConfigMap (or just its identity, without @data) in the agent's
 * namespace; takes @data. */
static int status_object(ga_node **out, const char *ns, ga_node *data)
{
	ga_node *obj = NULL, *meta = NULL, *labels = NULL;
	int err;

	if ((err = ga_node_new_map(&obj)) < 0 ||
	    (err = ga_node_new_map(&meta)) < 0 ||
	    (err = ga_node_new_map(&labels)) < 0)
		goto out;
	if ((err = put(obj, "apiVersion", "v1")) < 0 ||
	    (err = put(obj, "kind", "ConfigMap")) < 0 ||
	    (err = put(meta, "name", GA_RUN_STATUS_NAME)) < 0 ||
	    (err = put(meta, "namespace", ns)) < 0 ||
	    (err = put(labels, "app.kubernetes.io/managed-by",
	               GA_RUN_MANAGER)) < 0)
		goto out;
	err = ga_node_map_set_take(meta, "labels", labels);
	labels = NULL;
	if (err < 0)
		goto out;
	err = ga_node_map_set_take(obj, "metadata", meta);
	meta = NULL;
	if (err < 0)
		goto out;
	if (data) {
		err = ga_node_map_set_take(obj, "data", data);
		data = NULL;
		if (err < 0)
			goto out;
	}
	*out = obj;
	obj = NULL;
out:
	ga_node_free(data);
	ga_node_free(labels);
	ga_node_free(meta);
	ga_node_free(obj);
	return err;
}

int ga_status_write(ga_agent *a, const ga_pass *p)
{
	ga_node *data = NULL, *obj = NULL, *live = NULL;
	int err;

	if ((err = status_data(a, p, &data)) < 0 ||
	    (err = status_object(&obj, a->ns, data)) < 0)
		goto out;
	if ((err = ga_kube_apply(a->kube, obj, GA_RUN_MANAGER, GA_KUBE_FORCE,
	                         &live)) < 0) {
		GA_LOG(GA_LOG_WARN, NULL, 0, "status not written: %s",
		       ga_error_last()->message);
		goto out;
	}
	ga_node_free(a->status_obj);
	a->status_obj = live;
	live = NULL;
out:
	ga_node_free(obj);
	ga_node_free(live);
	return err;
}

static void copy_key(char *out, size_t cap, const ga_node *data,
                     const char *key)
{
	const ga_node *v = data ? ga_node_map_get(data, key) : NULL;

	if (v && ga_node_type_of(v) == GA_NODE_STRING)
		(void)snprintf(out, cap, "%s", ga_node_str(v));
}

int ga_status_load(ga_agent *a)
{
	ga_node *live = NULL;
	const ga_node *data;
	int err;

	a->status_loaded = false;
	if ((err = ga_kube_get(a->kube, "v1", "ConfigMap", a->ns,
	                       GA_RUN_STATUS_NAME, &live)) < 0) {
		if (err != GA_ENOTFOUND)
			return err;
		ga_error_clear(); /* a first start: nothing applied yet */
		a->status_loaded = true;
		return 0;
	}
	data = ga_node_map_get(live, "data");
	copy_key(a->applied_revision, sizeof(a->applied_revision), data,
	         "lastAppliedRevision");
	copy_key(a->applied_commit, sizeof(a->applied_commit), data,
	         "lastAppliedCommit");
	copy_key(a->applied_signer, sizeof(a->applied_signer), data,
	         "lastAppliedSigner");
	if (strlen(a->applied_commit) != 40)
		a->applied_commit[0] = a->applied_revision[0] = '\0';
	ga_node_free(a->status_obj);
	a->status_obj = live;
	a->status_loaded = true;
	return 0;
}

void ga_status_event(ga_agent *a, bool warning, const char *reason,
                     const char *fmt, ...)
{
	ga_kube_event ev = {.type = warning ? "Warning" : "Normal",
	                    .reason = reason,
	                    .component = GA_RUN_MANAGER,
	                    .instance = getenv("POD_NAME")};
	ga_node *about = NULL;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ev.message = msg;
	if (!a->status_obj && status_object(&about, a->ns, NULL) < 0)
		return;
	ev.about = a->status_obj ? a->status_obj : about;
	if (ga_kube_record_event(a->kube, &ev) < 0) {
		GA_LOG(GA_LOG_WARN, NULL, 0, "event %s not recorded: %s",
		       reason, ga_error_last()->message);
		ga_error_clear();
	}
	ga_node_free(about);
}
