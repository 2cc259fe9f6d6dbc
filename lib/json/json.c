/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON text ↔ node tree.  Parsing uses jansson (the only folder that calls
 * it): duplicate keys are refused, as the Kubernetes API server refuses them
 * in strict decoding, and NUL escapes are allowed because Go strings may
 * hold them.  Emission is written here rather than with json_dumps so that
 * numbers and escapes follow Go's encoding/json exactly (kustomize hashes
 * Go-encoded JSON; Kubernetes answers in it), including its HTML-safe
 * escaping and the U+FFFD replacement of invalid UTF-8.
 */
#include "ga/json.h"

#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "util/bytes.h"
#include "util/gofloat.h"
#include "util/utf8.h"

#define JSON_MAX_DEPTH 512

static int from_jansson(ga_node **out, json_t *v, unsigned depth,
                        const char *name);

static int object_from_jansson(ga_node *map, json_t *v, unsigned depth,
                               const char *name)
{
	const char *key;
	size_t klen;
	json_t *child;
	int err;

	json_object_keylen_foreach(v, key, klen, child)
	{
		ga_node *c = NULL;

		if ((err = from_jansson(&c, child, depth + 1, name)) < 0)
			return err;
		if ((err = ga_node_map_setn_take(map, key, klen, c)) < 0)
			return err;
	}
	return 0;
}

static int from_jansson(ga_node **out, json_t *v, unsigned depth,
                        const char *name)
{
	ga_node *n = NULL;
	int err = 0;

	if (depth > JSON_MAX_DEPTH) {
		ga_error_set(GA_ERRCLASS_JSON,
		             "%s: nesting deeper than %d levels", name,
		             JSON_MAX_DEPTH);
		return GA_EINVALID;
	}
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		if (!(err = ga_node_new_map(&n)))
			err = object_from_jansson(n, v, depth, name);
		break;
	case JSON_ARRAY:
		err = ga_node_new_list(&n);
		for (size_t i = 0; !err && i < json_array_size(v); i++) {
			ga_node *c = NULL;
			if (!(err = from_jansson(&c, json_array_get(v, i),
			                         depth + 1, name)))
				err = ga_node_list_append_take(n, c);
		}
		break;
	case JSON_STRING:
		err = ga_node_new_string(&n, json_string_value(v),
		                         json_string_length(v));
		break;
	case JSON_INTEGER:
		err = ga_node_new_int(&n, (int64_t)json_integer_value(v));
		break;
	case JSON_REAL:
		err = ga_node_new_float(&n, json_real_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		err = ga_node_new_bool(&n, json_is_true(v));
		break;
	case JSON_NULL:
		err = ga_node_new_null(&n);
		break;
	}
	if (err < 0) {
		ga_node_free(n);
		return err;
	}
	*out = n;
	return 0;
}

static pthread_once_t alloc_once = PTHREAD_ONCE_INIT;

/* jansson reports some allocation failures as syntax errors ("invalid
 * token"); remembering them here lets us report GA_ENOMEM truthfully. */
static _Thread_local bool jansson_oom;

static void *jansson_malloc(size_t size)
{
	void *p = ga_malloc(size);

	if (!p)
		jansson_oom = true;
	return p;
}

/* Route jansson's allocations through ours, so that failure injection in
 * tests reaches them too. */
static void use_our_allocator(void)
{
	json_set_alloc_funcs(jansson_malloc, ga_free);
}

/*
 * Go prints an integral float64 such as 1.5e20 as its digits,
 * "150000000000000000000", and reads such digits back as a float; jansson
 * refuses integers beyond 64 bits instead.  Turn the literal that ends at
 * @pos into a real by appending ".0" to a copy of the text.  Returns false
 * when there is no such literal there.
 */
