/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Strategic merge patch, byte-for-byte the behaviour of kubectl kustomize
 * v1.32 (kustomize v5.5.0): api/filters/patchstrategicmerge calls kyaml's
 * merge2.Merge(patch, object) with ListIncreaseDirection=Prepend, whose
 * walker (kyaml/yaml/walk, merge2/smpdirective.go, kyaml/yaml/fns.go) is
 * ported here step by step; then api/resource's ApplySmPatch restores kind,
 * name and namespace.  kustomize.md §3.1-§3.3 describes the outcome.
 *
 * The port is literal on purpose.  kyaml mutates the object in place,
 * shares nodes between patch and object (a map missing from the object is
 * the patch's own node, merged with itself afterwards), and overwrites
 * nodes by struct copy; several of kubectl's visible quirks come from that
 * aliasing, e.g. an element-level "$patch: replace" is undone by the
 * object's element and a top-level one leaves the object as it was.  So
 * both trees are first copied into an arena of kyaml-like nodes ("rn":
 * scalars keep goyaml's Value text and whether they were quoted) that may
 * be shared freely, the walk runs on those, and the object's root is
 * converted back into a fresh ga_node tree.  The arena is dropped whatever
 * happens, which also makes a failed merge leave the caller's object as it
 * was.
 *
 * What the node model cannot tell, and how it is approximated: a string is
 * taken as quoted in the source when it cannot be written plain or is a
 * YAML 1.1 word such as "yes" (kyaml copies the object scalar's style onto
 * the patch value, so a quoted "1" patched with 2 becomes "2"); numbers
 * and booleans keep their canonical text ("0x1F" reads as 31, where kyaml
 * would compare "0x1F" in merge keys); a null is taken as written "null" unless
 * the parser placed it right after its key's colon, i.e. "key:" (kyaml
 * keeps "key: null" of the object but drops an empty "key:"); comment
 * schemas ("# {"$ref": ...}") are not read; "node contents" in messages
 * are printed in block style where kyaml keeps flow style.
 */
#include "smp.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "ga/yaml.h"
#include "resource.h"
#include "yaml/resolve.h"

/* Recursion bound; parsers already cap input nesting at 256 or 512. */
#define SMP_MAX_DEPTH 1024
#define ARENA_CHUNK ((size_t)32 << 10)

enum { RN_SCALAR = 1, RN_MAP, RN_LIST };

/* The strategic merge patch directives ("$patch" values). */
enum { D_MERGE, D_REPLACE, D_DELETE, D_UNKNOWN };

struct str {
	const char *p;
	size_t n;
};

struct rn;

/* An item of a list; a name of its own keeps sizeof() readable. */
typedef struct rn *rn_item;

struct rn_pair {
	struct str key;
	uint32_t kline, kcol;
	struct rn *value;
};

/*
 * A kyaml node (yaml.Node).  Copying the struct is how kyaml's SetYNode
 * overwrites a node: the arrays are then shared, as Go slices would be.
 */
struct rn {
	uint8_t kind;       /* RN_* */
	bool tagged;        /* scalar typed by the input; kyaml's own are not */
	bool quoted;        /* scalar in a non-plain style (goyaml's Style) */
	ga_node_type type;  /* scalar type, when tagged */
	const ga_node *src; /* input node: scalar value and position */
	struct str text;    /* goyaml's Value: scalar text, "" otherwise */
	size_t n, cap;      /* pairs or items */
	struct rn_pair *pairs;
	struct rn **items;
};

/* A tuple of merge-key values of one list element. */
struct tuple {
	struct str *v;
	size_t n;
};

struct chunk {
	struct chunk *next;
	size_t used, size;
	max_align_t data[];
};

struct smp {
	struct chunk *arena;
	const char *name; /* the patch, for messages; may be NULL */
	unsigned depth;
	size_t nodes, max_nodes; /* output budget */
	bool append; /* the object's list items first (the API server's
	              * order); kustomize puts the patch's first */
};

static const struct str S_EMPTY = {"", 0};
static const struct str S_PATCH = {"$patch", 6};

/* Arena. */

static void *ar_alloc(struct smp *s, size_t size)
{
	struct chunk *c = s->arena;
	size_t align = sizeof(max_align_t), csize;
	void *p;

	if (size > SIZE_MAX / 2) {
		ga_error_set_oom();
		return NULL;
	}
	size = (size + align - 1) / align * align;
	if (!c || c->size - c->used < size) {
		csize = size > ARENA_CHUNK ? size : ARENA_CHUNK;
		c = ga_malloc(sizeof(*c) + csize);
		if (!c)
			return NULL;
		c->size = csize;
		c->used = 0;
		c->next = s->arena;
		s->arena = c;
	}
	p = (char *)c->data + c->used;
	c->used += size;
	return p;
}

static void *ar_array(struct smp *s, size_t n, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(n ? n : 1, size, &total)) {
		ga_error_set_oom();
		return NULL;
	}
	return ar_alloc(s, total);
}

static void ar_free(struct smp *s)
{
	while (s->arena) {
		struct chunk *next = s->arena->next;

		ga_free(s->arena);
		s->arena = next;
	}
}

