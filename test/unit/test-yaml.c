/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parser and emitter behaviour beyond the kubectl goldens: structure,
 * errors with positions, hostile-input limits, allocation failures.
 */
#include "ga/yaml.h"

#include "ga/buf.h"
#include "harness.h"
#include "util/alloc.h"

static ga_node *parse_ok(const char *text)
{
	ga_node *docs = NULL;

	CHECK_OK(ga_yaml_parse(&docs, text, strlen(text), "t.yaml", NULL));
	return docs;
}

static int parse_err(const char *text, const char *want_msg)
{
	ga_node *docs = NULL;
	int err = ga_yaml_parse(&docs, text, strlen(text), "t.yaml", NULL);

	CHECK(err < 0);
	CHECK(docs == NULL);
	if (!strstr(ga_error_last()->message, want_msg))
		printf("# message: %s\n# wanted:  %s\n",
		       ga_error_last()->message, want_msg);
	CHECK(strstr(ga_error_last()->message, want_msg) != NULL);
	return err;
}

/* Round trip through parse and emit. */
static void check_print(const char *in, const char *want)
{
	ga_buf out = GA_BUF_INIT(1 << 20);
	ga_node *docs = parse_ok(in);

	if (docs) {
		CHECK_OK(ga_yaml_emit_stream(&out, docs));
		CHECK_EQ_STR(ga_buf_cstr(&out), want);
	}
	ga_node_free(docs);
	ga_buf_dispose(&out);
}

static void test_documents(void)
{
	ga_node *docs = parse_ok("a: 1\n---\n---\nb: [x]\n...\n");

	CHECK_EQ_INT(ga_node_count(docs), 3);
	CHECK_EQ_INT(ga_node_type_of(ga_node_list_get(docs, 1)), GA_NODE_NULL);
	ga_node_free(docs);
	docs = parse_ok("# only a comment\n");
	CHECK_EQ_INT(ga_node_count(docs), 0);
	ga_node_free(docs);
	check_print("b: 2\na: 1\n---\n---\nc: {}\n",
	            "a: 1\nb: 2\n---\nc: {}\n");
}

static void test_positions(void)
{
	ga_node *docs = parse_ok("a:\n  b: [1,\n    x]\n");
	const ga_node *b = ga_node_map_get(ga_node_list_get(docs, 0), "a");
	uint32_t line, col;

	b = ga_node_map_get(b, "b");
	CHECK_EQ_INT(ga_node_line(b), 2);
	CHECK_EQ_INT(ga_node_col(b), 6);
	CHECK_EQ_INT(ga_node_line(ga_node_list_get(b, 1)), 3);
	CHECK_EQ_INT(ga_node_col(ga_node_list_get(b, 1)), 5);
	ga_node_map_key_pos(ga_node_list_get(docs, 0), 0, &line, &col);
	CHECK_EQ_INT(line, 1);
	CHECK_EQ_INT(col, 1);
	ga_node_free(docs);
}

static void test_syntax_errors(void)
{
	CHECK_ERR(parse_err("a: b: c\n", "t.yaml: line 1 column 5: mapping "
	                                 "values are not allowed"),
	          GA_EINVALID);
	CHECK_ERR(parse_err("a:\n  - x\n  y: 1\n", "t.yaml: line 3"),
	          GA_EINVALID);
	CHECK_ERR(parse_err("a: \"unterminated\n", "t.yaml: line 2"),
	          GA_EINVALID);
	CHECK_ERR(parse_err("a: \xff\n", "t.yaml: byte 3: invalid leading "
	                                 "UTF-8 octet"),
	          GA_EINVALID);
	CHECK_ERR(parse_err("a: *nope\n", "line 1 column 4: unknown anchor "
	                                  "'nope' referenced"),
	          GA_EINVALID);
}

static void test_keys(void)
{
	CHECK_ERR(parse_err("a: 1\nb: 2\na: 3\n",
	                    "t.yaml: line 3: mapping key \"a\" already "
	                    "defined at line 1"),
	          GA_EINVALID);
	CHECK_ERR(parse_err("1: a\n", "line 1 column 1: mapping key of type "
	                              "int is not a string"),
	          GA_EINVALID);
	CHECK_ERR(parse_err("? [a]\n: b\n", "invalid map key: a list"),
	          GA_EINVALID);
	/* Quoted keys that look like other types are strings. */
	check_print("\"1\": a\n'true': b\n", "\"1\": a\n\"true\": b\n");
}

