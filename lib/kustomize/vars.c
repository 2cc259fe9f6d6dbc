/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vars (kustomize.md §1.11): `$(NAME)` in the varReference fields takes
 * the value of a field of one object.
 *
 * A var is bound where it is declared, once that level's transformers
 * have run: to the one object whose current or any earlier identity
 * matches its objref (group, version and kind exactly; the namespace only
 * when the objref names one or the kind is cluster-scoped).  The binding
 * travels with the object; the declarations travel up with the resources
 * of a sub-kustomization, and a name may be declared only once in a
 * build.  At the top, after hash suffixes and name references, each var
 * reads its field from the object it is bound to and the substitution
 * runs, as kustomize's refvar filter does it:
 *
 *  - every string in a reached field, and every string value of a reached
 *    map or item of a reached list (which must hold only strings), is
 *    expanded: "$$" is "$", "$(NAME)" of a known var its value, anything
 *    else stays as written;
 *  - a string that is exactly "$(NAME)" takes the value's type (an int,
 *    bool or float field gives an int, bool or float);
 *  - a var whose field is a map or list is not substituted.
 */
#include "transform.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldpath.h"
#include "fieldspec.h"
#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "ga/log.h"
#include "tconfig.h"
#include "util/gofloat.h"

static int rec_set(ga_node *rec, const char *key, const char *value)
{
	ga_node *s = NULL;
	int err = ga_node_new_string(&s, value, strlen(value));

	return err < 0 ? err : ga_node_map_set_take(rec, key, s);
}

/* The string at @key of @map (NULL allowed), or "". */
static const char *str_of(const ga_node *map, const char *key)
{
	const ga_node *v = map ? ga_node_map_get(map, key) : NULL;

	return v && ga_node_str(v) ? ga_node_str(v) : "";
}

/*
 * The record of the var @v declared in @file: its name, the objref with
 * apiVersion split into group and version as kustomize's Target.GVK()
 * does (a one-part apiVersion sets the version only; more than two parts
 * set nothing), and the fieldPath, metadata.name by default.
 */
static int record(ga_node **out, const ga_node *v, const char *file)
{
	const ga_node *ref = ga_node_map_get(v, "objref");
	const ga_node *fr = ga_node_map_get(v, "fieldref");
	const char *api = str_of(ref, "apiVersion"), *slash = strchr(api, '/');
	const char *path = str_of(fr, "fieldPath");
	char group[256], version[256];
	ga_node *rec = NULL;
	int err;

	snprintf(group, sizeof(group), "%s", str_of(ref, "group"));
	snprintf(version, sizeof(version), "%s", str_of(ref, "version"));
	if (api[0] && !slash) {
		snprintf(version, sizeof(version), "%s", api);
	} else if (slash && !strchr(slash + 1, '/')) {
		snprintf(group, sizeof(group), "%.*s", (int)(slash - api), api);
		snprintf(version, sizeof(version), "%s", slash + 1);
	}
	if ((err = ga_node_new_map(&rec)) < 0 ||
	    (err = rec_set(rec, "name", str_of(v, "name"))) < 0 ||
	    (err = rec_set(rec, "group", group)) < 0 ||
	    (err = rec_set(rec, "version", version)) < 0 ||
	    (err = rec_set(rec, "kind", str_of(ref, "kind"))) < 0 ||
	    (err = rec_set(rec, "oname", str_of(ref, "name"))) < 0 ||
	    (err = rec_set(rec, "ns", str_of(ref, "namespace"))) < 0 ||
	    (err = rec_set(rec, "path", path[0] ? path : "metadata.name")) <
	        0 ||
	    (err = rec_set(rec, "file", file)) < 0) {
		ga_node_free(rec);
		return err;
	}
	*out = rec;
	return 0;
}

/* The objref of @rec as an id; @api holds its apiVersion. */
static void rec_id(const ga_node *rec, ga_kust_id *id, char api[512])
{
	snprintf(id->group, sizeof(id->group), "%s", str_of(rec, "group"));
	id->version = str_of(rec, "version");
	id->kind = str_of(rec, "kind");
	id->name = str_of(rec, "oname");
	id->ns = str_of(rec, "ns");
	snprintf(api, 512, "%s%s%s", id->group, id->group[0] ? "/" : "",
	         id->version);
	id->api_version = api;
}