static bool str_eq(struct str a, struct str b)
{
	return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

static int str_cmp(struct str a, struct str b)
{
	int c = memcmp(a.p, b.p, a.n < b.n ? a.n : b.n);

	if (c)
		return c;
	return a.n < b.n ? -1 : a.n > b.n;
}

static struct str str_of(const char *p, size_t n)
{
	struct str r = {p, n};

	return r;
}

/* Node predicates, as kyaml names them. */

/* IsMissingOrNull: absent, or tagged !!null. */
static bool is_null(const struct rn *n)
{
	return !n ||
	       (n->kind == RN_SCALAR && n->tagged && n->type == GA_NODE_NULL);
}

static bool is_tagged_null(const struct rn *n)
{
	return n && is_null(n);
}

/* IsEmptyMap: absent, null or a map without fields. */
static bool is_empty_map(const struct rn *n)
{
	return is_null(n) || (n->kind == RN_MAP && n->n == 0);
}

/* IsNilOrEmpty: absent, null, or an empty map or list. */
static bool is_nil_or_empty(const struct rn *n)
{
	return is_null(n) || (n->kind != RN_SCALAR && n->n == 0);
}

static const char *kind_name(int kind)
{
	switch (kind) {
	case RN_MAP:
		return "MappingNode";
	case RN_LIST:
		return "SequenceNode";
	default:
		return "ScalarNode";
	}
}

/* Array growth with Go's append semantics: in place while room remains. */
static int grow(struct smp *s, void **arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 4;
	void *p;

	if (n < *cap)
		return 0;
	p = ar_array(s, ncap, size);
	if (!p)
		return GA_ENOMEM;
	if (n)
		memcpy(p, *arr, n * size);
	*arr = p;
	*cap = ncap;
	return 0;
}

static int list_append(struct smp *s, struct rn *list, struct rn *item)
{
	void *arr = list->items;
	int err = grow(s, &arr, &list->cap, list->n, sizeof(rn_item));

	if (err < 0)
		return err;
	list->items = arr;
	list->items[list->n++] = item;
	return 0;
}

static int map_append(struct smp *s, struct rn *map, struct str key,
                      struct rn *value)
{
	void *arr = map->pairs;
	struct rn_pair *p;
	int err = grow(s, &arr, &map->cap, map->n, sizeof(*map->pairs));

	if (err < 0)
		return err;
	map->pairs = arr;
	p = &map->pairs[map->n++];
	memset(p, 0, sizeof(*p));
	p->key = key;
	p->value = value;
	return 0;
}

static struct rn *rn_new(struct smp *s, int kind)
{
	struct rn *n = ar_alloc(s, sizeof(*n));

	if (n) {
		memset(n, 0, sizeof(*n));
		n->kind = (uint8_t)kind;
		n->text = S_EMPTY;
	}
	return n;
}

/* kyaml's NewScalarRNode: an untagged scalar, resolved when printed. */
static struct rn *rn_untagged(struct smp *s, struct str text)
{
	struct rn *n = rn_new(s, RN_SCALAR);

	if (n)
		n->text = text;
	return n;
}

/* The value of field @key of @map (Field().Value), or NULL. */
static struct rn *field_get(const struct rn *map, struct str key)
{
	if (!map || map->kind != RN_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (str_eq(map->pairs[i].key, key))
			return map->pairs[i].value;
	return NULL;
}

/* Conversion from ga_node. */

/* Whether a string was (or, with YAML 1.1 words, almost surely was) quoted. */
static bool must_be_quoted(const char *p, size_t n)
{
	ga_yaml_scalar sc;

	if (n == 0 || p[0] == ' ' || p[0] == '\t' || p[n - 1] == ' ' ||
	    p[n - 1] == '\t' || p[n - 1] == ':' ||
	    strchr("[]{},#&*!|>'\"%@`", p[0]))
		return true;
	if ((p[0] == '-' || p[0] == '?' || p[0] == ':') &&
	    (n == 1 || p[1] == ' '))
		return true;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return true;
		if (i + 1 < n && ((c == ':' && p[i + 1] == ' ') ||
		                  (c == ' ' && p[i + 1] == '#')))
			return true;
	}
	/* Strings YAML 1.1 reads otherwise ("yes", "on", "1:20") are, in
	 * practice, quoted: every goyaml.v2 writer quotes them. */
	return ga_yaml__resolve_plain(&sc, p, n) < 0 ||
	       sc.kind != GA_YSCALAR_STRING ||
	       !ga_yaml__v2_plain_is_string(p, n);
}

/*
 * Whether the null value of entry @i of @map was written empty ("key:"):
 * libyaml puts an empty value right after the colon, a written "null" or
 * "~" at least one column further.  Columns count characters.
 */
static bool null_is_empty(const ga_node *map, size_t i, const ga_node *v)
{
	uint32_t kline, kcol, line = ga_node_line(v), col = ga_node_col(v);
	size_t klen, chars = 0;
	const char *key = ga_node_map_key(map, i, &klen);

	ga_node_map_key_pos(map, i, &kline, &kcol);
	if (!kline || kline != line)
		return false;
	for (size_t j = 0; j < klen; j++)
		chars += ((unsigned char)key[j] & 0xc0) != 0x80;
	if (col == kcol + chars + 1)
		return true;
	return must_be_quoted(key, klen) && col == kcol + chars + 3;
}

static int scalar_text(struct smp *s, struct str *out, const ga_node *node)
{
	char buf[GA_FMT_FLOAT_MAX];
	const char *text;
	size_t len;
	char *p;
	int err;

	if ((err = ga_kust__scalar_text(node, buf, &text, &len)) < 0)
		return err;
	if (text != buf) {
		*out = str_of(text, len);
		return 0;
	}
	if (!(p = ar_alloc(s, len + 1)))
		return GA_ENOMEM;
	memcpy(p, buf, len + 1);
	*out = str_of(p, len);
	return 0;
}

static int to_rn(struct smp *s, struct rn **out, const ga_node *node,
                 unsigned depth);

static int to_rn_children(struct smp *s, struct rn *r, const ga_node *node,
                          unsigned depth)
{
	size_t n = ga_node_count(node);
	bool map = r->kind == RN_MAP;
	int err;

	r->cap = r->n = n;
	if (map)
		r->pairs = ar_array(s, n, sizeof(*r->pairs));
	else
		r->items = ar_array(s, n, sizeof(rn_item));
	if (map ? !r->pairs : !r->items)
		return GA_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const ga_node *v = map ? ga_node_map_value(node, i)
		                       : ga_node_list_get(node, i);
		struct rn *c;

		if ((err = to_rn(s, &c, v, depth + 1)) < 0)
			return err;
		if (!map) {
			r->items[i] = c;
			continue;
		}
		r->pairs[i].key.p =
		    ga_node_map_key(node, i, &r->pairs[i].key.n);
		ga_node_map_key_pos(node, i, &r->pairs[i].kline,
		                    &r->pairs[i].kcol);
		r->pairs[i].value = c;
		if (c->type == GA_NODE_NULL && c->kind == RN_SCALAR &&
		    null_is_empty(node, i, v))
			c->text = S_EMPTY;
	}
	return 0;
}

