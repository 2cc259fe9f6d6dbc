/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The build: kustomize's accumulateTarget and the top-level steps after it
 * (kustomize.md §2.1), with the loader rules of §1.2, §1.3 and §5.1:
 *
 *  - a `resources` entry that is a file is read only if its resolved path
 *    lies in or below the kustomization's resolved directory (the default
 *    LoadRestrictionsRootOnly);
 *  - a directory entry is another kustomization, built completely on its
 *    own and then appended; directories are not restricted, but absolute
 *    ones are refused, and so is a directory that is, or contains, one
 *    being built (a cycle);
 *  - components run after the resources, inside the same accumulator;
 *  - `generators` and `transformers` entries are builtin plugin
 *    configurations, inline or read like resources (plugins.h); they run
 *    after the kustomization's own generators and transformers;
 *  - `configurations` and `crds` files are read like generator files (in
 *    or below the kustomization's directory); the transformer
 *    configuration they extend is carried up from bases and components;
 *  - remote resources are refused: the agent fetches and verifies its
 *    sources itself.
 *
 * Paths in messages are relative to the top-level kustomization's
 * directory, so that they read the same on every machine.
 */
#include "build.h"

#include <stdio.h>
#include <string.h>

#include "buildmeta.h"
#include "fs.h"
#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/yaml.h"
#include "generators.h"
#include "kustomization.h"
#include "patches.h"
#include "path.h"
#include "pcache.h"
#include "plugins.h"
#include "resource.h"
#include "sort.h"
#include "tconfig.h"
#include "transform.h"

/* Bounds: a distribution is not deeper than this, nor larger. */
#define BUILD_MAX_DEPTH 64
#define KUST_FILE_MAX ((size_t)1 << 20)

struct build {
	ga_kust_fs *fs;
	const char *top; /* the top-level kustomization's dir */
	const char *roots[BUILD_MAX_DEPTH]; /* dirs being built */
	size_t depth;
	unsigned meta; /* the top's buildMetadata (GA_KUST_META_*) */
};

/* What a level accumulates: its resources and the vars declared with
 * them, handed up together (kustomize's ResAccumulator). */
/* What a kustomization level accumulates: resources, the vars declared,
 * and the transformer configuration (kustomize.md §1.13). */
struct acc {
	ga_kust_resmap ra;
	ga_node *vars;
	ga_kust_tconfig *cfg;
};

static void acc_dispose(struct acc *a)
{
	ga_kust__resmap_dispose(&a->ra);
	ga_node_free(a->vars);
	ga_kust__tconfig_free(a->cfg);
}

/* @path as messages show it: relative to the top directory. */
static const char *shown(struct build *b, ga_buf *tmp, const char *path)
{
	ga_buf_clear(tmp);
	if (ga_kust__path_rel(tmp, b->top, path) < 0)
		return path;
	return ga_buf_cstr(tmp);
}

/* Fields the engine does not implement yet fail the build by name rather
 * than being ignored. */
static int refuse_unimplemented(const ga_kust_file *kf)
{
	static const char *const supported[] = {
	    "apiVersion",
	    "kind",
	    "metadata",
	    "resources",
	    "components",
	    "sortOptions",
	    "labels",
	    "commonLabels",
	    "commonAnnotations",
	    "namespace",
	    "namePrefix",
	    "nameSuffix",
	    "images",
	    "replicas",
	    "configMapGenerator",
	    "secretGenerator",
	    "generatorOptions",
	    "patches",
	    "patchesStrategicMerge",
	    "patchesJson6902",
	    "replacements",
	    "vars",
	    "buildMetadata",
	    "openapi",
	    "configurations",
	    "crds",
	    "generators",
	    "transformers",
	};
	for (size_t i = 0; i < ga_node_count(kf->doc); i++) {
		const char *k = ga_node_map_key(kf->doc, i, NULL);
		bool ok = false;

		for (size_t j = 0; j < sizeof(supported) / sizeof(*supported);
		     j++)
			ok = ok || strcmp(k, supported[j]) == 0;
		if (!ok) {
			ga_error_set(GA_ERRCLASS_KUSTOMIZE,
			             "%s: %s: not supported yet by "
			             "gitops-agent build",
			             kf->path, k);
			return GA_EUNSUPPORTED;
		}
	}
	return 0;
}

/*
 * Find and parse the kustomization file of the resolved directory @dir.
 * @referrer ("kustomization.yaml: resources: 'base'") says who asked for
 * it, NULL at the top.
 */
static int load_kustomization(struct build *b, ga_kust_file **out,
                              const char *dir, const char *referrer)
{
	static const char *const names[] = {
	    "kustomization.yaml", "kustomization.yml", "Kustomization"};
	ga_buf path = GA_BUF_INIT(8192), canon = GA_BUF_INIT(8192);
	ga_buf text = GA_BUF_INIT(KUST_FILE_MAX);
	char found[8192] = "";
	ga_kust_fs_kind kind;
	int err = 0, count = 0;

	for (size_t i = 0; i < 3; i++) {
		ga_buf_clear(&path);
		ga_buf_clear(&canon);
		if ((err = ga_kust__path_join(&path, dir, names[i])) < 0 ||
		    (err = ga_kust__fs_resolve(b->fs, path.ptr, &canon,
		                               &kind)) < 0)
			goto out;
		if (kind == GA_KUST_FS_FILE && count++ == 0)
			snprintf(found, sizeof(found), "%s", path.ptr);
	}
	if (count != 1) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE, "%s%sdirectory '%s': %s",
		             referrer ? referrer : "", referrer ? ": " : "",
		             shown(b, &path, dir),
		             count ? "found more than one of "
		                     "'kustomization.yaml', "
		                     "'kustomization.yml' and 'Kustomization'"
		                   : "unable to find one of "
		                     "'kustomization.yaml', "
		                     "'kustomization.yml' or 'Kustomization'");
		err = GA_EINVALID;
		goto out;
	}
	ga_buf_clear(&path);
	shown(b, &path, found);
	if ((err = ga_kust__fs_read(b->fs, found, &text)) < 0 ||
	    (err = ga_kust__file_parse(out, ga_buf_cstr(&text), text.size,
	                               ga_buf_cstr(&path))) < 0)
		goto out;
