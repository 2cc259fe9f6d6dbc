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
 * kustomize decodes a configuration leniently: fields a plugin does not
 * know are ignored, so only the known ones are read here.  The generator
 * and patch fields are then checked as strictly as in a kustomization, by
 * parsing the field they were turned into.
 */
#include "plugins.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buildmeta.h"
#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/yaml.h"
#include "patches.h"
#include "transform.h"

struct plugin {
	ga_kust_resmap *ra;
	const ga_kust_file *kf; /* the kustomization listing it */
	const ga_node *cfg;     /* the configuration object */
	const char *in;         /* buildMetadata: where it was configured */
	const char *name, *ns;  /* its metadata.name and .namespace */
	ga_kust_read_fn read;
	void *ctx;
	char what[512];      /* "transformers: LabelTransformer 'x' (l.yaml)" */
	char scratch[8][64]; /* texts of numbers and bools read as strings */
	size_t nscratch;
};

static int fail(const struct plugin *p, const char *fmt, ...) GA_PRINTF(2, 3);

static int fail(const struct plugin *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ga_error_set(GA_ERRCLASS_KUSTOMIZE, "%s: %s: %s", p->kf->path, p->what,
	             msg);
	return GA_EINVALID;
}

/*
 * A float decoded into a string, as sigs.k8s.io/yaml writes it: an
 * integral one that fits an int64 as that integer ("1000000"), any other
 * with Go's strconv.FormatFloat(x, 'g', -1, 32): the shortest digits that
 * read back as the same float32, in %e form when the exponent is below -4
 * or at least 6 ("1.2345678e+06", "3.1415927", "1e-05").
 */
static void go_float32(char *buf, size_t cap, double x)
{
	float f = (float)x;
	char digits[48], *e;
	int prec = 1, exp;

	/* An integral float that fits an int64 is an integer to it first. */
	if (x == trunc(x) && x >= -9223372036854775808.0 &&
	    x < 9223372036854775808.0) {
		snprintf(buf, cap, "%" PRId64, (int64_t)x);
		return;
	}
	if (isnan(f) || isinf(f)) {
		snprintf(buf, cap, "%s",
		         isnan(f) ? ".nan" : (f > 0 ? ".inf" : "-.inf"));
		return;
	}
	for (; prec < 9; prec++) {
		snprintf(digits, sizeof(digits), "%.*e", prec - 1, (double)f);
		if (strtof(digits, NULL) == f)
			break;
	}
	snprintf(digits, sizeof(digits), "%.*e", prec - 1, (double)f);
	e = strchr(digits, 'e');
	exp = (int)strtol(e + 1, NULL, 10);
	if (exp < -4 || exp >= 6) {
		*e = '\0';
		snprintf(buf, cap, "%.16se%c%02d", digits, exp < 0 ? '-' : '+',
		         exp < 0 ? -exp : exp);
	} else {
		/* %f with just the significant digits. */
		snprintf(buf, cap, "%.*f",
		         prec - 1 - exp > 0 ? prec - 1 - exp : 0, (double)f);
	}
}

/*
 * The text of a scalar decoded into a string field: kustomize decodes a
 * configuration with sigs.k8s.io/yaml, which writes a number or a bool
 * given for a string as its text.  NULL for a map or list.
 */
static const char *text_of(struct plugin *p, const ga_node *v)
{
	char *buf;

	switch (ga_node_type_of(v)) {
	case GA_NODE_STRING:
		return ga_node_str(v);
	case GA_NODE_NULL:
		return "";
	case GA_NODE_BOOL:
		return ga_node_bool(v) ? "true" : "false";
	case GA_NODE_FLOAT:
		buf = p->scratch[p->nscratch++ % 8];
		go_float32(buf, 64, ga_node_float(v));
		return buf;
	case GA_NODE_INT:
		buf = p->scratch[p->nscratch++ % 8];
		if (ga_node_is_uint(v))
			snprintf(buf, 64, "%" PRIu64, ga_node_uint(v));
		else
			snprintf(buf, 64, "%" PRId64, ga_node_int(v));
		return buf;
	default:
		return NULL;
	}
}

