/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One poll of the remote (flux.md §1.5, done better, §8.1): connect, list
 * the advertised refs (git_remote_ls), select the ref, and fetch only when
 * the mirror's copy differs — an idle poll costs one ref advertisement and
 * transfers no objects.  The fetch asks for that one ref (all branches and
 * tags for a pinned commit), with the mirror's refs as "haves", so only
 * new objects travel.
 *
 * libgit2 1.5 has no connect or read timeouts (GIT_OPT_SET_SERVER_TIMEOUT
 * arrived in 1.7).  The deadline and the cancellation flag are checked in
 * every callback libgit2 makes (credentials, certificate check, sideband
 * and transfer progress), in every wait of the TCP stream of stream.c
 * (git://, http(s)://) and in every wait of the SSH subtransport of ssh.c,
 * which also checks the host key and logs in itself.
 */
#include "git_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/fs.h"
#include "ga/time.h"
#include "select.h"

/* Where Debian's libgit2 (mbedTLS) finds the system CAs by default. */
#define SYSTEM_CA_FILE "/etc/ssl/certs/ca-certificates.crt"
#define SECRET_MAX 65536

/* libgit2 1.5 keeps the TLS trust store process-wide: network operations
 * take turns so that one mirror's CA bundle never serves another. */
static pthread_mutex_t net_lock = PTHREAD_MUTEX_INITIALIZER;
static bool custom_ca_loaded;

void ga_git__refuse(ga_git_mirror *m, int code, const char *msg)
{
	m->refusal = code;
	ga_buf_clear(&m->refusal_msg);
	(void)ga_buf_puts(&m->refusal_msg, msg);
}

static int check_deadline(ga_git_mirror *m)
{
	if (m->opts.cancel && atomic_load(m->opts.cancel)) {
		m->cancelled = true;
		return GIT_EUSER;
	}
	if (m->deadline_ms && ga_now_ms() > m->deadline_ms) {
		m->timed_out = true;
		return GIT_EUSER;
	}
	return 0;
}

static int cb_transfer(const git_indexer_progress *stats, void *payload)
{
	(void)stats;
	return check_deadline(payload);
}

static int cb_sideband(const char *str, int len, void *payload)
{
	(void)str;
	(void)len;
	return check_deadline(payload);
}

static int cb_credentials(git_credential **out, const char *url,
                          const char *username_from_url, unsigned int allowed,
                          void *payload)
{
	ga_git_mirror *m = payload;

	/* Over http(s):// only: ssh.c logs in by itself. */
	(void)url;
	(void)username_from_url;
	if (check_deadline(m))
		return GIT_EUSER;
	m->cred_calls++;
	if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) &&
	    m->secrets.password && m->cred_calls == 1)
		return git_credential_userpass_plaintext_new(
		    out, m->opts.username, m->secrets.password);
	ga_git__refuse(m, GA_EAUTH,
	               m->cred_calls > 1 || m->secrets.token
	                   ? "authentication failed: the server refused the "
	                     "credentials"
	                   : "authentication required: the server asks for "
	                     "credentials and none were given");
	return GIT_EUSER;
}

static int cb_certificate(git_cert *cert, int valid, const char *host,
                          void *payload)
{
	ga_git_mirror *m = payload;

	/* TLS only: ssh.c checks SSH host keys itself. */
	(void)cert;
	(void)host;
	if (check_deadline(m))
		return GIT_EUSER;
	if (valid)
		return 0;
	/* Never overridden: an untrusted certificate ends the poll. */
	ga_git__refuse(
	    m, GA_EVERIFY,
	    "the server's TLS certificate is not trusted (or does not "
	    "name the host); refused");
	return GIT_EUSER;
}

static void wipe(char **s)
{
	if (*s) {
		explicit_bzero(*s, strlen(*s));
		ga_free(*s);
		*s = NULL;
	}
}

static void secrets_wipe(ga_git__secrets *s)
{
	wipe(&s->password);
	wipe(&s->token);
	wipe(&s->passphrase);
	wipe(&s->auth_header);
}

