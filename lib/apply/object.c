/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading objects: fields by dotted path, an object's identity, and
 * Flux's per-object switches (kustomize-controller's AnyInMetadata: the
 * key may sit in labels or annotations, the value compares
 * case-insensitively).
 */
#include "apply/apply_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ga/error.h"

const ga_node *ga_apply__at(const ga_node *obj, const char *path)
{
	const ga_node *cur = obj;

	while (cur && *path) {
		const char *dot = strchr(path, '.');
		size_t len = dot ? (size_t)(dot - path) : strlen(path);

		if (ga_node_type_of(cur) != GA_NODE_MAP)
			return NULL;
		cur = ga_node_map_getn(cur, path, len);
		path += len + (dot ? 1 : 0);
	}
	return cur;
}

int ga_apply__set_str(ga_node *map, const char *key, const char *value)
{
	ga_node *v = NULL;
	int err = ga_node_new_string(&v, value, strlen(value));

	return err < 0 ? err : ga_node_map_set_take(map, key, v);
}

const char *ga_apply__str(const ga_node *obj, const char *path,
                          const char *dflt)
{
	const ga_node *n = ga_apply__at(obj, path);
	const char *s = n ? ga_node_str(n) : NULL;

	return s ? s : dflt;
}

bool ga_apply__int(const ga_node *obj, const char *path, int64_t dflt,
                   int64_t *out)
{
	const ga_node *n = ga_apply__at(obj, path);

	*out = dflt;
	if (!n || ga_node_type_of(n) != GA_NODE_INT || ga_node_is_uint(n))
		return false;
	*out = ga_node_int(n);
	return true;
}

static bool map_has(const ga_node *map, const char *key, const char *value)
{
	const ga_node *v;

	if (!map || ga_node_type_of(map) != GA_NODE_MAP)
		return false;
	v = ga_node_map_get(map, key);
	return v && ga_node_str(v) && strcasecmp(ga_node_str(v), value) == 0;
}

bool ga_apply__meta_is(const ga_node *obj, const char *key, const char *value)
{
	const ga_node *meta = ga_apply__at(obj, "metadata");

	return map_has(ga_apply__at(meta, "labels"), key, value) ||
	       map_has(ga_apply__at(meta, "annotations"), key, value);
}

static int bad_field(const ga_node *obj, const char *field)
{
	ga_error_set(GA_ERRCLASS_INVALID,
	             "%s %s %s%s%s: %s is missing or not "
	             "a non-empty string",
	             ga_apply__str(obj, "apiVersion", "?"),
	             ga_apply__str(obj, "kind", "?"),
	             ga_apply__str(obj, "metadata.namespace", ""),
	             *ga_apply__str(obj, "metadata.namespace", "") ? "/" : "",
	             ga_apply__str(obj, "metadata.name", "?"), field);
	return GA_EINVALID;
}

int ga_apply_ref_of(ga_apply_ref *ref, char *group, size_t group_size,
                    const ga_node *obj)
{
	const char *api = ga_apply__str(obj, "apiVersion", "");
	const char *slash = strchr(api, '/');
	size_t glen = slash ? (size_t)(slash - api) : 0;

	if (!*api || (slash && (!slash[1] || glen == 0)))
		return bad_field(obj, "apiVersion");
	if (!*ga_apply__str(obj, "kind", ""))
		return bad_field(obj, "kind");
	if (!*ga_apply__str(obj, "metadata.name", ""))
		return bad_field(obj, "metadata.name");
	if (glen >= group_size) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "%s %s: the API group is "
		             "longer than %zu bytes",
		             api, ga_apply__str(obj, "kind", ""),
		             group_size - 1);
		return GA_EINVALID;
	}
	memcpy(group, api, glen);
	group[glen] = '\0';
	ref->group = group;
	ref->version = slash ? slash + 1 : api;
	ref->kind = ga_apply__str(obj, "kind", "");
	ref->ns = ga_apply__str(obj, "metadata.namespace", "");
	ref->name = ga_apply__str(obj, "metadata.name", "");
	return 0;
}
