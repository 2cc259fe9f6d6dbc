/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The agent's HTTP endpoints.  /healthz answers while the process runs;
 * /readyz once a configuration is in force and a reconcile was attempted
 * (Flux's controllers report ready the same way, after their first
 * reconcile); /metrics in Prometheus text; POST /hook is a push receiver
 * as Flux's notification-controller Receiver: the request is checked
 * against the shared secret (ga_webhook_check), rate-limited by a token
 * bucket (429 past it, as an overloaded API server answers), and an
 * authentic push wakes the loop for an immediate poll.  Bodies are capped
 * by the server (413).  Nothing secret is logged: the secret, the
 * signature headers and the body never reach a log line.
 */
#include "serve.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/httpd.h"
#include "ga/log.h"
#include "ga/metrics.h"
#include "ga/time.h"
#include "ga/webhook.h"
#include "runutil.h"

/* Webhook requests: 5 a second on average, bursts of 20. */
#define HOOK_RATE 5.0
#define HOOK_BURST 20.0

struct ga_serve {
	ga_httpd *httpd;
	ga_metrics *metrics;
	ga_metric *duration, *objects, *failures, *verify_failures, *info,
	    *hooks, *config_rejected, *leader, *source_rss;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool ready_config, ready_attempted, triggered;
	bool standby;     /* leader election on, another replica leads */
	char holder[256]; /* who leads, as the standby last saw */
	bool hook_on;
	ga_webhook_type hook_type;
	char *hook_secret;
	size_t hook_len;
	ga_run_bucket bucket;
	char revision[320], signer[400];
};

static void answer(ga_httpd_response *resp, unsigned status, const char *text)
{
	ga_httpd_response_set_status(resp, status);
	(void)ga_httpd_response_add_header(resp, "Content-Type",
	                                   "text/plain; charset=utf-8");
	(void)ga_buf_puts(ga_httpd_response_body(resp), text);
}

static void count_hook(ga_serve *s, unsigned status)
{
	char code[8];
	const char *v[] = {code};

	(void)snprintf(code, sizeof(code), "%u", status);
	(void)ga_metric_add(s->hooks, v, 1);
}

/* Check a request under the lock's copy of the secret. */
static int hook_check(ga_serve *s, const ga_httpd_request *req,
                      ga_webhook_verdict *v)
{
	ga_webhook_headers h = {
	    ga_httpd_request_header(req, "X-Hub-Signature-256"),
	    ga_httpd_request_header(req, "X-GitHub-Event"),
	    ga_httpd_request_header(req, "X-Gitlab-Token"),
	    ga_httpd_request_header(req, "X-Gitlab-Event"),
	    ga_httpd_request_header(req, "X-Signature"),
	};
	size_t len;
	const char *body = ga_httpd_request_body(req, &len);

	return ga_webhook_check(s->hook_type, &h, body, len, s->hook_secret,
	                        s->hook_len, NULL, 0, v);
}

static unsigned hook_status(int err)
{
	switch (err) {
	case 0:
		return 200;
	case GA_EAUTH:
		return 401;
	case GA_ELIMIT:
		return 413;
	default:
		return 400;
	}
}

static void on_hook(ga_serve *s, const ga_httpd_request *req,
                    ga_httpd_response *resp)
{
	ga_webhook_verdict v = {0};
	unsigned status;
	int err = 0;

	(void)pthread_mutex_lock(&s->lock);
	if (!s->hook_on) {
		status = 404;
	} else if (!ga_run_bucket_take(&s->bucket, ga_now_ms())) {
		status = 429;
	} else {
		err = hook_check(s, req, &v);
		status = hook_status(err);
		if (err == 0 && v.trigger) {
			s->triggered = true;
			(void)pthread_cond_broadcast(&s->cond);
		}
	}
	(void)pthread_mutex_unlock(&s->lock);
	count_hook(s, status);
	{
		char code[8];
		ga_log_field f[] = {
		    {"status", code}, {"event", v.event}, {"ref", v.ref}};

		(void)snprintf(code, sizeof(code), "%u", status);
		GA_LOG(status == 200 ? GA_LOG_INFO : GA_LOG_WARN, f, 3,
		       "webhook %s%s%s",
		       status == 200 ? (v.trigger ? "triggered a poll"
		                                  : "accepted, no poll")
		                     : "refused",
		       err ? ": " : "", err ? ga_error_last()->message : "");
	}
	if (status == 429)
		(void)ga_httpd_response_add_header(resp, "Retry-After", "1");
	answer(resp, status,
	       status == 200   ? "ok\n"
	       : status == 404 ? "no webhook receiver is configured\n"
	       : status == 429 ? "too many requests\n"
	       : status == 401 ? "unauthorized\n"
	       : status == 413 ? "request body too large\n"
	                       : "bad request\n");
}