/* The string field @key of @map: "" when absent, NULL when it cannot be
 * read as a string (so that callers can refuse it). */
static const char *str_field(struct plugin *p, const ga_node *map,
                             const char *key)
{
	const ga_node *v = map ? ga_node_map_get(map, key) : NULL;

	return v ? text_of(p, v) : "";
}

static int want_str(struct plugin *p, const ga_node *map, const char *key,
                    const char **out)
{
	if (!(*out = str_field(p, map, key)))
		return fail(p, "%s: expected a string", key);
	return 0;
}

/* `fieldSpecs`, as they are, into section @sec of a new configuration. */
static int field_specs(struct plugin *p, ga_kust_tc_section sec,
                       ga_kust_tc_section sec2, ga_kust_tconfig **out)
{
	const ga_node *list = ga_node_map_get(p->cfg, "fieldSpecs");
	int err;

	if ((err = ga_kust__tconfig_new_empty(out)) < 0)
		return err;
	if (list && ga_node_type_of(list) != GA_NODE_LIST &&
	    ga_node_type_of(list) != GA_NODE_NULL)
		return fail(p, "fieldSpecs: expected a list");
	for (size_t i = 0; list && i < ga_node_count(list); i++) {
		const ga_node *f = ga_node_list_get(list, i);
		const ga_node *create = ga_node_map_get(f, "create");
		ga_kust_fieldspec fs = {0};

		if (ga_node_type_of(f) != GA_NODE_MAP ||
		    !(fs.group = str_field(p, f, "group")) ||
		    !(fs.version = str_field(p, f, "version")) ||
		    !(fs.kind = str_field(p, f, "kind")) ||
		    !(fs.path = str_field(p, f, "path")) ||
		    (create && ga_node_type_of(create) != GA_NODE_BOOL &&
		     ga_node_type_of(create) != GA_NODE_NULL))
			return fail(p,
			            "fieldSpecs[%zu]: expected group, version, "
			            "kind and path strings and a create bool",
			            i);
		fs.create = create && ga_node_bool(create);
		if ((err = ga_kust__tconfig_append_spec(*out, sec, &fs)) < 0 ||
		    (sec2 != sec &&
		     (err = ga_kust__tconfig_append_spec(*out, sec2, &fs)) < 0))
			return err;
	}
	return 0;
}

/* A map of strings (labels, annotations) as a new map *@out, numbers
 * and bools turned into their text; NULL when absent. */
static int string_map(struct plugin *p, const char *key, ga_node **out)
{
	const ga_node *m = ga_node_map_get(p->cfg, key);
	int err;

	*out = NULL;
	if (!m || ga_node_type_of(m) == GA_NODE_NULL)
		return 0;
	if (ga_node_type_of(m) != GA_NODE_MAP)
		return fail(p, "%s: expected a map of strings", key);
	if ((err = ga_node_new_map(out)) < 0)
		return err;
	for (size_t i = 0; i < ga_node_count(m); i++) {
		size_t klen;
		const char *k = ga_node_map_key(m, i, &klen);
		const char *v = text_of(p, ga_node_map_value(m, i));
		ga_node *s = NULL;

		if (!v)
			return fail(p, "%s.%s: expected a string", key, k);
		if ((err = ga_node_new_string(&s, v, strlen(v))) < 0 ||
		    (err = ga_node_map_setn_take(*out, k, klen, s)) < 0)
			return err;
	}
	return 0;
}

/* Copy the fields @keys of the configuration (those present) into @to. */
static int copy_fields(const struct plugin *p, ga_node *to,
                       const char *const *keys, size_t n)
{
	int err = 0;

	for (size_t i = 0; !err && i < n; i++) {
		const ga_node *v = ga_node_map_get(p->cfg, keys[i]);
		ga_node *copy = NULL;

		if (!v)
			continue;
		if (!(err = ga_node_clone(&copy, v)))
			err = ga_node_map_set_take(to, keys[i], copy);
	}
	return err;
}

/*
 * The kustomization that holds @field: @value (taken), parsed and checked
 * like a kustomization file, so that the code building that field gets
 * what it expects.  Messages name the plugin.
 */
