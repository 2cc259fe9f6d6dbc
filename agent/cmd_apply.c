/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `gitops-agent diff PATH` and `gitops-agent apply PATH`: build the
 * kustomization in PATH as `build` does and reconcile the cluster with it
 * through the apply engine (ga_apply_run): diff only dry-runs and prints
 * a kubectl-diff style diff per object; apply writes, prunes and waits as
 * Flux's kustomize-controller does, printing one line per object.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ga/apply.h"
#include "ga/buf.h"
#include "ga/duration.h"
#include "ga/error.h"
#include "ga/kube.h"
#include "ga/kustomize.h"
#include "ga/yaml.h"

#define BUILD_OUTPUT_MAX ((size_t)256 << 20)
#define INVENTORY_DEFAULT "default/gitops-agent"

const char ga_cmd_diff_help[] =
    "usage: gitops-agent diff [--kubeconfig F] [--context C] [--prune]\n"
    "           [--field-manager M] [--inventory NS/NAME] PATH\n"
    "\n"
    "Build the kustomization in PATH and show, object by object, what\n"
    "applying it would change on the cluster: a server-side apply with\n"
    "dryRun=All of each object, compared with the live one and printed as\n"
    "a unified diff in `kubectl diff`'s layout.  Secret values are masked.\n"
    "Objects whose CustomResourceDefinition is not on the cluster yet are\n"
    "shown as created.\n"
    "\n"
    "Options:\n"
    "  --kubeconfig F     the kubeconfig (default $KUBECONFIG or "
    "~/.kube/config)\n"
    "  --context C        its context (default current-context)\n"
    "  --prune            also show what `apply --prune` would delete,\n"
    "                     as the deletion of each whole object (the\n"
    "                     inventory and the same guard rails decide)\n"
    "  --field-manager M  the field manager (default gitops-agent)\n"
    "  --inventory NS/NAME  as for apply: it names the owner labels\n"
    "                     (default " INVENTORY_DEFAULT ")\n"
    "\n"
    "Exit status: 0 no differences, 1 differences, >1 trouble (2 usage,\n"
    "3 a failure, with the objects and the server's messages).\n";

const char ga_cmd_apply_help[] =
    "usage: gitops-agent apply [--kubeconfig F] [--context C] [--prune]\n"
    "           [--wait] [--timeout D] [--field-manager M]\n"
    "           [--inventory NS/NAME] PATH\n"
    "\n"
    "Build the kustomization in PATH and apply it as Flux's\n"
    "kustomize-controller does: every object is dry-run first (one\n"
    "failure and nothing is applied), then CRDs and Namespaces, classes\n"
    "and the rest are applied in stages by server-side apply with force;\n"
    "objects that did not change are not written.  Every object gets the\n"
    "labels gitops-agent.io/name and gitops-agent.io/namespace (the\n"
    "inventory's), and the set applied is recorded in the inventory\n"
    "ConfigMaps.  Prints `Kind/namespace/name created|configured|\n"
    "unchanged|pruned` per object.\n"
    "\n"
    "Options:\n"
    "  --kubeconfig F       the kubeconfig (default $KUBECONFIG or "
    "~/.kube/config)\n"
    "  --context C          its context (default current-context)\n"
    "  --prune              delete what left the set since the last "
    "apply\n"
    "                       (not Namespaces, CRDs or volumes; refused "
    "when it\n"
    "                       would delete more than half of the "
    "inventory)\n"
    "  --wait               wait until every object is healthy "
    "(kstatus)\n"
    "  --timeout D          for --wait, CRDs and recreates (default 5m)\n"
    "  --field-manager M    the field manager (default gitops-agent)\n"
    "  --inventory NS/NAME  the inventory ConfigMap (default " INVENTORY_DEFAULT
    ")\n"
    "  --force              recreate any object whose immutable fields "
    "changed\n"
    "                       (default: Jobs, and objects annotated\n"
    "                       kustomize.toolkit.fluxcd.io/force: Enabled)\n"
    "\n"
    "Flux's per-object annotations (or labels) are honoured: on an object,\n"
    "kustomize.toolkit.fluxcd.io/ssa: Ignore or .../reconcile: disabled\n"
    "leave it alone (skipped, never pruned), .../ssa: IfNotPresent creates\n"
    "it but never changes it, .../ssa: Merge keeps the fields kubectl\n"
    "wrote, and .../prune: disabled on the live object keeps it from\n"
    "being pruned.\n"
    "\n"
    "Exit status: 0 success, 1 failure (the objects and the server's "
    "messages\nare printed), 2 usage error.\n";

