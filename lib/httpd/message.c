/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Requests and responses of lib/httpd (RFC 9110 semantics, RFC 9112
 * framing, which libmicrohttpd does): accessors over libmicrohttpd's
 * parsed request, a buffered response, and the pull loop of a streamed
 * (chunked) response.  A stream stays open while the client does: between
 * pulls the loop polls the socket for the peer's hang-up, because with
 * one thread per connection libmicrohttpd itself cannot notice it while
 * our reader waits, and returning "no data yet" would make it spin.
 */
#include "httpd_int.h"

#include <poll.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"

/* How long one pull of a stream may wait before the liveness checks. */
#define STREAM_WAIT_MS 250
/* Bytes of a stream not yet handed to libmicrohttpd: one watch event. */
#define STREAM_PENDING_MAX ((size_t)16 << 20)
#define STREAM_BLOCK 16384

ga_httpd__exchange *ga_httpd__exchange_new(ga_httpd *srv,
                                           struct MHD_Connection *conn,
                                           const char *method, const char *path)
{
	ga_httpd__exchange *x = ga_calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	x->srv = srv;
	x->req.conn = conn;
	x->req.method = method;
	x->req.path = path;
	x->req.body = (ga_buf)GA_BUF_INIT(srv->max_body);
	x->resp.status = 200;
	x->resp.body = (ga_buf)GA_BUF_INIT(srv->max_response);
	return x;
}

void ga_httpd__exchange_free(ga_httpd__exchange *x)
{
	size_t i;

	if (!x)
		return;
	ga_buf_dispose(&x->req.body);
	ga_buf_dispose(&x->resp.body);
	for (i = 0; i < 2 * x->resp.nheaders; i++)
		ga_free(x->resp.headers[i]);
	ga_free(x->resp.headers);
	if (x->resp.read && x->resp.free_fn)
		x->resp.free_fn(x->resp.stream_payload);
	ga_free(x);
}

const char *ga_httpd_request_method(const ga_httpd_request *req)
{
	return req->method;
}

const char *ga_httpd_request_path(const ga_httpd_request *req)
{
	return req->path;
}

const char *ga_httpd_request_query(const ga_httpd_request *req,
                                   const char *name)
{
	const char *v = NULL;
	size_t vlen = 0;

	/* A bare "?watch" is present with a NULL value: the _n variant
	 * tells it from an absent one. */
	if (MHD_lookup_connection_value_n(req->conn, MHD_GET_ARGUMENT_KIND,
	                                  name, strlen(name), &v,
	                                  &vlen) != MHD_YES)
		return NULL;
	return v ? v : "";
}

const char *ga_httpd_request_header(const ga_httpd_request *req,
                                    const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

struct query_walk {
	ga_buf *out;
	bool first;
};

static enum MHD_Result query_item(void *cls, enum MHD_ValueKind kind,
                                  const char *key, const char *value)
{
	struct query_walk *w = cls;

	(void)kind;
	(void)ga_buf_putc(w->out, w->first ? '?' : '&');
	w->first = false;
	(void)ga_buf_put_percent(w->out, key, "");
	if (value) {
		(void)ga_buf_putc(w->out, '=');
		(void)ga_buf_put_percent(w->out, value, "");
	}
	return MHD_YES;
}

int ga_httpd_request_query_string(const ga_httpd_request *req, ga_buf *out)
{
	struct query_walk w = {out, true};

	(void)MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND,
	                                query_item, &w);
	return out->err;
}

const char *ga_httpd_request_body(const ga_httpd_request *req, size_t *len_out)
{
	if (len_out)
		*len_out = req->body.size;
	return ga_buf_cstr(&req->body);
}

void ga_httpd_response_set_status(ga_httpd_response *resp, unsigned status)
{
	resp->status = status;
}

unsigned ga_httpd_response_status(const ga_httpd_response *resp)
{
	return resp->status;
}

void ga_httpd_response_drop(ga_httpd_response *resp)
{
	resp->drop = true;
}

