/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The library half of the verified-fetch tests, run by fetchverify.sh on
 * the repository it made: the result structure's contract (the revision
 * is handed out on success only; a refusal is a verdict naming the
 * offending object; a failed poll or bad options are not verdicts), the
 * range cap, and history on a mirror without a new poll.  Prints one
 * "PASS name" or "FAIL name: detail" line per check.
 *
 * usage: gitverify-test URL CACHE KEYS-DIR MAIN UNSIGNED MID M2
 *   URL       file:// URL with branches main, unsigned and mid
 *   KEYS-DIR  the allowed OpenPGP keys
 *   MAIN      the commit of main (signed), also the base of unsigned/mid
 *   UNSIGNED  the commit of branch unsigned (not signed)
 *   MID       the commit of branch mid (signed; MAIN..MID has 3 commits)
 *   M2        the unsigned commit in the middle of MAIN..MID
 */
#include <stdio.h>
#include <string.h>

#include "ga/error.h"
#include "ga/git.h"
#include "ga/gitverify.h"
#include "ga/verify.h"
#include "report.h"

/* A refusal: no revision handed out, a verdict naming @offending. */
static int refused(const ga_gitverify_result *r, ga_verify_reason reason,
                   const char *offending)
{
	return r->verdict && r->reason == reason && r->revision[0] == '\0' &&
	       r->commit[0] == '\0' && strcmp(r->offending, offending) == 0;
}

static void head_mode(ga_git_mirror *m, ga_gitverify_opts *o, char **argv)
{
	ga_git_ref main_ref = {GA_GIT_REF_BRANCH, "main"};
	ga_git_ref unsigned_ref = {GA_GIT_REF_BRANCH, "unsigned"};
	ga_git_ref missing = {GA_GIT_REF_BRANCH, "no-such-branch"};
	ga_gitverify_result r;
	char want[128];
	int err;

	o->mode = GA_GITVERIFY_HEAD;
	err = ga_gitverify_fetch(&r, m, &main_ref, o);
	(void)snprintf(want, sizeof(want), "main@sha1:%s", argv[4]);
	report("head: signed commit handed out",
	       err == 0 && r.verdict && r.reason == GA_VERIFY_OK &&
	           strcmp(r.revision, want) == 0 &&
	           strcmp(r.commit, argv[4]) == 0 && r.offending[0] == '\0',
	       "wrong result");
	report("head: signer reported",
	       r.commit_checked && r.commit_sig.format == GA_SIG_OPENPGP &&
	           strlen(r.commit_sig.key) == 40 &&
	           strstr(r.commit_sig.signer, "good@example.com") &&
	           !r.tag_checked,
	       r.commit_sig.signer);
	err = ga_gitverify_fetch(&r, m, &unsigned_ref, o);
	report("head: unsigned commit withheld",
	       err == GA_EVERIFY && refused(&r, GA_VERIFY_UNSIGNED, argv[5]) &&
	           strcmp(r.fetched.commit, argv[5]) == 0,
	       "not a refusal naming the commit");
	err = ga_gitverify_fetch(&r, m, &missing, o);
	report("head: a failed poll is no verdict",
	       err == GA_ENOTFOUND && !r.verdict && r.revision[0] == '\0',
	       "wrong code or verdict");
	o->mode = GA_GITVERIFY_TAG;
	err = ga_gitverify_fetch(&r, m, &main_ref, o);
	report("tag mode on a branch is no verdict",
	       err == GA_EINVALID && !r.verdict && r.revision[0] == '\0',
	       "wrong code or verdict");
}

static void range_mode(ga_git_mirror *m, ga_gitverify_opts *o, char **argv)
{
	ga_git_ref mid_ref = {GA_GIT_REF_BRANCH, "mid"};
	ga_git_ref main_ref = {GA_GIT_REF_BRANCH, "main"};
	ga_git_result sel;
	ga_gitverify_result r;
	int err;

	o->mode = GA_GITVERIFY_RANGE;
	o->since = argv[4];
	err = ga_gitverify_fetch(&r, m, &mid_ref, o);
	report("range: unsigned middle commit named",
	       err == GA_EVERIFY && refused(&r, GA_VERIFY_UNSIGNED, argv[7]) &&
	           r.history == GA_GITVERIFY_FORWARD,
	       r.offending);
	report("range: head checked first, then oldest first",
	       r.commit_checked && r.commit_sig.reason == GA_VERIFY_OK &&
	           r.commits_checked == 2,
	       "head not verified, or wrong count");
	/* From the mirror alone, with a cap below the range's length. */
	err = ga_git_resolve_local(&sel, m, &mid_ref);
	o->max_commits = 2;
	if (err == 0)
		err = ga_gitverify_check(&r, m, &mid_ref, &sel, o);
	report("range: over the cap, nothing verified",
	       err == GA_ELIMIT &&
	           refused(&r, GA_VERIFY_RANGE_TOO_LONG, argv[6]) &&
	           r.commits_checked == 0 && !r.commit_checked,
	       "not RangeTooLong");
	o->max_commits = 0;
	o->since = argv[6];
	err = ga_git_resolve_local(&sel, m, &main_ref);
	if (err == 0)
		err = ga_gitverify_check(&r, m, &main_ref, &sel, o);
	report("range: rollback refused",
	       err == GA_EVERIFY &&
	           refused(&r, GA_VERIFY_NON_FAST_FORWARD, argv[4]) &&
	           r.history == GA_GITVERIFY_ROLLBACK && !r.commit_checked,
	       "not NonFastForward");
	o->allow_non_fast_forward = true;
	err = ga_gitverify_check(&r, m, &main_ref, &sel, o);
	report("range: allowed rollback verifies the head",
	       err == 0 && strcmp(r.commit, argv[4]) == 0 &&
	           r.history == GA_GITVERIFY_ROLLBACK && r.commits_checked == 1,
	       "not accepted");
}

int main(int argc, char **argv)
{
	ga_git_opts gopts = {0};
	ga_gitverify_opts o = GA_GITVERIFY_OPTS_INIT;
	ga_verify_keys *keys = NULL;
	ga_git_mirror *m = NULL;

	if (argc != 8) {
		(void)fprintf(stderr, "usage: gitverify-test URL CACHE KEYS "
		                      "MAIN UNSIGNED MID M2\n");
		return 2;
	}
	gopts.url = argv[1];
	gopts.cache_dir = argv[2];
	gopts.timeout_ms = 30000;
	if (ga_verify_keys_new(&keys) < 0 ||
	    ga_verify_keys_load_dir(keys, argv[3]) < 0 ||
	    ga_git_mirror_open(&m, &gopts) < 0) {
		report("setup", 0, "keys or mirror");
		goto out;
	}
	o.keys = keys;
	head_mode(m, &o, argv);
	range_mode(m, &o, argv);
out:
	ga_git_mirror_free(m);
	ga_verify_keys_free(keys);
	return failures ? 1 : 0;
}
