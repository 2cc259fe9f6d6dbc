/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `gitops-agent run`: the state the reconcile loop (run.c), one reconcile
 * pass (reconcile.c, reconcile_src.c) and the status it records
 * (status.c) share.  Everything here belongs to the loop's thread except
 * what serve.h guards and the atomic flags signal handlers set.
 */
#ifndef GA_AGENT_RUN_H
#define GA_AGENT_RUN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "ga/apply.h"
#include "ga/config.h"
#include "ga/git.h"
#include "ga/kube.h"
#include "ga/leader.h"
#include "ga/verify.h"
#include "runutil.h"
#include "serve.h"

/* The status ConfigMap in the agent's namespace. */
#define GA_RUN_STATUS_NAME "gitops-agent-status"
/* The inventory ConfigMap(s) and the owner label value. */
#define GA_RUN_INVENTORY_NAME "gitops-agent-inventory"
#define GA_RUN_OWNER_NAME "gitops-agent"
#define GA_RUN_MANAGER "gitops-agent"

/* The result of one pass. */
typedef struct ga_pass {
	bool ok;            /* everything succeeded */
	bool preempted;     /* a new revision cut the health wait short */
	bool failed_set;    /* stage/reason/message describe a failure */
	ga_run_stage stage; /* the stage that failed */
	char reason[64];    /* CamelCase: "Unsigned", "FetchFailed", ... */
	char message[1024]; /* for humans; never holds a secret */
	bool applied;       /* an apply ran to completion */
	bool new_revision;  /* and it was a revision not applied before */
	char revision[GA_GIT_REVISION_SIZE]; /* built and applied */
	char commit[GA_GIT_OID_HEX_SIZE];
	char signer[400];
	/* The revision the poll selected, even when it was refused. */
	char attempted[GA_GIT_REVISION_SIZE];
	uint64_t ms[GA_STAGE_N];
	uint64_t started_ms, total_ms;
	ga_apply_report report;
} ga_pass;

/* Where the configuration comes from, and what is in force. */
typedef struct ga_agent {
	/* Options. */
	const char *kubeconfig, *config_file, *ns, *state_dir;
	char cm_ns[254], cm_name[254]; /* cm_name "" with --config */
	bool once;

	ga_kube_config *kcfg;
	ga_kube *kube;
	ga_serve *serve;

	ga_config *config;  /* in force; NULL until one is good */
	char *config_text;  /* the text it came from */
	char *config_error; /* the last rejection, NULL when none */

	char self_exe[4096]; /* this program, run again as the source process */
	char creds_dir[4096]; /* Secret credentials as files, 0600 */
	ga_git_opts gopts;    /* the mirror directory and credential files */
	ga_apply_memo *memo;
	ga_node *status_obj; /* the status ConfigMap as last written */

	/* The last revision verified and applied (survives restarts in
	 * the status ConfigMap). */
	char applied_revision[GA_GIT_REVISION_SIZE];
	char applied_commit[GA_GIT_OID_HEX_SIZE];
	char applied_signer[400];
	/* They were read back (or there were none): until then no pass
	 * runs, as range verification would start from nothing. */
	bool status_loaded;

	atomic_int stop;   /* SIGTERM, SIGINT */
	atomic_int reload; /* SIGHUP */
	/* Stops a request of a->kube (with stop), so SIGTERM cuts an apply
	 * short between requests; the loop clears it after the pass to
	 * write the status. */
	atomic_int kube_cancel;
	atomic_int leading; /* reconcile only while set (leader election) */

	/* Leader election (run_leader.c); leader NULL when it is off. */
	bool leader_elect;
	ga_kube *lease_kube; /* short timeouts: a step never blocks long */
	ga_leader *leader;
	bool lease_failing;    /* the last step failed (logged once) */
	char identity[256];    /* POD_NAME, or hostname-pid */
	char holder_seen[256]; /* the leader a standby last logged */
	char request_seen[64]; /* the standby's last push, as seen */
	bool pass_due;         /* such a push came during a pass */
} ga_agent;

/* One pass: fetch, verify, build, apply, prune, health.  Fills @p. */
void ga_reconcile(ga_agent *a, ga_pass *p);

/* @p's revision is the one applied now (a->applied_*, the metric). */
void ga_run_note_applied(ga_agent *a, const ga_pass *p);

/* Set @p's failure (the first one set wins). */
void ga_pass_fail(ga_pass *p, ga_run_stage stage, const char *reason,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Read the Secret @name of the agent's namespace and call @fn for each
 * data key with its decoded value.  Returns 0, the first non-zero of
 * @fn, or a request or decoding failure (message names the Secret and
 * key, never a value).
 */
typedef ga_kube_secret_fn ga_secret_fn;
int ga_run_read_secret(ga_agent *a, const char *name, ga_secret_fn fn,
                       void *payload);

/* Leader election (run_leader.c). */
/*
 * Set up the elector when a->leader_elect (after a->kube and a->serve);
 * without it this replica leads.  Returns 0 or a client failure.
 */
int ga_run_leader_start(ga_agent *a);
/*
 * Step the elector when it is due; logs, records an Event and sets the
 * metric when leadership changes.  True when a pass is due at once:
 * this replica just became leader, or the standby recorded a push.
 */
bool ga_run_leader_tick(ga_agent *a);
/* The standby got a push: record it for the leader. */
void ga_run_leader_hook(ga_agent *a);
/* Stop leading, release the Lease, free the elector. */
void ga_run_leader_stop(ga_agent *a);

/* Status (status.c). */
/*
 * Read the last applied revision back from the status ConfigMap; sets
 * a->status_loaded.  Returns 0 (also when there is none: a first start)
 * or the failure of the read, which leaves the revision unknown.
 */
int ga_status_load(ga_agent *a);
/* Write the status ConfigMap after @p (NULL: only the config error). */
int ga_status_write(ga_agent *a, const ga_pass *p);
/* Record an Event about the status ConfigMap. */
void ga_status_event(ga_agent *a, bool warning, const char *reason,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
