/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kubesim's request handler: bearer-token authentication (401 Status
 * otherwise, as kube-apiserver answers an unauthenticated client), then
 * discovery or a resource path of the Kubernetes API
 * (/api/v1/... and /apis/<group>/<version>/..., optionally under
 * namespaces/<ns>/, then <plural>[/<name>[/<subresource>]]) routed to a
 * verb.  "namespaces/<name>/status" is the namespace's subresource, not a
 * resource called status, exactly as the API server resolves it.  Health
 * endpoints need no token.  Around that sit the simulation's hooks
 * (sim.h): the admin prefix /kubesim/, fault injection (a fault's
 * latency is slept outside ks_server.lock, so it stalls only its own
 * request), and the audit of every request with its latency.
 */
#include "kubesim.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ga/error.h"
#include "ga/time.h"
#include "sim.h"

#define MAX_SEGS 12
#define MAX_PATH 2048

static bool authorized(const ks_server *ks, const ga_httpd_request *http)
{
	const char *auth = ga_httpd_request_header(http, "Authorization");

	if (!ks->token)
		return true; /* --no-tls without --token */
	return auth && strncmp(auth, "Bearer ", 7) == 0 &&
	       strcmp(auth + 7, ks->token) == 0;
}

/* Split @path at '/' into @segs (pointers into @buf); empty parts drop. */
static size_t split(char *buf, const char *path, char **segs)
{
	size_t n = 0;
	char *save = NULL, *tok;

	(void)snprintf(buf, MAX_PATH, "%s", path);
	for (tok = strtok_r(buf, "/", &save); tok && n < MAX_SEGS;
	     tok = strtok_r(NULL, "/", &save))
		segs[n++] = tok;
	return tok ? MAX_SEGS + 1 : n;
}

static bool copy(char *dst, size_t cap, const char *src)
{
	return (size_t)snprintf(dst, cap, "%s", src) < cap;
}

/* Fill @r->res, ns, name and sub from a resource path; false: no route. */
static bool route(ks_req *r, char **segs, size_t n)
{
	const char *group, *version;
	char **rest;
	size_t m;

	if (n >= 3 && strcmp(segs[0], "api") == 0) {
		group = "";
		version = segs[1];
		rest = segs + 2;
	} else if (n >= 4 && strcmp(segs[0], "apis") == 0) {
		group = segs[1];
		version = segs[2];
		rest = segs + 3;
	} else {
		return false;
	}
	m = n - (size_t)(rest - segs);
	if (m >= 3 && strcmp(rest[0], "namespaces") == 0) {
		r->res = ks_registry_find(group, version, rest[2]);
		if (r->res && r->res->namespaced) {
			if (!copy(r->ns, sizeof(r->ns), rest[1]))
				return false;
			rest += 2;
			m -= 2;
		}
	}
	if (!r->ns[0])
		r->res = ks_registry_find(group, version, rest[0]);
	if (!r->res || m > 3)
		return false;
	return copy(r->name, sizeof(r->name), m >= 2 ? rest[1] : "") &&
	       copy(r->sub, sizeof(r->sub), m == 3 ? rest[2] : "");
}

static int serve(ks_server *ks, const ga_httpd_request *http,
                 ga_httpd_response *resp, bool conflict)
{
	char buf[MAX_PATH], *segs[MAX_SEGS];
	size_t n = split(buf, ga_httpd_request_path(http), segs);
	const char *dry = ga_httpd_request_query(http, "dryRun");
	ks_req r;
	int rc;

	if (n > MAX_SEGS || strlen(ga_httpd_request_path(http)) >= MAX_PATH)
		return ks_reply_no_resource(resp);
	if ((rc = ks_discovery(ks, http, resp, segs, n)) != 1 ||
	    (rc = ks_openapi(resp, segs, n)) != 1)
		return rc;
	memset(&r, 0, sizeof(r));
	r.ks = ks;
	r.http = http;
	r.resp = resp;
	r.method = ga_httpd_request_method(http);
	if (!route(&r, segs, n))
		return ks_reply_no_resource(resp);
	if (dry && strcmp(dry, "All") != 0) {
		char msg[300];
		(void)snprintf(msg, sizeof(msg),
		               "Invalid dry run value: %.200s, must be All",
		               dry);
		return ks_reply_error(resp, 400, "BadRequest", msg);
	}
	r.dry_run = dry != NULL;
	/* An injected Conflict storm hits writes to an object. */
	if (conflict && r.name[0] && strcmp(r.method, "POST") != 0)
		return ks_reply_conflict(&r);
	return ks_verb(&r);
}

/*
 * /healthz, /livez and /readyz answer "ok" to anyone, as the API server's
 * system:public-info-viewer role allows.  Returns 1 for other paths.
 */
static int health(const ga_httpd_request *http, ga_httpd_response *resp)
{
	const char *p = ga_httpd_request_path(http);
	int err;

	if (strcmp(p, "/healthz") != 0 && strcmp(p, "/livez") != 0 &&
	    strcmp(p, "/readyz") != 0)
		return 1;
	if ((err = ga_buf_puts(ga_httpd_response_body(resp), "ok")) < 0)
		return err;
	return ga_httpd_response_add_header(resp, "Content-Type",
	                                    "text/plain; charset=utf-8");
}

static void pause_ms(uint64_t ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int handle(ks_server *ks, const ga_httpd_request *http,
                  ga_httpd_response *resp, bool *dropped)
{
	ks_fault fault;
	int rc;

	if ((rc = health(http, resp)) != 1)
		return rc;
	if (!authorized(ks, http))
		return ks_reply_error(resp, 401, "Unauthorized",
		                      "Unauthorized");
	if ((rc = ks_admin(ks, http, resp)) != 1)
		return rc;
	ks_faults_pick(ks->faults, ga_httpd_request_method(http),
	               ga_httpd_request_path(http), &fault);
	if (fault.delay_ms)
		pause_ms(fault.delay_ms);
	if (fault.action == KS_FAULT_ERROR || fault.action == KS_FAULT_RESET) {
		*dropped = fault.action == KS_FAULT_RESET;
		return ks_fault_answer(&fault, resp);
	}
	(void)pthread_mutex_lock(&ks->lock);
	rc = serve(ks, http, resp, fault.action == KS_FAULT_CONFLICT);
	(void)pthread_mutex_unlock(&ks->lock);
	return rc;
}

int ks_handle(const ga_httpd_request *http, ga_httpd_response *resp,
              void *payload)
{
	ks_server *ks = payload;
	uint64_t start = ga_now_ns();
	bool dropped = false;
	int rc = handle(ks, http, resp, &dropped);

	ks_audit_record(ks->audit, http,
	                dropped  ? 0
	                : rc < 0 ? 500
	                         : ga_httpd_response_status(resp),
	                (ga_now_ns() - start) / 1000);
	return rc;
}
