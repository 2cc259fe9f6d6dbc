/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The label and annotation transformers (kustomize.md §1.6, §2.5): each
 * `labels` entry, then `commonLabels`, then `commonAnnotations`, writes its
 * pairs as strings into every map its field specs reach, creating maps
 * where the spec says so (a Service without a selector gains one).
 */
#include "transform.h"

#include <string.h>

#include "alias.h"
#include "buildmeta.h"
#include "fieldspec.h"
#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "tconfig.h"
#include "yaml/resolve.h"

/* What set_pairs() writes and into which object, for messages. */
struct pairs {
	const ga_node *pairs;
	ga_kust_res *res;
	const char *file, *field, *path;
	bool labels; /* values it creates are shared (alias.c) */
	/* The maps of res where each key was created, for alias.c. */
	struct made {
		size_t key;
		ga_node *map;
	} * made;
	size_t nmade, capmade;
};

static int note_made(struct pairs *p, size_t key, ga_node *map)
{
	if (p->nmade == p->capmade) {
		size_t cap = p->capmade ? 2 * p->capmade : 8;
		struct made *grown =
		    ga_reallocarray(p->made, cap, sizeof(*grown));

		if (!grown)
			return GA_ENOMEM;
		p->made = grown;
		p->capmade = cap;
	}
	p->made[p->nmade].key = key;
	p->made[p->nmade++].map = map;
	return 0;
}

/* The maps where each key was created share its value (alias.c). */
static int share_made(struct pairs *p)
{
	ga_node *maps[64];
	int err = 0;

	for (size_t i = 0; !err && i < ga_node_count(p->pairs); i++) {
		size_t n = 0;

		for (size_t j = 0; j < p->nmade && n < 64; j++)
			if (p->made[j].key == i)
				maps[n++] = p->made[j].map;
		err = ga_kust__alias_record(
		    p->res, ga_node_map_key(p->pairs, i, NULL), maps, n);
	}
	p->nmade = 0;
	return err;
}

const char *ga_kust__key_nonstring(const char *k, size_t len)
{
	static const char *const what[] = {
	    [GA_YSCALAR_NULL] = "null",
	    [GA_YSCALAR_BOOL] = "a bool",
	    [GA_YSCALAR_INT] = "an integer",
	    [GA_YSCALAR_UINT] = "an integer",
	    [GA_YSCALAR_FLOAT] = "a float",
	    [GA_YSCALAR_TIMESTAMP] = "a timestamp",
	};
	ga_yaml_scalar sc = {.kind = GA_YSCALAR_STRING};

	if (ga_yaml__resolve_plain(&sc, k, len) < 0)
		return "a timestamp";
	if (sc.kind == GA_YSCALAR_STRING || sc.kind == GA_YSCALAR_BINARY)
		return NULL;
	return what[sc.kind];
}

/*
 * kustomize writes a new key as a plain scalar without a tag, and a later
 * step reads the object back with goyaml.v3: a key that then resolves to
 * a bool, number, null or timestamp ("true", "1", "null"; "n:" and "yes:"
 * in the kustomization are booleans, so "false" and "true") fails kubectl
 * on every object it still outputs.  Refuse it by name instead.
 */
static int check_key(const struct pairs *p, const ga_node *map, const char *k,
                     size_t klen)
{
	const char *what = ga_kust__key_nonstring(k, klen);
	ga_buf id = GA_BUF_INIT(4096);
	ga_kust_id kid;

	if (!what || ga_node_map_getn(map, k, klen) ||
	    ga_kust__is_local_config(p->res->obj))
		return 0;
	ga_kust__id_of(&kid, p->res->obj);
	ga_kust__id_describe(&id, &kid);
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s: %s: key '%.*s' reads as %s when written into %s of "
	             "%s (%s); kubectl kustomize fails on it, choose another "
	             "key",
	             p->file, p->field, (int)klen, k, what, p->path,
	             ga_buf_cstr(&id), p->res->origin);
	ga_buf_dispose(&id);
	return GA_EINVALID;
}

static int set_pairs(ga_node *map, void *payload)
{
	struct pairs *p = payload;
	int err = 0;

	for (size_t i = 0; !err && i < ga_node_count(p->pairs); i++) {
		size_t klen;
		const char *k = ga_node_map_key(p->pairs, i, &klen);
		const ga_node *v = ga_node_map_value(p->pairs, i);
		const ga_node *had = ga_node_map_getn(map, k, klen);
		ga_node *copy = NULL, *old = NULL;

		if ((err = check_key(p, map, k, klen)) < 0 ||
		    (had && p->labels &&
		     (err = ga_node_clone(&old, had)) < 0) ||
		    (err = ga_node_new_string(&copy, ga_node_str(v),
		                              ga_node_str_len(v))) < 0 ||
		    (err = ga_node_map_setn_take(map, k, klen, copy)) < 0) {
			ga_node_free(old);
			break;
		}
		/* kustomize sets a present value in place, which shows in
		 * the fields sharing it; a created one is the shared node. */
		if (old)
			err = ga_kust__alias_update(
			    p->res, map, k, old,
			    ga_node_map_getn(map, k, klen));
		else if (!had && p->labels)
			err = note_made(p, i, map);
		ga_node_free(old);
	}
	return err;
}

