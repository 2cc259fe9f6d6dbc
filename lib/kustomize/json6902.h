/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON 6902 patches (patchesJson6902, and `patches` entries that hold an
 * operation list) decoded and applied exactly as kubectl kustomize v1.32
 * does through gopkg.in/evanphx/json-patch.v4 v4.12.0 (kustomize.md §1.9,
 * §3.4; the quirks are listed in json6902.c, reading the text in
 * json6902_parse.c).  Parsing yields a list of
 * operations the caller owns and may apply to any number of objects;
 * applying works on a copy and swaps it in only when every operation
 * succeeded.  Pure functions over caller-owned trees, thread-safe.
 */
#ifndef GA_KUSTOMIZE_JSON6902_H
#define GA_KUSTOMIZE_JSON6902_H

#include <stddef.h>

#include "ga/node.h"

/* Most operations in one patch; more is GA_ELIMIT. */
#define GA_KUST_JSON6902_MAX_OPS 10000

/*
 * Deepest nesting a pointer may name (segments after the first '/') and a
 * patched object may reach; deeper is GA_ELIMIT.
 */
#define GA_KUST_JSON6902_MAX_DEPTH 1000

/*
 * Nodes one application may visit while measuring, copying and comparing
 * values.  It caps what "copy" can build (each copy of the whole object
 * into itself doubles it) and what "test" can cost; past it, GA_ELIMIT.
 */
#define GA_KUST_JSON6902_MAX_WORK 1000000

/*
 * Key of the private entry that ga_kust__json6902_parse() adds to an
 * operation read from JSON text: the value's scalars as written, each a
 * string node of its JSON token ("1.0", "\"\\u0041\""), in a tree of the
 * value's shape.  "test" compares those texts, as evanphx does.
 */
#define GA_KUST_JSON6902_TEXT_KEY "value-text"

/*
 * Decode the @len bytes of patch text at @text as kustomize does: JSON when
 * the first byte is '[' (kustomize trims an inline `patches` entry first,
 * but not a file nor a patchesJson6902 entry, whose leading blanks send
 * the text to YAML), otherwise YAML read as goyaml.v2 reads it (only the
 * first document counts; a repeated key takes the last value; plain
 * y/yes/on/n/no/off in any of their three spellings are booleans, plain
 * timestamps stay as written).  @name (may be NULL) names the patch in
 * errors.
 *
 * On success *out is a new GA_NODE_LIST, possibly empty (for "[]", "null"
 * or a text without a document; kustomize's callers reject those with their
 * own messages), of maps holding only what evanphx reads: "op", "path" and
 * "from" when present and not null, "value" when present, and
 * GA_KUST_JSON6902_TEXT_KEY for JSON text.  Operations are not validated
 * here: like kubectl, a bad operation fails only when it is applied, so a
 * patch whose target matches nothing never fails.
 *
 * Returns 0, GA_EINVALID (not JSON/YAML, not a list of maps, or an infinite
 * or NaN YAML float, as Go's JSON encoder refuses), GA_ELIMIT (more than
 * GA_KUST_JSON6902_MAX_OPS operations, a pointer deeper than
 * GA_KUST_JSON6902_MAX_DEPTH, or the parsers' own bounds) or GA_ENOMEM.
 */
int ga_kust__json6902_parse(ga_node **out, const char *text, size_t len,
                            const char *name);

/*
 * Apply the operations @ops (from ga_kust__json6902_parse(), or built the
 * same way) in order to the object *@doc, then rebuild it the way kustomize
 * reads the patched JSON back (integers beyond 2^53 become floats).  All or
 * nothing: on failure *@doc is untouched; on success the old tree is freed
 * and *@doc points at the patched one.  @name (may be NULL) names the patch
 * in errors, which read "<name>: op <index>: <evanphx's message>", e.g.
 * "p.yaml: op 0: add operation does not apply: doc is missing path:
 * \"/spec/no/deep\": missing value".
 *
 * Returns 0, GA_EINVALID (an operation failed as it fails in kubectl, the
 * result is not an object, or kubectl would crash on the operation),
 * GA_ELIMIT (more than GA_KUST_JSON6902_MAX_OPS operations, a result nested
 * deeper than GA_KUST_JSON6902_MAX_DEPTH, more work than
 * GA_KUST_JSON6902_MAX_WORK) or GA_ENOMEM.
 */
int ga_kust__json6902_apply(ga_node **doc, const ga_node *ops,
                            const char *name);

/*
 * How Go's JSON decoder names the kind of @n in an UnmarshalTypeError
 * ("object", "array", "string", "number", "bool", "null"); shared by
 * json6902.c and json6902_parse.c.
 */
const char *ga_kust__json6902_go_kind(const ga_node *n);

#endif
