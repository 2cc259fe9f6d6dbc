/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading JSON 6902 patch text as kustomize v5.5.0 does before it hands the
 * operations to gopkg.in/evanphx/json-patch.v4 (kustomize.md §1.9, §3.4):
 * text whose first byte is '[' is JSON, anything else YAML converted to
 * JSON by sigs.k8s.io/yaml, which reads it with goyaml.v2; then Go's
 * json.Unmarshal into a list of operation maps.  JSON text goes through
 * ga_json_parse(), and a scanner then walks the same (validated) text to
 * keep each scalar's token as written, because evanphx's test compares
 * those.  YAML text goes through ga_kust__parse(), which reads as goyaml.v3,
 * so the plain scalars where v2 and v3 differ (y/yes/on/n/no/off are v2
 * booleans; v2 keeps a plain timestamp's own text) are read again from the
 * source, found by their line and column.  Checked against kubectl in
 * test/unit/test-kust-json6902.c.
 */
#include "json6902.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/json.h"
#include "ga/yaml.h"
#include "pcache.h"
#include "util/utf8.h"
#include "yaml/resolve.h"

#define MAX_DEPTH GA_KUST_JSON6902_MAX_DEPTH

static bool is_null(const ga_node *n)
{
	return !n || ga_node_type_of(n) == GA_NODE_NULL;
}

static bool is_container(const ga_node *n)
{
	return n && (ga_node_type_of(n) == GA_NODE_MAP ||
	             ga_node_type_of(n) == GA_NODE_LIST);
}

static size_t count_slashes(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == '/';
	return n;
}

/* Put @item (taken) at index @i of @list in place of what is there. */
static int list_put(ga_node *list, size_t i, ga_node *item)
{
	ga_node_free(ga_node_list_remove(list, i));
	return ga_node_list_insert_take(list, i, item);
}

struct scan {
	const char *p;
	size_t len, pos;
	const char *name;
};

static int scan_value(struct scan *s, ga_node **out, unsigned depth);

static int scan_bad(const struct scan *s)
{
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s: JSON text out of step at byte %zu", s->name, s->pos);
	return GA_EINVALID;
}

static void scan_ws(struct scan *s)
{
	while (s->pos < s->len &&
	       (s->p[s->pos] == ' ' || s->p[s->pos] == '\t' ||
	        s->p[s->pos] == '\r' || s->p[s->pos] == '\n'))
		s->pos++;
}

static bool at(const struct scan *s, char ch)
{
	return s->pos < s->len && s->p[s->pos] == ch;
}

/* Step over one string or literal token, which starts at *start. */
static int scan_token(struct scan *s, size_t *start)
{
	*start = s->pos;
	if (at(s, '"')) {
		for (s->pos++; s->pos < s->len && s->p[s->pos] != '"'; s->pos++)
			if (s->p[s->pos] == '\\')
				s->pos++;
		if (s->pos >= s->len)
			return scan_bad(s);
		s->pos++;
		return 0;
	}
	while (s->pos < s->len &&
	       ((s->p[s->pos] >= '0' && s->p[s->pos] <= '9') ||
	        (s->p[s->pos] >= 'a' && s->p[s->pos] <= 'z') ||
	        s->p[s->pos] == '+' || s->p[s->pos] == '-' ||
	        s->p[s->pos] == '.' || s->p[s->pos] == 'E'))
		s->pos++;
	return s->pos > *start ? 0 : scan_bad(s);
}

/* A member name, decoded (escapes through ga_json_parse()). */
static int scan_key(struct scan *s, ga_node **key)
{
	size_t start;
	int err;

	if (!at(s, '"'))
		return scan_bad(s);
	if ((err = scan_token(s, &start)) < 0)
		return err;
	if (!memchr(s->p + start, '\\', s->pos - start))
		return ga_node_new_string(key, s->p + start + 1,
		                          s->pos - start - 2);
	if ((err = ga_json_parse(key, s->p + start, s->pos - start, s->name)) <
	    0)
		return err;
	return ga_node_type_of(*key) == GA_NODE_STRING ? 0 : scan_bad(s);
}

/* One member or item into @n, a map or list. */
static int scan_member(struct scan *s, ga_node *n, unsigned depth)
{
	ga_node *key = NULL, *v = NULL;
	int err;

	if (ga_node_type_of(n) == GA_NODE_MAP) {
		scan_ws(s);
		if ((err = scan_key(s, &key)) < 0)
			goto out;
		scan_ws(s);
		if (!at(s, ':')) {
			err = scan_bad(s);
			goto out;
		}
		s->pos++;
	}
	if ((err = scan_value(s, &v, depth + 1)) < 0)
		goto out;
	if (key)
		err = ga_node_map_setn_take(n, ga_node_str(key),
		                            ga_node_str_len(key), v);
	else
		err = ga_node_list_append_take(n, v);
out:
	ga_node_free(key);
	return err;
}

/*
 * The tree of @s's next value with every scalar replaced by a string node
 * of its token text.  The text was validated by jansson, whose depth cap
 * (512) also bounds this recursion.
 */
static int scan_value(struct scan *s, ga_node **out, unsigned depth)
{
	ga_node *n = NULL;
	size_t start;
	char close;
	int err;

	scan_ws(s);
	if (depth > 1024 || s->pos >= s->len)
		return scan_bad(s);
	if (!at(s, '{') && !at(s, '[')) {
		if ((err = scan_token(s, &start)) < 0)
			return err;
		return ga_node_new_string(out, s->p + start, s->pos - start);
	}
	close = at(s, '{') ? '}' : ']';
	err = close == '}' ? ga_node_new_map(&n) : ga_node_new_list(&n);
	s->pos++;
	scan_ws(s);
	if (!err && at(s, close)) {
		s->pos++;
		goto out;
	}
	while (!err && !(err = scan_member(s, n, depth))) {
		scan_ws(s);
		if (at(s, close)) {
			s->pos++;
			break;
		}
		if (!at(s, ','))
			err = scan_bad(s);
		s->pos++;
	}
out:
	if (err < 0) {
		ga_node_free(n);
		return err;
	}
	*out = n;
	return 0;
}

/* Where each line of a YAML text starts (see ysrc_at()). */
struct ysrc {
	const char *text;
	size_t len;
	size_t *lines;
	size_t n;
};

/* Length of the line break at @p, as libyaml counts breaks, or 0. */
static size_t brk_len(const char *p, size_t rest)
{
	const unsigned char *u = (const unsigned char *)p;

	if (u[0] == '\r')
		return rest > 1 && u[1] == '\n' ? 2 : 1;
	if (u[0] == '\n')
		return 1;
	if (rest > 1 && u[0] == 0xc2 && u[1] == 0x85)
		return 2;
	if (rest > 2 && u[0] == 0xe2 && u[1] == 0x80 &&
	    (u[2] == 0xa8 || u[2] == 0xa9))
		return 3;
	return 0;
}

static int ysrc_init(struct ysrc *y, const char *text, size_t len)
{
	size_t start = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	size_t n = 1, k;

	for (size_t i = start; i < len; i += k ? k : 1)
		if ((k = brk_len(text + i, len - i)) > 0)
			n++;
	if (!(y->lines = ga_calloc(n, sizeof(*y->lines))))
		return GA_ENOMEM;
	y->lines[0] = start;
	y->n = 1;
	for (size_t i = start; i < len; i += k ? k : 1)
		if ((k = brk_len(text + i, len - i)) > 0)
			y->lines[y->n++] = i + k;
	y->text = text;
	y->len = len;
	return 0;
}

/*
 * The source of a node at 1-based @line and @col, libyaml's mark (columns
 * count characters; the BOM is not counted), with the bytes left to the
 * end of the text in *rest; NULL when the position is not in the text.
 */
static const char *ysrc_at(const struct ysrc *y, uint32_t line, uint32_t col,
                           size_t *rest)
{
	size_t off;

	if (line == 0 || line > y->n || col == 0)
		return NULL;
	off = y->lines[line - 1];
	for (uint32_t i = 1; i < col; i++) {
		size_t k;

		if (off >= y->len || brk_len(y->text + off, y->len - off))
			return NULL;
		k = ga_utf8_seq_len((const unsigned char *)y->text + off,
		                    y->len - off);
		if (k == 0)
			return NULL;
		off += k;
	}
	*rest = y->len - off;
	return off < y->len ? y->text + off : NULL;
}

/* goyaml.v2's YAML 1.1 booleans that v3 leaves strings: 1, 0, or -1. */
static int v2_bool(const char *s, size_t n)
{
	static const char *const words[] = {
	    "y", "Y", "yes", "Yes", "YES", "on",  "On",  "ON",
	    "n", "N", "no",  "No",  "NO",  "off", "Off", "OFF",
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0)
			return i < 8;
	return -1;
}

/*
 * goyaml.v2 decodes a plain timestamp into interface{} as its own text;
 * v3 (and so ga_kust__parse()) as the RFC 3339 string @s.  Find the text at
 * @p that v3 turned into @s; *out is that string, or stays NULL.
 */
static int v2_timestamp(ga_node **out, const char *p, size_t rest,
                        const char *s, size_t n)
{
	static const char chars[] = "0123456789-:.+TtZ \t";
	size_t span = 0;

	while (span < rest && span < 64 && p[span] && strchr(chars, p[span]))
		span++;
	for (size_t end = span; end > 0; end--) {
		ga_yaml_scalar sc;

		/* A scalar ends at a blank, or at the ':' after a key. */
		if (p[end - 1] == ' ' || p[end - 1] == '\t' ||
		    (end < span && !strchr(" \t:", p[end])))
			continue;
		if (ga_yaml__resolve_plain(&sc, p, end) == 0 &&
		    sc.kind == GA_YSCALAR_TIMESTAMP && strlen(sc.ts) == n &&
		    memcmp(sc.ts, s, n) == 0)
			return ga_node_new_string(out, p, end);
	}
	ga_error_clear();
	return 0;
}

/*
 * What goyaml.v2 makes of the scalar that v3 read as the string @s (@n
 * bytes) at @line/@col: a bool for y/yes/on/n/no/off, the original text of
 * a timestamp, or nothing (*out stays NULL) when the two agree, which is
 * also the answer for quoted, block, tagged and anchored scalars.
 */
static int v2_scalar(ga_node **out, const struct ysrc *y, const char *s,
                     size_t n, uint32_t line, uint32_t col)
{
	size_t rest = 0;
	const char *p = ysrc_at(y, line, col, &rest);
	int b;

	if (!p || !*p || strchr("'\"|>!&*", *p))
		return 0;
	if (rest >= n && memcmp(p, s, n) == 0)
		return (b = v2_bool(s, n)) < 0 ? 0 : ga_node_new_bool(out, b);
	if (*p < '0' || *p > '9')
		return 0;
	return v2_timestamp(out, p, rest, s, n);
}

/* Rebuild the map @m when goyaml.v2 reads any of its keys differently. */
static int v2_keys(ga_node **repl, const ga_node *m, const struct ysrc *y)
{
	ga_node *copy = NULL, *k2 = NULL, *v = NULL;
	bool changed = false;
	int err = 0;

	for (size_t pass = 0; pass < 2 && !err; pass++) {
		if (pass == 1 && (!changed || (err = ga_node_new_map(&copy))))
			break;
		for (size_t i = 0; !err && i < ga_node_count(m); i++) {
			size_t klen;
			const char *k = ga_node_map_key(m, i, &klen);
			uint32_t line, col;

			ga_node_map_key_pos(m, i, &line, &col);
			if ((err = v2_scalar(&k2, y, k, klen, line, col)) < 0)
				break;
			changed |= k2 != NULL;
			if (k2 && ga_node_type_of(k2) == GA_NODE_BOOL) {
				k = ga_node_bool(k2) ? "true" : "false";
				klen = strlen(k);
			} else if (k2) {
				k = ga_node_str(k2);
				klen = ga_node_str_len(k2);
			}
			if (pass == 1 &&
			    !(err = ga_node_clone(&v, ga_node_map_value(m, i))))
				err = ga_node_map_setn_take(copy, k, klen, v);
			ga_node_free(k2);
			k2 = NULL;
		}
	}
	if (err < 0)
		ga_node_free(copy);
	else
		*repl = copy;
	return err;
}

/*
 * Re-read the tree @n as goyaml.v2 would have, and refuse what Go's JSON
 * encoder refuses (YAMLToJSON fails on NaN and infinities).  *repl
 * receives a replacement for @n itself, or stays NULL.  Recursion is
 * bounded by the YAML parser's depth cap.
 */
static int v2_fix(ga_node **repl, ga_node *n, const struct ysrc *y,
                  const char *name)
{
	bool is_map = ga_node_type_of(n) == GA_NODE_MAP;
	double f = ga_node_float(n);
	int err;

	if (ga_node_type_of(n) == GA_NODE_FLOAT && !isfinite(f)) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: json: unsupported value: %s", name,
		             isnan(f) ? "NaN"
		             : f > 0  ? "+Inf"
		                      : "-Inf");
		return GA_EINVALID;
	}
	if (ga_node_type_of(n) == GA_NODE_STRING)
		return v2_scalar(repl, y, ga_node_str(n), ga_node_str_len(n),
		                 ga_node_line(n), ga_node_col(n));
	for (size_t i = 0; is_container(n) && i < ga_node_count(n); i++) {
		ga_node *r = NULL;
		size_t klen;
		const char *k = is_map ? ga_node_map_key(n, i, &klen) : NULL;

		err = v2_fix(&r,
		             is_map ? ga_node_map_value(n, i)
		                    : ga_node_list_get(n, i),
		             y, name);
		if (!err && r)
			err = k ? ga_node_map_setn_take(n, k, klen, r)
			        : list_put(n, i, r);
		if (err < 0)
			return err;
	}
	return is_map ? v2_keys(repl, n, y) : 0;
}

