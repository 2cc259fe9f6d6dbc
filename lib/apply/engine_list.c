/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The drift check's view of the cluster: one LIST per (kind, namespace)
 * with the owner label selector, kept for the rest of the reconcile, so
 * an idle reconcile costs a request per kind and namespace instead of
 * one per object.
 */
#include "apply/apply_int.h"
#include "apply/engine_int.h"

#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"

struct eng_list {
	const char *api, *kind, *ns; /* borrowed from an object */
	ga_node *items;              /* NULL when the LIST failed */
};

static int selector_of(eng *e)
{
	size_t len = 0;

	for (size_t i = 0; i < e->o->nowner_labels; i++) {
		int n =
		    snprintf(e->selector + len, sizeof(e->selector) - len,
		             "%s%s=%s", i ? "," : "", e->o->owner_labels[i].key,
		             e->o->owner_labels[i].value);

		if (n < 0 || (size_t)n >= sizeof(e->selector) - len) {
			ga_error_set(GA_ERRCLASS_INVALID,
			             "the owner labels make a selector longer "
			             "than %zu bytes",
			             sizeof(e->selector) - 1);
			return GA_EINVALID;
		}
		len += (size_t)n;
	}
	return 0;
}

static struct eng_list *find(eng *e, const eng_obj *o)
{
	for (size_t i = 0; i < e->nlists; i++) {
		struct eng_list *l = &e->lists[i];

		if (strcmp(l->api, o->api_version) == 0 &&
		    strcmp(l->kind, o->ref.kind) == 0 &&
		    strcmp(l->ns, o->ref.ns) == 0)
			return l;
	}
	return NULL;
}

static int fetch(eng *e, const eng_obj *o, struct eng_list **out)
{
	struct eng_list *l;
	int err;

	if (!e->selector[0] && (err = selector_of(e)) < 0)
		return err;
	if (e->nlists == e->caplists) {
		size_t cap = e->caplists ? e->caplists * 2 : 16;
		struct eng_list *g = ga_reallocarray(e->lists, cap, sizeof(*g));

		if (!g) {
			ga_error_set_oom();
			return GA_ENOMEM;
		}
		e->lists = g;
		e->caplists = cap;
	}
	l = &e->lists[e->nlists++];
	*l = (struct eng_list){o->api_version, o->ref.kind, o->ref.ns, NULL};
	err =
	    ga_kube_list(e->k, o->api_version, o->ref.kind,
	                 *o->ref.ns ? o->ref.ns : NULL, e->selector, &l->items);
	/* A failed LIST only costs the shortcut: the dry run GETs. */
	if (err < 0 && err != GA_ENOMEM) {
		l->items = NULL;
		err = 0;
	}
	*out = l;
	return err;
}

int eng_listed(eng *e, const eng_obj *o, const ga_node **live)
{
	struct eng_list *l = find(e, o);
	int err;

	*live = NULL;
	if (!l && (err = fetch(e, o, &l)) < 0)
		return err;
	for (size_t i = 0; l->items && i < ga_node_count(l->items); i++) {
		const ga_node *it = ga_node_list_get(l->items, i);

		if (strcmp(ga_apply__str(it, "metadata.name", ""),
		           o->ref.name) == 0) {
			*live = it;
			break;
		}
	}
	return 0;
}

void eng_lists_free(eng *e)
{
	for (size_t i = 0; i < e->nlists; i++)
		ga_node_free(e->lists[i].items);
	ga_free(e->lists);
	e->lists = NULL;
	e->nlists = e->caplists = 0;
}
