/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The transformer configuration: built-in tables without copies,
 * kustomize's merge rules (covered specs, conflicts, order), reading
 * configurations and crds documents.
 */
#include "kustomize/tconfig.h"

#include "ga/yaml.h"
#include "harness.h"
#include "util/alloc.h"

static ga_node *doc(const char *yaml)
{
	ga_node *docs = NULL, *d = NULL;

	CHECK_OK(ga_yaml_parse(&docs, yaml, strlen(yaml), "cfg.yaml", NULL));
	if (docs && ga_node_count(docs))
		CHECK_OK(ga_node_clone(&d, ga_node_list_get(docs, 0)));
	ga_node_free(docs);
	return d;
}

/* Index of the spec of @sec with @kind (NULL: none) and @path, or -1. */
static int find(const ga_kust_tconfig *cfg, ga_kust_tc_section sec,
                const char *kind, const char *path)
{
	size_t n;
	const ga_kust_fieldspec *v = ga_kust__tconfig_specs(cfg, sec, &n);

	for (size_t i = 0; i < n; i++) {
		bool k = kind ? v[i].kind && strcmp(v[i].kind, kind) == 0
		              : !v[i].kind || !v[i].kind[0];
		if (k && strcmp(v[i].path, path) == 0)
			return (int)i;
	}
	return -1;
}

static void test_builtin(void)
{
	ga_kust_tconfig *cfg = NULL, *empty = NULL;
	size_t n;

	CHECK_OK(ga_kust__tconfig_new(&cfg));
	CHECK(ga_kust__tconfig_specs(cfg, GA_KUST_TC_COMMONLABELS, &n) ==
	      ga_kust__fs_common_labels);
	CHECK(n == ga_kust__fs_common_labels_n);
	CHECK(ga_kust__tconfig_namerefs(cfg, &n) == ga_kust__nameref_defaults);
	CHECK(ga_kust__tconfig_specs(cfg, GA_KUST_TC_VARREF, &n) ==
	      ga_kust__fs_var_reference);
	CHECK(n == ga_kust__fs_var_reference_n);
	CHECK(find(cfg, GA_KUST_TC_NAMEPREFIX, NULL, "metadata/name") == 0);
	CHECK(find(cfg, GA_KUST_TC_REPLICAS, "StatefulSet", "spec/replicas") >=
	      0);
	/* Built-in into empty, and into built-in: still the static tables. */
	CHECK_OK(ga_kust__tconfig_new_empty(&empty));
	ga_kust__tconfig_specs(empty, GA_KUST_TC_IMAGES, &n);
	CHECK(n == 0);
	CHECK_OK(ga_kust__tconfig_merge(empty, cfg));
	CHECK_OK(ga_kust__tconfig_merge(cfg, empty));
	CHECK(ga_kust__tconfig_specs(empty, GA_KUST_TC_COMMONANNOTATIONS, &n) ==
	      ga_kust__fs_annotations);
	CHECK(ga_kust__tconfig_specs(cfg, GA_KUST_TC_COMMONANNOTATIONS, &n) ==
	      ga_kust__fs_annotations);
	CHECK_EQ_STR(ga_kust__tconfig_section_name(GA_KUST_TC_VARREF),
	             "varReference");
	ga_kust__tconfig_free(cfg);
	ga_kust__tconfig_free(empty);
}

