/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A kustomization file (Kustomization or Component), parsed, validated and
 * normalised as kustomize v5.5.0 does before a build (kustomize.md §1.0):
 * deprecated fields folded into their replacements, kind and apiVersion
 * defaulted and checked, unsupported features refused.
 */
#ifndef GA_KUSTOMIZE_KUSTOMIZATION_H
#define GA_KUSTOMIZE_KUSTOMIZATION_H

#include <stdbool.h>
#include <stddef.h>

#include "ga/node.h"

#define GA_KUST_API_KUSTOMIZATION "kustomize.config.k8s.io/v1beta1"
#define GA_KUST_API_COMPONENT "kustomize.config.k8s.io/v1alpha1"

typedef struct ga_kust_file {
	char *path;     /* where it was read from, for messages */
	bool component; /* kind: Component */
	ga_node *doc;   /* canonical keys; see ga_kust__decode() */
} ga_kust_file;

/*
 * Parse the kustomization file text of @len bytes read from @path.
 * Returns 0, GA_EINVALID (syntax, schema, empty, kind), GA_EUNSUPPORTED
 * (helm charts, plugins) or GA_ENOMEM.
 */
int ga_kust__file_parse(ga_kust_file **out, const char *text, size_t len,
                        const char *path);

void ga_kust__file_free(ga_kust_file *f);

/* A list field of the file (NULL when absent), e.g. "resources". */
const ga_node *ga_kust__file_list(const ga_kust_file *f, const char *field);

/* A string field of the file, or "" when absent. */
const char *ga_kust__file_str(const ga_kust_file *f, const char *field);

#endif
