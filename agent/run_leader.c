/* SPDX-License-Identifier: Apache-2.0 */
/*
 * High availability of `gitops-agent run`: leader election on the Lease
 * gitops-agent-leader in the agent's namespace (client-go's leaderelection
 * semantics, lib/kube/leader.c), as Flux's controllers do it, and push
 * requests that land on the standby replica.
 *
 * Only the leader reconciles.  The elector is stepped from the loop's
 * thread every retry period, also while the loop waits for the interval
 * and during health waits, so a leader that cannot renew stops within
 * the renew deadline.  Its requests go through a client of their own
 * whose timeout (retries included) is well under that deadline: the
 * agent's main client waits up to a minute, longer than the lease.
 *
 * The Service balances webhooks across both replicas.  A push that lands
 * on the standby is not lost: the standby records it as the annotation
 * gitops-agent.io/requested-at on the status ConfigMap (by server-side
 * apply, as its own field manager, so the leader's status writes leave
 * it alone), and the leader reads that annotation every retry period and
 * polls at once when it changed.  That is Flux's requestedAt handshake
 * (notification-controller sets reconcile.fluxcd.io/requestedAt on the
 * object its receiver names).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ga/error.h"
#include "ga/leader.h"
#include "ga/log.h"
#include "ga/node.h"
#include "ga/time.h"
#include "run.h"

#define LEADER_LEASE_NAME "gitops-agent-leader"
#define REQUEST_ANNOTATION "gitops-agent.io/requested-at"
#define REQUEST_MANAGER "gitops-agent-webhook"
/*
 * The Lease client: one attempt and one retry, 4 s in all, so a step
 * never holds the loop near the 10 s renew deadline.
 */
#define LEASE_CONNECT_MS 2000
#define LEASE_TIMEOUT_MS 4000
#define LEASE_RETRIES 1

static void identity_of(ga_agent *a)
{
	const char *pod = getenv("POD_NAME");
	char host[200] = "";

	if (pod && *pod) {
		(void)snprintf(a->identity, sizeof(a->identity), "%s", pod);
		return;
	}
	if (gethostname(host, sizeof(host) - 1) < 0 || !host[0])
		(void)snprintf(host, sizeof(host), "unknown-host");
	(void)snprintf(a->identity, sizeof(a->identity), "%s-%ld", host,
	               (long)getpid());
}

int ga_run_leader_start(ga_agent *a)
{
	ga_http_opts h = GA_HTTP_OPTS_INIT;
	ga_leader_opts o = {.ns = a->ns, .name = LEADER_LEASE_NAME};
	int err;

	if (!a->leader_elect) {
		atomic_store(&a->leading, 1);
		ga_serve_set_leader(a->serve, true, "");
		return 0;
	}
	atomic_store(&a->leading, 0);
	identity_of(a);
	o.identity = a->identity;
	h.connect_timeout_ms = LEASE_CONNECT_MS;
	h.timeout_ms = LEASE_TIMEOUT_MS;
	h.retries = LEASE_RETRIES;
	if ((err = ga_kube_new(&a->lease_kube, a->kcfg, &h)) < 0 ||
	    (err = ga_leader_new(&a->leader, a->lease_kube, &o)) < 0)
		return err;
	ga_serve_set_leader(a->serve, false, "");
	return 0;
}

/* The value of the request annotation on the status ConfigMap ("" for
 * none); false when it could not be read. */
static bool read_request(ga_agent *a, char *out, size_t cap)
{
	ga_node *cm = NULL, *meta, *ann, *v;
	int err;

	out[0] = '\0';
	err = ga_kube_get(a->lease_kube, "v1", "ConfigMap", a->ns,
	                  GA_RUN_STATUS_NAME, &cm);
	if (err < 0) {
		ga_error_clear();
		return err == GA_ENOTFOUND;
	}
	meta = ga_node_map_get(cm, "metadata");
	ann = meta ? ga_node_map_get(meta, "annotations") : NULL;
	v = ann ? ga_node_map_get(ann, REQUEST_ANNOTATION) : NULL;
	if (v && ga_node_str(v))
		(void)snprintf(out, cap, "%s", ga_node_str(v));
	ga_node_free(cm);
	return true;
}

/* A request recorded by the standby since the leader last looked. */
static bool request_pending(ga_agent *a)
{
	char seen[sizeof(a->request_seen)];

	if (!read_request(a, seen, sizeof(seen)))
		return false;
	if (strcmp(seen, a->request_seen) == 0)
		return false;
	(void)snprintf(a->request_seen, sizeof(a->request_seen), "%s", seen);
	if (!seen[0])
		return false;
	ga_log_field f[] = {{"requestedAt", seen}};
	GA_LOG(GA_LOG_INFO, f, 1, "a push reached the standby: polling now");
	return true;
}

static void became(ga_agent *a, bool leading)
{
	ga_log_field f[] = {{"identity", a->identity},
	                    {"lease", LEADER_LEASE_NAME}};

	atomic_store(&a->leading, leading ? 1 : 0);
	ga_serve_set_leader(a->serve, leading, ga_leader_holder(a->leader));
	if (leading) {
		GA_LOG(GA_LOG_INFO, f, 2, "became leader");
		a->holder_seen[0] =
		    '\0'; /* as a standby again, say who leads */
		/* The last leader may have applied revisions since this
		 * replica started: range verification and the fall-back
		 * while Git is down start from the latest, never an older
		 * one (which would roll the cluster back). */
		if (ga_status_load(a) < 0)
			ga_error_clear(); /* the pass reads it again */
		ga_status_event(a, false, "LeaderElected", "%s became leader",
		                a->identity);
		/* A pass runs at once; requests until now are covered. */
		(void)read_request(a, a->request_seen, sizeof(a->request_seen));
	} else {
		GA_LOG(GA_LOG_WARN, f, 2, "lost leadership: reconciling stops");
		/* Not when the server did not answer the renewal: the Event
		 * would only hold the loop for the main client's retries. */
		if (!a->lease_failing)
			ga_status_event(a, true, "LeadershipLost",
			                "%s lost leadership", a->identity);
	}
}

