/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kstatus health (lib/apply/health*.c): one object per rule, each
 * checked for its status and reason (and the message where it carries
 * counts).
 */
#include <string.h>

#include "ga/apply.h"
#include "ga/error.h"
#include "ga/yaml.h"
#include "harness.h"

static void health_is(const char *yaml, ga_health_status want,
                      const char *reason, const char *message)
{
	ga_node *docs = NULL;
	ga_health h;

	CHECK_OK(ga_yaml_parse(&docs, yaml, strlen(yaml), "test", NULL));
	ga_apply_health(&h, ga_node_list_get(docs, 0));
	CHECK_EQ_STR(ga_health_status_name(h.status),
	             ga_health_status_name(want));
	CHECK_EQ_STR(h.reason, reason);
	if (message)
		CHECK_EQ_STR(h.message, message);
	ga_node_free(docs);
}

#define DEPLOY                                                                 \
	"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, "        \
	"generation: 2}\nspec: {replicas: 3, progressDeadlineSeconds: 600}\n"

#define DEPLOY_OK_CONDS                                                        \
	"  conditions:\n"                                                      \
	"  - {type: Progressing, status: 'True', reason: "                     \
	"NewReplicaSetAvailable}\n"                                            \
	"  - {type: Available, status: 'True'}\n"

static void test_generic(void)
{
	health_is("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
	          GA_HEALTH_CURRENT, "Current", NULL);
	health_is("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, "
	          "deletionTimestamp: '2026-01-01T00:00:00Z'}\n",
	          GA_HEALTH_TERMINATING, "Terminating", NULL);
	health_is("apiVersion: x.io/v1\nkind: W\nmetadata: {name: w, "
	          "generation: 3}\nstatus: {observedGeneration: 2}\n",
	          GA_HEALTH_IN_PROGRESS, "LatestGenerationNotObserved",
	          "W generation is 3, but latest observed generation is 2");
	health_is("apiVersion: x.io/v1\nkind: W\nmetadata: {name: w}\nstatus:"
	          "\n  conditions:\n  - {type: Reconciling, status: 'True', "
	          "reason: Progressing, message: working}\n",
	          GA_HEALTH_IN_PROGRESS, "Progressing", "working");
	health_is("apiVersion: x.io/v1\nkind: W\nmetadata: {name: w}\nstatus:"
	          "\n  conditions:\n  - {type: Stalled, status: 'True', "
	          "reason: BadSpec, message: no}\n",
	          GA_HEALTH_FAILED, "BadSpec", "no");
	/* A custom resource: Ready True/False, observedGeneration matched. */
	health_is("apiVersion: x.io/v1\nkind: W\nmetadata: {name: w, "
	          "generation: 4}\nstatus:\n  observedGeneration: 4\n"
	          "  conditions:\n  - {type: Ready, status: 'True', reason: "
	          "Succeeded, message: done}\n",
	          GA_HEALTH_CURRENT, "Succeeded", "done");
	health_is("apiVersion: x.io/v1\nkind: W\nmetadata: {name: w}\nstatus:"
	          "\n  conditions:\n  - {type: Ready, status: 'False', "
	          "reason: Waiting, message: later}\n",
	          GA_HEALTH_IN_PROGRESS, "Waiting", "later");
	health_is("apiVersion: x.io/v1\nkind: W\nmetadata: {name: w}\n"
	          "status: {phase: anything}\n",
	          GA_HEALTH_CURRENT, "Current", NULL);
	health_is("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
	          "status: [1]\n",
	          GA_HEALTH_UNKNOWN, "InvalidStatus", NULL);
	health_is("just: text\n", GA_HEALTH_UNKNOWN, "NotAnObject", NULL);
	health_is("[1, 2]\n", GA_HEALTH_UNKNOWN, "NotAnObject", NULL);
}

