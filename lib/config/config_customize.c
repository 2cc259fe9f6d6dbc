/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The provider's customisations: kustomization fields the build engine
 * applies on top of the vendor's distribution, written as in a
 * kustomization.yaml.  Only inline patches are allowed (a path would
 * read the vendor's repository); their text is parsed by the build
 * itself, which names any error in it.  Here the shape is checked, so a
 * misspelt key or a wrong type is refused before anything is built.
 */
#include <stdio.h>
#include <string.h>

#include "config_int.h"
#include "ga/error.h"

/* A mapping whose every key is one of @allowed and every value a
 * string, except the keys in @other, which the caller checks. */
static int strings(const ga_config__ctx *cx, const ga_node *v, const char *key,
                   const char *const *allowed, const char *other)
{
	if (ga_node_type_of(v) != GA_NODE_MAP)
		return ga_config__fail(cx, v, key, "must be a mapping");
	for (size_t i = 0; i < ga_node_count(v); i++) {
		const char *k = ga_node_map_key(v, i, NULL);
		const ga_node *val = ga_node_map_value(v, i);
		bool known = !allowed;

		for (size_t j = 0; allowed && allowed[j]; j++)
			known |= strcmp(k, allowed[j]) == 0;
		if (!known)
			return ga_config__fail(cx, val, key,
			                       "unknown key %.64s", k);
		if (other && strcmp(k, other) == 0)
			continue;
		if (ga_node_type_of(val) != GA_NODE_STRING)
			return ga_config__fail(cx, val, key,
			                       "%.64s must be a string", k);
	}
	return 0;
}

/* Each item of the list @v is checked by @item. */
static int each(const ga_config__ctx *cx, const ga_node *v, const char *key,
                int (*item)(const ga_config__ctx *, const ga_node *,
                            const char *))
{
	int err;

	if (ga_node_type_of(v) != GA_NODE_LIST)
		return ga_config__fail(cx, v, key, "must be a list");
	for (size_t i = 0; i < ga_node_count(v); i++)
		if ((err = item(cx, ga_node_list_get(v, i), key)) < 0)
			return err;
	return 0;
}

static int patch(const ga_config__ctx *cx, const ga_node *v, const char *key)
{
	static const char *const keys[] = {"patch", "target", "options", NULL};
	static const char *const target[] = {"group",
	                                     "version",
	                                     "kind",
	                                     "name",
	                                     "namespace",
	                                     "labelSelector",
	                                     "annotationSelector",
	                                     NULL};
	static const char *const options[] = {"allowNameChange",
	                                      "allowKindChange", NULL};
	const ga_node *t, *o;
	int err;

	if ((err = strings(cx, v, key, keys, "target")) < 0)
		return err;
	if (!ga_node_map_get(v, "patch"))
		return ga_config__fail(cx, v, key,
		                       "a patch needs its text in \"patch\" "
		                       "(files are not read)");
	if ((t = ga_node_map_get(v, "target")) &&
	    (err = strings(cx, t, key, target, NULL)) < 0)
		return err;
	if ((o = ga_node_map_get(v, "options")) &&
	    ga_node_type_of(o) != GA_NODE_MAP)
		return ga_config__fail(cx, o, key, "options must be a mapping");
	for (size_t i = 0; o && i < ga_node_count(o); i++)
		if (ga_node_type_of(ga_node_map_value(o, i)) != GA_NODE_BOOL ||
		    (strcmp(ga_node_map_key(o, i, NULL), options[0]) != 0 &&
		     strcmp(ga_node_map_key(o, i, NULL), options[1]) != 0))
			return ga_config__fail(
			    cx, o, key,
			    "options are allowNameChange and "
			    "allowKindChange, true or false");
	return 0;
}

static int image(const ga_config__ctx *cx, const ga_node *v, const char *key)
{
	static const char *const keys[] = {"name", "newName", "newTag",
	                                   "digest", NULL};
	int err = strings(cx, v, key, keys, NULL);

	if (!err && !ga_node_map_get(v, "name"))
		return ga_config__fail(cx, v, key, "an image needs its name");
	return err;
}

static int replica(const ga_config__ctx *cx, const ga_node *v, const char *key)
{
	static const char *const keys[] = {"name", "count", NULL};
	const ga_node *count;
	int err = strings(cx, v, key, keys, "count");

	if (err)
		return err;
	count = ga_node_map_get(v, "count");
	if (!ga_node_map_get(v, "name") || !count ||
	    ga_node_type_of(count) != GA_NODE_INT || ga_node_int(count) < 0)
		return ga_config__fail(cx, v, key,
		                       "a replicas item needs a name and a "
		                       "count of 0 or more");
	return 0;
}

int ga_config__read_customize(const ga_config__ctx *cx, const ga_node *v,
                              const char *key, void *target)
{
	ga_config *c = target;
	int err;

	if (ga_node_type_of(v) != GA_NODE_MAP)
		return ga_config__fail(cx, v, key, "must be a mapping");
	for (size_t i = 0; i < ga_node_count(v); i++) {
		const char *k = ga_node_map_key(v, i, NULL);
		const ga_node *val = ga_node_map_value(v, i);
		char path[64];

		(void)snprintf(path, sizeof(path), "%s.%s", key, k);
		if (strcmp(k, "patches") == 0)
			err = each(cx, val, path, patch);
		else if (strcmp(k, "images") == 0)
			err = each(cx, val, path, image);
		else if (strcmp(k, "replicas") == 0)
			err = each(cx, val, path, replica);
		else if (strcmp(k, "commonLabels") == 0 ||
		         strcmp(k, "commonAnnotations") == 0)
			err = strings(cx, val, path, NULL, NULL);
		else
			err = ga_config__fail(cx, val, path, "unknown key");
		if (err < 0)
			return err;
	}
	ga_node_free(c->customize);
	c->customize = NULL;
	return ga_node_clone(&c->customize, v);
}
