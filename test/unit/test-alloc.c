/* SPDX-License-Identifier: Apache-2.0 */
#include "ga/alloc.h"

#include <stdint.h>

#include "harness.h"
#include "util/alloc.h"

static void test_basic(void)
{
	char *p = ga_strdup("hello");
	char *q = ga_strndup("hello", 3);
	int *z = ga_calloc(4, sizeof(int));

	CHECK_EQ_STR(p, "hello");
	CHECK_EQ_STR(q, "hel");
	CHECK(z && z[0] == 0 && z[3] == 0);
	z = ga_reallocarray(z, 8, sizeof(int));
	CHECK(z != NULL);
	ga_free(p);
	ga_free(q);
	ga_free(z);
	ga_free(NULL);
}

static void test_overflow(void)
{
	CHECK(ga_calloc(SIZE_MAX / 2, 4) == NULL);
	CHECK_EQ_STR(ga_error_last()->message, "out of memory");
	void *p = ga_malloc(16);
	CHECK(ga_reallocarray(p, SIZE_MAX, SIZE_MAX) == NULL);
	ga_free(p);
}

static void test_fail_nth(void)
{
	void *a, *b, *c;

	ga_alloc__fail_after(2, false);
	a = ga_malloc(1);
	b = ga_malloc(1);
	c = ga_malloc(1);
	CHECK(a != NULL);
	CHECK(b == NULL);
	CHECK(c != NULL);
	ga_free(a);
	ga_free(c);

	ga_alloc__fail_after(1, true);
	CHECK(ga_strdup("x") == NULL);
	CHECK(ga_strdup("y") == NULL);
	ga_alloc__fail_after(0, false);
	a = ga_strdup("z");
	CHECK(a != NULL);
	ga_free(a);
}

static void test_count(void)
{
	unsigned long before = ga_alloc__count();
	ga_free(ga_malloc(4));
	CHECK_EQ_INT(ga_alloc__count(), before + 1);
}

int main(void)
{
	RUN(test_basic);
	RUN(test_overflow);
	RUN(test_fail_nth);
	RUN(test_count);
	return DONE();
}
