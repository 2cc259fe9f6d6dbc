/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kstatus's kind-specific rules (flux.md §2.9; cli-utils
 * pkg/kstatus/status/core.go, and Flux's own Job reader in fluxcd/pkg
 * runtime/statusreaders/job.go).  Reasons are kstatus's.  Counts that the
 * status leaves out are zero and spec.replicas defaults to 1, as the
 * controllers default them.
 */
#include <string.h>

#include "apply/apply_int.h"
#include "apply/health.h"

#define IN_PROGRESS GA_HEALTH_IN_PROGRESS
#define CURRENT GA_HEALTH_CURRENT
#define FAILED GA_HEALTH_FAILED

static int64_t num(const ga_node *obj, const char *path)
{
	int64_t v;

	(void)ga_apply__int(obj, path, 0, &v);
	return v;
}

static int64_t spec_replicas(const ga_node *obj)
{
	int64_t v;

	(void)ga_apply__int(obj, "spec.replicas", 1, &v);
	return v;
}

/* In progress as "@label: have/want" when @have falls short of @want;
 * true when it does. */
static bool lacks(ga_health *h, const char *reason, const char *label,
                  int64_t want, int64_t have)
{
	if (want <= have)
		return false;
	ga_apply__health_set(h, IN_PROGRESS, reason, "%s: %lld/%lld", label,
	                     (long long)have, (long long)want);
	return true;
}

/* In progress while pods beyond @spec terminate; true when they do. */
static bool extra_pods(ga_health *h, int64_t spec, int64_t have)
{
	if (have <= spec)
		return false;
	ga_apply__health_set(h, IN_PROGRESS, "ExtraPods",
	                     "Pending termination: %lld",
	                     (long long)(have - spec));
	return true;
}

/* The replica checks StatefulSet and ReplicaSet share; true if decided. */
static bool replicas_short(ga_health *h, int64_t spec, int64_t have,
                           int64_t ready)
{
	return lacks(h, "LessReplicas", "Replicas", spec, have) ||
	       lacks(h, "LessReady", "Ready", spec, ready) ||
	       extra_pods(h, spec, have);
}

/* The reference's order: replicas, updated, extra, available, ready. */
static bool deployment_counts(ga_health *h, const ga_node *o)
{
	int64_t spec = spec_replicas(o), have = num(o, "status.replicas");
	int64_t updated = num(o, "status.updatedReplicas");

	return lacks(h, "LessReplicas", "Replicas", spec, have) ||
	       lacks(h, "LessUpdated", "Updated", spec, updated) ||
	       extra_pods(h, spec, have) ||
	       lacks(h, "LessAvailable", "Available", updated,
	             num(o, "status.availableReplicas")) ||
	       lacks(h, "LessReady", "Ready", spec,
	             num(o, "status.readyReplicas"));
}

static void deployment(ga_health *h, const ga_node *o)
{
	const ga_node *prog = ga_apply__condition(o, "Progressing");

	if (prog && strcmp(ga_apply__str(prog, "reason", ""),
	                   "ProgressDeadlineExceeded") == 0)
		ga_apply__health_set(h, FAILED, "ProgressDeadlineExceeded",
		                     "Progress deadline exceeded: %s",
		                     ga_apply__str(prog, "message", ""));
	else if (deployment_counts(h, o))
		return;
	else if (ga_apply__at(o, "spec.progressDeadlineSeconds") &&
	         !(ga_apply__cond_is(o, "Progressing", "True") &&
	           strcmp(ga_apply__str(prog, "reason", ""),
	                  "NewReplicaSetAvailable") == 0))
		ga_apply__health_set(h, IN_PROGRESS, "ReplicaSetNotAvailable",
		                     "ReplicaSet not Available");
	else if (!ga_apply__cond_is(o, "Available", "True"))
		ga_apply__health_set(h, IN_PROGRESS, "DeploymentNotAvailable",
		                     "Deployment not Available");
	else
		ga_apply__health_set(h, CURRENT, "Current",
		                     "Deployment is available. Replicas: %lld",
		                     (long long)num(o, "status.replicas"));
}

