/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Field sets of server-side apply (sigs.k8s.io/structured-merge-diff
 * fieldpath.Set) in the fieldsV1 encoding of metadata.managedFields: "f:"
 * names a map field, "k:" a list item by its merge keys (a JSON object
 * with the keys in sorted order), "v:" an item of a set list by its JSON
 * value, and "." the node itself.  ssa.h describes the normal form used
 * here.  The merge and the removal follow the same list semantics as the
 * sets, so that what a manager owns is exactly what apply can remove.
 */
#include "ssa.h"

#include <string.h>

#include "ga/error.h"
#include "ga/json.h"

/* Deepest nesting walked: beyond what ga_json_parse() accepts (512). */
#define MAX_DEPTH 600

static int mark(ga_node *set)
{
	ga_node *leaf;
	int err;

	if (ks_get(set, "."))
		return 0;
	if ((err = ga_node_new_map(&leaf)) < 0)
		return err;
	return ga_node_map_set_take(set, ".", leaf);
}

/* The child @key (@len bytes) of @set, added empty when absent. */
static int child(ga_node **out, ga_node *set, const char *key, size_t len)
{
	ga_node *c = ga_node_map_getn(set, key, len);
	int err;

	if (!c) {
		if ((err = ga_node_new_map(&c)) < 0 ||
		    (err = ga_node_map_setn_take(set, key, len, c)) < 0)
			return err;
		c = ga_node_map_getn(set, key, len);
	}
	*out = c;
	return 0;
}

/* The child "f:<name>" of @set. */
static int field(ga_node **out, ga_node *set, const char *name, size_t len)
{
	ga_buf k = GA_BUF_INIT(KS_SSA_BUF_MAX);
	int err;

	if ((err = ga_buf_puts(&k, "f:")) < 0 ||
	    (err = ga_buf_put(&k, name, len)) < 0 ||
	    (err = child(out, set, k.ptr, k.size)) < 0) {
		ga_buf_dispose(&k);
		return err;
	}
	ga_buf_dispose(&k);
	return 0;
}

/* Drop the child @key of @set when nothing was recorded under it. */
static void prune(ga_node *set, const char *key)
{
	if (!ks_count(ks_get(set, key)))
		ga_node_free(ga_node_map_remove(set, key));
}

typedef struct list_kind {
	ga_kust_list_kind kind;
	const char *keys[2];
	size_t nkeys;
	const ga_kust_schema_at *items;
} list_kind;

static list_kind list_of(const ga_kust_schema_at *at)
{
	list_kind lk;

	lk.kind = ga_kust_schema_list(at, lk.keys, &lk.nkeys);
	lk.items = ga_kust_schema_child(at, NULL);
	if (lk.nkeys == 2 && strcmp(lk.keys[0], lk.keys[1]) > 0) {
		const char *t = lk.keys[0];
		lk.keys[0] = lk.keys[1];
		lk.keys[1] = t;
	}
	return lk;
}

/* "k:{...}" of @item; 1 when it lacks its keys (the list is atomic). */
static int item_key(ga_buf *b, const ga_node *item, const list_kind *lk)
{
	size_t i, found = 0;
	int err = 0;

	ga_buf_clear(b);
	if (ks_type(item) != GA_NODE_MAP)
		return 1;
	(void)ga_buf_puts(b, "k:{");
	for (i = 0; i < lk->nkeys; i++) {
		const ga_node *v = ks_get(item, lk->keys[i]);
		bool tcp = !v && strcmp(lk->keys[i], "protocol") == 0;
		if (!tcp && (!v || !ga_node_is_scalar(v)))
			continue;
		(void)ga_buf_puts(b, found++ ? "," : "");
		(void)ga_json_quote(b, lk->keys[i]);
		(void)ga_buf_putc(b, ':');
		/* The one defaulted key: a port's protocol is TCP unless
		 * set, so the applied and the stored item match. */
		if ((err = tcp ? ga_buf_puts(b, "\"TCP\"")
		               : ga_json_emit(b, v, GA_JSON_COMPACT)) < 0)
			return err;
	}
	if ((err = ga_buf_putc(b, '}')) < 0)
		return err;
	return found ? 0 : 1;
}

