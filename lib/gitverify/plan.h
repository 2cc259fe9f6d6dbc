/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pure half of the revision policy: what a mode checks for a given
 * selection, and what the history between the last applied commit and the
 * new one allows.  No repository is touched here, so the unit tests can
 * walk every case.
 */
#ifndef GA_GITVERIFY_PLAN_H
#define GA_GITVERIFY_PLAN_H

#include <stdbool.h>

#include "ga/gitverify.h"

/* What to check for one selection. */
typedef struct ga_gitverify__plan {
	bool tag;   /* the annotated tag object */
	bool head;  /* the selected commit */
	bool range; /* the commits since the last applied one */
} ga_gitverify__plan;

/*
 * The plan of @mode for the selection @sel made by a ref of @kind.  When
 * the plan cannot be followed, *@reason is the verdict: GA_VERIFY_UNSIGNED
 * for a lightweight tag in a tag mode (GA_EVERIFY), GA_VERIFY_OK with
 * GA_EINVALID for options that make no sense (a tag mode for a branch or
 * a pinned commit, an unknown mode).  Returns 0, GA_EVERIFY or GA_EINVALID.
 */
int ga_gitverify__plan_for(ga_gitverify__plan *out, ga_verify_reason *reason,
                           ga_gitverify_mode mode, ga_git_ref_kind kind,
                           const ga_git_result *sel);

/*
 * Range mode: given history @h between @since and the selected @commit,
 * set *@from to the commit the range starts after (@since), or to NULL
 * when the selected commit alone is checked (first run, the same commit,
 * or an allowed rollback or unknown last commit).  A rollback, a rewrite
 * or an unknown @since is refused with a NonFastForward message unless
 * @allow.  Returns 0, GA_EVERIFY or GA_EINVALID (@h not a history).
 */
int ga_gitverify__range_from(const char **from, ga_gitverify_history h,
                             const char *since, const char *commit, bool allow);

#endif
