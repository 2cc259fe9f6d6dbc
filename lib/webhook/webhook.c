/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Push webhook authentication (ga/webhook.h), as Flux's receivers check
 * it: an HMAC-SHA256 of the raw body under the shared secret, sent as
 * "sha256=<64 hex digits>" (GitHub's X-Hub-Signature-256, generic-hmac's
 * X-Signature), or the secret itself (GitLab's X-Gitlab-Token).  Every
 * comparison takes the same time wherever the values differ; no message
 * carries the secret or the value expected.
 */
#include "ga/webhook.h"

#include <stdio.h>
#include <string.h>

#include "ga/digest.h"
#include "ga/error.h"
#include "ga/json.h"
#include "ga/node.h"

int ga_webhook_type_parse(const char *name, ga_webhook_type *out)
{
	static const struct {
		const char *name;
		ga_webhook_type type;
	} types[] = {
	    {"github", GA_WEBHOOK_GITHUB},
	    {"gitlab", GA_WEBHOOK_GITLAB},
	    {"generic-hmac", GA_WEBHOOK_GENERIC_HMAC},
	};

	for (size_t i = 0; name && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(name, types[i].name) == 0)
			return *out = types[i].type, 0;
	ga_error_set(GA_ERRCLASS_INVALID,
	             "webhook type %.32s: not github, gitlab or generic-hmac",
	             name ? name : "(none)");
	return GA_EINVALID;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "sha256=<64 hex>" from header @name into @mac. */
static int parse_signature(unsigned char mac[GA_SHA256_LEN], const char *value,
                           const char *name)
{
	const char *eq = value ? strchr(value, '=') : NULL;

	if (!value) {
		ga_error_set(GA_ERRCLASS_INVALID, "webhook: no %s header",
		             name);
		return GA_EAUTH;
	}
	if (!eq || (size_t)(eq - value) != 6 ||
	    strncmp(value, "sha256", 6) != 0) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "webhook: %s is not \"sha256=<hex>\"%s", name,
		             eq ? " (only sha256 is accepted)" : "");
		return eq ? GA_EUNSUPPORTED : GA_EINVALID;
	}
	if (strlen(eq + 1) != (size_t)2 * GA_SHA256_LEN)
		goto bad;
	for (size_t i = 0; i < GA_SHA256_LEN; i++) {
		int hi = hexval(eq[1 + 2 * i]), lo = hexval(eq[2 + 2 * i]);

		if (hi < 0 || lo < 0)
			goto bad;
		mac[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
bad:
	ga_error_set(GA_ERRCLASS_INVALID,
	             "webhook: %s: the digest is not 64 hexadecimal digits",
	             name);
	return GA_EINVALID;
}

/* The body's HMAC against the one header @name carries. */
static int check_hmac(const char *value, const char *name, const void *body,
                      size_t len, const char *secret, size_t secret_len)
{
	unsigned char want[GA_SHA256_LEN], got[GA_SHA256_LEN];
	int err;

	if ((err = parse_signature(got, value, name)) < 0 ||
	    (err = ga_hmac_sha256(want, secret, secret_len, body, len)) < 0)
		return err;
	if (!ga_memeq_secret(want, got, sizeof(want))) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "webhook: %s does not match the body", name);
		return GA_EAUTH;
	}
	return 0;
}

/* GitLab's token: the secret itself.  Lengths are not secret. */
static int check_token(const char *token, const char *secret, size_t secret_len)
{
	if (!token) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "webhook: no X-Gitlab-Token header");
		return GA_EAUTH;
	}
	if (strlen(token) != secret_len ||
	    !ga_memeq_secret(token, secret, secret_len)) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "webhook: X-Gitlab-Token is not the secret");
		return GA_EAUTH;
	}
	return 0;
}

/* The "ref" a push names, when the body is JSON that has one. */
static void read_ref(ga_webhook_verdict *out, const void *body, size_t len)
{
	ga_node *doc = NULL;
	const ga_node *ref;

	if (ga_json_parse(&doc, body, len, "webhook body") == 0 &&
	    ga_node_type_of(doc) == GA_NODE_MAP &&
	    (ref = ga_node_map_get(doc, "ref")) &&
	    ga_node_type_of(ref) == GA_NODE_STRING &&
	    ga_node_str_len(ref) < sizeof(out->ref))
		memcpy(out->ref, ga_node_str(ref), ga_node_str_len(ref) + 1);
	ga_error_clear(); /* a body that is not JSON names no ref */
	ga_node_free(doc);
}

/* Whether the event asks for a poll. */
static bool wanted(const ga_webhook_verdict *v, ga_webhook_type type,
                   const char *const *events, size_t nevents)
{
	if (type == GA_WEBHOOK_GITHUB && strcmp(v->event, "ping") == 0)
		return false;
	for (size_t i = 0; i < nevents; i++)
		if (strcmp(v->event, events[i]) == 0)
			return true;
	return nevents == 0;
}

int ga_webhook_check(ga_webhook_type type, const ga_webhook_headers *h,
                     const void *body, size_t len, const char *secret,
                     size_t secret_len, const char *const *events,
                     size_t nevents, ga_webhook_verdict *out)
{
	const char *event = NULL;
	int err;

	memset(out, 0, sizeof(*out));
	if (!secret || !secret_len) {
		ga_error_set(GA_ERRCLASS_INVALID, "webhook: an empty secret");
		return GA_EINVALID;
	}
	if (len > GA_WEBHOOK_MAX_BODY) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "webhook: body of %zu bytes, over %zu", len,
		             GA_WEBHOOK_MAX_BODY);
		return GA_ELIMIT;
	}
	if (type == GA_WEBHOOK_GITHUB) {
		err = check_hmac(h->hub_signature_256, "X-Hub-Signature-256",
		                 body, len, secret, secret_len);
		event = h->github_event;
	} else if (type == GA_WEBHOOK_GITLAB) {
		err = check_token(h->gitlab_token, secret, secret_len);
		event = h->gitlab_event;
	} else {
		err = check_hmac(h->signature, "X-Signature", body, len, secret,
		                 secret_len);
	}
	if (err < 0)
		return err;
	(void)snprintf(out->event, sizeof(out->event), "%s",
	               event ? event : "");
	read_ref(out, body, len);
	out->trigger = wanted(out, type, events, nevents);
	return 0;
}
