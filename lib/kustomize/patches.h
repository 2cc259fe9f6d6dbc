/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The patch transformers.
 */
#ifndef GA_KUSTOMIZE_PATCHES_H
#define GA_KUSTOMIZE_PATCHES_H

#include "generators.h"
#include "kustomization.h"
#include "resource.h"

/* Called after each patch transformer as kustomize counts them (all of
 * patchesStrategicMerge is one, each other entry one), with its builtin
 * kind, e.g. "PatchTransformer"; for buildMetadata. */
typedef struct ga_kust_hook {
	int (*fn)(void *ctx, ga_kust_resmap *ra, const char *kind);
	void *ctx;
} ga_kust_hook;

/*
 * patchesStrategicMerge, then `patches`, of @kf over @ra; files are read
 * through @read; @hook (may be NULL) runs after each transformer.  Returns 0,
 * GA_EINVALID (a patch that does not parse, matches nothing by identity, or
 * fails to apply), what @read returns, GA_ELIMIT or GA_ENOMEM.
 */
int ga_kust__transform_patches(ga_kust_resmap *ra, const ga_kust_file *kf,
                               ga_kust_read_fn read, void *ctx,
                               const ga_kust_hook *hook);

/* patchesJson6902 of @kf, after the level's labels and annotations. */
int ga_kust__transform_json6902(ga_kust_resmap *ra, const ga_kust_file *kf,
                                ga_kust_read_fn read, void *ctx,
                                const ga_kust_hook *hook);

#endif
