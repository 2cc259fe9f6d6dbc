/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pure half of verified fetch (lib/gitverify/plan.c): mode names,
 * what each mode checks for each kind of selection (a lightweight tag is
 * Unsigned, a tag mode on a branch is a configuration error), and what
 * the history between the last applied commit and the new one allows.
 */
#include "gitverify/plan.h"

#include <stdio.h>
#include <string.h>

#include "ga/error.h"
#include "ga/gitverify.h"
#include "harness.h"

#define SINCE "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define NEW "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define TAG "cccccccccccccccccccccccccccccccccccccccc"

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void modes(void)
{
	static const char *const names[] = {"head", "tag", "tag-and-head",
	                                    "range"};
	ga_gitverify_mode m;

	for (size_t i = 0; i < 4; i++) {
		CHECK_OK(ga_gitverify_mode_parse(&m, names[i]));
		CHECK_EQ_STR(ga_gitverify_mode_name(m), names[i]);
	}
	CHECK_ERR(ga_gitverify_mode_parse(&m, "HEAD"), GA_EINVALID);
	CHECK(strstr(ga_error_last()->message, "'HEAD' is not one of") != NULL);
	CHECK_ERR(ga_gitverify_mode_parse(&m, ""), GA_EINVALID);
	CHECK_ERR(ga_gitverify_mode_parse(&m, NULL), GA_EINVALID);
	CHECK_EQ_STR(ga_gitverify_mode_name((ga_gitverify_mode)0), "unknown");
	CHECK_EQ_STR(ga_gitverify_mode_name((ga_gitverify_mode)9), "unknown");
	CHECK_EQ_STR(ga_gitverify_history_name(GA_GITVERIFY_FORWARD),
	             "fast-forward");
	CHECK_EQ_STR(ga_gitverify_history_name(GA_GITVERIFY_REWRITE),
	             "rewrite");
	CHECK_EQ_STR(ga_gitverify_history_name((ga_gitverify_history)42),
	             "unknown");
}

static ga_git_result selection(const char *tag_object)
{
	ga_git_result sel;

	memset(&sel, 0, sizeof(sel));
	(void)snprintf(sel.commit, sizeof(sel.commit), "%s", NEW);
	(void)snprintf(sel.tag_object, sizeof(sel.tag_object), "%s",
	               tag_object);
	(void)snprintf(sel.ref_name, sizeof(sel.ref_name), "v1.2.3");
	return sel;
}

/* The plan as "t", "h", "r" letters, or the error code. */
static int plan(char *out, ga_verify_reason *reason, ga_gitverify_mode mode,
                ga_git_ref_kind kind, const char *tag_object)
{
	ga_git_result sel = selection(tag_object);
	ga_gitverify__plan p;
	int err;

	memset(&p, 0xff, sizeof(p));
	out[0] = '\0';
	if ((err = ga_gitverify__plan_for(&p, reason, mode, kind, &sel)) < 0)
		return err;
	(void)snprintf(out, 4, "%s%s%s", p.tag ? "t" : "", p.head ? "h" : "",
	               p.range ? "r" : "");
	return 0;
}

static void plans(void)
{
	ga_verify_reason r;
	char p[4];

	CHECK_OK(plan(p, &r, GA_GITVERIFY_HEAD, GA_GIT_REF_BRANCH, ""));
	CHECK_EQ_STR(p, "h");
	CHECK_OK(plan(p, &r, GA_GITVERIFY_HEAD, GA_GIT_REF_COMMIT, ""));
	CHECK_EQ_STR(p, "h");
	CHECK_OK(plan(p, &r, GA_GITVERIFY_RANGE, GA_GIT_REF_BRANCH, ""));
	CHECK_EQ_STR(p, "hr");
	CHECK_OK(plan(p, &r, GA_GITVERIFY_RANGE, GA_GIT_REF_SEMVER, TAG));
	CHECK_EQ_STR(p, "hr");
	CHECK_OK(plan(p, &r, GA_GITVERIFY_TAG, GA_GIT_REF_TAG, TAG));
	CHECK_EQ_STR(p, "t");
	CHECK_OK(
	    plan(p, &r, GA_GITVERIFY_TAG_AND_HEAD, GA_GIT_REF_SEMVER, TAG));
	CHECK_EQ_STR(p, "th");
	CHECK_EQ_INT(r, GA_VERIFY_OK);

	/* A lightweight tag cannot carry a signature: a verdict. */
	CHECK_ERR(plan(p, &r, GA_GITVERIFY_TAG, GA_GIT_REF_TAG, ""),
	          GA_EVERIFY);
	CHECK_EQ_INT(r, GA_VERIFY_UNSIGNED);
	CHECK(starts_with(ga_error_last()->message,
	                  "Unsigned: tag v1.2.3: a lightweight tag (commit " NEW
	                  ")"));
	CHECK_ERR(plan(p, &r, GA_GITVERIFY_TAG_AND_HEAD, GA_GIT_REF_SEMVER, ""),
	          GA_EVERIFY);
	CHECK_EQ_INT(r, GA_VERIFY_UNSIGNED);

	/* A tag mode without a tag selected is a configuration error. */
	CHECK_ERR(plan(p, &r, GA_GITVERIFY_TAG, GA_GIT_REF_BRANCH, ""),
	          GA_EINVALID);
	CHECK_EQ_INT(r, GA_VERIFY_OK);
	CHECK(strstr(ga_error_last()->message, "not a branch") != NULL);
	CHECK_ERR(plan(p, &r, GA_GITVERIFY_TAG_AND_HEAD, GA_GIT_REF_COMMIT, ""),
	          GA_EINVALID);
	CHECK(strstr(ga_error_last()->message, "not a commit") != NULL);
	CHECK_ERR(plan(p, &r, (ga_gitverify_mode)0, GA_GIT_REF_BRANCH, ""),
	          GA_EINVALID);
	CHECK_ERR(plan(p, &r, (ga_gitverify_mode)77, GA_GIT_REF_BRANCH, ""),
	          GA_EINVALID);
}