static int to_rn(struct smp *s, struct rn **out, const ga_node *node,
                 unsigned depth)
{
	ga_node_type t = ga_node_type_of(node);
	struct rn *r;
	int err;

	if (depth > SMP_MAX_DEPTH) {
		ga_error_set(
		    GA_ERRCLASS_KUSTOMIZE,
		    "%s%sstrategic merge patch: nesting deeper than %d",
		    s->name ? s->name : "", s->name ? ": " : "", SMP_MAX_DEPTH);
		return GA_ELIMIT;
	}
	r = rn_new(s, t == GA_NODE_MAP    ? RN_MAP
	              : t == GA_NODE_LIST ? RN_LIST
	                                  : RN_SCALAR);
	if (!r)
		return GA_ENOMEM;
	r->src = node;
	s->nodes++;
	if (r->kind != RN_SCALAR) {
		if ((err = to_rn_children(s, r, node, depth)) < 0)
			return err;
	} else {
		r->tagged = true;
		r->type = t;
		if ((err = scalar_text(s, &r->text, node)) < 0)
			return err;
		r->quoted =
		    t == GA_NODE_STRING && must_be_quoted(r->text.p, r->text.n);
	}
	*out = r;
	return 0;
}

/* Conversion back to ga_node. */

/* A scalar as goyaml would print it and kustomize read it back. */
static int scalar_from_rn(ga_node **out, const struct rn *r)
{
	ga_yaml_scalar sc;

	if (r->tagged && !(r->quoted && r->type != GA_NODE_STRING))
		return ga_node_clone(out, r->src);
	if (r->quoted || ga_yaml__resolve_plain(&sc, r->text.p, r->text.n) < 0)
		return ga_node_new_string(out, r->text.p, r->text.n);
	return ga_yaml__scalar_node(out, &sc, r->text.p, r->text.n);
}

static int from_rn(struct smp *s, ga_node **out, const struct rn *r,
                   unsigned depth)
{
	ga_node *node = NULL, *child = NULL;
	int err = 0;

	if (depth > SMP_MAX_DEPTH || ++s->nodes > s->max_nodes) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s%sstrategic merge patch: result too large",
		             s->name ? s->name : "", s->name ? ": " : "");
		return GA_ELIMIT;
	}
	if (r->kind == RN_SCALAR)
		err = scalar_from_rn(&node, r);
	else if (r->kind == RN_MAP)
		err = ga_node_new_map(&node);
	else
		err = ga_node_new_list(&node);
	if (err < 0)
		goto out;
	for (size_t i = 0; r->kind != RN_SCALAR && i < r->n; i++) {
		const struct rn *v =
		    r->kind == RN_MAP ? r->pairs[i].value : r->items[i];

		if ((err = from_rn(s, &child, v, depth + 1)) < 0)
			goto out;
		if (r->kind == RN_LIST) {
			err = ga_node_list_append_take(node, child);
		} else {
			size_t before = ga_node_count(node);

			/* Set, not add: kyaml can alias two maps' arrays into
			 * holding a key twice; the last one wins, as in goyaml.
			 */
			err = ga_node_map_setn_take(node, r->pairs[i].key.p,
			                            r->pairs[i].key.n, child);
			if (!err && ga_node_count(node) > before)
				ga_node_map_set_key_pos(
				    node, ga_node_count(node) - 1,
				    r->pairs[i].kline, r->pairs[i].kcol);
		}
		child = NULL;
		if (err < 0)
			goto out;
	}
	if (r->src)
		ga_node_set_pos(node, ga_node_line(r->src),
		                ga_node_col(r->src));
	*out = node;
	node = NULL;
out:
	ga_node_free(node);
	return err;
}

/* kyaml's ErrorIfInvalid message. */
static int kind_error(struct smp *s, int want, const struct rn *got)
{
	ga_buf text = GA_BUF_INIT(64u << 10);
	ga_node *node = NULL;
	size_t saved = s->nodes, saved_max = s->max_nodes;
	int err;

	s->max_nodes = SIZE_MAX;
	err = from_rn(s, &node, got, 0);
	s->nodes = saved;
	s->max_nodes = saved_max;
	if (err == GA_ENOMEM)
		goto out;
	if (!err && ga_yaml_emit(&text, node) == GA_ENOMEM) {
		err = GA_ENOMEM;
		goto out;
	}
	while (text.size && (text.ptr[text.size - 1] == '\n' ||
	                     text.ptr[text.size - 1] == ' '))
		text.size--;
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s%swrong node kind: expected %s but got %s: node "
	             "contents:\n%.*s",
	             s->name ? s->name : "", s->name ? ": " : "",
	             kind_name(want), kind_name(got->kind),
	             text.err ? 0 : (int)text.size, text.ptr ? text.ptr : "");
	err = GA_EINVALID;
