/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The resources kubesim serves: the built-in kinds the distribution and the
 * agent use (names, scopes, short names and subresources as kube-apiserver
 * 1.32 reports them in discovery), plus one entry per served version of
 * every CustomResourceDefinition created at run time.  Discovery lists the
 * groups in kube-apiserver's order (core, then the built-in groups, then
 * CRD groups as they appear).  Callers hold ks_server.lock.
 */
#include "kubesim.h"

#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"

#define ST KS_RES_STATUS
#define SC KS_RES_SCALE
#define GEN KS_RES_GENERATION
#define RES(g, v, k, p, s, sn, ns, f)                                          \
	{                                                                      \
		g, v, k, p, s, sn, ns, f, NULL, NULL                           \
	}

static const ks_resource builtin[] = {
    RES("", "v1", "ConfigMap", "configmaps", "configmap", "cm", true, 0),
    RES("", "v1", "Endpoints", "endpoints", "endpoints", "ep", true, 0),
    RES("", "v1", "Event", "events", "event", "ev", true, 0),
    RES("", "v1", "LimitRange", "limitranges", "limitrange", "limits", true, 0),
    RES("", "v1", "Namespace", "namespaces", "namespace", "ns", false, ST),
    RES("", "v1", "Node", "nodes", "node", "no", false, ST),
    RES("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims",
        "persistentvolumeclaim", "pvc", true, ST),
    RES("", "v1", "PersistentVolume", "persistentvolumes", "persistentvolume",
        "pv", false, ST),
    RES("", "v1", "Pod", "pods", "pod", "po", true, ST),
    RES("", "v1", "ResourceQuota", "resourcequotas", "resourcequota", "quota",
        true, ST),
    RES("", "v1", "Secret", "secrets", "secret", "", true, 0),
    RES("", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", "sa",
        true, 0),
    RES("", "v1", "Service", "services", "service", "svc", true, ST),
    RES("apps", "v1", "DaemonSet", "daemonsets", "daemonset", "ds", true,
        ST | GEN),
    RES("apps", "v1", "Deployment", "deployments", "deployment", "deploy", true,
        ST | SC | GEN),
    RES("apps", "v1", "ReplicaSet", "replicasets", "replicaset", "rs", true,
        ST | SC | GEN),
    RES("apps", "v1", "StatefulSet", "statefulsets", "statefulset", "sts", true,
        ST | SC | GEN),
    RES("events.k8s.io", "v1", "Event", "events", "event", "ev", true, 0),
    RES("autoscaling", "v2", "HorizontalPodAutoscaler",
        "horizontalpodautoscalers", "horizontalpodautoscaler", "hpa", true, ST),
    RES("autoscaling", "v1", "HorizontalPodAutoscaler",
        "horizontalpodautoscalers", "horizontalpodautoscaler", "hpa", true, ST),
    RES("batch", "v1", "CronJob", "cronjobs", "cronjob", "cj", true, ST | GEN),
    RES("batch", "v1", "Job", "jobs", "job", "", true, ST | GEN),
    RES("networking.k8s.io", "v1", "Ingress", "ingresses", "ingress", "ing",
        true, ST | GEN),
    RES("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies",
        "networkpolicy", "netpol", true, GEN),
    RES("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets",
        "poddisruptionbudget", "pdb", true, ST | GEN),
    RES("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding",
        "clusterrolebindings", "clusterrolebinding", "", false, 0),
    RES("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles",
        "clusterrole", "", false, 0),
    RES("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings",
        "rolebinding", "", true, 0),
    RES("rbac.authorization.k8s.io", "v1", "Role", "roles", "role", "", true,
        0),
    RES("storage.k8s.io", "v1", "StorageClass", "storageclasses",
        "storageclass", "sc", false, 0),
    RES("apiextensions.k8s.io", "v1", "CustomResourceDefinition",
        "customresourcedefinitions", "customresourcedefinition", "crd,crds",
        false, ST | GEN),
    RES("coordination.k8s.io", "v1", "Lease", "leases", "lease", "", true, 0),
};

#define N_BUILTIN (sizeof(builtin) / sizeof(builtin[0]))
/* Served CRD versions; a test creates a handful. */
#define MAX_CRD_RES 256

static ks_resource *crd_res[MAX_CRD_RES];
static size_t n_crd_res;

/* The i-th resource over both tables, or NULL past the end. */
static const ks_resource *nth(size_t i)
{
	if (i < N_BUILTIN)
		return &builtin[i];
	i -= N_BUILTIN;
	return i < n_crd_res ? crd_res[i] : NULL;
}

const ks_resource *ks_registry_find(const char *group, const char *version,
                                    const char *plural)
{
	const ks_resource *r;
	size_t i;

	for (i = 0; (r = nth(i)); i++)
		if (strcmp(r->group, group) == 0 &&
		    strcmp(r->version, version) == 0 &&
		    strcmp(r->plural, plural) == 0)
			return r;
	return NULL;
}

size_t ks_registry_list(const ks_resource **out, size_t cap, const char *group,
                        const char *version)
{
	const ks_resource *r;
	size_t i, n = 0;

	for (i = 0; (r = nth(i)); i++)
		if (strcmp(r->group, group) == 0 &&
		    strcmp(r->version, version) == 0 && n < cap)
			out[n++] = r;
	return n;
}

