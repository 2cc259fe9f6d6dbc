/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Builtin plugin configurations listed under `generators` and
 * `transformers` (kustomize's pkg plugin loader with only builtins
 * allowed, as kubectl runs it): an object with apiVersion "builtin" and
 * the kind of a builtin plugin, whose fields configure the same
 * transformer a kustomization field does.  Each configuration is turned
 * into the kustomization field it stands for and run through the code
 * that builds that field, with the field specs it lists (and only those:
 * a plugin gets no defaults from the transformer configuration).  kubectl
 * cannot load SortOrderTransformer or LegacyOrderTransformer as plugins;
 * the Helm and value-add plugins are not built.
 *
 * This file holds the transformers and the dispatch; plugins_gen.c the
 * generators, plugins_cfg.c the reading of the configurations.
 */
#include "plugins.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "buildmeta.h"
#include "ga/error.h"
#include "patches.h"
#include "plugins_int.h"
#include "transform.h"

static int labels_or_annotations(struct ga_kust_plugin *p, bool labels)
{
	const char *key = labels ? "labels" : "annotations";
	ga_kust_tc_section sec =
	    labels ? GA_KUST_TC_COMMONLABELS : GA_KUST_TC_COMMONANNOTATIONS;
	ga_kust_tconfig *cfg = NULL;
	ga_node *doc = NULL, *m = NULL;
	int err;

	if ((err = ga_kust__pcfg_string_map(p, key, &m)) < 0 || !m ||
	    (err = ga_kust__pcfg_field_specs(p, sec, sec, &cfg)) < 0 ||
	    (err = ga_node_new_map(&doc)) < 0)
		goto out;
	err = ga_node_map_set_take(
	    doc, labels ? "commonLabels" : "commonAnnotations", m);
	m = NULL;
	if (!err)
		err = ga_kust__transform_labels(p->ra, doc, cfg, p->kf->path);
out:
	ga_node_free(m);
	ga_node_free(doc);
	ga_kust__tconfig_free(cfg);
	return err;
}

static int label_transformer(struct ga_kust_plugin *p)
{
	return labels_or_annotations(p, true);
}

static int annotations_transformer(struct ga_kust_plugin *p)
{
	return labels_or_annotations(p, false);
}

static int namespace_transformer(struct ga_kust_plugin *p)
{
	const ga_node *meta = ga_node_map_get(p->cfg, "metadata");
	const ga_node *unset = ga_node_map_get(p->cfg, "unsetOnly");
	const char *ns, *subjects;
	ga_kust_tconfig *cfg = NULL;
	int err;

	if ((err = ga_kust__pcfg_want_str(p, meta, "namespace", &ns)) < 0 ||
	    (err = ga_kust__pcfg_want_str(p, p->cfg, "setRoleBindingSubjects",
	                                  &subjects)) < 0)
		return err;
	if (unset && ga_node_type_of(unset) != GA_NODE_BOOL &&
	    ga_node_type_of(unset) != GA_NODE_NULL)
		return ga_kust__pcfg_fail(p, "unsetOnly: expected a bool");
	if (!subjects[0])
		subjects = "defaultOnly";
	if (strcmp(subjects, "defaultOnly") != 0 &&
	    strcmp(subjects, "none") != 0 &&
	    strcmp(subjects, "allServiceAccounts") != 0)
		return ga_kust__pcfg_fail(
		    p,
		    "invalid value \"%s\" for setRoleBindingSubjects: "
		    "must be one of \"defaultOnly\", \"none\" or "
		    "\"allServiceAccounts\"",
		    subjects);
	if (!(err = ga_kust__pcfg_field_specs(p, GA_KUST_TC_NAMESPACE,
	                                      GA_KUST_TC_NAMESPACE, &cfg)) &&
	    ns[0])
		err = ga_kust__transform_namespace_opts(
		    p->ra, ns, cfg, unset && ga_node_bool(unset), subjects);
	ga_kust__tconfig_free(cfg);
	return err;
}

