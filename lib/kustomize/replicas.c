/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The replica-count transformer (kustomize.md §1.8): each `replicas`
 * entry sets spec.replicas of the Deployments, ReplicationControllers,
 * ReplicaSets and StatefulSets (any group) whose current or any earlier
 * name is the entry's name; an entry that matches nothing fails the build.
 */
#include "transform.h"

#include <string.h>

#include "ga/error.h"

static bool scalable(const char *kind)
{
	return strcmp(kind, "Deployment") == 0 ||
	       strcmp(kind, "ReplicationController") == 0 ||
	       strcmp(kind, "ReplicaSet") == 0 ||
	       strcmp(kind, "StatefulSet") == 0;
}

static bool had_name(const ga_kust_res *r, const char *name)
{
	ga_kust_id id;

	ga_kust__id_of(&id, r->obj);
	if (strcmp(id.name, name) == 0)
		return true;
	for (size_t i = 0; i < r->nprev; i++)
		if (strcmp(r->prev[i].name, name) == 0)
			return true;
	return false;
}

static int set_replicas(ga_kust_res *r, int64_t count)
{
	ga_node *spec = ga_node_map_get(r->obj, "spec"), *v = NULL;
	int err;

	if (!spec || ga_node_type_of(spec) != GA_NODE_MAP) {
		if ((err = ga_node_new_map(&spec)) < 0 ||
		    (err = ga_node_map_set_take(r->obj, "spec", spec)) < 0)
			return err;
	}
	if ((err = ga_node_new_int(&v, count)) < 0)
		return err;
	return ga_node_map_set_take(spec, "replicas", v);
}

int ga_kust__transform_replicas(ga_kust_resmap *ra, const ga_node *doc,
                                const char *file)
{
	const ga_node *list = ga_node_map_get(doc, "replicas");
	int err = 0;

	for (size_t i = 0; !err && list && i < ga_node_count(list); i++) {
		const ga_node *e = ga_node_list_get(list, i);
		const ga_node *name = ga_node_map_get(e, "name");
		const ga_node *count = ga_node_map_get(e, "count");
		const char *n =
		    name && ga_node_str(name) ? ga_node_str(name) : "";
		bool found = false;

		for (size_t r = 0; !err && r < ra->n; r++) {
			ga_kust_id id;

			ga_kust__id_of(&id, ra->v[r]->obj);
			if (!scalable(id.kind) || !had_name(ra->v[r], n))
				continue;
			found = true;
			err = set_replicas(ra->v[r],
			                   count ? ga_node_int(count) : 0);
		}
		if (!err && !found) {
			ga_error_set(GA_ERRCLASS_KUSTOMIZE,
			             "%s: replicas: no Deployment, "
			             "ReplicationController, ReplicaSet or "
			             "StatefulSet is named \"%s\"",
			             file, n);
			err = GA_EINVALID;
		}
	}
	return err;
}