/* Whether every item of @list has its keys. */
static bool keyable(const ga_node *list, const list_kind *lk)
{
	ga_buf b = GA_BUF_INIT(KS_SSA_BUF_MAX);
	size_t i;
	bool ok = lk->kind == GA_KUST_LIST_KIND_KEYS;

	for (i = 0; ok && list && i < ks_count(list); i++)
		ok = item_key(&b, ks_item(list, i), lk) == 0;
	ga_buf_dispose(&b);
	return ok;
}

/* "v:<json>" of a set item. */
static int value_key(ga_buf *b, const ga_node *v)
{
	ga_buf_clear(b);
	(void)ga_buf_puts(b, "v:");
	return ga_json_emit(b, v, GA_JSON_COMPACT);
}

static int of_value(ga_node *into, const ga_node *v,
                    const ga_kust_schema_at *at, unsigned depth);

/*
 * Whether the field @k holding @v is a metav1.LabelSelector, which the
 * schema marks x-kubernetes-map-type: atomic: owned, merged and replaced
 * whole.  Recognised by shape, as the merge-key table knows no maps; a
 * Service's spec.selector (a plain string map) is not one.
 */
static bool atomic_map(const char *k, const ga_node *v)
{
	size_t i, n = strlen(k);

	if (ks_type(v) != GA_NODE_MAP || !ks_count(v) || n < 8 ||
	    strcmp(k + n - 7, "elector") != 0)
		return false;
	for (i = 0; i < ks_count(v); i++) {
		const char *f = ga_node_map_key(v, i, NULL);
		if (strcmp(f, "matchLabels") != 0 &&
		    strcmp(f, "matchExpressions") != 0)
			return false;
	}
	return true;
}

static int of_fields(ga_node *into, const ga_node *map,
                     const ga_kust_schema_at *at, unsigned depth)
{
	size_t i, len;
	int err;

	for (i = 0; i < ks_count(map); i++) {
		const char *k = ga_node_map_key(map, i, &len);
		ga_node *c;
		const ga_node *v = ga_node_map_value(map, i);
		if ((err = field(&c, into, k, len)) < 0 ||
		    (err = atomic_map(k, v)
		               ? mark(c)
		               : of_value(c, v, ga_kust_schema_child(at, k),
		                          depth + 1)) < 0)
			return err;
	}
	return 0;
}

static int of_list(ga_node *into, const ga_node *list,
                   const ga_kust_schema_at *at, unsigned depth)
{
	list_kind lk = list_of(at);
	ga_buf b = GA_BUF_INIT(KS_SSA_BUF_MAX);
	size_t i;
	int err = 0;

	if (!ks_count(list) ||
	    (lk.kind == GA_KUST_LIST_KIND_KEYS && !keyable(list, &lk)) ||
	    lk.kind == GA_KUST_LIST_KIND_ATOMIC)
		return mark(into);
	for (i = 0; err == 0 && i < ks_count(list); i++) {
		const ga_node *item = ks_item(list, i);
		ga_node *c;
		if (lk.kind == GA_KUST_LIST_KIND_SET)
			err = value_key(&b, item);
		else
			err = item_key(&b, item, &lk);
		if (err == 0 && (err = child(&c, into, b.ptr, b.size)) == 0 &&
		    (err = mark(c)) == 0 && lk.kind == GA_KUST_LIST_KIND_KEYS)
			err = of_fields(c, item, lk.items, depth + 1);
	}
	ga_buf_dispose(&b);
	return err;
}

static int of_value(ga_node *into, const ga_node *v,
                    const ga_kust_schema_at *at, unsigned depth)
{
	if (depth > MAX_DEPTH) {
		ga_error_set(GA_ERRCLASS_INVALID, "object nested too deeply");
		return GA_ELIMIT;
	}
	if (ks_type(v) == GA_NODE_MAP && ks_count(v))
		return of_fields(into, v, at, depth);
	if (ks_type(v) == GA_NODE_LIST)
		return of_list(into, v, at, depth);
	return mark(into);
}

int ks_fs_of(ga_node **out, const ga_node *v, const ga_kust_schema_at *at)
{
	ga_node *set = NULL;
	int err;

	if ((err = ga_node_new_map(&set)) < 0 ||
	    (err = of_fields(set, v, at, 0)) < 0) {
		ga_node_free(set);
		return err;
	}
	*out = set;
	return 0;
}

