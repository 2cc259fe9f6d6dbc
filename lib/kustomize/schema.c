/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The schema of a kustomization file (kustomize v5.5.0 api/types), as a
 * static table, and the strict decoding kubectl applies to it: YAML is
 * converted to JSON and decoded with encoding/json's DisallowUnknownFields,
 * so (kustomize.md §1.0):
 *  - an unknown key is an error;
 *  - keys match field names case-insensitively, and of two spellings of one
 *    field the later wins;
 *  - a value of the wrong JSON type is an error, while null leaves the
 *    field empty;
 *  - goyaml.v2 reads yes/no/on/off as booleans there, so they count as
 *    booleans for boolean fields.
 * The result is a copy of the document with canonical key spellings and
 * the nulls dropped, so that the engine can look fields up by name.
 */
#include "schema.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ga/alloc.h"
#include "ga/error.h"

#define F(n, t, s)                                                             \
	{                                                                      \
		n, t, s                                                        \
	}
#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SCHEMA(name, fields)                                                   \
	{                                                                      \
		name, fields, N(fields)                                        \
	}

/* Shared by several types: Gvk and ResId are inlined Go structs. */
static const struct ga_kust_field fieldspec_f[] = {
    F("group", GA_KF_STRING, NULL), F("version", GA_KF_STRING, NULL),
    F("kind", GA_KF_STRING, NULL),  F("path", GA_KF_STRING, NULL),
    F("create", GA_KF_BOOL, NULL),
};
static const struct ga_kust_schema fieldspec_s =
    SCHEMA("FieldSpec", fieldspec_f);

static const struct ga_kust_field selector_f[] = {
    F("group", GA_KF_STRING, NULL),
    F("version", GA_KF_STRING, NULL),
    F("kind", GA_KF_STRING, NULL),
    F("name", GA_KF_STRING, NULL),
    F("namespace", GA_KF_STRING, NULL),
    F("annotationSelector", GA_KF_STRING, NULL),
    F("labelSelector", GA_KF_STRING, NULL),
};
static const struct ga_kust_schema selector_s = SCHEMA("Selector", selector_f);

static const struct ga_kust_field label_f[] = {
    F("pairs", GA_KF_STRMAP, NULL),
    F("includeSelectors", GA_KF_BOOL, NULL),
    F("includeTemplates", GA_KF_BOOL, NULL),
    F("fields", GA_KF_OBJS, &fieldspec_s),
};
static const struct ga_kust_schema label_s = SCHEMA("Label", label_f);

static const struct ga_kust_field patch_f[] = {
    F("path", GA_KF_STRING, NULL),
    F("patch", GA_KF_STRING, NULL),
    F("target", GA_KF_OBJ, &selector_s),
    F("options", GA_KF_BOOLMAP, NULL),
};
static const struct ga_kust_schema patch_s = SCHEMA("Patch", patch_f);

static const struct ga_kust_field image_f[] = {
    F("name", GA_KF_STRING, NULL),      F("newName", GA_KF_STRING, NULL),
    F("newTag", GA_KF_STRING, NULL),    F("digest", GA_KF_STRING, NULL),
    F("tagSuffix", GA_KF_STRING, NULL),
};
static const struct ga_kust_schema image_s = SCHEMA("Image", image_f);

static const struct ga_kust_field replica_f[] = {
    F("name", GA_KF_STRING, NULL),
    F("count", GA_KF_INT, NULL),
};
static const struct ga_kust_schema replica_s = SCHEMA("Replica", replica_f);

static const struct ga_kust_field fieldopts_f[] = {
    F("delimiter", GA_KF_STRING, NULL),
    F("index", GA_KF_INT, NULL),
    F("encoding", GA_KF_STRING, NULL),
    F("create", GA_KF_BOOL, NULL),
};
static const struct ga_kust_schema fieldopts_s =
    SCHEMA("FieldOptions", fieldopts_f);

static const struct ga_kust_field source_f[] = {
    F("group", GA_KF_STRING, NULL),        F("version", GA_KF_STRING, NULL),
    F("kind", GA_KF_STRING, NULL),         F("name", GA_KF_STRING, NULL),
    F("namespace", GA_KF_STRING, NULL),    F("fieldPath", GA_KF_STRING, NULL),
    F("options", GA_KF_OBJ, &fieldopts_s),
};
static const struct ga_kust_schema source_s =
    SCHEMA("SourceSelector", source_f);

static const struct ga_kust_field target_f[] = {
    F("select", GA_KF_OBJ, &selector_s),
    F("reject", GA_KF_OBJS, &selector_s),
    F("fieldPaths", GA_KF_STRINGS, NULL),
    F("options", GA_KF_OBJ, &fieldopts_s),
};
static const struct ga_kust_schema target_s =
    SCHEMA("TargetSelector", target_f);

