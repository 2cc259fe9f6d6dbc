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

/** Output order of the objects. */
typedef enum ga_kust_reorder {
	GA_KUST_REORDER_DEFAULT = 0, /**< sortOptions, else legacy */
	GA_KUST_REORDER_LEGACY,      /**< `--reorder legacy` */
	GA_KUST_REORDER_NONE,        /**< `--reorder none`: input order */
} ga_kust_reorder;

typedef struct ga_kust_opts {
	ga_kust_reorder reorder;
} ga_kust_opts;

#define GA_KUST_OPTS_INIT                                                      \
	{                                                                      \
		GA_KUST_REORDER_DEFAULT                                        \
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

#endif