out:
	ga_buf_dispose(&path);
	ga_buf_dispose(&canon);
	ga_buf_dispose(&text);
	return err;
}

/* Take the objects of one parsed document: a List's items, or itself. */
static int add_object(ga_kust_resmap *ra, ga_node *obj, const char *file,
                      ga_node *tail)
{
	const ga_node *kind = ga_node_map_get(obj, "kind");
	const ga_node *meta = ga_node_map_get(obj, "metadata");
	const ga_node *name = meta ? ga_node_map_get(meta, "name") : NULL;
	size_t klen = kind ? ga_node_str_len(kind) : 0;
	ga_kust_res *r = NULL;
	ga_node *items;
	int err;

	/* Any kind ending in "List" with items is expanded; its items go to
	 * the end of the file's objects (kustomize.md §1.2). */
	if (klen >= 4 && memcmp(ga_node_str(kind) + klen - 4, "List", 4) == 0 &&
	    (items = ga_node_map_remove(obj, "items")) != NULL) {
		ga_node_free(obj);
		if (ga_node_type_of(items) == GA_NODE_NULL) {
			ga_node_free(items);
			return 0;
		}
		if (ga_node_type_of(items) != GA_NODE_LIST) {
			ga_error_set(GA_ERRCLASS_KUSTOMIZE,
			             "%s: line %u: items of a List must be a "
			             "list",
			             file, ga_node_line(items));
			ga_node_free(items);
			return GA_EINVALID;
		}
		while (ga_node_count(items)) {
			err = ga_node_list_append_take(
			    tail, ga_node_list_remove(items, 0));
			if (err < 0) {
				ga_node_free(items);
				return err;
			}
		}
		ga_node_free(items);
		return 0;
	}
	if (!kind || !klen || !ga_node_str(kind) || !name ||
	    !ga_node_str(name) || !ga_node_str_len(name)) {
		ga_error_set(
		    GA_ERRCLASS_KUSTOMIZE, "%s: line %u: object %s: missing %s",
		    file, ga_node_line(obj),
		    kind && ga_node_str(kind) ? ga_node_str(kind) : "(no kind)",
		    !kind || !klen || !ga_node_str(kind) ? "kind"
		                                         : "metadata.name");
		ga_node_free(obj);
		return GA_EINVALID;
	}
	if (!(r = ga_calloc(1, sizeof(*r))) || !(r->origin = ga_strdup(file))) {
		ga_free(r);
		ga_node_free(obj);
		return GA_ENOMEM;
	}
	r->obj = obj;
	if ((err = ga_kust__meta_take_input(r, file)) < 0) {
		ga_kust__res_free(r);
		return err;
	}
	return ga_kust__resmap_add_take(ra, r);
}

/* buildMetadata: the file @opath (as origins name it) becomes the origin
 * of the objects @ra gained from index @from on. */
static int stamp_file_origin(ga_kust_resmap *ra, size_t from, const char *opath)
{
	ga_buf text = GA_BUF_INIT(1 << 16);
	int err = ga_kust__meta_file_origin(&text, opath);

	for (size_t i = from; !err && i < ra->n; i++) {
		ga_kust_res *r = ra->v[i];

		if (!(err = ga_kust__meta_set_anno(r->obj, GA_KUST_ANNO_ORIGIN,
		                                   ga_buf_cstr(&text),
		                                   r->origin)) &&
		    !(r->meta_origin = ga_strdup(ga_buf_cstr(&text))))
			err = GA_ENOMEM;
	}
	ga_buf_dispose(&text);
	return err;
}

/* Read the resource file at the resolved @path into @ra; @opath names it
 * for origin annotations. */
static int load_resource_file(struct build *b, ga_kust_resmap *ra,
                              const char *path, const char *opath)
{
	size_t from = ra->n;
	ga_yaml_opts opts = GA_YAML_OPTS_INIT;
	ga_buf text = GA_BUF_INIT(GA_YAML_MAX_BYTES), name = GA_BUF_INIT(8192);
	ga_node *docs = NULL, *tail = NULL;
	int err;

	opts.flags = GA_YAML_RESOURCES;
	shown(b, &name, path);
	if ((err = ga_kust__fs_read(b->fs, path, &text)) < 0 ||
	    (err = ga_kust__parse(&docs, ga_buf_cstr(&text), text.size,
	                          ga_buf_cstr(&name), &opts)) < 0 ||
	    (err = ga_node_new_list(&tail)) < 0)
		goto out;
	/* Documents first, then the items of Lists in the order found;
	 * items that are Lists themselves are expanded in turn. */
	for (ga_node *list = docs; !err && list;
	     list = list == docs ? tail : NULL) {
		while (!err && ga_node_count(list)) {
			ga_node *doc = ga_node_list_remove(list, 0);

			if (ga_node_type_of(doc) == GA_NODE_NULL) {
				ga_node_free(doc);
				continue;
			}
			if (ga_node_type_of(doc) != GA_NODE_MAP) {
				ga_error_set(
				    GA_ERRCLASS_KUSTOMIZE,
				    "%s: line %u: expected a "
				    "Kubernetes object (a map), found "
				    "a %s",
				    ga_buf_cstr(&name), ga_node_line(doc),
				    ga_node_type_name(ga_node_type_of(doc)));
				ga_node_free(doc);
				err = GA_EINVALID;
				break;
			}
			err = add_object(ra, doc, ga_buf_cstr(&name), tail);
		}
	}
	if (!err && b->meta)
		err = stamp_file_origin(ra, from, opath);
out:
	ga_node_free(docs);
	ga_node_free(tail);
	ga_buf_dispose(&text);
	ga_buf_dispose(&name);
	return err;
}

