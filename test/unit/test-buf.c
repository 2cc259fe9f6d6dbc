/* SPDX-License-Identifier: Apache-2.0 */
#include "ga/buf.h"

#include "ga/alloc.h"
#include "harness.h"
#include "util/alloc.h"

static void test_put_and_printf(void)
{
	ga_buf b = GA_BUF_INIT(1024);

	CHECK_EQ_STR(ga_buf_cstr(&b), "");
	CHECK_OK(ga_buf_puts(&b, "abc"));
	CHECK_OK(ga_buf_putc(&b, '-'));
	CHECK_OK(ga_buf_printf(&b, "%d/%s", 42, "x"));
	CHECK_EQ_STR(ga_buf_cstr(&b), "abc-42/x");
	CHECK_EQ_INT(b.size, 8);
	ga_buf_truncate(&b, 3);
	CHECK_EQ_STR(ga_buf_cstr(&b), "abc");
	ga_buf_clear(&b);
	CHECK_EQ_INT(b.size, 0);
	CHECK_EQ_STR(ga_buf_cstr(&b), "");
	ga_buf_dispose(&b);
}

static void test_growth(void)
{
	ga_buf b = GA_BUF_INIT(1 << 20);

	for (int i = 0; i < 10000; i++)
		CHECK_OK(ga_buf_puts(&b, "0123456789"));
	CHECK_EQ_INT(b.size, 100000);
	CHECK(b.asize > b.size);
	CHECK(b.ptr[b.size] == '\0');
	ga_buf_dispose(&b);
}

static void test_cap_is_sticky(void)
{
	ga_buf b = GA_BUF_INIT(8);

	CHECK_OK(ga_buf_puts(&b, "12345678"));
	CHECK_ERR(ga_buf_putc(&b, '9'), GA_ELIMIT);
	CHECK(strstr(ga_error_last()->message, "limit of 8 bytes") != NULL);
	/* Sticky: even an empty append now reports the failure. */
	CHECK_ERR(ga_buf_puts(&b, ""), GA_ELIMIT);
	CHECK(ga_buf_detach(&b) == NULL);
	ga_buf_clear(&b);
	CHECK_OK(ga_buf_puts(&b, "ok"));
	ga_buf_dispose(&b);
}

static void test_printf_over_cap(void)
{
	ga_buf b = GA_BUF_INIT(4);

	CHECK_ERR(ga_buf_printf(&b, "%s", "too long"), GA_ELIMIT);
	CHECK_EQ_INT(b.size, 0);
	ga_buf_dispose(&b);
}

static void test_detach(void)
{
	ga_buf b = GA_BUF_INIT(64);
	char *s;

	s = ga_buf_detach(&b);
	CHECK(s != NULL);
	CHECK_EQ_STR(s, "");
	ga_free(s);
	CHECK_OK(ga_buf_puts(&b, "owned"));
	s = ga_buf_detach(&b);
	CHECK_EQ_STR(s, "owned");
	CHECK(b.ptr == NULL && b.size == 0);
	ga_free(s);
	ga_buf_dispose(&b);
}

static void test_oom(void)
{
	ga_buf b = GA_BUF_INIT(1024);

	ga_alloc__fail_after(1, false);
	CHECK_ERR(ga_buf_puts(&b, "x"), GA_ENOMEM);
	CHECK_EQ_STR(ga_error_last()->message, "out of memory");
	CHECK_ERR(ga_buf_puts(&b, "x"), GA_ENOMEM);
	ga_buf_clear(&b);
	CHECK_OK(ga_buf_puts(&b, "x"));
	ga_buf_dispose(&b);
}

static void test_percent(void)
{
	ga_buf b = GA_BUF_INIT(64);

	CHECK_OK(ga_buf_put_percent(&b, "a-Z_0.~ /?&=\xc3\xa9", ""));
	CHECK_EQ_STR(ga_buf_cstr(&b), "a-Z_0.~%20%2F%3F%26%3D%C3%A9");
	ga_buf_clear(&b);
	CHECK_OK(ga_buf_put_percent(&b, "user@host:8/x", ":@"));
	CHECK_EQ_STR(ga_buf_cstr(&b), "user@host:8%2Fx");
	ga_buf_dispose(&b);

	ga_buf small = GA_BUF_INIT(4);
	CHECK_ERR(ga_buf_put_percent(&small, "//", ""), GA_ELIMIT);
	ga_buf_dispose(&small);
}

int main(void)
{
	RUN(test_put_and_printf);
	RUN(test_growth);
	RUN(test_cap_is_sticky);
	RUN(test_printf_over_cap);
	RUN(test_detach);
	RUN(test_oom);
	RUN(test_percent);
	return DONE();
}
