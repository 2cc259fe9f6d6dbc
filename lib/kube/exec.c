/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exec credential plugins (client.authentication.k8s.io): a command the
 * kubeconfig names, run without a terminal, whose standard output is an
 * ExecCredential carrying a token or a client certificate and when they
 * expire.  Its standard error goes into our message on failure, never to
 * our own stderr; its output is bounded, and so is its time.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/json.h"
#include "ga/time.h"
#include "kube_int.h"
#include "util/base64.h"

#define EXEC_OUT_MAX ((size_t)1 << 20)
#define EXEC_ERR_MAX ((size_t)2048)
#define EXEC_TIMEOUT_MS 60000
#define EXEC_MAX_ITEMS 256

extern char **environ;

static int exec_bad(const char *file, const char *where, const char *what)
{
	ga_error_set(GA_ERRCLASS_CONFIG, "kubeconfig %s: %s.exec: %s", file,
	             where, what);
	return GA_EINVALID;
}

static int read_args(ga_kube_config *c, const char *file, const ga_node *list,
                     const char *where)
{
	size_t n = list ? ga_node_count(list) : 0;

	if (list && ga_node_type_of(list) != GA_NODE_LIST)
		return exec_bad(file, where, "args: expected a list");
	if (n > EXEC_MAX_ITEMS)
		return exec_bad(file, where, "args: too many");
	if (!(c->exec_args = ga_calloc(n + 1, sizeof(char *))))
		return GA_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const char *a = ga_node_str(ga_node_list_get(list, i));

		if (!a)
			return exec_bad(file, where, "args: expected strings");
		if (!(c->exec_args[c->exec_nargs++] = ga_strdup(a)))
			return GA_ENOMEM;
	}
	return 0;
}

static int read_env(ga_kube_config *c, const char *file, const ga_node *list,
                    const char *where)
{
	size_t n = list ? ga_node_count(list) : 0;

	if (list && ga_node_type_of(list) != GA_NODE_LIST)
		return exec_bad(file, where, "env: expected a list");
	if (n > EXEC_MAX_ITEMS)
		return exec_bad(file, where, "env: too many");
	if (!(c->exec_env = ga_calloc(n + 1, sizeof(char *))))
		return GA_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const ga_node *e = ga_node_list_get(list, i);
		const ga_node *k = ga_node_map_get(e, "name");
		const ga_node *v = ga_node_map_get(e, "value");
		ga_buf kv = GA_BUF_INIT(65536);

		if (!k || !v || !ga_node_str(k) || !ga_node_str(v) ||
		    !ga_node_str_len(k) || strchr(ga_node_str(k), '='))
			return exec_bad(file, where,
			                "env: expected {name, value} strings");
		ga_buf_printf(&kv, "%s=%s", ga_node_str(k), ga_node_str(v));
		if (kv.err) {
			ga_buf_dispose(&kv);
			return kv.err;
		}
		c->exec_env[c->exec_nenv++] = ga_strdup(ga_buf_cstr(&kv));
		ga_buf_dispose(&kv);
		if (!c->exec_env[c->exec_nenv - 1])
			return GA_ENOMEM;
	}
	return 0;
}

int ga_kube__read_exec(ga_kube_config *c, const char *file, const ga_node *exec,
                       const char *where)
{
	const ga_node *cmd, *api, *mode;
	int err;

	if (!exec || ga_node_type_of(exec) == GA_NODE_NULL)
		return 0;
	cmd = ga_node_map_get(exec, "command");
	api = ga_node_map_get(exec, "apiVersion");
	mode = ga_node_map_get(exec, "interactiveMode");
	if (!cmd || !ga_node_str(cmd) || !ga_node_str_len(cmd))
		return exec_bad(file, where, "command: missing");
	if (!api || !ga_node_str(api) ||
	    (strcmp(ga_node_str(api), "client.authentication.k8s.io/v1") != 0 &&
	     strcmp(ga_node_str(api), "client.authentication.k8s.io/v1beta1") !=
	         0))
		return exec_bad(file, where,
		                "apiVersion: expected "
		                "client.authentication.k8s.io/v1 or v1beta1");
	if (mode && ga_node_str(mode) &&
	    strcmp(ga_node_str(mode), "Always") == 0)
		return exec_bad(file, where,
		                "interactiveMode: Always needs a terminal, and "
		                "the agent has none");
	if (!(c->exec_command = ga_strdup(ga_node_str(cmd))) ||
	    !(c->exec_api_version = ga_strdup(ga_node_str(api))))
		return GA_ENOMEM;
	if ((err = read_args(c, file, ga_node_map_get(exec, "args"), where)) <
	        0 ||
	    (err = read_env(c, file, ga_node_map_get(exec, "env"), where)) < 0)
		return err;
	return 0;
}

