/* SPDX-License-Identifier: Apache-2.0 */
#include "ga/log.h"

#include "harness.h"

static int calls;
static char last_msg[256];
static char last_field[64];

static void sink(ga_log_level level, const ga_log_field *fields, size_t n,
                 const char *msg, void *payload)
{
	(void)level;
	calls++;
	snprintf(last_msg, sizeof(last_msg), "%s", msg);
	snprintf(last_field, sizeof(last_field), "%s=%s",
	         n ? fields[0].key : "", n ? fields[0].value : "");
	*(int *)payload += 1;
}

static int evaluated;

static const char *side_effect(void)
{
	evaluated++;
	return "x";
}

static void test_levels(void)
{
	int seen = 0;
	ga_log_field f[] = {{"object", "v1 ConfigMap ns/x"}};

	ga_log_set(sink, GA_LOG_INFO, &seen);
	GA_LOG(GA_LOG_INFO, f, 1, "applied %d", 3);
	CHECK_EQ_INT(calls, 1);
	CHECK_EQ_STR(last_msg, "applied 3");
	CHECK_EQ_STR(last_field, "object=v1 ConfigMap ns/x");
	/* Disabled levels do not even evaluate their arguments. */
	GA_LOG(GA_LOG_DEBUG, NULL, 0, "%s", side_effect());
	CHECK_EQ_INT(evaluated, 0);
	CHECK_EQ_INT(calls, 1);
	CHECK_EQ_INT(seen, 1);
	ga_log_set(NULL, GA_LOG_TRACE, NULL);
	CHECK(!ga_log_enabled(GA_LOG_ERROR));
}

static void test_parse(void)
{
	ga_log_level l;

	CHECK_OK(ga_log_level_parse(&l, "debug"));
	CHECK_EQ_INT(l, GA_LOG_DEBUG);
	CHECK_EQ_STR(ga_log_level_name(GA_LOG_WARN), "warn");
	CHECK_ERR(ga_log_level_parse(&l, "verbose"), GA_EINVALID);
	CHECK(strstr(ga_error_last()->message, "verbose") != NULL);
}

int main(void)
{
	RUN(test_levels);
	RUN(test_parse);
	return DONE();
}