/* Whether @s is among the first @n entries of @list. */
static bool seen(const char **list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

size_t ks_registry_groups(const char **out, size_t cap)
{
	const ks_resource *r;
	size_t i, n = 0;

	for (i = 0; (r = nth(i)); i++)
		if (n < cap && !seen(out, n, r->group))
			out[n++] = r->group;
	return n;
}

size_t ks_registry_versions(const char **out, size_t cap, const char *group)
{
	const ks_resource *r;
	size_t i, n = 0;

	for (i = 0; (r = nth(i)); i++)
		if (strcmp(r->group, group) == 0 && n < cap &&
		    !seen(out, n, r->version))
			out[n++] = r->version;
	return n;
}

static const char *str_at(const ga_node *map, const char *key)
{
	const char *s = ks_str(ks_get(map, key));

	return s ? s : "";
}

/* Join the string items of the list @l with commas into @out. */
static int join_names(ga_buf *out, const ga_node *l)
{
	size_t i;

	for (i = 0; i < ks_count(l); i++) {
		const char *s = ks_str(ks_item(l, i));
		if (s)
			(void)ga_buf_printf(out, "%s%s", out->size ? "," : "",
			                    s);
	}
	return out->err;
}

/*
 * One served version of a CRD as a resource.  The strings live in one
 * block, a NUL-separated copy, owned by the entry.
 */
static int crd_entry(ks_resource **out, const ga_node *crd, const ga_node *ver)
{
	const ga_node *spec = ks_get(crd, "spec");
	const ga_node *names = ks_get(spec, "names");
	const ga_node *subs = ks_get(ver, "subresources");
	const char *fields[7];
	ga_buf block = GA_BUF_INIT(4096), shorts = GA_BUF_INIT(1024);
	ks_resource *r = NULL;
	size_t off[7], i;
	int err = 0;

	fields[0] = str_at(spec, "group");
	fields[1] = str_at(ver, "name");
	fields[2] = str_at(names, "kind");
	fields[3] = str_at(names, "plural");
	fields[4] = str_at(names, "singular");
	if ((err = join_names(&shorts, ks_get(names, "shortNames"))))
		goto out;
	fields[5] = ga_buf_cstr(&shorts);
	fields[6] = ks_meta_str(crd, "name");
	if (!fields[6])
		fields[6] = "";
	for (i = 0; i < 7; i++) {
		off[i] = block.size;
		(void)ga_buf_put(&block, fields[i], strlen(fields[i]) + 1);
	}
	if (block.err || !(r = ga_calloc(1, sizeof(*r)))) {
		err = block.err ? block.err : GA_ENOMEM;
		goto out;
	}
	r->owned = ga_buf_detach(&block);
	if (!r->owned) {
		err = GA_ENOMEM;
		goto out;
	}
#define F(i) ((const char *)r->owned + off[i])
	r->group = F(0);
	r->version = F(1);
	r->kind = F(2);
	r->plural = F(3);
	r->singular = F(4)[0] ? F(4) : F(3);
	r->short_names = F(5);
	r->crd = F(6);
#undef F
	r->namespaced = strcmp(str_at(spec, "scope"), "Cluster") != 0;
	r->flags = KS_RES_GENERATION;
	if (ks_get(subs, "status"))
		r->flags |= KS_RES_STATUS;
	if (ks_get(subs, "scale"))
		r->flags |= KS_RES_SCALE;
	*out = r;
	r = NULL;
out:
	ga_free(r);
	ga_buf_dispose(&block);
	ga_buf_dispose(&shorts);
	return err;
}

int ks_registry_add_crd(const ga_node *crd, ks_status *st)
{
	const ga_node *vers = ks_get(ks_get(crd, "spec"), "versions");
	ks_resource *r = NULL;
	size_t i;
	int err;

	for (i = 0; i < ks_count(vers); i++) {
		const ga_node *v = ks_item(vers, i);
		const ga_node *served = ks_get(v, "served");
		if (served && !ks_bool(served))
			continue;
		if (n_crd_res == MAX_CRD_RES) {
			ks_status_set(st, 507, "InsufficientStorage",
			              "kubesim serves at most %d CRD versions",
			              MAX_CRD_RES);
			return GA_ELIMIT;
		}
		if ((err = crd_entry(&r, crd, v)) < 0) {
			ks_status_set(st, 500, "InternalError", "%s",
			              ga_error_last()->message);
			return err;
		}
		crd_res[n_crd_res++] = r;
	}
	return 0;
}

void ks_registry_remove_crd(const char *name)
{
	size_t i = 0;

	while (i < n_crd_res) {
		if (strcmp(crd_res[i]->crd, name) != 0) {
			i++;
			continue;
		}
		ga_free(crd_res[i]->owned);
		ga_free(crd_res[i]);
		memmove(&crd_res[i], &crd_res[i + 1],
		        (n_crd_res - i - 1) * sizeof(void *));
		n_crd_res--;
	}
}

void ks_registry_free(void)
{
	while (n_crd_res > 0) {
		n_crd_res--;
		ga_free(crd_res[n_crd_res]->owned);
		ga_free(crd_res[n_crd_res]);
	}
}
