/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The verification options of `fetch` and `build --git-url`.  Options
 * that only mean something with keys (a mode, --since, allowing
 * non-fast-forward) are refused without them rather than ignored, and the
 * range options are refused with the other modes: an operator who passes
 * --since must not believe rollbacks are refused when they are not.
 */
#include "verifyopts.h"

#include <string.h>

#include "cli.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "ga/fs.h"

/* The largest allowed-signers file read. */
#define SIGNERS_MAX ((size_t)1 << 20)

int ga_cli_verify_arg(ga_cli_verify *v, const char *cmd, int argc, char **argv,
                      int *i, bool *used)
{
	const char *flag = argv[*i];
	const char **slot;

	*used = true;
	if (strcmp(flag, "--allow-non-fast-forward") == 0) {
		v->opts.allow_non_fast_forward = true;
		return GA_EXIT_OK;
	}
	if (strcmp(flag, "--verify-mode") == 0)
		slot = &v->mode;
	else if (strcmp(flag, "--verify-keys") == 0)
		slot = &v->keys_dir;
	else if (strcmp(flag, "--allowed-signers") == 0)
		slot = &v->signers;
	else if (strcmp(flag, "--since") == 0)
		slot = &v->opts.since;
	else {
		*used = false;
		return GA_EXIT_OK;
	}
	if (*i + 1 >= argc)
		return ga_cli_usage_error(cmd, "%s needs a value", flag);
	*slot = argv[++*i];
	return GA_EXIT_OK;
}

bool ga_cli_verify_on(const ga_cli_verify *v)
{
	return v->keys_dir || v->signers;
}

bool ga_cli_verify_given(const ga_cli_verify *v)
{
	return ga_cli_verify_on(v) || v->mode || v->opts.since ||
	       v->opts.allow_non_fast_forward;
}

static bool is_commit_id(const char *s)
{
	return strlen(s) == 40 && strspn(s, "0123456789abcdef") == 40;
}

int ga_cli_verify_finish(ga_cli_verify *v, const char *cmd)
{
	v->opts.mode = GA_GITVERIFY_RANGE;
	v->opts.max_commits = GA_GITVERIFY_RANGE_MAX;
	if (!ga_cli_verify_on(v)) {
		if (ga_cli_verify_given(v))
			return ga_cli_usage_error(
			    cmd, "--verify-mode, --since and "
			         "--allow-non-fast-forward need --verify-keys "
			         "or --allowed-signers");
		return GA_EXIT_OK;
	}
	if (v->mode && ga_gitverify_mode_parse(&v->opts.mode, v->mode) < 0)
		return ga_cli_usage_error(cmd, "--verify-mode: %s",
		                          ga_error_last()->message);
	if (v->opts.mode != GA_GITVERIFY_RANGE &&
	    (v->opts.since || v->opts.allow_non_fast_forward))
		return ga_cli_usage_error(
		    cmd, "--since and --allow-non-fast-forward apply to "
		         "--verify-mode range only");
	if (v->opts.since && !is_commit_id(v->opts.since))
		return ga_cli_usage_error(
		    cmd,
		    "--since: '%s' is not a commit id (40 lowercase hex "
		    "digits)",
		    v->opts.since);
	return GA_EXIT_OK;
}

int ga_cli_load_keys(ga_verify_keys **out, const char *dir, const char *signers)
{
	ga_buf text = GA_BUF_INIT(SIGNERS_MAX);
	ga_verify_keys *keys = NULL;
	int err;

	if ((err = ga_verify_keys_new(&keys)) < 0)
		goto out;
	if (dir && (err = ga_verify_keys_load_dir(keys, dir)) < 0)
		goto out;
	if (signers && ((err = ga_file_read(&text, signers)) < 0 ||
	                (err = ga_verify_keys_add_allowed_signers(
	                     keys, text.ptr, text.size, signers)) < 0))
		goto out;
	*out = keys;
	keys = NULL;
out:
	ga_verify_keys_free(keys);
	ga_buf_dispose(&text);
	return err;
}

void ga_cli_verify_dispose(ga_cli_verify *v)
{
	ga_verify_keys_free(v->keys);
	v->keys = NULL;
}
