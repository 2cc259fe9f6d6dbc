/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kubeconfig loading as kubectl does it, the in-cluster configuration and
 * exec credential plugins, over files written to a temporary directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ga/error.h"
#include "ga/fs.h"
#include "ga/kube.h"
#include "harness.h"

static char dir[] = "/tmp/ga-kube-XXXXXX";

static const char *put(const char *name, const char *text)
{
	static char path[4][512];
	static int k;
	char *p = path[k++ % 4];

	snprintf(p, 512, "%s/%s", dir, name);
	CHECK_OK(ga_file_write_atomic(p, text, strlen(text)));
	CHECK(chmod(p, 0700) == 0); /* plugins are run */
	return p;
}

/* base64("PEM-CA\n") and base64("not pem\0x") (holds a NUL). */
#define CA_B64 "UEVNLUNBCg=="
#define NUL_B64 "bm90IHBlbQB4"

static const char *const base = "apiVersion: v1\n"
                                "kind: Config\n"
                                "current-context: dev\n"
                                "contexts:\n"
                                "- name: dev\n"
                                "  context: {cluster: c1, user: u1, "
                                "namespace: apps}\n"
                                "- name: other\n"
                                "  context: {cluster: c2, user: u2}\n"
                                "clusters:\n"
                                "- name: c1\n"
                                "  cluster:\n"
                                "    server: https://127.0.0.1:6443\n"
                                "    certificate-authority-data: " CA_B64 "\n"
                                "- name: c2\n"
                                "  cluster:\n"
                                "    server: https://h2:443\n"
                                "    certificate-authority: pki/ca.crt\n"
                                "    insecure-skip-tls-verify: true\n"
                                "users:\n"
                                "- name: u1\n"
                                "  user: {token: secret-1}\n"
                                "- name: u2\n"
                                "  user:\n"
                                "    client-certificate: cli.crt\n"
                                "    client-key: /abs/cli.key\n";

static void test_current_context(void)
{
	ga_kube_config *c = NULL;
	ga_http_opts o = GA_HTTP_OPTS_INIT;

	CHECK_OK(ga_kube_config_load(&c, put("config", base), NULL));
	if (!c)
		return;
	CHECK_EQ_STR(c->context, "dev");
	CHECK_EQ_STR(c->server, "https://127.0.0.1:6443");
	CHECK_EQ_STR(c->ns, "apps");
	CHECK_EQ_STR(c->ca_pem, "PEM-CA\n");
	CHECK_EQ_STR(c->token, "secret-1");
	CHECK(!c->insecure);
	ga_kube_config_http_opts(c, &o);
	CHECK(o.ca_pem == c->ca_pem && o.token == c->token);
	ga_kube_config_free(c);
}

static void test_named_context_and_paths(void)
{
	ga_kube_config *c = NULL;
	char want[600];

	CHECK_OK(ga_kube_config_load(&c, put("config", base), "other"));
	if (!c)
		return;
	CHECK_EQ_STR(c->ns, "default");
	CHECK(c->insecure);
	snprintf(want, sizeof(want), "%s/pki/ca.crt", dir);
	CHECK_EQ_STR(c->ca_file, want);
	snprintf(want, sizeof(want), "%s/cli.crt", dir);
	CHECK_EQ_STR(c->cert_file, want);
	CHECK_EQ_STR(c->key_file, "/abs/cli.key");
	ga_kube_config_free(c);
	CHECK_EQ_INT(ga_kube_config_load(&c, put("config", base), "nope"),
	             GA_ENOTFOUND);
	CHECK(strstr(ga_error_last()->message, "context \"nope\" not found"));
}

/* KUBECONFIG: the first definition of a name and the first
 * current-context win; missing files in the list are skipped. */
