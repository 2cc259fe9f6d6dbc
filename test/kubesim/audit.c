/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The request audit of kubesim: every request answered (or dropped by a
 * fault) is one JSON line in --audit-log FILE (time, verb, method, path
 * with its query, resource, status code, latency in microseconds, user
 * agent), and is counted per Kubernetes verb and per resource, so that
 * benchmarks can ask how many API requests an operation took (GET
 * /kubesim/audit; DELETE resets).  The verb and resource are read from
 * the path the way kube-apiserver's RequestInfoResolver does (get, list,
 * watch, create, update, patch, delete, deletecollection;
 * "<plural>.<group>[/<subresource>]"); requests outside /api and /apis
 * are counted as nonResource.  The admin prefix /kubesim/ is logged but
 * not counted, so reading the counts does not change them.  The audit
 * has its own lock: it is written outside ks_server.lock.
 */
#include "sim.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/json.h"

#define LINE_MAX_BYTES ((size_t)16 << 10)
#define MAX_SEGS 12

struct ks_audit {
	pthread_mutex_t mu;
	FILE *log;      /* NULL without --audit-log */
	ga_node *verbs; /* verb -> count */
	ga_node *res;   /* resource -> verb -> count */
	uint64_t total;
};

int ks_audit_new(ks_audit **out, const char *path)
{
	ks_audit *a = ga_calloc(1, sizeof(*a));

	if (!a)
		return GA_ENOMEM;
	(void)pthread_mutex_init(&a->mu, NULL);
	if (path && !(a->log = fopen(path, "ae"))) {
		ga_error_set_os(errno, "--audit-log %s", path);
		ks_audit_free(a);
		return GA_EIO;
	}
	if (ga_node_new_map(&a->verbs) < 0 || ga_node_new_map(&a->res) < 0) {
		ks_audit_free(a);
		return GA_ENOMEM;
	}
	*out = a;
	return 0;
}

void ks_audit_free(ks_audit *a)
{
	if (!a)
		return;
	if (a->log)
		(void)fclose(a->log);
	ga_node_free(a->verbs);
	ga_node_free(a->res);
	(void)pthread_mutex_destroy(&a->mu);
	ga_free(a);
}

static const char *method_verb(const char *method, bool named, bool watch)
{
	if (strcmp(method, "GET") == 0)
		return watch ? "watch" : named ? "get" : "list";
	if (strcmp(method, "POST") == 0)
		return "create";
	if (strcmp(method, "PUT") == 0)
		return "update";
	if (strcmp(method, "PATCH") == 0)
		return "patch";
	if (strcmp(method, "DELETE") == 0)
		return named ? "delete" : "deletecollection";
	return strcmp(method, "HEAD") == 0 ? "get" : "other";
}

void ks_audit_classify(ks_audit_info *info, const char *method,
                       const char *path, bool watch)
{
	char buf[2048], *segs[MAX_SEGS], *save = NULL, *tok, **rest;
	const char *group = "";
	size_t n = 0, m;

	memset(info, 0, sizeof(*info));
	(void)snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, "/", &save); tok && n < MAX_SEGS;
	     tok = strtok_r(NULL, "/", &save))
		segs[n++] = tok;
	/* Non-resource requests: the lower-cased method, as RequestInfo. */
	(void)snprintf(info->method, sizeof(info->method), "%s", method);
	for (tok = info->method; *tok; tok++)
		*tok = (char)(*tok >= 'A' && *tok <= 'Z' ? *tok - 'A' + 'a'
		                                         : *tok);
	info->verb = info->method;
	if (n >= 3 && strcmp(segs[0], "api") == 0) {
		rest = segs + 2;
	} else if (n >= 4 && strcmp(segs[0], "apis") == 0) {
		group = segs[1];
		rest = segs + 3;
	} else {
		return; /* discovery, health, the admin prefix */
	}
	m = n - (size_t)(rest - segs);
	/* namespaces/<ns>/status and /finalize are the namespace's own. */
	if (m >= 3 && strcmp(rest[0], "namespaces") == 0 &&
	    !(m == 3 && (strcmp(rest[2], "status") == 0 ||
	                 strcmp(rest[2], "finalize") == 0))) {
		rest += 2;
		m -= 2;
	}
	info->verb = method_verb(method, m >= 2, watch);
	(void)snprintf(info->resource, sizeof(info->resource), "%s%s%s%s%s",
	               rest[0], group[0] ? "." : "", group, m >= 3 ? "/" : "",
	               m >= 3 ? rest[2] : "");
}