static void test_add_spec(void)
{
	ga_kust_tconfig *cfg = NULL;
	ga_kust_fieldspec narrow = {NULL, NULL, "X", "metadata/labels", true};
	ga_kust_fieldspec off = {NULL, NULL, NULL, "metadata/labels", false};
	ga_kust_fieldspec same = {NULL, NULL, NULL, "metadata/labels", true};
	size_t n0, n;

	CHECK_OK(ga_kust__tconfig_new(&cfg));
	ga_kust__tconfig_specs(cfg, GA_KUST_TC_COMMONLABELS, &n0);
	/* {kind: X} does not select the kind-less spec: appended. */
	CHECK_OK(
	    ga_kust__tconfig_add_spec(cfg, GA_KUST_TC_COMMONLABELS, &narrow));
	ga_kust__tconfig_specs(cfg, GA_KUST_TC_COMMONLABELS, &n);
	CHECK(n == n0 + 1);
	CHECK(find(cfg, GA_KUST_TC_COMMONLABELS, "X", "metadata/labels") >= 0);
	/* The same path for every kind is already there ... */
	CHECK_OK(
	    ga_kust__tconfig_add_spec(cfg, GA_KUST_TC_COMMONLABELS, &same));
	ga_kust__tconfig_specs(cfg, GA_KUST_TC_COMMONLABELS, &n);
	CHECK(n == n0 + 1);
	/* ... and with another create flag it conflicts. */
	CHECK_ERR(ga_kust__tconfig_add_spec(cfg, GA_KUST_TC_COMMONLABELS, &off),
	          GA_EINVALID);
	CHECK(strstr(ga_error_last()->message,
	             "commonLabels: conflicting field specs for path "
	             "'metadata/labels'") != NULL);
	ga_kust__tconfig_free(cfg);
}

/* kustomize sorts by kind rank before merging into the accumulation, so a
 * Deployment spec comes first and covers the kind-less built-in one. */
static void test_narrow_shadows(void)
{
	ga_kust_tconfig *level = NULL, *tc = NULL, *user = NULL;
	ga_node *d = doc("commonLabels:\n"
	                 "- {path: metadata/labels, kind: Deployment, "
	                 "create: true}\n");

	CHECK_OK(ga_kust__tconfig_new_empty(&level));
	CHECK_OK(ga_kust__tconfig_new(&tc));
	CHECK_OK(ga_kust__tconfig_new_empty(&user));
	CHECK_OK(ga_kust__tconfig_load(user, d, "cfg.yaml"));
	CHECK_OK(ga_kust__tconfig_merge(tc, user));
	CHECK(find(tc, GA_KUST_TC_COMMONLABELS, NULL, "metadata/labels") >= 0);
	CHECK_OK(ga_kust__tconfig_merge(level, tc));
	CHECK(find(level, GA_KUST_TC_COMMONLABELS, NULL, "metadata/labels") <
	      0);
	CHECK(find(level, GA_KUST_TC_COMMONLABELS, "Deployment",
	           "metadata/labels") >= 0);
	/* Other sections are the built-in ones, sorted. */
	CHECK(find(level, GA_KUST_TC_REPLICAS, "Deployment", "spec/replicas") ==
	      0);
	CHECK(find(level, GA_KUST_TC_REPLICAS, "StatefulSet",
	           "spec/replicas") == 1);
	ga_node_free(d);
	ga_kust__tconfig_free(level);
	ga_kust__tconfig_free(tc);
	ga_kust__tconfig_free(user);
}

/* A component's accumulation is merged again into an empty one: a spec
 * for one kind sorted before the kind-less built-in one with another
 * create flag then conflicts. */
static void test_remerge(void)
{
	ga_kust_tconfig *level = NULL, *tc = NULL, *user = NULL;
	ga_node *d = doc("images:\n"
	                 "- path: spec/containers[]/image\n"
	                 "  kind: X\n");

	/* The parent's level holds the built-in tables already. */
	CHECK_OK(ga_kust__tconfig_new(&level));
	CHECK_OK(ga_kust__tconfig_remerge(level));
	CHECK_OK(ga_kust__tconfig_new(&tc));
	CHECK_OK(ga_kust__tconfig_new_empty(&user));
	CHECK_OK(ga_kust__tconfig_load(user, d, "cfg.yaml"));
	CHECK_OK(ga_kust__tconfig_merge(tc, user));
	CHECK_OK(ga_kust__tconfig_merge(level, tc));
	CHECK(find(level, GA_KUST_TC_IMAGES, "X", "spec/containers[]/image") >=
	      0);
	CHECK_ERR(ga_kust__tconfig_remerge(level), GA_EINVALID);
	CHECK(strstr(ga_error_last()->message,
	             "images: conflicting field specs") != NULL);
	ga_node_free(d);
	ga_kust__tconfig_free(level);
	ga_kust__tconfig_free(tc);
	ga_kust__tconfig_free(user);
}

