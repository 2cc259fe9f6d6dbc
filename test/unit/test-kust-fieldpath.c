/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Field paths of replacements and vars: how each spelling splits, and
 * what the steps find in an object.
 */
#include "kustomize/fieldpath.h"

#include <stdlib.h>

#include "ga/yaml.h"
#include "harness.h"
#include "util/alloc.h"

static ga_node *doc(const char *yaml)
{
	ga_node *docs = NULL, *m = NULL;

	CHECK_OK(ga_yaml_parse(&docs, yaml, strlen(yaml), "doc", NULL));
	if (docs && ga_node_count(docs))
		CHECK_OK(ga_node_clone(&m, ga_node_list_get(docs, 0)));
	ga_node_free(docs);
	return m;
}

static const char *const obj = "spec:\n"
                               "  ports:\n"
                               "  - {name: http, port: 8080}\n"
                               "  - {name: admin, port: 9090}\n"
                               "  args: [--a, --b]\n"
                               "  a[k=v]: odd key\n"
                               "  x.y: dotted\n";

/* What the var path @path finds in obj, as text ("" when nothing). */
static void check_var(const char *path, const char *want)
{
	ga_kust_pathseg *segs = ga_calloc(GA_KUST_PATH_SEGS, sizeof(*segs));
	ga_node *o = doc(obj);
	const ga_node *got;
	size_t n = 0;

	CHECK_OK(ga_kust__fieldpath_parse_var(segs, &n, path));
	got = ga_kust__fieldpath_get(o, segs, n);
	if (!*want) {
		CHECK(got == NULL);
	} else if (got && ga_node_type_of(got) == GA_NODE_INT) {
		CHECK_EQ_INT(ga_node_int(got), strtoll(want, NULL, 10));
	} else {
		CHECK(got && ga_node_str(got));
		if (got && ga_node_str(got))
			CHECK_EQ_STR(ga_node_str(got), want);
	}
	ga_node_free(o);
	ga_free(segs);
}

static void test_var_paths(void)
{
	check_var("spec.ports[0].port", "8080");
	check_var("spec.ports.1.name", "admin");
	check_var("spec.ports.[name=admin].port", "9090");
	check_var("spec.ports.[port=9090].name", "admin");
	check_var("spec.args.[=--b]", "--b");
	check_var("spec.args.-", "--b");
	check_var(".spec..args[0]", "--a");
	/* kyaml reads "a[k=v]" as one key, and splits on every dot. */
	check_var("spec.a[k=v]", "odd key");
	check_var("spec.ports[name=http].port", "");
	check_var("spec.x.y", "");
	check_var("spec.ports[2].port", "");
	check_var("spec.ports.*.port", "");
	check_var("spec.args.0.x", "");
}

static void test_replacement_paths(void)
{
	ga_kust_pathseg *segs = ga_calloc(GA_KUST_PATH_SEGS, sizeof(*segs));
	ga_node *o = doc(obj);
	const ga_node *got;
	size_t n = 0;

	CHECK_OK(
	    ga_kust__fieldpath_parse(segs, &n, "spec.ports[name=admin].port"));
	CHECK_EQ_INT(n, 4);
	got = ga_kust__fieldpath_get(o, segs, n);
	CHECK(got && ga_node_int(got) == 9090);
	CHECK_OK(ga_kust__fieldpath_parse(segs, &n, "spec.[x.y]"));
	CHECK_EQ_INT(n, 2);
	got = ga_kust__fieldpath_get(o, segs, n);
	CHECK(got && ga_node_str(got) &&
	      strcmp(ga_node_str(got), "dotted") == 0);
	CHECK_OK(ga_kust__fieldpath_parse(segs, &n, "spec.ports.*.port"));
	CHECK(segs[2].star);
	CHECK_ERR(ga_kust__fieldpath_parse(segs, &n, "spec.[unclosed"),
	          GA_EINVALID);
	CHECK_ERR(ga_kust__fieldpath_parse(segs, &n, ""), GA_EINVALID);
	ga_node_free(o);
	ga_free(segs);
}

int main(void)
{
	RUN(test_var_paths);
	RUN(test_replacement_paths);
	return DONE();
}