static int diff_value(ga_node *into, const ga_node *old, const ga_node *now,
                      const ga_kust_schema_at *at, unsigned depth);

/* Drop the empty child "f:<name>" of @set (a reordered keyed list). */
static void prune_field(ga_node *set, const char *name, size_t len)
{
	ga_buf k = GA_BUF_INIT(KS_SSA_BUF_MAX);

	if (ga_buf_puts(&k, "f:") == 0 && ga_buf_put(&k, name, len) == 0)
		prune(set, ga_buf_cstr(&k));
	ga_buf_dispose(&k);
}

static int diff_fields(ga_node *into, const ga_node *old, const ga_node *now,
                       const ga_kust_schema_at *at, unsigned depth)
{
	const ga_node *sides[2] = {now, old};
	size_t s, i, len;
	int err;

	for (s = 0; s < 2; s++)
		for (i = 0; i < ks_count(sides[s]); i++) {
			const char *k = ga_node_map_key(sides[s], i, &len);
			const ga_node *a = ga_node_map_getn(old, k, len);
			const ga_node *b = ga_node_map_getn(now, k, len);
			ga_node *c;
			if ((s == 1 && b) || ks_equal(a, b))
				continue;
			if ((err = field(&c, into, k, len)) < 0)
				return err;
			if (atomic_map(k, a) || atomic_map(k, b))
				err = mark(c);
			else
				err = diff_value(c, a, b,
				                 ga_kust_schema_child(at, k),
				                 depth + 1);
			if (err < 0)
				return err;
			if (!ks_count(c))
				prune_field(into, k, len);
		}
	return 0;
}

/* The item of @list whose key is @key, or NULL. */
static const ga_node *find_item(const ga_node *list, const ga_buf *key,
                                const list_kind *lk, size_t *at)
{
	ga_buf b = GA_BUF_INIT(KS_SSA_BUF_MAX);
	size_t i;

	for (i = 0; i < ks_count(list); i++) {
		const ga_node *item = ks_item(list, i);
		int rc = lk->kind == GA_KUST_LIST_KIND_SET
		             ? value_key(&b, item)
		             : item_key(&b, item, lk);
		if (rc == 0 && b.size == key->size &&
		    memcmp(b.ptr, key->ptr, b.size) == 0) {
			ga_buf_dispose(&b);
			if (at)
				*at = i;
			return item;
		}
	}
	ga_buf_dispose(&b);
	return NULL;
}

/* The items of @from missing or different in @other (both keyed). */
static int diff_items(ga_node *into, const ga_node *from, const ga_node *other,
                      const list_kind *lk, bool both_ways, unsigned depth)
{
	ga_buf b = GA_BUF_INIT(KS_SSA_BUF_MAX);
	size_t i;
	int err = 0;

	for (i = 0; err == 0 && i < ks_count(from); i++) {
		const ga_node *item = ks_item(from, i), *was;
		ga_node *c;
		err = lk->kind == GA_KUST_LIST_KIND_SET
		          ? value_key(&b, item)
		          : item_key(&b, item, lk);
		was = err == 0 ? find_item(other, &b, lk, NULL) : NULL;
		if (err < 0 || (was && (!both_ways || ks_equal(was, item))))
			continue;
		if ((err = child(&c, into, b.ptr, b.size)) < 0)
			break;
		if (was)
			err = diff_fields(c, was, item, lk->items, depth + 1);
		else if ((err = mark(c)) == 0 &&
		         lk->kind == GA_KUST_LIST_KIND_KEYS)
			err = of_fields(c, item, lk->items, depth + 1);
	}
	ga_buf_dispose(&b);
	return err;
}

static int diff_value(ga_node *into, const ga_node *old, const ga_node *now,
                      const ga_kust_schema_at *at, unsigned depth)
{
	list_kind lk;
	int err;

	if (depth > MAX_DEPTH) {
		ga_error_set(GA_ERRCLASS_INVALID, "object nested too deeply");
		return GA_ELIMIT;
	}
	if (!old || !now)
		return of_value(into, old ? old : now, at, depth);
	if (ks_type(old) == GA_NODE_MAP && ks_type(now) == GA_NODE_MAP)
		return diff_fields(into, old, now, at, depth);
	lk = list_of(at);
	if (ks_type(old) != GA_NODE_LIST || ks_type(now) != GA_NODE_LIST ||
	    lk.kind == GA_KUST_LIST_KIND_ATOMIC ||
	    (lk.kind == GA_KUST_LIST_KIND_KEYS &&
	     (!keyable(old, &lk) || !keyable(now, &lk))))
		return mark(into);
	if ((err = diff_items(into, now, old, &lk, true, depth)) < 0)
		return err;
	return diff_items(into, old, now, &lk, false, depth);
}

