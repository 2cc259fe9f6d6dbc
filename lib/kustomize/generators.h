/* SPDX-License-Identifier: Apache-2.0 */
/*
 * configMapGenerator, secretGenerator and the generated-name hash.
 */
#ifndef GA_KUSTOMIZE_GENERATORS_H
#define GA_KUSTOMIZE_GENERATORS_H

#include "ga/buf.h"
#include "kustomization.h"
#include "resource.h"

/* Read the file @rel (relative to the kustomization, under its load
 * restriction) into @out. */
typedef int (*ga_kust_read_fn)(void *ctx, const char *rel, ga_buf *out);

/*
 * Run the generators of @kf into @ra: ConfigMaps, then Secrets, each
 * created or merged into or replacing an earlier object by its behavior.
 * With buildMetadata, @in names the kustomization file as origin
 * annotations record it (buildmeta.h); NULL otherwise.
 * Returns 0, GA_EINVALID (bad literal, file source, env file, repeated
 * key, behavior), what @read returns, or GA_ENOMEM.
 */
int ga_kust__generate(ga_kust_resmap *ra, const ga_kust_file *kf,
                      ga_kust_read_fn read, void *ctx, const char *in);

/* The same for a builtin plugin configuration named @by in namespace
 * @by_ns: origins (with buildMetadata) name it. */
int ga_kust__generate_plugin(ga_kust_resmap *ra, const ga_kust_file *kf,
                             ga_kust_read_fn read, void *ctx, const char *in,
                             const char *by, const char *by_ns);

/* At the top: append "-<hash>" to every object marked for it. */
int ga_kust__hash_names(ga_kust_resmap *ra);

#endif
