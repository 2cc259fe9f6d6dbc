/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The common case of emit.c without libyaml: a block-style document whose
 * scalars are short printable ASCII.  libyaml's emitter spends most of a
 * small build's output time on events, state and per-character analysis
 * that such documents never need; here the same text is written directly.
 *
 * What is written is exactly what libyaml writes for the event stream
 * emit.c produces (goyaml.v2's): indent 2, sequences in mappings not
 * indented, "- " followed inline by a nested collection, empty collections
 * in flow style, and scalar styles chosen by libyaml's analysis rules
 * (plain when allowed, else single-quoted; double-quoted when asked).
 * Anything outside that — non-ASCII or control characters, line breaks,
 * keys longer than a simple key, scalars with spaces that could reach the
 * 80-column fold — answers GA_YAML__SLOW, and the document goes through
 * libyaml instead.  The unit tests compare both writers.
 */
#include "yaml.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ga/error.h"
#include "ga/node.h"
#include "resolve.h"
#include "util/alloc.h"
#include "util/gofloat.h"

#define FAST_MAX_DEPTH 1000
#define SIMPLE_KEY_MAX 128 /* libyaml's longest implicit key */
#define BEST_WIDTH 80      /* libyaml's default line width */

enum style { PLAIN, SINGLE, DOUBLE };

struct fast {
	ga_buf *out;
	size_t col;
	bool keep_order; /* ga_yaml_emit_ordered(): no sorting, no width */
};

static void put(struct fast *f, const char *s, size_t len)
{
	ga_buf_put(f->out, s, len);
	f->col += len;
}

static void newline(struct fast *f)
{
	ga_buf_putc(f->out, '\n');
	f->col = 0;
}

static void spaces(struct fast *f, size_t n)
{
	static const char blanks[] = "                                ";

	while (n) {
		size_t k = n < sizeof(blanks) - 1 ? n : sizeof(blanks) - 1;

		put(f, blanks, k);
		n -= k;
	}
}

/*
 * libyaml's yaml_emitter_analyze_scalar for printable ASCII, reduced to
 * the one question it answers here: may @s be written plain in block
 * context?  Returns -1 for text this writer does not handle.
 */
static int block_plain_allowed(const char *s, size_t len)
{
	bool block_ind = false;

	if (len >= 3 && (memcmp(s, "---", 3) == 0 || memcmp(s, "...", 3) == 0))
		block_ind = true;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		/* The end of the value counts as whitespace. */
		bool next_ws = i + 1 == len || s[i + 1] == ' ';

		if ((unsigned char)c < 0x20 || (unsigned char)c > 0x7e)
			return -1;
		if (i == 0) {
			if (strchr("#,[]{}&*!|>'\"%@`", c) ||
			    ((c == '?' || c == ':' || c == '-') && next_ws))
				block_ind = true;
		} else if ((c == ':' && next_ws) ||
		           (c == '#' && s[i - 1] == ' ')) {
			block_ind = true;
		}
	}
	if (len && (s[0] == ' ' || s[len - 1] == ' '))
		return 0;
	return !block_ind;
}

/* Write @s in @style; false when libyaml's fold at BEST_WIDTH could apply
 * (@fold: the width is limited, as everywhere but the ordered writer). */
static bool write_scalar(struct fast *f, const char *s, size_t len,
                         enum style style, bool fold)
{
	size_t extra = 0;

	if (style != PLAIN) {
		for (size_t i = 0; i < len; i++)
			extra += style == SINGLE ? s[i] == '\''
			                         : s[i] == '"' || s[i] == '\\';
		extra += 2;
	}
	/* libyaml breaks a line at a space once past the width; a scalar
	 * that ends within it never reaches such a space. */
	if (fold && f->col + len + extra > BEST_WIDTH && memchr(s, ' ', len))
		return false;
	if (style == PLAIN) {
		put(f, s, len);
		return true;
	}
	put(f, style == SINGLE ? "'" : "\"", 1);
	for (size_t i = 0, from = 0; i <= len; i++) {
		bool esc =
		    i < len && (style == SINGLE ? s[i] == '\''
		                                : s[i] == '"' || s[i] == '\\');

		if (i < len && !esc)
			continue;
		put(f, s + from, i - from);
		if (esc)
			put(f, style == SINGLE ? "'" : "\\", 1);
		from = i;
	}
	put(f, style == SINGLE ? "'" : "\"", 1);
	return true;
}

