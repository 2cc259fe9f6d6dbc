/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scalar semantics for the YAML front end, the way kubectl kustomize
 * (v5.5.0) sees scalars: on input, goyaml.v3 resolves plain and tagged
 * scalars to null, bool, int, float, timestamp or string; on output,
 * goyaml.v2's YAML 1.1 resolver decides whether a string may be written
 * plain or needs quotes.  Pure functions on byte strings: no allocation
 * (except into the caller's ga_buf for !!binary), no global state;
 * thread-safe.  Resolving tries several readings in turn and swallows the
 * failures of those that do not apply, so, as the error contract asks of
 * whoever swallows an error, these functions may clear the calling
 * thread's last error even when they succeed.
 */
#ifndef GA_YAML_RESOLVE_H
#define GA_YAML_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ga/buf.h"
#include "ga/node.h"

typedef enum ga_yaml_scalar_kind {
	GA_YSCALAR_NULL = 0,
	GA_YSCALAR_BOOL,      /* value in b */
	GA_YSCALAR_INT,       /* value in i; goyaml's int/int64 */
	GA_YSCALAR_UINT,      /* value in u; only above INT64_MAX */
	GA_YSCALAR_FLOAT,     /* value in f; may be NaN or infinite */
	GA_YSCALAR_STRING,    /* the scalar's own text */
	GA_YSCALAR_TIMESTAMP, /* value in ts */
	GA_YSCALAR_BINARY,    /* !!binary: decode with ga_yaml__decode_binary */
} ga_yaml_scalar_kind;

/* Longest ts text: "2001-12-14T21:59:43.123456789+01:00" plus NUL. */
#define GA_YAML_TS_MAX 40

typedef struct ga_yaml_scalar {
	ga_yaml_scalar_kind kind;
	bool b;
	int64_t i;
	uint64_t u;
	double f;
	/*
	 * TIMESTAMP: the value as Go's time.Time MarshalJSON prints it (RFC
	 * 3339 with nanoseconds, trailing zeros trimmed, "Z" for a zero
	 * offset), which is the string kustomize outputs in its place.
	 */
	char ts[GA_YAML_TS_MAX];
} ga_yaml_scalar;

/**
 * The node for the resolved scalar @sc whose source text is @text (@len
 * bytes): strings and binaries keep @text, timestamps become their JSON
 * text; other values keep @text as their source text where it is not how
 * they print (ga_node_source_text()).  Returns 0 or GA_ENOMEM.
 */
int ga_yaml__scalar_node(ga_node **out, const ga_yaml_scalar *sc,
                         const char *text, size_t len);

/**
 * Resolve a plain (unquoted, untagged or "!"-tagged) scalar of @len bytes
 * at @s as goyaml.v3 does: null ("", ~, null, Null, NULL), bool (true,
 * True, TRUE, false, False, FALSE only), timestamp (4 digits and '-', then
 * one of Go's layouts 2006-1-2T15:4:5.999999999Z07:00, the same with 't',
 * "2006-1-2 15:4:5.999999999" and 2006-1-2), int and uint (Go ParseInt and
 * ParseUint base 0 after deleting every '_', then the 0b/-0b/0o/-0o
 * fallbacks, so "0o-5" is -5), float (the YAML float pattern, then
 * ParseFloat; ".5"-style text through ParseFloat directly; .inf/.nan
 * spellings), else string.  Floats that overflow stay strings.  *out is
 * written only on success.
 *
 * Returns 0, or GA_EINVALID for a timestamp whose zone offset is 24 hours
 * or more ("+24:00", "+23:60"), which Go parses but its MarshalJSON
 * refuses, failing the kustomize build.
 */
int ga_yaml__resolve_plain(ga_yaml_scalar *out, const char *s, size_t len);

/**
 * Resolve the plain scalar @s as goyaml.v2 resolves it when decoding into
 * interface{} (sigs.k8s.io/yaml, which kustomize uses for kustomization
 * files): YAML 1.1 words, y/yes/n/no/on/off in their three spellings, are
 * booleans, and timestamp-like text stays a string.  Returns 0.
 */
int ga_yaml__resolve_plain_v2(ga_yaml_scalar *out, const char *s, size_t len);

/**
 * Resolve a scalar carrying the explicit @tag, short ("!!int") or long
 * ("tag:yaml.org,2002:int") form, as goyaml.v3 does.  NULL, "" and the
 * non-specific "!" mean "no tag": plain resolution (call this only for
 * plain scalars then; a quoted scalar without a specific tag is a string).
 * !!str yields STRING and !!binary BINARY for any text; a tag goyaml cannot
 * resolve (!!map, !!merge, !foo, ...) yields STRING.  For !!null, !!bool,
 * !!int, !!float and !!timestamp the text is resolved as in
 * ga_yaml__resolve_plain() (timestamps only for !!timestamp) and must
 * match the tag, except that an int (not a uint) is accepted as !!float.
 * *out is written only on success.
 *
 * Returns 0 or GA_EINVALID, with goyaml's message, e.g. "cannot decode
 * !!str `abc` as a !!int", or the timestamp offset error described above.
 */
int ga_yaml__resolve_tagged(ga_yaml_scalar *out, const char *tag, const char *s,
                            size_t len);

/**
 * Whether goyaml.v2, and so kubectl kustomize's output stage, would write
 * the string @s of @len bytes as a plain scalar: true when v2's YAML 1.1
 * resolver reads the text back as a !!str and it is not a base-60 float.
 * False for "", y/yes/n/no/on/off/true/false in their three spellings,
 * ~/null, .inf/.nan spellings, text starting with a digit or sign that
 * parses as timestamp, int, float or 0b binary, text starting with '.'
 * that Go ParseFloat accepts, and base-60 floats ("1:20").  Only the first
 * byte's class (+-0-9yYnNtTfFoO~.) lets text be non-string, so "<<" is
 * plain.  The emitter may still quote a true string for syntax reasons.
 */
bool ga_yaml__v2_plain_is_string(const char *s, size_t len);

/**
 * Decode the !!binary text of @len bytes at @s with Go's
 * base64.StdEncoding (padding required, '\r' and '\n' ignored, anything
 * else refused) and append the bytes to @out.  On failure @out holds
 * whatever was appended before.  Returns 0, GA_EINVALID ("!!binary value
 * contains invalid base64 data"), GA_ENOMEM or GA_ELIMIT (from @out).
 */
int ga_yaml__decode_binary(ga_buf *out, const char *s, size_t len);

#endif
