/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The PATCH verb (k8s.io/apiserver/pkg/endpoints/handlers/patch.go), by
 * Content-Type: application/merge-patch+json (RFC 7386),
 * application/json-patch+json (RFC 6902, through the build's evanphx
 * json-patch engine, "test" included), application/strategic-merge-patch+json
 * (the build's strategic merge patch with the merge keys of the built-in
 * kinds; custom resources refuse it with 415 as the server does) and
 * application/apply-patch+yaml (server-side apply, apply.c).  The patched
 * object then takes the PUT path of write.c: validation, immutable fields,
 * generation, resourceVersion, finalizers and managedFields.
 *
 * Of the strategic merge patch directives, "$patch" is the engine's;
 * "$retainKeys" and "$deleteFromPrimitiveList/<field>" are applied here
 * along map fields and the items of keyed lists (a Deployment's strategy,
 * a pod's finalizers), and "$setElementOrder/<field>", which kubectl
 * apply sends to order a merged list, after the merge along the same
 * paths.
 */
#include "ssa.h"

#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/json.h"

#define MAX_DEPTH 600

#define ACCEPTED_PATCH                                                         \
	"application/json-patch+json, application/merge-patch+json, "          \
	"application/apply-patch+yaml"

static bool media_is(const char *ct, const char *type)
{
	size_t n = strlen(type);

	return ct && strncmp(ct, type, n) == 0 &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static int merge_patch(ga_node *target, const ga_node *patch, unsigned depth)
{
	size_t i, len;
	int err;

	if (depth > MAX_DEPTH) {
		ga_error_set(GA_ERRCLASS_INVALID, "patch nested too deeply");
		return GA_ELIMIT;
	}
	for (i = 0; i < ks_count(patch); i++) {
		const char *k = ga_node_map_key(patch, i, &len);
		const ga_node *v = ga_node_map_value(patch, i);
		ga_node *t = ga_node_map_getn(target, k, len), *copy;
		if (ks_type(v) == GA_NODE_NULL) {
			ga_node_free(ga_node_map_remove(target, k));
			continue;
		}
		if (ks_type(v) == GA_NODE_MAP) {
			if (ks_type(t) != GA_NODE_MAP) {
				if ((err = ga_node_new_map(&t)) < 0 ||
				    (err = ga_node_map_setn_take(target, k, len,
				                                 t)) < 0)
					return err;
				t = ga_node_map_getn(target, k, len);
			}
			if ((err = merge_patch(t, v, depth + 1)) < 0)
				return err;
			continue;
		}
		if ((err = ga_node_clone(&copy, v)) < 0 ||
		    (err = ga_node_map_setn_take(target, k, len, copy)) < 0)
			return err;
	}
	return 0;
}

int ks_merge_patch(ga_node **obj, const ga_node *patch)
{
	ga_node *next = NULL;
	int err;

	if (ks_type(patch) != GA_NODE_MAP) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "a merge patch must be a JSON object");
		return GA_EINVALID;
	}
	if ((err = ga_node_clone(&next, *obj)) < 0 ||
	    (err = merge_patch(next, patch, 0)) < 0) {
		ga_node_free(next);
		return err;
	}
	ga_node_free(*obj);
	*obj = next;
	return 0;
}

/* Keep in @obj only the keys the "$retainKeys" list @keys names. */
static void retain_keys(ga_node *obj, const ga_node *keys)
{
	size_t i, j;

	for (i = ks_count(obj); i-- > 0;) {
		const char *k = ga_node_map_key(obj, i, NULL);
		bool keep = false;
		for (j = 0; j < ks_count(keys) && !keep; j++)
			keep = ks_str(ks_item(keys, j)) &&
			       strcmp(ks_str(ks_item(keys, j)), k) == 0;
		if (!keep)
			ga_node_free(ga_node_map_remove(obj, k));
	}
}

/* Drop from the list @list the values that the list @gone holds. */
static void delete_values(ga_node *list, const ga_node *gone)
{
	size_t i, j;

	for (i = ks_count(list); ks_type(list) == GA_NODE_LIST && i-- > 0;)
		for (j = 0; j < ks_count(gone); j++)
			if (ks_equal(ks_item(list, i), ks_item(gone, j))) {
				ga_node_free(ga_node_list_remove(list, i));
				break;
			}
}

