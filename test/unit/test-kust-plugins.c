/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Builtin plugin configurations on their own: which kinds run where, the
 * decoding of their fields (scalars read as sigs.k8s.io/yaml reads them
 * into strings), and the configurations refused.
 */
#include "kustomize/plugins.h"

#include "ga/error.h"
#include "ga/yaml.h"
#include "harness.h"
#include "util/alloc.h"

static ga_node *parse(const char *yaml)
{
	ga_node *docs = NULL, *doc = NULL;

	CHECK_OK(ga_yaml_parse(&docs, yaml, strlen(yaml), "test", NULL));
	if (docs)
		doc = ga_node_list_remove(docs, 0);
	ga_node_free(docs);
	return doc;
}

static int no_files(void *ctx, const char *rel, ga_buf *out)
{
	(void)ctx;
	(void)out;
	ga_error_set(GA_ERRCLASS_KUSTOMIZE, "%s: no files here", rel);
	return GA_ENOTFOUND;
}

/* Run the configuration @cfg over a resmap of one ConfigMap; *@obj is
 * that ConfigMap afterwards (owned by the caller). */
static int run(const char *cfg, bool generators, ga_node **obj)
{
	ga_kust_file kf = {(char *)"kustomization.yaml", false, NULL};
	ga_kust_resmap ra = {0};
	ga_kust_res *cm = ga_calloc(1, sizeof(*cm));
	ga_kust_res config = {0};
	int err;

	*obj = NULL;
	CHECK(cm != NULL);
	if (!cm)
		return GA_ENOMEM;
	cm->obj = parse("apiVersion: v1\nkind: ConfigMap\n"
	                "metadata: {name: cm}\ndata: {a: b}\n");
	cm->origin = ga_strdup("r.yaml");
	CHECK_OK(ga_kust__resmap_add_take(&ra, cm));
	config.obj = parse(cfg);
	config.origin = (char *)"t.yaml";
	err = ga_kust__plugin_run(&ra, &kf, &config, NULL, generators, no_files,
	                          NULL);
	if (ra.n && (*obj = ra.v[0]->obj) != NULL)
		ra.v[0]->obj = NULL;
	ga_node_free(config.obj);
	ga_kust__resmap_dispose(&ra);
	return err;
}

static const char *label(const ga_node *obj, const char *key)
{
	const ga_node *meta = ga_node_map_get(obj, "metadata");
	const ga_node *labels = meta ? ga_node_map_get(meta, "labels") : NULL;
	const ga_node *v = labels ? ga_node_map_get(labels, key) : NULL;

	return v ? ga_node_str(v) : NULL;
}

static void test_labels(void)
{
	ga_node *obj = NULL;

	CHECK_OK(run("apiVersion: builtin\nkind: LabelTransformer\n"
	             "metadata: {name: l}\n"
	             "labels: {i: 0x1F, b: true, f: 3.14159265358979,\n"
	             "         big: 1234567.8, whole: 1e6, tiny: 0.00001}\n"
	             "fieldSpecs: [{path: metadata/labels, create: true}]\n",
	             false, &obj));
	CHECK_EQ_STR(label(obj, "i"), "31");
	CHECK_EQ_STR(label(obj, "b"), "true");
	CHECK_EQ_STR(label(obj, "f"), "3.1415927");
	CHECK_EQ_STR(label(obj, "big"), "1.2345678e+06");
	CHECK_EQ_STR(label(obj, "whole"), "1000000");
	CHECK_EQ_STR(label(obj, "tiny"), "1e-05");
	ga_node_free(obj);

	/* No fieldSpecs: a label transformer writes nowhere. */
	CHECK_OK(run("apiVersion: builtin\nkind: LabelTransformer\n"
	             "metadata: {name: l}\nlabels: {x: y}\n",
	             false, &obj));
	CHECK(label(obj, "x") == NULL);
	ga_node_free(obj);
}

static void check_fails(const char *cfg, bool generators, int code,
                        const char *want)
{
	ga_node *obj = NULL;

	CHECK_ERR(run(cfg, generators, &obj), code);
	if (!strstr(ga_error_last()->message, want))
		printf("# message: %s\n# wanted:  %s\n",
		       ga_error_last()->message, want);
	CHECK(strstr(ga_error_last()->message, want) != NULL);
	ga_node_free(obj);
}

static void test_refused(void)
{
	check_fails("apiVersion: example.com/v1\nkind: Mine\n"
	            "metadata: {name: m}\n",
	            false, GA_EUNSUPPORTED, "only builtin plugins");
	check_fails("apiVersion: builtin\nkind: ConfigMapGenerator\n"
	            "metadata: {name: g}\n",
	            false, GA_EINVALID, "is not a transformer");
	check_fails("apiVersion: builtin\nkind: LabelTransformer\n"
	            "metadata: {name: l}\n",
	            true, GA_EINVALID, "is not a generator");
	check_fails("apiVersion: builtin\nkind: SortOrderTransformer\n"
	            "metadata: {name: s}\n",
	            false, GA_EINVALID,
	            "no builtin plugin SortOrderTransformer");
	check_fails("apiVersion: builtin\nkind: ValueAddTransformer\n"
	            "metadata: {name: v}\n",
	            false, GA_EUNSUPPORTED, "not supported");
	check_fails("apiVersion: builtin\nkind: PrefixTransformer\n"
	            "metadata: {name: p}\nprefix: a-\n",
	            false, GA_EINVALID, "fieldSpecs is not expected to be nil");
	check_fails("apiVersion: builtin\nkind: LabelTransformer\n"
	            "metadata: {name: l}\nlabels: {x: [1]}\n",
	            false, GA_EINVALID, "labels.x: expected a string");
	check_fails("apiVersion: builtin\nkind: LabelTransformer\n"
	            "metadata: {name: l}\nlabels: {x: .inf}\n",
	            false, GA_EINVALID, "infinity or NaN");
	check_fails("apiVersion: builtin\nkind: AnnotationsTransformer\n"
	            "metadata: {name: a}\nannotations: {x: y}\n"
	            "fieldSpecs: [{path: 1, create: 'yes'}]\n",
	            false, GA_EINVALID, "fieldSpecs[0]");
	check_fails("apiVersion: builtin\nkind: NamespaceTransformer\n"
	            "metadata: {name: n, namespace: x}\n"
	            "setRoleBindingSubjects: some\n",
	            false, GA_EINVALID, "invalid value \"some\"");
	check_fails(
	    "apiVersion: builtin\nkind: PatchStrategicMergeTransformer\n"
	    "metadata: {name: p}\n",
	    false, GA_EINVALID, "empty file path and empty patch");
	check_fails("apiVersion: builtin\nkind: PatchTransformer\n"
	            "metadata: {name: p}\npath: p.yaml\n",
	            false, GA_ENOTFOUND, "no files here");
}

static void test_generator(void)
{
	ga_node *obj = NULL;

	/* The name and namespace come from metadata when not given. */
	CHECK_OK(run("apiVersion: builtin\nkind: ConfigMapGenerator\n"
	             "metadata: {name: cm}\nbehavior: merge\n"
	             "literals: [c=d]\n",
	             true, &obj));
	CHECK(obj && ga_node_count(ga_node_map_get(obj, "data")) == 2);
	ga_node_free(obj);
}

int main(void)
{
	RUN(test_labels);
	RUN(test_refused);
	RUN(test_generator);
	return DONE();
}
