/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The apply engine's drift memo (ga_apply_memo) against a live API
 * server, the kubeconfig given as the only argument: an idle reconcile
 * costs one LIST per kind and namespace and no dry run or write; an
 * object another manager edited, or whose desired state changed, is
 * dry-run and corrected while the others are still skipped; a failed
 * reconcile forgets the memo.  And the source annotation: taken off
 * before any request, named in the object's messages.  TAP output.
 */
#include <stdio.h>
#include <string.h>

#include "ga/apply.h"
#include "ga/error.h"
#include "ga/json.h"
#include "ga/kube.h"
#include "harness.h"

#define NS "memo-test"
#define MANAGER "memo-test"

static ga_kube *k;
static ga_apply_memo *memo;
static const ga_apply_label owner[] = {{"gitops-agent.io/name", "memo"}};

/* The set: a Namespace, three ConfigMaps (c2's value is @v2, the third
 * is named @c3) and a Deployment. */
static ga_node *set_of(const char *v2, const char *c3)
{
	char text[2048];
	ga_node *n = NULL;

	(void)snprintf(
	    text, sizeof(text),
	    "[{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":"
	    "{\"name\":\"" NS "\"}},"
	    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{"
	    "\"name\":\"c1\",\"namespace\":\"" NS "\"},\"data\":{\"k\":\"1\"}},"
	    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{"
	    "\"name\":\"c2\",\"namespace\":\"" NS
	    "\"},\"data\":{\"k\":\"%s\"}},"
	    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{"
	    "\"name\":\"%s\",\"namespace\":\"" NS "\"},\"data\":{\"k\":\"3\"}},"
	    "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{"
	    "\"name\":\"web\",\"namespace\":\"" NS "\"},\"spec\":{\"selector\":"
	    "{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":{"
	    "\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":"
	    "\"c\",\"image\":\"nginx\"}]}}}}]",
	    v2, c3);
	CHECK_OK(ga_json_parse(&n, text, strlen(text), "set"));
	return n;
}

/* One reconcile of the set with @v2; the report in *@rep. */
static int reconcile3(ga_apply_report *rep, const char *v2, const char *c3)
{
	ga_apply_run_opts o = {.field_manager = MANAGER,
	                       .owner_labels = owner,
	                       .nowner_labels = 1,
	                       .inventory_name = "memo-inv",
	                       .inventory_ns = NS,
	                       .memo = memo};
	ga_node *set = set_of(v2, c3);
	int err;

	o.prune_opts = (ga_prune_opts)GA_PRUNE_OPTS_INIT;
	memset(rep, 0, sizeof(*rep));
	err = ga_apply_run(rep, k, set, &o);
	ga_node_free(set);
	return err;
}

static int reconcile(ga_apply_report *rep, const char *v2)
{
	return reconcile3(rep, v2, "c3");
}

static const ga_apply_entry *entry(const ga_apply_report *rep, const char *name)
{
	for (size_t i = 0; i < rep->n; i++)
		if (strcmp(rep->entries[i].name, name) == 0)
			return &rep->entries[i];
	return NULL;
}

static void test_first_and_idle(void)
{
	ga_apply_report rep;

	CHECK_OK(reconcile(&rep, "2"));
	CHECK_EQ_INT(rep.totals[GA_OUTCOME_CREATED], 5);
	CHECK_EQ_INT(rep.skipped, 0);
	CHECK_EQ_INT(ga_apply_memo_count(memo), 5);
	ga_apply_report_dispose(&rep);

	/* Idle: the Namespace's LIST, one for the ConfigMaps, one for the
	 * Deployments and the inventory's GET; nothing dry-run or written. */
	CHECK_OK(reconcile(&rep, "2"));
	CHECK_EQ_INT(rep.totals[GA_OUTCOME_UNCHANGED], 5);
	CHECK_EQ_INT(rep.skipped, 5);
	CHECK_EQ_INT(rep.dry_runs, 0);
	CHECK_EQ_INT(rep.writes, 0);
	CHECK(rep.reads <= 5);
	printf("# idle reconcile of 5 objects: %llu reads\n", rep.reads);
	ga_apply_report_dispose(&rep);
}

static void test_drift(void)
{
	ga_apply_report rep;
	ga_node *c1 = NULL, *data, *v = NULL;

	/* Another manager edits c1. */
	CHECK_OK(ga_kube_get(k, "v1", "ConfigMap", NS, "c1", &c1));
	data = c1 ? ga_node_map_get(c1, "data") : NULL;
	CHECK(data != NULL);
	if (!data)
		return;
	CHECK_OK(ga_node_new_string(&v, "drifted", 7));
	CHECK_OK(ga_node_map_set_take(data, "k", v));
	CHECK_OK(ga_kube_update(k, c1, "someone-else", 0, NULL));
	ga_node_free(c1);

	CHECK_OK(reconcile(&rep, "2"));
	CHECK_EQ_INT(rep.skipped, 4);
	CHECK_EQ_INT(rep.dry_runs, 1);
	CHECK(entry(&rep, "c1") &&
	      entry(&rep, "c1")->outcome == GA_OUTCOME_CONFIGURED);
	ga_apply_report_dispose(&rep);
	c1 = NULL;
	CHECK_OK(ga_kube_get(k, "v1", "ConfigMap", NS, "c1", &c1));
	CHECK_EQ_STR(
	    ga_node_str(ga_node_map_get(ga_node_map_get(c1, "data"), "k")),
	    "1");
	ga_node_free(c1);
}

static void test_desired_change(void)
{
	ga_apply_report rep;

	CHECK_OK(reconcile(&rep, "two"));
	CHECK_EQ_INT(rep.skipped, 4);
	CHECK_EQ_INT(rep.dry_runs, 1);
	CHECK(entry(&rep, "c2") &&
	      entry(&rep, "c2")->outcome == GA_OUTCOME_CONFIGURED);
	ga_apply_report_dispose(&rep);
}

static void test_failure_forgets(void)
{
	ga_apply_report rep;

	/* An invalid name: its dry run fails, the memo is dropped and the
	 * next reconcile dry-runs everything again. */
	CHECK_ERR(reconcile3(&rep, "two", "C3"), GA_EINVALID);
	CHECK(entry(&rep, "C3") &&
	      entry(&rep, "C3")->outcome == GA_OUTCOME_FAILED);
	CHECK_EQ_INT(ga_apply_memo_count(memo), 0);
	ga_apply_report_dispose(&rep);
	CHECK_OK(reconcile(&rep, "two"));
	CHECK_EQ_INT(rep.skipped, 0);
	CHECK_EQ_INT(rep.totals[GA_OUTCOME_UNCHANGED], 5);
	CHECK_EQ_INT(ga_apply_memo_count(memo), 5);
	ga_apply_report_dispose(&rep);
}

/* One ConfigMap @name that says it came from "dir/x.yaml". */
static int apply_sourced(ga_apply_report *rep, const char *name)
{
	ga_apply_run_opts o = {.field_manager = MANAGER,
	                       .owner_labels = owner,
	                       .nowner_labels = 1};
	char text[512];
	ga_node *set = NULL;
	int err;

	(void)snprintf(text, sizeof(text),
	               "[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
	               "\"metadata\":{\"name\":\"%s\",\"namespace\":\"" NS
	               "\",\"annotations\":{\"" GA_APPLY_SOURCE_ANNOTATION
	               "\":\"dir/x.yaml\"}},\"data\":{\"k\":\"1\"}}]",
	               name);
	CHECK_OK(ga_json_parse(&set, text, strlen(text), "set"));
	memset(rep, 0, sizeof(*rep));
	err = ga_apply_run(rep, k, set, &o);
	/* Taken off the caller's object, with the map it emptied. */
	CHECK(!ga_node_map_get(
	    ga_node_map_get(ga_node_list_get(set, 0), "metadata"),
	    "annotations"));
	ga_node_free(set);
	return err;
}

static void test_source(void)
{
	static const char want[] = "dir/x.yaml: v1 ConfigMap " NS
	                           "/Src: metadata.name: Invalid value: ";
	ga_apply_report rep;
	ga_node *live = NULL;

	/* A failure names the file, the object and the field. */
	CHECK_ERR(apply_sourced(&rep, "Src"), GA_EINVALID);
	CHECK(rep.n == 1 && rep.entries[0].source &&
	      strcmp(rep.entries[0].source, "dir/x.yaml") == 0);
	CHECK(rep.n == 1 && rep.entries[0].message &&
	      strncmp(rep.entries[0].message, want, strlen(want)) == 0);
	if (rep.n == 1 && rep.entries[0].message)
		printf("# %s\n", rep.entries[0].message);
	ga_apply_report_dispose(&rep);
	/* The annotation never reaches the server. */
	CHECK_OK(apply_sourced(&rep, "src"));
	ga_apply_report_dispose(&rep);
	CHECK_OK(ga_kube_get(k, "v1", "ConfigMap", NS, "src", &live));
	CHECK(live && !ga_node_map_get(ga_node_map_get(live, "metadata"),
	                               "annotations"));
	ga_node_free(live);
}

int main(int argc, char **argv)
{
	ga_http_opts o = GA_HTTP_OPTS_INIT;
	ga_kube_config *cfg = NULL;

	if (argc != 2) {
		fprintf(stderr, "usage: engine-test KUBECONFIG\n");
		return 2;
	}
	if (ga_kube_config_load(&cfg, argv[1], NULL) < 0 ||
	    ga_kube_new(&k, cfg, &o) < 0 || ga_apply_memo_new(&memo) < 0) {
		printf("Bail out! %s\n", ga_error_last()->message);
		ga_kube_config_free(cfg);
		return 1;
	}
	RUN(test_first_and_idle);
	RUN(test_drift);
	RUN(test_desired_change);
	RUN(test_failure_forgets);
	RUN(test_source);
	ga_apply_memo_free(memo);
	ga_kube_free(k);
	ga_kube_config_free(cfg);
	return DONE();
}
