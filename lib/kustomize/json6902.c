/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON 6902 (RFC 6902 over RFC 6901 pointers) as kubectl kustomize v1.32
 * applies it: kustomize v5.5.0 decodes the patch with
 * gopkg.in/evanphx/json-patch.v4 v4.12.0 and runs it on the object's JSON
 * form (kustomize.md §3.4).  Every behaviour below was checked against
 * kubectl (test/unit/test-kust-json6902.c), the library's quirks included:
 *
 *  - A pointer is split at every '/' and its first piece is ignored,
 *    whatever it holds ("spec/a" means "/a"); "" has no parent.  "~1" and
 *    "~0" are decoded in one left-to-right pass; any other '~' stays.
 *  - List indices are read by Go's strconv.Atoi ("+1" and "01" are 1).
 *    Negative indices count from the end (add: from one past it).  "-"
 *    appends, for add only; add takes index == length.  A null is not a
 *    container: a pointer through it is a missing path.
 *  - replace of a missing map key adds it.  replace of "" swaps the whole
 *    object for a map or list value and silently ignores any other value.
 *    add and replace without a value, and copy from a missing key, write
 *    null.  move removes its source before it resolves its destination, so
 *    moving a map into its own child fails.
 *  - test compares maps by keys, lists in order and scalars by their JSON
 *    text: the object's as Go's encoding/json writes it, the patch's as
 *    written in JSON text (so 1 != 1.0 and "A" != "\u0041") or as Go writes
 *    it for YAML text.  null equals a missing key.
 *  - Afterwards kustomize reads the JSON back into float64s, so integers
 *    beyond 2^53 come back rounded, as floats.
 *
 * kubectl crashes (a nil pointer dereference in the library) on a few
 * inputs: test or replace "" without a value where one is read, and a test
 * that reaches a null list item.  Those fail here with a message saying so.
 * A value written by the patch itself is compared by test in its canonical
 * JSON text, where evanphx keeps the patch's spelling; only a test of what
 * the same patch just wrote can tell.
 */
#include "json6902.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "ga/json.h"
#include "util/utf8.h"

#define MAX_DEPTH GA_KUST_JSON6902_MAX_DEPTH
#define TEXT_KEY GA_KUST_JSON6902_TEXT_KEY

/* Integers up to this magnitude are exact in a float64. */
#define EXACT_INT ((int64_t)1 << 53)

/* Cap on a JSON text compared by test (a scalar of the object). */
#define TEXT_MAX ((size_t)64 << 20)

/* evanphx's messages for absent members. */
#define NO_PATH "operation missing path field: missing value"
#define NO_FROM "operation, missing from field: missing value"

/* compare() results besides negative error codes. */
enum { CMP_DIFF = 0, CMP_SAME = 1, CMP_CRASH = 2 };

/* One application of a patch to one object. */
struct ctx {
	ga_node *root;    /* working copy of the object */
	const char *name; /* the patch, for messages */
	size_t op;        /* index of the running operation */
	size_t work;      /* node visits left (GA_KUST_JSON6902_MAX_WORK) */
	ga_buf a, b;      /* scratch for the JSON texts test compares */
};

/* Where a pointer leads: the container and the decoded last segment. */
struct loc {
	ga_node *con; /* borrowed from ctx.root */
	char *key;    /* owned, NUL-terminated, may hold NUL */
	size_t klen;
	size_t level; /* '/' in the pointer: the nesting a value lands at */
};

/* Why a container operation failed, in evanphx's words. */
struct why {
	char msg[512];
};

static int fail(const struct ctx *c, int code, const char *fmt, ...)
    GA_PRINTF(3, 4);
static int why_set(struct why *w, const char *fmt, ...) GA_PRINTF(2, 3);

/* Set the message of the running operation; returns @code. */
static int fail(const struct ctx *c, int code, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ga_error_set(GA_ERRCLASS_KUSTOMIZE, "%s: op %zu: %s", c->name, c->op,
	             msg);
	return code;
}

static int why_set(struct why *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(w->msg, sizeof(w->msg), fmt, ap);
	va_end(ap);
	return GA_EINVALID;
}

static bool is_null(const ga_node *n)
{
	return !n || ga_node_type_of(n) == GA_NODE_NULL;
}

static bool is_container(const ga_node *n)
{
	return n && (ga_node_type_of(n) == GA_NODE_MAP ||
	             ga_node_type_of(n) == GA_NODE_LIST);
}

