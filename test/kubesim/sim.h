/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kubesim's simulated cluster behaviour, beside the API server proper:
 * the controllers that write workload status (controllers.c over the pure
 * status computation of workload.c and jobs.c), the per-image behaviour
 * profiles (profile.c), the request audit log (audit.c) and fault
 * injection (faults.c), served on the /kubesim/ admin prefix (admin.c),
 * and --state persistence (state.c).
 * The workload functions are pure (the clock comes in a ks_step) so unit
 * tests drive them; everything else runs under ks_server.lock except
 * where a comment says otherwise.
 */
#ifndef KS_SIM_H
#define KS_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "kubesim.h"

/* What a pod of a matching image does (--image-profile). */
enum {
	KS_PROFILE_NORMAL = 0,  /* ready after --ready-delay */
	KS_PROFILE_NEVER_READY, /* runs, never passes readiness */
	KS_PROFILE_CRASHLOOP,   /* exits at once, restarted with back-off */
	KS_PROFILE_SLOW,        /* ready after its own delay */
};

#define KS_NEVER UINT64_MAX

/* One step of a controller: the clock and what pods do. */
typedef struct ks_step {
	uint64_t now_ms;   /* monotonic */
	char now[32];      /* wall clock, RFC 3339, for status timestamps */
	uint64_t delay_ms; /* a new pod's time to ready; KS_NEVER: never */
	int profile;       /* KS_PROFILE_* of the workload's images */
	int64_t nodes;     /* DaemonSets: the nodes a pod goes to */
} ks_step;

/*
 * What a controller remembers of one workload between steps: the pod
 * template being rolled out and the one rolled out before it, and the
 * pods of each.  Real controllers keep this in ReplicaSets,
 * ControllerRevisions and pods; kubesim keeps only the counts.
 */
typedef struct ks_sim {
	char uid[40];
	uint32_t hash;        /* the template being rolled out */
	uint32_t current;     /* the last template fully rolled out, 0: none */
	int64_t want;         /* the replicas asked for at the last step */
	int64_t old;          /* pods of earlier templates still running */
	int64_t ready;        /* ready pods of the template being rolled out */
	uint64_t since_ms;    /* when the pods now starting were created */
	uint64_t progress_ms; /* the last progress, for the deadline */
	bool created;         /* the new ReplicaSet was made this step */
	bool seen;            /* the entry was filled by a step */
	uint64_t rv;          /* the object's resourceVersion at that step */
	uint64_t tick;        /* the last controller pass that saw it */
} ks_sim;

/* workload.c: the status the apps/v1 controllers write */
uint32_t ks_template_hash(const ga_node *template);
/* The pod-template-hash label for @hash (10 characters and a NUL). */
void ks_hash_name(char out[16], uint32_t hash);
/* The status of Deployment/StatefulSet/DaemonSet @obj at @step; *out owns
 * it.  @sim carries state between steps. */
int ks_workload_status(ga_node **out, const char *kind, const ga_node *obj,
                       ks_sim *sim, const ks_step *step);
/*
 * Append condition @type to the JSON list being written in @b, keeping
 * the timestamps of the one in @old_list while it has not changed:
 * lastTransitionTime moves with status, @stamp ("lastUpdateTime",
 * "lastProbeTime" or NULL for none) with status, reason or message.
 */
int ks_condition(ga_buf *b, const ga_node *old_list, const char *type,
                 const char *status, const char *reason, const char *message,
                 const char *now, const char *stamp);

/* jobs.c: batch/v1 Jobs and autoscaling/v2 HPAs */
int ks_job_status(ga_node **out, const ga_node *obj, ks_sim *sim,
                  const ks_step *step);
/* The HPA's status for a target now at @current replicas; *desired is
 * what the target's spec.replicas should become. */
int ks_hpa_status(ga_node **out, const ga_node *hpa, int64_t current,
                  int64_t *desired, const ks_step *step);

/* profile.c: --image-profile REGEX=never-ready|crashloop|slow:DURATION */
typedef struct ks_profiles ks_profiles;
int ks_profiles_new(ks_profiles **out);
void ks_profiles_free(ks_profiles *p);
/* Add one rule; later rules win.  GA_EINVALID with a message. */
int ks_profiles_add(ks_profiles *p, const char *spec);
void ks_profiles_clear(ks_profiles *p);
/* The profile (and its delay) of @template's images. */
int ks_profiles_match(const ks_profiles *p, const ga_node *template,
                      uint64_t *slow_ms);
