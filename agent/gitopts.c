/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Git source options shared by `fetch` and `build --git-url`: the ref
 * selection (exactly one of --branch, --tag, --semver, --commit), the
 * credentials (files only: a secret on the command line would show in
 * ps(1)), the cache directory and the timeout.  SIGINT and SIGTERM cancel
 * a poll in progress through the library's cancellation flag.
 */
#include "gitopts.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ga/duration.h"
#include "ga/error.h"
#include "ga/log.h"

/* Flux's default for GitRepository.spec.timeout. */
#define DEFAULT_TIMEOUT_MS 60000

static atomic_int cancel_flag;

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&cancel_flag, 1);
}

static const char *const string_flags[] = {
    "--cache",   "--username", "--password-file",       "--token-file",
    "--ca-file", "--ssh-key",  "--ssh-passphrase-file", "--known-hosts",
    "--timeout",
};

/* The index of @flag in @names (of @n), or -1. */
static int flag_index(const char *const *names, size_t n, const char *flag)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(flag, names[i]) == 0)
			return (int)i;
	}
	return -1;
}

/* Where the value of string_flags[@k] goes. */
static const char **string_slot(ga_cli_git *g, int k)
{
	const char **slots[] = {
	    &g->opts.cache_dir,
	    &g->opts.username,
	    &g->opts.password_file,
	    &g->opts.token_file,
	    &g->opts.ca_file,
	    &g->opts.ssh_key_file,
	    &g->opts.ssh_passphrase_file,
	    &g->opts.known_hosts_file,
	    &g->timeout,
	};

	return slots[k];
}

int ga_cli_git_arg(ga_cli_git *g, const char *cmd, int argc, char **argv,
                   int *i, bool *used)
{
	static const char *const ref_names[] = {"--branch", "--tag", "--semver",
	                                        "--commit"};
	static const ga_git_ref_kind kinds[] = {
	    GA_GIT_REF_BRANCH, GA_GIT_REF_TAG, GA_GIT_REF_SEMVER,
	    GA_GIT_REF_COMMIT};
	const char *flag = argv[*i];
	const char **slot;
	int k;

	if (ga_cli_verify_arg(&g->verify, cmd, argc, argv, i, used) !=
	    GA_EXIT_OK)
		return GA_EXIT_USAGE;
	if (*used)
		return GA_EXIT_OK;
	if ((k = flag_index(ref_names, 4, flag)) >= 0) {
		if (g->ref.name)
			return ga_cli_usage_error(
			    cmd, "give one of --branch, --tag, --semver and "
			         "--commit");
		g->ref.kind = kinds[k];
		slot = &g->ref.name;
	} else if (strcmp(flag, g->url_flag) == 0) {
		slot = &g->opts.url;
	} else if ((k = flag_index(string_flags,
	                           sizeof(string_flags) /
	                               sizeof(string_flags[0]),
	                           flag)) >= 0) {
		slot = string_slot(g, k);
	} else {
		return GA_EXIT_OK;
	}
	if (*i + 1 >= argc)
		return ga_cli_usage_error(cmd, "%s needs a value", flag);
	*slot = argv[++*i];
	*used = true;
	return GA_EXIT_OK;
}

static const char *default_cache(char *buf, size_t cap)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");

	if (xdg && xdg[0] == '/')
		(void)snprintf(buf, cap, "%s/gitops-agent/git", xdg);
	else if (home && home[0] == '/')
		(void)snprintf(buf, cap, "%s/.cache/gitops-agent/git", home);
	else
		return NULL;
	return buf;
}

