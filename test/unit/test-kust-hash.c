/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kustomize's name-hash suffix (kustomize.md §2.9).  Every expected suffix
 * below was printed by kubectl v1.32.4 (kustomize v5.5.0) with
 *     kubectl kustomize DIR
 * on a kustomization.yaml holding the generator (and patch) quoted in the
 * comment; the object is what that generator (and patch) leaves for the
 * hasher: data values are strings, Secret data values base64 (lines of 70
 * characters, each ending in "\n", once the text is longer than that).
 */
#include "kustomize/hash.h"

#include <math.h>

#include "ga/json.h"
#include "ga/yaml.h"
#include "harness.h"
#include "util/alloc.h"

struct vector {
	const char *json; /* the object at hashing time */
	const char *want; /* kubectl's suffix */
};

static const struct vector given[] = {
    /* cm: literals [a=b] */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "cm\"},\"data\":{\"a\":\"b\"}}",
     "4h2mbtbbt6"},
    /* sec: literals [a=b] */
    {"{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"sec"
     "\"},\"data\":{\"a\":\"Yg==\"},\"type\":\"Opaque\"}",
     "k695gkmbtk"},
    /* FEATURE_X=on, LOG_LEVEL=info, MODE=prod (a merge's result) */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "prod-app-config\"},\"data\":{\"FEATURE_X\":\"on\",\"LOG_LEVEL\":\"in"
     "fo\",\"MODE\":\"prod\"}}",
     "bfdmbdh4cg"},
};

static const struct vector generated[] = {
    /* configMapGenerator: [{name: cm}]  (no data key at all) */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "cm\"}}",
     "6ct58987ht"},
    /* secretGenerator: [{name: sec}]  (data: {}) */
    {"{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"sec"
     "\"},\"data\":{},\"type\":\"Opaque\"}",
     "46f8b28mk5"},
    /* literals: ['html=<a href="x">&amp;</a>', 'cmp=1 < 2 && 3 > 2'] */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "cm\"},\"data\":{\"cmp\":\"1 < 2 && 3 > 2\",\"html\":\"<a href=\\\"x\\\">"
     "&amp;</a>\"}}",
     "kgbf9h2988"},
    /* literals: greet=h\u00e9llo w\u00f6rld ..., sep=a U+2028 b U+2029 c */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "cm\"},\"data\":{\"greet\":\"h\\u00e9llo w\\u00f6rld \\u2713 \\u65e5\\"
     "u672c\\u8a9e \\ud83d\\ude00\",\"sep\":\"a\\u2028b\\u2029c\"}}",
     "5f96k4mcdg"},
    /* files: [ctl.txt] holding \b \f \x01 \t \r " \\ \x7f \n (kubectl prints
     * the name in its error: yaml cannot print \x01) */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "cm\"},\"data\":{\"ctl.txt\":\"bs\\bff\\fone\\u0001tab\\tcr\\rq\\\"bs\\\\d"
     "el\\u007fend\\n\"}}",
     "7t67b5d9m9"},
    /* files: [ctl.txt, "k<U+2028>ey=ctl.txt"]: \b \f in values, U+2028 in a key
     */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "cm\"},\"data\":{\"ctl.txt\":\"bs\\bff\\ftab\\tcr\\rq\\\"bs\\\\end\\n\","
     "\"k\\"
     "u2028ey\":\"bs\\bff\\ftab\\tcr\\rq\\\"bs\\\\end\\n\"}}",
     "c85fchd45d"},
    /* files: [blob.bin] = ff fe 00 01 'binary' (not UTF-8: binaryData) */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "cm\"},\"binaryData\":{\"blob.bin\":\"//4AAWJpbmFyeQ==\"}}",
     "ggm585m8bh"},
    /* files: [all.bin (bytes 0..255), x.txt (200 x)], literals: [k=v];
     * base64 over 70 chars: every line ends in \n */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "cm\"},\"data\":{\"k\":\"v\",\"x.txt\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}"
     ",\"binaryData\":{\"all.bin\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYX"
     "GBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMz\\nQ1Njc4OTo7PD0+P0BB"
     "QkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdo\\naWpr"
     "bG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlp"
     "eYmZqbnJ\\n2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wM"
     "HCw8TFxsfIycrLzM3Oz9DR\\n0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp6u"
     "vs7e7v8PHy8/T19vf4+fr7/P3+/w==\\n\"}}",
     "564m6fddb8"},
    /* envs: [app.env]: BOM, comment, blank, '  SPACED=value with spaces  ',
     * QUOTED="quoted", EMPTY=, NOEQ, URL=http://x/?a=b&c=<d> */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "cm\"},\"data\":{\"EMPTY\":\"\",\"FIRST\":\"1\",\"NOEQ\":\"\",\"QUOTED\":"
     "\"\\\""
     "quoted\\\"\",\"SPACED\":\"value with spaces  \",\"URL\":\"http://x/?"
     "a=b&c=<d>\"}}",
     "kg9bdm6h75"},
    /* literals: [a="double quoted", b='single quoted', c=x=y=z,
     * "key with space=v", "bang!=v"] */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "cm\"},\"data\":{\"a\":\"double quoted\",\"b\":\"single quoted\",\"bang"
     "!\":\"v\",\"c\":\"x=y=z\",\"key with space\":\"v\"}}",
     "462bt5tk6g"},
    /* literals: [item9=a, item09=b, item10=c, _x=d, 1x=e, X=f, a=g, B=h] */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "cm\"},\"data\":{\"_x\":\"d\",\"1x\":\"e\",\"B\":\"h\",\"X\":\"f\",\"a\":"
     "\"g\",\"it"
     "em9\":\"a\",\"item09\":\"b\",\"item10\":\"c\"}}",
     "82b6mkd8c9"},
    /* namePrefix, nameSuffix, namespace, commonLabels, options labels,
     * annotations, immutable: none of them counts */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "pre-cm-suf\",\"namespace\":\"ns1\",\"labels\":{\"app\":\"x\",\"l\":\"v\"}"
     ",\"annotations\":{\"an\":\"v\"}},\"data\":{\"a\":\"b\"},\"immutable\":tr"
     "ue}",
     "4h2mbtbbt6"},
};