static int apply_specs(ga_kust_resmap *ra, struct pairs *p,
                       const ga_kust_fieldspec *specs, size_t n)
{
	int err = 0;

	for (size_t r = 0; !err && r < ra->n; r++) {
		p->res = ra->v[r];
		for (size_t i = 0; !err && i < n; i++) {
			p->path = specs[i].path;
			err = ga_kust__fieldspec_maps(ra->v[r]->obj, &specs[i],
			                              set_pairs, p,
			                              ra->v[r]->origin);
		}
		if (!err && p->labels)
			err = share_made(p);
	}
	ga_free(p->made);
	p->made = NULL;
	p->nmade = p->capmade = 0;
	return err;
}

/* The user's own field specs of a `labels` entry, as they are. */
static int user_specs(ga_kust_tconfig *set, const ga_node *fields)
{
	int err = 0;

	for (size_t i = 0; !err && fields && i < ga_node_count(fields); i++) {
		const ga_node *f = ga_node_list_get(fields, i);
		const ga_node *create = ga_node_map_get(f, "create");
		ga_kust_fieldspec spec = {
		    ga_node_map_get(f, "group")
		        ? ga_node_str(ga_node_map_get(f, "group"))
		        : NULL,
		    ga_node_map_get(f, "version")
		        ? ga_node_str(ga_node_map_get(f, "version"))
		        : NULL,
		    ga_node_map_get(f, "kind")
		        ? ga_node_str(ga_node_map_get(f, "kind"))
		        : NULL,
		    ga_node_map_get(f, "path")
		        ? ga_node_str(ga_node_map_get(f, "path"))
		        : "",
		    create && ga_node_bool(create),
		};
		err =
		    ga_kust__tconfig_append_spec(set, GA_KUST_TC_LABELS, &spec);
	}
	return err;
}

/* Merge @sec of @cfg into the entry's set, as kustomize merges them. */
static int merge_section(ga_kust_tconfig *set, const ga_kust_tconfig *cfg,
                         ga_kust_tc_section sec)
{
	size_t n;
	const ga_kust_fieldspec *specs = ga_kust__tconfig_specs(cfg, sec, &n);
	int err = 0;

	for (size_t i = 0; !err && i < n; i++)
		err = ga_kust__tconfig_add_spec(set, GA_KUST_TC_LABELS,
		                                &specs[i]);
	return err;
}

static bool flag(const ga_node *entry, const char *name)
{
	const ga_node *v = ga_node_map_get(entry, name);

	return v && ga_node_bool(v);
}

static int apply_section(ga_kust_resmap *ra, struct pairs *p,
                         const ga_kust_tconfig *cfg, ga_kust_tc_section sec)
{
	size_t n;
	const ga_kust_fieldspec *specs = ga_kust__tconfig_specs(cfg, sec, &n);

	return apply_specs(ra, p, specs, n);
}

/*
 * The field specs of one `labels` entry, as kustomize builds them: the
 * entry's own fields, the configuration's `labels` specs, then the
 * commonLabels specs (includeSelectors) or the template specs
 * (includeTemplates) and metadata/labels, each merged so that a spec
 * already covered is dropped and one with another create flag is a
 * conflict.
 */
static int label_entry(ga_kust_resmap *ra, const ga_node *e,
                       const ga_kust_tconfig *cfg, const char *file)
{
	static const ga_kust_fieldspec meta = {NULL, NULL, NULL,
	                                       "metadata/labels", true};
	const ga_node *pairs = ga_node_map_get(e, "pairs");
	struct pairs p = {pairs, NULL, file, "labels", NULL, true, NULL, 0, 0};
	ga_kust_tconfig *set = NULL;
	int err;

	if (!pairs || !ga_node_count(pairs))
		return 0;
	if ((err = ga_kust__tconfig_new_empty(&set)) < 0 ||
	    (err = user_specs(set, ga_node_map_get(e, "fields"))) < 0 ||
	    (err = merge_section(set, cfg, GA_KUST_TC_LABELS)) < 0)
		goto fail;
	if (flag(e, "includeSelectors")) {
		err = merge_section(set, cfg, GA_KUST_TC_COMMONLABELS);
	} else if (!flag(e, "includeTemplates") ||
	           !(err =
	                 merge_section(set, cfg, GA_KUST_TC_TEMPLATELABELS))) {
		err = ga_kust__tconfig_add_spec(set, GA_KUST_TC_LABELS, &meta);
	}
fail:
	if (err == GA_EINVALID)
		ga_error_prefix("%s", file);
	else if (!err)
		err = apply_section(ra, &p, set, GA_KUST_TC_LABELS);
	ga_kust__tconfig_free(set);
	return err;
}

int ga_kust__transform_labels(ga_kust_resmap *ra, const ga_node *doc,
                              const ga_kust_tconfig *cfg, const char *file)
{
	const ga_node *labels = ga_node_map_get(doc, "labels");
	const ga_node *common = ga_node_map_get(doc, "commonLabels");
	const ga_node *ann = ga_node_map_get(doc, "commonAnnotations");
	struct pairs cl = {common, NULL, file, "commonLabels", NULL, true,
	                   NULL,   0,    0};
	struct pairs ca = {ann,  NULL, file, "commonAnnotations", NULL, true,
	                   NULL, 0,    0};
	int err = 0;

	for (size_t i = 0; !err && labels && i < ga_node_count(labels); i++)
		err = label_entry(ra, ga_node_list_get(labels, i), cfg, file);
	if (!err && common && ga_node_count(common))
		err = apply_section(ra, &cl, cfg, GA_KUST_TC_COMMONLABELS);
	if (!err && ann && ga_node_count(ann))
		err = apply_section(ra, &ca, cfg, GA_KUST_TC_COMMONANNOTATIONS);
	return err;
}
