/* SPDX-License-Identifier: Apache-2.0 */
/*
 * YAML stream → node tree, over libyaml's event parser.  What comes out is
 * what kubectl kustomize (kustomize v5.5.0, goyaml.v3 decoding into Go
 * interface values) would see: plain scalars resolved by resolve.c, quoted
 * and block scalars as strings, !!binary decoded, aliases expanded into
 * copies, merge keys (<<) applied with explicit keys winning, and duplicate
 * or non-string keys refused with goyaml.v3's wording.
 *
 * The tree is built with an explicit stack, never by recursion, so nesting
 * depth costs heap, not C stack; it is capped all the same, as are the input
 * size and the number of nodes (alias copies included), which is what stops
 * "billion laughs" documents before they allocate.
 */
#include "yaml.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "resolve.h"
#include "util/alloc.h"

struct frame {
	ga_node *node;     /* map or list under construction */
	ga_node *key;      /* pending map key (a string node) or NULL */
	bool key_is_merge; /* the pending key is a plain "<<" */
	ga_node *merges;   /* list of maps to merge in at the end, or NULL */
	char *anchor;      /* anchor to register when the node completes */
	bool flow;         /* written in flow style: {a: 1} or [a] */
	size_t nodes_at_start;
};

struct anchor {
	char *name;
	ga_node *node; /* the table's own copy of the anchored node */
	size_t size;   /* nodes in the anchored subtree */
};

struct builder {
	const char *name;
	ga_yaml_opts lim;
	size_t line0; /* lines before the piece being parsed (kyaml split) */
	size_t nodes;
	struct frame *stack;
	size_t depth, cap;
	struct anchor *anchors;
	size_t nanchors, acap;
	ga_node *root; /* the current document's root once complete */
	bool have_root;
};

static int fail_at(struct builder *b, const yaml_mark_t *m, int code,
                   const char *what)
{
	ga_error_set(GA_ERRCLASS_YAML, "%s: line %zu column %zu: %s", b->name,
	             b->line0 + m->line + 1, m->column + 1, what);
	return code;
}

static int count_node(struct builder *b, const yaml_mark_t *m, size_t n)
{
	char msg[128];

	if (n > b->lim.max_nodes || b->nodes > b->lim.max_nodes - n) {
		snprintf(msg, sizeof(msg),
		         "document has more than %zu nodes (aliases "
		         "included)",
		         b->lim.max_nodes);
		return fail_at(b, m, GA_ELIMIT, msg);
	}
	b->nodes += n;
	return 0;
}

static void anchors_clear(struct builder *b)
{
	for (size_t i = 0; i < b->nanchors; i++) {
		ga_free(b->anchors[i].name);
		ga_node_free(b->anchors[i].node);
	}
	b->nanchors = 0;
}

/*
 * Register @name for a copy of @node.  The table owns its copies, so an
 * alias stays valid whatever later happens to the original (a merge source
 * is consumed, a key is turned into a string).  The copy counts against
 * the node limit like any other.
 */
static int anchor_add(struct builder *b, const char *name, const ga_node *node,
                      size_t size, const yaml_mark_t *m)
{
	struct anchor *slot = NULL;
	ga_node *copy = NULL;
	int err;

	if ((err = count_node(b, m, size)) < 0 ||
	    (err = ga_node_clone(&copy, node)) < 0)
		return err;
	/* A redefined anchor shadows the earlier one (YAML 1.2 3.2.2.2). */
	for (size_t i = 0; i < b->nanchors && !slot; i++)
		if (strcmp(b->anchors[i].name, name) == 0)
			slot = &b->anchors[i];
	if (slot) {
		ga_node_free(slot->node);
	} else {
		if (b->nanchors == b->acap) {
			size_t ncap = b->acap ? b->acap * 2 : 8;
			struct anchor *a =
			    ga_reallocarray(b->anchors, ncap, sizeof(*a));
			if (!a) {
				ga_node_free(copy);
				return GA_ENOMEM;
			}
			b->anchors = a;
			b->acap = ncap;
		}
		slot = &b->anchors[b->nanchors];
		if (!(slot->name = ga_strdup(name))) {
			ga_node_free(copy);
			return GA_ENOMEM;
		}
		b->nanchors++;
	}
	slot->node = copy;
	slot->size = size;
	return 0;
}

