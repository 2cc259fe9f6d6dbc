/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kustomization files: kustomize's LoadKustFile, FixKustomization and the
 * checks around them (kustomize.md §1.0, §1.14, §1.17, §5.4).  Messages
 * name the file and, where there is one, the line, column and field.
 */
#include "kustomization.h"

#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/log.h"
#include "ga/yaml.h"
#include "pcache.h"
#include "schema.h"

/* Kustomization files are small; anything larger is not one. */
#define KUST_FILE_MAX ((size_t)1 << 20)

static int fail(const char *path, int code, const char *msg)
{
	ga_error_set(GA_ERRCLASS_KUSTOMIZE, "%s: %s", path, msg);
	return code;
}

/* Append the items of the list @from (taken from @doc) to the list @to. */
static int fold_list(ga_node *doc, const char *from, const char *to)
{
	ga_node *src = ga_node_map_remove(doc, from);
	ga_node *dst = ga_node_map_get(doc, to);
	int err = 0;

	if (!src)
		return 0;
	if (!dst) {
		return ga_node_map_set_take(doc, to, src);
	}
	while (!err && ga_node_count(src))
		err =
		    ga_node_list_append_take(dst, ga_node_list_remove(src, 0));
	ga_node_free(src);
	return err;
}

/* A generator's singular "env" joins its "envs". */
static int fold_generator_env(ga_node *doc, const char *field)
{
	ga_node *gens = ga_node_map_get(doc, field);
	int err = 0;

	for (size_t i = 0; !err && gens && i < ga_node_count(gens); i++) {
		ga_node *g = ga_node_list_get(gens, i);
		ga_node *env = ga_node_map_remove(g, "env"), *envs;

		if (!env)
			continue;
		if (!ga_node_str_len(env)) {
			ga_node_free(env);
			continue;
		}
		if (!(envs = ga_node_map_get(g, "envs"))) {
			if ((err = ga_node_new_list(&envs)) < 0 ||
			    (err = ga_node_map_set_take(g, "envs", envs)) < 0) {
				ga_node_free(env);
				break;
			}
		}
		err = ga_node_list_append_take(envs, env);
	}
	return err;
}

/* FixKustomization: deprecated spellings become their replacements. */
static int fix_deprecated(ga_node *doc, const char *path)
{
	static const char *const deprecated[][2] = {
	    {"bases", "resources"},
	    {"commonLabels", "labels"},
	    {"imageTags", "images"},
	    {"patchesJson6902", "patches"},
	    {"patchesStrategicMerge", "patches"},
	    {"vars", "replacements"},
	};
	int err;

	for (size_t i = 0; i < sizeof(deprecated) / sizeof(deprecated[0]);
	     i++) {
		if (!ga_node_map_get(doc, deprecated[i][0]))
			continue;
		ga_log_field f[] = {{"file", path},
		                    {"field", deprecated[i][0]}};
		GA_LOG(GA_LOG_WARN, f, 2, "'%s' is deprecated; use '%s'",
		       deprecated[i][0], deprecated[i][1]);
	}
	if ((err = fold_list(doc, "bases", "resources")) < 0 ||
	    (err = fold_list(doc, "imageTags", "images")) < 0 ||
	    (err = fold_generator_env(doc, "configMapGenerator")) < 0 ||
	    (err = fold_generator_env(doc, "secretGenerator")) < 0)
		return err;
	return 0;
}

/*
 * openapi selects the schema behind merge keys and cluster scope.  The
 * one kustomize v5.5 has built in, Kubernetes v1.21.2, is the one compiled
 * into our tables; a custom schema file would need parsing at run time,
 * which the engine does not do.
 */
static int check_openapi(const ga_node *doc, const char *path)
{
	const ga_node *o = ga_node_map_get(doc, "openapi");
	const ga_node *v = o ? ga_node_map_get(o, "version") : NULL;
	const ga_node *p = o ? ga_node_map_get(o, "path") : NULL;

	if (p && ga_node_str_len(p))
		return fail(path, GA_EUNSUPPORTED,
		            "openapi.path: custom OpenAPI schemas are not "
		            "supported; the built-in v1.21.2 schema is used");
	if (v && ga_node_str_len(v) && strcmp(ga_node_str(v), "v1.21.2") != 0)
		return fail(path, GA_EINVALID,
		            "openapi.version: the specified OpenAPI version is "
		            "not built in (v1.21.2 is)");
	return 0;
}

