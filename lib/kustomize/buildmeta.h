/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buildMetadata (kustomize.md §1.16): the origin and transformations
 * annotations kustomize keeps on every object while it builds, and the
 * managed-by label.
 */
#ifndef GA_KUSTOMIZE_BUILDMETA_H
#define GA_KUSTOMIZE_BUILDMETA_H

#include <stdbool.h>
#include <stddef.h>

#include "ga/buf.h"
#include "ga/node.h"
#include "resource.h"

#define GA_KUST_ANNO_ORIGIN "config.kubernetes.io/origin"
#define GA_KUST_ANNO_TRANSFORMS "alpha.config.kubernetes.io/transformations"

enum {
	/* The list is not empty: kustomize tracks origins during the build
	 * whatever the entries say. */
	GA_KUST_META_TRACK = 1u << 0,
	GA_KUST_META_ORIGIN = 1u << 1,     /* originAnnotations */
	GA_KUST_META_TRANSFORMS = 1u << 2, /* transformerAnnotations */
	GA_KUST_META_MANAGED = 1u << 3,    /* managedByLabel */
};

/* The options of the top kustomization document @doc (already checked to
 * be a list of strings); unknown entries are ignored, as kubectl does. */
unsigned ga_kust__meta_flags(const ga_node *doc);

/* The origin text of an object read from the file @path (as recorded:
 * relative to the top kustomization, as written). */
int ga_kust__meta_file_origin(ga_buf *out, const char *path);

/* The origin text of a builtin generator or transformer @kind
 * ("ConfigMapGenerator") configured in the kustomization file @in. */
int ga_kust__meta_builtin_origin(ga_buf *out, const char *in, const char *kind);

/* The same for the builtin plugin configured by the object named @name
 * (NULL: a kustomization field) in namespace @ns (NULL or "": none) read
 * from @in. */
int ga_kust__meta_plugin_origin(ga_buf *out, const char *in, const char *kind,
                                const char *name, const char *ns);

/* The annotation @key of @obj, or NULL. */
const ga_node *ga_kust__meta_anno(const ga_node *obj, const char *key);

/* Whether @obj is local configuration: annotated
 * config.kubernetes.io/local-config with any value but "false". */
bool ga_kust__is_local_config(const ga_node *obj);

/* Set the annotation @key of @obj to @value, creating the maps on the way
 * (a null annotations map becomes one).  @file names the object's source
 * in errors.  Returns 0, GA_EINVALID (metadata or annotations not a map)
 * or GA_ENOMEM. */
int ga_kust__meta_set_anno(ga_node *obj, const char *key, const char *value,
                           const char *file);

/* Whether the annotation value @v is the text @ours we wrote last. */
bool ga_kust__meta_ours(const ga_node *v, const char *ours);

/*
 * Read the origin annotation value @v of @r back as kustomize does (as
 * YAML into its Origin struct) and append it to @out as kustomize writes
 * it again.  Returns 0, GA_EINVALID (not YAML, not an origin) or
 * GA_ENOMEM.
 */
int ga_kust__meta_reread_origin(const ga_kust_res *r, const ga_node *v,
                                ga_buf *out);

/*
 * After @times instances of the builtin transformer @kind configured in
 * @in: every object without an origin gets the transformer as its origin,
 * the others one more entry in their transformations.  Returns 0,
 * GA_EINVALID (an annotation kustomize cannot read back) or GA_ENOMEM.
 */
int ga_kust__meta_record(ga_kust_resmap *ra, const char *in, const char *kind,
                         size_t times);

/* The same for one builtin plugin configured by the object named @name
 * in namespace @ns read from @in. */
int ga_kust__meta_record_plugin(ga_kust_resmap *ra, const char *in,
                                const char *kind, const char *name,
                                const char *ns, size_t times);

/* At the top: the managed-by label on every object. */
int ga_kust__meta_managed_by(ga_kust_resmap *ra);

/* At the top: remove the annotations kustomize strips before printing
 * from the annotations map @ann, keeping origin and transformations when
 * @flags ask for them. */
void ga_kust__meta_strip(ga_node *ann, unsigned flags);

/*
 * Take over the internal build annotations kustomize acts on from the
 * object of @r, read from @file, and remove them (kustomize strips them
 * before printing): previousNames, previousKinds and previousNamespaces
 * (comma-separated, one entry each, the apiVersion the object's) become
 * its earlier identities, prefixes and suffixes its name affixes, and
 * needsHashSuffix "enabled" asks for the name hash.  refBy,
 * generatorBehavior, allowNameChange and allowKindChange do nothing on an
 * input object.  Returns 0, GA_EINVALID (previous names, kinds and
 * namespaces of different counts, on which kubectl panics) or GA_ENOMEM.
 */
int ga_kust__meta_take_input(ga_kust_res *r, const char *file);

#endif