static void test_anchors_and_merge(void)
{
	check_print("base: &b {x: 1, w: 2}\n"
	            "m:\n  <<: *b\n  w: 3\n"
	            "p:\n  w: 4\n  <<: [*b, {z: 5}]\n"
	            "l: &l [1, 2]\nl2: *l\n",
	            "base:\n  w: 2\n  x: 1\nl:\n- 1\n- 2\nl2:\n- 1\n- 2\n"
	            "m:\n  w: 3\n  x: 1\np:\n  w: 4\n  x: 1\n  z: 5\n");
	CHECK_ERR(parse_err("a: &a x\nb:\n  <<: *a\n",
	                    "map merge requires map or sequence of maps"),
	          GA_EINVALID);
	/* An anchor used before it is complete is unknown, not recursive. */
	CHECK_ERR(parse_err("a: &a [*a]\n", "unknown anchor 'a'"), GA_EINVALID);
}

/* goyaml's key order has cycles (key463 < key4key369 < key367 < key463);
 * our order must depend on the key set only, not on the input order. */
static void test_key_order_cycle(void)
{
	ga_buf a = GA_BUF_INIT(4096), b = GA_BUF_INIT(4096);
	ga_node *x = parse_ok("key463: 1\nkey4key369: 2\nkey367: 3\na9: 4\n"
	                      "a10: 5\na1b2: 6\n");
	ga_node *y = parse_ok("a1b2: 6\nkey367: 3\na10: 5\nkey4key369: 2\n"
	                      "a9: 4\nkey463: 1\n");

	CHECK_OK(ga_yaml_emit_stream(&a, x));
	CHECK_OK(ga_yaml_emit_stream(&b, y));
	CHECK_EQ_STR(ga_buf_cstr(&a), ga_buf_cstr(&b));
	ga_node_free(x);
	ga_node_free(y);
	ga_buf_dispose(&a);
	ga_buf_dispose(&b);
}

static void test_alias_bomb(void)
{
	const char *bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	                   "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	                   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	                   "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	                   "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
	                   "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
	                   "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
	                   "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
	                   "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
	unsigned long before = ga_alloc__count();

	CHECK_ERR(parse_err(bomb, "more than 1000000 nodes"), GA_ELIMIT);
	/* Refused before copying: far fewer allocations than the limit. */
	CHECK(ga_alloc__count() - before < 2500000);
}

static void test_depth_limit(void)
{
	ga_buf text = GA_BUF_INIT(1 << 20);
	ga_node *docs = NULL;

	for (int i = 0; i < 10000; i++)
		ga_buf_putc(&text, '[');
	CHECK_ERR(ga_yaml_parse(&docs, text.ptr, text.size, "deep.yaml", NULL),
	          GA_ELIMIT);
	CHECK(strstr(ga_error_last()->message,
	             "deep.yaml: line 1 column 257: nesting deeper than 256 "
	             "levels") != NULL);
	ga_buf_dispose(&text);
}

static void test_size_limit(void)
{
	ga_yaml_opts lim = GA_YAML_OPTS_INIT;
	ga_node *docs = NULL;

	lim.max_bytes = 10;
	CHECK_ERR(ga_yaml_parse(&docs, "a: 0123456789\n", 14, "big.yaml", &lim),
	          GA_ELIMIT);
	CHECK_EQ_STR(ga_error_last()->message,
	             "big.yaml: 14 bytes exceeds the limit of 10 bytes");
}

static void test_emit_refuses_nan(void)
{
	ga_buf out = GA_BUF_INIT(1024);
	ga_node *docs = parse_ok("a: .inf\n");

	CHECK_ERR(ga_yaml_emit_stream(&out, docs), GA_EINVALID);
	CHECK(strstr(ga_error_last()->message, "+Inf") != NULL);
	ga_node_free(docs);
	ga_buf_dispose(&out);
}