static int accumulate(struct build *b, const char *dir, ga_kust_file *kf,
                      struct acc *acc, const char *opath);

static bool is_remote(const char *entry)
{
	return strncmp(entry, "http://", 7) == 0 ||
	       strncmp(entry, "https://", 8) == 0 ||
	       strncmp(entry, "ssh://", 6) == 0 ||
	       strncmp(entry, "git::", 5) == 0 ||
	       strncmp(entry, "git@", 4) == 0 ||
	       strncmp(entry, "github.com/", 11) == 0;
}

/* Refuse a new root that is, or contains, a directory being built. */
static int check_cycle(struct build *b, const ga_kust_file *kf, const char *dir)
{
	ga_buf a = GA_BUF_INIT(8192), c = GA_BUF_INIT(8192);

	for (size_t i = 0; i < b->depth; i++) {
		if (!ga_kust__path_within(b->roots[i], dir))
			continue;
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: cycle detected: candidate root '%s' "
		             "contains visited root '%s'",
		             kf->path, shown(b, &c, dir),
		             shown(b, &a, b->roots[i]));
		ga_buf_dispose(&a);
		ga_buf_dispose(&c);
		return GA_EINVALID;
	}
	if (b->depth == BUILD_MAX_DEPTH) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: kustomizations nested more than %d deep",
		             kf->path, BUILD_MAX_DEPTH);
		return GA_ELIMIT;
	}
	return 0;
}

/* Build the kustomization directory @dir (resolved) of a resources or
 * components entry into @acc. */
static int accumulate_dir(struct build *b, const ga_kust_file *parent,
                          const char *entry, const char *dir, struct acc *acc,
                          const char *field, const char *opath)
{
	bool component = strcmp(field, "components") == 0;
	struct acc sub = {0};
	ga_kust_file *kf = NULL;
	char referrer[1024];
	int err;

	if (entry[0] == '/') {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: new root '%s' cannot be absolute",
		             parent->path, entry);
		return GA_EINVALID;
	}
	snprintf(referrer, sizeof(referrer), "%s: %s: '%s'", parent->path,
	         field, entry);
	if ((err = check_cycle(b, parent, dir)) < 0 ||
	    (err = load_kustomization(b, &kf, dir, referrer)) < 0)
		goto out;
	if (kf->component != component) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             component ? "%s: %s: '%s' is a "
		                         "Kustomization, not a Component"
		                       : "%s: %s: '%s' is a Component; "
		                         "list it under components",
		             parent->path, field, entry);
		err = GA_EINVALID;
		goto out;
	}
	/* A component shares its parent's accumulation, configuration
	 * included; a base's configuration is merged into its parent's. */
	if (component) {
		if (!(err = accumulate(b, dir, kf, acc, opath)) &&
		    (err = ga_kust__tconfig_remerge(acc->cfg)) == GA_EINVALID)
			ga_error_prefix("%s: merging the transformer "
			                "configuration",
			                referrer);
	} else if (!(err = ga_kust__tconfig_new_empty(&sub.cfg)) &&
	           !(err = accumulate(b, dir, kf, &sub, opath)) &&
	           !(err = ga_kust__resmap_absorb(&acc->ra, &sub.ra))) {
		/* Resources, configuration, then vars, as kustomize merges
		 * them (the first conflict is the one reported). */
		if ((err = ga_kust__tconfig_merge(acc->cfg, sub.cfg)) ==
		    GA_EINVALID)
			ga_error_prefix("%s: merging its transformer "
			                "configuration",
			                referrer);
		else if (!err)
			err = ga_kust__vars_merge(&acc->vars, &sub.vars,
			                          referrer);
	}
out:
	acc_dispose(&sub);
	ga_kust__file_free(kf);
	return err;
}

/* One entry of `resources`, `components`, or of `generators` and
 * `transformers` naming configurations (@field). */
