/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The revision policy's decisions, apart from the repository (issue 5,
 * "Signature verification"; Flux's GitRepository spec.verify.mode of
 * source-controller, whose HEAD, Tag and TagAndHEAD modes these follow,
 * plus range mode, which Flux lacks because its clones are shallow).
 *
 * Two rules worth stating: a tag mode on a lightweight tag is Unsigned,
 * not an error of the configuration, because the vendor chose to publish
 * something that cannot carry a signature; and an allowed rewrite still
 * verifies every commit of the new history that the last applied commit
 * does not reach, so allowing a force-push never means trusting it.
 */
#include "gitverify/plan.h"

#include <string.h>

#include "ga/error.h"

static const char *const mode_names[] = {
    [GA_GITVERIFY_HEAD] = "head",
    [GA_GITVERIFY_TAG] = "tag",
    [GA_GITVERIFY_TAG_AND_HEAD] = "tag-and-head",
    [GA_GITVERIFY_RANGE] = "range",
};

#define N_MODES (sizeof(mode_names) / sizeof(mode_names[0]))

int ga_gitverify_mode_parse(ga_gitverify_mode *out, const char *name)
{
	for (size_t i = GA_GITVERIFY_HEAD; name && i < N_MODES; i++) {
		if (strcmp(name, mode_names[i]) == 0) {
			*out = (ga_gitverify_mode)i;
			return 0;
		}
	}
	ga_error_set(GA_ERRCLASS_INVALID,
	             "verify mode '%s' is not one of head, tag, "
	             "tag-and-head and range",
	             name ? name : "(null)");
	return GA_EINVALID;
}

const char *ga_gitverify_mode_name(ga_gitverify_mode mode)
{
	if (mode < GA_GITVERIFY_HEAD || (size_t)mode >= N_MODES)
		return "unknown";
	return mode_names[mode];
}

const char *ga_gitverify_history_name(ga_gitverify_history h)
{
	switch (h) {
	case GA_GITVERIFY_NOT_CHECKED:
		return "not-checked";
	case GA_GITVERIFY_FIRST:
		return "first";
	case GA_GITVERIFY_SAME:
		return "same";
	case GA_GITVERIFY_FORWARD:
		return "fast-forward";
	case GA_GITVERIFY_ROLLBACK:
		return "rollback";
	case GA_GITVERIFY_REWRITE:
		return "rewrite";
	case GA_GITVERIFY_UNRELATED:
		return "unrelated";
	}
	return "unknown";
}

int ga_gitverify__plan_for(ga_gitverify__plan *out, ga_verify_reason *reason,
                           ga_gitverify_mode mode, ga_git_ref_kind kind,
                           const ga_git_result *sel)
{
	bool tag_ref = kind == GA_GIT_REF_TAG || kind == GA_GIT_REF_SEMVER;

	memset(out, 0, sizeof(*out));
	*reason = GA_VERIFY_OK;
	switch (mode) {
	case GA_GITVERIFY_HEAD:
		out->head = true;
		return 0;
	case GA_GITVERIFY_RANGE:
		out->head = out->range = true;
		return 0;
	case GA_GITVERIFY_TAG_AND_HEAD:
		out->head = true;
		/* fall through */
	case GA_GITVERIFY_TAG:
		out->tag = true;
		break;
	default:
		ga_error_set(GA_ERRCLASS_INVALID, "verify mode %d is unknown",
		             (int)mode);
		return GA_EINVALID;
	}
	if (!tag_ref) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "verify mode %s needs a tag to be selected "
		             "(a tag or a semver range), not a %s",
		             ga_gitverify_mode_name(mode),
		             kind == GA_GIT_REF_BRANCH ? "branch" : "commit");
		return GA_EINVALID;
	}
	if (!sel->tag_object[0]) {
		*reason = GA_VERIFY_UNSIGNED;
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "Unsigned: tag %s: a lightweight tag (commit %s), "
		             "which has no tag object to carry a signature",
		             sel->ref_name, sel->commit);
		return GA_EVERIFY;
	}
	return 0;
}

int ga_gitverify__range_from(const char **from, ga_gitverify_history h,
                             const char *since, const char *commit, bool allow)
{
	const char *verb, *tail;

	*from = NULL;
	switch (h) {
	case GA_GITVERIFY_FIRST:
	case GA_GITVERIFY_SAME:
		return 0;
	case GA_GITVERIFY_FORWARD:
		*from = since;
		return 0;
	case GA_GITVERIFY_ROLLBACK:
		verb = "is an ancestor of";
		tail = " (a rollback)";
		break;
	case GA_GITVERIFY_REWRITE:
		/* Verify what the new history adds, even when allowed. */
		*from = allow ? since : NULL;
		verb = "does not descend from";
		tail = " (the history was rewritten)";
		break;
	case GA_GITVERIFY_UNRELATED:
		verb = "cannot be shown to descend from";
		tail = ", which is not in the repository";
		break;
	default:
		ga_error_set(GA_ERRCLASS_INVALID, "history %d is unknown",
		             (int)h);
		return GA_EINVALID;
	}
	if (allow)
		return 0;
	ga_error_set(GA_ERRCLASS_VERIFY,
	             "NonFastForward: commit %s %s the last applied commit "
	             "%s%s",
	             commit, verb, since, tail);
	return GA_EVERIFY;
}
