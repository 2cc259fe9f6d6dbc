/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The replacement transformer (kustomize.md §1.12), the last of a level:
 * copy the value at a field of one source object to fields of the
 * selected targets.  Field paths are dot-separated; "[k=v]" picks the list
 * element whose k is v, a number picks by index, "*" takes every element,
 * and "[a.b]" is a key containing dots.  A delimiter and index read or
 * write one part of a string value ("http://tester.<ns>.svc/").
 */
#include "transform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alias.h"
#include "fieldpath.h"
#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "ga/yaml.h"
#include "kustomization.h"
#include "pcache.h"
#include "schema.h"
#include "selector.h"
#include "yaml/resolve.h"

/* Parse @path, naming @file in the message. */
static int parse_path(ga_kust_pathseg *segs, size_t *n, const char *path,
                      const char *file)
{
	if (ga_kust__fieldpath_parse(segs, n, path) == 0)
		return 0;
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s: replacements: invalid field path \"%.128s\"", file,
	             path);
	return GA_EINVALID;
}

struct opts {
	const char *delimiter; /* NULL: the whole value */
	long long index;
	bool create;
};

static void read_opts(struct opts *o, const ga_node *options)
{
	const ga_node *d =
	    options ? ga_node_map_get(options, "delimiter") : NULL;
	const ga_node *i = options ? ga_node_map_get(options, "index") : NULL;
	const ga_node *c = options ? ga_node_map_get(options, "create") : NULL;

	o->delimiter = d && ga_node_str_len(d) ? ga_node_str(d) : NULL;
	o->index = i ? ga_node_int(i) : 0;
	o->create = c && ga_node_bool(c);
}

/* A scalar's text, for delimited reading and writing. */
static void scalar_text(ga_buf *out, const ga_node *n)
{
	char buf[GA_FMT_FLOAT_MAX];
	const char *text;
	size_t len;

	if (ga_kust__scalar_text(n, buf, &text, &len) == 0)
		ga_buf_put(out, text, len);
	else
		ga_error_clear();
}

/* Split @s at @delim into @parts (NUL-separated in @store). */
static size_t split(const char *s, const char *delim, const char **parts,
                    size_t max, ga_buf *store)
{
	size_t n = 0, dl = strlen(delim);
	const char *p = s;

	ga_buf_clear(store);
	for (;;) {
		const char *q = strstr(p, delim);
		size_t len = q ? (size_t)(q - p) : strlen(p);
		ga_buf_put(store, p, len);
		ga_buf_putc(store, '\0');
		if (n < max)
			n++;
		if (!q)
			break;
		p = q + dl;
	}
	/* Point into the store only once it stops moving. */
	for (size_t i = 0, off = 0; i < n && !store->err; i++) {
		parts[i] = store->ptr + off;
		off += strlen(parts[i]) + 1;
	}
	return store->err ? 0 : n;
}

/* The value to write: a copy of the source node, or one delimited part
 * of it. */
static int source_value(ga_node **out, const ga_node *v, const struct opts *o,
                        const char *file)
{
	const char *parts[256];
	ga_buf text = GA_BUF_INIT((size_t)1 << 20),
	       store = GA_BUF_INIT((size_t)1 << 20);
	size_t n;
	int err;

	if (!o->delimiter)
		return ga_node_clone(out, v);
	scalar_text(&text, v);
	n = split(ga_buf_cstr(&text), o->delimiter, parts, 256, &store);
	if (o->index < 0 || (size_t)o->index >= n) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: replacements: options.index %lld is out of "
		             "bounds for value %.128s",
		             file, o->index, ga_buf_cstr(&text));
		err = GA_EINVALID;
	} else {
		err = ga_node_new_string(out, parts[o->index],
		                         strlen(parts[o->index]));
	}
	ga_buf_dispose(&text);
	ga_buf_dispose(&store);
	return err;
}

