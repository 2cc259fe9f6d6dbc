/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for kubesim's PATCH and server-side apply paths.  The first
 * byte picks what the rest is: a merge, JSON or strategic merge patch of
 * a fixed Deployment (patch.c); an applied configuration, whose field set
 * is merged into the Deployment, diffed, removed, encoded as fieldsV1
 * and decoded again (fieldset.c); or a metadata.managedFields list as a
 * request may carry one (managed.c), whose sets then meet the
 * Deployment's.  Nothing may crash, leak or read out of bounds, whatever
 * a client sends.
 */
#include <stdint.h>
#include <string.h>

#include "ga/json.h"
#include "ssa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char live_json[] =
    "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
    "\"metadata\":{\"name\":\"web\",\"namespace\":\"ns\","
    "\"labels\":{\"app\":\"web\"},\"finalizers\":[\"a\",\"b\"]},"
    "\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":"
    "\"web\"}},\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":"
    "{\"maxSurge\":1}},\"template\":{\"metadata\":{\"labels\":{\"app\":"
    "\"web\"}},\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"i\","
    "\"ports\":[{\"containerPort\":80,\"protocol\":\"TCP\"}],\"env\":[{"
    "\"name\":\"A\",\"value\":\"1\"}]}],\"volumes\":[{\"name\":\"v\","
    "\"emptyDir\":{}}]}}}}";

static const char *const patch_types[] = {
    "application/merge-patch+json",
    "application/json-patch+json",
    "application/strategic-merge-patch+json",
};

static const ks_resource *deployments(void)
{
	return ks_registry_find("apps", "v1", "deployments");
}

static void patch(ga_node *live, uint8_t mode, const char *text, size_t len)
{
	ga_node *obj = NULL;
	ks_status st;

	if (ga_node_clone(&obj, live) < 0)
		return;
	(void)ks_patch_body(&obj, patch_types[mode % 3], text, len, &st);
	ga_node_free(obj);
}

/* Every set operation over the applied configuration and the live one. */
static void sets(const ga_node *live, const ga_node *config)
{
	const ga_kust_schema_at *at = ks_ssa_schema(live);
	ga_node *view = NULL, *mine = NULL, *theirs = NULL, *merged = NULL;
	ga_node *diff = NULL, *both = NULL, *v1 = NULL, *back = NULL;

	if (ks_ssa_view(&view, deployments(), "", config) < 0 ||
	    ks_fs_of(&mine, view, at) < 0 || ks_fs_of(&theirs, live, at) < 0 ||
	    ga_node_clone(&merged, live) < 0 ||
	    ks_fs_merge(merged, view, at) < 0 ||
	    ks_fs_diff(&diff, live, merged, at) < 0 ||
	    ks_fs_intersect(&both, diff, theirs) < 0 ||
	    ks_fs_union(both, mine) < 0)
		goto out;
	ks_fs_subtract(theirs, mine);
	(void)ks_fs_remove(merged, theirs, at);
	if (ks_fs_encode(&v1, both) == 0)
		(void)ks_fs_decode(&back, v1);
out:
	ga_node_free(view);
	ga_node_free(mine);
	ga_node_free(theirs);
	ga_node_free(merged);
	ga_node_free(diff);
	ga_node_free(both);
	ga_node_free(v1);
	ga_node_free(back);
}

static int count_path(const char *path, void *arg)
{
	(void)path;
	++*(size_t *)arg;
	return 0;
}

/* A managedFields list from a request, decoded and stored back. */
static void managed(ga_node *live, const ga_node *list)
{
	ga_node *obj = NULL;
	ks_mfs m;
	ks_status st;
	size_t i, n = 0;

	if (ks_mfs_decode(&m, list, &st) < 0)
		return;
	for (i = 0; i < m.n; i++)
		(void)ks_fs_paths(m.v[i].set, count_path, &n);
	if (ks_mfs_entry(&m, "fuzz", true, "", "apps/v1") &&
	    ga_node_clone(&obj, live) == 0)
		(void)ks_mfs_store(&m, obj);
	ga_node_free(obj);
	ks_mfs_dispose(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1;
	ga_node *live = NULL, *body = NULL;
	ks_status st;

	if (size < 1 ||
	    ga_json_parse(&live, live_json, strlen(live_json), "live") < 0)
		return 0;
	if (data[0] % 5 < 3) {
		patch(live, data[0], text, size - 1);
	} else if (ks_decode_body(&body,
	                          data[0] & 0x80 ? "application/yaml"
	                                         : "application/json",
	                          text, size - 1, &st) == 0) {
		if (data[0] % 5 == 3)
			sets(live, body);
		else
			managed(live, ks_get(body, "managedFields"));
	}
	ga_node_free(body);
	ga_node_free(live);
	return 0;
}
