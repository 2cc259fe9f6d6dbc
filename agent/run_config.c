/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The configuration in force and its reload: read the mounted file or
 * the ConfigMap through the API (a cheap GET every few seconds, and at
 * SIGHUP), and when the text changed, parse it whole; swap it in only
 * when valid (OpenBSD bgpd's parse-then-merge).  A rejected text is
 * reported once (log, Event, metric, status) with the parser's message
 * ("ORIGIN:LINE: KEY: why") and the previous configuration stays in
 * force.  Also the webhook's shared secret, read from its Secret.
 */
#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/fs.h"
#include "ga/log.h"
#include "run.h"
#include "run_config.h"

#define CONFIG_MAX ((size_t)1 << 20)
#define TOKEN_MAX 4096

/* The configuration's text and origin; *@text owned by the caller. */
static int read_text(ga_agent *a, char **text, char *origin, size_t cap)
{
	ga_buf b = GA_BUF_INIT(CONFIG_MAX);
	ga_node *cm = NULL;
	const ga_node *v;
	int err = 0;

	if (a->config_file) {
		(void)snprintf(origin, cap, "%s", a->config_file);
		err = ga_file_read(&b, a->config_file);
	} else {
		(void)snprintf(origin, cap, "configmap %s/%s", a->cm_ns,
		               a->cm_name);
		if ((err = ga_kube_get(a->kube, "v1", "ConfigMap", a->cm_ns,
		                       a->cm_name, &cm)) < 0)
			goto out;
		v = ga_node_map_get(ga_node_map_get(cm, "data"), GA_CONFIG_KEY);
		if (ga_node_type_of(v) != GA_NODE_STRING) {
			ga_error_set(GA_ERRCLASS_CONFIG,
			             "%s: data." GA_CONFIG_KEY " is missing",
			             origin);
			err = GA_EINVALID;
			goto out;
		}
		err = ga_buf_put(&b, ga_node_str(v), ga_node_str_len(v));
	}
out:
	if (err == 0 && !(*text = ga_buf_detach(&b)))
		err = GA_ENOMEM;
	ga_node_free(cm);
	ga_buf_dispose(&b);
	return err;
}

static void reject(ga_agent *a, const char *why)
{
	ga_log_field f[] = {{"reason", "ConfigRejected"}};

	ga_free(a->config_error);
	a->config_error = ga_strdup(why);
	GA_LOG(GA_LOG_ERROR, f, 1, "configuration rejected, %s: %s",
	       a->config ? "the previous one stays in force"
	                 : "no configuration in force",
	       why);
	ga_serve_count_config_rejected(a->serve);
	ga_status_event(a, true, "ConfigRejected", "%s", why);
	(void)ga_status_write(a, NULL);
	ga_error_clear();
}

static int token_of(void *payload, const char *key, const char *value,
                    size_t len)
{
	ga_buf *b = payload;

	if (strcmp(key, "token") != 0)
		return 0;
	return ga_buf_put(b, value, len);
}

void ga_run_webhook_reload(ga_agent *a)
{
	ga_buf token = GA_BUF_INIT(TOKEN_MAX);
	const ga_config *c = a->config;
	int err;

	if (!c || !c->webhook.type) {
		ga_serve_set_webhook(a->serve, NULL, NULL, 0);
		return;
	}
	err = ga_run_read_secret(a, c->webhook.secret_ref, token_of, &token);
	if (err < 0 || token.size == 0) {
		GA_LOG(GA_LOG_WARN, NULL, 0,
		       "webhook receiver off: secret %s/%s: %s", a->ns,
		       c->webhook.secret_ref,
		       err < 0 ? ga_error_last()->message : "no data.token");
		ga_error_clear();
		ga_serve_set_webhook(a->serve, NULL, NULL, 0);
	} else {
		ga_serve_set_webhook(a->serve, c->webhook.type, token.ptr,
		                     token.size);
	}
	ga_buf_dispose(&token);
}

bool ga_run_config_poll(ga_agent *a)
{
	ga_config *next = NULL;
	char *text = NULL, origin[600];
	bool swapped = false;

	if (read_text(a, &text, origin, sizeof(origin)) < 0 || !text) {
		/* Unreadable is not a new configuration: keep what runs. */
		GA_LOG(GA_LOG_WARN, NULL, 0, "configuration not read: %s",
		       ga_error_last()->message);
		ga_error_clear();
		return false;
	}
	if (a->config_text && strcmp(text, a->config_text) == 0) {
		ga_free(text);
		return false;
	}
	ga_free(a->config_text);
	a->config_text = text;
	if (ga_config_parse(&next, text, strlen(text), origin) < 0) {
		reject(a, ga_error_last()->message);
		return false;
	}
	ga_config_free(a->config);
	a->config = next;
	swapped = true;
	if (a->config_error) {
		ga_free(a->config_error);
		a->config_error = NULL;
		ga_status_event(a, false, "ConfigAccepted",
		                "a valid configuration from %s is in force",
		                origin);
	}
	GA_LOG(GA_LOG_INFO, NULL, 0, "configuration from %s in force", origin);
	ga_run_webhook_reload(a);
	return swapped;
}
