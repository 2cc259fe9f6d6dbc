/* SPDX-License-Identifier: Apache-2.0 */
/*
 * YAML streams to and from the node model (ga/node.h), byte-compatible with
 * kubectl kustomize (kustomize v5.5.0).  Parsing resolves plain scalars as
 * kustomize does (YAML 1.2 core schema plus Go's integer and timestamp
 * rules: `yes` stays a string, `0755` is 493, an unquoted date becomes an
 * RFC 3339 string), expands aliases and merge keys, and rejects duplicate
 * or non-string keys.  Emission prints what kubectl kustomize prints: keys
 * in goyaml's natural order, YAML 1.1-ambiguous strings quoted, literal
 * blocks for multi-line strings, 80-column folding.  Every parse error names
 * the source, line and column.  Hostile input is bounded by ga_yaml_limits.
 * Thread-safe.
 */
#ifndef GA_YAML_H
#define GA_YAML_H

#include <stddef.h>

#include "buf.h"
#include "common.h"
#include "node.h"

/** Parse flags. */
enum {
	/**
	 * Read the stream the way kustomize reads a resource file (kyaml's
	 * ByteReader): CRLF line ends become LF first; documents are split
	 * at lines starting with "---" before YAML parsing (text after
	 * "---" other than a comment is an error); only the first document
	 * of each piece counts; empty documents are dropped.
	 */
	GA_YAML_RESOURCES = 1 << 0,
	/**
	 * Let a repeated map key replace the earlier value, as goyaml.v2
	 * does where kustomize reads its own kustomization files; by default
	 * a repeated key is an error, as in goyaml.v3 (resources).
	 */
	GA_YAML_LAST_KEY_WINS = 1 << 1,
	/**
	 * Resolve plain scalars by goyaml.v2's YAML 1.1 rules, as kustomize
	 * reads its kustomization files: "yes", "on", "y" are booleans, so a
	 * field that wants a string refuses them unless they are quoted.
	 */
	GA_YAML_V2_SCALARS = 1 << 2,
	/**
	 * A bool or integer mapping key becomes its text ("true", "false",
	 * "10"), as sigs.k8s.io/yaml turns goyaml.v2's keys into JSON object
	 * keys for kustomization files; other keys that are not strings are
	 * still refused.
	 */
	GA_YAML_TEXT_KEYS = 1 << 3,
};

/** Parse options: bounds against hostile input and flags. */
typedef struct ga_yaml_opts {
	size_t max_bytes; /**< input size */
	size_t max_depth; /**< nesting of maps and lists */
	size_t max_nodes; /**< nodes in the stream, alias copies included */
	unsigned flags;   /**< GA_YAML_* */
} ga_yaml_opts;

#define GA_YAML_MAX_BYTES ((size_t)32 << 20)
#define GA_YAML_MAX_DEPTH 256
#define GA_YAML_MAX_NODES 1000000
#define GA_YAML_OPTS_INIT                                                      \
	{                                                                      \
		GA_YAML_MAX_BYTES, GA_YAML_MAX_DEPTH, GA_YAML_MAX_NODES, 0     \
	}

/**
 * Parse the YAML stream of @len bytes at @data.  On success *out is a new
 * GA_NODE_LIST with one item per document (an empty document is a null
 * node).  @name names the source in error messages ("dist/base/x.yaml").
 * @opts may be NULL for the defaults.
 * Returns 0, GA_EINVALID (syntax, duplicate or non-string key, bad tagged
 * value), GA_ELIMIT (a limit was exceeded) or GA_ENOMEM.
 */
GA_EXTERN int ga_yaml_parse(ga_node **out, const char *data, size_t len,
                            const char *name, const ga_yaml_opts *opts);

/**
 * Append one document to @out exactly as kubectl kustomize prints an object
 * (no "---" marker; ends with a newline).
 * Returns 0, GA_EINVALID (NaN or infinite float, which kustomize cannot
 * serialise either), GA_ENOMEM or GA_ELIMIT (the buffer's cap).
 */
GA_EXTERN int ga_yaml_emit(ga_buf *out, const ga_node *doc);

/**
 * Append @doc as kustomize's own YAML encoder (kyaml, goyaml.v3) writes a
 * value it marshals itself, such as the text of its origin annotations:
 * keys in the map's own order and long lines not folded; scalars styled
 * as ga_yaml_emit() styles them, but strings as they are: no JSON round
 * trip turns DEL, C1 controls or U+FFFE into something else or fails on
 * them (they are escaped, "\x7F", "\N").  Returns as ga_yaml_emit().
 */
GA_EXTERN int ga_yaml_emit_ordered(ga_buf *out, const ga_node *doc);

/**
 * Append every item of the list @docs as a document, separated by "---\n"
 * as kubectl kustomize joins objects.  Null items are skipped.
 * Returns as ga_yaml_emit().
 */
GA_EXTERN int ga_yaml_emit_stream(ga_buf *out, const ga_node *docs);

#endif