const char *ga_kust__json6902_go_kind(const ga_node *n)
{
	switch (ga_node_type_of(n)) {
	case GA_NODE_MAP:
		return "object";
	case GA_NODE_LIST:
		return "array";
	case GA_NODE_BOOL:
		return "bool";
	case GA_NODE_STRING:
		return "string";
	case GA_NODE_NULL:
		return "null";
	default:
		return "number";
	}
}

/*
 * Go's strconv.Quote of @len bytes, as NumError prints its input, into @out
 * (@cap bytes, NUL included; cut short when it does not fit).  Printable
 * UTF-8 is kept; C1 controls, which Go also escapes, are the only
 * non-ASCII escapes reproduced.
 */
static void go_quote(char *out, size_t cap, const char *s, size_t len)
{
	static const char esc[] = "\a\b\f\n\r\t\v\"\\";
	static const char name[] = "abfnrtv\"\\";
	size_t o = 0, i = 0;

	out[o++] = '"';
	while (i < len && o + 8 < cap) {
		unsigned char ch = (unsigned char)s[i];
		const char *e = ch ? strchr(esc, ch) : NULL;
		size_t k = ch < 0x80
		               ? 1
		               : ga_utf8_seq_len((const unsigned char *)s + i,
		                                 len - i);

		if (e) {
			out[o++] = '\\';
			out[o++] = name[e - esc];
		} else if (ch < 0x20 || ch == 0x7f || k == 0) {
			(void)snprintf(out + o, cap - o, "\\x%02x", ch);
			o += 4;
			k = 1;
		} else if (k == 2 && ch == 0xc2 &&
		           (unsigned char)s[i + 1] < 0xa0) {
			(void)snprintf(out + o, cap - o, "\\u%04x",
			               (unsigned char)s[i + 1]);
			o += 6;
		} else {
			memcpy(out + o, s + i, k);
			o += k;
		}
		i += k ? k : 1;
	}
	out[o++] = '"';
	out[o] = '\0';
}

/*
 * Go's strconv.Atoi (64-bit int): an optional sign, then decimal digits.
 * Like Go's ParseUint it reports the overflow as soon as the digits read
 * so far overflow, before it looks at the rest.  Returns 0, or -1 with
 * Go's message in @w.
 */
static int go_atoi(int64_t *out, const char *s, size_t len, struct why *w)
{
	const char *what = "invalid syntax";
	bool neg = len > 0 && s[0] == '-';
	size_t i = len > 0 && (s[0] == '-' || s[0] == '+') ? 1 : 0;
	uint64_t n = 0;
	char q[160];

	if (i == len)
		goto bad;
	for (; i < len; i++) {
		unsigned d = (unsigned)((unsigned char)s[i] - '0');

		if (d > 9)
			goto bad;
		if (n > (UINT64_MAX - d) / 10) {
			what = "value out of range";
			goto bad;
		}
		n = n * 10 + d;
	}
	if (n > (uint64_t)INT64_MAX + (neg ? 1 : 0)) {
		what = "value out of range";
		goto bad;
	}
	if (!neg)
		*out = (int64_t)n;
	else if (n == (uint64_t)INT64_MAX + 1)
		*out = INT64_MIN;
	else
		*out = -(int64_t)n;
	return 0;
bad:
	go_quote(q, sizeof(q), s, len);
	(void)why_set(w, "strconv.Atoi: parsing %s: %s", q, what);
	return -1;
}

static int bad_index(struct why *w, int64_t idx)
{
	return why_set(w,
	               "Unable to access invalid index: %" PRId64
	               ": invalid index referenced",
	               idx);
}

/*
 * The list position @key names for get, replace and remove: Atoi, then a
 * negative index counted from the end.  Returns 0 or GA_EINVALID (@w).
 */
static int list_index(size_t *out, const ga_node *list, const char *key,
                      size_t klen, struct why *w)
{
	int64_t n = (int64_t)ga_node_count(list), idx;

	if (go_atoi(&idx, key, klen, w) < 0)
		return GA_EINVALID;
	if (idx < 0 && idx < -n)
		return bad_index(w, idx);
	if (idx >= n)
		return bad_index(w, idx);
	*out = (size_t)(idx < 0 ? idx + n : idx);
	return 0;
}