/* range_from() for @h; *@from_since says whether the range starts at it. */
static int from(int *from_since, ga_gitverify_history h, bool allow)
{
	const char *f = "unset";
	int err = ga_gitverify__range_from(&f, h, SINCE, NEW, allow);

	*from_since = f == NULL ? 0 : strcmp(f, SINCE) == 0 ? 1 : -1;
	return err;
}

static void histories(void)
{
	int s;

	CHECK_OK(from(&s, GA_GITVERIFY_FIRST, false));
	CHECK_EQ_INT(s, 0);
	CHECK_OK(from(&s, GA_GITVERIFY_SAME, false));
	CHECK_EQ_INT(s, 0);
	CHECK_OK(from(&s, GA_GITVERIFY_FORWARD, false));
	CHECK_EQ_INT(s, 1);

	CHECK_ERR(from(&s, GA_GITVERIFY_ROLLBACK, false), GA_EVERIFY);
	CHECK_EQ_STR(ga_error_last()->message,
	             "NonFastForward: commit " NEW " is an ancestor of the "
	             "last applied commit " SINCE " (a rollback)");
	CHECK_ERR(from(&s, GA_GITVERIFY_REWRITE, false), GA_EVERIFY);
	CHECK_EQ_STR(ga_error_last()->message,
	             "NonFastForward: commit " NEW " does not descend from the "
	             "last applied commit " SINCE
	             " (the history was rewritten)");
	CHECK_ERR(from(&s, GA_GITVERIFY_UNRELATED, false), GA_EVERIFY);
	CHECK(starts_with(ga_error_last()->message, "NonFastForward: "));
	CHECK_EQ_INT(s, 0);

	/* Allowed: a rewrite still checks what the new history adds. */
	CHECK_OK(from(&s, GA_GITVERIFY_ROLLBACK, true));
	CHECK_EQ_INT(s, 0);
	CHECK_OK(from(&s, GA_GITVERIFY_REWRITE, true));
	CHECK_EQ_INT(s, 1);
	CHECK_OK(from(&s, GA_GITVERIFY_UNRELATED, true));
	CHECK_EQ_INT(s, 0);

	CHECK_ERR(from(&s, GA_GITVERIFY_NOT_CHECKED, true), GA_EINVALID);
}

static void arguments(void)
{
	ga_gitverify_opts opts = GA_GITVERIFY_OPTS_INIT;
	ga_gitverify_result res;
	ga_git_ref ref = {GA_GIT_REF_BRANCH, "main"};

	CHECK_EQ_INT(opts.mode, GA_GITVERIFY_RANGE);
	CHECK_EQ_INT((int)opts.max_commits, GA_GITVERIFY_RANGE_MAX);
	/* No keys: refused before the mirror is touched. */
	CHECK_ERR(ga_gitverify_fetch(&res, NULL, &ref, &opts), GA_EINVALID);
	CHECK_ERR(ga_gitverify_check(&res, NULL, &ref, NULL, &opts),
	          GA_EINVALID);
}

int main(void)
{
	RUN(modes);
	RUN(plans);
	RUN(histories);
	RUN(arguments);
	return DONE();
}
