/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the strategic merge patch (lib/kustomize/smp.c).  The
 * input is two YAML documents separated by a NUL byte: the object, then
 * the patch; the input's length picks allowKindChange / allowNameChange.
 * Besides "no crash, no leak, no sanitizer report" it checks the contract:
 * the patch is never modified, a failed merge leaves the object exactly as
 * it was, and a successful one returns a tree the emitter can print.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ga/buf.h"
#include "ga/error.h"
#include "ga/node.h"
#include "ga/yaml.h"
#include "kustomize/smp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The first document of @len bytes at @text, or NULL. */
static ga_node *first_doc(const char *text, size_t len)
{
	ga_yaml_opts lim = {1u << 20, 64, 20000, 0};
	ga_node *docs = NULL, *doc = NULL;

	if (ga_yaml_parse(&docs, text, len, "fuzz", &lim) == 0 &&
	    ga_node_count(docs) > 0)
		doc = ga_node_list_remove(docs, 0);
	ga_node_free(docs);
	return doc;
}

/* ga_node_equal() with NaN equal to itself: "not modified" is the point. */
static bool same(const ga_node *a, const ga_node *b)
{
	size_t n = ga_node_count(a), len;

	if (ga_node_type_of(a) != ga_node_type_of(b) || n != ga_node_count(b))
		return false;
	switch (ga_node_type_of(a)) {
	case GA_NODE_FLOAT:
		return ga_node_float(a) == ga_node_float(b) ||
		       (isnan(ga_node_float(a)) && isnan(ga_node_float(b)));
	case GA_NODE_MAP:
		for (size_t i = 0; i < n; i++) {
			const char *key = ga_node_map_key(a, i, &len);
			const ga_node *v = ga_node_map_getn(b, key, len);

			if (!v || !same(ga_node_map_value(a, i), v))
				return false;
		}
		return true;
	case GA_NODE_LIST:
		for (size_t i = 0; i < n; i++)
			if (!same(ga_node_list_get(a, i),
			          ga_node_list_get(b, i)))
				return false;
		return true;
	default:
		return ga_node_equal(a, b);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul = memchr(text, '\0', size);
	ga_node *obj = NULL, *patch = NULL, *obj0 = NULL, *patch0 = NULL;
	ga_buf out = GA_BUF_INIT(16u << 20);
	int err;

	if (!nul)
		return 0;
	obj = first_doc(text, (size_t)(nul - text));
	patch = first_doc(nul + 1, size - (size_t)(nul - text) - 1);
	if (!obj || !patch || ga_node_clone(&obj0, obj) < 0 ||
	    ga_node_clone(&patch0, patch) < 0)
		goto out;
	err = ga_kust__smp_apply(&obj, patch, "fuzz", size & 1, size & 2);
	if (!same(patch, patch0))
		abort();
	if (err < 0 && (!obj || !same(obj, obj0)))
		abort();
	/* NaN floats (GA_EINVALID) are the only tree it may refuse. */
	if (err == 0 && obj && ga_yaml_emit(&out, obj) == GA_ENOMEM)
		abort();
out:
	ga_buf_dispose(&out);
	ga_node_free(obj);
	ga_node_free(patch);
	ga_node_free(obj0);
	ga_node_free(patch0);
	return 0;
}
