/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The HTTP server of lib/httpd, the only folder that calls libmicrohttpd
 * (and, in pki.c, GnuTLS).  A maintained server library parses requests
 * and terminates TLS: both are security surface we do not want to write
 * ourselves.  libmicrohttpd runs one thread per connection, so a handler
 * may block and a Kubernetes watch can hold its connection open; its
 * access-handler protocol calls us once with the headers, then once per
 * piece of the body, then once more with nothing, where we answer.
 */
#include "httpd_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"

/* Answer @x with @status and a one-line plain-text @msg. */
static enum MHD_Result answer_text(ga_httpd__exchange *x, unsigned status,
                                   const char *msg)
{
	ga_buf_clear(&x->resp.body);
	ga_httpd_response_stream(&x->resp, NULL, NULL, NULL);
	x->resp.status = status;
	if (ga_buf_printf(&x->resp.body, "%s\n", msg) < 0 ||
	    ga_httpd_response_add_header(&x->resp, "Content-Type",
	                                 "text/plain; charset=utf-8") < 0)
		return MHD_NO;
	return ga_httpd__queue(x);
}

/* Whether the declared Content-Length already exceeds the cap. */
static bool declared_too_big(struct MHD_Connection *conn, size_t max)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	                                             "Content-Length");
	char *end = NULL;
	unsigned long long n;

	if (!cl)
		return false;
	errno = 0;
	n = strtoull(cl, &end, 10);
	return errno == ERANGE || (end != cl && n > max);
}

static enum MHD_Result run_handler(ga_httpd__exchange *x)
{
	ga_httpd *srv = x->srv;
	int err;

	ga_error_clear();
	err = srv->handler(&x->req, &x->resp, srv->payload);
	/* MHD_NO makes libmicrohttpd close the socket unanswered. */
	if (err == 0 && x->resp.drop)
		return MHD_NO;
	if (err < 0 || x->resp.body.err) {
		const char *msg = ga_error_last()->message;
		return answer_text(x, 500, msg[0] ? msg : "internal error");
	}
	return ga_httpd__queue(x);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
	ga_httpd *srv = cls;
	ga_httpd__exchange *x = *con_cls;

	(void)version;
	if (!x) {
		x = ga_httpd__exchange_new(srv, conn, method, url);
		if (!x)
			return MHD_NO;
		*con_cls = x;
		/* Refuse a body we will not take before it is sent. */
		if (declared_too_big(conn, srv->max_body))
			return answer_text(x, 413, "request body too large");
		return MHD_YES;
	}
	if (*upload_size) {
		if (!x->answered && !x->req.too_big &&
		    ga_buf_put(&x->req.body, upload, *upload_size) < 0)
			x->req.too_big = true;
		*upload_size = 0;
		return MHD_YES;
	}
	if (x->answered)
		return MHD_YES;
	if (x->req.too_big)
		return answer_text(x, 413, "request body too large");
	return run_handler(x);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	ga_httpd__exchange_free(*con_cls);
	*con_cls = NULL;
}

static int check_opts(const ga_httpd_opts *opts, struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)opts->port);
	if (opts->port > 65535 ||
	    inet_pton(AF_INET, opts->address, &sa->sin_addr) != 1) {
		ga_error_set(GA_ERRCLASS_HTTP, "bad listen address %s:%u",
		             opts->address, opts->port);
		return GA_EINVALID;
	}
	if (!opts->tls_cert_pem != !opts->tls_key_pem) {
		ga_error_set(GA_ERRCLASS_HTTP,
		             "TLS needs both a certificate and a key");
		return GA_EINVALID;
	}
	if (opts->tls_cert_pem &&
	    MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		ga_error_set(GA_ERRCLASS_HTTP,
		             "libmicrohttpd was built without TLS");
		return GA_EUNSUPPORTED;
	}
	return 0;
}

static struct MHD_Daemon *start_daemon(ga_httpd *srv, const ga_httpd_opts *opts,
                                       struct sockaddr_in *sa)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD |
	                 MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL;
	/* The option items hold plain pointers; libmicrohttpd only reads
	 * the PEM texts (the caller's), so the union drops their const. */
	union {
		const char *in;
		void *out;
	} key = {opts->tls_key_pem}, cert = {opts->tls_cert_pem};
	struct MHD_OptionItem tls[] = {
	    {MHD_OPTION_HTTPS_MEM_KEY, 0, key.out},
	    {MHD_OPTION_HTTPS_MEM_CERT, 0, cert.out},
	    {MHD_OPTION_END, 0, NULL},
	};

	if (opts->tls_cert_pem)
		flags |= MHD_USE_TLS;
	else
		tls[0].option = MHD_OPTION_END;
	return MHD_start_daemon(
	    flags, (uint16_t)opts->port, NULL, NULL, on_request, srv,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)sa,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
	    MHD_OPTION_CONNECTION_TIMEOUT, opts->idle_timeout_s,
	    MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
}

int ga_httpd_start(ga_httpd **out, const ga_httpd_opts *opts,
                   ga_httpd_handler handler, void *payload)
{
	const union MHD_DaemonInfo *info;
	struct sockaddr_in sa;
	ga_httpd *srv = NULL;
	int err;

	if ((err = ga_mhd__load()) < 0 || (err = check_opts(opts, &sa)) < 0)
		return err;
	if (!(srv = ga_calloc(1, sizeof(*srv))))
		return GA_ENOMEM;
	srv->handler = handler;
	srv->payload = payload;
	srv->max_body = opts->max_body;
	srv->max_response = opts->max_response;
	atomic_init(&srv->stopping, false);
	srv->daemon = start_daemon(srv, opts, &sa);
	if (!srv->daemon) {
		ga_error_set(GA_ERRCLASS_HTTP,
		             "cannot serve on %s:%u (address in use, or a bad "
		             "TLS certificate or key)",
		             opts->address, opts->port);
		err = GA_EIO;
		goto out;
	}
	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : opts->port;
	*out = srv;
	srv = NULL;
out:
	ga_free(srv);
	return err;
}

unsigned ga_httpd_port(const ga_httpd *srv)
{
	return srv->port;
}

void ga_httpd_stop(ga_httpd *srv)
{
	if (!srv)
		return;
	atomic_store(&srv->stopping, true);
	MHD_stop_daemon(srv->daemon);
	ga_free(srv);
}