static const struct vector secrets[] = {
    /* literals: [pw=<77 bytes>, u=admin]: wrapped base64, trailing \n */
    {"{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"lon"
     "g\"},\"data\":{\"pw\":\"dGhpcyBpcyBhIGxvbmcgc2VjcmV0IHZhbHVlIHRo"
     "YXQgd2lsbCBiZSB3cmFwcGVkIGluIG\\nJhc2U2NCBhdCBzZXZlbnR5IGNo"
     "YXJz\\n\",\"u\":\"YWRtaW4=\"},\"type\":\"Opaque\"}",
     "tt75c44755"},
    /* type: kubernetes.io/basic-auth, literals: [username=admin,
     * password=s3cr3t] */
    {"{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"typ"
     "ed\"},\"data\":{\"password\":\"czNjcjN0\",\"username\":\"YWRtaW4=\"},"
     "\"type\":\"kubernetes.io/basic-auth\"}",
     "44t89c8h7g"},
    /* type: kubernetes.io/tls, files: [tls.crt, tls.key] (PEM-shaped text) */
    {"{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"tls"
     "\"},\"data\":{\"tls.crt\":\"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t"
     "Ck1JSUJmYWtlCi0tLS0tRU5EIENFUlRJRk\\nlDQVRFLS0tLS0K\\n\",\"tls"
     ".key\":\"LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUVmYWtlCi0"
     "tLS0tRU5EIFBSSVZBVE\\nUgS0VZLS0tLS0K\\n\"},\"type\":\"kubernetes"
     ".io/tls\"}",
     "7dd2gcdkkk"},
    /* a=b, JSON 6902: add /stringData {plain: "<text>"}, remove /type */
    {"{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"sec"
     "\"},\"data\":{\"a\":\"Yg==\"},\"stringData\":{\"plain\":\"<text>\"}}",
     "gb5g82f2f7"},
    /* a=b, JSON 6902: replace /type with {k: v} (a map is hashed as one) */
    {"{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s1\""
     "},\"data\":{\"a\":\"Yg==\"},\"type\":{\"k\":\"v\"}}",
     "5h849h4mh9"},
    /* a=b, JSON 6902: replace /type with 7 (a scalar's text: "7") */
    {"{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s2\""
     "},\"data\":{\"a\":\"Yg==\"},\"type\":7}",
     "8hhb576h47"},
    /* a=b, JSON 6902: add /stringData [1] (a list: "stringData":null) */
    {"{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s3\""
     "},\"data\":{\"a\":\"Yg==\"},\"type\":\"Opaque\",\"stringData\":[1]}",
     "hhbcg9d227"},
};

