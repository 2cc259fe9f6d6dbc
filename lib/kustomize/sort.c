/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Output order (kustomize.md §4.2): kustomize's legacy sort, the default,
 * or the accumulation order ("fifo", `--reorder none`).  The legacy key is
 * (rank of the kind, a group_version_kind string, an id string), where the
 * rank puts the orderFirst kinds (Namespace, ..., PodDisruptionBudget)
 * first and the orderLast kinds (webhook configurations) last.
 */
#include "sort.h"

#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "resource.h"

static const char *const default_first[] = {
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
};

static const char *const default_last[] = {
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
};

void ga_kust__order_init_default(ga_kust_order *o)
{
	o->first = default_first;
	o->nfirst = sizeof(default_first) / sizeof(default_first[0]);
	o->last = default_last;
	o->nlast = sizeof(default_last) / sizeof(default_last[0]);
}

static long rank(const ga_kust_order *o, const char *kind)
{
	for (size_t i = 0; i < o->nfirst; i++)
		if (strcmp(kind, o->first[i]) == 0)
			return (long)i - (long)o->nfirst;
	for (size_t i = 0; i < o->nlast; i++)
		if (strcmp(kind, o->last[i]) == 0)
			return (long)i + 1;
	return 0;
}

/* One object's sort key, computed once. */
struct key {
	ga_kust_res *res;
	long rank;
	char *gvk; /* "<group|~G>_<version|~V>_<kind|~K>" */
	char *id;  /* "<Kind>.<version>.<group|[noGrp]>|<ns|~X>|<name|~N>" */
	bool ns_kind, empty_group;
};

static int make_key(struct key *k, ga_kust_res *r, const ga_kust_order *o)
{
	ga_buf gvk = GA_BUF_INIT((size_t)1 << 20),
	       id = GA_BUF_INIT((size_t)1 << 20);
	ga_kust_id i;

	ga_kust__id_of(&i, r->obj);
	k->res = r;
	k->rank = rank(o, i.kind);
	k->ns_kind = strcmp(i.kind, "Namespace") == 0;
	k->empty_group = !i.group[0];
	ga_buf_printf(&gvk, "%s_%s_%s", i.group[0] ? i.group : "~G",
	              i.version[0] ? i.version : "~V",
	              i.kind[0] ? i.kind : "~K");
	ga_buf_printf(&id, "%s.%s.%s|%s|%s", i.kind, i.version,
	              i.group[0] ? i.group : "[noGrp]", i.ns[0] ? i.ns : "~X",
	              i.name[0] ? i.name : "~N");
	if (gvk.err || id.err) {
		int err = gvk.err ? gvk.err : id.err;
		ga_buf_dispose(&gvk);
		ga_buf_dispose(&id);
		return err;
	}
	k->gvk = ga_buf_detach(&gvk);
	k->id = ga_buf_detach(&id);
	return k->gvk && k->id ? 0 : GA_ENOMEM;
}

static int key_compare(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;
	int c;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if ((c = strcmp(a->gvk, b->gvk)) != 0) {
		/* kubectl orders two Namespace kinds the other way round
		 * when either is in the core group (v2 before v1, the core
		 * group before others), renamed or not; found by testing
		 * it, as kustomize's comparator does not say so. */
		if (a->ns_kind && b->ns_kind &&
		    (a->empty_group || b->empty_group))
			return -c;
		return c;
	}
	return strcmp(a->id, b->id);
}

int ga_kust__sort_legacy(ga_kust_resmap *m, const ga_kust_order *o)
{
	struct key *keys;
	int err = 0;

	if (m->n < 2)
		return 0;
	if (!(keys = ga_calloc(m->n, sizeof(*keys))))
		return GA_ENOMEM;
	for (size_t i = 0; !err && i < m->n; i++)
		err = make_key(&keys[i], m->v[i], o);
	if (!err) {
		qsort(keys, m->n, sizeof(*keys), key_compare);
		for (size_t i = 0; i < m->n; i++)
			m->v[i] = keys[i].res;
	}
	for (size_t i = 0; i < m->n; i++) {
		ga_free(keys[i].gvk);
		ga_free(keys[i].id);
	}
	ga_free(keys);
	return err;
}