/* Features an agent must not run, and those not built yet, fail loudly. */
static int refuse_unsupported(const ga_node *doc, const char *path)
{
	static const char *const helm[] = {"helmCharts", "helmGlobals",
	                                   "helmChartInflationGenerator"};
	char msg[256];

	for (size_t i = 0; i < 3; i++) {
		if (ga_node_map_get(doc, helm[i])) {
			snprintf(msg, sizeof(msg),
			         "%s: helm charts are not supported: render "
			         "the chart into the distribution",
			         helm[i]);
			return fail(path, GA_EUNSUPPORTED, msg);
		}
		/* Checked after helmCharts, before the other helm keys.
		 * Builtin generators and transformers are built. */
		if (i == 0 && ga_node_map_get(doc, "validators"))
			return fail(path, GA_EUNSUPPORTED,
			            "validators: validator plugins are not "
			            "supported");
	}
	return 0;
}

/* kind and apiVersion default to each other and must agree. */
static int check_kind(ga_kust_file *f)
{
	const char *kind = ga_kust__file_str(f, "kind");
	const char *api = ga_kust__file_str(f, "apiVersion");
	char msg[256];

	if (!kind[0])
		kind = strcmp(api, GA_KUST_API_COMPONENT) == 0
		           ? "Component"
		           : "Kustomization";
	if (strcmp(kind, "Kustomization") != 0 &&
	    strcmp(kind, "Component") != 0) {
		snprintf(msg, sizeof(msg),
		         "kind: expected Kustomization or Component, found "
		         "\"%.64s\"",
		         kind);
		return fail(f->path, GA_EINVALID, msg);
	}
	f->component = kind[0] == 'C';
	if (api[0] &&
	    strcmp(api, f->component ? GA_KUST_API_COMPONENT
	                             : GA_KUST_API_KUSTOMIZATION) != 0) {
		snprintf(msg, sizeof(msg),
		         "apiVersion \"%.64s\" does not match kind %s (want "
		         "%s)",
		         api, kind,
		         f->component ? GA_KUST_API_COMPONENT
		                      : GA_KUST_API_KUSTOMIZATION);
		return fail(f->path, GA_EINVALID, msg);
	}
	return 0;
}

static bool is_empty(const ga_node *doc)
{
	for (size_t i = 0; i < ga_node_count(doc); i++) {
		const char *k = ga_node_map_key(doc, i, NULL);

		if (strcmp(k, "apiVersion") != 0 && strcmp(k, "kind") != 0)
			return false;
	}
	return true;
}

int ga_kust__file_parse(ga_kust_file **out, const char *text, size_t len,
                        const char *path)
{
	ga_yaml_opts opts = GA_YAML_OPTS_INIT;
	ga_kust_file *f = NULL;
	ga_node *docs = NULL;
	const ga_node *root;
	int err;

	opts.max_bytes = KUST_FILE_MAX;
	opts.flags =
	    GA_YAML_LAST_KEY_WINS | GA_YAML_V2_SCALARS | GA_YAML_TEXT_KEYS;
	if ((err = ga_kust__parse(&docs, text, len, path, &opts)) < 0)
		return err;
	if (!(f = ga_calloc(1, sizeof(*f))) || !(f->path = ga_strdup(path))) {
		err = GA_ENOMEM;
		goto out;
	}
	root = ga_node_list_get(docs, 0);
	if (ga_node_count(docs) > 1) {
		err = fail(path, GA_EINVALID,
		           "holds more than one YAML document");
		goto out;
	}
	if (!root || ga_node_type_of(root) == GA_NODE_NULL ||
	    (ga_node_type_of(root) == GA_NODE_MAP && is_empty(root))) {
		err = fail(path, GA_EINVALID, "kustomization is empty");
		goto out;
	}
	if (ga_node_type_of(root) != GA_NODE_MAP) {
		err = fail(path, GA_EINVALID,
		           "expected a map of kustomization fields");
		goto out;
	}
	if ((err = ga_kust__decode(&f->doc, root,
	                           &ga_kust__kustomization_schema, path)) < 0 ||
	    (err = check_kind(f)) < 0 ||
	    (err = refuse_unsupported(f->doc, path)) < 0 ||
	    (err = check_openapi(f->doc, path)) < 0 ||
	    (err = fix_deprecated(f->doc, path)) < 0)
		goto out;
	*out = f;
	f = NULL;
out:
	ga_kust__file_free(f);
	ga_node_free(docs);
	return err;
}

void ga_kust__file_free(ga_kust_file *f)
{
	if (!f)
		return;
	ga_node_free(f->doc);
	ga_free(f->path);
	ga_free(f);
}

const ga_node *ga_kust__file_list(const ga_kust_file *f, const char *field)
{
	return ga_node_map_get(f->doc, field);
}

const char *ga_kust__file_str(const ga_kust_file *f, const char *field)
{
	const ga_node *n = ga_node_map_get(f->doc, field);

	return n && ga_node_str(n) ? ga_node_str(n) : "";
}