/*
 * The item of the object's list @list that the patch's list item @item
 * names by the merge keys of the list at @at, or NULL.
 */
static ga_node *peer_item(const ga_node *list, const ga_node *item,
                          const ga_kust_schema_at *at)
{
	const char *keys[2];
	size_t nkeys, i, j;

	if (ga_kust_schema_list(at, keys, &nkeys) != GA_KUST_LIST_KIND_KEYS ||
	    ks_type(item) != GA_NODE_MAP || !ks_get(item, keys[0]))
		return NULL;
	for (i = 0; i < ks_count(list); i++) {
		ga_node *o = ks_item(list, i);
		bool same = ks_type(o) == GA_NODE_MAP;
		for (j = 0; j < nkeys && same; j++)
			same =
			    !ks_get(item, keys[j]) ||
			    ks_equal(ks_get(item, keys[j]), ks_get(o, keys[j]));
		if (same)
			return o;
	}
	return NULL;
}

static int directives(ga_node *obj, ga_node *patch, const ga_kust_schema_at *at,
                      unsigned depth);

/* The directives inside the map items of the patch's list @plist, each
 * against the object's item it names in @olist (at @at, the list). */
static int list_directives(const ga_node *olist, ga_node *plist,
                           const ga_kust_schema_at *at, unsigned depth)
{
	size_t i;
	int err;

	for (i = 0; i < ks_count(plist); i++) {
		ga_node *item = ks_item(plist, i);
		if (ks_type(item) == GA_NODE_MAP &&
		    (err = directives(peer_item(olist, item, at), item,
		                      ga_kust_schema_child(at, NULL),
		                      depth + 1)) < 0)
			return err;
	}
	return 0;
}

/*
 * Carry out and strip the directives the engine does not know, along the
 * map fields and keyed list items that @obj and @patch share (@at: the
 * schema position of both).
 */
static int directives(ga_node *obj, ga_node *patch, const ga_kust_schema_at *at,
                      unsigned depth)
{
	static const char dfpl[] = "$deleteFromPrimitiveList/";
	static const char seo[] = "$setElementOrder/";
	size_t i;
	ga_node *keys;
	int err = 0;

	if (depth > MAX_DEPTH) {
		ga_error_set(GA_ERRCLASS_INVALID, "patch nested too deeply");
		return GA_ELIMIT;
	}
	if (ks_type(obj) != GA_NODE_MAP)
		obj = NULL;
	if ((keys = ks_remove(patch, "$retainKeys"))) {
		if (obj)
			retain_keys(obj, keys);
		ga_node_free(keys);
	}
	for (i = ks_count(patch); err == 0 && i-- > 0;) {
		const char *k = ga_node_map_key(patch, i, NULL);
		ga_node *v = ga_node_map_value(patch, i);
		if (strncmp(k, dfpl, sizeof(dfpl) - 1) == 0) {
			delete_values(ks_get(obj, k + sizeof(dfpl) - 1), v);
			ga_node_free(ga_node_map_remove(patch, k));
		} else if (strncmp(k, seo, sizeof(seo) - 1) == 0) {
			ga_node_free(ga_node_map_remove(patch, k));
		} else if (ks_type(v) == GA_NODE_MAP) {
			err =
			    directives(ks_get(obj, k), v,
			               ga_kust_schema_child(at, k), depth + 1);
		} else if (ks_type(v) == GA_NODE_LIST) {
			err = list_directives(ks_get(obj, k), v,
			                      ga_kust_schema_child(at, k),
			                      depth + 1);
		}
	}
	return err;
}

/* Whether the list item @item is the one @want names: equal scalars, or
 * a map holding every merge-key value @want holds. */
static bool names_item(const ga_node *want, const ga_node *item)
{
	size_t i;

	if (ks_type(want) != GA_NODE_MAP || ks_type(item) != GA_NODE_MAP)
		return ks_equal(want, item);
	for (i = 0; i < ks_count(want); i++)
		if (!ks_equal(ga_node_map_value(want, i),
		              ks_get(item, ga_node_map_key(want, i, NULL))))
			return false;
	return true;
}