out:
	if (err == GA_ENOMEM)
		ga_error_set_oom();
	ga_node_free(node);
	ga_buf_dispose(&text);
	return err;
}

/* kyaml/yaml/fns.go: FieldMatcher, FieldClearer, FieldSetter. */

/*
 * FieldMatcher{Name, StringValue/Value}: the value of field @name of @rn
 * when its text equals *@value (any value when @value is NULL).  With an
 * empty name, @rn itself when it is a scalar with that text.
 */
static int field_match(struct smp *s, struct rn **out, struct rn *rn,
                       struct str name, const struct str *value)
{
	*out = NULL;
	if (is_null(rn))
		return 0;
	if (!name.n) {
		if (rn->kind != RN_SCALAR)
			return kind_error(s, RN_SCALAR, rn);
		if (str_eq(rn->text, value ? *value : S_EMPTY))
			*out = rn;
		return 0;
	}
	if (rn->kind != RN_MAP)
		return kind_error(s, RN_MAP, rn);
	for (size_t i = 0; i < rn->n; i++)
		if (str_eq(rn->pairs[i].key, name) &&
		    (!value || str_eq(rn->pairs[i].value->text, *value))) {
			*out = rn->pairs[i].value;
			return 0;
		}
	return 0;
}

/* FieldClearer: drop the first field @name, shifting in place as Go's
 * append(c[:i], c[i+2:]...) does. */
static int field_clear(struct smp *s, struct rn *rn, struct str name)
{
	if (is_null(rn))
		return 0;
	if (rn->kind != RN_MAP)
		return kind_error(s, RN_MAP, rn);
	for (size_t i = 0; i < rn->n; i++)
		if (str_eq(rn->pairs[i].key, name)) {
			memmove(&rn->pairs[i], &rn->pairs[i + 1],
			        (rn->n - i - 1) * sizeof(*rn->pairs));
			rn->n--;
			return 0;
		}
	return 0;
}

/*
 * FieldSetter{Name, Value}: clear the field for an absent or null value,
 * else overwrite the existing value node by struct copy, taking over its
 * style (how a quoted object scalar makes the patch's 2 a "2"), or append
 * the field.  An empty name overwrites the scalar @rn itself.
 */
static int field_set(struct smp *s, struct rn *rn, struct str name,
                     struct rn *value)
{
	struct rn *field;
	int err;

	if (!name.n) {
		if (!is_null(rn) && rn->kind != RN_SCALAR)
			return kind_error(s, RN_SCALAR, rn);
		if (is_null(value))
			return 0;
		value->quoted = rn->quoted;
		*rn = *value;
		return 0;
	}
	if (is_null(value))
		return field_clear(s, rn, name);
	if ((err = field_match(s, &field, rn, name, NULL)) < 0)
		return err;
	if (field) {
		value->quoted = field->quoted;
		*field = *value;
		return 0;
	}
	/* kyaml appends to a null node's content, which nobody sees. */
	if (is_null(rn))
		return 0;
	return map_append(s, rn, name, value);
}

/*
 * ElementSetter: rebuild @list without null and empty-map items; items
 * matching all @keys/@values (an empty value matches any value of a
 * present key) are replaced by @elem, or dropped when @elem is NULL; a
 * non-map item stays when the setter targets maps; an unmatched @elem is
 * appended.  Items that match no key are dropped when @nvalues is 0.
 */
static int element_set(struct smp *s, struct rn *list, struct rn *elem,
                       const struct str *keys, size_t nkeys,
                       const struct str *values, size_t nvalues)
{
	static const struct str empty_key[1] = {{"", 0}};
	struct rn **items;
	size_t n = 0;
	bool mapping, matched = false;
	int err;

	if (!nkeys) {
		keys = empty_key;
		nkeys = 1;
	}
	if (is_null(list))
		return 0;
	if (list->kind != RN_LIST)
		return kind_error(s, RN_LIST, list);
	mapping = keys[0].n && nvalues && values[0].n;
	items = ar_array(s, list->n + 1, sizeof(rn_item));
	if (!items)
		return GA_ENOMEM;
	for (size_t i = 0; i < list->n; i++) {
		struct rn *it = list->items[i], *val = NULL;
		bool found = true;

		if (is_empty_map(it))
			continue;
		if (it->kind != RN_MAP && mapping) {
			items[n++] = it;
			continue;
		}
		for (size_t j = 0; j < nkeys; j++) {
			if (j < nvalues &&
			    (err = field_match(s, &val, it, keys[j],
			                       values[j].n ? &values[j]
			                                   : NULL)) < 0)
				return err;
			if (!val) {
				found = false;
				break;
			}
		}
		if (!found) {
			if (nvalues)
				items[n++] = it;
			continue;
		}
		matched = true;
		if (elem)
			items[n++] = elem;
	}
	list->items = items;
	list->n = n;
	list->cap = list->n + 1;
	if (!is_null(elem) && !matched)
		list->items[list->n++] = elem;
	return 0;
}

/*
 * ElementMatcher (through RNode.ElementList): the first map item whose
 * fields @keys have exactly the texts @values; with an empty first key,
 * the first item whose own text is values[0].
 */