/*
 * Multi-line text in literal style, with libyaml's header ("|", an
 * indentation digit when the text starts with a blank or a break, "-" to
 * strip or "+" to keep trailing breaks) and body (lines at @indent, empty
 * lines left empty).  libyaml falls back to double quotes when a space
 * ends the text or precedes a break; so does this writer, to libyaml.
 */
static int fast_literal(struct fast *f, const char *s, size_t len,
                        size_t indent)
{
	char head[4] = "|";
	size_t h = 1;
	bool at_break = true;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\n') ||
		    (unsigned char)s[i] > 0x7e ||
		    (s[i] == ' ' && (i + 1 == len || s[i + 1] == '\n')))
			return GA_YAML__SLOW;
	if (s[0] == ' ' || s[0] == '\n')
		head[h++] = '2';
	if (s[len - 1] != '\n')
		head[h++] = '-';
	else if (len == 1 || s[len - 2] == '\n')
		head[h++] = '+';
	put(f, " ", 1);
	put(f, head, h);
	newline(f);
	for (size_t i = 0, from = 0; i < len; i = from) {
		const char *nl = memchr(s + i, '\n', len - i);

		from = nl ? (size_t)(nl - s) + 1 : len;
		if (s[i] != '\n') {
			if (at_break)
				spaces(f, indent);
			put(f, s + i, from - i - (nl != NULL));
		}
		if (nl)
			newline(f);
		at_break = nl != NULL;
	}
	return 0;
}

/* A string as emit.c's emit_string() asks for it: literal when it spans
 * lines, plain when goyaml.v2 would read it back as the same string,
 * double-quoted otherwise.  @indent: where a literal's lines go. */
static int fast_string(struct fast *f, const char *s, size_t len, bool key,
                       size_t indent)
{
	int plain;
	enum style style;

	if (!key && memchr(s, '\n', len))
		return fast_literal(f, s, len, indent);
	plain = block_plain_allowed(s, len);
	if (plain < 0 || (key && len > SIMPLE_KEY_MAX))
		return GA_YAML__SLOW;
	if (!ga_yaml__v2_plain_is_string(s, len))
		style = DOUBLE;
	else if (!len)
		return GA_YAML__SLOW; /* libyaml's empty-plain special cases */
	else
		style = plain ? PLAIN : SINGLE;
	if (!key)
		put(f, " ", 1);
	return write_scalar(f, s, len, style, !key && !f->keep_order)
	           ? 0
	           : GA_YAML__SLOW;
}

/* A scalar value after "key:" or "-" of a collection at @indent. */
static int fast_scalar(struct fast *f, const ga_node *n, size_t indent)
{
	char text[64];
	size_t len;

	if (ga_node_type_of(n) == GA_NODE_STRING)
		return fast_string(f, ga_node_str(n), ga_node_str_len(n), false,
		                   indent + 2);
	put(f, " ", 1);
	switch (ga_node_type_of(n)) {
	case GA_NODE_NULL:
		put(f, "null", 4);
		return 0;
	case GA_NODE_BOOL:
		if (ga_node_bool(n))
			put(f, "true", 4);
		else
			put(f, "false", 5);
		return 0;
	case GA_NODE_FLOAT:
		if (ga_fmt_float_kustomize(text, sizeof(text),
		                           ga_node_float(n)) < 0)
			return GA_YAML__SLOW;
		break;
	case GA_NODE_INT:
		if (ga_node_is_uint(n))
			snprintf(text, sizeof(text), "%" PRIu64,
			         ga_node_uint(n));
		else
			snprintf(text, sizeof(text), "%" PRId64,
			         ga_node_int(n));
		break;
	default: /* collections are written by fast_value() */
		return GA_YAML__SLOW;
	}
	len = strlen(text);
	return block_plain_allowed(text, len) == 1 &&
	               write_scalar(f, text, len, PLAIN, !f->keep_order)
	           ? 0
	           : GA_YAML__SLOW;
}