static int accumulate_entry(struct build *b, const ga_kust_file *kf,
                            const char *dir, const char *entry, struct acc *acc,
                            const char *field, const char *opath)
{
	ga_buf path = GA_BUF_INIT(8192), canon = GA_BUF_INIT(8192);
	ga_buf sub = GA_BUF_INIT(8192);
	bool component = strcmp(field, "components") == 0;
	ga_kust_fs_kind kind;
	int err;

	if (is_remote(entry)) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: %s: '%s': remote resources are not "
		             "supported; vendor the base into the repository",
		             kf->path, field, entry);
		return GA_EUNSUPPORTED;
	}
	/* Origins join the entries as written, from the top (Go's Join). */
	if ((err = ga_kust__path_join(&path, dir, entry)) < 0 ||
	    (err = ga_kust__fs_resolve(b->fs, path.ptr, &canon, &kind)) < 0 ||
	    (b->meta &&
	     (err = ga_kust__path_join_lexical(&sub, opath, entry)) < 0))
		goto out;
	if (kind == GA_KUST_FS_MISSING ||
	    (component && kind != GA_KUST_FS_DIR)) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE, "%s: %s: '%s': %s",
		             kf->path, field, entry,
		             kind == GA_KUST_FS_MISSING
		                 ? "no such file or directory"
		                 : "a component must be a directory");
		err = GA_EINVALID;
	} else if (kind == GA_KUST_FS_DIR) {
		err = accumulate_dir(b, kf, entry, canon.ptr, acc, field,
		                     ga_buf_cstr(&sub));
	} else if (!ga_kust__path_within(canon.ptr, dir)) {
		ga_buf a = GA_BUF_INIT(8192);
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: %s: security; file '%s' is not in "
		             "or below '%s'",
		             kf->path, field, shown(b, &a, canon.ptr),
		             shown(b, &path, dir));
		ga_buf_dispose(&a);
		err = GA_EINVALID;
	} else {
		err = load_resource_file(b, &acc->ra, canon.ptr,
		                         ga_buf_cstr(&sub));
	}
out:
	ga_buf_dispose(&path);
	ga_buf_dispose(&canon);
	ga_buf_dispose(&sub);
	return err;
}

static int accumulate_list(struct build *b, ga_kust_file *kf, const char *dir,
                           struct acc *acc, bool component, const char *opath)
{
	const ga_node *list =
	    ga_kust__file_list(kf, component ? "components" : "resources");
	int err = 0;

	for (size_t i = 0; !err && list && i < ga_node_count(list); i++)
		err = accumulate_entry(
		    b, kf, dir, ga_node_str(ga_node_list_get(list, i)), acc,
		    component ? "components" : "resources", opath);
	return err;
}

/* Generator file sources: read under the load restriction. */
struct gen_ctx {
	struct build *b;
	const ga_kust_file *kf;
	const char *dir;
	const char *in;    /* buildMetadata: kf as origins name it, or NULL */
	const char *field; /* "configurations: " etc. for messages, or "" */
};

static int read_generator_file(void *ctx, const char *rel, ga_buf *out)
{
	const struct gen_ctx *g = ctx;
	ga_buf path = GA_BUF_INIT(8192), canon = GA_BUF_INIT(8192);
	ga_buf a = GA_BUF_INIT(8192), d = GA_BUF_INIT(8192);
	ga_kust_fs_kind kind;
	int err;

	if ((err = ga_kust__path_join(&path, g->dir, rel)) < 0 ||
	    (err = ga_kust__fs_resolve(g->b->fs, path.ptr, &canon, &kind)) < 0)
		goto out;
	if (kind != GA_KUST_FS_FILE) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE, "%s: %s'%s' %s",
		             g->kf->path, g->field, rel,
		             kind == GA_KUST_FS_MISSING
		                 ? "does not exist"
		                 : "must resolve to a file");
		err = GA_EINVALID;
	} else if (!ga_kust__path_within(canon.ptr, g->dir)) {
		/* Name the file as the kustomization wrote it; say where a
		 * relative name led only when a link took it elsewhere. */
		const char *to = shown(g->b, &a, canon.ptr);
		bool moved = rel[0] != '/' && strcmp(to, rel) != 0;

		ga_error_set(
		    GA_ERRCLASS_KUSTOMIZE,
		    "%s: %ssecurity; file '%s'%s%s%s is not in or below "
		    "'%s'",
		    g->kf->path, g->field, rel, moved ? " (resolves to '" : "",
		    moved ? to : "", moved ? "')" : "",
		    shown(g->b, &d, g->dir));
		err = GA_EINVALID;
	} else {
		err = ga_kust__fs_read(g->b->fs, canon.ptr, out);
	}
out:
	ga_buf_dispose(&path);
	ga_buf_dispose(&canon);
	ga_buf_dispose(&a);
	ga_buf_dispose(&d);
	return err;
}

/* The `configurations` or (@crds) `crds` files of this level, read under
 * the load restriction, merged into @cfg one after the other. */
static int load_configs(const struct gen_ctx *parent, ga_kust_tconfig *cfg,
                        bool crds)
{
	const char *field = crds ? "crds" : "configurations";
	struct gen_ctx here = *parent, *g = &here;
	const ga_node *list = ga_kust__file_list(g->kf, field);
	ga_buf text = GA_BUF_INIT(KUST_FILE_MAX), path = GA_BUF_INIT(8192);
	ga_buf name = GA_BUF_INIT(8192);
	ga_yaml_opts opts = GA_YAML_OPTS_INIT;
	int err = 0;

	/* kustomize decodes both with goyaml.v2 (JSON is YAML to it). */
	opts.flags = GA_YAML_V2_SCALARS;
	here.field = crds ? "crds: " : "configurations: ";
	for (size_t i = 0; !err && list && i < ga_node_count(list); i++) {
		const char *rel = ga_node_str(ga_node_list_get(list, i));
		ga_node *docs = NULL;
		const ga_node *doc;

		ga_buf_clear(&text);
		ga_buf_clear(&path);
		if ((err = read_generator_file(g, rel, &text)) < 0 ||
		    (err = ga_kust__path_join(&path, g->dir, rel)) < 0)
			break;
		shown(g->b, &name, ga_buf_cstr(&path));
		if ((err = ga_kust__parse(&docs, ga_buf_cstr(&text), text.size,
		                          ga_buf_cstr(&name), &opts)) < 0) {
			ga_error_prefix("%s: %s", g->kf->path, field);
			break;
		}
		doc = ga_node_count(docs) ? ga_node_list_get(docs, 0) : NULL;
		err = crds
		          ? ga_kust__tconfig_load_crds(cfg, doc,
		                                       ga_buf_cstr(&name))
		          : ga_kust__tconfig_load(cfg, doc, ga_buf_cstr(&name));
		if (err == GA_EINVALID || err == GA_ELIMIT)
			ga_error_prefix("%s: %s", g->kf->path, field);
		ga_node_free(docs);
	}
	ga_buf_dispose(&text);
	ga_buf_dispose(&path);
	ga_buf_dispose(&name);
	return err;
}

