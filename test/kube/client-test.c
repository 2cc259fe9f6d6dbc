/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Kubernetes API client (ga/kube.h) against a live API server: the
 * kubeconfig given as the only argument (kubesim's, from run.sh; the
 * checks assume nothing else of the server than the Kubernetes API).
 * Discovery and its refresh after a CRD, every verb, paging, the errors
 * each answer maps to, and a wrong token.  TAP output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/json.h"
#include "ga/kube.h"
#include "harness.h"

#define NS "client-test"
#define MANAGER "client-test"
/* More than one LIST page of the client (500). */
#define MANY 520

static const char *kubeconfig;
static ga_kube_config *cfg;
static ga_kube *k;

/* An object from JSON text; NULL (and a failed check) when it is bad. */
static ga_node *obj_of(const char *json)
{
	ga_node *n = NULL;

	CHECK_OK(ga_json_parse(&n, json, strlen(json), "test object"));
	return n;
}

/* A string at @a.@b of @obj, or "". */
static const char *at(const ga_node *obj, const char *a, const char *b)
{
	const ga_node *v = obj ? ga_node_map_get(obj, a) : NULL;

	v = v && b ? ga_node_map_get(v, b) : v;
	return v && ga_node_str(v) ? ga_node_str(v) : "";
}

/* The count of @list; 0 for none. */
static size_t count(const ga_node *list)
{
	return list ? ga_node_count(list) : 0;
}

static bool message_has(const char *part)
{
	if (strstr(ga_error_last()->message, part))
		return true;
	printf("#   message \"%s\" lacks \"%s\"\n", ga_error_last()->message,
	       part);
	return false;
}

/* Create @json, expecting success. */
static void create(const char *json)
{
	ga_node *o = obj_of(json);

	CHECK_OK(ga_kube_create(k, o, MANAGER, 0, NULL));
	ga_node_free(o);
}

static void test_discovery(void)
{
	ga_kube_resource r;

	CHECK_OK(ga_kube_resource_for(k, "v1", "ConfigMap", &r));
	CHECK_EQ_STR(r.plural, "configmaps");
	CHECK_EQ_STR(r.group, "");
	CHECK(r.namespaced);
	CHECK_OK(ga_kube_resource_for(k, "apps/v1", "Deployment", &r));
	CHECK_EQ_STR(r.plural, "deployments");
	CHECK_EQ_STR(r.group, "apps");
	CHECK_EQ_STR(r.version, "v1");
	CHECK_OK(ga_kube_resource_for(k, "rbac.authorization.k8s.io/v1",
	                              "ClusterRole", &r));
	CHECK(!r.namespaced);
	CHECK_ERR(ga_kube_resource_for(k, "v1", "Nope", &r), GA_ENOTFOUND);
	CHECK(message_has("no resource Nope for apiVersion v1"));
	CHECK_ERR(ga_kube_resource_for(k, "nope.example.com/v1", "Thing", &r),
	          GA_ENOTFOUND);
}

static void test_create_get(void)
{
	ga_node *got = NULL, *o;

	create("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
	       "\"metadata\":{\"name\":\"" NS "\"}}");
	create("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":"
	       "{\"name\":\"one\",\"namespace\":\"" NS "\"},"
	       "\"data\":{\"k\":\"v\"}}");
	CHECK_OK(ga_kube_get(k, "v1", "ConfigMap", NS, "one", &got));
	CHECK_EQ_STR(at(got, "data", "k"), "v");
	CHECK(at(got, "metadata", "uid")[0]);
	ga_node_free(got);

	o = obj_of("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":"
	           "{\"name\":\"one\",\"namespace\":\"" NS "\"}}");
	CHECK_ERR(ga_kube_create(k, o, MANAGER, 0, NULL), GA_EEXISTS);
	CHECK(message_has("v1 ConfigMap " NS "/one: AlreadyExists"));
	ga_node_free(o);
	CHECK_ERR(ga_kube_get(k, "v1", "ConfigMap", NS, "two", &got),
	          GA_ENOTFOUND);
	CHECK(message_has("v1 ConfigMap " NS "/two: NotFound"));
	/* A namespaced kind needs its namespace. */
	CHECK_ERR(ga_kube_get(k, "v1", "ConfigMap", NULL, "one", &got),
	          GA_EINVALID);
	/* A dry run answers the object and stores nothing. */
	o = obj_of("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":"
	           "{\"name\":\"dry\",\"namespace\":\"" NS "\"}}");
	CHECK_OK(ga_kube_create(k, o, MANAGER, GA_KUBE_DRY_RUN, &got));
	CHECK_EQ_STR(at(got, "metadata", "name"), "dry");
	ga_node_free(got);
	ga_node_free(o);
	CHECK_ERR(ga_kube_get(k, "v1", "ConfigMap", NS, "dry", &got),
	          GA_ENOTFOUND);
}

