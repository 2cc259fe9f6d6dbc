/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Ref selection, without libgit2: the refs a remote advertises (or the
 * mirror holds) as a plain list, the choice of one of them for a branch,
 * tag or semver range, and Flux's revision strings.  Pure functions, so
 * the unit tests can drive them with made-up lists.
 */
#ifndef GA_GIT_SELECT_H
#define GA_GIT_SELECT_H

#include <stddef.h>

#include "ga/git.h"

/* One advertised ref. */
typedef struct ga_git__head {
	char *name;                       /* "refs/tags/v1.2.3" */
	char oid[GA_GIT_OID_HEX_SIZE];    /* what the ref names */
	char peeled[GA_GIT_OID_HEX_SIZE]; /* annotated tag: its target */
} ga_git__head;

/*
 * Append (@name, @oid) to the list *@heads of *@n entries.  A name ending
 * in "^{}" (a peeled tag as the remote advertises it) sets the peeled id of
 * the entry it belongs to instead.  Returns 0 or GA_ENOMEM.
 */
int ga_git__heads_add(ga_git__head **heads, size_t *n, const char *name,
                      const char *oid);

void ga_git__heads_free(ga_git__head *heads, size_t n);

/*
 * Set *@index to the entry @ref selects: "refs/heads/<name>" for a
 * branch, "refs/tags/<name>" for a tag, and for a semver range the tag
 * whose name (optional leading "v") is the highest version matching it;
 * equal versions ("v1.2" and "1.2.0", or differing build metadata) are
 * ordered by tag name.  Returns 0, GA_ENOTFOUND, GA_EINVALID (a bad range
 * or ref kind) or GA_ENOMEM.
 */
int ga_git__select(size_t *index, const ga_git__head *heads, size_t n,
                   const ga_git_ref *ref);

/*
 * Check a branch or tag name the way git check-ref-format would refuse
 * the obvious: empty, too long, "..", control characters, a leading "-"
 * or "/", a trailing "/" or ".lock".  Returns 0 or GA_EINVALID.
 */
int ga_git__ref_name_check(const char *name);

/*
 * Write Flux's revision for @commit_hex selected through @ref under the
 * short name @ref_name: "<ref_name>@sha1:<hex>", or "sha1:<hex>" for a
 * pinned commit.  Returns 0, GA_EINVALID or GA_ELIMIT.
 */
int ga_git__revision(char *out, size_t cap, const ga_git_ref *ref,
                     const char *ref_name, const char *commit_hex);

#endif
