/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The patch transformers (kustomize.md §1.9): `patchesStrategicMerge`,
 * then each `patches` entry, both before the namespace and name changes of
 * the level, and `patchesJson6902` after its labels and annotations.  A
 * patch is a strategic-merge patch (smp.c) or a JSON 6902 patch
 * (json6902.c); its objects are chosen by identity or by a target
 * selector.  A rename made by a patch is recorded like any other, so that
 * references follow it.
 */
#include "patches.h"

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "alias.h"
#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/yaml.h"
#include "json6902.h"
#include "pcache.h"
#include "selector.h"
#include "smp.h"

#define PATCH_MAX ((size_t)4 << 20)

/* A target selector: anchored regular expressions and label selectors.
 * A pattern without regular-expression syntax (most are plain names) is
 * compared as a string instead: the same answer, much cheaper. */
struct target {
	bool set[5];
	regex_t re[5]; /* group, version, kind, name, namespace */
	const char *literal[5];
	ga_kust_selector *labels, *annotations;
};

static const char *const target_fields[5] = {"group", "version", "kind", "name",
                                             "namespace"};

static void target_dispose(struct target *t)
{
	for (size_t i = 0; i < 5; i++)
		if (t->set[i] && !t->literal[i])
			regfree(&t->re[i]);
	ga_kust__selector_free(t->labels);
	ga_kust__selector_free(t->annotations);
}

static bool is_literal(const char *p)
{
	for (; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-_/:", *p))
			return false;
	return true;
}

static int target_compile(struct target *t, const ga_node *sel,
                          const char *file)
{
	ga_buf re = GA_BUF_INIT(8192);
	int err = 0;

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; !err && i < 5; i++) {
		const ga_node *v = ga_node_map_get(sel, target_fields[i]);

		if (!v || !ga_node_str_len(v))
			continue;
		t->set[i] = true;
		if (is_literal(ga_node_str(v))) {
			t->literal[i] = ga_node_str(v);
			continue;
		}
		ga_buf_clear(&re);
		ga_buf_printf(&re, "^(%s)$", ga_node_str(v));
		if ((err = re.err) < 0)
			break;
		if (regcomp(&t->re[i], re.ptr, REG_EXTENDED | REG_NOSUB) != 0) {
			ga_error_set(GA_ERRCLASS_KUSTOMIZE,
			             "%s: target %s \"%s\" is not a valid "
			             "regular expression",
			             file, target_fields[i], ga_node_str(v));
			t->set[i] = false;
			err = GA_EINVALID;
			break;
		}
	}
	ga_buf_dispose(&re);
	for (size_t i = 0; !err && i < 2; i++) {
		const ga_node *v = ga_node_map_get(sel, i ? "annotationSelector"
		                                          : "labelSelector");

		if (v && ga_node_str_len(v) &&
		    (err = ga_kust__selector_parse(
		         i ? &t->annotations : &t->labels, ga_node_str(v))) < 0)
			ga_error_prefix("%s: target", file);
	}
	if (err < 0)
		target_dispose(t);
	return err;
}

static bool re_ok(const struct target *t, size_t i, const char *s)
{
	if (!t->set[i])
		return true;
	if (t->literal[i])
		return strcmp(t->literal[i], s) == 0;
	return regexec(&t->re[i], s, 0, NULL, 0) == 0;
}

static const char *eff_ns(const char *api, const char *kind, const char *ns)
{
	if (ga_kust__is_cluster_scoped(api, kind))
		return "_non_namespaceable_";
	return ns[0] ? ns : "default";
}

static const ga_node *meta_map(const ga_node *obj, const char *key)
{
	const ga_node *m = ga_node_map_get(obj, "metadata");

	return m ? ga_node_map_get(m, key) : NULL;
}

/* Does the target select @r (name and namespace by current or original
 * value)? */
