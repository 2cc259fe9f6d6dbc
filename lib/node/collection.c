/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Maps and lists of the node tree, deep copy and deep equality.
 */
#include "node.h"

#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "util/alloc.h"

static int not_a(const char *what, const ga_node *node)
{
	ga_error_set(GA_ERRCLASS_INVALID, "expected a %s, found a %s", what,
	             ga_node_type_name(node->type));
	return GA_EINVALID;
}

/* Entry index of @key, or -1.  Uses the hash index when there is one. */
static ptrdiff_t map_find(const ga_node *map, const char *key, size_t len,
                          uint64_t hash)
{
	const struct map_entry *e = map->v.m.e;

	if (map->v.m.idx) {
		size_t mask = map->v.m.idx_cap - 1;
		for (size_t s = hash & mask;; s = (s + 1) & mask) {
			uint32_t slot = map->v.m.idx[s];
			if (!slot)
				return -1;
			const struct map_entry *c = &e[slot - 1];
			if (c->hash == hash && c->klen == len &&
			    memcmp(c->key, key, len) == 0)
				return (ptrdiff_t)slot - 1;
		}
	}
	for (size_t i = 0; i < map->v.m.n; i++)
		if (e[i].hash == hash && e[i].klen == len &&
		    memcmp(e[i].key, key, len) == 0)
			return (ptrdiff_t)i;
	return -1;
}

/* A lookup: small maps have no index and are scanned without hashing the
 * key, which costs more than the few comparisons it would save. */
static ptrdiff_t map_lookup(const ga_node *map, const char *key, size_t len)
{
	const struct map_entry *e = map->v.m.e;

	if (map->v.m.idx)
		return map_find(map, key, len, ga_node__key_hash(key, len));
	/* Keys of one map rarely share a length and a first byte. */
	for (size_t i = 0; i < map->v.m.n; i++)
		if (e[i].klen == len && (!len || e[i].key[0] == key[0]) &&
		    memcmp(e[i].key, key, len) == 0)
			return (ptrdiff_t)i;
	return -1;
}

/* Rebuild the hash index for the current entries (or drop it). */
static int map_reindex(ga_node *map, size_t want)
{
	size_t cap = 16;
	uint32_t *idx;

	if (want <= MAP_INDEX_MIN) {
		ga_free(map->v.m.idx);
		map->v.m.idx = NULL;
		map->v.m.idx_cap = 0;
		return 0;
	}
	while (cap < want * 2)
		cap *= 2;
	if (cap > UINT32_MAX) {
		ga_error_set(GA_ERRCLASS_INVALID, "map has too many entries");
		return GA_ELIMIT;
	}
	idx = ga_calloc(cap, sizeof(*idx));
	if (!idx)
		return GA_ENOMEM;
	for (size_t i = 0; i < map->v.m.n; i++) {
		size_t s = map->v.m.e[i].hash & (cap - 1);
		while (idx[s])
			s = (s + 1) & (cap - 1);
		idx[s] = (uint32_t)i + 1;
	}
	ga_free(map->v.m.idx);
	map->v.m.idx = idx;
	map->v.m.idx_cap = cap;
	return 0;
}

static int map_append(ga_node *map, const char *key, size_t len, uint64_t hash,
                      ga_node *value)
{
	struct map_entry *e;
	char *k;
	int err;

	if (map->v.m.n == map->v.m.cap) {
		size_t ncap = map->v.m.cap ? map->v.m.cap * 2 : 4;
		e = ga_reallocarray(map->v.m.e, ncap, sizeof(*e));
		if (!e)
			return GA_ENOMEM;
		map->v.m.e = e;
		map->v.m.cap = ncap;
	}
	if (map->v.m.n + 1 > MAP_INDEX_MIN &&
	    (map->v.m.n + 1) * 2 > map->v.m.idx_cap &&
	    (err = map_reindex(map, map->v.m.n + 1)) < 0)
		return err;
	if (!(k = ga_strndup(key, len)))
		return GA_ENOMEM;
	e = &map->v.m.e[map->v.m.n];
	e->key = k;
	e->klen = len;
	e->hash = hash;
	e->kline = e->kcol = 0;
	e->value = value;
	if (map->v.m.idx) {
		size_t mask = map->v.m.idx_cap - 1, s = hash & mask;
		while (map->v.m.idx[s])
			s = (s + 1) & mask;
		map->v.m.idx[s] = (uint32_t)map->v.m.n + 1;
	}
	map->v.m.n++;
	return 0;
}