static void test_nameref(void)
{
	ga_kust_tconfig *cfg = NULL;
	ga_kust_nameref cm = {NULL, "v1", "ConfigMap", {0}};
	ga_kust_fieldspec fs = {NULL, NULL, "App", "spec/configRef/name",
	                        false};
	const ga_kust_nameref *r;
	size_t n0, n, at = 0;

	CHECK_OK(ga_kust__tconfig_new(&cfg));
	ga_kust__tconfig_namerefs(cfg, &n0);
	CHECK_OK(ga_kust__tconfig_add_nameref(cfg, &cm, &fs, 1));
	CHECK_OK(ga_kust__tconfig_add_nameref(cfg, &cm, &fs, 1));
	r = ga_kust__tconfig_namerefs(cfg, &n);
	CHECK(n == n0 + 1);
	/* Joined to the ConfigMap rules, right after the last of them. */
	while (at < n && strcmp(r[at].fs.path, "spec/configRef/name") != 0)
		at++;
	CHECK(at < n && at > 0 && strcmp(r[at - 1].kind, "ConfigMap") == 0);
	fs.create = true;
	CHECK_ERR(ga_kust__tconfig_add_nameref(cfg, &cm, &fs, 1), GA_EINVALID);
	ga_kust__tconfig_free(cfg);
}

static void load_err(const char *yaml, const char *want)
{
	ga_kust_tconfig *cfg = NULL;
	ga_node *d = doc(yaml);

	CHECK_OK(ga_kust__tconfig_new_empty(&cfg));
	CHECK_ERR(ga_kust__tconfig_load(cfg, d, "cfg.yaml"), GA_EINVALID);
	if (!strstr(ga_error_last()->message, want))
		printf("# %s\n", ga_error_last()->message);
	CHECK(strstr(ga_error_last()->message, want) != NULL);
	ga_node_free(d);
	ga_kust__tconfig_free(cfg);
}

static void test_load(void)
{
	ga_kust_tconfig *cfg = NULL;
	ga_node *d = doc("NamePrefix: [{Path: spec/alias, kind: A}]\n"
	                 "images: [{path: 12, kind: A}, ~]\n"
	                 "varReference: [{path: spec/v, kind: A}]\n"
	                 "nameReference:\n"
	                 "- {kind: B, fieldSpecs: [{path: spec/b, kind: A}]}\n"
	                 "commonLabels: ~\n");
	size_t n;

	CHECK_OK(ga_kust__tconfig_new_empty(&cfg));
	CHECK_OK(ga_kust__tconfig_load(cfg, d, "cfg.yaml"));
	CHECK(find(cfg, GA_KUST_TC_NAMEPREFIX, "A", "spec/alias") >= 0);
	CHECK(find(cfg, GA_KUST_TC_IMAGES, "A", "12") >= 0);
	CHECK(find(cfg, GA_KUST_TC_IMAGES, NULL, "") >= 0);
	CHECK(find(cfg, GA_KUST_TC_VARREF, "A", "spec/v") >= 0);
	CHECK(ga_kust__tconfig_namerefs(cfg, &n) && n == 1);
	ga_node_free(d);
	ga_kust__tconfig_free(cfg);

	load_err("bogus: []\n", "line 1: transformer configuration: unknown "
	                        "section 'bogus'");
	load_err("images: [{path: a, creat: true}]\n",
	         "images: unknown field 'creat'");
	load_err("images: [{path: a, create: 'yes'}]\n",
	         "images: expected a boolean, found a string");
	load_err("images: [{path: a, kind: 7}]\n",
	         "images: expected a string, found a int");
	load_err("images: {path: a}\n", "images: expected a list");
	load_err("- a\n", "transformer configuration: expected a map");
	load_err("nameReference: [{kind: A, path: x}]\n",
	         "nameReference: unknown field 'path'");
	load_err("nameReference: [{kind: A, fieldSpecs: {}}]\n",
	         "nameReference: expected a list");
	load_err("replicas: [{path: a, create: true}, {path: a}]\n",
	         "replicas: conflicting field specs");
}

