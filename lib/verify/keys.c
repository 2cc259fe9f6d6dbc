/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The set of allowed keys: an OpenPGP keyring (lib/pgp/) and a list of SSH
 * keys, each either bound to principals by an allowed-signers line or
 * allowed for anyone (an authorized_keys-style line).  Loading is all or
 * nothing per call, so a half-read key file never grants anything.
 */
#include "ga/verify.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/fs.h"
#include "verify/keys.h"

int ga_verify_keys_new(ga_verify_keys **out)
{
	ga_verify_keys *keys;
	int err;

	if (!out) {
		ga_error_set(GA_ERRCLASS_INVALID, "verify: NULL argument");
		return GA_EINVALID;
	}
	if (!(keys = ga_calloc(1, sizeof(*keys))))
		return GA_ENOMEM;
	if ((err = ga_pgp_new(&keys->pgp)) < 0) {
		ga_free(keys);
		return err;
	}
	*out = keys;
	return 0;
}

void ga_verify_keys_free(ga_verify_keys *keys)
{
	if (!keys)
		return;
	ga_pgp_free(keys->pgp);
	ga_ssh__signers_dispose(&keys->ssh);
	ga_free(keys);
}

static int null_arg(void)
{
	ga_error_set(GA_ERRCLASS_INVALID, "verify: NULL argument");
	return GA_EINVALID;
}

int ga_verify_keys_add_pgp(ga_verify_keys *keys, const void *data, size_t len,
                           const char *origin)
{
	if (!keys || (!data && len))
		return null_arg();
	return ga_pgp_import(keys->pgp, data, len, origin ? origin : "key");
}

int ga_verify_keys_add_ssh(ga_verify_keys *keys, const char *text, size_t len,
                           const char *origin)
{
	if (!keys || (!text && len))
		return null_arg();
	return ga_ssh__parse_signers(&keys->ssh, text, len, origin, false);
}

int ga_verify_keys_add_allowed_signers(ga_verify_keys *keys, const char *text,
                                       size_t len, const char *origin)
{
	if (!keys || (!text && len))
		return null_arg();
	return ga_ssh__parse_signers(&keys->ssh, text, len, origin, true);
}

static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);

	return n > s && strcmp(name + n - s, suffix) == 0;
}

static int load_file(ga_verify_keys *keys, const char *dir, const char *name)
{
	ga_buf path = GA_BUF_INIT(4096);
	ga_buf data = GA_BUF_INIT(GA_PGP_KEYS_MAX);
	bool pgp = has_suffix(name, ".asc") || has_suffix(name, ".gpg");
	int err;

	if (!pgp && !has_suffix(name, ".pub"))
		return 0;
	if ((err = ga_buf_printf(&path, "%s/%s", dir, name)) < 0 ||
	    (err = ga_file_read(&data, path.ptr)) < 0)
		goto out;
	if (pgp)
		err =
		    ga_verify_keys_add_pgp(keys, data.ptr, data.size, path.ptr);
	else
		err =
		    ga_verify_keys_add_ssh(keys, data.ptr, data.size, path.ptr);
out:
	ga_buf_dispose(&data);
	ga_buf_dispose(&path);
	return err;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The key file names in @dir, sorted so that errors are reproducible. */
static int list_dir(const char *dir, char ***out, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t n = 0;
	int err = 0;

	if (!d) {
		err = errno == ENOENT ? GA_ENOTFOUND : GA_EIO;
		ga_error_set_os(errno, "%s", dir);
		return err;
	}
	while ((e = readdir(d))) {
		char **grown;

		if (e->d_name[0] == '.')
			continue;
		if (n >= GA_VERIFY_KEY_FILES_MAX) {
			ga_error_set(GA_ERRCLASS_VERIFY,
			             "%s: more than %d files", dir,
			             GA_VERIFY_KEY_FILES_MAX);
			err = GA_ELIMIT;
			break;
		}
		if (!(grown = ga_reallocarray(v, n + 1, sizeof(*v))) ||
		    !(grown[n] = ga_strdup(e->d_name))) {
			v = grown ? grown : v;
			err = GA_ENOMEM;
			break;
		}
		v = grown;
		n++;
	}
	(void)closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_names);
	*out = v;
	*count = n;
	return err;
}

int ga_verify_keys_load_dir(ga_verify_keys *keys, const char *dir)
{
	char **names = NULL;
	size_t n = 0;
	int err;

	if (!keys || !dir)
		return null_arg();
	err = list_dir(dir, &names, &n);
	for (size_t i = 0; i < n; i++) {
		if (err == 0)
			err = load_file(keys, dir, names[i]);
		ga_free(names[i]);
	}
	ga_free(names);
	return err;
}
