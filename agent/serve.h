/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The agent's HTTP side (serve.c): /healthz, /readyz, /metrics and the
 * push webhook POST /hook, on connection threads of ga_httpd.  What they
 * share with the reconcile loop (readiness, the webhook's type and secret,
 * the trigger, the metrics) sits behind one mutex; the loop sets, the
 * handlers read.
 */
#ifndef GA_AGENT_SERVE_H
#define GA_AGENT_SERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ga/apply.h"

typedef struct ga_serve ga_serve;

/* Listen on @addr:@port (0: any free port).  Returns 0 or an httpd code. */
int ga_serve_start(ga_serve **out, const char *addr, unsigned port);
/* Stop serving and free @s; NULL is ignored. */
void ga_serve_stop(ga_serve *s);
unsigned ga_serve_port(const ga_serve *s);

/* Readiness: a configuration is in force, a reconcile was attempted. */
void ga_serve_set_ready(ga_serve *s, bool config, bool attempted);

/*
 * Leader election: whether this replica leads (the metric
 * gitops_agent_leader) and, for a standby, who does (@holder, copied;
 * "" when unknown).  A standby with a configuration is ready: it is
 * healthy and takes over when the leader goes.
 */
void ga_serve_set_leader(ga_serve *s, bool leading, const char *holder);

/*
 * The receiver: @type a ga_webhook_type name, or NULL for none (POST
 * /hook then answers 404); @secret (@len bytes) is copied.
 */
void ga_serve_set_webhook(ga_serve *s, const char *type, const char *secret,
                          size_t len);

/*
 * Wait up to @ms for a webhook trigger; true (and the trigger consumed)
 * when one came.  ga_serve_peek_trigger() looks without consuming.
 */
bool ga_serve_wait_trigger(ga_serve *s, uint64_t ms);
bool ga_serve_peek_trigger(ga_serve *s);

/* Metrics of a reconcile: @result "success", "failure" or "preempted". */
void ga_serve_observe_pass(ga_serve *s, const char *result, double seconds,
                           const ga_apply_report *rep);
/* A failure at @stage for @reason (bounded vocabularies both). */
void ga_serve_count_failure(ga_serve *s, const char *stage, const char *reason);
void ga_serve_count_verify_failure(ga_serve *s, const char *reason);
void ga_serve_count_config_rejected(ga_serve *s);
/* The peak RSS of the last source process (source.h). */
void ga_serve_set_source_rss(ga_serve *s, uint64_t bytes);
/* The revision now applied (the previous one's series drops to 0). */
void ga_serve_set_revision(ga_serve *s, const char *revision,
                           const char *signer);

#endif
