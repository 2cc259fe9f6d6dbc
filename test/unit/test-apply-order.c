/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Apply and prune order (lib/apply/order.c): Flux's stages and
 * ReconcileOrder, stability of equal keys, the reverse for deletion, and
 * errors that name the object lacking an identity.
 */
#include <string.h>

#include "ga/apply.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "ga/yaml.h"
#include "harness.h"

static ga_node *docs_of(const char *yaml)
{
	ga_node *docs = NULL;

	CHECK_OK(ga_yaml_parse(&docs, yaml, strlen(yaml), "test", NULL));
	return docs;
}

/* "Kind/name Kind/name | ..." with a "|" between stages. */
static void order_is(const char *yaml, const char *const *custom,
                     size_t ncustom, const char *want)
{
	ga_node *docs = docs_of(yaml);
	ga_node *objs[64];
	ga_apply_order o;
	ga_buf got = GA_BUF_INIT(4096);
	size_t n = ga_node_count(docs), stage = 0;

	for (size_t i = 0; i < n; i++)
		objs[i] = ga_node_list_get(docs, i);
	CHECK_OK(ga_apply_sort(&o, objs, n, custom, ncustom));
	for (size_t i = 0; i < o.n; i++) {
		const ga_node *obj = objs[o.order[i]];
		ga_node *meta = ga_node_map_get(obj, "metadata");

		while (stage < GA_APPLY_NSTAGES && i >= o.stage_end[stage]) {
			(void)ga_buf_puts(&got, "| ");
			stage++;
		}
		(void)ga_buf_printf(&got, "%s/%s ",
		                    ga_node_str(ga_node_map_get(obj, "kind")),
		                    ga_node_str(ga_node_map_get(meta, "name")));
	}
	CHECK_EQ_INT(o.stage_end[GA_APPLY_NSTAGES - 1], n);
	CHECK_EQ_STR(ga_buf_cstr(&got), want);
	ga_buf_dispose(&got);
	ga_apply_order_dispose(&o);
	ga_node_free(docs);
}

#define OBJ(api, kind, ns, name)                                               \
	"---\napiVersion: " api "\nkind: " kind "\nmetadata: {name: " name     \
	", namespace: '" ns "'}\n"

static void test_stages(void)
{
	order_is(
	    OBJ("admissionregistration.k8s.io/v1",
	        "ValidatingWebhookConfiguration", "",
	        "vw") OBJ("example.com/v1", "Widget", "apps",
	                  "w1") OBJ("apps/v1", "Deployment", "apps",
	                            "web") OBJ("v1", "Service", "apps", "web")
	        OBJ("storage.k8s.io/v1", "StorageClass", "", "fast") OBJ(
	            "apiextensions.k8s.io/v1", "CustomResourceDefinition", "",
	            "widgets.example.com") OBJ("v1", "Namespace", "", "apps")
	            OBJ("rbac.authorization.k8s.io/v1", "ClusterRole", "",
	                "view") OBJ("rbac.authorization.k8s.io/v1",
	                            "ClusterRoleBinding", "", "view")
	                OBJ("networking.k8s.io/v1", "IngressClass", "",
	                    "nginx") OBJ("v1", "ConfigMap", "apps", "cfg")
	                    OBJ("batch/v1", "Job", "apps", "migrate")
	                        OBJ("admissionregistration.k8s.io/v1",
	                            "MutatingWebhookConfiguration", "", "mw"),
	    NULL, 0,
	    "CustomResourceDefinition/widgets.example.com Namespace/apps "
	    "ClusterRole/view | StorageClass/fast IngressClass/nginx | "
	    "| ClusterRoleBinding/view ConfigMap/cfg Service/web "
	    "Deployment/web Job/migrate Widget/w1 "
	    "MutatingWebhookConfiguration/mw "
	    "ValidatingWebhookConfiguration/vw ");
}

/* Kinds outside the list sort by group, then kind; core group first. */
static void test_other_kinds(void)
{
	order_is(OBJ("z.example/v1", "Alpha", "a", "x")
	             OBJ("a.example/v1", "Zeta", "a", "x")
	                 OBJ("v1", "Pod", "a", "x")
	                     OBJ("a.example/v1", "Beta", "a", "x"),
	         NULL, 0, "| | | Pod/x Beta/x Zeta/x Alpha/x ");
}