/* kustomize's id text of the objref, for messages. */
static void rec_describe(ga_buf *out, const ga_node *rec)
{
	char api[512];
	ga_kust_id id;

	rec_id(rec, &id, api);
	ga_kust__id_format(out, &id);
}

/* kustomize's GvknEquals, or Equals when the objref @want has a
 * namespace or names a cluster-scoped kind. */
static bool id_matches(const ga_kust_id *want, const ga_kust_id *have)
{
	if (strcmp(want->group, have->group) != 0 ||
	    strcmp(want->version, have->version) != 0 ||
	    strcmp(want->kind, have->kind) != 0 ||
	    strcmp(want->name, have->name) != 0)
		return false;
	if (!want->ns[0] &&
	    !ga_kust__is_cluster_scoped(want->api_version, want->kind))
		return true;
	return ga_kust__id_equal(want, have);
}

/* Bind the var @rec to the one object of @ra it matches, if any. */
static int bind(ga_kust_resmap *ra, const ga_node *rec)
{
	ga_buf what = GA_BUF_INIT(4096);
	ga_kust_res *found = NULL;
	ga_node *name = NULL;
	size_t count = 0;
	char api[512];
	ga_kust_id want, have;
	int err;

	rec_id(rec, &want, api);
	for (size_t i = 0; i < ra->n; i++) {
		for (size_t k = 0; k <= ra->v[i]->nprev; k++) {
			ga_kust__res_id_at(ra->v[i], k, &have);
			if (id_matches(&want, &have)) {
				found = ra->v[i];
				count++;
				break;
			}
		}
	}
	if (count > 1) {
		rec_describe(&what, rec);
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: vars: found %zu resId matches for var '%s' "
		             "(objref %s; unable to disambiguate)",
		             str_of(rec, "file"), count, str_of(rec, "name"),
		             ga_buf_cstr(&what));
		ga_buf_dispose(&what);
		return GA_EINVALID;
	}
	if (!found)
		return 0;
	if (!found->vars && (err = ga_node_new_list(&found->vars)) < 0)
		return err;
	if ((err = ga_node_new_string(&name, str_of(rec, "name"),
	                              strlen(str_of(rec, "name")))) < 0)
		return err;
	return ga_node_list_append_take(found->vars, name);
}

static bool declared(const ga_node *vars, const char *name)
{
	for (size_t i = 0; vars && i < ga_node_count(vars); i++)
		if (strcmp(str_of(ga_node_list_get(vars, i), "name"), name) ==
		    0)
			return true;
	return false;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Add @rec (taken) to *@vars, refusing a name declared already. */
static int add_var(ga_node **vars, ga_node *rec, const char *where)
{
	int err;

	if (declared(*vars, str_of(rec, "name"))) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: var '%s' already encountered", where,
		             str_of(rec, "name"));
		ga_node_free(rec);
		return GA_EINVALID;
	}
	if (!*vars && (err = ga_node_new_list(vars)) < 0) {
		ga_node_free(rec);
		return err;
	}
	return ga_node_list_append_take(*vars, rec);
}

int ga_kust__vars_declare(ga_node **vars, ga_kust_resmap *ra,
                          const ga_node *doc, const char *file)
{
	const ga_node *list = ga_node_map_get(doc, "vars");
	size_t n = list && ga_node_type_of(list) == GA_NODE_LIST
	               ? ga_node_count(list)
	               : 0;
	char where[1024];
	ga_node *recs = NULL;
	int err;

	if (!n)
		return 0;
	snprintf(where, sizeof(where), "%s: vars", file);
	if ((err = ga_node_new_list(&recs)) < 0)
		return err;
	/* All bindings first, then the names, as kustomize's MergeVars. */
	for (size_t i = 0; !err && i < n; i++) {
		ga_node *rec = NULL;

		if ((err = record(&rec, ga_node_list_get(list, i), file)) < 0 ||
		    (err = ga_node_list_append_take(recs, rec)) < 0)
			break;
		err = bind(ra, rec);
	}
	while (!err && ga_node_count(recs))
		err = add_var(vars, ga_node_list_remove(recs, 0), where);
	ga_node_free(recs);
	return err;
}