static void test_merge(void)
{
	char list[2048];
	ga_kube_config *c = NULL;
	const char *a = put("a", "contexts:\n- name: x\n  context: {cluster: "
	                         "c, user: u}\nclusters:\n- name: c\n  "
	                         "cluster: {server: https://first}\n");
	const char *b = put("b", "current-context: x\ncontexts:\n- name: x\n"
	                         "  context: {cluster: c, user: nobody}\n"
	                         "clusters:\n- name: c\n  cluster: {server: "
	                         "https://second}\nusers:\n- name: u\n  "
	                         "user: {token: t}\n");

	snprintf(list, sizeof(list), "%s/missing:%s:%s", dir, a, b);
	setenv("KUBECONFIG", list, 1);
	CHECK_OK(ga_kube_config_load(&c, NULL, NULL));
	unsetenv("KUBECONFIG");
	if (!c)
		return;
	CHECK_EQ_STR(c->server, "https://first");
	CHECK_EQ_STR(c->user, "u");
	CHECK_EQ_STR(c->token, "t");
	ga_kube_config_free(c);
}

/* load_err TEXT CODE WANT: loading fails with CODE and a message naming
 * the field. */
static void load_err(const char *text, int code, const char *want)
{
	ga_kube_config *c = NULL;
	int err = ga_kube_config_load(&c, put("bad", text), NULL);

	CHECK_EQ_INT(err, code);
	CHECK(c == NULL);
	if (err < 0 && !strstr(ga_error_last()->message, want))
		printf("# message: %s\n# wanted: %s\n",
		       ga_error_last()->message, want);
	CHECK(err < 0 && strstr(ga_error_last()->message, want));
}

#define CTX                                                                    \
	"current-context: d\ncontexts:\n- name: d\n  context: {cluster: c, "   \
	"user: u}\n"

static void test_errors(void)
{
	load_err(CTX "clusters:\n- name: c\n  cluster: {server: https://h, "
	             "certificate-authority-data: '%%%'}\nusers: []\n",
	         GA_EINVALID,
	         "clusters[c].cluster.certificate-authority-data: not base64");
	load_err(CTX "clusters:\n- name: c\n  cluster: {server: https://h, "
	             "certificate-authority-data: " NUL_B64 "}\n",
	         GA_EINVALID, "not base64 of PEM text");
	load_err(CTX "clusters:\n- name: c\n  cluster: {certificate-authority: "
	             "x}\n",
	         GA_EINVALID, "clusters[c].cluster: no server");
	load_err(CTX "clusters:\n- name: c\n  cluster: {server: [x]}\n",
	         GA_EINVALID, "clusters[c].cluster.server: expected a string");
	load_err(CTX "clusters:\n- name: c\n  cluster: {server: https://h, "
	             "proxy-url: http://p}\n",
	         GA_EUNSUPPORTED, "proxy-url: not supported");
	load_err(CTX "clusters:\n- name: c\n  cluster: {server: https://h}\n"
	             "users:\n- name: u\n  user: {client-certificate: a}\n",
	         GA_EINVALID, "users[u].user: a client certificate needs");
	load_err(CTX
	         "clusters:\n- name: c\n  cluster: {server: https://h}\n"
	         "users:\n- name: u\n  user: {auth-provider: {name: gcp}}\n",
	         GA_EUNSUPPORTED, "users[u].user.auth-provider: not supported");
	load_err(CTX "clusters:\n- name: c\n  cluster: {server: https://h}\n"
	             "users:\n- name: u\n  user: {username: a, password: b}\n",
	         GA_EUNSUPPORTED, "basic authentication");
	load_err(CTX "clusters:\n- name: c\n  cluster: {server: https://h}\n",
	         GA_ENOTFOUND, "user \"u\" of context \"d\" not found");
	load_err(CTX "clusters:\n- name: c\n  cluster: {server: https://h}\n"
	             "users:\n- name: u\n  user: {exec: {command: x}}\n",
	         GA_EINVALID, "users[u].user.exec: apiVersion: expected");
	load_err("clusters: []\n", GA_ENOTFOUND, "no current-context");
	load_err("a: [\n", GA_EINVALID, "bad");
}

