/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Leader election on a coordination.k8s.io/v1 Lease, with client-go's
 * leaderelection semantics, so that only one replica of the agent
 * reconciles at a time.  The elector has no thread or timer of its own: the
 * caller's loop calls ga_leader_step() at ga_leader_next_ms() and acts only
 * while it says it leads.  An elector borrows its ga_kube client and is
 * used from that client's thread only; that client's request timeout
 * (retries included) should be well below renew_deadline_ms, since a step
 * blocks while it waits for the server.  The loop looks like:
 *
 *	for (;;) {
 *		(void)ga_leader_step(l, &leading);  (failures are logged)
 *		if (leading) reconcile a little; else stop reconciling;
 *		sleep until ga_leader_next_ms(l);
 *	}
 *	stop reconciling, then ga_leader_release(l) on shutdown.
 */
#ifndef GA_LEADER_H
#define GA_LEADER_H

#include <stdbool.h>
#include <stdint.h>

#include "common.h"
#include "kube.h"

typedef struct ga_leader ga_leader;

/** client-go's defaults (LeaseDuration, RenewDeadline, RetryPeriod). */
#define GA_LEADER_LEASE_MS 15000
#define GA_LEADER_RENEW_DEADLINE_MS 10000
#define GA_LEADER_RETRY_MS 2000

typedef struct ga_leader_opts {
	/** The Lease's namespace and name, and this replica's identity
	 * (holderIdentity; usually the pod name).  All required. */
	const char *ns, *name, *identity;
	/** How long others wait before taking a lease that is not renewed;
	 * how long a leader keeps leading without a successful renewal
	 * (below lease_ms); how often to try.  0: the defaults above. */
	uint64_t lease_ms, renew_deadline_ms, retry_ms;
} ga_leader_opts;

/**
 * An elector for @opts (copied) that talks through @k, which must outlive
 * it.  Sends nothing yet.  Returns 0, GA_EINVALID (a name or identity
 * missing or too long, or renew_deadline_ms not below lease_ms and above
 * retry_ms) or GA_ENOMEM.
 */
GA_EXTERN int ga_leader_new(ga_leader **out, ga_kube *k,
                            const ga_leader_opts *opts);
GA_EXTERN void ga_leader_free(ga_leader *l);

/**
 * One attempt to acquire or renew the Lease (creating it if missing).
 * *@leading says whether this replica leads now: true after a successful
 * acquire or renew, and after a failed renew while the last successful one
 * is less than renew_deadline_ms old; false once the deadline passed, when
 * another holder is seen, or when another replica won a race (409).
 * Returns 0 when the server answered (whoever leads), or the failure of
 * the request (GA_ERETRY, GA_EAUTH, ...; GA_EINVALID for a Lease whose spec
 * is malformed), with *@leading set all the same.
 */
GA_EXTERN int ga_leader_step(ga_leader *l, bool *leading);

/** When to call ga_leader_step() again, in ga_now_ms() time: a leader
 * retry_ms after the last step started, a candidate up to 1.2 retry_ms
 * later at random (client-go's jitter); 0 before the first step. */
GA_EXTERN uint64_t ga_leader_next_ms(const ga_leader *l);

/** The holder last observed in the Lease ("" for none), borrowed until
 * the next step or release. */
GA_EXTERN const char *ga_leader_holder(const ga_leader *l);

/**
 * Give the Lease up if this replica holds it, as client-go's
 * ReleaseOnCancel does: holderIdentity empty and leaseDurationSeconds 1,
 * so that another replica takes over at its next step.  Call it on
 * shutdown, after reconciling stopped.  Returns 0 (also when not
 * leading), GA_ECONFLICT (the Lease changed: it was no longer ours) or a
 * request failure.
 */
GA_EXTERN int ga_leader_release(ga_leader *l);

#endif