static const struct anchor *anchor_find(const struct builder *b,
                                        const char *name)
{
	for (size_t i = 0; i < b->nanchors; i++)
		if (strcmp(b->anchors[i].name, name) == 0)
			return &b->anchors[i];
	return NULL;
}

static void frame_dispose(struct frame *f)
{
	ga_node_free(f->node);
	ga_node_free(f->key);
	ga_node_free(f->merges);
	ga_free(f->anchor);
	memset(f, 0, sizeof(*f));
}

/* The node for a scalar event, typed as goyaml.v3 would type it. */
static int make_scalar(struct builder *b, const yaml_event_t *ev, ga_node **out)
{
	const char *tag = (const char *)ev->data.scalar.tag;
	const char *text = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	ga_buf bin = GA_BUF_INIT(b->lim.max_bytes);
	ga_yaml_scalar sc = {.kind = GA_YSCALAR_STRING};
	int err = 0;

	/* "!" is the non-specific tag: resolution then follows the style. */
	if (tag && strcmp(tag, "!") == 0)
		tag = NULL;
	/* kustomize's round trip writes an absent value inside a flow
	 * collection ({a: }, {a, b}) back as "", not null. */
	if (!tag && len == 0 && b->depth && b->stack[b->depth - 1].flow)
		return ga_node_new_string(out, "", 0);
	if (tag)
		err = ga_yaml__resolve_tagged(&sc, tag, text, len);
	else if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	         (b->lim.flags & GA_YAML_V2_SCALARS))
		err = ga_yaml__resolve_plain_v2(&sc, text, len);
	else if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
		err = ga_yaml__resolve_plain(&sc, text, len);
	if (!err && sc.kind == GA_YSCALAR_BINARY &&
	    !(err = ga_yaml__decode_binary(&bin, text, len))) {
		err = ga_node_new_string(out, ga_buf_cstr(&bin), bin.size);
		goto out;
	}
	if (err < 0) {
		if (err == GA_EINVALID)
			ga_error_prefix("%s: line %zu column %zu", b->name,
			                b->line0 + ev->start_mark.line + 1,
			                ev->start_mark.column + 1);
		goto out;
	}
	if (sc.kind == GA_YSCALAR_STRING &&
	    ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE &&
	    !(b->lim.flags & GA_YAML__NO_REFOLD))
		err = ga_yaml__refold(out, text, len);
	else
		err = ga_yaml__scalar_node(out, &sc, text, len);
out:
	ga_buf_dispose(&bin);
	return err;
}

/* Quote a key for an error message, shortened to keep messages readable. */
static void key_for_msg(char *buf, size_t cap, const char *key, size_t len)
{
	snprintf(buf, cap, "\"%.*s%s\"", (int)(len > 64 ? 64 : len), key,
	         len > 64 ? "..." : "");
}

static int dup_key_error(struct builder *b, const struct frame *f,
                         const ga_node *key)
{
	size_t klen = ga_node_str_len(key), n = ga_node_count(f->node);
	uint32_t line = 0, col = 0;
	char k[96];

	for (size_t i = 0; i < n; i++) {
		size_t len;
		const char *s = ga_node_map_key(f->node, i, &len);
		if (len == klen && memcmp(s, ga_node_str(key), len) == 0)
			ga_node_map_key_pos(f->node, i, &line, &col);
	}
	key_for_msg(k, sizeof(k), ga_node_str(key), klen);
	ga_error_set(GA_ERRCLASS_YAML,
	             "%s: line %u: mapping key %s already defined at line %u",
	             b->name, ga_node_line(key), k, line);
	return GA_EINVALID;
}

