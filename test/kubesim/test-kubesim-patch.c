/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kubesim's patch bodies (patch.c) against the rules the server follows:
 * RFC 7386 merge patches (null removes, objects merge, anything else
 * replaces), RFC 6902 JSON patches applied all or nothing with the
 * server's 400 and 422, and strategic merge patches with the directives
 * kubectl sends and the server's list order.
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

/* Patch @obj_text with @patch of type @ct; the result as JSON, or the
 * Status code as "<code>". */
static void patched(const char *ct, const char *obj_text, const char *patch,
                    const char *want)
{
	ga_node *obj = json(obj_text);
	ga_buf b = GA_BUF_INIT(1 << 20);
	ks_status st;

	if (ks_patch_body(&obj, ct, patch, strlen(patch), &st) == 0)
		CHECK_OK(ga_json_emit(&b, obj, GA_JSON_COMPACT));
	else
		CHECK_OK(ga_buf_printf(&b, "%u", st.code));
	CHECK_EQ_STR(ga_buf_cstr(&b), want);
	ga_buf_dispose(&b);
	ga_node_free(obj);
}

static void test_merge_patch(void)
{
	const char *ct = "application/merge-patch+json";

	patched(ct, "{\"a\":{\"b\":1,\"c\":2},\"d\":[1]}",
	        "{\"a\":{\"b\":null,\"e\":3},\"d\":[2,3]}",
	        "{\"a\":{\"c\":2,\"e\":3},\"d\":[2,3]}");
	patched(ct, "{\"a\":1}", "{\"a\":{\"b\":{\"c\":null}}}",
	        "{\"a\":{\"b\":{}}}");
	patched(ct, "{\"a\":1}", "[1]", "400");
	patched(ct, "{\"a\":1}", "{", "400");
}

static void test_json_patch(void)
{
	const char *ct = "application/json-patch+json";
	const char *obj = "{\"spec\":{\"replicas\":2,\"list\":[\"a\"]}}";

	patched(ct, obj,
	        "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":2},"
	        "{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3},"
	        "{\"op\":\"add\",\"path\":\"/spec/list/-\",\"value\":\"b\"}]",
	        "{\"spec\":{\"replicas\":3,\"list\":[\"a\",\"b\"]}}");
	/* A failed test stops everything: 422, the object untouched. */
	patched(ct, obj,
	        "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3},"
	        "{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":9}]",
	        "422");
	patched(ct, obj, "[{\"op\":\"remove\",\"path\":\"/spec/none\"}]",
	        "422");
	patched(ct, obj, "{\"op\":\"add\"}", "400");
}

static void test_strategic(void)
{
	const char *ct = "application/strategic-merge-patch+json";
	const char *dep =
	    "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":"
	    "{\"name\":\"d\",\"finalizers\":[\"f1\",\"f2\"]},\"spec\":{"
	    "\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{}},"
	    "\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\","
	    "\"image\":\"1\"},{\"name\":\"b\",\"image\":\"1\"}]}}}}";

	/* Merged by name, new items after the object's. */
	patched(ct, dep,
	        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":"
	        "\"c\",\"image\":\"3\"},{\"name\":\"a\",\"image\":\"2\"}]}}}}",
	        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
	        "\"metadata\":{\"name\":\"d\",\"finalizers\":[\"f1\",\"f2\"]},"
	        "\"spec\":{\"strategy\":{\"type\":\"RollingUpdate\","
	        "\"rollingUpdate\":{}},\"template\":{\"spec\":{\"containers\":"
	        "[{\"name\":\"a\",\"image\":\"2\"},{\"name\":\"b\",\"image\":"
	        "\"1\"},{\"name\":\"c\",\"image\":\"3\"}]}}}}");
	/* $retainKeys, $deleteFromPrimitiveList, $setElementOrder and an
	 * item's $patch: delete. */
	patched(
	    ct, dep,
	    "{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\"f1\"]"
	    "},\"spec\":{\"strategy\":{\"$retainKeys\":[\"type\"],\"type\":"
	    "\"Recreate\"},\"template\":{\"spec\":{\"$setElementOrder/"
	    "containers\":[{\"name\":\"b\"},{\"name\":\"a\"}],\"containers\":"
	    "[{\"name\":\"a\",\"$patch\":\"delete\"}]}}}}",
	    "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
	    "\"metadata\":{\"name\":\"d\",\"finalizers\":[\"f2\"]},"
	    "\"spec\":{\"strategy\":{\"type\":\"Recreate\"},\"template\":{"
	    "\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"1\"}]}}"
	    "}}");
	/* Directives inside a keyed list's item, as kubectl apply sends
	 * them for a container's env. */
	patched(
	    ct,
	    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":"
	    "\"p\"},\"spec\":{"
	    "\"containers\":[{\"name\":\"a\",\"env\":[{\"name\":\"A\"},"
	    "{\"name\":\"B\"}]}]}}",
	    "{\"spec\":{\"containers\":[{\"name\":\"a\","
	    "\"$setElementOrder/env\":[{\"name\":\"C\"},{\"name\":\"B\"},"
	    "{\"name\":\"A\"}],\"env\":[{\"name\":\"C\"}]}]}}",
	    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":"
	    "\"p\"},\"spec\":{"
	    "\"containers\":[{\"name\":\"a\",\"env\":[{\"name\":\"C\"},"
	    "{\"name\":\"B\"},{\"name\":\"A\"}]}]}}");
	patched(ct, dep, "{\"$patch\":\"delete\"}", "400");
	patched(ct, dep, "[]", "400");
}

int main(void)
{
	RUN(test_merge_patch);
	RUN(test_json_patch);
	RUN(test_strategic);
	return DONE();
}
