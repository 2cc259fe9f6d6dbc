/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The read verbs and the verb dispatch, with kube-apiserver's semantics (API
 * conventions, "API concepts": efficient detection of changes, retrieving
 * large results in chunks): GET of an object or its status; LIST with
 * label and field selectors, limit and continue, answered as a <Kind>List
 * whose metadata.resourceVersion is the store's current one, and the
 * dispatch of every verb.  The writes are in write.c, PATCH and
 * server-side apply in patch.c and apply.c, watch in watch.c, DELETE and
 * deletecollection in delete.c.
 */
#include "kubesim.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/digest.h"
#include "ga/error.h"
#include "ga/json.h"

static int not_allowed(ks_req *r, const char *what)
{
	ks_status st;

	ks_status_set(&st, 405, "MethodNotAllowed",
	              "%s is not supported by this server yet", what);
	return ks_reply_status(r, &st);
}

static int get_one(ks_req *r)
{
	const ga_node *obj = ks_store_get(r->ks->store, r->res, r->ns, r->name);
	ks_status st;

	if (!obj) {
		ks_status_not_found(&st, r->res, r->name);
		return ks_reply_status(r, &st);
	}
	if (ks_table_wanted(r)) {
		ks_page page;
		memset(&page, 0, sizeof(page));
		return ks_table_render(r, &obj, 1, &page);
	}
	return ks_reply_object(r, 200, obj);
}

