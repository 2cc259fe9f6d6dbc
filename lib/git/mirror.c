/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The persistent bare mirror: one repository per remote under the cache
 * directory, named by the SHA-256 of the URL without its credentials (so a
 * rotated password keeps the mirror), holding only the refs that were
 * selected so far.  The remote is never written to the mirror's config:
 * every poll uses an anonymous remote, so no URL or credential is stored
 * on disk.  This folder is the only one that calls libgit2.
 */
#include "git_int.h"

#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/digest.h"
#include "ga/error.h"
#include "select.h"
#include "url.h"
#include "util/dl.h"

static ga_dl_once libgit2_once = GA_DL_ONCE_INIT;

static void init_libgit2(void)
{
	int err = ga_git2__load();

	if (!err && git_libgit2_init() < 0) {
		ga_error_set(GA_ERRCLASS_GIT, "libgit2 failed to initialise");
		err = GA_ERROR;
	}
	(void)ga_dl_once_done(&libgit2_once, err);
}

int ga_git__init(void)
{
	return ga_dl_once_run(&libgit2_once, init_libgit2, GA_ERRCLASS_GIT);
}

/* Replace every occurrence of @secret in @msg by "***". */
static void scrub_secret(ga_buf *msg, const char *secret)
{
	ga_buf out = GA_BUF_INIT(msg->max);
	const char *p, *hit;
	size_t slen = secret ? strlen(secret) : 0;

	if (slen < 3 || !msg->ptr || !strstr(msg->ptr, secret))
		return;
	for (p = msg->ptr; (hit = strstr(p, secret)); p = hit + slen) {
		(void)ga_buf_put(&out, p, (size_t)(hit - p));
		(void)ga_buf_puts(&out, "***");
	}
	(void)ga_buf_puts(&out, p);
	ga_buf_dispose(msg);
	*msg = out;
}

/* libgit2 may quote the URL it was given: drop user information from
 * anything that looks like "scheme://userinfo@". */
static void scrub_urls(ga_buf *msg)
{
	ga_buf out = GA_BUF_INIT(msg->max);
	const char *p = ga_buf_cstr(msg), *sep;

	while ((sep = strstr(p, "://"))) {
		size_t auth = strcspn(sep + 3, "/ \t'\"?#");
		const char *at = NULL;

		for (size_t i = auth; i > 0; i--) {
			if (sep[3 + i - 1] == '@') {
				at = sep + 3 + i;
				break;
			}
		}
		(void)ga_buf_put(&out, p, (size_t)(sep + 3 - p));
		if (at)
			(void)ga_buf_puts(&out, "***@");
		p = at ? at : sep + 3;
	}
	(void)ga_buf_puts(&out, p);
	ga_buf_dispose(msg);
	*msg = out;
}

static int map_code(int gerr, int klass, const char *msg)
{
	switch (gerr) {
	case GIT_EAUTH:
		return GA_EAUTH;
	case GIT_ECERTIFICATE:
		return GA_EVERIFY;
	case GIT_ENOTFOUND:
		return GA_ENOTFOUND;
	default:
		break;
	}
	/* libgit2 1.5 reports a refused HTTP login (e.g. a bearer token,
	 * whose scheme it does not know) as a plain HTTP error. */
	if (klass == GIT_ERROR_HTTP && msg && strstr(msg, "authentication"))
		return GA_EAUTH;
	if (klass == GIT_ERROR_NET || klass == GIT_ERROR_SSH ||
	    klass == GIT_ERROR_HTTP || klass == GIT_ERROR_SSL ||
	    klass == GIT_ERROR_OS)
		return GA_ERETRY;
	return GA_ERROR;
}

int ga_git__fail(ga_git_mirror *m, int gerr, const char *what)
{
	const git_error *ge = git_error_last();
	ga_buf msg = GA_BUF_INIT(1024);
	int code = map_code(gerr, ge ? ge->klass : 0, ge ? ge->message : NULL);

	if (m && m->refusal) {
		code = m->refusal;
		(void)ga_buf_puts(&msg, ga_buf_cstr(&m->refusal_msg));
	} else if (m && m->cancelled) {
		code = GA_ERROR;
		(void)ga_buf_puts(&msg, "cancelled");
	} else if (m && m->timed_out) {
		code = GA_ERETRY;
		(void)ga_buf_printf(&msg, "timed out after %llu ms",
		                    (unsigned long long)m->opts.timeout_ms);
	} else {
		(void)ga_buf_puts(&msg, ge && ge->message ? ge->message
		                                          : "unknown error");
	}
	if (m) {
		scrub_secret(&msg, m->secrets.password);
		scrub_secret(&msg, m->secrets.token);
		scrub_secret(&msg, m->secrets.passphrase);
		/* A bare user name ("git") is no secret, but a token
		 * may stand in the user's place. */
		if (strchr(m->userinfo, ':') || strlen(m->userinfo) >= 16)
			scrub_secret(&msg, m->userinfo);
	}
	scrub_urls(&msg);
	ga_error_set(code == GA_EVERIFY || code == GA_EAUTH ? GA_ERRCLASS_VERIFY
	                                                    : GA_ERRCLASS_GIT,
	             "%s%s%s: %s", what, m ? " " : "", m ? m->redacted : "",
	             ga_buf_cstr(&msg));
	ga_buf_dispose(&msg);
	git_error_clear();
	return code;
}

int ga_git__oid_parse(git_oid *oid, const char *hex)
{
	size_t i;

	for (i = 0; hex[i]; i++) {
		if (!((hex[i] >= '0' && hex[i] <= '9') ||
		      (hex[i] >= 'a' && hex[i] <= 'f')))
			break;
	}
	if (i != 40 || hex[i] || git_oid_fromstr(oid, hex) < 0) {
		git_error_clear();
		ga_error_set(GA_ERRCLASS_INVALID,
		             "'%.64s' is not a commit id (40 lower-case hex "
		             "digits)",
		             hex);
		return GA_EINVALID;
	}
	return 0;
}