/*
 * RFC 6901 unescaping as Go's strings.NewReplacer("~1", "/", "~0", "~")
 * does it: one pass, left to right, other '~' kept.  @out has room for
 * @len + 1 bytes; returns the decoded length (NUL-terminated).
 */
static size_t unescape(char *out, const char *s, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '~' && i + 1 < len &&
		    (s[i + 1] == '0' || s[i + 1] == '1')) {
			out[o++] = s[i + 1] == '1' ? '/' : '~';
			i++;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return o;
}

/* The child a middle segment names, or NULL (missing, null, bad index). */
static ga_node *child_of(ga_node *con, const char *key, size_t klen)
{
	struct why w = {""};
	size_t i = 0;
	ga_node *n;

	if (ga_node_type_of(con) == GA_NODE_MAP)
		n = ga_node_map_getn(con, key, klen);
	else if (list_index(&i, con, key, klen, &w) == 0)
		n = ga_node_list_get(con, i);
	else
		n = NULL;
	return is_container(n) ? n : NULL;
}

static size_t count_slashes(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == '/';
	return n;
}

static void loc_dispose(struct loc *l)
{
	ga_free(l->key);
	l->key = NULL;
}

/*
 * evanphx's findObject: walk every segment but the first and the last.
 * Returns 1 (found; @l filled, dispose it), 0 (missing), GA_ELIMIT or
 * GA_ENOMEM.
 */
static int find_object(struct ctx *c, struct loc *l, const char *path,
                       size_t len)
{
	const char *end = path + len, *seg, *next;
	size_t slashes = count_slashes(path, len);
	ga_node *con = c->root;
	char *buf;

	if (slashes == 0)
		return 0;
	if (slashes > MAX_DEPTH)
		return fail(c, GA_ELIMIT, "pointer deeper than %d segments",
		            MAX_DEPTH);
	if (!(buf = ga_malloc(len + 1)))
		return GA_ENOMEM;
	seg = (const char *)memchr(path, '/', len) + 1;
	while ((next = memchr(seg, '/', (size_t)(end - seg))) != NULL) {
		size_t n = unescape(buf, seg, (size_t)(next - seg));

		if (!(con = child_of(con, buf, n))) {
			ga_free(buf);
			return 0;
		}
		seg = next + 1;
	}
	l->klen = unescape(buf, seg, (size_t)(end - seg));
	l->key = buf;
	l->con = con;
	l->level = slashes;
	return 1;
}

/*
 * Visit @n, placed at nesting @level, against the work budget; fails when
 * anything in it would sit deeper than MAX_DEPTH.  Also counts the nodes a
 * copy is about to clone.
 */
static int measure(struct ctx *c, const ga_node *n, size_t level)
{
	int err;

	if (level > MAX_DEPTH)
		return fail(c, GA_ELIMIT,
		            "the result would nest deeper than %d levels",
		            MAX_DEPTH);
	if (c->work == 0)
		return fail(c, GA_ELIMIT, "the patch visits more than %d nodes",
		            GA_KUST_JSON6902_MAX_WORK);
	c->work--;
	if (!is_container(n))
		return 0;
	for (size_t i = 0; i < ga_node_count(n); i++) {
		const ga_node *child = ga_node_type_of(n) == GA_NODE_MAP
		                           ? ga_node_map_value(n, i)
		                           : ga_node_list_get(n, i);
		if ((err = measure(c, child, level + 1)) < 0)
			return err;
	}
	return 0;
}

/* A copy of @v (NULL: a new null) to be placed at @level. */
static int value_copy(struct ctx *c, ga_node **out, const ga_node *v,
                      size_t level)
{
	int err;

	if (!v)
		return ga_node_new_null(out);
	if ((err = measure(c, v, level)) < 0)
		return err;
	return ga_node_clone(out, v);
}

/* Put @item (taken) at index @i of @list in place of what is there. */
static int list_put(ga_node *list, size_t i, ga_node *item)
{
	ga_node_free(ga_node_list_remove(list, i));
	return ga_node_list_insert_take(list, i, item);
}

/*
 * evanphx's container get: 0 with *out the value (NULL when missing or
 * null), or GA_EINVALID (@w) for a bad list index.  @idx receives the list
 * position.
 */
static int con_get(const ga_node **out, size_t *idx, const struct loc *l,
                   struct why *w)
{
	const ga_node *n;

