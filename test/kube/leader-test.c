/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Leader election (ga/leader.h) against kubesim over HTTPS: the kubeconfig
 * is the only argument (from run.sh).  Two electors share one Lease; a
 * fake monotonic clock (ga_leader__set_clock) moves time so that lease
 * expiry is checked to the millisecond without waiting, and one test runs
 * on the real clock with a short lease.  Fault injection uses kubesim's
 * /kubesim/faults, so this program is kubesim-specific.  TAP output.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ga/error.h"
#include "ga/http.h"
#include "ga/json.h"
#include "ga/kube.h"
#include "ga/leader.h"
#include "ga/time.h"
#include "harness.h"
#include "kube/leader_int.h"

#define NS "default"
#define LEASES "/apis/coordination.k8s.io/v1/namespaces/" NS "/leases/"

static ga_kube_config *cfg;
static ga_kube *k;
static ga_http *admin;
static uint64_t fake_ms = 1000000;
/* How far the fake clock moves at each reading (a slow step). */
static uint64_t fake_tick;

static uint64_t fake_now(void *arg)
{
	(void)arg;
	fake_ms += fake_tick;
	return fake_ms;
}

/* Electors "a" and "b" on Lease @name, on the fake clock with client-go's
 * default durations. */
static void pair(const char *name, ga_leader **a, ga_leader **b)
{
	ga_leader_opts o = {.ns = NS, .name = name, .identity = "a"};

	*a = *b = NULL;
	CHECK_OK(ga_leader_new(a, k, &o));
	o.identity = "b";
	CHECK_OK(ga_leader_new(b, k, &o));
	if (*a && *b) {
		ga_leader__set_clock(*a, fake_now, NULL);
		ga_leader__set_clock(*b, fake_now, NULL);
	}
}

/* Step @l, returning whether it leads; the step must succeed. */
static bool step(ga_leader *l)
{
	bool leading = true;

	CHECK_OK(ga_leader_step(l, &leading));
	return leading;
}

/* The Lease @name's spec as the server has it (free with ga_node_free). */
static ga_node *lease(const char *name)
{
	ga_node *got = NULL;

	CHECK_OK(
	    ga_kube_get(k, "coordination.k8s.io/v1", "Lease", NS, name, &got));
	return got;
}

static const char *spec_str(const ga_node *l, const char *key)
{
	const ga_node *v = ga_node_map_get(ga_node_map_get(l, "spec"), key);

	return v && ga_node_str(v) ? ga_node_str(v) : "";
}

static long long spec_int(const ga_node *l, const char *key)
{
	const ga_node *v = ga_node_map_get(ga_node_map_get(l, "spec"), key);

	return v && ga_node_type_of(v) == GA_NODE_INT ? ga_node_int(v) : -1;
}

/* A MicroTime as client-go writes it: "2006-01-02T15:04:05.000000Z". */
static bool is_microtime(const char *s)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	return end && strlen(s) == 27 && end[0] == '.' &&
	       strspn(end + 1, "0123456789") == 6 && !strcmp(end + 7, "Z");
}

/* PUT (or DELETE when NULL) kubesim's fault rules. */
static void faults(const char *rules)
{
	char url[1024];
	ga_http_request req = {.method = rules ? "PUT" : "DELETE",
	                       .url = url,
	                       .content_type = "application/json",
	                       .body = rules,
	                       .body_len = rules ? strlen(rules) : 0};
	ga_http_response resp;

	snprintf(url, sizeof(url), "%s/kubesim/faults", cfg->server);
	ga_http_response_init(&resp);
	CHECK_OK(ga_http_do(admin, &req, &resp));
	CHECK_EQ_INT(resp.status, 200);
	ga_http_response_dispose(&resp);
}