/* The first line of @path, for password, token and passphrase files. */
static int read_secret(char **out, const char *path, const char *what)
{
	ga_buf buf = GA_BUF_INIT(SECRET_MAX);
	int err;

	if (!path)
		return 0;
	if ((err = ga_file_read(&buf, path)) < 0) {
		ga_error_prefix("read the %s file", what);
		goto out;
	}
	while (buf.size &&
	       (buf.ptr[buf.size - 1] == '\n' || buf.ptr[buf.size - 1] == '\r'))
		ga_buf_truncate(&buf, buf.size - 1);
	if (buf.size == 0 || memchr(buf.ptr, '\n', buf.size) ||
	    memchr(buf.ptr, '\r', buf.size) || strlen(buf.ptr) != buf.size) {
		ga_error_set(GA_ERRCLASS_CONFIG,
		             "the %s file must hold one non-empty line", what);
		err = GA_EINVALID;
		goto out;
	}
	err = (*out = ga_buf_detach(&buf)) ? 0 : GA_ENOMEM;
out:
	if (buf.ptr)
		explicit_bzero(buf.ptr, buf.asize);
	ga_buf_dispose(&buf);
	return err;
}

static int secrets_load(ga_git_mirror *m)
{
	ga_buf hdr = GA_BUF_INIT(SECRET_MAX + 64);
	int err;

	if ((err = read_secret(&m->secrets.password, m->opts.password_file,
	                       "password")) < 0 ||
	    (err = read_secret(&m->secrets.token, m->opts.token_file,
	                       "token")) < 0 ||
	    (err = read_secret(&m->secrets.passphrase,
	                       m->opts.ssh_passphrase_file, "passphrase")) < 0)
		return err;
	if (!m->secrets.token)
		return 0;
	if ((err = ga_buf_printf(&hdr, "Authorization: Bearer %s",
	                         m->secrets.token)) < 0)
		return err;
	return (m->secrets.auth_header = ga_buf_detach(&hdr)) ? 0 : GA_ENOMEM;
}

/* Point libgit2's TLS trust store at this mirror's CA bundle, or back at
 * the system's after another mirror changed it. */
static int set_trust(ga_git_mirror *m)
{
	const char *file = m->opts.ca_file;
	int gerr;

	if (!file && !custom_ca_loaded)
		return 0;
	if (!file)
		file = SYSTEM_CA_FILE;
	gerr = git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, NULL);
	custom_ca_loaded = m->opts.ca_file != NULL;
	if (gerr < 0)
		return ga_git__fail(NULL, gerr, "load the CA bundle");
	return 0;
}

void ga_git__callbacks_init(git_remote_callbacks *cb, ga_git_mirror *m)
{
	cb->credentials = cb_credentials;
	cb->certificate_check = cb_certificate;
	cb->transfer_progress = cb_transfer;
	cb->sideband_progress = cb_sideband;
	cb->payload = m;
}

int ga_git__net_begin(ga_git_mirror *m)
{
	uint64_t t = m->opts.timeout_ms;
	int err, gerr;

	m->deadline_ms = t ? ga_now_ms() + t : 0;
	m->timed_out = m->cancelled = false;
	m->cred_calls = 0;
	m->refusal = 0;
	ga_buf_clear(&m->refusal_msg);
	if ((err = secrets_load(m)) < 0) {
		secrets_wipe(&m->secrets);
		return err;
	}
	(void)pthread_mutex_lock(&net_lock);
	if ((err = set_trust(m)) < 0) {
		ga_git__net_end(m);
		return err;
	}
	if (m->own_stream && (gerr = ga_git__stream_install(m)) < 0) {
		err = ga_git__fail(m, gerr, "set up the connection to");
		ga_git__net_end(m);
	} else if (m->ssh && (err = ga_git__ssh_install(m)) < 0) {
		ga_git__net_end(m);
	}
	return err;
}

void ga_git__net_end(ga_git_mirror *m)
{
	if (m->own_stream)
		ga_git__stream_uninstall();
	if (m->ssh)
		ga_git__ssh_uninstall();
	secrets_wipe(&m->secrets);
	(void)pthread_mutex_unlock(&net_lock);
}

void ga_git__connect_opts(git_remote_connect_options *co, ga_git_mirror *m)
{
	ga_git__callbacks_init(&co->callbacks, m);
	/* Credentials must not follow a redirect to another host. */
	co->follow_redirects =
	    m->secrets.password || m->secrets.token || m->url_creds
	        ? GIT_REMOTE_REDIRECT_NONE
	        : GIT_REMOTE_REDIRECT_INITIAL;
	co->custom_headers.strings = &m->secrets.auth_header;
	co->custom_headers.count = m->secrets.auth_header ? 1 : 0;
}
