/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Label values kustomize shares between fields.  A label transformer
 * (commonLabels, a `labels` entry, LabelTransformer) makes one YAML node
 * per key and object and puts that very node into every field of the
 * object where the key was missing: metadata.labels, the selector, the
 * pod template's labels.  A later change made in place to one of them (a
 * label transformer setting the key again, a replacement writing the
 * field) shows in all; a JSON patch rebuilds the object and ends the
 * sharing, and a strategic-merge patch puts a node of its own where it
 * writes.  The node model has no shared nodes, so the fields that share
 * one are remembered, per object, as paths from the object's root.
 */
#include "alias.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/error.h"

/* Bounds: field specs do not go deeper; the search stops there. */
#define ALIAS_MAX_DEPTH 64

/* The child indices from @n down to @target into @at; the depth found,
 * or -1.  Nothing is allocated while searching: objects are searched
 * whole, for every key of every label transformer. */
static int search(const ga_node *n, const ga_node *target, size_t *at,
                  unsigned depth)
{
	if (n == target)
		return (int)depth;
	if (depth == ALIAS_MAX_DEPTH || ga_node_is_scalar(n))
		return -1;
	for (size_t i = 0; i < ga_node_count(n); i++) {
		const ga_node *c = ga_node_type_of(n) == GA_NODE_MAP
		                       ? ga_node_map_value(n, i)
		                       : ga_node_list_get(n, i);
		int found;

		at[depth] = i;
		if ((found = search(c, target, at, depth + 1)) >= 0)
			return found;
	}
	return -1;
}

/* Append to @path the steps from @n to @target; true when found. */
static bool find_path(const ga_node *n, const ga_node *target, ga_node *path,
                      unsigned depth, int *err)
{
	size_t at[ALIAS_MAX_DEPTH];
	int len = search(n, target, at, depth);
	char idx[32];

	for (int d = (int)depth; d < len && !*err; d++) {
		bool map = ga_node_type_of(n) == GA_NODE_MAP;
		size_t klen = 0;
		const char *k = map ? ga_node_map_key(n, at[d], &klen) : idx;
		ga_node *step = NULL;

		if (!map)
			klen = (size_t)snprintf(idx, sizeof(idx), "%zu", at[d]);
		if ((*err = ga_node_new_string(&step, k, klen)) < 0 ||
		    (*err = ga_node_list_append_take(path, step)) < 0)
			return false;
		n = map ? ga_node_map_value(n, at[d])
		        : ga_node_list_get(n, at[d]);
	}
	return len >= 0 && !*err;
}

/* The node at @path from @n, or NULL. */
static ga_node *follow(ga_node *n, const ga_node *path)
{
	for (size_t i = 0; n && i < ga_node_count(path); i++) {
		const char *s = ga_node_str(ga_node_list_get(path, i));
		char *end;
		unsigned long idx;

		if (ga_node_type_of(n) == GA_NODE_MAP) {
			n = ga_node_map_get(n, s);
		} else if (ga_node_type_of(n) == GA_NODE_LIST) {
			idx = strtoul(s, &end, 10);
			n = *end ? NULL : ga_node_list_get(n, idx);
		} else {
			n = NULL;
		}
	}
	return n;
}

/* The value of @key in the map at member @i of @group (NULL if gone);
 * *@map_out (if given) is that map. */
static const ga_node *member_value(const ga_kust_res *r, const ga_node *group,
                                   size_t i, const char *key, ga_node **map_out)
{
	ga_node *m = follow(r->obj, ga_node_list_get(group, i));

	if (map_out)
		*map_out = m;
	return m && ga_node_type_of(m) == GA_NODE_MAP ? ga_node_map_get(m, key)
	                                              : NULL;
}

int ga_kust__alias_record(ga_kust_res *r, const char *key, ga_node *const *maps,
                          size_t n)
{
	ga_node *group = NULL, *k = NULL;
	int err;

	if (n < 2)
		return 0;
	if ((!r->aliases && (err = ga_node_new_list(&r->aliases)) < 0) ||
	    (err = ga_node_new_list(&group)) < 0)
		return err;
	if ((err = ga_node_new_string(&k, key, strlen(key))) < 0 ||
	    (err = ga_node_list_append_take(group, k)) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		ga_node *path = NULL;

		err = 0;
		if ((err = ga_node_new_list(&path)) < 0)
			goto fail;
		if (!find_path(r->obj, maps[i], path, 0, &err)) {
			ga_node_free(path);
			if (err < 0)
				goto fail;
			continue;
		}
		if ((err = ga_node_list_append_take(group, path)) < 0)
			goto fail;
	}
	return ga_node_list_append_take(r->aliases, group);
fail:
	ga_node_free(group);
	return err;
}

