/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Label values kustomize shares between the fields of an object (see
 * alias.c).
 */
#ifndef GA_KUSTOMIZE_ALIAS_H
#define GA_KUSTOMIZE_ALIAS_H

#include <stddef.h>

#include "ga/node.h"
#include "resource.h"

/* A label transformer created @key, with one shared value, in the maps
 * @maps[0..@n) of @r's object: remember them as sharing it. */
int ga_kust__alias_record(ga_kust_res *r, const char *key, ga_node *const *maps,
                          size_t n);

/*
 * The value of @key in the map @map of @r's object changed in place from
 * @old to @now: give the same value to the fields sharing its node.
 * Returns 0 or GA_ENOMEM.
 */
int ga_kust__alias_update(ga_kust_res *r, const ga_node *map, const char *key,
                          const ga_node *old, const ga_node *now);

/*
 * Around a strategic-merge patch of @r's object, which writes shared
 * values in place: *@out is a copy of the shared fields' values before
 * it (NULL when none), and ga_kust__alias_settle() then gives the new
 * value of a field the patch changed to the fields sharing it, and frees
 * @snapshot.  Return 0 or GA_ENOMEM.
 */
int ga_kust__alias_snapshot(const ga_kust_res *r, ga_node **out);
int ga_kust__alias_settle(ga_kust_res *r, ga_node *snapshot);

/* The map at @path (@n steps) of @r's object was rebuilt with values of
 * its own (kustomize's SetAnnotations): it shares nothing any more. */
void ga_kust__alias_drop(ga_kust_res *r, const char *const *path, size_t n);

/* @r's object was rebuilt (a JSON patch): nothing is shared any more. */
void ga_kust__alias_forget(ga_kust_res *r);

#endif