static void test_invalid(void)
{
	ga_node *o = obj_of("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
	                    "\"metadata\":{\"name\":\"Bad_Name\","
	                    "\"namespace\":\"" NS "\"}}");

	const ga_node *status = NULL, *cause;

	CHECK_ERR(ga_kube_create(k, o, MANAGER, 0, NULL), GA_EINVALID);
	CHECK(message_has("metadata.name"));
	/* The Status itself, for decisions on causes. */
	CHECK_EQ_INT(ga_kube_last_failure(k, &status), 422);
	CHECK_EQ_STR(at(status, "reason", NULL), "Invalid");
	cause = ga_node_list_get(
	    ga_node_map_get(ga_node_map_get(status, "details"), "causes"), 0);
	CHECK_EQ_STR(at(cause, "field", NULL), "metadata.name");
	ga_node_free(o);
	o = obj_of("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}");
	CHECK_ERR(ga_kube_create(k, o, MANAGER, 0, NULL), GA_EINVALID);
	CHECK(message_has("metadata.name"));
	ga_node_free(o);
}

/* Set data.k of @obj to @v. */
static void set_data(ga_node *obj, const char *v)
{
	ga_node *s = NULL;

	CHECK_OK(ga_node_new_string(&s, v, strlen(v)));
	CHECK_OK(ga_node_map_set_take(ga_node_map_get(obj, "data"), "k", s));
}

static void test_update(void)
{
	ga_node *live = NULL, *again = NULL, *got = NULL;

	CHECK_OK(ga_kube_get(k, "v1", "ConfigMap", NS, "one", &live));
	CHECK_OK(ga_kube_get(k, "v1", "ConfigMap", NS, "one", &again));
	if (!live || !again)
		goto out;
	set_data(live, "changed");
	CHECK_OK(ga_kube_update(k, live, MANAGER, 0, &got));
	CHECK_EQ_STR(at(got, "data", "k"), "changed");
	CHECK(strcmp(at(got, "metadata", "resourceVersion"),
	             at(live, "metadata", "resourceVersion")) != 0);
	ga_node_free(got);
	got = NULL;
	/* The second copy's resourceVersion is stale now. */
	set_data(again, "lost");
	CHECK_ERR(ga_kube_update(k, again, MANAGER, 0, NULL), GA_ECONFLICT);
	CHECK(message_has("v1 ConfigMap " NS "/one: Conflict"));
	CHECK_OK(ga_kube_get(k, "v1", "ConfigMap", NS, "one", &got));
	CHECK_EQ_STR(at(got, "data", "k"), "changed");
	/* A dry-run update changes nothing. */
	set_data(got, "dry");
	CHECK_OK(ga_kube_update(k, got, MANAGER, GA_KUBE_DRY_RUN, NULL));
	ga_node_free(got);
	got = NULL;
	CHECK_OK(ga_kube_get(k, "v1", "ConfigMap", NS, "one", &got));
	CHECK_EQ_STR(at(got, "data", "k"), "changed");
out:
	ga_node_free(got);
	ga_node_free(live);
	ga_node_free(again);
}

static void test_list_paging(void)
{
	ga_node *items = NULL;
	char json[512];

	for (int i = 0; i < MANY; i++) {
		snprintf(json, sizeof(json),
		         "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
		         "\"metadata\":{\"name\":\"many-%03d\",\"namespace\":"
		         "\"" NS "\",\"labels\":{\"batch\":\"b%d\"}}}",
		         i, i % 2);
		create(json);
	}
	CHECK_OK(ga_kube_list(k, "v1", "ConfigMap", NS, NULL, &items));
	CHECK_EQ_INT(count(items), MANY + 1);
	/* Items carry their apiVersion and kind, in name order. */
	CHECK_EQ_STR(at(ga_node_list_get(items, 0), "kind", NULL), "ConfigMap");
	CHECK_EQ_STR(at(ga_node_list_get(items, 0), "apiVersion", NULL), "v1");
	CHECK_EQ_STR(at(ga_node_list_get(items, MANY - 1), "metadata", "name"),
	             "many-519");
	ga_node_free(items);
	items = NULL;
	CHECK_OK(ga_kube_list(k, "v1", "ConfigMap", NS, "batch=b1", &items));
	CHECK_EQ_INT(count(items), MANY / 2);
	ga_node_free(items);
	items = NULL;
	CHECK_OK(ga_kube_list(k, "v1", "ConfigMap", NULL, "batch in (b0,b1)",
	                      &items));
	CHECK_EQ_INT(count(items), MANY);
	ga_node_free(items);
	items = NULL;
	CHECK_ERR(ga_kube_list(k, "v1", "ConfigMap", NS, "batch in (", &items),
	          GA_EINVALID);
	CHECK(items == NULL);
}