static bool selects(const struct target *t, const ga_kust_res *r)
{
	ga_kust_id id, org;

	ga_kust__id_of(&id, r->obj);
	ga_kust__res_org(r, &org);
	if (!re_ok(t, 0, id.group) || !re_ok(t, 1, id.version) ||
	    !re_ok(t, 2, id.kind))
		return false;
	if (!re_ok(t, 3, id.name) && !re_ok(t, 3, org.name))
		return false;
	if (!re_ok(t, 4, eff_ns(id.api_version, id.kind, id.ns)) &&
	    !re_ok(t, 4, eff_ns(org.api_version, org.kind, org.ns)))
		return false;
	return (!t->labels || ga_kust__selector_matches(
	                          t->labels, meta_map(r->obj, "labels"))) &&
	       (!t->annotations ||
	        ga_kust__selector_matches(t->annotations,
	                                  meta_map(r->obj, "annotations")));
}

/* Forget the identity just remembered, when the patch did not rename. */
static void forget_if_same(ga_kust_res *r)
{
	ga_kust_prev *p = &r->prev[r->nprev - 1];
	ga_kust_id id;

	ga_kust__id_of(&id, r->obj);
	if (strcmp(p->api_version, id.api_version) != 0 ||
	    strcmp(p->kind, id.kind) != 0 || strcmp(p->name, id.name) != 0 ||
	    strcmp(p->ns, id.ns) != 0)
		return;
	ga_free(p->api_version);
	ga_free(p->kind);
	ga_free(p->name);
	ga_free(p->ns);
	r->nprev--;
}

/*
 * Inside kubectl every object carries kustomize's internal annotations, so
 * a JSON patch can always add under /metadata/annotations; the build
 * strips the empty map again at the end (build.c).
 */
static int ensure_annotations(ga_node *obj)
{
	ga_node *meta = ga_node_map_get(obj, "metadata"), *ann = NULL;
	const ga_node *have;
	int err;

	if (!meta || ga_node_type_of(meta) != GA_NODE_MAP)
		return 0;
	have = ga_node_map_get(meta, "annotations");
	if (have && ga_node_type_of(have) != GA_NODE_NULL)
		return 0;
	if ((err = ga_node_new_map(&ann)) < 0)
		return err;
	return ga_node_map_set_take(meta, "annotations", ann);
}

/* Apply a strategic-merge @smp or the JSON 6902 @ops to ra->v[i]; a
 * "$patch: delete" removes the object. */
static int patch_one(ga_kust_resmap *ra, size_t i, const ga_node *smp,
                     const ga_node *ops, const char *name, bool allow_kind,
                     bool allow_name)
{
	ga_kust_res *r = ra->v[i];
	ga_buf what = GA_BUF_INIT(8192);
	ga_node *shared = NULL;
	ga_kust_id id;
	int err;

	/* Messages name the patch's kustomization and the object. */
	ga_kust__id_of(&id, r->obj);
	ga_buf_printf(&what, "%s: ", name);
	ga_kust__id_describe(&what, &id);
	if ((err = what.err) < 0 || (err = ga_kust__res_remember(r)) < 0 ||
	    (ops && (err = ensure_annotations(r->obj)) < 0)) {
		ga_buf_dispose(&what);
		return err;
	}
	if (smp && (err = ga_kust__alias_snapshot(r, &shared)) < 0) {
		ga_buf_dispose(&what);
		return err;
	}
	err = smp ? ga_kust__smp_apply(&r->obj, smp, what.ptr, allow_kind,
	                               allow_name)
	          : ga_kust__json6902_apply(&r->obj, ops, what.ptr);
	/* kustomize merges a strategic-merge patch in place, values shared
	 * between fields included, and applies a JSON patch to a new copy
	 * of the object. */
	if (!err && smp)
		err = ga_kust__alias_settle(r, shared);
	else
		ga_node_free(shared);
	if (!err && !smp)
		ga_kust__alias_forget(r);
	ga_buf_dispose(&what);
	if (err < 0) {
		r->nprev--;
		ga_free(r->prev[r->nprev].api_version);
		ga_free(r->prev[r->nprev].kind);
		ga_free(r->prev[r->nprev].name);
		ga_free(r->prev[r->nprev].ns);
		return err;
	}
	if (!r->obj) {
		ga_kust__res_free(r);
		memmove(&ra->v[i], &ra->v[i + 1],
		        (ra->n - i - 1) * sizeof(ga_kust_res *));
		ra->n--;
		return 1; /* removed */
	}
	forget_if_same(r);
	return 0;
}

