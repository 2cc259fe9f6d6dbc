/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Field specs: where a transformer writes in which kinds of object
 * (kustomize.md §2.3), and the built-in tables for labels and annotations
 * (§2.5) and for vars (§1.11).
 */
#ifndef GA_KUSTOMIZE_FIELDSPEC_H
#define GA_KUSTOMIZE_FIELDSPEC_H

#include <stdbool.h>
#include <stddef.h>

#include "ga/node.h"

typedef struct ga_kust_fieldspec {
	const char *group;   /* NULL or "": any */
	const char *version; /* NULL or "": any */
	const char *kind;    /* NULL or "": any */
	const char *path;    /* "spec/template/metadata/labels" */
	bool create;         /* create what is missing on the way */
} ga_kust_fieldspec;

/*
 * Call @fn on every map the field spec @fs reaches in @obj (none when @obj
 * is of another kind or the path is absent and not to be created); maps
 * are created, and nulls turned into maps, where @fs says create.  @file
 * names the object's source in errors.
 * Returns 0, the first error of @fn, GA_EINVALID (the path meets a
 * scalar) or GA_ENOMEM.
 */
int ga_kust__fieldspec_maps(ga_node *obj, const ga_kust_fieldspec *fs,
                            int (*fn)(ga_node *map, void *payload),
                            void *payload, const char *file);

/*
 * Call @fn with the map and key of every field the field spec @fs reaches
 * in @obj, whatever its value (a scalar, list or map, never a null or
 * missing one); nothing is created.  Lists met on the way apply the rest
 * of the path to each element.  Returns 0, the first error of @fn,
 * GA_EINVALID (the path meets a scalar) or GA_ENOMEM.
 */
int ga_kust__fieldspec_fields(ga_node *obj, const ga_kust_fieldspec *fs,
                              int (*fn)(ga_node *parent, const char *key,
                                        void *payload),
                              void *payload, const char *file);

/* The built-in tables: commonLabels (selectors included), the template
 * labels subset, and commonAnnotations. */
extern const ga_kust_fieldspec ga_kust__fs_common_labels[];
extern const size_t ga_kust__fs_common_labels_n;
extern const ga_kust_fieldspec ga_kust__fs_template_labels[];
extern const size_t ga_kust__fs_template_labels_n;
extern const ga_kust_fieldspec ga_kust__fs_annotations[];
extern const size_t ga_kust__fs_annotations_n;

/* Where vars are substituted (kustomize's varReference): a later
 * `configurations` feature extends it. */
extern const ga_kust_fieldspec ga_kust__fs_var_reference[];
extern const size_t ga_kust__fs_var_reference_n;

#endif