static struct rn *element_find(struct rn *list, const struct str *keys,
                               const struct str *values, size_t n)
{
	if (!list || list->kind != RN_LIST)
		return NULL;
	for (size_t i = 0; i < list->n; i++) {
		struct rn *it = list->items[i];
		bool all = true;

		if (!keys[0].n) {
			if (str_eq(it->text, values[0]))
				return it;
			continue;
		}
		if (it->kind != RN_MAP)
			continue;
		for (size_t k = 0; k < n && all; k++) {
			struct rn *v = field_get(it, keys[k]);

			all = v && str_eq(v->text, values[k]);
		}
		if (all)
			return it;
	}
	return NULL;
}

/* merge2/smpdirective.go. */

static int directive_of(struct smp *s, int *out, struct str v, bool quiet)
{
	if (str_eq(v, str_of("delete", 6)))
		*out = D_DELETE;
	else if (str_eq(v, str_of("replace", 7)))
		*out = D_REPLACE;
	else if (str_eq(v, str_of("merge", 5)))
		*out = D_MERGE;
	else if (quiet)
		*out = D_UNKNOWN;
	else {
		ga_error_set(
		    GA_ERRCLASS_KUSTOMIZE, "%s%sunknown patch strategy '%.*s'",
		    s->name ? s->name : "", s->name ? ": " : "", (int)v.n, v.p);
		return GA_EINVALID;
	}
	return 0;
}

/*
 * determineSmpDirective: a map's "$patch" value, removed from the map when
 * known; for a list, the "$patch" of its first item holding one, when that
 * item has no other field, removed with every item that repeats it.
 * @quiet swallows "unknown" as kyaml's `ps, _ :=` does.
 */
static int directive(struct smp *s, int *out, struct rn *patch, bool quiet)
{
	struct rn *holder = NULL, *v;
	int err;

	*out = D_MERGE;
	if (!patch)
		return 0;
	if (patch->kind == RN_SCALAR) {
		*out = D_UNKNOWN;
		return 0;
	}
	if (patch->kind == RN_MAP) {
		if (!(v = field_get(patch, S_PATCH)))
			return 0;
		if ((err = directive_of(s, out, v->text, quiet)) < 0 ||
		    *out == D_UNKNOWN)
			return err;
		return field_clear(s, patch, S_PATCH);
	}
	for (size_t i = 0; i < patch->n && !holder; i++)
		if (field_get(patch->items[i], S_PATCH))
			holder = patch->items[i];
	if (!holder || holder->n > 1)
		return 0;
	v = field_get(holder, S_PATCH);
	if ((err = directive_of(s, out, v->text, quiet)) < 0 ||
	    *out == D_UNKNOWN)
		return err;
	return element_set(s, patch, NULL, &S_PATCH, 1, &v->text, 1);
}

/* The walker (kyaml/yaml/walk) and the merge visitor (merge2.Merger). */

static int walk(struct smp *s, struct rn **out, struct rn *dest,
                struct rn *origin, const ga_kust_mk *sch);

/* Walker.GetSchema without a schema: the node's own apiVersion/kind. */
static const ga_kust_mk *sniff(const struct rn *n)
{
	struct rn *av, *kind;

	if (!n || is_null(n) || n->kind != RN_MAP)
		return NULL;
	av = field_get(n, str_of("apiVersion", 10));
	kind = field_get(n, str_of("kind", 4));
	if (is_nil_or_empty(av) || is_nil_or_empty(kind) || !av->text.n ||
	    !kind->text.n)
		return NULL;
	return ga_kust__mk_root(av->text.p, av->text.n, kind->text.p,
	                        kind->text.n);
}

static int visit_map(struct smp *s, struct rn **out, struct rn *dest,
                     struct rn *origin)
{
	int d, err;

	*out = NULL;
	if (is_null(dest)) {
		if ((err = directive(s, &d, origin, true)) < 0 || d == D_DELETE)
			return err;
		*out = origin;
		return 0;
	}
	if (is_tagged_null(origin))
		return 0;
	if ((err = directive(s, &d, origin, false)) < 0)
		return err;
	*out = d == D_DELETE ? NULL : d == D_REPLACE ? origin : dest;
	return 0;
}

static int cmp_key(const void *a, const void *b)
{
	return str_cmp(*(const struct str *)a, *(const struct str *)b);
}

/* The sorted union of the fields of both maps (Walker.fieldNames). */
static int field_names(struct smp *s, struct str **out, size_t *n,
                       const struct rn *a, const struct rn *b)
{
	size_t total = 0, k = 0;
	struct str *keys;

	total += a && a->kind == RN_MAP ? a->n : 0;
	total += b && b->kind == RN_MAP ? b->n : 0;
	if (!(keys = ar_array(s, total, sizeof(*keys))))
		return GA_ENOMEM;
	for (size_t i = 0; a && a->kind == RN_MAP && i < a->n; i++)
		keys[k++] = a->pairs[i].key;
	for (size_t i = 0; b && b->kind == RN_MAP && i < b->n; i++)
		keys[k++] = b->pairs[i].key;
	if (k)
		qsort(keys, k, sizeof(*keys), cmp_key);
	*n = 0;
	for (size_t i = 0; i < k; i++)
		if (!*n || !str_eq(keys[*n - 1], keys[i]))
			keys[(*n)++] = keys[i];
	*out = keys;
	return 0;
}

static int walk_map(struct smp *s, struct rn **out, struct rn *dest,
                    struct rn *origin, const ga_kust_mk *sch)
{
	struct str *keys;
	struct rn *d, *val;
	size_t n;
	int err;