	*idx = 0;
	if (ga_node_type_of(l->con) == GA_NODE_MAP)
		n = ga_node_map_getn(l->con, l->key, l->klen);
	else if (list_index(idx, l->con, l->key, l->klen, w) < 0)
		return GA_EINVALID;
	else
		n = ga_node_list_get(l->con, *idx);
	*out = is_null(n) ? NULL : n;
	return 0;
}

/* evanphx's container add; takes @v.  0, GA_EINVALID (@w) or GA_ENOMEM. */
static int con_add(const struct loc *l, ga_node *v, struct why *w)
{
	int64_t n = (int64_t)ga_node_count(l->con) + 1, idx;

	if (ga_node_type_of(l->con) == GA_NODE_MAP)
		return ga_node_map_setn_take(l->con, l->key, l->klen, v);
	if (l->klen == 1 && l->key[0] == '-')
		return ga_node_list_append_take(l->con, v);
	if (go_atoi(&idx, l->key, l->klen, w) < 0) {
		char msg[sizeof(w->msg)];

		memcpy(msg, w->msg, sizeof(msg));
		ga_node_free(v);
		return why_set(w,
		               "value was not a proper array index: '%s': %s",
		               l->key, msg);
	}
	if (idx >= n || idx < -n) {
		ga_node_free(v);
		return bad_index(w, idx);
	}
	return ga_node_list_insert_take(l->con,
	                                (size_t)(idx < 0 ? idx + n : idx), v);
}

/*
 * Take the entry @l->key out of the map @l->con.  The node API removes only
 * NUL-free keys, so a key holding NUL (JSON "\u0000") is dropped by putting
 * a copy of the map without it where the map was, found again through the
 * pointer @path; that frees @l->con.
 */
static int map_take(struct ctx *c, const struct loc *l, const char *path,
                    size_t plen, ga_node **taken)
{
	const char *cut = memchr(l->key, '\0', l->klen) ? path + plen : NULL;
	ga_node *copy = NULL, *v = NULL;
	struct loc up = {0};
	struct why w = {""};
	size_t idx = 0, len = 0;
	int err;

	if (!cut) {
		*taken = ga_node_map_remove(l->con, l->key);
		return 0;
	}
	if ((err = ga_node_new_map(&copy)) < 0)
		return err;
	for (size_t i = 0; i < ga_node_count(l->con); i++) {
		const char *k = ga_node_map_key(l->con, i, &len);
		bool hit = len == l->klen && memcmp(k, l->key, len) == 0;

		if ((err = ga_node_clone(&v, ga_node_map_value(l->con, i))) < 0)
			goto out;
		if (hit)
			*taken = v;
		else if ((err = ga_node_map_setn_take(copy, k, len, v)) < 0)
			goto out;
		v = NULL;
	}
	while (cut[-1] != '/')
		cut--;
	plen = (size_t)(cut - 1 - path);
	if (count_slashes(path, plen) == 0) {
		ga_node_free(c->root);
		c->root = copy;
		copy = NULL;
	} else if ((err = find_object(c, &up, path, plen)) == 1) {
		if (ga_node_type_of(up.con) == GA_NODE_MAP) {
			err = ga_node_map_setn_take(up.con, up.key, up.klen,
			                            copy);
			copy = NULL;
		} else if ((err = list_index(&idx, up.con, up.key, up.klen,
		                             &w)) == 0) {
			err = list_put(up.con, idx, copy);
			copy = NULL;
		}
	}
out:
	loc_dispose(&up);
	ga_node_free(copy);
	return err < 0 ? err : 0;
}

/*
 * evanphx's container remove: 0 with the removed value in *taken (owned),
 * GA_EINVALID (@w) or GA_ENOMEM.  May free @l->con (see map_take).
 */
static int con_remove(struct ctx *c, const struct loc *l, const char *path,
                      size_t plen, ga_node **taken, struct why *w)
{
	int64_t n = (int64_t)ga_node_count(l->con), idx;

	*taken = NULL;
	if (ga_node_type_of(l->con) == GA_NODE_MAP) {
		if (!ga_node_map_getn(l->con, l->key, l->klen))
			return why_set(w,
			               "Unable to remove nonexistent key: %s: "
			               "missing value",
			               l->key);
		return map_take(c, l, path, plen, taken);
	}
	if (go_atoi(&idx, l->key, l->klen, w) < 0)
		return GA_EINVALID;
	if (idx >= n || idx < -n)
		return bad_index(w, idx);
	*taken = ga_node_list_remove(l->con, (size_t)(idx < 0 ? idx + n : idx));
	return 0;
}

