/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kubesim, a Kubernetes API test server: what its files share.  Objects
 * are ga_node trees held in a store keyed by resource, namespace and name;
 * one lock (ks_server.lock) serialises every request against the store
 * and the registry, which is simple and fast enough for a test server
 * (watch streams wait outside it, on the event history of events.h).  Only
 * libga's public headers are used.
 */
#ifndef KS_KUBESIM_H
#define KS_KUBESIM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "ga/buf.h"
#include "ga/httpd.h"
#include "ga/node.h"

#include "events.h"

/* Resource flags. */
enum {
	KS_RES_STATUS = 1 << 0,     /* has the status subresource */
	KS_RES_SCALE = 1 << 1,      /* has the scale subresource */
	KS_RES_GENERATION = 1 << 2, /* metadata.generation tracks spec */
	KS_RES_NO_WRITE = 1 << 3,   /* read-only here (events are written) */
};

/* One resource of the API: a built-in, or a served version of a CRD. */
typedef struct ks_resource {
	const char *group; /* "" for the core group */
	const char *version;
	const char *kind;
	const char *plural;
	const char *singular;
	const char *short_names; /* comma-separated, "" for none */
	bool namespaced;
	unsigned flags;  /* KS_RES_* */
	void *owned;     /* CRD entries: the block holding the strings */
	const char *crd; /* CRD entries: the CRD's name */
} ks_resource;

/* The Status of a failed request, as kube-apiserver writes it. */
typedef struct ks_status {
	unsigned code;        /* HTTP status */
	const char *reason;   /* "NotFound", "Invalid" ... */
	char message[8192];   /* the human-readable message */
	char name[256];       /* details.name, "" for none */
	const char *group;    /* details.group, NULL for none */
	const char *kind;     /* details.kind, NULL for none */
	char field[512];      /* the one cause's field, "" for none */
	const char *cause;    /* its reason ("FieldValueInvalid") */
	char cause_msg[4096]; /* its message */
	bool has_details;     /* whether to write details at all */
	const char *causes;   /* details.causes as a JSON array (several
	                       * causes), NULL for the one above */
	unsigned retry_after; /* details.retryAfterSeconds, 0 for none */
} ks_status;

typedef struct ks_store ks_store;

typedef struct ks_server {
	pthread_mutex_t lock; /* the store and the registry */
	ks_store *store;
	const char *token; /* the bearer token every request needs; NULL:
	                    * none (--no-tls without --token) */
	char server_url[128];
	unsigned next_ip; /* Service cluster IPs handed out */
	struct ks_gc *gc; /* the garbage collector's worker (gc.c) */
	/* The simulation (sim.h): image profiles and controllers under
	 * lock; audit and faults lock themselves. */
	struct ks_profiles *profiles;
	struct ks_audit *audit;
	struct ks_faults *faults;
} ks_server;

/* A request routed to a resource. */
typedef struct ks_req {
	ks_server *ks;
	const ga_httpd_request *http;
	ga_httpd_response *resp;
	const ks_resource *res;
	const char *method;
	char ns[256];   /* "" when cluster-wide or cluster-scoped */
	char name[256]; /* "" for a collection */
	char sub[32];   /* subresource, "" for the object */
	bool dry_run;   /* dryRun=All */
	bool applied;   /* server-side apply set managedFields already */
} ks_req;

/*
 * NULL-tolerant accessors over ga/node.h, so that a path into an object
 * ("metadata" then "labels" then a key) reads as one expression whatever
 * the client sent: a missing or mistyped step yields NULL, 0 or false.
 */
static inline ga_node *ks_get(const ga_node *map, const char *key)
{
	return map ? ga_node_map_get(map, key) : NULL;
}
static inline ga_node *ks_item(const ga_node *list, size_t i)
{
	return list ? ga_node_list_get(list, i) : NULL;
}
static inline const char *ks_str(const ga_node *n)
{
	return n ? ga_node_str(n) : NULL;
}
static inline size_t ks_str_len(const ga_node *n)
{
	return n ? ga_node_str_len(n) : 0;
}
static inline size_t ks_count(const ga_node *n)
{
	return n ? ga_node_count(n) : 0;
}
static inline ga_node_type ks_type(const ga_node *n)
{
	return n ? ga_node_type_of(n) : GA_NODE_NULL;
}
static inline bool ks_bool(const ga_node *n)
{
	return n && ga_node_bool(n);
}
static inline int64_t ks_int(const ga_node *n)
{
	return n ? ga_node_int(n) : 0;
}
/* Remove @key from @map; the value (owned) or NULL. */
static inline ga_node *ks_remove(ga_node *map, const char *key)
{
	return map ? ga_node_map_remove(map, key) : NULL;
}
/* Equality where absent equals absent. */
static inline bool ks_equal(const ga_node *a, const ga_node *b)
{
	return a && b ? ga_node_equal(a, b) : a == b;
}