typedef struct apply_args {
	const char *cmd, *path, *kubeconfig, *context, *timeout, *inventory;
	ga_apply_run_opts run;
	char inv_ns[254], inv_name[254];
	ga_apply_label labels[2];
} apply_args;

/* An option that takes a value: its value in *@val. */
static bool value_opt(const char *name, int argc, char **argv, int *i,
                      const char **val)
{
	if (strcmp(argv[*i], name) != 0 || *i + 1 >= argc)
		return false;
	*val = argv[++*i];
	return true;
}

static int parse_one(apply_args *a, int argc, char **argv, int *i)
{
	const char *s = argv[*i];
	bool apply = strcmp(a->cmd, "apply") == 0;

	if (value_opt("--kubeconfig", argc, argv, i, &a->kubeconfig) ||
	    value_opt("--context", argc, argv, i, &a->context) ||
	    value_opt("--field-manager", argc, argv, i, &a->run.field_manager))
		return GA_EXIT_OK;
	if (value_opt("--inventory", argc, argv, i, &a->inventory) ||
	    (apply && value_opt("--timeout", argc, argv, i, &a->timeout)))
		return GA_EXIT_OK;
	if (strcmp(s, "--prune") == 0)
		a->run.prune = true;
	else if (apply && strcmp(s, "--wait") == 0)
		a->run.wait = true;
	else if (apply && strcmp(s, "--force") == 0)
		a->run.recreate.force = true;
	else if (s[0] == '-' && s[1])
		return ga_cli_usage_error(
		    a->cmd, "unknown option or missing value: '%s'", s);
	else if (a->path)
		return ga_cli_usage_error(a->cmd, "unexpected argument '%s'",
		                          s);
	else
		a->path = s;
	return GA_EXIT_OK;
}

static int finish_args(apply_args *a)
{
	const char *slash = strchr(a->inventory, '/');

	if (!a->path)
		return ga_cli_usage_error(a->cmd, "missing PATH");
	if (!slash || slash == a->inventory || !slash[1] ||
	    (size_t)(slash - a->inventory) >= sizeof(a->inv_ns) ||
	    strlen(slash + 1) >= sizeof(a->inv_name))
		return ga_cli_usage_error(
		    a->cmd,
		    "--inventory takes NAMESPACE/NAME, not "
		    "'%s'",
		    a->inventory);
	(void)snprintf(a->inv_ns, sizeof(a->inv_ns), "%.*s",
	               (int)(slash - a->inventory), a->inventory);
	(void)snprintf(a->inv_name, sizeof(a->inv_name), "%s", slash + 1);
	if (a->timeout &&
	    ga_duration_parse_ms(&a->run.timeout_ms, a->timeout) < 0)
		return ga_cli_usage_error(a->cmd, "--timeout: %s",
		                          ga_error_last()->message);
	a->labels[0] = (ga_apply_label){"gitops-agent.io/name", a->inv_name};
	a->labels[1] = (ga_apply_label){"gitops-agent.io/namespace", a->inv_ns};
	a->run.owner_labels = a->labels;
	a->run.nowner_labels = 2;
	a->run.inventory_name = a->inv_name;
	a->run.inventory_ns = a->inv_ns;
	return GA_EXIT_OK;
}

static int parse_args(apply_args *a, int argc, char **argv)
{
	int code;

	a->run.field_manager = "gitops-agent";
	a->run.prune_opts = (ga_prune_opts)GA_PRUNE_OPTS_INIT;
	a->run.recreate = (ga_recreate_opts)GA_RECREATE_OPTS_INIT;
	a->inventory = INVENTORY_DEFAULT;
	for (int i = 1; i < argc; i++) {
		if ((code = parse_one(a, argc, argv, &i)) != GA_EXIT_OK)
			return code;
	}
	return finish_args(a);
}

