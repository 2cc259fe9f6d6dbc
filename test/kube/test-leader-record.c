/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The leader elector's parts that need no server (lib/kube/leader.c): the
 * Lease record decoder, record comparison, the expiry rule on a local
 * clock, and option checks.  TAP output.
 */
#include <stdio.h>
#include <string.h>

#include "ga/error.h"
#include "ga/json.h"
#include "ga/leader.h"
#include "harness.h"
#include "kube/leader_int.h"

/* Decode the Lease in @json into @r; returns the decoder's result. */
static int decode(ga_leader__record *r, const char *json)
{
	ga_node *n = NULL;
	int err;

	CHECK_OK(ga_json_parse(&n, json, strlen(json), "lease"));
	err = ga_leader__decode(r, n);
	ga_node_free(n);
	return err;
}

static void test_decode(void)
{
	ga_leader__record r;

	CHECK_OK(decode(&r, "{\"metadata\":{\"resourceVersion\":\"7\"},"
	                    "\"spec\":{\"holderIdentity\":\"pod-1\","
	                    "\"leaseDurationSeconds\":15,"
	                    "\"acquireTime\":\"2026-01-02T03:04:05.000006Z\","
	                    "\"renewTime\":\"2026-01-02T03:04:07.123456Z\","
	                    "\"leaseTransitions\":3}}"));
	CHECK_EQ_STR(r.holder, "pod-1");
	CHECK_EQ_INT(r.lease_s, 15);
	CHECK_EQ_INT(r.transitions, 3);
	CHECK_EQ_STR(r.acquire, "2026-01-02T03:04:05.000006Z");
	CHECK_EQ_STR(r.renew, "2026-01-02T03:04:07.123456Z");
	/* No spec, a null spec or null fields: an empty (free) record. */
	CHECK_OK(decode(&r, "{\"metadata\":{}}"));
	CHECK_EQ_STR(r.holder, "");
	CHECK_EQ_INT(r.lease_s, 0);
	CHECK_OK(decode(&r, "{\"spec\":null}"));
	CHECK_OK(decode(&r, "{\"spec\":{\"holderIdentity\":null,"
	                    "\"leaseTransitions\":null}}"));
	CHECK_EQ_STR(r.holder, "");
}

static void test_decode_errors(void)
{
	ga_leader__record r;
	char big[400];

	CHECK_ERR(decode(&r, "[]"), GA_EINVALID);
	CHECK_ERR(decode(&r, "{\"spec\":[]}"), GA_EINVALID);
	CHECK_ERR(decode(&r, "{\"spec\":{\"holderIdentity\":5}}"), GA_EINVALID);
	CHECK(strstr(ga_error_last()->message, "spec.holderIdentity"));
	CHECK_ERR(decode(&r, "{\"spec\":{\"leaseDurationSeconds\":-1}}"),
	          GA_EINVALID);
	CHECK(strstr(ga_error_last()->message, "spec.leaseDurationSeconds"));
	CHECK_ERR(decode(&r, "{\"spec\":{\"leaseTransitions\":2147483648}}"),
	          GA_EINVALID);
	CHECK_ERR(decode(&r, "{\"spec\":{\"leaseDurationSeconds\":1.5}}"),
	          GA_EINVALID);
	CHECK_ERR(decode(&r, "{\"spec\":{\"renewTime\":true}}"), GA_EINVALID);
	CHECK_ERR(decode(&r, "{\"spec\":{\"holderIdentity\":\"a\\u0000b\"}}"),
	          GA_EINVALID);
	/* A holder longer than any pod name is refused, not cut. */
	snprintf(big, sizeof(big), "{\"spec\":{\"holderIdentity\":\"%0300d\"}}",
	         0);
	CHECK_ERR(decode(&r, big), GA_EINVALID);
	CHECK(strstr(ga_error_last()->message, "over 253 bytes"));
}

static void test_same(void)
{
	ga_leader__record a, b;

	memset(&a, 0, sizeof(a));
	snprintf(a.holder, sizeof(a.holder), "x");
	snprintf(a.renew, sizeof(a.renew), "2026-01-02T03:04:05.000001Z");
	b = a;
	CHECK(ga_leader__same(&a, &b));
	/* A renewal changes only renewTime: that is a change. */
	b.renew[25] = '2';
	CHECK(!ga_leader__same(&a, &b));
	b = a;
	b.transitions = 1;
	CHECK(!ga_leader__same(&a, &b));
}

/* Expiry counts from when the record was seen on the local clock, with
 * the record's own duration (1 s after a release), else the default. */
static void test_held(void)
{
	ga_leader__record r;

	memset(&r, 0, sizeof(r));
	CHECK(!ga_leader__held(&r, 1000, 15000, 1000));
	snprintf(r.holder, sizeof(r.holder), "x");
	r.lease_s = 15;
	CHECK(ga_leader__held(&r, 1000, 99999, 1000));
	CHECK(ga_leader__held(&r, 1000, 99999, 15999));
	CHECK(!ga_leader__held(&r, 1000, 99999, 16000));
	r.lease_s = 0;
	CHECK(ga_leader__held(&r, 1000, 5000, 5999));
	CHECK(!ga_leader__held(&r, 1000, 5000, 6000));
	r.lease_s = 1;
	CHECK(!ga_leader__held(&r, 1000, 15000, 2000));
}

static void test_opts(void)
{
	ga_leader_opts o = {.ns = "ns", .name = "n", .identity = "i"};
	ga_leader *l = NULL;

	/* The defaults are client-go's and consistent. */
	CHECK_OK(ga_leader_new(&l, NULL, &o));
	CHECK_EQ_STR(ga_leader_holder(l), "");
	CHECK_EQ_INT(ga_leader_next_ms(l), 0);
	CHECK_OK(ga_leader_release(l));
	ga_leader_free(l);
	l = NULL;
	o.renew_deadline_ms = 20000;
	CHECK_ERR(ga_leader_new(&l, NULL, &o), GA_EINVALID);
	o.renew_deadline_ms = 1000;
	o.retry_ms = 1000;
	CHECK_ERR(ga_leader_new(&l, NULL, &o), GA_EINVALID);
	o.retry_ms = 0;
	o.name = NULL;
	CHECK_ERR(ga_leader_new(&l, NULL, &o), GA_EINVALID);
	CHECK(!l);
}

int main(void)
{
	RUN(test_decode);
	RUN(test_decode_errors);
	RUN(test_same);
	RUN(test_held);
	RUN(test_opts);
	return DONE();
}