/* Ties by namespace, then name; equal keys keep their input order. */
static void test_ties_and_stability(void)
{
	order_is(
	    OBJ("v1", "ConfigMap", "b", "a") OBJ("v1", "ConfigMap", "a", "z")
	        OBJ("v1", "ConfigMap", "a",
	            "b") "---\napiVersion: v1\nkind: ConfigMap\nmetadata: "
	                 "{name: b, "
	                 "namespace: a, labels: {second: x}}\n",
	    NULL, 0, "| | | ConfigMap/b ConfigMap/b ConfigMap/z ConfigMap/a ");
	{
		ga_node *docs = docs_of(OBJ("v1", "ConfigMap", "a", "b")
		                            OBJ("v1", "ConfigMap", "a", "b"));
		ga_node *objs[2] = {ga_node_list_get(docs, 0),
		                    ga_node_list_get(docs, 1)};
		ga_apply_order o;

		CHECK_OK(ga_apply_sort(&o, objs, 2, NULL, 0));
		CHECK_EQ_INT(o.order[0], 0);
		CHECK_EQ_INT(o.order[1], 1);
		ga_apply_order_dispose(&o);
		ga_node_free(docs);
	}
}

static void test_custom_stage(void)
{
	static const char *const custom[] = {"rbac.authorization.k8s.io/Role",
	                                     "ServiceAccount"};

	order_is(OBJ("apps/v1", "Deployment", "a", "web")
	             OBJ("v1", "ServiceAccount", "a", "sa")
	                 OBJ("rbac.authorization.k8s.io/v1", "Role", "a", "r")
	                     OBJ("example.com/v1", "Role", "a", "other"),
	         custom, 2,
	         "| | ServiceAccount/sa Role/r | Role/other Deployment/web ");
	CHECK(ga_apply_stage_waits(GA_APPLY_STAGE_DEFINITIONS));
	CHECK(ga_apply_stage_waits(GA_APPLY_STAGE_CLASSES));
	CHECK(!ga_apply_stage_waits(GA_APPLY_STAGE_CUSTOM));
	CHECK(!ga_apply_stage_waits(GA_APPLY_STAGE_RESOURCES));
	CHECK_EQ_STR(ga_apply_stage_name(GA_APPLY_STAGE_CLASSES), "classes");
}

static void test_delete_order(void)
{
	const ga_apply_ref refs[] = {
	    {"", "v1", "Namespace", "", "apps"},
	    {"apps", "v1", "Deployment", "apps", "web"},
	    {"admissionregistration.k8s.io", "v1",
	     "MutatingWebhookConfiguration", "", "mw"},
	    {"apiextensions.k8s.io", "v1", "CustomResourceDefinition", "",
	     "w.example.com"},
	    {"", "v1", "ConfigMap", "apps", "a"},
	    {"", "v1", "ConfigMap", "apps", "b"},
	};
	static const size_t want[] = {2, 1, 5, 4, 0, 3};
	ga_apply_order o;

	CHECK_OK(ga_apply_sort_delete(&o, refs, 6));
	CHECK_EQ_INT(o.n, 6);
	for (size_t i = 0; i < 6; i++)
		CHECK_EQ_INT(o.order[i], want[i]);
	ga_apply_order_dispose(&o);
	CHECK_OK(ga_apply_sort_delete(&o, refs, 0));
	CHECK_EQ_INT(o.n, 0);
	ga_apply_order_dispose(&o);
}

static void test_errors(void)
{
	ga_node *docs = docs_of("apiVersion: apps/v1\nkind: Deployment\n"
	                        "metadata: {namespace: a}\n"
	                        "---\napiVersion: /v1\nkind: X\n"
	                        "metadata: {name: x}\n");
	ga_node *objs[2] = {ga_node_list_get(docs, 0),
	                    ga_node_list_get(docs, 1)};
	ga_apply_order o;

	CHECK_ERR(ga_apply_sort(&o, objs, 1, NULL, 0), GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message,
	             "apps/v1 Deployment a/?: metadata.name is missing or not "
	             "a non-empty string");
	CHECK_ERR(ga_apply_sort(&o, objs + 1, 1, NULL, 0), GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message,
	             "/v1 X x: apiVersion is missing or not a non-empty "
	             "string");
	ga_node_free(docs);
}

int main(void)
{
	RUN(test_stages);
	RUN(test_other_kinds);
	RUN(test_ties_and_stability);
	RUN(test_custom_stage);
	RUN(test_delete_order);
	RUN(test_errors);
	return DONE();
}