/* Add the pending key of @f with @value (taken). */
static int map_add(struct builder *b, struct frame *f, ga_node *value,
                   const yaml_mark_t *m)
{
	ga_node *key = f->key;
	size_t n = ga_node_count(f->node);
	int err;

	f->key = NULL;
	if (f->key_is_merge) {
		f->key_is_merge = false;
		ga_node_free(key);
		if (!f->merges && (err = ga_node_new_list(&f->merges)) < 0) {
			ga_node_free(value);
			return err;
		}
		if (ga_node_type_of(value) == GA_NODE_MAP)
			return ga_node_list_append_take(f->merges, value);
		for (size_t i = 0; ga_node_type_of(value) == GA_NODE_LIST &&
		                   i < ga_node_count(value);
		     i++) {
			if (ga_node_type_of(ga_node_list_get(value, i)) !=
			    GA_NODE_MAP)
				break;
			if (i + 1 == ga_node_count(value))
				return ga_node_list_append_take(f->merges,
				                                value);
		}
		ga_node_free(value);
		return fail_at(b, m, GA_EINVALID,
		               "map merge requires map or sequence of maps as "
		               "the value");
	}
	/* A "<<" key that is not a plain merge key (quoted, or tagged !!str)
	 * vanishes with its value in kustomize's round trip. */
	if (ga_node_str_len(key) == 2 &&
	    memcmp(ga_node_str(key), "<<", 2) == 0) {
		ga_node_free(key);
		ga_node_free(value);
		return 0;
	}
	if (b->lim.flags & GA_YAML_LAST_KEY_WINS)
		err = ga_node_map_setn_take(f->node, ga_node_str(key),
		                            ga_node_str_len(key), value);
	else
		err = ga_node_map_addn_take(f->node, ga_node_str(key),
		                            ga_node_str_len(key), value);
	if (err == GA_EEXISTS)
		err = dup_key_error(b, f, key);
	else if (!err)
		ga_node_map_set_key_pos(f->node, n, ga_node_line(key),
		                        ga_node_col(key));
	ga_node_free(key);
	return err;
}

/* Merge keys: fill in what the map does not define itself; the first of
 * several merged maps wins (YAML merge spec, goyaml.v3). */
static int apply_merges(struct frame *f)
{
	for (size_t m = 0; f->merges && m < ga_node_count(f->merges); m++) {
		const ga_node *src = ga_node_list_get(f->merges, m);
		const ga_node *maps = src;
		size_t nmaps = 1;

		if (ga_node_type_of(src) == GA_NODE_LIST)
			nmaps = ga_node_count(src);
		for (size_t j = 0; j < nmaps; j++) {
			if (ga_node_type_of(src) == GA_NODE_LIST)
				maps = ga_node_list_get(src, j);
			for (size_t i = 0; i < ga_node_count(maps); i++) {
				size_t len;
				const char *k = ga_node_map_key(maps, i, &len);
				ga_node *copy = NULL;
				int err;

				if (ga_node_map_getn(f->node, k, len))
					continue;
				if ((err = ga_node_clone(
				         &copy, ga_node_map_value(maps, i))) <
				        0 ||
				    (err = ga_node_map_addn_take(
				         f->node, k, len, copy)) < 0)
					return err;
			}
		}
	}
	return 0;
}

/*
 * sigs.k8s.io/yaml makes goyaml.v2's map keys JSON object keys: a bool
 * key becomes "true" or "false", an integer its decimal text.  Replace
 * such a key *@node by that string; leave any other node alone.
 */
static int text_key(ga_node **node)
{
	char text[32];
	ga_node *s = NULL;
	int err;

	switch (ga_node_type_of(*node)) {
	case GA_NODE_BOOL:
		snprintf(text, sizeof(text), "%s",
		         ga_node_bool(*node) ? "true" : "false");
		break;
	case GA_NODE_INT:
		if (ga_node_is_uint(*node))
			snprintf(text, sizeof(text), "%" PRIu64,
			         ga_node_uint(*node));
		else
			snprintf(text, sizeof(text), "%" PRId64,
			         ga_node_int(*node));
		break;
	default:
		return 0;
	}
	if ((err = ga_node_new_string(&s, text, strlen(text))) < 0) {
		ga_node_free(*node);
		*node = NULL;
		return err;
	}
	ga_node_set_pos(s, ga_node_line(*node), ga_node_col(*node));
	ga_node_free(*node);
	*node = s;
	return 0;
}

/*
 * Place a finished node: as the document root, a list item, a pending map
 * key or a map value.  Takes @node.  @anchor (borrowed) is registered first.
 */
