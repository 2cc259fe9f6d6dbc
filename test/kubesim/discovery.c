/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Discovery as kube-apiserver 1.32 serves it without aggregation
 * (k8s.io/apimachinery/pkg/apis/meta/v1 APIVersions, APIGroupList,
 * APIGroup, APIResourceList; /version as version.Info).  kubectl asks for
 * the aggregated form (apidiscovery.k8s.io/v2) first and, answered with
 * plain application/json, falls back to these legacy documents.  The
 * advertised verbs are those of the real server, so that kubectl chooses
 * the same requests; verbs kubesim does not implement yet answer 405.
 */
#include "kubesim.h"

#include <stdio.h>
#include <string.h>

#include "ga/json.h"

#define MAX_LIST 128

static const char verbs_all[] = "[\"create\",\"delete\",\"deletecollection\","
                                "\"get\",\"list\",\"patch\",\"update\","
                                "\"watch\"]";
static const char verbs_ns[] = "[\"create\",\"delete\",\"get\",\"list\","
                               "\"patch\",\"update\",\"watch\"]";
static const char verbs_sub[] = "[\"get\",\"patch\",\"update\"]";

static int reply_text(ga_httpd_response *resp, ga_buf *b)
{
	int err;

	if ((err = ga_buf_putc(b, '\n')) < 0)
		return err;
	ga_httpd_response_set_status(resp, 200);
	return ga_httpd_response_add_header(resp, "Content-Type",
	                                    "application/json");
}

static int version_info(ga_httpd_response *resp)
{
	ga_buf *b = ga_httpd_response_body(resp);

	(void)ga_buf_puts(
	    b, "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0\","
	       "\"gitCommit\":\"0000000000000000000000000000000000000000\","
	       "\"gitTreeState\":\"clean\",\"buildDate\":"
	       "\"2024-12-11T00:00:00Z\",\"goVersion\":\"go1.23.4\","
	       "\"compiler\":\"gc\",\"platform\":\"linux/amd64\"}");
	return reply_text(resp, b);
}

static void put_names(ga_buf *b, const char *csv)
{
	const char *p = csv, *comma;

	(void)ga_buf_puts(b, ",\"shortNames\":[");
	while (*p) {
		comma = strchr(p, ',');
		(void)ga_buf_printf(
		    b, "%s\"%.*s\"", p == csv ? "" : ",",
		    (int)(comma ? (size_t)(comma - p) : strlen(p)), p);
		p = comma ? comma + 1 : p + strlen(p);
	}
	(void)ga_buf_putc(b, ']');
}

static void put_resource(ga_buf *b, const ks_resource *r, bool first)
{
	(void)ga_buf_printf(b,
	                    "%s{\"name\":\"%s\",\"singularName\":\"%s\","
	                    "\"namespaced\":%s,\"kind\":\"%s\",\"verbs\":%s",
	                    first ? "" : ",", r->plural, r->singular,
	                    r->namespaced ? "true" : "false", r->kind,
	                    strcmp(r->plural, "namespaces") == 0 ? verbs_ns
	                                                         : verbs_all);
	if (r->short_names[0])
		put_names(b, r->short_names);
	(void)ga_buf_putc(b, '}');
	if (r->flags & KS_RES_STATUS)
		(void)ga_buf_printf(b,
		                    ",{\"name\":\"%s/status\",\"singularName\":"
		                    "\"\",\"namespaced\":%s,\"kind\":\"%s\","
		                    "\"verbs\":%s}",
		                    r->plural, r->namespaced ? "true" : "false",
		                    r->kind, verbs_sub);
	if (r->flags & KS_RES_SCALE)
		(void)ga_buf_printf(b,
		                    ",{\"name\":\"%s/scale\",\"singularName\":"
		                    "\"\",\"namespaced\":%s,\"group\":"
		                    "\"autoscaling\",\"version\":\"v1\","
		                    "\"kind\":\"Scale\",\"verbs\":%s}",
		                    r->plural, r->namespaced ? "true" : "false",
		                    verbs_sub);
}

