/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buildMetadata as kustomize v5.5.0 does it (kustomize.md §1.16).  When
 * the top kustomization's list is not empty, kustomize annotates every
 * object while it builds:
 *
 *  - config.kubernetes.io/origin, when an object enters the build: the
 *    file it was read from ("path: base/dep.yaml", the resources entries
 *    joined as written from the top directory), or the generator that made
 *    it (configuredIn: the kustomization file, configuredBy: builtin kind);
 *  - alpha.config.kubernetes.io/transformations, after each builtin
 *    transformer instance, one entry on every object then in the level's
 *    accumulator, whether the transformer changed it or not; an object
 *    without an origin (a patch removed its annotations) takes the
 *    transformer as its origin instead.
 *
 * At the end both are removed unless asked for.  The texts are YAML that
 * kustomize reads back (into Go structs) before it appends.  We remember
 * what we wrote and append textually; only a value we did not write (set
 * by generatorOptions, commonAnnotations or a patch) is parsed, checked
 * and re-encoded as kustomize would.
 */
#include "buildmeta.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "alias.h"
#include "fieldspec.h"
#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/yaml.h"
#include "util/gofloat.h"

unsigned ga_kust__meta_flags(const ga_node *doc)
{
	static const struct {
		const char *name;
		unsigned flag;
	} known[] = {
	    {"originAnnotations", GA_KUST_META_ORIGIN},
	    {"transformerAnnotations", GA_KUST_META_TRANSFORMS},
	    {"managedByLabel", GA_KUST_META_MANAGED},
	};
	const ga_node *list = ga_node_map_get(doc, "buildMetadata");
	unsigned flags = 0;

	if (!list || ga_node_type_of(list) != GA_NODE_LIST ||
	    !ga_node_count(list))
		return 0;
	flags = GA_KUST_META_TRACK;
	for (size_t i = 0; i < ga_node_count(list); i++) {
		const char *s = ga_node_str(ga_node_list_get(list, i));

		for (size_t k = 0; s && k < sizeof(known) / sizeof(*known); k++)
			if (strcmp(s, known[k].name) == 0)
				flags |= known[k].flag;
	}
	return flags;
}

static int put(ga_node *map, const char *key, const char *value)
{
	ga_node *v = NULL;
	int err = ga_node_new_string(&v, value, strlen(value));

	return err < 0 ? err : ga_node_map_set_take(map, key, v);
}

int ga_kust__meta_file_origin(ga_buf *out, const char *path)
{
	ga_node *map = NULL;
	int err;

	if (!(err = ga_node_new_map(&map)) && !(err = put(map, "path", path)))
		err = ga_yaml_emit_ordered(out, map);
	ga_node_free(map);
	return err;
}

/* {configuredIn, configuredBy: {apiVersion: builtin, kind, name}}, in
 * the field order of kustomize's Origin struct; the name only for a
 * plugin configuration (@name not NULL). */
static int builtin_node(ga_node **out, const char *in, const char *kind,
                        const char *name, const char *ns)
{
	ga_node *map = NULL, *by = NULL;
	int err;

	if ((err = ga_node_new_map(&map)) < 0 ||
	    (err = put(map, "configuredIn", in)) < 0 ||
	    (err = ga_node_new_map(&by)) < 0 ||
	    (err = ga_node_map_set_take(map, "configuredBy", by)) < 0 ||
	    (err = put(by, "apiVersion", "builtin")) < 0 ||
	    (err = put(by, "kind", kind)) < 0 ||
	    (name && (err = put(by, "name", name)) < 0) ||
	    (ns && ns[0] && (err = put(by, "namespace", ns)) < 0)) {
		ga_node_free(map);
		return err;
	}
	*out = map;
	return 0;
}

int ga_kust__meta_builtin_origin(ga_buf *out, const char *in, const char *kind)
{
	return ga_kust__meta_plugin_origin(out, in, kind, NULL, NULL);
}

int ga_kust__meta_plugin_origin(ga_buf *out, const char *in, const char *kind,
                                const char *name, const char *ns)
{
	ga_node *map = NULL;
	int err;

	if (!(err = builtin_node(&map, in, kind, name, ns)))
		err = ga_yaml_emit_ordered(out, map);
	ga_node_free(map);
	return err;
}