/* A standby says who leads whenever that changes. */
static void note_holder(ga_agent *a)
{
	const char *holder = ga_leader_holder(a->leader);
	ga_log_field f[] = {{"leader", holder}, {"identity", a->identity}};

	if (strcmp(holder, a->holder_seen) == 0)
		return;
	(void)snprintf(a->holder_seen, sizeof(a->holder_seen), "%s", holder);
	ga_serve_set_leader(a->serve, false, holder);
	GA_LOG(GA_LOG_INFO, f, 2, "standby: %s leads",
	       holder[0] ? holder : "nobody");
}

bool ga_run_leader_tick(ga_agent *a)
{
	bool was, now = false;
	int err;

	if (!a->leader || ga_now_ms() < ga_leader_next_ms(a->leader))
		return false;
	was = atomic_load(&a->leading) != 0;
	err = ga_leader_step(a->leader, &now);
	if (err < 0 && !a->lease_failing) {
		GA_LOG(GA_LOG_WARN, NULL, 0, "lease %s: %s", LEADER_LEASE_NAME,
		       ga_error_last()->message);
	}
	a->lease_failing = err < 0;
	ga_error_clear();
	if (now != was) {
		became(a, now);
		return now;
	}
	if (!now) {
		note_holder(a);
		return false;
	}
	return request_pending(a);
}

/* The status ConfigMap's identity with the request annotation only. */
static int request_object(ga_node **out, const ga_agent *a, const char *at)
{
	ga_node *obj = NULL, *meta = NULL, *ann = NULL, *s = NULL;
	int err;
	const char *kv[][2] = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}};

	if ((err = ga_node_new_map(&obj)) < 0 ||
	    (err = ga_node_new_map(&meta)) < 0 ||
	    (err = ga_node_new_map(&ann)) < 0)
		goto out;
	for (size_t i = 0; i < 2; i++) {
		if ((err = ga_node_new_string(&s, kv[i][1], strlen(kv[i][1]))) <
		        0 ||
		    (err = ga_node_map_set_take(obj, kv[i][0], s)) < 0)
			goto out;
	}
	if ((err = ga_node_new_string(&s, GA_RUN_STATUS_NAME,
	                              strlen(GA_RUN_STATUS_NAME))) < 0 ||
	    (err = ga_node_map_set_take(meta, "name", s)) < 0 ||
	    (err = ga_node_new_string(&s, a->ns, strlen(a->ns))) < 0 ||
	    (err = ga_node_map_set_take(meta, "namespace", s)) < 0 ||
	    (err = ga_node_new_string(&s, at, strlen(at))) < 0 ||
	    (err = ga_node_map_set_take(ann, REQUEST_ANNOTATION, s)) < 0)
		goto out;
	err = ga_node_map_set_take(meta, "annotations", ann);
	ann = NULL;
	if (err < 0)
		goto out;
	err = ga_node_map_set_take(obj, "metadata", meta);
	meta = NULL;
	if (err < 0)
		goto out;
	*out = obj;
	obj = NULL;
out:
	ga_node_free(ann);
	ga_node_free(meta);
	ga_node_free(obj);
	return err;
}

/* RFC 3339 with nanoseconds: each push a new value. */
static void now_rfc3339_nano(char *out, size_t cap)
{
	struct timespec ts = {0};
	struct tm tm;

	(void)clock_gettime(CLOCK_REALTIME, &ts);
	if (!gmtime_r(&ts.tv_sec, &tm)) {
		(void)snprintf(out, cap, "%lld.%09ld", (long long)ts.tv_sec,
		               ts.tv_nsec);
		return;
	}
	(void)snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ",
	               tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	               tm.tm_min, tm.tm_sec, ts.tv_nsec);
}

void ga_run_leader_hook(ga_agent *a)
{
	char at[64];
	ga_node *obj = NULL, *live = NULL;
	ga_log_field f[] = {{"requestedAt", at}, {"leader", a->holder_seen}};

	now_rfc3339_nano(at, sizeof(at));
	if (request_object(&obj, a, at) < 0 ||
	    ga_kube_apply(a->lease_kube, obj, REQUEST_MANAGER, GA_KUBE_FORCE,
	                  &live) < 0) {
		GA_LOG(GA_LOG_ERROR, f, 2,
		       "standby: push not handed to the leader: %s",
		       ga_error_last()->message);
	} else {
		GA_LOG(GA_LOG_INFO, f, 2, "standby: push handed to the leader");
	}
	ga_error_clear();
	ga_node_free(obj);
	ga_node_free(live);
}

void ga_run_leader_stop(ga_agent *a)
{
	ga_log_field f[] = {{"identity", a->identity},
	                    {"lease", LEADER_LEASE_NAME}};

	bool was;

	if (!a->leader)
		goto out;
	was = atomic_exchange(&a->leading, 0) != 0;
	if (ga_leader_release(a->leader) < 0) {
		GA_LOG(GA_LOG_WARN, f, 2, "lease not released: %s",
		       ga_error_last()->message);
		ga_error_clear();
	} else if (was) {
		GA_LOG(GA_LOG_INFO, f, 2, "lease released");
	}
out:
	ga_leader_free(a->leader);
	a->leader = NULL;
	ga_kube_free(a->lease_kube);
	a->lease_kube = NULL;
}
