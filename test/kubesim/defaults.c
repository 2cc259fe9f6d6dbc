/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Defaulting and allocation as kube-apiserver does them: Services
 * (pkg/apis/core/v1/defaults.go SetDefaults_Service, and the service
 * registry's ClusterIP allocator), Deployments, StatefulSets and
 * DaemonSets (apps/v1 SetDefaults_Deployment, _StatefulSet, _DaemonSet)
 * and the pod templates of the workload kinds (SetDefaults_PodSpec,
 * SetDefaults_Container).  Defaults apply to every
 * written body,
 * POST and PUT alike: type ClusterIP, sessionAffinity None,
 * internalTrafficPolicy Cluster, each port's protocol TCP and targetPort
 * equal to its port.  Allocation happens on create only: a cluster IP
 * from 10.96.0.0/12 (kubeadm's default service range) with clusterIPs,
 * ipFamilies and ipFamilyPolicy to match; an update keeps the allocated
 * values when the body omits them (write.c).
 */
#include "kubesim.h"

#include <stdio.h>
#include <string.h>

#include "ga/error.h"

static int default_str(ga_node *map, const char *key, const char *value)
{
	if (ks_get(map, key))
		return 0;
	return ks_set_str(map, key, value);
}

static int default_ports(ga_node *ports)
{
	size_t i;
	int err;

	for (i = 0; i < ks_count(ports); i++) {
		ga_node *p = ks_item(ports, i), *target = NULL;
		const ga_node *port = ks_get(p, "port");
		if (ks_type(p) != GA_NODE_MAP)
			continue;
		if ((err = default_str(p, "protocol", "TCP")) < 0)
			return err;
		if (ks_get(p, "targetPort") || !port)
			continue;
		if ((err = ga_node_clone(&target, port)) < 0 ||
		    (err = ga_node_map_set_take(p, "targetPort", target)) < 0)
			return err;
	}
	return 0;
}

static int default_int(ga_node *map, const char *key, int64_t value)
{
	ga_node *v;
	int err;

	if (ks_get(map, key))
		return 0;
	if ((err = ga_node_new_int(&v, value)) < 0)
		return err;
	return ga_node_map_set_take(map, key, v);
}

/* @map's @key as a map, made empty when absent; NULL when not a map. */
static ga_node *default_map(ga_node *map, const char *key)
{
	ga_node *m = ks_get(map, key);

	if (!m &&
	    (ga_node_new_map(&m) < 0 || ga_node_map_set_take(map, key, m) < 0))
		return NULL;
	return ks_type(m) == GA_NODE_MAP ? m : NULL;
}

/* Always for an untagged or :latest image, else IfNotPresent. */
static const char *pull_policy(const char *image)
{
	const char *slash = strrchr(image, '/');
	const char *tag = strrchr(slash ? slash : image, ':');

	if (strchr(image, '@'))
		return "IfNotPresent";
	return !tag || strcmp(tag, ":latest") == 0 ? "Always" : "IfNotPresent";
}

static int default_containers(ga_node *list)
{
	size_t i;
	int err;

	for (i = 0; i < ks_count(list); i++) {
		ga_node *c = ks_item(list, i);
		const char *image = ks_str(ks_get(c, "image"));
		if (ks_type(c) != GA_NODE_MAP)
			continue;
		if ((err = default_str(c, "terminationMessagePath",
		                       "/dev/termination-log")) < 0 ||
		    (err = default_str(c, "terminationMessagePolicy", "File")) <
		        0 ||
		    (image && (err = default_str(c, "imagePullPolicy",
		                                 pull_policy(image))) < 0) ||
		    !default_map(c, "resources") ||
		    (err = default_ports(ks_get(c, "ports"))) < 0)
			return err < 0 ? err : GA_ENOMEM;
	}
	return 0;
}

/* A pod template's spec: SetDefaults_PodSpec and its containers. */
static int default_template(ga_node *template)
{
	ga_node *meta, *pod;
	int err;

	if (ks_type(template) != GA_NODE_MAP)
		return 0;
	/* Go writes the template's zero creationTimestamp as null. */
	if (!(meta = default_map(template, "metadata")))
		return 0;
	if (!ks_get(meta, "creationTimestamp")) {
		ga_node *null = NULL;
		if ((err = ga_node_new_null(&null)) < 0 ||
		    (err = ga_node_map_set_take(meta, "creationTimestamp",
		                                null)) < 0)
			return err;
	}
	if (!(pod = ks_get(template, "spec")) || ks_type(pod) != GA_NODE_MAP)
		return 0;
	if ((err = default_str(pod, "restartPolicy", "Always")) < 0 ||
	    (err = default_int(pod, "terminationGracePeriodSeconds", 30)) < 0 ||
	    (err = default_str(pod, "dnsPolicy", "ClusterFirst")) < 0 ||
	    (err = default_str(pod, "schedulerName", "default-scheduler")) <
	        0 ||
	    !default_map(pod, "securityContext"))
		return err < 0 ? err : GA_ENOMEM;
	if ((err = default_containers(ks_get(pod, "containers"))) < 0)
		return err;
	return default_containers(ks_get(pod, "initContainers"));
}

/* SetDefaults_Deployment: replicas, strategy, history, deadline. */
static int default_deployment(ga_node *spec)
{
	ga_node *strategy, *ru;
	const char *type;
	int err;

	if ((err = default_int(spec, "replicas", 1)) < 0 ||
	    (err = default_int(spec, "revisionHistoryLimit", 10)) < 0 ||
	    (err = default_int(spec, "progressDeadlineSeconds", 600)) < 0)
		return err;
	if (!(strategy = default_map(spec, "strategy")))
		return 0;
	if ((err = default_str(strategy, "type", "RollingUpdate")) < 0)
		return err;
	type = ks_str(ks_get(strategy, "type"));
	if (!type || strcmp(type, "RollingUpdate") != 0 ||
	    !(ru = default_map(strategy, "rollingUpdate")))
		return 0;
	if ((err = default_str(ru, "maxUnavailable", "25%")) < 0)
		return err;
	return default_str(ru, "maxSurge", "25%");
}

/*
 * SetDefaults_StatefulSet and SetDefaults_DaemonSet: the update strategy
 * (kubectl rollout status refuses any other than RollingUpdate, so an
 * omitted one must read as the default), history and pod management.
 */
static int default_rolling_set(ga_node *spec, bool stateful)
{
	ga_node *strategy, *ru, *pvc;
	const char *type;
	int err;

	if ((err = default_int(spec, "revisionHistoryLimit", 10)) < 0)
		return err;
	if (stateful && ((err = default_str(spec, "podManagementPolicy",
	                                    "OrderedReady")) < 0 ||
	                 (err = default_int(spec, "replicas", 1)) < 0))
		return err;
	if (!(strategy = default_map(spec, "updateStrategy")))
		return 0;
	if ((err = default_str(strategy, "type", "RollingUpdate")) < 0)
		return err;
	type = ks_str(ks_get(strategy, "type"));
	if (type && strcmp(type, "RollingUpdate") == 0 &&
	    (ru = default_map(strategy, "rollingUpdate")) &&
	    ((stateful && (err = default_int(ru, "partition", 0)) < 0) ||
	     (!stateful && ((err = default_int(ru, "maxUnavailable", 1)) < 0 ||
	                    (err = default_int(ru, "maxSurge", 0)) < 0))))
		return err;
	if (!stateful ||
	    !(pvc = default_map(spec, "persistentVolumeClaimRetentionPolicy")))
		return 0;
	if ((err = default_str(pvc, "whenDeleted", "Retain")) < 0)
		return err;
	return default_str(pvc, "whenScaled", "Retain");
}

/* The workload kinds whose spec.template is a pod template. */
static bool has_pod_template(const ks_resource *res)
{
	static const char *const kinds[] = {"DaemonSet", "Deployment",
	                                    "ReplicaSet", "StatefulSet"};
	size_t i;

	if (strcmp(res->group, "batch") == 0)
		return strcmp(res->kind, "Job") == 0;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(res->group, "apps") == 0 &&
		    strcmp(res->kind, kinds[i]) == 0)
			return true;
	return false;
}

static int default_service(ga_node *spec);

int ks_defaults(const ks_resource *res, ga_node *obj)
{
	ga_node *spec = ks_get(obj, "spec");
	int err;

	if (ks_type(spec) != GA_NODE_MAP)
		return 0;
	if (strcmp(res->group, "apps") == 0 &&
	    strcmp(res->kind, "Deployment") == 0 &&
	    (err = default_deployment(spec)) < 0)
		return err;
	if (strcmp(res->group, "apps") == 0 &&
	    (strcmp(res->kind, "StatefulSet") == 0 ||
	     strcmp(res->kind, "DaemonSet") == 0) &&
	    (err = default_rolling_set(spec, strcmp(res->kind, "StatefulSet") ==
	                                         0)) < 0)
		return err;
	if (has_pod_template(res))
		return default_template(ks_get(spec, "template"));
	if (!res->group[0] && strcmp(res->kind, "Service") == 0)
		return default_service(spec);
	return 0;
}

static int default_service(ga_node *spec)
{
	int err;

	if ((err = default_str(spec, "type", "ClusterIP")) < 0)
		return err;
	if (strcmp(ks_str(ks_get(spec, "type")) ? ks_str(ks_get(spec, "type"))
	                                        : "",
	           "ExternalName") == 0)
		return 0;
	if ((err = default_str(spec, "sessionAffinity", "None")) < 0 ||
	    (err = default_str(spec, "internalTrafficPolicy", "Cluster")) < 0)
		return err;
	return default_ports(ks_get(spec, "ports"));
}

/* A one-item list holding the string @s. */
static int str_list(ga_node **out, const char *s)
{
	ga_node *list = NULL, *item = NULL;
	int err;

	if ((err = ga_node_new_list(&list)) < 0)
		return err;
	if ((err = ga_node_new_string(&item, s, strlen(s))) < 0 ||
	    (err = ga_node_list_append_take(list, item)) < 0) {
		ga_node_free(list);
		return err;
	}
	*out = list;
	return 0;
}

int ks_allocate(ks_server *ks, const ks_resource *res, ga_node *obj)
{
	ga_node *spec = ks_get(obj, "spec"), *list = NULL;
	const char *type = ks_str(ks_get(spec, "type"));
	const char *ip = ks_str(ks_get(spec, "clusterIP"));
	char addr[32];
	unsigned n;
	int err;

	if (res->group[0] || strcmp(res->kind, "Service") != 0 ||
	    ks_type(spec) != GA_NODE_MAP ||
	    (type && strcmp(type, "ExternalName") == 0))
		return 0;
	if (!ip || !ip[0]) {
		/* 10.96.0.1 is the kubernetes Service's; start after it. */
		n = ++ks->next_ip + 1;
		(void)snprintf(addr, sizeof(addr), "10.%u.%u.%u",
		               96 + (n >> 16 & 15), n >> 8 & 255, n & 255);
		if ((err = ks_set_str(spec, "clusterIP", addr)) < 0)
			return err;
		ip = ks_str(ks_get(spec, "clusterIP"));
	}
	if (strcmp(ip, "None") != 0 && !ks_get(spec, "clusterIPs") &&
	    ((err = str_list(&list, ip)) < 0 ||
	     (err = ga_node_map_set_take(spec, "clusterIPs", list)) < 0))
		return err;
	if (!ks_get(spec, "ipFamilies") &&
	    ((err = str_list(&list, "IPv4")) < 0 ||
	     (err = ga_node_map_set_take(spec, "ipFamilies", list)) < 0))
		return err;
	return default_str(spec, "ipFamilyPolicy", "SingleStack");
}