/* One entry of a transformations list: the same origin as a list item.
 * Lists of these concatenate. */
static int builtin_item(ga_buf *out, const char *in, const char *kind,
                        const char *name, const char *ns)
{
	ga_node *list = NULL, *map = NULL;
	int err;

	if (!(err = ga_node_new_list(&list)) &&
	    !(err = builtin_node(&map, in, kind, name, ns)) &&
	    !(err = ga_node_list_append_take(list, map)))
		err = ga_yaml_emit_ordered(out, list);
	ga_node_free(list);
	return err;
}

const ga_node *ga_kust__meta_anno(const ga_node *obj, const char *key)
{
	const ga_node *meta = ga_node_map_get(obj, "metadata");
	const ga_node *ann = meta ? ga_node_map_get(meta, "annotations") : NULL;

	return ann && ga_node_type_of(ann) == GA_NODE_MAP
	           ? ga_node_map_get(ann, key)
	           : NULL;
}

bool ga_kust__is_local_config(const ga_node *obj)
{
	const ga_node *v =
	    ga_kust__meta_anno(obj, "config.kubernetes.io/local-config");

	return v && !(ga_node_str(v) && strcmp(ga_node_str(v), "false") == 0);
}

int ga_kust__meta_set_anno(ga_node *obj, const char *key, const char *value,
                           const char *file)
{
	ga_node *meta = ga_node_map_get(obj, "metadata"), *ann = NULL;
	int err;

	if (meta && ga_node_type_of(meta) != GA_NODE_MAP) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: line %u: metadata must be a map", file,
		             ga_node_line(meta));
		return GA_EINVALID;
	}
	if (!meta && ((err = ga_node_new_map(&meta)) < 0 ||
	              (err = ga_node_map_set_take(obj, "metadata", meta)) < 0))
		return err;
	ann = ga_node_map_get(meta, "annotations");
	if (ann && ga_node_type_of(ann) != GA_NODE_MAP &&
	    ga_node_type_of(ann) != GA_NODE_NULL) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: line %u: metadata.annotations must be a map",
		             file, ga_node_line(ann));
		return GA_EINVALID;
	}
	if ((!ann || ga_node_type_of(ann) == GA_NODE_NULL) &&
	    ((err = ga_node_new_map(&ann)) < 0 ||
	     (err = ga_node_map_set_take(meta, "annotations", ann)) < 0))
		return err;
	return put(ann, key, value);
}

bool ga_kust__meta_ours(const ga_node *v, const char *ours)
{
	return v && ours && ga_node_type_of(v) == GA_NODE_STRING &&
	       ga_node_str_len(v) == strlen(ours) &&
	       memcmp(ga_node_str(v), ours, ga_node_str_len(v)) == 0;
}

static int unreadable(const ga_kust_res *r, const char *key, const char *why,
                      const ga_node *n)
{
	ga_buf what = GA_BUF_INIT(4096);
	ga_kust_id id;

	ga_kust__id_of(&id, r->obj);
	ga_kust__id_describe(&what, &id);
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s: %s: annotation %s: kustomize cannot read it back: "
	             "%s, found a %s",
	             r->origin, ga_buf_cstr(&what), key, why,
	             ga_node_type_name(ga_node_type_of(n)));
	ga_buf_dispose(&what);
	return GA_EINVALID;
}

/* The field @name of the map @m as Go's encoding/json finds it: any case;
 * of several spellings the last in sorted order wins. */
static const ga_node *go_field(const ga_node *m, const char *name)
{
	const char *best = NULL;
	const ga_node *v = NULL;

	for (size_t i = 0; i < ga_node_count(m); i++) {
		const char *k = ga_node_map_key(m, i, NULL);

		if (strcasecmp(k, name) == 0 &&
		    (!best || strcmp(k, best) > 0)) {
			best = k;
			v = ga_node_map_value(m, i);
		}
	}
	return v;
}

/* Copy the string fields @names of @from into @to as kustomize's structs
 * decode and re-encode them: empty ones left out (omitempty). */