static int check_opts(const ga_git_opts *o, const ga_git__url *u)
{
	bool http =
	    u->scheme == GA_GIT_SCHEME_HTTP || u->scheme == GA_GIT_SCHEME_HTTPS;
	const char *bad = NULL;

	if (!o->cache_dir || !o->cache_dir[0])
		bad = "a cache directory is required";
	else if (!http && (o->username || o->password_file || o->token_file))
		bad = "user name, password and token apply to http(s) only";
	else if (o->token_file && (o->username || o->password_file))
		bad = "a token and basic auth exclude each other";
	else if (!o->username != !o->password_file)
		bad = "basic auth needs both a user name and a password file";
	else if (o->ca_file && u->scheme != GA_GIT_SCHEME_HTTPS)
		bad = "a CA bundle applies to https only";
	else if (u->scheme != GA_GIT_SCHEME_SSH &&
	         (o->ssh_key_file || o->known_hosts_file ||
	          o->ssh_passphrase_file))
		bad = "SSH keys and known_hosts apply to ssh:// only";
	else if (u->scheme == GA_GIT_SCHEME_SSH &&
	         (!o->ssh_key_file || !o->known_hosts_file))
		bad = "ssh:// needs a private key and a known_hosts file";
	else if (o->ssh_passphrase_file && !o->ssh_key_file)
		bad = "a passphrase file needs a private key";
	if (bad) {
		ga_error_set(GA_ERRCLASS_INVALID, "%s", bad);
		return GA_EINVALID;
	}
	return 0;
}

static int mirror_path(char **out, const ga_git_opts *o)
{
	ga_buf id = GA_BUF_INIT(65536), path = GA_BUF_INIT(8192);
	unsigned char md[GA_SHA256_LEN];
	char hex[GA_SHA256_HEX_SIZE];
	int err;

	if ((err = ga_git__url_identity(&id, o->url)) < 0)
		goto out;
	(void)ga_sha256(md, id.ptr, id.size);
	ga_hex(hex, md, GA_SHA256_LEN);
	/* 128 bits of the digest name the mirror: collisions are not a
	 * practical concern for the handful of remotes one agent polls. */
	if ((err = ga_buf_printf(&path, "%s/%.32s.git", o->cache_dir, hex)) < 0)
		goto out;
	err = (*out = ga_buf_detach(&path)) ? 0 : GA_ENOMEM;
out:
	ga_buf_dispose(&id);
	ga_buf_dispose(&path);
	return err;
}

static int open_repo(ga_git_mirror *m)
{
	git_repository_init_options init;
	int gerr;

	(void)git_repository_init_options_init(
	    &init, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	gerr = git_repository_open_bare(&m->repo, m->path);
	if (gerr == 0)
		return 0;
	if (gerr != GIT_ENOTFOUND)
		return ga_git__fail(NULL, gerr, "open mirror");
	git_error_clear();
	init.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH;
	init.mode = GIT_REPOSITORY_INIT_SHARED_UMASK;
	if ((gerr = git_repository_init_ext(&m->repo, m->path, &init)) < 0)
		return ga_git__fail(NULL, gerr, "create mirror");
	return 0;
}

int ga_git_mirror_open(ga_git_mirror **out, const ga_git_opts *opts)
{
	ga_git_mirror *m = NULL;
	ga_git__url url;
	ga_buf shown = GA_BUF_INIT(8192);
	int err;

	if (!opts || !opts->url) {
		ga_error_set(GA_ERRCLASS_INVALID, "a URL is required");
		return GA_EINVALID;
	}
	if ((err = ga_git__url_parse(&url, opts->url)) < 0 ||
	    (err = ga_git__init()) < 0)
		return err;
	if (!(m = ga_calloc(1, sizeof(*m))))
		return GA_ENOMEM;
	m->opts = *opts;
	m->port = url.port;
	m->url_creds = url.has_password;
	m->own_stream = url.scheme == GA_GIT_SCHEME_GIT ||
	                url.scheme == GA_GIT_SCHEME_HTTP ||
	                url.scheme == GA_GIT_SCHEME_HTTPS;
	m->ssh = url.scheme == GA_GIT_SCHEME_SSH;
	m->refusal_msg = (ga_buf)GA_BUF_INIT(1024);
	if ((err = ga_git_url_redact(&shown, opts->url)) < 0 ||
	    !(m->redacted = ga_buf_detach(&shown))) {
		err = err < 0 ? err : GA_ENOMEM;
		goto out;
	}
	if ((err = ga_git__url_userinfo(&shown, opts->url)) < 0 ||
	    !(m->userinfo = ga_buf_detach(&shown))) {
		err = err < 0 ? err : GA_ENOMEM;
		goto out;
	}
	if ((err = check_opts(opts, &url)) < 0) {
		ga_error_prefix("%s", m->redacted);
		goto out;
	}
	if ((err = mirror_path(&m->path, opts)) < 0 || (err = open_repo(m)) < 0)
		goto out;
	*out = m;
	m = NULL;
out:
	ga_buf_dispose(&shown);
	ga_git_mirror_free(m);
	return err;
}

void ga_git_mirror_free(ga_git_mirror *m)
{
	if (!m)
		return;
	git_repository_free(m->repo);
	ga_buf_dispose(&m->refusal_msg);
	ga_free(m->path);
	ga_free(m->redacted);
	ga_free(m->userinfo);
	ga_free(m);
}

const char *ga_git_mirror_path(const ga_git_mirror *m)
{
	return m->path;
}