static int affix(struct ga_kust_plugin *p, bool prefix, bool suffix)
{
	const char *pre = "", *suf = "";
	ga_kust_tconfig *cfg = NULL;
	int err;

	if ((prefix &&
	     (err = ga_kust__pcfg_want_str(p, p->cfg, "prefix", &pre)) < 0) ||
	    (suffix &&
	     (err = ga_kust__pcfg_want_str(p, p->cfg, "suffix", &suf)) < 0))
		return err;
	if (!ga_node_map_get(p->cfg, "fieldSpecs") ||
	    ga_node_type_of(ga_node_map_get(p->cfg, "fieldSpecs")) ==
	        GA_NODE_NULL)
		return ga_kust__pcfg_fail(
		    p, "fieldSpecs is not expected to be nil");
	if (!(err = ga_kust__pcfg_field_specs(p, GA_KUST_TC_NAMEPREFIX,
	                                      GA_KUST_TC_NAMESUFFIX, &cfg)) &&
	    (pre[0] || suf[0]))
		err = ga_kust__transform_affix(p->ra, pre, suf, cfg);
	ga_kust__tconfig_free(cfg);
	return err;
}

static int prefix_suffix_transformer(struct ga_kust_plugin *p)
{
	return affix(p, true, true);
}

static int prefix_transformer(struct ga_kust_plugin *p)
{
	return affix(p, true, false);
}

static int suffix_transformer(struct ga_kust_plugin *p)
{
	return affix(p, false, true);
}

/* The string fields of imageTag (@image) or replica given as numbers
 * or bools become their text, as sigs.k8s.io/yaml decodes them. */
static int scalars_as_strings(struct ga_kust_plugin *p, ga_node *entry,
                              bool image)
{
	static const char *const keys[] = {"name", "newName", "newTag",
	                                   "digest"};
	int err = 0;

	if (ga_node_type_of(entry) != GA_NODE_MAP) {
		ga_node_free(entry);
		return ga_kust__pcfg_fail(p, "%s: expected a map",
		                          image ? "imageTag" : "replica");
	}
	for (size_t i = 0; !err && i < (image ? 4 : 1); i++) {
		const ga_node *v = ga_node_map_get(entry, keys[i]);
		const char *t;
		ga_node *s = NULL;

		if (!v || ga_node_type_of(v) == GA_NODE_STRING ||
		    ga_node_type_of(v) == GA_NODE_NULL ||
		    !(t = ga_kust__pcfg_text(p, v)))
			continue;
		if (!(err = ga_node_new_string(&s, t, strlen(t))))
			err = ga_node_map_set_take(entry, keys[i], s);
	}
	if (err < 0)
		ga_node_free(entry);
	return err;
}

/* imageTag or replica: one entry of the images or replicas field. */
static int one_entry(struct ga_kust_plugin *p, const char *key,
                     const char *field, ga_kust_tc_section sec)
{
	const ga_node *v = ga_node_map_get(p->cfg, key);
	ga_kust_tconfig *cfg = NULL;
	ga_kust_file *kf = NULL;
	ga_node *copy = NULL, *list = NULL;
	int err;

	if (!v || ga_node_type_of(v) == GA_NODE_NULL)
		return ga_kust__pcfg_fail(p, "%s: missing", key);
	if ((err = ga_kust__pcfg_field_specs(p, sec, sec, &cfg)) < 0 ||
	    (err = ga_node_clone(&copy, v)) < 0 ||
	    (err = scalars_as_strings(p, copy, sec == GA_KUST_TC_IMAGES)) < 0 ||
	    (err = ga_kust__pcfg_list_of(&list, copy)) < 0 ||
	    (err = ga_kust__pcfg_as_kustomization(p, field, list, &kf)) < 0)
		goto out;
	err = sec == GA_KUST_TC_IMAGES
	          ? ga_kust__transform_images(p->ra, kf->doc, kf->path, cfg)
	          : ga_kust__transform_replicas(p->ra, kf->doc, kf->path, cfg);
out:
	ga_kust__file_free(kf);
	ga_kust__tconfig_free(cfg);
	return err;
}

static int image_tag_transformer(struct ga_kust_plugin *p)
{
	return one_entry(p, "imageTag", "images", GA_KUST_TC_IMAGES);
}

static int replica_count_transformer(struct ga_kust_plugin *p)
{
	return one_entry(p, "replica", "replicas", GA_KUST_TC_REPLICAS);
}