static void on_readyz(ga_serve *s, ga_httpd_response *resp)
{
	bool config, attempted, standby;
	char text[320];

	(void)pthread_mutex_lock(&s->lock);
	config = s->ready_config;
	attempted = s->ready_attempted;
	standby = s->standby;
	(void)snprintf(text, sizeof(text), "ok: standby, %s leads\n",
	               s->holder[0] ? s->holder : "nobody");
	(void)pthread_mutex_unlock(&s->lock);
	if (!config)
		answer(resp, 503, "no configuration in force\n");
	else if (standby)
		answer(resp, 200, text);
	else if (!attempted)
		answer(resp, 503, "no reconcile attempted yet\n");
	else
		answer(resp, 200, "ok\n");
}

static int handler(const ga_httpd_request *req, ga_httpd_response *resp,
                   void *payload)
{
	ga_serve *s = payload;
	const char *path = ga_httpd_request_path(req);
	const char *method = ga_httpd_request_method(req);
	bool get = strcmp(method, "GET") == 0;

	if (strcmp(path, "/hook") == 0 && strcmp(method, "POST") == 0) {
		on_hook(s, req, resp);
	} else if (strcmp(path, "/healthz") == 0 && get) {
		answer(resp, 200, "ok\n");
	} else if (strcmp(path, "/readyz") == 0 && get) {
		on_readyz(s, resp);
	} else if (strcmp(path, "/metrics") == 0 && get) {
		(void)ga_httpd_response_add_header(resp, "Content-Type",
		                                   "text/plain; version=0.0.4");
		return ga_metrics_render(s->metrics,
		                         ga_httpd_response_body(resp));
	} else {
		answer(resp, 404, "not found\n");
	}
	return 0;
}

static int register_metrics(ga_serve *s)
{
	static const double buckets[] = {0.05, 0.1, 0.25, 0.5, 1,   2.5,
	                                 5,    10,  30,   60,  120, 300};
	static const char *const result[] = {"result"};
	static const char *const outcome[] = {"outcome"};
	static const char *const stage_reason[] = {"stage", "reason"};
	static const char *const reason[] = {"reason"};
	static const char *const info[] = {"revision", "signer"};
	static const char *const code[] = {"code"};
	int err;

	if ((err = ga_metrics_new(&s->metrics)) < 0 ||
	    (err = ga_metrics_histogram(
	         s->metrics, &s->duration,
	         "gitops_agent_reconcile_duration_seconds",
	         "Duration of a reconcile, by result.", result, 1, buckets,
	         sizeof(buckets) / sizeof(buckets[0]))) < 0 ||
	    (err = ga_metrics_gauge(
	         s->metrics, &s->info, "gitops_agent_applied_revision_info",
	         "The revision last verified and applied (value 1) and its "
	         "signer.",
	         info, 2)) < 0 ||
	    (err = ga_metrics_counter(
	         s->metrics, &s->objects, "gitops_agent_objects_total",
	         "Objects reconciled, by outcome.", outcome, 1)) < 0 ||
	    (err = ga_metrics_counter(s->metrics, &s->failures,
	                              "gitops_agent_reconcile_failures_total",
	                              "Failed reconciles, by stage and reason.",
	                              stage_reason, 2)) < 0 ||
	    (err = ga_metrics_counter(
	         s->metrics, &s->verify_failures,
	         "gitops_agent_verification_failures_total",
	         "Revisions refused by signature verification, by reason.",
	         reason, 1)) < 0 ||
	    (err = ga_metrics_counter(s->metrics, &s->config_rejected,
	                              "gitops_agent_config_rejections_total",
	                              "Configurations refused as invalid.",
	                              NULL, 0)) < 0 ||
	    (err =
	         ga_metrics_gauge(s->metrics, &s->leader, "gitops_agent_leader",
	                          "1 while this replica leads and "
	                          "reconciles, 0 on standby.",
	                          NULL, 0)) < 0 ||
	    (err = ga_metrics_gauge(
	         s->metrics, &s->source_rss,
	         "gitops_agent_source_process_peak_rss_bytes",
	         "Peak resident memory of the last source process (fetch, "
	         "verify, build), which the pod's memory limit must cover "
	         "besides the agent's own.",
	         NULL, 0)) < 0)
		return err;
	return ga_metrics_counter(s->metrics, &s->hooks,
	                          "gitops_agent_webhook_requests_total",
	                          "Webhook requests, by HTTP status.", code, 1);
}

int ga_serve_start(ga_serve **out, const char *addr, unsigned port)
{
	ga_httpd_opts o = GA_HTTPD_OPTS_INIT;
	pthread_condattr_t ca;
	ga_serve *s = ga_calloc(1, sizeof(*s));
	int err;

	if (!s)
		return GA_ENOMEM;
	(void)pthread_mutex_init(&s->lock, NULL);
	(void)pthread_condattr_init(&ca);
	(void)pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	(void)pthread_cond_init(&s->cond, &ca);
	(void)pthread_condattr_destroy(&ca);
	ga_run_bucket_init(&s->bucket, HOOK_RATE, HOOK_BURST, ga_now_ms());
	o.address = addr;
	o.port = port;
	o.max_body = GA_WEBHOOK_MAX_BODY;
	o.max_response = (size_t)16 << 20;
	if ((err = register_metrics(s)) < 0 ||
	    (err = ga_httpd_start(&s->httpd, &o, handler, s)) < 0) {
		ga_serve_stop(s);
		return err;
	}
	*out = s;
	return 0;
}