static bool had_id(const ga_kust_res *r, const ga_kust_id *want)
{
	ga_kust_id id;

	ga_kust__id_of(&id, r->obj);
	if (ga_kust__id_equal(&id, want))
		return true;
	for (size_t i = 0; i < r->nprev; i++) {
		const char *slash = strchr(r->prev[i].api_version, '/');
		ga_kust_id p = {.api_version = r->prev[i].api_version,
		                .version =
		                    slash ? slash + 1 : r->prev[i].api_version,
		                .kind = r->prev[i].kind,
		                .name = r->prev[i].name,
		                .ns = r->prev[i].ns};

		snprintf(p.group, sizeof(p.group), "%.*s",
		         slash ? (int)(slash - r->prev[i].api_version) : 0,
		         r->prev[i].api_version);
		if (ga_kust__id_equal(&p, want))
			return true;
	}
	return false;
}

/* An untargeted strategic-merge patch document: the object with its id. */
static int smp_by_id(ga_kust_resmap *ra, const ga_node *doc, const char *name,
                     bool allow_kind, bool allow_name)
{
	ga_buf what = GA_BUF_INIT(4096);
	ga_kust_id want;
	int err;

	ga_kust__id_of(&want, doc);
	for (size_t i = 0; i < ra->n; i++) {
		if (!had_id(ra->v[i], &want))
			continue;
		err = patch_one(ra, i, doc, NULL, name, allow_kind, allow_name);
		return err < 0 ? err : 0;
	}
	ga_kust__id_format(&what, &want);
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s: no resource matches strategic merge patch \"%s\"",
	             name, ga_buf_cstr(&what));
	ga_buf_dispose(&what);
	return GA_EINVALID;
}

/* A patch for every object the target selects. */
static int by_target(ga_kust_resmap *ra, const struct target *t,
                     const ga_node *smp, const ga_node *ops, const char *name,
                     bool allow_kind, bool allow_name)
{
	ga_node *copy = NULL;
	int err = 0;

	for (size_t i = 0; !err && i < ra->n;) {
		ga_kust_id id;

		if (!selects(t, ra->v[i])) {
			i++;
			continue;
		}
		/* A targeted SMP takes the object's apiVersion. */
		if (smp) {
			ga_node *v = NULL;
			ga_kust__id_of(&id, ra->v[i]->obj);
			if ((err = ga_node_clone(&copy, smp)) < 0 ||
			    (err = ga_node_new_string(&v, id.api_version,
			                              strlen(id.api_version))) <
			        0 ||
			    (err = ga_node_map_set_take(copy, "apiVersion",
			                                v)) < 0)
				break;
		}
		err = patch_one(ra, i, copy, ops, name, allow_kind, allow_name);
		ga_node_free(copy);
		copy = NULL;
		if (err == 0)
			i++;
		else if (err > 0)
			err = 0;
	}
	ga_node_free(copy);
	return err;
}