static int copy_fields(const ga_kust_res *r, const char *key, ga_node *to,
                       const ga_node *from, const char *const *names)
{
	int err = 0;

	for (size_t i = 0; !err && names[i]; i++) {
		const ga_node *v = go_field(from, names[i]);

		if (!v || ga_node_type_of(v) == GA_NODE_NULL)
			continue;
		if (ga_node_type_of(v) != GA_NODE_STRING)
			return unreadable(r, key, "a field expected a string",
			                  v);
		if (ga_node_str_len(v))
			err = put(to, names[i], ga_node_str(v));
	}
	return err;
}

/* kustomize's Origin decoded from the node @n (null: a zero one) and
 * ready to be written back. */
static int origin_node(const ga_kust_res *r, const char *key, ga_node **out,
                       const ga_node *n)
{
	static const char *const top[] = {"path", "repo", "ref", "configuredIn",
	                                  NULL};
	static const char *const by[] = {"apiVersion", "kind", "name",
	                                 "namespace", NULL};
	const ga_node *cb = NULL;
	ga_node *map = NULL, *sub = NULL;
	int err;

	if (n && ga_node_type_of(n) != GA_NODE_MAP)
		return unreadable(r, key, "expected an origin (a map)", n);
	cb = n ? go_field(n, "configuredBy") : NULL;
	if (cb && ga_node_type_of(cb) != GA_NODE_MAP &&
	    ga_node_type_of(cb) != GA_NODE_NULL)
		return unreadable(r, key, "configuredBy expected a map", cb);
	if ((err = ga_node_new_map(&map)) < 0 ||
	    (n && (err = copy_fields(r, key, map, n, top)) < 0) ||
	    (err = ga_node_new_map(&sub)) < 0 ||
	    (cb && ga_node_type_of(cb) == GA_NODE_MAP &&
	     (err = copy_fields(r, key, sub, cb, by)) < 0))
		goto out;
	if (ga_node_count(sub)) {
		err = ga_node_map_set_take(map, "configuredBy", sub);
		sub = NULL;
	}
out:
	ga_node_free(sub);
	if (err < 0)
		ga_node_free(map);
	else
		*out = map;
	return err;
}

/* Parse the annotation value @v as sigs.k8s.io/yaml would: its first
 * document, goyaml.v2's scalars; non-string values as their text. */
static int parse_value(ga_node **out, const ga_kust_res *r, const ga_node *v)
{
	ga_yaml_opts opts = GA_YAML_OPTS_INIT;
	char buf[GA_FMT_FLOAT_MAX];
	const char *text = "";
	size_t len = 0;
	ga_node *docs = NULL;
	int err;

	if (ga_node_type_of(v) == GA_NODE_STRING) {
		text = ga_node_str(v);
		len = ga_node_str_len(v);
	} else if (ga_node_is_scalar(v) &&
	           (err = ga_kust__scalar_text(v, buf, &text, &len)) < 0) {
		return err;
	}
	opts.flags = GA_YAML_V2_SCALARS;
	if ((err = ga_yaml_parse(&docs, text, len, r->origin, &opts)) < 0)
		return err;
	*out = ga_node_count(docs) ? ga_node_list_remove(docs, 0) : NULL;
	ga_node_free(docs);
	return 0;
}

int ga_kust__meta_reread_origin(const ga_kust_res *r, const ga_node *v,
                                ga_buf *out)
{
	ga_node *doc = NULL, *o = NULL;
	int err;

	if ((err = parse_value(&doc, r, v)) < 0 ||
	    (err = origin_node(
	         r, GA_KUST_ANNO_ORIGIN, &o,
	         doc && ga_node_type_of(doc) != GA_NODE_NULL ? doc : NULL)) < 0)
		goto out;
	err = ga_yaml_emit_ordered(out, o);
out:
	ga_node_free(doc);
	ga_node_free(o);
	return err;
}

/* The transformations @v we did not write, read back as a list of
 * origins, with @times more @item entries, written to @out. */