/* Run @kf's `patches` (one list built from the configuration). */
static int run_patches(struct ga_kust_plugin *p, ga_node *patches)
{
	ga_kust_file *kf = NULL;
	int err;

	if (!(err = ga_kust__pcfg_as_kustomization(p, "patches", patches, &kf)))
		err = ga_kust__transform_patches(p->ra, kf, p->read, p->ctx,
		                                 NULL);
	ga_kust__file_free(kf);
	return err;
}

static int patch_transformer(struct ga_kust_plugin *p)
{
	static const char *const keys[] = {"path", "patch", "target",
	                                   "options"};
	ga_node *entry = NULL, *list = NULL;
	int err;

	if ((err = ga_node_new_map(&entry)) < 0 ||
	    (err = ga_kust__pcfg_copy_fields(p, entry, keys, 4)) < 0) {
		ga_node_free(entry);
		return err;
	}
	if ((err = ga_kust__pcfg_list_of(&list, entry)) < 0)
		return err;
	return run_patches(p, list);
}

/* paths, then the patches text: each an untargeted patch. */
static int psm_transformer(struct ga_kust_plugin *p)
{
	const ga_node *paths = ga_node_map_get(p->cfg, "paths");
	const char *text;
	ga_node *list = NULL;
	int err;

	if ((err = ga_kust__pcfg_want_str(p, p->cfg, "patches", &text)) < 0)
		return err;
	if (paths && ga_node_type_of(paths) != GA_NODE_LIST &&
	    ga_node_type_of(paths) != GA_NODE_NULL)
		return ga_kust__pcfg_fail(p,
		                          "paths: expected a list of strings");
	if ((!paths || !ga_node_count(paths)) && !text[0])
		return ga_kust__pcfg_fail(
		    p, "empty file path and empty patch content");
	if ((err = ga_node_new_list(&list)) < 0)
		return err;
	for (size_t i = 0; !err && i <= ga_node_count(paths); i++) {
		const ga_node *v = i < ga_node_count(paths)
		                       ? ga_node_list_get(paths, i)
		                       : NULL;
		ga_node *entry = NULL, *copy = NULL;

		if ((!v && !text[0]) || (err = ga_node_new_map(&entry)) < 0)
			continue;
		if (v)
			err = ga_node_clone(&copy, v);
		else
			err = ga_node_new_string(&copy, text, strlen(text));
		if (!err)
			err = ga_node_map_set_take(entry, v ? "path" : "patch",
			                           copy);
		if (!err)
			err = ga_node_list_append_take(list, entry);
		else
			ga_node_free(entry);
	}
	if (err < 0) {
		ga_node_free(list);
		return err;
	}
	return run_patches(p, list);
}

static int json6902_transformer(struct ga_kust_plugin *p)
{
	static const char *const keys[] = {"target", "path"};
	const ga_node *target = ga_node_map_get(p->cfg, "target");
	const ga_node *op = ga_node_map_get(p->cfg, "jsonOp");
	const char *name = target ? ga_kust__pcfg_str(p, target, "name") : "";
	ga_node *entry = NULL, *list = NULL, *copy = NULL;
	int err;

	if (!name || !name[0])
		return ga_kust__pcfg_fail(p, "must specify the target name");
	if ((err = ga_node_new_map(&entry)) < 0 ||
	    (err = ga_kust__pcfg_copy_fields(p, entry, keys, 2)) < 0 ||
	    (op && ((err = ga_node_clone(&copy, op)) < 0 ||
	            (err = ga_node_map_set_take(entry, "patch", copy)) < 0))) {
		ga_node_free(entry);
		return err;
	}
	if ((err = ga_kust__pcfg_list_of(&list, entry)) < 0)
		return err;
	return run_patches(p, list);
}

static int replacement_transformer(struct ga_kust_plugin *p)
{
	const ga_node *v = ga_node_map_get(p->cfg, "replacements");
	ga_kust_file *kf = NULL;
	ga_node *copy = NULL;
	int err;

	if (!v || ga_node_type_of(v) == GA_NODE_NULL)
		return 0;
	if ((err = ga_node_clone(&copy, v)) < 0 ||
	    (err = ga_kust__pcfg_as_kustomization(p, "replacements", copy,
	                                          &kf)) < 0)
		goto out;
	err = ga_kust__transform_replacements(p->ra, kf, p->read, p->ctx);
out:
	ga_kust__file_free(kf);
	return err;
}

/* The name hash now, for every object that wants one; kustomize hashes
 * them again at the end, so the name gets the suffix twice. */