static void statefulset(ga_health *h, const ga_node *o)
{
	int64_t spec = spec_replicas(o), partition;
	int64_t updated = num(o, "status.updatedReplicas");
	int64_t current = num(o, "status.currentReplicas");

	if (strcmp(
	        ga_apply__str(o, "spec.updateStrategy.type", "RollingUpdate"),
	        "RollingUpdate") != 0) {
		ga_apply__health_set(h, CURRENT, "Current",
		                     "StatefulSet is using the OnDelete update "
		                     "strategy");
		return;
	}
	if (replicas_short(h, spec, num(o, "status.replicas"),
	                   num(o, "status.readyReplicas")))
		return;
	if (ga_apply__int(o, "spec.updateStrategy.rollingUpdate.partition", 0,
	                  &partition)) {
		if (updated < spec - partition)
			ga_apply__health_set(h, IN_PROGRESS, "PartitionRollout",
			                     "updated: %lld/%lld",
			                     (long long)updated,
			                     (long long)(spec - partition));
		else
			ga_apply__health_set(h, CURRENT, "Current",
			                     "Partitioned roll out complete. "
			                     "updated: %lld",
			                     (long long)updated);
		return;
	}
	if (lacks(h, "LessCurrent", "current", spec, current))
		return;
	if (strcmp(ga_apply__str(o, "status.currentRevision", ""),
	           ga_apply__str(o, "status.updateRevision", "")) != 0)
		ga_apply__health_set(
		    h, IN_PROGRESS, "RevisionMismatch",
		    "Waiting for updated revision %s to match "
		    "current %s",
		    ga_apply__str(o, "status.updateRevision", ""),
		    ga_apply__str(o, "status.currentRevision", ""));
	else
		ga_apply__health_set(h, CURRENT, "Current",
		                     "All replicas scheduled as expected. "
		                     "Replicas: %lld",
		                     (long long)spec);
}

static void daemonset(ga_health *h, const ga_node *o)
{
	static const struct {
		const char *path, *reason, *label;
	} checks[] = {
	    {"status.currentNumberScheduled", "LessCurrent", "Current"},
	    {"status.updatedNumberScheduled", "LessUpdated", "Updated"},
	    {"status.numberAvailable", "LessAvailable", "Available"},
	    {"status.numberReady", "LessReady", "Ready"},
	};
	int64_t desired;

	if (!ga_apply__int(o, "status.desiredNumberScheduled", 0, &desired)) {
		ga_apply__health_set(h, IN_PROGRESS, "NoDesiredNumber",
		                     "Missing .status.desiredNumberScheduled");
		return;
	}
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		if (lacks(h, checks[i].reason, checks[i].label, desired,
		          num(o, checks[i].path)))
			return;
	ga_apply__health_set(h, CURRENT, "Current",
	                     "All replicas scheduled as expected. Replicas: "
	                     "%lld",
	                     (long long)desired);
}

static void replicaset(ga_health *h, const ga_node *o)
{
	int64_t spec = spec_replicas(o);

	if (!lacks(h, "LessLabelled", "Labelled", spec,
	           num(o, "status.fullyLabeledReplicas")) &&
	    !lacks(h, "LessAvailable", "Available", spec,
	           num(o, "status.availableReplicas")) &&
	    !replicas_short(h, spec, num(o, "status.replicas"),
	                    num(o, "status.readyReplicas")))
		ga_apply__health_set(h, CURRENT, "Current",
		                     "ReplicaSet is available. Replicas: %lld",
		                     (long long)spec);
}

/* The first container waiting in CrashLoopBackOff, or NULL. */
static const char *crash_looping(const ga_node *o)
{
	const ga_node *cs = ga_apply__at(o, "status.containerStatuses");
	size_t n =
	    cs && ga_node_type_of(cs) == GA_NODE_LIST ? ga_node_count(cs) : 0;

	for (size_t i = 0; i < n; i++) {
		const ga_node *c = ga_node_list_get(cs, i);

		if (strcmp(ga_apply__str(c, "state.waiting.reason", ""),
		           "CrashLoopBackOff") == 0)
			return ga_apply__str(c, "name", "?");
	}
	return NULL;
}

static void pod(ga_health *h, const ga_node *o)
{
	const char *phase = ga_apply__str(o, "status.phase", "");
	const ga_node *sched = ga_apply__condition(o, "PodScheduled");
	const char *looping = crash_looping(o);

	if (strcmp(phase, "Succeeded") == 0)
		ga_apply__health_set(h, CURRENT, "PodSucceeded",
		                     "Pod has completed successfully");
	else if (strcmp(phase, "Failed") == 0)
		ga_apply__health_set(h, FAILED, "PodFailed",
		                     "Pod has completed, but not successfully");
	else if (strcmp(phase, "Running") == 0 &&
	         ga_apply__cond_is(o, "Ready", "True"))
		ga_apply__health_set(h, CURRENT, "PodReady", "Pod is Ready");
	else if (looping)
		ga_apply__health_set(h, FAILED, "ContainerCrashLooping",
		                     "Container %s is in CrashLoopBackOff",
		                     looping);
	else if (strcmp(phase, "Running") == 0)
		ga_apply__health_set(h, IN_PROGRESS, "PodRunningNotReady",
		                     "Pod is running but is not Ready");
	else if (sched && strcmp(ga_apply__str(sched, "reason", ""),
	                         "Unschedulable") == 0)
		ga_apply__health_set(h, IN_PROGRESS, "PodUnschedulable",
		                     "Pod could not be scheduled");
	else
		ga_apply__health_set(h, IN_PROGRESS, "PodPending",
		                     "Pod is in the %s phase",
		                     *phase ? phase : "Pending");
}