int ga_kust__alias_update(ga_kust_res *r, const ga_node *map, const char *key,
                          const ga_node *old, const ga_node *now)
{
	ga_node *path = NULL;
	int err = 0;

	if (!r->aliases)
		return 0;
	if ((err = ga_node_new_list(&path)) < 0)
		return err;
	if (!find_path(r->obj, map, path, 0, &err))
		goto out;
	for (size_t g = 0; !err && g < ga_node_count(r->aliases); g++) {
		const ga_node *group = ga_node_list_get(r->aliases, g);
		bool member = false;

		if (strcmp(ga_node_str(ga_node_list_get(group, 0)), key) != 0)
			continue;
		for (size_t i = 1; i < ga_node_count(group); i++)
			member =
			    member ||
			    ga_node_equal(ga_node_list_get(group, i), path);
		/* The fields still holding the value the changed one had
		 * share its node; one a patch rewrote has a node of its own. */
		for (size_t i = 1; member && !err && i < ga_node_count(group);
		     i++) {
			ga_node *m;
			const ga_node *v = member_value(r, group, i, key, &m);
			ga_node *copy = NULL;

			if (m == map || !v || !ga_node_equal(v, old))
				continue;
			if (!(err = ga_node_clone(&copy, now)))
				err = ga_node_map_set_take(m, key, copy);
		}
	}
out:
	ga_node_free(path);
	return err;
}

void ga_kust__alias_forget(ga_kust_res *r)
{
	ga_node_free(r->aliases);
	r->aliases = NULL;
}

int ga_kust__alias_snapshot(const ga_kust_res *r, ga_node **out)
{
	int err;

	*out = NULL;
	if (!r->aliases)
		return 0;
	if ((err = ga_node_new_list(out)) < 0)
		return err;
	for (size_t g = 0; g < ga_node_count(r->aliases); g++) {
		const ga_node *group = ga_node_list_get(r->aliases, g);
		const char *key = ga_node_str(ga_node_list_get(group, 0));
		ga_node *vals = NULL;

		if ((err = ga_node_new_list(&vals)) < 0 ||
		    (err = ga_node_list_append_take(*out, vals)) < 0)
			return err;
		for (size_t i = 1; i < ga_node_count(group); i++) {
			const ga_node *v = member_value(r, group, i, key, NULL);
			ga_node *copy = NULL;

			err = v ? ga_node_clone(&copy, v)
			        : ga_node_new_null(&copy);
			if (err < 0 ||
			    (err = ga_node_list_append_take(vals, copy)) < 0)
				return err;
		}
	}
	return 0;
}

/* The value of the field at @path of @r's object under @key, or NULL. */
static ga_node *field(ga_kust_res *r, const ga_node *path, const char *key,
                      ga_node **map)
{
	*map = follow(r->obj, path);
	return *map && ga_node_type_of(*map) == GA_NODE_MAP
	           ? ga_node_map_get(*map, key)
	           : NULL;
}

/* The index of the last field of @group (in the order they were made,
 * which is the order a merge writes them) whose value is no longer the
 * one @before holds for it; 0 when none changed. */
static size_t changed(ga_kust_res *r, const ga_node *group,
                      const ga_node *before, const char *key)
{
	size_t last = 0;
	ga_node *m;

	for (size_t i = 1; i < ga_node_count(group); i++) {
		const ga_node *v =
		    field(r, ga_node_list_get(group, i), key, &m);

		if (v && !ga_node_equal(v, ga_node_list_get(before, i - 1)))
			last = i;
	}
	return last;
}

int ga_kust__alias_settle(ga_kust_res *r, ga_node *snapshot)
{
	int err = 0;

	for (size_t g = 0;
	     !err && snapshot && r->aliases && g < ga_node_count(r->aliases) &&
	     g < ga_node_count(snapshot);
	     g++) {
		const ga_node *group = ga_node_list_get(r->aliases, g);
		const ga_node *before = ga_node_list_get(snapshot, g);
		const char *key = ga_node_str(ga_node_list_get(group, 0));
		size_t last = changed(r, group, before, key);
		const ga_node *was =
		    last ? ga_node_list_get(before, last - 1) : NULL;
		ga_node *m = NULL, *now = NULL;

		if (last)
			now = field(r, ga_node_list_get(group, last), key, &m);
		/* A patch wrote the shared node in place, the last write
		 * showing in every field that still held it. */
		for (size_t i = 1; now && !err && i < ga_node_count(group);
		     i++) {
			ga_node *v =
			    field(r, ga_node_list_get(group, i), key, &m);
			const ga_node *b = ga_node_list_get(before, i - 1);
			ga_node *copy = NULL;

			if (!v || i == last ||
			    (ga_node_equal(v, b) && !ga_node_equal(b, was)))
				continue;
			if (!(err = ga_node_clone(&copy, now)))
				err = ga_node_map_set_take(m, key, copy);
		}
	}
	ga_node_free(snapshot);
	return err;
}

void ga_kust__alias_drop(ga_kust_res *r, const char *const *path, size_t n)
{
	for (size_t g = 0; r->aliases && g < ga_node_count(r->aliases); g++) {
		ga_node *group = ga_node_list_get(r->aliases, g);

		for (size_t i = ga_node_count(group); i-- > 1;) {
			const ga_node *p = ga_node_list_get(group, i);
			bool same = ga_node_count(p) == n;

			for (size_t k = 0; same && k < n; k++)
				same =
				    strcmp(ga_node_str(ga_node_list_get(p, k)),
				           path[k]) == 0;
			if (same)
				ga_node_free(ga_node_list_remove(group, i));
		}
	}
}