static const struct ga_kust_field replacement_f[] = {
    F("source", GA_KF_OBJ, &source_s),
    F("targets", GA_KF_OBJS, &target_s),
    F("path", GA_KF_STRING, NULL),
};
const struct ga_kust_schema ga_kust__replacement_schema =
    SCHEMA("ReplacementField", replacement_f);

static const struct ga_kust_field objref_f[] = {
    F("apiVersion", GA_KF_STRING, NULL), F("group", GA_KF_STRING, NULL),
    F("version", GA_KF_STRING, NULL),    F("kind", GA_KF_STRING, NULL),
    F("name", GA_KF_STRING, NULL),       F("namespace", GA_KF_STRING, NULL),
};
static const struct ga_kust_schema objref_s = SCHEMA("Target", objref_f);

static const struct ga_kust_field fieldref_f[] = {
    F("fieldPath", GA_KF_STRING, NULL),
};
static const struct ga_kust_schema fieldref_s =
    SCHEMA("FieldSelector", fieldref_f);

static const struct ga_kust_field var_f[] = {
    F("name", GA_KF_STRING, NULL),
    F("objref", GA_KF_OBJ, &objref_s),
    F("fieldref", GA_KF_OBJ, &fieldref_s),
};
static const struct ga_kust_schema var_s = SCHEMA("Var", var_f);

static const struct ga_kust_field legacysort_f[] = {
    F("orderFirst", GA_KF_STRINGS, NULL),
    F("orderLast", GA_KF_STRINGS, NULL),
};
static const struct ga_kust_schema legacysort_s =
    SCHEMA("LegacySortOptions", legacysort_f);

static const struct ga_kust_field sort_f[] = {
    F("order", GA_KF_STRING, NULL),
    F("legacySortOptions", GA_KF_OBJ, &legacysort_s),
};
static const struct ga_kust_schema sort_s = SCHEMA("SortOptions", sort_f);

static const struct ga_kust_field genopts_f[] = {
    F("labels", GA_KF_STRMAP, NULL),
    F("annotations", GA_KF_STRMAP, NULL),
    F("disableNameSuffixHash", GA_KF_BOOL, NULL),
    F("immutable", GA_KF_BOOL, NULL),
};
static const struct ga_kust_schema genopts_s =
    SCHEMA("GeneratorOptions", genopts_f);

/* ConfigMapArgs and SecretArgs share GeneratorArgs; Secrets add a type. */
#define GENERATOR_FIELDS                                                       \
	F("namespace", GA_KF_STRING, NULL), F("name", GA_KF_STRING, NULL),     \
	    F("behavior", GA_KF_STRING, NULL),                                 \
	    F("literals", GA_KF_STRINGS, NULL),                                \
	    F("files", GA_KF_STRINGS, NULL), F("envs", GA_KF_STRINGS, NULL),   \
	    F("env", GA_KF_STRING, NULL), F("options", GA_KF_OBJ, &genopts_s)

static const struct ga_kust_field cmgen_f[] = {GENERATOR_FIELDS};
static const struct ga_kust_schema cmgen_s = SCHEMA("ConfigMapArgs", cmgen_f);

static const struct ga_kust_field secgen_f[] = {
    GENERATOR_FIELDS,
    F("type", GA_KF_STRING, NULL),
};
static const struct ga_kust_schema secgen_s = SCHEMA("SecretArgs", secgen_f);

static const struct ga_kust_field kustomization_f[] = {
    F("apiVersion", GA_KF_STRING, NULL),
    F("kind", GA_KF_STRING, NULL),
    F("metadata", GA_KF_ANY, NULL),
    F("openapi", GA_KF_STRMAP, NULL),
    F("namePrefix", GA_KF_STRING, NULL),
    F("nameSuffix", GA_KF_STRING, NULL),
    F("namespace", GA_KF_STRING, NULL),
    F("commonLabels", GA_KF_STRMAP, NULL),
    F("labels", GA_KF_OBJS, &label_s),
    F("commonAnnotations", GA_KF_STRMAP, NULL),
    F("patchesStrategicMerge", GA_KF_STRINGS, NULL),
    F("patchesJson6902", GA_KF_OBJS, &patch_s),
    F("patches", GA_KF_OBJS, &patch_s),
    F("images", GA_KF_OBJS, &image_s),
    F("imageTags", GA_KF_OBJS, &image_s),
    F("replacements", GA_KF_OBJS, &ga_kust__replacement_schema),
    F("replicas", GA_KF_OBJS, &replica_s),
    F("vars", GA_KF_OBJS, &var_s),
    F("sortOptions", GA_KF_OBJ, &sort_s),
    F("resources", GA_KF_STRINGS, NULL),
    F("crds", GA_KF_STRINGS, NULL),
    F("bases", GA_KF_STRINGS, NULL),
    F("components", GA_KF_STRINGS, NULL),
    F("configMapGenerator", GA_KF_OBJS, &cmgen_s),
    F("secretGenerator", GA_KF_OBJS, &secgen_s),
    F("helmGlobals", GA_KF_ANY, NULL),
    F("helmCharts", GA_KF_ANY, NULL),
    F("helmChartInflationGenerator", GA_KF_ANY, NULL),
    F("generatorOptions", GA_KF_OBJ, &genopts_s),
    F("configurations", GA_KF_STRINGS, NULL),
    F("generators", GA_KF_STRINGS, NULL),
    F("transformers", GA_KF_STRINGS, NULL),
    F("validators", GA_KF_STRINGS, NULL),
    F("buildMetadata", GA_KF_STRINGS, NULL),
};

