/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kustomization file parsing: the strict decoding of kustomize's Go types,
 * FixKustomization's rewrites and the refusals.  Expectations follow
 * kubectl kustomize v1.32 (kustomize.md §1.0), whose messages are noted
 * where ours differ in wording.
 */
#include "kustomize/kustomization.h"

#include "ga/buf.h"
#include "ga/yaml.h"
#include "harness.h"
#include "util/alloc.h"

static ga_kust_file *parse_ok(const char *text)
{
	ga_kust_file *f = NULL;

	CHECK_OK(ga_kust__file_parse(&f, text, strlen(text), "k.yaml"));
	return f;
}

static void parse_err(const char *text, int code, const char *want)
{
	ga_kust_file *f = NULL;

	CHECK_ERR(ga_kust__file_parse(&f, text, strlen(text), "k.yaml"), code);
	CHECK(f == NULL);
	if (!strstr(ga_error_last()->message, want))
		printf("# message: %s\n# wanted:  %s\n",
		       ga_error_last()->message, want);
	CHECK(strstr(ga_error_last()->message, want) != NULL);
}

/* The normalised document, printed, for compact comparisons. */
static void check_doc(const char *text, const char *want)
{
	ga_kust_file *f = parse_ok(text);
	ga_buf out = GA_BUF_INIT(1 << 16);

	if (f) {
		CHECK_OK(ga_yaml_emit(&out, f->doc));
		CHECK_EQ_STR(ga_buf_cstr(&out), want);
	}
	ga_kust__file_free(f);
	ga_buf_dispose(&out);
}

static void test_full(void)
{
	ga_kust_file *f = parse_ok(
	    "apiVersion: kustomize.config.k8s.io/v1beta1\n"
	    "kind: Kustomization\n"
	    "metadata: {name: ignored, anything: [1]}\n"
	    "namespace: web\nnamePrefix: p-\nnameSuffix: -s\n"
	    "resources: [a.yaml, ../base]\ncomponents: [../c]\n"
	    "labels:\n- pairs: {app: x}\n  includeSelectors: true\n"
	    "  fields: [{kind: Deployment, path: spec/x, create: true}]\n"
	    "commonAnnotations: {team: a}\n"
	    "images: [{name: nginx, newTag: '1.25', digest: 'sha256:00'}]\n"
	    "replicas: [{name: web, count: 3}]\n"
	    "patches:\n- path: p.yaml\n  target: {kind: Deployment, "
	    "labelSelector: a=b}\n  options: {allowNameChange: true}\n"
	    "configMapGenerator:\n- name: cm\n  literals: [a=b]\n"
	    "  options: {disableNameSuffixHash: true}\n"
	    "secretGenerator:\n- {name: s, type: Opaque, files: [f]}\n"
	    "generatorOptions: {labels: {g: h}, immutable: true}\n"
	    "replacements:\n- source: {kind: ConfigMap, fieldPath: data.a}\n"
	    "  targets: [{select: {kind: Deployment}, fieldPaths: [x]}]\n"
	    "sortOptions: {order: legacy, legacySortOptions: "
	    "{orderFirst: [Namespace]}}\n"
	    "buildMetadata: [originAnnotations]\n"
	    "openapi: {version: v1.21.2}\n"
	    "crds: [crd.json]\nconfigurations: [c.yaml]\n"
	    "vars: [{name: V, objref: {kind: Service, name: s, "
	    "apiVersion: v1}, fieldref: {fieldPath: metadata.name}}]\n");

	if (!f)
		return;
	CHECK(!f->component);
	CHECK_EQ_STR(ga_kust__file_str(f, "namespace"), "web");
	CHECK_EQ_STR(ga_kust__file_str(f, "missing"), "");
	CHECK_EQ_INT(ga_node_count(ga_kust__file_list(f, "resources")), 2);
	CHECK_EQ_INT(ga_node_int(ga_node_map_get(
	                 ga_node_list_get(ga_kust__file_list(f, "replicas"), 0),
	                 "count")),
	             3);
	ga_kust__file_free(f);
}