static void test_delete(void)
{
	ga_node *got = NULL;

	CHECK_OK(ga_kube_delete(k, "v1", "ConfigMap", NS, "one", NULL,
	                        GA_KUBE_DRY_RUN));
	CHECK_OK(ga_kube_get(k, "v1", "ConfigMap", NS, "one", &got));
	ga_node_free(got);
	got = NULL;
	CHECK_OK(
	    ga_kube_delete(k, "v1", "ConfigMap", NS, "one", "Background", 0));
	CHECK_ERR(ga_kube_get(k, "v1", "ConfigMap", NS, "one", &got),
	          GA_ENOTFOUND);
	CHECK_ERR(ga_kube_delete(k, "v1", "ConfigMap", NS, "one", NULL, 0),
	          GA_ENOTFOUND);
	CHECK(message_has("v1 ConfigMap " NS "/one: NotFound"));
}

/* A kind the server learns at run time is found without a new client. */
static void test_crd_discovery(void)
{
	ga_kube_resource r;
	int err = GA_ENOTFOUND;

	CHECK_ERR(ga_kube_resource_for(k, "example.com/v1", "Widget", &r),
	          GA_ENOTFOUND);
	create("{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":"
	       "\"CustomResourceDefinition\",\"metadata\":{\"name\":"
	       "\"widgets.example.com\"},\"spec\":{\"group\":\"example.com\","
	       "\"scope\":\"Namespaced\",\"names\":{\"plural\":\"widgets\","
	       "\"singular\":\"widget\",\"kind\":\"Widget\",\"listKind\":"
	       "\"WidgetList\"},\"versions\":[{\"name\":\"v1\",\"served\":true,"
	       "\"storage\":true,\"subresources\":{\"status\":{}},\"schema\":"
	       "{\"openAPIV3Schema\":{\"type\":\"object\","
	       "\"x-kubernetes-preserve-unknown-fields\":true}}}]}}");
	/* Established takes a moment on a real server. */
	for (int i = 0; i < 100 && err == GA_ENOTFOUND; i++) {
		err = ga_kube_resource_for(k, "example.com/v1", "Widget", &r);
		if (err == GA_ENOTFOUND)
			nanosleep(&(struct timespec){0, 100000000}, NULL);
	}
	CHECK_OK(err);
	CHECK_EQ_STR(r.plural, "widgets");
	CHECK(r.namespaced);
	create("{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\","
	       "\"metadata\":{\"name\":\"w\",\"namespace\":\"" NS "\"},"
	       "\"spec\":{\"size\":3}}");
}

/* An integer at @a.@b of @obj, or -1. */
static long long int_at(const ga_node *obj, const char *a, const char *b)
{
	const ga_node *v = obj ? ga_node_map_get(obj, a) : NULL;

	v = v ? ga_node_map_get(v, b) : NULL;
	return v ? ga_node_int(v) : -1;
}

/* The status subresource of a kind no controller writes (a real
 * cluster's Deployment controller would race the test). */
static void test_status(void)
{
	ga_node *live = NULL, *st = NULL, *got = NULL;

	CHECK_OK(ga_kube_get(k, "example.com/v1", "Widget", NS, "w", &live));
	if (!live)
		return;
	/* It takes the status and ignores the spec. */
	st = obj_of("{\"phase\":\"Ready\",\"observedGeneration\":1}");
	CHECK_OK(ga_node_map_set_take(live, "status", st));
	CHECK_OK(ga_node_map_set_take(ga_node_map_get(live, "spec"), "size",
	                              (ga_node_new_int(&st, 7), st)));
	CHECK_OK(ga_kube_update(k, live, MANAGER, GA_KUBE_STATUS, NULL));
	CHECK_OK(ga_kube_get(k, "example.com/v1", "Widget", NS, "w", &got));
	CHECK_EQ_STR(at(got, "status", "phase"), "Ready");
	CHECK_EQ_INT(int_at(got, "spec", "size"), 3);
	ga_node_free(got);
	ga_node_free(live);
}