static int fast_block(struct fast *f, const ga_node *n, size_t indent,
                      bool inline_first, unsigned depth);

/* What follows "key:" or "-": a scalar, an empty collection in flow
 * style, or a block collection (@inline: starting on the same line). */
static int fast_value(struct fast *f, const ga_node *v, size_t indent,
                      bool inline_block, unsigned depth)
{
	ga_node_type t = ga_node_type_of(v);

	if (t != GA_NODE_MAP && t != GA_NODE_LIST) {
		if (fast_scalar(f, v, indent))
			return GA_YAML__SLOW;
		if (f->col) /* a literal ends its own last line */
			newline(f);
		return 0;
	}
	if (!ga_node_count(v)) {
		put(f, t == GA_NODE_MAP ? " {}" : " []", 3);
		newline(f);
		return 0;
	}
	if (inline_block) {
		put(f, " ", 1);
		return fast_block(f, v, indent + 2, true, depth + 1);
	}
	newline(f);
	/* A sequence in a mapping is not indented (goyaml.v2, libyaml). */
	return fast_block(f, v, t == GA_NODE_MAP ? indent + 2 : indent, false,
	                  depth + 1);
}

static int fast_map(struct fast *f, const ga_node *n, size_t indent,
                    bool inline_first, unsigned depth)
{
	size_t count = ga_node_count(n);
	struct ga_yaml__key *keys = ga_calloc(count, 2 * sizeof(*keys));
	int err = 0;

	if (!keys)
		return GA_ENOMEM;
	for (size_t i = 0; i < count; i++) {
		keys[i].key = ga_node_map_key(n, i, &keys[i].len);
		keys[i].index = i;
	}
	if (!f->keep_order)
		ga_yaml__sort_keys(keys, keys + count, count);
	for (size_t i = 0; !err && i < count; i++) {
		if (i || !inline_first)
			spaces(f, indent);
		if ((err = fast_string(f, keys[i].key, keys[i].len, true, 0)))
			break;
		put(f, ":", 1);
		err = fast_value(f, ga_node_map_value(n, keys[i].index), indent,
		                 false, depth);
	}
	ga_free(keys);
	return err;
}

static int fast_block(struct fast *f, const ga_node *n, size_t indent,
                      bool inline_first, unsigned depth)
{
	int err = 0;

	if (depth > FAST_MAX_DEPTH)
		return GA_YAML__SLOW; /* libyaml's path reports it */
	if (ga_node_type_of(n) == GA_NODE_MAP)
		return fast_map(f, n, indent, inline_first, depth);
	for (size_t i = 0; !err && i < ga_node_count(n); i++) {
		if (i || !inline_first)
			spaces(f, indent);
		put(f, "-", 1);
		err =
		    fast_value(f, ga_node_list_get(n, i), indent, true, depth);
	}
	return err;
}

int ga_yaml__emit_fast(ga_buf *out, const ga_node *doc, bool keep_order)
{
	struct fast f = {.out = out, .keep_order = keep_order};
	ga_node_type t = ga_node_type_of(doc);
	size_t start = out->size;
	int err;

	if ((t != GA_NODE_MAP && t != GA_NODE_LIST) || !ga_node_count(doc))
		return GA_YAML__SLOW;
	err = fast_block(&f, doc, 0, false, 0);
	if (!err && out->err)
		err = out->err;
	if (err)
		ga_buf_truncate(out, start);
	return err;
}
