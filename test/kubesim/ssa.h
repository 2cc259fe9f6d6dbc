/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kubesim's PATCH and server-side apply: field sets in the fieldsV1
 * encoding (fieldset.c), the metadata.managedFields bookkeeping of every
 * write (managed.c), the apply itself (apply.c) and the PATCH dispatch
 * (patch.c).  A field set is kept in a normal form that makes union,
 * difference and intersection plain recursive map operations: a map whose
 * keys are fieldsV1 path elements ("f:spec", "k:{\"name\":\"app\"}",
 * "v:\"a\"", "i:0"), where the key "." marks the node itself as a member,
 * so a leaf is {".": {}}.  Only the encoding written into managedFields
 * turns a bare {".": {}} into the {} kube-apiserver writes.  Lists merge
 * by the strategic-merge-patch schema of the built-in kinds (ga/kustomize.h);
 * everything else, custom resources included, has atomic lists.
 */
#ifndef KS_SSA_H
#define KS_SSA_H

#include "kubesim.h"

#include "ga/kustomize.h"

/* Cap of the texts built here: keys, paths, a conflict's causes. */
#define KS_SSA_BUF_MAX (4u << 20)

/* fieldset.c */
/* The members of @v, a map: every leaf, and every keyed or set item. */
int ks_fs_of(ga_node **out, const ga_node *v, const ga_kust_schema_at *at);
/* The members that differ between the maps @old and @now (either may be
 * NULL): added, removed and changed leaves and items. */
int ks_fs_diff(ga_node **out, const ga_node *old, const ga_node *now,
               const ga_kust_schema_at *at);
int ks_fs_union(ga_node *into, const ga_node *add);
void ks_fs_subtract(ga_node *from, const ga_node *sub);
int ks_fs_intersect(ga_node **out, const ga_node *a, const ga_node *b);
/* Call @fn with each member's path (".spec.replicas",
 * ".spec.containers[name=\"app\"].image"); stops at a non-zero return. */
int ks_fs_paths(const ga_node *set, int (*fn)(const char *path, void *arg),
                void *arg);
/* Remove the members of @set from the object map @obj. */
int ks_fs_remove(ga_node *obj, const ga_node *set, const ga_kust_schema_at *at);
/* Normal form to fieldsV1, and back (GA_EINVALID on a malformed one; a
 * NULL @v1 is the empty set). */
int ks_fs_encode(ga_node **out, const ga_node *set);
int ks_fs_decode(ga_node **out, const ga_node *v1);
/* Merge the applied configuration @config into the map @live as
 * server-side apply does: maps merged, keyed lists merged by their keys,
 * set lists unioned, atomic lists and scalars replaced. */
int ks_fs_merge(ga_node *live, const ga_node *config,
                const ga_kust_schema_at *at);

/* managed.c */
/* One metadata.managedFields entry, decoded. */
typedef struct ks_mf {
	char manager[256];
	char sub[32]; /* subresource, "" for the object */
	char api_version[128];
	char time[32];
	bool apply;   /* operation Apply, else Update */
	ga_node *set; /* normal form; owned */
} ks_mf;

typedef struct ks_mfs {
	ks_mf *v;
	size_t n, cap;
} ks_mfs;

/* The schema position of objects of @obj's apiVersion and kind. */
const ga_kust_schema_at *ks_ssa_schema(const ga_node *obj);
/* The part of @obj that field management covers for a write to @sub. */
int ks_ssa_view(ga_node **out, const ks_resource *res, const char *sub,
                const ga_node *obj);
/* The manager of a request: fieldManager, else from the User-Agent. */
void ks_ssa_manager(const ks_req *r, char out[256]);
int ks_mfs_decode(ks_mfs *out, const ga_node *list, ks_status *st);
void ks_mfs_dispose(ks_mfs *m);
/* The entry of @manager/@apply/@sub, added empty when absent. */
ks_mf *ks_mfs_entry(ks_mfs *m, const char *manager, bool apply, const char *sub,
                    const char *api_version);
/* Write @m, sorted as kube-apiserver sorts, into @obj's metadata. */
int ks_mfs_store(ks_mfs *m, ga_node *obj);
/*
 * Record an Update of @obj (the would-be stored object) over @old (NULL
 * for a create) in @obj's managedFields, honouring managedFields the
 * request set itself.  0, or a Status in @st.
 */
int ks_managed_update(ks_req *r, ga_node *obj, const ga_node *old,
                      ks_status *st);

/*
 * A controller's write of the fields @fields_v1 (fieldsV1 encoding) of
 * @obj through subresource @sub ("scale"), recorded as kube-apiserver
 * records it: an Update entry of @manager that takes them from every
 * other entry.
 */
int ks_managed_controller(ga_node *obj, const char *manager, const char *sub,
                          const ga_node *fields_v1);

/* apply.c: PATCH with application/apply-patch+yaml */
int ks_apply(ks_req *r, const ga_node *old);

/* patch.c (ks_patch() is in kubesim.h) */
/*
 * Patch *@obj with the @len bytes at @body, a patch of media type @ct
 * (merge, JSON or strategic merge); all or nothing for JSON patches.
 * 0, or a negative code with the Status (400, 422) in @st.
 */
int ks_patch_body(ga_node **obj, const char *ct, const char *body, size_t len,
                  ks_status *st);
/* 422 Invalid on PatchOptions.meta.k8s.io: one @field with @cause. */
int ks_patch_options_invalid(ks_req *r, const char *field, const char *cause,
                             const char *msg);
/* RFC 7386 JSON merge patch of @patch into *@obj. */
int ks_merge_patch(ga_node **obj, const ga_node *patch);

/* write.c: the shared tail of PUT and POST for an object already read */
int ks_update_object(ks_req *r, ga_node *obj, const ga_node *old);
int ks_create_object(ks_req *r, ga_node *obj);
/* Validation and defaults of a body, as for POST and PUT. */
int ks_check_body(ks_req *r, ga_node *obj, ks_status *st);

#endif