/* Reorder @list as @order says; items it does not name keep their
 * order after the named ones. */
static int reorder(ga_node *list, const ga_node *order)
{
	size_t n = ks_count(list), i, j;
	bool *taken = n ? ga_calloc(n, sizeof(*taken)) : NULL;
	ga_node *copy = NULL, *item;
	int err = 0;

	if (n && !taken)
		return GA_ENOMEM;
	if ((err = ga_node_new_list(&copy)) < 0)
		goto out;
	for (i = 0; i <= ks_count(order) && err == 0; i++)
		for (j = 0; j < n && err == 0; j++) {
			if (taken[j] ||
			    (i < ks_count(order) &&
			     !names_item(ks_item(order, i), ks_item(list, j))))
				continue;
			taken[j] = true;
			if ((err = ga_node_clone(&item, ks_item(list, j))) == 0)
				err = ga_node_list_append_take(copy, item);
			if (i < ks_count(order))
				break;
		}
	/* Move the reordered items back into @list, which the caller's
	 * object owns. */
	while (err == 0 && ks_count(list))
		ga_node_free(ga_node_list_remove(list, 0));
	while (err == 0 && ks_count(copy))
		err = ga_node_list_append_take(list,
		                               ga_node_list_remove(copy, 0));
out:
	ga_node_free(copy);
	ga_free(taken);
	return err;
}

/* Apply the "$setElementOrder/<field>" directives of @patch to the
 * merged @obj, along the map fields and keyed list items they share. */
static int set_order(ga_node *obj, const ga_node *patch,
                     const ga_kust_schema_at *at, unsigned depth)
{
	static const char seo[] = "$setElementOrder/";
	size_t i, j;
	int err = 0;

	if (depth > MAX_DEPTH || ks_type(obj) != GA_NODE_MAP)
		return 0;
	for (i = 0; i < ks_count(patch) && err == 0; i++) {
		const char *k = ga_node_map_key(patch, i, NULL);
		const ga_node *v = ga_node_map_value(patch, i);
		const ga_kust_schema_at *cat = ga_kust_schema_child(at, k);
		ga_node *field;
		if (strncmp(k, seo, sizeof(seo) - 1) == 0) {
			field = ks_get(obj, k + sizeof(seo) - 1);
			if (ks_type(field) == GA_NODE_LIST &&
			    ks_type(v) == GA_NODE_LIST)
				err = reorder(field, v);
		} else if (ks_type(v) == GA_NODE_MAP) {
			err = set_order(ks_get(obj, k), v, cat, depth + 1);
		} else if (ks_type(v) == GA_NODE_LIST) {
			for (j = 0; j < ks_count(v) && err == 0; j++)
				err = set_order(peer_item(ks_get(obj, k),
				                          ks_item(v, j), cat),
				                ks_item(v, j),
				                ga_kust_schema_child(cat, NULL),
				                depth + 1);
		}
	}
	return err;
}

/* A strategic merge patch: directives, the merge, then the order. */
static int strategic(ga_node **obj, ga_node *patch)
{
	ga_node *order = NULL;
	int err;

	if (ks_type(patch) != GA_NODE_MAP) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "a strategic merge patch must be a JSON object");
		return GA_EINVALID;
	}
	if ((err = ga_node_clone(&order, patch)) < 0 ||
	    (err = directives(*obj, patch, ks_ssa_schema(*obj), 0)) < 0 ||
	    (err = ga_kust_smp_apply(obj, patch)) < 0)
		goto out;
	if (*obj)
		err = set_order(*obj, order, ks_ssa_schema(*obj), 0);
out:
	ga_node_free(order);
	return err;
}

/*
 * An operation of a JSON patch failed: 422 with the generic message and
 * empty details, which is all kube-apiserver says (kubectl prints "The
 * request is invalid: the server rejected our request ...").
 */
static int patch_failed(ks_status *st, int err)
{
	ks_status_set(st, 422, "Invalid",
	              "the server rejected our request due to an error in "
	              "our request");
	st->has_details = true;
	return err;
}