static void test_keys_fold_case_and_last_wins(void)
{
	/* kubectl: NAMEPREFIX then nameprefix gives q-. */
	check_doc("resources: [a]\nNAMEPREFIX: p-\nnameprefix: q-\n",
	          "namePrefix: q-\nresources:\n- a\n");
	check_doc("namePrefix: a\nnamePrefix: b\n", "namePrefix: b\n");
	/* An exact spelling and a folded one name the same field. */
	check_doc("ResourceS: [x]\nimages: [{NAME: nx, newtag: t}]\n",
	          "images:\n- name: nx\n  newTag: t\nresources:\n- x\n");
}

static void test_unknown_fields(void)
{
	/* kubectl: invalid Kustomization: json: unknown field "resourcez" */
	parse_err("resources: [a]\nresourcez: [b]\n", GA_EINVALID,
	          "k.yaml: line 2 column 1: unknown field \"resourcez\" (in "
	          "Kustomization)");
	parse_err("images:\n- name: a\n  newtag2: b\n", GA_EINVALID,
	          "line 3 column 3: unknown field \"newtag2\" at images[0] "
	          "(in Image)");
}

static void test_types(void)
{
	/* kubectl: cannot unmarshal number into Go struct field
	 * Kustomization.namespace of type string */
	parse_err("namespace: 1234\n", GA_EINVALID,
	          "k.yaml: line 1 column 12: namespace: expected a string, "
	          "found an int");
	/* kubectl: cannot unmarshal number 1.5 into ... count of type int64 */
	parse_err("replicas: [{name: a, count: 1.5}]\n", GA_EINVALID,
	          "replicas[0].count: expected an integer, found a float");
	parse_err("images: [{name: a, newTag: 1.10}]\n", GA_EINVALID,
	          "images[0].newTag: expected a string, found a float");
	parse_err("patches: [{path: p, options: {allowNameChange: 1}}]\n",
	          GA_EINVALID,
	          "patches[0].options.allowNameChange: expected a boolean");
	parse_err("resources: a.yaml\n", GA_EINVALID,
	          "resources: expected a list, found a string");
	parse_err("commonLabels: [a]\n", GA_EINVALID,
	          "commonLabels: expected a map, found a list");
	parse_err("commonLabels: {a: {b: c}}\n", GA_EINVALID,
	          "commonLabels.a: expected a string, found a map");
	/* YAML 1.1, as kustomize reads these files: yes/on/y are booleans,
	 * as values and as keys, unless quoted; a bool or integer key becomes
	 * its JSON text (sigs.k8s.io/yaml), the last of equal keys wins, and
	 * null or float keys are refused. */
	parse_err("commonLabels: {a: yes}\n", GA_EINVALID,
	          "commonLabels.a: expected a string, found a bool");
	check_doc("commonAnnotations: {y: b, n: c, 0x1F: d, yes: e}\n",
	          "commonAnnotations:\n  \"31\": d\n  \"false\": c\n"
	          "  \"true\": e\n");
	parse_err("commonAnnotations: {~: b}\n", GA_EINVALID,
	          "mapping key of type null is not a string");
	parse_err("commonAnnotations: {1.5: b}\n", GA_EINVALID,
	          "mapping key of type float is not a string");
	parse_err("yes: [a]\n", GA_EINVALID, "true");
	check_doc("commonLabels: {a: 'yes', 'on': b}\n"
	          "labels: [{pairs: {c: d}, includeSelectors: on}]\n",
	          "commonLabels:\n  a: \"yes\"\n  \"on\": b\nlabels:\n"
	          "- includeSelectors: true\n  pairs:\n    c: d\n");
	parse_err("- a\n", GA_EINVALID,
	          "k.yaml: expected a map of kustomization fields");
}

static void test_lenient_values(void)
{
	/* goyaml.v2 booleans, integral floats, nulls (kubectl accepts). */
	check_doc("generatorOptions: {disableNameSuffixHash: yes}\n"
	          "replicas: [{name: a, count: 2.0}]\nnamespace: null\n"
	          "images: null\n",
	          "generatorOptions:\n  disableNameSuffixHash: true\n"
	          "replicas:\n- count: 2\n  name: a\n");
	check_doc("resources: [a, null]\n", "resources:\n- a\n- \"\"\n");
}

