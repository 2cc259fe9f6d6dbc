/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kubernetes label selectors in their string form ("app=web,tier in
 * (fe,be),!canary"), as labels.Parse in k8s.io/apimachinery reads them;
 * kustomize uses them for patch and replacement targets.
 */
#ifndef GA_KUSTOMIZE_SELECTOR_H
#define GA_KUSTOMIZE_SELECTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "ga/node.h"

typedef struct ga_kust_selector ga_kust_selector;

/* Bounds: selectors are written by hand, never this long. */
#define GA_KUST_SELECTOR_MAX_LEN 4096
#define GA_KUST_SELECTOR_MAX_REQS 32

/*
 * Parse @text.  An empty selector selects everything.
 * Returns 0, GA_EINVALID (syntax, with the position and what was
 * expected), GA_ELIMIT or GA_ENOMEM.
 */
int ga_kust__selector_parse(ga_kust_selector **out, const char *text);

void ga_kust__selector_free(ga_kust_selector *sel);

/* Whether the string map @labels (NULL: none) satisfies every
 * requirement of @sel. */
bool ga_kust__selector_matches(const ga_kust_selector *sel,
                               const ga_node *labels);

#endif
