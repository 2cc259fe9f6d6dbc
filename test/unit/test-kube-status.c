/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The API client's answers that are not objects: Status bodies into codes
 * and messages, and request paths and query values that no name can
 * escape from.
 */
#include <stdio.h>
#include <string.h>

#include "ga/error.h"
#include "harness.h"
#include "kube/kube_int.h"

static void status_is(long http, const char *body, int code, const char *msg)
{
	int err = ga_kube__status_error(http, body, strlen(body), "v1 X ns/x");

	CHECK_EQ_INT(err, code);
	CHECK_EQ_STR(ga_error_last()->message, msg);
}

static void test_status(void)
{
	status_is(404,
	          "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":"
	          "\"Failure\",\"message\":\"configmaps \\\"x\\\" not found\","
	          "\"reason\":\"NotFound\",\"code\":404}",
	          GA_ENOTFOUND,
	          "v1 X ns/x: NotFound: configmaps \"x\" not found");
	status_is(409, "{\"kind\":\"Status\",\"reason\":\"AlreadyExists\"}",
	          GA_EEXISTS, "v1 X ns/x: AlreadyExists");
	status_is(409,
	          "{\"kind\":\"Status\",\"reason\":\"Conflict\",\"message\":"
	          "\"Apply failed with 1 conflict\"}",
	          GA_ECONFLICT,
	          "v1 X ns/x: Conflict: Apply failed with 1 conflict");
	/* Causes the message does not already hold are added. */
	status_is(422,
	          "{\"kind\":\"Status\",\"reason\":\"Invalid\",\"message\":"
	          "\"Deployment.apps \\\"web\\\" is invalid\",\"details\":"
	          "{\"causes\":[{\"reason\":\"FieldValueInvalid\",\"message\":"
	          "\"field is immutable\",\"field\":\"spec.selector\"}]}}",
	          GA_EINVALID,
	          "v1 X ns/x: Invalid: Deployment.apps \"web\" is invalid; "
	          "spec.selector: field is immutable");
	status_is(403, "{\"kind\":\"Status\",\"reason\":\"Forbidden\"}",
	          GA_EAUTH, "v1 X ns/x: Forbidden");
	status_is(429, "{\"kind\":\"Status\",\"reason\":\"TooManyRequests\"}",
	          GA_ERETRY, "v1 X ns/x: TooManyRequests");
	/* No Status: the HTTP status decides, the body is shown cut. */
	status_is(502, "<html>bad gateway</html>", GA_ERETRY,
	          "v1 X ns/x: HTTP 502: <html>bad gateway</html>");
	status_is(404, "", GA_ENOTFOUND, "v1 X ns/x: HTTP 404");
	status_is(418, "{\"kind\":\"Other\"}", GA_ERROR,
	          "v1 X ns/x: HTTP 418: {\"kind\":\"Other\"}");
}

static void path_is(const char *group, const char *version, bool namespaced,
                    const char *ns, const char *name, const char *want)
{
	ga_kube_resource r = {.namespaced = namespaced};
	ga_buf out = GA_BUF_INIT(4096);

	snprintf(r.group, sizeof(r.group), "%s", group);
	snprintf(r.version, sizeof(r.version), "%s", version);
	snprintf(r.plural, sizeof(r.plural), "things");
	CHECK_OK(ga_kube__path(&out, &r, ns, name));
	CHECK_EQ_STR(ga_buf_cstr(&out), want);
	ga_buf_dispose(&out);
}

static void test_paths(void)
{
	path_is("", "v1", true, "ns", "x", "/api/v1/namespaces/ns/things/x");
	path_is("", "v1", true, "ns", NULL, "/api/v1/namespaces/ns/things");
	path_is("", "v1", true, NULL, NULL, "/api/v1/things");
	path_is("apps", "v1", false, "ns", "x", "/apis/apps/v1/things/x");
	path_is(
	    "rbac.authorization.k8s.io", "v1", false, NULL,
	    "system:controller:x",
	    "/apis/rbac.authorization.k8s.io/v1/things/system:controller:x");
	/* No name reaches another path or query. */
	path_is("", "v1", true, "ns", "../../x?y=1#z",
	        "/api/v1/namespaces/ns/things/..%2F..%2Fx%3Fy%3D1%23z");
	path_is("", "v1", true, "a/b", "x%2F",
	        "/api/v1/namespaces/a%2Fb/things/x%252F");
}

static void test_query(void)
{
	ga_buf out = GA_BUF_INIT(4096);

	ga_kube__query_escape(&out, "app in (a,b),!x,tier!=db");
	CHECK_EQ_STR(ga_buf_cstr(&out),
	             "app%20in%20%28a%2Cb%29%2C%21x%2Ctier%21%3Ddb");
	ga_buf_dispose(&out);
}

int main(void)
{
	RUN(test_status);
	RUN(test_paths);
	RUN(test_query);
	return DONE();
}
