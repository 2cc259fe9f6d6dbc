/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `gitops-agent run`: the agent's reconcile loop.  The shape is Flux's
 * (source-controller polls at an interval with jitter, kustomize-
 * controller backs off exponentially after a failure and applies the
 * last good artifact again every interval) in one process: a pass is
 * reconcile.c's, and between passes the loop waits for the interval, a
 * webhook trigger, a configuration change, SIGHUP or SIGTERM.  The
 * configuration is parsed whole and swapped in only when valid (bgpd's
 * merge_config); a rejected one is reported (log, Event, status) and the
 * one in force stays.  Signal handlers only set flags.  With leader
 * election (run_leader.c, on by default as in Flux's controllers) only
 * the replica holding the Lease reconciles; SIGTERM stops the pass at
 * its next check, then releases the Lease so the standby takes over at
 * once.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "ga/alloc.h"
#include "ga/config.h"
#include "ga/duration.h"
#include "ga/error.h"
#include "ga/fs.h"
#include "ga/log.h"
#include "ga/time.h"
#include "run.h"
#include "run_config.h"
#include "runutil.h"

/*
 * How often the ConfigMap is read for changes (a cheap GET), and a
 * mounted file: the kubelet takes a minute or more to update one, and
 * SIGHUP reads it at once.
 */
#define CONFIG_POLL_MS 2000
#define CONFIG_FILE_POLL_MS 30000
/* The loop's slice: how soon a signal is noticed. */
#define SLICE_MS 100
#define DEFAULT_STATE_DIR "/var/lib/gitops-agent"
#define DEFAULT_LISTEN "0.0.0.0:8080"
/*
 * After SIGTERM: how long the status write and Events of the pass cut
 * short may take before they are cancelled as well.  With the Lease's
 * release (4 s at most) that stays well inside the Deployment's 30 s
 * terminationGracePeriodSeconds.
 */
#define STOP_DRAIN_S 10

const char ga_cmd_run_help[] =
    "usage: gitops-agent run [--kubeconfig F] [--config FILE |\n"
    "           --configmap NS/NAME] [--namespace NS] [--state-dir DIR]\n"
    "           [--listen ADDR:PORT] [--once]\n"
    "           [--leader-elect | --no-leader-elect]\n"
    "\n"
    "Run the agent: poll the vendor's Git repository, verify the\n"
    "signatures of each new revision, build the distribution with the\n"
    "provider's customisations and apply it with prune, then wait for\n"
    "health; the last verified revision is applied again every interval\n"
    "(drift correction).  A push webhook (POST /hook) triggers a poll at\n"
    "once.  Status goes to the ConfigMap " GA_RUN_STATUS_NAME " and Events\n"
    "in the agent's namespace; logs are JSON lines on stderr.\n"
    "\n"
    "Options:\n"
    "  --kubeconfig F       the kubeconfig (default: the pod's service "
    "account)\n"
    "  --config FILE        the configuration file (agent.yaml)\n"
    "  --configmap NS/NAME  the configuration ConfigMap, key " GA_CONFIG_KEY
    "\n"
    "                       (default <namespace>/gitops-agent)\n"
    "  --namespace NS       the agent's namespace (default $POD_NAMESPACE)\n"
    "  --state-dir DIR      the Git mirror and credentials (default\n"
    "                       " DEFAULT_STATE_DIR ")\n"
    "  --listen ADDR:PORT   /healthz, /readyz, /metrics and POST /hook\n"
    "                       (default " DEFAULT_LISTEN ")\n"
    "  --once               one reconcile, then exit (0 when it "
    "succeeded)\n"
    "  --leader-elect[=true|false], --no-leader-elect\n"
    "                       reconcile only while holding the Lease\n"
    "                       gitops-agent-leader in the agent's namespace\n"
    "                       (identity $POD_NAME, else hostname-pid); on\n"
    "                       by default, off by default with --once\n"
    "\n"
    "Signals: SIGHUP reads the configuration again; SIGTERM and SIGINT\n"
    "stop the agent (the running pass stops at its next check, the\n"
    "Lease is released).\n";

static ga_agent *signal_agent;

static void on_signal(int sig)
{
	if (sig == SIGHUP) {
		atomic_store(&signal_agent->reload, 1);
		return;
	}
	atomic_store(&signal_agent->kube_cancel, 1);
	if (sig == SIGALRM)
		return;
	atomic_store(&signal_agent->stop, 1);
	/* The status of the cut-short pass gets STOP_DRAIN_S to go out,
	 * whatever the server does; then its requests are cancelled too. */
	(void)alarm(STOP_DRAIN_S);
}

static void install_signals(ga_agent *a)
{
	struct sigaction sa;

	signal_agent = a;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
	(void)sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGPIPE, &sa, NULL);
}

