/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The transformers a kustomization level runs over its accumulated
 * resources, in kustomize's fixed order (kustomize.md §2.1).
 */
#ifndef GA_KUSTOMIZE_TRANSFORM_H
#define GA_KUSTOMIZE_TRANSFORM_H

#include "ga/node.h"
#include "resource.h"

/*
 * `labels` entries in order, then `commonLabels`, then
 * `commonAnnotations` of the kustomization document @doc.
 * Returns 0, GA_EINVALID (a path meets a scalar) or GA_ENOMEM.
 */
int ga_kust__transform_labels(ga_kust_resmap *ra, const ga_node *doc);

#endif
