/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kustomize-compatible build engine: `gitops-agent build` prints what
 * `kubectl kustomize` (v1.32, kustomize v5.5.0) prints for the same
 * kustomization.  The engine reads through a small file-system interface,
 * so that it can build from a directory on disk or straight from a Git
 * commit's tree, and enforces kustomize's default load restriction: no file
 * outside the kustomization's own directory is read.  Thread-safe for
 * distinct builds.
 */
#ifndef GA_KUSTOMIZE_H
#define GA_KUSTOMIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "common.h"
#include "node.h"

/** What a path names once symbolic links are followed. */
typedef enum ga_kust_fs_kind {
	GA_KUST_FS_MISSING = 0,
	GA_KUST_FS_FILE,
	GA_KUST_FS_DIR,
} ga_kust_fs_kind;

/**
 * A read-only file tree.  Paths are absolute, "/"-separated and already
 * cleaned (no "." or ".." segments, no double slashes).
 */
typedef struct ga_kust_fs_ops {
	/**
	 * Follow symbolic links in @path and append the canonical path to
	 * @canonical; set *@kind (GA_KUST_FS_MISSING when nothing is there,
	 * in which case @canonical holds @path).  Returns 0, GA_EIO or
	 * GA_ENOMEM.
	 */
	int (*resolve)(void *ctx, const char *path, ga_buf *canonical,
	               ga_kust_fs_kind *kind);
	/**
	 * Append the contents of the file at the canonical @path to @out,
	 * within @out's cap.  Returns 0, GA_ENOTFOUND, GA_ELIMIT, GA_EIO or
	 * GA_ENOMEM.
	 */
	int (*read)(void *ctx, const char *path, ga_buf *out);
	/** Release @ctx; may be NULL. */
	void (*free)(void *ctx);
} ga_kust_fs_ops;

typedef struct ga_kust_fs ga_kust_fs;

/**
 * A file tree over @ops; takes @ctx (released with ops->free by
 * ga_kust_fs_free, also on failure).  Returns 0 or GA_ENOMEM.
 */
GA_EXTERN int ga_kust_fs_new(ga_kust_fs **out, const ga_kust_fs_ops *ops,
                             void *ctx);

/** The operating system's file system.  Returns 0 or GA_ENOMEM. */
GA_EXTERN int ga_kust_fs_new_os(ga_kust_fs **out);

GA_EXTERN void ga_kust_fs_free(ga_kust_fs *fs);

/**
 * A tree that is @base everywhere except under the absolute directory
 * @dir, which holds only a kustomization.yaml with the @len bytes of
 * @text (copied): a kustomization laid over another tree, e.g. one whose
 * resources are "../<path>" in @base.  Takes @base (freed with the
 * overlay, also on failure).  Returns 0, GA_EINVALID (@dir not a clean
 * absolute path other than "/") or GA_ENOMEM.
 */
GA_EXTERN int ga_kust_fs_overlay(ga_kust_fs **out, ga_kust_fs *base,
                                 const char *dir, const char *text, size_t len);

/** Output order of the objects. */
typedef enum ga_kust_reorder {
	GA_KUST_REORDER_DEFAULT = 0, /**< sortOptions, else legacy */
	GA_KUST_REORDER_LEGACY,      /**< `--reorder legacy` */
	GA_KUST_REORDER_NONE,        /**< `--reorder none`: input order */
} ga_kust_reorder;

typedef struct ga_kust_opts {
	ga_kust_reorder reorder;
	/**
	 * NULL, or an annotation key under which every object records the
	 * file it came from (relative to the build's @cwd; a generated
	 * object names its kustomization).  For callers that report errors
	 * per file (the apply engine strips it again); kustomize's own
	 * annotations are left as the build makes them.
	 */
	const char *source_annotation;
} ga_kust_opts;

#define GA_KUST_OPTS_INIT                                                      \
	{                                                                      \
		GA_KUST_REORDER_DEFAULT, NULL                                  \
	}