static void test_one_leader(void)
{
	ga_leader *a, *b;
	ga_node *l;

	pair("one", &a, &b);
	CHECK(step(a));
	CHECK(!step(b));
	CHECK_EQ_STR(ga_leader_holder(b), "a");
	/* A leader retries after the period, a candidate with jitter. */
	CHECK_EQ_INT(ga_leader_next_ms(a), fake_ms + GA_LEADER_RETRY_MS);
	CHECK(ga_leader_next_ms(b) >= fake_ms + GA_LEADER_RETRY_MS);
	CHECK(ga_leader_next_ms(b) <=
	      fake_ms + GA_LEADER_RETRY_MS + GA_LEADER_RETRY_MS * 6 / 5);
	l = lease("one");
	CHECK_EQ_STR(spec_str(l, "holderIdentity"), "a");
	CHECK_EQ_INT(spec_int(l, "leaseDurationSeconds"), 15);
	CHECK_EQ_INT(spec_int(l, "leaseTransitions"), 0);
	CHECK(is_microtime(spec_str(l, "acquireTime")));
	CHECK(is_microtime(spec_str(l, "renewTime")));
	ga_node_free(l);
	/* A minute of renewals: "a" keeps leading, "b" never does, and
	 * the lease never changes hands. */
	for (int i = 0; i < 30; i++) {
		fake_ms += GA_LEADER_RETRY_MS;
		CHECK(step(a));
		CHECK(!step(b));
	}
	l = lease("one");
	CHECK_EQ_INT(spec_int(l, "leaseTransitions"), 0);
	ga_node_free(l);
	ga_leader_free(a);
	ga_leader_free(b);
}

static void test_release(void)
{
	ga_leader *a, *b;
	ga_node *l;

	pair("release", &a, &b);
	CHECK(step(a));
	CHECK(!step(b));
	CHECK_OK(ga_leader_release(a));
	CHECK_EQ_STR(ga_leader_holder(a), "");
	l = lease("release");
	CHECK_EQ_STR(spec_str(l, "holderIdentity"), "");
	CHECK_EQ_INT(spec_int(l, "leaseDurationSeconds"), 1);
	ga_node_free(l);
	/* No time passes: an empty holder is free at once. */
	CHECK(step(b));
	CHECK(!step(a));
	CHECK_EQ_STR(ga_leader_holder(a), "b");
	l = lease("release");
	CHECK_EQ_STR(spec_str(l, "holderIdentity"), "b");
	CHECK_EQ_INT(spec_int(l, "leaseTransitions"), 1);
	CHECK_EQ_INT(spec_int(l, "leaseDurationSeconds"), 15);
	ga_node_free(l);
	/* Releasing what one does not hold changes nothing. */
	CHECK_OK(ga_leader_release(a));
	CHECK(step(b));
	ga_leader_free(a);
	ga_leader_free(b);
}

static void test_expiry(void)
{
	ga_leader *a, *b;
	uint64_t seen;
	ga_node *l;

	pair("expiry", &a, &b);
	CHECK(step(a));
	CHECK(!step(b));
	seen = fake_ms;
	/* "a" stops renewing: "b" waits the whole lease duration from when
	 * it saw the record last change, whatever renewTime says. */
	while (fake_ms + GA_LEADER_RETRY_MS < seen + GA_LEADER_LEASE_MS) {
		fake_ms += GA_LEADER_RETRY_MS;
		CHECK(!step(b));
	}
	fake_ms = seen + GA_LEADER_LEASE_MS - 1;
	CHECK(!step(b));
	fake_ms = seen + GA_LEADER_LEASE_MS;
	CHECK(step(b));
	l = lease("expiry");
	CHECK_EQ_STR(spec_str(l, "holderIdentity"), "b");
	CHECK_EQ_INT(spec_int(l, "leaseTransitions"), 1);
	ga_node_free(l);
	/* "a" wakes up: its fast-path renewal conflicts, it reads the
	 * Lease and steps down. */
	CHECK(!step(a));
	CHECK_EQ_STR(ga_leader_holder(a), "b");
	ga_leader_free(a);
	ga_leader_free(b);
}

/* The Lease was renewed since @before was read: the renewal went
 * through, the step did not merely stay within its renew deadline. */
static void renewed(const ga_node *before)
{
	ga_node *now = lease("conflict");

	CHECK(strcmp(spec_str(now, "renewTime"),
	             spec_str(before, "renewTime")) != 0);
	ga_node_free(now);
}

/* Someone else writes the Lease between two renewals (a label): the
 * leader's optimistic renewal gets 409, reads again and keeps leading. */