/* The text of a patch: the file @path, or the inline @patch trimmed. */
static int patch_text(ga_buf *out, const ga_node *entry, const ga_kust_file *kf,
                      ga_kust_read_fn read, void *ctx)
{
	const ga_node *path = ga_node_map_get(entry, "path");
	const ga_node *patch = ga_node_map_get(entry, "patch");
	const char *s;
	size_t len;

	if ((path && ga_node_str_len(path)) ==
	    (patch && ga_node_str_len(patch))) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: a patch needs exactly one of path and patch",
		             kf->path);
		return GA_EINVALID;
	}
	if (path && ga_node_str_len(path))
		return read(ctx, ga_node_str(path), out);
	s = ga_node_str(patch);
	len = ga_node_str_len(patch);
	while (len && (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\n' ||
	               s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	return ga_buf_put(out, s, len);
}

/* Parse @text as strategic-merge documents (*smp, a list of maps) or as a
 * JSON 6902 operation list (*ops), whichever it is. */
static int classify(const ga_buf *text, const char *name, ga_node **smp,
                    ga_node **ops)
{
	ga_yaml_opts opts = GA_YAML_OPTS_INIT;
	const char *s = ga_buf_cstr(text);
	ga_node *docs = NULL;
	int err;

	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	if (*s == '[')
		return ga_kust__json6902_parse(ops, text->ptr, text->size,
		                               name);
	opts.flags = GA_YAML_RESOURCES;
	if ((err = ga_kust__parse(&docs, ga_buf_cstr(text), text->size, name,
	                          &opts)) < 0)
		return err;
	for (size_t i = 0; i < ga_node_count(docs); i++) {
		if (ga_node_type_of(ga_node_list_get(docs, i)) ==
		    GA_NODE_LIST) {
			ga_node_free(docs);
			return ga_kust__json6902_parse(ops, text->ptr,
			                               text->size, name);
		}
		if (ga_node_type_of(ga_node_list_get(docs, i)) != GA_NODE_MAP) {
			ga_node_free(docs);
			ga_error_set(GA_ERRCLASS_KUSTOMIZE,
			             "%s: unable to parse a strategic merge or "
			             "JSON patch",
			             name);
			return GA_EINVALID;
		}
	}
	*smp = docs;
	return 0;
}

/* How parse errors name a patch: its file, or the kustomization that
 * holds it inline (line numbers then count within the patch text). */
static const char *patch_source(char *buf, size_t size, const ga_kust_file *kf,
                                const char *file)
{
	if (file)
		(void)snprintf(buf, size, "%s: patch file '%s'", kf->path,
		               file);
	else
		(void)snprintf(buf, size, "%s: inline patch", kf->path);
	return buf;
}

static bool option(const ga_node *entry, const char *key)
{
	const ga_node *o = ga_node_map_get(entry, "options");
	const ga_node *v = o ? ga_node_map_get(o, key) : NULL;

	return v && ga_node_bool(v);
}

/* One entry of `patches` or `patchesJson6902` (@json: the latter, whose
 * patches must be JSON 6902). */
static int patch_entry(ga_kust_resmap *ra, const ga_kust_file *kf,
                       const ga_node *entry, ga_kust_read_fn read, void *ctx,
                       bool json)
{
	const ga_node *sel = ga_node_map_get(entry, "target");
	bool allow_kind = option(entry, "allowKindChange");
	bool allow_name = option(entry, "allowNameChange");
	ga_buf text = GA_BUF_INIT(PATCH_MAX);
	ga_node *smp = NULL, *ops = NULL;
	struct target t;
	bool have_target = false;
	int err;

	const ga_node *file = ga_node_map_get(entry, "path");
	char source[512];

	if ((err = patch_text(&text, entry, kf, read, ctx)) < 0 ||
	    (err = classify(&text,
	                    patch_source(source, sizeof(source), kf,
	                                 file ? ga_node_str(file) : NULL),
	                    &smp, &ops)) < 0)
		goto out;
	/* An inline patch that is empty or "[]" could be either kind, which
	 * kustomize refuses; an empty file is an empty JSON patch. */
	if (!ga_node_count(smp ? smp : ops)) {
		if (ga_node_map_get(entry, "patch")) {
			ga_error_set(GA_ERRCLASS_KUSTOMIZE,
			             "%s: a patch is empty: neither a "
			             "strategic merge nor a JSON patch",
			             kf->path);
			err = GA_EINVALID;
			goto out;
		}
		if (smp) {
			ops = smp;
			smp = NULL;
		}
	}
	if ((ops || json) && !sel) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: must specify a target for JSON patch",
		             kf->path);
		err = GA_EINVALID;
		goto out;
	}
	if (sel && smp && ga_node_count(smp) > 1) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: a targeted patch holds one strategic merge "
		             "patch, not %zu",
		             kf->path, ga_node_count(smp));
		err = GA_EINVALID;
		goto out;
	}
	if (sel) {
		if ((err = target_compile(&t, sel, kf->path)) < 0)
			goto out;
		have_target = true;
		err = by_target(ra, &t, smp ? ga_node_list_get(smp, 0) : NULL,
		                ops, kf->path, allow_kind, allow_name);
	} else {
		for (size_t i = 0; !err && i < ga_node_count(smp); i++)
			err = smp_by_id(ra, ga_node_list_get(smp, i), kf->path,
			                allow_kind, allow_name);
	}