static void bump(ga_node *map, const char *key)
{
	ga_node *v = NULL;

	if (ga_node_new_int(&v, ks_int(ks_get(map, key)) + 1) == 0)
		(void)ga_node_map_set_take(map, key, v);
}

static void count(ks_audit *a, const ks_audit_info *info)
{
	const char *res = info->resource[0] ? info->resource : "nonResource";
	ga_node *per = ks_get(a->res, res);

	a->total++;
	bump(a->verbs, info->verb);
	if (!per && (ga_node_new_map(&per) < 0 ||
	             ga_node_map_set_take(a->res, res, per) < 0))
		return;
	bump(per, info->verb);
}

static void log_line(ks_audit *a, const ga_httpd_request *http,
                     const ks_audit_info *info, unsigned code,
                     uint64_t latency_us)
{
	const char *ua = ga_httpd_request_header(http, "User-Agent");
	ga_buf b = GA_BUF_INIT(LINE_MAX_BYTES), path = GA_BUF_INIT(8192);
	char now[32];

	ks_now_rfc3339(now);
	(void)ga_buf_puts(&path, ga_httpd_request_path(http));
	(void)ga_httpd_request_query_string(http, &path);
	(void)ga_buf_printf(&b,
	                    "{\"time\":\"%s\",\"verb\":\"%s\",\"method\":", now,
	                    info->verb);
	(void)ga_json_quote(&b, ga_httpd_request_method(http));
	(void)ga_buf_puts(&b, ",\"path\":");
	(void)ga_json_quote(&b, ga_buf_cstr(&path));
	(void)ga_buf_puts(&b, ",\"resource\":");
	(void)ga_json_quote(&b, info->resource);
	(void)ga_buf_printf(&b, ",\"code\":%u,\"latencyMicros\":%llu", code,
	                    (unsigned long long)latency_us);
	if (code == 0)
		(void)ga_buf_puts(&b, ",\"dropped\":true");
	(void)ga_buf_puts(&b, ",\"userAgent\":");
	(void)ga_json_quote(&b, ua ? ua : "");
	(void)ga_buf_puts(&b, "}\n");
	if (!b.err) {
		(void)fwrite(b.ptr, 1, b.size, a->log);
		(void)fflush(a->log);
	}
	ga_buf_dispose(&b);
	ga_buf_dispose(&path);
}

void ks_audit_record(ks_audit *a, const ga_httpd_request *http, unsigned code,
                     uint64_t latency_us)
{
	const char *path = ga_httpd_request_path(http);
	const char *watch = ga_httpd_request_query(http, "watch");
	ks_audit_info info;

	if (!a)
		return;
	ks_audit_classify(&info, ga_httpd_request_method(http), path,
	                  watch && strcmp(watch, "false") != 0 &&
	                      strcmp(watch, "0") != 0);
	(void)pthread_mutex_lock(&a->mu);
	if (strncmp(path, "/kubesim/", 9) != 0 && strcmp(path, "/kubesim") != 0)
		count(a, &info);
	if (a->log)
		log_line(a, http, &info, code, latency_us);
	(void)pthread_mutex_unlock(&a->mu);
}

int ks_audit_counts(ks_audit *a, ga_buf *out)
{
	int err;

	(void)pthread_mutex_lock(&a->mu);
	(void)ga_buf_printf(
	    out, "{\"total\":%llu,\"verbs\":", (unsigned long long)a->total);
	(void)ga_json_emit(out, a->verbs, GA_JSON_SORT_KEYS);
	(void)ga_buf_puts(out, ",\"resources\":");
	(void)ga_json_emit(out, a->res, GA_JSON_SORT_KEYS);
	err = ga_buf_putc(out, '}');
	(void)pthread_mutex_unlock(&a->mu);
	return err;
}

void ks_audit_reset(ks_audit *a)
{
	ga_node *v = NULL, *r = NULL;

	if (ga_node_new_map(&v) < 0 || ga_node_new_map(&r) < 0) {
		ga_node_free(v);
		return;
	}
	(void)pthread_mutex_lock(&a->mu);
	ga_node_free(a->verbs);
	ga_node_free(a->res);
	a->verbs = v;
	a->res = r;
	a->total = 0;
	(void)pthread_mutex_unlock(&a->mu);
}
