/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Defaulting and allocation for Services, as kube-apiserver does them
 * (pkg/apis/core/v1/defaults.go SetDefaults_Service, and the service
 * registry's ClusterIP allocator).  Defaults apply to every written body,
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

int ks_defaults(const ks_resource *res, ga_node *obj)
{
	ga_node *spec = ks_get(obj, "spec");
	int err;

	if (res->group[0] || strcmp(res->kind, "Service") != 0 ||
	    ks_type(spec) != GA_NODE_MAP)
		return 0;
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
