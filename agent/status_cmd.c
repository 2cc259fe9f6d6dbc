/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `gitops-agent status`: what the agent in the cluster last reported in
 * its status ConfigMap, laid out to be read at a glance (the way
 * `flux get kustomizations` sums up a reconcile: revision, ready or not,
 * and why).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ga/error.h"
#include "ga/kube.h"
#include "run.h"

#define DEFAULT_NAMESPACE "gitops-system"

const char ga_cmd_status_help[] =
    "usage: gitops-agent status [--kubeconfig F] [--context C]\n"
    "           [--namespace NS]\n"
    "\n"
    "Print what the agent running in the cluster reports in its status\n"
    "ConfigMap " GA_RUN_STATUS_NAME ": the revision applied and who signed\n"
    "it, the last attempt's result, stage, reason and message, per-stage\n"
    "timings, object counts and the objects that failed.\n"
    "\n"
    "Options:\n"
    "  --kubeconfig F  the kubeconfig (default $KUBECONFIG or "
    "~/.kube/config)\n"
    "  --context C     its context (default current-context)\n"
    "  --namespace NS  the agent's namespace (default the context's, "
    "else\n"
    "                  " DEFAULT_NAMESPACE ")\n"
    "\n"
    "Exit status: 0 the last attempt succeeded, 1 it failed or the status\n"
    "cannot be read, 2 usage error.\n";

static const char *field(const ga_node *data, const char *key)
{
	const ga_node *v = data ? ga_node_map_get(data, key) : NULL;

	return v && ga_node_type_of(v) == GA_NODE_STRING && ga_node_str_len(v)
	           ? ga_node_str(v)
	           : NULL;
}

/* "  Label:  value" (or "-"); multi-line values indented under it. */
static void line(const char *label, const char *value)
{
	(void)printf("  %-18s ", label);
	if (!value) {
		(void)puts("-");
		return;
	}
	for (const char *p = value; *p; p++) {
		(void)putchar(*p);
		if (*p == '\n' && p[1])
			(void)printf("  %-18s ", "");
	}
	if (value[strlen(value) - 1] != '\n')
		(void)putchar('\n');
}

static int print_status(const ga_node *cm, const char *ns)
{
	const ga_node *data = ga_node_map_get(cm, "data");
	const char *result = field(data, "lastAttemptResult");
	const char *stage = field(data, "lastAttemptStage");
	const char *reason = field(data, "lastAttemptReason");
	char summary[256];

	(void)printf("gitops-agent in namespace %s\n", ns);
	line("Applied revision:", field(data, "lastAppliedRevision"));
	line("Signed by:", field(data, "lastAppliedSigner"));
	(void)snprintf(summary, sizeof(summary), "%s%s%s%s%s%s at %s",
	               result ? result : "none yet", stage ? " in " : "",
	               stage ? stage : "", reason ? " (" : "",
	               reason ? reason : "", reason ? ")" : "",
	               field(data, "lastAttemptTime")
	                   ? field(data, "lastAttemptTime")
	                   : "-");
	line("Last attempt:", summary);
	line("Tried revision:", field(data, "lastAttemptRevision"));
	line("Message:", field(data, "lastAttemptMessage"));
	line("Timings:", field(data, "timings"));
	line("Objects:", field(data, "objects"));
	if (field(data, "failedObjects"))
		line("Failed objects:", field(data, "failedObjects"));
	line("Configuration:", field(data, "configError")
	                           ? field(data, "configError")
	                           : "in force");
	(void)fflush(stdout);
	return result && strcmp(result, "Succeeded") == 0 &&
	               !field(data, "configError")
	           ? GA_EXIT_OK
	           : GA_EXIT_FAILURE;
}

int ga_cmd_status(int argc, char **argv)
{
	const char *kubeconfig = NULL, *context = NULL, *ns = NULL;
	ga_kube_config *cfg = NULL;
	ga_kube *k = NULL;
	ga_node *cm = NULL;
	int code = GA_EXIT_FAILURE;

	for (int i = 1; i < argc; i++) {
		const char **slot =
		    strcmp(argv[i], "--kubeconfig") == 0  ? &kubeconfig
		    : strcmp(argv[i], "--context") == 0   ? &context
		    : strcmp(argv[i], "--namespace") == 0 ? &ns
		                                          : NULL;

		if (ga_cli_is_help(argv[i])) {
			(void)fputs(ga_cmd_status_help, stdout);
			return GA_EXIT_OK;
		}
		if (!slot || i + 1 >= argc)
			return ga_cli_usage_error(
			    "status", "unknown option or missing value: '%s'",
			    argv[i]);
		*slot = argv[++i];
	}
	if (ga_kube_config_load(&cfg, kubeconfig, context) < 0 ||
	    ga_kube_new(&k, cfg, NULL) < 0) {
		code = ga_cli_fail("status");
		goto out;
	}
	if (!ns)
		ns = cfg->ns && cfg->ns[0] ? cfg->ns : DEFAULT_NAMESPACE;
	if (ga_kube_get(k, "v1", "ConfigMap", ns, GA_RUN_STATUS_NAME, &cm) <
	    0) {
		code = ga_cli_fail("status");
		goto out;
	}
	code = print_status(cm, ns);
out:
	ga_node_free(cm);
	ga_kube_free(k);
	ga_kube_config_free(cfg);
	return code;
}
