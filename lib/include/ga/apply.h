/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The apply engine (Flux's kustomize-controller and fluxcd/pkg/ssa as the
 * reference describes them).  Its parts that need no API server: the
 * staged apply order and its reverse for prune, kstatus health of a live
 * object, the normalisation and drift test around a dry-run apply and a
 * kubectl-diff style printout, the inventory of applied objects and its
 * compressed ConfigMap encoding, the prune plan with its guard rails, the
 * decision whether an immutable-field error allows delete-and-recreate,
 * and taking over what kubectl wrote.  Then ga_apply_run(), which drives
 * them against the API server through a ga_kube client, with a memo of
 * the last apply for drift checks.  Objects are ga_node trees; ownership
 * is stated per function.  Thread-safe: no global state; distinct values
 * may be used concurrently (a ga_kube is one thread's).
 */
#ifndef GA_APPLY_H
#define GA_APPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "common.h"
#include "node.h"

/**
 * An object's identity.  The strings are borrowed from whatever filled the
 * struct (an inventory, or the caller); group and ns are "" for the core
 * group and cluster-scoped objects.
 */
typedef struct ga_apply_ref {
	const char *group, *version, *kind, *ns, *name;
} ga_apply_ref;

/* ---- Ordering ---------------------------------------------------------- */

/** The apply stages, in order (ssa.ApplyAllStaged). */
typedef enum ga_apply_stage {
	GA_APPLY_STAGE_DEFINITIONS, /**< CRDs, Namespaces, ClusterRoles */
	GA_APPLY_STAGE_CLASSES,     /**< every kind whose name ends in Class */
	GA_APPLY_STAGE_CUSTOM,      /**< the caller's extra stage kinds */
	GA_APPLY_STAGE_RESOURCES,   /**< everything else, webhooks last */
	GA_APPLY_NSTAGES
} ga_apply_stage;

/**
 * An order over the caller's objects.  order[] holds indices into the
 * input; stage s covers order[stage_end[s-1] .. stage_end[s]) (from 0 for
 * the first).  Caller-allocated; free the contents with
 * ga_apply_order_dispose().
 */
typedef struct ga_apply_order {
	size_t *order;
	size_t n;
	size_t stage_end[GA_APPLY_NSTAGES];
} ga_apply_order;

/**
 * Sort @n objects into apply order: the stages above, each sorted by
 * Flux's ReconcileOrder (a fixed list of kinds first, then the other
 * kinds by group and kind, admission webhook configurations last; ties by
 * namespace, then name, then input position).  @custom_kinds lists
 * "group/Kind" (or "Kind" for the core group) for the custom stage; may be
 * NULL.  Returns 0, GA_EINVALID (an object without apiVersion, kind or
 * metadata.name; the message names it) or GA_ENOMEM.
 */
GA_EXTERN int ga_apply_sort(ga_apply_order *out, ga_node *const *objs, size_t n,
                            const char *const *custom_kinds, size_t ncustom);

/**
 * Sort @n identities into deletion order, the exact reverse of
 * ReconcileOrder (webhooks first, Namespaces and CRDs last), as one stage.
 * Returns 0 or GA_ENOMEM.
 */
GA_EXTERN int ga_apply_sort_delete(ga_apply_order *out,
                                   const ga_apply_ref *refs, size_t n);

/** Release an order's contents; the struct may be reused. */
GA_EXTERN void ga_apply_order_dispose(ga_apply_order *o);

/** Whether the engine waits for a stage's objects to be Current. */
GA_EXTERN bool ga_apply_stage_waits(ga_apply_stage stage);

/** "definitions", "classes", "custom" or "resources". */
GA_EXTERN const char *ga_apply_stage_name(ga_apply_stage stage);

/**
 * Fill @ref from @obj: pointers into @obj except group, which is copied
 * into @group (at least 254 bytes).  Returns 0 or GA_EINVALID (the message
 * names the missing or malformed field).
 */
GA_EXTERN int ga_apply_ref_of(ga_apply_ref *ref, char *group, size_t group_size,
                              const ga_node *obj);

/* ---- Health (kstatus) -------------------------------------------------- */

typedef enum ga_health_status {
	GA_HEALTH_UNKNOWN = 0, /**< the object cannot be read */
	GA_HEALTH_CURRENT,     /**< reconciled and ready */
	GA_HEALTH_IN_PROGRESS, /**< still converging */
	GA_HEALTH_FAILED,      /**< will not converge without a change */
	GA_HEALTH_TERMINATING, /**< being deleted */
} ga_health_status;

/** A status with kstatus's reason and a message for humans. */
typedef struct ga_health {
	ga_health_status status;
	char reason[64];
	char message[256];
} ga_health;

/**
 * The kstatus status of the live object @obj (Flux's cli-utils rules, with
 * Flux's Job reader).  Never fails: an unreadable object is Unknown with a
 * reason.
 */
GA_EXTERN void ga_apply_health(ga_health *out, const ga_node *obj);

/** "Current", "InProgress", "Failed", "Terminating" or "Unknown". */
GA_EXTERN const char *ga_health_status_name(ga_health_status status);

/* ---- Normalisation, drift and diff -------------------------------------- */

typedef enum ga_apply_action {
	GA_APPLY_CREATED,
	GA_APPLY_CONFIGURED,
	GA_APPLY_UNCHANGED,
} ga_apply_action;

/** "created", "configured" or "unchanged". */
GA_EXTERN const char *ga_apply_action_name(ga_apply_action action);

/**
 * Normalise a desired object in place before it is applied, as
 * kustomize-controller does: container, init container and Service port
 * protocols default to TCP, a Secret's stringData is merged into data,
 * metadata.creationTimestamp becomes null, status is dropped (kept on
 * CRDs) and a CRD's conversion webhook caBundle that holds no PEM
 * certificate is removed (Kubernetes 1.31 rejects it).  Returns 0, GA_EINVALID
 * (stringData that is not a map of strings) or GA_ENOMEM.
 */
GA_EXTERN int ga_apply_normalize(ga_node *obj);

/**
 * Classify the dry-run result @dry_run against the live object @live
 * (NULL when it does not exist): created when the result has no
 * resourceVersion; configured when labels or annotations differ, or the
 * objects differ once metadata and status are removed and HPA metrics
 * deduplicated; unchanged otherwise.  Returns 0, GA_EINVALID (@dry_run is
 * not an object) or GA_ENOMEM.
 */
GA_EXTERN int ga_apply_classify(ga_apply_action *out, const ga_node *live,
                                const ga_node *dry_run);

/**
 * Append a unified diff of @live (NULL: absent) and @merged (NULL:
 * deleted) to @out in kubectl diff's layout: "diff -u -N" and "---"/"+++"
 * lines naming the object as group.version.Kind.namespace.name under
 * "live/" and "merged/", then YAML hunks with three lines of context.
 * managedFields are left out and Secret data values masked ("***", or
 * "*** (before)" / "*** (after)" when they differ), so no secret is ever
 * printed.  Nothing is appended when they are equal.  Returns 0,
 * GA_EINVALID (neither is an object), GA_ENOMEM or GA_ELIMIT (@out's cap).
 */
GA_EXTERN int ga_apply_diff(ga_buf *out, const ga_node *live,
                            const ga_node *merged);

/* ---- Inventory ---------------------------------------------------------- */

/** A set of object identities, kept sorted by entry ID (opaque). */
typedef struct ga_inventory ga_inventory;

/** Returns 0 or GA_ENOMEM. */
GA_EXTERN int ga_inventory_new(ga_inventory **out);
/** NULL is ignored. */
GA_EXTERN void ga_inventory_free(ga_inventory *inv);

/**
 * Add a copy of @ref.  An entry with the same group, kind, namespace and
 * name takes the new version.  Returns 0, GA_EINVALID (an empty kind or
 * name, a field with '_' or a control character) or GA_ENOMEM.
 */
GA_EXTERN int ga_inventory_add(ga_inventory *inv, const ga_apply_ref *ref);
/** ga_inventory_add() of an object's identity.  Returns the same. */
GA_EXTERN int ga_inventory_add_object(ga_inventory *inv, const ga_node *obj);

GA_EXTERN size_t ga_inventory_count(const ga_inventory *inv);
/** The i-th entry in ID order; borrowed until @inv changes. */
GA_EXTERN const ga_apply_ref *ga_inventory_get(const ga_inventory *inv,
                                               size_t i);
/** The i-th entry's ID, "<namespace>_<name>_<group>_<kind>". */
GA_EXTERN const char *ga_inventory_id(const ga_inventory *inv, size_t i);
/** Whether an entry with @ref's identity (version ignored) exists. */
GA_EXTERN bool ga_inventory_contains(const ga_inventory *inv,
                                     const ga_apply_ref *ref);

/**
 * The entries of @old that @cur lacks (what a prune considers), with
 * @old's versions.  Returns 0 or GA_ENOMEM.
 */
GA_EXTERN int ga_inventory_diff(ga_inventory **out, const ga_inventory *old,
                                const ga_inventory *cur);

/** Encoding limits; GA_INVENTORY_OPTS_INIT gives the defaults. */
typedef struct ga_inventory_opts {
	size_t chunk_bytes;     /**< compressed bytes per binaryData key */
	size_t chunks_per_part; /**< keys per ConfigMap */
} ga_inventory_opts;
#define GA_INVENTORY_OPTS_INIT                                                 \
	{                                                                      \
		65536, 4                                                       \
	}

/**
 * Encode @inv as a list of ConfigMaps @name, @name-1, @name-2, ... in
 * namespace @ns.  The sorted "<id> <version>" lines are compressed (zlib)
 * and split into binaryData keys inventory.NNN; data holds the format
 * version, the entry count, the number of parts and the payload's SHA-256.
 * With the default options a ConfigMap stays under 360 KiB.  @opts may be
 * NULL.  Returns 0, GA_EINVALID (bad options) or GA_ENOMEM.
 */
GA_EXTERN int ga_inventory_encode(ga_node **out, const ga_inventory *inv,
                                  const char *name, const char *ns,
                                  const ga_inventory_opts *opts);

/**
 * Decode the ConfigMaps ga_inventory_encode() wrote: @cms is a list of
 * them in any order, or one ConfigMap.  Every inconsistency is an error
 * naming the ConfigMap and field.  Returns 0, GA_EINVALID (missing or
 * malformed part, key or line), GA_EUNSUPPORTED (another format version),
 * GA_EVERIFY (checksum mismatch), GA_ELIMIT (larger than 64 MiB
 * uncompressed) or GA_ENOMEM.
 */
GA_EXTERN int ga_inventory_decode(ga_inventory **out, const ga_node *cms);

/* ---- Prune -------------------------------------------------------------- */

/** A label every object the agent owns carries. */
typedef struct ga_apply_label {
	const char *key, *value;
} ga_apply_label;

typedef struct ga_prune_opts {
	const ga_apply_label
	    *owner_labels; /**< all must match the live object */
	size_t nowner_labels;
	const char *agent_namespace; /**< its Namespace is never pruned */
	bool allow_namespaces;       /**< may delete Namespaces */
	bool allow_crds;             /**< may delete CRDs */
	bool allow_volumes;          /**< may delete PVCs and PVs */
	unsigned max_percent; /**< share of the old inventory; 100: off */
} ga_prune_opts;
#define GA_PRUNE_OPTS_INIT                                                     \
	{                                                                      \
		NULL, 0, NULL, false, false, false, 50                         \
	}

typedef enum ga_prune_decision {
	GA_PRUNE_DELETE,    /**< delete it */
	GA_PRUNE_GONE,      /**< already gone: counts as deleted */
	GA_PRUNE_NOT_OWNED, /**< live labels do not match ours */
	GA_PRUNE_DISABLED,  /**< prune/reconcile disabled or ssa Ignore */
	GA_PRUNE_PROTECTED, /**< a kind or namespace the options protect */
} ga_prune_decision;

typedef struct ga_prune_item {
	ga_apply_ref ref; /**< borrowed from the plan's inventory */
	ga_prune_decision decision;
	const char *why; /**< a static phrase */
} ga_prune_item;

/** Caller-allocated; free the contents with ga_prune_plan_dispose(). */
typedef struct ga_prune_plan {
	ga_inventory *stale;  /**< owned: old entries the new set lacks */
	ga_prune_item *items; /**< every stale entry, in deletion order */
	size_t n, ndelete;
} ga_prune_plan;

/**
 * Give the live object for @ref in *@out (borrowed until the plan is
 * made), or NULL when it does not exist.  Returns 0 or a negative code,
 * which stops the plan.
 */
typedef int (*ga_prune_live_fn)(const ga_node **out, const ga_apply_ref *ref,
                                void *payload);

/**
 * Plan the prune of the entries of @old missing from @cur.  Returns 0,
 * GA_ELIMIT (more than opts->max_percent of @old would be deleted: the
 * message lists them and *out is untouched), GA_EINVALID (no owner
 * labels) or a code from @live.
 */
GA_EXTERN int ga_prune_plan_make(ga_prune_plan *out, const ga_inventory *old,
                                 const ga_inventory *cur, ga_prune_live_fn live,
                                 void *payload, const ga_prune_opts *opts);

GA_EXTERN void ga_prune_plan_dispose(ga_prune_plan *plan);

/* ---- Immutable fields ---------------------------------------------------- */

typedef struct ga_recreate_opts {
	bool force; /**< any kind may be recreated (Flux's spec.force) */
	const char *const *kinds; /**< "group/Kind" allowed; NULL: batch/Job */
	size_t nkinds;
} ga_recreate_opts;
#define GA_RECREATE_OPTS_INIT                                                  \
	{                                                                      \
		false, NULL, 0                                                 \
	}

typedef struct ga_recreate {
	bool immutable; /**< the error is an immutable-field error */
	bool allowed;   /**< and delete-and-recreate may fix it */
	char why[256];
} ga_recreate;

/**
 * Decide from an apply error whether to delete and recreate the object:
 * @http and the Status body @status (NULL when there was none) must be a
 * 422 Invalid whose every cause is an immutable-field cause as
 * kube-apiserver words them; any other error, generic 422s and 409s
 * included, is not.  Allowed when @opts force it, the kind is in the
 * allowed list, or @desired or @live (either may be NULL) carries
 * kustomize.toolkit.fluxcd.io/force: Enabled.  @opts may be NULL.
 */
GA_EXTERN void ga_apply_recreate_check(ga_recreate *out, long http,
                                       const ga_node *status,
                                       const ga_node *desired,
                                       const ga_node *live,
                                       const ga_recreate_opts *opts);

/* ---- Taking over kubectl's objects -------------------------------------- */

/**
 * What to write so that @manager owns what kubectl wrote into @live
 * (Flux's managed-fields cleanup): *@out is a copy of @live without the
 * kubectl.kubernetes.io/last-applied-configuration annotation, whose
 * managedFields entries of managers starting with "kubectl" (Apply or
 * Update) and of before-first-apply (Update), subresources excepted, are
 * merged (fieldsV1 union) into @manager's Apply entry or renamed to it;
 * *@out is NULL when there is nothing to take over.  Write it with an
 * update (PUT) carrying its resourceVersion.  Returns 0, GA_EINVALID
 * (no object or manager) or GA_ENOMEM.
 */
GA_EXTERN int ga_apply_take_over(ga_node **out, const ga_node *live,
                                 const char *manager);

/**
 * Leave to a controller what it owns: when the live object's
 * managedFields show another manager's Update owning spec.replicas (an
 * HPA, which writes through the scale subresource), remove spec.replicas
 * from the desired @obj, so that applying it with force does not take
 * the field back and fight the autoscaler.  Status is never applied, so
 * it needs no such care.  Returns 1 when the field was left out, else 0.
 */
GA_EXTERN int ga_apply_yield(ga_node *obj, const ga_node *live,
                             const char *manager);

/* ---- The engine (talks to the API server) -------------------------------- */

typedef struct ga_kube ga_kube;

/**
 * What the last apply saw, for the idle loop's drift check (opaque):
 * per object the digest of the desired object and of the live labels and
 * annotations, and the live generation (resourceVersion for kinds
 * without one).  An object whose three still match is unchanged without
 * a dry run, its live side read by one LIST per kind and namespace with
 * the owner label selector.
 */
typedef struct ga_apply_memo ga_apply_memo;

/** Returns 0 or GA_ENOMEM. */
GA_EXTERN int ga_apply_memo_new(ga_apply_memo **out);
/** NULL is ignored. */
GA_EXTERN void ga_apply_memo_free(ga_apply_memo *m);
/** Objects recorded (0 after a failed apply: the next one checks all). */
GA_EXTERN size_t ga_apply_memo_count(const ga_apply_memo *m);

/** What happened to one object. */
typedef enum ga_apply_outcome {
	GA_OUTCOME_CREATED,
	GA_OUTCOME_CONFIGURED,
	GA_OUTCOME_UNCHANGED,
	GA_OUTCOME_PRUNED,
	GA_OUTCOME_FAILED,
	/** Left alone as its kustomize.toolkit.fluxcd.io/ssa (Ignore,
	 * IfNotPresent once it exists) or /reconcile (disabled) annotation
	 * or label asks, on the desired or the live object. */
	GA_OUTCOME_SKIPPED,
	GA_OUTCOME_NKINDS
} ga_apply_outcome;

/** "created", "configured", "unchanged", "pruned", "failed" or
 * "skipped". */
GA_EXTERN const char *ga_apply_outcome_name(ga_apply_outcome outcome);

/**
 * The annotation in which a desired object may name the file it came
 * from (ga_kust_opts.source_annotation): ga_apply_run() takes it off
 * before any request, keeps it as the entry's source and names the file
 * in the object's messages.
 */
#define GA_APPLY_SOURCE_ANNOTATION "internal.gitops-agent.io/source"

/** One object of a report; the strings are owned by the report. */
typedef struct ga_apply_entry {
	char *group, *version, *kind, *ns, *name; /**< ns "" when
	                                           * cluster-scoped */
	char *source; /**< the file it came from, or NULL */
	ga_apply_outcome outcome;
	/** Why it failed, or NULL: "FILE: API-VERSION KIND NS/NAME: " (FILE
	 * when known), then the server's causes ("FIELD: MESSAGE; ...") or
	 * the step that failed and its error. */
	char *message;
	bool recreated;   /**< deleted and created again */
	ga_health health; /**< with wait: its last health */
	/** The drift memo let it go unchanged and @health was judged from
	 * the live object this reconcile's LIST returned: a caller that
	 * waits for health need not read it again while it is Current. */
	bool health_listed;
} ga_apply_entry;

/** Caller-allocated; zero it, free the contents with
 * ga_apply_report_dispose(). */
typedef struct ga_apply_report {
	ga_apply_entry *entries; /**< the objects in apply order, then the
	                          * pruned ones in deletion order */
	size_t n, cap;
	size_t totals[GA_OUTCOME_NKINDS];
	ga_buf diff;    /**< with opts.diff: the unified diffs */
	bool changed;   /**< something was (or would be) written */
	size_t skipped; /**< objects the memo let go without a dry run */
	/** Requests of this reconcile: reads, dry runs, writes. */
	unsigned long long reads, dry_runs, writes;
} ga_apply_report;

GA_EXTERN void ga_apply_report_dispose(ga_apply_report *r);

typedef struct ga_apply_run_opts {
	const char *field_manager; /**< required */
	/** Labels set on every object; prune needs them. */
	const ga_apply_label *owner_labels;
	size_t nowner_labels;
	/** Namespace of namespaced objects that name none. */
	const char *default_namespace;
	/** The inventory ConfigMaps; NULL name: no inventory, no prune. */
	const char *inventory_name, *inventory_ns;
	bool prune;
	ga_prune_opts prune_opts; /**< owner labels come from above */
	bool wait;                /**< wait for every object's health */
	uint64_t timeout_ms;      /**< wait, CRDs and recreate; 0: 5 min */
	uint64_t poll_ms;         /**< between health polls; 0: 500 ms */
	/** Dry-run and classify only; with prune and an inventory, what
	 * the prune would delete is reported as pruned (and diffed as
	 * deleted), the guard rails applied, but nothing is deleted. */
	bool dry_run;
	bool diff; /**< append diffs to report->diff */
	ga_recreate_opts recreate;
	/** The drift memo (may be NULL): read, then replaced by what this
	 * apply saw; cleared when it fails. */
	ga_apply_memo *memo;
} ga_apply_run_opts;

/**
 * Reconcile the cluster with @objs (a list of objects, normalised and
 * labelled in place) as kustomize-controller does: sort into stages,
 * server-side apply with dryRun=All and force every object whose kind is
 * served (kinds that CRDs of the set define: once those are
 * Established), classify against the live object, then apply stage by
 * stage only what is created or configured, waiting for CRDs to be
 * Established and Namespaces Active after the first stage.  An
 * immutable-field error deletes and recreates the object when the
 * options allow it.  With an inventory, the previous one is read before
 * the first write and, when the set adds objects, stored with them
 * added (so an apply cut short by a crash or a failure leaves nothing
 * that no inventory names); after the apply the prune is planned and
 * done (with opts.prune) and the set's inventory written;
 * with wait, every object's health is polled until all are Current, one
 * Failed or the timeout.  If any dry run fails nothing is applied.
 * Every object ends in @report with its outcome and message.  Returns
 * 0, GA_EINVALID (a dry run or apply failed, the report says which),
 * GA_ELIMIT (the prune guard rail), GA_ERROR (an object Failed or the
 * wait timed out; the report gives each object's reason), or a request
 * failure; the last error sums it up.
 */
GA_EXTERN int ga_apply_run(ga_apply_report *report, ga_kube *k, ga_node *objs,
                           const ga_apply_run_opts *opts);

#endif