static int as_kustomization(const struct plugin *p, const char *field,
                            ga_node *value, ga_kust_file **out)
{
	ga_buf text = GA_BUF_INIT((size_t)1 << 24);
	char name[1024];
	ga_node *doc = NULL;
	int err;

	*out = NULL;
	if ((err = ga_node_new_map(&doc)) < 0) {
		ga_node_free(value);
		goto out;
	}
	if ((err = ga_node_map_set_take(doc, field, value)) < 0 ||
	    (err = ga_yaml_emit(&text, doc)) < 0)
		goto out;
	snprintf(name, sizeof(name), "%s: %s", p->kf->path, p->what);
	err = ga_kust__file_parse(out, ga_buf_cstr(&text), text.size, name);
out:
	ga_node_free(doc);
	ga_buf_dispose(&text);
	return err;
}

/* A one-item list of @item (taken). */
static int list_of(ga_node **out, ga_node *item)
{
	int err;

	if ((err = ga_node_new_list(out)) < 0) {
		ga_node_free(item);
		return err;
	}
	return ga_node_list_append_take(*out, item);
}

static int labels_or_annotations(struct plugin *p, bool labels)
{
	const char *key = labels ? "labels" : "annotations";
	ga_kust_tc_section sec =
	    labels ? GA_KUST_TC_COMMONLABELS : GA_KUST_TC_COMMONANNOTATIONS;
	ga_kust_tconfig *cfg = NULL;
	ga_node *doc = NULL, *m = NULL;
	int err;

	if ((err = string_map(p, key, &m)) < 0 || !m ||
	    (err = field_specs(p, sec, sec, &cfg)) < 0 ||
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

static int label_transformer(struct plugin *p)
{
	return labels_or_annotations(p, true);
}

static int annotations_transformer(struct plugin *p)
{
	return labels_or_annotations(p, false);
}

static int namespace_transformer(struct plugin *p)
{
	const ga_node *meta = ga_node_map_get(p->cfg, "metadata");
	const ga_node *unset = ga_node_map_get(p->cfg, "unsetOnly");
	const char *ns, *subjects;
	ga_kust_tconfig *cfg = NULL;
	int err;

	if ((err = want_str(p, meta, "namespace", &ns)) < 0 ||
	    (err = want_str(p, p->cfg, "setRoleBindingSubjects", &subjects)) <
	        0)
		return err;
	if (unset && ga_node_type_of(unset) != GA_NODE_BOOL &&
	    ga_node_type_of(unset) != GA_NODE_NULL)
		return fail(p, "unsetOnly: expected a bool");
	if (!subjects[0])
		subjects = "defaultOnly";
	if (strcmp(subjects, "defaultOnly") != 0 &&
	    strcmp(subjects, "none") != 0 &&
	    strcmp(subjects, "allServiceAccounts") != 0)
		return fail(p,
		            "invalid value \"%s\" for setRoleBindingSubjects: "
		            "must be one of \"defaultOnly\", \"none\" or "
		            "\"allServiceAccounts\"",
		            subjects);
	if (!(err = field_specs(p, GA_KUST_TC_NAMESPACE, GA_KUST_TC_NAMESPACE,
	                        &cfg)) &&
	    ns[0])
		err = ga_kust__transform_namespace_opts(
		    p->ra, ns, cfg, unset && ga_node_bool(unset), subjects);
	ga_kust__tconfig_free(cfg);
	return err;
}

static int affix(struct plugin *p, bool prefix, bool suffix)
{
	const char *pre = "", *suf = "";
	ga_kust_tconfig *cfg = NULL;
	int err;

	if ((prefix && (err = want_str(p, p->cfg, "prefix", &pre)) < 0) ||
	    (suffix && (err = want_str(p, p->cfg, "suffix", &suf)) < 0))
		return err;
	if (!ga_node_map_get(p->cfg, "fieldSpecs") ||
	    ga_node_type_of(ga_node_map_get(p->cfg, "fieldSpecs")) ==
	        GA_NODE_NULL)
		return fail(p, "fieldSpecs is not expected to be nil");
	if (!(err = field_specs(p, GA_KUST_TC_NAMEPREFIX, GA_KUST_TC_NAMESUFFIX,
	                        &cfg)) &&
	    (pre[0] || suf[0]))
		err = ga_kust__transform_affix(p->ra, pre, suf, cfg);
	ga_kust__tconfig_free(cfg);
	return err;
}

static int prefix_suffix_transformer(struct plugin *p)
{
	return affix(p, true, true);
}

static int prefix_transformer(struct plugin *p)
{
	return affix(p, true, false);
}

static int suffix_transformer(struct plugin *p)
{
	return affix(p, false, true);
}

/* The string fields of imageTag (@image) or replica given as numbers
 * or bools become their text, as sigs.k8s.io/yaml decodes them. */
static int scalars_as_strings(struct plugin *p, ga_node *entry, bool image)
{
	static const char *const keys[] = {"name", "newName", "newTag",
	                                   "digest"};
	int err = 0;

	if (ga_node_type_of(entry) != GA_NODE_MAP) {
		ga_node_free(entry);
		return fail(p, "%s: expected a map",
		            image ? "imageTag" : "replica");
	}
	for (size_t i = 0; !err && i < (image ? 4 : 1); i++) {
		const ga_node *v = ga_node_map_get(entry, keys[i]);
		const char *t;
		ga_node *s = NULL;

		if (!v || ga_node_type_of(v) == GA_NODE_STRING ||
		    ga_node_type_of(v) == GA_NODE_NULL || !(t = text_of(p, v)))
			continue;
		if (!(err = ga_node_new_string(&s, t, strlen(t))))
			err = ga_node_map_set_take(entry, keys[i], s);
	}
	if (err < 0)
		ga_node_free(entry);
	return err;
}

/* imageTag or replica: one entry of the images or replicas field. */
static int one_entry(struct plugin *p, const char *key, const char *field,
                     ga_kust_tc_section sec)
{
	const ga_node *v = ga_node_map_get(p->cfg, key);
	ga_kust_tconfig *cfg = NULL;
	ga_kust_file *kf = NULL;
	ga_node *copy = NULL, *list = NULL;
	int err;

	if (!v || ga_node_type_of(v) == GA_NODE_NULL)
		return fail(p, "%s: missing", key);
	if ((err = field_specs(p, sec, sec, &cfg)) < 0 ||
	    (err = ga_node_clone(&copy, v)) < 0 ||
	    (err = scalars_as_strings(p, copy, sec == GA_KUST_TC_IMAGES)) < 0 ||
	    (err = list_of(&list, copy)) < 0 ||
	    (err = as_kustomization(p, field, list, &kf)) < 0)
		goto out;
	err = sec == GA_KUST_TC_IMAGES
	          ? ga_kust__transform_images(p->ra, kf->doc, kf->path, cfg)
	          : ga_kust__transform_replicas(p->ra, kf->doc, kf->path, cfg);
out:
	ga_kust__file_free(kf);
	ga_kust__tconfig_free(cfg);
	return err;
}

static int image_tag_transformer(struct plugin *p)
{
	return one_entry(p, "imageTag", "images", GA_KUST_TC_IMAGES);
}

static int replica_count_transformer(struct plugin *p)
{
	return one_entry(p, "replica", "replicas", GA_KUST_TC_REPLICAS);
}

/* Run @kf's `patches` (one list built from the configuration). */
static int run_patches(struct plugin *p, ga_node *patches)
{
	ga_kust_file *kf = NULL;
	int err;

	if (!(err = as_kustomization(p, "patches", patches, &kf)))
		err = ga_kust__transform_patches(p->ra, kf, p->read, p->ctx,
		                                 NULL);
	ga_kust__file_free(kf);
	return err;
}

static int patch_transformer(struct plugin *p)
{
	static const char *const keys[] = {"path", "patch", "target",
	                                   "options"};
	ga_node *entry = NULL, *list = NULL;
	int err;

	if ((err = ga_node_new_map(&entry)) < 0 ||
	    (err = copy_fields(p, entry, keys, 4)) < 0) {
		ga_node_free(entry);
		return err;
	}
	if ((err = list_of(&list, entry)) < 0)
		return err;
	return run_patches(p, list);
}

/* paths, then the patches text: each an untargeted patch. */
static int psm_transformer(struct plugin *p)
{
	const ga_node *paths = ga_node_map_get(p->cfg, "paths");
	const char *text;
	ga_node *list = NULL;
	int err;

	if ((err = want_str(p, p->cfg, "patches", &text)) < 0)
		return err;
	if (paths && ga_node_type_of(paths) != GA_NODE_LIST &&
	    ga_node_type_of(paths) != GA_NODE_NULL)
		return fail(p, "paths: expected a list of strings");
	if ((!paths || !ga_node_count(paths)) && !text[0])
		return fail(p, "empty file path and empty patch content");
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

static int json6902_transformer(struct plugin *p)
{
	static const char *const keys[] = {"target", "path"};
	const ga_node *target = ga_node_map_get(p->cfg, "target");
	const ga_node *op = ga_node_map_get(p->cfg, "jsonOp");
	const char *name = target ? str_field(p, target, "name") : "";
	ga_node *entry = NULL, *list = NULL, *copy = NULL;
	int err;

	if (!name || !name[0])
		return fail(p, "must specify the target name");
	if ((err = ga_node_new_map(&entry)) < 0 ||
	    (err = copy_fields(p, entry, keys, 2)) < 0 ||
	    (op && ((err = ga_node_clone(&copy, op)) < 0 ||
	            (err = ga_node_map_set_take(entry, "patch", copy)) < 0))) {
		ga_node_free(entry);
		return err;
	}
	if ((err = list_of(&list, entry)) < 0)
		return err;
	return run_patches(p, list);
}

static int replacement_transformer(struct plugin *p)
{
	const ga_node *v = ga_node_map_get(p->cfg, "replacements");
	ga_kust_file *kf = NULL;
	ga_node *copy = NULL;
	int err;

	if (!v || ga_node_type_of(v) == GA_NODE_NULL)
		return 0;
	if ((err = ga_node_clone(&copy, v)) < 0 ||
	    (err = as_kustomization(p, "replacements", copy, &kf)) < 0)
		goto out;
	err = ga_kust__transform_replacements(p->ra, kf, p->read, p->ctx);
out:
	ga_kust__file_free(kf);
	return err;
}

/* The name hash now, for every object that wants one; kustomize hashes
 * them again at the end, so the name gets the suffix twice. */
static int hash_transformer(struct plugin *p)
{
	return ga_kust__hash_names(p->ra);
}

/* ConfigMapGenerator and SecretGenerator: their arguments, the name and
 * namespace falling back to the configuration's metadata. */
static int generator(struct plugin *p, bool secret)
{
	static const char *const keys[] = {
	    "name", "namespace", "behavior", "literals", "files",
	    "envs", "env",       "options",  "type",
	};
	const ga_node *meta = ga_node_map_get(p->cfg, "metadata");
	ga_node *args = NULL, *list = NULL, *v = NULL;
	ga_kust_file *kf = NULL;
	int err;

	if ((err = ga_node_new_map(&args)) < 0 ||
	    (err = copy_fields(p, args, keys, secret ? 9 : 8)) < 0)
		goto fail;
	for (size_t i = 0; i < 2; i++) {
		const char *key = i ? "namespace" : "name";
		const char *have = str_field(p, args, key);
		const char *from = meta ? str_field(p, meta, key) : "";

		if (have && have[0])
			continue;
		if (!from) {
			err = fail(p, "metadata.%s: expected a string", key);
			goto fail;
		}
		if (from[0] &&
		    ((err = ga_node_new_string(&v, from, strlen(from))) < 0 ||
		     (err = ga_node_map_set_take(args, key, v)) < 0))
			goto fail;
	}
	if ((err = list_of(&list, args)) < 0 ||
	    (err = as_kustomization(
	         p, secret ? "secretGenerator" : "configMapGenerator", list,
	         &kf)) < 0)
		goto out;
	err = ga_kust__generate_plugin(p->ra, kf, p->read, p->ctx, p->in,
	                               p->name, p->ns);
out:
	ga_kust__file_free(kf);
	return err;
fail:
	ga_node_free(args);
	return err;
}

/*
 * IAMPolicyGenerator: the Kubernetes ServiceAccount bound to a Google
 * service account.  kustomize fills a YAML template with the fields and
 * parses it, so the text is built and parsed the same way.
 */
static int iam_policy_generator(struct plugin *p)
{
	const ga_node *ks = ga_node_map_get(p->cfg, "kubernetesService");
	const ga_node *sa = ga_node_map_get(p->cfg, "serviceAccount");
	const char *cloud, *name, *ns, *gsa, *project;
	ga_buf text = GA_BUF_INIT(1 << 16), origin = GA_BUF_INIT(1 << 16);
	ga_yaml_opts opts = GA_YAML_OPTS_INIT;
	ga_node *docs = NULL;
	ga_kust_res *r = NULL;
	char where[1024];
	int err;

	snprintf(where, sizeof(where), "%s: %s: the generated object",
	         p->kf->path, p->what);
	if ((err = want_str(p, p->cfg, "cloud", &cloud)) < 0 ||
	    (err = want_str(p, ks, "name", &name)) < 0 ||
	    (err = want_str(p, ks, "namespace", &ns)) < 0 ||
	    (err = want_str(p, sa, "name", &gsa)) < 0 ||
	    (err = want_str(p, sa, "projectId", &project)) < 0)
		return err;
	if (strcmp(cloud, "gke") != 0)
		return fail(p, "cloud provider %s not supported yet", cloud);
	ga_buf_printf(&text,
	              "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n"
	              "  annotations:\n"
	              "    iam.gke.io/gcp-service-account: "
	              "%s@%s.iam.gserviceaccount.com\n"
	              "  name: %s\n",
	              gsa, project, name);
	if (ns[0])
		ga_buf_printf(&text, "  namespace: %s\n", ns);
	opts.flags = GA_YAML_RESOURCES;
	if ((err = text.err) < 0 ||
	    (err = ga_yaml_parse(&docs, ga_buf_cstr(&text), text.size, where,
	                         &opts)) < 0)
		goto out;
	if (!(r = ga_calloc(1, sizeof(*r))) ||
	    !(r->origin = ga_strdup(p->kf->path))) {
		err = GA_ENOMEM;
		goto out;
	}
	r->obj = ga_node_list_remove(docs, 0);
	if (!ga_node_str(
	        ga_node_map_get(ga_node_map_get(r->obj, "metadata"), "name"))) {
		err = fail(p, "the generated ServiceAccount has no name");
		goto out;
	}
	if (p->in &&
	    ((err = ga_kust__meta_plugin_origin(
	          &origin, p->in, "IAMPolicyGenerator", p->name, p->ns)) < 0 ||
	     (err = ga_kust__meta_set_anno(r->obj, GA_KUST_ANNO_ORIGIN,
	                                   ga_buf_cstr(&origin), r->origin)) <
	         0 ||
	     !(r->meta_origin = ga_strdup(ga_buf_cstr(&origin))))) {
		err = err < 0 ? err : GA_ENOMEM;
		goto out;
	}
	err = ga_kust__resmap_add_take(p->ra, r);
	r = NULL;
out:
	ga_kust__res_free(r);
	ga_node_free(docs);
	ga_buf_dispose(&text);
	ga_buf_dispose(&origin);
	return err;
}

static int configmap_generator(struct plugin *p)
{
	return generator(p, false);
}

static int secret_generator(struct plugin *p)
{
	return generator(p, true);
}

static const struct kind {
	const char *kind;
	bool generator;
	int (*run)(struct plugin *p); /* NULL: not supported */
} kinds[] = {
    {"ConfigMapGenerator", true, configmap_generator},
    {"SecretGenerator", true, secret_generator},
    {"HelmChartInflationGenerator", true, NULL},
    {"IAMPolicyGenerator", true, iam_policy_generator},
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
	struct plugin p = {ra,   kf,  config->obj, in,   "", "",
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
		return fail(&p, "an infinity or NaN cannot be handed to the "
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
