/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kubesim's field sets against server-side apply's rules: the fieldsV1
 * encoding kube-apiserver writes (f:, k: with sorted keys, v:, "." for a
 * list item), conflicts as the intersection of what an apply changes with
 * what another manager owns (and their paths as the server prints them),
 * the merge of associative lists by their keys, and the removal of the
 * fields a manager stopped applying.
 */
#include <string.h>

#include "ga/buf.h"
#include "ga/json.h"
#include "harness.h"
#include "ssa.h"

static ga_node *json(const char *text)
{
	ga_node *n = NULL;

	CHECK_OK(ga_json_parse(&n, text, strlen(text), "test"));
	return n;
}

/* @set in the fieldsV1 encoding, as compact JSON (keys as stored). */
static void check_v1(const ga_node *set, const char *want)
{
	ga_buf b = GA_BUF_INIT(1 << 20);
	ga_node *v1 = NULL;

	CHECK_OK(ks_fs_encode(&v1, set));
	CHECK_OK(ga_json_emit(&b, v1, GA_JSON_COMPACT));
	CHECK_EQ_STR(ga_buf_cstr(&b), want);
	ga_node_free(v1);
	ga_buf_dispose(&b);
}

static const char pod_spec[] =
    "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
    "\"metadata\":{\"name\":\"web\",\"finalizers\":[\"a\"]},\"spec\":{"
    "\"replicas\":2,\"template\":{\"spec\":{\"containers\":[{\"name\":"
    "\"app\",\"image\":\"a\",\"ports\":[{\"containerPort\":80}]}]}}}}";

static void test_encoding(void)
{
	ga_node *obj = json(pod_spec), *set = NULL, *back = NULL, *v1 = NULL;
	ga_node *obj2;
	const ga_kust_schema_at *at = ks_ssa_schema(obj);

	CHECK(at != NULL);
	CHECK_OK(ks_fs_of(&set, ks_get(obj, "spec"),
	                  at ? ga_kust_schema_child(at, "spec") : NULL));
	/* Containers by name, ports by containerPort and the defaulted
	 * protocol, a list item marked with ".". */
	check_v1(set, "{\"f:replicas\":{},\"f:template\":{\"f:spec\":{"
	              "\"f:containers\":{\"k:{\\\"name\\\":\\\"app\\\"}\":{"
	              "\".\":{},\"f:name\":{},\"f:image\":{},\"f:ports\":{"
	              "\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":"
	              "\\\"TCP\\\"}\":{\".\":{},\"f:containerPort\":{}}}}}}}}");
	CHECK_OK(ks_fs_encode(&v1, set));
	CHECK_OK(ks_fs_decode(&back, v1));
	CHECK(ga_node_equal(back, set));
	ga_node_free(back);
	ga_node_free(v1);
	/* A label selector is atomic, a Service's selector is not. */
	ga_node_free(set);
	obj2 = json("{\"selector\":{\"matchLabels\":{\"app\":\"x\"}},"
	            "\"s\":{\"selector\":{\"app\":\"x\"}}}");
	CHECK_OK(ks_fs_of(&set, obj2, NULL));
	check_v1(set, "{\"f:selector\":{},\"f:s\":{\"f:selector\":{"
	              "\"f:app\":{}}}}");
	ga_node_free(obj2);
	v1 = json("{\"f:a\":{\"x:b\":{}}}");
	CHECK_ERR(ks_fs_decode(&back, v1), GA_EINVALID);
	ga_node_free(v1);
	v1 = json("{\"f:a\":{\".\":{\"f:b\":{}}}}");
	CHECK_ERR(ks_fs_decode(&back, v1), GA_EINVALID);
	ga_node_free(v1);
	ga_node_free(set);
	ga_node_free(obj);
}

static int add_path(const char *path, void *arg)
{
	ga_buf *b = arg;

	return ga_buf_printf(b, "%s%s", b->size ? " " : "", path);
}