static void test_crds(void)
{
	ga_kust_tconfig *cfg = NULL;
	ga_node *d = doc("x.io/v1.Bee:\n"
	                 "  Schema:\n"
	                 "    properties:\n"
	                 "      kind: {}\n"
	                 "      apiVersion: {}\n"
	                 "      metadata: {}\n"
	                 "      spec: {$ref: x.io/v1.BeeSpec}\n"
	                 "x.io/v1.BeeSpec:\n"
	                 "  schema:\n"
	                 "    properties:\n"
	                 "      configRef:\n"
	                 "        x-kubernetes-object-ref-api-version: v1\n"
	                 "        x-kubernetes-object-ref-kind: ConfigMap\n"
	                 "      sel: {x-kubernetes-label-selector: ''}\n"
	                 "      ann: {x-kubernetes-annotation: ''}\n"
	                 "      id: {x-kubernetes-identity: ''}\n"
	                 "      loop: {$ref: x.io/v1.BeeSpec}\n");
	const ga_kust_nameref *r;
	size_t n;

	CHECK_OK(ga_kust__tconfig_new_empty(&cfg));
	CHECK_ERR(ga_kust__tconfig_load_crds(cfg, d, "crd.yaml"), GA_ELIMIT);
	CHECK(strstr(ga_error_last()->message, "a cycle?") != NULL);
	ga_kust__tconfig_free(cfg);
	ga_node_free(ga_node_map_remove(
	    ga_node_map_get(
	        ga_node_map_get(ga_node_map_get(d, "x.io/v1.BeeSpec"),
	                        "schema"),
	        "properties"),
	    "loop"));
	CHECK_OK(ga_kust__tconfig_new_empty(&cfg));
	CHECK_OK(ga_kust__tconfig_load_crds(cfg, d, "crd.yaml"));
	CHECK(find(cfg, GA_KUST_TC_COMMONLABELS, "Bee", "spec/sel") >= 0);
	CHECK(find(cfg, GA_KUST_TC_COMMONANNOTATIONS, "Bee", "spec/ann") >= 0);
	CHECK(find(cfg, GA_KUST_TC_NAMEPREFIX, "Bee", "spec/id") >= 0);
	r = ga_kust__tconfig_namerefs(cfg, &n);
	CHECK(n == 1 && strcmp(r[0].kind, "ConfigMap") == 0 &&
	      strcmp(r[0].version, "v1") == 0 &&
	      strcmp(r[0].fs.kind, "Bee") == 0 &&
	      strcmp(r[0].fs.path, "spec/configRef/name") == 0);
	ga_kust__tconfig_free(cfg);
	ga_node_free(d);

	d = doc("a.B: {Schema: {properties: {kind: 5}}}\n");
	CHECK_OK(ga_kust__tconfig_new_empty(&cfg));
	CHECK_ERR(ga_kust__tconfig_load_crds(cfg, d, "crd.yaml"), GA_EINVALID);
	CHECK(strstr(ga_error_last()->message,
	             "a.B: property 'kind': expected a map") != NULL);
	ga_kust__tconfig_free(cfg);
	ga_node_free(d);
}

static void test_oom(void)
{
	ga_kust_tconfig *cfg = NULL;
	ga_kust_fieldspec fs = {NULL, NULL, "X", "spec/x", false};

	ga_alloc__fail_after(1, false);
	CHECK_ERR(ga_kust__tconfig_new(&cfg), GA_ENOMEM);
	ga_alloc__fail_after(0, false);
	for (unsigned k = 1; k < 6; k++) {
		CHECK_OK(ga_kust__tconfig_new(&cfg));
		ga_alloc__fail_after(k, false);
		(void)ga_kust__tconfig_add_spec(cfg, GA_KUST_TC_IMAGES, &fs);
		ga_alloc__fail_after(0, false);
		ga_kust__tconfig_free(cfg);
	}
}

int main(void)
{
	RUN(test_builtin);
	RUN(test_add_spec);
	RUN(test_narrow_shadows);
	RUN(test_remerge);
	RUN(test_nameref);
	RUN(test_load);
	RUN(test_crds);
	RUN(test_oom);
	return DONE();
}
