/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config-check FILE NAMESPACE/NAME: run the agent's own configuration
 * parser (ga_config_from_configmap, lib/config) on the ConfigMap
 * NAMESPACE/NAME found among the YAML documents of FILE, as the agent
 * reads it at start and on every change.  FILE is what `kubectl
 * kustomize manifests/` prints, so the check is on the installed object.
 *
 * Exit 0 and one line per chosen setting when the configuration is
 * accepted; 1 with the parser's message ("ORIGIN:LINE: KEY: why") when it
 * is refused or the ConfigMap is missing; 2 on a usage error.
 */
#include <stdio.h>
#include <string.h>

#include "ga/buf.h"
#include "ga/config.h"
#include "ga/error.h"
#include "ga/fs.h"
#include "ga/node.h"
#include "ga/yaml.h"

/* The largest manifest stream read: the install is a few hundred KiB. */
#define MAX_INPUT ((size_t)16 << 20)

static const char *field(const ga_node *obj, const char *a, const char *b)
{
	const ga_node *n = ga_node_map_get(obj, a);

	if (n && b)
		n = ga_node_type_of(n) == GA_NODE_MAP ? ga_node_map_get(n, b)
		                                      : NULL;
	return n && ga_node_type_of(n) == GA_NODE_STRING ? ga_node_str(n)
	                                                 : NULL;
}

/* The ConfigMap @ns/@name among @docs, or NULL. */
static const ga_node *find(const ga_node *docs, const char *ns,
                           const char *name)
{
	for (size_t i = 0; i < ga_node_count(docs); i++) {
		const ga_node *d = ga_node_list_get(docs, i);
		const char *kind, *n, *s;

		if (ga_node_type_of(d) != GA_NODE_MAP)
			continue;
		kind = field(d, "kind", NULL);
		n = field(d, "metadata", "name");
		s = field(d, "metadata", "namespace");
		if (kind && strcmp(kind, "ConfigMap") == 0 && n &&
		    strcmp(n, name) == 0 && s && strcmp(s, ns) == 0)
			return d;
	}
	return NULL;
}

static void print(const ga_config *c)
{
	const char *none = "(none)";

	printf("source.url %s\n", c->source.url);
	printf("source.%s %s\n", c->source.ref_kind, c->source.ref);
	printf("source.interval_ms %llu\n",
	       (unsigned long long)c->source.interval_ms);
	printf("source.timeout_ms %llu\n",
	       (unsigned long long)c->source.timeout_ms);
	printf("source.secretRef %s\n",
	       c->source.secret_ref ? c->source.secret_ref : none);
	printf("source.verify.mode %s\n", c->source.verify_mode);
	printf("source.verify.keysSecretRef %s\n", c->source.keys_secret_ref);
	printf("path %s\n", c->path);
	printf("targetNamespace %s\n",
	       c->target_namespace ? c->target_namespace : none);
	printf("customize %s\n", c->customize ? "yes" : "no");
	printf("prune.enabled %s\n", c->prune.enabled ? "true" : "false");
	printf("prune.maxPercent %u\n", c->prune.max_percent);
	printf("webhook.type %s\n", c->webhook.type ? c->webhook.type : none);
}

static int check(const char *path, const char *ns, const char *name)
{
	ga_buf text = GA_BUF_INIT(MAX_INPUT);
	ga_node *docs = NULL;
	ga_config *c = NULL;
	const ga_node *cm;
	char origin[320];
	int rc = 1;

	if (ga_file_read(&text, path) < 0 ||
	    ga_yaml_parse(&docs, text.ptr, text.size, path, NULL) < 0) {
		fprintf(stderr, "config-check: %s\n", ga_error_last()->message);
		goto out;
	}
	if (!(cm = find(docs, ns, name))) {
		fprintf(stderr, "config-check: %s: no ConfigMap %s/%s\n", path,
		        ns, name);
		goto out;
	}
	(void)snprintf(origin, sizeof(origin), "configmap %s/%s", ns, name);
	if (ga_config_from_configmap(&c, cm, origin) < 0) {
		fprintf(stderr, "config-check: %s\n", ga_error_last()->message);
		goto out;
	}
	print(c);
	rc = 0;
out:
	ga_config_free(c);
	ga_node_free(docs);
	ga_buf_dispose(&text);
	return rc;
}

int main(int argc, char **argv)
{
	char ns[64];
	const char *slash = argc == 3 ? strchr(argv[2], '/') : NULL;

	if (!slash || slash == argv[2] || !slash[1] ||
	    (size_t)(slash - argv[2]) >= sizeof(ns)) {
		fprintf(stderr, "usage: config-check FILE NAMESPACE/NAME\n");
		return 2;
	}
	memcpy(ns, argv[2], (size_t)(slash - argv[2]));
	ns[slash - argv[2]] = '\0';
	return check(argv[1], ns, slash + 1);
}
