/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parsed YAML remembered for the length of one build.  A component that
 * several bases include is read, with its patches, once per inclusion, as
 * kustomize does; parsing the same text again gives the same tree, so the
 * second and later reads take a copy of the first instead.
 */
#ifndef GA_KUSTOMIZE_PCACHE_H
#define GA_KUSTOMIZE_PCACHE_H

#include "ga/yaml.h"

typedef struct ga_kust_pcache ga_kust_pcache;

/*
 * Make @c the cache of this thread's build until the matching end; the
 * engine's parsers consult it without each transformer having to carry
 * it.  ga_kust__pcache_end() frees everything remembered.
 */
int ga_kust__pcache_begin(ga_kust_pcache **c);
void ga_kust__pcache_end(ga_kust_pcache *c);

/*
 * ga_yaml_parse() through the current build's cache: the same text under
 * the same name and options parses once.  Failures are not remembered
 * (their messages are made anew).  Without a build in progress, this is
 * ga_yaml_parse().
 */
int ga_kust__parse(ga_node **out, const char *text, size_t len,
                   const char *name, const ga_yaml_opts *opts);

#endif
