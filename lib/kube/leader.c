/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Leader election on a coordination.k8s.io/v1 Lease (ga/leader.h), after
 * client-go's tools/leaderelection: the Lease spec is the record
 * (holderIdentity, leaseDurationSeconds, acquireTime, renewTime as
 * MicroTime, leaseTransitions); writes are PUTs carrying the
 * resourceVersion last read, so of two replicas racing for a free lease
 * one gets 409 Conflict and loses.  A lease is free when it names no
 * holder, or when its lease duration passed on the *local* monotonic clock
 * since this replica saw the record last change: renewTime is written for
 * humans and other tools but never compared with our clock, so clock skew
 * between nodes does no harm (only a skew in clock *rate* could, which
 * lease_ms > renew_deadline_ms absorbs).  A leader renews with the
 * object it wrote last (client-go's optimistic fast path) and reads the
 * Lease again only when that write conflicts.  One difference from
 * client-go: a leader that sees another live holder stops leading at once
 * instead of waiting out its renew deadline.
 */
#include "leader_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/error.h"
#include "ga/json.h"
#include "ga/time.h"

#define API_VERSION "coordination.k8s.io/v1"
#define KIND "Lease"
/* The field manager of our writes, as client-go's is its user agent. */
#define MANAGER "gitops-agent-leader-election"
/* The largest spec we write: names and stamps are bounded. */
#define SPEC_MAX 2048

struct ga_leader {
	ga_kube *k;
	char ns[GA_LEADER__HOLDER_MAX], name[GA_LEADER__HOLDER_MAX];
	char identity[GA_LEADER__HOLDER_MAX];
	uint64_t lease_ms, renew_ms, retry_ms;
	uint64_t (*now)(void *arg);
	void *now_arg;
	ga_node *obj;           /* the Lease last read or written, or NULL */
	ga_leader__record seen; /* its record */
	uint64_t seen_ms;       /* when that record was first seen */
	bool leading;
	uint64_t renewed_ms; /* the last successful acquire or renewal */
	uint64_t next_ms;
};

static uint64_t real_now(void *arg)
{
	(void)arg;
	return ga_now_ms();
}

/* Copy @src into @dst of @cap bytes; GA_EINVALID naming @what if it does
 * not fit. */
static int copy_str(char *dst, size_t cap, const char *src, const char *what)
{
	size_t len = strlen(src);

	if (len >= cap) {
		ga_error_set(GA_ERRCLASS_KUBE, "%s over %zu bytes", what,
		             cap - 1);
		return GA_EINVALID;
	}
	memcpy(dst, src, len + 1);
	return 0;
}

/* A string field @key of @spec into @dst; absent or null reads as "". */
static int decode_str(char *dst, size_t cap, const ga_node *spec,
                      const char *key)
{
	const ga_node *v = spec ? ga_node_map_get(spec, key) : NULL;
	char what[64];

	dst[0] = '\0';
	if (!v || ga_node_type_of(v) == GA_NODE_NULL)
		return 0;
	snprintf(what, sizeof(what), "Lease spec.%s", key);
	if (ga_node_type_of(v) != GA_NODE_STRING ||
	    strlen(ga_node_str(v)) != ga_node_str_len(v)) {
		ga_error_set(GA_ERRCLASS_KUBE, "%s: not a string", what);
		return GA_EINVALID;
	}
	return copy_str(dst, cap, ga_node_str(v), what);
}

/* An int32 field @key of @spec, at least 0; absent or null reads as 0. */
static int decode_int(int64_t *out, const ga_node *spec, const char *key)
{
	const ga_node *v = spec ? ga_node_map_get(spec, key) : NULL;

	*out = 0;
	if (!v || ga_node_type_of(v) == GA_NODE_NULL)
		return 0;
	if (ga_node_type_of(v) != GA_NODE_INT || ga_node_is_uint(v) ||
	    ga_node_int(v) < 0 || ga_node_int(v) > INT32_MAX) {
		ga_error_set(GA_ERRCLASS_KUBE,
		             "Lease spec.%s: not an integer from 0 to %d", key,
		             INT32_MAX);
		return GA_EINVALID;
	}
	*out = ga_node_int(v);
	return 0;
}

int ga_leader__decode(ga_leader__record *r, const ga_node *lease)
{
	const ga_node *spec = NULL;
	int err;

	memset(r, 0, sizeof(*r));
	if (!lease || ga_node_type_of(lease) != GA_NODE_MAP) {
		ga_error_set(GA_ERRCLASS_KUBE, "Lease: not an object");
		return GA_EINVALID;
	}
	spec = ga_node_map_get(lease, "spec");
	if (spec && ga_node_type_of(spec) != GA_NODE_NULL &&
	    ga_node_type_of(spec) != GA_NODE_MAP) {
		ga_error_set(GA_ERRCLASS_KUBE, "Lease spec: not an object");
		return GA_EINVALID;
	}
	if ((err = decode_str(r->holder, sizeof(r->holder), spec,
	                      "holderIdentity")) < 0 ||
	    (err = decode_int(&r->lease_s, spec, "leaseDurationSeconds")) < 0 ||
	    (err = decode_int(&r->transitions, spec, "leaseTransitions")) < 0 ||
	    (err = decode_str(r->acquire, sizeof(r->acquire), spec,
	                      "acquireTime")) < 0)
		return err;
	return decode_str(r->renew, sizeof(r->renew), spec, "renewTime");
}

bool ga_leader__same(const ga_leader__record *a, const ga_leader__record *b)
{
	return !strcmp(a->holder, b->holder) && a->lease_s == b->lease_s &&
	       a->transitions == b->transitions &&
	       !strcmp(a->acquire, b->acquire) && !strcmp(a->renew, b->renew);
}

bool ga_leader__held(const ga_leader__record *r, uint64_t seen_ms,
                     uint64_t dflt_ms, uint64_t now_ms)
{
	uint64_t lease_ms =
	    r->lease_s > 0 ? (uint64_t)r->lease_s * 1000 : dflt_ms;

	return r->holder[0] && now_ms < seen_ms + lease_ms;
}

void ga_leader__set_clock(ga_leader *l, uint64_t (*now)(void *arg), void *arg)
{
	l->now = now;
	l->now_arg = arg;
}

/* Check and take @opts's durations, client-go's defaults for zeros. */
static int take_durations(ga_leader *l, const ga_leader_opts *o)
{
	l->lease_ms = o->lease_ms ? o->lease_ms : GA_LEADER_LEASE_MS;
	l->renew_ms = o->renew_deadline_ms ? o->renew_deadline_ms
	                                   : GA_LEADER_RENEW_DEADLINE_MS;
	l->retry_ms = o->retry_ms ? o->retry_ms : GA_LEADER_RETRY_MS;
	/* client-go's NewLeaderElector checks: without a margin between
	 * the two, a leader could still act when others take over. */
	if (l->lease_ms <= l->renew_ms || l->renew_ms <= l->retry_ms ||
	    l->lease_ms > (uint64_t)INT32_MAX * 1000) {
		ga_error_set(GA_ERRCLASS_KUBE,
		             "leader election: need lease (%" PRIu64
		             " ms) > renew deadline (%" PRIu64
		             " ms) > retry period (%" PRIu64 " ms)",
		             l->lease_ms, l->renew_ms, l->retry_ms);
		return GA_EINVALID;
	}
	return 0;
}

int ga_leader_new(ga_leader **out, ga_kube *k, const ga_leader_opts *opts)
{
	ga_leader *l = NULL;
	int err;

	if (!opts->ns || !opts->ns[0] || !opts->name || !opts->name[0] ||
	    !opts->identity || !opts->identity[0]) {
		ga_error_set(GA_ERRCLASS_KUBE,
		             "leader election: a namespace, "
		             "name and identity are required");
		return GA_EINVALID;
	}
	if (!(l = ga_calloc(1, sizeof(*l))))
		return GA_ENOMEM;
	l->k = k;
	l->now = real_now;
	if ((err = copy_str(l->ns, sizeof(l->ns), opts->ns, "namespace")) < 0 ||
	    (err = copy_str(l->name, sizeof(l->name), opts->name,
	                    "Lease name")) < 0 ||
	    (err = copy_str(l->identity, sizeof(l->identity), opts->identity,
	                    "identity")) < 0 ||
	    (err = take_durations(l, opts)) < 0)
		goto out;
	*out = l;
	l = NULL;
out:
	ga_free(l);
	return err;
}

void ga_leader_free(ga_leader *l)
{
	if (!l)
		return;
	ga_node_free(l->obj);
	ga_free(l);
}

/* Now on the wall clock as a MicroTime: RFC 3339, microseconds, UTC. */
static void microtime(char out[GA_LEADER__TIME_MAX])
{
	struct timespec ts;
	struct tm tm;
	char secs[32];

	(void)clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	(void)strftime(secs, sizeof(secs), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, GA_LEADER__TIME_MAX, "%.19s.%06dZ", secs,
	         (int)(ts.tv_nsec / 1000 % 1000000));
}

/* @r as a Lease spec node. */
static int spec_node(ga_node **out, const ga_leader__record *r)
{
	ga_buf b = GA_BUF_INIT(SPEC_MAX);
	int err;

	ga_buf_puts(&b, "{\"holderIdentity\":");
	ga_json_quote(&b, r->holder);
	ga_buf_printf(&b, ",\"leaseDurationSeconds\":%" PRId64, r->lease_s);
	ga_buf_puts(&b, ",\"acquireTime\":");
	ga_json_quote(&b, r->acquire);
	ga_buf_puts(&b, ",\"renewTime\":");
	ga_json_quote(&b, r->renew);
	ga_buf_printf(&b, ",\"leaseTransitions\":%" PRId64 "}", r->transitions);
	if (!(err = b.err))
		err = ga_json_parse(out, b.ptr, b.size, "Lease spec");
	ga_buf_dispose(&b);
	return err;
}

/* A new Lease object for @l, to create, holding no spec yet. */
static int new_object(ga_node **out, const ga_leader *l)
{
	ga_buf b = GA_BUF_INIT(SPEC_MAX);
	int err;

	ga_buf_puts(&b, "{\"apiVersion\":\"" API_VERSION "\",\"kind\":\"" KIND
	                "\",\"metadata\":{\"name\":");
	ga_json_quote(&b, l->name);
	ga_buf_puts(&b, ",\"namespace\":");
	ga_json_quote(&b, l->ns);
	ga_buf_puts(&b, "}}");
	if (!(err = b.err))
		err = ga_json_parse(out, b.ptr, b.size, "Lease");
	ga_buf_dispose(&b);
	return err;
}

/*
 * Write @r: an update of the Lease last seen (its metadata, labels and
 * annotations kept, its resourceVersion the precondition), or a create
 * when none was seen.  On success the answer becomes what was seen, at
 * @now.  Returns 0, GA_ECONFLICT or GA_EEXISTS (another replica wrote
 * first), or a request failure.
 */
static int write_record(ga_leader *l, const ga_leader__record *r, uint64_t now)
{
	ga_node *obj = NULL, *spec = NULL, *got = NULL;
	ga_leader__record rec;
	int err;

	if ((err = l->obj ? ga_node_clone(&obj, l->obj) : new_object(&obj, l)) <
	        0 ||
	    (err = spec_node(&spec, r)) < 0 ||
	    (err = ga_node_map_set_take(obj, "spec", spec)) < 0)
		goto out;
	spec = NULL;
	err = l->obj ? ga_kube_update(l->k, obj, MANAGER, 0, &got)
	             : ga_kube_create(l->k, obj, MANAGER, 0, &got);
	if (err < 0 || (err = ga_leader__decode(&rec, got)) < 0)
		goto out;
	ga_node_free(l->obj);
	l->obj = got;
	got = NULL;
	l->seen = rec;
	l->seen_ms = now;
out:
	ga_node_free(spec);
	ga_node_free(obj);
	ga_node_free(got);
	return err;
}

/*
 * Read the Lease into what was seen; a record that changed restarts its
 * expiry at @now.  Returns 0, GA_ENOTFOUND (no Lease: l->obj dropped), a
 * decode or request failure.
 */
static int observe(ga_leader *l, uint64_t now)
{
	ga_node *got = NULL;
	ga_leader__record rec;
	int err;

	err = ga_kube_get(l->k, API_VERSION, KIND, l->ns, l->name, &got);
	if (err == GA_ENOTFOUND) {
		ga_node_free(l->obj);
		l->obj = NULL;
	}
	if (err < 0 || (err = ga_leader__decode(&rec, got)) < 0)
		goto out;
	if (!l->obj || !ga_leader__same(&rec, &l->seen))
		l->seen_ms = now;
	ga_node_free(l->obj);
	l->obj = got;
	got = NULL;
	l->seen = rec;
out:
	ga_node_free(got);
	return err;
}

/* The record that makes us the holder now, after what was seen. */
static void our_record(const ga_leader *l, ga_leader__record *r)
{
	bool ours = l->obj && !strcmp(l->seen.holder, l->identity);

	memset(r, 0, sizeof(*r));
	memcpy(r->holder, l->identity, sizeof(r->holder));
	r->lease_s = (int64_t)((l->lease_ms + 999) / 1000);
	microtime(r->renew);
	/* A renewal keeps when and how often the lease changed hands; a
	 * takeover (from another holder or from nobody) counts one more. */
	if (ours) {
		memcpy(r->acquire, l->seen.acquire, sizeof(r->acquire));
		r->transitions = l->seen.transitions;
	} else {
		memcpy(r->acquire, r->renew, sizeof(r->acquire));
		/* int32 on the server: saturate rather than be refused. */
		if (l->obj && l->seen.transitions < INT32_MAX)
			r->transitions = l->seen.transitions + 1;
		else if (l->obj)
			r->transitions = INT32_MAX;
	}
}

/*
 * When a replica tries next, @now being this step's start: a leader after
 * one retry period, a candidate after one more random share of up to 1.2
 * periods (client-go's JitterFactor for acquiring), so that candidates
 * woken together do not keep racing each other.
 */
static uint64_t next_try(const ga_leader *l, uint64_t now)
{
	uint32_t r = 0;

	if (l->leading ||
	    getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		return now + l->retry_ms;
	return now + l->retry_ms + r % (l->retry_ms * 6 / 5 + 1);
}

/* Whether what was seen names another holder whose lease runs at @now. */
static bool other_holds(const ga_leader *l, uint64_t now)
{
	return l->obj && strcmp(l->seen.holder, l->identity) != 0 &&
	       ga_leader__held(&l->seen, l->seen_ms, l->lease_ms, now);
}

/*
 * One attempt: 1 when we hold the lease now, 0 when another live holder
 * has it or another replica won the race, else the failure.  A conflict
 * of a leader's fast-path renewal means the Lease changed under us
 * (another writer, or a label someone set): read it and decide again.
 * Other failures are not retried by a read, which would fail as well.
 */
static int attempt(ga_leader *l, uint64_t now)
{
	ga_leader__record want;
	int err;

	if (l->leading && l->obj) {
		our_record(l, &want);
		if ((err = write_record(l, &want, now)) != GA_ECONFLICT)
			return err < 0 ? err : 1;
		ga_error_clear();
	}
	err = observe(l, now);
	if (err == GA_ENOTFOUND)
		ga_error_clear();
	else if (err < 0)
		return err;
	if (other_holds(l, now))
		return 0;
	our_record(l, &want);
	err = write_record(l, &want, now);
	if (err == GA_ECONFLICT || err == GA_EEXISTS) {
		ga_error_clear();
		return 0;
	}
	return err < 0 ? err : 1;
}

int ga_leader_step(ga_leader *l, bool *leading)
{
	uint64_t now = l->now(l->now_arg);
	int got = attempt(l, now);

	if (got == 1) {
		l->leading = true;
		l->renewed_ms = now;
	} else if (other_holds(l, now)) {
		/* Someone else holds it: never two leaders knowingly. */
		l->leading = false;
	}
	/* A failure within the deadline keeps us leading, as client-go's
	 * renew loop does.  Past it others may take over once the lease
	 * runs out on their clocks, so stop before that; the deadline
	 * counts from the start of the last successful attempt, so a
	 * renewal that took long cannot stretch it. */
	if (l->leading && l->now(l->now_arg) - l->renewed_ms >= l->renew_ms)
		l->leading = false;
	l->next_ms = next_try(l, now);
	*leading = l->leading;
	return got < 0 ? got : 0;
}

uint64_t ga_leader_next_ms(const ga_leader *l)
{
	return l->next_ms;
}

const char *ga_leader_holder(const ga_leader *l)
{
	return l->obj ? l->seen.holder : "";
}

int ga_leader_release(ga_leader *l)
{
	ga_leader__record r;
	int err;

	if (!l->leading || !l->obj ||
	    strcmp(l->seen.holder, l->identity) != 0) {
		l->leading = false;
		return 0;
	}
	/* Stop leading first: whatever the answer, we may no longer act. */
	l->leading = false;
	memset(&r, 0, sizeof(r));
	r.lease_s = 1;
	r.transitions = l->seen.transitions;
	microtime(r.renew);
	memcpy(r.acquire, r.renew, sizeof(r.acquire));
	if ((err = write_record(l, &r, l->now(l->now_arg))) < 0)
		ga_error_prefix("release Lease %s/%s", l->ns, l->name);
	return err;
}
