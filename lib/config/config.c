/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The agent's configuration (ga/config.h): a strict reader over the YAML
 * nodes, which keep their lines.  Each section is a table of the keys it
 * allows; a key not in the table, a value of the wrong type or out of
 * range fails the whole configuration with "ORIGIN:LINE: KEY: why".
 * Defaults are set first, so an absent key keeps its default.
 */
#include "ga/config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config_int.h"
#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/yaml.h"

/* The largest configuration read: a ConfigMap holds at most 1 MiB. */
#define MAX_TEXT ((size_t)1 << 20)

int ga_config__fail(const ga_config__ctx *cx, const ga_node *at,
                    const char *key, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	ga_error_set(GA_ERRCLASS_CONFIG, "%s:%u: %s: %s", cx->origin,
	             at ? (unsigned)ga_node_line(at) : 0u, key, why);
	return GA_EINVALID;
}

int ga_config__walk(const ga_config__ctx *cx, const ga_node *map,
                    const char *section, const ga_config__key *keys,
                    void *target)
{
	if (ga_node_type_of(map) != GA_NODE_MAP)
		return ga_config__fail(cx, map, section, "must be a mapping");
	for (size_t i = 0; i < ga_node_count(map); i++) {
		const char *name = ga_node_map_key(map, i, NULL);
		const ga_node *value = ga_node_map_value(map, i);
		char path[128];
		const ga_config__key *k = keys;
		int err;

		(void)snprintf(path, sizeof(path), "%s%s%s", section,
		               section[0] ? "." : "", name);
		while (k->name && strcmp(k->name, name) != 0)
			k++;
		if (!k->name)
			return ga_config__fail(cx, value, path, "unknown key");
		if ((err = k->read(cx, value, path, target)) < 0)
			return err;
	}
	return 0;
}

int ga_config__string(const ga_config__ctx *cx, const ga_node *v,
                      const char *key, char **out)
{
	char *s;

	if (ga_node_type_of(v) != GA_NODE_STRING || ga_node_str_len(v) == 0)
		return ga_config__fail(cx, v, key,
		                       "must be a non-empty string");
	if (strlen(ga_node_str(v)) != ga_node_str_len(v))
		return ga_config__fail(cx, v, key, "holds a NUL byte");
	if (!(s = ga_strdup(ga_node_str(v))))
		return GA_ENOMEM;
	ga_free(*out);
	*out = s;
	return 0;
}

/* The top level's keys; the sections are in config_sections.c. */
static const ga_config__key top_keys[] = {
    {"source", ga_config__read_source},
    {"environment", ga_config__read_environment},
    {"path", ga_config__read_path},
    {"targetNamespace", ga_config__read_namespace},
    {"customize", ga_config__read_customize},
    {"prune", ga_config__read_prune},
    {"webhook", ga_config__read_webhook},
    {NULL, NULL},
};

static int parse_doc(ga_config *c, const ga_config__ctx *cx,
                     const ga_node *docs)
{
	const ga_node *doc;
	int err;

	if (ga_node_count(docs) != 1)
		return ga_config__fail(cx, NULL, GA_CONFIG_KEY,
		                       "must hold exactly one YAML document");
	doc = ga_node_list_get(docs, 0);
	if ((err = ga_config__walk(cx, doc, "", top_keys, c)) < 0)
		return err;
	return ga_config__finish(c, cx, doc);
}

int ga_config_parse(ga_config **out, const char *text, size_t len,
                    const char *origin)
{
	ga_config__ctx cx = {origin};
	ga_node *docs = NULL;
	ga_config *c;
	int err;

	if (len > MAX_TEXT) {
		ga_error_set(GA_ERRCLASS_CONFIG, "%s: over %zu bytes", origin,
		             MAX_TEXT);
		return GA_ELIMIT;
	}
	if (!(c = ga_calloc(1, sizeof(*c))))
		return GA_ENOMEM;
	ga_config__defaults(c);
	if ((err = ga_yaml_parse(&docs, text, len, origin, NULL)) < 0 ||
	    (err = parse_doc(c, &cx, docs)) < 0) {
		ga_config_free(c);
		c = NULL;
	}
	ga_node_free(docs);
	if (c)
		*out = c;
	return err;
}

int ga_config_from_configmap(ga_config **out, const ga_node *cm,
                             const char *origin)
{
	const ga_node *data = ga_node_type_of(cm) == GA_NODE_MAP
	                          ? ga_node_map_get(cm, "data")
	                          : NULL;
	const ga_node *text = data && ga_node_type_of(data) == GA_NODE_MAP
	                          ? ga_node_map_get(data, GA_CONFIG_KEY)
	                          : NULL;

	if (!text || ga_node_type_of(text) != GA_NODE_STRING) {
		ga_error_set(GA_ERRCLASS_CONFIG, "%s: no data key %s", origin,
		             GA_CONFIG_KEY);
		return GA_EINVALID;
	}
	return ga_config_parse(out, ga_node_str(text), ga_node_str_len(text),
	                       origin);
}

void ga_config_free(ga_config *c)
{
	if (!c)
		return;
	ga_free(c->source.url);
	ga_free(c->source.ref);
	ga_free(c->source.secret_ref);
	ga_free(c->source.verify_mode);
	ga_free(c->source.keys_secret_ref);
	ga_free(c->source.allowed_signers_secret_ref);
	ga_free(c->environment);
	ga_free(c->path);
	ga_free(c->target_namespace);
	ga_node_free(c->customize);
	ga_free(c->webhook.type);
	ga_free(c->webhook.secret_ref);
	ga_free(c);
}
