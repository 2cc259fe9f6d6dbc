/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The builtin generators a `generators` entry may configure:
 * ConfigMapGenerator and SecretGenerator through the code that builds
 * configMapGenerator and secretGenerator, and IAMPolicyGenerator.
 */
#include "plugins_int.h"

#include <stdio.h>
#include <string.h>

#include "buildmeta.h"
#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "ga/yaml.h"

/* ConfigMapGenerator and SecretGenerator: their arguments, the name and
 * namespace falling back to the configuration's metadata. */
static int generator(struct ga_kust_plugin *p, bool secret)
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
	    (err = ga_kust__pcfg_copy_fields(p, args, keys, secret ? 9 : 8)) <
	        0)
		goto fail;
	for (size_t i = 0; i < 2; i++) {
		const char *key = i ? "namespace" : "name";
		const char *have = ga_kust__pcfg_str(p, args, key);
		const char *from = meta ? ga_kust__pcfg_str(p, meta, key) : "";

		if (have && have[0])
			continue;
		if (!from) {
			err = ga_kust__pcfg_fail(
			    p, "metadata.%s: expected a string", key);
			goto fail;
		}
		if (from[0] &&
		    ((err = ga_node_new_string(&v, from, strlen(from))) < 0 ||
		     (err = ga_node_map_set_take(args, key, v)) < 0))
			goto fail;
	}
	if ((err = ga_kust__pcfg_list_of(&list, args)) < 0 ||
	    (err = ga_kust__pcfg_as_kustomization(
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
int ga_kust__plugin_iam_policy(struct ga_kust_plugin *p)
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
	if ((err = ga_kust__pcfg_want_str(p, p->cfg, "cloud", &cloud)) < 0 ||
	    (err = ga_kust__pcfg_want_str(p, ks, "name", &name)) < 0 ||
	    (err = ga_kust__pcfg_want_str(p, ks, "namespace", &ns)) < 0 ||
	    (err = ga_kust__pcfg_want_str(p, sa, "name", &gsa)) < 0 ||
	    (err = ga_kust__pcfg_want_str(p, sa, "projectId", &project)) < 0)
		return err;
	if (strcmp(cloud, "gke") != 0)
		return ga_kust__pcfg_fail(
		    p, "cloud provider %s not supported yet", cloud);
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
		err = ga_kust__pcfg_fail(
		    p, "the generated ServiceAccount has no name");
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

int ga_kust__plugin_configmap(struct ga_kust_plugin *p)
{
	return generator(p, false);
}

int ga_kust__plugin_secret(struct ga_kust_plugin *p)
{
	return generator(p, true);
}
