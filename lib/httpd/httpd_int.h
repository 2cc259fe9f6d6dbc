/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What lib/httpd's files share: the server, one request/response exchange
 * per HTTP request (libmicrohttpd's per-request context) and the stream
 * that feeds a chunked response.
 */
#ifndef GA_HTTPD_INT_H
#define GA_HTTPD_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <sys/types.h>

#include "ga/httpd.h"
#include "mhd.h"

struct ga_httpd {
	struct MHD_Daemon *daemon;
	ga_httpd_handler handler;
	void *payload;
	size_t max_body;
	size_t max_response;
	unsigned port;
	atomic_bool stopping; /* streams end when set */
};

struct ga_httpd_request {
	struct MHD_Connection *conn;
	const char *method; /* libmicrohttpd's, valid for the request */
	const char *path;
	ga_buf body;  /* capped at max_body */
	bool too_big; /* the body went past the cap: answer 413 */
};

struct ga_httpd_response {
	unsigned status;
	ga_buf body;
	char **headers; /* name, value, name, value ... (owned) */
	size_t nheaders;
	ga_httpd_stream_read_fn read; /* non-NULL: a streamed response */
	ga_httpd_stream_free_fn free_fn;
	void *stream_payload;
	bool drop; /* close the connection without an answer */
};

/* One HTTP request and its answer. */
typedef struct ga_httpd__exchange {
	ga_httpd *srv;
	ga_httpd_request req;
	ga_httpd_response resp;
	bool answered; /* a response was queued */
} ga_httpd__exchange;

/* A new exchange for @conn, or NULL (ENOMEM). */
ga_httpd__exchange *ga_httpd__exchange_new(ga_httpd *srv,
                                           struct MHD_Connection *conn,
                                           const char *method,
                                           const char *path);
void ga_httpd__exchange_free(ga_httpd__exchange *x);

/*
 * Hand @x's response to libmicrohttpd: its buffered body, or a stream
 * that takes over the stream payload.  Returns MHD_YES or MHD_NO.
 */
enum MHD_Result ga_httpd__queue(ga_httpd__exchange *x);

#endif