const struct ga_kust_schema ga_kust__kustomization_schema =
    SCHEMA("Kustomization", kustomization_f);

struct decoder {
	const char *file;
	bool lenient;   /* skip unknown fields, as encoding/json does */
	char path[512]; /* the field path so far, e.g. "images[0]" */
};

static int type_error(const struct decoder *d, const ga_node *n,
                      const char *want)
{
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "%s: line %u column %u: %s: expected %s, found %s%s",
	             d->file, ga_node_line(n), ga_node_col(n), d->path, want,
	             ga_node_type_of(n) == GA_NODE_INT ? "an " : "a ",
	             ga_node_type_name(ga_node_type_of(n)));
	return GA_EINVALID;
}

/* goyaml.v2 (YAML 1.1) reads these plain words as booleans. */
static int yaml11_bool(const char *s)
{
	static const char *const yes[] = {"y",   "Y",  "yes", "Yes",
	                                  "YES", "on", "On",  "ON"};
	static const char *const no[] = {"n",  "N",   "no",  "No",
	                                 "NO", "off", "Off", "OFF"};

	for (size_t i = 0; i < N(yes); i++) {
		if (strcmp(s, yes[i]) == 0)
			return 1;
		if (strcmp(s, no[i]) == 0)
			return 0;
	}
	return -1;
}

static int decode_value(ga_node **out, const ga_node *n,
                        const struct ga_kust_field *f, struct decoder *d);

/* Append "[i]" or ".name" to the path; returns the old length. */
static size_t path_push(struct decoder *d, const char *name, size_t index,
                        bool is_index)
{
	size_t len = strlen(d->path);

	if (is_index)
		(void)snprintf(d->path + len, sizeof(d->path) - len, "[%zu]",
		               index);
	else
		(void)snprintf(d->path + len, sizeof(d->path) - len, "%s%s",
		               len ? "." : "", name);
	return len;
}

static int decode_scalar(ga_node **out, const ga_node *n,
                         const struct ga_kust_field *f, struct decoder *d)
{
	ga_node_type t = ga_node_type_of(n);
	int b;

	switch (f->type) {
	case GA_KF_STRING:
		if (t != GA_NODE_STRING)
			return type_error(d, n, "a string");
		break;
	case GA_KF_BOOL:
		if (t == GA_NODE_STRING &&
		    (b = yaml11_bool(ga_node_str(n))) >= 0)
			return ga_node_new_bool(out, b);
		if (t != GA_NODE_BOOL)
			return type_error(d, n, "a boolean");
		break;
	case GA_KF_INT:
		if (t == GA_NODE_FLOAT && ga_node_float(n) >= -9.2e18 &&
		    ga_node_float(n) <= 9.2e18 &&
		    ga_node_float(n) == (double)(int64_t)ga_node_float(n))
			return ga_node_new_int(out, (int64_t)ga_node_float(n));
		if (t != GA_NODE_INT || ga_node_is_uint(n))
			return type_error(d, n, "an integer");
		break;
	default:
		break;
	}
	return ga_node_clone(out, n);
}

