/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Normalisation before apply, the created/configured/unchanged verdict
 * after the dry run, and the kubectl-diff style printout with Secret
 * values masked (lib/apply/normalize.c, diff.c, udiff.c).
 */
#include <string.h>

#include "ga/apply.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "ga/yaml.h"
#include "harness.h"

static ga_node *obj(const char *yaml)
{
	ga_node *docs = NULL, *o = NULL;

	CHECK_OK(ga_yaml_parse(&docs, yaml, strlen(yaml), "test", NULL));
	if (docs)
		o = ga_node_list_remove(docs, 0);
	ga_node_free(docs);
	return o;
}

static void normalized_is(const char *in, const char *want)
{
	ga_node *o = obj(in);
	ga_buf got = GA_BUF_INIT(1 << 20);

	CHECK_OK(ga_apply_normalize(o));
	CHECK_OK(ga_yaml_emit(&got, o));
	CHECK_EQ_STR(ga_buf_cstr(&got), want);
	ga_buf_dispose(&got);
	ga_node_free(o);
}

static void test_normalize(void)
{
	normalized_is("apiVersion: apps/v1\nkind: Deployment\nmetadata: "
	              "{name: web}\nspec:\n  template:\n    spec:\n"
	              "      containers:\n      - name: a\n        ports:\n"
	              "        - {containerPort: 80}\n"
	              "        - {containerPort: 53, protocol: UDP}\n"
	              "      initContainers:\n      - name: i\n        ports:"
	              " [{containerPort: 1}]\nstatus: {replicas: 1}\n",
	              "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
	              "  creationTimestamp: null\n  name: web\nspec:\n"
	              "  template:\n    spec:\n      containers:\n"
	              "      - name: a\n        ports:\n"
	              "        - containerPort: 80\n          protocol: TCP\n"
	              "        - containerPort: 53\n          protocol: UDP\n"
	              "      initContainers:\n      - name: i\n        ports:\n"
	              "        - containerPort: 1\n          protocol: TCP\n");
	normalized_is("apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
	              "spec:\n  ports: [{port: 80}]\n",
	              "apiVersion: v1\nkind: Service\nmetadata:\n"
	              "  creationTimestamp: null\n  name: s\nspec:\n  ports:\n"
	              "  - port: 80\n    protocol: TCP\n");
	normalized_is("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}"
	              "\nspec:\n  jobTemplate:\n    spec:\n      template:\n"
	              "        spec:\n          containers: [{name: x, ports: "
	              "[{containerPort: 9}]}]\n",
	              "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n"
	              "  creationTimestamp: null\n  name: c\nspec:\n"
	              "  jobTemplate:\n    spec:\n      template:\n"
	              "        spec:\n          containers:\n          - name: "
	              "x\n            ports:\n            - containerPort: 9\n"
	              "              protocol: TCP\n");
	/* stringData wins over data, as on the server. */
	normalized_is("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
	              "data: {a: b2xk, k: eA==}\nstringData: {a: new, c: hi}\n",
	              "apiVersion: v1\ndata:\n  a: bmV3\n  c: aGk=\n  k: eA==\n"
	              "kind: Secret\nmetadata:\n  creationTimestamp: null\n"
	              "  name: s\n");
	/* A custom resource's ports are its own business; CRDs keep status. */
	normalized_is("apiVersion: x.io/v1\nkind: Deployment\nmetadata: {name: "
	              "d}\nspec: {ports: [{port: 1}]}\nstatus: {a: 1}\n",
	              "apiVersion: x.io/v1\nkind: Deployment\nmetadata:\n"
	              "  creationTimestamp: null\n  name: d\nspec:\n  ports:\n"
	              "  - port: 1\n");
	normalized_is("apiVersion: apiextensions.k8s.io/v1\nkind: "
	              "CustomResourceDefinition\nmetadata: {name: a.b}\n"
	              "status: {acceptedNames: {}}\n",
	              "apiVersion: apiextensions.k8s.io/v1\nkind: "
	              "CustomResourceDefinition\nmetadata:\n"
	              "  creationTimestamp: null\n  name: a.b\nstatus:\n"
	              "  acceptedNames: {}\n");
	{
		ga_node *o = obj("apiVersion: v1\nkind: Secret\nmetadata: "
		                 "{name: s, namespace: n}\nstringData: [1]\n");

		CHECK_ERR(ga_apply_normalize(o), GA_EINVALID);
		CHECK_EQ_STR(ga_error_last()->message,
		             "v1 Secret n/s: stringData must be a map of "
		             "strings");
		ga_node_free(o);
	}
}

