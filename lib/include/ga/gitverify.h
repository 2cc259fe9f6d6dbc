/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Verified fetch: the policy that joins the Git source (ga/git.h) and
 * signature verification (ga/verify.h).  A revision selected by a poll is
 * accepted only when the objects the mode names are signed by an allowed
 * key; in range mode, every commit since the last applied revision must
 * be, and the new revision must descend from it (fast-forward), so a
 * force-push to a rewritten history or back to an older commit is refused
 * unless explicitly allowed.  Flux checks the tip commit or the tag only
 * and cannot tell a rollback from an update (its clones are shallow).
 *
 * Contract with the caller: the verified revision is handed out only on
 * success (ga_gitverify_result.revision and .commit stay "" otherwise),
 * so a caller that applies only what it was handed keeps its last verified
 * revision in use when a new one is refused.
 *
 * Not thread-safe beyond its parts: the mirror and the key set are each
 * used from one thread at a time.
 */
#ifndef GA_GITVERIFY_H
#define GA_GITVERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "git.h"
#include "verify.h"

/** What must be signed. */
typedef enum ga_gitverify_mode {
	/** the selected commit */
	GA_GITVERIFY_HEAD = 1,
	/** the annotated tag object (a lightweight tag is Unsigned) */
	GA_GITVERIFY_TAG,
	/** both the tag object and the commit it points to */
	GA_GITVERIFY_TAG_AND_HEAD,
	/**
	 * Every commit reachable from the selected one and not from the
	 * last applied one (`git rev-list since..new`: merged side branches
	 * included), and the selected commit must descend from the last
	 * applied one.  Without a last applied commit, the selected commit
	 * alone.
	 */
	GA_GITVERIFY_RANGE,
} ga_gitverify_mode;

/** The most commits range mode checks unless told otherwise. */
#define GA_GITVERIFY_RANGE_MAX 1000

/** How the selected commit relates to the last applied one. */
typedef enum ga_gitverify_history {
	GA_GITVERIFY_NOT_CHECKED = 0, /**< not range mode */
	GA_GITVERIFY_FIRST,           /**< no last applied commit */
	GA_GITVERIFY_SAME,            /**< the same commit */
	GA_GITVERIFY_FORWARD,         /**< a descendant: fast-forward */
	GA_GITVERIFY_ROLLBACK,        /**< an ancestor of the last applied */
	GA_GITVERIFY_REWRITE,         /**< neither: history was rewritten */
	GA_GITVERIFY_UNRELATED,       /**< the last applied is not known */
} ga_gitverify_history;

/** Options of a verified fetch.  Pointers are borrowed. */
typedef struct ga_gitverify_opts {
	ga_gitverify_mode mode;
	/** The allowed keys; required. */
	const ga_verify_keys *keys;
	/** Range mode: the last applied commit (40 hex), NULL on first run. */
	const char *since;
	/** Range mode: accept a rollback or a rewrite (still verified). */
	bool allow_non_fast_forward;
	/** Range mode: the most commits to check; 0 means the default. */
	size_t max_commits;
	/** Seconds since the epoch to judge key expiry by; 0: now. */
	int64_t now;
} ga_gitverify_opts;

#define GA_GITVERIFY_OPTS_INIT                                                 \
	{                                                                      \
		GA_GITVERIFY_RANGE, NULL, NULL, false, GA_GITVERIFY_RANGE_MAX, \
		    0                                                          \
	}

/** The outcome of a verified fetch. */
typedef struct ga_gitverify_result {
	/** The poll's result (revision, commit, tag object, transfer). */
	ga_git_result fetched;
	/**
	 * True when @reason is a verdict on the revision; false when the
	 * check could not be made (network, mirror, memory, bad options).
	 */
	bool verdict;
	/** GA_VERIFY_OK, or why the revision was refused. */
	ga_verify_reason reason;
	/** The verified revision and commit: set on success only. */
	char revision[GA_GIT_REVISION_SIZE];
	char commit[GA_GIT_OID_HEX_SIZE];
	/** The commit or tag object that failed; "" otherwise. */
	char offending[GA_GIT_OID_HEX_SIZE];
	/** Who signed the selected commit, when it was checked. */
	bool commit_checked;
	ga_verify_result commit_sig;
	/** Who signed the tag object, when it was checked. */
	bool tag_checked;
	ga_verify_result tag_sig;
	/** Range mode: the history found and the commits checked. */
	ga_gitverify_history history;
	size_t commits_checked;
} ga_gitverify_result;

/**
 * Parse a mode name: "head", "tag", "tag-and-head" or "range".
 * Returns 0 or GA_EINVALID.
 */
GA_EXTERN int ga_gitverify_mode_parse(ga_gitverify_mode *out, const char *name);

/** The mode's name ("head", ...); "unknown" for other values. */
GA_EXTERN const char *ga_gitverify_mode_name(ga_gitverify_mode mode);

/** The history's name ("fast-forward", "rollback", ...). */
GA_EXTERN const char *ga_gitverify_history_name(ga_gitverify_history h);

/**
 * Verify the revision @sel, selected from mirror @m by @ref (as
 * ga_git_fetch() or ga_git_resolve_local() returned it), under @opts.
 * @out->fetched is a copy of @sel.  On success @out->revision and
 * @out->commit hold the verified revision; on failure they are "" and the
 * message starts with the reason's name and names the offending object
 * ("Unsigned: commit 1a2b...: not signed").
 * Returns 0, GA_EVERIFY (Unsigned, UnknownKey, BadSignature, ExpiredKey,
 * RevokedKey, NonFastForward), GA_EINVALID (Malformed; or bad options,
 * e.g. a tag mode for a branch, without a verdict), GA_EUNSUPPORTED
 * (Unsupported), GA_ELIMIT (RangeTooLong, or Malformed: an object too
 * large), GA_ENOTFOUND (the commit is not in the mirror), GA_ERROR or
 * GA_ENOMEM.  @opts->since is read in range mode only.
 */
GA_EXTERN int ga_gitverify_check(ga_gitverify_result *out, ga_git_mirror *m,
                                 const ga_git_ref *ref,
                                 const ga_git_result *sel,
                                 const ga_gitverify_opts *opts);

/**
 * Poll @m for @ref (ga_git_fetch()) and verify what it selected
 * (ga_gitverify_check()).  The mirror's refs move even when the new
 * revision is refused; the objects fetched are kept.  Returns what either
 * returns; @out->verdict tells a refusal from a failed poll.
 */
GA_EXTERN int ga_gitverify_fetch(ga_gitverify_result *out, ga_git_mirror *m,
                                 const ga_git_ref *ref,
                                 const ga_gitverify_opts *opts);

#endif
