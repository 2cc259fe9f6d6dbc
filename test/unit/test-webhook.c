/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Push webhook checks: GitHub's and generic-hmac's HMAC-SHA256 of the
 * body (vectors from Python's hmac module), GitLab's token, the events
 * that trigger a poll, the ref a push names, and every refusal with a
 * message that names the header and never the secret.
 */
#include <string.h>

#include "ga/error.h"
#include "ga/webhook.h"
#include "harness.h"

#define SECRET "s3cret"
#define BODY "{\"ref\":\"refs/heads/main\",\"after\":\"abc\"}"
#define MAC "b869a7e1cb2f62fadd867287913b93eef322e319d9f3db070d38e49715868343"

static int check(ga_webhook_type type, const ga_webhook_headers *h,
                 const char *body, const char *const *events, size_t n,
                 ga_webhook_verdict *v)
{
	return ga_webhook_check(type, h, body, strlen(body), SECRET,
	                        strlen(SECRET), events, n, v);
}

/* The last message names @part and holds no secret. */
static void said(const char *part)
{
	const char *msg = ga_error_last()->message;

	if (!strstr(msg, part) || strstr(msg, SECRET) || strstr(msg, MAC)) {
		th_fail(__FILE__, __LINE__, part);
		th_diag("message", msg);
	}
}

static void test_github(void)
{
	ga_webhook_headers h = {"sha256=" MAC, "push", NULL, NULL, NULL};
	ga_webhook_verdict v;

	CHECK_OK(check(GA_WEBHOOK_GITHUB, &h, BODY, NULL, 0, &v));
	CHECK(v.trigger);
	CHECK_EQ_STR(v.event, "push");
	CHECK_EQ_STR(v.ref, "refs/heads/main");
	/* Upper-case hex is the same digest. */
	h.hub_signature_256 = "sha256=B869A7E1CB2F62FADD867287913B93EEF322E319"
	                      "D9F3DB070D38E49715868343";
	CHECK_OK(check(GA_WEBHOOK_GITHUB, &h, BODY, NULL, 0, &v));
	/* A ping is answered, never a poll. */
	h.github_event = "ping";
	CHECK_OK(check(GA_WEBHOOK_GITHUB, &h, BODY, NULL, 0, &v));
	CHECK(!v.trigger);
	/* One changed byte of the body. */
	h.github_event = "push";
	CHECK_ERR(check(GA_WEBHOOK_GITHUB, &h,
	                "{\"ref\":\"refs/heads/maim\",\"after\":\"abc\"}", NULL,
	                0, &v),
	          GA_EAUTH);
	said("X-Hub-Signature-256 does not match the body");
	CHECK(!v.trigger);
	h.hub_signature_256 = NULL;
	CHECK_ERR(check(GA_WEBHOOK_GITHUB, &h, BODY, NULL, 0, &v), GA_EAUTH);
	said("no X-Hub-Signature-256 header");
}

static void test_events(void)
{
	static const char *const only_tags[] = {"create", "Tag Push Hook"};
	ga_webhook_headers h = {"sha256=" MAC, "push", SECRET, "Push Hook",
	                        NULL};
	ga_webhook_verdict v;

	CHECK_OK(check(GA_WEBHOOK_GITHUB, &h, BODY, only_tags, 2, &v));
	CHECK(!v.trigger);
	h.github_event = "create";
	CHECK_OK(check(GA_WEBHOOK_GITHUB, &h, BODY, only_tags, 2, &v));
	CHECK(v.trigger);
	CHECK_OK(check(GA_WEBHOOK_GITLAB, &h, BODY, only_tags, 2, &v));
	CHECK(!v.trigger);
	h.gitlab_event = "Tag Push Hook";
	CHECK_OK(check(GA_WEBHOOK_GITLAB, &h, BODY, only_tags, 2, &v));
	CHECK(v.trigger);
}

static void test_gitlab(void)
{
	ga_webhook_headers h = {NULL, NULL, SECRET, "Push Hook", NULL};
	ga_webhook_verdict v;

	CHECK_OK(check(GA_WEBHOOK_GITLAB, &h, BODY, NULL, 0, &v));
	CHECK(v.trigger);
	CHECK_EQ_STR(v.event, "Push Hook");
	CHECK_EQ_STR(v.ref, "refs/heads/main");
	h.gitlab_token = "s3cre";
	CHECK_ERR(check(GA_WEBHOOK_GITLAB, &h, BODY, NULL, 0, &v), GA_EAUTH);
	said("X-Gitlab-Token is not the secret");
	h.gitlab_token = "s3cret!";
	CHECK_ERR(check(GA_WEBHOOK_GITLAB, &h, BODY, NULL, 0, &v), GA_EAUTH);
	h.gitlab_token = NULL;
	CHECK_ERR(check(GA_WEBHOOK_GITLAB, &h, BODY, NULL, 0, &v), GA_EAUTH);
	said("no X-Gitlab-Token header");
}

static void test_generic_hmac(void)
{
	ga_webhook_headers h = {NULL, NULL, NULL, NULL, "sha256=" MAC};
	ga_webhook_verdict v;

	CHECK_OK(check(GA_WEBHOOK_GENERIC_HMAC, &h, BODY, NULL, 0, &v));
	CHECK(v.trigger);
	CHECK_EQ_STR(v.event, "");
	/* Not JSON: authentic, no ref. */
	h.signature = "sha256=91dfac70c5348b04e1babb8b421ac92cec08b565b49ca16"
	              "130dccb72503647b7";
	CHECK_OK(check(GA_WEBHOOK_GENERIC_HMAC, &h, "", NULL, 0, &v));
	CHECK_EQ_STR(v.ref, "");
	h.signature = "sha1=0123";
	CHECK_ERR(check(GA_WEBHOOK_GENERIC_HMAC, &h, BODY, NULL, 0, &v),
	          GA_EUNSUPPORTED);
	said("only sha256 is accepted");
	h.signature = MAC;
	CHECK_ERR(check(GA_WEBHOOK_GENERIC_HMAC, &h, BODY, NULL, 0, &v),
	          GA_EINVALID);
	h.signature = "sha256=" MAC "00";
	CHECK_ERR(check(GA_WEBHOOK_GENERIC_HMAC, &h, BODY, NULL, 0, &v),
	          GA_EINVALID);
	said("X-Signature: the digest is not 64 hexadecimal digits");
	h.signature = "sha256=g869a7e1cb2f62fadd867287913b93eef322e319d9f3db070"
	              "d38e49715868343";
	CHECK_ERR(check(GA_WEBHOOK_GENERIC_HMAC, &h, BODY, NULL, 0, &v),
	          GA_EINVALID);
}

static void test_limits(void)
{
	static char big[GA_WEBHOOK_MAX_BODY + 2];
	ga_webhook_headers h = {NULL, NULL, NULL, NULL, "sha256=" MAC};
	ga_webhook_type t;
	ga_webhook_verdict v;

	memset(big, 'x', sizeof(big) - 1);
	CHECK_ERR(check(GA_WEBHOOK_GENERIC_HMAC, &h, big, NULL, 0, &v),
	          GA_ELIMIT);
	CHECK_ERR(ga_webhook_check(GA_WEBHOOK_GENERIC_HMAC, &h, BODY,
	                           strlen(BODY), "", 0, NULL, 0, &v),
	          GA_EINVALID);
	CHECK_OK(ga_webhook_type_parse("gitlab", &t));
	CHECK_EQ_INT(t, GA_WEBHOOK_GITLAB);
	CHECK_OK(ga_webhook_type_parse("generic-hmac", &t));
	CHECK_EQ_INT(t, GA_WEBHOOK_GENERIC_HMAC);
	CHECK_ERR(ga_webhook_type_parse("bitbucket", &t), GA_EINVALID);
	said("not github, gitlab or generic-hmac");
}

int main(void)
{
	RUN(test_github);
	RUN(test_events);
	RUN(test_gitlab);
	RUN(test_generic_hmac);
	RUN(test_limits);
	return DONE();
}