	if ((err = visit_map(s, &d, dest, origin)) < 0)
		return err;
	if (d && (err = field_names(s, &keys, &n, d, origin)) < 0)
		return err;
	for (size_t i = 0; d && i < n; i++) {
		struct rn *dv = field_get(d, keys[i]);
		struct rn *ov = field_get(origin, keys[i]);

		/*
		 * Since kustomize 5.0 (issue 4628) a "key: null" of the
		 * object that the patch does not mention stays, but an empty
		 * "key:" goes, and so do nulls in lists.
		 */
		if (!ov && is_tagged_null(dv) && dv->text.n)
			continue;
		if ((err = walk(s, &val, dv, ov,
		                ga_kust__mk_field(sch, keys[i].p, keys[i].n))) <
		        0 ||
		    (err = field_set(s, d, keys[i], val)) < 0)
			return err;
	}
	*out = d;
	return 0;
}

/* The merge-key values of the items of both lists, patch first
 * (Walker.elementValues with Prepend). */
static int element_values(struct smp *s, struct tuple **out, size_t *nout,
                          const struct str *keys, size_t nkeys,
                          const struct rn *dest, const struct rn *origin)
{
	const struct rn *src[2] = {s->append ? dest : origin,
	                           s->append ? origin : dest};
	size_t cap = 0, n = 0;
	struct tuple *t = NULL;

	for (int i = 0; i < 2; i++)
		cap += src[i] && src[i]->kind == RN_LIST ? src[i]->n : 0;
	if (nkeys && !(t = ar_array(s, cap, sizeof(*t))))
		return GA_ENOMEM;
	for (int i = 0; i < 2 && nkeys; i++) {
		for (size_t j = 0;
		     src[i] && src[i]->kind == RN_LIST && j < src[i]->n; j++) {
			struct str *v = ar_array(s, nkeys, sizeof(*v));
			bool seen = false;

			if (!v)
				return GA_ENOMEM;
			for (size_t k = 0; k < nkeys; k++) {
				struct rn *f =
				    field_get(src[i]->items[j], keys[k]);

				v[k] = is_nil_or_empty(f) ? S_EMPTY : f->text;
			}
			for (size_t m = 0; m < n && !seen; m++) {
				seen = true;
				for (size_t k = 0; k < nkeys && seen; k++)
					seen = str_eq(t[m].v[k], v[k]);
			}
			if (!seen) {
				t[n].v = v;
				t[n++].n = nkeys;
			}
		}
	}
	*out = t;
	*nout = n;
	return 0;
}

/* Walker.elementPrimitiveValues: the items' texts, patch first. */
static int primitive_values(struct smp *s, struct tuple **out, size_t *nout,
                            const struct rn *dest, const struct rn *origin)
{
	const struct rn *src[2] = {s->append ? dest : origin,
	                           s->append ? origin : dest};
	size_t cap = 0, n = 0;
	struct tuple *t;

	for (int i = 0; i < 2; i++)
		cap += src[i] && src[i]->kind == RN_LIST ? src[i]->n : 0;
	if (!(t = ar_array(s, cap, sizeof(*t))))
		return GA_ENOMEM;
	for (int i = 0; i < 2; i++) {
		for (size_t j = 0;
		     src[i] && src[i]->kind == RN_LIST && j < src[i]->n; j++) {
			struct str text = src[i]->items[j]->text;
			bool seen = false;

			for (size_t m = 0; m < n && !seen; m++)
				seen = str_eq(t[m].v[0], text);
			if (seen)
				continue;
			if (!(t[n].v = ar_alloc(s, sizeof(*t[n].v))))
				return GA_ENOMEM;
			t[n].v[0] = text;
			t[n++].n = 1;
		}
	}
	*out = t;
	*nout = n;
	return 0;
}

/*
 * mergeValues: tuples that agree on one position and conflict on none
 * (an empty value conflicts with nothing) become their union, pairwise,
 * with Go's range semantics (the outer tuple is read once per row).
 */
static int merge_values(struct smp *s, struct tuple *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct tuple a = t[i];

		for (size_t j = 0; j < n; j++) {
			struct tuple b = t[j], res;
			bool common = false, conflict = a.n != b.n;

			for (size_t k = 0; k < a.n && !conflict; k++) {
				if (str_eq(a.v[k], b.v[k]))
					common = true;
				else if (a.v[k].n && b.v[k].n)
					conflict = true;
			}
			if (conflict || !common)
				continue;
			if (!(res.v = ar_array(s, a.n, sizeof(*res.v))))
				return GA_ENOMEM;
			res.n = a.n;
			for (size_t k = 0; k < a.n; k++)
				res.v[k] = a.v[k].n ? a.v[k] : b.v[k];
			t[i] = res;
			t[j] = res;
		}
	}
	return 0;
}

/*
 * validateKeys: the keys some tuple of @t (@nt of them) has a value for,
 * with @v's values at those keys; all keys and values when none has.
 */
static int valid_keys(struct smp *s, struct str **vk, struct str **vv,
                      size_t *nv, const struct tuple *t, size_t nt,
                      const struct str *v, const struct str *keys, size_t nkeys)
{
	bool set[2] = {false, false}, any = false;
	size_t n = 0;

	for (size_t i = 0; i < nt; i++)
		for (size_t k = 0; k < t[i].n && k < nkeys; k++)
			if (t[i].v[k].n)
				any = set[k] = true;
	if (!(*vk = ar_array(s, nkeys, sizeof(**vk))) ||
	    !(*vv = ar_array(s, nkeys, sizeof(**vv))))
		return GA_ENOMEM;
	for (size_t k = 0; k < nkeys; k++)
		if (!any || set[k]) {
			(*vk)[n] = keys[k];
			(*vv)[n++] = v[k];
		}
	*nv = n;
	return 0;
}

