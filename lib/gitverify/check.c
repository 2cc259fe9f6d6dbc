/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The revision policy against the mirror: read the objects a mode names
 * (ga_git_object_raw), judge each with ga_verify_object, and in range mode
 * establish the history first (ancestry of the last applied commit) and
 * then check every commit of `git rev-list since..new`, bounded by a cap
 * that fails the whole range rather than verifying part of it.  The
 * selected commit is checked first, so its signer is reported whatever
 * else fails; the rest of a range oldest first, so a message names the
 * earliest bad commit.  See plan.c for the decisions themselves.
 */
#include "ga/gitverify.h"

#include <stdio.h>
#include <string.h>

#include "ga/buf.h"
#include "ga/error.h"
#include "gitverify/plan.h"

/* Room for "commit <40 hex> (between <40 hex> and <40 hex>)". */
#define NAME_SIZE 160

/* Record that object @oid settled the matter with @reason. */
static void refuse(ga_gitverify_result *out, ga_verify_reason reason,
                   const char *oid)
{
	out->verdict = true;
	out->reason = reason;
	(void)snprintf(out->offending, sizeof(out->offending), "%s", oid);
}

/* Read object @oid from the mirror and judge its signature into @res. */
static int verify_one(ga_gitverify_result *out, ga_verify_result *res,
                      ga_git_mirror *m, const char *oid, ga_git_kind kind,
                      const char *name, const ga_gitverify_opts *opts)
{
	ga_verify_opts vo = GA_VERIFY_OPTS_INIT;
	ga_buf raw = GA_BUF_INIT(GA_VERIFY_OBJECT_MAX);
	int err;

	vo.kind = kind;
	vo.name = name;
	vo.now = opts->now;
	if ((err = ga_git_object_raw(&raw, m, oid)) == GA_ELIMIT) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "Malformed: %s: larger than %zu bytes", name,
		             raw.max);
		refuse(out, GA_VERIFY_MALFORMED, oid);
	}
	if (err < 0)
		goto out;
	err = ga_verify_object(res, opts->keys, raw.ptr, raw.size, &vo);
	if (err < 0 && err != GA_ENOMEM)
		refuse(out, res->reason, oid);
out:
	ga_buf_dispose(&raw);
	return err;
}

/* How commit @commit relates to the last applied commit @since. */
static int find_history(ga_gitverify_history *h, ga_git_mirror *m,
                        const char *since, const char *commit)
{
	bool yes;
	int err;

	if (!since) {
		*h = GA_GITVERIFY_FIRST;
		return 0;
	}
	if (strcmp(since, commit) == 0) {
		*h = GA_GITVERIFY_SAME;
		return 0;
	}
	/* Is @since a commit of the mirror at all? */
	if ((err = ga_git_is_ancestor(&yes, m, since, since)) == GA_ENOTFOUND) {
		ga_error_clear();
		*h = GA_GITVERIFY_UNRELATED;
		return 0;
	}
	if (err < 0 || (err = ga_git_is_ancestor(&yes, m, since, commit)) < 0)
		return err;
	if (yes) {
		*h = GA_GITVERIFY_FORWARD;
		return 0;
	}
	if ((err = ga_git_is_ancestor(&yes, m, commit, since)) < 0)
		return err;
	*h = yes ? GA_GITVERIFY_ROLLBACK : GA_GITVERIFY_REWRITE;
	return 0;
}

/* The commits after @from up to the selected one, within the cap. */
static int range_commits(ga_git_oid_list *list, ga_gitverify_result *out,
                         ga_git_mirror *m, const char *from,
                         const ga_gitverify_opts *opts)
{
	size_t max =
	    opts->max_commits ? opts->max_commits : GA_GITVERIFY_RANGE_MAX;
	const char *to = out->fetched.commit;
	int err;

	if (!from)
		return 0;
	err = ga_git_commits_between(list, m, from, to, max);
	if (err == GA_ELIMIT) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "RangeTooLong: commit %s: more than %zu commits "
		             "since the last applied commit %s; none of them "
		             "was verified",
		             to, max, from);
		refuse(out, GA_VERIFY_RANGE_TOO_LONG, to);
	}
	return err;
}

