/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kubesim: a Kubernetes API test server on loopback (issue 6).
 *
 *   kubesim --listen 127.0.0.1:PORT [--tls|--no-tls]
 *           --kubeconfig-out FILE [--token T] [--ready-delay DURATION]
 *           [--image-profile REGEX=PROFILE]... [--audit-log FILE]
 *           [--faults FILE] [--state FILE]
 *
 * It serves HTTPS with a CA generated at start-up and requires a bearer
 * token (random unless --token), so that clients exercise their TLS and
 * auth paths; port 0 picks a free port, and the kubeconfig written to
 * FILE says which.  --no-tls serves plain HTTP without authentication
 * unless --token is given: client-go (kubectl) never sends a bearer token
 * over plain HTTP, so a default token would lock kubectl out.  A fresh server
 * holds the namespaces every cluster has (default, kube-system, kube-public,
 * kube-node-lease).  Its controllers (controllers.c) make workloads
 * ready after --ready-delay (default 200ms, "0" for at once), or as the
 * --image-profile rules say (sim.h).  With --state FILE the store
 * outlives the process: loaded at start when FILE exists (instead of
 * the new cluster's namespaces), saved as it changes and at exit
 * (state.c).  It runs until SIGTERM or SIGINT, then
 * stops its connections and frees everything, so that valgrind sees a clean
 * exit.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "ga/digest.h"
#include "ga/duration.h"
#include "ga/error.h"
#include "ga/fs.h"
#include "ga/httpd.h"
#include "ga/json.h"
#include "kubesim.h"
#include "sim.h"

#define MAX_PROFILES 64

struct opts {
	char address[64];
	unsigned port;
	bool tls;
	const char *kubeconfig;
	const char *token;
	ks_sim_opts sim;
	const char *profiles[MAX_PROFILES];
	size_t n_profiles;
};

static void usage(void)
{
	fprintf(stderr, "usage: kubesim --listen ADDR:PORT [--tls|--no-tls] "
	                "--kubeconfig-out FILE [--token T]\n"
	                "       [--ready-delay DURATION] "
	                "[--image-profile REGEX=never-ready|crashloop|"
	                "slow:DURATION]...\n"
	                "       [--audit-log FILE] [--faults FILE] "
	                "[--state FILE]\n");
}

static int parse_listen(struct opts *o, const char *arg)
{
	const char *colon = strrchr(arg, ':');
	char *end = NULL;
	unsigned long port;

	if (!colon || (size_t)(colon - arg) >= sizeof(o->address))
		return -1;
	port = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || port > 65535)
		return -1;
	(void)snprintf(o->address, sizeof(o->address), "%.*s",
	               (int)(colon - arg), arg);
	o->port = (unsigned)port;
	return 0;
}

static int parse_args(struct opts *o, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--tls") == 0) {
			o->tls = true;
		} else if (strcmp(a, "--no-tls") == 0) {
			o->tls = false;
		} else if (strcmp(a, "--listen") == 0 && v) {
			if (parse_listen(o, v) < 0)
				return -1;
			i++;
		} else if (strcmp(a, "--kubeconfig-out") == 0 && v) {
			o->kubeconfig = argv[++i];
		} else if (strcmp(a, "--token") == 0 && v && v[0]) {
			o->token = argv[++i];
		} else if (strcmp(a, "--ready-delay") == 0 && v) {
			if (ga_duration_parse_ms(&o->sim.ready_delay_ms, v) <
			    0) {
				fprintf(stderr,
				        "kubesim: --ready-delay %s: "
				        "not a duration\n",
				        v);
				return -1;
			}
			i++;
		} else if (strcmp(a, "--image-profile") == 0 && v &&
		           o->n_profiles < MAX_PROFILES) {
			o->profiles[o->n_profiles++] = argv[++i];
		} else if (strcmp(a, "--audit-log") == 0 && v) {
			o->sim.audit_log = argv[++i];
		} else if (strcmp(a, "--faults") == 0 && v) {
			o->sim.faults_file = argv[++i];
		} else if (strcmp(a, "--state") == 0 && v) {
			o->sim.state_file = argv[++i];
		} else {
			return -1;
		}
	}
	return o->address[0] && o->kubeconfig ? 0 : -1;
}

/* The namespaces a new cluster has. */
static int seed(ks_server *ks)
{
	static const char *const names[] = {"default", "kube-node-lease",
	                                    "kube-public", "kube-system"};
	const ks_resource *res = ks_registry_find("", "v1", "namespaces");
	ga_node *obj = NULL;
	char json[256];
	size_t i;
	int err;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		(void)snprintf(json, sizeof(json),
		               "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
		               "\"metadata\":{\"name\":\"%s\",\"labels\":{"
		               "\"kubernetes.io/metadata.name\":\"%s\"}},"
		               "\"spec\":{\"finalizers\":[\"kubernetes\"]},"
		               "\"status\":{\"phase\":\"Active\"}}",
		               names[i], names[i]);
		if ((err = ga_json_parse(&obj, json, strlen(json), "seed")) <
		        0 ||
		    (err = ks_store_stamp_new(ks->store, res, obj, false)) <
		        0 ||
		    (err = ks_store_put(ks->store, res, obj, NULL)) < 0)
			return err;
		obj = NULL;
	}
	return 0;
}