/*
 * appendListNode(dst, src, keys): every item of @src set into @dst by its
 * key values; an item without a key field is appended outright (once per
 * missing key, as kyaml's `continue` sits in the inner loop).
 */
static int append_list_node(struct smp *s, struct rn *dst, const struct rn *src,
                            const struct str *keys, size_t nkeys)
{
	struct rn **items = src->items;
	size_t n = src->n;
	struct str v[2];
	int err;

	for (size_t i = 0; i < n; i++) {
		struct rn *it = items[i], *f;
		size_t nv = 0;

		if (!keys[0].n) {
			if ((err = element_set(s, dst, it, keys, 1, &it->text,
			                       1)) < 0)
				return err;
			continue;
		}
		for (size_t k = 0; k < nkeys; k++) {
			if ((err = field_match(s, &f, it, keys[k], NULL)) < 0)
				return err;
			if (!f) {
				if ((err = list_append(s, dst, it)) < 0)
					return err;
				continue;
			}
			v[nv++] = f->text;
		}
		if (nkeys > 1 &&
		    (err = element_set(s, dst, NULL, keys, nkeys, v, nv)) < 0)
			return err;
		if ((err = element_set(s, dst, it, keys, nkeys, v, nv)) < 0)
			return err;
	}
	return 0;
}

/* The item walk for one key tuple: find both items, merge them, and set
 * the result into @add, or delete the tuple's items from @dest. */
static int merge_item(struct smp *s, struct rn *add, struct rn *dest,
                      struct rn *origin, const ga_kust_mk *esch,
                      const struct str *vk, const struct str *vv, size_t nv)
{
	struct str *k2, *v2;
	struct tuple one = {(struct str *)vv, nv};
	struct rn *val;
	size_t n2;
	bool gone = false;
	int err;

	/* elementValueList validates the keys again, on this tuple alone. */
	if ((err = valid_keys(s, &k2, &v2, &n2, &one, 1, vv, vk, nv)) < 0 ||
	    (err = walk(s, &val, element_find(dest, k2, v2, n2),
	                element_find(origin, k2, v2, n2), esch)) < 0)
		return err;
	for (size_t k = 0; k < nv; k++) {
		struct rn *key;

		if (is_empty_map(val)) {
			if ((err = element_set(s, dest, NULL, vk, nv, vv, nv)) <
			    0)
				return err;
			gone = true;
		} else if (!field_get(val, vk[k]) && vv[k].n) {
			if (!(key = rn_untagged(s, vv[k])))
				return GA_ENOMEM;
			if ((err = field_set(s, val, vk[k], key)) < 0)
				return err;
		}
	}
	if (gone)
		return 0;
	return element_set(s, add, val, vk, nv, vv, nv);
}

/* Walker.setAssociativeSequenceElements. */
static int set_assoc(struct smp *s, struct rn **out, struct tuple *t, size_t nt,
                     const struct str *keys, size_t nkeys, struct rn *dest,
                     struct rn *origin, const ga_kust_mk *sch)
{
	const ga_kust_mk *esch = ga_kust__mk_items(sch);
	struct rn *add = rn_new(s, RN_LIST);
	struct str *vk = NULL, *vv = NULL;
	size_t nv = 0;
	int err;

	if (!add)
		return GA_ENOMEM;
	if (nkeys > 1 && (err = merge_values(s, t, nt)) < 0)
		return err;
	for (size_t i = 0; i < nt; i++) {
		if (!t[i].n)
			continue;
		if ((err = valid_keys(s, &vk, &vv, &nv, t, nt, t[i].v, keys,
		                      nkeys)) < 0 ||
		    (err = merge_item(s, add, dest, origin, esch, vk, vv, nv)) <
		        0)
			return err;
	}
	/* Prepend: the patch's items first, then the object's others. */
	if (vk && (err = append_list_node(s, add, dest, vk, nv)) < 0)
		return err;
	*out = vk ? add : dest;
	if (is_null(*out))
		*out = NULL;
	return 0;
}

static int walk_assoc(struct smp *s, struct rn **out, struct rn *dest,
                      struct rn *origin, const ga_kust_mk *sch)
{
	static const struct str no_key[1] = {{"", 0}};
	struct str keys[2];
	struct tuple *t;
	struct rn *d;
	size_t nt, nkeys = sch->nkeys;
	int dir, err;

	*out = NULL;
	/* VisitList for associative lists. */
	if (is_null(dest)) {
		d = origin;
	} else if (is_tagged_null(origin)) {
		return 0;
	} else {
		if ((err = directive(s, &dir, origin, false)) < 0)
			return err;
		d = dir == D_DELETE ? NULL : dir == D_REPLACE ? origin : dest;
	}
	if (!d)
		return 0;
	for (size_t k = 0; k < nkeys; k++)
		keys[k] = str_of(sch->keys[k], strlen(sch->keys[k]));
	if ((err = element_values(s, &t, &nt, keys, nkeys, d, origin)) < 0)
		return err;
	if (nt || nkeys)
		return set_assoc(s, out, t, nt, keys, nkeys, d, origin, sch);
	if ((err = primitive_values(s, &t, &nt, d, origin)) < 0)
		return err;
	return set_assoc(s, out, t, nt, no_key, 1, d, origin, sch);
}

static int check_kinds(struct smp *s, int kind, const struct rn *dest,
                       const struct rn *origin)
{
	if (!is_null(dest) && dest->kind != kind)
		return kind_error(s, kind, dest);
	if (!is_null(origin) && origin->kind != kind)
		return kind_error(s, kind, origin);
	return 0;
}