int ga_cli_git_finish(ga_cli_git *g, const char *cmd)
{
	struct sigaction sa;

	if (!g->opts.url)
		return ga_cli_usage_error(cmd, "missing %s", g->url_flag);
	if (ga_cli_verify_finish(&g->verify, cmd) != GA_EXIT_OK)
		return GA_EXIT_USAGE;
	if (!g->ref.name)
		return ga_cli_usage_error(
		    cmd, "give one of --branch, --tag, --semver and --commit");
	if (!g->opts.cache_dir && !(g->opts.cache_dir = default_cache(
	                                g->cache_buf, sizeof(g->cache_buf))))
		return ga_cli_usage_error(cmd, "--cache is needed when "
		                               "neither XDG_CACHE_HOME nor "
		                               "HOME is set");
	g->opts.timeout_ms = DEFAULT_TIMEOUT_MS;
	if (g->timeout &&
	    ga_duration_parse_ms(&g->opts.timeout_ms, g->timeout) < 0)
		return ga_cli_usage_error(cmd, "--timeout: %s",
		                          ga_error_last()->message);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGTERM, &sa, NULL);
	g->opts.cancel = &cancel_flag;
	return GA_EXIT_OK;
}

/* Poll without verification, saying so. */
static int fetch_unverified(ga_gitverify_result *res, ga_git_mirror *m,
                            const ga_git_ref *ref)
{
	int err;

	GA_LOG(GA_LOG_WARN, NULL, 0,
	       "signature verification is off: no --verify-keys or "
	       "--allowed-signers given");
	memset(res, 0, sizeof(*res));
	if ((err = ga_git_fetch(&res->fetched, m, ref)) < 0)
		return err;
	(void)snprintf(res->revision, sizeof(res->revision), "%s",
	               res->fetched.revision);
	(void)snprintf(res->commit, sizeof(res->commit), "%s",
	               res->fetched.commit);
	return 0;
}

/* Log what was fetched, and how it was verified. */
static void log_fetch(const ga_gitverify_result *res, const ga_cli_git *g)
{
	const ga_git_result *f = &res->fetched;
	char objects[32], bytes[32], checked[32];
	bool on = ga_cli_verify_on(&g->verify);
	ga_log_field fields[] = {
	    {"revision", f->revision},
	    {"unchanged", f->unchanged ? "true" : "false"},
	    {"received_objects", objects},
	    {"received_bytes", bytes},
	    {"verify_mode",
	     on ? ga_gitverify_mode_name(g->verify.opts.mode) : "off"},
	    {"history", ga_gitverify_history_name(res->history)},
	    {"commits_verified", checked},
	    {"verified", res->commit[0] ? "true" : "false"},
	};

	(void)snprintf(objects, sizeof(objects), "%zu", f->received_objects);
	(void)snprintf(bytes, sizeof(bytes), "%zu", f->received_bytes);
	(void)snprintf(checked, sizeof(checked), "%zu", res->commits_checked);
	GA_LOG(GA_LOG_INFO, fields, on ? 8 : 4, "%s",
	       f->unchanged ? "unchanged" : "fetched");
}

int ga_cli_git_fetch(ga_git_mirror **m, ga_gitverify_result *res, ga_cli_git *g,
                     const char *cmd)
{
	ga_cli_verify *v = &g->verify;
	int err;

	memset(res, 0, sizeof(*res));
	/* Keys first: a key the operator got wrong costs no poll. */
	if (ga_cli_verify_on(v) &&
	    ga_cli_load_keys(&v->keys, v->keys_dir, v->signers) < 0)
		return ga_cli_fail(cmd);
	if (ga_git_mirror_open(m, &g->opts) < 0)
		return ga_cli_fail(cmd);
	if (ga_cli_verify_on(v)) {
		v->opts.keys = v->keys;
		err = ga_gitverify_fetch(res, *m, &g->ref, &v->opts);
	} else {
		err = fetch_unverified(res, *m, &g->ref);
	}
	if (err < 0 && !res->verdict)
		return ga_cli_fail(cmd);
	/* The poll itself worked: log it, then the verdict. */
	log_fetch(res, g);
	return err < 0 ? ga_cli_fail(cmd) : GA_EXIT_OK;
}

void ga_cli_git_dispose(ga_cli_git *g)
{
	ga_cli_verify_dispose(&g->verify);
}
