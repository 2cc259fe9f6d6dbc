/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The node tree.  Maps keep insertion order in an entry array (kustomize's
 * transformers and our error messages care about the order a user wrote);
 * maps above a few entries also get an open-addressing hash index so that
 * lookups and the YAML parser's duplicate-key check stay linear in the size
 * of hostile inputs.  The hash is seeded per process, so key sets cannot be
 * precomputed to collide.
 */
#include "node.h"

#include <math.h>
#include <string.h>
#include <sys/random.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "util/alloc.h"

static uint64_t hash_seed;

uint64_t ga_node__key_hash(const char *key, size_t len)
{
	uint64_t h;

	/* The seed is a process-wide constant once set; a race only makes two
	 * threads write the same kind of value before either uses a map. */
	if (!hash_seed) {
		uint64_t s = 0;
		if (getrandom(&s, sizeof(s), 0) != (ssize_t)sizeof(s))
			s = (uint64_t)(uintptr_t)&hash_seed;
		hash_seed = s | 1;
	}
	h = 0xcbf29ce484222325ull ^ hash_seed;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 0x100000001b3ull;
	}
	/* Finalise (murmur3 fmix64) so that all bits depend on the seed. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

static int new_node(ga_node **out, ga_node_type type)
{
	ga_node *n = ga_calloc(1, sizeof(*n));

	if (!n)
		return GA_ENOMEM;
	n->type = type;
	*out = n;
	return 0;
}

int ga_node__new_like(ga_node **out, const ga_node *node)
{
	int err = new_node(out, node->type);

	/* Scalars other than strings hold their whole value in the union;
	 * collections start empty. */
	if (!err && node->type != GA_NODE_MAP && node->type != GA_NODE_LIST &&
	    node->type != GA_NODE_STRING) {
		(*out)->v = node->v;
		(*out)->is_uint = node->is_uint;
	}
	return err;
}

int ga_node_new_null(ga_node **out)
{
	return new_node(out, GA_NODE_NULL);
}

int ga_node_new_map(ga_node **out)
{
	return new_node(out, GA_NODE_MAP);
}

int ga_node_new_list(ga_node **out)
{
	return new_node(out, GA_NODE_LIST);
}

int ga_node_new_bool(ga_node **out, bool value)
{
	int err = new_node(out, GA_NODE_BOOL);

	if (!err)
		(*out)->v.b = value;
	return err;
}

int ga_node_new_int(ga_node **out, int64_t value)
{
	int err = new_node(out, GA_NODE_INT);

	if (!err)
		(*out)->v.i = value;
	return err;
}

int ga_node_new_uint(ga_node **out, uint64_t value)
{
	int err;

	if (value <= INT64_MAX)
		return ga_node_new_int(out, (int64_t)value);
	if ((err = new_node(out, GA_NODE_INT)) < 0)
		return err;
	(*out)->v.u = value;
	(*out)->is_uint = true;
	return 0;
}

int ga_node_new_float(ga_node **out, double value)
{
	int err = new_node(out, GA_NODE_FLOAT);

	if (!err)
		(*out)->v.f = value;
	return err;
}

int ga_node_new_string(ga_node **out, const char *s, size_t len)
{
	ga_node *n = NULL;
	int err;

	if ((err = new_node(&n, GA_NODE_STRING)) < 0)
		return err;
	n->v.s.ptr = ga_strndup(s, len);
	if (!n->v.s.ptr) {
		ga_free(n);
		return GA_ENOMEM;
	}
	n->v.s.len = len;
	*out = n;
	return 0;
}

void ga_node_free(ga_node *node)
{
	if (!node)
		return;
	switch (node->type) {
	case GA_NODE_STRING:
		ga_free(node->v.s.ptr);
		break;
	case GA_NODE_MAP:
		for (size_t i = 0; i < node->v.m.n; i++) {
			ga_free(node->v.m.e[i].key);
			ga_node_free(node->v.m.e[i].value);
		}
		ga_free(node->v.m.e);
		ga_free(node->v.m.idx);
		break;
	case GA_NODE_LIST:
		for (size_t i = 0; i < node->v.l.n; i++)
			ga_node_free(node->v.l.items[i]);
		ga_free(node->v.l.items);
		break;
	default:
		break;
	}
	ga_free(node->text);
	ga_free(node);
}

void ga_node_set_tagless(ga_node *node, bool tagless)
{
	node->tagless = tagless && ga_node_is_scalar(node);
}

bool ga_node_tagless(const ga_node *node)
{
	return node->tagless;
}

const char *ga_node_source_text(const ga_node *node)
{
	return node->text;
}

int ga_node_set_source_text(ga_node *node, const char *s, size_t len)
{
	char *copy;

	if (!ga_node_is_scalar(node)) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "node: source text for a collection");
		return GA_EINVALID;
	}
	if (!(copy = ga_strndup(s, len)))
		return GA_ENOMEM;
	ga_free(node->text);
	node->text = copy;
	return 0;
}

ga_node_type ga_node_type_of(const ga_node *node)
{
	return node->type;
}

const char *ga_node_type_name(ga_node_type type)
{
	static const char *const names[] = {
	    "null", "bool", "int", "float", "string", "map", "list",
	};

	if ((unsigned)type >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[type];
}

bool ga_node_is_scalar(const ga_node *node)
{
	return node->type != GA_NODE_MAP && node->type != GA_NODE_LIST;
}

bool ga_node_is_uint(const ga_node *node)
{
	return node->type == GA_NODE_INT && node->is_uint;
}

bool ga_node_bool(const ga_node *node)
{
	return node->type == GA_NODE_BOOL && node->v.b;
}

int64_t ga_node_int(const ga_node *node)
{
	if (node->type != GA_NODE_INT)
		return 0;
	return node->is_uint ? INT64_MAX : node->v.i;
}

uint64_t ga_node_uint(const ga_node *node)
{
	if (node->type != GA_NODE_INT)
		return 0;
	if (node->is_uint)
		return node->v.u;
	return node->v.i < 0 ? 0 : (uint64_t)node->v.i;
}

double ga_node_float(const ga_node *node)
{
	if (node->type == GA_NODE_FLOAT)
		return node->v.f;
	if (node->type == GA_NODE_INT)
		return node->is_uint ? (double)node->v.u : (double)node->v.i;
	return 0;
}

const char *ga_node_str(const ga_node *node)
{
	return node->type == GA_NODE_STRING ? node->v.s.ptr : NULL;
}

size_t ga_node_str_len(const ga_node *node)
{
	return node->type == GA_NODE_STRING ? node->v.s.len : 0;
}

size_t ga_node_count(const ga_node *node)
{
	if (node->type == GA_NODE_MAP)
		return node->v.m.n;
	if (node->type == GA_NODE_LIST)
		return node->v.l.n;
	return 0;
}

uint32_t ga_node_line(const ga_node *node)
{
	return node->line;
}

uint32_t ga_node_col(const ga_node *node)
{
	return node->col;
}

void ga_node_set_pos(ga_node *node, uint32_t line, uint32_t col)
{
	node->line = line;
	node->col = col;
}