static int bad_request(ks_status *st, int err)
{
	ks_status_set(st, 400, "BadRequest", "%s", ga_error_last()->message);
	return err;
}

int ks_patch_body(ga_node **obj, const char *ct, const char *body, size_t len,
                  ks_status *st)
{
	ga_node *patch = NULL;
	int err;

	body = body ? body : "";
	if (media_is(ct, "application/json-patch+json")) {
		if ((err = ga_kust_json6902_parse(&patch, body, len)) < 0)
			return bad_request(st, err);
		err = ga_kust_json6902_apply(obj, patch);
		ga_node_free(patch);
		return err < 0 ? patch_failed(st, err) : 0;
	}
	if ((err = ga_json_parse(&patch, body, len, "patch")) < 0)
		return bad_request(st, err);
	if (media_is(ct, "application/merge-patch+json"))
		err = ks_merge_patch(obj, patch);
	else
		err = strategic(obj, patch);
	ga_node_free(patch);
	if (err == 0 && !*obj) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "a patch may not delete the object");
		err = GA_EINVALID;
	}
	return err < 0 ? bad_request(st, err) : 0;
}

int ks_patch_options_invalid(ks_req *r, const char *field, const char *cause,
                             const char *msg)
{
	ks_status st;

	ks_status_set(&st, 422, "Invalid",
	              "PatchOptions.meta.k8s.io \"\" is invalid: %s: %s", field,
	              msg);
	st.has_details = true;
	st.group = "meta.k8s.io";
	st.kind = "PatchOptions";
	(void)snprintf(st.field, sizeof(st.field), "%s", field);
	st.cause = cause;
	(void)snprintf(st.cause_msg, sizeof(st.cause_msg), "%s", msg);
	return ks_reply_status(r, &st);
}

/* force=true belongs to apply alone. */
static int check_force(ks_req *r, bool apply)
{
	const char *force = ga_httpd_request_query(r->http, "force");
	int err;

	if (apply || !force)
		return 0;
	err = ks_patch_options_invalid(
	    r, "force", "FieldValueForbidden",
	    "Forbidden: may not be specified for non-apply patch");
	return err < 0 ? err : 1;
}

int ks_patch(ks_req *r)
{
	const char *ct = ga_httpd_request_header(r->http, "Content-Type");
	bool apply = media_is(ct, "application/apply-patch+yaml");
	size_t len = 0;
	const char *body = ga_httpd_request_body(r->http, &len);
	const ga_node *old;
	ga_node *obj = NULL;
	ks_status st;
	int err;

	if (r->sub[0] && (strcmp(r->sub, "status") != 0 ||
	                  !(r->res->flags & KS_RES_STATUS))) {
		ks_status_set(&st, 404, "NotFound", "%s", ks_no_resource);
		return ks_reply_status(r, &st);
	}
	if ((err = check_force(r, apply)) != 0)
		return err < 0 ? err : 0;
	old = ks_store_get(r->ks->store, r->res, r->ns, r->name);
	if (apply)
		return ks_apply(r, old);
	if (!media_is(ct, "application/merge-patch+json") &&
	    !media_is(ct, "application/json-patch+json") &&
	    (r->res->crd ||
	     !media_is(ct, "application/strategic-merge-patch+json"))) {
		ks_status_set(
		    &st, 415, "UnsupportedMediaType",
		    "the body of the request was in an unknown format "
		    "- accepted media types include: %s%s",
		    ACCEPTED_PATCH,
		    r->res->crd ? ""
		                : ", application/strategic-merge-"
		                  "patch+json");
		return ks_reply_status(r, &st);
	}
	if (!old) {
		ks_status_not_found(&st, r->res, r->name);
		return ks_reply_status(r, &st);
	}
	if ((err = ga_node_clone(&obj, old)) < 0)
		return err;
	if (ks_patch_body(&obj, ct, body, len, &st) < 0 ||
	    ks_check_body(r, obj, &st) < 0) {
		ga_node_free(obj);
		return ks_reply_status(r, &st);
	}
	return ks_update_object(r, obj, old);
}
