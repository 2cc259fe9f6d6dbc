/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The document object model shared by the YAML and JSON front ends, the
 * kustomize engine and the Kubernetes client: a tree of maps (insertion
 * ordered), lists and typed scalars.  Scalars are typed the way kubectl
 * kustomize resolves them (null, bool, int, uint, float, string); each node
 * keeps the line and column it came from so that errors can point at the
 * source.  A node owns its children: freeing the root frees the tree, and
 * functions named *_take take ownership of their argument even when they
 * fail.  Not thread-safe per tree; distinct trees may be used concurrently.
 */
#ifndef GA_NODE_H
#define GA_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"

typedef enum ga_node_type {
	GA_NODE_NULL = 0,
	GA_NODE_BOOL,
	GA_NODE_INT, /**< signed 64-bit, or unsigned when ga_node_is_uint() */
	GA_NODE_FLOAT,
	GA_NODE_STRING,
	GA_NODE_MAP,
	GA_NODE_LIST,
} ga_node_type;

typedef struct ga_node ga_node;

/* Construction.  Each returns 0 or GA_ENOMEM; *out owns the new node. */
GA_EXTERN int ga_node_new_null(ga_node **out);
GA_EXTERN int ga_node_new_bool(ga_node **out, bool value);
GA_EXTERN int ga_node_new_int(ga_node **out, int64_t value);
GA_EXTERN int ga_node_new_uint(ga_node **out, uint64_t value);
GA_EXTERN int ga_node_new_float(ga_node **out, double value);
/** A string of @len bytes (may contain NUL); the bytes are copied. */
GA_EXTERN int ga_node_new_string(ga_node **out, const char *s, size_t len);
GA_EXTERN int ga_node_new_map(ga_node **out);
GA_EXTERN int ga_node_new_list(ga_node **out);

/** Free @node and everything below it; NULL is ignored. */
GA_EXTERN void ga_node_free(ga_node *node);

/** Deep copy, positions included.  Returns 0 or GA_ENOMEM. */
GA_EXTERN int ga_node_clone(ga_node **out, const ga_node *node);

/* Inspection. */
GA_EXTERN ga_node_type ga_node_type_of(const ga_node *node);
/** "null", "bool", "int", "float", "string", "map" or "list". */
GA_EXTERN const char *ga_node_type_name(ga_node_type type);
GA_EXTERN bool ga_node_is_scalar(const ga_node *node);
/** For GA_NODE_INT: whether the value is held as uint64 (> INT64_MAX). */
GA_EXTERN bool ga_node_is_uint(const ga_node *node);
GA_EXTERN bool ga_node_bool(const ga_node *node);
GA_EXTERN int64_t ga_node_int(const ga_node *node);
GA_EXTERN uint64_t ga_node_uint(const ga_node *node);
GA_EXTERN double ga_node_float(const ga_node *node);

/**
 * A string's bytes, NUL-terminated; NULL for any other type.  Borrowed:
 * valid while the node lives and is not modified.
 */
GA_EXTERN const char *ga_node_str(const ga_node *node);
/** The length of ga_node_str(); 0 for other types. */
GA_EXTERN size_t ga_node_str_len(const ga_node *node);

/**
 * How a scalar was written in its source when its value alone does not
 * say it ("0x1F", "yes", "1.50", "2001-12-14"), or NULL.  YAML tools
 * built on kyaml hand on that text where they treat values as strings
 * (annotations, replacement delimiters).  Borrowed, like ga_node_str().
 */
GA_EXTERN const char *ga_node_source_text(const ga_node *node);
/**
 * Record @len bytes at @s as the source spelling of the scalar @node.
 * Returns 0, GA_EINVALID (@node is a map or list) or GA_ENOMEM.
 */
GA_EXTERN int ga_node_set_source_text(ga_node *node, const char *s, size_t len);

/**
 * Mark the scalar @node as written without a type: kyaml gives every
 * scalar it parses a resolved tag, but the scalars some kustomize
 * transformers create (a prefixed name, a rewritten image) have none, so
 * that text later copied into them decides their type ("1" becomes an
 * int).  Kept by ga_node_clone().
 */
GA_EXTERN void ga_node_set_tagless(ga_node *node, bool tagless);
/** Whether ga_node_set_tagless() marked @node. */
GA_EXTERN bool ga_node_tagless(const ga_node *node);

/** Entries of a map or items of a list; 0 for scalars. */
GA_EXTERN size_t ga_node_count(const ga_node *node);

/** Source position, 1-based; 0 when the node was built in memory. */
GA_EXTERN uint32_t ga_node_line(const ga_node *node);
GA_EXTERN uint32_t ga_node_col(const ga_node *node);
GA_EXTERN void ga_node_set_pos(ga_node *node, uint32_t line, uint32_t col);

/* Maps.  Keys are byte strings; lookups are O(1) on large maps. */

/** The value under @key, or NULL.  Borrowed. */
GA_EXTERN ga_node *ga_node_map_get(const ga_node *map, const char *key);
GA_EXTERN ga_node *ga_node_map_getn(const ga_node *map, const char *key,
                                    size_t len);
/** The i-th key (insertion order) and its length; borrowed. */
GA_EXTERN const char *ga_node_map_key(const ga_node *map, size_t i,
                                      size_t *len_out);
/** Where the i-th key was written (1-based; 0 when built in memory). */
GA_EXTERN void ga_node_map_key_pos(const ga_node *map, size_t i, uint32_t *line,
                                   uint32_t *col);
/** Record where the i-th key was written (used by parsers). */
GA_EXTERN void ga_node_map_set_key_pos(ga_node *map, size_t i, uint32_t line,
                                       uint32_t col);

/** The i-th value (insertion order); borrowed. */
GA_EXTERN ga_node *ga_node_map_value(const ga_node *map, size_t i);

/**
 * Set @key to @value, replacing (and freeing) a previous value in place, or
 * appending a new entry.  Takes @value even on failure.
 * Returns 0, GA_EINVALID (not a map) or GA_ENOMEM.
 */
GA_EXTERN int ga_node_map_set_take(ga_node *map, const char *key,
                                   ga_node *value);
GA_EXTERN int ga_node_map_setn_take(ga_node *map, const char *key, size_t len,
                                    ga_node *value);

/**
 * Append @key, which must not exist yet.  Takes @value even on failure.
 * Returns 0, GA_EEXISTS, GA_EINVALID (not a map) or GA_ENOMEM.
 */
GA_EXTERN int ga_node_map_addn_take(ga_node *map, const char *key, size_t len,
                                    ga_node *value);

/** Remove @key and return its value (owned by the caller), or NULL. */
GA_EXTERN ga_node *ga_node_map_remove(ga_node *map, const char *key);

/* Lists. */

/** The i-th item, or NULL when out of range.  Borrowed. */
GA_EXTERN ga_node *ga_node_list_get(const ga_node *list, size_t i);

/**
 * Insert @item before position @i (i == count appends).  Takes @item even
 * on failure.  Returns 0, GA_EINVALID (not a list, bad index) or GA_ENOMEM.
 */
GA_EXTERN int ga_node_list_insert_take(ga_node *list, size_t i, ga_node *item);
GA_EXTERN int ga_node_list_append_take(ga_node *list, ga_node *item);

/** Remove the i-th item and return it (owned by the caller), or NULL. */
GA_EXTERN ga_node *ga_node_list_remove(ga_node *list, size_t i);

/**
 * Deep equality: same types and values, maps compared as unordered sets of
 * keys, lists in order.  Positions are ignored.
 */
GA_EXTERN bool ga_node_equal(const ga_node *a, const ga_node *b);

#endif
