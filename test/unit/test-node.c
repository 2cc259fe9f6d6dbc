/* SPDX-License-Identifier: Apache-2.0 */
#include "ga/node.h"

#include <stdio.h>

#include "harness.h"
#include "util/alloc.h"

static ga_node *str(const char *s)
{
	ga_node *n = NULL;

	CHECK_OK(ga_node_new_string(&n, s, strlen(s)));
	return n;
}

static void test_scalars(void)
{
	ga_node *n = NULL;

	CHECK_OK(ga_node_new_int(&n, -42));
	CHECK_EQ_INT(ga_node_type_of(n), GA_NODE_INT);
	CHECK_EQ_INT(ga_node_int(n), -42);
	CHECK(!ga_node_is_uint(n));
	CHECK(ga_node_str(n) == NULL);
	ga_node_free(n);

	CHECK_OK(ga_node_new_uint(&n, UINT64_MAX));
	CHECK(ga_node_is_uint(n));
	CHECK(ga_node_uint(n) == UINT64_MAX);
	ga_node_free(n);

	/* Small unsigned values are plain ints, so equality is by value. */
	CHECK_OK(ga_node_new_uint(&n, 7));
	CHECK(!ga_node_is_uint(n));
	CHECK_EQ_INT(ga_node_int(n), 7);
	ga_node_free(n);

	CHECK_OK(ga_node_new_string(&n, "a\0b", 3));
	CHECK_EQ_INT(ga_node_str_len(n), 3);
	CHECK(memcmp(ga_node_str(n), "a\0b", 4) == 0);
	CHECK(ga_node_is_scalar(n));
	ga_node_free(n);
	CHECK_EQ_STR(ga_node_type_name(GA_NODE_MAP), "map");
}

static void test_map_order_and_replace(void)
{
	ga_node *m = NULL;

	CHECK_OK(ga_node_new_map(&m));
	CHECK_OK(ga_node_map_set_take(m, "z", str("1")));
	CHECK_OK(ga_node_map_set_take(m, "a", str("2")));
	CHECK_OK(ga_node_map_set_take(m, "z", str("3")));
	CHECK_EQ_INT(ga_node_count(m), 2);
	CHECK_EQ_STR(ga_node_map_key(m, 0, NULL), "z");
	CHECK_EQ_STR(ga_node_str(ga_node_map_get(m, "z")), "3");
	CHECK_ERR(ga_node_map_addn_take(m, "a", 1, str("x")), GA_EEXISTS);
	CHECK(ga_node_map_get(m, "missing") == NULL);
	ga_node *v = ga_node_map_remove(m, "z");
	CHECK_EQ_STR(ga_node_str(v), "3");
	ga_node_free(v);
	CHECK_EQ_INT(ga_node_count(m), 1);
	CHECK(ga_node_map_remove(m, "z") == NULL);
	ga_node_free(m);
}

static void test_large_map_index(void)
{
	ga_node *m = NULL;
	char key[32];

	CHECK_OK(ga_node_new_map(&m));
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "key-%d", i);
		CHECK_OK(ga_node_map_addn_take(m, key, strlen(key), str(key)));
	}
	for (int i = 0; i < 5000; i += 7) {
		snprintf(key, sizeof(key), "key-%d", i);
		CHECK_EQ_STR(ga_node_str(ga_node_map_get(m, key)), key);
	}
	/* Removal shifts entries: the index must follow. */
	for (int i = 0; i < 5000; i += 2) {
		snprintf(key, sizeof(key), "key-%d", i);
		ga_node_free(ga_node_map_remove(m, key));
	}
	CHECK_EQ_INT(ga_node_count(m), 2500);
	CHECK(ga_node_map_get(m, "key-4") == NULL);
	CHECK_EQ_STR(ga_node_str(ga_node_map_get(m, "key-4999")), "key-4999");
	CHECK_EQ_STR(ga_node_map_key(m, 0, NULL), "key-1");
	ga_node_free(m);
}