typedef struct run_args {
	const char *configmap, *listen;
	int leader_elect; /* -1 unset, 0 off, 1 on */
	char addr[64];
	unsigned port;
} run_args;

static int split_listen(run_args *r)
{
	const char *colon = strrchr(r->listen, ':');
	char *end = NULL;
	unsigned long port;

	if (!colon || colon == r->listen ||
	    (size_t)(colon - r->listen) >= sizeof(r->addr))
		return -1;
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || !colon[1] || *end || port > 65535)
		return -1;
	(void)snprintf(r->addr, sizeof(r->addr), "%.*s",
	               (int)(colon - r->listen), r->listen);
	r->port = (unsigned)port;
	return 0;
}

static int split_configmap(ga_agent *a, const char *ref)
{
	const char *slash = strchr(ref, '/');

	if (!slash || slash == ref || !slash[1] || strchr(slash + 1, '/') ||
	    (size_t)(slash - ref) >= sizeof(a->cm_ns) ||
	    strlen(slash + 1) >= sizeof(a->cm_name))
		return -1;
	(void)snprintf(a->cm_ns, sizeof(a->cm_ns), "%.*s", (int)(slash - ref),
	               ref);
	(void)snprintf(a->cm_name, sizeof(a->cm_name), "%s", slash + 1);
	return 0;
}

static int parse_args(ga_agent *a, run_args *r, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		const char **slot =
		    strcmp(o, "--kubeconfig") == 0  ? &a->kubeconfig
		    : strcmp(o, "--config") == 0    ? &a->config_file
		    : strcmp(o, "--configmap") == 0 ? &r->configmap
		    : strcmp(o, "--namespace") == 0 ? &a->ns
		    : strcmp(o, "--state-dir") == 0 ? &a->state_dir
		    : strcmp(o, "--listen") == 0    ? &r->listen
		                                    : NULL;

		if (strcmp(o, "--once") == 0) {
			a->once = true;
			continue;
		}
		if (strcmp(o, "--leader-elect") == 0 ||
		    strcmp(o, "--leader-elect=true") == 0) {
			r->leader_elect = 1;
			continue;
		}
		if (strcmp(o, "--no-leader-elect") == 0 ||
		    strcmp(o, "--leader-elect=false") == 0) {
			r->leader_elect = 0;
			continue;
		}
		if (!slot || i + 1 >= argc)
			return ga_cli_usage_error(
			    "run", "unknown option or missing value: '%s'", o);
		*slot = argv[++i];
	}
	if (!a->ns && !(a->ns = getenv("POD_NAMESPACE")))
		return ga_cli_usage_error(
		    "run", "give --namespace or set POD_NAMESPACE");
	if (a->config_file && r->configmap)
		return ga_cli_usage_error(
		    "run", "give one of --config and --configmap");
	if (r->configmap && split_configmap(a, r->configmap) < 0)
		return ga_cli_usage_error(
		    "run", "--configmap takes NAMESPACE/NAME, not '%s'",
		    r->configmap);
	if (!a->config_file && !r->configmap) {
		(void)snprintf(a->cm_ns, sizeof(a->cm_ns), "%s", a->ns);
		(void)snprintf(a->cm_name, sizeof(a->cm_name), "gitops-agent");
	}
	if (split_listen(r) < 0)
		return ga_cli_usage_error(
		    "run", "--listen takes ADDRESS:PORT, not '%s'", r->listen);
	/* A one-off pass is run by hand or by a Job: no Lease to wait for. */
	a->leader_elect = r->leader_elect < 0 ? !a->once : r->leader_elect;
	return GA_EXIT_OK;
}

/* Log, count, report and remember what a pass did. */
void ga_run_note_applied(ga_agent *a, const ga_pass *p)
{
	(void)snprintf(a->applied_revision, sizeof(a->applied_revision), "%s",
	               p->revision);
	(void)snprintf(a->applied_commit, sizeof(a->applied_commit), "%s",
	               p->commit);
	(void)snprintf(a->applied_signer, sizeof(a->applied_signer), "%s",
	               p->signer);
	ga_serve_set_revision(a->serve, p->revision, p->signer);
}