static int attach(struct builder *b, ga_node *node, const char *anchor,
                  size_t size, const yaml_mark_t *m, bool plain_merge)
{
	struct frame *f = b->depth ? &b->stack[b->depth - 1] : NULL;
	int err;

	if (f && ga_node_type_of(f->node) == GA_NODE_MAP && !f->key) {
		char msg[160];

		if (plain_merge) {
			f->key_is_merge = true;
		} else if ((b->lim.flags & GA_YAML_TEXT_KEYS) &&
		           (err = text_key(&node)) < 0) {
			return err;
		}
		if (!plain_merge && ga_node_type_of(node) != GA_NODE_STRING) {
			if (ga_node_is_scalar(node))
				snprintf(
				    msg, sizeof(msg),
				    "mapping key of type %s is not a "
				    "string",
				    ga_node_type_name(ga_node_type_of(node)));
			else
				snprintf(
				    msg, sizeof(msg), "invalid map key: a %s",
				    ga_node_type_name(ga_node_type_of(node)));
			ga_node_free(node);
			return fail_at(b, m, GA_EINVALID, msg);
		}
	}
	if (anchor && (err = anchor_add(b, anchor, node, size, m)) < 0) {
		ga_node_free(node);
		return err;
	}
	if (f && ga_node_type_of(f->node) == GA_NODE_MAP && !f->key) {
		f->key = node;
		return 0;
	}
	if (!f) {
		b->root = node;
		b->have_root = true;
		return 0;
	}
	if (ga_node_type_of(f->node) == GA_NODE_LIST)
		return ga_node_list_append_take(f->node, node);
	return map_add(b, f, node, m);
}

static int libyaml_error(const struct builder *b, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "syntax error";

	if (p->error == YAML_MEMORY_ERROR) {
		ga_error_set_oom();
		return GA_ENOMEM;
	}
	if (p->error == YAML_READER_ERROR) {
		ga_error_set(GA_ERRCLASS_YAML, "%s: byte %zu: %s (0x%02x)",
		             b->name, p->problem_offset, problem,
		             (unsigned)p->problem_value & 0xffu);
	} else if (p->context) {
		ga_error_set(GA_ERRCLASS_YAML,
		             "%s: line %zu column %zu: %s %s (line %zu "
		             "column %zu)",
		             b->name, b->line0 + p->problem_mark.line + 1,
		             p->problem_mark.column + 1, problem, p->context,
		             b->line0 + p->context_mark.line + 1,
		             p->context_mark.column + 1);
	} else {
		ga_error_set(GA_ERRCLASS_YAML, "%s: line %zu column %zu: %s",
		             b->name, b->line0 + p->problem_mark.line + 1,
		             p->problem_mark.column + 1, problem);
	}
	return GA_EINVALID;
}

static bool at_key_position(const struct builder *b)
{
	const struct frame *f = b->depth ? &b->stack[b->depth - 1] : NULL;

	return f && ga_node_type_of(f->node) == GA_NODE_MAP && !f->key;
}

static int on_scalar(struct builder *b, const yaml_event_t *ev)
{
	const char *anchor = (const char *)ev->data.scalar.anchor;
	bool merge = at_key_position(b) && !ev->data.scalar.tag &&
	             ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	             ev->data.scalar.length == 2 &&
	             memcmp(ev->data.scalar.value, "<<", 2) == 0;
	ga_node *node = NULL;
	int err;

	if ((err = count_node(b, &ev->start_mark, 1)) < 0 ||
	    (err = make_scalar(b, ev, &node)) < 0)
		return err;
	ga_node_set_pos(node, (uint32_t)(b->line0 + ev->start_mark.line + 1),
	                (uint32_t)ev->start_mark.column + 1);
	return attach(b, node, anchor, 1, &ev->start_mark, merge);
}