/* registry.c */
const ks_resource *ks_registry_find(const char *group, const char *version,
                                    const char *plural);
/* The resources of @group/@version in discovery order, and their count. */
size_t ks_registry_list(const ks_resource **out, size_t cap, const char *group,
                        const char *version);
/* Every group ("" first) with its versions, as in /apis. */
size_t ks_registry_groups(const char **out, size_t cap);
size_t ks_registry_versions(const char **out, size_t cap, const char *group);
/* Serve the versions of the CRD @crd (an object); 0 or a Status. */
int ks_registry_add_crd(const ga_node *crd, ks_status *st);
/* Stop serving the CRD named @name. */
void ks_registry_remove_crd(const char *name);
void ks_registry_free(void);

/* store.c */
int ks_store_new(ks_store **out);
void ks_store_free(ks_store *store);
/* The stored object, or NULL.  Borrowed until the next change. */
ga_node *ks_store_get(ks_store *store, const ks_resource *res, const char *ns,
                      const char *name);
/* Every object of @res (in @ns, or all when ""), sorted by ns/name. */
int ks_store_list(ks_store *store, const ks_resource *res, const char *ns,
                  const ga_node ***out, size_t *n_out);
/*
 * Give the new object @obj uid, creationTimestamp, generation and (unless
 * @dry_run) a resourceVersion.
 */
int ks_store_stamp_new(ks_store *store, const ks_resource *res, ga_node *obj,
                       bool dry_run);
/* Insert or replace @obj (taken) under its namespace and name; *stored
 * (may be NULL) borrows it.  @obj carries a new resourceVersion
 * (ks_store_stamp_new, ks_store_bump): the change is recorded as ADDED or
 * MODIFIED for watchers under it. */
int ks_store_put(ks_store *store, const ks_resource *res, ga_node *obj,
                 ga_node **stored);
/* The store's key of @res's objects: "<group>/<plural>". */
void ks_res_key(char *out, size_t cap, const ks_resource *res);
/* Remove an object; *out owns it. */
int ks_store_remove(ks_store *store, const ks_resource *res, const char *ns,
                    const char *name, ga_node **out);
/* Drop every object of the resource @group/@plural (a CRD went). */
void ks_store_drop(ks_store *store, const char *group, const char *plural);
/* As ks_store_remove, for the resource "<group>/<plural>" @reskey. */
int ks_store_remove_at(ks_store *store, const char *reskey, const char *ns,
                       const char *name, ga_node **out);
/* Call @fn on every stored object with its "<group>/<plural>"; stops at
 * (and returns) the first non-zero return.  @fn must not change the
 * store. */
typedef int (*ks_store_fn)(void *payload, const char *reskey, ga_node *obj);
int ks_store_each(ks_store *store, ks_store_fn fn, void *payload);
uint64_t ks_store_rv(const ks_store *store);
/* The event history watch reads (borrowed, lives as long as @store). */
ks_events *ks_store_events(ks_store *store);
/*
 * Record a change made to a stored object in place (ks_store_put and
 * ks_store_remove record their own): @obj carries its new
 * resourceVersion, @old (may be NULL) the state before.  Anything that
 * changes stored objects without these three functions (a controller
 * writing status) calls it, or watchers miss the change.
 */
int ks_store_record(ks_store *store, const ks_resource *res, ks_event_type type,
                    const ga_node *obj, const ga_node *old);
int ks_store_record_at(ks_store *store, const char *reskey, ks_event_type type,
                       const ga_node *obj, const ga_node *old);
/* Give @obj (stored or not) the next resourceVersion. */
int ks_store_bump(ks_store *store, ga_node *obj);
/* The next resourceVersion, counted. */
uint64_t ks_store_next_rv(ks_store *store);
/* A counter that moves with every change (state.c saves when it does). */
uint64_t ks_store_changes(const ks_store *store);
/* Every object: "<group>/<plural>" -> "<ns>/<name>" -> object. */
const ga_node *ks_store_tree(const ks_store *store);
/* Replace every object with @tree (taken, as ks_store_tree's) and the
 * resourceVersion counter with @rv. */
void ks_store_restore(ks_store *store, ga_node *tree, uint64_t rv);

