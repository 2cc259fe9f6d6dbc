/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The list merge strategies of kubectl kustomize's strategic merge patch
 * (kustomize v5.5.0, kyaml v0.18.1; kustomize.md §3.2).  kyaml looks them
 * up in the Kubernetes v1.21.2 OpenAPI schema it embeds
 * (kyaml/openapi/kubernetesapi/v1_21_2/swagger.pb): a list merges when the
 * schema of its field has an x-kubernetes-patch-strategy containing
 * "merge", by the fields of x-kubernetes-list-map-keys when present, else
 * by x-kubernetes-patch-merge-key, else as a set of scalars.  Object types
 * are indexed by the x-kubernetes-group-version-kind of definitions that
 * name exactly one kind; every other apiVersion/kind has no schema and all
 * of its lists are replaced wholesale.
 *
 * The table below was generated from that very schema, extracted from the
 * kubectl v1.32 binary (gzip stream, then the gnostic OpenAPI v2 protobuf)
 * rather than retyped from k8s.io/api struct tags: kyaml reads the
 * published schema, whose extensions differ from the tags in places (no
 * retainKeys on maps reaches a list, LabelSelectorRequirement.key carries
 * a strategy on a scalar).  Only types from which an associative list can
 * be reached are kept, and types of identical structure are merged: 28
 * types, 59 fields, 89 apiVersion/kind roots.  A position outside the
 * table therefore means "no schema" where kyaml would hold a schema
 * without any strategy; the one behaviour that tells them apart, looking
 * up a nested map's own apiVersion/kind, only finds a schema for maps
 * that are objects themselves, which valid built-in objects only hold in
 * untyped fields (RawExtension), where kyaml has no schema either.
 */
#include "mergekeys.h"

#include <stdio.h>
#include <string.h>

#include "smp.h"

#include "ga/error.h"

struct mk_type {
	uint16_t first, count; /* a slice of mk_fields */
};

struct mk_root {
	const char *api_version, *kind;
	uint16_t type;
};

#define MK_OBJECT(n, t)                                                        \
	{                                                                      \
		(n), false, GA_KUST_LIST_ATOMIC, 0, (t),                       \
		{                                                              \
			NULL, NULL                                             \
		}                                                              \
	}
#define MK_SET(n)                                                              \
	{                                                                      \
		(n), true, GA_KUST_LIST_SET, 0, T_NONE,                        \
		{                                                              \
			NULL, NULL                                             \
		}                                                              \
	}
#define MK_KEYS(n, t, nk, k1, k2)                                              \
	{                                                                      \
		(n), true, GA_KUST_LIST_KEYS, (nk), (t),                       \
		{                                                              \
			(k1), (k2)                                             \
		}                                                              \
	}

enum mk_type_id {
	T_NONE = 0, /* no schema, or none that leads to an associative list */
	T_OBJECT_META,
	T_WEBHOOK_CONFIGURATION,
	T_META_ONLY,
	T_CONTAINER,
	T_EPHEMERAL_CONTAINER,
	T_EPHEMERAL_VOLUME_SOURCE,
	T_VOLUME,
	T_POD_SPEC,
	T_POD_TEMPLATE_SPEC,
	T_WORKLOAD_SPEC,
	T_CONDITIONS_STATUS,
	T_WORKLOAD,
	T_JOB_TEMPLATE_SPEC,
	T_CRON_JOB_SPEC,
	T_CRON_JOB,
	T_COMPONENT_STATUS,
	T_META_CONDITIONS,
	T_NODE_SPEC,
	T_NODE_STATUS,
	T_NODE,
	T_POD_STATUS,
	T_POD,
	T_POD_TEMPLATE,
	T_SERVICE_SPEC,
	T_SERVICE,
	T_SERVICE_ACCOUNT,
	T_CSI_NODE_SPEC,
	T_CSI_NODE,
	T_COUNT
};

/*
 * The fields of each type that are, or lead to, associative lists, sorted
 * by name.  Each type is listed once per structure: the definitions sharing
 * it are named above its fields.
 */
