/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ssh:// for libgit2's smart protocol: a git_smart_subtransport (libgit2's
 * git2/sys/transport.h) on libssh2, registered for "ssh://" for the length
 * of one poll (polls take turns under the network lock, remote.c).  The
 * smart protocol over SSH is git's pack protocol on the standard streams
 * of `git-upload-pack '<path>'`, run by an "exec" channel request (RFC 4254
 * §6.5; gitprotocol-pack(5), "SSH Transport").
 *
 * libgit2 1.5's own ssh transport lets libssh2 block on a socket libgit2
 * opened, so a server that stalls between two callbacks holds a poll until
 * the kernel gives up, and it leaks on every connection.  Here the socket
 * is ours (stream.c's connect, within the deadline), the libssh2 session
 * is non-blocking, and every wait is a poll(2) bounded by the deadline and
 * the cancellation flag.  The server's host key is checked against the
 * known_hosts file before any authentication (RFC 4251 §4.1: the client
 * must verify the key; never trust on first use), then the one private key
 * is offered (RFC 4252 §7).  Fetch only: pushing is not supported.
 */
#include "git_int.h"

#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <git2/sys/transport.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/fs.h"
#include "ga/time.h"
#include "knownhosts.h"
#include "ssh2.h"
#include "url.h"

/* The polite goodbye (SSH_MSG_DISCONNECT) may take this long at most. */
#define BYE_MS 500
#define COMMAND_MAX 8192
#define STDERR_MAX 512

typedef struct ssh_sub ssh_sub;

/* One connection: socket, session and the upload-pack channel. */
typedef struct ssh_conn {
	git_smart_subtransport_stream parent;
	ssh_sub *sub;
	ga_git_mirror *m;
	int fd;
	LIBSSH2_SESSION *session;
	LIBSSH2_CHANNEL *channel;
	bool broken; /* failed or interrupted: no goodbye */
} ssh_conn;

struct ssh_sub {
	git_smart_subtransport parent;
	ga_git_mirror *m;
	ssh_conn *current; /* owned by libgit2's smart transport */
};

static git_smart_subtransport_definition ssh_def;

/* Wait for the socket in the direction libssh2 last blocked on. */
static int ssh_wait(ssh_conn *c)
{
	int dir = libssh2_session_block_directions(c->session);
	short ev = POLLIN;

	if (dir == LIBSSH2_SESSION_BLOCK_OUTBOUND)
		ev = POLLOUT;
	else if (dir & LIBSSH2_SESSION_BLOCK_OUTBOUND)
		ev = POLLIN | POLLOUT;
	if (ga_git__wait_fd(c->m, c->fd, ev) < 0) {
		c->broken = true;
		return -1;
	}
	return 0;
}

/* libssh2's reason for the last failure, as libgit2's error. */
static int ssh_fail(ssh_conn *c, const char *what)
{
	char *msg = NULL;

	(void)libssh2_session_last_error(c->session, &msg, NULL, 0);
	git_error_set(GIT_ERROR_SSH, "%s: %s", what,
	              msg && msg[0] ? msg : "unknown libssh2 error");
	c->broken = true;
	return -1;
}

static int refuse(ssh_conn *c, int code, const char *msg)
{
	ga_git__refuse(c->m, code, msg);
	git_error_set_str(GIT_ERROR_SSH, msg);
	c->broken = true;
	return -1;
}

static int handshake(ssh_conn *c)
{
	int rc;

	c->session = libssh2_session_init_ex(NULL, NULL, NULL, NULL);
	if (!c->session) {
		git_error_set_oom();
		return -1;
	}
	libssh2_session_set_blocking(c->session, 0);
	while ((rc = libssh2_session_handshake(c->session, c->fd)) ==
	       LIBSSH2_ERROR_EAGAIN)
		if (ssh_wait(c) < 0)
			return -1;
	return rc < 0 ? ssh_fail(c, "SSH handshake failed") : 0;
}

/* The key the server proved it holds must be its known_hosts entry. */
static int check_host_key(ssh_conn *c, const ga_git__url *u)
{
	ga_buf text = GA_BUF_INIT(GA_GIT_KNOWN_HOSTS_MAX);
	const char *key;
	size_t len = 0;
	int type = 0, err;

	key = libssh2_session_hostkey(c->session, &len, &type);
	if (!key || !len)
		return refuse(c, GA_EVERIFY,
		              "the server's host key is not available");
	err = ga_file_read(&text, c->m->opts.known_hosts_file);
	if (err == 0)
		err = ga_git__known_hosts_check(
		    ga_buf_cstr(&text), text.size, u->host, u->port,
		    (const unsigned char *)key, len);
	ga_buf_dispose(&text);
	if (err < 0)
		return refuse(c, GA_EVERIFY, ga_error_last()->message);
	return 0;
}

static bool offers(const char *list, const char *method)
{
	size_t n = strlen(method);

	for (const char *p = list; p && *p; p += strcspn(p, ",")) {
		if (*p == ',')
			p++;
		if (strncmp(p, method, n) == 0 && (p[n] == ',' || !p[n]))
			return true;
	}
	return false;
}

/* Public-key login with the one configured key (RFC 4252 §7). */
static int authenticate(ssh_conn *c, const char *user)
{
	unsigned ulen = (unsigned)strlen(user);
	const char *list;
	int rc;

	while (!(list = libssh2_userauth_list(c->session, user, ulen))) {
		if (libssh2_userauth_authenticated(c->session))
			return 0; /* the server let us in with "none" */
		if (libssh2_session_last_errno(c->session) !=
		    LIBSSH2_ERROR_EAGAIN)
			return ssh_fail(c, "SSH authentication failed");
		if (ssh_wait(c) < 0)
			return -1;
	}
	if (!offers(list, "publickey"))
		return refuse(c, GA_EAUTH,
		              "authentication failed: the server offers no "
		              "public-key authentication");
	/* No public key file: libssh2 derives it from the private key. */
	while ((rc = libssh2_userauth_publickey_fromfile_ex(
	            c->session, user, ulen, NULL, c->m->opts.ssh_key_file,
	            c->m->secrets.passphrase)) == LIBSSH2_ERROR_EAGAIN)
		if (ssh_wait(c) < 0)
			return -1;
	if (rc == LIBSSH2_ERROR_AUTHENTICATION_FAILED ||
	    rc == LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED)
		return refuse(c, GA_EAUTH,
		              "authentication failed: the server refused the "
		              "SSH key");
	if (rc == LIBSSH2_ERROR_FILE)
		return refuse(c, GA_EAUTH,
		              "authentication failed: the SSH key cannot be "
		              "read (wrong passphrase, or a format libssh2 "
		              "does not know)");
	return rc < 0 ? ssh_fail(c, "SSH authentication failed") : 0;
}

/* "git-upload-pack '<path>'", quoted for the remote shell as git does. */
static int upload_pack_command(ga_buf *cmd, const char *url)
{
	const char *path = strstr(url, "://");

	path = path ? strchr(path + 3, '/') : NULL;
	if (!path || !path[1]) {
		git_error_set_str(GIT_ERROR_NET, "the ssh:// URL has no path");
		return -1;
	}
	/* ssh://host/~user/repo means ~user/repo, as for git. */
	if (path[1] == '~')
		path++;
	(void)ga_buf_puts(cmd, "git-upload-pack '");
	for (; *path; path++) {
		if (*path == '\'' || *path == '!')
			(void)ga_buf_printf(cmd, "'\\%c'", *path);
		else
			(void)ga_buf_put(cmd, path, 1);
	}
	if (ga_buf_puts(cmd, "'") < 0) {
		git_error_set_str(GIT_ERROR_NET, "the ssh:// path is too long");
		return -1;
	}
	return 0;
}

static int start_upload_pack(ssh_conn *c, const char *url)
{
	ga_buf cmd = GA_BUF_INIT(COMMAND_MAX);
	int rc = -1;

	if (upload_pack_command(&cmd, url) < 0)
		goto out;
	while (!(c->channel = libssh2_channel_open_ex(
	             c->session, "session", sizeof("session") - 1,
	             LIBSSH2_CHANNEL_WINDOW_DEFAULT,
	             LIBSSH2_CHANNEL_PACKET_DEFAULT, NULL, 0))) {
		if (libssh2_session_last_errno(c->session) !=
		    LIBSSH2_ERROR_EAGAIN) {
			rc = ssh_fail(c, "cannot open an SSH channel");
			goto out;
		}
		if (ssh_wait(c) < 0)
			goto out;
	}
	while ((rc = libssh2_channel_process_startup(
	            c->channel, "exec", sizeof("exec") - 1, cmd.ptr,
	            (unsigned)cmd.size)) == LIBSSH2_ERROR_EAGAIN)
		if (ssh_wait(c) < 0)
			goto out;
	if (rc < 0)
		rc = ssh_fail(c, "the server refused to run git-upload-pack");
out:
	ga_buf_dispose(&cmd);
	return rc < 0 ? -1 : 0;
}

static int conn_open(ssh_conn *c, const char *url)
{
	ga_git__url u;
	char port[16];
	const char *user;

	if (ga_git__url_parse(&u, url) < 0) {
		git_error_set_str(GIT_ERROR_NET, ga_error_last()->message);
		return -1;
	}
	user = u.user[0] ? u.user : "git";
	(void)snprintf(port, sizeof(port), "%u", u.port);
	if (ga_git__tcp_connect(&c->fd, c->m, u.host, port) < 0 ||
	    handshake(c) < 0 || check_host_key(c, &u) < 0 ||
	    authenticate(c, user) < 0 || start_upload_pack(c, url) < 0)
		return -1;
	return 0;
}

/* At end of file, what the server said on stderr becomes the error. */
static int read_eof(ssh_conn *c, size_t *bytes_read)
{
	char text[STDERR_MAX];
	ssize_t n;

	*bytes_read = 0;
	n = libssh2_channel_read_ex(c->channel, SSH_EXTENDED_DATA_STDERR, text,
	                            sizeof(text) - 1);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	for (ssize_t i = 0; i < n; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			text[i] = i == n - 1 ? '\0' : ' ';
	git_error_set(GIT_ERROR_SSH, "the server closed the channel: %s", text);
	c->broken = true;
	return -1;
}

static int conn_read(git_smart_subtransport_stream *stream, char *buf,
                     size_t size, size_t *bytes_read)
{
	ssh_conn *c = (ssh_conn *)stream;

	for (;;) {
		ssize_t n = libssh2_channel_read_ex(c->channel, 0, buf, size);

		if (n > 0) {
			*bytes_read = (size_t)n;
			return 0;
		}
		if (n == 0)
			return read_eof(c, bytes_read);
		if (n != LIBSSH2_ERROR_EAGAIN)
			return ssh_fail(c, "SSH read failed");
		if (ssh_wait(c) < 0)
			return -1;
	}
}

static int conn_write(git_smart_subtransport_stream *stream, const char *buf,
                      size_t len)
{
	ssh_conn *c = (ssh_conn *)stream;

	while (len) {
		ssize_t n = libssh2_channel_write_ex(c->channel, 0, buf, len);

		if (n > 0) {
			buf += n;
			len -= (size_t)n;
		} else if (n != LIBSSH2_ERROR_EAGAIN) {
			return ssh_fail(c, "SSH write failed");
		} else if (ssh_wait(c) < 0) {
			return -1;
		}
	}
	return 0;
}

/* A short, bounded goodbye on a healthy session, so that sshd logs a
 * disconnect rather than a reset; never worth waiting for. */
static void say_goodbye(ssh_conn *c)
{
	uint64_t until = ga_now_ms() + BYE_MS;

	while (libssh2_session_disconnect_ex(
	           c->session, SSH_DISCONNECT_BY_APPLICATION, "done", "") ==
	       LIBSSH2_ERROR_EAGAIN) {
		struct pollfd p = {c->fd, POLLOUT, 0};
		uint64_t now = ga_now_ms();

		if (now >= until || poll(&p, 1, (int)(until - now)) <= 0)
			return;
	}
}

static void conn_free(git_smart_subtransport_stream *stream)
{
	ssh_conn *c = (ssh_conn *)stream;

	if (c->session && !c->broken)
		say_goodbye(c);
	/* With the socket shut down, libssh2's blocking clean-up cannot
	 * wait for the server: every send and receive fails at once. */
	if (c->fd >= 0)
		(void)shutdown(c->fd, SHUT_RDWR);
	if (c->session) {
		libssh2_session_set_blocking(c->session, 1);
		if (c->channel)
			(void)libssh2_channel_free(c->channel);
		(void)libssh2_session_free(c->session);
	}
	if (c->fd >= 0)
		(void)close(c->fd);
	if (c->sub && c->sub->current == c)
		c->sub->current = NULL;
	ga_free(c);
}

static int sub_action(git_smart_subtransport_stream **out,
                      git_smart_subtransport *transport, const char *url,
                      git_smart_service_t action)
{
	ssh_sub *sub = (ssh_sub *)transport;
	ssh_conn *c;

	/* One connection serves the ref listing and then the fetch. */
	if (action == GIT_SERVICE_UPLOADPACK) {
		if (!sub->current) {
			git_error_set_str(GIT_ERROR_NET,
			                  "ssh: fetch without a connection");
			return -1;
		}
		*out = &sub->current->parent;
		return 0;
	}
	if (action != GIT_SERVICE_UPLOADPACK_LS) {
		git_error_set_str(GIT_ERROR_NET,
		                  "only fetching is supported over ssh://");
		return -1;
	}
	if (!(c = ga_calloc(1, sizeof(*c)))) {
		git_error_set_oom();
		return -1;
	}
	c->parent.subtransport = transport;
	c->parent.read = conn_read;
	c->parent.write = conn_write;
	c->parent.free = conn_free;
	c->m = sub->m;
	c->fd = -1;
	if (conn_open(c, url) < 0) {
		conn_free(&c->parent);
		return -1;
	}
	c->sub = sub;
	sub->current = c;
	*out = &c->parent;
	return 0;
}

/* The smart transport frees the stream itself before closing. */
static int sub_close(git_smart_subtransport *transport)
{
	ssh_sub *sub = (ssh_sub *)transport;

	if (sub->current)
		sub->current->sub = NULL;
	sub->current = NULL;
	return 0;
}

static void sub_free(git_smart_subtransport *transport)
{
	(void)sub_close(transport);
	ga_free(transport);
}

static int sub_new(git_smart_subtransport **out, git_transport *owner,
                   void *param)
{
	ssh_sub *sub;

	(void)owner;
	if (!(sub = ga_calloc(1, sizeof(*sub)))) {
		git_error_set_oom();
		return -1;
	}
	sub->m = param;
	sub->parent.action = sub_action;
	sub->parent.close = sub_close;
	sub->parent.free = sub_free;
	*out = &sub->parent;
	return 0;
}

int ga_git__ssh_install(ga_git_mirror *m)
{
	int err, gerr;

	if ((err = ga_ssh2__init()) < 0)
		return err;
	ssh_def.callback = sub_new;
	ssh_def.rpc = 0;
	ssh_def.param = m;
	/* The scheme without "://", whatever the header's comment says:
	 * libgit2 appends it. */
	if ((gerr = git_transport_register("ssh", git_transport_smart,
	                                   &ssh_def)) < 0)
		return ga_git__fail(m, gerr, "set up ssh:// for");
	return 0;
}

void ga_git__ssh_uninstall(void)
{
	(void)git_transport_unregister("ssh");
	git_error_clear();
	ssh_def.param = NULL;
}