/* buildMetadata: one patch transformer ran (patches.c calls back). */
static int record_hook(void *ctx, ga_kust_resmap *ra, const char *kind)
{
	const struct gen_ctx *g = ctx;

	return ga_kust__meta_record(ra, g->in, kind, 1);
}

/* buildMetadata: @times instances of the builtin transformer @kind ran. */
static int record(const struct gen_ctx *g, ga_kust_resmap *ra, const char *kind,
                  size_t times)
{
	return g->in ? ga_kust__meta_record(ra, g->in, kind, times) : 0;
}

static size_t count_of(const ga_kust_file *kf, const char *field)
{
	const ga_node *n = ga_node_map_get(kf->doc, field);

	return n && !ga_node_is_scalar(n) ? ga_node_count(n) : 0;
}

/* This level's transformers, in kustomize's fixed order, each recorded
 * for buildMetadata as kustomize configures them: one per `labels` entry
 * plus one for commonLabels when either is set, one per patches,
 * patchesJson6902, replicas and images entry, one for the rest. */
static int transform(const ga_kust_file *kf, ga_kust_resmap *ra,
                     struct gen_ctx *g, const ga_kust_tconfig *cfg)
{
	const char *ns = ga_kust__file_str(kf, "namespace");
	const char *prefix = ga_kust__file_str(kf, "namePrefix");
	const char *suffix = ga_kust__file_str(kf, "nameSuffix");
	size_t labels = count_of(kf, "labels");
	ga_kust_hook hook = {record_hook, g};
	const ga_kust_hook *h = g->in ? &hook : NULL;
	int err;

	if (labels || count_of(kf, "commonLabels"))
		labels++;
	if ((err = ga_kust__transform_patches(ra, kf, read_generator_file, g,
	                                      h)) < 0 ||
	    (err = ga_kust__transform_namespace(ra, ns, cfg)) < 0 ||
	    (err = record(g, ra, "NamespaceTransformer", ns[0] != 0)) < 0 ||
	    ((prefix[0] || suffix[0]) &&
	     (err = ga_kust__transform_affix(ra, prefix, suffix, cfg)) < 0) ||
	    (err = record(g, ra, "PrefixTransformer", prefix[0] != 0)) < 0 ||
	    (err = record(g, ra, "SuffixTransformer", suffix[0] != 0)) < 0 ||
	    (err = ga_kust__transform_labels(ra, kf->doc, cfg, kf->path)) < 0 ||
	    (err = record(g, ra, "LabelTransformer", labels)) < 0 ||
	    (err = record(g, ra, "AnnotationsTransformer",
	                  count_of(kf, "commonAnnotations") != 0)) < 0 ||
	    (err = ga_kust__transform_json6902(ra, kf, read_generator_file, g,
	                                       h)) < 0)
		return err;
	if ((err = ga_kust__transform_replicas(ra, kf->doc, kf->path, cfg)) <
	        0 ||
	    (err = record(g, ra, "ReplicaCountTransformer",
	                  count_of(kf, "replicas"))) < 0 ||
	    (err = ga_kust__transform_images(ra, kf->doc, kf->path, cfg)) < 0 ||
	    (err = record(g, ra, "ImageTagTransformer",
	                  count_of(kf, "images"))) < 0 ||
	    (err = ga_kust__transform_replacements(ra, kf, read_generator_file,
	                                           g)) < 0)
		return err;
	return record(g, ra, "ReplacementTransformer",
	              count_of(kf, "replacements") != 0);
}

/* Whether a `generators` or `transformers` entry is a configuration
 * written inline (kustomize: it parses as objects) rather than a path. */
static bool inline_config(const char *entry, ga_node **docs)
{
	ga_yaml_opts opts = GA_YAML_OPTS_INIT;
	const ga_node *first;

	opts.flags = GA_YAML_RESOURCES;
	*docs = NULL;
	if (ga_yaml_parse(docs, entry, strlen(entry), "inline", &opts) < 0) {
		ga_error_clear();
		return false;
	}
	first = ga_node_count(*docs) ? ga_node_list_get(*docs, 0) : NULL;
	if (first && ga_node_type_of(first) == GA_NODE_MAP &&
	    ga_node_map_get(first, "kind"))
		return true;
	ga_node_free(*docs);
	*docs = NULL;
	return false;
}

/* The configurations of @field: the inline ones first, then those read
 * from the other entries (files or kustomizations), as kustomize loads
 * them. */
static int load_plugin_configs(struct build *b, ga_kust_file *kf,
                               const char *dir, const char *field,
                               struct acc *cfgs, const char *opath)
{
	const ga_node *list = ga_kust__file_list(kf, field);
	int err = 0;