/* The first YAML document of the text, read as goyaml.v2 reads it. */
static int read_yaml(ga_node **out, const char *text, size_t len,
                     const char *name)
{
	ga_yaml_opts opts = GA_YAML_OPTS_INIT;
	struct ysrc y = {0};
	ga_node *docs = NULL, *doc = NULL, *r = NULL;
	int err;

	opts.flags = GA_YAML_LAST_KEY_WINS;
	if ((err = ga_kust__parse(&docs, text, len, name, &opts)) < 0 ||
	    (err = ysrc_init(&y, text, len)) < 0)
		goto out;
	if (ga_node_count(docs) > 0)
		doc = ga_node_list_remove(docs, 0);
	else if ((err = ga_node_new_null(&doc)) < 0)
		goto out;
	if ((err = v2_fix(&r, doc, &y, name)) < 0)
		goto out;
	if (r) {
		ga_node_free(doc);
		doc = r;
	}
	*out = doc;
	doc = NULL;
out:
	ga_free(y.lines);
	ga_node_free(doc);
	ga_node_free(docs);
	return err;
}

/* The JSON text, and in *mirror its tokens as written (see scan_value). */
static int read_json(ga_node **out, ga_node **mirror, const char *text,
                     size_t len, const char *name)
{
	struct scan s = {text, len, 0, name};
	ga_node *root = NULL;
	int err;

	if ((err = ga_json_parse(&root, text, len, name)) < 0)
		return err;
	if ((err = scan_value(&s, mirror, 0)) < 0) {
		ga_node_free(root);
		return err;
	}
	*out = root;
	return 0;
}