/* Write @value into the delimited part @o->index of the string @old. */
static int delimited(ga_node **out, const ga_node *old, const ga_node *value,
                     const struct opts *o)
{
	const char *parts[256];
	ga_buf text = GA_BUF_INIT((size_t)1 << 20),
	       store = GA_BUF_INIT((size_t)1 << 20);
	ga_buf val = GA_BUF_INIT((size_t)1 << 20),
	       res = GA_BUF_INIT((size_t)1 << 20);
	size_t n;
	int err;

	if (old) /* a field being created splits as "" */
		scalar_text(&text, old);
	scalar_text(&val, value);
	n = split(ga_buf_cstr(&text), o->delimiter, parts, 256, &store);
	if (o->index < 0)
		ga_buf_printf(&res, "%s%s", ga_buf_cstr(&val), o->delimiter);
	for (size_t i = 0; i < n; i++) {
		if (i)
			ga_buf_puts(&res, o->delimiter);
		ga_buf_puts(&res, o->index >= 0 && (size_t)o->index == i
		                      ? ga_buf_cstr(&val)
		                      : parts[i]);
	}
	if (o->index >= 0 && (size_t)o->index >= n)
		ga_buf_printf(&res, "%s%s", o->delimiter, ga_buf_cstr(&val));
	err = res.err ? res.err
	              : ga_node_new_string(out, ga_buf_cstr(&res), res.size);
	ga_buf_dispose(&text);
	ga_buf_dispose(&store);
	ga_buf_dispose(&val);
	ga_buf_dispose(&res);
	return err;
}

struct target_ctx {
	const ga_node *value;
	const struct opts *o;
	const char *file;
	const char *path;
	ga_kust_res *res; /* the target */
};

static int missing(const struct target_ctx *t)
{
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s: replacements: unable to find field \"%s\" in "
	             "replacement target",
	             t->file, t->path);
	return GA_EINVALID;
}

/* kyaml's PathGetter reads a step that is a number as a list index,
 * even where the node is a map ("data.1"), and fails there. */
static int index_into_map(const struct target_ctx *t)
{
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s: replacements: unable to find%s field \"%s\" in "
	             "replacement target: a number is a list index, found a "
	             "map",
	             t->file, t->o->create ? " or create" : "", t->path);
	return GA_EINVALID;
}

/* A key kyaml creates has no tag; kubectl fails on the object once it
 * reads it back if the key then reads as a bool, number, null or
 * timestamp ("true"). */
static int created_key(const struct target_ctx *t, const char *key)
{
	const char *what = ga_kust__key_nonstring(key, strlen(key));

	if (!what)
		return 0;
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s: replacements: field \"%s\": the created key '%s' "
	             "reads as %s; kubectl kustomize fails on it",
	             t->file, t->path, key, what);
	return GA_EINVALID;
}

static bool is_index_step(const ga_node *n, const ga_kust_pathseg *s)
{
	size_t idx;

	return ga_node_type_of(n) == GA_NODE_MAP && !s->match && !s->star &&
	       ga_kust__fieldpath_index(s->key, &idx);
}

/* Whether a step of @segs is an index where the path reaches a map. */
static bool indexes_a_map(const ga_node *n, const ga_kust_pathseg *segs,
                          size_t nsegs)
{
	for (size_t i = 0; n && i < nsegs; i++) {
		if (is_index_step(n, &segs[i]))
			return true;
		n = ga_kust__fieldpath_step((ga_node *)n, &segs[i]);
	}
	return false;
}

/* kyaml's refusal of an index past the end of a list, even to create. */
static int bad_index(const struct target_ctx *t, size_t idx, size_t count)
{
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s: replacements: unable to find or create field \"%s\" "
	             "in replacement target: index %zu specified but only %zu "
	             "elements found",
	             t->file, t->path, idx, count);
	return GA_EINVALID;
}

/* @text read as goyaml reads a scalar tagged like @like; with no tag (a
 * tagless @like, or a field being created) the text decides. */
