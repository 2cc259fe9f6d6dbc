/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HTTP(S) client for the Kubernetes API and webhooks.  TLS verification is
 * on unless switched off by name; transient failures (connection errors,
 * 429, 5xx) are retried with exponential backoff and jitter, honouring
 * Retry-After, within one deadline per request; response bodies are
 * capped; a bearer token read from a file is re-read when the file
 * changes (service-account token rotation).  Credentials never appear in
 * messages: URLs are shown without their user information, headers never.
 *
 * A client keeps its connections open between requests.  It is not
 * thread-safe: use one per thread (a watch needs its own).
 */
#ifndef GA_HTTP_H
#define GA_HTTP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "common.h"

typedef struct ga_http ga_http;

typedef struct ga_http_opts {
	/** Trust: a PEM bundle file, or PEM text (kubeconfig's
	 * certificate-authority-data); neither: the system's store. */
	const char *ca_file;
	const char *ca_pem;
	/** Client certificate and key: files or PEM text. */
	const char *cert_file, *key_file;
	const char *cert_pem, *key_pem;
	/** Bearer token, given or read from a file (re-read on change). */
	const char *token;
	const char *token_file;
	/** Skip TLS verification (kubeconfig insecure-skip-tls-verify). */
	bool insecure;
	uint64_t connect_timeout_ms; /**< per connection attempt */
	uint64_t timeout_ms;         /**< per request, retries included */
	unsigned retries;            /**< further attempts after the first */
	uint64_t backoff_ms;         /**< first backoff; doubles each time */
	uint64_t backoff_max_ms;
	size_t max_body; /**< largest response body accepted */
	/** When set and non-zero, requests stop as soon as possible. */
	const atomic_int *cancel;
} ga_http_opts;

#define GA_HTTP_OPTS_INIT                                                      \
	{                                                                      \
		.connect_timeout_ms = 10000, .timeout_ms = 60000,              \
		.retries = 5, .backoff_ms = 200, .backoff_max_ms = 10000,      \
		.max_body = (size_t)64 << 20                                   \
	}

typedef struct ga_http_request {
	const char *method; /**< "GET", "PATCH", ... */
	const char *url;
	const char *content_type; /**< of the body, or NULL */
	const char *accept;       /**< or NULL */
	const void *body;
	size_t body_len;
	/** This request's time, retries included (a watch's is longer
	 * than the server's timeoutSeconds); 0: the client's timeout_ms. */
	uint64_t timeout_ms;
} ga_http_request;

typedef struct ga_http_response {
	long status;
	ga_buf body;
	char content_type[128];
	unsigned attempts; /**< requests sent, retries included */
} ga_http_response;

/** Initialise @r; release it with ga_http_response_dispose(). */
GA_EXTERN void ga_http_response_init(ga_http_response *r);
GA_EXTERN void ga_http_response_dispose(ga_http_response *r);

/**
 * A client with @opts (NULL: the defaults), which are copied.  Loads
 * libcurl on first use.  Returns 0, GA_EINVALID (unreadable token file
 * or bad option), GA_EUNSUPPORTED (libcurl missing) or GA_ENOMEM.
 */
GA_EXTERN int ga_http_new(ga_http **out, const ga_http_opts *opts);
GA_EXTERN void ga_http_free(ga_http *h);

/**
 * Send @req and read the whole response into @resp (initialised by the
 * caller), retrying transient failures.  Returns 0 when a response was
 * received, whatever its status (the last one after retries); else
 * GA_ERETRY (connection failure or timeout), GA_EVERIFY (the server's
 * certificate), GA_EAUTH (the client certificate), GA_ELIMIT (body over
 * max_body), GA_EINVALID (bad URL), GA_EIO (cancelled) or GA_ENOMEM.
 */
GA_EXTERN int ga_http_do(ga_http *h, const ga_http_request *req,
                         ga_http_response *resp);

/**
 * Send @req and hand a 2xx response's body to @fn as it arrives (a
 * watch).  Failures are retried as by ga_http_do() until a stream has
 * started, never after.  @fn returns 0 to go on, non-zero to stop
 * (ga_http_stream then returns 0).  @resp (initialised by the caller)
 * gets the status, and for a non-2xx answer the start of its body
 * (64 KiB), which @fn never sees.  Returns as ga_http_do().
 */
GA_EXTERN int ga_http_stream(ga_http *h, const ga_http_request *req,
                             int (*fn)(void *payload, const char *data,
                                       size_t len),
                             void *payload, ga_http_response *resp);

#endif