static int reread_transforms(const ga_kust_res *r, const ga_node *v,
                             const ga_node *item, size_t times, ga_buf *out)
{
	ga_node *doc = NULL, *list = NULL, *o = NULL;
	int err;

	if ((err = parse_value(&doc, r, v)) < 0 ||
	    (err = ga_node_new_list(&list)) < 0)
		goto out;
	if (doc && ga_node_type_of(doc) != GA_NODE_NULL &&
	    ga_node_type_of(doc) != GA_NODE_LIST) {
		err = unreadable(r, GA_KUST_ANNO_TRANSFORMS,
		                 "expected a list of origins", doc);
		goto out;
	}
	/* A null entry decodes to a nil pointer and is written "null". */
	for (size_t i = 0; doc && i < ga_node_count(doc); i++) {
		const ga_node *e = ga_node_list_get(doc, i);

		if (ga_node_type_of(e) == GA_NODE_NULL)
			err = ga_node_clone(&o, e);
		else
			err = origin_node(r, GA_KUST_ANNO_TRANSFORMS, &o, e);
		if (err < 0 || (err = ga_node_list_append_take(list, o)) < 0)
			goto out;
	}
	while (times--)
		if ((err = ga_node_clone(&o, item)) < 0 ||
		    (err = ga_node_list_append_take(list, o)) < 0)
			goto out;
	err = ga_yaml_emit_ordered(out, list);
out:
	ga_node_free(doc);
	ga_node_free(list);
	return err;
}

/* Replace the owned copy *@slot of what we wrote with @text. */
static int remember(char **slot, const char *text)
{
	char *copy = ga_strdup(text);

	if (!copy)
		return GA_ENOMEM;
	ga_free(*slot);
	*slot = copy;
	return 0;
}

struct record {
	ga_buf origin, item; /* the transformer as origin and as entry */
	ga_node *item_node;
	ga_buf text, scratch;
};

/* kustomize's AddTransformerAnnotation on one object, @times times. */
static int record_one(ga_kust_res *r, struct record *rec, size_t times)
{
	static const char *const anno[] = {"metadata", "annotations"};
	const ga_node *o = ga_kust__meta_anno(r->obj, GA_KUST_ANNO_ORIGIN);
	const ga_node *t = ga_kust__meta_anno(r->obj, GA_KUST_ANNO_TRANSFORMS);
	int err;

	ga_buf_clear(&rec->text);
	ga_buf_clear(&rec->scratch);
	/* kustomize writes the annotations back as a new map, whose values
	 * share nothing with other fields any more. */
	ga_kust__alias_drop(r, anno, 2);
	if (!o) {
		if ((err = ga_kust__meta_set_anno(r->obj, GA_KUST_ANNO_ORIGIN,
		                                  ga_buf_cstr(&rec->origin),
		                                  r->origin)) < 0 ||
		    (err = remember(&r->meta_origin,
		                    ga_buf_cstr(&rec->origin))) < 0)
			return err;
		if (!--times)
			return 0;
	} else if (!ga_kust__meta_ours(o, r->meta_origin) &&
	           (err = ga_kust__meta_reread_origin(r, o, &rec->scratch)) <
	               0) {
		return err; /* only read: kustomize leaves it as it is */
	}
	if (t && !ga_kust__meta_ours(t, r->meta_trans)) {
		if ((err = reread_transforms(r, t, rec->item_node, times,
		                             &rec->text)) < 0)
			return err;
	} else {
		if (t)
			ga_buf_put(&rec->text, ga_node_str(t),
			           ga_node_str_len(t));
		while (times--)
			ga_buf_puts(&rec->text, ga_buf_cstr(&rec->item));
	}
	if ((err = rec->text.err) < 0 ||
	    (err = ga_kust__meta_set_anno(r->obj, GA_KUST_ANNO_TRANSFORMS,
	                                  ga_buf_cstr(&rec->text), r->origin)) <
	        0)
		return err;
	return remember(&r->meta_trans, ga_buf_cstr(&rec->text));
}

int ga_kust__meta_record(ga_kust_resmap *ra, const char *in, const char *kind,
                         size_t times)
{
	return ga_kust__meta_record_plugin(ra, in, kind, NULL, NULL, times);
}

int ga_kust__meta_record_plugin(ga_kust_resmap *ra, const char *in,
                                const char *kind, const char *name,
                                const char *ns, size_t times)
{
	struct record rec = {GA_BUF_INIT(1 << 16), GA_BUF_INIT(1 << 16), NULL,
	                     GA_BUF_INIT((size_t)1 << 24),
	                     GA_BUF_INIT(1 << 16)};
	int err;

	if (!times)
		return 0;
	if ((err = ga_kust__meta_plugin_origin(&rec.origin, in, kind, name,
	                                       ns)) < 0 ||
	    (err = builtin_node(&rec.item_node, in, kind, name, ns)) < 0 ||
	    (err = builtin_item(&rec.item, in, kind, name, ns)) < 0)
		goto out;
	for (size_t i = 0; !err && i < ra->n; i++)
		err = record_one(ra->v[i], &rec, times);
out:
	ga_buf_dispose(&rec.origin);
	ga_buf_dispose(&rec.item);
	ga_node_free(rec.item_node);
	ga_buf_dispose(&rec.text);
	ga_buf_dispose(&rec.scratch);
	return err;
}