static int retyped(ga_node **out, const ga_node *like, const char *text,
                   size_t len)
{
	ga_yaml_scalar sc;
	const char *tag;
	int err;

	if (!like || ga_node_tagless(like)) {
		if ((err = ga_yaml__resolve_plain(&sc, text, len)) < 0 ||
		    (err = ga_yaml__scalar_node(out, &sc, text, len)) < 0)
			return err;
		ga_node_set_tagless(*out, true);
		return 0;
	}
	switch (ga_node_type_of(like)) {
	case GA_NODE_BOOL:
		tag = "!!bool";
		break;
	case GA_NODE_INT:
		tag = "!!int";
		break;
	case GA_NODE_FLOAT:
		tag = "!!float";
		break;
	default:
		return ga_node_new_string(out, text, len);
	}
	if ((err = ga_yaml__resolve_tagged(&sc, tag, text, len)) < 0)
		return err;
	return ga_yaml__scalar_node(out, &sc, text, len);
}

/*
 * The value written over the scalar or collection @old, or into a field
 * being created (@old NULL).  kustomize copies a scalar source's text
 * into a scalar target and keeps the target's tag: "8080" over a port
 * stays an int, and "5" over a bool fails as goyaml fails to decode it;
 * a created or tagless target takes the type its new text resolves to.
 * Anything else is replaced whole.
 */
static int new_value(const struct target_ctx *t, const ga_node *old,
                     ga_node **out)
{
	ga_buf text = GA_BUF_INIT((size_t)1 << 20);
	ga_node *v = NULL;
	int err;

	if (t->o->delimiter)
		err = delimited(&v, old, t->value, t->o);
	else
		err = ga_node_clone(&v, t->value);
	if (err < 0 || (old && !ga_node_is_scalar(old)) ||
	    !ga_node_is_scalar(v) || ga_node_type_of(v) == GA_NODE_NULL ||
	    (old && !ga_node_tagless(old) &&
	     (ga_node_type_of(old) == GA_NODE_NULL ||
	      ga_node_type_of(old) == ga_node_type_of(v))))
		goto out;
	scalar_text(&text, v);
	ga_node_free(v);
	v = NULL;
	if ((err = text.err) < 0 ||
	    (err = retyped(&v, old, ga_buf_cstr(&text), text.size)) < 0)
		ga_error_prefix("%s: replacements: field \"%s\"", t->file,
		                t->path);
out:
	ga_buf_dispose(&text);
	if (err < 0) {
		ga_node_free(v);
		return err;
	}
	*out = v;
	return 0;
}

/* Set the field named by @s in the map @parent. */
static int set_final(const struct target_ctx *t, ga_node *parent,
                     const ga_kust_pathseg *s)
{
	ga_node *old, *v = NULL, *was = NULL;
	size_t idx;
	int err;

	/* A list item by index; with create, one past the end appends. */
	if (ga_node_type_of(parent) == GA_NODE_LIST &&
	    ga_kust__fieldpath_index(s->key, &idx)) {
		old = ga_node_list_get(parent, idx);
		if (!old && !t->o->create)
			return missing(t);
		if (!old && idx != ga_node_count(parent))
			return bad_index(t, idx, ga_node_count(parent));
		if ((err = new_value(t, old, &v)) < 0)
			return err;
		if (old)
			ga_node_free(ga_node_list_remove(parent, idx));
		return ga_node_list_insert_take(parent, idx, v);
	}
	if (ga_node_type_of(parent) != GA_NODE_MAP)
		return missing(t);
	old = ga_node_map_get(parent, s->key);
	if (!old && !t->o->create)
		return missing(t);
	if (!old && (err = created_key(t, s->key)) < 0)
		return err;
	if ((err = new_value(t, old, &v)) < 0)
		return err;
	if (!old || !ga_node_is_scalar(old))
		return ga_node_map_set_take(parent, s->key, v);
	/* kyaml writes over the old node in place: fields sharing it (a
	 * label a label transformer created, alias.c) change too. */
	if ((err = ga_node_clone(&was, old)) < 0) {
		ga_node_free(v);
		return err;
	}
	if (!(err = ga_node_map_set_take(parent, s->key, v)))
		err = ga_kust__alias_update(t->res, parent, s->key, was,
		                            ga_node_map_get(parent, s->key));
	ga_node_free(was);
	return err;
}

/* Whether step @i of @segs picks list elements: "[k=v]" or an index. */
static bool list_step(const ga_kust_pathseg *segs, size_t nsegs, size_t i)
{
	size_t idx;

	return i < nsegs &&
	       (segs[i].match || ga_kust__fieldpath_index(segs[i].key, &idx));
}