/*
 * kustomize merges a base's vars from a Go map, so when several are
 * declared already kubectl names one of them at random.  Name them all,
 * sorted, so the message is the same on every run.
 */
static int refuse_duplicates(const ga_node *to, const ga_node *from,
                             const char *referrer)
{
	const char **dups = NULL;
	ga_buf msg = GA_BUF_INIT(1 << 16);
	size_t n = 0;
	int err = 0;

	for (size_t i = 0; from && i < ga_node_count(from); i++) {
		const char *name = str_of(ga_node_list_get(from, i), "name");

		if (!declared(to, name))
			continue;
		if (!dups &&
		    !(dups = ga_calloc(ga_node_count(from), sizeof(*dups))))
			return GA_ENOMEM;
		dups[n++] = name;
	}
	if (!n)
		return 0;
	qsort(dups, n, sizeof(*dups), by_str);
	for (size_t i = 0; i < n; i++)
		ga_buf_printf(&msg, "%s'%s'", i ? ", " : "", dups[i]);
	if (!(err = msg.err)) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: var%s %s already encountered", referrer,
		             n > 1 ? "s" : "", ga_buf_cstr(&msg));
		err = GA_EINVALID;
	}
	ga_buf_dispose(&msg);
	ga_free(dups);
	return err;
}

int ga_kust__vars_merge(ga_node **to, ga_node **from, const char *referrer)
{
	int err = refuse_duplicates(*to, *from, referrer);

	while (!err && *from && ga_node_count(*from))
		err = add_var(to, ga_node_list_remove(*from, 0), referrer);
	return err;
}

/* A var's value at the top: a scalar copy, or NULL for a map or list. */
struct value {
	const char *name;
	const ga_node *rec;
	ga_node *v;
	bool used;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct value *)a)->name,
	              ((const struct value *)b)->name);
}

/* The object the var @name is bound to: the first that holds it. */
static const ga_kust_res *bound_to(const ga_kust_resmap *ra, const char *name)
{
	for (size_t i = 0; i < ra->n; i++)
		for (size_t k = 0;
		     ra->v[i]->vars && k < ga_node_count(ra->v[i]->vars); k++)
			if (strcmp(ga_node_str(
			               ga_node_list_get(ra->v[i]->vars, k)),
			           name) == 0)
				return ra->v[i];
	return NULL;
}

static int not_found(const struct value *val, const ga_kust_res *r)
{
	const char *path = str_of(val->rec, "path");
	const char *open = strchr(path, '[');
	/* kyaml reads "a[k=v]" as a key; "a.[k=v]" is what was meant. */
	bool hint = open && open > path && open[-1] != '.' && strchr(open, '=');
	ga_buf what = GA_BUF_INIT(4096);
	ga_kust_id id;

	ga_kust__id_of(&id, r->obj);
	ga_kust__id_describe(&what, &id);
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s: vars: field '%s' specified in var '%s' not found in "
	             "corresponding resource %s (%s)%s",
	             str_of(val->rec, "file"), path, val->name,
	             ga_buf_cstr(&what), r->origin,
	             hint ? "; an element selector is a part of its own, as "
	                    "in 'containers.[name=app]'"
	                  : "");
	ga_buf_dispose(&what);
	return GA_EINVALID;
}

/* An int field as strconv.Atoi reads its source text: decimal digits
 * with an optional sign ("017" is 17); "0x1F", "0o17" and "1_000" are
 * not found. */
