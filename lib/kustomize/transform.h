/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The transformers a kustomization level runs over its accumulated
 * resources, in kustomize's fixed order (kustomize.md §2.1).
 */
#ifndef GA_KUSTOMIZE_TRANSFORM_H
#define GA_KUSTOMIZE_TRANSFORM_H

#include "ga/node.h"
#include "generators.h"
#include "kustomization.h"
#include "resource.h"
#include "tconfig.h"

/*
 * `labels` entries in order, then `commonLabels`, then
 * `commonAnnotations` of the kustomization document @doc, through the
 * field specs of @cfg; @file (the kustomization) names it in errors.
 * Returns 0, GA_EINVALID (a path meets a scalar, conflicting field specs
 * in a `labels` entry) or GA_ENOMEM.
 */
int ga_kust__transform_labels(ga_kust_resmap *ra, const ga_node *doc,
                              const ga_kust_tconfig *cfg, const char *file);

/*
 * What goyaml.v3 makes of the map key @k (@len bytes) written plain and
 * untagged, as kustomize writes the keys it adds: NULL for a string, else
 * "a bool", "an integer", "a float", "null" or "a timestamp".  kubectl
 * kustomize fails on an object holding such a key where it rebuilds the
 * map (annotations, and the maps labels are added to).
 */
const char *ga_kust__key_nonstring(const char *k, size_t len);

/*
 * Set the namespace of every namespaced object (and the special cases of
 * kustomize.md §2.7), then the namespace field specs of @cfg.
 * Returns 0, GA_EINVALID (two objects end up with one identity, a field
 * spec reaches a map or list) or GA_ENOMEM.
 */
int ga_kust__transform_namespace(ga_kust_resmap *ra, const char *ns,
                                 const ga_kust_tconfig *cfg);

/*
 * The same with a NamespaceTransformer configuration's options: with
 * @unset_only, only namespaces that are missing or empty are set; the
 * (Cluster)RoleBinding subjects given the namespace are those named
 * "default" (@subjects "defaultOnly"), those of kind ServiceAccount
 * ("allServiceAccounts") or none ("none").
 */
int ga_kust__transform_namespace_opts(ga_kust_resmap *ra, const char *ns,
                                      const ga_kust_tconfig *cfg,
                                      bool unset_only, const char *subjects);

/*
 * Prefix and suffix every name but those of CRDs, APIServices and
 * Namespaces, and the other fields of @cfg's namePrefix and nameSuffix
 * specs.  Returns 0, GA_EINVALID (id conflict) or GA_ENOMEM.
 */
int ga_kust__transform_affix(ga_kust_resmap *ra, const char *prefix,
                             const char *suffix, const ga_kust_tconfig *cfg);

/*
 * At the top, after all levels: point every reference at the current
 * name (and namespace) of the object it meant (kustomize.md §2.4), by
 * the name-reference rules of @cfg.
 * Returns 0, GA_EINVALID (an ambiguous reference) or GA_ENOMEM.
 */
int ga_kust__transform_namerefs(ga_kust_resmap *ra, const ga_kust_tconfig *cfg);

/*
 * The `images` entries of @doc (the kustomization read from @file), in
 * order, through @cfg's images field specs.  Returns 0, GA_EINVALID (a
 * name that is not a regular expression) or GA_ENOMEM.
 */
int ga_kust__transform_images(ga_kust_resmap *ra, const ga_node *doc,
                              const char *file, const ga_kust_tconfig *cfg);

/*
 * The `replicas` entries of @doc, written where @cfg's replicas field
 * specs say.  Returns 0, GA_EINVALID (an entry that matches no object of
 * the configured kinds) or GA_ENOMEM.
 */
int ga_kust__transform_replicas(ga_kust_resmap *ra, const ga_node *doc,
                                const char *file, const ga_kust_tconfig *cfg);

/*
 * The `replacements` of @kf, last of the level; `path` entries are read
 * with @read.  Returns 0, GA_EINVALID (no or several sources, a missing
 * field, a bad path or index, a bad replacement file) or GA_ENOMEM.
 */
int ga_kust__transform_replacements(ga_kust_resmap *ra, const ga_kust_file *kf,
                                    ga_kust_read_fn read, void *ctx);

/*
 * vars (kustomize.md §1.11).  A build keeps the vars declared so far in a
 * list (*@vars, NULL when none; free it with ga_node_free()).
 *
 * Declare the `vars` of @doc (the kustomization read from @file) once the
 * level's transformers have run: bind each to the one object of @ra its
 * objref matches, and add it to *@vars.  Returns 0, GA_EINVALID (several
 * objects match, a name declared already) or GA_ENOMEM.
 */
int ga_kust__vars_declare(ga_node **vars, ga_kust_resmap *ra,
                          const ga_node *doc, const char *file);

/*
 * Move the vars of a sub-kustomization (*@from) to *@to; @referrer
 * ("kustomization.yaml: resources: 'base'") names it in messages.
 * Returns 0, GA_EINVALID (a name declared already) or GA_ENOMEM.
 */
int ga_kust__vars_merge(ga_node **to, ga_node **from, const char *referrer);

/*
 * At the top, after name references: read each var's field from the
 * object it is bound to and substitute $(NAME) in the varReference
 * fields of @cfg.  Returns 0, GA_EINVALID (a var bound to nothing, a
 * missing field, a list of non-strings) or GA_ENOMEM.
 */
int ga_kust__vars_resolve(ga_kust_resmap *ra, const ga_node *vars,
                          const ga_kust_tconfig *cfg);

#endif