/* The KUBERNETES_EXEC_INFO the plugin reads: an ExecCredential saying
 * there is no terminal. */
static int exec_info(ga_buf *out, const ga_kube_config *c)
{
	ga_buf_puts(out, "KUBERNETES_EXEC_INFO={\"apiVersion\":");
	ga_json_quote(out, c->exec_api_version);
	ga_buf_puts(out, ",\"kind\":\"ExecCredential\",\"spec\":"
	                 "{\"interactive\":false}}");
	return out->err;
}

/* argv and envp for the plugin; both NULL-terminated, freed by the
 * caller with ga_free() (their strings belong to @c and @info). */
static int spawn_vectors(const ga_kube_config *c, const char *info,
                         char ***argv, char ***envp)
{
	size_t ne = 0;

	while (environ && environ[ne])
		ne++;
	*argv = ga_calloc(c->exec_nargs + 2, sizeof(char *));
	*envp = ga_calloc(ne + c->exec_nenv + 2, sizeof(char *));
	if (!*argv || !*envp)
		return GA_ENOMEM;
	(*argv)[0] = c->exec_command;
	for (size_t i = 0; i < c->exec_nargs; i++)
		(*argv)[i + 1] = c->exec_args[i];
	for (size_t i = 0; i < ne; i++)
		(*envp)[i] = environ[i];
	for (size_t i = 0; i < c->exec_nenv; i++)
		(*envp)[ne + i] = c->exec_env[i];
	(*envp)[ne + c->exec_nenv] = (char *)info;
	return 0;
}

/* Read the plugin's stdout and stderr until both end, the output grows
 * past its cap, or the deadline passes. */
static int collect(int fds[2], ga_buf *out, ga_buf *err_text)
{
	uint64_t deadline = ga_now_ms() + EXEC_TIMEOUT_MS;
	struct pollfd p[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}};
	char chunk[4096];

	while (p[0].fd >= 0 || p[1].fd >= 0) {
		uint64_t now = ga_now_ms();
		int r;

		if (now >= deadline)
			return GA_ERETRY;
		r = poll(p, 2, (int)(deadline - now));
		if (r < 0 && errno != EINTR)
			return GA_EIO;
		for (int i = 0; r > 0 && i < 2; i++) {
			ssize_t k;

			if (p[i].fd < 0 || !p[i].revents)
				continue;
			k = read(p[i].fd, chunk, sizeof(chunk));
			if (k <= 0) {
				p[i].fd = -1;
				continue;
			}
			if (i == 0 && ga_buf_put(out, chunk, (size_t)k) < 0)
				return GA_ELIMIT;
			if (i == 1 && err_text->size < EXEC_ERR_MAX)
				ga_buf_put(err_text, chunk,
				           EXEC_ERR_MAX - err_text->size <
				                   (size_t)k
				               ? EXEC_ERR_MAX - err_text->size
				               : (size_t)k);
		}
	}
	return 0;
}

/* Run the plugin; its standard output into @out, its error into @etext.
 * Returns 0 or a failure with the message set. */