/* Range mode: the history, then the selected commit, then the rest. */
static int check_range(ga_gitverify_result *out, ga_git_mirror *m,
                       const ga_gitverify_opts *opts)
{
	ga_git_oid_list list = GA_GIT_OID_LIST_INIT;
	const char *to = out->fetched.commit, *from;
	char name[NAME_SIZE];
	int err;

	if ((err = find_history(&out->history, m, opts->since, to)) < 0)
		return err;
	if ((err = ga_gitverify__range_from(&from, out->history, opts->since,
	                                    to, opts->allow_non_fast_forward)) <
	    0) {
		if (err == GA_EVERIFY)
			refuse(out, GA_VERIFY_NON_FAST_FORWARD, to);
		return err;
	}
	if ((err = range_commits(&list, out, m, from, opts)) < 0)
		goto out;
	(void)snprintf(name, sizeof(name), "commit %s", to);
	out->commit_checked = true;
	if ((err = verify_one(out, &out->commit_sig, m, to, GA_GIT_COMMIT, name,
	                      opts)) < 0)
		goto out;
	out->commits_checked = 1;
	for (size_t i = list.count; i-- > 0;) {
		ga_verify_result res;

		if (strcmp(list.ids[i], to) == 0)
			continue;
		(void)snprintf(name, sizeof(name),
		               "commit %s (between %s and %s)", list.ids[i],
		               from, to);
		if ((err = verify_one(out, &res, m, list.ids[i], GA_GIT_COMMIT,
		                      name, opts)) < 0)
			goto out;
		out->commits_checked++;
	}
out:
	ga_git_oid_list_dispose(&list);
	return err;
}

/* Head, tag and tag-and-head modes. */
static int check_objects(ga_gitverify_result *out, ga_git_mirror *m,
                         const ga_gitverify__plan *plan,
                         const ga_gitverify_opts *opts)
{
	const ga_git_result *sel = &out->fetched;
	char name[NAME_SIZE];
	int err;

	if (plan->tag) {
		(void)snprintf(name, sizeof(name), "tag %.64s (%s)",
		               sel->ref_name, sel->tag_object);
		out->tag_checked = true;
		if ((err = verify_one(out, &out->tag_sig, m, sel->tag_object,
		                      GA_GIT_TAG, name, opts)) < 0)
			return err;
	}
	if (plan->head) {
		(void)snprintf(name, sizeof(name), "commit %s", sel->commit);
		out->commit_checked = true;
		if ((err = verify_one(out, &out->commit_sig, m, sel->commit,
		                      GA_GIT_COMMIT, name, opts)) < 0)
			return err;
		out->commits_checked = 1;
	}
	return 0;
}

int ga_gitverify_check(ga_gitverify_result *out, ga_git_mirror *m,
                       const ga_git_ref *ref, const ga_git_result *sel,
                       const ga_gitverify_opts *opts)
{
	ga_gitverify__plan plan;
	ga_verify_reason reason;
	int err;

	if (!out || !m || !ref || !sel || !opts || !opts->keys) {
		ga_error_set(GA_ERRCLASS_INVALID, "gitverify: NULL argument");
		return GA_EINVALID;
	}
	memset(out, 0, sizeof(*out));
	out->fetched = *sel;
	out->reason = GA_VERIFY_OK;
	err =
	    ga_gitverify__plan_for(&plan, &reason, opts->mode, ref->kind, sel);
	if (err < 0) {
		if (reason != GA_VERIFY_OK)
			refuse(out, reason, sel->commit);
		return err;
	}
	err = plan.range ? check_range(out, m, opts)
	                 : check_objects(out, m, &plan, opts);
	if (err < 0)
		return err;
	out->verdict = true;
	(void)snprintf(out->revision, sizeof(out->revision), "%s",
	               sel->revision);
	(void)snprintf(out->commit, sizeof(out->commit), "%s", sel->commit);
	return 0;
}

int ga_gitverify_fetch(ga_gitverify_result *out, ga_git_mirror *m,
                       const ga_git_ref *ref, const ga_gitverify_opts *opts)
{
	ga_git_result sel;
	int err;

	if (!out || !m || !ref || !opts || !opts->keys) {
		ga_error_set(GA_ERRCLASS_INVALID, "gitverify: NULL argument");
		return GA_EINVALID;
	}
	memset(out, 0, sizeof(*out));
	if ((err = ga_git_fetch(&sel, m, ref)) < 0)
		return err;
	return ga_gitverify_check(out, m, ref, &sel, opts);
}
