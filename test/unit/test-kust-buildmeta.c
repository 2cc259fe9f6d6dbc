/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buildMetadata pieces on their own: which options a list turns on, the
 * annotation texts kustomize writes, how it reads back texts it did not
 * write, and the annotations stripped or refused.  Expected texts were
 * measured with kubectl kustomize v1.32.4 (kustomize.md §1.16).
 */
#include "kustomize/buildmeta.h"

#include "ga/buf.h"
#include "ga/yaml.h"
#include "harness.h"
#include "util/alloc.h"

static ga_node *parse(const char *text)
{
	ga_node *docs = NULL, *doc = NULL;

	CHECK_OK(ga_yaml_parse(&docs, text, strlen(text), "t.yaml", NULL));
	if (docs && ga_node_count(docs))
		doc = ga_node_list_remove(docs, 0);
	ga_node_free(docs);
	return doc;
}

static unsigned flags_of(const char *text)
{
	ga_node *doc = parse(text);
	unsigned f = ga_kust__meta_flags(doc);

	ga_node_free(doc);
	return f;
}

static void test_flags(void)
{
	CHECK_EQ_INT(flags_of("resources: []\n"), 0);
	CHECK_EQ_INT(flags_of("buildMetadata: []\n"), 0);
	CHECK_EQ_INT(flags_of("buildMetadata: null\n"), 0);
	/* Unknown entries still make kustomize track origins. */
	CHECK_EQ_INT(flags_of("buildMetadata: [foo]\n"), GA_KUST_META_TRACK);
	CHECK_EQ_INT(flags_of("buildMetadata: [managedByLabel, "
	                      "originAnnotations, OriginAnnotations]\n"),
	             GA_KUST_META_TRACK | GA_KUST_META_MANAGED |
	                 GA_KUST_META_ORIGIN);
	CHECK_EQ_INT(flags_of("buildMetadata: [transformerAnnotations]\n"),
	             GA_KUST_META_TRACK | GA_KUST_META_TRANSFORMS);
}

static void test_texts(void)
{
	ga_buf b = GA_BUF_INIT(1 << 16);

	CHECK_OK(ga_kust__meta_file_origin(&b, "base/dep.yaml"));
	CHECK_EQ_STR(ga_buf_cstr(&b), "path: base/dep.yaml\n");
	ga_buf_clear(&b);
	/* Quoted as goyaml.v3 quotes; never folded. */
	CHECK_OK(ga_kust__meta_file_origin(&b, "123"));
	CHECK_EQ_STR(ga_buf_cstr(&b), "path: \"123\"\n");
	ga_buf_clear(&b);
	CHECK_OK(ga_kust__meta_file_origin(&b, "a: b.yaml"));
	CHECK_EQ_STR(ga_buf_cstr(&b), "path: 'a: b.yaml'\n");
	ga_buf_clear(&b);
	CHECK_OK(ga_kust__meta_builtin_origin(&b, "../base/Kustomization",
	                                      "SecretGenerator"));
	CHECK_EQ_STR(ga_buf_cstr(&b), "configuredIn: ../base/Kustomization\n"
	                              "configuredBy:\n"
	                              "  apiVersion: builtin\n"
	                              "  kind: SecretGenerator\n");
	ga_buf_dispose(&b);
}

static ga_kust_res *res_of(const char *text)
{
	static ga_kust_res r;

	memset(&r, 0, sizeof(r));
	r.obj = parse(text);
	r.origin = (char *)"t.yaml";
	return &r;
}

static void reread(const char *value, const char *want)
{
	ga_kust_res *r = res_of("kind: ConfigMap\nmetadata: {name: x}\n");
	ga_node *v = NULL;
	ga_buf b = GA_BUF_INIT(1 << 16);

	CHECK_OK(ga_node_new_string(&v, value, strlen(value)));
	if (want) {
		CHECK_OK(ga_kust__meta_reread_origin(r, v, &b));
		CHECK_EQ_STR(ga_buf_cstr(&b), want);
	} else {
		CHECK_ERR(ga_kust__meta_reread_origin(r, v, &b), GA_EINVALID);
	}
	ga_node_free(v);
	ga_node_free(r->obj);
	ga_buf_dispose(&b);
}

/* Origins as kustomize decodes them into its struct and writes them back. */
static void test_reread_origin(void)
{
	reread("path: a.yaml\n", "path: a.yaml\n");
	reread("", "{}\n");
	reread("Path: x\nextra: 1\nref: ''\n", "path: x\n");
	reread("configuredBy: {Kind: K, name: ''}\nconfiguredIn: k.yaml",
	       "configuredIn: k.yaml\nconfiguredBy:\n  kind: K\n");
	reread("path: 'yes'\n", "path: \"yes\"\n");
	reread("handmade, read: as a map", "{}\n");
	reread("handmade", NULL);
	reread("path: yes\n", NULL); /* goyaml.v2: a bool */
	reread("path: 1\n", NULL);
	reread("configuredBy: [a]\n", NULL);
	reread("- path: a\n", NULL);
}