static int atoi_value(struct value *val, const ga_kust_res *r, const char *text)
{
	const char *p = text + (*text == '+' || *text == '-');
	long long n;
	char *end;

	if (*p < '0' || *p > '9' || strspn(p, "0123456789") != strlen(p))
		return not_found(val, r);
	errno = 0;
	n = strtoll(text, &end, 10);
	if (errno == ERANGE)
		return not_found(val, r);
	return ga_node_new_int(&val->v, n);
}

/*
 * Read the var's field as kyaml's GetFieldValue does: a string, an int
 * that fits (Atoi), a bool, a finite float (ParseFloat refuses ".inf"),
 * a null as its text; a map or list is kept out of the substitution.
 */
static int read_value(struct value *val, const ga_kust_resmap *ra)
{
	ga_kust_pathseg *segs = ga_calloc(GA_KUST_PATH_SEGS, sizeof(*segs));
	const ga_kust_res *r = bound_to(ra, val->name);
	const ga_node *v = NULL;
	ga_buf what = GA_BUF_INIT(4096);
	size_t n;
	int err = 0;

	if (!segs)
		return GA_ENOMEM;
	if (!r) {
		rec_describe(&what, val->rec);
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: vars: var '%s' (objref %s) cannot be mapped "
		             "to a field in the set of known resources",
		             str_of(val->rec, "file"), val->name,
		             ga_buf_cstr(&what));
		err = GA_EINVALID;
	} else if (ga_kust__fieldpath_parse_var(segs, &n,
	                                        str_of(val->rec, "path")) < 0 ||
	           !(v = ga_kust__fieldpath_get(r->obj, segs, n)) ||
	           (ga_node_type_of(v) == GA_NODE_INT && ga_node_is_uint(v)) ||
	           (ga_node_type_of(v) == GA_NODE_FLOAT &&
	            !isfinite(ga_node_float(v)))) {
		err = not_found(val, r);
	} else if (ga_node_type_of(v) == GA_NODE_INT &&
	           ga_node_source_text(v)) {
		err = atoi_value(val, r, ga_node_source_text(v));
	} else if (ga_node_type_of(v) == GA_NODE_NULL ||
	           (ga_node_type_of(v) == GA_NODE_STRING &&
	            ga_node_source_text(v))) {
		/* As written: "", "~", a timestamp's own text. */
		const char *t = ga_node_source_text(v);

		if (!t)
			t = ga_node_type_of(v) == GA_NODE_NULL ? "null"
			                                       : ga_node_str(v);
		err = ga_node_new_string(&val->v, t, strlen(t));
	} else if (ga_node_is_scalar(v)) {
		err = ga_node_clone(&val->v, v);
	}
	ga_buf_dispose(&what);
	ga_free(segs);
	return err;
}

struct subst {
	struct value *vals;
	size_t n;
	const ga_kust_res *res;
	const ga_kust_fieldspec *fs;
	ga_buf text;
};

static const ga_node *lookup(struct subst *s, const char *name)
{
	struct value key = {.name = name};
	struct value *v =
	    bsearch(&key, s->vals, s->n, sizeof(*s->vals), by_name);

	if (!v || !v->v)
		return NULL;
	v->used = true;
	return v->v;
}

/* kustomize logs the vars nothing referred to; so do we. */
static void log_unused(const struct subst *s)
{
	ga_buf names = GA_BUF_INIT(1 << 16);

	for (size_t i = 0; i < s->n; i++)
		if (!s->vals[i].used)
			ga_buf_printf(&names, "%s%s", names.size ? "," : "",
			              s->vals[i].name);
	if (names.size && !names.err) {
		ga_log_field f[] = {{"vars", ga_buf_cstr(&names)}};
		GA_LOG(GA_LOG_WARN, f, 1,
		       "well-defined vars that were never replaced");
	}
	ga_buf_dispose(&names);
}

/* Go's %v of the scalar @v. */
static void put_value(ga_buf *out, const ga_node *v)
{
	char buf[GA_FMT_FLOAT_MAX];

	switch (ga_node_type_of(v)) {
	case GA_NODE_STRING:
		ga_buf_put(out, ga_node_str(v), ga_node_str_len(v));
		break;
	case GA_NODE_BOOL:
		ga_buf_puts(out, ga_node_bool(v) ? "true" : "false");
		break;
	case GA_NODE_INT:
		ga_buf_printf(out, "%lld", (long long)ga_node_int(v));
		break;
	default:
		if (ga_fmt_float_go(buf, sizeof(buf), ga_node_float(v)) == 0)
			ga_buf_puts(out, buf);
		break;
	}
}

