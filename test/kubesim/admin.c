/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kubesim's admin endpoints, under a prefix a real cluster does not
 * serve (/kubesim/), behind the same bearer token as the API:
 *
 *   GET|DELETE      /kubesim/audit           request counts; reset
 *   GET|PUT|DELETE  /kubesim/faults          fault rules (faults.c)
 *   GET|PUT|DELETE  /kubesim/image-profiles  ["REGEX=PROFILE", ...]
 *
 * A PUT replaces the whole set, so a test states what it wants and does
 * not depend on what an earlier one left; a bad body changes nothing and
 * gets a 400 Status.  Answers are JSON.
 */
#include "sim.h"

#include <stdio.h>
#include <string.h>

#include "ga/error.h"
#include "ga/json.h"

#define ADMIN_MAX ((size_t)1 << 20)

static int reply_buf(ga_httpd_response *resp, const ga_buf *b)
{
	ga_buf *body = ga_httpd_response_body(resp);
	int err;

	if (b->err)
		return b->err;
	ga_buf_clear(body);
	if ((err = ga_buf_put(body, b->ptr ? b->ptr : "", b->size)) < 0 ||
	    (err = ga_buf_putc(body, '\n')) < 0)
		return err;
	return ga_httpd_response_add_header(resp, "Content-Type",
	                                    "application/json");
}

static int not_allowed(ga_httpd_response *resp, const char *method)
{
	char msg[128];

	(void)snprintf(msg, sizeof(msg),
	               "the server does not allow this method on the "
	               "requested resource (%.20s)",
	               method);
	return ks_reply_error(resp, 405, "MethodNotAllowed", msg);
}

static int audit(ks_server *ks, const char *m, ga_httpd_response *resp)
{
	ga_buf b = GA_BUF_INIT(ADMIN_MAX);
	int err;

	if (strcmp(m, "DELETE") == 0)
		ks_audit_reset(ks->audit);
	else if (strcmp(m, "GET") != 0)
		return not_allowed(resp, m);
	(void)ks_audit_counts(ks->audit, &b);
	err = reply_buf(resp, &b);
	ga_buf_dispose(&b);
	return err;
}

static int faults(ks_server *ks, const ga_httpd_request *http, const char *m,
                  ga_httpd_response *resp)
{
	ga_buf b = GA_BUF_INIT(ADMIN_MAX);
	const char *body;
	size_t len = 0;
	ks_status st;
	int err;

	if (strcmp(m, "PUT") == 0) {
		body = ga_httpd_request_body(http, &len);
		if (ks_faults_set(ks->faults, body, len, &st) < 0)
			return ks_reply_error(resp, st.code, st.reason,
			                      st.message);
	} else if (strcmp(m, "DELETE") == 0) {
		ks_faults_clear(ks->faults);
	} else if (strcmp(m, "GET") != 0) {
		return not_allowed(resp, m);
	}
	(void)ks_faults_json(ks->faults, &b);
	err = reply_buf(resp, &b);
	ga_buf_dispose(&b);
	return err;
}

/* A new rule set from @body, a JSON list of "REGEX=PROFILE" strings. */
static int parse_profiles(ks_profiles **out, const char *body, size_t len,
                          char *why, size_t cap)
{
	ks_profiles *p = NULL;
	ga_node *list = NULL;
	size_t i;
	int err;

	if ((err = ga_json_parse(&list, body, len, "image-profiles")) < 0)
		goto out;
	if (ks_type(list) != GA_NODE_LIST) {
		ga_error_set(GA_ERRCLASS_NONE,
		             "want a JSON list of \"REGEX=PROFILE\" strings");
		err = GA_EINVALID;
		goto out;
	}
	if ((err = ks_profiles_new(&p)) < 0)
		goto out;
	for (i = 0; i < ks_count(list) && err == 0; i++) {
		const char *spec = ks_str(ks_item(list, i));
		if (!spec) {
			ga_error_set(GA_ERRCLASS_NONE,
			             "item %zu: want a string", i);
			err = GA_EINVALID;
		} else {
			err = ks_profiles_add(p, spec);
		}
	}
	if (err == 0) {
		*out = p;
		p = NULL;
	}
out:
	if (err < 0)
		(void)snprintf(why, cap, "%s", ga_error_last()->message);
	ks_profiles_free(p);
	ga_node_free(list);
	return err;
}

static int profiles(ks_server *ks, const ga_httpd_request *http, const char *m,
                    ga_httpd_response *resp)
{
	ga_buf b = GA_BUF_INIT(ADMIN_MAX);
	ks_profiles *fresh = NULL, *old = NULL;
	const char *body;
	char why[512];
	size_t len = 0;
	int err;

	if (strcmp(m, "PUT") == 0) {
		body = ga_httpd_request_body(http, &len);
		if (parse_profiles(&fresh, body, len, why, sizeof(why)) < 0)
			return ks_reply_error(resp, 400, "BadRequest", why);
	} else if (strcmp(m, "DELETE") == 0) {
		if ((err = ks_profiles_new(&fresh)) < 0)
			return err;
	} else if (strcmp(m, "GET") != 0) {
		return not_allowed(resp, m);
	}
	/* The controllers read the rules under the server lock. */
	(void)pthread_mutex_lock(&ks->lock);
	if (fresh) {
		old = ks->profiles;
		ks->profiles = fresh;
	}
	(void)ks_profiles_json(ks->profiles, &b);
	(void)pthread_mutex_unlock(&ks->lock);
	ks_profiles_free(old);
	err = reply_buf(resp, &b);
	ga_buf_dispose(&b);
	return err;
}

int ks_admin(ks_server *ks, const ga_httpd_request *http,
             ga_httpd_response *resp)
{
	const char *path = ga_httpd_request_path(http);
	const char *m = ga_httpd_request_method(http);

	if (strncmp(path, "/kubesim/", 9) != 0 && strcmp(path, "/kubesim") != 0)
		return 1;
	if (strcmp(path, "/kubesim/audit") == 0)
		return audit(ks, m, resp);
	if (strcmp(path, "/kubesim/faults") == 0)
		return faults(ks, http, m, resp);
	if (strcmp(path, "/kubesim/image-profiles") == 0)
		return profiles(ks, http, m, resp);
	return ks_reply_no_resource(resp);
}
