/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Resources of a build and their identity (kustomize.md §2.2): the object,
 * where it came from, and the ordered collection a kustomization level
 * accumulates.
 */
#ifndef GA_KUSTOMIZE_RESOURCE_H
#define GA_KUSTOMIZE_RESOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "ga/buf.h"
#include "ga/node.h"
#include "util/gofloat.h"

/* An identity the object had before a rename (kustomize's previous ids). */
typedef struct ga_kust_prev {
	char *api_version, *kind, *name, *ns;
} ga_kust_prev;

typedef struct ga_kust_res {
	ga_node *obj;       /* the object (a map); owned */
	char *origin;       /* the file it was read from; owned */
	ga_kust_prev *prev; /* earlier identities, oldest (original) first */
	size_t nprev;
	ga_node *prefixes; /* list of the name prefixes applied, outermost
	                    * first, and of the suffixes; NULL when none */
	ga_node *suffixes;
	bool needs_hash; /* generated: the name gets kustomize's hash */
	ga_node *vars;   /* names of the vars bound to it (kustomize's
	                  * refVarNames); NULL when none */
	/* buildMetadata: the origin and transformations annotation texts
	 * the build wrote last (buildmeta.c); NULL when not tracking. */
	char *meta_origin, *meta_trans;
	ga_node *aliases; /* label fields sharing a value (alias.c) */
} ga_kust_res;

/* An object's group, version, kind, name and namespace, borrowed from it;
 * "" where absent. */
typedef struct ga_kust_id {
	char group[256];
	const char *version, *kind, *name, *ns;
	const char *api_version;
} ga_kust_id;

void ga_kust__id_of(ga_kust_id *id, const ga_node *obj);

/* Whether kustomize treats apiVersion + kind as cluster-scoped: the fixed
 * list of the Kubernetes 1.21 schema (§2.7). */
bool ga_kust__is_cluster_scoped(const char *api_version, const char *kind);

/* Same identity: group, version, kind, name and effective namespace. */
bool ga_kust__id_equal(const ga_kust_id *a, const ga_kust_id *b);

/* kustomize's id text, e.g. "ConfigMap.v1.[noGrp]/a.[noNs]". */
int ga_kust__id_format(ga_buf *out, const ga_kust_id *id);

/* "apps/v1 Deployment web/frontend", for error messages. */
int ga_kust__id_describe(ga_buf *out, const ga_kust_id *id);

void ga_kust__res_free(ga_kust_res *r);

/* Record the current identity as a previous one, before a rename. */
int ga_kust__res_remember(ga_kust_res *r);

/* The original identity: the first previous one, or the current one. */
void ga_kust__res_org(const ga_kust_res *r, ga_kust_id *id);

/* The identity @i of @r: the previous ones in order (0 the original),
 * then, for @i >= nprev, the current one. */
void ga_kust__res_id_at(const ga_kust_res *r, size_t i, ga_kust_id *id);

/* Set metadata.<field> (creating metadata) to the string @value. */
int ga_kust__res_set_meta(ga_kust_res *r, const char *field, const char *value);

/* An ordered list of resources, as accumulated. */
typedef struct ga_kust_resmap {
	ga_kust_res **v;
	size_t n, cap;
	ga_node *ids; /* identity keys seen, for O(1) duplicate checks */
} ga_kust_resmap;

/*
 * Append @r (taken, also on failure), refusing a second object with the
 * same identity.  Returns 0, GA_EINVALID or GA_ENOMEM.
 */
int ga_kust__resmap_add_take(ga_kust_resmap *m, ga_kust_res *r);

/* Move every resource of @from to the end of @to, refusing duplicates. */
int ga_kust__resmap_absorb(ga_kust_resmap *to, ga_kust_resmap *from);

void ga_kust__resmap_dispose(ga_kust_resmap *m);

/* Check that no two resources share an identity (after renames).  @what
 * names the transformation in the message.  Rebuilds the index. */
int ga_kust__resmap_reindex(ga_kust_resmap *m, const char *what);

/*
 * The text kyaml holds as the scalar @n's Value: its source spelling when
 * it was read ("0x1F", "yes", "2001-12-14"), else what goyaml prints: a
 * string as it is, "null", "true"/"false", an integer, or a float in Go's
 * shortest form (".nan", ".inf", "-.inf").  Formatted text goes to @buf.
 * Returns 0, or GA_EINVALID for a map or list.
 */
int ga_kust__scalar_text(const ga_node *n, char buf[GA_FMT_FLOAT_MAX],
                         const char **text, size_t *len);

/* How ga_kust__stringify_values() treats what has no plain text. */
enum {
	GA_KUST_STR_ANNOTATIONS, /* a map or list becomes "", null its text */
	GA_KUST_STR_DATA,        /* a map or list stays, null becomes "" */
};

/*
 * Make every value of the map @map a string, as kustomize does where it
 * reads a map as map[string]string and writes it back (annotations, the
 * data a generator merges into): a scalar becomes its kyaml text, except
 * as @how says.  Returns 0 or GA_ENOMEM.
 */
int ga_kust__stringify_values(ga_node *map, int how);

#endif
