/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kubesim's selectors against Kubernetes' rules (labels.Parse, fields):
 * every operator, objects without the label, malformed selectors and
 * unknown field selectors answered with a 400 Status.
 */
#include <string.h>

#include "ga/json.h"
#include "harness.h"
#include "kubesim.h"

static ga_node *object(const char *labels)
{
	char json[512];
	ga_node *obj = NULL;

	(void)snprintf(json, sizeof(json),
	               "{\"metadata\":{\"name\":\"n1\",\"namespace\":\"ns1\","
	               "\"labels\":{%s}}}",
	               labels);
	CHECK_OK(ga_json_parse(&obj, json, strlen(json), "object"));
	return obj;
}

/* Whether @labels_sel / @fields_sel select the object with @labels. */
static int selects(const char *labels_sel, const char *fields_sel,
                   const char *labels)
{
	ga_node *obj = object(labels);
	ks_selector *sel = NULL;
	ks_status st;
	int r = -1;

	if (ks_selector_parse(&sel, labels_sel, fields_sel, &st) == 0) {
		r = ks_selector_match(sel, obj) ? 1 : 0;
		ks_selector_free(sel);
	}
	ga_node_free(obj);
	return r;
}

static void test_operators(void)
{
	const char *web = "\"app\":\"web\",\"tier\":\"front\",\"n\":\"5\"";

	CHECK_EQ_INT(selects("app=web", NULL, web), 1);
	CHECK_EQ_INT(selects("app==web", NULL, web), 1);
	CHECK_EQ_INT(selects("app!=web", NULL, web), 0);
	CHECK_EQ_INT(selects("app!=db", NULL, web), 1);
	CHECK_EQ_INT(selects("missing!=x", NULL, web), 1);
	CHECK_EQ_INT(selects("app in (db, web)", NULL, web), 1);
	CHECK_EQ_INT(selects("app in (db)", NULL, web), 0);
	CHECK_EQ_INT(selects("app notin (db)", NULL, web), 1);
	CHECK_EQ_INT(selects("missing notin (db)", NULL, web), 1);
	CHECK_EQ_INT(selects("tier", NULL, web), 1);
	CHECK_EQ_INT(selects("!tier", NULL, web), 0);
	CHECK_EQ_INT(selects("!missing", NULL, web), 1);
	CHECK_EQ_INT(selects("n>4,n<6", NULL, web), 1);
	CHECK_EQ_INT(selects("n>5", NULL, web), 0);
	CHECK_EQ_INT(selects("app>1", NULL, web), 0);
	CHECK_EQ_INT(selects(" app = web , tier in (front) ", NULL, web), 1);
	CHECK_EQ_INT(selects("app=web,tier=back", NULL, web), 0);
	CHECK_EQ_INT(selects("", NULL, web), 1);
	CHECK_EQ_INT(
	    selects("example.com/role=x", NULL, "\"example.com/role\":\"x\""),
	    1);
}

static void test_fields(void)
{
	CHECK_EQ_INT(selects(NULL, "metadata.name=n1", ""), 1);
	CHECK_EQ_INT(selects(NULL, "metadata.name!=n1", ""), 0);
	CHECK_EQ_INT(selects(NULL, "metadata.namespace==ns1", ""), 1);
	CHECK_EQ_INT(selects("app=web", "metadata.name=n1", "\"app\":\"db\""),
	             0);
}

static void test_errors(void)
{
	ks_selector *sel = NULL;
	ks_status st;

	CHECK_ERR(ks_selector_parse(&sel, "app in (web", NULL, &st),
	          GA_EINVALID);
	CHECK_EQ_INT(st.code, 400);
	CHECK_EQ_STR(st.reason, "BadRequest");
	CHECK_EQ_STR(st.message, "unable to parse requirement: app in (web");
	CHECK_ERR(ks_selector_parse(&sel, "=x", NULL, &st), GA_EINVALID);
	CHECK_ERR(ks_selector_parse(&sel, "a=b=c", NULL, &st), GA_EINVALID);
	CHECK_ERR(ks_selector_parse(&sel, "a=b c=d", NULL, &st), GA_EINVALID);
	CHECK_EQ_STR(st.message, "unable to parse requirement: a=b c=d");
	CHECK_ERR(ks_selector_parse(&sel, NULL, "spec.x=1", &st), GA_EINVALID);
	CHECK_EQ_STR(st.message, "\"spec.x\" is not a known field selector: "
	                         "only \"metadata.name\", "
	                         "\"metadata.namespace\"");
	CHECK_ERR(ks_selector_parse(&sel, NULL, "metadata.name in (a)", &st),
	          GA_EINVALID);
	CHECK(sel == NULL);
}

int main(void)
{
	RUN(test_operators);
	RUN(test_fields);
	RUN(test_errors);
	return DONE();
}
