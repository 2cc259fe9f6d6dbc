/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Builtin plugin configurations from `generators` and `transformers`.
 */
#ifndef GA_KUSTOMIZE_PLUGINS_H
#define GA_KUSTOMIZE_PLUGINS_H

#include <stdbool.h>

#include "generators.h"
#include "kustomization.h"
#include "resource.h"

/*
 * Run the builtin plugin configured by the object of @config (read from
 * config->origin; with buildMetadata, from @in as origins name it, else
 * NULL) over @ra, the resources of the kustomization @kf that
 * lists it under `generators` (@generators) or `transformers`; files the
 * configuration names are read with @read, relative to @kf.
 * Returns 0, GA_EINVALID (a bad configuration, a generator listed as a
 * transformer or the other way round, no such builtin, what the plugin's
 * transformer refuses), GA_EUNSUPPORTED (not apiVersion builtin; a
 * builtin or option the engine does not build) or GA_ENOMEM.
 */
int ga_kust__plugin_run(ga_kust_resmap *ra, const ga_kust_file *kf,
                        const ga_kust_res *config, const char *in,
                        bool generators, ga_kust_read_fn read, void *ctx);

#endif