static int set_managed_by(ga_node *labels, void *payload)
{
	(void)payload;
	return put(labels, "app.kubernetes.io/managed-by",
	           /* kustomize writes "kustomize-" + its module version;
	            * kubectl v1.32.4 vendors kustomize without version
	            * information, so Go reports "(devel)". */
	           "kustomize-(devel)");
}

int ga_kust__meta_managed_by(ga_kust_resmap *ra)
{
	static const ga_kust_fieldspec fs = {NULL, NULL, NULL,
	                                     "metadata/labels", true};
	int err = 0;

	for (size_t i = 0; !err && i < ra->n; i++)
		err = ga_kust__fieldspec_maps(
		    ra->v[i]->obj, &fs, set_managed_by, NULL, ra->v[i]->origin);
	return err;
}

/* Annotations the kyaml reader and writer keep on objects; kustomize
 * removes them at the end, whoever set them. */
static const char *const stripped[] = {
    "config.kubernetes.io/index",
    "config.kubernetes.io/path",
    "config.k8s.io/id",
    "internal.config.kubernetes.io/index",
    "internal.config.kubernetes.io/path",
    "internal.config.kubernetes.io/id",
    "internal.config.kubernetes.io/seqindent",
    "internal.config.kubernetes.io/annotations-migration-resource-id",
    /* the build annotations, taken from input objects (take_input) */
    "internal.config.kubernetes.io/previousNames",
    "internal.config.kubernetes.io/previousKinds",
    "internal.config.kubernetes.io/previousNamespaces",
    "internal.config.kubernetes.io/prefixes",
    "internal.config.kubernetes.io/suffixes",
    "internal.config.kubernetes.io/refBy",
    "internal.config.kubernetes.io/generatorBehavior",
    "internal.config.kubernetes.io/needsHashSuffix",
    "internal.config.kubernetes.io/allowNameChange",
    "internal.config.kubernetes.io/allowKindChange",
};

void ga_kust__meta_strip(ga_node *ann, unsigned flags)
{
	for (size_t i = 0; i < sizeof(stripped) / sizeof(*stripped); i++)
		ga_node_free(ga_node_map_remove(ann, stripped[i]));
	if (!(flags & GA_KUST_META_ORIGIN))
		ga_node_free(ga_node_map_remove(ann, GA_KUST_ANNO_ORIGIN));
	if (!(flags & GA_KUST_META_TRANSFORMS))
		ga_node_free(ga_node_map_remove(ann, GA_KUST_ANNO_TRANSFORMS));
}

#define INTERNAL "internal.config.kubernetes.io/"

/* The comma-separated annotation @key of @ann split into a new list
 * (*@out; NULL when the annotation is absent), as Go's strings.Split. */
static int split_csv(const ga_node *ann, const char *key, ga_node **out)
{
	const ga_node *v = ga_node_map_get(ann, key);
	const char *s, *end;
	int err = 0;

	*out = NULL;
	if (!v)
		return 0;
	s = ga_node_str(v) ? ga_node_str(v) : "";
	if ((err = ga_node_new_list(out)) < 0)
		return err;
	do {
		ga_node *item = NULL;

		end = strchr(s, ',');
		if (!end)
			end = s + strlen(s);
		if ((err = ga_node_new_string(&item, s, (size_t)(end - s))) <
		        0 ||
		    (err = ga_node_list_append_take(*out, item)) < 0)
			return err;
		s = end + 1;
	} while (*end);
	return 0;
}

/* kustomize's PrevIds(): one earlier identity per previous name, with the
 * kind and namespace at the same index and the object's apiVersion. */
