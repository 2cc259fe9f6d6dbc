/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Answers: objects as JSON, and failures as the meta/v1 Status that
 * kube-apiserver writes (k8s.io/apimachinery/pkg/api/errors): kind Status,
 * apiVersion v1, empty metadata, status Failure, message, reason, details
 * {name, group, kind, causes} and the HTTP code again as "code".  Clients
 * match on reason and details, and kubectl prints the message verbatim
 * ("Error from server (NotFound): ..."), so the messages follow the
 * server's wording.
 */
#include "kubesim.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ga/error.h"
#include "ga/json.h"

void ks_status_set(ks_status *st, unsigned code, const char *reason,
                   const char *fmt, ...)
{
	va_list ap;

	memset(st, 0, sizeof(*st));
	st->code = code;
	st->reason = reason;
	va_start(ap, fmt);
	(void)vsnprintf(st->message, sizeof(st->message), fmt, ap);
	va_end(ap);
}

void ks_status_details(ks_status *st, const ks_resource *res, const char *name,
                       bool use_kind)
{
	st->has_details = true;
	(void)snprintf(st->name, sizeof(st->name), "%s", name ? name : "");
	st->group = res->group[0] ? res->group : NULL;
	st->kind = use_kind ? res->kind : res->plural;
}

void ks_status_not_found(ks_status *st, const ks_resource *res,
                         const char *name)
{
	ks_status_set(st, 404, "NotFound", "%s%s%s \"%s\" not found",
	              res->plural, res->group[0] ? "." : "", res->group, name);
	ks_status_details(st, res, name, false);
}

int ks_status_invalid(ks_status *st, const ks_resource *res, const char *name,
                      const char *field, const char *cause, const char *msg)
{
	/* The message names the qualified kind ("Deployment.apps"). */
	ks_status_set(st, 422, "Invalid", "%s%s%s \"%s\" is invalid: %s: %s",
	              res->kind, res->group[0] ? "." : "", res->group, name,
	              field, msg);
	ks_status_details(st, res, name, true);
	(void)snprintf(st->field, sizeof(st->field), "%s", field);
	st->cause = cause;
	(void)snprintf(st->cause_msg, sizeof(st->cause_msg), "%s", msg);
	return GA_EINVALID;
}

/* Append ,"key":"value" with @value quoted. */
static void put_field(ga_buf *b, const char *key, const char *value, bool comma)
{
	(void)ga_buf_printf(b, "%s\"%s\":", comma ? "," : "", key);
	(void)ga_json_quote(b, value);
}

static void put_details(ga_buf *b, const ks_status *st)
{
	bool comma = false;

	(void)ga_buf_puts(b, ",\"details\":{");
	if (st->name[0]) {
		put_field(b, "name", st->name, comma);
		comma = true;
	}
	if (st->group) {
		put_field(b, "group", st->group, comma);
		comma = true;
	}
	if (st->kind) {
		put_field(b, "kind", st->kind, comma);
		comma = true;
	}
	if (st->causes) {
		(void)ga_buf_printf(b, "%s\"causes\":", comma ? "," : "");
		(void)ga_buf_puts(b, st->causes);
		comma = true;
	} else if (st->field[0]) {
		(void)ga_buf_printf(b, "%s\"causes\":[{", comma ? "," : "");
		put_field(b, "reason", st->cause, false);
		put_field(b, "message", st->cause_msg, true);
		put_field(b, "field", st->field, true);
		(void)ga_buf_puts(b, "}]");
		comma = true;
	}
	if (st->retry_after)
		(void)ga_buf_printf(b, "%s\"retryAfterSeconds\":%u",
		                    comma ? "," : "", st->retry_after);
	(void)ga_buf_putc(b, '}');
}

int ks_reply_status_to(ga_httpd_response *resp, const ks_status *st)
{
	ga_buf *b = ga_httpd_response_body(resp);

	ga_buf_clear(b);
	(void)ga_buf_puts(b, "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
	                     "\"metadata\":{},\"status\":\"Failure\"");
	put_field(b, "message", st->message, true);
	if (st->reason && st->reason[0])
		put_field(b, "reason", st->reason, true);
	if (st->has_details)
		put_details(b, st);
	(void)ga_buf_printf(b, ",\"code\":%u}\n", st->code);
	ga_httpd_response_set_status(resp, st->code);
	if (b->err)
		return b->err;
	return ga_httpd_response_add_header(resp, "Content-Type",
	                                    "application/json");
}

int ks_reply_status(ks_req *r, const ks_status *st)
{
	return ks_reply_status_to(r->resp, st);
}

const char ks_no_resource[] =
    "the server could not find the requested resource";

int ks_reply_no_resource(ga_httpd_response *resp)
{
	return ks_reply_error(resp, 404, "NotFound", ks_no_resource);
}

int ks_reply_error(ga_httpd_response *resp, unsigned code, const char *reason,
                   const char *message)
{
	ks_status st;

	ks_status_set(&st, code, reason, "%s", message);
	return ks_reply_status_to(resp, &st);
}

int ks_reply_json(ga_httpd_response *resp, unsigned code, const ga_node *v)
{
	ga_buf *b = ga_httpd_response_body(resp);
	int err;

	ga_buf_clear(b);
	if ((err = ga_json_emit(b, v, GA_JSON_COMPACT)) < 0 ||
	    (err = ga_buf_putc(b, '\n')) < 0)
		return err;
	ga_httpd_response_set_status(resp, code);
	return ga_httpd_response_add_header(resp, "Content-Type",
	                                    "application/json");
}

int ks_reply_object(ks_req *r, unsigned code, const ga_node *obj)
{
	return ks_reply_json(r->resp, code, obj);
}
