/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The provider's customisations as a kustomization laid over the vendor's
 * distribution (kustomize's overlay layout: the distribution path is the
 * one resource, "../<path>" from a virtual directory at the tree's root;
 * targetNamespace becomes `namespace`; the customize fields are copied as
 * the configuration validated them, but for commonLabels: see
 * set_labels).  Pure: a unit test builds it.
 */
#include <stdio.h>
#include <string.h>

#include "ga/yaml.h"
#include "runutil.h"

static int set_string(ga_node *map, const char *key, const char *value)
{
	ga_node *s = NULL;
	int err;

	if ((err = ga_node_new_string(&s, value, strlen(value))) < 0)
		return err;
	return ga_node_map_set_take(map, key, s);
}

/* resources: ["../<path>"] from the virtual directory at the root. */
static int set_resources(ga_node *k, const char *path)
{
	ga_node *list = NULL, *s = NULL;
	char rel[4200];
	int err;

	(void)snprintf(rel, sizeof(rel), "../%s", path);
	if ((err = ga_node_new_list(&list)) < 0)
		return err;
	if ((err = ga_node_new_string(&s, rel, strlen(rel))) < 0 ||
	    (err = ga_node_list_append_take(list, s)) < 0) {
		ga_node_free(list);
		return err;
	}
	return ga_node_map_set_take(k, "resources", list);
}

/*
 * The provider's commonLabels as kustomize's `labels` with
 * includeTemplates and without includeSelectors: kustomize's commonLabels
 * would also add them to every selector, and a Deployment's selector is
 * immutable, so a label added to (or removed from) a running install
 * would fail every Deployment.  Flux's commonMetadata leaves selectors
 * alone for the same reason; pods still carry the labels.
 */
static int set_labels(ga_node *k, const ga_node *pairs)
{
	ga_node *list = NULL, *item = NULL, *v = NULL, *yes = NULL;
	int err;

	if ((err = ga_node_new_map(&item)) < 0)
		return err;
	/* Each _take owns its value even when it fails. */
	if ((err = ga_node_clone(&v, pairs)) < 0 ||
	    (err = ga_node_map_set_take(item, "pairs", v)) < 0 ||
	    (err = ga_node_new_bool(&yes, true)) < 0 ||
	    (err = ga_node_map_set_take(item, "includeTemplates", yes)) < 0 ||
	    (err = ga_node_new_list(&list)) < 0) {
		ga_node_free(item);
		return err;
	}
	if ((err = ga_node_list_append_take(list, item)) < 0) {
		ga_node_free(list);
		return err;
	}
	return ga_node_map_set_take(k, "labels", list);
}

int ga_reconcile_overlay_text(ga_buf *out, const ga_config *c)
{
	ga_node *k = NULL, *v = NULL;
	const char *key;
	int err;

	if ((err = ga_node_new_map(&k)) < 0 ||
	    (err = set_string(k, "apiVersion",
	                      "kustomize.config.k8s.io/v1beta1")) < 0 ||
	    (err = set_string(k, "kind", "Kustomization")) < 0 ||
	    (err = set_resources(k, c->path)) < 0)
		goto out;
	if (c->target_namespace &&
	    (err = set_string(k, "namespace", c->target_namespace)) < 0)
		goto out;
	/* The provider's fields, as the configuration validated them. */
	for (size_t i = 0; c->customize && i < ga_node_count(c->customize);
	     i++) {
		key = ga_node_map_key(c->customize, i, NULL);
		if (strcmp(key, "commonLabels") == 0) {
			err = set_labels(k, ga_node_map_value(c->customize, i));
		} else if ((err = ga_node_clone(
		                &v, ga_node_map_value(c->customize, i))) == 0) {
			err = ga_node_map_set_take(k, key, v);
		}
		if (err < 0)
			goto out;
	}
	err = ga_yaml_emit(out, k);
out:
	ga_node_free(k);
	return err;
}
