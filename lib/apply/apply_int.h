/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the files of lib/apply: reading fields of objects
 * without caring whether each step exists, and Flux's per-object
 * annotations, which may also be written as labels.
 */
#ifndef GA_APPLY_INT_H
#define GA_APPLY_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "ga/apply.h"
#include "ga/node.h"

#define GA_APPLY__FLUX "kustomize.toolkit.fluxcd.io/"

/* The node at the dotted @path ("status.replicas") under @obj, or NULL. */
const ga_node *ga_apply__at(const ga_node *obj, const char *path);

/* Set @map's @key to the string @value. */
int ga_apply__set_str(ga_node *map, const char *key, const char *value);

/* The string at @path, or @dflt when absent or not a string. */
const char *ga_apply__str(const ga_node *obj, const char *path,
                          const char *dflt);

/* The integer at @path; false (and *out = @dflt) when absent. */
bool ga_apply__int(const ga_node *obj, const char *path, int64_t dflt,
                   int64_t *out);

/*
 * Whether @obj's labels or annotations hold @key with @value, compared
 * case-insensitively as Flux's AnyInMetadata does.
 */
bool ga_apply__meta_is(const ga_node *obj, const char *key, const char *value);

/* The ReconcileOrder comparison of two identities. */
int ga_apply__cmp_ref(const ga_apply_ref *a, const ga_apply_ref *b);

#endif