static int too_deep(const ga_node *op, const char *key, const char *name,
                    size_t i)
{
	const ga_node *p = ga_node_map_get(op, key);

	if (!p || ga_node_type_of(p) != GA_NODE_STRING ||
	    count_slashes(ga_node_str(p), ga_node_str_len(p)) <= MAX_DEPTH)
		return 0;
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s: op %zu: %s pointer deeper than %d segments", name, i,
	             key, MAX_DEPTH);
	return GA_ELIMIT;
}

/*
 * The operation @src (a map or null; members moved out of it) as a new map
 * holding what evanphx reads, with @text (the mirror of @src, or NULL)
 * giving the value's tokens.
 */
static int make_op(ga_node **out, ga_node *src, ga_node *text)
{
	static const char *const keys[] = {"op", "path", "from", "value"};
	ga_node *op = NULL, *v;
	int err;

	if ((err = ga_node_new_map(&op)) < 0)
		return err;
	for (size_t i = 0; i < 4 && ga_node_type_of(src) == GA_NODE_MAP; i++) {
		v = ga_node_map_get(src, keys[i]);
		if (!v || (i < 3 && ga_node_type_of(v) == GA_NODE_NULL))
			continue;
		v = ga_node_map_remove(src, keys[i]);
		if ((err = ga_node_map_set_take(op, keys[i], v)) < 0)
			goto out;
		v = i == 3 && text ? ga_node_map_remove(text, "value") : NULL;
		if (v && (err = ga_node_map_set_take(
		              op, GA_KUST_JSON6902_TEXT_KEY, v)) < 0)
			goto out;
	}
	*out = op;
	op = NULL;
out:
	ga_node_free(op);
	return err;
}