static const ga_kust_mk mk_fields[] = {
    /* T_OBJECT_META: meta.v1.ObjectMeta. */
    MK_SET("finalizers"),
    MK_KEYS("ownerReferences", T_NONE, 1, "uid", NULL),
    /*
     * T_WEBHOOK_CONFIGURATION:
     * admissionregistration.v1.MutatingWebhookConfiguration,
     * admissionregistration.v1.ValidatingWebhookConfiguration,
     * admissionregistration.v1beta1.MutatingWebhookConfiguration,
     * admissionregistration.v1beta1.ValidatingWebhookConfiguration.
     */
    MK_OBJECT("metadata", T_OBJECT_META),
    MK_KEYS("webhooks", T_NONE, 1, "name", NULL),
    /*
     * T_META_ONLY: apps.v1.ControllerRevision,
     * authentication.v1.TokenRequest, authentication.v1.TokenReview,
     * authentication.v1beta1.TokenReview,
     * authorization.v1.LocalSubjectAccessReview,
     * authorization.v1.SelfSubjectAccessReview,
     * authorization.v1.SelfSubjectRulesReview,
     * authorization.v1.SubjectAccessReview,
     * authorization.v1beta1.LocalSubjectAccessReview,
     * authorization.v1beta1.SelfSubjectAccessReview,
     * authorization.v1beta1.SelfSubjectRulesReview,
     * authorization.v1beta1.SubjectAccessReview,
     * autoscaling.v1.HorizontalPodAutoscaler, autoscaling.v1.Scale,
     * autoscaling.v2beta1.HorizontalPodAutoscaler,
     * autoscaling.v2beta2.HorizontalPodAutoscaler,
     * certificates.v1.CertificateSigningRequest,
     * certificates.v1beta1.CertificateSigningRequest, coordination.v1.Lease,
     * coordination.v1beta1.Lease, core.v1.Binding, core.v1.ConfigMap,
     * core.v1.Endpoints, core.v1.Event, core.v1.LimitRange,
     * core.v1.PersistentVolume, core.v1.PersistentVolumeClaimTemplate,
     * core.v1.ResourceQuota, core.v1.Secret, discovery.v1.EndpointSlice,
     * discovery.v1beta1.EndpointSlice, events.v1.Event,
     * events.v1beta1.Event, extensions.v1beta1.Ingress,
     * flowcontrol.v1beta1.FlowSchema,
     * flowcontrol.v1beta1.PriorityLevelConfiguration, networking.v1.Ingress,
     * networking.v1.IngressClass, networking.v1.NetworkPolicy,
     * networking.v1beta1.Ingress, networking.v1beta1.IngressClass,
     * node.v1.RuntimeClass, node.v1beta1.RuntimeClass,
     * policy.v1beta1.Eviction, policy.v1beta1.PodSecurityPolicy,
     * rbac.v1.ClusterRole, rbac.v1.ClusterRoleBinding, rbac.v1.Role,
     * rbac.v1.RoleBinding, rbac.v1beta1.ClusterRole,
     * rbac.v1beta1.ClusterRoleBinding, rbac.v1beta1.Role,
     * rbac.v1beta1.RoleBinding, scheduling.v1.PriorityClass,
     * scheduling.v1beta1.PriorityClass, storage.v1.CSIDriver,
     * storage.v1.StorageClass, storage.v1.VolumeAttachment,
     * storage.v1beta1.CSIDriver, storage.v1beta1.CSIStorageCapacity,
     * storage.v1beta1.StorageClass, storage.v1beta1.VolumeAttachment,
     * apiextensions.v1.CustomResourceDefinition,
     * apiextensions.v1beta1.CustomResourceDefinition.
     */
    MK_OBJECT("metadata", T_OBJECT_META),
    /* T_CONTAINER: core.v1.Container. */
    MK_KEYS("env", T_NONE, 1, "name", NULL),
    MK_KEYS("ports", T_NONE, 2, "containerPort", "protocol"),
    MK_KEYS("volumeDevices", T_NONE, 1, "devicePath", NULL),
    MK_KEYS("volumeMounts", T_NONE, 1, "mountPath", NULL),
    /* T_EPHEMERAL_CONTAINER: core.v1.EphemeralContainer. */
    MK_KEYS("env", T_NONE, 1, "name", NULL),
    MK_KEYS("volumeDevices", T_NONE, 1, "devicePath", NULL),
    MK_KEYS("volumeMounts", T_NONE, 1, "mountPath", NULL),
    /* T_EPHEMERAL_VOLUME_SOURCE: core.v1.EphemeralVolumeSource. */
    MK_OBJECT("volumeClaimTemplate", T_META_ONLY),
    /* T_VOLUME: core.v1.Volume. */
    MK_OBJECT("ephemeral", T_EPHEMERAL_VOLUME_SOURCE),
    /* T_POD_SPEC: core.v1.PodSpec. */
    MK_KEYS("containers", T_CONTAINER, 1, "name", NULL),
    MK_KEYS("ephemeralContainers", T_EPHEMERAL_CONTAINER, 1, "name", NULL),
    MK_KEYS("hostAliases", T_NONE, 1, "ip", NULL),
    MK_KEYS("imagePullSecrets", T_NONE, 1, "name", NULL),
    MK_KEYS("initContainers", T_CONTAINER, 1, "name", NULL),
    MK_KEYS("topologySpreadConstraints", T_NONE, 2, "topologyKey",
            "whenUnsatisfiable"),
    MK_KEYS("volumes", T_VOLUME, 1, "name", NULL),
    /* T_POD_TEMPLATE_SPEC: core.v1.PodTemplateSpec. */
    MK_OBJECT("metadata", T_OBJECT_META),
    MK_OBJECT("spec", T_POD_SPEC),
    /*
     * T_WORKLOAD_SPEC: apps.v1.DaemonSetSpec, apps.v1.DeploymentSpec,
     * apps.v1.ReplicaSetSpec, apps.v1.StatefulSetSpec, batch.v1.JobSpec,
     * core.v1.ReplicationControllerSpec.
     */
    MK_OBJECT("template", T_POD_TEMPLATE_SPEC),
    /*
     * T_CONDITIONS_STATUS: apps.v1.DaemonSetStatus,
     * apps.v1.DeploymentStatus, apps.v1.ReplicaSetStatus,
     * apps.v1.StatefulSetStatus, batch.v1.JobStatus,
     * core.v1.NamespaceStatus, core.v1.PersistentVolumeClaimStatus,
     * core.v1.ReplicationControllerStatus, core.v1.ServiceStatus,
     * policy.v1.PodDisruptionBudgetStatus,
     * policy.v1beta1.PodDisruptionBudgetStatus,
     * apiregistration.v1.APIServiceStatus,
     * apiregistration.v1beta1.APIServiceStatus.
     */
    MK_KEYS("conditions", T_NONE, 1, "type", NULL),
    /*
     * T_WORKLOAD: apps.v1.DaemonSet, apps.v1.Deployment, apps.v1.ReplicaSet,
     * apps.v1.StatefulSet, batch.v1.Job, core.v1.ReplicationController.
     */
    MK_OBJECT("metadata", T_OBJECT_META),
    MK_OBJECT("spec", T_WORKLOAD_SPEC),
    MK_OBJECT("status", T_CONDITIONS_STATUS),
    /*
     * T_JOB_TEMPLATE_SPEC: batch.v1.JobTemplateSpec,
     * batch.v1beta1.JobTemplateSpec.
     */
    MK_OBJECT("metadata", T_OBJECT_META),
    MK_OBJECT("spec", T_WORKLOAD_SPEC),
    /* T_CRON_JOB_SPEC: batch.v1.CronJobSpec, batch.v1beta1.CronJobSpec. */
    MK_OBJECT("jobTemplate", T_JOB_TEMPLATE_SPEC),
    /* T_CRON_JOB: batch.v1.CronJob, batch.v1beta1.CronJob. */
    MK_OBJECT("metadata", T_OBJECT_META),
    MK_OBJECT("spec", T_CRON_JOB_SPEC),
    /* T_COMPONENT_STATUS: core.v1.ComponentStatus. */
    MK_KEYS("conditions", T_NONE, 1, "type", NULL),
    MK_OBJECT("metadata", T_OBJECT_META),
    /*
     * T_META_CONDITIONS: core.v1.Namespace, core.v1.PersistentVolumeClaim,
     * policy.v1.PodDisruptionBudget, policy.v1beta1.PodDisruptionBudget,
     * apiregistration.v1.APIService, apiregistration.v1beta1.APIService.
     */
    MK_OBJECT("metadata", T_OBJECT_META),
    MK_OBJECT("status", T_CONDITIONS_STATUS),
    /* T_NODE_SPEC: core.v1.NodeSpec. */
    MK_SET("podCIDRs"),
    /* T_NODE_STATUS: core.v1.NodeStatus. */
    MK_KEYS("addresses", T_NONE, 1, "type", NULL),
    MK_KEYS("conditions", T_NONE, 1, "type", NULL),
    /* T_NODE: core.v1.Node. */
    MK_OBJECT("metadata", T_OBJECT_META),
    MK_OBJECT("spec", T_NODE_SPEC),
    MK_OBJECT("status", T_NODE_STATUS),
    /* T_POD_STATUS: core.v1.PodStatus. */
    MK_KEYS("conditions", T_NONE, 1, "type", NULL),
    MK_KEYS("podIPs", T_NONE, 1, "ip", NULL),
    /* T_POD: core.v1.Pod. */
    MK_OBJECT("metadata", T_OBJECT_META),
    MK_OBJECT("spec", T_POD_SPEC),
    MK_OBJECT("status", T_POD_STATUS),
    /* T_POD_TEMPLATE: core.v1.PodTemplate. */
    MK_OBJECT("metadata", T_OBJECT_META),
    MK_OBJECT("template", T_POD_TEMPLATE_SPEC),
    /* T_SERVICE_SPEC: core.v1.ServiceSpec. */
    MK_KEYS("ports", T_NONE, 2, "port", "protocol"),
    /* T_SERVICE: core.v1.Service. */
    MK_OBJECT("metadata", T_OBJECT_META),
    MK_OBJECT("spec", T_SERVICE_SPEC),
    MK_OBJECT("status", T_CONDITIONS_STATUS),
    /* T_SERVICE_ACCOUNT: core.v1.ServiceAccount. */
    MK_OBJECT("metadata", T_OBJECT_META),
    MK_KEYS("secrets", T_NONE, 1, "name", NULL),
    /* T_CSI_NODE_SPEC: storage.v1.CSINodeSpec, storage.v1beta1.CSINodeSpec. */
    MK_KEYS("drivers", T_NONE, 1, "name", NULL),
    /* T_CSI_NODE: storage.v1.CSINode, storage.v1beta1.CSINode. */
    MK_OBJECT("metadata", T_OBJECT_META),
    MK_OBJECT("spec", T_CSI_NODE_SPEC),
};