static int take_previous(ga_kust_res *r, const ga_node *ann, const char *file)
{
	ga_node *names = NULL, *kinds = NULL, *nss = NULL;
	ga_kust_id id;
	int err;

	if ((err = split_csv(ann, INTERNAL "previousNames", &names)) < 0 ||
	    !names ||
	    (err = split_csv(ann, INTERNAL "previousKinds", &kinds)) < 0 ||
	    (err = split_csv(ann, INTERNAL "previousNamespaces", &nss)) < 0)
		goto out;
	if ((kinds ? ga_node_count(kinds) : 1) != ga_node_count(names) ||
	    (nss ? ga_node_count(nss) : 1) != ga_node_count(names)) {
		ga_error_set(
		    GA_ERRCLASS_KUSTOMIZE,
		    "%s: line %u: annotations %spreviousNames, "
		    "previousKinds and previousNamespaces: not as many "
		    "names as kinds and namespaces (kubectl panics)",
		    file, ga_node_line(ann), INTERNAL);
		err = GA_EINVALID;
		goto out;
	}
	ga_kust__id_of(&id, r->obj);
	for (size_t i = 0; !err && i < ga_node_count(names); i++) {
		ga_kust_prev *grown =
		    ga_reallocarray(r->prev, r->nprev + 1, sizeof(*grown));
		ga_kust_prev *p;

		if (!grown) {
			err = GA_ENOMEM;
			break;
		}
		r->prev = grown;
		p = &r->prev[r->nprev];
		p->api_version = ga_strdup(id.api_version);
		p->kind = ga_strdup(
		    kinds ? ga_node_str(ga_node_list_get(kinds, i)) : "");
		p->name = ga_strdup(ga_node_str(ga_node_list_get(names, i)));
		p->ns =
		    ga_strdup(nss ? ga_node_str(ga_node_list_get(nss, i)) : "");
		if (!p->api_version || !p->kind || !p->name || !p->ns) {
			ga_free(p->api_version);
			ga_free(p->kind);
			ga_free(p->name);
			ga_free(p->ns);
			err = GA_ENOMEM;
			break;
		}
		r->nprev++;
	}
out:
	ga_node_free(names);
	ga_node_free(kinds);
	ga_node_free(nss);
	return err;
}

/* The prefixes or suffixes annotation (applied first, first) as the
 * affix stack, the one applied last first. */
static int take_affixes(ga_node **stack, const ga_node *ann, const char *key)
{
	ga_node *list = NULL;
	int err;

	if ((err = split_csv(ann, key, &list)) < 0 || !list)
		goto out;
	if (!*stack && (err = ga_node_new_list(stack)) < 0)
		goto out;
	while (!err && ga_node_count(list))
		err = ga_node_list_insert_take(*stack, 0,
		                               ga_node_list_remove(list, 0));
out:
	ga_node_free(list);
	return err;
}

int ga_kust__meta_take_input(ga_kust_res *r, const char *file)
{
	static const char *const acted_on[] = {
	    "previousNames",     "previousKinds",   "previousNamespaces",
	    "prefixes",          "suffixes",        "refBy",
	    "generatorBehavior", "needsHashSuffix", "allowNameChange",
	    "allowKindChange",
	};
	ga_node *meta = ga_node_map_get(r->obj, "metadata");
	ga_node *ann = meta ? ga_node_map_get(meta, "annotations") : NULL;
	const ga_node *hash;
	char key[64];
	int err;

	if (!ann || ga_node_type_of(ann) != GA_NODE_MAP || !ga_node_count(ann))
		return 0;
	hash = ga_node_map_get(ann, INTERNAL "needsHashSuffix");
	if (hash && ga_node_str(hash) &&
	    strcmp(ga_node_str(hash), "enabled") == 0)
		r->needs_hash = true;
	if ((err = take_previous(r, ann, file)) < 0 ||
	    (err = take_affixes(&r->prefixes, ann, INTERNAL "prefixes")) < 0 ||
	    (err = take_affixes(&r->suffixes, ann, INTERNAL "suffixes")) < 0)
		return err;
	for (size_t a = 0; a < sizeof(acted_on) / sizeof(*acted_on); a++) {
		snprintf(key, sizeof(key), INTERNAL "%s", acted_on[a]);
		ga_node_free(ga_node_map_remove(ann, key));
	}
	/* An emptied map stays until the end, as the annotations do in
	 * kustomize: a JSON patch may still add to it. */
	return 0;
}