static void test_oom_walk(void)
{
	const char *text = "a: &x {b: [1, 2.5, \"s\"], c: !!binary aGk=}\n"
	                   "d: *x\ne:\n  <<: *x\n  f: null\n";
	ga_buf out = GA_BUF_INIT(1 << 16);
	ga_node *docs = NULL;
	int err;

	for (unsigned long k = 1;; k++) {
		ga_alloc__fail_after(k, false);
		err = ga_yaml_parse(&docs, text, strlen(text), "oom", NULL);
		if (!err) {
			err = ga_yaml_emit_stream(&out, docs);
			ga_node_free(docs);
			docs = NULL;
		}
		ga_alloc__fail_after(0, false);
		if (!err)
			break;
		ga_buf_clear(&out);
		CHECK_EQ_INT(err, GA_ENOMEM);
	}
	CHECK(out.size > 0);
	ga_buf_dispose(&out);
}

/* A resolved plain scalar keeps its spelling where the value does not
 * give it back; clones keep it too. */
static void test_source_text(void)
{
	static const struct {
		const char *key, *text;
	} want[] = {
	    {"a", "0x1F"}, {"b", NULL},   {"c", NULL},  {"d", "2001-12-14"},
	    {"e", "-0"},   {"f", "1.50"}, {"g", "~"},   {"h", NULL},
	    {"i", "True"}, {"j", NULL},   {"k", "+12"}, {"l", NULL},
	};
	ga_node *docs = parse_ok("a: 0x1F\nb: 3\nc: yes\nd: 2001-12-14\n"
	                         "e: -0\nf: 1.50\ng: ~\nh: null\ni: True\n"
	                         "j: true\nk: +12\nl: '0x1F'\n");
	const ga_node *doc = docs ? ga_node_list_get(docs, 0) : NULL;
	ga_node *copy = NULL;

	for (size_t i = 0; doc && i < sizeof(want) / sizeof(*want); i++) {
		const char *got =
		    ga_node_source_text(ga_node_map_get(doc, want[i].key));

		CHECK(!got == !want[i].text);
		CHECK(!got || strcmp(got, want[i].text) == 0);
	}
	CHECK_OK(ga_node_clone(&copy, doc));
	CHECK(copy && strcmp(ga_node_source_text(ga_node_map_get(copy, "a")),
	                     "0x1F") == 0);
	CHECK_ERR(ga_node_set_source_text(copy, "x", 1), GA_EINVALID);
	ga_node_free(copy);
	ga_node_free(docs);
}

/* kyaml's own encoder: map order kept, long plain lines not folded. */
static void test_emit_ordered(void)
{
	const char *text = "z: 1\na: [x, 'yes']\nlong: one two three four five "
	                   "six seven eight nine ten eleven twelve thirteen "
	                   "fourteen fifteen sixteen seventeen\n";
	ga_node *docs = NULL;
	ga_buf out = GA_BUF_INIT(1 << 16);

	CHECK_OK(ga_yaml_parse(&docs, text, strlen(text), "t", NULL));
	CHECK_OK(ga_yaml_emit_ordered(&out, ga_node_list_get(docs, 0)));
	CHECK_EQ_STR(ga_buf_cstr(&out),
	             "z: 1\na:\n- x\n- \"yes\"\nlong: one two three four "
	             "five six seven eight nine ten eleven twelve thirteen "
	             "fourteen fifteen sixteen seventeen\n");
	ga_buf_clear(&out);
	CHECK_OK(ga_yaml_emit(&out, ga_node_list_get(docs, 0)));
	CHECK(strncmp(ga_buf_cstr(&out), "a:", 2) == 0);
	/* ga_yaml_emit() folds the same line past column 80. */
	CHECK(strstr(ga_buf_cstr(&out), "one two three") != NULL);
	CHECK(strstr(ga_buf_cstr(&out), "fifteen sixteen seventeen") == NULL ||
	      strstr(ga_buf_cstr(&out), "one two three four five six seven "
	                                "eight nine ten eleven twelve "
	                                "thirteen fourteen fifteen") == NULL);
	ga_node_free(docs);
	ga_buf_dispose(&out);
}

int main(void)
{
	RUN(test_documents);
	RUN(test_positions);
	RUN(test_syntax_errors);
	RUN(test_keys);
	RUN(test_anchors_and_merge);
	RUN(test_key_order_cycle);
	RUN(test_alias_bomb);
	RUN(test_depth_limit);
	RUN(test_size_limit);
	RUN(test_emit_refuses_nan);
	RUN(test_oom_walk);
	RUN(test_source_text);
	RUN(test_emit_ordered);
	return DONE();
}