static int run_plugin(const ga_kube_config *c, ga_buf *out, ga_buf *etext)
{
	ga_buf info = GA_BUF_INIT(4096);
	posix_spawn_file_actions_t fa;
	char **argv = NULL, **envp = NULL;
	int po[2] = {-1, -1}, pe[2] = {-1, -1}, fds[2], status = 0, err;
	pid_t pid = -1;

	if ((err = exec_info(&info, c)) < 0 ||
	    (err = spawn_vectors(c, ga_buf_cstr(&info), &argv, &envp)) < 0)
		goto out;
	if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0) {
		ga_error_set_os(errno, "exec plugin %s: pipe", c->exec_command);
		err = GA_EIO;
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, po[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
	err = posix_spawnp(&pid, c->exec_command, &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	if (err != 0) {
		ga_error_set_os(err, "exec plugin %s: cannot run it",
		                c->exec_command);
		pid = -1;
		err = GA_EIO;
		goto out;
	}
	fds[0] = po[0];
	fds[1] = pe[0];
	if ((err = collect(fds, out, etext)) < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (err == GA_ERETRY || err == GA_ELIMIT || err == GA_EIO)
		ga_error_set(GA_ERRCLASS_CONFIG, "exec plugin %s: %s",
		             c->exec_command,
		             err == GA_ERETRY   ? "no answer within 60 s"
		             : err == GA_ELIMIT ? "its output exceeds 1 MiB"
		                                : "cannot read its output");
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		ga_error_set(
		    GA_ERRCLASS_CONFIG, "exec plugin %s failed (%s %d): %.*s",
		    c->exec_command,
		    WIFEXITED(status) ? "exit status" : "signal",
		    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
		    (int)etext->size, etext->ptr ? etext->ptr : "");
		err = GA_EAUTH;
	}
out:
	for (int i = 0; i < 2; i++) {
		if (po[i] >= 0)
			close(po[i]);
		if (pe[i] >= 0)
			close(pe[i]);
	}
	ga_free(argv);
	ga_free(envp);
	ga_buf_dispose(&info);
	return err;
}

/* RFC 3339 "2006-01-02T15:04:05[.frac](Z|±hh:mm)" as Unix seconds. */
static int parse_time(int64_t *out, const char *s)
{
	struct tm tm = {0};
	const char *p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	int64_t off = 0;

	if (!p)
		return GA_EINVALID;
	if (*p == '.')
		while (*++p >= '0' && *p <= '9')
			;
	if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':')
		off = (*p == '-' ? -1 : 1) * ((int64_t)(p[1] - '0') * 36000 +
		                              (int64_t)(p[2] - '0') * 3600 +
		                              (int64_t)(p[4] - '0') * 600 +
		                              (int64_t)(p[5] - '0') * 60);
	else if (strcmp(p, "Z") != 0)
		return GA_EINVALID;
	*out = (int64_t)timegm(&tm) - off;
	return 0;
}

static int take(char **dst, const ga_node *status, const char *key)
{
	const ga_node *v = ga_node_map_get(status, key);

	if (!v || !ga_node_str(v) || !ga_node_str_len(v))
		return 0;
	ga_free(*dst);
	return (*dst = ga_strdup(ga_node_str(v))) ? 0 : GA_ENOMEM;
}

/* The ExecCredential @text into @c. */
static int credential(ga_kube_config *c, const ga_buf *text, int64_t *expiry)
{
	ga_node *doc = NULL;
	const ga_node *kind, *api, *status, *exp;
	int err;

	if ((err = ga_json_parse(&doc, ga_buf_cstr(text), text->size,
	                         "exec plugin output")) < 0) {
		ga_error_prefix("exec plugin %s", c->exec_command);
		return err;
	}
	kind = ga_node_map_get(doc, "kind");
	api = ga_node_map_get(doc, "apiVersion");
	status = ga_node_map_get(doc, "status");
	err = GA_EINVALID;
	if (!kind || !ga_node_str(kind) ||
	    strcmp(ga_node_str(kind), "ExecCredential") != 0 || !api ||
	    !ga_node_str(api) ||
	    strcmp(ga_node_str(api), c->exec_api_version) != 0 || !status ||
	    ga_node_type_of(status) != GA_NODE_MAP) {
		ga_error_set(GA_ERRCLASS_CONFIG,
		             "exec plugin %s: expected an ExecCredential of %s "
		             "with a status",
		             c->exec_command, c->exec_api_version);
		goto out;
	}
	if ((err = take(&c->token, status, "token")) < 0 ||
	    (err = take(&c->cert_pem, status, "clientCertificateData")) < 0 ||
	    (err = take(&c->key_pem, status, "clientKeyData")) < 0)
		goto out;
	err = GA_EINVALID;
	if (!c->token && (!c->cert_pem || !c->key_pem)) {
		ga_error_set(GA_ERRCLASS_CONFIG,
		             "exec plugin %s: status has neither a token nor a "
		             "client certificate and key",
		             c->exec_command);
		goto out;
	}
	*expiry = 0;
	exp = ga_node_map_get(status, "expirationTimestamp");
	if (exp && ga_node_str(exp) && parse_time(expiry, ga_node_str(exp))) {
		ga_error_set(
		    GA_ERRCLASS_CONFIG,
		    "exec plugin %s: status.expirationTimestamp: not an "
		    "RFC 3339 time",
		    c->exec_command);
		goto out;
	}
	err = 0;
out:
	ga_node_free(doc);
	return err;
}

int ga_kube_config_exec(ga_kube_config *c, int64_t *expiry)
{
	ga_buf out = GA_BUF_INIT(EXEC_OUT_MAX),
	       etext = GA_BUF_INIT(2 * EXEC_ERR_MAX);
	int err;

	*expiry = 0;
	if (!c->exec_command)
		return 0;
	if (!(err = run_plugin(c, &out, &etext)))
		err = credential(c, &out, expiry);
	if (out.ptr)
		memset(out.ptr, 0, out.size); /* it held the credential */
	ga_buf_dispose(&out);
	ga_buf_dispose(&etext);
	return err;
}