/* Go's json.Unmarshal of @root into jsonpatch.Patch, then the ops. */
static int make_ops(ga_node **out, ga_node *root, ga_node *mirror,
                    const char *name)
{
	ga_node *ops = NULL, *op = NULL;
	size_t n = ga_node_count(root);
	int err;

	if (ga_node_type_of(root) != GA_NODE_LIST && !is_null(root)) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: json: cannot unmarshal %s into Go value of "
		             "type jsonpatch.Patch",
		             name, ga_kust__json6902_go_kind(root));
		return GA_EINVALID;
	}
	if (n > GA_KUST_JSON6902_MAX_OPS) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: %zu operations; at most %d are allowed", name,
		             n, GA_KUST_JSON6902_MAX_OPS);
		return GA_ELIMIT;
	}
	if ((err = ga_node_new_list(&ops)) < 0)
		return err;
	for (size_t i = 0; i < n; i++) {
		ga_node *src = ga_node_list_get(root, i);
		ga_node *text = mirror ? ga_node_list_get(mirror, i) : NULL;

		if (ga_node_type_of(src) != GA_NODE_MAP && !is_null(src)) {
			ga_error_set(
			    GA_ERRCLASS_KUSTOMIZE,
			    "%s: json: cannot unmarshal %s into Go value "
			    "of type jsonpatch.Operation",
			    name, ga_kust__json6902_go_kind(src));
			err = GA_EINVALID;
			goto out;
		}
		if ((err = too_deep(src, "path", name, i)) < 0 ||
		    (err = too_deep(src, "from", name, i)) < 0 ||
		    (err = make_op(&op, src, text)) < 0)
			goto out;
		err = ga_node_list_append_take(ops, op);
		op = NULL;
		if (err < 0)
			goto out;
	}
	*out = ops;
	ops = NULL;
out:
	ga_node_free(ops);
	return err;
}

int ga_kust__json6902_parse(ga_node **out, const char *text, size_t len,
                            const char *name)
{
	ga_node *root = NULL, *mirror = NULL;
	int err;

	if (!name)
		name = "patch";
	if (!out || (!text && len > 0)) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE, "%s: no patch text", name);
		return GA_EINVALID;
	}
	if (len > 0 && text[0] == '[')
		err = read_json(&root, &mirror, text, len, name);
	else
		err = read_yaml(&root, text ? text : "", len, name);
	if (err < 0)
		goto out;
	err = make_ops(out, root, mirror, name);
out:
	ga_node_free(root);
	ga_node_free(mirror);
	return err;
}
