/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Field specs: where a transformer writes in which kinds of object
 * (kustomize.md §2.3), and the built-in tables for labels and annotations
 * (§2.5).
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

/* Whether @fs is for objects of @obj's group, version and kind. */
bool ga_kust__fieldspec_selects(const ga_kust_fieldspec *fs,
                                const ga_node *obj);

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
 * Call @fn with the map holding the last field of @fs's path and that
 * field's name, for every such map in @obj; @create says whether @fn may
 * create the field (the spec says create and the name is not "x[]").
 * Returns 0, the first error of @fn, GA_EINVALID or GA_ENOMEM.
 */
int ga_kust__fieldspec_fields(ga_node *obj, const ga_kust_fieldspec *fs,
                              int (*fn)(ga_node *map, const char *key,
                                        bool create, void *payload),
                              void *payload, const char *file);

/* The built-in tables: commonLabels (selectors included), the template
 * labels (metadata/labels included), and commonAnnotations. */
extern const ga_kust_fieldspec ga_kust__fs_common_labels[];
extern const size_t ga_kust__fs_common_labels_n;
extern const ga_kust_fieldspec ga_kust__fs_template_labels[];
extern const size_t ga_kust__fs_template_labels_n;
extern const ga_kust_fieldspec ga_kust__fs_annotations[];
extern const size_t ga_kust__fs_annotations_n;

/* Where vars are substituted (kustomize's varReference). */
extern const ga_kust_fieldspec ga_kust__fs_var_reference[];
extern const size_t ga_kust__fs_var_reference_n;

#endif