int ks_fs_diff(ga_node **out, const ga_node *old, const ga_node *now,
               const ga_kust_schema_at *at)
{
	ga_node *set = NULL;
	int err;

	if ((err = ga_node_new_map(&set)) < 0 ||
	    (err = diff_fields(set, old, now, at, 0)) < 0) {
		ga_node_free(set);
		return err;
	}
	*out = set;
	return 0;
}

int ks_fs_union(ga_node *into, const ga_node *add)
{
	size_t i, len;
	int err;

	for (i = 0; i < ks_count(add); i++) {
		const char *k = ga_node_map_key(add, i, &len);
		ga_node *c;
		if ((err = child(&c, into, k, len)) < 0 ||
		    (err = ks_fs_union(c, ga_node_map_value(add, i))) < 0)
			return err;
	}
	return 0;
}

void ks_fs_subtract(ga_node *from, const ga_node *sub)
{
	size_t i, len;

	for (i = 0; i < ks_count(sub); i++) {
		const char *k = ga_node_map_key(sub, i, &len);
		ga_node *c = ga_node_map_getn(from, k, len);
		if (!c)
			continue;
		if (strcmp(k, ".") == 0) {
			ga_node_free(ga_node_map_remove(from, "."));
			continue;
		}
		ks_fs_subtract(c, ga_node_map_value(sub, i));
		prune(from, k);
	}
}

static int intersect(ga_node *into, const ga_node *a, const ga_node *b)
{
	size_t i, len;
	int err;

	for (i = 0; i < ks_count(a); i++) {
		const char *k = ga_node_map_key(a, i, &len);
		const ga_node *other = ga_node_map_getn(b, k, len);
		ga_node *c;
		if (!other)
			continue;
		if ((err = child(&c, into, k, len)) < 0 ||
		    (err = intersect(c, ga_node_map_value(a, i), other)) < 0)
			return err;
		if (strcmp(k, ".") != 0)
			prune(into, k);
	}
	return 0;
}

int ks_fs_intersect(ga_node **out, const ga_node *a, const ga_node *b)
{
	ga_node *set = NULL;
	int err;

	if ((err = ga_node_new_map(&set)) < 0 ||
	    (err = intersect(set, a, b)) < 0) {
		ga_node_free(set);
		return err;
	}
	*out = set;
	return 0;
}

/* Append the path element @k to @path as structured-merge-diff prints it. */
static int path_elem(ga_buf *path, const char *k)
{
	ga_node *keys = NULL;
	size_t i, len;
	int err;

	if (strncmp(k, "f:", 2) == 0)
		return ga_buf_printf(path, ".%s", k + 2);
	if (strncmp(k, "k:", 2) != 0)
		return ga_buf_printf(
		    path, "[%s%s]", strncmp(k, "v:", 2) == 0 ? "=" : "", k + 2);
	if ((err = ga_json_parse(&keys, k + 2, strlen(k + 2), "key")) < 0)
		return err;
	(void)ga_buf_putc(path, '[');
	for (i = 0; i < ks_count(keys); i++) {
		(void)ga_buf_printf(path, "%s%s=", i ? "," : "",
		                    ga_node_map_key(keys, i, &len));
		(void)ga_json_emit(path, ga_node_map_value(keys, i),
		                   GA_JSON_COMPACT);
	}
	ga_node_free(keys);
	return ga_buf_putc(path, ']');
}

static int paths(const ga_node *set, ga_buf *path,
                 int (*fn)(const char *path, void *arg), void *arg)
{
	size_t i, mark_len = path->size;
	int rc;

	if (ks_get(set, ".") && (rc = fn(ga_buf_cstr(path), arg)) != 0)
		return rc;
	for (i = 0; i < ks_count(set); i++) {
		const char *k = ga_node_map_key(set, i, NULL);
		if (strcmp(k, ".") == 0)
			continue;
		if ((rc = path_elem(path, k)) < 0 ||
		    (rc = paths(ga_node_map_value(set, i), path, fn, arg)) != 0)
			return rc;
		ga_buf_truncate(path, mark_len);
	}
	return 0;
}