static const struct vector patched[] = {
    /* a=b, then a strategic merge patch adding data n: 1, f: 1.5, t: true,
     * big: 12345678901234567890, s: "2", l: [1, x] (numbers as float64) */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "cm\"},\"data\":{\"a\":\"b\",\"big\":12345678901234567890,\"f\":1.5,\"l"
     "\":[1,\"x\"],\"n\":1,\"s\":\"2\",\"t\":true}}",
     "mfm2f4b67k"},
    /* a=b, JSON 6902: replace /data with "just a string" */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "cm\"},\"data\":\"just a string\"}",
     "gd96d77kc2"},
    /* a=b, JSON 6902: add /binaryData "notamap" (ignored) */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "cm2\"},\"data\":{\"a\":\"b\"},\"binaryData\":\"notamap\"}",
     "4h2mbtbbt6"},
    /* a=b, JSON 6902: replace /data with [1, 2] (a list: "data":null) */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "cm3\"},\"data\":[1,2]}",
     "dk855m5d49"},
    /* a=b, JSON 6902: replace /data with 5 */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "c1\"},\"data\":5}",
     "k96ckh9tdm"},
    /* a=b, JSON 6902: replace /data with null (text "null") */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "c2\"},\"data\":null}",
     "g886t7dd28"},
    /* a=b, JSON 6902: replace /data with 1.50 (text "1.5") */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "c3\"},\"data\":1.5}",
     "mb6fbdk7gg"},
    /* a=b, JSON 6902: add /binaryData [1], /data/z null,
     * /data/d {y: 2, x: [true, {b: 1e21, a: 0.000001}]} */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "c4\"},\"data\":{\"a\":\"b\",\"d\":{\"x\":[true,{\"a\":1e-06,\"b\":1e+21}]"
     ",\"y\":2},\"z\":null},\"binaryData\":[1]}",
     "d4d8b4bf46"},
    /* a=b, JSON 6902: add /metadata~1name "x" (the one key the hasher
     * reads as the name) */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "cm\"},\"data\":{\"a\":\"b\"},\"metadata/name\":\"x\"}",
     "64686gkt6c"},
    /* base: literals [s=x] + patch data n: 1, f: 2.50 (numbers stay numbers) */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "cm\"},\"data\":{\"f\":2.5,\"n\":1,\"s\":\"x\"}}",
     "g8dc8fm8d7"},
    /* overlay of that base: behavior: merge, literals [a=b]; the merge turns
     * the base's values into strings with their YAML text */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "cm\"},\"data\":{\"a\":\"b\",\"f\":\"2.50\",\"n\":\"1\",\"s\":\"x\"}}",
     "g44mm7962d"},
    /* overlay of that base: behavior: replace, literals [r=1] */
    {"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
     "cm\"},\"data\":{\"r\":\"1\"}}",
     "4ggmdm92bt"},
};

static ga_node *parse_json(const char *text)
{
	ga_node *n = NULL;

	CHECK_OK(ga_json_parse(&n, text, strlen(text), "vector.json"));
	return n;
}

static void check_hash(const ga_node *obj, const char *want)
{
	char out[GA_KUST_HASH_LEN + 1] = "unset";

	CHECK_OK(ga_kust__name_hash(out, obj));
	CHECK_EQ_STR(out, want);
}

static void check_vectors(const struct vector *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		ga_node *obj = parse_json(v[i].json);

		if (obj)
			check_hash(obj, v[i].want);
		ga_node_free(obj);
	}
}

#define CHECK_VECTORS(v) check_vectors((v), sizeof(v) / sizeof((v)[0]))

/* The values kustomize.md §2.9 records whose inputs it records too. */
static void test_reference(void)
{
	CHECK_VECTORS(given);
}

static void test_generated(void)
{
	CHECK_VECTORS(generated);
}

static void test_secrets(void)
{
	CHECK_VECTORS(secrets);
}

static void test_patched(void)
{
	CHECK_VECTORS(patched);
}

/*
 * Scalars as the YAML reader resolves them, as kyaml's hasher sees them:
 *   configMapGenerator: [{name: c5, literals: [a=b]}]
 *   patches: [{target: {name: c5}, patch: <this document>}]
 */
static void test_yaml_scalars(void)
{
	static const char doc[] = "apiVersion: v1\n"
	                          "kind: ConfigMap\n"
	                          "metadata: {name: c5}\n"
	                          "data:\n"
	                          "  a: b\n"
	                          "  ts: 2001-12-14\n"
	                          "  y: yes\n"
	                          "  o: 0o17\n"
	                          "  h: 0x1F\n"
	                          "  e: 1e3\n"
	                          "  f: 1.50\n";
	ga_node *docs = NULL;

	CHECK_OK(ga_yaml_parse(&docs, doc, strlen(doc), "c5.yaml", NULL));
	if (docs)
		check_hash(ga_node_list_get(docs, 0), "b8kgfd9gh8");
	ga_node_free(docs);
}