/* The continue token: the key of the last object sent, hex-encoded. */
static void make_token(char *out, size_t cap, const ga_node *obj)
{
	char key[600];
	size_t len = (size_t)snprintf(
	    key, sizeof(key), "%s/%s",
	    ks_meta_str(obj, "namespace") ? ks_meta_str(obj, "namespace") : "",
	    ks_meta_str(obj, "name"));

	if (len >= sizeof(key) || 2 * len + 1 > cap)
		len = (cap - 1) / 2;
	ga_hex(out, (const unsigned char *)key, len);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode a continue token into the key it names; false when malformed. */
static bool parse_token(char *key, size_t cap, const char *tok)
{
	size_t i, n = strlen(tok);

	if (n % 2 || n / 2 >= cap)
		return false;
	for (i = 0; i < n / 2; i++) {
		int hi = hexval(tok[2 * i]), lo = hexval(tok[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		key[i] = (char)(hi * 16 + lo);
	}
	key[n / 2] = '\0';
	return true;
}

/* Whether @obj sorts after the key @after ("" = from the start). */
static bool after_key(const ga_node *obj, const char *after)
{
	char key[600];
	const char *ns = ks_meta_str(obj, "namespace");

	if (!after[0])
		return true;
	(void)snprintf(key, sizeof(key), "%s/%s", ns ? ns : "",
	               ks_meta_str(obj, "name"));
	return strcmp(key, after) > 0;
}

/* limit and continue from the query; false (and a Status) when bad. */
static bool paging(ks_req *r, size_t *limit, char *after, size_t cap,
                   ks_status *st)
{
	const char *l = ga_httpd_request_query(r->http, "limit");
	const char *c = ga_httpd_request_query(r->http, "continue");
	char *end = NULL;
	long long v;

	*limit = 0;
	after[0] = '\0';
	if (l && l[0]) {
		v = strtoll(l, &end, 10);
		if (*end || v < 0) {
			ks_status_set(st, 400, "BadRequest",
			              "limit: Invalid value: \"%.40s\"", l);
			return false;
		}
		*limit = (size_t)v;
	}
	if (c && c[0] && !parse_token(after, cap, c)) {
		ks_status_set(st, 400, "BadRequest",
		              "continue key is not valid: malformed token");
		return false;
	}
	return true;
}

/* Keep in @objs[0..*n) the objects selected and on this page. */
void ks_page_meta_end(ga_buf *b, const ks_page *page)
{
	if (page->token[0])
		(void)ga_buf_printf(b,
		                    ",\"continue\":\"%s\","
		                    "\"remainingItemCount\":%zu",
		                    page->token, page->remaining);
	(void)ga_buf_putc(b, '}');
}

static void select_page(ks_req *r, const ga_node **objs, size_t *n,
                        const ks_selector *sel, const char *after, size_t limit,
                        ks_page *page)
{
	size_t i, kept = 0;

	for (i = 0; i < *n; i++) {
		if (!after_key(objs[i], after) ||
		    !ks_selector_match(sel, objs[i]))
			continue;
		if (limit && kept == limit) {
			page->remaining++;
			continue;
		}
		objs[kept++] = objs[i];
	}
	*n = kept;
	if (page->remaining && kept)
		make_token(page->token, sizeof(page->token), objs[kept - 1]);
	(void)r;
}

static int render_list(ks_req *r, const ga_node **objs, size_t n,
                       const ks_page *page)
{
	ga_buf *b = ga_httpd_response_body(r->resp);
	size_t i;

	ga_buf_clear(b);
	(void)ga_buf_printf(b,
	                    "{\"kind\":\"%sList\",\"apiVersion\":\"%s%s%s\","
	                    "\"metadata\":{\"resourceVersion\":\"%s\"",
	                    r->res->kind, r->res->group,
	                    r->res->group[0] ? "/" : "", r->res->version,
	                    page->rv);
	ks_page_meta_end(b, page);
	(void)ga_buf_puts(b, ",\"items\":[");
	for (i = 0; i < n; i++) {
		if (i)
			(void)ga_buf_putc(b, ',');
		(void)ga_json_emit(b, objs[i], GA_JSON_COMPACT);
	}
	(void)ga_buf_puts(b, "]}\n");
	if (b->err)
		return b->err;
	ga_httpd_response_set_status(r->resp, 200);
	return ga_httpd_response_add_header(r->resp, "Content-Type",
	                                    "application/json");
}

static int list(ks_req *r)
{
	const char *lsel = ga_httpd_request_query(r->http, "labelSelector");
	const char *fsel = ga_httpd_request_query(r->http, "fieldSelector");
	const ga_node **objs = NULL;
	ks_selector *sel = NULL;
	size_t n = 0, limit;
	char after[600];
	ks_page page;
	ks_status st;
	int err;

	memset(&page, 0, sizeof(page));
	if (!paging(r, &limit, after, sizeof(after), &st) ||
	    ks_selector_parse(&sel, lsel, fsel, &st) < 0)
		return ks_reply_status(r, &st);
	if ((err = ks_store_list(r->ks->store, r->res, r->ns, &objs, &n)) < 0)
		goto out;
	select_page(r, objs, &n, sel, after, limit, &page);
	(void)snprintf(page.rv, sizeof(page.rv), "%" PRIu64,
	               ks_store_rv(r->ks->store));
	if (ks_table_wanted(r))
		err = ks_table_render(r, objs, n, &page);
	else
		err = render_list(r, objs, n, &page);
out:
	ga_free(objs);
	ks_selector_free(sel);
	return err;
}

static int reads(ks_req *r)
{
	const char *watch = ga_httpd_request_query(r->http, "watch");
	ks_status st;

	/* As in kube-apiserver, watch is a collection's parameter; a GET of
	 * one object ignores it (kubectl watches one by fieldSelector). */
	if (watch && strcmp(watch, "false") != 0 && strcmp(watch, "0") != 0 &&
	    !r->name[0])
		return ks_watch(r);
	if (!r->name[0])
		return list(r);
	if (!r->sub[0] ||
	    (strcmp(r->sub, "status") == 0 && (r->res->flags & KS_RES_STATUS)))
		return get_one(r);
	ks_status_set(&st, 404, "NotFound",
	              "the server could not find the "
	              "requested resource");
	return ks_reply_status(r, &st);
}

int ks_verb(ks_req *r)
{
	const char *m = r->method;
	bool object = r->name[0] != '\0';

	/* A namespaced resource's object needs its namespace in the path. */
	if (r->res->namespaced && !r->ns[0] &&
	    (object || strcmp(m, "GET") != 0))
		return not_allowed(r, "this verb on the cluster-wide path");
	if (strcmp(m, "GET") == 0)
		return reads(r);
	if (strcmp(m, "POST") == 0 && !object)
		return ks_create(r);
	if (strcmp(m, "PUT") == 0 && object)
		return ks_update(r);
	if (strcmp(m, "DELETE") == 0 && object && !r->sub[0])
		return ks_delete(r);
	if (strcmp(m, "DELETE") == 0 && !object)
		return ks_delete_collection(r);
	if (strcmp(m, "PATCH") == 0 && object)
		return ks_patch(r);
	return not_allowed(r, m);
}