/* store.c: object fields */
ga_node *ks_meta(const ga_node *obj);
const char *ks_meta_str(const ga_node *obj, const char *field);
int ks_meta_set_str(ga_node *obj, const char *field, const char *value);
int ks_set_str(ga_node *map, const char *key, const char *value);
void ks_now_rfc3339(char out[32]);

/* status.c: answers */
void ks_status_set(ks_status *st, unsigned code, const char *reason,
                   const char *fmt, ...) GA_PRINTF(4, 5);
void ks_status_details(ks_status *st, const ks_resource *res, const char *name,
                       bool use_kind);
void ks_status_not_found(ks_status *st, const ks_resource *res,
                         const char *name);
/* 422 Invalid with one cause (@cause: "FieldValueInvalid" ...). */
int ks_status_invalid(ks_status *st, const ks_resource *res, const char *name,
                      const char *field, const char *cause, const char *msg);
int ks_reply_status(ks_req *r, const ks_status *st);
/* The same outside a routed request (admin paths, faults). */
int ks_reply_status_to(ga_httpd_response *resp, const ks_status *st);
int ks_reply_object(ks_req *r, unsigned code, const ga_node *obj);
int ks_reply_json(ga_httpd_response *resp, unsigned code, const ga_node *v);
/* kube-apiserver's 404 for a path that names no resource. */
extern const char ks_no_resource[];
int ks_reply_no_resource(ga_httpd_response *resp);
int ks_reply_error(ga_httpd_response *resp, unsigned code, const char *reason,
                   const char *message);

/* secret.c: a Secret's data decoded and encoded again, stringData merged
 * into it, its keys checked; other kinds untouched.  0, or a negative
 * code with @st the 400 or 422 to answer (or a 500's code alone). */
int ks_secret_canonical(const ks_resource *res, ga_node *obj, ks_status *st);
/* Go's base64.StdEncoding: CR and LF skipped, padding required.  Appends
 * to @out; GA_EINVALID with *@bad the offset of the illegal byte. */
int ks_base64_decode(ga_buf *out, const char *in, size_t len, size_t *bad);
/* Padded, on one line. */
int ks_base64_encode(ga_buf *out, const unsigned char *in, size_t len);

/* decode.c: request bodies */
int ks_decode_body(ga_node **out, const char *content_type, const char *data,
                   size_t len, ks_status *st);
int ks_validate_object(const ks_resource *res, const char *ns, const char *name,
                       ga_node *obj, ks_status *st);
bool ks_valid_name(const char *name, bool label);

/* selector.c */
typedef struct ks_selector ks_selector;
int ks_selector_parse(ks_selector **out, const char *labels, const char *fields,
                      ks_status *st);
bool ks_selector_match(const ks_selector *sel, const ga_node *obj);
bool ks_selector_empty(const ks_selector *sel);
void ks_selector_free(ks_selector *sel);

/* discovery.c */
int ks_discovery(ks_server *ks, const ga_httpd_request *http,
                 ga_httpd_response *resp, char **segs, size_t n);

/* defaults.c: what the server fills in (Services for now) */
int ks_defaults(const ks_resource *res, ga_node *obj);
int ks_allocate(ks_server *ks, const ks_resource *res, ga_node *obj);

/* One page of a LIST. */
typedef struct ks_page {
	char rv[24];      /* metadata.resourceVersion, "" for none */
	char token[1300]; /* metadata.continue, "" on the last page */
	size_t remaining; /* metadata.remainingItemCount with a token */
} ks_page;

/* verbs.c: the rest of a list's metadata after its resourceVersion (the
 * continue token and remaining count), closing the metadata object. */
void ks_page_meta_end(ga_buf *b, const ks_page *page);

/* table.c: kubectl's server-side printing (meta.k8s.io/v1 Table) */
bool ks_table_wanted(const ks_req *r);
int ks_table_render(ks_req *r, const ga_node *const *objs, size_t n,
                    const ks_page *page);
/* Append a watch event's one-row Table for @obj; @defs: with the column
 * definitions; @whole: the whole object in the row (includeObject). */
int ks_table_event(ga_buf *b, const ks_resource *res, const ga_node *obj,
                   bool whole, bool defs);

/* openapi.c: /openapi/v3...; 1 when @segs is not an OpenAPI path */
int ks_openapi(ga_httpd_response *resp, char **segs, size_t n);

/* api.c: the ga_httpd_handler; @payload is the ks_server */
int ks_handle(const ga_httpd_request *http, ga_httpd_response *resp,
              void *payload);