/*
 * The missing step @i, created as kyaml's PathGetter creates it: a field
 * followed by a [k=v] or index step becomes a list, any other field a
 * map; a [k=v] step appends the element {k: v}, and an index one past
 * the end appends an empty map.
 */
static int create_child(const struct target_ctx *t, ga_node *n,
                        const ga_kust_pathseg *segs, size_t nsegs, size_t i,
                        ga_node **out)
{
	const ga_kust_pathseg *s = &segs[i];
	ga_node *child = NULL, *v = NULL;
	size_t idx;
	int err;

	if (ga_node_type_of(n) == GA_NODE_LIST && !s->match &&
	    ga_kust__fieldpath_index(s->key, &idx)) {
		if (idx != ga_node_count(n))
			return bad_index(t, idx, ga_node_count(n));
		if ((err = ga_node_new_map(&child)) < 0 ||
		    (err = ga_node_list_append_take(n, child)) < 0)
			return err;
		*out = child;
		return 0;
	}
	if (s->match) {
		if (ga_node_type_of(n) != GA_NODE_LIST)
			return missing(t);
		if ((err = ga_node_new_map(&child)) < 0 ||
		    (err = ga_node_new_string(&v, s->match_val,
		                              strlen(s->match_val))) < 0 ||
		    (err = ga_node_map_set_take(child, s->key, v)) < 0) {
			ga_node_free(child);
			return err;
		}
		if ((err = ga_node_list_append_take(n, child)) < 0)
			return err;
		*out = child;
		return 0;
	}
	if (ga_node_type_of(n) != GA_NODE_MAP)
		return missing(t);
	if ((err = created_key(t, s->key)) < 0)
		return err;
	err = list_step(segs, nsegs, i + 1) ? ga_node_new_list(&child)
	                                    : ga_node_new_map(&child);
	if (err < 0 || (err = ga_node_map_set_take(n, s->key, child)) < 0)
		return err;
	*out = child;
	return 0;
}

static int set_path(const struct target_ctx *t, ga_node *n,
                    const ga_kust_pathseg *segs, size_t nsegs, size_t i)
{
	const ga_kust_pathseg *s = &segs[i];
	ga_node *child;
	int err = 0;

	if (s->star) {
		for (size_t k = 0;
		     !err && !ga_node_is_scalar(n) && k < ga_node_count(n);
		     k++) {
			ga_node *c = ga_node_type_of(n) == GA_NODE_LIST
			                 ? ga_node_list_get(n, k)
			                 : ga_node_map_value(n, k);
			if (i + 1 == nsegs)
				return missing(t);
			err = set_path(t, c, segs, nsegs, i + 1);
		}
		return err;
	}
	if (is_index_step(n, s))
		return index_into_map(t);
	if (i + 1 == nsegs && !s->match)
		return set_final(t, n, s);
	child = ga_kust__fieldpath_step(n, s);
	if (!child) {
		if (!t->o->create)
			return missing(t);
		if ((err = create_child(t, n, segs, nsegs, i, &child)) < 0)
			return err;
	}
	if (i + 1 == nsegs)
		return missing(t);
	return set_path(t, child, segs, nsegs, i + 1);
}

/* Exact id fields, against the current or any earlier identity. */
static bool id_fields_match(const ga_node *sel, const ga_kust_res *r)
{
	static const char *const f[] = {"group", "version", "kind", "name",
	                                "namespace"};
	ga_kust_id ids[2];

	ga_kust__id_of(&ids[0], r->obj);
	ga_kust__res_org(r, &ids[1]);
	for (size_t w = 0; w < 2; w++) {
		const char *have[] = {ids[w].group, ids[w].version, ids[w].kind,
		                      ids[w].name, ids[w].ns};
		bool ok = true;

		for (size_t i = 0; ok && i < 5; i++) {
			const ga_node *v = ga_node_map_get(sel, f[i]);
			ok = !v || !ga_node_str_len(v) ||
			     strcmp(ga_node_str(v), have[i]) == 0;
		}
		if (ok)
			return true;
	}
	return false;
}