static void test_conflict(void)
{
	ga_leader *a, *b;
	ga_node *l, *v = NULL, *labels = NULL;

	pair("conflict", &a, &b);
	CHECK(step(a));
	l = lease("conflict");
	CHECK_OK(ga_node_new_map(&labels));
	CHECK_OK(ga_node_new_string(&v, "x", 1));
	CHECK_OK(ga_node_map_set_take(labels, "touched", v));
	CHECK_OK(ga_node_map_set_take(ga_node_map_get(l, "metadata"), "labels",
	                              labels));
	CHECK_OK(ga_kube_update(k, l, "someone-else", 0, NULL));
	fake_ms += GA_LEADER_RETRY_MS;
	CHECK(step(a));
	CHECK(!step(b));
	renewed(l);
	ga_node_free(l);
	/* And a 409 answered by the server itself (kubesim's fault). */
	l = lease("conflict");
	faults("{\"rules\":[{\"action\":\"conflict\",\"method\":\"PUT\","
	       "\"path\":\"" LEASES "conflict\",\"next\":1}]}");
	fake_ms += GA_LEADER_RETRY_MS;
	CHECK(step(a));
	faults(NULL);
	renewed(l);
	ga_node_free(l);
	l = lease("conflict");
	CHECK_EQ_STR(spec_str(l, "holderIdentity"), "a");
	CHECK_EQ_INT(spec_int(l, "leaseTransitions"), 0);
	CHECK_EQ_STR(
	    ga_node_str(ga_node_map_get(
	        ga_node_map_get(ga_node_map_get(l, "metadata"), "labels"),
	        "touched")),
	    "x");
	ga_node_free(l);
	ga_leader_free(a);
	ga_leader_free(b);
}

/* Fetch kubesim's fault rules with @h and say whether the first fired. */
static bool first_rule_fired(ga_http *h)
{
	char url[1024];
	ga_http_request req = {.method = "GET", .url = url};
	ga_http_response resp;
	ga_node *rules = NULL;
	const ga_node *fired;
	bool yes = false;

	snprintf(url, sizeof(url), "%s/kubesim/faults", cfg->server);
	ga_http_response_init(&resp);
	if (ga_http_do(h, &req, &resp) == 0 && resp.status == 200 &&
	    ga_json_parse(&rules, resp.body.ptr, resp.body.size, "rules") ==
	        0) {
		fired = ga_node_map_get(
		    ga_node_list_get(ga_node_map_get(rules, "rules"), 0),
		    "fired");
		yes = fired && ga_node_int(fired) > 0;
	}
	ga_node_free(rules);
	ga_http_response_dispose(&resp);
	return yes;
}

/* The other replica of the race, on a thread with its own clients: once
 * "a"'s create is held up, "b" steps and creates the Lease first. */
static void *racer(void *arg)
{
	ga_http_opts o = GA_HTTP_OPTS_INIT;
	struct timespec nap = {0, 20000000L};
	ga_leader_opts lo = {.ns = NS, .name = "race", .identity = "b"};
	ga_http *h = NULL;
	ga_kube *k2 = NULL;
	ga_leader *b = NULL;
	bool *won = arg;

	ga_kube_config_http_opts(cfg, &o);
	if (ga_http_new(&h, &o) < 0 || ga_kube_new(&k2, cfg, NULL) < 0 ||
	    ga_leader_new(&b, k2, &lo) < 0)
		goto out;
	for (int i = 0; i < 500 && !first_rule_fired(h); i++)
		(void)nanosleep(&nap, NULL);
	(void)ga_leader_step(b, won);
out:
	ga_leader_free(b);
	ga_kube_free(k2);
	ga_http_free(h);
	return NULL;
}

/* No Lease yet and two replicas start together: "a" reads no Lease, its
 * create is held up (kubesim's latency), "b" creates the Lease meanwhile;
 * "a"'s create fails AlreadyExists, so "a" does not lead. */
static void test_create_race(void)
{
	ga_leader_opts lo = {.ns = NS, .name = "race", .identity = "a"};
	ga_leader *a = NULL;
	bool leading = true, b_won = false;
	pthread_t t;

	CHECK_OK(ga_leader_new(&a, k, &lo));
	faults("{\"rules\":[{\"action\":\"latency\",\"latency\":\"2s\","
	       "\"method\":\"POST\",\"path\":\"/apis/coordination.k8s.io/"
	       "v1/namespaces/" NS "/leases\",\"next\":1}]}");
	CHECK(pthread_create(&t, NULL, racer, &b_won) == 0);
	CHECK_OK(ga_leader_step(a, &leading));
	CHECK(pthread_join(t, NULL) == 0);
	faults(NULL);
	CHECK(b_won);
	CHECK(!leading);
	CHECK(!step(a));
	CHECK_EQ_STR(ga_leader_holder(a), "b");
	ga_leader_free(a);
}

/* Every write of the Lease fails with 503 for a while: the leader keeps
 * leading up to its renew deadline, then stops; the other never leads
 * while the writes fail; at no step do both lead. */