/* The built objects as a list, empty documents left out. */
static int build_objects(const char *path, ga_node **out)
{
	ga_kust_opts opts = GA_KUST_OPTS_INIT;
	ga_buf text = GA_BUF_INIT(BUILD_OUTPUT_MAX);
	ga_yaml_opts yopts = GA_YAML_OPTS_INIT;
	ga_kust_fs *fs = NULL;
	ga_node *docs = NULL;
	char cwd[PATH_MAX];
	int err;

	yopts.max_bytes = BUILD_OUTPUT_MAX;
	/* Each object names its file, so a failure can name it too. */
	opts.source_annotation = GA_APPLY_SOURCE_ANNOTATION;
	if (!getcwd(cwd, sizeof(cwd))) {
		ga_error_set_os(errno, "getcwd");
		return GA_EIO;
	}
	if ((err = ga_kust_fs_new_os(&fs)) < 0 ||
	    (err = ga_kust_build(&text, fs, cwd, path, &opts)) < 0 ||
	    (err = ga_yaml_parse(&docs, ga_buf_cstr(&text), text.size, path,
	                         &yopts)) < 0)
		goto out;
	for (size_t i = ga_node_count(docs); i-- > 0;) {
		if (ga_node_type_of(ga_node_list_get(docs, i)) == GA_NODE_NULL)
			ga_node_free(ga_node_list_remove(docs, i));
	}
	*out = docs;
	docs = NULL;
out:
	ga_node_free(docs);
	ga_kust_fs_free(fs);
	ga_buf_dispose(&text);
	return err;
}

static void print_entry(const ga_apply_entry *en)
{
	(void)printf("%s/%s%s%s %s%s%s%s\n", en->kind, en->ns,
	             *en->ns ? "/" : "", en->name,
	             ga_apply_outcome_name(en->outcome),
	             en->recreated ? " (recreated)" : "",
	             en->message ? ": " : "", en->message ? en->message : "");
}

/* Connect, then run the engine over the built objects. */
/* *@ran: the engine ran (its report means something). */
static int reconcile(apply_args *a, ga_apply_report *rep, bool *ran)
{
	ga_kube_config *cfg = NULL;
	ga_kube *k = NULL;
	ga_node *objs = NULL;
	int err;

	if ((err = build_objects(a->path, &objs)) < 0 ||
	    (err = ga_kube_config_load(&cfg, a->kubeconfig, a->context)) < 0 ||
	    (err = ga_kube_new(&k, cfg, NULL)) < 0)
		goto out;
	*ran = true;
	err = ga_apply_run(rep, k, objs, &a->run);
out:
	ga_kube_free(k);
	ga_kube_config_free(cfg);
	ga_node_free(objs);
	return err;
}

static int run_cmd(const char *cmd, const char *help, int argc, char **argv)
{
	apply_args a = {.cmd = cmd};
	ga_apply_report rep = {0};
	bool diff = strcmp(cmd, "diff") == 0, ran = false;
	int code, err;

	if (argc > 1 && ga_cli_is_help(argv[1])) {
		(void)fputs(help, stdout);
		return GA_EXIT_OK;
	}
	if ((code = parse_args(&a, argc, argv)) != GA_EXIT_OK)
		return code;
	a.run.dry_run = a.run.diff = diff;
	err = reconcile(&a, &rep, &ran);
	if (diff && rep.diff.size)
		(void)fwrite(ga_buf_cstr(&rep.diff), 1, rep.diff.size, stdout);
	for (size_t i = 0; i < rep.n; i++) {
		if (!diff || rep.entries[i].outcome == GA_OUTCOME_FAILED)
			print_entry(&rep.entries[i]);
	}
	if (!diff && ran)
		(void)printf(
		    "%zu objects: %zu created, %zu configured, %zu "
		    "unchanged, %zu skipped, %zu pruned, %zu failed; "
		    "requests: %llu reads, %llu dry runs, %llu writes\n",
		    rep.n - rep.totals[GA_OUTCOME_PRUNED],
		    rep.totals[GA_OUTCOME_CREATED],
		    rep.totals[GA_OUTCOME_CONFIGURED],
		    rep.totals[GA_OUTCOME_UNCHANGED],
		    rep.totals[GA_OUTCOME_SKIPPED],
		    rep.totals[GA_OUTCOME_PRUNED],
		    rep.totals[GA_OUTCOME_FAILED], rep.reads, rep.dry_runs,
		    rep.writes);
	if (err < 0)
		code = ga_cli_fail(cmd);
	else if (diff)
		code = rep.changed ? GA_EXIT_FAILURE : GA_EXIT_OK;
	if (diff && err < 0)
		code = 3;
	(void)fflush(stdout);
	ga_apply_report_dispose(&rep);
	return code;
}

int ga_cmd_diff(int argc, char **argv)
{
	return run_cmd("diff", ga_cmd_diff_help, argc, argv);
}

int ga_cmd_apply(int argc, char **argv)
{
	return run_cmd("apply", ga_cmd_apply_help, argc, argv);
}
