/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `gitops-agent source-process`: the child side of source.h.  It reads
 * one request (JSON, on stdin), polls the mirror, verifies the revision,
 * builds it with the provider's overlay from the verified tree (or builds
 * the last applied revision when the poll or the verification fails),
 * and answers with one JSON header line and the built YAML stream on
 * stdout.  A failure of the work is part of the answer (exit status 0);
 * a status of 1 means the request itself could not be read.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "cli.h"
#include "ga/error.h"
#include "ga/gitverify.h"
#include "ga/json.h"
#include "ga/kustomize.h"
#include "ga/log.h"
#include "ga/time.h"
#include "runutil.h"
#include "source.h"

static atomic_int cancel_flag;

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&cancel_flag, 1);
}

/* The sections of the request are optional: @map may be NULL. */
static const ga_node *get(const ga_node *map, const char *key)
{
	return map ? ga_node_map_get(map, key) : NULL;
}

static const char *str_of(const ga_node *map, const char *key)
{
	const ga_node *n = get(map, key);

	return n && ga_node_type_of(n) == GA_NODE_STRING ? ga_node_str(n)
	                                                 : NULL;
}

/* What the request asks, borrowed from its document. */
typedef struct child {
	ga_node *req;
	ga_git_opts gopts;
	ga_git_ref ref;
	ga_git_mirror *mirror;
	ga_source_result res;
} child;

static void fail(child *c, ga_run_stage stage, const char *reason,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void fail(child *c, ga_run_stage stage, const char *reason,
                 const char *fmt, ...)
{
	va_list ap;

	if (c->res.failed)
		return;
	c->res.failed = true;
	c->res.stage = stage;
	(void)snprintf(c->res.reason, sizeof(c->res.reason), "%s", reason);
	va_start(ap, fmt);
	(void)vsnprintf(c->res.message, sizeof(c->res.message), fmt, ap);
	va_end(ap);
}

static int read_options(child *c)
{
	static const char *const kinds[] = {"branch", "tag", "semver",
	                                    "commit"};
	static const ga_git_ref_kind kind_of[] = {
	    GA_GIT_REF_BRANCH, GA_GIT_REF_TAG, GA_GIT_REF_SEMVER,
	    GA_GIT_REF_COMMIT};
	const char *kind = str_of(c->req, "refKind");

	c->gopts.url = str_of(c->req, "url");
	c->gopts.cache_dir = str_of(c->req, "cacheDir");
	(void)ga_source__u64(c->req, "timeoutMs", &c->gopts.timeout_ms);
	c->gopts.cancel = &cancel_flag;
	/* The credentials as source_proc.c's request() names them: the
	 * Secret's key names, for the files they were written to. */
	c->gopts.username = str_of(c->req, "username");
	c->gopts.password_file = str_of(c->req, "password");
	c->gopts.token_file = str_of(c->req, "bearerToken");
	c->gopts.ca_file = str_of(c->req, "ca.crt");
	c->gopts.ssh_key_file = str_of(c->req, "identity");
	c->gopts.ssh_passphrase_file = str_of(c->req, "passphrase");
	c->gopts.known_hosts_file = str_of(c->req, "known_hosts");
	c->ref.name = str_of(c->req, "ref");
	for (size_t i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(kind, kinds[i]) == 0)
			c->ref.kind = kind_of[i];
	}
	if (!c->gopts.url || !c->gopts.cache_dir || !c->ref.name || !kind) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "source process: the request lacks url, cacheDir, "
		             "ref or refKind");
		return GA_EINVALID;
	}
	return 0;
}

/* Poll the remote; on success the selection is in @sel. */
static int poll_remote(child *c, ga_git_result *sel)
{
	uint64_t t = ga_now_ms();
	int err;

	if ((err = ga_git_mirror_open(&c->mirror, &c->gopts)) == 0)
		err = ga_git_fetch(sel, c->mirror, &c->ref);
	c->res.ms[GA_STAGE_FETCH] = ga_now_ms() - t;
	if (err < 0)
		fail(c, GA_STAGE_FETCH,
		     err == GA_EAUTH ? "AuthenticationFailed" : "FetchFailed",
		     "%s", ga_error_last()->message);
	else
		(void)snprintf(c->res.polled, sizeof(c->res.polled), "%s",
		               sel->revision);
	return err;
}

/* A key of the request's list @l (see lists in load_keys). */
static int add_key(ga_verify_keys *keys, size_t l, const ga_node *d,
                   const char *name)
{
	const char *text = ga_node_str(d);
	size_t len = ga_node_str_len(d);

	if (l == 0)
		return ga_verify_keys_add_pgp(keys, text, len, name);
	if (l == 1)
		return ga_verify_keys_add_ssh(keys, text, len, name);
	return ga_verify_keys_add_allowed_signers(keys, text, len, name);
}