/* []string, map[string]string, map[string]bool and []struct. */
static int decode_collection(ga_node **out, const ga_node *n,
                             const struct ga_kust_field *f, struct decoder *d)
{
	bool is_list = f->type == GA_KF_STRINGS || f->type == GA_KF_OBJS;
	struct ga_kust_field item = {f->name, GA_KF_STRING, f->sub};
	ga_node *copy = NULL;
	int err;

	if (ga_node_type_of(n) != (is_list ? GA_NODE_LIST : GA_NODE_MAP))
		return type_error(d, n, is_list ? "a list" : "a map");
	if (f->type == GA_KF_BOOLMAP)
		item.type = GA_KF_BOOL;
	else if (f->type == GA_KF_OBJS)
		item.type = GA_KF_OBJ;
	if ((err = is_list ? ga_node_new_list(&copy) : ga_node_new_map(&copy)) <
	    0)
		return err;
	for (size_t i = 0; i < ga_node_count(n); i++) {
		const ga_node *v =
		    is_list ? ga_node_list_get(n, i) : ga_node_map_value(n, i);
		size_t klen, mark;
		const char *k = is_list ? NULL : ga_node_map_key(n, i, &klen);
		ga_node *dv = NULL;

		mark = path_push(d, k, i, is_list);
		/* Go decodes a null element as the zero value. */
		if (ga_node_type_of(v) == GA_NODE_NULL)
			err = item.type == GA_KF_OBJ ? ga_node_new_map(&dv)
			      : item.type == GA_KF_BOOL
			          ? ga_node_new_bool(&dv, false)
			          : ga_node_new_string(&dv, "", 0);
		else
			err = decode_value(&dv, v, &item, d);
		d->path[mark] = '\0';
		if (!err)
			err = is_list
			          ? ga_node_list_append_take(copy, dv)
			          : ga_node_map_setn_take(copy, k, klen, dv);
		if (err < 0) {
			ga_node_free(copy);
			return err;
		}
	}
	*out = copy;
	return 0;
}

static const struct ga_kust_field *find_field(const struct ga_kust_schema *s,
                                              const char *key, size_t len)
{
	const struct ga_kust_field *folded = NULL;

	/* encoding/json prefers an exact match, then a case-folded one. */
	for (size_t i = 0; i < s->nfields; i++) {
		const char *name = s->fields[i].name;

		if (strlen(name) != len)
			continue;
		if (memcmp(name, key, len) == 0)
			return &s->fields[i];
		if (!folded && strncasecmp(name, key, len) == 0)
			folded = &s->fields[i];
	}
	return folded;
}

static int decode_object(ga_node **out, const ga_node *n,
                         const struct ga_kust_schema *s, struct decoder *d)
{
	ga_node *copy = NULL;
	int err;

	if (ga_node_type_of(n) != GA_NODE_MAP)
		return type_error(d, n, "a map");
	if ((err = ga_node_new_map(&copy)) < 0)
		return err;
	for (size_t i = 0; i < ga_node_count(n); i++) {
		size_t klen, mark;
		const char *k = ga_node_map_key(n, i, &klen);
		const ga_node *v = ga_node_map_value(n, i);
		const struct ga_kust_field *f = find_field(s, k, klen);
		uint32_t line, col;
		ga_node *dv = NULL;

		if (!f && d->lenient)
			continue;
		if (!f) {
			ga_node_map_key_pos(n, i, &line, &col);
			ga_error_set(
			    GA_ERRCLASS_KUSTOMIZE,
			    "%s: line %u column %u: unknown field "
			    "\"%.*s\"%s%s (in %s)",
			    d->file, line, col, (int)(klen > 64 ? 64 : klen), k,
			    d->path[0] ? " at " : "", d->path, s->type_name);
			ga_node_free(copy);
			return GA_EINVALID;
		}
		/* Null leaves the field unset; a later spelling wins. */
		ga_node_free(ga_node_map_remove(copy, f->name));
		if (ga_node_type_of(v) == GA_NODE_NULL)
			continue;
		mark = path_push(d, f->name, 0, false);
		err = decode_value(&dv, v, f, d);
		d->path[mark] = '\0';
		if (!err)
			err = ga_node_map_set_take(copy, f->name, dv);
		if (err < 0) {
			ga_node_free(copy);
			return err;
		}
	}
	*out = copy;
	return 0;
}

static int decode_value(ga_node **out, const ga_node *n,
                        const struct ga_kust_field *f, struct decoder *d)
{
	switch (f->type) {
	case GA_KF_STRING:
	case GA_KF_BOOL:
	case GA_KF_INT:
		return decode_scalar(out, n, f, d);
	case GA_KF_STRINGS:
	case GA_KF_STRMAP:
	case GA_KF_BOOLMAP:
	case GA_KF_OBJS:
		return decode_collection(out, n, f, d);
	case GA_KF_OBJ:
		return decode_object(out, n, f->sub, d);
	case GA_KF_ANY:
		break;
	}
	return ga_node_clone(out, n);
}

int ga_kust__decode(ga_node **out, const ga_node *in,
                    const struct ga_kust_schema *schema, const char *file)
{
	struct decoder d = {.file = file};

	return decode_object(out, in, schema, &d);
}

int ga_kust__decode_lenient(ga_node **out, const ga_node *in,
                            const struct ga_kust_schema *schema,
                            const char *file)
{
	struct decoder d = {.file = file, .lenient = true};

	return decode_object(out, in, schema, &d);
}