static void test_record(void)
{
	ga_kust_res *r = res_of("kind: ConfigMap\nmetadata:\n  name: x\n"
	                        "  annotations: null\n");
	ga_kust_resmap m = {0};
	ga_kust_res *v[1] = {r};
	const ga_node *t;

	m.v = v;
	m.n = 1;
	/* No origin yet: the first instance becomes it. */
	CHECK_OK(ga_kust__meta_record(&m, "k.yaml", "LabelTransformer", 2));
	CHECK(ga_kust__meta_ours(
	    ga_kust__meta_anno(r->obj, GA_KUST_ANNO_ORIGIN), r->meta_origin));
	CHECK_OK(ga_kust__meta_record(&m, "k.yaml", "ImageTagTransformer", 1));
	t = ga_kust__meta_anno(r->obj, GA_KUST_ANNO_TRANSFORMS);
	CHECK(t != NULL);
	CHECK_EQ_STR(ga_node_str(t), "- configuredIn: k.yaml\n"
	                             "  configuredBy:\n"
	                             "    apiVersion: builtin\n"
	                             "    kind: LabelTransformer\n"
	                             "- configuredIn: k.yaml\n"
	                             "  configuredBy:\n"
	                             "    apiVersion: builtin\n"
	                             "    kind: ImageTagTransformer\n");
	CHECK_OK(ga_kust__meta_record(&m, "k.yaml", "X", 0));
	ga_node_free(r->obj);
	ga_free(r->meta_origin);
	ga_free(r->meta_trans);
}

/* The build annotations kustomize acts on, taken from an input object. */
static void check_take_input(void)
{
	ga_kust_res r = {0};
	const ga_node *ann;

	r.obj = parse("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
	              "  name: web\n  annotations:\n"
	              "    internal.config.kubernetes.io/other: x\n"
	              "    internal.config.kubernetes.io/needsHashSuffix: "
	              "enabled\n"
	              "    internal.config.kubernetes.io/previousNames: a,b\n"
	              "    internal.config.kubernetes.io/previousKinds: "
	              "Foo,Deployment\n"
	              "    internal.config.kubernetes.io/previousNamespaces: "
	              "x,\n"
	              "    internal.config.kubernetes.io/prefixes: p1-,p2-\n"
	              "    internal.config.kubernetes.io/refBy: y\n");
	CHECK_OK(ga_kust__meta_take_input(&r, "t.yaml"));
	CHECK(r.needs_hash);
	CHECK_EQ_INT(r.nprev, 2);
	if (r.nprev == 2) {
		CHECK_EQ_STR(r.prev[0].name, "a");
		CHECK_EQ_STR(r.prev[0].kind, "Foo");
		CHECK_EQ_STR(r.prev[0].ns, "x");
		CHECK_EQ_STR(r.prev[0].api_version, "apps/v1");
		CHECK_EQ_STR(r.prev[1].name, "b");
		CHECK_EQ_STR(r.prev[1].ns, "");
	}
	/* The stack holds the prefix applied last first. */
	CHECK(r.prefixes && ga_node_count(r.prefixes) == 2);
	if (r.prefixes && ga_node_count(r.prefixes) == 2)
		CHECK_EQ_STR(ga_node_str(ga_node_list_get(r.prefixes, 0)),
		             "p2-");
	CHECK(!r.suffixes);
	ann =
	    ga_node_map_get(ga_node_map_get(r.obj, "metadata"), "annotations");
	CHECK_EQ_INT(ga_node_count(ann), 1);
	ga_node_free(r.obj);
	ga_node_free(r.prefixes);
	for (size_t i = 0; i < r.nprev; i++) {
		ga_free(r.prev[i].api_version);
		ga_free(r.prev[i].kind);
		ga_free(r.prev[i].name);
		ga_free(r.prev[i].ns);
	}
	ga_free(r.prev);

	/* Previous names without as many kinds: kubectl panics. */
	memset(&r, 0, sizeof(r));
	r.obj = parse("kind: ConfigMap\nmetadata:\n  annotations:\n"
	              "    internal.config.kubernetes.io/previousNames: a,b\n");
	CHECK_ERR(ga_kust__meta_take_input(&r, "t.yaml"), GA_EINVALID);
	ga_node_free(r.obj);
	ga_free(r.prev);
}

static void test_strip_and_check(void)
{
	ga_node *ann = parse("config.kubernetes.io/origin: a\n"
	                     "alpha.config.kubernetes.io/transformations: b\n"
	                     "config.kubernetes.io/index: '1'\n"
	                     "internal.config.kubernetes.io/seqindent: c\n"
	                     "internal.config.kubernetes.io/other: d\n");

	ga_kust__meta_strip(ann, GA_KUST_META_TRACK | GA_KUST_META_ORIGIN);
	CHECK_EQ_INT(ga_node_count(ann), 2);
	CHECK(ga_node_map_get(ann, "config.kubernetes.io/origin") != NULL);
	ga_kust__meta_strip(ann, 0);
	CHECK_EQ_INT(ga_node_count(ann), 1);
	ga_node_free(ann);

	check_take_input();
}

int main(void)
{
	RUN(test_flags);
	RUN(test_texts);
	RUN(test_reread_origin);
	RUN(test_record);
	RUN(test_strip_and_check);
	return DONE();
}
