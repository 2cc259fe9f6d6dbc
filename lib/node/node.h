/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal layout of ga_node, shared by node.c (lifecycle, scalars) and
 * collection.c (maps, lists, copy and comparison).
 */
#ifndef GA_NODE_NODE_H
#define GA_NODE_NODE_H

#include "ga/node.h"

/* Maps with more entries than this get a hash index. */
#define MAP_INDEX_MIN 8

struct map_entry {
	char *key;
	size_t klen;
	uint64_t hash;
	uint32_t kline, kcol; /* where the key was written; 0 if built */
	ga_node *value;
};

struct ga_node {
	ga_node_type type;
	bool is_uint;
	bool tagless; /* see ga_node_set_tagless() */
	uint32_t line, col;
	char *text; /* a scalar's source spelling, when it matters; owned */
	union {
		bool b;
		int64_t i;
		uint64_t u;
		double f;
		struct {
			char *ptr;
			size_t len;
		} s;
		struct {
			struct map_entry *e;
			size_t n, cap;
			uint32_t
			    *idx; /* slots hold entry index + 1; 0 = empty */
			size_t idx_cap;
		} m;
		struct {
			ga_node **items;
			size_t n, cap;
		} l;
	} v;
};

uint64_t ga_node__key_hash(const char *key, size_t len);

/* A new node of @node's type: scalar value copied (except strings),
 * collections empty. */
int ga_node__new_like(ga_node **out, const ga_node *node);

#endif