static void record_pass(ga_agent *a, ga_pass *p)
{
	const ga_apply_report *r = &p->report;
	char counts[160];
	ga_log_field f[] = {{"revision", p->revision},
	                    {"result", p->ok ? "success" : "failure"},
	                    {"objects", counts},
	                    {"stage", ga_run_stage_name(p->stage)},
	                    {"reason", p->reason}};

	(void)snprintf(
	    counts, sizeof(counts),
	    "%zu created, %zu configured, %zu unchanged, %zu "
	    "pruned, %zu failed",
	    r->totals[GA_OUTCOME_CREATED], r->totals[GA_OUTCOME_CONFIGURED],
	    r->totals[GA_OUTCOME_UNCHANGED], r->totals[GA_OUTCOME_PRUNED],
	    r->totals[GA_OUTCOME_FAILED]);
	if (p->applied)
		ga_run_note_applied(a, p);
	if (!atomic_load(&a->leading)) {
		/* The new leader reports from now on: no status, Event or
		 * failure from here, which would overwrite its own. */
		GA_LOG(GA_LOG_INFO, f, 5, "reconcile abandoned: %s",
		       p->message);
		return;
	}
	if (p->ok) {
		GA_LOG(GA_LOG_INFO, f, 3, "reconciled");
	} else {
		GA_LOG(p->preempted ? GA_LOG_INFO : GA_LOG_ERROR, f, 5,
		       "reconcile %s: %s",
		       p->preempted ? "preempted" : "failed", p->message);
		if (!p->preempted)
			ga_serve_count_failure(
			    a->serve, ga_run_stage_name(p->stage), p->reason);
	}
	if (p->applied && p->new_revision)
		ga_status_event(a, false, "RevisionApplied",
		                "applied revision %s signed by %s: %s",
		                p->revision, p->signer, counts);
	if (!p->ok && !p->preempted)
		ga_status_event(a, true, p->reason, "%s failed: %s",
		                ga_run_stage_name(p->stage), p->message);
	ga_serve_observe_pass(a->serve,
	                      p->ok          ? "success"
	                      : p->preempted ? "preempted"
	                                     : "failure",
	                      (double)p->total_ms / 1000.0, r);
	(void)ga_status_write(a, p);
	ga_error_clear();
}

static uint32_t random_u32(void)
{
	uint32_t r = 0;

	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		r = (uint32_t)ga_now_ns();
	return r;
}

/* The loop; returns the exit code. */
static int loop(ga_agent *a)
{
	uint64_t next_pass = 0, next_config = 0;
	unsigned failures = 0;
	bool attempted = false, last_ok = false;
	ga_pass *p = ga_calloc(1, sizeof(*p));

	if (!p)
		return GA_EXIT_FAILURE;
	while (!atomic_load(&a->stop)) {
		uint64_t now = ga_now_ms();

		if (atomic_exchange(&a->reload, 0) || now >= next_config) {
			if (ga_run_config_poll(a))
				next_pass = now; /* a new configuration: now */
			next_config =
			    now + (a->config_file ? CONFIG_FILE_POLL_MS
			                          : CONFIG_POLL_MS);
			ga_serve_set_ready(a->serve, a->config != NULL,
			                   attempted);
		}
		if (a->once && !a->config)
			break;
		if (ga_run_leader_tick(a) || a->pass_due)
			next_pass = 0;
		if (a->config && atomic_load(&a->leading) && now >= next_pass) {
			a->pass_due = false;
			ga_run_webhook_reload(a);
			ga_reconcile(a, p);
			/* Stopping: the status of the cut-short pass still
			 * goes out, one request bounded by its timeout. */
			atomic_store(&a->kube_cancel, 0);
			record_pass(a, p);
			ga_apply_report_dispose(&p->report);
			attempted = true;
			last_ok = p->ok;
			ga_serve_set_ready(a->serve, true, true);
			failures = p->ok || p->preempted ? 0 : failures + 1;
			next_pass = p->preempted
			                ? ga_now_ms()
			                : ga_now_ms() +
			                      ga_run_next_wait_ms(
			                          a->config->source.interval_ms,
			                          failures, random_u32());
			if (a->once)
				break;
		}
		if (!ga_serve_wait_trigger(a->serve, SLICE_MS))
			continue;
		if (atomic_load(&a->leading))
			next_pass = 0;
		else
			ga_run_leader_hook(a);
	}
	ga_free(p);
	return a->once && !last_ok ? GA_EXIT_FAILURE : GA_EXIT_OK;
}