void ga_serve_stop(ga_serve *s)
{
	if (!s)
		return;
	ga_httpd_stop(s->httpd);
	ga_metrics_free(s->metrics);
	ga_free(s->hook_secret);
	(void)pthread_cond_destroy(&s->cond);
	(void)pthread_mutex_destroy(&s->lock);
	ga_free(s);
}

unsigned ga_serve_port(const ga_serve *s)
{
	return ga_httpd_port(s->httpd);
}

void ga_serve_set_ready(ga_serve *s, bool config, bool attempted)
{
	(void)pthread_mutex_lock(&s->lock);
	s->ready_config = config;
	s->ready_attempted = attempted;
	(void)pthread_mutex_unlock(&s->lock);
}

void ga_serve_set_leader(ga_serve *s, bool leading, const char *holder)
{
	(void)pthread_mutex_lock(&s->lock);
	s->standby = !leading;
	(void)snprintf(s->holder, sizeof(s->holder), "%s", holder);
	(void)pthread_mutex_unlock(&s->lock);
	(void)ga_metric_set(s->leader, NULL, leading ? 1 : 0);
}

void ga_serve_set_source_rss(ga_serve *s, uint64_t bytes)
{
	(void)ga_metric_set(s->source_rss, NULL, (double)bytes);
}

void ga_serve_set_webhook(ga_serve *s, const char *type, const char *secret,
                          size_t len)
{
	ga_webhook_type t = GA_WEBHOOK_GITHUB;
	char *copy = NULL;

	if (type && (ga_webhook_type_parse(type, &t) < 0 ||
	             !(copy = ga_strndup(secret, len)))) {
		type = NULL; /* the config parser checked it: memory only */
		len = 0;
	}
	(void)pthread_mutex_lock(&s->lock);
	ga_free(s->hook_secret);
	s->hook_secret = copy;
	s->hook_len = len;
	s->hook_type = t;
	s->hook_on = type != NULL;
	(void)pthread_mutex_unlock(&s->lock);
}

bool ga_serve_wait_trigger(ga_serve *s, uint64_t ms)
{
	struct timespec ts;
	bool got;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)(ms / 1000);
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	(void)pthread_mutex_lock(&s->lock);
	while (!s->triggered) {
		if (pthread_cond_timedwait(&s->cond, &s->lock, &ts) != 0)
			break;
	}
	got = s->triggered;
	s->triggered = false;
	(void)pthread_mutex_unlock(&s->lock);
	return got;
}

bool ga_serve_peek_trigger(ga_serve *s)
{
	bool got;

	(void)pthread_mutex_lock(&s->lock);
	got = s->triggered;
	(void)pthread_mutex_unlock(&s->lock);
	return got;
}

void ga_serve_observe_pass(ga_serve *s, const char *result, double seconds,
                           const ga_apply_report *rep)
{
	const char *r[] = {result};

	(void)ga_metric_observe(s->duration, r, seconds);
	for (int o = 0; rep && o < GA_OUTCOME_NKINDS; o++) {
		const char *v[] = {ga_apply_outcome_name((ga_apply_outcome)o)};

		(void)ga_metric_add(s->objects, v, (double)rep->totals[o]);
	}
	ga_error_clear();
}

void ga_serve_count_failure(ga_serve *s, const char *stage, const char *reason)
{
	const char *v[] = {stage, reason};

	(void)ga_metric_add(s->failures, v, 1);
}

void ga_serve_count_verify_failure(ga_serve *s, const char *reason)
{
	const char *v[] = {reason};

	(void)ga_metric_add(s->verify_failures, v, 1);
}

void ga_serve_count_config_rejected(ga_serve *s)
{
	(void)ga_metric_add(s->config_rejected, NULL, 1);
}

void ga_serve_set_revision(ga_serve *s, const char *revision,
                           const char *signer)
{
	char old[sizeof(s->revision)], old_signer[sizeof(s->signer)];
	const char *v[] = {revision, signer};
	const char *ov[] = {old, old_signer};

	(void)pthread_mutex_lock(&s->lock);
	(void)snprintf(old, sizeof(old), "%s", s->revision);
	(void)snprintf(old_signer, sizeof(old_signer), "%s", s->signer);
	(void)snprintf(s->revision, sizeof(s->revision), "%s", revision);
	(void)snprintf(s->signer, sizeof(s->signer), "%s", signer);
	(void)pthread_mutex_unlock(&s->lock);
	/* One series at 1: the one before drops to 0. */
	if (old[0] &&
	    (strcmp(old, revision) != 0 || strcmp(old_signer, signer) != 0))
		(void)ga_metric_set(s->info, ov, 0);
	(void)ga_metric_set(s->info, v, 1);
}