/* The keys of the request: OpenPGP blobs, SSH keys, allowed signers. */
static int load_keys(const ga_node *verify, ga_verify_keys **out)
{
	static const char *const lists[] = {"pgp", "ssh", "allowedSigners"};
	ga_verify_keys *keys = NULL;
	int err;

	if ((err = ga_verify_keys_new(&keys)) < 0)
		goto out;
	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		const ga_node *list = get(verify, lists[l]);
		size_t n = list ? ga_node_count(list) : 0;

		for (size_t i = 0; i < n && err == 0; i++) {
			const ga_node *k = ga_node_list_get(list, i);
			const char *name = str_of(k, "name");
			const ga_node *d = get(k, "data");

			if (name && d && ga_node_type_of(d) == GA_NODE_STRING)
				err = add_key(keys, l, d, name);
		}
	}
	if (err == 0) {
		*out = keys;
		keys = NULL;
	}
out:
	ga_verify_keys_free(keys);
	return err;
}

static void signer_of(char *out, size_t cap, const ga_gitverify_result *r)
{
	const ga_verify_result *v =
	    r->commit_checked ? &r->commit_sig : &r->tag_sig;

	(void)snprintf(out, cap, "%s (%s %s)", v->signer,
	               v->format == GA_SIG_SSH ? "ssh" : "openpgp", v->key);
}

static int verify(child *c, const ga_git_result *sel)
{
	const ga_node *v = get(c->req, "verify");
	const char *unavailable = str_of(v, "keysUnavailable");
	ga_gitverify_opts vo = GA_GITVERIFY_OPTS_INIT;
	ga_gitverify_result r;
	ga_verify_keys *keys = NULL;
	uint64_t t = ga_now_ms();
	int err;

	if (unavailable) {
		fail(c, GA_STAGE_VERIFY, "KeysUnavailable", "%s", unavailable);
		return GA_ERROR;
	}
	if ((err = load_keys(v, &keys)) < 0) {
		fail(c, GA_STAGE_VERIFY, "KeysUnavailable", "%s",
		     ga_error_last()->message);
		goto out;
	}
	(void)ga_gitverify_mode_parse(&vo.mode, str_of(v, "mode"));
	vo.since = str_of(v, "since");
	vo.keys = keys;
	if ((err = ga_gitverify_check(&r, c->mirror, &c->ref, sel, &vo)) < 0) {
		c->res.verdict = r.verdict;
		fail(c, GA_STAGE_VERIFY,
		     r.verdict ? ga_verify_reason_name(r.reason)
		               : "VerificationFailed",
		     "revision %s refused: %s", sel->revision,
		     ga_error_last()->message);
		goto out;
	}
	(void)snprintf(c->res.revision, sizeof(c->res.revision), "%s",
	               r.revision);
	(void)snprintf(c->res.commit, sizeof(c->res.commit), "%s", r.commit);
	signer_of(c->res.signer, sizeof(c->res.signer), &r);
out:
	c->res.ms[GA_STAGE_VERIFY] = ga_now_ms() - t;
	ga_verify_keys_free(keys);
	return err;
}

/* Build @commit (@revision) with the request's overlay into res.yaml. */
static int build(child *c, const char *commit, const char *revision)
{
	const ga_node *b = get(c->req, "build");
	const ga_node *overlay = get(b, "overlay");
	const char *annotation = str_of(b, "sourceAnnotation");
	ga_kust_opts ko = GA_KUST_OPTS_INIT;
	ga_kust_fs *tree = NULL, *fs = NULL;
	uint64_t t = ga_now_ms();
	int err;

	if (!overlay || ga_node_type_of(overlay) != GA_NODE_STRING) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "source process: the request lacks build.overlay");
		err = GA_EINVALID;
		goto out;
	}
	ko.source_annotation = annotation;
	if ((err = ga_git_tree_fs(&tree, c->mirror, commit)) < 0)
		goto out;
	err =
	    ga_kust_fs_overlay(&fs, tree, GA_RECONCILE_OVERLAY_DIR,
	                       ga_node_str(overlay), ga_node_str_len(overlay));
	tree = NULL; /* the overlay took it */
	if (err == 0)
		err = ga_kust_build(&c->res.yaml, fs, "/",
		                    GA_RECONCILE_OVERLAY_DIR, &ko);
out:
	c->res.ms[GA_STAGE_BUILD] = ga_now_ms() - t;
	if (err < 0) {
		fail(c, GA_STAGE_BUILD, "BuildFailed", "revision %s: %s",
		     revision, ga_error_last()->message);
		ga_buf_clear(&c->res.yaml); /* no half of a build */
	} else
		(void)snprintf(c->res.built, sizeof(c->res.built), "%s",
		               commit);
	ga_kust_fs_free(tree);
	ga_kust_fs_free(fs);
	return err;
}

