/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading `configurations` (TransformerConfig documents) and `crds`
 * (OpenAPI definition maps) into a transformer configuration
 * (kustomize.md §1.13).  kustomize decodes configuration files strictly
 * (an unknown section or field, or a value of the wrong type, fails the
 * build) and matches their keys regardless of case, as Go's JSON decoder
 * does; OpenAPI files are decoded leniently but must have the shape of a
 * definition map.
 */
#include "tconfig.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ga/buf.h"
#include "ga/error.h"
#include "resource.h"

#define CRD_MAX_DEPTH 64

static int bad_type(const char *file, const ga_node *v, const char *where,
                    const char *want)
{
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s: line %u: %s: expected %s, found a %s", file,
	             ga_node_line(v), where, want,
	             ga_node_type_name(ga_node_type_of(v)));
	return GA_EINVALID;
}

/* An unknown field of @where, or with @where NULL an unknown section. */
static int unknown_field(const char *file, const ga_node *map, size_t i,
                         const char *where)
{
	uint32_t line, col;

	ga_node_map_key_pos(map, i, &line, &col);
	ga_error_set(GA_ERRCLASS_KUSTOMIZE, "%s: line %u: %s: unknown %s '%s'",
	             file, line, where ? where : "transformer configuration",
	             where ? "field" : "section",
	             ga_node_map_key(map, i, NULL));
	return GA_EINVALID;
}

/* A string field: null leaves it NULL. */
static int str_value(const char **out, const ga_node *v, const char *file,
                     const char *where)
{
	if (ga_node_type_of(v) == GA_NODE_NULL)
		return 0;
	if (ga_node_type_of(v) != GA_NODE_STRING)
		return bad_type(file, v, where, "a string");
	*out = ga_node_str(v);
	return 0;
}

/* @key of a field-spec-like map, or -1 when unknown. */
static int key_index(const char *key, const char *const *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(key, keys[i]) == 0)
			return (int)i;
	return -1;
}

/* kustomize's YAML decoder turns a scalar into the string a string
 * field wants (path: 5 is "5"); group, version and kind sit in an inlined
 * struct it does not see through, so they must be strings. */
static int path_value(const char **out, char buf[GA_FMT_FLOAT_MAX],
                      const ga_node *v, const char *file, const char *where)
{
	const char *text;
	size_t len;

	if (ga_node_type_of(v) == GA_NODE_NULL)
		return 0;
	if (!ga_node_is_scalar(v))
		return bad_type(file, v, where, "a string");
	if (ga_node_type_of(v) == GA_NODE_STRING) {
		*out = ga_node_str(v);
		return 0;
	}
	if (ga_kust__scalar_text(v, buf, &text, &len) < 0)
		return bad_type(file, v, where, "a string");
	*out = buf;
	return 0;
}

/*
 * The field spec @m; with @refs (a nameReference entry), its fieldSpecs
 * list instead of path and create.  @buf holds a path that was not a
 * string in the file.
 */
static int parse_spec(ga_kust_fieldspec *fs, char buf[GA_FMT_FLOAT_MAX],
                      const ga_node **refs, const ga_node *m, const char *file,
                      const char *where)
{
	static const char *const keys[] = {"group", "version", "kind",
	                                   "path",  "create",  "fieldSpecs"};
	const char **str[] = {&fs->group, &fs->version, &fs->kind, &fs->path};
	int err = 0;

	memset(fs, 0, sizeof(*fs));
	fs->path = "";
	if (ga_node_type_of(m) == GA_NODE_NULL)
		return 0;
	if (ga_node_type_of(m) != GA_NODE_MAP)
		return bad_type(file, m, where, "a map");
	for (size_t i = 0; !err && i < ga_node_count(m); i++) {
		const ga_node *v = ga_node_map_value(m, i);
		int k = key_index(ga_node_map_key(m, i, NULL), keys, 6);

		if (k < 0 || (refs && (k == 3 || k == 4)) || (!refs && k == 5))
			return unknown_field(file, m, i, where);
		if (k == 3) {
			err = path_value(str[k], buf, v, file, where);
		} else if (k < 3) {
			err = str_value(str[k], v, file, where);
		} else if (k == 4) {
			if (ga_node_type_of(v) != GA_NODE_NULL &&
			    ga_node_type_of(v) != GA_NODE_BOOL)
				return bad_type(file, v, where, "a boolean");
			fs->create = ga_node_type_of(v) == GA_NODE_BOOL &&
			             ga_node_bool(v);
		} else if (refs && ga_node_type_of(v) != GA_NODE_NULL) {
			if (ga_node_type_of(v) != GA_NODE_LIST)
				return bad_type(file, v, where, "a list");
			*refs = v;
		}
	}
	return err;
}

