/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The sections of the agent's configuration: the Git source and its
 * verification, where the distribution is, the target namespace, prune
 * and the push webhook.  Names of Secrets and namespaces are checked as
 * the API server would check them, durations as Go parses them, the URL
 * as the Git source parses it (credentials in it are refused: they
 * belong in the Secret), the verification mode and webhook type by
 * their own parsers.
 */
#include <stdio.h>
#include <string.h>

#include "config_int.h"
#include "ga/alloc.h"
#include "ga/duration.h"
#include "ga/error.h"
#include "ga/gitverify.h"
#include "ga/webhook.h"
#include "git/url.h"

/* DNS-1123: a label (namespaces, 63) or a subdomain (Secrets, 253). */
static bool dns_name(const char *s, bool label)
{
	size_t len = strlen(s);

	if (!len || len > (label ? 63u : 253u) || s[0] == '-' ||
	    s[len - 1] == '-' || s[0] == '.' || s[len - 1] == '.')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || (!label && *s == '.')))
			return false;
	return true;
}

static int name(const ga_config__ctx *cx, const ga_node *v, const char *key,
                char **out, bool label)
{
	int err = ga_config__string(cx, v, key, out);

	if (!err && !dns_name(*out, label))
		return ga_config__fail(cx, v, key,
		                       "\"%.64s\" is not a valid %s name", *out,
		                       label ? "namespace" : "object");
	return err;
}

static int duration(const ga_config__ctx *cx, const ga_node *v, const char *key,
                    uint64_t *out)
{
	const char *s =
	    ga_node_type_of(v) == GA_NODE_STRING ? ga_node_str(v) : NULL;

	if (!s || ga_duration_parse_ms(out, s) < 0 || *out < 1000) {
		ga_error_clear();
		return ga_config__fail(cx, v, key,
		                       "must be a duration of 1s or more "
		                       "(\"30s\", \"5m\")");
	}
	return 0;
}

static int boolean(const ga_config__ctx *cx, const ga_node *v, const char *key,
                   bool *out)
{
	if (ga_node_type_of(v) != GA_NODE_BOOL)
		return ga_config__fail(cx, v, key, "must be true or false");
	*out = ga_node_bool(v);
	return 0;
}

/* ---- source --------------------------------------------------------- */

static int read_url(const ga_config__ctx *cx, const ga_node *v, const char *key,
                    void *target)
{
	ga_config *c = target;
	ga_git__url url;
	int err;

	if ((err = ga_config__string(cx, v, key, &c->source.url)) < 0)
		return err;
	if (ga_git__url_parse(&url, c->source.url) < 0) {
		char why[256];
		(void)snprintf(why, sizeof(why), "%s",
		               ga_error_last()->message);
		return ga_config__fail(cx, v, key, "%s", why);
	}
	if (url.has_password)
		return ga_config__fail(
		    cx, v, key,
		    "holds a password: credentials belong in "
		    "the Secret source.secretRef names");
	return 0;
}

/* branch, tag, semver, commit: one at most. */
static int read_ref(const ga_config__ctx *cx, const ga_node *v, const char *key,
                    ga_config *c)
{
	const char *kind = strrchr(key, '.') + 1;

	if (c->source.ref)
		return ga_config__fail(cx, v, key,
		                       "only one of branch, tag, semver and "
		                       "commit may be given");
	c->source.ref_kind = strcmp(kind, "branch") == 0   ? "branch"
	                     : strcmp(kind, "tag") == 0    ? "tag"
	                     : strcmp(kind, "semver") == 0 ? "semver"
	                                                   : "commit";
	return ga_config__string(cx, v, key, &c->source.ref);
}

static int read_branch(const ga_config__ctx *cx, const ga_node *v,
                       const char *key, void *target)
{
	return read_ref(cx, v, key, target);
}

static int read_interval(const ga_config__ctx *cx, const ga_node *v,
                         const char *key, void *target)
{
	return duration(cx, v, key, &((ga_config *)target)->source.interval_ms);
}

static int read_timeout(const ga_config__ctx *cx, const ga_node *v,
                        const char *key, void *target)
{
	return duration(cx, v, key, &((ga_config *)target)->source.timeout_ms);
}

static int read_secret(const ga_config__ctx *cx, const ga_node *v,
                       const char *key, void *target)
{
	return name(cx, v, key, &((ga_config *)target)->source.secret_ref,
	            false);
}

