/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The OpenAPI v3 documents kubectl 1.32 reads before it writes: the root
 * (/openapi/v3, one serverRelativeURL per group version) and, per group
 * version, a document whose PATCH operations carry
 * x-kubernetes-group-version-kind and the fieldValidation query parameter.
 * That is what kubectl's QueryParamVerifierV3 looks for to choose
 * server-side field validation; without the documents kubectl refuses to
 * create anything unless told --validate=false.  No schemas are served
 * yet, so kubesim accepts unknown fields that a real server would refuse
 * with fieldValidation=Strict, and kubectl apply computes its patches
 * from its compiled-in types.  /openapi/v2 stays 404, as kubectl
 * tolerates.
 */
#include "kubesim.h"

#include <stdio.h>
#include <string.h>

#define MAX_LIST 128

static int reply(ga_httpd_response *resp, ga_buf *b)
{
	int err;

	if ((err = ga_buf_putc(b, '\n')) < 0)
		return err;
	ga_httpd_response_set_status(resp, 200);
	return ga_httpd_response_add_header(resp, "Content-Type",
	                                    "application/json");
}

/* "api/v1" or "apis/<group>/<version>" into @out. */
static void gv_path(char *out, size_t cap, const char *group,
                    const char *version)
{
	if (group[0])
		(void)snprintf(out, cap, "apis/%s/%s", group, version);
	else
		(void)snprintf(out, cap, "api/%s", version);
}

static int root(ga_httpd_response *resp)
{
	const char *groups[MAX_LIST], *vers[MAX_LIST];
	ga_buf *b = ga_httpd_response_body(resp);
	size_t g, v, ng = ks_registry_groups(groups, MAX_LIST), nv;
	char path[512];
	bool first = true;

	(void)ga_buf_puts(b, "{\"paths\":{");
	for (g = 0; g < ng; g++) {
		nv = ks_registry_versions(vers, MAX_LIST, groups[g]);
		for (v = 0; v < nv; v++) {
			gv_path(path, sizeof(path), groups[g], vers[v]);
			(void)ga_buf_printf(b,
			                    "%s\"%s\":{\"serverRelativeURL\":"
			                    "\"/openapi/v3/%s\"}",
			                    first ? "" : ",", path, path);
			first = false;
		}
	}
	(void)ga_buf_puts(b, "}}");
	return reply(resp, b);
}

static void put_patch_path(ga_buf *b, const ks_resource *r, bool first)
{
	char gv[512];

	gv_path(gv, sizeof(gv), r->group, r->version);
	(void)ga_buf_printf(
	    b,
	    "%s\"/%s/%s%s/{name}\":{\"patch\":{\"operationId\":\"patch%s\","
	    "\"x-kubernetes-action\":\"patch\","
	    "\"x-kubernetes-group-version-kind\":{\"group\":\"%s\","
	    "\"version\":\"%s\",\"kind\":\"%s\"},\"parameters\":["
	    "{\"name\":\"dryRun\",\"in\":\"query\",\"schema\":{\"type\":"
	    "\"string\"}},{\"name\":\"fieldManager\",\"in\":\"query\","
	    "\"schema\":{\"type\":\"string\"}},{\"name\":\"fieldValidation\","
	    "\"in\":\"query\",\"schema\":{\"type\":\"string\"}}]}}",
	    first ? "" : ",", gv,
	    r->namespaced ? "namespaces/{namespace}/" : "", r->plural, r->kind,
	    r->group, r->version, r->kind);
}

static int group_version(ga_httpd_response *resp, const char *group,
                         const char *version)
{
	const ks_resource *list[MAX_LIST];
	ga_buf *b = ga_httpd_response_body(resp);
	size_t i, n = ks_registry_list(list, MAX_LIST, group, version);

	if (n == 0)
		return ks_reply_no_resource(resp);
	(void)ga_buf_puts(b, "{\"openapi\":\"3.0.0\",\"info\":{\"title\":"
	                     "\"Kubernetes\",\"version\":\"v1.32.0\"},"
	                     "\"paths\":{");
	for (i = 0; i < n; i++)
		put_patch_path(b, list[i], i == 0);
	(void)ga_buf_puts(b, "},\"components\":{\"schemas\":{}}}");
	return reply(resp, b);
}

int ks_openapi(ga_httpd_response *resp, char **segs, size_t n)
{
	if (n < 2 || strcmp(segs[0], "openapi") != 0 ||
	    strcmp(segs[1], "v3") != 0)
		return 1;
	if (n == 2)
		return root(resp);
	if (n == 4 && strcmp(segs[2], "api") == 0)
		return group_version(resp, "", segs[3]);
	if (n == 5 && strcmp(segs[2], "apis") == 0)
		return group_version(resp, segs[3], segs[4]);
	return ks_reply_no_resource(resp);
}
