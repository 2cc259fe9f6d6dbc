/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the builtin plugin configurations share (plugins.h runs them):
 * the plugin being run, and the reading of its fields as kustomize
 * decodes them (plugins_cfg.c).  plugins.c holds the transformers,
 * plugins_gen.c the generators.
 */
#ifndef GA_KUSTOMIZE_PLUGINS_INT_H
#define GA_KUSTOMIZE_PLUGINS_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "ga/common.h"
#include "ga/node.h"
#include "generators.h"
#include "kustomization.h"
#include "resource.h"
#include "tconfig.h"

struct ga_kust_plugin {
	ga_kust_resmap *ra;
	const ga_kust_file *kf; /* the kustomization listing it */
	const ga_node *cfg;     /* the configuration object */
	const char *in;         /* buildMetadata: where it was configured */
	const char *name, *ns;  /* its metadata.name and .namespace */
	ga_kust_read_fn read;
	void *ctx;
	char what[512];      /* "transformers: LabelTransformer 'x' (l.yaml)" */
	char scratch[8][64]; /* texts of numbers and bools read as strings */
	size_t nscratch;
};

/* Fail with "<kustomization>: <what>: <message>"; returns GA_EINVALID. */
int ga_kust__pcfg_fail(const struct ga_kust_plugin *p, const char *fmt, ...)
    GA_PRINTF(2, 3);

/* The text of a scalar decoded into a string field (numbers and bools
 * as sigs.k8s.io/yaml writes them), NULL for a map or list. */
const char *ga_kust__pcfg_text(struct ga_kust_plugin *p, const ga_node *v);

/* The string field @key of @map: "" when absent, NULL when not readable
 * as a string. */
const char *ga_kust__pcfg_str(struct ga_kust_plugin *p, const ga_node *map,
                              const char *key);

/* The same into *@out, failing when not readable as a string. */
int ga_kust__pcfg_want_str(struct ga_kust_plugin *p, const ga_node *map,
                           const char *key, const char **out);

/* The configuration's fieldSpecs into sections @sec and @sec2 of a new
 * transformer configuration *@out (the caller frees it). */
int ga_kust__pcfg_field_specs(struct ga_kust_plugin *p, ga_kust_tc_section sec,
                              ga_kust_tc_section sec2, ga_kust_tconfig **out);

/* The map of strings @key as a new map *@out (NULL when absent). */
int ga_kust__pcfg_string_map(struct ga_kust_plugin *p, const char *key,
                             ga_node **out);

/* Copy the fields @keys of the configuration (those present) into @to. */
int ga_kust__pcfg_copy_fields(const struct ga_kust_plugin *p, ga_node *to,
                              const char *const *keys, size_t n);

/* The kustomization holding only @field: @value (taken), parsed and
 * checked as a kustomization file is. */
int ga_kust__pcfg_as_kustomization(const struct ga_kust_plugin *p,
                                   const char *field, ga_node *value,
                                   ga_kust_file **out);

/* A one-item list of @item (taken). */
int ga_kust__pcfg_list_of(ga_node **out, ga_node *item);

/* The generators (plugins_gen.c). */
int ga_kust__plugin_configmap(struct ga_kust_plugin *p);
int ga_kust__plugin_secret(struct ga_kust_plugin *p);
int ga_kust__plugin_iam_policy(struct ga_kust_plugin *p);

#endif
