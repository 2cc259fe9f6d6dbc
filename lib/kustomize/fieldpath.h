/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Dot-separated field paths that read (or, for replacements, write) one
 * field of an object: "spec.ports[0].port", "spec.containers.[name=app]".
 * Replacements and vars spell them slightly differently (kustomize.md
 * §1.11, §1.12), so each has its own parser; both yield the same steps.
 */
#ifndef GA_KUSTOMIZE_FIELDPATH_H
#define GA_KUSTOMIZE_FIELDPATH_H

#include <stdbool.h>
#include <stddef.h>

#include "ga/node.h"

#define GA_KUST_PATH_SEGS 64

/* One step of a path. */
typedef struct ga_kust_pathseg {
	char key[256];       /* a map key, or a list index in decimal */
	char match_val[256]; /* for [key=value]; [=value] matches a scalar */
	bool match;          /* [key=value] */
	bool star;           /* "*": every element (replacements only) */
	bool last;           /* "-": the last element (vars only) */
} ga_kust_pathseg;

/*
 * A replacement's path: "." separates steps, "[k=v]" is a step of its own
 * (also right after a key: "a[k=v]"), "[a.b]" is a key with dots, a
 * number picks a list element and "*" every one.  Sets no message.
 * Returns 0 or GA_EINVALID (empty, too long or unbalanced).
 */
int ga_kust__fieldpath_parse(ga_kust_pathseg *segs, size_t *n,
                             const char *path);

/*
 * A var's fieldPath, as kyaml's GetFieldValue splits it: on every ".",
 * empty parts skipped; "a[3]" is the key a then index 3, "[k=v]" alone
 * matches an element and "-" is the last element; anything else, "a[k=v]"
 * included, is a plain key.  Sets no message.  Returns 0 or GA_EINVALID
 * (too long).
 */
int ga_kust__fieldpath_parse_var(ga_kust_pathseg *segs, size_t *n,
                                 const char *path);

/* Whether @s is a list index in decimal; its value in @out. */
bool ga_kust__fieldpath_index(const char *s, size_t *out);

/* The child of @n the step @s names, NULL when absent ("*" never
 * matches: callers expand it). */
ga_node *ga_kust__fieldpath_step(ga_node *n, const ga_kust_pathseg *s);

/* The node at the end of the path, or NULL. */
const ga_node *ga_kust__fieldpath_get(const ga_node *n,
                                      const ga_kust_pathseg *segs,
                                      size_t n_segs);

#endif