	for (int pass = 0; !err && pass < 2; pass++) {
		for (size_t i = 0; !err && list && i < ga_node_count(list);
		     i++) {
			const char *entry =
			    ga_node_str(ga_node_list_get(list, i));
			ga_node *docs = NULL, *tail = NULL;
			bool is_inline = inline_config(entry, &docs);

			if (pass == 1 && !is_inline)
				err = accumulate_entry(b, kf, dir, entry, cfgs,
				                       field, opath);
			while (!err && pass == 0 && is_inline &&
			       ga_node_count(docs)) {
				ga_node *doc = ga_node_list_remove(docs, 0);

				if (ga_node_type_of(doc) != GA_NODE_MAP) {
					ga_node_free(doc);
					continue;
				}
				if (!tail &&
				    (err = ga_node_new_list(&tail)) < 0)
					ga_node_free(doc);
				else
					err = add_object(&cfgs->ra, doc,
					                 kf->path, tail);
			}
			ga_node_free(docs);
			ga_node_free(tail);
		}
	}
	return err;
}

/* buildMetadata: where the configuration @r was written, as origins
 * name it: its file's path, or for an inline one the kustomization. */
static int configured_in(const struct gen_ctx *g, const ga_kust_res *r,
                         ga_buf *out)
{
	ga_node *docs = NULL;
	const ga_node *path;
	int err;

	if (!r->meta_origin)
		return ga_buf_puts(out, g->in);
	if ((err = ga_yaml_parse(&docs, r->meta_origin, strlen(r->meta_origin),
	                         "origin", NULL)) < 0)
		return err;
	path = ga_node_count(docs)
	           ? ga_node_map_get(ga_node_list_get(docs, 0), "path")
	           : NULL;
	err = ga_buf_puts(out, path && ga_node_str(path) ? ga_node_str(path)
	                                                 : g->in);
	ga_node_free(docs);
	return err;
}

/* Run the builtin plugins of `generators` (@gen) or `transformers`. */
static int run_plugins(struct build *b, ga_kust_file *kf, const char *dir,
                       struct acc *acc, struct gen_ctx *g, bool gen,
                       const char *opath)
{
	const char *field = gen ? "generators" : "transformers";
	ga_buf in = GA_BUF_INIT(8192);
	struct acc cfgs = {0};
	int err;

	if (!count_of(kf, field))
		return 0;
	if ((err = ga_kust__tconfig_new_empty(&cfgs.cfg)) < 0 ||
	    (err = load_plugin_configs(b, kf, dir, field, &cfgs, opath)) < 0)
		goto out;
	for (size_t i = 0; !err && i < cfgs.ra.n; i++) {
		ga_buf_clear(&in);
		if (!g->in || !(err = configured_in(g, cfgs.ra.v[i], &in)))
			err =
			    ga_kust__plugin_run(&acc->ra, kf, cfgs.ra.v[i],
			                        g->in ? ga_buf_cstr(&in) : NULL,
			                        gen, read_generator_file, g);
	}
out:
	ga_buf_dispose(&in);
	acc_dispose(&cfgs);
	return err;
}

/*
 * The configuration of this level joins the accumulated one @cfg as in
 * kustomize: the built-in tables merged with the configurations files,
 * then what the crds files say.
 */
static int level_config(const struct gen_ctx *g, ga_kust_tconfig *cfg)
{
	ga_kust_tconfig *user = NULL, *tc = NULL, *crds = NULL;
	int err;

	if ((err = ga_kust__tconfig_new_empty(&user)) < 0 ||
	    (err = ga_kust__tconfig_new(&tc)) < 0 ||
	    (err = ga_kust__tconfig_new_empty(&crds)) < 0 ||
	    (err = load_configs(g, user, false)) < 0 ||
	    (err = load_configs(g, crds, true)) < 0)
		goto out;
	if ((err = ga_kust__tconfig_merge(tc, user)) == GA_EINVALID ||
	    (!err && (err = ga_kust__tconfig_merge(cfg, tc)) == GA_EINVALID))
		ga_error_prefix("%s: configurations", g->kf->path);
	else if (!err &&
	         (err = ga_kust__tconfig_merge(cfg, crds)) == GA_EINVALID)
		ga_error_prefix("%s: crds", g->kf->path);
out:
	ga_kust__tconfig_free(user);
	ga_kust__tconfig_free(tc);
	ga_kust__tconfig_free(crds);
	return err;
}

/* Build the kustomization @kf of the resolved directory @dir into @ra;
 * @opath is the directory as origin annotations name it ("" at the top). */
static int accumulate(struct build *b, const char *dir, ga_kust_file *kf,
                      struct acc *acc, const char *opath)
{
	ga_buf in = GA_BUF_INIT(8192);
	const char *name = strrchr(kf->path, '/');
	int err;

	if ((err = refuse_unimplemented(kf)) < 0 ||
	    (b->meta && (err = ga_kust__path_join_lexical(
	                     &in, opath, name ? name + 1 : kf->path)) < 0))
		goto out;
	b->roots[b->depth++] = dir;
	struct gen_ctx g = {b, kf, dir, b->meta ? ga_buf_cstr(&in) : NULL, ""};
	if (!(err = accumulate_list(b, kf, dir, acc, false, opath)) &&
	    !(err = level_config(&g, acc->cfg)) &&
	    !(err = ga_kust__generate(&acc->ra, kf, read_generator_file, &g,
	                              g.in)) &&
	    !(err = run_plugins(b, kf, dir, acc, &g, true, opath)) &&
	    !(err = accumulate_list(b, kf, dir, acc, true, opath)) &&
	    !(err = transform(kf, &acc->ra, &g, acc->cfg)) &&
	    !(err = run_plugins(b, kf, dir, acc, &g, false, opath)))
		err = ga_kust__vars_declare(&acc->vars, &acc->ra, kf->doc,
		                            kf->path);
	b->depth--;
out:
	ga_buf_dispose(&in);
	return err;
}