/*
 * The member @key of @op as evanphx's Path() and From() read it.  Returns
 * 0, or GA_EINVALID with the reason in @w (@missing when absent or null).
 */
static int op_str(const char **s, size_t *len, const ga_node *op,
                  const char *key, const char *missing, struct why *w)
{
	const ga_node *v = ga_node_map_get(op, key);

	if (is_null(v))
		return why_set(w, "%s", missing);
	if (ga_node_type_of(v) != GA_NODE_STRING)
		return why_set(
		    w,
		    "json: cannot unmarshal %s into Go value of type "
		    "string",
		    ga_kust__json6902_go_kind(v));
	*s = ga_node_str(v);
	*len = ga_node_str_len(v);
	return 0;
}

/* The JSON text of a scalar as Go's encoding/json writes it, into @buf. */
static int json_text(ga_buf *buf, const ga_node *n)
{
	ga_buf_clear(buf);
	return ga_json_emit(buf, n, GA_JSON_COMPACT | GA_JSON_GO_ESCAPE);
}

/*
 * evanphx's lazyNode.equal between the object's value @d (not null) and
 * the test value @v, with @t the value as written (TEXT_KEY) or NULL.
 * Returns CMP_SAME, CMP_DIFF, CMP_CRASH (kubectl dereferences a nil list
 * item) or a negative error.
 */
static int compare(struct ctx *c, const ga_node *d, const ga_node *v,
                   const ga_node *t)
{
	ga_node_type dt = ga_node_type_of(d);
	const char *vt;
	size_t n = ga_node_count(d), vlen;
	int r;

	if (c->work == 0)
		return fail(c, GA_ELIMIT, "the patch visits more than %d nodes",
		            GA_KUST_JSON6902_MAX_WORK);
	c->work--;
	if (dt == GA_NODE_MAP || dt == GA_NODE_LIST) {
		if (ga_node_type_of(v) != dt || ga_node_count(v) != n)
			return CMP_DIFF;
		for (size_t i = 0; i < n; i++) {
			size_t klen = 0;
			const char *k = dt == GA_NODE_MAP
			                    ? ga_node_map_key(d, i, &klen)
			                    : NULL;
			const ga_node *dv = k ? ga_node_map_value(d, i)
			                      : ga_node_list_get(d, i);
			const ga_node *vv = k ? ga_node_map_getn(v, k, klen)
			                      : ga_node_list_get(v, i);
			const ga_node *tv = !t  ? NULL
			                    : k ? ga_node_map_getn(t, k, klen)
			                        : ga_node_list_get(t, i);

			if (!vv)
				return CMP_DIFF;
			if (!k && (is_null(dv) || is_null(vv)))
				return CMP_CRASH;
			if (is_null(dv) || is_null(vv)) {
				if (is_null(dv) != is_null(vv))
					return CMP_DIFF;
				continue;
			}
			if ((r = compare(c, dv, vv, tv)) != CMP_SAME)
				return r;
		}
		return CMP_SAME;
	}
	if (is_container(v))
		return CMP_DIFF;
	if ((r = json_text(&c->a, d)) < 0)
		return r;
	if (t && ga_node_type_of(t) == GA_NODE_STRING) {
		vt = ga_node_str(t);
		vlen = ga_node_str_len(t);
	} else {
		if ((r = json_text(&c->b, v)) < 0)
			return r;
		vt = ga_buf_cstr(&c->b);
		vlen = c->b.size;
	}
	return vlen == c->a.size && memcmp(vt, c->a.ptr, vlen) == 0 ? CMP_SAME
	                                                            : CMP_DIFF;
}

static int crash(const struct ctx *c, const char *what, const char *path)
{
	return fail(c, GA_EINVALID,
	            "%s operation on '%s': kubectl v1.32 crashes here (nil "
	            "pointer dereference in evanphx/json-patch)",
	            what, path);
}

static int op_add(struct ctx *c, const ga_node *op)
{
	struct loc l = {0};
	struct why w = {""};
	const char *path = NULL;
	size_t plen = 0;
	ga_node *v = NULL;
	int err;

	if (op_str(&path, &plen, op, "path", NO_PATH, &w) < 0)
		return fail(
		    c, GA_EINVALID,
		    "add operation failed to decode path: missing value");
	if ((err = find_object(c, &l, path, plen)) == 0)
		return fail(
		    c, GA_EINVALID,
		    "add operation does not apply: doc is missing path: "
		    "\"%s\": missing value",
		    path);
	if (err < 0)
		return err;
	err = value_copy(c, &v, ga_node_map_get(op, "value"), l.level);
	if (!err && (err = con_add(&l, v, &w)) == GA_EINVALID)
		err = fail(c, err, "error in add for path: '%s': %s", path,
		           w.msg);
	loc_dispose(&l);
	return err;
}

