/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The parts of the leader elector (leader.c) that tests reach without a
 * server: the Lease record's decoder, the expiry rule and a clock hook.
 * Not installed.
 */
#ifndef GA_KUBE_LEADER_INT_H
#define GA_KUBE_LEADER_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "ga/kube.h"
#include "ga/leader.h"
#include "ga/node.h"

/* Room for a holder (a pod name is a DNS subdomain, 253 bytes). */
#define GA_LEADER__HOLDER_MAX 254
/* Room for a MicroTime, "2006-01-02T15:04:05.000000Z07:00" and more. */
#define GA_LEADER__TIME_MAX 40

/* client-go's LeaderElectionRecord as a Lease spec holds it. */
typedef struct ga_leader__record {
	char holder[GA_LEADER__HOLDER_MAX]; /* "": nobody holds it */
	int64_t lease_s;                    /* leaseDurationSeconds; 0: unset */
	int64_t transitions;                /* leaseTransitions */
	char acquire[GA_LEADER__TIME_MAX];  /* MicroTime text as stored */
	char renew[GA_LEADER__TIME_MAX];
} ga_leader__record;

/*
 * The record in the spec of @lease (a Lease object from the server).  A
 * missing spec or field reads as empty.  Returns 0 or GA_EINVALID (a field of
 * the wrong type, negative, over int32 or too long), with a message naming the
 * field.
 */
int ga_leader__decode(ga_leader__record *r, const ga_node *lease);

/* Whether two records say the same (client-go compares the raw record). */
bool ga_leader__same(const ga_leader__record *a, const ga_leader__record *b);

/*
 * Whether @r, first seen unchanged at @seen_ms on the local monotonic
 * clock, still binds others at @now_ms: it names a holder and its lease
 * duration (@dflt_ms when the record has none) has not run out since it
 * was seen.  The remote timestamps are never compared with the local
 * clock, which makes clock skew between replicas harmless.
 */
bool ga_leader__held(const ga_leader__record *r, uint64_t seen_ms,
                     uint64_t dflt_ms, uint64_t now_ms);

/* Replace @l's monotonic clock (ga_now_ms) with @now, for tests. */
void ga_leader__set_clock(ga_leader *l, uint64_t (*now)(void *arg), void *arg);

#endif
