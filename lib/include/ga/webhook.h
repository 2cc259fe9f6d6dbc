/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Push webhooks: is a request from the Git host authentic, and should it
 * trigger a poll?  The three receiver types of Flux's notification
 * controller that a Git host sends: GitHub (and Gitea), whose
 * X-Hub-Signature-256 is the HMAC-SHA256 of the body; GitLab, whose
 * X-Gitlab-Token is the shared secret itself; generic-hmac, whose
 * X-Signature is "sha256=" and the HMAC of the body.  The HTTP server
 * (rate limits, the body cap, the answer) is the caller's.
 */
#ifndef GA_WEBHOOK_H
#define GA_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"

/** The largest body accepted (GitHub's push payloads are far smaller). */
#define GA_WEBHOOK_MAX_BODY ((size_t)1 << 20)

typedef enum ga_webhook_type {
	GA_WEBHOOK_GITHUB,
	GA_WEBHOOK_GITLAB,
	GA_WEBHOOK_GENERIC_HMAC,
} ga_webhook_type;

/** "github", "gitlab" or "generic-hmac" (Flux's Receiver type names);
 * GA_EINVALID for anything else. */
GA_EXTERN int ga_webhook_type_parse(const char *name, ga_webhook_type *out);

/** The request headers the check reads (NULL when absent). */
typedef struct ga_webhook_headers {
	const char *hub_signature_256; /**< X-Hub-Signature-256 */
	const char *github_event;      /**< X-GitHub-Event */
	const char *gitlab_token;      /**< X-Gitlab-Token */
	const char *gitlab_event;      /**< X-Gitlab-Event */
	const char *signature;         /**< X-Signature */
} ga_webhook_headers;

/** What an authentic request asks for. */
typedef struct ga_webhook_verdict {
	bool trigger;   /**< poll now */
	char event[64]; /**< "push", "Push Hook", ... ("" when not said) */
	char ref[256];  /**< the body's "ref" ("refs/heads/main"), or "" */
} ga_webhook_verdict;

/**
 * Check a request of @type with headers @h and @len bytes of @body against
 * the @secret_len-byte @secret, in constant time.  An authentic request
 * triggers a poll unless it is GitHub's "ping", or @events (@nevents
 * names, may be 0) is given and does not list its event.  Returns 0
 * (authentic; *@out says what it asks), GA_EAUTH (a signature or token
 * missing or wrong), GA_EINVALID (a malformed signature header, an empty
 * secret), GA_EUNSUPPORTED (a hash other than sha256) or GA_ELIMIT (a
 * body over GA_WEBHOOK_MAX_BODY).  Messages name the header, never the
 * secret or the expected value.
 */
GA_EXTERN int ga_webhook_check(ga_webhook_type type,
                               const ga_webhook_headers *h, const void *body,
                               size_t len, const char *secret,
                               size_t secret_len, const char *const *events,
                               size_t nevents, ga_webhook_verdict *out);

#endif
