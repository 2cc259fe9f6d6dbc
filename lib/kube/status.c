/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The API server's answers that are not objects: Status bodies turned
 * into our error codes and messages (reason, message and each cause with
 * its field), and request paths built from a resource and a name.
 */
#include <stdio.h>
#include <string.h>

#include "ga/error.h"
#include "ga/json.h"
#include "kube_int.h"

const char *ga_kube__str(const ga_node *map, const char *key, const char *dflt)
{
	const ga_node *v = map && ga_node_type_of(map) == GA_NODE_MAP
	                       ? ga_node_map_get(map, key)
	                       : NULL;

	return v && ga_node_str(v) ? ga_node_str(v) : dflt;
}

/* metav1.StatusReason → our code; the HTTP status decides the rest. */
static int code_for(const char *reason, long http)
{
	static const struct {
		const char *reason;
		int code;
	} map[] = {
	    {"NotFound", GA_ENOTFOUND},
	    {"AlreadyExists", GA_EEXISTS},
	    {"Conflict", GA_ECONFLICT},
	    {"Invalid", GA_EINVALID},
	    {"BadRequest", GA_EINVALID},
	    {"Unauthorized", GA_EAUTH},
	    {"Forbidden", GA_EAUTH},
	    {"TooManyRequests", GA_ERETRY},
	    {"ServerTimeout", GA_ERETRY},
	    {"Timeout", GA_ERETRY},
	    {"ServiceUnavailable", GA_ERETRY},
	    {"InternalError", GA_ERETRY},
	    {"Expired", GA_ECONFLICT},
	    {"Gone", GA_ECONFLICT},
	    {"MethodNotAllowed", GA_EUNSUPPORTED},
	    {"UnsupportedMediaType", GA_EUNSUPPORTED},
	    {"NotAcceptable", GA_EUNSUPPORTED},
	    {"RequestEntityTooLarge", GA_ELIMIT},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(reason, map[i].reason) == 0)
			return map[i].code;
	if (http == 404)
		return GA_ENOTFOUND;
	if (http == 409)
		return GA_ECONFLICT;
	if (http == 401 || http == 403)
		return GA_EAUTH;
	if (http == 422 || http == 400)
		return GA_EINVALID;
	if (http == 429 || http >= 500)
		return GA_ERETRY;
	return GA_ERROR;
}

int ga_kube__status_error(long http, const char *body, size_t len,
                          const char *what)
{
	ga_buf msg = GA_BUF_INIT(8192);
	ga_node *doc = NULL;
	const ga_node *details, *causes;
	const char *reason = "", *message = "";
	int code;

	/* A Status when the server says so; anything else (a proxy's HTML
	 * page) is shown by its first bytes only. */
	if (len && ga_json_parse(&doc, body, len, "response") == 0 &&
	    strcmp(ga_kube__str(doc, "kind", ""), "Status") == 0) {
		reason = ga_kube__str(doc, "reason", "");
		message = ga_kube__str(doc, "message", "");
	} else {
		ga_error_clear();
	}
	code = code_for(reason, http);
	if (reason[0])
		ga_buf_printf(&msg, "%s: %s%s%s", what, reason,
		              message[0] ? ": " : "", message);
	else if (message[0])
		ga_buf_printf(&msg, "%s: HTTP %ld: %s", what, http, message);
	else
		ga_buf_printf(&msg, "%s: HTTP %ld%s%.*s", what, http,
		              len ? ": " : "", (int)(len > 200 ? 200 : len),
		              len ? body : "");
	details = doc ? ga_node_map_get(doc, "details") : NULL;
	causes = details ? ga_node_map_get(details, "causes") : NULL;
	for (size_t i = 0; causes && i < ga_node_count(causes) && i < 16; i++) {
		const ga_node *c = ga_node_list_get(causes, i);
		const char *field = ga_kube__str(c, "field", "");

		/* The message usually repeats the causes; only add those
		 * it does not already hold. */
		if (strstr(message, ga_kube__str(c, "message", "")))
			continue;
		ga_buf_printf(&msg, "; %s%s%s", field, field[0] ? ": " : "",
		              ga_kube__str(c, "message", ""));
	}
	ga_error_set(GA_ERRCLASS_KUBE, "%s",
	             msg.err ? what : ga_buf_cstr(&msg));
	ga_buf_dispose(&msg);
	ga_node_free(doc);
	return code;
}

/* A path segment: what a name may hold that a URL path may not carry as
 * it is is encoded, so no name can reach another path. */
static void segment(ga_buf *out, const char *s)
{
	ga_buf_putc(out, '/');
	ga_buf_put_percent(out, s, ":@");
}

int ga_kube__path(ga_buf *out, const ga_kube_resource *r, const char *ns,
                  const char *name)
{
	if (r->group[0])
		ga_buf_printf(out, "/apis/%s/%s", r->group, r->version);
	else
		ga_buf_printf(out, "/api/%s", r->version);
	if (r->namespaced && ns && ns[0]) {
		ga_buf_puts(out, "/namespaces");
		segment(out, ns);
	}
	segment(out, r->plural);
	if (name && name[0])
		segment(out, name);
	return out->err;
}

void ga_kube__query_escape(ga_buf *out, const char *s)
{
	ga_buf_put_percent(out, s, "");
}

void ga_kube__query(ga_buf *path, const char *key, const char *value)
{
	ga_buf_printf(path, "%c%s=", strchr(ga_buf_cstr(path), '?') ? '&' : '?',
	              key);
	ga_buf_put_percent(path, value, "");
}