#define CRD_CA(ca)                                                             \
	"apiVersion: apiextensions.k8s.io/v1\nkind: "                          \
	"CustomResourceDefinition\n"                                           \
	"metadata: {name: a.b}\nspec:\n  conversion:\n    strategy: Webhook\n" \
	"    webhook:\n      clientConfig:\n        caBundle: " ca "\n"        \
	"        url: https://x\n"
#define CRD_OUT(ca)                                                            \
	"apiVersion: apiextensions.k8s.io/v1\nkind: "                          \
	"CustomResourceDefinition\n"                                           \
	"metadata:\n  creationTimestamp: null\n  name: a.b\nspec:\n"           \
	"  conversion:\n    strategy: Webhook\n    webhook:\n"                 \
	"      clientConfig:\n" ca "        url: https://x\n"
#define PEM_OK                                                                 \
	"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1BTUNBUUU9Ci0tLS0tRU5EIENFUlRJ" \
	"Rkl"                                                                  \
	"DQVRFLS0tLS0K"

/* A caBundle with no certificate in it is dropped; a good one stays. */
static void test_crd_ca_bundle(void)
{
	normalized_is(CRD_CA(PEM_OK),
	              CRD_OUT("        caBundle: " PEM_OK "\n"));
	/* Not a certificate; a block cut short; not base64 at all. */
	normalized_is(CRD_CA("bm90IGEgY2VydGlmaWNhdGU="), CRD_OUT(""));
	normalized_is(CRD_CA("LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1BTUNBUUU9"
	                     "Cg=="),
	              CRD_OUT(""));
	normalized_is(CRD_CA("'!!!'"), CRD_OUT(""));
	/* Empty means unset, and is left to the server. */
	normalized_is(CRD_CA("''"), CRD_OUT("        caBundle: \"\"\n"));
	CHECK_EQ_STR(ga_error_last()->message, "");
}

static void classify_is(const char *live, const char *dry, ga_apply_action want)
{
	ga_node *l = live ? obj(live) : NULL, *d = obj(dry);
	ga_apply_action got = GA_APPLY_CREATED;

	CHECK_OK(ga_apply_classify(&got, l, d));
	CHECK_EQ_STR(ga_apply_action_name(got), ga_apply_action_name(want));
	ga_node_free(l);
	ga_node_free(d);
}

#define CM_LIVE                                                                \
	"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, "                \
	"resourceVersion: '5', uid: u1, managedFields: [{manager: a}], "       \
	"labels: {app: x}}\ndata: {k: v}\n"

static void test_classify(void)
{
	classify_is(NULL,
	            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "
	            "c}\ndata: {k: v}\n",
	            GA_APPLY_CREATED);
	/* resourceVersion, managedFields, status: not drift. */
	classify_is(CM_LIVE,
	            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, "
	            "resourceVersion: '5', uid: u1, labels: {app: x}, "
	            "managedFields: [{manager: b}]}\ndata: {k: v}\nstatus: "
	            "{x: 1}\n",
	            GA_APPLY_UNCHANGED);
	classify_is(CM_LIVE,
	            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, "
	            "resourceVersion: '5', labels: {app: y}}\ndata: {k: v}\n",
	            GA_APPLY_CONFIGURED);
	classify_is(CM_LIVE,
	            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, "
	            "resourceVersion: '5', labels: {app: x}}\ndata: {k: w}\n",
	            GA_APPLY_CONFIGURED);
	/* Absent and empty annotations are equal. */
	classify_is(CM_LIVE,
	            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, "
	            "resourceVersion: '5', labels: {app: x}, annotations: "
	            "{}}\ndata: {k: v}\n",
	            GA_APPLY_UNCHANGED);
	classify_is("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler"
	            "\nmetadata: {name: h, resourceVersion: '1'}\nspec:\n"
	            "  metrics: [{type: Resource}]\n",
	            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler"
	            "\nmetadata: {name: h, resourceVersion: '1'}\nspec:\n"
	            "  metrics: [{type: Resource}, {}, {type: Resource}]\n",
	            GA_APPLY_UNCHANGED);
	{
		ga_apply_action a;
		ga_node *n = NULL;

		CHECK_OK(ga_node_new_list(&n));
		CHECK_ERR(ga_apply_classify(&a, NULL, n), GA_EINVALID);
		ga_node_free(n);
	}
}

static void diff_is(const char *live, const char *merged, const char *want)
{
	ga_node *l = live ? obj(live) : NULL, *m = merged ? obj(merged) : NULL;
	ga_buf got = GA_BUF_INIT(1 << 20);

	CHECK_OK(ga_apply_diff(&got, l, m));
	CHECK_EQ_STR(ga_buf_cstr(&got), want);
	ga_buf_dispose(&got);
	ga_node_free(l);
	ga_node_free(m);
}

