/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vars on their own: binding by objref, and the substitution rules
 * ($$, unknown names, typed whole-string values, lists of strings).
 */
#include "kustomize/transform.h"

#include "ga/error.h"
#include "ga/yaml.h"
#include "harness.h"
#include "util/alloc.h"

static ga_node *parse(const char *yaml)
{
	ga_node *docs = NULL;

	CHECK_OK(ga_yaml_parse(&docs, yaml, strlen(yaml), "test", NULL));
	return docs;
}

/* A resmap of the documents of @yaml. */
static void load(ga_kust_resmap *ra, const char *yaml)
{
	ga_node *docs = parse(yaml);

	while (docs && ga_node_count(docs)) {
		ga_kust_res *r = ga_calloc(1, sizeof(*r));

		CHECK(r != NULL);
		if (!r)
			break;
		r->obj = ga_node_list_remove(docs, 0);
		r->origin = ga_strdup("app.yaml");
		CHECK_OK(ga_kust__resmap_add_take(ra, r));
	}
	ga_node_free(docs);
}

/* Declare the vars of the kustomization @kust, then resolve them. */
static int run(ga_kust_resmap *ra, const char *kust)
{
	ga_node *docs = parse(kust), *vars = NULL;
	ga_kust_tconfig *cfg = NULL;
	int err = ga_kust__vars_declare(&vars, ra, ga_node_list_get(docs, 0),
	                                "kustomization.yaml");

	if (!err && !(err = ga_kust__tconfig_new(&cfg)))
		err = ga_kust__vars_resolve(ra, vars, cfg);
	ga_kust__tconfig_free(cfg);
	ga_node_free(vars);
	ga_node_free(docs);
	return err;
}

static const ga_node *arg(const ga_kust_resmap *ra, size_t i)
{
	const ga_node *n = ra->v[1]->obj;
	const char *path[] = {"spec", "containers"};

	for (size_t k = 0; n && k < 2; k++)
		n = ga_node_map_get(n, path[k]);
	n = n ? ga_node_list_get(n, 0) : NULL;
	n = n ? ga_node_map_get(n, "args") : NULL;
	return n ? ga_node_list_get(n, i) : NULL;
}

static const char *const objects =
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata: {name: db, namespace: data}\n"
    "spec: {ports: [{port: 5432}], on: true}\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Pod\n"
    "metadata: {name: p}\n"
    "spec:\n"
    "  containers:\n"
    "  - name: c\n"
    "    args: [$(DB), $(PORT), '$(ON)', 'x$(PORT)y', '$$(DB)', '$(NO)',\n"
    "           '$(DB', '$', '$x']\n";

static const char *const kust =
    "vars:\n"
    "- {name: DB, objref: {apiVersion: v1, kind: Service, name: db}}\n"
    "- name: PORT\n"
    "  objref: {apiVersion: v1, kind: Service, name: db}\n"
    "  fieldref: {fieldPath: 'spec.ports[0].port'}\n"
    "- name: ON\n"
    "  objref: {version: v1, kind: Service, name: db, namespace: data}\n"
    "  fieldref: {fieldPath: spec.on}\n";

static void test_substitution(void)
{
	static const char *const want[] = {
	    "db", NULL, NULL, "x5432y", "$(DB)", "$(NO)", "$(DB", "$", "$x"};
	ga_kust_resmap ra = {0};

	load(&ra, objects);
	CHECK_OK(run(&ra, kust));
	CHECK(ga_node_type_of(arg(&ra, 1)) == GA_NODE_INT &&
	      ga_node_int(arg(&ra, 1)) == 5432);
	CHECK(ga_node_type_of(arg(&ra, 2)) == GA_NODE_BOOL &&
	      ga_node_bool(arg(&ra, 2)));
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++)
		if (want[i])
			CHECK_EQ_STR(ga_node_str(arg(&ra, i)), want[i]);
	ga_kust__resmap_dispose(&ra);
}

static void check_fails(const char *kust_text, const char *needle)
{
	ga_kust_resmap ra = {0};

	load(&ra, objects);
	CHECK_ERR(run(&ra, kust_text), GA_EINVALID);
	CHECK(strstr(ga_error_last()->message, needle) != NULL);
	if (!strstr(ga_error_last()->message, needle))
		printf("# %s\n", ga_error_last()->message);
	ga_kust__resmap_dispose(&ra);
}

static void test_errors(void)
{
	check_fails(
	    "vars:\n"
	    "- {name: A, objref: {apiVersion: v1, kind: Pod, name: p}}\n"
	    "- {name: A, objref: {apiVersion: v1, kind: Pod, name: p}}\n",
	    "var 'A' already encountered");
	check_fails("vars:\n- {name: A, objref: {kind: Service, name: db}}\n",
	            "cannot be mapped");
	check_fails("vars:\n- name: A\n"
	            "  objref: {apiVersion: v1, kind: Service, name: db,\n"
	            "           namespace: default}\n",
	            "cannot be mapped");
	check_fails("vars:\n- name: A\n"
	            "  objref: {apiVersion: v1, kind: Service, name: db}\n"
	            "  fieldref: {fieldPath: spec.nothing}\n",
	            "field 'spec.nothing' specified in var 'A' not found");
}

/* Vars merged from a base: every name declared already is reported,
 * sorted (kubectl picks one at random from a Go map). */
static void test_merge(void)
{
	ga_node *to = parse("- {name: B}\n- {name: A}\n- {name: C}\n");
	ga_node *from = parse("- {name: D}\n- {name: C}\n- {name: A}\n");
	ga_node *t = ga_node_list_remove(to, 0),
	        *f = ga_node_list_remove(from, 0);

	CHECK_ERR(ga_kust__vars_merge(&t, &f, "k.yaml: resources: 'b'"),
	          GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message,
	             "k.yaml: resources: 'b': vars 'A', 'C' already "
	             "encountered");
	ga_node_free(f);
	f = parse("- {name: D}\n- {name: E}\n");
	ga_node *g = ga_node_list_remove(f, 0);
	CHECK_OK(ga_kust__vars_merge(&t, &g, "k.yaml: resources: 'c'"));
	CHECK(ga_node_count(t) == 5);
	ga_node_free(g);
	ga_node_free(f);
	ga_node_free(t);
	ga_node_free(to);
	ga_node_free(from);
}

int main(void)
{
	RUN(test_substitution);
	RUN(test_errors);
	RUN(test_merge);
	return DONE();
}