static void test_conflicts(void)
{
	ga_node *live = json(pod_spec);
	ga_node *next = json(pod_spec), *changed = NULL, *other = NULL;
	ga_node *clash = NULL, *config;
	const ga_kust_schema_at *at = ks_ssa_schema(live);
	ga_buf paths = GA_BUF_INIT(4096);

	/* Another manager owns the whole object; this apply sets replicas
	 * to the same value and changes the image. */
	CHECK_OK(ks_fs_of(&other, live, at));
	config =
	    json("{\"spec\":{\"replicas\":2,\"template\":{\"spec\":{"
	         "\"containers\":[{\"name\":\"app\",\"image\":\"b\"}]}}}}");
	CHECK_OK(ks_fs_merge(next, config, at));
	CHECK_OK(ks_fs_diff(&changed, live, next, at));
	CHECK_OK(ks_fs_intersect(&clash, changed, other));
	CHECK_OK(ks_fs_paths(clash, add_path, &paths));
	CHECK_EQ_STR(ga_buf_cstr(&paths),
	             ".spec.template.spec.containers[name=\"app\"].image");
	/* Forced: the field leaves the other manager, the rest stays. */
	ks_fs_subtract(other, clash);
	ga_node_free(clash);
	clash = NULL;
	CHECK_OK(ks_fs_intersect(&clash, changed, other));
	CHECK_EQ_INT((int)ks_count(clash), 0);
	CHECK(ks_get(ks_get(other, "f:spec"), "f:replicas") != NULL);
	ga_buf_dispose(&paths);
	ga_node_free(clash);
	ga_node_free(changed);
	ga_node_free(other);
	ga_node_free(config);
	ga_node_free(next);
	ga_node_free(live);
}

static void test_merge(void)
{
	ga_node *live = json(pod_spec), *config, *gone, *want;
	const ga_kust_schema_at *at = ks_ssa_schema(live);

	/* Keyed items merge field by field, new ones are added; a set list
	 * (finalizers) is a union; an atomic list (args) is replaced. */
	config = json("{\"metadata\":{\"finalizers\":[\"b\"]},\"spec\":{"
	              "\"template\":{\"spec\":{\"containers\":[{\"name\":"
	              "\"side\",\"image\":\"s\"},{\"name\":\"app\",\"args\":"
	              "[\"x\"],\"ports\":[{\"containerPort\":81}]}]}}}}");
	CHECK_OK(ks_fs_merge(live, config, at));
	want = json("[{\"name\":\"app\",\"image\":\"a\",\"ports\":[{"
	            "\"containerPort\":80},{\"containerPort\":81}],\"args\":["
	            "\"x\"]},{\"name\":\"side\",\"image\":\"s\"}]");
	CHECK(ga_node_equal(
	    ks_get(ks_get(ks_get(ks_get(live, "spec"), "template"), "spec"),
	           "containers"),
	    want));
	ga_node_free(want);
	/* Removing a keyed item and a field by their set. */
	gone = json("{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":"
	            "{\"k:{\\\"name\\\":\\\"side\\\"}\":{\".\":{}},"
	            "\"k:{\\\"name\\\":\\\"app\\\"}\":{\"f:args\":{\".\":{}}}}}"
	            "}},\"f:metadata\":{\"f:finalizers\":{\"v:\\\"a\\\"\":"
	            "{\".\":{}}}}}");
	CHECK_OK(ks_fs_remove(live, gone, at));
	want = json("[{\"name\":\"app\",\"image\":\"a\",\"ports\":[{"
	            "\"containerPort\":80},{\"containerPort\":81}]}]");
	CHECK(ga_node_equal(
	    ks_get(ks_get(ks_get(ks_get(live, "spec"), "template"), "spec"),
	           "containers"),
	    want));
	ga_node_free(want);
	want = json("[\"b\"]");
	CHECK(ga_node_equal(ks_get(ks_meta(live), "finalizers"), want));
	ga_node_free(want);
	ga_node_free(gone);
	ga_node_free(config);
	ga_node_free(live);
}

int main(void)
{
	RUN(test_encoding);
	RUN(test_conflicts);
	RUN(test_merge);
	return DONE();
}
