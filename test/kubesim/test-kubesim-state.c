/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kubesim's --state files: what is saved loads back into an equal store
 * (objects, resourceVersion counter, next cluster IP, CRDs served again),
 * and a file that is truncated, of another kind, or whose objects are
 * not where they say they are is refused with a message naming the file
 * and the faulty part, leaving the store and registry as they were.
 */
#include <string.h>

#include "ga/error.h"
#include "ga/json.h"
#include "harness.h"
#include "kubesim.h"
#include "sim.h"

static const char crd[] =
    "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":"
    "\"CustomResourceDefinition\",\"metadata\":{\"name\":"
    "\"gizmos.example.com\",\"uid\":\"u1\",\"resourceVersion\":\"1500\"},"
    "\"spec\":{\"group\":\"example.com\",\"names\":{\"plural\":\"gizmos\","
    "\"singular\":\"gizmo\",\"kind\":\"Gizmo\",\"listKind\":\"GizmoList\"},"
    "\"scope\":\"Namespaced\",\"versions\":[{\"name\":\"v1\",\"served\":"
    "true,\"storage\":true,\"schema\":{\"openAPIV3Schema\":{\"type\":"
    "\"object\"}}}]}}";

/* A state file with one CRD, one Gizmo and one ConfigMap. */
static void state_text(ga_buf *b, const char *cm_key, const char *cm_rv)
{
	(void)ga_buf_printf(
	    b,
	    "{\"kind\":\"KubesimState\",\"version\":1,\"resourceVersion\":2000,"
	    "\"nextIP\":7,\"resources\":{\"apiextensions.k8s.io/"
	    "customresourcedefinitions\":{\"/gizmos.example.com\":%s},"
	    "\"example.com/gizmos\":{\"ns/g1\":{\"metadata\":{\"name\":\"g1\","
	    "\"namespace\":\"ns\",\"uid\":\"u2\",\"resourceVersion\":\"1600\"}}"
	    "},\"/configmaps\":{\"%s\":{\"metadata\":{\"name\":\"c1\","
	    "\"namespace\":\"ns\",\"uid\":\"u3\",\"resourceVersion\":\"%s\"}}}}"
	    "}",
	    crd, cm_key, cm_rv);
}

static void round_trip(void)
{
	ga_buf in = GA_BUF_INIT(1 << 16), out = GA_BUF_INIT(1 << 16);
	ks_server ks;
	const ks_resource *gizmos;

	memset(&ks, 0, sizeof(ks));
	CHECK_OK(ks_store_new(&ks.store));
	state_text(&in, "ns/c1", "1700");
	CHECK_OK(ks_state_decode(&ks, in.ptr, in.size, "state file t"));
	CHECK_EQ_INT(ks_store_rv(ks.store), 2000);
	CHECK_EQ_INT(ks.next_ip, 7);
	gizmos = ks_registry_find("example.com", "v1", "gizmos");
	CHECK(gizmos != NULL);
	if (gizmos)
		CHECK(ks_store_get(ks.store, gizmos, "ns", "g1") != NULL);
	CHECK_OK(ks_state_encode(&ks, &out));
	/* What is saved is what was loaded. */
	{
		ga_node *a = NULL, *b = NULL;
		CHECK_OK(ga_json_parse(&a, in.ptr, in.size, "in"));
		CHECK_OK(ga_json_parse(&b, out.ptr, out.size, "out"));
		CHECK(ks_equal(a, b));
		ga_node_free(a);
		ga_node_free(b);
	}
	ks_store_free(ks.store);
	ks_registry_free();
	ga_buf_dispose(&in);
	ga_buf_dispose(&out);
}

/* The error a bad state text gets; the registry stays as it was. */
static const char *refused(const char *text)
{
	static char msg[600];
	ks_server ks;

	memset(&ks, 0, sizeof(ks));
	CHECK_OK(ks_store_new(&ks.store));
	CHECK_ERR(ks_state_decode(&ks, text, strlen(text), "state file t"),
	          GA_EINVALID);
	(void)snprintf(msg, sizeof(msg), "%s", ga_error_last()->message);
	CHECK(ks_registry_find("example.com", "v1", "gizmos") == NULL);
	CHECK_EQ_INT(ks_store_rv(ks.store), 1000);
	ks_store_free(ks.store);
	ks_registry_free();
	return msg;
}

static void errors(void)
{
	ga_buf b = GA_BUF_INIT(1 << 16);

	state_text(&b, "ns/c2", "1700");
	CHECK_EQ_STR(refused(b.ptr),
	             "state file t: resources[\"/configmaps\"][\"ns/c2\"]: "
	             "metadata says \"ns/c1\"");
	ga_buf_clear(&b);
	state_text(&b, "ns/c1", "2001");
	CHECK_EQ_STR(refused(b.ptr),
	             "state file t: resources[\"/configmaps\"][\"ns/c1\"]: "
	             "metadata.resourceVersion is not a number up to the "
	             "state's 2000");
	ga_buf_truncate(&b, 120);
	CHECK(strncmp(refused(b.ptr), "state file t: line 1 column", 27) == 0);
	CHECK_EQ_STR(refused("{\"kind\":\"ConfigMap\"}"),
	             "state file t: not a kubesim state file (kind is not "
	             "KubesimState)");
	CHECK_EQ_STR(refused("{\"kind\":\"KubesimState\",\"version\":2}"),
	             "state file t: version: want 1");
	CHECK_EQ_STR(refused("{\"kind\":\"KubesimState\",\"version\":1,"
	                     "\"resourceVersion\":5,\"nextIP\":0,"
	                     "\"resources\":{\"x/ys\":{}}}"),
	             "state file t: resources[\"x/ys\"]: no such resource");
	ga_buf_dispose(&b);
}

int main(void)
{
	RUN(round_trip);
	RUN(errors);
	return DONE();
}
