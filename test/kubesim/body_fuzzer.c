/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for kubesim's request-body path: the first byte picks the
 * media type (JSON or YAML) and the resource (ConfigMap, Namespace,
 * Deployment, CustomResourceDefinition); the rest is the body, decoded
 * validated and defaulted as a POST would (and, for a CRD, accepted into
 * a status).
 * The same bytes are then parsed as a label selector and as a field
 * selector and matched against a fixed object, and, split at newlines,
 * as a watch's query values (resourceVersion, resourceVersionMatch,
 * sendInitialEvents, allowWatchBookmarks, timeoutSeconds).  Nothing may crash,
 * leak or read out of bounds, whatever a client sends.
 */
#include <stdint.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/json.h"
#include "kubesim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const plurals[] = {"configmaps", "namespaces", "deployments",
                                      "customresourcedefinitions"};
static const char *const groups[] = {"", "", "apps", "apiextensions.k8s.io"};

static void body(uint8_t mode, const char *text, size_t len)
{
	const ks_resource *res =
	    ks_registry_find(groups[mode % 4], "v1", plurals[mode % 4]);
	const char *ct = mode % 8 < 4 ? "application/json" : "application/yaml";
	ga_node *obj = NULL, *secret = NULL;
	ks_status st;

	if (ks_decode_body(&obj, ct, text, len, &st) < 0)
		return;
	/* Every body is also read as a Secret (base64 data, stringData). */
	if (ga_node_clone(&secret, obj) == 0)
		(void)ks_secret_canonical(ks_registry_find("", "v1", "secrets"),
		                          secret, &st);
	ga_node_free(secret);
	if (ks_validate_object(res, res->namespaced ? "default" : "", "", obj,
	                       &st) == 0) {
		(void)ks_defaults(res, obj);
		if (mode % 4 == 3)
			(void)ks_crd_accept(obj, &st);
	}
	ga_node_free(obj);
}

static void selectors(const char *text)
{
	static const char object[] =
	    "{\"metadata\":{\"name\":\"a\",\"namespace\":\"b\","
	    "\"labels\":{\"app\":\"web\",\"n\":\"5\"}}}";
	ga_node *obj = NULL;
	ks_selector *sel = NULL;
	ks_status st;

	if (ga_json_parse(&obj, object, strlen(object), "object") < 0)
		return;
	if (ks_selector_parse(&sel, text, NULL, &st) == 0) {
		(void)ks_selector_match(sel, obj);
		ks_selector_free(sel);
	}
	if (ks_selector_parse(&sel, NULL, text, &st) == 0) {
		(void)ks_selector_match(sel, obj);
		ks_selector_free(sel);
	}
	ga_node_free(obj);
}

/* @text split at newlines (in place) as the five watch values. */
static void watch_query(char *text)
{
	const char *vals[5] = {NULL, NULL, NULL, NULL, NULL};
	char *save = NULL, *tok;
	ks_watch_opts o;
	ks_status st;
	size_t n = 0;

	for (tok = strtok_r(text, "\n", &save); tok && n < 5;
	     tok = strtok_r(NULL, "\n", &save))
		vals[n++] = strcmp(tok, "-") == 0 ? NULL : tok;
	(void)ks_watch_opts_parse(&o, vals[0], vals[1], vals[2], vals[3],
	                          vals[4], &st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (size < 1)
		return 0;
	body(data[0], (const char *)data + 1, size - 1);
	if (!(text = ga_strndup((const char *)data + 1, size - 1)))
		return 0;
	selectors(text);
	watch_query(text);
	ga_free(text);
	return 0;
}