static int read_mode(const ga_config__ctx *cx, const ga_node *v,
                     const char *key, void *target)
{
	ga_config *c = target;
	ga_gitverify_mode mode;
	int err;

	if ((err = ga_config__string(cx, v, key, &c->source.verify_mode)) < 0)
		return err;
	if (ga_gitverify_mode_parse(&mode, c->source.verify_mode) < 0) {
		ga_error_clear();
		return ga_config__fail(cx, v, key,
		                       "must be head, tag, tag-and-head or "
		                       "range");
	}
	return 0;
}

static int read_keys(const ga_config__ctx *cx, const ga_node *v,
                     const char *key, void *target)
{
	return name(cx, v, key, &((ga_config *)target)->source.keys_secret_ref,
	            false);
}

static int read_signers(const ga_config__ctx *cx, const ga_node *v,
                        const char *key, void *target)
{
	return name(cx, v, key,
	            &((ga_config *)target)->source.allowed_signers_secret_ref,
	            false);
}

static int read_verify(const ga_config__ctx *cx, const ga_node *v,
                       const char *key, void *target)
{
	static const ga_config__key keys[] = {
	    {"mode", read_mode},
	    {"keysSecretRef", read_keys},
	    {"allowedSignersSecretRef", read_signers},
	    {NULL, NULL},
	};
	return ga_config__walk(cx, v, key, keys, target);
}

int ga_config__read_source(const ga_config__ctx *cx, const ga_node *v,
                           const char *key, void *target)
{
	static const ga_config__key keys[] = {
	    {"url", read_url},         {"branch", read_branch},
	    {"tag", read_branch},      {"semver", read_branch},
	    {"commit", read_branch},   {"interval", read_interval},
	    {"timeout", read_timeout}, {"secretRef", read_secret},
	    {"verify", read_verify},   {NULL, NULL},
	};
	return ga_config__walk(cx, v, key, keys, target);
}

/* ---- the distribution -------------------------------------------------- */

int ga_config__read_environment(const ga_config__ctx *cx, const ga_node *v,
                                const char *key, void *target)
{
	ga_config *c = target;
	int err;

	if ((err = ga_config__string(cx, v, key, &c->environment)) < 0)
		return err;
	if (strcmp(c->environment, "kubernetes") != 0 &&
	    strcmp(c->environment, "istio") != 0 &&
	    strcmp(c->environment, "linkerd") != 0)
		return ga_config__fail(cx, v, key,
		                       "must be kubernetes, istio or linkerd");
	return 0;
}

/* A relative path that stays inside the repository. */
int ga_config__read_path(const ga_config__ctx *cx, const ga_node *v,
                         const char *key, void *target)
{
	ga_config *c = target;
	const char *p;
	int err;

	if ((err = ga_config__string(cx, v, key, &c->path)) < 0)
		return err;
	if (c->path[0] == '/')
		return ga_config__fail(cx, v, key,
		                       "must be relative to the repository");
	for (p = c->path; p; p = strchr(p, '/'), p = p ? p + 1 : NULL)
		if (strncmp(p, "..", 2) == 0 && (p[2] == '/' || !p[2]))
			return ga_config__fail(
			    cx, v, key,
			    "must stay inside the repository "
			    "(no \"..\")");
	return 0;
}

int ga_config__read_namespace(const ga_config__ctx *cx, const ga_node *v,
                              const char *key, void *target)
{
	return name(cx, v, key, &((ga_config *)target)->target_namespace, true);
}

/* ---- prune and webhook ----------------------------------------------- */

static int read_enabled(const ga_config__ctx *cx, const ga_node *v,
                        const char *key, void *target)
{
	return boolean(cx, v, key, &((ga_config *)target)->prune.enabled);
}

static int read_percent(const ga_config__ctx *cx, const ga_node *v,
                        const char *key, void *target)
{
	if (ga_node_type_of(v) != GA_NODE_INT || ga_node_int(v) < 0 ||
	    ga_node_int(v) > 100)
		return ga_config__fail(cx, v, key,
		                       "must be a whole number from 0 to 100");
	((ga_config *)target)->prune.max_percent = (unsigned)ga_node_int(v);
	return 0;
}