#define DEP(replicas, image)                                                   \
	"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"      \
	"  namespace: prod\n  managedFields: [{manager: x}]\n  labels: {a: "   \
	"'1', b: '2', c: '3', d: '4', e: '5', f: '6', g: '7'}\nspec:\n"        \
	"  replicas: " replicas                                                \
	"\n  template:\n    spec:\n      containers:\n"                        \
	"      - image: " image "\n        name: app\n"

static void test_diff(void)
{
	diff_is(DEP("1", "web:1"), DEP("1", "web:1"), "");
	diff_is(DEP("1", "web:1"), DEP("3", "web:2"),
	        "diff -u -N live/apps.v1.Deployment.prod.web "
	        "merged/apps.v1.Deployment.prod.web\n"
	        "--- live/apps.v1.Deployment.prod.web\n"
	        "+++ merged/apps.v1.Deployment.prod.web\n"
	        "@@ -12,9 +12,9 @@\n"
	        "   name: web\n"
	        "   namespace: prod\n"
	        " spec:\n"
	        "-  replicas: 1\n"
	        "+  replicas: 3\n"
	        "   template:\n"
	        "     spec:\n"
	        "       containers:\n"
	        "-      - image: web:1\n"
	        "+      - image: web:2\n"
	        "         name: app\n");
	/* Created (no live object): everything is added. */
	diff_is(NULL, "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n",
	        "diff -u -N live/v1.Namespace..x merged/v1.Namespace..x\n"
	        "--- live/v1.Namespace..x\n+++ merged/v1.Namespace..x\n"
	        "@@ -0,0 +1,4 @@\n+apiVersion: v1\n+kind: Namespace\n"
	        "+metadata:\n+  name: x\n");
}

static void test_diff_hunks(void)
{
	/* Changes more than six lines apart make two hunks. */
	diff_is("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n"
	        "  a: '1'\n  b: '2'\n  c: '3'\n  d: '4'\n  e: '5'\n  f: '6'\n"
	        "  g: '7'\n  h: '8'\n  i: '9'\n  j: '10'\n",
	        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n"
	        "  a: '0'\n  b: '2'\n  c: '3'\n  d: '4'\n  e: '5'\n  f: '6'\n"
	        "  g: '7'\n  h: '8'\n  i: '9'\n",
	        "diff -u -N live/v1.ConfigMap..c merged/v1.ConfigMap..c\n"
	        "--- live/v1.ConfigMap..c\n+++ merged/v1.ConfigMap..c\n"
	        "@@ -1,6 +1,6 @@\n apiVersion: v1\n data:\n-  a: \"1\"\n"
	        "+  a: \"0\"\n   b: \"2\"\n   c: \"3\"\n   d: \"4\"\n"
	        "@@ -9,7 +9,6 @@\n   g: \"7\"\n   h: \"8\"\n   i: \"9\"\n"
	        "-  j: \"10\"\n kind: ConfigMap\n metadata:\n   name: c\n");
}

static void test_secret_masked(void)
{
	ga_node *l = obj("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
	                 "data: {same: c2VjcmV0MQ==, changed: c2VjcmV0Mg==, "
	                 "gone: c2VjcmV0Mw==}\n");
	ga_node *m = obj("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
	                 "data: {same: c2VjcmV0MQ==, changed: c2VjcmV0NA==, "
	                 "new: c2VjcmV0NQ==}\n");
	ga_buf got = GA_BUF_INIT(1 << 20);

	CHECK_OK(ga_apply_diff(&got, l, m));
	CHECK_EQ_STR(ga_buf_cstr(&got),
	             "diff -u -N live/v1.Secret..s merged/v1.Secret..s\n"
	             "--- live/v1.Secret..s\n+++ merged/v1.Secret..s\n"
	             "@@ -1,7 +1,7 @@\n apiVersion: v1\n data:\n"
	             "-  changed: '*** (before)'\n-  gone: '***'\n"
	             "+  changed: '*** (after)'\n+  new: '***'\n"
	             "   same: '***'\n kind: Secret\n metadata:\n");
	CHECK(strstr(ga_buf_cstr(&got), "c2Vj") == NULL);
	/* Equal secrets print nothing at all. */
	ga_buf_clear(&got);
	CHECK_OK(ga_apply_diff(&got, l, l));
	CHECK_EQ_INT(got.size, 0);
	ga_buf_dispose(&got);
	ga_node_free(l);
	ga_node_free(m);
	CHECK_ERR(ga_apply_diff(&got, NULL, NULL), GA_EINVALID);
}

int main(void)
{
	RUN(test_normalize);
	RUN(test_crd_ca_bundle);
	RUN(test_classify);
	RUN(test_diff);
	RUN(test_diff_hunks);
	RUN(test_secret_masked);
	return DONE();
}