static int make_dirs(ga_agent *a, char *git_dir, size_t cap)
{
	(void)snprintf(git_dir, cap, "%s/git", a->state_dir);
	(void)snprintf(a->creds_dir, sizeof(a->creds_dir), "%s/credentials",
	               a->state_dir);
	if ((mkdir(a->state_dir, 0700) < 0 && errno != EEXIST) ||
	    (mkdir(git_dir, 0700) < 0 && errno != EEXIST) ||
	    (mkdir(a->creds_dir, 0700) < 0 && errno != EEXIST)) {
		ga_error_set_os(errno, "state directory %s", a->state_dir);
		return GA_EIO;
	}
	/* The credentials are the agent's alone, whatever made the dir. */
	if (chmod(a->creds_dir, 0700) < 0) {
		ga_error_set_os(errno, "chmod %s", a->creds_dir);
		return GA_EIO;
	}
	return 0;
}

/* This program's path, read once: the source process runs it again. */
static int self_path(ga_agent *a)
{
	ssize_t n =
	    readlink("/proc/self/exe", a->self_exe, sizeof(a->self_exe) - 1);

	if (n < 0) {
		ga_error_set_os(errno, "readlink /proc/self/exe");
		return GA_EIO;
	}
	a->self_exe[n] = '\0';
	return 0;
}

static int start(ga_agent *a, const run_args *r, char *git_dir, size_t cap)
{
	ga_http_opts h = GA_HTTP_OPTS_INIT;
	char where[96];
	ga_log_field f[] = {{"address", where}};
	int err;

	if ((err = make_dirs(a, git_dir, cap)) < 0)
		return err;
	a->gopts.cache_dir = git_dir;
	if ((err = self_path(a)) < 0)
		return err;
	err = a->kubeconfig ? ga_kube_config_load(&a->kcfg, a->kubeconfig, NULL)
	                    : ga_kube_config_in_cluster(&a->kcfg, NULL);
	h.cancel = &a->kube_cancel;
	if (err < 0 || (err = ga_kube_new(&a->kube, a->kcfg, &h)) < 0 ||
	    (err = ga_apply_memo_new(&a->memo)) < 0 ||
	    (err = ga_serve_start(&a->serve, r->addr, r->port)) < 0 ||
	    (err = ga_run_leader_start(a)) < 0)
		return err;
	(void)snprintf(where, sizeof(where), "%s:%u", r->addr,
	               ga_serve_port(a->serve));
	GA_LOG(GA_LOG_INFO, f, 1, "listening");
	if (ga_status_load(a) < 0)
		ga_error_clear(); /* the first pass reads it again */
	return 0;
}

static void teardown(ga_agent *a)
{
	ga_run_leader_stop(a);
	ga_serve_stop(a->serve);
	ga_free((char *)a->gopts.username);
	ga_apply_memo_free(a->memo);
	ga_node_free(a->status_obj);
	ga_config_free(a->config);
	ga_free(a->config_text);
	ga_free(a->config_error);
	ga_kube_free(a->kube);
	ga_kube_config_free(a->kcfg);
}

int ga_cmd_run(int argc, char **argv)
{
	ga_agent a = {.state_dir = DEFAULT_STATE_DIR};
	run_args r = {.listen = DEFAULT_LISTEN, .leader_elect = -1};
	char git_dir[4200];
	int code;

	if (argc > 1 && ga_cli_is_help(argv[1])) {
		(void)fputs(ga_cmd_run_help, stdout);
		return GA_EXIT_OK;
	}
	if ((code = parse_args(&a, &r, argc, argv)) != GA_EXIT_OK)
		return code;
	install_signals(&a);
	if (start(&a, &r, git_dir, sizeof(git_dir)) < 0) {
		code = ga_cli_fail("run");
		teardown(&a);
		return code;
	}
	code = loop(&a);
	GA_LOG(GA_LOG_INFO, NULL, 0, "stopped");
	teardown(&a);
	return code;
}