static int selector_match(const ga_node *sel, const ga_kust_res *r, bool *out)
{
	static const char *const keys[] = {"labelSelector",
	                                   "annotationSelector"};
	const ga_node *meta = ga_node_map_get(r->obj, "metadata");
	int err = 0;

	*out = id_fields_match(sel, r);
	for (size_t i = 0; *out && !err && i < 2; i++) {
		const ga_node *v = ga_node_map_get(sel, keys[i]);
		ga_kust_selector *ks = NULL;

		if (!v || !ga_node_str_len(v))
			continue;
		if ((err = ga_kust__selector_parse(&ks, ga_node_str(v))) < 0)
			break;
		*out = ga_kust__selector_matches(
		    ks,
		    meta ? ga_node_map_get(meta, i ? "annotations" : "labels")
		         : NULL);
		ga_kust__selector_free(ks);
	}
	return err;
}

static const ga_node *find_source(ga_kust_resmap *ra, const ga_node *sel,
                                  const char *file, int *err)
{
	const ga_node *found = NULL;
	size_t count = 0;

	for (size_t i = 0; i < ra->n; i++) {
		if (!id_fields_match(sel, ra->v[i]))
			continue;
		found = ra->v[i]->obj;
		count++;
	}
	if (count != 1) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: replacements: %s the source selector", file,
		             count ? "more than one object matches"
		                   : "nothing matches");
		*err = GA_EINVALID;
		return NULL;
	}
	return found;
}

static int apply_targets(ga_kust_resmap *ra, const ga_node *targets,
                         const ga_node *value, const char *file)
{
	ga_kust_pathseg *segs = ga_calloc(GA_KUST_PATH_SEGS, sizeof(*segs));
	int err = segs ? 0 : GA_ENOMEM;

	for (size_t t = 0; !err && targets && t < ga_node_count(targets); t++) {
		const ga_node *tg = ga_node_list_get(targets, t);
		const ga_node *sel = ga_node_map_get(tg, "select");
		const ga_node *rejects = ga_node_map_get(tg, "reject");
		const ga_node *paths = ga_node_map_get(tg, "fieldPaths");
		size_t npaths = paths ? ga_node_count(paths) : 0;
		struct opts o;

		read_opts(&o, ga_node_map_get(tg, "options"));
		for (size_t r = 0; !err && r < ra->n; r++) {
			bool yes = false, no = false;

			if (sel &&
			    (err = selector_match(sel, ra->v[r], &yes)) < 0)
				break;
			for (size_t j = 0; !err && yes && !no && rejects &&
			                   j < ga_node_count(rejects);
			     j++)
				err =
				    selector_match(ga_node_list_get(rejects, j),
				                   ra->v[r], &no);
			if (err || !yes || no)
				continue;
			/* No fieldPaths: kustomize's default, metadata.name. */
			for (size_t p = 0; !err && p < (npaths ? npaths : 1);
			     p++) {
				const char *path =
				    npaths ? ga_node_str(
				                 ga_node_list_get(paths, p))
				           : "metadata.name";
				struct target_ctx c = {value, &o, file, path,
				                       ra->v[r]};
				size_t n;

				if (!(err = parse_path(segs, &n, path, file)))
					err = set_path(&c, ra->v[r]->obj, segs,
					               n, 0);
			}
		}
	}
	ga_free(segs);
	return err;
}

