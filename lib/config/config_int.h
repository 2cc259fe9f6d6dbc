/* SPDX-License-Identifier: Apache-2.0 */
/* Internal declarations of lib/config. */
#ifndef GA_CONFIG_CONFIG_INT_H
#define GA_CONFIG_CONFIG_INT_H

#include "ga/common.h"
#include "ga/config.h"

typedef struct ga_config__ctx {
	const char *origin; /* names the text in messages */
} ga_config__ctx;

/* A key a section allows, and how its value is read into @target. */
typedef struct ga_config__key {
	const char *name;
	int (*read)(const ga_config__ctx *cx, const ga_node *v, const char *key,
	            void *target);
} ga_config__key;

/* config.c */
/* Set the error "ORIGIN:LINE: KEY: why" (line of @at); GA_EINVALID. */
int ga_config__fail(const ga_config__ctx *cx, const ga_node *at,
                    const char *key, const char *fmt, ...) GA_PRINTF(4, 5);
/* Read the mapping @map of @section by @keys into @target. */
int ga_config__walk(const ga_config__ctx *cx, const ga_node *map,
                    const char *section, const ga_config__key *keys,
                    void *target);
/* A non-empty string into *@out (replacing it). */
int ga_config__string(const ga_config__ctx *cx, const ga_node *v,
                      const char *key, char **out);

/* config_sections.c: the top level's readers, defaults, final checks */
void ga_config__defaults(ga_config *c);
int ga_config__finish(ga_config *c, const ga_config__ctx *cx,
                      const ga_node *doc);
int ga_config__read_source(const ga_config__ctx *cx, const ga_node *v,
                           const char *key, void *target);
int ga_config__read_environment(const ga_config__ctx *cx, const ga_node *v,
                                const char *key, void *target);
int ga_config__read_path(const ga_config__ctx *cx, const ga_node *v,
                         const char *key, void *target);
int ga_config__read_namespace(const ga_config__ctx *cx, const ga_node *v,
                              const char *key, void *target);
int ga_config__read_prune(const ga_config__ctx *cx, const ga_node *v,
                          const char *key, void *target);
int ga_config__read_webhook(const ga_config__ctx *cx, const ga_node *v,
                            const char *key, void *target);

/* config_customize.c */
int ga_config__read_customize(const ga_config__ctx *cx, const ga_node *v,
                              const char *key, void *target);

#endif
