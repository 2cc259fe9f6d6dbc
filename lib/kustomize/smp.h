/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Strategic merge patches as kubectl kustomize applies them (kustomize
 * v5.5.0: kyaml's merge2 walker with ListIncreaseDirection=Prepend, not
 * apimachinery's strategicpatch; kustomize.md §3.1-§3.3), including the
 * quirks kubectl shows: patch items first in merged lists, multi-key list
 * items dropped when patch and object disagree on a secondary key, element
 * and top-level "$patch: replace" that change nothing, unsupported
 * directives copied verbatim, and every list atomic for kinds without a
 * schema.  The caller owns the object and the patch; nothing is shared
 * with the result.  Thread-safe: no global state.
 */
#ifndef GA_KUSTOMIZE_SMP_H
#define GA_KUSTOMIZE_SMP_H

#include <stdbool.h>
#include <stddef.h>

#include "mergekeys.h"

#include "ga/node.h"

/** The merge strategy of one list field (ga_kust__smp_list_strategy()). */
typedef struct ga_kust_list_strategy {
	ga_kust_list_merge merge; /**< ATOMIC, SET or KEYS */
	size_t nkeys;             /**< 1 or 2 for KEYS, else 0 */
	const char *keys[2];      /**< static strings; NULL when unused */
} ga_kust_list_strategy;

/**
 * Merge @patch into *@obj as kustomize does for a patch matched to that
 * object.  A targeted patch must already carry the object's apiVersion and
 * kind (kustomize copies the target's onto it): the schema is looked up
 * from the object's apiVersion/kind, then the patch's.
 *
 * On success *@obj is replaced by a new tree (the old one is freed), or set
 * to NULL when the patch deletes the object ("$patch: delete" at the top).
 * Afterwards the object's kind and metadata.name are restored unless
 * @allow_kind_change / @allow_name_change, and metadata.namespace always
 * is, as kustomize's ApplySmPatch does.  All or nothing: on failure *@obj
 * is untouched.  @patch is only read.  @name names the patch in messages
 * (may be NULL); the rest of each message is kubectl's own text, e.g.
 * "p.yaml: wrong node kind: expected MappingNode but got SequenceNode:
 * node contents:\n- 1" or "p.yaml: unknown patch strategy 'foo'".
 *
 * Returns 0, GA_EINVALID (a map, list or scalar where the other side has
 * another kind; an unknown "$patch" value; a NULL argument), GA_ELIMIT
 * (nesting deeper than 1024 levels) or GA_ENOMEM.
 */
int ga_kust__smp_apply(ga_node **obj, const ga_node *patch, const char *name,
                       bool allow_kind_change, bool allow_name_change);

/**
 * ga_kust__smp_apply() as kube-apiserver orders a merged list: the
 * object's items first, in place, then the patch's new ones (kustomize
 * puts the patch's first).  Used by ga_kust_smp_apply(); the build never
 * calls it.
 */
int ga_kust__smp_apply_server(ga_node **obj, const ga_node *patch);

/**
 * The merge strategy of the list at @path in objects of @group (""
 * for the core group), @version and @kind: field names from the object's
 * root separated by dots, list items skipped ("spec.template.spec.
 * containers.ports").  Anything the 1.21.2 schema does not make
 * associative, unknown kinds and paths included, is ATOMIC.  *@out is
 * written on success.  Returns 0 or GA_EINVALID (a NULL argument, or an
 * apiVersion longer than 511 bytes).
 */
int ga_kust__smp_list_strategy(ga_kust_list_strategy *out, const char *group,
                               const char *version, const char *kind,
                               const char *path);

#endif
