/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kubesim's fault rules and request classification: which requests a
 * rule matches (method, path prefix, regex, writes only for conflicts),
 * when it fires (always, every Nth, the next N), that the first firing
 * rule decides, that a bad rule set is refused whole with a message
 * naming the rule and field, and the verb and resource the audit counts
 * a request under (kube-apiserver's RequestInfo).
 */
#include <string.h>

#include "harness.h"
#include "kubesim.h"
#include "sim.h"

static ks_faults *rules(const char *json)
{
	ks_faults *f = NULL;
	ks_status st;

	CHECK_OK(ks_faults_new(&f));
	memset(&st, 0, sizeof(st));
	CHECK_OK(ks_faults_set(f, json, strlen(json), &st));
	if (st.code)
		printf("# unexpected: %s\n", st.message);
	return f;
}

/* The action (and code) picked for one request, as "error 503". */
static const char *pick(ks_faults *f, const char *method, const char *path)
{
	static char out[64];
	static const char *const names[] = {"none", "error", "reset",
	                                    "conflict"};
	ks_fault fault;

	ks_faults_pick(f, method, path, &fault);
	(void)snprintf(out, sizeof(out), "%s %u %llu", names[fault.action],
	               fault.code, (unsigned long long)fault.delay_ms);
	return out;
}

static void matching(void)
{
	ks_faults *f = rules(
	    "{\"rules\":[{\"action\":\"error\",\"code\":503,\"method\":\"GET\","
	    "\"path\":\"/apis/apps/\"},{\"action\":\"reset\",\"pathRegex\":"
	    "\"/secrets(/|$)\"},{\"action\":\"conflict\"}]}");

	CHECK_EQ_STR(pick(f, "GET", "/apis/apps/v1/deployments"),
	             "error 503 0");
	CHECK_EQ_STR(pick(f, "POST", "/apis/apps/v1/deployments"), "none 0 0");
	CHECK_EQ_STR(pick(f, "GET", "/apis/batch/v1/jobs"), "none 0 0");
	CHECK_EQ_STR(pick(f, "GET", "/api/v1/secrets"), "reset 0 0");
	CHECK_EQ_STR(pick(f, "GET", "/api/v1/namespaces/a/secrets/x"),
	             "reset 0 0");
	CHECK_EQ_STR(pick(f, "GET", "/api/v1/secretsx"), "none 0 0");
	/* Conflicts hit object writes only. */
	CHECK_EQ_STR(pick(f, "PUT", "/api/v1/namespaces/a/configmaps/x"),
	             "conflict 0 0");
	CHECK_EQ_STR(pick(f, "DELETE", "/api/v1/namespaces/a/configmaps/x"),
	             "conflict 0 0");
	CHECK_EQ_STR(pick(f, "GET", "/api/v1/namespaces/a/configmaps/x"),
	             "none 0 0");
	ks_faults_clear(f);
	CHECK_EQ_STR(pick(f, "GET", "/apis/apps/v1/deployments"), "none 0 0");
	ks_faults_free(f);
}

static void triggers(void)
{
	ks_faults *f = rules(
	    "{\"rules\":[{\"action\":\"error\",\"code\":429,\"path\":\"/a\","
	    "\"every\":3},{\"action\":\"error\",\"path\":\"/b\",\"next\":2},"
	    "{\"action\":\"latency\",\"latency\":\"1500ms\",\"path\":\"/"
	    "\"}]}");
	ga_buf b = GA_BUF_INIT(4096);

	CHECK_EQ_STR(pick(f, "GET", "/a"), "none 0 1500");
	CHECK_EQ_STR(pick(f, "GET", "/a"), "none 0 1500");
	CHECK_EQ_STR(pick(f, "GET", "/a"), "error 429 0");
	CHECK_EQ_STR(pick(f, "GET", "/a"), "none 0 1500");
	CHECK_EQ_STR(pick(f, "GET", "/b"), "error 500 0");
	CHECK_EQ_STR(pick(f, "GET", "/b"), "error 500 0");
	CHECK_EQ_STR(pick(f, "GET", "/b"), "none 0 1500");
	CHECK_OK(ks_faults_json(f, &b));
	ks_faults_free(f);
	/* A rate of 1 fires on every match. */
	f = rules("{\"rules\":[{\"action\":\"reset\",\"rate\":1}]}");
	CHECK_EQ_STR(pick(f, "GET", "/x"), "reset 0 0");
	CHECK_EQ_STR(pick(f, "GET", "/y"), "reset 0 0");
	CHECK(strstr(ga_buf_cstr(&b), "\"every\":3},\"matched\":4,"
	                              "\"fired\":1}") != NULL);
	CHECK(strstr(ga_buf_cstr(&b), "\"matched\":3,\"fired\":2}") != NULL);
	ga_buf_dispose(&b);
	ks_faults_free(f);
}

/* The 400 message a bad rule set gets; the old rules stay. */
static const char *refused(ks_faults *f, const char *json)
{
	static char msg[sizeof(((ks_status *)0)->message)];
	ks_status st;

	memset(&st, 0, sizeof(st));
	CHECK_ERR(ks_faults_set(f, json, strlen(json), &st), GA_EINVALID);
	CHECK_EQ_INT(st.code, 400);
	(void)snprintf(msg, sizeof(msg), "%s", st.message);
	return msg;
}

static void bad_rules(void)
{
	ks_faults *f = rules("{\"rules\":[{\"action\":\"reset\"}]}");

	CHECK_EQ_STR(refused(f, "{\"rules\":[{\"action\":\"reset\"},"
	                        "{\"action\":\"eror\"}]}"),
	             "rules[1]: action: Unsupported value: want error, "
	             "latency, reset or conflict");
	CHECK_EQ_STR(refused(f, "{\"rules\":[{\"action\":\"error\","
	                        "\"code\":418}]}"),
	             "rules[0]: code: want 500, 503 or 429 with action error");
	CHECK_EQ_STR(refused(f, "{\"rules\":[{\"action\":\"error\","
	                        "\"evry\":2}]}"),
	             "rules[0]: unknown field \"evry\"");
	CHECK_EQ_STR(refused(f, "{\"rules\":[{\"action\":\"error\","
	                        "\"every\":2,\"next\":1}]}"),
	             "rules[0]: want at most one of every, next and rate");
	CHECK_EQ_STR(refused(f, "{\"rules\":[{\"action\":\"error\","
	                        "\"rate\":2}]}"),
	             "rules[0]: rate: want a number in (0, 1]");
	CHECK_EQ_STR(refused(f, "{\"rules\":[{\"action\":\"error\","
	                        "\"status\":\"yes\"}]}"),
	             "rules[0]: status: want true or false");
	CHECK_EQ_STR(refused(f, "{\"rules\":[{\"action\":\"latency\","
	                        "\"latency\":\"1m\"}]}"),
	             "rules[0]: latency: want a duration up to 30s, such as "
	             "250ms");
	CHECK_EQ_STR(refused(f, "{\"rules\":[{\"action\":\"latency\"}]}"),
	             "rules[0]: latency: Required value for action latency");
	CHECK_EQ_STR(refused(f, "{\"rules\":[{\"action\":\"reset\","
	                        "\"pathRegex\":\"([\"}]}"),
	             "rules[0]: pathRegex: not a POSIX extended regex");
	/* Truncated JSON: the parser's position. */
	CHECK(strncmp(refused(f, "{\"rules\":[]"), "faults: line 1 column",
	              21) == 0);
	CHECK_EQ_STR(refused(f, "{\"rule\":[]}"),
	             "want {\"rules\": [...]} and nothing else");
	/* Nothing above replaced the reset rule. */
	CHECK_EQ_STR(pick(f, "GET", "/x"), "reset 0 0");
	ks_faults_free(f);
}

static const char *classify(const char *method, const char *path, bool watch)
{
	static char out[400];
	ks_audit_info info;

	ks_audit_classify(&info, method, path, watch);
	(void)snprintf(out, sizeof(out), "%s %s", info.verb, info.resource);
	return out;
}

static void request_info(void)
{
	CHECK_EQ_STR(classify("GET", "/api/v1/namespaces", false),
	             "list namespaces");
	CHECK_EQ_STR(classify("GET", "/api/v1/namespaces/default", false),
	             "get namespaces");
	CHECK_EQ_STR(classify("PUT", "/api/v1/namespaces/x/finalize", false),
	             "update namespaces/finalize");
	CHECK_EQ_STR(classify("GET", "/api/v1/namespaces/x/configmaps", true),
	             "watch configmaps");
	CHECK_EQ_STR(classify("PUT",
	                      "/apis/apps/v1/namespaces/x/deployments/d/status",
	                      false),
	             "update deployments.apps/status");
	CHECK_EQ_STR(classify("DELETE",
	                      "/apis/apps/v1/namespaces/x/"
	                      "deployments",
	                      false),
	             "deletecollection deployments.apps");
	CHECK_EQ_STR(classify("PATCH",
	                      "/apis/apps/v1/namespaces/x/"
	                      "deployments/d",
	                      false),
	             "patch deployments.apps");
	CHECK_EQ_STR(classify("POST", "/api/v1/namespaces/x/pods", false),
	             "create pods");
	CHECK_EQ_STR(classify("GET", "/apis/apps/v1", false), "get ");
	CHECK_EQ_STR(classify("GET", "/openapi/v3", false), "get ");
}

int main(void)
{
	RUN(matching);
	RUN(triggers);
	RUN(bad_rules);
	RUN(request_info);
	return DONE();
}