static int on_collection_start(struct builder *b, const yaml_event_t *ev)
{
	bool is_map = ev->type == YAML_MAPPING_START_EVENT;
	const yaml_char_t *anchor = is_map ? ev->data.mapping_start.anchor
	                                   : ev->data.sequence_start.anchor;
	struct frame *f;
	char msg[96];
	int err;

	if (at_key_position(b))
		return fail_at(b, &ev->start_mark, GA_EINVALID,
		               is_map ? "invalid map key: a map"
		                      : "invalid map key: a list");
	if (b->depth >= b->lim.max_depth) {
		snprintf(msg, sizeof(msg), "nesting deeper than %zu levels",
		         b->lim.max_depth);
		return fail_at(b, &ev->start_mark, GA_ELIMIT, msg);
	}
	if ((err = count_node(b, &ev->start_mark, 1)) < 0)
		return err;
	if (b->depth == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 16;
		f = ga_reallocarray(b->stack, ncap, sizeof(*f));
		if (!f)
			return GA_ENOMEM;
		b->stack = f;
		b->cap = ncap;
	}
	f = &b->stack[b->depth];
	memset(f, 0, sizeof(*f));
	f->nodes_at_start = b->nodes - 1;
	err = is_map ? ga_node_new_map(&f->node) : ga_node_new_list(&f->node);
	if (err < 0)
		return err;
	b->depth++;
	ga_node_set_pos(f->node, (uint32_t)(b->line0 + ev->start_mark.line + 1),
	                (uint32_t)ev->start_mark.column + 1);
	f->flow =
	    is_map ? ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
	           : ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
	if (anchor && !(f->anchor = ga_strdup((const char *)anchor)))
		return GA_ENOMEM;
	return 0;
}

static int on_collection_end(struct builder *b, const yaml_event_t *ev)
{
	struct frame f;
	ga_node *node;
	int err;

	/* libyaml balances start and end events; this only guards it. */
	if (!b->depth || !b->stack)
		return fail_at(b, &ev->start_mark, GA_EINVALID,
		               "unbalanced collection end");
	f = b->stack[--b->depth];

	if ((err = apply_merges(&f)) < 0) {
		frame_dispose(&f);
		return err;
	}
	node = f.node;
	f.node = NULL;
	err = attach(b, node, f.anchor, b->nodes - f.nodes_at_start,
	             &ev->start_mark, false);
	frame_dispose(&f);
	return err;
}

static int on_alias(struct builder *b, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	const struct anchor *a = anchor_find(b, name);
	ga_node *copy = NULL;
	char msg[160];
	int err;

	if (!a) {
		snprintf(msg, sizeof(msg), "unknown anchor '%.64s' referenced",
		         name);
		return fail_at(b, &ev->start_mark, GA_EINVALID, msg);
	}
	/* Checked before copying: an alias bomb fails here, not in malloc. */
	if ((err = count_node(b, &ev->start_mark, a->size)) < 0 ||
	    (err = ga_node_clone(&copy, a->node)) < 0)
		return err;
	return attach(b, copy, NULL, a->size, &ev->start_mark, false);
}

static int on_document_end(struct builder *b, ga_node *docs)
{
	ga_node *root = b->root;
	int err;

	b->root = NULL;
	if (!b->have_root && (err = ga_node_new_null(&root)) < 0)
		return err;
	b->have_root = false;
	anchors_clear(b);
	return ga_node_list_append_take(docs, root);
}

static int on_event(struct builder *b, const yaml_event_t *ev, ga_node *docs)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return on_scalar(b, ev);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		return on_collection_start(b, ev);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return on_collection_end(b, ev);
	case YAML_ALIAS_EVENT:
		return on_alias(b, ev);
	case YAML_DOCUMENT_END_EVENT:
		return on_document_end(b, docs);
	default:
		return 0;
	}
}

static void builder_dispose(struct builder *b)
{
	while (b->depth)
		frame_dispose(&b->stack[--b->depth]);
	ga_free(b->stack);
	anchors_clear(b);
	ga_free(b->anchors);
	ga_node_free(b->root);
}

/*
 * Parse @len bytes into documents appended to @docs; with @first_only, stop
 * after the first document as kyaml's reader decodes one per piece.
 */
static int parse_piece(struct builder *b, const char *data, size_t len,
                       ga_node *docs, bool first_only)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	bool done = false;
	int err = 0;

	if (!yaml_parser_initialize(&parser)) {
		ga_error_set_oom();
		return GA_ENOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			err = libyaml_error(b, &parser);
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT ||
		       (first_only && ev.type == YAML_DOCUMENT_END_EVENT);
		err = on_event(b, &ev, docs);
		yaml_event_delete(&ev);
		if (err < 0)
			break;
	}
	yaml_parser_delete(&parser);
	return err;
}