out:
	if (have_target)
		target_dispose(&t);
	ga_node_free(smp);
	ga_node_free(ops);
	ga_buf_dispose(&text);
	return err;
}

/* patchesStrategicMerge: inline YAML objects, or else a file path. */
static int smp_entry(ga_kust_resmap *ra, const ga_kust_file *kf,
                     const char *entry, ga_kust_read_fn read, void *ctx)
{
	ga_node *docs = NULL, *ops = NULL;
	ga_buf text = GA_BUF_INIT(PATCH_MAX);
	char source[512];
	bool inline_objects;
	int err;

	inline_objects =
	    ga_kust__parse(&docs, entry, strlen(entry), kf->path, NULL) == 0 &&
	    ga_node_count(docs) &&
	    ga_node_type_of(ga_node_list_get(docs, 0)) == GA_NODE_MAP;
	ga_error_clear();
	ga_node_free(docs);
	docs = NULL;
	if (inline_objects)
		err = ga_buf_puts(&text, entry);
	else
		err = read(ctx, entry, &text);
	if (!err)
		err = classify(&text,
		               patch_source(source, sizeof(source), kf,
		                            inline_objects ? NULL : entry),
		               &docs, &ops);
	if (!err && ops) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: patchesStrategicMerge: '%.64s' is a JSON "
		             "patch",
		             kf->path, entry);
		err = GA_EINVALID;
	}
	for (size_t i = 0; !err && docs && i < ga_node_count(docs); i++)
		err = smp_by_id(ra, ga_node_list_get(docs, i), kf->path, false,
		                false);
	ga_node_free(docs);
	ga_node_free(ops);
	ga_buf_dispose(&text);
	return err;
}

static int after(const ga_kust_hook *hook, ga_kust_resmap *ra, const char *kind)
{
	return hook ? hook->fn(hook->ctx, ra, kind) : 0;
}

int ga_kust__transform_patches(ga_kust_resmap *ra, const ga_kust_file *kf,
                               ga_kust_read_fn read, void *ctx,
                               const ga_kust_hook *hook)
{
	const ga_node *smps = ga_node_map_get(kf->doc, "patchesStrategicMerge");
	const ga_node *list = ga_node_map_get(kf->doc, "patches");
	int err = 0;

	for (size_t i = 0; !err && smps && i < ga_node_count(smps); i++)
		err = smp_entry(ra, kf, ga_node_str(ga_node_list_get(smps, i)),
		                read, ctx);
	if (!err && smps && ga_node_count(smps))
		err = after(hook, ra, "PatchStrategicMergeTransformer");
	for (size_t i = 0; !err && list && i < ga_node_count(list); i++)
		if (!(err = patch_entry(ra, kf, ga_node_list_get(list, i), read,
		                        ctx, false)))
			err = after(hook, ra, "PatchTransformer");
	if (!err && (smps || list))
		err = ga_kust__resmap_reindex(ra, "patch");
	return err;
}

int ga_kust__transform_json6902(ga_kust_resmap *ra, const ga_kust_file *kf,
                                ga_kust_read_fn read, void *ctx,
                                const ga_kust_hook *hook)
{
	const ga_node *list = ga_node_map_get(kf->doc, "patchesJson6902");
	int err = 0;

	for (size_t i = 0; !err && list && i < ga_node_count(list); i++)
		if (!(err = patch_entry(ra, kf, ga_node_list_get(list, i), read,
		                        ctx, true)))
			err = after(hook, ra, "PatchJson6902Transformer");
	if (!err && list)
		err = ga_kust__resmap_reindex(ra, "patch");
	return err;
}
