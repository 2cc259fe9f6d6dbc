/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal declarations shared by the YAML parser and emitter.
 */
#ifndef GA_YAML_YAML_H
#define GA_YAML_YAML_H

#include <stdbool.h>
#include <stddef.h>

#include "ga/buf.h"
#include "ga/yaml.h"

/* Internal parse flag: take folded scalars as parsed (no refold). */
#define GA_YAML__NO_REFOLD (1u << 30)

/* Natural key order of goyaml.v2's sorter (kustomize output order). */
int ga_yaml__key_compare(const char *a, size_t alen, const char *b,
                         size_t blen);

/* A map key to sort, with the index of its entry. */
struct ga_yaml__key {
	const char *key;
	size_t len;
	size_t index;
};

/*
 * Sort @n keys into kustomize's output order.  goyaml's order is not
 * transitive for some key sets ("key463" < "key4key369" < "key367" <
 * "key463"), where Go's sort, fed from a randomised map, gives kubectl a
 * different answer each run; we make the answer a function of the key set
 * alone by sorting bytewise first and then stably by the natural order.
 * @tmp has room for @n keys.
 */
void ga_yaml__sort_keys(struct ga_yaml__key *keys, struct ga_yaml__key *tmp,
                        size_t n);

/*
 * The string kustomize sees for a folded (>) block scalar whose parsed
 * value is @s: kyaml writes the scalar back in folded style and reads it
 * again, which is not lossless around more-indented lines and kept
 * trailing newlines.  Same emitter, same parser, same result.  *out is a
 * new string node.  Returns 0 or GA_ENOMEM.
 */
int ga_yaml__refold(ga_node **out, const char *s, size_t len);

/*
 * goyaml bug emulation (quirks.c).  Write @s as goyaml.v3 writes it as the
 * folded value of "k: >"; write @s, which starts with U+FEFF, as goyaml.v2
 * double-quotes it (every character escaped); drop the indentation libyaml
 * adds before the closing quote of a single-quoted value that ends with
 * U+2028 or U+2029, in the text of @out from @start on.
 */
void ga_yaml__write_folded_v3(ga_buf *out, const char *s, size_t len);
void ga_yaml__write_v2_bom_quoted(ga_buf *out, const char *s, size_t len);
void ga_yaml__fix_v2_single_quoted(ga_buf *out, size_t start);

/*
 * emit_fast.c: write @doc as emit.c would through libyaml, or answer
 * GA_YAML__SLOW (with nothing written) when the document needs libyaml's
 * full emitter.  Returns 0, GA_YAML__SLOW or a negative error.
 */
#define GA_YAML__SLOW 1
int ga_yaml__emit_fast(ga_buf *out, const ga_node *doc, bool keep_order);

/* ga_yaml_emit() through libyaml always (the tests' reference). */
int ga_yaml__emit_libyaml(ga_buf *out, const ga_node *doc);

#endif