/* Go's strings.ReplaceAll(s, "\r\n", "\n"). */
static int crlf_to_lf(ga_buf *out, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *cr = memchr(s + i, '\r', len - i);
		size_t at = cr ? (size_t)(cr - s) : len;

		ga_buf_put(out, s + i, at - i);
		if (at + 1 < len && s[at + 1] == '\n') {
			ga_buf_putc(out, '\n');
			i = at + 2;
		} else {
			if (at < len)
				ga_buf_putc(out, '\r');
			i = at + 1;
		}
	}
	return out->err;
}

/* Only a comment may follow "---" on a separator line. */
static int check_separator(struct builder *b, const char *rest, size_t len,
                           size_t line)
{
	size_t i = 0;

	while (i < len && (rest[i] == ' ' || rest[i] == '\t'))
		i++;
	if (i == len || rest[i] == '#')
		return 0;
	while (len > i && (rest[len - 1] == ' ' || rest[len - 1] == '\t'))
		len--;
	ga_error_set(GA_ERRCLASS_YAML,
	             "%s: line %zu: invalid document separator: ---%.*s",
	             b->name, line, (int)(len > 64 ? 64 : len), rest);
	return GA_EINVALID;
}

/* One piece of a resource file: its first document, unless empty. */
static int parse_document(struct builder *b, const char *s, size_t len,
                          size_t line0, ga_node *docs)
{
	size_t before = ga_node_count(docs);
	int err;

	b->line0 = line0;
	if ((err = parse_piece(b, s, len, docs, true)) < 0)
		return err;
	if (ga_node_count(docs) > before &&
	    ga_node_type_of(ga_node_list_get(docs, before)) == GA_NODE_NULL)
		ga_node_free(ga_node_list_remove(docs, before));
	return 0;
}

/*
 * kyaml's ByteReader: split at every "\n---...\n" line (the regular
 * expression `\n---.*\n`), refuse separators followed by anything but a
 * comment, give every piece but the last its newline back, and decode the
 * first document of each piece; empty documents are dropped.
 */
static int parse_resources(struct builder *b, const char *s, size_t len,
                           ga_node *docs)
{
	size_t prev = 0, i = 0, line = 0, prev_line = 0;
	int err;

	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t at = nl ? (size_t)(nl - s) : len, end;

		if (!nl || len - at < 5 || memcmp(s + at, "\n---", 4) != 0) {
			line += nl != NULL;
			i = at + 1;
			continue;
		}
		nl = memchr(s + at + 4, '\n', len - at - 4);
		if (!nl)
			break;
		end = (size_t)(nl - s) + 1;
		if ((err = check_separator(b, s + at + 4, end - at - 5,
		                           line + 2)) < 0 ||
		    (err = parse_document(b, s + prev, at - prev + 1, prev_line,
		                          docs)) < 0)
			return err;
		prev = end;
		line += 2;
		prev_line = line;
		i = end; /* the separator's newline cannot start the next */
	}
	return parse_document(b, s + prev, len - prev, prev_line, docs);
}

int ga_yaml_parse(ga_node **out, const char *data, size_t len, const char *name,
                  const ga_yaml_opts *opts)
{
	static const ga_yaml_opts defaults = GA_YAML_OPTS_INIT;
	struct builder b = {.name = name ? name : "<input>"};
	ga_buf lf = GA_BUF_INIT(len);
	ga_node *docs = NULL;
	int err;

	b.lim = opts ? *opts : defaults;
	if (len > b.lim.max_bytes) {
		ga_error_set(GA_ERRCLASS_YAML,
		             "%s: %zu bytes exceeds the limit of %zu bytes",
		             b.name, len, b.lim.max_bytes);
		return GA_ELIMIT;
	}
	if ((err = ga_node_new_list(&docs)) < 0)
		goto out;
	if (!(b.lim.flags & GA_YAML_RESOURCES))
		err = parse_piece(&b, data, len, docs, false);
	else if (!(err = crlf_to_lf(&lf, data, len)))
		err = parse_resources(&b, ga_buf_cstr(&lf), lf.size, docs);
	if (!err) {
		*out = docs;
		docs = NULL;
	}
out:
	ga_node_free(docs);
	ga_buf_dispose(&lf);
	builder_dispose(&b);
	return err;
}
