/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An embedded HTTP/1.1 server (libmicrohttpd underneath, loaded on first
 * use) for the test API server, the webhook receiver and /metrics.  A
 * server listens on one IPv4 address, optionally with TLS from PEM text in
 * memory, and runs one thread per connection: the handler may block, and
 * a streamed response (a Kubernetes watch) may stay open as long as the
 * client stays.  Request bodies are capped; larger ones get 413 without
 * reaching the handler.  The handler runs concurrently on several
 * connection threads, so what it shares needs its own locking.  Also
 * here: a throw-away certificate authority and a server certificate for
 * loopback (GnuTLS, loaded on first use).
 */
#ifndef GA_HTTPD_H
#define GA_HTTPD_H

#include <stddef.h>

#include "buf.h"
#include "common.h"

typedef struct ga_httpd ga_httpd;
typedef struct ga_httpd_request ga_httpd_request;
typedef struct ga_httpd_response ga_httpd_response;

/** Server options; start from GA_HTTPD_OPTS_INIT. */
typedef struct ga_httpd_opts {
	const char *address;      /**< IPv4 literal to bind, "127.0.0.1" */
	unsigned port;            /**< 0 lets the kernel pick a free port */
	const char *tls_cert_pem; /**< server certificate (chain); NULL: HTTP */
	const char *tls_key_pem;  /**< its private key, with tls_cert_pem */
	size_t max_body;          /**< request bodies beyond get 413 */
	size_t max_response;      /**< cap of ga_httpd_response_body() */
	unsigned idle_timeout_s;  /**< idle keep-alive connections close */
} ga_httpd_opts;

#define GA_HTTPD_MAX_BODY ((size_t)3 << 20)
#define GA_HTTPD_MAX_RESPONSE ((size_t)256 << 20)
#define GA_HTTPD_OPTS_INIT                                                     \
	{                                                                      \
		"127.0.0.1", 0, NULL, NULL, GA_HTTPD_MAX_BODY,                 \
		    GA_HTTPD_MAX_RESPONSE, 120                                 \
	}

/**
 * Answer @req by filling @resp (status 200 and an empty body until set).
 * Called on the connection's thread once the whole body has arrived.  A
 * negative return answers 500 with the thread's error message instead.
 */
typedef int (*ga_httpd_handler)(const ga_httpd_request *req,
                                ga_httpd_response *resp, void *payload);

/**
 * Start serving.  @handler and @payload must outlive the server.  On
 * success *out is the running server (stop it with ga_httpd_stop()).
 * Returns 0, GA_EINVALID (bad address, half a TLS pair, bad PEM),
 * GA_EIO (the address cannot be bound) or GA_EUNSUPPORTED
 * (libmicrohttpd, or its TLS support, is not installed).
 */
GA_EXTERN int ga_httpd_start(ga_httpd **out, const ga_httpd_opts *opts,
                             ga_httpd_handler handler, void *payload);

/** The bound TCP port (the kernel's pick when opts.port was 0). */
GA_EXTERN unsigned ga_httpd_port(const ga_httpd *srv);

/**
 * Stop accepting, end open streams (within a quarter second), close
 * every connection, wait for their threads and free @srv.  NULL is
 * ignored.
 */
GA_EXTERN void ga_httpd_stop(ga_httpd *srv);

/* Requests.  Every string is borrowed: valid during the handler call. */

/** "GET", "POST", ... */
GA_EXTERN const char *ga_httpd_request_method(const ga_httpd_request *req);
/** The percent-decoded path, without the query string. */
GA_EXTERN const char *ga_httpd_request_path(const ga_httpd_request *req);
/**
 * The decoded value of the query parameter @name (the first when repeated;
 * "" for "?name" without a value), or NULL when absent.
 */
GA_EXTERN const char *ga_httpd_request_query(const ga_httpd_request *req,
                                             const char *name);
/** The header @name (case-insensitive), or NULL. */
GA_EXTERN const char *ga_httpd_request_header(const ga_httpd_request *req,
                                              const char *name);