/*
 * Go's strconv.FormatFloat(@x, 'f', -1, 64) of the finite @x: the
 * shortest digits of %g written out without an exponent.
 */
static int float_f(ga_node **out, double x)
{
	char g[GA_FMT_FLOAT_MAX], digits[GA_FMT_FLOAT_MAX];
	const char *e, *p = g;
	ga_buf b = GA_BUF_INIT(4096);
	size_t nd = 0;
	long point;
	int err;

	if ((err = ga_fmt_float_go(g, sizeof(g), x)) < 0)
		return err;
	if (*p == '-')
		ga_buf_putc(&b, *p++);
	e = strchr(p, 'e');
	point = (long)strcspn(p, ".e");
	for (const char *q = p; *q && q != e; q++)
		if (*q != '.')
			digits[nd++] = *q;
	digits[nd] = '\0';
	if (e)
		point += strtol(e + 1, NULL, 10);
	if (point <= 0) {
		ga_buf_puts(&b, "0.");
		for (long i = point; i < 0; i++)
			ga_buf_putc(&b, '0');
		ga_buf_puts(&b, digits);
	} else if ((size_t)point >= nd) {
		ga_buf_puts(&b, digits);
		for (size_t i = nd; i < (size_t)point; i++)
			ga_buf_putc(&b, '0');
	} else {
		ga_buf_put(&b, digits, (size_t)point);
		ga_buf_putc(&b, '.');
		ga_buf_puts(&b, digits + point);
	}
	err = b.err ? b.err : ga_node_new_string(out, ga_buf_cstr(&b), b.size);
	ga_buf_dispose(&b);
	return err;
}

/*
 * The typed value of a string that is exactly "$(NAME)".  kustomize sets
 * a float's text to its 'f' form; the build later turns every annotation
 * into its text, so an annotation gets that text now.
 */
static int whole(const struct subst *s, const ga_node *v, ga_node **out)
{
	if (ga_node_type_of(v) == GA_NODE_FLOAT &&
	    strcmp(s->fs->path, "metadata/annotations") == 0)
		return float_f(out, ga_node_float(v));
	return ga_node_clone(out, v);
}

/*
 * Expand the string @str of @len bytes (kustomize's DoReplacements).
 * *@out is the new node, or NULL when there is no "$" to expand.
 */
static int expand(struct subst *s, const char *str, size_t len, ga_node **out)
{
	ga_buf *b = &s->text;
	size_t mark = 0;

	*out = NULL;
	if (!memchr(str, '$', len))
		return 0;
	ga_buf_clear(b);
	for (size_t i = 0; i + 1 < len; i++) {
		const char *close;

		if (str[i] != '$')
			continue;
		ga_buf_put(b, str + mark, i - mark);
		mark = i + 2;
		if (str[i + 1] == '$') {
			ga_buf_putc(b, '$');
		} else if (str[i + 1] != '(' ||
		           !(close = memchr(str + i + 2, ')', len - i - 2))) {
			ga_buf_put(b, str + i, 2);
		} else {
			size_t nlen = (size_t)(close - str) - i - 2;
			char name[1024];
			const ga_node *v;

			snprintf(name, sizeof(name), "%.*s", (int)nlen,
			         str + i + 2);
			v = nlen < sizeof(name) ? lookup(s, name) : NULL;
			if (v && i == 0 && nlen + 3 == len)
				return whole(s, v, out);
			if (v)
				put_value(b, v);
			else
				ga_buf_put(b, str + i, nlen + 3);
			mark = (size_t)(close - str) + 1;
		}
		i = mark - 1;
	}
	ga_buf_put(b, str + mark, len - mark);
	if (b->err)
		return b->err;
	return ga_node_new_string(out, ga_buf_cstr(b), b->size);
}