/* verbs.c: GET, LIST, DELETE and the dispatch */
int ks_verb(ks_req *r);

/* watch.c: GET with watch=true */
typedef struct ks_watch_opts {
	uint64_t rv;        /* resourceVersion; 0 for "" and "0" */
	uint64_t timeout_s; /* timeoutSeconds, or the server's default */
	bool initial;       /* ADDED for the current objects first */
	bool initial_end;   /* then the initial-events-end bookmark */
	bool bookmarks;     /* allowWatchBookmarks */
	bool table, whole;  /* as=Table; includeObject=Object */
} ks_watch_opts;
/*
 * The watch parameters from the query's values (each NULL when absent),
 * checked as ValidateListOptions does for a watch.  Returns 0 or
 * GA_EINVALID with @st the 400 or 422 Status to answer.
 */
int ks_watch_opts_parse(ks_watch_opts *o, const char *rv, const char *match,
                        const char *initial, const char *bookmarks,
                        const char *timeout, ks_status *st);
/* Answer @r with a watch stream (or the Status of a bad request). */
int ks_watch(ks_req *r);

/* delete.c: DELETE, deletecollection and what deleting an object does */
typedef enum ks_propagation {
	KS_PROP_BACKGROUND, /* dependents go after the owner (the default) */
	KS_PROP_FOREGROUND, /* dependents go first (foregroundDeletion) */
	KS_PROP_ORPHAN,     /* dependents stay, unowned (orphan) */
} ks_propagation;
int ks_delete(ks_req *r);
int ks_delete_collection(ks_req *r);
/*
 * Delete the stored @obj of "<group>/<plural>" @reskey: a namespace goes
 * Terminating; an object with finalizers (after adding @prop's) is only
 * marked; else it is removed and *gone owns it (else NULL).
 */
int ks_delete_stored(ks_store *store, const char *reskey, ga_node *obj,
                     ks_propagation prop, ga_node **gone);
bool ks_has_finalizer(const ga_node *obj, const char *name);
void ks_remove_finalizer(ga_node *obj, const char *name);
/* @obj (stored) was changed in place from @old: unless equal, give it
 * the next resourceVersion and record MODIFIED. */
int ks_store_changed(ks_store *store, const char *reskey, ga_node *obj,
                     const ga_node *old);
/* Remove the stored @obj; *gone owns it (a CRD's kind is forgotten). */
int ks_store_remove_obj(ks_store *store, const char *reskey, const ga_node *obj,
                        ga_node **gone);

/* ticker.c: the periodic worker thread of the background jobs */
typedef struct ks_ticker ks_ticker;
typedef void (*ks_tick_fn)(void *arg);
/* Call @fn(@arg) every @period_ms (first at once with @at_once, else
 * after one period) on a thread of its own; @what names it in errors. */
int ks_ticker_start(ks_ticker **out, const char *what, uint64_t period_ms,
                    bool at_once, ks_tick_fn fn, void *arg);
/* Stop and join it (a call of @fn under way finishes first); NULL: no-op. */
void ks_ticker_stop(ks_ticker *t);

/* gc.c: the garbage collector and namespace controller */
/* What a run did: changes made, and snapshots of the store taken (one
 * per sweep, each applying every rule it can). */
typedef struct ks_gc_stats {
	size_t changes, snapshots;
} ks_gc_stats;
/* Run them until nothing changes, emptying namespaces Terminating for
 * @ns_age seconds or more; *stats (may be NULL) says what it took.
 * Returns 0, 1 when a namespace is still too young, or a negative code.
 * The caller holds ks_server.lock. */
int ks_gc_run(ks_store *store, unsigned ns_age, ks_gc_stats *stats);
/* Start (and stop, joining it) the worker running them every 250 ms. */
int ks_gc_start(ks_server *ks);
void ks_gc_stop(ks_server *ks);

/* write.c: POST and PUT */
int ks_create(ks_req *r);
int ks_update(ks_req *r);
/* The 409 Conflict an update with a stale resourceVersion gets (the
 * fault injection's storms answer it too). */
int ks_reply_conflict(ks_req *r);

/* patch.c: PATCH, server-side apply included (ssa.h has the rest) */
int ks_patch(ks_req *r);

/* crd.c: what creating a CRD does */
int ks_crd_accept(ga_node *crd, ks_status *st);
/* Stop serving @crd's kind and drop its objects. */
void ks_crd_forget(ks_store *store, const ga_node *crd);

/* kubeconfig.c */
int ks_kubeconfig_write(const char *path, const char *server_url,
                        const char *ca_pem, const char *token);

#endif
