/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Crash safety of the inventory.  ga_apply_run() writes the inventory
 * after the apply and the prune, so an agent killed in between (SIGKILL,
 * OOM, a node lost) or an apply that failed half-way leaves objects on
 * the cluster that no inventory names: if the next revision no longer
 * has them, no prune ever deletes them.  The agent therefore widens the
 * inventory before each apply to the union of what it holds and what is
 * about to be applied, as cli-utils (kpt, kubectl apply --prune's
 * successor) does before it applies; the apply's own inventory step then
 * narrows it to what the revision has.  The prune set is unchanged by
 * this (old minus new is the same set), and an entry whose object was
 * never created is found gone by the prune and dropped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/apply.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "ga/log.h"
#include "run.h"

/* ga_inventory_encode()'s part names: NAME, NAME-1, NAME-2, ... */
static int get_part(ga_agent *a, size_t i, ga_node **out)
{
	char name[300];

	if (i == 0)
		(void)snprintf(name, sizeof(name), "%s", GA_RUN_INVENTORY_NAME);
	else
		(void)snprintf(name, sizeof(name), "%s-%zu",
		               GA_RUN_INVENTORY_NAME, i);
	return ga_kube_get(a->kube, "v1", "ConfigMap", a->ns, name, out);
}

static const char *str_of(const ga_node *obj, const char *a, const char *b)
{
	const ga_node *n = ga_node_map_get(obj, a);

	if (n && b)
		n = ga_node_map_get(n, b);
	return n ? ga_node_str(n) : NULL;
}

/* The inventory as stored (empty when there is none); *@nparts its
 * ConfigMaps. */
static int read_inventory(ga_agent *a, ga_inventory **out, size_t *nparts)
{
	ga_node *list = NULL, *cm = NULL;
	const char *parts;
	char *end = NULL;
	unsigned long n;
	int err;

	*nparts = 0;
	if ((err = get_part(a, 0, &cm)) == GA_ENOTFOUND) {
		ga_error_clear();
		return ga_inventory_new(out);
	}
	if (err < 0)
		return err;
	parts = str_of(cm, "data", "parts");
	n = parts ? strtoul(parts, &end, 10) : 0;
	if (!parts || !*parts || *end || n == 0 || n > 1000) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "ConfigMap %s/%s: data.parts is not a part count",
		             a->ns, GA_RUN_INVENTORY_NAME);
		err = GA_EINVALID;
		goto out;
	}
	if ((err = ga_node_new_list(&list)) < 0 ||
	    (err = ga_node_list_append_take(list, cm)) < 0)
		goto out;
	cm = NULL;
	for (size_t i = 1; i < n; i++) {
		if ((err = get_part(a, i, &cm)) < 0 ||
		    (err = ga_node_list_append_take(list, cm)) < 0)
			goto out;
		cm = NULL;
	}
	*nparts = n;
	err = ga_inventory_decode(out, list);
out:
	ga_node_free(cm);
	ga_node_free(list);
	return err;
}

/*
 * Whether @obj's identity is complete as it stands: a name, and a
 * namespace exactly when its kind is namespaced.  Kinds the server does
 * not serve yet (a CRD of the same revision) are left to the apply's own
 * inventory step.
 */
static bool identity_known(ga_agent *a, const ga_node *obj)
{
	const char *api = str_of(obj, "apiVersion", NULL);
	const char *kind = str_of(obj, "kind", NULL);
	const char *ns = str_of(obj, "metadata", "namespace");
	ga_kube_resource res;

	if (!api || !kind || !str_of(obj, "metadata", "name"))
		return false;
	if (ga_kube_resource_for(a->kube, api, kind, &res) < 0) {
		ga_error_clear();
		return false;
	}
	return res.namespaced == (ns && *ns);
}

static int write_inventory(ga_agent *a, const ga_inventory *inv)
{
	ga_node *cms = NULL;
	size_t n;
	int err;

	if ((err = ga_inventory_encode(&cms, inv, GA_RUN_INVENTORY_NAME, a->ns,
	                               NULL)) < 0)
		return err;
	n = ga_node_count(cms);
	for (size_t i = 0; i < n && err == 0; i++)
		err = ga_kube_apply(a->kube, ga_node_list_get(cms, i),
		                    GA_RUN_MANAGER, GA_KUBE_FORCE, NULL);
	ga_node_free(cms);
	return err;
}

int ga_run_inventory_widen(ga_agent *a, const ga_node *objs)
{
	ga_inventory *inv = NULL;
	size_t nparts, before, added = 0;
	char count[32];
	ga_log_field f[] = {{"added", count}};
	int err;

	if ((err = read_inventory(a, &inv, &nparts)) < 0)
		goto out;
	before = ga_inventory_count(inv);
	for (size_t i = 0; i < ga_node_count(objs) && err == 0; i++) {
		const ga_node *obj = ga_node_list_get(objs, i);

		if (identity_known(a, obj))
			err = ga_inventory_add_object(inv, obj);
	}
	if (err < 0)
		goto out;
	added = ga_inventory_count(inv) - before;
	/* Only new identities matter; versions are the apply's to set. */
	if (added == 0 && nparts > 0)
		goto out;
	if ((err = write_inventory(a, inv)) < 0)
		goto out;
	(void)snprintf(count, sizeof(count), "%zu", added);
	GA_LOG(GA_LOG_DEBUG, f, 1, "inventory widened before the apply");
out:
	if (err < 0)
		ga_error_prefix("inventory %s/%s", a->ns,
		                GA_RUN_INVENTORY_NAME);
	ga_inventory_free(inv);
	return err;
}