static void test_deployment(void)
{
	health_is(DEPLOY "status:\n  observedGeneration: 2\n  replicas: 3\n"
	                 "  updatedReplicas: 3\n  readyReplicas: 3\n"
	                 "  availableReplicas: 3\n" DEPLOY_OK_CONDS,
	          GA_HEALTH_CURRENT, "Current",
	          "Deployment is available. Replicas: 3");
	health_is(DEPLOY "status:\n  observedGeneration: 2\n  replicas: 3\n"
	                 "  conditions:\n  - {type: Progressing, status: "
	                 "'False', reason: ProgressDeadlineExceeded, message: "
	                 "too slow}\n",
	          GA_HEALTH_FAILED, "ProgressDeadlineExceeded",
	          "Progress deadline exceeded: too slow");
	health_is(DEPLOY "status: {observedGeneration: 2, replicas: 1}\n",
	          GA_HEALTH_IN_PROGRESS, "LessReplicas", "Replicas: 1/3");
	health_is(DEPLOY "status: {observedGeneration: 2, replicas: 3, "
	                 "updatedReplicas: 2}\n",
	          GA_HEALTH_IN_PROGRESS, "LessUpdated", "Updated: 2/3");
	health_is(DEPLOY "status: {observedGeneration: 2, replicas: 4, "
	                 "updatedReplicas: 3}\n",
	          GA_HEALTH_IN_PROGRESS, "ExtraPods", "Pending termination: 1");
	health_is(DEPLOY "status: {observedGeneration: 2, replicas: 3, "
	                 "updatedReplicas: 3, availableReplicas: 1}\n",
	          GA_HEALTH_IN_PROGRESS, "LessAvailable", "Available: 1/3");
	health_is(DEPLOY "status: {observedGeneration: 2, replicas: 3, "
	                 "updatedReplicas: 3, availableReplicas: 3, "
	                 "readyReplicas: 2}\n",
	          GA_HEALTH_IN_PROGRESS, "LessReady", "Ready: 2/3");
	health_is(DEPLOY "status: {observedGeneration: 2, replicas: 3, "
	                 "updatedReplicas: 3, availableReplicas: 3, "
	                 "readyReplicas: 3}\n",
	          GA_HEALTH_IN_PROGRESS, "ReplicaSetNotAvailable", NULL);
	health_is(DEPLOY "status:\n  observedGeneration: 2\n  replicas: 3\n"
	                 "  updatedReplicas: 3\n  readyReplicas: 3\n"
	                 "  availableReplicas: 3\n  conditions:\n"
	                 "  - {type: Progressing, status: 'True', reason: "
	                 "NewReplicaSetAvailable}\n",
	          GA_HEALTH_IN_PROGRESS, "DeploymentNotAvailable", NULL);
	/* The generation check comes first. */
	health_is(DEPLOY "status: {observedGeneration: 1}\n",
	          GA_HEALTH_IN_PROGRESS, "LatestGenerationNotObserved", NULL);
	/* No status at all: nothing is running yet. */
	health_is(DEPLOY, GA_HEALTH_IN_PROGRESS, "LessReplicas",
	          "Replicas: 0/3");
}

#define STS "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\n"