/*
 * 3000 literals kNNNN=value number N <&> (kNNNN zero-padded to 4 digits):
 * about 100 KiB of JSON, more than one chunk fed to SHA-256.
 */
static void test_many_keys(void)
{
	ga_node *obj = parse_json("{\"kind\":\"ConfigMap\",\"data\":{}}");
	ga_node *data = obj ? ga_node_map_get(obj, "data") : NULL;
	char key[16], value[64];

	for (int i = 0; data && i < 3000; i++) {
		ga_node *v = NULL;
		int n =
		    snprintf(value, sizeof(value), "value number %d <&>", i);

		(void)snprintf(key, sizeof(key), "k%04d", i);
		CHECK_OK(ga_node_new_string(&v, value, (size_t)n));
		CHECK_OK(ga_node_map_set_take(data, key, v));
	}
	if (obj)
		check_hash(obj, "5ftf88749c");
	ga_node_free(obj);
}

/*
 * Other kinds: kubectl hashes a dump of the goyaml.v3 yaml.Node (kinds,
 * styles, comments, lines and columns), which the node model cannot
 * give: refused, by kind.
 */
static void test_other_kinds(void)
{
	char out[GA_KUST_HASH_LEN + 1];
	ga_node *obj = parse_json(
	    "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{"
	    "\"name\":\"svc\"},\"spec\":{\"ports\":[{\"port\":80}]}}");

	if (obj) {
		CHECK_ERR(ga_kust__name_hash(out, obj), GA_EUNSUPPORTED);
		CHECK(strstr(ga_error_last()->message, "of a Service") != NULL);
	}
	ga_node_free(obj);
}

static void test_invalid(void)
{
	char out[GA_KUST_HASH_LEN + 1] = "unset";
	ga_node *obj = parse_json("[1]");
	ga_node *nan = parse_json("{\"kind\":\"ConfigMap\",\"data\":{}}");
	ga_node *deep = parse_json("{\"kind\":\"Secret\",\"data\":{}}");
	ga_node *f = NULL, *list = NULL;

	CHECK_ERR(ga_kust__name_hash(out, NULL), GA_EINVALID);
	CHECK_ERR(ga_kust__name_hash(out, obj), GA_EINVALID);
	CHECK(nan && deep);
	if (!nan || !deep)
		goto out;
	CHECK_OK(ga_node_new_float(&f, NAN));
	CHECK_OK(ga_node_map_set_take(ga_node_map_get(nan, "data"), "f", f));
	CHECK_ERR(ga_kust__name_hash(out, nan), GA_EINVALID);
	CHECK(strstr(ga_error_last()->message, "NaN") != NULL);
	for (int i = 0; i < 1100; i++) {
		ga_node *outer = NULL;
		CHECK_OK(ga_node_new_list(&outer));
		if (list)
			CHECK_OK(ga_node_list_append_take(outer, list));
		list = outer;
	}
	CHECK_OK(
	    ga_node_map_set_take(ga_node_map_get(deep, "data"), "l", list));
	CHECK_ERR(ga_kust__name_hash(out, deep), GA_ELIMIT);
	CHECK_EQ_STR(out, "unset");
out:
	ga_node_free(deep);
	ga_node_free(nan);
	ga_node_free(obj);
}

/* Fail each allocation in turn: GA_ENOMEM, @out untouched, no leak. */
static void test_alloc_failure(void)
{
	ga_node *obj = parse_json(generated[7].json);
	char out[GA_KUST_HASH_LEN + 1];
	int err = GA_ENOMEM;

	for (unsigned long n = 1; obj && err == GA_ENOMEM && n < 1000; n++) {
		(void)snprintf(out, sizeof(out), "unset");
		ga_alloc__fail_after(n, false);
		err = ga_kust__name_hash(out, obj);
		ga_alloc__fail_after(0, false);
		if (err == GA_ENOMEM)
			CHECK_EQ_STR(out, "unset");
	}
	CHECK_OK(err);
	CHECK_EQ_STR(out, generated[7].want);
	ga_node_free(obj);
}

int main(void)
{
	RUN(test_reference);
	RUN(test_generated);
	RUN(test_secrets);
	RUN(test_patched);
	RUN(test_yaml_scalars);
	RUN(test_many_keys);
	RUN(test_other_kinds);
	RUN(test_invalid);
	RUN(test_alloc_failure);
	return DONE();
}