static int op_remove(struct ctx *c, const ga_node *op)
{
	struct loc l = {0};
	struct why w = {""};
	const char *path = NULL;
	size_t plen = 0;
	ga_node *gone = NULL;
	int err;

	if (op_str(&path, &plen, op, "path", NO_PATH, &w) < 0)
		return fail(c, GA_EINVALID,
		            "remove operation failed to decode "
		            "path: missing value");
	if ((err = find_object(c, &l, path, plen)) == 0)
		return fail(c, GA_EINVALID,
		            "remove operation does not apply: doc is missing "
		            "path: \"%s\": missing value",
		            path);
	if (err < 0)
		return err;
	if ((err = con_remove(c, &l, path, plen, &gone, &w)) == GA_EINVALID)
		err = fail(c, err, "error in remove for path: '%s': %s", path,
		           w.msg);
	ga_node_free(gone);
	loc_dispose(&l);
	return err;
}

/* replace "": a map or list value becomes the object; others are no-ops. */
static int replace_root(struct ctx *c, const ga_node *op)
{
	const ga_node *v = ga_node_map_get(op, "value");
	ga_node *copy = NULL;
	int err;

	if (!v)
		return crash(c, "replace", "");
	if (!is_container(v))
		return 0;
	if ((err = value_copy(c, &copy, v, 0)) < 0)
		return err;
	ga_node_free(c->root);
	c->root = copy;
	return 0;
}

static int op_replace(struct ctx *c, const ga_node *op)
{
	struct loc l = {0};
	struct why w = {""};
	const char *path = NULL;
	const ga_node *old;
	size_t plen = 0, idx = 0;
	ga_node *v = NULL;
	int err;

	if (op_str(&path, &plen, op, "path", NO_PATH, &w) < 0)
		return fail(c, GA_EINVALID,
		            "replace operation failed to decode path: %s",
		            w.msg);
	if (plen == 0)
		return replace_root(c, op);
	if ((err = find_object(c, &l, path, plen)) == 0)
		return fail(c, GA_EINVALID,
		            "replace operation does not apply: doc is missing "
		            "path: %s: missing value",
		            path);
	if (err < 0)
		return err;
	if (con_get(&old, &idx, &l, &w) < 0) {
		err = fail(c, GA_EINVALID,
		           "replace operation does not apply: doc is missing "
		           "key: %s: missing value",
		           path);
	} else if (!(err = value_copy(c, &v, ga_node_map_get(op, "value"),
	                              l.level))) {
		if (ga_node_type_of(l.con) == GA_NODE_MAP)
			err = ga_node_map_setn_take(l.con, l.key, l.klen, v);
		else
			err = list_put(l.con, idx, v);
	}
	loc_dispose(&l);
	return err;
}

/* The second half of move: put @v (taken) where "path" points. */
static int move_to(struct ctx *c, const ga_node *op, ga_node *v)
{
	struct loc l = {0};
	struct why w = {""};
	const char *path = NULL;
	size_t plen = 0;
	int err;

	if (op_str(&path, &plen, op, "path", NO_PATH, &w) < 0) {
		ga_node_free(v);
		return fail(c, GA_EINVALID,
		            "move operation failed to decode path: %s", w.msg);
	}
	if ((err = find_object(c, &l, path, plen)) <= 0) {
		ga_node_free(v);
		return err < 0 ? err
		               : fail(c, GA_EINVALID,
		                      "move operation does not apply: doc is "
		                      "missing destination path: %s: missing "
		                      "value",
		                      path);
	}
	if ((err = measure(c, v, l.level)) < 0)
		ga_node_free(v);
	else if ((err = con_add(&l, v, &w)) == GA_EINVALID)
		err = fail(c, err, "error in move for path: '%s': %s", path,
		           w.msg);
	loc_dispose(&l);
	return err;
}