static void test_events(void)
{
	ga_node *about = NULL, *ns = NULL, *list = NULL;
	char long_msg[2000];
	ga_kube_event ev = {
	    NULL,        "Normal",      "ReconciliationSucceeded",
	    "applied 3", "client-test", "pod-1"};

	create("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
	       "\"metadata\":{\"name\":\"web\",\"namespace\":\"" NS "\"},"
	       "\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":"
	       "{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":"
	       "{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"web\","
	       "\"image\":\"web:1\"}]}}}}");
	CHECK_OK(ga_kube_get(k, "apps/v1", "Deployment", NS, "web", &about));
	CHECK_OK(ga_kube_get(k, "v1", "Namespace", NULL, NS, &ns));
	if (!about || !ns)
		goto out;
	ev.about = about;
	CHECK_OK(ga_kube_record_event(k, &ev));
	memset(long_msg, 'm', sizeof(long_msg) - 1);
	long_msg[sizeof(long_msg) - 1] = '\0';
	ev.type = "Warning";
	ev.reason = "HealthCheckFailed";
	ev.message = long_msg;
	CHECK_OK(ga_kube_record_event(k, &ev));
	/* A cluster-scoped object's events go to "default". */
	ev.about = ns;
	ev.message = "namespace event";
	CHECK_OK(ga_kube_record_event(k, &ev));

	CHECK_OK(ga_kube_list(k, "v1", "Event", NS, NULL, &list));
	CHECK_EQ_INT(count(list), 2);
	for (size_t i = 0; i < count(list); i++) {
		const ga_node *e = ga_node_list_get(list, i);
		const ga_node *ref = ga_node_map_get(e, "involvedObject");

		CHECK_EQ_STR(at(ref, "kind", NULL), "Deployment");
		CHECK_EQ_STR(at(ref, "uid", NULL),
		             at(about, "metadata", "uid"));
		CHECK_EQ_STR(at(e, "source", "component"), "client-test");
		CHECK(strncmp(at(e, "metadata", "name"), "web.", 4) == 0);
		if (strcmp(at(e, "type", NULL), "Warning") == 0)
			CHECK_EQ_INT(strlen(at(e, "message", NULL)), 1024);
		else
			CHECK_EQ_STR(at(e, "reason", NULL),
			             "ReconciliationSucceeded");
	}
	ga_node_free(list);
	list = NULL;
	CHECK_OK(ga_kube_list(k, "v1", "Event", "default", NULL, &list));
	CHECK_EQ_INT(count(list), 1);
	CHECK_EQ_STR(at(ga_node_list_get(list, 0), "message", NULL),
	             "namespace event");
out:
	ga_node_free(list);
	ga_node_free(about);
	ga_node_free(ns);
}

/* Leader election's writes: create a Lease, renew it by
 * resourceVersion, and lose a race to a stale copy. */
static void test_lease(void)
{
	ga_node *mine = NULL, *stale = NULL, *t = NULL;

	create("{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\","
	       "\"metadata\":{\"name\":\"leader\",\"namespace\":\"" NS "\"},"
	       "\"spec\":{\"holderIdentity\":\"pod-1\","
	       "\"leaseDurationSeconds\":15,"
	       "\"renewTime\":\"2026-01-01T00:00:00.000000Z\"}}");
	CHECK_OK(ga_kube_get(k, "coordination.k8s.io/v1", "Lease", NS, "leader",
	                     &mine));
	CHECK_OK(ga_kube_get(k, "coordination.k8s.io/v1", "Lease", NS, "leader",
	                     &stale));
	if (!mine || !stale)
		goto out;
	CHECK_OK(ga_node_new_string(&t, "2026-01-01T00:00:05.000000Z", 27));
	CHECK_OK(ga_node_map_set_take(ga_node_map_get(mine, "spec"),
	                              "renewTime", t));
	CHECK_OK(ga_kube_update(k, mine, MANAGER, 0, NULL));
	CHECK_OK(ga_node_new_string(&t, "pod-2", 5));
	CHECK_OK(ga_node_map_set_take(ga_node_map_get(stale, "spec"),
	                              "holderIdentity", t));
	CHECK_ERR(ga_kube_update(k, stale, MANAGER, 0, NULL), GA_ECONFLICT);
out:
	ga_node_free(mine);
	ga_node_free(stale);
}