static int not_string(const struct subst *s, const ga_node *item)
{
	ga_buf what = GA_BUF_INIT(4096);
	ga_kust_id id;

	ga_kust__id_of(&id, s->res->obj);
	ga_kust__id_describe(&what, &id);
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s: %s: field '%s': line %u: vars: invalid value type "
	             "%s, expected a string",
	             s->res->origin, ga_buf_cstr(&what), s->fs->path,
	             ga_node_line(item),
	             ga_node_type_name(ga_node_type_of(item)));
	ga_buf_dispose(&what);
	return GA_EINVALID;
}

/* The refvar filter on one field: a string, a map's string values, or a
 * list of strings. */
static int on_field(ga_node *parent, const char *key, bool create,
                    void *payload)
{
	struct subst *s = payload;
	ga_node *f = ga_node_map_get(parent, key), *nv = NULL;
	int err = 0;

	(void)create; /* vars never create fields */
	if (!f)
		return 0;

	if (ga_node_type_of(f) == GA_NODE_STRING) {
		err = expand(s, ga_node_str(f), ga_node_str_len(f), &nv);
		return err < 0 || !nv ? err
		                      : ga_node_map_set_take(parent, key, nv);
	}
	for (size_t i = 0;
	     !err && ga_node_type_of(f) == GA_NODE_MAP && i < ga_node_count(f);
	     i++) {
		const ga_node *v = ga_node_map_value(f, i);
		size_t klen;
		const char *k = ga_node_map_key(f, i, &klen);

		if (ga_node_type_of(v) != GA_NODE_STRING ||
		    (err = expand(s, ga_node_str(v), ga_node_str_len(v), &nv)) <
		        0 ||
		    !nv)
			continue;
		err = ga_node_map_setn_take(f, k, klen, nv);
	}
	for (size_t i = 0;
	     !err && ga_node_type_of(f) == GA_NODE_LIST && i < ga_node_count(f);
	     i++) {
		const ga_node *v = ga_node_list_get(f, i);

		if (ga_node_type_of(v) != GA_NODE_STRING)
			return not_string(s, v);
		if ((err = expand(s, ga_node_str(v), ga_node_str_len(v), &nv)) <
		        0 ||
		    !nv)
			continue;
		ga_node_free(ga_node_list_remove(f, i));
		err = ga_node_list_insert_take(f, i, nv);
	}
	return err;
}

int ga_kust__vars_resolve(ga_kust_resmap *ra, const ga_node *vars,
                          const ga_kust_tconfig *cfg)
{
	size_t n = vars ? ga_node_count(vars) : 0, nspecs;
	const ga_kust_fieldspec *specs =
	    ga_kust__tconfig_specs(cfg, GA_KUST_TC_VARREF, &nspecs);
	struct subst s = {.n = n, .text = GA_BUF_INIT((size_t)1 << 24)};
	int err = 0;

	if (!n)
		return 0;
	if (!(s.vals = ga_calloc(n, sizeof(*s.vals))))
		return GA_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		s.vals[i].rec = ga_node_list_get(vars, i);
		s.vals[i].name = str_of(s.vals[i].rec, "name");
	}
	/* kustomize reads the vars in name order: the first failing name
	 * is the one reported. */
	qsort(s.vals, n, sizeof(*s.vals), by_name);
	for (size_t i = 0; !err && i < n; i++)
		err = read_value(&s.vals[i], ra);
	for (size_t i = 0; !err && i < ra->n; i++) {
		s.res = ra->v[i];
		for (size_t k = 0; !err && k < nspecs; k++) {
			s.fs = &specs[k];
			err = ga_kust__fieldspec_fields(ra->v[i]->obj, s.fs,
			                                on_field, &s,
			                                ra->v[i]->origin);
		}
	}
	if (!err)
		log_unused(&s);
	for (size_t i = 0; i < n; i++)
		ga_node_free(s.vals[i].v);
	ga_free(s.vals);
	ga_buf_dispose(&s.text);
	return err;
}