/**
 * Build the kustomization in the directory @path of @fs and append the
 * YAML stream kubectl kustomize prints to @out.  A relative @path is taken
 * from @cwd (an absolute directory of @fs).  @opts may be NULL.
 * Returns 0, GA_EINVALID (bad input: the message names the file, the
 * object and the field), GA_EUNSUPPORTED (a feature the engine refuses),
 * GA_ENOTFOUND, GA_ELIMIT, GA_EIO or GA_ENOMEM.  Nothing is appended on
 * failure.
 */
GA_EXTERN int ga_kust_build(ga_buf *out, ga_kust_fs *fs, const char *cwd,
                            const char *path, const ga_kust_opts *opts);

/*
 * The patch engines of the build, for other programs that patch objects
 * (kubesim answers PATCH with them).  They behave exactly as in
 * ga_kust_build(): the strategic merge patch is kustomize's (list merge
 * keys from the Kubernetes 1.21.2 schema kubectl kustomize embeds), except
 * that a merged list keeps the object's items first and adds the patch's
 * new ones after them, as kube-apiserver does; JSON 6902 is evanphx
 * json-patch v4's.
 */

/**
 * Merge the strategic merge patch @patch (only read) into *@obj.  The
 * object's kind, metadata.name and metadata.namespace are kept.  All or
 * nothing: on success *@obj is replaced by a new tree (the old one is
 * freed), or set to NULL when the patch says "$patch: delete" at the top.
 * Returns 0, GA_EINVALID (a map, list or scalar where the other side has
 * another kind; an unknown "$patch" value), GA_ELIMIT or GA_ENOMEM; the
 * message is kustomize's.
 */
GA_EXTERN int ga_kust_smp_apply(ga_node **obj, const ga_node *patch);

/**
 * Decode the JSON 6902 patch in the @len bytes of JSON (or YAML) text at
 * @text into *@ops, a new list of operations the caller frees with
 * ga_node_free().  Operations are checked only when applied.  Returns 0,
 * GA_EINVALID (not a list of operations), GA_ELIMIT or GA_ENOMEM.
 */
GA_EXTERN int ga_kust_json6902_parse(ga_node **ops, const char *text,
                                     size_t len);

/**
 * Apply the operations @ops (from ga_kust_json6902_parse()) to *@obj, all
 * or none ("test" included).  On success the old tree is freed and *@obj
 * is the patched one.  Returns 0, GA_EINVALID (an operation failed: the
 * message reads "op <index>: <json-patch's message>"), GA_ELIMIT or
 * GA_ENOMEM.
 */
GA_EXTERN int ga_kust_json6902_apply(ga_node **obj, const ga_node *ops);

/**
 * A position in the list-merge schema of the strategic merge patch: a
 * field of a built-in type, or a type.  NULL stands for "no schema", where
 * every list is atomic.  Read-only static data.
 */
typedef struct ga_kust_mk ga_kust_schema_at;

/** The position of an object of @apiversion and @kind, or NULL. */
GA_EXTERN const ga_kust_schema_at *ga_kust_schema_root(const char *apiversion,
                                                       const char *kind);

/**
 * The field @name of the map at @at, or the items of the list at @at when
 * @name is NULL; NULL when the schema says nothing there.
 */
GA_EXTERN const ga_kust_schema_at *
ga_kust_schema_child(const ga_kust_schema_at *at, const char *name);

/** How the list at @at merges. */
typedef enum ga_kust_list_kind {
	GA_KUST_LIST_KIND_ATOMIC = 0, /**< replaced whole */
	GA_KUST_LIST_KIND_SET,        /**< scalars merged as a set */
	GA_KUST_LIST_KIND_KEYS,       /**< maps merged by keys[0..nkeys) */
} ga_kust_list_kind;

/**
 * The merge of the list at @at; for GA_KUST_LIST_KIND_KEYS, its one or two
 * key names (static strings) go to @keys and their count to *@nkeys.
 */
GA_EXTERN ga_kust_list_kind ga_kust_schema_list(const ga_kust_schema_at *at,
                                                const char *keys[2],
                                                size_t *nkeys);

#endif