static int one_replacement(ga_kust_resmap *ra, const ga_node *rep,
                           const char *file)
{
	const ga_node *src = ga_node_map_get(rep, "source");
	const ga_node *fp = src ? ga_node_map_get(src, "fieldPath") : NULL;
	const char *path =
	    fp && ga_node_str_len(fp) ? ga_node_str(fp) : "metadata.name";
	ga_kust_pathseg *segs = ga_calloc(GA_KUST_PATH_SEGS, sizeof(*segs));
	const ga_node *obj, *v;
	ga_node *value = NULL;
	struct opts o;
	size_t n;
	int err = segs ? 0 : GA_ENOMEM;

	if (err || !src || !(obj = find_source(ra, src, file, &err)) ||
	    (err = parse_path(segs, &n, path, file)) < 0)
		goto out;
	if (indexes_a_map(obj, segs, n)) {
		ga_error_set(
		    GA_ERRCLASS_KUSTOMIZE,
		    "%s: replacements: error looking up replacement "
		    "source: fieldPath `%s`: a number is a list index, "
		    "found a map",
		    file, path);
		err = GA_EINVALID;
		goto out;
	}
	if (!(v = ga_kust__fieldpath_get(obj, segs, n))) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: replacements: fieldPath `%s` is missing for "
		             "replacement source",
		             file, path);
		err = GA_EINVALID;
		goto out;
	}
	read_opts(&o, ga_node_map_get(src, "options"));
	if ((err = source_value(&value, v, &o, file)) < 0)
		goto out;
	err = apply_targets(ra, ga_node_map_get(rep, "targets"), value, file);
out:
	if (!err && !src) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: replacements: an entry needs a source", file);
		err = GA_EINVALID;
	}
	ga_node_free(value);
	ga_free(segs);
	return err;
}

/*
 * The replacements of a `path` entry.  kustomize reads the file with
 * sigs.k8s.io/yaml: goyaml.v2 scalars, the first document, unknown fields
 * ignored; it holds one replacement (a map) or a list of them.
 */
static int path_entry(ga_kust_resmap *ra, const ga_kust_file *kf,
                      const ga_node *rep, ga_kust_read_fn read, void *ctx)
{
	const char *rel = ga_node_str(ga_node_map_get(rep, "path"));
	ga_yaml_opts opts = GA_YAML_OPTS_INIT;
	ga_buf text = GA_BUF_INIT(GA_YAML_MAX_BYTES);
	ga_node *docs = NULL, *one = NULL;
	const ga_node *root;
	char label[1024];
	int err;

	(void)snprintf(label, sizeof(label), "%s: replacement file '%s'",
	               kf->path, rel);
	if (ga_node_map_get(rep, "source") || ga_node_map_get(rep, "targets")) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: replacements: cannot specify both path and "
		             "inline replacement",
		             kf->path);
		return GA_EINVALID;
	}
	opts.flags = GA_YAML_LAST_KEY_WINS | GA_YAML_V2_SCALARS;
	if ((err = read(ctx, rel, &text)) < 0 ||
	    (err = ga_kust__parse(&docs, ga_buf_cstr(&text), text.size, label,
	                          &opts)) < 0)
		goto out;
	root = ga_node_list_get(docs, 0);
	if (!root || (ga_node_type_of(root) != GA_NODE_MAP &&
	              ga_node_type_of(root) != GA_NODE_LIST)) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: expected a replacement (a map) or a list of "
		             "them, found %s%s",
		             label, root ? "a " : "",
		             root ? ga_node_type_name(ga_node_type_of(root))
		                  : "nothing");
		err = GA_EINVALID;
		goto out;
	}
	for (size_t i = 0; !err && i < (ga_node_type_of(root) == GA_NODE_MAP
	                                    ? 1
	                                    : ga_node_count(root));
	     i++) {
		const ga_node *r = ga_node_type_of(root) == GA_NODE_MAP
		                       ? root
		                       : ga_node_list_get(root, i);

		ga_node_free(one);
		one = NULL;
		if (!(err = ga_kust__decode_lenient(
		          &one, r, &ga_kust__replacement_schema, label)))
			err = one_replacement(ra, one, label);
	}
out:
	ga_node_free(one);
	ga_node_free(docs);
	ga_buf_dispose(&text);
	return err;
}

int ga_kust__transform_replacements(ga_kust_resmap *ra, const ga_kust_file *kf,
                                    ga_kust_read_fn read, void *ctx)
{
	const ga_node *list = ga_node_map_get(kf->doc, "replacements");
	int err = 0;

	for (size_t i = 0; !err && list && i < ga_node_count(list); i++) {
		const ga_node *rep = ga_node_list_get(list, i);

		err = ga_node_map_get(rep, "path")
		          ? path_entry(ra, kf, rep, read, ctx)
		          : one_replacement(ra, rep, kf->path);
	}
	return err;
}
