/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where kustomize's strategic merge patch finds list merge keys: the
 * Kubernetes v1.21.2 OpenAPI schema that kubectl kustomize embeds, reduced
 * to what a merge can observe and compiled into a static table
 * (mergekeys.c).  A walk starts at the type of an apiVersion/kind, moves
 * from a type to its fields and from a list field to the type of its items,
 * and learns at each list whether it merges by keys, as a set, or not at
 * all.  Fields that lead to no associative list are absent from the table,
 * so a position there reads as "no schema", which a merge treats exactly
 * like a field whose schema holds no merge strategy.  Read-only data;
 * thread-safe.
 */
#ifndef GA_KUSTOMIZE_MERGEKEYS_H
#define GA_KUSTOMIZE_MERGEKEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** How a strategic merge patch treats a list. */
typedef enum ga_kust_list_merge {
	GA_KUST_LIST_ATOMIC = 0, /**< no strategy: the patch's list replaces */
	GA_KUST_LIST_SET,        /**< list of scalars merged as a set */
	GA_KUST_LIST_KEYS,       /**< list of maps merged by one or two keys */
} ga_kust_list_merge;

/*
 * A position in the schema: a field of a type, or the position of a type
 * itself (name NULL: a walk's start and every list item).  NULL pointers
 * stand for "no schema".
 */
typedef struct ga_kust_mk {
	const char *name;    /* the field's name; NULL for a type */
	bool list;           /* an associative list (merge is SET or KEYS) */
	uint8_t merge;       /* ga_kust_list_merge, for lists */
	uint8_t nkeys;       /* 1 or 2 for KEYS, else 0 */
	uint16_t type;       /* type of the value, or of the items; 0: none */
	const char *keys[2]; /* merge keys in schema order */
} ga_kust_mk;

/**
 * The schema position of an object with this apiVersion and kind (byte
 * strings), or NULL when the 1.21.2 schema has no such type or kyaml
 * cannot index it (definitions listing several kinds are skipped, as
 * kyaml skips them).
 */
const ga_kust_mk *ga_kust__mk_root(const char *apiversion, size_t avlen,
                                   const char *kind, size_t kindlen);

/**
 * The field @name (@len bytes) of the type at @at, or NULL: no schema at
 * @at, @at is a list, or the field leads to no associative list.
 */
const ga_kust_mk *ga_kust__mk_field(const ga_kust_mk *at, const char *name,
                                    size_t len);

/** The position of the items of the associative list @at, or NULL. */
const ga_kust_mk *ga_kust__mk_items(const ga_kust_mk *at);

#endif