static void test_in_cluster(void)
{
	ga_kube_config *c = NULL;
	char sa[512];

	snprintf(sa, sizeof(sa), "%s/sa", dir);
	mkdir(sa, 0700);
	put("sa/token", "tok\n");
	put("sa/ca.crt", "PEM\n");
	put("sa/namespace", "agents\n");
	unsetenv("KUBERNETES_SERVICE_HOST");
	CHECK_EQ_INT(ga_kube_config_in_cluster(&c, sa), GA_ENOTFOUND);
	setenv("KUBERNETES_SERVICE_HOST", "fd00::1", 1);
	setenv("KUBERNETES_SERVICE_PORT", "443", 1);
	CHECK_OK(ga_kube_config_in_cluster(&c, sa));
	if (c) {
		CHECK_EQ_STR(c->server, "https://[fd00::1]:443");
		CHECK_EQ_STR(c->ns, "agents");
		CHECK(strstr(c->token_file, "/sa/token") != NULL);
		CHECK(c->token == NULL);
		ga_kube_config_free(c);
	}
	unsetenv("KUBERNETES_SERVICE_HOST");
	unsetenv("KUBERNETES_SERVICE_PORT");
}

static void exec_with(const char *script, int want, const char *msg,
                      const char *token, int64_t expiry)
{
	char text[2048];
	ga_kube_config *c = NULL;
	int64_t exp = -1;
	int err;

	put("plugin.sh", script);
	snprintf(text, sizeof(text),
	         CTX "clusters:\n- name: c\n  cluster: {server: https://h}\n"
	             "users:\n- name: u\n  user:\n    exec:\n      apiVersion: "
	             "client.authentication.k8s.io/v1\n      command: %s/"
	             "plugin.sh\n      args: [one]\n      env: [{name: FOO, "
	             "value: bar}]\n",
	         dir);
	CHECK_OK(ga_kube_config_load(&c, put("config", text), NULL));
	if (!c)
		return;
	err = ga_kube_config_exec(c, &exp);
	CHECK_EQ_INT(err, want);
	if (err < 0 && msg && !strstr(ga_error_last()->message, msg))
		printf("# message: %s\n", ga_error_last()->message);
	if (err < 0)
		CHECK(msg && strstr(ga_error_last()->message, msg) != NULL);
	else {
		CHECK_EQ_STR(c->token, token);
		CHECK_EQ_INT(exp, expiry);
	}
	ga_kube_config_free(c);
}

static void test_exec_plugin(void)
{
	/* The plugin sees its argument, its env and the exec info. */
	exec_with(
	    "#!/bin/sh\n"
	    "case \"$KUBERNETES_EXEC_INFO\" in *'\"interactive\":false'*) "
	    ";; *) exit 3;; esac\n"
	    "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\","
	    "\"kind\":\"ExecCredential\",\"status\":{\"token\":\"'$1-"
	    "$FOO'\",\"expirationTimestamp\":\"2030-01-02T03:04:05Z\"}}'\n",
	    0, NULL, "one-bar", 1893553445);
	exec_with("#!/bin/sh\necho 'login first' >&2\nexit 2\n", GA_EAUTH,
	          "failed (exit status 2): login first", NULL, 0);
	exec_with("#!/bin/sh\necho '{\"kind\":\"Other\"}'\n", GA_EINVALID,
	          "expected an ExecCredential", NULL, 0);
	exec_with("#!/bin/sh\necho '{\"apiVersion\":\"client.authentication."
	          "k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{}}'\n",
	          GA_EINVALID, "neither a token nor a client certificate", NULL,
	          0);
	exec_with(
	    "#!/bin/sh\necho '{\"apiVersion\":\"client.authentication."
	    "k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\""
	    ":\"t\",\"expirationTimestamp\":\"soon\"}}'\n",
	    GA_EINVALID, "expirationTimestamp: not an RFC 3339", NULL, 0);
	exec_with(
	    "#!/bin/sh\necho '{\"apiVersion\":\"client.authentication."
	    "k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\""
	    ":\"t\",\"expirationTimestamp\":\"2030-01-02T05:04:05.5+02:"
	    "00\"}}'\n",
	    0, NULL, "t", 1893553445);
}

/* The files the tests wrote: the directory holds no deeper tree. */
static void remove_tree(void)
{
	static const char *const files[] = {
	    "config",    "a",        "b",         "bad",
	    "plugin.sh", "sa/token", "sa/ca.crt", "sa/namespace",
	    "sa",
	};
	char p[600];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		(void)remove(p);
	}
	(void)rmdir(dir);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 99;
	RUN(test_current_context);
	RUN(test_named_context_and_paths);
	RUN(test_merge);
	RUN(test_errors);
	RUN(test_in_cluster);
	RUN(test_exec_plugin);
	remove_tree();
	return DONE();
}