static int load_refs(ga_kust_tconfig *cfg, const ga_node *list,
                     const char *file)
{
	ga_kust_fieldspec specs[64];
	char bufs[64][GA_FMT_FLOAT_MAX];
	int err = 0;

	for (size_t i = 0; !err && i < ga_node_count(list); i++) {
		ga_kust_nameref to = {0};
		const ga_node *refs = NULL;
		size_t n;

		if ((err = parse_spec(&to.fs, bufs[0], &refs,
		                      ga_node_list_get(list, i), file,
		                      "nameReference")) < 0)
			break;
		to.group = to.fs.group;
		to.version = to.fs.version;
		to.kind = to.fs.kind;
		n = refs ? ga_node_count(refs) : 0;
		if (n > sizeof(specs) / sizeof(*specs)) {
			ga_error_set(
			    GA_ERRCLASS_KUSTOMIZE,
			    "%s: nameReference: more than 64 fieldSpecs "
			    "in one entry",
			    file);
			return GA_ELIMIT;
		}
		for (size_t k = 0; !err && k < n; k++)
			err = parse_spec(&specs[k], bufs[k], NULL,
			                 ga_node_list_get(refs, k), file,
			                 "nameReference.fieldSpecs");
		if (!err && (err = ga_kust__tconfig_add_nameref(
		                 cfg, &to, specs, n)) == GA_EINVALID)
			ga_error_prefix("%s", file);
	}
	return err;
}

static int load_section(ga_kust_tconfig *cfg, ga_kust_tc_section sec,
                        const ga_node *list, const char *file)
{
	const char *name = ga_kust__tconfig_section_name(sec);
	int err = 0;

	for (size_t i = 0; !err && i < ga_node_count(list); i++) {
		ga_kust_fieldspec fs;
		char buf[GA_FMT_FLOAT_MAX];

		if ((err = parse_spec(&fs, buf, NULL, ga_node_list_get(list, i),
		                      file, name)) < 0)
			break;
		err = ga_kust__tconfig_append_spec(cfg, sec, &fs);
	}
	return err;
}

static int load_doc(ga_kust_tconfig *cfg, const ga_node *doc, const char *file)
{
	int err = 0;

	if (ga_node_type_of(doc) != GA_NODE_MAP)
		return bad_type(file, doc, "transformer configuration",
		                "a map");
	for (size_t i = 0; !err && i < ga_node_count(doc); i++) {
		const char *key = ga_node_map_key(doc, i, NULL);
		const ga_node *v = ga_node_map_value(doc, i);
		size_t s = 0;

		while (s < GA_KUST_TC_NSECTIONS &&
		       strcasecmp(key, ga_kust__tconfig_section_name(s)) != 0)
			s++;
		if (s == GA_KUST_TC_NSECTIONS &&
		    strcasecmp(key, "nameReference") != 0)
			return unknown_field(file, doc, i, NULL);
		if (ga_node_type_of(v) == GA_NODE_NULL)
			continue;
		if (ga_node_type_of(v) != GA_NODE_LIST)
			return bad_type(file, v, key, "a list");
		err = s == GA_KUST_TC_NSECTIONS
		          ? load_refs(cfg, v, file)
		          : load_section(cfg, (ga_kust_tc_section)s, v, file);
	}
	return err;
}