/* --faults FILE: the rules a PUT /kubesim/faults would set. */
static int load_faults(ks_faults *f, const char *path)
{
	ga_buf b = GA_BUF_INIT((size_t)1 << 20);
	ks_status st;
	int err;

	if (!path)
		return 0;
	if ((err = ga_file_read(&b, path)) < 0)
		goto out;
	if ((err = ks_faults_set(f, b.ptr ? b.ptr : "", b.size, &st)) < 0)
		ga_error_set(GA_ERRCLASS_CONFIG, "--faults %s: %s", path,
		             st.message);
out:
	ga_buf_dispose(&b);
	return err;
}

static int random_token(char out[33])
{
	unsigned char b[16];

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return GA_EIO;
	ga_hex(out, b, sizeof(b));
	return 0;
}

/* Serve until SIGTERM or SIGINT; the signals are blocked in every thread. */
static int serve(ks_server *ks, const struct opts *o, const ga_httpd_pki *pki)
{
	ga_httpd_opts hopts = GA_HTTPD_OPTS_INIT;
	ga_httpd *srv = NULL;
	sigset_t set;
	int err, sig = 0;

	hopts.address = o->address;
	hopts.port = o->port;
	hopts.tls_cert_pem = o->tls ? pki->cert_pem : NULL;
	hopts.tls_key_pem = o->tls ? pki->key_pem : NULL;
	if ((err = ga_httpd_start(&srv, &hopts, ks_handle, ks)) < 0)
		return err;
	(void)snprintf(ks->server_url, sizeof(ks->server_url), "%s://%s:%u",
	               o->tls ? "https" : "http", o->address,
	               ga_httpd_port(srv));
	err = ks_kubeconfig_write(o->kubeconfig, ks->server_url,
	                          o->tls ? pki->ca_cert_pem : NULL, ks->token);
	if (err == 0) {
		fprintf(stderr, "kubesim: serving %s\n", ks->server_url);
		(void)sigemptyset(&set);
		(void)sigaddset(&set, SIGTERM);
		(void)sigaddset(&set, SIGINT);
		(void)sigwait(&set, &sig);
		fprintf(stderr, "kubesim: signal %d, stopping\n", sig);
	}
	ga_httpd_stop(srv);
	return err;
}

static int run(const struct opts *o)
{
	ga_httpd_pki pki = GA_HTTPD_PKI_INIT;
	ks_server ks;
	ks_ctrl *ctrl = NULL;
	ks_saver *saver = NULL;
	bool loaded = false;
	char token[33];
	size_t i;
	int err, err2;

	memset(&ks, 0, sizeof(ks));
	(void)pthread_mutex_init(&ks.lock, NULL);
	ks.token = o->token;
	if (!ks.token && o->tls) {
		if ((err = random_token(token)) < 0)
			goto out;
		ks.token = token;
	}
	if (o->tls && (err = ga_httpd_pki_generate(&pki, 30)) < 0)
		goto out;
	if ((err = ks_profiles_new(&ks.profiles)) < 0 ||
	    (err = ks_audit_new(&ks.audit, o->sim.audit_log)) < 0 ||
	    (err = ks_faults_new(&ks.faults)) < 0 ||
	    (err = load_faults(ks.faults, o->sim.faults_file)) < 0)
		goto out;
	for (i = 0; i < o->n_profiles; i++)
		if ((err = ks_profiles_add(ks.profiles, o->profiles[i])) < 0)
			goto out;
	if ((err = ks_store_new(&ks.store)) < 0)
		goto out;
	if (o->sim.state_file &&
	    (err = ks_state_load(&ks, o->sim.state_file, &loaded)) < 0)
		goto out;
	if ((!loaded && (err = seed(&ks)) < 0) ||
	    (o->sim.state_file &&
	     (err = ks_saver_start(&saver, &ks, o->sim.state_file)) < 0))
		goto out;
	if ((err = ks_gc_start(&ks)) < 0 ||
	    (err = ks_ctrl_start(&ctrl, &ks, o->sim.ready_delay_ms)) < 0)
		goto out;
	err = serve(&ks, o, &pki);
out:
	ks_gc_stop(&ks);
	if (err < 0)
		fprintf(stderr, "kubesim: %s\n", ga_error_last()->message);
	ks_ctrl_stop(ctrl);
	if ((err2 = ks_saver_stop(saver)) < 0 && err == 0)
		err = err2;
	ks_profiles_free(ks.profiles);
	ks_faults_free(ks.faults);
	ks_audit_free(ks.audit);
	ks_store_free(ks.store);
	ks_registry_free();
	ga_httpd_pki_dispose(&pki);
	(void)pthread_mutex_destroy(&ks.lock);
	return err;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct sigaction sa;
	sigset_t set;

	memset(&o, 0, sizeof(o));
	o.tls = true;
	o.sim.ready_delay_ms = 200;
	if (parse_args(&o, argc, argv) < 0) {
		usage();
		return 2;
	}
	/* Block the stop signals before any thread starts, so that every
	 * connection thread inherits the mask and sigwait() gets them. */
	(void)sigemptyset(&set);
	(void)sigaddset(&set, SIGTERM);
	(void)sigaddset(&set, SIGINT);
	(void)pthread_sigmask(SIG_BLOCK, &set, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGPIPE, &sa, NULL);
	return run(&o) < 0 ? 1 : 0;
}