static bool widen_integer(ga_buf *text, size_t pos)
{
	size_t start = pos;
	ga_buf copy = GA_BUF_INIT(text->max);

	while (start > 0 && text->ptr[start - 1] >= '0' &&
	       text->ptr[start - 1] <= '9')
		start--;
	if (start == pos)
		return false;
	ga_buf_put(&copy, text->ptr, pos);
	ga_buf_puts(&copy, ".0");
	ga_buf_put(&copy, text->ptr + pos, text->size - pos);
	if (copy.err) {
		ga_buf_dispose(&copy);
		return false;
	}
	ga_buf_dispose(text);
	*text = copy;
	return true;
}

/* At most this many over-long integers are widened in one document. */
#define WIDEN_MAX 16

int ga_json_parse(ga_node **out, const char *data, size_t len, const char *name)
{
	ga_buf text = GA_BUF_INIT(GA_JSON_MAX_BYTES + (size_t)2 * WIDEN_MAX);
	json_error_t jerr;
	json_t *root = NULL;
	int err = 0;

	if (!name)
		name = "<input>";
	if (len > GA_JSON_MAX_BYTES) {
		ga_error_set(GA_ERRCLASS_JSON,
		             "%s: %zu bytes exceeds the limit of %zu bytes",
		             name, len, GA_JSON_MAX_BYTES);
		return GA_ELIMIT;
	}
	(void)pthread_once(&alloc_once, use_our_allocator);
	for (int tries = 0; !root; tries++) {
		jansson_oom = false;
		root = json_loadb(
		    text.ptr ? text.ptr : data, text.ptr ? text.size : len,
		    JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL,
		    &jerr);
		if (root || jansson_oom ||
		    json_error_code(&jerr) != json_error_numeric_overflow ||
		    tries == WIDEN_MAX)
			break;
		if (!text.ptr && ga_buf_put(&text, data, len) < 0)
			break;
		if (!widen_integer(&text, (size_t)jerr.position))
			break;
	}
	if (!root) {
		if (jansson_oom || text.err ||
		    json_error_code(&jerr) == json_error_out_of_memory) {
			ga_error_set_oom();
			err = GA_ENOMEM;
		} else {
			ga_error_set(GA_ERRCLASS_JSON,
			             "%s: line %d column %d: %s", name,
			             jerr.line, jerr.column, jerr.text);
			err = GA_EINVALID;
		}
		goto out;
	}
	err = from_jansson(out, root, 0, name);
out:
	json_decref(root);
	ga_buf_dispose(&text);
	return err;
}

static void put_escape(ga_buf *out, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char esc[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};

	switch (c) {
	case '"':
		ga_buf_puts(out, "\\\"");
		break;
	case '\\':
		ga_buf_puts(out, "\\\\");
		break;
	case '\b':
		ga_buf_puts(out, "\\b");
		break;
	case '\f':
		ga_buf_puts(out, "\\f");
		break;
	case '\n':
		ga_buf_puts(out, "\\n");
		break;
	case '\r':
		ga_buf_puts(out, "\\r");
		break;
	case '\t':
		ga_buf_puts(out, "\\t");
		break;
	default:
		ga_buf_put(out, esc, 6);
		break;
	}
}

