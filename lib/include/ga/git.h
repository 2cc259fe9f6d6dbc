/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Git source: a persistent bare mirror of one remote repository, polled
 * cheaply (the remote's refs are listed first and nothing is transferred
 * when the selected ref has not moved), fetched incrementally otherwise,
 * and read straight from its object database: the build engine's file
 * tree over a commit, raw commit and tag objects for signature checks, and
 * the ancestry questions of range verification.  Revisions are written as
 * Flux writes them: "main@sha1:<40 hex>", "v1.2.3@sha1:<40 hex>", or
 * "sha1:<40 hex>" for a pinned commit.
 *
 * Transports: file://, git://, http(s):// (basic auth or a bearer token,
 * an optional CA bundle; TLS is always verified) and ssh:// (a private key
 * and strict host-key checking against a known_hosts file: an unknown or
 * changed host key is refused).  Credentials never appear in messages:
 * URLs are shown without their user information.
 *
 * A ga_git_mirror is owned by its creator and used from one thread at a
 * time; different mirrors may be used concurrently, though their network
 * operations take turns (libgit2 1.5 keeps the TLS trust store
 * process-wide).
 */
#ifndef GA_GIT_H
#define GA_GIT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "common.h"
#include "kustomize.h"

/** Bytes of a hexadecimal SHA-1 object id, NUL included. */
#define GA_GIT_OID_HEX_SIZE 41
/** The longest branch or tag name accepted, in bytes. */
#define GA_GIT_REF_NAME_MAX 255
/** Bytes of the longest revision string, NUL included. */
#define GA_GIT_REVISION_SIZE (GA_GIT_REF_NAME_MAX + 6 + 40 + 1)

/** How the revision to use is selected. */
typedef enum ga_git_ref_kind {
	GA_GIT_REF_BRANCH = 1, /**< the tip of a branch */
	GA_GIT_REF_TAG,        /**< a tag, peeled to its commit */
	GA_GIT_REF_SEMVER,     /**< the highest tag matching a semver range */
	GA_GIT_REF_COMMIT,     /**< a pinned commit (40 hex digits) */
} ga_git_ref_kind;

typedef struct ga_git_ref {
	ga_git_ref_kind kind;
	/** Branch name, tag name, range, or the commit's 40 hex digits. */
	const char *name;
} ga_git_ref;

/** Where and how to reach the remote.  Strings are borrowed. */
typedef struct ga_git_opts {
	const char *url;       /**< file://, git://, http(s)://, ssh:// */
	const char *cache_dir; /**< holds the mirrors; created if missing */
	/** HTTP basic auth: user name and a file holding the password. */
	const char *username;
	const char *password_file;
	/** HTTP bearer token read from this file (not with basic auth). */
	const char *token_file;
	/** PEM CA bundle that replaces the system's for https. */
	const char *ca_file;
	/** SSH: private key, optional passphrase file, known_hosts file. */
	const char *ssh_key_file;
	const char *ssh_passphrase_file;
	const char *known_hosts_file;
	/**
	 * Deadline of a whole poll (connect, ref listing, fetch) in ms; 0
	 * means none.  Every network transport honours it at every wait
	 * (connect, TLS and SSH handshakes, reads and writes).
	 */
	uint64_t timeout_ms;
	/** When non-NULL and set non-zero, the operation stops. */
	const atomic_int *cancel;
} ga_git_opts;

/** What a poll found. */
typedef struct ga_git_result {
	/** "<ref>@sha1:<hex>" or "sha1:<hex>" for a pinned commit. */
	char revision[GA_GIT_REVISION_SIZE];
	/** The selected commit. */
	char commit[GA_GIT_OID_HEX_SIZE];
	/** The annotated tag object when a tag was selected, else "". */
	char tag_object[GA_GIT_OID_HEX_SIZE];
	/** The branch or tag name selected ("" for a pinned commit). */
	char ref_name[GA_GIT_REF_NAME_MAX + 1];
	/** True when the mirror already had the ref: nothing was fetched. */
	bool unchanged;
	/** Objects and bytes received by this poll's fetch. */
	size_t received_objects;
	size_t received_bytes;
} ga_git_result;

typedef struct ga_git_mirror ga_git_mirror;

