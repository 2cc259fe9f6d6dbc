/* SPDX-License-Identifier: Apache-2.0 */
#include "ga/error.h"

#include <errno.h>
#include <pthread.h>

#include "harness.h"

static void test_set_and_clear(void)
{
	ga_error_set(GA_ERRCLASS_YAML, "file %s: line %d", "a.yaml", 3);
	CHECK_EQ_STR(ga_error_last()->message, "file a.yaml: line 3");
	CHECK_EQ_INT(ga_error_last()->klass, GA_ERRCLASS_YAML);
	ga_error_clear();
	CHECK_EQ_STR(ga_error_last()->message, "");
	CHECK_EQ_INT(ga_error_last()->klass, GA_ERRCLASS_NONE);
}

static void test_os_error(void)
{
	ga_error_set_os(ENOENT, "open %s", "/nope");
	CHECK_EQ_STR(ga_error_last()->message,
	             "open /nope: No such file or directory");
	CHECK_EQ_INT(ga_error_last()->klass, GA_ERRCLASS_OS);
}

static void test_prefix(void)
{
	ga_error_set(GA_ERRCLASS_YAML, "line 2 column 3: bad");
	ga_error_prefix("%s", "dist/base/x.yaml");
	CHECK_EQ_STR(ga_error_last()->message,
	             "dist/base/x.yaml: line 2 column 3: bad");
	CHECK_EQ_INT(ga_error_last()->klass, GA_ERRCLASS_YAML);
	ga_error_set_oom();
	ga_error_prefix("ctx");
	CHECK_EQ_STR(ga_error_last()->message, "ctx: out of memory");
}

static void test_self_reference(void)
{
	/* Formatting the current message into the next one must work. */
	ga_error_set(GA_ERRCLASS_KUBE, "inner");
	ga_error_set(GA_ERRCLASS_KUBE, "outer: %s", ga_error_last()->message);
	CHECK_EQ_STR(ga_error_last()->message, "outer: inner");
}

static void test_truncation(void)
{
	char big[3000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ga_error_set(GA_ERRCLASS_KUBE, "%s", big);
	size_t len = strlen(ga_error_last()->message);
	CHECK_EQ_INT(len, 1023);
	CHECK_EQ_STR(ga_error_last()->message + len - 3, "...");
}

static void test_names(void)
{
	CHECK_EQ_STR(ga_error_name(GA_EINVALID), "EINVALID");
	CHECK_EQ_STR(ga_error_name(GA_ELIMIT), "ELIMIT");
	CHECK_EQ_STR(ga_error_name(-999), "EUNKNOWN");
}

static void *other_thread(void *arg)
{
	(void)arg;
	ga_error_set(GA_ERRCLASS_GIT, "thread error");
	return NULL;
}

static void test_per_thread(void)
{
	pthread_t t;

	ga_error_set(GA_ERRCLASS_KUBE, "main error");
	CHECK(pthread_create(&t, NULL, other_thread, NULL) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	CHECK_EQ_STR(ga_error_last()->message, "main error");
}

int main(void)
{
	RUN(test_set_and_clear);
	RUN(test_os_error);
	RUN(test_prefix);
	RUN(test_self_reference);
	RUN(test_truncation);
	RUN(test_names);
	RUN(test_per_thread);
	return DONE();
}