int ga_httpd_response_add_header(ga_httpd_response *resp, const char *name,
                                 const char *value)
{
	char **grown, *n = NULL, *v = NULL;

	if (strpbrk(name, "\r\n:") || strpbrk(value, "\r\n")) {
		ga_error_set(GA_ERRCLASS_HTTP, "bad response header %s", name);
		return GA_EINVALID;
	}
	grown = ga_reallocarray(resp->headers, 2 * (resp->nheaders + 1),
	                        sizeof(*grown));
	if (!grown)
		return GA_ENOMEM;
	resp->headers = grown;
	if (!(n = ga_strdup(name)) || !(v = ga_strdup(value))) {
		ga_free(n);
		return GA_ENOMEM;
	}
	grown[2 * resp->nheaders] = n;
	grown[2 * resp->nheaders + 1] = v;
	resp->nheaders++;
	return 0;
}

ga_buf *ga_httpd_response_body(ga_httpd_response *resp)
{
	return &resp->body;
}

void ga_httpd_response_stream(ga_httpd_response *resp,
                              ga_httpd_stream_read_fn read,
                              ga_httpd_stream_free_fn free_fn, void *payload)
{
	if (resp->read && resp->free_fn)
		resp->free_fn(resp->stream_payload);
	resp->read = read;
	resp->free_fn = free_fn;
	resp->stream_payload = payload;
}

/* A streamed response in flight; libmicrohttpd owns it. */
struct stream {
	ga_httpd *srv;
	struct MHD_Connection *conn;
	ga_httpd_stream_read_fn read;
	ga_httpd_stream_free_fn free_fn;
	void *payload;
	ga_buf pending; /* produced, not yet sent */
	size_t off;     /* bytes of pending already sent */
	bool done;      /* the reader said GA_HTTPD_STREAM_DONE */
};

/* Whether the peer closed or reset the connection. */
static bool client_gone(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *info =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	struct pollfd p;

	if (!info)
		return true;
	p.fd = info->connect_fd;
	p.events = POLLRDHUP;
	p.revents = 0;
	if (poll(&p, 1, 0) < 0)
		return false;
	return (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

static ssize_t stream_pull(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;
	size_t n;
	int rc;

	(void)pos;
	for (;;) {
		if (s->off < s->pending.size) {
			n = s->pending.size - s->off;
			n = n < max ? n : max;
			memcpy(buf, s->pending.ptr + s->off, n);
			s->off += n;
			if (s->off == s->pending.size) {
				ga_buf_clear(&s->pending);
				s->off = 0;
			}
			return (ssize_t)n;
		}
		if (s->done || atomic_load(&s->srv->stopping))
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (client_gone(s->conn))
			return MHD_CONTENT_READER_END_WITH_ERROR;
		rc = s->read(s->payload, &s->pending, STREAM_WAIT_MS);
		if (rc < 0 || s->pending.err)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		if (rc == GA_HTTPD_STREAM_DONE)
			s->done = true;
	}
}

static void stream_free(void *cls)
{
	struct stream *s = cls;

	if (s->free_fn)
		s->free_fn(s->payload);
	ga_buf_dispose(&s->pending);
	ga_free(s);
}

static struct MHD_Response *stream_response(ga_httpd__exchange *x)
{
	struct stream *s = ga_calloc(1, sizeof(*s));
	struct MHD_Response *r;

	if (!s)
		return NULL;
	s->srv = x->srv;
	s->conn = x->req.conn;
	s->read = x->resp.read;
	s->free_fn = x->resp.free_fn;
	s->payload = x->resp.stream_payload;
	s->pending = (ga_buf)GA_BUF_INIT(STREAM_PENDING_MAX);
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK,
	                                      stream_pull, s, stream_free);
	if (!r) {
		ga_free(s);
		return NULL;
	}
	/* From here libmicrohttpd frees the payload through stream_free. */
	x->resp.read = NULL;
	return r;
}

enum MHD_Result ga_httpd__queue(ga_httpd__exchange *x)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t i;

	x->answered = true;
	if (x->resp.read)
		r = stream_response(x);
	else
		r = MHD_create_response_from_buffer(
		    x->resp.body.size,
		    x->resp.body.ptr ? x->resp.body.ptr : (char *)"",
		    MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	for (i = 0; i < x->resp.nheaders; i++)
		if (MHD_add_response_header(r, x->resp.headers[2 * i],
		                            x->resp.headers[2 * i + 1]) !=
		    MHD_YES) {
			MHD_destroy_response(r);
			return MHD_NO;
		}
	ret = MHD_queue_response(x->req.conn, x->resp.status, r);
	MHD_destroy_response(r);
	return ret;
}
