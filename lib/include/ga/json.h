/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON text to and from the node model (ga/node.h).  Parsing goes through
 * jansson with duplicate keys rejected and errors that name line and column;
 * emission is compact or indented, and can follow Go's encoding/json rules
 * (sorted keys, HTML-safe escaping) where a byte-exact match with Go tools
 * matters, e.g. for kustomize's name hashes.  Thread-safe.
 */
#ifndef GA_JSON_H
#define GA_JSON_H

#include <stddef.h>

#include "buf.h"
#include "common.h"
#include "node.h"

/** Emission flags for ga_json_emit(). */
enum {
	GA_JSON_COMPACT = 0,
	GA_JSON_INDENT = 1 << 0, /**< two-space indentation, one item a line */
	GA_JSON_SORT_KEYS = 1 << 1, /**< keys in bytewise order (Go maps) */
	GA_JSON_GO_ESCAPE = 1 << 2, /**< escape <, >, &, U+2028, U+2029 as Go */
};

/** Largest JSON text ga_json_parse() accepts by default (64 MiB). */
#define GA_JSON_MAX_BYTES ((size_t)64 << 20)

/**
 * Parse one JSON value from @len bytes at @data.  @name (a file name or
 * "response body") prefixes error messages.  On success *out is a new tree
 * the caller frees with ga_node_free().
 * Returns 0, GA_EINVALID (syntax, duplicate key, nesting deeper than 512),
 * GA_ELIMIT (larger than GA_JSON_MAX_BYTES) or GA_ENOMEM.
 */
GA_EXTERN int ga_json_parse(ga_node **out, const char *data, size_t len,
                            const char *name);

/**
 * Append @node as JSON to @out.  Floats print as Go's encoding/json prints
 * float64.  Returns 0, GA_EINVALID (NaN or infinity, which JSON cannot
 * express), GA_ENOMEM or GA_ELIMIT (the buffer's cap).
 */
GA_EXTERN int ga_json_emit(ga_buf *out, const ga_node *node, unsigned flags);

/**
 * Append @s as a quoted JSON string.  Invalid UTF-8 becomes U+FFFD, so the
 * result is always valid JSON.  Returns 0, GA_ENOMEM or GA_ELIMIT.
 */
GA_EXTERN int ga_json_quote(ga_buf *out, const char *s);

/** ga_json_quote() for @len bytes that may contain NUL. */
GA_EXTERN int ga_json_quoten(ga_buf *out, const char *s, size_t len,
                             unsigned flags);

#endif