ga_node *ga_node_map_getn(const ga_node *map, const char *key, size_t len)
{
	ptrdiff_t i;

	if (map->type != GA_NODE_MAP)
		return NULL;
	i = map_lookup(map, key, len);
	return i < 0 ? NULL : map->v.m.e[i].value;
}

ga_node *ga_node_map_get(const ga_node *map, const char *key)
{
	return ga_node_map_getn(map, key, strlen(key));
}

const char *ga_node_map_key(const ga_node *map, size_t i, size_t *len_out)
{
	if (map->type != GA_NODE_MAP || i >= map->v.m.n)
		return NULL;
	if (len_out)
		*len_out = map->v.m.e[i].klen;
	return map->v.m.e[i].key;
}

void ga_node_map_key_pos(const ga_node *map, size_t i, uint32_t *line,
                         uint32_t *col)
{
	bool ok = map->type == GA_NODE_MAP && i < map->v.m.n;

	*line = ok ? map->v.m.e[i].kline : 0;
	*col = ok ? map->v.m.e[i].kcol : 0;
}

void ga_node_map_set_key_pos(ga_node *map, size_t i, uint32_t line,
                             uint32_t col)
{
	if (map->type == GA_NODE_MAP && i < map->v.m.n) {
		map->v.m.e[i].kline = line;
		map->v.m.e[i].kcol = col;
	}
}

ga_node *ga_node_map_value(const ga_node *map, size_t i)
{
	if (map->type != GA_NODE_MAP || i >= map->v.m.n)
		return NULL;
	return map->v.m.e[i].value;
}

static int map_put(ga_node *map, const char *key, size_t len, ga_node *value,
                   bool replace)
{
	uint64_t hash;
	ptrdiff_t i;
	int err;

	if (map->type != GA_NODE_MAP) {
		err = not_a("map", map);
		goto fail;
	}
	hash = ga_node__key_hash(key, len);
	i = map_find(map, key, len, hash);
	if (i >= 0 && !replace) {
		ga_error_set(GA_ERRCLASS_INVALID, "key \"%.*s\" already exists",
		             (int)(len > 200 ? 200 : len), key);
		err = GA_EEXISTS;
		goto fail;
	}
	if (i >= 0) {
		ga_node_free(map->v.m.e[i].value);
		map->v.m.e[i].value = value;
		return 0;
	}
	if ((err = map_append(map, key, len, hash, value)) < 0)
		goto fail;
	return 0;
fail:
	ga_node_free(value);
	return err;
}

int ga_node_map_setn_take(ga_node *map, const char *key, size_t len,
                          ga_node *value)
{
	return map_put(map, key, len, value, true);
}

int ga_node_map_set_take(ga_node *map, const char *key, ga_node *value)
{
	return map_put(map, key, strlen(key), value, true);
}

int ga_node_map_addn_take(ga_node *map, const char *key, size_t len,
                          ga_node *value)
{
	return map_put(map, key, len, value, false);
}

ga_node *ga_node_map_remove(ga_node *map, const char *key)
{
	size_t len = strlen(key);
	ga_node *value;
	ptrdiff_t i;

	if (map->type != GA_NODE_MAP)
		return NULL;
	i = map_lookup(map, key, len);
	if (i < 0)
		return NULL;
	value = map->v.m.e[i].value;
	ga_free(map->v.m.e[i].key);
	memmove(&map->v.m.e[i], &map->v.m.e[i + 1],
	        (map->v.m.n - (size_t)i - 1) * sizeof(map->v.m.e[0]));
	map->v.m.n--;
	/* Entry indices shifted: rebuild.  Shrinking never needs memory when
	 * the index is dropped, and a failed rebuild falls back to a scan. */
	if (map_reindex(map, map->v.m.n) < 0) {
		ga_free(map->v.m.idx);
		map->v.m.idx = NULL;
		map->v.m.idx_cap = 0;
		ga_error_clear();
	}
	return value;
}

ga_node *ga_node_list_get(const ga_node *list, size_t i)
{
	if (list->type != GA_NODE_LIST || i >= list->v.l.n)
		return NULL;
	return list->v.l.items[i];
}