/*
 * PASS: poll, verify, build the new revision; after a failed poll or
 * verification, build the last applied revision (fallbackCommit) from
 * the mirror, which corrects drift while Git is down.
 */
static void pass(child *c)
{
	const char *fb_commit = str_of(c->req, "fallbackCommit");
	const char *fb_rev = str_of(c->req, "fallbackRevision");
	ga_git_result sel;

	if (!fb_rev)
		fb_rev = fb_commit;
	if (poll_remote(c, &sel) == 0 && verify(c, &sel) == 0) {
		(void)build(c, c->res.commit, c->res.revision);
		return;
	}
	if (!c->mirror || !fb_commit || atomic_load(&cancel_flag))
		return;
	/* The pass's failure stays the poll's or the verification's; this
	 * one is logged (a standby that took over may lack the commit). */
	if (build(c, fb_commit, fb_rev) < 0)
		GA_LOG(GA_LOG_WARN, NULL, 0,
		       "the last verified revision %s cannot be built "
		       "again: %s",
		       fb_rev, ga_error_last()->message);
}

static void poll_only(child *c)
{
	ga_git_result sel;

	if (poll_remote(c, &sel) < 0)
		return;
	(void)snprintf(c->res.revision, sizeof(c->res.revision), "%s",
	               sel.revision);
	(void)snprintf(c->res.commit, sizeof(c->res.commit), "%s", sel.commit);
}

static int read_all(int fd, ga_buf *out)
{
	char chunk[65536];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ga_error_set_os(errno,
			                "source process: read the request");
			return GA_EIO;
		}
		if (ga_buf_put(out, chunk, (size_t)n) < 0) {
			ga_error_set(GA_ERRCLASS_INVALID,
			             "source process: the request is larger "
			             "than %zu bytes",
			             out->max);
			return out->err;
		}
	}
	return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ga_error_set_os(errno,
			                "source process: write the answer");
			return GA_EIO;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Die with the agent: a child left behind by a SIGKILLed agent would hold
 * the mirror while the restarted agent polls it.  The parent's pid comes
 * in the request, as the parent may be pid 1 in its container.
 */
static int bind_to_parent(const ga_node *req)
{
	uint64_t pid;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 ||
	    !ga_source__u64(req, "parent", &pid) ||
	    (uint64_t)getppid() != pid) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "source process: not started by the agent that "
		             "asked (it exited?)");
		return GA_EINVALID;
	}
	return 0;
}

static int serve_request(child *c)
{
	const char *op = str_of(c->req, "op");
	ga_buf head = GA_BUF_INIT((size_t)64 << 10);
	int err;

	if ((err = bind_to_parent(c->req)) < 0 || (err = read_options(c)) < 0)
		goto out;
	if (op && strcmp(op, "pass") == 0) {
		pass(c);
	} else if (op && strcmp(op, "poll") == 0) {
		poll_only(c);
	} else {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "source process: unknown op '%s'", op ? op : "");
		err = GA_EINVALID;
		goto out;
	}
	if ((err = ga_source_answer_write(&c->res, &head)) < 0 ||
	    (err = write_all(STDOUT_FILENO, head.ptr, head.size)) < 0 ||
	    (err = write_all(STDOUT_FILENO,
	                     c->res.yaml.ptr ? c->res.yaml.ptr : "",
	                     c->res.yaml.size)) < 0)
		goto out;
out:
	ga_buf_dispose(&head);
	return err;
}

int ga_cmd_source(int argc, char **argv)
{
	ga_buf in = GA_BUF_INIT(GA_SOURCE_REQUEST_MAX);
	child c = {0};
	struct sigaction sa;
	int code = GA_EXIT_FAILURE;

	(void)argv;
	if (argc != 1)
		return ga_cli_usage_error("source-process",
		                          "takes no arguments: it is run by "
		                          "`gitops-agent run`");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	c.res.yaml = (ga_buf)GA_BUF_INIT(GA_SOURCE_BUILD_MAX);
	if (read_all(STDIN_FILENO, &in) < 0 ||
	    ga_json_parse(&c.req, ga_buf_cstr(&in), in.size,
	                  "source-process request") < 0 ||
	    serve_request(&c) < 0)
		GA_LOG(GA_LOG_ERROR, NULL, 0, "%s", ga_error_last()->message);
	else
		code = GA_EXIT_OK;
	ga_git_mirror_free(c.mirror);
	ga_buf_dispose(&c.res.yaml);
	ga_node_free(c.req);
	ga_buf_dispose(&in);
	return code;
}