static int read_namespaces(const ga_config__ctx *cx, const ga_node *v,
                           const char *key, void *target)
{
	return boolean(cx, v, key, &((ga_config *)target)->prune.namespaces);
}

static int read_crds(const ga_config__ctx *cx, const ga_node *v,
                     const char *key, void *target)
{
	return boolean(cx, v, key, &((ga_config *)target)->prune.crds);
}

static int read_volumes(const ga_config__ctx *cx, const ga_node *v,
                        const char *key, void *target)
{
	return boolean(cx, v, key, &((ga_config *)target)->prune.volumes);
}

int ga_config__read_prune(const ga_config__ctx *cx, const ga_node *v,
                          const char *key, void *target)
{
	static const ga_config__key keys[] = {
	    {"enabled", read_enabled},       {"maxPercent", read_percent},
	    {"namespaces", read_namespaces}, {"crds", read_crds},
	    {"volumes", read_volumes},       {NULL, NULL},
	};
	return ga_config__walk(cx, v, key, keys, target);
}

static int read_type(const ga_config__ctx *cx, const ga_node *v,
                     const char *key, void *target)
{
	ga_config *c = target;
	ga_webhook_type type;
	int err;

	if ((err = ga_config__string(cx, v, key, &c->webhook.type)) < 0)
		return err;
	if (ga_webhook_type_parse(c->webhook.type, &type) < 0) {
		ga_error_clear();
		return ga_config__fail(
		    cx, v, key, "must be github, gitlab or generic-hmac");
	}
	return 0;
}

static int read_hook_secret(const ga_config__ctx *cx, const ga_node *v,
                            const char *key, void *target)
{
	return name(cx, v, key, &((ga_config *)target)->webhook.secret_ref,
	            false);
}

int ga_config__read_webhook(const ga_config__ctx *cx, const ga_node *v,
                            const char *key, void *target)
{
	static const ga_config__key keys[] = {
	    {"type", read_type},
	    {"secretRef", read_hook_secret},
	    {NULL, NULL},
	};
	return ga_config__walk(cx, v, key, keys, target);
}

/* ---- defaults and what needs the whole ---------------------------------- */

void ga_config__defaults(ga_config *c)
{
	c->source.ref_kind = "branch";
	c->source.interval_ms = 60000; /* Flux's usual GitRepository interval */
	c->source.timeout_ms = 60000;  /* and its default timeout */
	c->prune.enabled = true;
	c->prune.max_percent = 50;
}

/*
 * A branch is a history the agent follows, so by default every commit it
 * adds since the last applied one must be signed and the new tip must
 * descend from that one: a signed commit pushed on top of an unsigned
 * one, or a signed force-push, is refused.  A tag, a semver range or a
 * pinned commit names one release, not a history: its commit alone is
 * checked unless the operator asks for range.
 */
static const char *default_mode(const char *ref_kind)
{
	return strcmp(ref_kind, "branch") == 0 ? "range" : "head";
}

int ga_config__finish(ga_config *c, const ga_config__ctx *cx,
                      const ga_node *doc)
{
	char path[64];

	if (!c->source.url)
		return ga_config__fail(cx, doc, "source.url", "is required");
	if (!c->source.keys_secret_ref && !c->source.allowed_signers_secret_ref)
		return ga_config__fail(
		    cx, doc, "source.verify.keysSecretRef",
		    "is required (or allowedSignersSecretRef): every revision "
		    "is verified");
	if (!c->environment && !c->path)
		return ga_config__fail(cx, doc, "environment",
		                       "is required (or path)");
	if (c->webhook.type && !c->webhook.secret_ref)
		return ga_config__fail(cx, doc, "webhook.secretRef",
		                       "is required with webhook.type");
	if (c->webhook.secret_ref && !c->webhook.type)
		return ga_config__fail(cx, doc, "webhook.type",
		                       "is required with webhook.secretRef");
	if (!c->source.ref && !(c->source.ref = ga_strdup("main")))
		return GA_ENOMEM;
	if (!c->source.verify_mode && !(c->source.verify_mode = ga_strdup(
	                                    default_mode(c->source.ref_kind))))
		return GA_ENOMEM;
	if (!c->path) {
		(void)snprintf(path, sizeof(path), "dist/app-%s",
		               c->environment);
		if (!(c->path = ga_strdup(path)))
			return GA_ENOMEM;
	}
	return 0;
}