/* Walker.Walk with merge2.Merger as the visitor. */
static int walk(struct smp *s, struct rn **out, struct rn *dest,
                struct rn *origin, const ga_kust_mk *sch)
{
	int kind, err;

	if (s->depth >= SMP_MAX_DEPTH) {
		ga_error_set(
		    GA_ERRCLASS_KUSTOMIZE,
		    "%s%sstrategic merge patch: nesting deeper than %d",
		    s->name ? s->name : "", s->name ? ": " : "", SMP_MAX_DEPTH);
		return GA_ELIMIT;
	}
	s->depth++;
	if (!sch && !(sch = sniff(dest)))
		sch = sniff(origin);
	kind = !is_null(dest)     ? dest->kind
	       : !is_null(origin) ? origin->kind
	                          : 0;
	if (kind && (err = check_kinds(s, kind, dest, origin)) < 0)
		goto out;
	err = 0;
	if (!kind || kind == RN_MAP)
		err = walk_map(s, out, dest, origin, sch);
	else if (kind == RN_LIST && sch && sch->list)
		err = walk_assoc(s, out, dest, origin, sch);
	else
		*out = origin ? origin : dest;
out:
	s->depth--;
	return err;
}

/* Resource.ApplySmPatch: restoring kind, name and namespace. */

/* The text of metadata.@field, "" when absent or empty. */
static struct str meta_text(const struct rn *root, const char *field)
{
	struct rn *meta = field_get(root, str_of("metadata", 8)), *f;

	if (is_nil_or_empty(meta))
		return S_EMPTY;
	f = field_get(meta, str_of(field, strlen(field)));
	return is_nil_or_empty(f) ? S_EMPTY : f->text;
}

/* RNode.SetMapField(NewScalarRNode(@text), "metadata", @field), errors
 * ignored as ApplySmPatch ignores them. */
static int set_meta(struct smp *s, struct rn *root, const char *field,
                    struct str text)
{
	struct str mkey = str_of("metadata", 8);
	struct rn *meta = field_get(root, mkey), *v;
	int err;

	if (!meta) {
		if (!(meta = rn_new(s, RN_MAP)) ||
		    map_append(s, root, mkey, meta) < 0)
			return GA_ENOMEM;
	}
	if (meta->kind != RN_MAP)
		return 0;
	if (!text.n && !strcmp(field, "namespace"))
		return field_clear(s, meta, str_of(field, strlen(field)));
	if (!(v = rn_untagged(s, text)))
		return GA_ENOMEM;
	err = field_set(s, meta, str_of(field, strlen(field)), v);
	return err == GA_ENOMEM ? err : 0;
}

static int restore(struct smp *s, struct rn *root, struct str kind,
                   struct str name, struct str ns, bool keep_kind,
                   bool keep_name)
{
	struct rn *v;
	int err;

	if (!keep_kind) {
		if (!(v = rn_untagged(s, kind)))
			return GA_ENOMEM;
		if ((err = field_set(s, root, str_of("kind", 4), v)) < 0)
			return err;
	}
	if (!keep_name && (err = set_meta(s, root, "name", name)) < 0)
		return err;
	/* SetNamespace("") only drops the field of an existing metadata. */
	if (!ns.n && !field_get(root, str_of("metadata", 8)))
		return 0;
	return set_meta(s, root, "namespace", ns);
}

static int smp_apply(ga_node **obj, const ga_node *patch, const char *name,
                     bool allow_kind_change, bool allow_name_change,
                     bool append)
{
	struct smp s = {NULL, name, 0, 0, 0, append};
	struct rn *dest, *origin, *res, *kind;
	struct str kind0, name0, ns0;
	ga_node *out = NULL;
	int err;

	if (!obj || !*obj || !patch) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "strategic merge patch: missing argument");
		return GA_EINVALID;
	}
	if ((err = to_rn(&s, &dest, *obj, 0)) < 0 ||
	    (err = to_rn(&s, &origin, patch, 0)) < 0)
		goto out;
	/* Duplicated subtrees are the only way the result outgrows its
	 * inputs; a generous bound keeps a pathological patch finite. */
	s.max_nodes = 4 * s.nodes + 4096;
	s.nodes = 0;
	/* Texts are immutable; the nodes holding them may be overwritten. */
	kind = field_get(dest, str_of("kind", 4));
	kind0 = kind ? kind->text : S_EMPTY;
	name0 = meta_text(dest, "name");
	ns0 = meta_text(dest, "namespace");
	if ((err = walk(&s, &res, dest, origin, NULL)) < 0)
		goto out;
	/* The resource keeps its own root node: a walk that returns the
	 * patch's ("$patch: replace" at the top) leaves it unchanged. */
	if (res && !is_nil_or_empty(dest) && dest->kind == RN_MAP &&
	    (err = restore(&s, dest, kind0, name0, ns0, allow_kind_change,
	                   allow_name_change)) < 0)
		goto out;
	if (res && (err = from_rn(&s, &out, dest, 0)) < 0)
		goto out;
	ga_node_free(*obj);
	*obj = out;
	out = NULL;
out:
	if (err == GA_ENOMEM)
		ga_error_set_oom();
	ga_node_free(out);
	ar_free(&s);
	return err;
}

int ga_kust__smp_apply(ga_node **obj, const ga_node *patch, const char *name,
                       bool allow_kind_change, bool allow_name_change)
{
	return smp_apply(obj, patch, name, allow_kind_change, allow_name_change,
	                 false);
}

int ga_kust__smp_apply_server(ga_node **obj, const ga_node *patch)
{
	return smp_apply(obj, patch, NULL, false, false, true);
}