int ks_fs_paths(const ga_node *set, int (*fn)(const char *path, void *arg),
                void *arg)
{
	ga_buf path = GA_BUF_INIT(KS_SSA_BUF_MAX);
	int rc = paths(set, &path, fn, arg);

	ga_buf_dispose(&path);
	return rc;
}

static int remove_items(ga_node *list, const ga_node *set,
                        const ga_kust_schema_at *at)
{
	list_kind lk = list_of(at);
	ga_buf key = GA_BUF_INIT(KS_SSA_BUF_MAX);
	size_t i, n;
	int err = 0;

	for (i = 0; err == 0 && i < ks_count(set); i++) {
		const ga_node *sub = ga_node_map_value(set, i);
		const char *k = ga_node_map_key(set, i, NULL);
		ga_node *item;
		ga_buf_clear(&key);
		if ((strncmp(k, "k:", 2) != 0 && strncmp(k, "v:", 2) != 0) ||
		    (err = ga_buf_puts(&key, k)) < 0 ||
		    !(item = (ga_node *)find_item(list, &key, &lk, &n)))
			continue;
		if (ks_get(sub, "."))
			ga_node_free(ga_node_list_remove(list, n));
		else if (ks_type(item) == GA_NODE_MAP)
			err = ks_fs_remove(item, sub, lk.items);
	}
	ga_buf_dispose(&key);
	return err;
}

int ks_fs_remove(ga_node *obj, const ga_node *set, const ga_kust_schema_at *at)
{
	size_t i;
	int err;

	for (i = 0; i < ks_count(set); i++) {
		const ga_node *sub = ga_node_map_value(set, i);
		const char *k = ga_node_map_key(set, i, NULL);
		ga_node *v;
		if (strncmp(k, "f:", 2) != 0 || !(v = ks_get(obj, k + 2)))
			continue;
		if (ks_get(sub, ".")) {
			ga_node_free(ga_node_map_remove(obj, k + 2));
			continue;
		}
		err = 0;
		if (ks_type(v) == GA_NODE_MAP)
			err = ks_fs_remove(v, sub,
			                   ga_kust_schema_child(at, k + 2));
		else if (ks_type(v) == GA_NODE_LIST)
			err = remove_items(v, sub,
			                   ga_kust_schema_child(at, k + 2));
		if (err < 0)
			return err;
	}
	return 0;
}

int ks_fs_encode(ga_node **out, const ga_node *set)
{
	ga_node *v1 = NULL, *c = NULL;
	size_t i, len;
	int err;

	if ((err = ga_node_new_map(&v1)) < 0)
		return err;
	/* A bare member is written {}, as kube-apiserver writes leaves. */
	if (ks_count(set) == 1 && ks_get(set, ".")) {
		*out = v1;
		return 0;
	}
	for (i = 0; i < ks_count(set); i++) {
		const char *k = ga_node_map_key(set, i, &len);
		if ((err = ks_fs_encode(&c, ga_node_map_value(set, i))) < 0 ||
		    (err = ga_node_map_setn_take(v1, k, len, c)) < 0) {
			ga_node_free(v1);
			return err;
		}
	}
	*out = v1;
	return 0;
}

static int decode(ga_node *into, const ga_node *v1, unsigned depth)
{
	size_t i, len;
	int err;

	if (ks_type(v1) != GA_NODE_MAP || depth > MAX_DEPTH)
		return GA_EINVALID;
	if (!ks_count(v1))
		return mark(into);
	for (i = 0; i < ks_count(v1); i++) {
		const char *k = ga_node_map_key(v1, i, &len);
		const ga_node *v = ga_node_map_value(v1, i);
		ga_node *c;
		if (strcmp(k, ".") == 0) {
			if (ks_type(v) != GA_NODE_MAP || ks_count(v))
				return GA_EINVALID;
			if ((err = mark(into)) < 0)
				return err;
			continue;
		}
		if (len < 2 || k[1] != ':' || !strchr("fkvi", k[0]))
			return GA_EINVALID;
		if ((err = child(&c, into, k, len)) < 0 ||
		    (err = decode(c, v, depth + 1)) < 0)
			return err;
	}
	return 0;
}

