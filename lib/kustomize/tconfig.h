/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The transformer configuration (kustomize's TransformerConfig,
 * kustomize.md §1.13): the field specs each field-spec-driven transformer
 * writes through and the name-reference rules.  It starts as the built-in
 * tables, without copying them, and is extended by `configurations` files,
 * by `crds` files and by the configurations of sub-kustomizations, which
 * the accumulation carries upward.
 */
#ifndef GA_KUSTOMIZE_TCONFIG_H
#define GA_KUSTOMIZE_TCONFIG_H

#include <stddef.h>

#include "fieldspec.h"
#include "ga/node.h"

typedef enum ga_kust_tc_section {
	GA_KUST_TC_NAMEPREFIX,
	GA_KUST_TC_NAMESUFFIX,
	GA_KUST_TC_NAMESPACE,
	GA_KUST_TC_COMMONLABELS,
	GA_KUST_TC_TEMPLATELABELS,
	GA_KUST_TC_COMMONANNOTATIONS,
	GA_KUST_TC_VARREF,
	GA_KUST_TC_IMAGES,
	GA_KUST_TC_REPLICAS,
	GA_KUST_TC_LABELS,
	GA_KUST_TC_NSECTIONS
} ga_kust_tc_section;

/* A name-reference rule: objects selected by group, version and kind
 * (NULL or "": any) are named by the field @fs of its referrers. */
typedef struct ga_kust_nameref {
	const char *group, *version, *kind;
	ga_kust_fieldspec fs;
} ga_kust_nameref;

typedef struct ga_kust_tconfig ga_kust_tconfig;

/* The built-in configuration (kustomize's MakeDefaultConfig).
 * Returns 0 or GA_ENOMEM. */
int ga_kust__tconfig_new(ga_kust_tconfig **out);

/* An empty configuration, as a fresh accumulation starts with.
 * Returns 0 or GA_ENOMEM. */
int ga_kust__tconfig_new_empty(ga_kust_tconfig **out);

void ga_kust__tconfig_free(ga_kust_tconfig *cfg);

/* The field specs of @sec, in merge order. */
const ga_kust_fieldspec *ga_kust__tconfig_specs(const ga_kust_tconfig *cfg,
                                                ga_kust_tc_section sec,
                                                size_t *n);

/* The name-reference rules, in the order the pass applies them. */
const ga_kust_nameref *ga_kust__tconfig_namerefs(const ga_kust_tconfig *cfg,
                                                 size_t *n);

/* The section's name as configuration files spell it ("commonLabels"). */
const char *ga_kust__tconfig_section_name(ga_kust_tc_section sec);

/*
 * Add @fs (copied) to @sec unless a spec there already covers it: one
 * whose group, version and kind @fs selects, with the same path.  Such a
 * spec with another create flag is kustomize's "conflicting fieldspecs".
 * Returns 0, GA_EINVALID (conflict; message set) or GA_ENOMEM.
 */
int ga_kust__tconfig_add_spec(ga_kust_tconfig *cfg, ga_kust_tc_section sec,
                              const ga_kust_fieldspec *fs);

/* Append @fs (copied) to @sec as it is, as a file's list is read.
 * Returns 0 or GA_ENOMEM. */
int ga_kust__tconfig_append_spec(ga_kust_tconfig *cfg, ga_kust_tc_section sec,
                                 const ga_kust_fieldspec *fs);

/* Put every list in kustomize's order (by kind rank, then by
 * "Kind.version.group"), which decides what later merges keep. */
void ga_kust__tconfig_sort(ga_kust_tconfig *cfg);

/*
 * Add the @n referrer field specs of one nameReference entry for the
 * target @to (its fs is ignored).  An entry for a target already present
 * (same group, version and kind) merges into it as add_spec does; a new
 * one is appended as it is.  Returns 0, GA_EINVALID or GA_ENOMEM.
 */
int ga_kust__tconfig_add_nameref(ga_kust_tconfig *cfg,
                                 const ga_kust_nameref *to,
                                 const ga_kust_fieldspec *specs, size_t n);

/* kustomize's TransformerConfig.Merge: every spec and rule of @from into
 * @cfg, then sorted.  Returns 0, GA_EINVALID or GA_ENOMEM. */
int ga_kust__tconfig_merge(ga_kust_tconfig *cfg, const ga_kust_tconfig *from);

/*
 * Merge @cfg into an empty configuration and take the result, as kustomize
 * does with the accumulation a component joined: what one spec covers in
 * that order goes, and a cover with another create flag is a conflict.
 * Returns 0, GA_EINVALID or GA_ENOMEM.
 */
int ga_kust__tconfig_remerge(ga_kust_tconfig *cfg);

/*
 * Merge the TransformerConfig document @doc (a `configurations` file read
 * from @file), its lists sorted first as kustomize reads them.  Unknown
 * sections and fields and mistyped values are refused as kustomize's
 * strict decoding refuses them.
 * Returns 0, GA_EINVALID or GA_ENOMEM.
 */
int ga_kust__tconfig_load(ga_kust_tconfig *cfg, const ga_node *doc,
                          const char *file);

/*
 * Merge the OpenAPI definitions @doc (a `crds` file read from @file):
 * every type with kind, apiVersion and metadata properties contributes
 * its x-kubernetes-object-ref-* (name references), x-kubernetes-label-
 * selector, x-kubernetes-annotation and x-kubernetes-identity fields.
 * Returns 0, GA_EINVALID or GA_ENOMEM.
 */
int ga_kust__tconfig_load_crds(ga_kust_tconfig *cfg, const ga_node *doc,
                               const char *file);

/* The built-in name-reference rules (nameref.c). */
extern const ga_kust_nameref ga_kust__nameref_defaults[];
extern const size_t ga_kust__nameref_defaults_n;

#endif
