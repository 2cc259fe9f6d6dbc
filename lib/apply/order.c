/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Apply and prune order (flux.md §2.5): fluxcd/pkg/ssa's ApplyAllStaged
 * splits the objects into stages (cluster definitions, then *Class kinds,
 * then caller-chosen kinds, then the rest) and waits for the first two to
 * be Current, so that a CRD is Established before its custom resources
 * are applied.  Inside a stage ReconcileOrder sorts: a fixed list of
 * kinds, then the remaining kinds by group and kind, admission webhooks
 * last, ties by namespace and name.  DeleteAll uses the exact reverse.
 * Equal keys keep their input order, so the result never depends on the
 * sort algorithm.
 */
#include "apply/apply_int.h"

#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"

static const char *const first_kinds[] = {
    "CustomResourceDefinition",
    "Namespace",
    "ClusterRole",
    "ClusterClass",
    "RuntimeClass",
    "PriorityClass",
    "StorageClass",
    "VolumeSnapshotClass",
    "IngressClass",
    "GatewayClass",
    "ClusterRoleBinding",
    "ResourceQuota",
    "ServiceAccount",
    "Role",
    "RoleBinding",
    "ConfigMap",
    "Secret",
    "Service",
    "LimitRange",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
};
#define NFIRST (sizeof(first_kinds) / sizeof(first_kinds[0]))

/* 0..NFIRST-1: listed kinds; NFIRST: the rest; then the webhooks. */
static size_t kind_rank(const char *kind)
{
	for (size_t i = 0; i < NFIRST; i++)
		if (strcmp(kind, first_kinds[i]) == 0)
			return i;
	if (strcmp(kind, "MutatingWebhookConfiguration") == 0)
		return NFIRST + 1;
	if (strcmp(kind, "ValidatingWebhookConfiguration") == 0)
		return NFIRST + 2;
	return NFIRST;
}

int ga_apply__cmp_ref(const ga_apply_ref *a, const ga_apply_ref *b)
{
	size_t ra = kind_rank(a->kind), rb = kind_rank(b->kind);
	int c;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (ra == NFIRST) {
		if ((c = strcmp(a->group, b->group)) != 0)
			return c;
		if ((c = strcmp(a->kind, b->kind)) != 0)
			return c;
	}
	if ((c = strcmp(a->ns, b->ns)) != 0)
		return c;
	return strcmp(a->name, b->name);
}

static bool is_definition(const ga_apply_ref *r)
{
	return (strcmp(r->group, "apiextensions.k8s.io") == 0 &&
	        strcmp(r->kind, "CustomResourceDefinition") == 0) ||
	       (!r->group[0] && strcmp(r->kind, "Namespace") == 0) ||
	       (strcmp(r->group, "rbac.authorization.k8s.io") == 0 &&
	        strcmp(r->kind, "ClusterRole") == 0);
}

static bool is_class(const ga_apply_ref *r)
{
	size_t len = strlen(r->kind);

	return len >= 5 && strcmp(r->kind + len - 5, "Class") == 0;
}

/* "group/Kind", or "Kind" for the core group. */
static bool is_custom(const ga_apply_ref *r, const char *const *kinds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *slash = strrchr(kinds[i], '/');
		size_t glen = slash ? (size_t)(slash - kinds[i]) : 0;
		const char *kind = slash ? slash + 1 : kinds[i];

		if (strlen(r->group) == glen &&
		    strncmp(r->group, kinds[i], glen) == 0 &&
		    strcmp(r->kind, kind) == 0)
			return true;
	}
	return false;
}

typedef struct sort_item {
	ga_apply_ref ref;
	size_t idx;
	ga_apply_stage stage;
	char group[254];
} sort_item;

static int cmp_item(const void *pa, const void *pb)
{
	const sort_item *a = pa, *b = pb;
	int c;

	if (a->stage != b->stage)
		return a->stage < b->stage ? -1 : 1;
	if ((c = ga_apply__cmp_ref(&a->ref, &b->ref)) != 0)
		return c;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static ga_apply_stage stage_of(const ga_apply_ref *r, const char *const *custom,
                               size_t ncustom)
{
	if (is_definition(r))
		return GA_APPLY_STAGE_DEFINITIONS;
	if (is_class(r))
		return GA_APPLY_STAGE_CLASSES;
	if (is_custom(r, custom, ncustom))
		return GA_APPLY_STAGE_CUSTOM;
	return GA_APPLY_STAGE_RESOURCES;
}

/* Sorted items into @out's order and stage boundaries. */
static int fill_order(ga_apply_order *out, const sort_item *items, size_t n)
{
	size_t *order = ga_calloc(n ? n : 1, sizeof(*order));

	if (!order)
		return GA_ENOMEM;
	*out = (ga_apply_order){order, n, {0}};
	for (size_t i = 0; i < n; i++) {
		order[i] = items[i].idx;
		for (int s = items[i].stage; s < GA_APPLY_NSTAGES; s++)
			out->stage_end[s] = i + 1;
	}
	return 0;
}

int ga_apply_sort(ga_apply_order *out, ga_node *const *objs, size_t n,
                  const char *const *custom_kinds, size_t ncustom)
{
	sort_item *items = ga_calloc(n ? n : 1, sizeof(*items));
	int err = 0;

	if (!items)
		return GA_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		sort_item *it = &items[i];

		if ((err = ga_apply_ref_of(&it->ref, it->group,
		                           sizeof(it->group), objs[i])) < 0)
			goto out;
		it->idx = i;
		it->stage = stage_of(&it->ref, custom_kinds, ncustom);
	}
	qsort(items, n, sizeof(*items), cmp_item);
	err = fill_order(out, items, n);
out:
	ga_free(items);
	return err;
}

int ga_apply_sort_delete(ga_apply_order *out, const ga_apply_ref *refs,
                         size_t n)
{
	sort_item *items = ga_calloc(n ? n : 1, sizeof(*items));
	int err;

	if (!items)
		return GA_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		items[i].ref = refs[i];
		items[i].idx = i;
		items[i].stage = GA_APPLY_STAGE_DEFINITIONS;
	}
	qsort(items, n, sizeof(*items), cmp_item);
	for (size_t i = 0; i < n / 2; i++) {
		sort_item t = items[i];

		items[i] = items[n - 1 - i];
		items[n - 1 - i] = t;
	}
	err = fill_order(out, items, n);
	ga_free(items);
	return err;
}

void ga_apply_order_dispose(ga_apply_order *o)
{
	if (!o)
		return;
	ga_free(o->order);
	*o = (ga_apply_order){NULL, 0, {0}};
}

bool ga_apply_stage_waits(ga_apply_stage stage)
{
	return stage == GA_APPLY_STAGE_DEFINITIONS ||
	       stage == GA_APPLY_STAGE_CLASSES;
}

const char *ga_apply_stage_name(ga_apply_stage stage)
{
	static const char *const names[] = {"definitions", "classes", "custom",
	                                    "resources"};

	return (unsigned)stage < GA_APPLY_NSTAGES ? names[stage] : "?";
}