/**
 * Append the query string, "?a=1&b=2" with values percent-encoded again,
 * to @out (nothing when there is none).  Returns 0, GA_ENOMEM or
 * GA_ELIMIT (@out's cap).
 */
GA_EXTERN int ga_httpd_request_query_string(const ga_httpd_request *req,
                                            ga_buf *out);
/** The body (NUL-terminated, may hold NULs) and its length. */
GA_EXTERN const char *ga_httpd_request_body(const ga_httpd_request *req,
                                            size_t *len_out);

/* Responses. */

GA_EXTERN void ga_httpd_response_set_status(ga_httpd_response *resp,
                                            unsigned status);
/** The status set so far (200 until set). */
GA_EXTERN unsigned ga_httpd_response_status(const ga_httpd_response *resp);
/**
 * Close the connection without answering, as a crashed or overloaded
 * server does (a test server's fault injection); the body and headers
 * are discarded.
 */
GA_EXTERN void ga_httpd_response_drop(ga_httpd_response *resp);
/**
 * Add a header line; both strings are copied.  Content-Length and
 * Transfer-Encoding are the server's.  Returns 0, GA_EINVALID (CR or LF
 * in either) or GA_ENOMEM.
 */
GA_EXTERN int ga_httpd_response_add_header(ga_httpd_response *resp,
                                           const char *name, const char *value);
/**
 * The response body to append to, capped at opts.max_response.
 * Borrowed: valid during the handler call.
 */
GA_EXTERN ga_buf *ga_httpd_response_body(ga_httpd_response *resp);

/** What a stream's read function reports besides data. */
enum {
	GA_HTTPD_STREAM_MORE = 0, /**< call again (data appended or not) */
	GA_HTTPD_STREAM_DONE = 1, /**< end after what was appended */
};

/**
 * Produce a stream's next bytes: append them to @out (capped) waiting at
 * most @wait_ms for something to say, and return GA_HTTPD_STREAM_MORE,
 * GA_HTTPD_STREAM_DONE or a negative code (the connection is cut).
 * Called on the connection's thread only; between calls the server checks
 * whether the client went away or the server is stopping.
 */
typedef int (*ga_httpd_stream_read_fn)(void *payload, ga_buf *out,
                                       unsigned wait_ms);
/** Release a stream's payload; called exactly once, however it ended. */
typedef void (*ga_httpd_stream_free_fn)(void *payload);

/**
 * Answer with a chunked body pulled from @read instead of the buffered
 * body (which is discarded).  The server owns @payload from here on and
 * hands it to @free_fn (may be NULL) at the end, also when the response
 * was never sent.
 */
GA_EXTERN void ga_httpd_response_stream(ga_httpd_response *resp,
                                        ga_httpd_stream_read_fn read,
                                        ga_httpd_stream_free_fn free_fn,
                                        void *payload);

/* Throw-away certificates for loopback servers. */

/** PEM texts, each owned (ga_free), released by ga_httpd_pki_dispose(). */
typedef struct ga_httpd_pki {
	char *ca_cert_pem; /**< self-signed CA; clients trust this */
	char *cert_pem;    /**< server certificate signed by the CA */
	char *key_pem;     /**< the server certificate's private key */
} ga_httpd_pki;

#define GA_HTTPD_PKI_INIT                                                      \
	{                                                                      \
		NULL, NULL, NULL                                               \
	}

/**
 * Generate a CA and a server certificate for IP 127.0.0.1 and DNS
 * localhost (ECDSA P-256, valid from an hour ago for @days days).
 * Returns 0, GA_ERROR (GnuTLS failed; message set), GA_ENOMEM or
 * GA_EUNSUPPORTED (GnuTLS is not installed).
 */
GA_EXTERN int ga_httpd_pki_generate(ga_httpd_pki *out, unsigned days);

/** Free the three texts and reset @pki to GA_HTTPD_PKI_INIT. */
GA_EXTERN void ga_httpd_pki_dispose(ga_httpd_pki *pki);

#endif