int ga_node_list_insert_take(ga_node *list, size_t i, ga_node *item)
{
	int err;

	if (list->type != GA_NODE_LIST) {
		err = not_a("list", list);
		goto fail;
	}
	if (i > list->v.l.n) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "list index %zu out of range (length %zu)", i,
		             list->v.l.n);
		err = GA_EINVALID;
		goto fail;
	}
	if (list->v.l.n == list->v.l.cap) {
		size_t ncap = list->v.l.cap ? list->v.l.cap * 2 : 4;
		ga_node **items =
		    ga_reallocarray(list->v.l.items, ncap, sizeof(ga_node *));
		if (!items) {
			err = GA_ENOMEM;
			goto fail;
		}
		list->v.l.items = items;
		list->v.l.cap = ncap;
	}
	memmove(&list->v.l.items[i + 1], &list->v.l.items[i],
	        (list->v.l.n - i) * sizeof(ga_node *));
	list->v.l.items[i] = item;
	list->v.l.n++;
	return 0;
fail:
	ga_node_free(item);
	return err;
}

int ga_node_list_append_take(ga_node *list, ga_node *item)
{
	return ga_node_list_insert_take(
	    list, list->type == GA_NODE_LIST ? list->v.l.n : 0, item);
}

ga_node *ga_node_list_remove(ga_node *list, size_t i)
{
	ga_node *item;

	if (list->type != GA_NODE_LIST || i >= list->v.l.n)
		return NULL;
	item = list->v.l.items[i];
	memmove(&list->v.l.items[i], &list->v.l.items[i + 1],
	        (list->v.l.n - i - 1) * sizeof(ga_node *));
	list->v.l.n--;
	return item;
}

static int clone_children(ga_node *copy, const ga_node *node)
{
	ga_node *child = NULL;
	int err;

	for (size_t i = 0; i < ga_node_count(node); i++) {
		const ga_node *src = node->type == GA_NODE_MAP
		                         ? node->v.m.e[i].value
		                         : node->v.l.items[i];
		if ((err = ga_node_clone(&child, src)) < 0)
			return err;
		if (node->type == GA_NODE_MAP) {
			const struct map_entry *e = &node->v.m.e[i];
			err = map_append(copy, e->key, e->klen, e->hash, child);
			if (!err)
				ga_node_map_set_key_pos(copy, i, e->kline,
				                        e->kcol);
		} else
			err = ga_node_list_append_take(copy, child);
		if (err < 0) {
			if (node->type == GA_NODE_MAP)
				ga_node_free(child);
			return err;
		}
	}
	return 0;
}

int ga_node_clone(ga_node **out, const ga_node *node)
{
	ga_node *copy = NULL;
	int err;

	if (node->type == GA_NODE_STRING)
		err = ga_node_new_string(&copy, node->v.s.ptr, node->v.s.len);
	else
		err = ga_node__new_like(&copy, node);
	if (!err && node->text)
		err = ga_node_set_source_text(copy, node->text,
		                              strlen(node->text));
	if (err < 0) {
		ga_node_free(copy);
		return err;
	}
	if ((err = clone_children(copy, node)) < 0) {
		ga_node_free(copy);
		return err;
	}
	copy->line = node->line;
	copy->col = node->col;
	copy->tagless = node->tagless;
	*out = copy;
	return 0;
}

static bool map_equal(const ga_node *a, const ga_node *b)
{
	if (a->v.m.n != b->v.m.n)
		return false;
	for (size_t i = 0; i < a->v.m.n; i++) {
		const struct map_entry *e = &a->v.m.e[i];
		ptrdiff_t j = map_find(b, e->key, e->klen, e->hash);
		if (j < 0 || !ga_node_equal(e->value, b->v.m.e[j].value))
			return false;
	}
	return true;
}

bool ga_node_equal(const ga_node *a, const ga_node *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case GA_NODE_NULL:
		return true;
	case GA_NODE_BOOL:
		return a->v.b == b->v.b;
	case GA_NODE_INT:
		return a->is_uint == b->is_uint && a->v.u == b->v.u;
	case GA_NODE_FLOAT:
		return a->v.f == b->v.f;
	case GA_NODE_STRING:
		return a->v.s.len == b->v.s.len &&
		       memcmp(a->v.s.ptr, b->v.s.ptr, a->v.s.len) == 0;
	case GA_NODE_MAP:
		return map_equal(a, b);
	case GA_NODE_LIST:
		if (a->v.l.n != b->v.l.n)
			return false;
		for (size_t i = 0; i < a->v.l.n; i++)
			if (!ga_node_equal(a->v.l.items[i], b->v.l.items[i]))
				return false;
		return true;
	}
	return false;
}