static int resource_list(ga_httpd_response *resp, const char *group,
                         const char *version)
{
	const ks_resource *list[MAX_LIST];
	ga_buf *b = ga_httpd_response_body(resp);
	size_t i, n = ks_registry_list(list, MAX_LIST, group, version);

	if (n == 0)
		return ks_reply_no_resource(resp);
	(void)ga_buf_printf(b,
	                    "{\"kind\":\"APIResourceList\",\"apiVersion\":"
	                    "\"v1\",\"groupVersion\":\"%s%s%s\","
	                    "\"resources\":[",
	                    group, group[0] ? "/" : "", version);
	for (i = 0; i < n; i++)
		put_resource(b, list[i], i == 0);
	(void)ga_buf_puts(b, "]}");
	return reply_text(resp, b);
}

/* An APIGroup's fields: name, versions, preferredVersion (the first). */
static void put_group(ga_buf *b, const char *group)
{
	const char *vers[MAX_LIST];
	size_t i, n = ks_registry_versions(vers, MAX_LIST, group);

	(void)ga_buf_printf(b, "\"name\":\"%s\",\"versions\":[", group);
	for (i = 0; i < n; i++)
		(void)ga_buf_printf(b,
		                    "%s{\"groupVersion\":\"%s/%s\","
		                    "\"version\":\"%s\"}",
		                    i ? "," : "", group, vers[i], vers[i]);
	(void)ga_buf_printf(b,
	                    "],\"preferredVersion\":{\"groupVersion\":"
	                    "\"%s/%s\",\"version\":\"%s\"}",
	                    group, n ? vers[0] : "", n ? vers[0] : "");
}

static int group_list(ga_httpd_response *resp)
{
	const char *groups[MAX_LIST];
	ga_buf *b = ga_httpd_response_body(resp);
	size_t i, n = ks_registry_groups(groups, MAX_LIST);
	bool first = true;

	(void)ga_buf_puts(b, "{\"kind\":\"APIGroupList\",\"apiVersion\":"
	                     "\"v1\",\"groups\":[");
	for (i = 0; i < n; i++) {
		if (!groups[i][0])
			continue;
		if (!first)
			(void)ga_buf_putc(b, ',');
		first = false;
		(void)ga_buf_putc(b, '{');
		put_group(b, groups[i]);
		(void)ga_buf_putc(b, '}');
	}
	(void)ga_buf_puts(b, "]}");
	return reply_text(resp, b);
}

static int one_group(ga_httpd_response *resp, const char *group)
{
	const char *vers[1];
	ga_buf *b = ga_httpd_response_body(resp);

	if (!group[0] || ks_registry_versions(vers, 1, group) == 0)
		return ks_reply_no_resource(resp);
	(void)ga_buf_puts(b, "{\"kind\":\"APIGroup\",\"apiVersion\":\"v1\",");
	put_group(b, group);
	(void)ga_buf_putc(b, '}');
	return reply_text(resp, b);
}

static int api_versions(ks_server *ks, ga_httpd_response *resp)
{
	ga_buf *b = ga_httpd_response_body(resp);

	(void)ga_buf_printf(b,
	                    "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],"
	                    "\"serverAddressByClientCIDRs\":[{\"clientCIDR\":"
	                    "\"0.0.0.0/0\",\"serverAddress\":\"%s\"}]}",
	                    strstr(ks->server_url, "://")
	                        ? strstr(ks->server_url, "://") + 3
	                        : ks->server_url);
	return reply_text(resp, b);
}

int ks_discovery(ks_server *ks, const ga_httpd_request *http,
                 ga_httpd_response *resp, char **segs, size_t n)
{
	(void)http;
	if (n == 1 && strcmp(segs[0], "version") == 0)
		return version_info(resp);
	if (n == 1 && strcmp(segs[0], "api") == 0)
		return api_versions(ks, resp);
	if (n == 2 && strcmp(segs[0], "api") == 0)
		return resource_list(resp, "", segs[1]);
	if (n == 1 && strcmp(segs[0], "apis") == 0)
		return group_list(resp);
	if (n == 2 && strcmp(segs[0], "apis") == 0)
		return one_group(resp, segs[1]);
	if (n == 3 && strcmp(segs[0], "apis") == 0)
		return resource_list(resp, segs[1], segs[2]);
	return 1; /* not discovery */
}
