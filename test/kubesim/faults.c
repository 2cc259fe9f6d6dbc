/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fault injection (PUT /kubesim/faults, --faults FILE): rules that match
 * a request by method and path (a prefix, or a POSIX extended regex) and
 * then add latency, answer an error, close the connection unanswered, or
 * answer 409 Conflict to an object write.  A rule fires always, on every
 * Nth match ("every"), for the next N matches ("next"), or at random with
 * probability "rate"; the first two make tests deterministic.  The rules
 * are checked in order and the first that fires decides (its latency,
 * then its action); the rules after it do not see the request, so a
 * test can queue faults ("next":1 each) that hit successive requests.
 *
 * Each error is what kube-apiserver sends for that code: 500 is
 * apierrors.NewInternalError ("Internal error occurred: ..." with the
 * error as the one cause), 503 is NewServiceUnavailable, 409 is the
 * Conflict of a stale resourceVersion (write.c's message), and 429 is
 * the Priority and Fairness filter's answer, which is not a Status but
 * plain text with a Retry-After header (apiserver's tooManyRequests), or
 * with "status": true the TooManyRequests Status other endpoints send
 * (apierrors.NewTooManyRequests, details.retryAfterSeconds).
 *
 * The body is {"rules":[{"action":"error|latency|reset|conflict",
 * "method":"PUT","path":"/apis/apps/"|"pathRegex":"...","code":503,
 * "retryAfterSeconds":1,"latency":"250ms","every":3|"next":2|"rate":0.5,
 * "message":"...","status":true}]}; unknown keys are refused so that a typo
 * does not silently disable a test's fault.
 */
#include "sim.h"

#include <regex.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "ga/alloc.h"
#include "ga/duration.h"
#include "ga/error.h"
#include "ga/json.h"

#define MAX_RULES 32
#define MAX_LATENCY_MS 30000

struct frule {
	ga_node *spec; /* the rule as given, for GET */
	char method[16];
	const char *prefix; /* borrowed from spec; NULL: any path */
	regex_t re;
	bool has_re;
	int action;
	ks_fault fault;
	uint64_t every, next;
	double rate;
	uint64_t matched, fired;
};

struct ks_faults {
	pthread_mutex_t mu;
	struct frule rules[MAX_RULES];
	size_t n;
};

int ks_faults_new(ks_faults **out)
{
	ks_faults *f = ga_calloc(1, sizeof(*f));

	if (!f)
		return GA_ENOMEM;
	(void)pthread_mutex_init(&f->mu, NULL);
	*out = f;
	return 0;
}

static void rules_free(struct frule *rules, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (rules[i].has_re)
			regfree(&rules[i].re);
		ga_node_free(rules[i].spec);
	}
}

void ks_faults_clear(ks_faults *f)
{
	(void)pthread_mutex_lock(&f->mu);
	rules_free(f->rules, f->n);
	f->n = 0;
	(void)pthread_mutex_unlock(&f->mu);
}

void ks_faults_free(ks_faults *f)
{
	if (!f)
		return;
	rules_free(f->rules, f->n);
	(void)pthread_mutex_destroy(&f->mu);
	ga_free(f);
}

static int bad(ks_status *st, size_t i, const char *what)
{
	ks_status_set(st, 400, "BadRequest", "rules[%zu]: %s", i, what);
	return GA_EINVALID;
}

static bool known_key(const char *key)
{
	static const char *const keys[] = {"action",
	                                   "method",
	                                   "path",
	                                   "pathRegex",
	                                   "code",
	                                   "latency",
	                                   "every",
	                                   "next",
	                                   "rate",
	                                   "message",
	                                   "retryAfterSeconds",
	                                   "status"};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

/* A positive integer field, 0 when absent, -1 when bad. */
static int64_t positive(const ga_node *rule, const char *key)
{
	const ga_node *v = ks_get(rule, key);

	if (!v)
		return 0;
	return ks_type(v) == GA_NODE_INT && ks_int(v) > 0 ? ks_int(v) : -1;
}

static int parse_action(struct frule *r, const ga_node *spec, size_t i,
                        ks_status *st)
{
	const char *action = ks_str(ks_get(spec, "action"));
	int64_t code = ks_get(spec, "code") ? ks_int(ks_get(spec, "code")) : 0;

	if (!action)
		return bad(st, i, "action: Required value");
	if (strcmp(action, "latency") == 0)
		r->action = KS_FAULT_NONE;
	else if (strcmp(action, "error") == 0)
		r->action = KS_FAULT_ERROR;
	else if (strcmp(action, "reset") == 0)
		r->action = KS_FAULT_RESET;
	else if (strcmp(action, "conflict") == 0)
		r->action = KS_FAULT_CONFLICT;
	else
		return bad(st, i,
		           "action: Unsupported value: want error, latency, "
		           "reset or conflict");
	if (r->action == KS_FAULT_ERROR && code == 0)
		code = 500;
	if (code && (r->action != KS_FAULT_ERROR ||
	             (code != 500 && code != 503 && code != 429)))
		return bad(st, i,
		           "code: want 500, 503 or 429 with action error");
	r->fault.action = r->action;
	r->fault.code = (unsigned)code;
	if (r->action == KS_FAULT_NONE && !ks_get(spec, "latency"))
		return bad(st, i, "latency: Required value for action latency");
	return 0;
}

/* How often the rule fires; at most one of every, next and rate. */
static int parse_trigger(struct frule *r, const ga_node *spec, size_t i,
                         ks_status *st)
{
	int64_t every = positive(spec, "every"), next = positive(spec, "next");
	const ga_node *rate = ks_get(spec, "rate");
	int64_t retry = positive(spec, "retryAfterSeconds");
	const char *latency = ks_str(ks_get(spec, "latency"));

	if (every < 0 || next < 0 || retry < 0)
		return bad(st, i,
		           "every, next and retryAfterSeconds: want a "
		           "positive integer");
	if ((every > 0) + (next > 0) + (rate != NULL) > 1)
		return bad(st, i, "want at most one of every, next and rate");
	if (rate) {
		double p = ks_type(rate) == GA_NODE_FLOAT ? ga_node_float(rate)
		           : ks_type(rate) == GA_NODE_INT ? (double)ks_int(rate)
		                                          : -1;
		if (!(p > 0 && p <= 1))
			return bad(st, i, "rate: want a number in (0, 1]");
		r->rate = p;
	}
	/* Capped: a sleeping request holds its connection thread, and
	 * shutdown waits for every one. */
	if (ks_get(spec, "latency") &&
	    (!latency ||
	     ga_duration_parse_ms(&r->fault.delay_ms, latency) < 0 ||
	     r->fault.delay_ms > MAX_LATENCY_MS))
		return bad(st, i,
		           "latency: want a duration up to 30s, such as "
		           "250ms");
	r->every = (uint64_t)every;
	r->next = (uint64_t)next;
	r->fault.retry_after = retry                  ? (unsigned)retry
	                       : r->fault.code == 500 ? 0
	                                              : 1;
	return 0;
}

static int parse_match(struct frule *r, const ga_node *spec, size_t i,
                       ks_status *st)
{
	const ga_node *method = ks_get(spec, "method");
	const char *re = ks_str(ks_get(spec, "pathRegex"));
	const char *msg = ks_str(ks_get(spec, "message"));
	size_t k;

	for (k = 0; k < ks_count(spec); k++) {
		const char *key = ga_node_map_key(spec, k, NULL);
		if (!known_key(key)) {
			ks_status_set(st, 400, "BadRequest",
			              "rules[%zu]: unknown field \"%.64s\"", i,
			              key);
			return GA_EINVALID;
		}
	}
	if (method && (!ks_str(method) || ks_str_len(method) == 0 ||
	               ks_str_len(method) >= sizeof(r->method)))
		return bad(st, i, "method: want an HTTP method");
	(void)snprintf(r->method, sizeof(r->method), "%s",
	               method ? ks_str(method) : "");
	r->prefix = ks_str(ks_get(spec, "path"));
	if ((ks_get(spec, "path") && !r->prefix) ||
	    (ks_get(spec, "pathRegex") && !re) || (r->prefix && re))
		return bad(st, i, "want a string path or pathRegex, not both");
	if (ks_get(spec, "message") && !msg)
		return bad(st, i, "message: want a string");
	if (ks_get(spec, "status") &&
	    ks_type(ks_get(spec, "status")) != GA_NODE_BOOL)
		return bad(st, i, "status: want true or false");
	r->fault.status_body = ks_bool(ks_get(spec, "status"));
	(void)snprintf(r->fault.message, sizeof(r->fault.message), "%s",
	               msg ? msg : "");
	if (re && regcomp(&r->re, re, REG_EXTENDED | REG_NOSUB) != 0)
		return bad(st, i, "pathRegex: not a POSIX extended regex");
	r->has_re = re != NULL;
	return 0;
}

static int parse_rule(struct frule *r, const ga_node *spec, size_t i,
                      ks_status *st)
{
	int err;

	memset(r, 0, sizeof(*r));
	if (ks_type(spec) != GA_NODE_MAP)
		return bad(st, i, "want an object");
	if ((err = parse_match(r, spec, i, st)) < 0 ||
	    (err = parse_action(r, spec, i, st)) < 0 ||
	    (err = parse_trigger(r, spec, i, st)) < 0)
		return err;
	if ((err = ga_node_clone(&r->spec, spec)) < 0) {
		ks_status_set(st, 500, "InternalError", "out of memory");
		return err;
	}
	/* The prefix now points into the clone, which the rule keeps. */
	r->prefix = ks_str(ks_get(r->spec, "path"));
	return 0;
}

int ks_faults_set(ks_faults *f, const char *json, size_t len, ks_status *st)
{
	struct frule parsed[MAX_RULES];
	ga_node *body = NULL;
	const ga_node *rules;
	size_t i, n = 0;
	int err = 0;

	if (ga_json_parse(&body, json, len, "faults") < 0) {
		ks_status_set(st, 400, "BadRequest", "%s",
		              ga_error_last()->message);
		return GA_EINVALID;
	}
	rules = ks_get(body, "rules");
	if (ks_type(rules) != GA_NODE_LIST || ks_count(body) != 1) {
		ks_status_set(st, 400, "BadRequest",
		              "want {\"rules\": [...]} and nothing else");
		err = GA_EINVALID;
	} else if (ks_count(rules) > MAX_RULES) {
		ks_status_set(st, 400, "BadRequest", "more than %d rules",
		              MAX_RULES);
		err = GA_EINVALID;
	}
	for (i = 0; err == 0 && i < ks_count(rules); i++, n++)
		if ((err = parse_rule(&parsed[i], ks_item(rules, i), i, st)) <
		        0 &&
		    parsed[i].has_re)
			regfree(&parsed[i].re);
	ga_node_free(body);
	if (err < 0) {
		rules_free(parsed, n ? n - 1 : 0);
		return err;
	}
	(void)pthread_mutex_lock(&f->mu);
	rules_free(f->rules, f->n);
	memcpy(f->rules, parsed, n * sizeof(parsed[0]));
	f->n = n;
	(void)pthread_mutex_unlock(&f->mu);
	return 0;
}

int ks_faults_json(ks_faults *f, ga_buf *out)
{
	size_t i;

	(void)pthread_mutex_lock(&f->mu);
	(void)ga_buf_puts(out, "{\"rules\":[");
	for (i = 0; i < f->n; i++) {
		(void)ga_buf_puts(out, i ? ",{\"rule\":" : "{\"rule\":");
		(void)ga_json_emit(out, f->rules[i].spec, GA_JSON_COMPACT);
		(void)ga_buf_printf(out, ",\"matched\":%llu,\"fired\":%llu}",
		                    (unsigned long long)f->rules[i].matched,
		                    (unsigned long long)f->rules[i].fired);
	}
	(void)ga_buf_puts(out, "]}");
	(void)pthread_mutex_unlock(&f->mu);
	return out->err;
}

static bool matches(const struct frule *r, const char *method, const char *path)
{
	bool write = strcmp(method, "PUT") == 0 ||
	             strcmp(method, "PATCH") == 0 ||
	             strcmp(method, "DELETE") == 0;

	if (r->method[0] && strcmp(r->method, method) != 0)
		return false;
	if (r->action == KS_FAULT_CONFLICT && !write)
		return false;
	if (r->prefix && strncmp(path, r->prefix, strlen(r->prefix)) != 0)
		return false;
	return !r->has_re || regexec(&r->re, path, 0, NULL, 0) == 0;
}

static bool fires(struct frule *r)
{
	uint32_t x = 0;

	r->matched++;
	if (r->next)
		return r->fired < r->next;
	if (r->every)
		return r->matched % r->every == 0;
	if (r->rate > 0) {
		if (getrandom(&x, sizeof(x), 0) != (ssize_t)sizeof(x))
			return false;
		return (double)x / 4294967296.0 < r->rate;
	}
	return true;
}

void ks_faults_pick(ks_faults *f, const char *method, const char *path,
                    ks_fault *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!f)
		return;
	(void)pthread_mutex_lock(&f->mu);
	for (i = 0; i < f->n; i++) {
		struct frule *r = &f->rules[i];
		if (!matches(r, method, path) || !fires(r))
			continue;
		r->fired++;
		*out = r->fault;
		break;
	}
	(void)pthread_mutex_unlock(&f->mu);
}

static int retry_after(ga_httpd_response *resp, unsigned seconds)
{
	char v[16];

	if (!seconds)
		return 0;
	(void)snprintf(v, sizeof(v), "%u", seconds);
	return ga_httpd_response_add_header(resp, "Retry-After", v);
}

/* apierrors.NewInternalError: the error is also the one cause, which
 * has a message only (no reason, no field). */
static int internal_error(ga_httpd_response *resp, const char *why)
{
	ga_buf causes = GA_BUF_INIT(1024);
	ks_status st;
	int err;

	ks_status_set(&st, 500, "InternalError", "Internal error occurred: %s",
	              why);
	(void)ga_buf_puts(&causes, "[{\"message\":");
	(void)ga_json_quote(&causes, why);
	(void)ga_buf_puts(&causes, "}]");
	st.has_details = true;
	st.causes = ga_buf_cstr(&causes);
	err = causes.err ? causes.err : ks_reply_status_to(resp, &st);
	ga_buf_dispose(&causes);
	return err;
}

/*
 * 429: by default what the flow-control filter answers an overloaded
 * server's client (plain text); with "status": true the Status of
 * apierrors.NewTooManyRequests, which other endpoints send.
 */
static int too_many(const ks_fault *fault, ga_httpd_response *resp,
                    const char *msg)
{
	static const char dflt[] = "Too many requests, please try again later.";
	ks_status st;
	int err;

	if (fault->status_body) {
		ks_status_set(&st, 429, "TooManyRequests", "%s",
		              msg ? msg : dflt);
		st.retry_after = fault->retry_after;
		st.has_details = st.retry_after != 0;
		return ks_reply_status_to(resp, &st);
	}
	ga_httpd_response_set_status(resp, 429);
	if ((err = ga_httpd_response_add_header(
	         resp, "Content-Type", "text/plain; charset=utf-8")) < 0 ||
	    (err = ga_httpd_response_add_header(resp, "X-Content-Type-Options",
	                                        "nosniff")) < 0)
		return err;
	return ga_buf_printf(ga_httpd_response_body(resp), "%s\n",
	                     msg ? msg : dflt);
}

int ks_fault_answer(const ks_fault *fault, ga_httpd_response *resp)
{
	const char *msg = fault->message[0] ? fault->message : NULL;
	int err;

	if (fault->action == KS_FAULT_RESET) {
		ga_httpd_response_drop(resp);
		return 0;
	}
	if ((err = retry_after(resp, fault->retry_after)) < 0)
		return err;
	if (fault->code == 429)
		return too_many(fault, resp, msg);
	if (fault->code == 503)
		return ks_reply_error(resp, 503, "ServiceUnavailable",
		                      msg ? msg
		                          : "the server is currently unable to "
		                            "handle the request");
	return internal_error(resp, msg ? msg : "injected by kubesim");
}
