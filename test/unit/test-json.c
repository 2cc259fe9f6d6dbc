/* SPDX-License-Identifier: Apache-2.0 */
#include "ga/json.h"

#include "ga/buf.h"
#include "harness.h"
#include "util/alloc.h"

static ga_node *parse(const char *text)
{
	ga_node *n = NULL;

	CHECK_OK(ga_json_parse(&n, text, strlen(text), "test.json"));
	return n;
}

static void check_emit(const char *in, unsigned flags, const char *want)
{
	ga_buf out = GA_BUF_INIT(1 << 20);
	ga_node *n = parse(in);

	if (n) {
		CHECK_OK(ga_json_emit(&out, n, flags));
		CHECK_EQ_STR(ga_buf_cstr(&out), want);
	}
	ga_node_free(n);
	ga_buf_dispose(&out);
}

static void test_round_trip(void)
{
	check_emit("{\"b\":1,\"a\":[true,false,null,\"x\"],\"c\":{}}", 0,
	           "{\"b\":1,\"a\":[true,false,null,\"x\"],\"c\":{}}");
	check_emit("{\"b\":1,\"a\":2,\"B\":3}", GA_JSON_SORT_KEYS,
	           "{\"B\":3,\"a\":2,\"b\":1}");
	check_emit("{\"a\":[1,{\"b\":[]}],\"e\":{}}", GA_JSON_INDENT,
	           "{\n  \"a\": [\n    1,\n    {\n      \"b\": []\n    }\n"
	           "  ],\n  \"e\": {}\n}");
	check_emit("-9223372036854775808", 0, "-9223372036854775808");
}

static void test_types(void)
{
	ga_node *n =
	    parse("{\"i\":3,\"f\":2.5,\"s\":\"a\\u0000b\",\"n\":null}");

	CHECK_EQ_INT(ga_node_type_of(ga_node_map_get(n, "i")), GA_NODE_INT);
	CHECK_EQ_INT(ga_node_type_of(ga_node_map_get(n, "f")), GA_NODE_FLOAT);
	CHECK_EQ_INT(ga_node_str_len(ga_node_map_get(n, "s")), 3);
	CHECK_EQ_INT(ga_node_type_of(ga_node_map_get(n, "n")), GA_NODE_NULL);
	/* Insertion order is kept. */
	CHECK_EQ_STR(ga_node_map_key(n, 0, NULL), "i");
	CHECK_EQ_STR(ga_node_map_key(n, 3, NULL), "n");
	ga_node_free(n);
}

static void test_floats_like_go(void)
{
	check_emit("[1.5, 1e21, 1e20, 0.000001, 0.0000001, 100.0, -0.0, 1e-7]",
	           0,
	           "[1.5,1e+21,100000000000000000000,0.000001,1e-7,100,-0,"
	           "1e-7]");
}

/* Go prints integral floats beyond int64 as bare digits; we read them back
 * as floats, as Go does, instead of refusing them. */
static void test_big_integers(void)
{
	ga_node *n = parse("[151100000000000000000, -99999999999999999999, "
	                   "9223372036854775807]");

	CHECK_EQ_INT(ga_node_type_of(ga_node_list_get(n, 0)), GA_NODE_FLOAT);
	CHECK(ga_node_float(ga_node_list_get(n, 0)) == 1.511e20);
	CHECK(ga_node_float(ga_node_list_get(n, 1)) == -1e20);
	CHECK_EQ_INT(ga_node_type_of(ga_node_list_get(n, 2)), GA_NODE_INT);
	CHECK(ga_node_int(ga_node_list_get(n, 2)) == INT64_MAX);
	ga_node_free(n);
}

static void test_escapes(void)
{
	ga_buf out = GA_BUF_INIT(1024);

	CHECK_OK(ga_json_quoten(&out, "a\"b\\c\n\t\x01<&>\xe2\x80\xa8", 14,
	                        GA_JSON_GO_ESCAPE));
	CHECK_EQ_STR(
	    ga_buf_cstr(&out),
	    "\"a\\\"b\\\\c\\n\\t\\u0001\\u003c\\u0026\\u003e\\u2028\"");
	ga_buf_clear(&out);
	CHECK_OK(ga_json_quoten(&out, "<\xff\xc3\xa9", 4, 0));
	CHECK_EQ_STR(ga_buf_cstr(&out), "\"<\\ufffd\xc3\xa9\"");
	ga_buf_clear(&out);
	/* Overlong encodings and surrogates are invalid UTF-8. */
	CHECK_OK(ga_json_quoten(&out, "\xc0\xaf\xed\xa0\x80", 5, 0));
	CHECK_EQ_STR(ga_buf_cstr(&out),
	             "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"");
	ga_buf_dispose(&out);
}

static void test_errors(void)
{
	ga_node *n = NULL;

	CHECK_ERR(ga_json_parse(&n, "{\"a\":1,\"a\":2}", 13, "dup.json"),
	          GA_EINVALID);
	CHECK(strstr(ga_error_last()->message, "dup.json: line 1") != NULL);
	CHECK(strstr(ga_error_last()->message, "duplicate") != NULL);
	CHECK_ERR(ga_json_parse(&n, "{\"a\":\n  tru}", 12, "bad.json"),
	          GA_EINVALID);
	CHECK(strstr(ga_error_last()->message, "bad.json: line 2") != NULL);
	CHECK_ERR(ga_json_parse(&n, "", 0, NULL), GA_EINVALID);
	CHECK(n == NULL);
}

static void test_nan_refused(void)
{
	ga_buf out = GA_BUF_INIT(64);
	ga_node *f = NULL;

	CHECK_OK(ga_node_new_float(&f, 1.0 / 0.0));
	CHECK_ERR(ga_json_emit(&out, f, 0), GA_EINVALID);
	CHECK_EQ_INT(out.size, 0);
	ga_node_free(f);
	ga_buf_dispose(&out);
}

static void test_deep_nesting(void)
{
	ga_buf text = GA_BUF_INIT(1 << 20);
	ga_node *n = NULL;

	for (int i = 0; i < 600; i++)
		ga_buf_putc(&text, '[');
	for (int i = 0; i < 600; i++)
		ga_buf_putc(&text, ']');
	CHECK_ERR(ga_json_parse(&n, text.ptr, text.size, "deep.json"),
	          GA_EINVALID);
	CHECK(strstr(ga_error_last()->message, "nesting") != NULL);
	ga_buf_dispose(&text);
}

static void test_oom(void)
{
	const char *text = "{\"a\":[1,2,{\"b\":\"c\"}],\"d\":\"e\"}";
	ga_node *n = NULL;
	int err;

	for (unsigned long k = 1;; k++) {
		ga_alloc__fail_after(k, false);
		err = ga_json_parse(&n, text, strlen(text), "oom.json");
		ga_alloc__fail_after(0, false);
		if (!err)
			break;
		CHECK_EQ_INT(err, GA_ENOMEM);
	}
	ga_node_free(n);
}

int main(void)
{
	RUN(test_round_trip);
	RUN(test_types);
	RUN(test_floats_like_go);
	RUN(test_big_integers);
	RUN(test_escapes);
	RUN(test_errors);
	RUN(test_nan_refused);
	RUN(test_deep_nesting);
	RUN(test_oom);
	return DONE();
}
