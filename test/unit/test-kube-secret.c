/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Secret data decoded in key order; a value that is not strict base64,
 * or not a string, is an error naming the Secret and key but not the
 * value; a callback's non-zero return stops the walk.
 */
#include <stdio.h>
#include <string.h>

#include "ga/error.h"
#include "ga/json.h"
#include "ga/kube.h"
#include "harness.h"

static ga_node *secret(const char *json)
{
	ga_node *n = NULL;

	CHECK_OK(ga_json_parse(&n, json, strlen(json), "test"));
	return n;
}

struct seen {
	char text[256];
	int stop_at, calls;
};

static int collect(void *payload, const char *key, const char *value,
                   size_t len)
{
	struct seen *s = payload;
	size_t n = strlen(s->text);

	CHECK(value[len] == '\0');
	snprintf(s->text + n, sizeof(s->text) - n, "%s=%.*s;", key, (int)len,
	         value);
	return ++s->calls == s->stop_at ? 7 : 0;
}

static void test_decodes_in_order(void)
{
	ga_node *n = secret("{\"metadata\":{\"name\":\"git\",\"namespace\":"
	                    "\"ops\"},\"data\":{\"username\":\"dmVuZG9y\","
	                    "\"password\":\"cGFzcw==\",\"empty\":\"\"}}");
	struct seen s = {"", 0, 0};

	CHECK_OK(ga_kube_secret_each(n, collect, &s));
	CHECK_EQ_STR(s.text, "username=vendor;password=pass;empty=;");
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	CHECK_EQ_INT(ga_kube_secret_each(n, collect, &s), 7);
	CHECK_EQ_INT(s.calls, 2);
	ga_node_free(n);
}

static void test_refuses(void)
{
	static const char *bad[] = {"\"cGFzcw\"", "\"cGFz cw==\"",
	                            "\"cGFzcx==\"", "42", "\"c2VjcmV0!!\""};
	struct seen s = {"", 0, 0};
	char json[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ga_node *n;

		snprintf(json, sizeof(json),
		         "{\"metadata\":{\"name\":\"git\",\"namespace\":"
		         "\"ops\"},\"data\":{\"ok\":\"eA==\",\"token\":%s}}",
		         bad[i]);
		n = secret(json);
		memset(&s, 0, sizeof(s));
		CHECK_ERR(ga_kube_secret_each(n, collect, &s), GA_EINVALID);
		CHECK_EQ_STR(ga_error_last()->message,
		             "secret ops/git: data.token is not base64");
		ga_node_free(n);
	}
	/* No data at all is no key. */
	ga_node *n = secret("{\"metadata\":{\"name\":\"x\"}}");
	memset(&s, 0, sizeof(s));
	CHECK_OK(ga_kube_secret_each(n, collect, &s));
	CHECK_EQ_INT(s.calls, 0);
	ga_node_free(n);
}

int main(void)
{
	RUN(test_decodes_in_order);
	RUN(test_refuses);
	return DONE();
}