int ga_kust__tconfig_load(ga_kust_tconfig *cfg, const ga_node *doc,
                          const char *file)
{
	ga_kust_tconfig *raw = NULL;
	int err;

	if (!doc || ga_node_type_of(doc) == GA_NODE_NULL)
		return 0;
	if ((err = ga_kust__tconfig_new_empty(&raw)) < 0)
		return err;
	if (!(err = load_doc(raw, doc, file))) {
		ga_kust__tconfig_sort(raw);
		if ((err = ga_kust__tconfig_merge(cfg, raw)) == GA_EINVALID)
			ga_error_prefix("%s", file);
	}
	ga_kust__tconfig_free(raw);
	return err;
}

/* The value of the key matching @key regardless of case (Go's JSON). */
static const ga_node *get_fold(const ga_node *map, const char *key)
{
	for (size_t i = 0; i < ga_node_count(map); i++)
		if (strcasecmp(ga_node_map_key(map, i, NULL), key) == 0)
			return ga_node_map_value(map, i);
	return NULL;
}

/* The properties of the definition @def, checked: NULL when none. */
static int properties(const ga_node **out, const ga_node *def, const char *file,
                      const char *name)
{
	const ga_node *schema, *props;

	*out = NULL;
	if (ga_node_type_of(def) == GA_NODE_NULL)
		return 0;
	if (ga_node_type_of(def) != GA_NODE_MAP)
		return bad_type(file, def, name, "a map");
	schema = get_fold(def, "Schema");
	if (!schema || ga_node_type_of(schema) == GA_NODE_NULL)
		return 0;
	if (ga_node_type_of(schema) != GA_NODE_MAP)
		return bad_type(file, schema, name, "a map");
	props = get_fold(schema, "properties");
	if (!props || ga_node_type_of(props) == GA_NODE_NULL)
		return 0;
	if (ga_node_type_of(props) != GA_NODE_MAP)
		return bad_type(file, props, name, "a map");
	for (size_t i = 0; i < ga_node_count(props); i++) {
		const ga_node *p = ga_node_map_value(props, i);
		char where[512];

		if (ga_node_type_of(p) == GA_NODE_MAP ||
		    ga_node_type_of(p) == GA_NODE_NULL)
			continue;
		snprintf(where, sizeof(where), "%s: property '%s'", name,
		         ga_node_map_key(props, i, NULL));
		return bad_type(file, p, where, "a map");
	}
	*out = props;
	return 0;
}

/* An x-kubernetes-* extension that is a string, or NULL. */
static const char *ext(const ga_node *prop, const char *key)
{
	const ga_node *v = ga_node_map_get(prop, key);

	return v && ga_node_type_of(v) == GA_NODE_STRING ? ga_node_str(v)
	                                                 : NULL;
}

struct crd {
	ga_kust_tconfig *cfg;
	const ga_node *doc;
	const char *file;
	const char *kind;
	ga_buf path;
};

static int crd_add(struct crd *c, ga_kust_tc_section sec)
{
	ga_kust_fieldspec fs = {NULL, NULL, c->kind, ga_buf_cstr(&c->path),
	                        false};
	int err = ga_kust__tconfig_add_spec(c->cfg, sec, &fs);

	if (err == GA_EINVALID)
		ga_error_prefix("%s", c->file);
	return err;
}

static int crd_property(struct crd *c, const ga_node *prop, unsigned depth);