int ks_fs_decode(ga_node **out, const ga_node *v1)
{
	ga_node *set = NULL;
	int err;

	if ((err = ga_node_new_map(&set)) < 0)
		return err;
	if (!v1) {
		/* An entry without fieldsV1 owns nothing. */
		*out = set;
		return 0;
	}
	/* The root is never a member itself: {} is the empty set. */
	if (ks_count(v1) && (err = decode(set, v1, 0)) < 0) {
		ga_node_free(set);
		if (err == GA_EINVALID)
			ga_error_set(GA_ERRCLASS_INVALID, "malformed fieldsV1");
		return err;
	}
	if (ks_type(v1) != GA_NODE_MAP) {
		ga_node_free(set);
		ga_error_set(GA_ERRCLASS_INVALID, "fieldsV1 is not an object");
		return GA_EINVALID;
	}
	*out = set;
	return 0;
}

static int merge_value(ga_node *live, const char *k, size_t len,
                       const ga_node *cv, const ga_kust_schema_at *at,
                       unsigned depth);

static int merge_items(ga_node *list, const ga_node *config,
                       const list_kind *lk, unsigned depth)
{
	ga_buf key = GA_BUF_INIT(KS_SSA_BUF_MAX);
	ga_node *copy;
	size_t i, n;
	int err = 0;

	for (i = 0; err == 0 && i < ks_count(config); i++) {
		const ga_node *item = ks_item(config, i);
		ga_node *was;
		err = lk->kind == GA_KUST_LIST_KIND_SET
		          ? value_key(&key, item)
		          : item_key(&key, item, lk);
		if (err < 0)
			break;
		was = (ga_node *)find_item(list, &key, lk, &n);
		if (was && lk->kind == GA_KUST_LIST_KIND_KEYS) {
			for (n = 0; err == 0 && n < ks_count(item); n++) {
				size_t len;
				const char *f = ga_node_map_key(item, n, &len);
				err = merge_value(was, f, len,
				                  ga_node_map_value(item, n),
				                  lk->items, depth + 1);
			}
		} else if (!was && (err = ga_node_clone(&copy, item)) == 0) {
			err = ga_node_list_append_take(list, copy);
		}
	}
	ga_buf_dispose(&key);
	return err;
}

static int merge_value(ga_node *live, const char *k, size_t len,
                       const ga_node *cv, const ga_kust_schema_at *at,
                       unsigned depth)
{
	ga_node *lv = ga_node_map_getn(live, k, len), *copy;
	list_kind lk;
	size_t i;
	int err;

	if (depth > MAX_DEPTH) {
		ga_error_set(GA_ERRCLASS_INVALID, "object nested too deeply");
		return GA_ELIMIT;
	}
	at = ga_kust_schema_child(at, k);
	lk = list_of(at);
	if (ks_type(lv) == GA_NODE_MAP && ks_type(cv) == GA_NODE_MAP &&
	    !atomic_map(k, cv)) {
		for (i = 0; i < ks_count(cv); i++) {
			const char *f = ga_node_map_key(cv, i, &len);
			if ((err = merge_value(lv, f, len,
			                       ga_node_map_value(cv, i), at,
			                       depth + 1)) < 0)
				return err;
		}
		return 0;
	}
	if (ks_type(lv) == GA_NODE_LIST && ks_type(cv) == GA_NODE_LIST &&
	    (lk.kind == GA_KUST_LIST_KIND_SET ||
	     (keyable(lv, &lk) && keyable(cv, &lk))))
		return merge_items(lv, cv, &lk, depth);
	if ((err = ga_node_clone(&copy, cv)) < 0)
		return err;
	return ga_node_map_setn_take(live, k, len, copy);
}

int ks_fs_merge(ga_node *live, const ga_node *config,
                const ga_kust_schema_at *at)
{
	size_t i, len;
	int err;

	for (i = 0; i < ks_count(config); i++) {
		const char *k = ga_node_map_key(config, i, &len);
		if ((err = merge_value(live, k, len,
		                       ga_node_map_value(config, i), at, 0)) <
		    0)
			return err;
	}
	return 0;
}