static void test_server_errors(void)
{
	ga_leader *a, *b;
	uint64_t renewed;
	bool la, lb = false;
	int err;

	pair("faults", &a, &b);
	CHECK(step(a));
	CHECK(!step(b));
	renewed = fake_ms;
	faults("{\"rules\":[{\"action\":\"error\",\"code\":503,\"method\":"
	       "\"PUT\",\"path\":\"" LEASES "faults\"}]}");
	for (int i = 0; i < 15; i++) {
		fake_ms += GA_LEADER_RETRY_MS;
		err = ga_leader_step(a, &la);
		CHECK(err == GA_ERETRY);
		CHECK_EQ_INT(la,
		             fake_ms - renewed < GA_LEADER_RENEW_DEADLINE_MS);
		(void)ga_leader_step(b, &lb);
		CHECK(!lb);
		CHECK(!(la && lb));
	}
	ga_error_clear();
	faults(NULL);
	fake_ms += GA_LEADER_RETRY_MS;
	CHECK_OK(ga_leader_step(a, &la));
	CHECK_OK(ga_leader_step(b, &lb));
	CHECK(la != lb);
	ga_leader_free(a);
	ga_leader_free(b);
}

/* A renewal that succeeds but took longer than the renew deadline does
 * not extend leadership: the deadline counts from the step's start. */
static void test_slow_renewal(void)
{
	ga_leader *a, *b;

	pair("slow", &a, &b);
	CHECK(step(a));
	fake_ms += GA_LEADER_RETRY_MS;
	fake_tick = GA_LEADER_RENEW_DEADLINE_MS;
	CHECK(!step(a));
	fake_tick = 0;
	fake_ms += GA_LEADER_RETRY_MS;
	CHECK(step(a));
	CHECK(!step(b));
	ga_leader_free(a);
	ga_leader_free(b);
}

/* The real clock, a short lease: the takeover happens after the lease
 * duration and not before. */
static void test_real_clock(void)
{
	ga_leader_opts o = {.ns = NS,
	                    .name = "real",
	                    .identity = "a",
	                    .lease_ms = 1200,
	                    .renew_deadline_ms = 800,
	                    .retry_ms = 100};
	ga_leader *a = NULL, *b = NULL;
	uint64_t start, took = 0;
	struct timespec nap = {0, 100000000L};

	CHECK_OK(ga_leader_new(&a, k, &o));
	o.identity = "b";
	CHECK_OK(ga_leader_new(&b, k, &o));
	if (!a || !b)
		goto out;
	CHECK(step(a));
	start = ga_now_ms();
	CHECK(!step(b));
	while (!took && ga_now_ms() - start < 10000) {
		(void)nanosleep(&nap, NULL);
		if (step(b))
			took = ga_now_ms() - start;
	}
	CHECK(took >= 1200);
	/* Loose: valgrind and a loaded machine slow every step down. */
	CHECK(took < 5000);
	CHECK(ga_leader_next_ms(b) > ga_now_ms() - 100);
out:
	ga_leader_free(a);
	ga_leader_free(b);
}

static void test_bad_opts(void)
{
	ga_leader_opts o = {.ns = NS, .name = "x", .identity = ""};
	ga_leader *l = NULL;

	CHECK_ERR(ga_leader_new(&l, k, &o), GA_EINVALID);
	o.identity = "a";
	o.lease_ms = 5000;
	o.renew_deadline_ms = 5000;
	CHECK_ERR(ga_leader_new(&l, k, &o), GA_EINVALID);
	CHECK(strstr(ga_error_last()->message, "renew deadline"));
	CHECK(!l);
}

int main(int argc, char **argv)
{
	ga_http_opts o = GA_HTTP_OPTS_INIT, ho = GA_HTTP_OPTS_INIT;

	if (argc != 2) {
		fprintf(stderr, "usage: leader-test KUBECONFIG\n");
		return 2;
	}
	/* No retries: a 503 must reach the elector within one step. */
	o.retries = 0;
	if (ga_kube_config_load(&cfg, argv[1], NULL) < 0 ||
	    ga_kube_new(&k, cfg, &o) < 0 ||
	    (ga_kube_config_http_opts(cfg, &ho), ga_http_new(&admin, &ho)) <
	        0) {
		printf("Bail out! %s\n", ga_error_last()->message);
		ga_kube_free(k);
		ga_kube_config_free(cfg);
		return 1;
	}
	RUN(test_one_leader);
	RUN(test_release);
	RUN(test_expiry);
	RUN(test_conflict);
	RUN(test_create_race);
	RUN(test_server_errors);
	RUN(test_slow_renewal);
	RUN(test_real_clock);
	RUN(test_bad_opts);
	ga_http_free(admin);
	ga_kube_free(k);
	ga_kube_config_free(cfg);
	return DONE();
}
