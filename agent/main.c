/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gitops-agent: entry point and subcommand dispatch.  Global options come
 * before the subcommand; each subcommand parses its own arguments and
 * answers --help itself.  Exit codes: 0 ok, 1 failure, 2 usage (diff, as
 * kubectl diff: 1 differences, 3 failure).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ga/common.h"
#include "ga/error.h"
#include "ga/log.h"
#include "logsink.h"

static const char version_help[] = "usage: gitops-agent version\n"
                                   "\n"
                                   "Print the gitops-agent version and exit.\n";

static const ga_cli_command commands[] = {
    {"build", "build a kustomization as kubectl kustomize does",
     ga_cmd_build_help, ga_cmd_build},
    {"verify-object", "check the signature of a raw Git commit or tag",
     ga_cmd_verify_help, ga_cmd_verify},
    {"fetch", "poll a Git repository and print the selected revision",
     ga_cmd_fetch_help, ga_cmd_fetch},
    {"diff", "show what applying a kustomization would change",
     ga_cmd_diff_help, ga_cmd_diff},
    {"apply", "apply a kustomization to the cluster, as Flux does",
     ga_cmd_apply_help, ga_cmd_apply},
    {"run", "run the agent: poll, verify, build, apply, in a loop",
     ga_cmd_run_help, ga_cmd_run},
    {"status", "show what the agent in the cluster reports", ga_cmd_status_help,
     ga_cmd_status},
    {"version", "print the version and exit",
     "usage: gitops-agent version\n"
     "\n"
     "Print the gitops-agent version and exit.\n",
     ga_cmd_version},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_help(FILE *f)
{
	(void)fprintf(
	    f, "usage: gitops-agent [--log-format json|text] "
	       "[--log-level LEVEL] COMMAND [ARGS]\n"
	       "\n"
	       "Delivers a vendor's Kubernetes distribution from a signed Git "
	       "repository onto\nthis cluster, with progressive rollouts.\n"
	       "\n"
	       "Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		(void)fprintf(f, "  %-14s %s\n", commands[i].name,
		              commands[i].summary);
	(void)fprintf(
	    f, "\n"
	       "Global options:\n"
	       "  --log-format F  json (default) or text\n"
	       "  --log-level L   error, warn, info (default), debug, trace\n"
	       "  -h, --help      this help; `COMMAND --help` for a command\n"
	       "\n"
	       "Exit status: 0 success, 1 failure, 2 usage error.\n");
}

int ga_cli_is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int ga_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	(void)fprintf(ga_logsink_stderr(), "gitops-agent%s%s: ", cmd ? " " : "",
	              cmd ? cmd : "");
	va_start(ap, fmt);
	(void)vfprintf(ga_logsink_stderr(), fmt, ap);
	va_end(ap);
	(void)fprintf(ga_logsink_stderr(), "\nTry 'gitops-agent %s%s--help'.\n",
	              cmd ? cmd : "", cmd ? " " : "");
	return GA_EXIT_USAGE;
}

int ga_cli_fail(const char *cmd)
{
	(void)fprintf(ga_logsink_stderr(), "gitops-agent %s: %s\n", cmd,
	              ga_error_last()->message);
	return GA_EXIT_FAILURE;
}

int ga_cmd_version(int argc, char **argv)
{
	if (argc > 1 && ga_cli_is_help(argv[1])) {
		(void)fputs(version_help, stdout);
		return GA_EXIT_OK;
	}
	if (argc > 1)
		return ga_cli_usage_error("version", "unexpected argument '%s'",
		                          argv[1]);
	(void)printf("gitops-agent %s\n", ga_version());
	return GA_EXIT_OK;
}

/* Global options; returns the index of the subcommand or -1 after an error. */
static int parse_globals(int argc, char **argv, int *exit_code)
{
	ga_logsink_format fmt = GA_LOGSINK_JSON;
	ga_log_level level = GA_LOG_INFO;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *opt = argv[i];

		if (ga_cli_is_help(opt)) {
			print_help(stdout);
			*exit_code = GA_EXIT_OK;
			return -1;
		}
		if (i + 1 >= argc || (strcmp(opt, "--log-format") != 0 &&
		                      strcmp(opt, "--log-level") != 0)) {
			*exit_code = ga_cli_usage_error(
			    NULL, "unknown option or missing value: '%s'", opt);
			return -1;
		}
		const char *val = argv[++i];
		if (strcmp(opt, "--log-level") == 0 &&
		    ga_log_level_parse(&level, val) < 0) {
			*exit_code = ga_cli_usage_error(
			    NULL, "%s", ga_error_last()->message);
			return -1;
		}
		if (strcmp(opt, "--log-format") == 0 &&
		    ga_logsink_parse_format(&fmt, val) < 0) {
			*exit_code = ga_cli_usage_error(
			    NULL, "unknown log format '%s' (json or text)",
			    val);
			return -1;
		}
	}
	ga_logsink_install(fmt, level);
	return i;
}

int main(int argc, char **argv)
{
	int code = GA_EXIT_OK;
	int i;

	(void)ga_logsink_claim_stderr();
	if ((i = parse_globals(argc, argv, &code)) < 0)
		return code;
	if (i >= argc) {
		print_help(ga_logsink_stderr());
		return GA_EXIT_USAGE;
	}
	for (size_t c = 0; c < NCOMMANDS; c++) {
		if (strcmp(argv[i], commands[c].name) == 0)
			return commands[c].run(argc - i, argv + i);
	}
	/* Not a user's command: the child `run` starts (source.h). */
	if (strcmp(argv[i], "source-process") == 0)
		return ga_cmd_source(argc - i, argv + i);
	if (strcmp(argv[i], "help") == 0) {
		for (size_t c = 0; i + 1 < argc && c < NCOMMANDS; c++) {
			if (strcmp(argv[i + 1], commands[c].name) == 0) {
				(void)fputs(commands[c].help, stdout);
				return GA_EXIT_OK;
			}
		}
		print_help(stdout);
		return GA_EXIT_OK;
	}
	return ga_cli_usage_error(NULL, "unknown command '%s'", argv[i]);
}