/**
 * Open the mirror of @opts->url under @opts->cache_dir, creating the bare
 * repository on first use.  The options (and the files they name, read at
 * each poll) must stay valid until ga_git_mirror_free().
 * Returns 0, GA_EINVALID (bad URL or options), GA_EUNSUPPORTED (a URL
 * scheme or option combination that is not handled), GA_EIO or GA_ENOMEM.
 */
GA_EXTERN int ga_git_mirror_open(ga_git_mirror **out, const ga_git_opts *opts);

/** Close @m; NULL is ignored. */
GA_EXTERN void ga_git_mirror_free(ga_git_mirror *m);

/** The mirror's directory (a bare repository); borrowed. */
GA_EXTERN const char *ga_git_mirror_path(const ga_git_mirror *m);

/**
 * List the remote's refs, select @ref and fetch what the mirror lacks.
 * Returns 0, GA_ENOTFOUND (no such branch or tag, no tag in the range, or
 * a commit not reachable from the remote's branches and tags),
 * GA_EINVALID, GA_EAUTH (credentials refused), GA_EVERIFY (host key or TLS
 * certificate refused), GA_ERETRY (timeout or network failure), GA_ERROR
 * (cancelled, or another Git failure), GA_EIO or GA_ENOMEM.
 */
GA_EXTERN int ga_git_fetch(ga_git_result *out, ga_git_mirror *m,
                           const ga_git_ref *ref);

/**
 * Select @ref from what the mirror already holds, without the network
 * (the refs of the last fetch).  Returns as ga_git_fetch() without the
 * network errors.
 */
GA_EXTERN int ga_git_resolve_local(ga_git_result *out, ga_git_mirror *m,
                                   const ga_git_ref *ref);

/**
 * A file tree for the build engine over the tree of commit @commit_hex,
 * read from the object database.  Paths are "/"-rooted at the tree's
 * root; symbolic links are followed inside the tree, and a link that
 * leaves it resolves to a path outside "/" that the engine refuses.  The
 * tree keeps the mirror open; free it before the mirror.
 * Returns 0, GA_ENOTFOUND (no such commit), GA_EINVALID or GA_ENOMEM.
 */
GA_EXTERN int ga_git_tree_fs(ga_kust_fs **out, ga_git_mirror *m,
                             const char *commit_hex);

/**
 * Append the raw bytes of the commit or tag object @oid_hex (its header
 * and message, as signed) to @out.
 * Returns 0, GA_ENOTFOUND, GA_EINVALID (not a commit or tag), GA_ELIMIT
 * or GA_ENOMEM.
 */
GA_EXTERN int ga_git_object_raw(ga_buf *out, ga_git_mirror *m,
                                const char *oid_hex);

/**
 * Set *@out to whether commit @ancestor is @descendant or one of its
 * ancestors.  Returns 0, GA_ENOTFOUND, GA_EINVALID or GA_ERROR.
 */
GA_EXTERN int ga_git_is_ancestor(bool *out, ga_git_mirror *m,
                                 const char *ancestor, const char *descendant);

/** A list of commit ids. */
typedef struct ga_git_oid_list {
	char (*ids)[GA_GIT_OID_HEX_SIZE];
	size_t count;
} ga_git_oid_list;

#define GA_GIT_OID_LIST_INIT                                                   \
	{                                                                      \
		NULL, 0                                                        \
	}

/**
 * Fill @out with the commits reachable from @to but not from @from
 * (`git rev-list from..to`), newest first, at most @max of them.  @from
 * may be NULL for all ancestors of @to.  Release with
 * ga_git_oid_list_dispose().  Returns 0, GA_ENOTFOUND, GA_EINVALID,
 * GA_ELIMIT (more than @max), GA_ERROR or GA_ENOMEM.
 */
GA_EXTERN int ga_git_commits_between(ga_git_oid_list *out, ga_git_mirror *m,
                                     const char *from, const char *to,
                                     size_t max);

GA_EXTERN void ga_git_oid_list_dispose(ga_git_oid_list *list);

/**
 * Append @url to @out with its user information ("user:secret@") replaced
 * by "***@" and any query or fragment by "?***", for messages and logs.
 * Returns 0, GA_ELIMIT or GA_ENOMEM.
 */
GA_EXTERN int ga_git_url_redact(ga_buf *out, const char *url);

#endif
