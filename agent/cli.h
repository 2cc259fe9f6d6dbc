/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The command-line front end: the table of subcommands, their help texts and
 * the exit-code convention shared by all of them (0 ok, 1 failure, 2 usage).
 */
#ifndef GA_AGENT_CLI_H
#define GA_AGENT_CLI_H

enum {
	GA_EXIT_OK = 0,
	GA_EXIT_FAILURE = 1,
	GA_EXIT_USAGE = 2,
};

typedef struct ga_cli_command {
	const char *name;
	const char *summary; /* one line for the command list */
	const char *help;    /* full usage text for `CMD --help` */
	int (*run)(int argc, char **argv);
} ga_cli_command;

/* Print a usage error for @cmd and return GA_EXIT_USAGE. */
int ga_cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print the last library error as "gitops-agent CMD: message". */
int ga_cli_fail(const char *cmd);

/* True when @arg asks for help. */
int ga_cli_is_help(const char *arg);

int ga_cmd_version(int argc, char **argv);
int ga_cmd_build(int argc, char **argv);
int ga_cmd_fetch(int argc, char **argv);
extern const char ga_cmd_build_help[];
int ga_cmd_verify(int argc, char **argv);
extern const char ga_cmd_verify_help[];
extern const char ga_cmd_fetch_help[];
int ga_cmd_diff(int argc, char **argv);
extern const char ga_cmd_diff_help[];
int ga_cmd_apply(int argc, char **argv);
extern const char ga_cmd_apply_help[];
int ga_cmd_run(int argc, char **argv);
extern const char ga_cmd_run_help[];
int ga_cmd_status(int argc, char **argv);
extern const char ga_cmd_status_help[];
int ga_cmd_source(int argc, char **argv);

#endif