static void test_empty(void)
{
	parse_err("", GA_EINVALID, "k.yaml: kustomization is empty");
	parse_err("# just a comment\n", GA_EINVALID, "kustomization is empty");
	/* Empty comes before the kind check, as in kustomize. */
	parse_err("apiVersion: nonsense/v9\nkind: Kustomization\n", GA_EINVALID,
	          "kustomization is empty");
	parse_err("a: 1\n---\nb: 2\n", GA_EINVALID,
	          "more than one YAML document");
}

static void test_kind(void)
{
	ga_kust_file *f = parse_ok("apiVersion: kustomize.config.k8s.io/"
	                           "v1alpha1\nkind: Component\n"
	                           "resources: [a]\n");

	CHECK(f && f->component);
	ga_kust__file_free(f);
	/* The kind defaults from the apiVersion, and the reverse. */
	f = parse_ok("apiVersion: kustomize.config.k8s.io/v1alpha1\n"
	             "resources: [a]\n");
	CHECK(f && f->component);
	ga_kust__file_free(f);
	parse_err("kind: Deployment\nresources: [a]\n", GA_EINVALID,
	          "kind: expected Kustomization or Component, found "
	          "\"Deployment\"");
	parse_err("apiVersion: kustomize.config.k8s.io/v1beta1\n"
	          "kind: Component\nresources: [a]\n",
	          GA_EINVALID,
	          "apiVersion \"kustomize.config.k8s.io/v1beta1\" does not "
	          "match kind Component");
}

static void test_fix_deprecated(void)
{
	/* bases after resources, imageTags after images, env into envs. */
	check_doc("bases: [../b]\nresources: [r.yaml]\n"
	          "imageTags: [{name: x, newTag: '2'}]\n"
	          "images: [{name: z, newTag: '1'}]\n"
	          "configMapGenerator: [{name: c, env: e.env, envs: [f.env]}]\n"
	          "secretGenerator: [{name: s, env: s.env}]\n",
	          "configMapGenerator:\n- envs:\n  - f.env\n  - e.env\n"
	          "  name: c\nimages:\n- name: z\n  newTag: \"1\"\n"
	          "- name: x\n  newTag: \"2\"\nresources:\n- r.yaml\n- ../b\n"
	          "secretGenerator:\n- envs:\n  - s.env\n  name: s\n");
}

static void test_unsupported(void)
{
	parse_err("helmCharts: [{name: x}]\n", GA_EUNSUPPORTED,
	          "helmCharts: helm charts are not supported");
	parse_err("validators: [v.yaml]\n", GA_EUNSUPPORTED,
	          "validators: validator plugins are not supported");
	/* Builtin plugin configurations are read at build time. */
	ga_kust__file_free(parse_ok("transformers: [t.yaml]\n"
	                            "generators: ['kind: x']\n"));
	/* kubectl reads a custom schema; we refuse it rather than ignore
	 * it (the version it has built in is ours too). */
	parse_err("openapi: {path: schema.json}\n", GA_EUNSUPPORTED,
	          "openapi.path: custom OpenAPI schemas are not supported");
	parse_err("openapi: {version: v1.29.0}\n", GA_EINVALID,
	          "the specified OpenAPI version is not built in");
}

static void test_oom_walk(void)
{
	const char *text = "resources: [a, b]\nbases: [c]\n"
	                   "configMapGenerator: [{name: c, env: e}]\n"
	                   "images: [{name: x}]\nimageTags: [{name: w}]\n";
	ga_kust_file *f = NULL;
	int err;

	for (unsigned long k = 1;; k++) {
		ga_alloc__fail_after(k, false);
		err = ga_kust__file_parse(&f, text, strlen(text), "k.yaml");
		ga_alloc__fail_after(0, false);
		if (!err)
			break;
		CHECK_EQ_INT(err, GA_ENOMEM);
	}
	CHECK_EQ_INT(ga_node_count(ga_kust__file_list(f, "resources")), 3);
	ga_kust__file_free(f);
}

int main(void)
{
	RUN(test_full);
	RUN(test_keys_fold_case_and_last_wins);
	RUN(test_unknown_fields);
	RUN(test_types);
	RUN(test_lenient_values);
	RUN(test_empty);
	RUN(test_kind);
	RUN(test_fix_deprecated);
	RUN(test_unsupported);
	RUN(test_oom_walk);
	return DONE();
}