static const struct mk_type mk_types[T_COUNT] = {
    [T_OBJECT_META] = {0, 2},
    [T_WEBHOOK_CONFIGURATION] = {2, 2},
    [T_META_ONLY] = {4, 1},
    [T_CONTAINER] = {5, 4},
    [T_EPHEMERAL_CONTAINER] = {9, 3},
    [T_EPHEMERAL_VOLUME_SOURCE] = {12, 1},
    [T_VOLUME] = {13, 1},
    [T_POD_SPEC] = {14, 7},
    [T_POD_TEMPLATE_SPEC] = {21, 2},
    [T_WORKLOAD_SPEC] = {23, 1},
    [T_CONDITIONS_STATUS] = {24, 1},
    [T_WORKLOAD] = {25, 3},
    [T_JOB_TEMPLATE_SPEC] = {28, 2},
    [T_CRON_JOB_SPEC] = {30, 1},
    [T_CRON_JOB] = {31, 2},
    [T_COMPONENT_STATUS] = {33, 2},
    [T_META_CONDITIONS] = {35, 2},
    [T_NODE_SPEC] = {37, 1},
    [T_NODE_STATUS] = {38, 2},
    [T_NODE] = {40, 3},
    [T_POD_STATUS] = {43, 2},
    [T_POD] = {45, 3},
    [T_POD_TEMPLATE] = {48, 2},
    [T_SERVICE_SPEC] = {50, 1},
    [T_SERVICE] = {51, 3},
    [T_SERVICE_ACCOUNT] = {54, 2},
    [T_CSI_NODE_SPEC] = {56, 1},
    [T_CSI_NODE] = {57, 2},
};