struct seen {
	char log[256];
	unsigned left; /* events before the handler stops */
};

static int on_event(void *payload, ga_kube_event_type type, const ga_node *obj)
{
	static const char *const names[] = {"A", "M", "D", "B"};
	struct seen *s = payload;
	size_t len = strlen(s->log);

	if (type != GA_KUBE_BOOKMARK)
		snprintf(s->log + len, sizeof(s->log) - len, "%s:%s ",
		         names[type], at(obj, "metadata", "name"));
	return type != GA_KUBE_BOOKMARK && --s->left == 0;
}

static void test_watch(void)
{
	ga_node *o = NULL, *got = NULL;
	char from[GA_KUBE_RV_MAX], rv[GA_KUBE_RV_MAX];
	struct seen s = {"", 3};
	ga_kube_watch_opts wo = {NS, "watch=yes", NULL, from, 30};

	o = obj_of("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
	           "\"metadata\":{\"name\":\"w1\",\"namespace\":\"" NS "\","
	           "\"labels\":{\"watch\":\"yes\"}},\"data\":{\"k\":\"1\"}}");
	CHECK_OK(ga_kube_create(k, o, MANAGER, 0, &got));
	snprintf(from, sizeof(from), "%s",
	         at(got, "metadata", "resourceVersion"));
	if (got)
		set_data(got, "2");
	CHECK_OK(ga_kube_update(k, got, MANAGER, 0, NULL));
	create("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":"
	       "{\"name\":\"w2\",\"namespace\":\"" NS "\",\"labels\":"
	       "{\"watch\":\"yes\"}}}");
	CHECK_OK(ga_kube_delete(k, "v1", "ConfigMap", NS, "w1", NULL, 0));
	/* What happened since the first version, in order. */
	CHECK_OK(ga_kube_watch(k, "v1", "ConfigMap", &wo, on_event, &s, rv));
	CHECK_EQ_STR(s.log, "M:w1 A:w2 D:w1 ");
	CHECK(strtoull(rv, NULL, 10) > strtoull(from, NULL, 10));
	/* Without a version: the current objects first, as ADDED. */
	s = (struct seen){"", 1};
	wo.resource_version = NULL;
	wo.field_selector = "metadata.name=w2";
	CHECK_OK(ga_kube_watch(k, "v1", "ConfigMap", &wo, on_event, &s, rv));
	CHECK_EQ_STR(s.log, "A:w2 ");
	/* Nothing happens: the server ends the watch at its timeout. */
	s = (struct seen){"", 1};
	wo.resource_version = rv;
	wo.timeout_s = 1;
	CHECK_OK(ga_kube_watch(k, "v1", "ConfigMap", &wo, on_event, &s, rv));
	CHECK_EQ_STR(s.log, "");
	ga_node_free(got);
	ga_node_free(o);
}

static void test_wrong_token(void)
{
	ga_kube_config *bad = NULL;
	ga_kube *kb = NULL;
	ga_node *got = NULL;

	CHECK_OK(ga_kube_config_load(&bad, kubeconfig, NULL));
	if (!bad)
		return;
	ga_free(bad->token);
	bad->token = ga_strdup("not-the-token");
	CHECK_OK(ga_kube_new(&kb, bad, NULL));
	if (kb)
		CHECK_ERR(ga_kube_get(kb, "v1", "Namespace", NULL, NS, &got),
		          GA_EAUTH);
	ga_kube_free(kb);
	ga_kube_config_free(bad);
}

int main(int argc, char **argv)
{
	ga_http_opts o = GA_HTTP_OPTS_INIT;

	if (argc != 2) {
		fprintf(stderr, "usage: client-test KUBECONFIG\n");
		return 2;
	}
	kubeconfig = argv[1];
	if (ga_kube_config_load(&cfg, kubeconfig, NULL) < 0 ||
	    ga_kube_new(&k, cfg, &o) < 0) {
		printf("Bail out! %s\n", ga_error_last()->message);
		ga_kube_config_free(cfg);
		return 1;
	}
	RUN(test_discovery);
	RUN(test_create_get);
	RUN(test_invalid);
	RUN(test_update);
	RUN(test_list_paging);
	RUN(test_delete);
	RUN(test_crd_discovery);
	RUN(test_status);
	RUN(test_events);
	RUN(test_lease);
	RUN(test_watch);
	RUN(test_wrong_token);
	ga_kube_free(k);
	ga_kube_config_free(cfg);
	return DONE();
}