/* The fields of the type @type_name, below c->path. */
static int crd_type(struct crd *c, const char *type_name, unsigned depth)
{
	const ga_node *def = ga_node_map_get(c->doc, type_name), *props;
	size_t base = c->path.size;
	int err;

	if (!def)
		return 0;
	if (depth > CRD_MAX_DEPTH) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: %s: $ref nested more than %d deep (a cycle?)",
		             c->file, type_name, CRD_MAX_DEPTH);
		return GA_ELIMIT;
	}
	if ((err = properties(&props, def, c->file, type_name)) < 0 || !props)
		return err;
	for (size_t i = 0; !err && i < ga_node_count(props); i++) {
		const ga_node *p = ga_node_map_value(props, i);

		if (ga_node_type_of(p) != GA_NODE_MAP)
			continue;
		if (base)
			ga_buf_putc(&c->path, '/');
		ga_buf_puts(&c->path, ga_node_map_key(props, i, NULL));
		err = c->path.err ? c->path.err : crd_property(c, p, depth);
		ga_buf_truncate(&c->path, base);
	}
	return err;
}

static int crd_property(struct crd *c, const ga_node *prop, unsigned depth)
{
	const char *version = ext(prop, "x-kubernetes-object-ref-api-version");
	const char *kind = ext(prop, "x-kubernetes-object-ref-kind");
	const char *key = ext(prop, "x-kubernetes-object-ref-name-key");
	const char *ref = ext(prop, "$ref");
	int err = 0;

	if ((ext(prop, "x-kubernetes-annotation") &&
	     (err = crd_add(c, GA_KUST_TC_COMMONANNOTATIONS)) < 0) ||
	    (ext(prop, "x-kubernetes-label-selector") &&
	     (err = crd_add(c, GA_KUST_TC_COMMONLABELS)) < 0) ||
	    (ext(prop, "x-kubernetes-identity") &&
	     (err = crd_add(c, GA_KUST_TC_NAMEPREFIX)) < 0))
		return err;
	if (version && kind) {
		ga_kust_nameref to = {NULL, version, kind, {0}};
		size_t base = c->path.size;
		ga_kust_fieldspec fs;

		ga_buf_printf(&c->path, "/%s", key ? key : "name");
		fs = (ga_kust_fieldspec){NULL, NULL, c->kind,
		                         ga_buf_cstr(&c->path), false};
		err = c->path.err
		          ? c->path.err
		          : ga_kust__tconfig_add_nameref(c->cfg, &to, &fs, 1);
		ga_buf_truncate(&c->path, base);
		if (err == GA_EINVALID)
			ga_error_prefix("%s", c->file);
		if (err < 0)
			return err;
	}
	return ref ? crd_type(c, ref, depth + 1) : 0;
}

/* kustomize takes the kind from the type name: the text after its last
 * '.' ("github.com/x/api/v1.Bee" is Bee). */
static const char *kind_of(const char *type_name)
{
	const char *dot = strrchr(type_name, '.');

	return dot ? dot + 1 : type_name;
}

int ga_kust__tconfig_load_crds(ga_kust_tconfig *cfg, const ga_node *doc,
                               const char *file)
{
	struct crd c = {cfg, doc, file, NULL, GA_BUF_INIT(4096)};
	int err = 0;

	if (!doc || ga_node_type_of(doc) == GA_NODE_NULL)
		return 0;
	if (ga_node_type_of(doc) != GA_NODE_MAP)
		return bad_type(file, doc, "OpenAPI definitions", "a map");
	for (size_t i = 0; !err && i < ga_node_count(doc); i++) {
		const char *name = ga_node_map_key(doc, i, NULL);
		const ga_node *props;

		if ((err = properties(&props, ga_node_map_value(doc, i), file,
		                      name)) < 0 ||
		    !props || !ga_node_map_get(props, "kind") ||
		    !ga_node_map_get(props, "apiVersion") ||
		    !ga_node_map_get(props, "metadata"))
			continue;
		c.kind = kind_of(name);
		ga_buf_clear(&c.path);
		err = crd_type(&c, name, 0);
	}
	ga_buf_dispose(&c.path);
	ga_kust__tconfig_sort(cfg);
	return err;
}