/* The rules as a JSON list of their specs. */
int ks_profiles_json(const ks_profiles *p, ga_buf *out);

/* controllers.c */
typedef struct ks_ctrl ks_ctrl;
/* Start the controller thread over @ks (its lock, store and profiles). */
int ks_ctrl_start(ks_ctrl **out, ks_server *ks, uint64_t ready_delay_ms);
void ks_ctrl_stop(ks_ctrl *c);
/* One pass over every workload (the thread's step); the caller holds
 * ks_server.lock. */
int ks_ctrl_pass(ks_server *ks, ks_ctrl *c, uint64_t now_ms);
/* A controller without a thread, for tests that call ks_ctrl_pass(). */
int ks_ctrl_new_manual(ks_ctrl **out, ks_server *ks, uint64_t ready_delay_ms);
void ks_ctrl_free_manual(ks_ctrl *c);

/* audit.c: the request log and counters (own lock) */
typedef struct ks_audit ks_audit;
/* What a request was, as kube-apiserver's RequestInfo names it. */
typedef struct ks_audit_info {
	const char *verb;   /* "get", "list", "watch", "create" ... */
	char resource[300]; /* "deployments.apps/status", "" for none */
	char method[16];    /* the verb of a non-resource request */
} ks_audit_info;
/* @path NULL: counters only. */
int ks_audit_new(ks_audit **out, const char *path);
void ks_audit_free(ks_audit *a);
void ks_audit_classify(ks_audit_info *info, const char *method,
                       const char *path, bool watch);
/* Count and log one request; @code 0: dropped without an answer. */
void ks_audit_record(ks_audit *a, const ga_httpd_request *http, unsigned code,
                     uint64_t latency_us);
int ks_audit_counts(ks_audit *a, ga_buf *out);
void ks_audit_reset(ks_audit *a);

/* faults.c: fault injection (own lock) */
typedef struct ks_faults ks_faults;
enum {
	KS_FAULT_NONE = 0,
	KS_FAULT_ERROR,    /* answer 500, 503 or 429 */
	KS_FAULT_RESET,    /* close the connection unanswered */
	KS_FAULT_CONFLICT, /* 409 Conflict on an object write */
};
/* What to do to one request. */
typedef struct ks_fault {
	int action;           /* KS_FAULT_* */
	unsigned code;        /* KS_FAULT_ERROR's status */
	unsigned retry_after; /* seconds, for Retry-After; 0: none */
	uint64_t delay_ms;    /* added latency, before anything else */
	char message[256];    /* the Status message, "" for the default */
	bool status_body;     /* 429 as a Status, not flow control's text */
} ks_fault;
int ks_faults_new(ks_faults **out);
void ks_faults_free(ks_faults *f);
/* Replace the rules with @json's ({"rules":[...]}); 0 or a 400 Status. */
int ks_faults_set(ks_faults *f, const char *json, size_t len, ks_status *st);
void ks_faults_clear(ks_faults *f);
/* The rules with their counters, as GET /kubesim/faults shows them. */
int ks_faults_json(ks_faults *f, ga_buf *out);
void ks_faults_pick(ks_faults *f, const char *method, const char *path,
                    ks_fault *out);
/* Answer @resp as the real server does for @fault's error code. */
int ks_fault_answer(const ks_fault *fault, ga_httpd_response *resp);

/* admin.c: /kubesim/...; 1 when @http is not an admin path */
int ks_admin(ks_server *ks, const ga_httpd_request *http,
             ga_httpd_response *resp);

/* state.c: --state FILE */
/* Load @path into the empty store (and registry); *loaded says whether
 * the file existed.  A bad file: GA_EINVALID naming it and the fault. */
int ks_state_load(ks_server *ks, const char *path, bool *loaded);
/* The same from bytes; @what names them in errors (the fuzz target). */
int ks_state_decode(ks_server *ks, const char *data, size_t len,
                    const char *what);
/* The store as a state file; the caller holds ks_server.lock. */
int ks_state_encode(ks_server *ks, ga_buf *out);
typedef struct ks_saver ks_saver;
/* Save @path now, then whenever the store changed (a thread). */
int ks_saver_start(ks_saver **out, ks_server *ks, const char *path);
/* Stop the thread and save a last time; NULL is ignored. */
int ks_saver_stop(ks_saver *s);

/* Start-up options of the simulation. */
typedef struct ks_sim_opts {
	uint64_t ready_delay_ms;
	const char *audit_log;
	const char *faults_file;
	const char *state_file;
} ks_sim_opts;

#endif