/* Flux's Job reader: upstream kstatus calls a running Job Current. */
static void job(ga_health *h, const ga_node *o)
{
	const ga_node *s = ga_apply__at(o, "spec.suspend");

	if (ga_apply__cond_is(o, "Failed", "True"))
		ga_apply__health_set(
		    h, FAILED, "JobFailed", "Job failed: %s",
		    ga_apply__str(ga_apply__condition(o, "Failed"), "message",
		                  ""));
	else if (ga_apply__cond_is(o, "Complete", "True"))
		ga_apply__health_set(h, CURRENT, "JobComplete",
		                     "Job completed");
	else if (s && ga_node_type_of(s) == GA_NODE_BOOL && ga_node_bool(s))
		ga_apply__health_set(h, CURRENT, "JobSuspended",
		                     "Job is suspended");
	else
		ga_apply__health_set(h, IN_PROGRESS, "JobInProgress",
		                     "Job in progress");
}

static void pvc(ga_health *h, const ga_node *o)
{
	const char *phase = ga_apply__str(o, "status.phase", "");

	if (strcmp(phase, "Bound") == 0)
		ga_apply__health_set(h, CURRENT, "Bound", "PVC is Bound");
	else
		ga_apply__health_set(h, IN_PROGRESS, "NotBound",
		                     "PVC is not Bound. phase: %s",
		                     *phase ? phase : "(none)");
}

/* kstatus waits for a LoadBalancer's cluster IP, not its ingress. */
static void service(ga_health *h, const ga_node *o)
{
	const ga_node *ingress = ga_apply__at(o, "status.loadBalancer.ingress");
	bool lb =
	    strcmp(ga_apply__str(o, "spec.type", ""), "LoadBalancer") == 0;

	if (lb && !*ga_apply__str(o, "spec.clusterIP", ""))
		ga_apply__health_set(h, IN_PROGRESS, "NoIPAssigned",
		                     "Service does not have an IP address");
	else if (lb && (!ingress || ga_node_count(ingress) == 0))
		ga_apply__health_set(
		    h, CURRENT, "Current",
		    "Service is ready (no load-balancer ingress "
		    "yet)");
	else
		ga_apply__health_set(h, CURRENT, "Current", "Service is ready");
}

static void crd(ga_health *h, const ga_node *o)
{
	if (ga_apply__cond_is(o, "NamesAccepted", "False"))
		ga_apply__health_set(
		    h, FAILED, "NamesNotAccepted",
		    "CRD names have not been accepted: %s",
		    ga_apply__str(ga_apply__condition(o, "NamesAccepted"),
		                  "message", ""));
	else if (ga_apply__cond_is(o, "Established", "True"))
		ga_apply__health_set(h, CURRENT, "Established",
		                     "CRD is established");
	else
		ga_apply__health_set(h, IN_PROGRESS, "NotEstablished",
		                     "CRD is not established");
}

static void pdb(ga_health *h, const ga_node *o)
{
	(void)o;
	ga_apply__health_set(h, CURRENT, "Current",
	                     "PodDisruptionBudget is current");
}

bool ga_apply__health_kind(ga_health *h, const ga_node *obj)
{
	static const struct {
		const char *api, *kind; /* api: the apiVersion's group part */
		void (*fn)(ga_health *, const ga_node *);
	} readers[] = {
	    {"apps", "Deployment", deployment},
	    {"apps", "StatefulSet", statefulset},
	    {"apps", "DaemonSet", daemonset},
	    {"apps", "ReplicaSet", replicaset},
	    {"", "Pod", pod},
	    {"", "PersistentVolumeClaim", pvc},
	    {"", "Service", service},
	    {"batch", "Job", job},
	    {"policy", "PodDisruptionBudget", pdb},
	    {"apiextensions.k8s.io", "CustomResourceDefinition", crd},
	};
	const char *api = ga_apply__str(obj, "apiVersion", "");
	const char *slash = strchr(api, '/');
	size_t glen = slash ? (size_t)(slash - api) : 0;
	const char *kind = ga_apply__str(obj, "kind", "");

	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++) {
		if (strcmp(kind, readers[i].kind) != 0 ||
		    strlen(readers[i].api) != glen ||
		    strncmp(api, readers[i].api, glen) != 0)
			continue;
		readers[i].fn(h, obj);
		return true;
	}
	return false;
}
