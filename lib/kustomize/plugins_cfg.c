/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading a builtin plugin configuration's fields as kustomize decodes
 * them: leniently (fields a plugin does not know are ignored, so only the
 * known ones are read), numbers and bools given for strings written as
 * sigs.k8s.io/yaml writes them, and the generator and patch fields
 * checked as strictly as in a kustomization, by parsing the field they
 * are turned into.
 */
#include "plugins_int.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/error.h"
#include "ga/yaml.h"

int ga_kust__pcfg_fail(const struct ga_kust_plugin *p, const char *fmt, ...)
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
const char *ga_kust__pcfg_text(struct ga_kust_plugin *p, const ga_node *v)
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
const char *ga_kust__pcfg_str(struct ga_kust_plugin *p, const ga_node *map,
                              const char *key)
{
	const ga_node *v = map ? ga_node_map_get(map, key) : NULL;

	return v ? ga_kust__pcfg_text(p, v) : "";
}

int ga_kust__pcfg_want_str(struct ga_kust_plugin *p, const ga_node *map,
                           const char *key, const char **out)
{
	if (!(*out = ga_kust__pcfg_str(p, map, key)))
		return ga_kust__pcfg_fail(p, "%s: expected a string", key);
	return 0;
}

/* `fieldSpecs`, as they are, into section @sec of a new configuration. */
int ga_kust__pcfg_field_specs(struct ga_kust_plugin *p, ga_kust_tc_section sec,
                              ga_kust_tc_section sec2, ga_kust_tconfig **out)
{
	const ga_node *list = ga_node_map_get(p->cfg, "fieldSpecs");
	int err;

	if ((err = ga_kust__tconfig_new_empty(out)) < 0)
		return err;
	if (list && ga_node_type_of(list) != GA_NODE_LIST &&
	    ga_node_type_of(list) != GA_NODE_NULL)
		return ga_kust__pcfg_fail(p, "fieldSpecs: expected a list");
	for (size_t i = 0; list && i < ga_node_count(list); i++) {
		const ga_node *f = ga_node_list_get(list, i);
		const ga_node *create = ga_node_map_get(f, "create");
		ga_kust_fieldspec fs = {0};

		if (ga_node_type_of(f) != GA_NODE_MAP ||
		    !(fs.group = ga_kust__pcfg_str(p, f, "group")) ||
		    !(fs.version = ga_kust__pcfg_str(p, f, "version")) ||
		    !(fs.kind = ga_kust__pcfg_str(p, f, "kind")) ||
		    !(fs.path = ga_kust__pcfg_str(p, f, "path")) ||
		    (create && ga_node_type_of(create) != GA_NODE_BOOL &&
		     ga_node_type_of(create) != GA_NODE_NULL))
			return ga_kust__pcfg_fail(
			    p,
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
int ga_kust__pcfg_string_map(struct ga_kust_plugin *p, const char *key,
                             ga_node **out)
{
	const ga_node *m = ga_node_map_get(p->cfg, key);
	int err;

	*out = NULL;
	if (!m || ga_node_type_of(m) == GA_NODE_NULL)
		return 0;
	if (ga_node_type_of(m) != GA_NODE_MAP)
		return ga_kust__pcfg_fail(p, "%s: expected a map of strings",
		                          key);
	if ((err = ga_node_new_map(out)) < 0)
		return err;
	for (size_t i = 0; i < ga_node_count(m); i++) {
		size_t klen;
		const char *k = ga_node_map_key(m, i, &klen);
		const char *v = ga_kust__pcfg_text(p, ga_node_map_value(m, i));
		ga_node *s = NULL;

		if (!v)
			return ga_kust__pcfg_fail(p, "%s.%s: expected a string",
			                          key, k);
		if ((err = ga_node_new_string(&s, v, strlen(v))) < 0 ||
		    (err = ga_node_map_setn_take(*out, k, klen, s)) < 0)
			return err;
	}
	return 0;
}

/* Copy the fields @keys of the configuration (those present) into @to. */
int ga_kust__pcfg_copy_fields(const struct ga_kust_plugin *p, ga_node *to,
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
int ga_kust__pcfg_as_kustomization(const struct ga_kust_plugin *p,
                                   const char *field, ga_node *value,
                                   ga_kust_file **out)
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
int ga_kust__pcfg_list_of(ga_node **out, ga_node *item)
{
	int err;

	if ((err = ga_node_new_list(out)) < 0) {
		ga_node_free(item);
		return err;
	}
	return ga_node_list_append_take(*out, item);
}