static int op_move(struct ctx *c, const ga_node *op)
{
	struct loc l = {0};
	struct why w = {""};
	const char *from = NULL;
	const ga_node *cur;
	size_t flen = 0, idx = 0;
	ga_node *v = NULL;
	int err;

	if (op_str(&from, &flen, op, "from", NO_FROM, &w) < 0)
		return fail(c, GA_EINVALID,
		            "move operation failed to decode from: %s", w.msg);
	if ((err = find_object(c, &l, from, flen)) == 0)
		return fail(
		    c, GA_EINVALID,
		    "move operation does not apply: doc is missing from "
		    "path: %s: missing value",
		    from);
	if (err < 0)
		return err;
	if (con_get(&cur, &idx, &l, &w) < 0 ||
	    (err = con_remove(c, &l, from, flen, &v, &w)) == GA_EINVALID)
		err = fail(c, GA_EINVALID, "error in move for path: '%s': %s",
		           l.key, w.msg);
	loc_dispose(&l);
	if (err < 0) {
		ga_node_free(v);
		return err;
	}
	return move_to(c, op, v);
}

static int op_copy(struct ctx *c, const ga_node *op)
{
	struct loc src = {0}, dst = {0};
	struct why w = {""};
	const char *from = NULL, *path = NULL;
	const ga_node *cur;
	size_t flen = 0, plen = 0, idx = 0;
	ga_node *v = NULL;
	int err;

	if (op_str(&from, &flen, op, "from", NO_FROM, &w) < 0)
		return fail(c, GA_EINVALID,
		            "copy operation failed to decode from: %s", w.msg);
	if ((err = find_object(c, &src, from, flen)) == 0)
		return fail(
		    c, GA_EINVALID,
		    "copy operation does not apply: doc is missing from "
		    "path: %s: missing value",
		    from);
	if (err < 0)
		return err;
	if (con_get(&cur, &idx, &src, &w) < 0)
		err = fail(c, GA_EINVALID, "error in copy for from: '%s': %s",
		           from, w.msg);
	else if (op_str(&path, &plen, op, "path", NO_PATH, &w) < 0)
		err =
		    fail(c, GA_EINVALID,
		         "copy operation failed to decode path: missing value");
	else if ((err = find_object(c, &dst, path, plen)) == 0)
		err = fail(c, GA_EINVALID,
		           "copy operation does not apply: doc is missing "
		           "destination path: %s: missing value",
		           path);
	else if (err > 0 && !(err = value_copy(c, &v, cur, dst.level)) &&
	         (err = con_add(&dst, v, &w)) == GA_EINVALID)
		err = fail(c, err, "error while adding value during copy: %s",
		           w.msg);
	loc_dispose(&src);
	loc_dispose(&dst);
	return err;
}

/* test of "", the whole object. */
static int test_root(struct ctx *c, const ga_node *op)
{
	const ga_node *v = ga_node_map_get(op, "value");
	int r;

	if (!v)
		return crash(c, "test", "");
	r = compare(c, c->root, v, ga_node_map_get(op, TEXT_KEY));
	if (r == CMP_CRASH)
		return crash(c, "test", "");
	if (r == CMP_DIFF)
		return fail(c, GA_EINVALID,
		            "testing value  failed: test failed");
	return r < 0 ? r : 0;
}

static int op_test(struct ctx *c, const ga_node *op)
{
	const ga_node *v = ga_node_map_get(op, "value"), *cur;
	struct loc l = {0};
	struct why w = {""};
	const char *path = NULL;
	size_t plen = 0, idx = 0;
	int err, r = CMP_SAME;

	if (op_str(&path, &plen, op, "path", NO_PATH, &w) < 0)
		return fail(c, GA_EINVALID,
		            "test operation failed to decode path: %s", w.msg);
	if (plen == 0)
		return test_root(c, op);
	if ((err = find_object(c, &l, path, plen)) == 0)
		return fail(
		    c, GA_EINVALID,
		    "test operation does not apply: is missing path: %s: "
		    "missing value",
		    path);
	if (err < 0)
		return err;
	err = 0;
	if (con_get(&cur, &idx, &l, &w) < 0)
		err = fail(c, GA_EINVALID, "error in test for path: '%s': %s",
		           path, w.msg);
	else if (!v && !cur)
		err = crash(c, "test", path);
	else if (!cur || !v)
		r = !cur && is_null(v) ? CMP_SAME : CMP_DIFF;
	else
		r = compare(c, cur, v, ga_node_map_get(op, TEXT_KEY));
	loc_dispose(&l);
	if (err < 0 || r < 0)
		return err < 0 ? err : r;
	if (r == CMP_CRASH)
		return crash(c, "test", path);
	if (r == CMP_DIFF)
		return fail(c, GA_EINVALID,
		            "testing value %s failed: test failed", path);
	return 0;
}