static int hash_transformer(struct ga_kust_plugin *p)
{
	return ga_kust__hash_names(p->ra);
}

static const struct kind {
	const char *kind;
	bool generator;
	int (*run)(struct ga_kust_plugin *p); /* NULL: not supported */
} kinds[] = {
    {"ConfigMapGenerator", true, ga_kust__plugin_configmap},
    {"SecretGenerator", true, ga_kust__plugin_secret},
    {"HelmChartInflationGenerator", true, NULL},
    {"IAMPolicyGenerator", true, ga_kust__plugin_iam_policy},
    {"AnnotationsTransformer", false, annotations_transformer},
    {"HashTransformer", false, hash_transformer},
    {"ImageTagTransformer", false, image_tag_transformer},
    {"LabelTransformer", false, label_transformer},
    {"NamespaceTransformer", false, namespace_transformer},
    {"PatchJson6902Transformer", false, json6902_transformer},
    {"PatchStrategicMergeTransformer", false, psm_transformer},
    {"PatchTransformer", false, patch_transformer},
    {"PrefixSuffixTransformer", false, prefix_suffix_transformer},
    {"PrefixTransformer", false, prefix_transformer},
    {"SuffixTransformer", false, suffix_transformer},
    {"ReplicaCountTransformer", false, replica_count_transformer},
    {"ReplacementTransformer", false, replacement_transformer},
    {"ValueAddTransformer", false, NULL},
};

/* kustomize hands a configuration to its plugin through JSON, which has
 * no infinities or NaN: whether @n holds one. */
static bool has_non_finite(const ga_node *n, unsigned depth)
{
	if (ga_node_type_of(n) == GA_NODE_FLOAT)
		return !isfinite(ga_node_float(n));
	for (size_t i = 0;
	     depth < 512 && !ga_node_is_scalar(n) && i < ga_node_count(n); i++)
		if (has_non_finite(ga_node_type_of(n) == GA_NODE_MAP
		                       ? ga_node_map_value(n, i)
		                       : ga_node_list_get(n, i),
		                   depth + 1))
			return true;
	return false;
}

int ga_kust__plugin_run(ga_kust_resmap *ra, const ga_kust_file *kf,
                        const ga_kust_res *config, const char *in,
                        bool generators, ga_kust_read_fn read, void *ctx)
{
	struct ga_kust_plugin p = {ra,   kf,  config->obj, in,   "", "",
	                           read, ctx, "",          {""}, 0};
	int err;
	const char *field = generators ? "generators" : "transformers";
	const struct kind *k = NULL;
	ga_buf id = GA_BUF_INIT(4096);
	ga_kust_id cid;

	ga_kust__id_of(&cid, config->obj);
	p.name = cid.name;
	p.ns = cid.ns;
	snprintf(p.what, sizeof(p.what), "%s: %s '%s' (%s)", field, cid.kind,
	         cid.name, config->origin);
	if (strcmp(cid.api_version, "builtin") != 0) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: %s: only builtin plugins (apiVersion: "
		             "builtin) are supported; exec, container and Go "
		             "plugins are not",
		             kf->path, p.what);
		return GA_EUNSUPPORTED;
	}
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (strcmp(kinds[i].kind, cid.kind) == 0)
			k = &kinds[i];
	ga_kust__id_format(&id, &cid);
	if (!k || k->generator != generators) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             k ? "%s: %s: plugin %s is not a %s"
		               : "%s: %s: no builtin plugin %s%.0s",
		             kf->path, field, ga_buf_cstr(&id),
		             generators ? "generator" : "transformer");
		ga_buf_dispose(&id);
		return GA_EINVALID;
	}
	ga_buf_dispose(&id);
	if (has_non_finite(config->obj, 0))
		return ga_kust__pcfg_fail(
		    &p, "an infinity or NaN cannot be handed to the "
		        "plugin (JSON has none)");
	if (!k->run) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: %s: the builtin %s is not supported by "
		             "gitops-agent build",
		             kf->path, p.what, k->kind);
		return GA_EUNSUPPORTED;
	}
	if ((err = k->run(&p)) < 0 || generators || !in)
		return err;
	/* buildMetadata: a transformations entry naming the config. */
	return ga_kust__meta_record_plugin(ra, in, k->kind, cid.name, cid.ns,
	                                   1);
}
