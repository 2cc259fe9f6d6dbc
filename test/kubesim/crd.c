/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CustomResourceDefinitions (apiextensions.k8s.io/v1): the checks of
 * apiextensions-apiserver's validation that clients run into (the name is
 * <plural>.<group>, a scope, names, at least one version and exactly one
 * storage version) and the status its controllers write at once on a
 * single server: NamesAccepted and Established true, acceptedNames and
 * storedVersions.  The new kind is then served (registry.c) and listed in
 * discovery; deleting the CRD deletes its objects.
 */
#include "kubesim.h"

#include <stdio.h>
#include <string.h>

#include "ga/error.h"

static const char *str_at(const ga_node *map, const char *key)
{
	return ks_str(ks_get(map, key));
}

static int invalid(ga_node *crd, ks_status *st, const char *field,
                   const char *msg)
{
	const ks_resource *res = ks_registry_find("apiextensions.k8s.io", "v1",
	                                          "customresourcedefinitions");
	const char *name = ks_meta_str(crd, "name");

	return ks_status_invalid(st, res, name, field, "FieldValueInvalid",
	                         msg);
}

/* The spec checks; 0 or GA_EINVALID with @st filled. */
static int check_spec(ga_node *crd, ks_status *st)
{
	const ga_node *spec = ks_get(crd, "spec");
	const ga_node *names = ks_get(spec, "names");
	const ga_node *vers = ks_get(spec, "versions");
	const char *group = str_at(spec, "group");
	const char *plural = str_at(names, "plural");
	const char *scope = str_at(spec, "scope");
	char want[600];
	size_t i, storage = 0;

	if (!group || !group[0] || !strchr(group, '.'))
		return invalid(crd, st, "spec.group",
		               "Invalid value: should be a domain with at "
		               "least one dot");
	if (!plural || !ks_valid_name(plural, true))
		return invalid(crd, st, "spec.names.plural", "Required value");
	if (!str_at(names, "kind") || !str_at(names, "kind")[0])
		return invalid(crd, st, "spec.names.kind", "Required value");
	if (!scope ||
	    (strcmp(scope, "Namespaced") != 0 && strcmp(scope, "Cluster") != 0))
		return invalid(crd, st, "spec.scope",
		               "Unsupported value: supported values: "
		               "\"Cluster\", \"Namespaced\"");
	(void)snprintf(want, sizeof(want), "%s.%s", plural, group);
	if (strcmp(ks_meta_str(crd, "name"), want) != 0)
		return invalid(crd, st, "metadata.name",
		               "Invalid value: must be "
		               "spec.names.plural+\".\"+spec.group");
	for (i = 0; i < ks_count(vers); i++) {
		const ga_node *v = ks_item(vers, i);
		const ga_node *s = ks_get(v, "storage");
		if (!str_at(v, "name") ||
		    !ks_valid_name(str_at(v, "name"), true))
			return invalid(crd, st, "spec.versions",
			               "Invalid value: a version needs a name");
		if (s && ks_bool(s))
			storage++;
	}
	if (ks_count(vers) == 0 || storage != 1)
		return invalid(crd, st, "spec.versions",
		               "Invalid value: must have exactly one version "
		               "marked as storage version");
	return 0;
}

/* One condition {type, status True, reason, message, time}. */
static int condition(ga_node *list, const char *type, const char *reason,
                     const char *msg, const char *now)
{
	ga_node *c = NULL;
	int err;

	if ((err = ga_node_new_map(&c)) < 0)
		return err;
	if ((err = ks_set_str(c, "type", type)) < 0 ||
	    (err = ks_set_str(c, "status", "True")) < 0 ||
	    (err = ks_set_str(c, "lastTransitionTime", now)) < 0 ||
	    (err = ks_set_str(c, "reason", reason)) < 0 ||
	    (err = ks_set_str(c, "message", msg)) < 0) {
		ga_node_free(c);
		return err;
	}
	return ga_node_list_append_take(list, c);
}

/* acceptedNames: the spec's names with singular and listKind filled. */
static int accepted_names(ga_node *status, const ga_node *names)
{
	char list_kind[300];
	ga_node *acc = NULL;
	int err;

	if ((err = ga_node_clone(&acc, names)) < 0)
		return err;
	if (!str_at(acc, "singular") &&
	    (err = ks_set_str(acc, "singular", "")) < 0)
		goto fail;
	if (!str_at(acc, "listKind")) {
		(void)snprintf(list_kind, sizeof(list_kind), "%sList",
		               str_at(names, "kind"));
		if ((err = ks_set_str(acc, "listKind", list_kind)) < 0)
			goto fail;
	}
	return ga_node_map_set_take(status, "acceptedNames", acc);
fail:
	ga_node_free(acc);
	return err;
}

static int stored_versions(ga_node *status, const ga_node *vers)
{
	ga_node *list = NULL, *s;
	size_t i;
	int err;

	if ((err = ga_node_new_list(&list)) < 0)
		return err;
	for (i = 0; i < ks_count(vers); i++) {
		const ga_node *v = ks_item(vers, i);
		const ga_node *st = ks_get(v, "storage");
		const char *name = str_at(v, "name");
		if (!st || !ks_bool(st))
			continue;
		if ((err = ga_node_new_string(&s, name, strlen(name))) < 0 ||
		    (err = ga_node_list_append_take(list, s)) < 0) {
			ga_node_free(list);
			return err;
		}
	}
	return ga_node_map_set_take(status, "storedVersions", list);
}

int ks_crd_accept(ga_node *crd, ks_status *st)
{
	const ga_node *spec = ks_get(crd, "spec");
	ga_node *status = NULL, *conds = NULL;
	char now[32];
	int err;

	if ((err = check_spec(crd, st)) < 0)
		return err;
	ks_now_rfc3339(now);
	if ((err = ga_node_new_map(&status)) < 0 ||
	    (err = ga_node_map_set_take(crd, "status", status)) < 0 ||
	    (err = ga_node_new_list(&conds)) < 0 ||
	    (err = ga_node_map_set_take(status, "conditions", conds)) < 0)
		return err;
	if ((err = condition(conds, "NamesAccepted", "NoConflicts",
	                     "no conflicts found", now)) < 0 ||
	    (err = condition(conds, "Established", "InitialNamesAccepted",
	                     "the initial names have been accepted", now)) < 0)
		return err;
	if ((err = accepted_names(status, ks_get(spec, "names"))) < 0)
		return err;
	return stored_versions(status, ks_get(spec, "versions"));
}

void ks_crd_forget(ks_store *store, const ga_node *crd)
{
	const ga_node *spec = ks_get(crd, "spec");
	const char *group = str_at(spec, "group");
	const char *plural = str_at(ks_get(spec, "names"), "plural");

	ks_registry_remove_crd(ks_meta_str(crd, "name"));
	if (group && plural)
		ks_store_drop(store, group, plural);
}