int ga_json_quoten(ga_buf *out, const char *s, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	bool html = flags & GA_JSON_GO_ESCAPE;

	ga_buf_putc(out, '"');
	for (size_t i = 0; i < len;) {
		unsigned char c = p[i];
		size_t n = ga_utf8_seq_len(p + i, len - i);

		if (n == 0) {
			ga_buf_puts(out, "\\ufffd");
			i++;
		} else if (c < 0x20 || c == '"' || c == '\\' ||
		           (html && (c == '<' || c == '>' || c == '&'))) {
			put_escape(out, c);
			i++;
		} else if (n == 3 && c == 0xe2 && p[i + 1] == 0x80 &&
		           (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)) {
			/* U+2028/U+2029 break JavaScript string literals. */
			ga_buf_puts(out,
			            p[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
			i += 3;
		} else {
			ga_buf_put(out, p + i, n);
			i += n;
		}
	}
	return ga_buf_putc(out, '"');
}

int ga_json_quote(ga_buf *out, const char *s)
{
	return ga_json_quoten(out, s, strlen(s), 0);
}

struct json_key {
	const char *key;
	size_t len;
	size_t index;
};

static int json_key_compare(const void *a, const void *b)
{
	const struct json_key *x = a, *y = b;

	return ga_bytes_cmp(x->key, x->len, y->key, y->len);
}

static int emit_value(ga_buf *out, const ga_node *n, unsigned flags,
                      unsigned depth);

static void newline(ga_buf *out, unsigned flags, unsigned depth)
{
	if (!(flags & GA_JSON_INDENT))
		return;
	ga_buf_putc(out, '\n');
	for (unsigned i = 0; i < depth; i++)
		ga_buf_puts(out, "  ");
}

static int emit_object(ga_buf *out, const ga_node *n, unsigned flags,
                       unsigned depth)
{
	size_t count = ga_node_count(n);
	struct json_key *keys = NULL;
	int err = 0;

	if (count && !(keys = ga_calloc(count, sizeof(*keys))))
		return GA_ENOMEM;
	for (size_t i = 0; i < count; i++) {
		keys[i].key = ga_node_map_key(n, i, &keys[i].len);
		keys[i].index = i;
	}
	if ((flags & GA_JSON_SORT_KEYS) && count > 1)
		qsort(keys, count, sizeof(*keys), json_key_compare);
	ga_buf_putc(out, '{');
	for (size_t i = 0; !err && i < count; i++) {
		if (i)
			ga_buf_putc(out, ',');
		newline(out, flags, depth + 1);
		ga_json_quoten(out, keys[i].key, keys[i].len, flags);
		ga_buf_puts(out, (flags & GA_JSON_INDENT) ? ": " : ":");
		err = emit_value(out, ga_node_map_value(n, keys[i].index),
		                 flags, depth + 1);
	}
	if (!err && count)
		newline(out, flags, depth);
	ga_free(keys);
	return err ? err : ga_buf_putc(out, '}');
}

static int emit_array(ga_buf *out, const ga_node *n, unsigned flags,
                      unsigned depth)
{
	size_t count = ga_node_count(n);
	int err = 0;

	ga_buf_putc(out, '[');
	for (size_t i = 0; !err && i < count; i++) {
		if (i)
			ga_buf_putc(out, ',');
		newline(out, flags, depth + 1);
		err = emit_value(out, ga_node_list_get(n, i), flags, depth + 1);
	}
	if (!err && count)
		newline(out, flags, depth);
	return err ? err : ga_buf_putc(out, ']');
}

static int emit_value(ga_buf *out, const ga_node *n, unsigned flags,
                      unsigned depth)
{
	char num[64];
	int err;

	if (depth > JSON_MAX_DEPTH * 2) {
		ga_error_set(GA_ERRCLASS_JSON, "value nested too deeply");
		return GA_ELIMIT;
	}
	switch (ga_node_type_of(n)) {
	case GA_NODE_NULL:
		return ga_buf_puts(out, "null");
	case GA_NODE_BOOL:
		return ga_buf_puts(out, ga_node_bool(n) ? "true" : "false");
	case GA_NODE_INT:
		if (ga_node_is_uint(n))
			return ga_buf_printf(out, "%" PRIu64, ga_node_uint(n));
		return ga_buf_printf(out, "%" PRId64, ga_node_int(n));
	case GA_NODE_FLOAT:
		if ((err = ga_fmt_float_json(num, sizeof(num),
		                             ga_node_float(n))) < 0)
			return err;
		return ga_buf_puts(out, num);
	case GA_NODE_STRING:
		return ga_json_quoten(out, ga_node_str(n), ga_node_str_len(n),
		                      flags);
	case GA_NODE_MAP:
		return emit_object(out, n, flags, depth);
	case GA_NODE_LIST:
		return emit_array(out, n, flags, depth);
	}
	return 0;
}

int ga_json_emit(ga_buf *out, const ga_node *node, unsigned flags)
{
	size_t start = out->size;
	int err = emit_value(out, node, flags, 0);

	/* Appends are sticky: one check covers every put above. */
	if (!err && out->err)
		err = out->err;
	if (err < 0 && !out->err)
		ga_buf_truncate(out, start);
	return err;
}