/*
 * The apiVersion and kind of every definition kyaml indexes whose type
 * leads to an associative list (all but List kinds and meta types), in
 * bytewise order for bsearch().
 */
static const struct mk_root mk_roots[] = {
    {"admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration",
     T_WEBHOOK_CONFIGURATION},
    {"admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration",
     T_WEBHOOK_CONFIGURATION},
    {"admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration",
     T_WEBHOOK_CONFIGURATION},
    {"admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration",
     T_WEBHOOK_CONFIGURATION},
    {"apiextensions.k8s.io/v1", "CustomResourceDefinition", T_META_ONLY},
    {"apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", T_META_ONLY},
    {"apiregistration.k8s.io/v1", "APIService", T_META_CONDITIONS},
    {"apiregistration.k8s.io/v1beta1", "APIService", T_META_CONDITIONS},
    {"apps/v1", "ControllerRevision", T_META_ONLY},
    {"apps/v1", "DaemonSet", T_WORKLOAD},
    {"apps/v1", "Deployment", T_WORKLOAD},
    {"apps/v1", "ReplicaSet", T_WORKLOAD},
    {"apps/v1", "StatefulSet", T_WORKLOAD},
    {"authentication.k8s.io/v1", "TokenRequest", T_META_ONLY},
    {"authentication.k8s.io/v1", "TokenReview", T_META_ONLY},
    {"authentication.k8s.io/v1beta1", "TokenReview", T_META_ONLY},
    {"authorization.k8s.io/v1", "LocalSubjectAccessReview", T_META_ONLY},
    {"authorization.k8s.io/v1", "SelfSubjectAccessReview", T_META_ONLY},
    {"authorization.k8s.io/v1", "SelfSubjectRulesReview", T_META_ONLY},
    {"authorization.k8s.io/v1", "SubjectAccessReview", T_META_ONLY},
    {"authorization.k8s.io/v1beta1", "LocalSubjectAccessReview", T_META_ONLY},
    {"authorization.k8s.io/v1beta1", "SelfSubjectAccessReview", T_META_ONLY},
    {"authorization.k8s.io/v1beta1", "SelfSubjectRulesReview", T_META_ONLY},
    {"authorization.k8s.io/v1beta1", "SubjectAccessReview", T_META_ONLY},
    {"autoscaling/v1", "HorizontalPodAutoscaler", T_META_ONLY},
    {"autoscaling/v1", "Scale", T_META_ONLY},
    {"autoscaling/v2beta1", "HorizontalPodAutoscaler", T_META_ONLY},
    {"autoscaling/v2beta2", "HorizontalPodAutoscaler", T_META_ONLY},
    {"batch/v1", "CronJob", T_CRON_JOB},
    {"batch/v1", "Job", T_WORKLOAD},
    {"batch/v1beta1", "CronJob", T_CRON_JOB},
    {"certificates.k8s.io/v1", "CertificateSigningRequest", T_META_ONLY},
    {"certificates.k8s.io/v1beta1", "CertificateSigningRequest", T_META_ONLY},
    {"coordination.k8s.io/v1", "Lease", T_META_ONLY},
    {"coordination.k8s.io/v1beta1", "Lease", T_META_ONLY},
    {"discovery.k8s.io/v1", "EndpointSlice", T_META_ONLY},
    {"discovery.k8s.io/v1beta1", "EndpointSlice", T_META_ONLY},
    {"events.k8s.io/v1", "Event", T_META_ONLY},
    {"events.k8s.io/v1beta1", "Event", T_META_ONLY},
    {"extensions/v1beta1", "Ingress", T_META_ONLY},
    {"flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", T_META_ONLY},
    {"flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration",
     T_META_ONLY},
    {"networking.k8s.io/v1", "Ingress", T_META_ONLY},
    {"networking.k8s.io/v1", "IngressClass", T_META_ONLY},
    {"networking.k8s.io/v1", "NetworkPolicy", T_META_ONLY},
    {"networking.k8s.io/v1beta1", "Ingress", T_META_ONLY},
    {"networking.k8s.io/v1beta1", "IngressClass", T_META_ONLY},
    {"node.k8s.io/v1", "RuntimeClass", T_META_ONLY},
    {"node.k8s.io/v1beta1", "RuntimeClass", T_META_ONLY},
    {"policy/v1", "PodDisruptionBudget", T_META_CONDITIONS},
    {"policy/v1beta1", "Eviction", T_META_ONLY},
    {"policy/v1beta1", "PodDisruptionBudget", T_META_CONDITIONS},
    {"policy/v1beta1", "PodSecurityPolicy", T_META_ONLY},
    {"rbac.authorization.k8s.io/v1", "ClusterRole", T_META_ONLY},
    {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding", T_META_ONLY},
    {"rbac.authorization.k8s.io/v1", "Role", T_META_ONLY},
    {"rbac.authorization.k8s.io/v1", "RoleBinding", T_META_ONLY},
    {"rbac.authorization.k8s.io/v1beta1", "ClusterRole", T_META_ONLY},
    {"rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", T_META_ONLY},
    {"rbac.authorization.k8s.io/v1beta1", "Role", T_META_ONLY},
    {"rbac.authorization.k8s.io/v1beta1", "RoleBinding", T_META_ONLY},
    {"scheduling.k8s.io/v1", "PriorityClass", T_META_ONLY},
    {"scheduling.k8s.io/v1beta1", "PriorityClass", T_META_ONLY},
    {"storage.k8s.io/v1", "CSIDriver", T_META_ONLY},
    {"storage.k8s.io/v1", "CSINode", T_CSI_NODE},
    {"storage.k8s.io/v1", "StorageClass", T_META_ONLY},
    {"storage.k8s.io/v1", "VolumeAttachment", T_META_ONLY},
    {"storage.k8s.io/v1beta1", "CSIDriver", T_META_ONLY},
    {"storage.k8s.io/v1beta1", "CSINode", T_CSI_NODE},
    {"storage.k8s.io/v1beta1", "CSIStorageCapacity", T_META_ONLY},
    {"storage.k8s.io/v1beta1", "StorageClass", T_META_ONLY},
    {"storage.k8s.io/v1beta1", "VolumeAttachment", T_META_ONLY},
    {"v1", "Binding", T_META_ONLY},
    {"v1", "ComponentStatus", T_COMPONENT_STATUS},
    {"v1", "ConfigMap", T_META_ONLY},
    {"v1", "Endpoints", T_META_ONLY},
    {"v1", "Event", T_META_ONLY},
    {"v1", "LimitRange", T_META_ONLY},
    {"v1", "Namespace", T_META_CONDITIONS},
    {"v1", "Node", T_NODE},
    {"v1", "PersistentVolume", T_META_ONLY},
    {"v1", "PersistentVolumeClaim", T_META_CONDITIONS},
    {"v1", "Pod", T_POD},
    {"v1", "PodTemplate", T_POD_TEMPLATE},
    {"v1", "ReplicationController", T_WORKLOAD},
    {"v1", "ResourceQuota", T_META_ONLY},
    {"v1", "Secret", T_META_ONLY},
    {"v1", "Service", T_SERVICE},
    {"v1", "ServiceAccount", T_SERVICE_ACCOUNT},
};

/* The position of each type itself, where walks start and items are. */
#define MK_SELF(t)                                                             \
	[t] = {NULL, false, GA_KUST_LIST_ATOMIC, 0, (t), {NULL, NULL}}

static const ga_kust_mk mk_self[T_COUNT] = {
    MK_SELF(T_OBJECT_META),
    MK_SELF(T_WEBHOOK_CONFIGURATION),
    MK_SELF(T_META_ONLY),
    MK_SELF(T_CONTAINER),
    MK_SELF(T_EPHEMERAL_CONTAINER),
    MK_SELF(T_EPHEMERAL_VOLUME_SOURCE),
    MK_SELF(T_VOLUME),
    MK_SELF(T_POD_SPEC),
    MK_SELF(T_POD_TEMPLATE_SPEC),
    MK_SELF(T_WORKLOAD_SPEC),
    MK_SELF(T_CONDITIONS_STATUS),
    MK_SELF(T_WORKLOAD),
    MK_SELF(T_JOB_TEMPLATE_SPEC),
    MK_SELF(T_CRON_JOB_SPEC),
    MK_SELF(T_CRON_JOB),
    MK_SELF(T_COMPONENT_STATUS),
    MK_SELF(T_META_CONDITIONS),
    MK_SELF(T_NODE_SPEC),
    MK_SELF(T_NODE_STATUS),
    MK_SELF(T_NODE),
    MK_SELF(T_POD_STATUS),
    MK_SELF(T_POD),
    MK_SELF(T_POD_TEMPLATE),
    MK_SELF(T_SERVICE_SPEC),
    MK_SELF(T_SERVICE),
    MK_SELF(T_SERVICE_ACCOUNT),
    MK_SELF(T_CSI_NODE_SPEC),
    MK_SELF(T_CSI_NODE),
};

static int bytes_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

const ga_kust_mk *ga_kust__mk_root(const char *apiversion, size_t avlen,
                                   const char *kind, size_t kindlen)
{
	size_t lo = 0, hi = sizeof(mk_roots) / sizeof(mk_roots[0]);

	/* A binary search on (apiVersion, kind), both compared bytewise. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct mk_root *r = &mk_roots[mid];
		int c = bytes_cmp(apiversion, avlen, r->api_version,
		                  strlen(r->api_version));

		if (!c)
			c = bytes_cmp(kind, kindlen, r->kind, strlen(r->kind));
		if (!c)
			return &mk_self[r->type];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const ga_kust_mk *ga_kust__mk_field(const ga_kust_mk *at, const char *name,
                                    size_t len)
{
	const struct mk_type *t;

	if (!at || at->list || at->type == T_NONE || at->type >= T_COUNT)
		return NULL;
	t = &mk_types[at->type];
	for (size_t i = t->first; i < (size_t)t->first + t->count; i++)
		if (strlen(mk_fields[i].name) == len &&
		    memcmp(mk_fields[i].name, name, len) == 0)
			return &mk_fields[i];
	return NULL;
}

const ga_kust_mk *ga_kust__mk_items(const ga_kust_mk *at)
{
	if (!at || !at->list || at->type == T_NONE || at->type >= T_COUNT)
		return NULL;
	return &mk_self[at->type];
}

int ga_kust__smp_list_strategy(ga_kust_list_strategy *out, const char *group,
                               const char *version, const char *kind,
                               const char *path)
{
	char av[512];
	const ga_kust_mk *at;
	const char *p;
	int n;

	if (!out || !group || !version || !kind || !path) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "smp list strategy: missing argument");
		return GA_EINVALID;
	}
	n = group[0] ? snprintf(av, sizeof(av), "%s/%s", group, version)
	             : snprintf(av, sizeof(av), "%s", version);
	if (n < 0 || (size_t)n >= sizeof(av)) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "smp list strategy: apiVersion too long");
		return GA_EINVALID;
	}
	at = ga_kust__mk_root(av, (size_t)n, kind, strlen(kind));
	/* Field names separated by dots; a list's items are implicit. */
	for (p = path; at && *p;) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);

		if (at->list)
			at = ga_kust__mk_items(at);
		at = ga_kust__mk_field(at, p, len);
		p += len + (dot != NULL);
	}
	memset(out, 0, sizeof(*out));
	if (at && at->list) {
		out->merge = (ga_kust_list_merge)at->merge;
		out->nkeys = at->nkeys;
		out->keys[0] = at->keys[0];
		out->keys[1] = at->keys[1];
	}
	return 0;
}
