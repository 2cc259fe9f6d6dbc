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
 * kustomize reads back before it appends; we write them ourselves and
 * append textually, so a value we did not write (set by generatorOptions,
 * commonAnnotations or a patch) is refused rather than guessed at.
 */
#include "buildmeta.h"

#include <string.h>

#include "fieldspec.h"
#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/yaml.h"

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

/* {configuredIn, configuredBy: {apiVersion: builtin, kind}}, in the
 * field order of kustomize's Origin struct. */
static int builtin_node(ga_node **out, const char *in, const char *kind)
{
	ga_node *map = NULL, *by = NULL;
	int err;

	if ((err = ga_node_new_map(&map)) < 0 ||
	    (err = put(map, "configuredIn", in)) < 0 ||
	    (err = ga_node_new_map(&by)) < 0 ||
	    (err = ga_node_map_set_take(map, "configuredBy", by)) < 0 ||
	    (err = put(by, "apiVersion", "builtin")) < 0 ||
	    (err = put(by, "kind", kind)) < 0) {
		ga_node_free(map);
		return err;
	}
	*out = map;
	return 0;
}

int ga_kust__meta_builtin_origin(ga_buf *out, const char *in, const char *kind)
{
	ga_node *map = NULL;
	int err;

	if (!(err = builtin_node(&map, in, kind)))
		err = ga_yaml_emit_ordered(out, map);
	ga_node_free(map);
	return err;
}

/* One entry of a transformations list: the same origin as a list item.
 * Lists of these concatenate. */
static int builtin_item(ga_buf *out, const char *in, const char *kind)
{
	ga_node *list = NULL, *map = NULL;
	int err;

	if (!(err = ga_node_new_list(&list)) &&
	    !(err = builtin_node(&map, in, kind)) &&
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

int ga_kust__meta_foreign(const ga_kust_res *r, const char *key)
{
	ga_buf what = GA_BUF_INIT(4096);
	ga_kust_id id;

	ga_kust__id_of(&id, r->obj);
	ga_kust__id_describe(&what, &id);
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s: %s: buildMetadata: the annotation %s was set by the "
	             "kustomization, not by the build; reading it back as "
	             "kustomize does is not supported by gitops-agent build",
	             r->origin, ga_buf_cstr(&what), key);
	ga_buf_dispose(&what);
	return GA_EUNSUPPORTED;
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

/* kustomize's AddTransformerAnnotation on one object, @times times. */
static int record_one(ga_kust_res *r, const char *origin, const char *item,
                      size_t times, ga_buf *text)
{
	const ga_node *o = ga_kust__meta_anno(r->obj, GA_KUST_ANNO_ORIGIN);
	const ga_node *t = ga_kust__meta_anno(r->obj, GA_KUST_ANNO_TRANSFORMS);
	int err;

	if (!o) {
		if ((err = ga_kust__meta_set_anno(r->obj, GA_KUST_ANNO_ORIGIN,
		                                  origin, r->origin)) < 0 ||
		    (err = remember(&r->meta_origin, origin)) < 0)
			return err;
		if (!--times)
			return 0;
	} else if (!ga_kust__meta_ours(o, r->meta_origin)) {
		return ga_kust__meta_foreign(r, GA_KUST_ANNO_ORIGIN);
	}
	if (t && !ga_kust__meta_ours(t, r->meta_trans))
		return ga_kust__meta_foreign(r, GA_KUST_ANNO_TRANSFORMS);
	ga_buf_clear(text);
	if (t)
		ga_buf_put(text, ga_node_str(t), ga_node_str_len(t));
	while (times--)
		ga_buf_puts(text, item);
	if ((err = text->err) < 0 ||
	    (err = ga_kust__meta_set_anno(r->obj, GA_KUST_ANNO_TRANSFORMS,
	                                  ga_buf_cstr(text), r->origin)) < 0)
		return err;
	return remember(&r->meta_trans, ga_buf_cstr(text));
}

int ga_kust__meta_record(ga_kust_resmap *ra, const char *in, const char *kind,
                         size_t times)
{
	ga_buf origin = GA_BUF_INIT(1 << 16), item = GA_BUF_INIT(1 << 16);
	ga_buf text = GA_BUF_INIT((size_t)1 << 24);
	int err;

	if (!times)
		return 0;
	if ((err = ga_kust__meta_builtin_origin(&origin, in, kind)) < 0 ||
	    (err = builtin_item(&item, in, kind)) < 0)
		goto out;
	for (size_t i = 0; !err && i < ra->n; i++)
		err = record_one(ra->v[i], ga_buf_cstr(&origin),
		                 ga_buf_cstr(&item), times, &text);
out:
	ga_buf_dispose(&origin);
	ga_buf_dispose(&item);
	ga_buf_dispose(&text);
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

int ga_kust__meta_check_input(const ga_node *obj, const char *file)
{
	static const char *const acted_on[] = {
	    "previousNames",     "previousKinds",   "previousNamespaces",
	    "prefixes",          "suffixes",        "refBy",
	    "generatorBehavior", "needsHashSuffix", "allowNameChange",
	    "allowKindChange",
	};
	static const char pfx[] = "internal.config.kubernetes.io/";
	const ga_node *meta = ga_node_map_get(obj, "metadata");
	const ga_node *ann = meta ? ga_node_map_get(meta, "annotations") : NULL;

	for (size_t i = 0; ann && ga_node_type_of(ann) == GA_NODE_MAP &&
	                   i < ga_node_count(ann);
	     i++) {
		const char *k = ga_node_map_key(ann, i, NULL);

		if (strncmp(k, pfx, sizeof(pfx) - 1) != 0)
			continue;
		for (size_t a = 0; a < sizeof(acted_on) / sizeof(*acted_on);
		     a++) {
			if (strcmp(k + sizeof(pfx) - 1, acted_on[a]) != 0)
				continue;
			ga_error_set(GA_ERRCLASS_KUSTOMIZE,
			             "%s: line %u: annotation %s: kustomize's "
			             "internal build annotations in input are "
			             "not supported by gitops-agent build",
			             file, ga_node_line(ann), k);
			return GA_EUNSUPPORTED;
		}
	}
	return 0;
}