/* Run one operation, dispatching on its "op" as evanphx's Kind() reads it. */
static int run_op(struct ctx *c, const ga_node *op)
{
	static const struct {
		const char *kind;
		int (*fn)(struct ctx *, const ga_node *);
	} ops[] = {
	    {"add", op_add},   {"remove", op_remove}, {"replace", op_replace},
	    {"move", op_move}, {"test", op_test},     {"copy", op_copy},
	};
	const ga_node *k = ga_node_map_get(op, "op");
	const char *kind = "unknown";
	size_t klen = strlen(kind);

	if (k && ga_node_type_of(k) == GA_NODE_STRING) {
		kind = ga_node_str(k);
		klen = ga_node_str_len(k);
	}
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strlen(ops[i].kind) == klen &&
		    memcmp(ops[i].kind, kind, klen) == 0)
			return ops[i].fn(c, op);
	return fail(c, GA_EINVALID, "Unexpected kind: %s", kind);
}

/*
 * kustomize reads the patched JSON back through float64: integers that a
 * float64 cannot hold exactly come back rounded, and print as floats.
 */
static int float_ints(ga_node *n)
{
	bool is_map = ga_node_type_of(n) == GA_NODE_MAP;
	int err;

	for (size_t i = 0; is_container(n) && i < ga_node_count(n); i++) {
		ga_node *v = is_map ? ga_node_map_value(n, i)
		                    : ga_node_list_get(n, i),
		        *f = NULL;
		int64_t iv = ga_node_int(v);
		size_t klen;
		const char *k;

		if (is_container(v)) {
			if ((err = float_ints(v)) < 0)
				return err;
			continue;
		}
		if (ga_node_type_of(v) != GA_NODE_INT ||
		    (!ga_node_is_uint(v) && iv <= EXACT_INT &&
		     iv >= -EXACT_INT))
			continue;
		err = ga_node_new_float(&f, ga_node_is_uint(v)
		                                ? (double)ga_node_uint(v)
		                                : (double)iv);
		if (err < 0)
			return err;
		k = is_map ? ga_node_map_key(n, i, &klen) : NULL;
		err = k ? ga_node_map_setn_take(n, k, klen, f)
		        : list_put(n, i, f);
		if (err < 0)
			return err;
	}
	return 0;
}

int ga_kust__json6902_apply(ga_node **doc, const ga_node *ops, const char *name)
{
	struct ctx c = {NULL,
	                name ? name : "patch",
	                0,
	                GA_KUST_JSON6902_MAX_WORK,
	                GA_BUF_INIT(TEXT_MAX),
	                GA_BUF_INIT(TEXT_MAX)};
	size_t n;
	int err = 0;

	if (!doc || !*doc || ga_node_type_of(*doc) != GA_NODE_MAP || !ops ||
	    ga_node_type_of(ops) != GA_NODE_LIST) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: a JSON patch needs an object and a list of "
		             "operations",
		             c.name);
		return GA_EINVALID;
	}
	if ((n = ga_node_count(ops)) > GA_KUST_JSON6902_MAX_OPS) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: %zu operations; at most %d are allowed",
		             c.name, n, GA_KUST_JSON6902_MAX_OPS);
		return GA_ELIMIT;
	}
	if ((err = ga_node_clone(&c.root, *doc)) < 0)
		goto out;
	for (c.op = 0; c.op < n; c.op++)
		if ((err = run_op(&c, ga_node_list_get(ops, c.op))) < 0)
			goto out;
	if (ga_node_type_of(c.root) != GA_NODE_MAP) {
		ga_error_set(
		    GA_ERRCLASS_KUSTOMIZE,
		    "%s: json: cannot unmarshal array into Go value of "
		    "type map[string]interface {}",
		    c.name);
		err = GA_EINVALID;
		goto out;
	}
	if ((err = float_ints(c.root)) < 0)
		goto out;
	ga_node_free(*doc);
	*doc = c.root;
	c.root = NULL;
out:
	ga_node_free(c.root);
	ga_buf_dispose(&c.a);
	ga_buf_dispose(&c.b);
	return err;
}
