/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The source half of a pass: the Secrets the configuration names, read
 * through the API from the agent's namespace (Flux's key names: Git
 * credentials `identity`, `known_hosts`, `username`, `password`,
 * `bearerToken`, `ca.crt`; every `*.asc` key of the keys Secret is an
 * OpenPGP key blob, as Flux's verification Secret; every key of the
 * allowed-signers Secret is an ssh-keygen allowed-signers file; the keys
 * travel in the source process's request, source_proc.c).  The
 * credentials go to files of a private directory because the Git source
 * reads files, in the source process, which holds no API token (as they
 * are written again at each pass, a rotated Secret takes effect at the
 * next pass).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/log.h"
#include "reconcile.h"
#include "run.h"
#include "runutil.h"

int ga_run_read_secret(ga_agent *a, const char *name, ga_secret_fn fn,
                       void *payload)
{
	ga_node *obj = NULL;
	int err;

	if ((err = ga_kube_get(a->kube, "v1", "Secret", a->ns, name, &obj)) ==
	    0)
		err = ga_kube_secret_each(obj, fn, payload);
	ga_node_free(obj);
	return err;
}

/* Credentials: each known key of the Secret to a file of creds_dir. */
static const char *const cred_keys[] = {
    "identity", "known_hosts", "password", "bearerToken", "ca.crt",
};

static int write_private(const char *path, const char *value, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ssize_t n;

	if (fd < 0) {
		ga_error_set_os(errno, "write %s", path);
		return GA_EIO;
	}
	n = write(fd, value, len);
	if (close(fd) < 0 || n < 0 || (size_t)n != len) {
		ga_error_set_os(errno, "write %s", path);
		return GA_EIO;
	}
	return 0;
}

static int save_cred(void *payload, const char *key, const char *value,
                     size_t len)
{
	ga_agent *a = payload;
	char path[4200];

	if (strcmp(key, "username") == 0) {
		ga_free((char *)a->gopts.username);
		a->gopts.username = ga_strndup(value, len);
		return a->gopts.username ? 0 : GA_ENOMEM;
	}
	for (size_t i = 0; i < sizeof(cred_keys) / sizeof(cred_keys[0]); i++) {
		if (strcmp(key, cred_keys[i]) != 0)
			continue;
		(void)snprintf(path, sizeof(path), "%s/%s", a->creds_dir, key);
		return write_private(path, value, len);
	}
	return 0;
}

/*
 * Point the Git options at the credential files the Secret gave.  As in
 * Flux, `password` is the passphrase of `identity` for an ssh:// URL
 * (whose user name comes from the URL), the basic-auth password else.
 */
static void cred_opts(ga_agent *a)
{
	static char paths[5][4200];
	bool ssh = strncmp(a->config->source.url, "ssh://", 6) == 0;
	const char **slots[] = {
	    &a->gopts.ssh_key_file, &a->gopts.known_hosts_file,
	    ssh ? &a->gopts.ssh_passphrase_file : &a->gopts.password_file,
	    &a->gopts.token_file, &a->gopts.ca_file};

	a->gopts.ssh_passphrase_file = a->gopts.password_file = NULL;
	for (size_t i = 0; i < 5; i++) {
		(void)snprintf(paths[i], sizeof(paths[i]), "%s/%s",
		               a->creds_dir, cred_keys[i]);
		*slots[i] = access(paths[i], R_OK) == 0 ? paths[i] : NULL;
	}
	if (ssh) {
		ga_free((char *)a->gopts.username);
		a->gopts.username = NULL;
	}
}

int ga_reconcile_credentials(ga_agent *a)
{
	int err;

	ga_free((char *)a->gopts.username);
	a->gopts.username = NULL;
	for (size_t i = 0; i < sizeof(cred_keys) / sizeof(cred_keys[0]); i++) {
		char path[4200];

		(void)snprintf(path, sizeof(path), "%s/%s", a->creds_dir,
		               cred_keys[i]);
		(void)unlink(path);
	}
	if (a->config->source.secret_ref &&
	    (err = ga_run_read_secret(a, a->config->source.secret_ref,
	                              save_cred, a)) < 0)
		return err;
	cred_opts(a);
	return 0;
}