static void test_statefulset(void)
{
	health_is(STS "spec: {replicas: 2}\nstatus: {replicas: 2, "
	              "readyReplicas: 2, currentReplicas: 2, currentRevision: "
	              "db-1, updateRevision: db-1}\n",
	          GA_HEALTH_CURRENT, "Current",
	          "All replicas scheduled as expected. Replicas: 2");
	health_is(STS "spec: {replicas: 2}\nstatus: {replicas: 2, "
	              "readyReplicas: 1}\n",
	          GA_HEALTH_IN_PROGRESS, "LessReady", "Ready: 1/2");
	health_is(STS "spec: {replicas: 2}\nstatus: {replicas: 1}\n",
	          GA_HEALTH_IN_PROGRESS, "LessReplicas", "Replicas: 1/2");
	health_is(STS "spec: {replicas: 2}\nstatus: {replicas: 2, "
	              "readyReplicas: 2, currentReplicas: 1}\n",
	          GA_HEALTH_IN_PROGRESS, "LessCurrent", "current: 1/2");
	health_is(STS "spec: {replicas: 2}\nstatus: {replicas: 2, "
	              "readyReplicas: 2, currentReplicas: 2, currentRevision: "
	              "db-1, updateRevision: db-2}\n",
	          GA_HEALTH_IN_PROGRESS, "RevisionMismatch", NULL);
	health_is(STS "spec:\n  replicas: 4\n  updateStrategy:\n    type: "
	              "RollingUpdate\n    rollingUpdate: {partition: 2}\n"
	              "status: {replicas: 4, readyReplicas: 4, "
	              "updatedReplicas: 1}\n",
	          GA_HEALTH_IN_PROGRESS, "PartitionRollout", "updated: 1/2");
	health_is(STS "spec:\n  replicas: 4\n  updateStrategy:\n    type: "
	              "RollingUpdate\n    rollingUpdate: {partition: 2}\n"
	              "status: {replicas: 4, readyReplicas: 4, "
	              "updatedReplicas: 2}\n",
	          GA_HEALTH_CURRENT, "Current",
	          "Partitioned roll out complete. updated: 2");
	health_is(STS "spec: {replicas: 2, updateStrategy: {type: OnDelete}}\n",
	          GA_HEALTH_CURRENT, "Current", NULL);
}

#define DS "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\n"

static void test_daemonset(void)
{
	health_is(DS "status: {}\n", GA_HEALTH_IN_PROGRESS, "NoDesiredNumber",
	          NULL);
	health_is(DS "status: {desiredNumberScheduled: 3, "
	             "currentNumberScheduled: 2}\n",
	          GA_HEALTH_IN_PROGRESS, "LessCurrent", "Current: 2/3");
	health_is(DS "status: {desiredNumberScheduled: 3, "
	             "currentNumberScheduled: 3, updatedNumberScheduled: 3, "
	             "numberAvailable: 3, numberReady: 2}\n",
	          GA_HEALTH_IN_PROGRESS, "LessReady", "Ready: 2/3");
	health_is(DS "status: {desiredNumberScheduled: 3, "
	             "currentNumberScheduled: 3, updatedNumberScheduled: 3, "
	             "numberAvailable: 3, numberReady: 3}\n",
	          GA_HEALTH_CURRENT, "Current", NULL);
}

#define JOB "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\n"

static void test_job_pod_pvc(void)
{
	health_is(JOB "status: {active: 1}\n", GA_HEALTH_IN_PROGRESS,
	          "JobInProgress", NULL);
	health_is(JOB "status:\n  conditions:\n  - {type: Complete, status: "
	              "'True'}\n",
	          GA_HEALTH_CURRENT, "JobComplete", NULL);
	health_is(JOB "status:\n  conditions:\n  - {type: Failed, status: "
	              "'True', message: BackoffLimitExceeded}\n",
	          GA_HEALTH_FAILED, "JobFailed",
	          "Job failed: BackoffLimitExceeded");
	health_is(JOB "spec: {suspend: true}\n", GA_HEALTH_CURRENT,
	          "JobSuspended", NULL);
	health_is("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus:\n"
	          "  phase: Running\n  conditions:\n  - {type: Ready, status: "
	          "'True'}\n",
	          GA_HEALTH_CURRENT, "PodReady", NULL);
	health_is("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus:\n"
	          "  phase: Running\n  containerStatuses:\n  - name: app\n"
	          "    state: {waiting: {reason: CrashLoopBackOff}}\n",
	          GA_HEALTH_FAILED, "ContainerCrashLooping",
	          "Container app is in CrashLoopBackOff");
	health_is("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus: "
	          "{phase: Running}\n",
	          GA_HEALTH_IN_PROGRESS, "PodRunningNotReady", NULL);
	health_is("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus: "
	          "{phase: Succeeded}\n",
	          GA_HEALTH_CURRENT, "PodSucceeded", NULL);
	health_is("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus: "
	          "{phase: Failed}\n",
	          GA_HEALTH_FAILED, "PodFailed", NULL);
	health_is("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus:\n"
	          "  phase: Pending\n  conditions:\n  - {type: PodScheduled, "
	          "status: 'False', reason: Unschedulable}\n",
	          GA_HEALTH_IN_PROGRESS, "PodUnschedulable", NULL);
	health_is("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: "
	          "{name: d}\nstatus: {phase: Pending}\n",
	          GA_HEALTH_IN_PROGRESS, "NotBound",
	          "PVC is not Bound. phase: Pending");
	health_is("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: "
	          "{name: d}\nstatus: {phase: Bound}\n",
	          GA_HEALTH_CURRENT, "Bound", NULL);
}