/* kustomize removes its internal annotations before printing (origin
 * and transformations unless buildMetadata @meta asks for them), and with
 * them an annotations map that is then empty (or null); the others have
 * string values. */
static int finish_annotations(ga_kust_resmap *ra, unsigned meta_flags)
{
	int err = 0;

	for (size_t i = 0; !err && i < ra->n; i++) {
		ga_node *meta = ga_node_map_get(ra->v[i]->obj, "metadata");
		ga_node *ann =
		    meta ? ga_node_map_get(meta, "annotations") : NULL;

		if (ann && ga_node_type_of(ann) == GA_NODE_MAP)
			ga_kust__meta_strip(ann, meta_flags);

		if (ann && (ga_node_type_of(ann) == GA_NODE_NULL ||
		            (ga_node_type_of(ann) == GA_NODE_MAP &&
		             !ga_node_count(ann)))) {
			ga_node_free(ga_node_map_remove(meta, "annotations"));
			continue;
		}
		/* kyaml's string-map conversion: "0x1F" stays as written,
		 * a map or list becomes "". */
		if (ann)
			err = ga_kust__stringify_values(
			    ann, GA_KUST_STR_ANNOTATIONS);
	}
	return err;
}

/* kustomize rebuilds every annotations map with untagged keys before it
 * reads the objects back with goyaml.v3, so kubectl fails on an
 * annotation key that then reads as a bool, number, null or timestamp,
 * quoted in the source or not ("true", "1", "null"). */
static int check_annotation_keys(const ga_kust_resmap *ra)
{
	for (size_t i = 0; i < ra->n; i++) {
		const ga_node *meta =
		    ga_node_map_get(ra->v[i]->obj, "metadata");
		const ga_node *ann =
		    meta ? ga_node_map_get(meta, "annotations") : NULL;

		for (size_t j = 0; ann && ga_node_type_of(ann) == GA_NODE_MAP &&
		                   j < ga_node_count(ann);
		     j++) {
			size_t len;
			const char *k = ga_node_map_key(ann, j, &len);
			const char *what = ga_kust__key_nonstring(k, len);
			ga_buf id = GA_BUF_INIT(4096);
			ga_kust_id kid;

			if (!what)
				continue;
			ga_kust__id_of(&kid, ra->v[i]->obj);
			ga_kust__id_describe(&id, &kid);
			ga_error_set(GA_ERRCLASS_KUSTOMIZE,
			             "%s: %s: metadata/annotations: key '%.*s' "
			             "reads as %s; kubectl kustomize fails on "
			             "an annotation key that is not a string",
			             ra->v[i]->origin, ga_buf_cstr(&id),
			             (int)len, k, what);
			ga_buf_dispose(&id);
			return GA_EINVALID;
		}
	}
	return 0;
}

/* Objects annotated config.kubernetes.io/local-config (any value but
 * "false") take part in the build but are not output. */
static void drop_local_config(ga_kust_resmap *ra)
{
	size_t w = 0;

	for (size_t i = 0; i < ra->n; i++) {
		if (ga_kust__is_local_config(ra->v[i]->obj))
			ga_kust__res_free(ra->v[i]);
		else
			ra->v[w++] = ra->v[i];
	}
	ra->n = w;
}

/* Order the output: sortOptions of the top kustomization, else the
 * command line's choice, else legacy (kustomize.md §1.15). */
static int order(const ga_kust_file *kf, ga_kust_resmap *ra,
                 ga_kust_reorder reorder)
{
	const ga_node *so = ga_node_map_get(kf->doc, "sortOptions");
	const ga_node *lso =
	    so ? ga_node_map_get(so, "legacySortOptions") : NULL;
	const char *ord = so && ga_node_map_get(so, "order")
	                      ? ga_node_str(ga_node_map_get(so, "order"))
	                      : "";
	const char *first[64], *last[64];
	ga_kust_order o;

	ga_kust__order_init_default(&o);
	if (so && strcmp(ord, "fifo") != 0 && strcmp(ord, "legacy") != 0) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: the field 'sortOptions.order' must be one "
		             "of [fifo, legacy]",
		             kf->path);
		return GA_EINVALID;
	}
	if (lso && strcmp(ord, "legacy") != 0) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: sortOptions.legacySortOptions needs order: "
		             "legacy",
		             kf->path);
		return GA_EINVALID;
	}
	if (strcmp(ord, "fifo") == 0 ||
	    (!so && reorder == GA_KUST_REORDER_NONE))
		return 0;
	if (lso) {
		const ga_node *f = ga_node_map_get(lso, "orderFirst");
		const ga_node *l = ga_node_map_get(lso, "orderLast");

		if ((f && ga_node_count(f) > 64) ||
		    (l && ga_node_count(l) > 64)) {
			ga_error_set(GA_ERRCLASS_KUSTOMIZE,
			             "%s: sortOptions: more than 64 kinds",
			             kf->path);
			return GA_ELIMIT;
		}
		o.nfirst = f ? ga_node_count(f) : 0;
		o.nlast = l ? ga_node_count(l) : 0;
		for (size_t i = 0; i < o.nfirst; i++)
			first[i] = ga_node_str(ga_node_list_get(f, i));
		for (size_t i = 0; i < o.nlast; i++)
			last[i] = ga_node_str(ga_node_list_get(l, i));
		o.first = first;
		o.last = last;
	}
	return ga_kust__sort_legacy(ra, &o);
}

