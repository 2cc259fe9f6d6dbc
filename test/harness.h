/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small TAP test harness.  Each unit-test program runs its test functions
 * with RUN(); each becomes one TAP test point, failed when any CHECK inside
 * it failed (the diagnostics name the file, line and expression).  Every test
 * frees what it created, so the valgrind and ASan setups prove there are no
 * leaks.  Programs end with DONE(), which prints the plan and returns the
 * exit status.
 */
#ifndef GA_TEST_HARNESS_H
#define GA_TEST_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ga/error.h"

static int th_tests, th_failed_tests, th_current_failed;

static inline void th_fail(const char *file, int line, const char *what)
{
	printf("# %s:%d: check failed: %s\n", file, line, what);
	const char *msg = ga_error_last()->message;
	if (msg[0])
		printf("#   last error: %s\n", msg);
	th_current_failed = 1;
}

/* Print @s as TAP diagnostics, "# " before every line. */
static inline void th_diag(const char *label, const char *s)
{
	printf("#   %s \"", label);
	for (; s && *s; s++) {
		if (*s == '\n')
			printf("\\n\"\n#        \"");
		else
			putchar(*s);
	}
	printf("\"\n");
}

#define CHECK(expr)                                                            \
	do {                                                                   \
		if (!(expr))                                                   \
			th_fail(__FILE__, __LINE__, #expr);                    \
	} while (0)

#define CHECK_EQ_INT(a, b)                                                     \
	do {                                                                   \
		long long th_a = (long long)(a), th_b = (long long)(b);        \
		if (th_a != th_b) {                                            \
			th_fail(__FILE__, __LINE__, #a " == " #b);             \
			printf("#   got %lld, want %lld\n", th_a, th_b);       \
		}                                                              \
	} while (0)

#define CHECK_EQ_STR(a, b)                                                     \
	do {                                                                   \
		const char *th_a = (a), *th_b = (b);                           \
		if (!th_a || !th_b || strcmp(th_a, th_b) != 0) {               \
			th_fail(__FILE__, __LINE__, #a " == " #b);             \
			th_diag("got ", th_a ? th_a : "(null)");               \
			th_diag("want", th_b ? th_b : "(null)");               \
		}                                                              \
	} while (0)

/* The call must succeed (return >= 0). */
#define CHECK_OK(call)                                                         \
	do {                                                                   \
		int th_err = (call);                                           \
		if (th_err < 0) {                                              \
			th_fail(__FILE__, __LINE__, #call);                    \
			printf("#   returned %d\n", th_err);                   \
		}                                                              \
	} while (0)

/* The call must fail with exactly @code. */
#define CHECK_ERR(call, code)                                                  \
	do {                                                                   \
		int th_err = (call);                                           \
		if (th_err != (code)) {                                        \
			th_fail(__FILE__, __LINE__,                            \
			        #call " fails with " #code);                   \
			printf("#   returned %d\n", th_err);                   \
		}                                                              \
	} while (0)

#define RUN(fn)                                                                \
	do {                                                                   \
		th_current_failed = 0;                                         \
		ga_error_clear();                                              \
		fn();                                                          \
		th_tests++;                                                    \
		if (th_current_failed)                                         \
			th_failed_tests++;                                     \
		printf("%s %d - %s\n", th_current_failed ? "not ok" : "ok",    \
		       th_tests, #fn);                                         \
		(void)fflush(stdout);                                          \
	} while (0)

#define DONE() (printf("1..%d\n", th_tests), th_failed_tests ? 1 : 0)

#endif
