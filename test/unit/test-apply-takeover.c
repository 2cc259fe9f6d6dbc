/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Taking over kubectl's objects (lib/apply/managers.c): kubectl's
 * managers merge into ours or are renamed to it, the last-applied
 * annotation goes, controllers' and status entries stay, and an object
 * nobody else wrote needs nothing.
 */
#include <stdio.h>
#include <string.h>

#include "ga/apply.h"
#include "ga/error.h"
#include "ga/json.h"
#include "harness.h"

static ga_node *parse(const char *text)
{
	ga_node *n = NULL;

	CHECK_OK(ga_json_parse(&n, text, strlen(text), "test"));
	return n;
}

/* ga_apply_take_over(@live) must give @want (NULL: nothing to do). */
static void check(const char *live, const char *want)
{
	ga_node *l = parse(live), *w = want ? parse(want) : NULL, *got = NULL;

	CHECK_OK(ga_apply_take_over(&got, l, "ga"));
	if (!want)
		CHECK(got == NULL);
	else
		CHECK(got && ga_node_equal(got, w));
	ga_node_free(got);
	ga_node_free(l);
	ga_node_free(w);
}

#define OBJ(ann, mf)                                                           \
	"{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"" ann             \
	",\"managedFields\":[" mf "]}}"
#define ENTRY(m, op, sub, f)                                                   \
	"{\"manager\":\"" m "\",\"operation\":\"" op "\"" sub                  \
	",\"fieldsV1\":" f "}"
#define LAST                                                                   \
	",\"annotations\":{\"kubectl.kubernetes.io/last-applied-"              \
	"configuration\":\"{}\"}"

static void test_client_side(void)
{
	/* Renamed to ours, the annotation (and its emptied map) gone. */
	check(OBJ(LAST, ENTRY("kubectl-client-side-apply", "Update", "",
	                      "{\"f:data\":{\"f:k\":{}}}")),
	      OBJ("", ENTRY("ga", "Apply", "", "{\"f:data\":{\"f:k\":{}}}")));
}

static void test_merged_into_ours(void)
{
	check(
	    OBJ("",
	        ENTRY("ga", "Apply", "", "{\"f:data\":{\"f:a\":{}}}") "," ENTRY(
	            "kubectl", "Apply", "",
	            "{\"f:data\":{\"f:b\":{}},\"f:metadata\":{}}")),
	    OBJ("", ENTRY("ga", "Apply", "",
	                  "{\"f:data\":{\"f:a\":{},\"f:b\":{}},"
	                  "\"f:metadata\":{}}")));
	check(OBJ("", ENTRY("ga", "Apply", "", "{\"f:data\":{}}") "," ENTRY(
	                  "before-first-apply", "Update", "",
	                  "{\"f:data\":{\"f:b\":{}}}")),
	      OBJ("", ENTRY("ga", "Apply", "", "{\"f:data\":{\"f:b\":{}}}")));
}

static void test_kept(void)
{
	/* Controllers, status writers and other appliers keep theirs. */
	check(OBJ("", ENTRY("kube-controller-manager", "Update", "",
	                    "{\"f:spec\":{}}") "," ENTRY("kubectl", "Update",
	                                                 ",\"subresource\":"
	                                                 "\"status\"",
	                                                 "{\"f:status\":{}"
	                                                 "}") "," ENTRY("be"
	                                                                "fo"
	                                                                "re"
	                                                                "-f"
	                                                                "ir"
	                                                                "st"
	                                                                "-a"
	                                                                "pp"
	                                                                "l"
	                                                                "y",
	                                                                "Ap"
	                                                                "pl"
	                                                                "y",
	                                                                "",
	                                                                "{"
	                                                                "}")),
	      NULL);
	check("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}", NULL);
}

static void test_bad_input(void)
{
	ga_node *got = (ga_node *)1, *l = parse("[]");

	CHECK_ERR(ga_apply_take_over(&got, l, "ga"), GA_EINVALID);
	CHECK(got == NULL);
	ga_node_free(l);
	l = parse("{}");
	CHECK_ERR(ga_apply_take_over(&got, l, ""), GA_EINVALID);
	ga_node_free(l);
}

/* @live's managedFields decide whether spec.replicas stays desired. */
static void yields(const char *mf, int want)
{
	char live[1024];
	ga_node *obj = parse("{\"kind\":\"Deployment\",\"spec\":"
	                     "{\"replicas\":2,\"paused\":false}}");
	ga_node *l;

	(void)snprintf(live, sizeof(live),
	               "{\"metadata\":{\"managedFields\":%s}}", mf);
	l = parse(live);
	CHECK_EQ_INT(ga_apply_yield(obj, l, "gitops-agent"), want);
	CHECK((ga_node_map_get(ga_node_map_get(obj, "spec"), "replicas") ==
	       NULL) == want);
	CHECK(ga_node_map_get(ga_node_map_get(obj, "spec"), "paused") != NULL);
	ga_node_free(obj);
	ga_node_free(l);
}

static void test_yield(void)
{
	/* An HPA scaled it through the scale subresource. */
	yields("[{\"manager\":\"gitops-agent\",\"operation\":\"Apply\","
	       "\"fieldsV1\":{\"f:spec\":{\"f:paused\":{}}}},"
	       "{\"manager\":\"kube-controller-manager\",\"operation\":"
	       "\"Update\",\"subresource\":\"scale\",\"fieldsV1\":"
	       "{\"f:spec\":{\"f:replicas\":{}}}}]",
	       1);
	/* Ours, or only applied by others: nothing to leave. */
	yields("[{\"manager\":\"gitops-agent\",\"operation\":\"Apply\","
	       "\"fieldsV1\":{\"f:spec\":{\"f:replicas\":{}}}}]",
	       0);
	yields("[{\"manager\":\"gitops-agent\",\"operation\":\"Update\","
	       "\"fieldsV1\":{\"f:spec\":{\"f:replicas\":{}}}}]",
	       0);
	yields("[{\"manager\":\"other\",\"operation\":\"Apply\","
	       "\"fieldsV1\":{\"f:spec\":{\"f:replicas\":{}}}}]",
	       0);
	/* Malformed entries are ignored, never a crash. */
	yields("[7,{\"operation\":\"Update\",\"fieldsV1\":{\"f:spec\":5}}]", 0);
	yields("{}", 0);
}

int main(void)
{
	RUN(test_client_side);
	RUN(test_merged_into_ours);
	RUN(test_kept);
	RUN(test_bad_input);
	RUN(test_yield);
	return DONE();
}