static void test_list(void)
{
	ga_node *l = NULL;

	CHECK_OK(ga_node_new_list(&l));
	CHECK_OK(ga_node_list_append_take(l, str("b")));
	CHECK_OK(ga_node_list_insert_take(l, 0, str("a")));
	CHECK_OK(ga_node_list_append_take(l, str("c")));
	CHECK_ERR(ga_node_list_insert_take(l, 9, str("x")), GA_EINVALID);
	CHECK_EQ_INT(ga_node_count(l), 3);
	CHECK_EQ_STR(ga_node_str(ga_node_list_get(l, 0)), "a");
	CHECK_EQ_STR(ga_node_str(ga_node_list_get(l, 2)), "c");
	CHECK(ga_node_list_get(l, 3) == NULL);
	ga_node *b = ga_node_list_remove(l, 1);
	CHECK_EQ_STR(ga_node_str(b), "b");
	ga_node_free(b);
	CHECK_EQ_STR(ga_node_str(ga_node_list_get(l, 1)), "c");
	/* Map operations on a list fail and still take the value. */
	CHECK_ERR(ga_node_map_set_take(l, "k", str("v")), GA_EINVALID);
	ga_node_free(l);
}

static ga_node *sample(void)
{
	ga_node *m = NULL, *l = NULL, *f = NULL;

	CHECK_OK(ga_node_new_map(&m));
	CHECK_OK(ga_node_new_list(&l));
	CHECK_OK(ga_node_list_append_take(l, str("x")));
	CHECK_OK(ga_node_new_float(&f, 1.5));
	CHECK_OK(ga_node_list_append_take(l, f));
	CHECK_OK(ga_node_map_set_take(m, "list", l));
	CHECK_OK(ga_node_map_set_take(m, "name", str("n")));
	ga_node_set_pos(m, 3, 4);
	return m;
}

static void test_clone_equal(void)
{
	ga_node *a = sample(), *b = NULL, *c = sample();

	CHECK_OK(ga_node_clone(&b, a));
	CHECK(ga_node_equal(a, b));
	CHECK_EQ_INT(ga_node_line(b), 3);
	CHECK_EQ_INT(ga_node_col(b), 4);
	/* Key order does not matter for equality. */
	ga_node_free(ga_node_map_remove(c, "list"));
	CHECK(!ga_node_equal(a, c));
	ga_node *l = NULL;
	CHECK_OK(ga_node_clone(&l, ga_node_map_get(a, "list")));
	CHECK_OK(ga_node_map_set_take(c, "list", l));
	CHECK(ga_node_equal(a, c));
	CHECK_EQ_STR(ga_node_map_key(c, 0, NULL), "name");
	ga_node_free(a);
	ga_node_free(b);
	ga_node_free(c);
}

/* Walk every allocation of clone: each failure is clean and leak-free. */
static void test_clone_oom(void)
{
	ga_node *a = sample(), *b = NULL;
	int err;

	for (unsigned long n = 1;; n++) {
		ga_alloc__fail_after(n, false);
		err = ga_node_clone(&b, a);
		ga_alloc__fail_after(0, false);
		if (!err)
			break;
		CHECK_EQ_INT(err, GA_ENOMEM);
	}
	CHECK(ga_node_equal(a, b));
	ga_node_free(a);
	ga_node_free(b);
}

static void test_key_pos(void)
{
	ga_node *m = NULL;
	uint32_t line, col;

	CHECK_OK(ga_node_new_map(&m));
	CHECK_OK(ga_node_map_set_take(m, "a", str("1")));
	ga_node_map_set_key_pos(m, 0, 7, 3);
	ga_node_map_key_pos(m, 0, &line, &col);
	CHECK_EQ_INT(line, 7);
	CHECK_EQ_INT(col, 3);
	ga_node_map_key_pos(m, 5, &line, &col);
	CHECK_EQ_INT(line, 0);
	ga_node_free(m);
}

int main(void)
{
	RUN(test_scalars);
	RUN(test_map_order_and_replace);
	RUN(test_large_map_index);
	RUN(test_list);
	RUN(test_clone_equal);
	RUN(test_clone_oom);
	RUN(test_key_pos);
	return DONE();
}