#define SVC "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"

static void test_service_crd_others(void)
{
	health_is(SVC "spec: {type: ClusterIP, clusterIP: 10.0.0.1}\n",
	          GA_HEALTH_CURRENT, "Current", "Service is ready");
	health_is(SVC "spec: {type: LoadBalancer}\n", GA_HEALTH_IN_PROGRESS,
	          "NoIPAssigned", NULL);
	/* kstatus does not wait for the load balancer's ingress. */
	health_is(SVC "spec: {type: LoadBalancer, clusterIP: 10.0.0.1}\n",
	          GA_HEALTH_CURRENT, "Current",
	          "Service is ready (no load-balancer ingress yet)");
	health_is(SVC "spec: {type: LoadBalancer, clusterIP: 10.0.0.1}\n"
	              "status: {loadBalancer: {ingress: [{ip: 1.2.3.4}]}}\n",
	          GA_HEALTH_CURRENT, "Current", "Service is ready");
	health_is("apiVersion: apiextensions.k8s.io/v1\nkind: "
	          "CustomResourceDefinition\nmetadata: {name: a.b}\nstatus:\n"
	          "  conditions:\n  - {type: Established, status: 'True'}\n",
	          GA_HEALTH_CURRENT, "Established", NULL);
	health_is("apiVersion: apiextensions.k8s.io/v1\nkind: "
	          "CustomResourceDefinition\nmetadata: {name: a.b}\nstatus:\n"
	          "  conditions:\n  - {type: NamesAccepted, status: 'False', "
	          "message: clash}\n",
	          GA_HEALTH_FAILED, "NamesNotAccepted",
	          "CRD names have not been accepted: clash");
	health_is("apiVersion: apiextensions.k8s.io/v1\nkind: "
	          "CustomResourceDefinition\nmetadata: {name: a.b}\n",
	          GA_HEALTH_IN_PROGRESS, "NotEstablished", NULL);
	health_is("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:"
	          " {name: p}\nstatus: {currentHealthy: 0}\n",
	          GA_HEALTH_CURRENT, "Current", NULL);
	health_is("apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: r}"
	          "\nspec: {replicas: 2}\nstatus: {fullyLabeledReplicas: 2, "
	          "availableReplicas: 1}\n",
	          GA_HEALTH_IN_PROGRESS, "LessAvailable", "Available: 1/2");
	/* A Deployment of another group is not an apps Deployment. */
	health_is("apiVersion: x.io/v1\nkind: Deployment\nmetadata: {name: d}"
	          "\n",
	          GA_HEALTH_CURRENT, "Current", NULL);
}

int main(void)
{
	RUN(test_generic);
	RUN(test_deployment);
	RUN(test_statefulset);
	RUN(test_daemonset);
	RUN(test_job_pod_pvc);
	RUN(test_service_crd_others);
	return DONE();
}