static int emit(ga_buf *out, const ga_kust_resmap *ra)
{
	int err = 0;

	for (size_t i = 0; !err && i < ra->n; i++) {
		if (i && (err = ga_buf_puts(out, "---\n")) < 0)
			break;
		err = ga_yaml_emit(out, ra->v[i]->obj);
		if (err == GA_EINVALID) {
			ga_buf what = GA_BUF_INIT(4096);
			ga_kust_id id;

			ga_kust__id_of(&id, ra->v[i]->obj);
			ga_kust__id_describe(&what, &id);
			ga_error_prefix("%s: %s", ra->v[i]->origin,
			                ga_buf_cstr(&what));
			ga_buf_dispose(&what);
		}
	}
	return err;
}

/*
 * ga_kust_opts.source_annotation: each object's file under @key, relative
 * to @cwd.  Origins are relative to the top directory (files read) or
 * absolute (generated objects name their kustomization); both become
 * relative to where the caller stands, so that a message reads like the
 * path the user typed.  Runs after kustomize's annotations were settled:
 * an origin annotation buildMetadata asked for stays as it is.
 */
static int stamp_sources(ga_kust_resmap *ra, const char *top, const char *cwd,
                         const char *key)
{
	ga_buf abs = GA_BUF_INIT(8192), rel = GA_BUF_INIT(8192);
	int err = 0;

	for (size_t i = 0; !err && i < ra->n; i++) {
		ga_kust_res *r = ra->v[i];

		ga_buf_clear(&abs);
		ga_buf_clear(&rel);
		if ((err = ga_kust__path_join(&abs, top, r->origin)) < 0)
			break;
		if (ga_kust__path_rel(&rel, cwd, ga_buf_cstr(&abs)) < 0) {
			ga_buf_clear(&rel);
			err = ga_buf_puts(&rel, ga_buf_cstr(&abs));
		}
		if (!err)
			err = ga_kust__meta_set_anno(
			    r->obj, key, ga_buf_cstr(&rel), r->origin);
	}
	ga_buf_dispose(&abs);
	ga_buf_dispose(&rel);
	return err;
}

int ga_kust_build(ga_buf *out, ga_kust_fs *fs, const char *cwd,
                  const char *path, const ga_kust_opts *opts)
{
	static const ga_kust_opts defaults = GA_KUST_OPTS_INIT;
	ga_buf dir = GA_BUF_INIT(8192), canon = GA_BUF_INIT(8192);
	ga_buf text = GA_BUF_INIT(out->max);
	struct build b = {.fs = fs};
	struct acc acc = {0};
	ga_kust_resmap *ra = &acc.ra;
	ga_kust_file *kf = NULL;
	ga_kust_pcache *pc = NULL;
	ga_kust_fs_kind kind;
	int err;

	if (!opts)
		opts = &defaults;
	if ((err = ga_kust__pcache_begin(&pc)) < 0 ||
	    (err = ga_kust__path_join(&dir, cwd, path)) < 0 ||
	    (err = ga_kust__fs_resolve(fs, dir.ptr, &canon, &kind)) < 0)
		goto out;
	if (kind != GA_KUST_FS_DIR) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: must build at a directory containing a "
		             "kustomization",
		             path);
		err = kind == GA_KUST_FS_MISSING ? GA_ENOTFOUND : GA_EINVALID;
		goto out;
	}
	b.top = canon.ptr;
	if ((err = load_kustomization(&b, &kf, canon.ptr, NULL)) < 0)
		goto out;
	/* Only the top's buildMetadata counts; kustomize copies it down. */
	b.meta = ga_kust__meta_flags(kf->doc);
	/* A Component builds on its own like a Kustomization (kubectl). */
	if ((err = ga_kust__tconfig_new_empty(&acc.cfg)) < 0 ||
	    (err = accumulate(&b, canon.ptr, kf, &acc, "")) < 0 ||
	    (err = ga_kust__hash_names(ra)) < 0 ||
	    (err = ga_kust__transform_namerefs(ra, acc.cfg)) < 0 ||
	    (err = ga_kust__vars_resolve(ra, acc.vars, acc.cfg)) < 0)
		goto out;
	drop_local_config(ra);
	if ((err = check_annotation_keys(ra)) < 0 ||
	    ((b.meta & GA_KUST_META_MANAGED) &&
	     (err = ga_kust__meta_managed_by(ra)) < 0) ||
	    (err = finish_annotations(ra, b.meta)) < 0 ||
	    (opts->source_annotation &&
	     (err = stamp_sources(ra, b.top, cwd, opts->source_annotation)) <
	         0))
		goto out;
	if ((err = order(kf, ra, opts->reorder)) < 0 ||
	    (err = emit(&text, ra)) < 0 ||
	    (err = ga_buf_put(out, ga_buf_cstr(&text), text.size)) < 0)
		goto out;
out:
	acc_dispose(&acc);
	ga_kust__file_free(kf);
	ga_kust__pcache_end(pc);
	ga_buf_dispose(&dir);
	ga_buf_dispose(&canon);
	ga_buf_dispose(&text);
	return err;
}
