/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The verification policy (ga_verify_object) on commits and tags signed by
 * real gpg, ssh-keygen and git (fixtures in test/unit/verify/, made by
 * make-fixtures.sh there): good OpenPGP and SSH signatures (Ed25519, RSA,
 * ECDSA), an expired key, a revoked key, keys not in the set, tampered
 * payloads, allowed-signers restrictions, and the reason names.
 */
#include "ga/verify.h"

#include "ga/fs.h"
#include "harness.h"
#include "verify/ssh.h"

static const char *dir;

static void slurp(ga_buf *out, const char *name)
{
	char path[4096];

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	ga_buf_clear(out);
	CHECK_OK(ga_file_read(out, path));
}

static ga_verify_keys *keys_with(const char *const *files)
{
	ga_verify_keys *keys = NULL;
	ga_buf text = GA_BUF_INIT(1 << 20);

	CHECK_OK(ga_verify_keys_new(&keys));
	for (; keys && *files; files++) {
		const char *f = *files;
		size_t n = strlen(f);

		slurp(&text, f);
		if (n > 4 && strcmp(f + n - 4, ".asc") == 0)
			CHECK_OK(ga_verify_keys_add_pgp(keys, text.ptr,
			                                text.size, f));
		else if (n > 4 && strcmp(f + n - 4, ".pub") == 0)
			CHECK_OK(ga_verify_keys_add_ssh(keys, text.ptr,
			                                text.size, f));
		else
			CHECK_OK(ga_verify_keys_add_allowed_signers(
			    keys, text.ptr, text.size, f));
	}
	ga_buf_dispose(&text);
	return keys;
}

/* Verify fixture @name, optionally with @from replaced by @to. */
static int check(ga_verify_result *res, const ga_verify_keys *keys,
                 const char *name, const char *from, const char *to)
{
	ga_buf obj = GA_BUF_INIT(1 << 20);
	int err;

	slurp(&obj, name);
	if (from) {
		char *at = strstr(obj.ptr, from);

		CHECK(at != NULL && strlen(from) == strlen(to));
		for (size_t i = 0; at && to[i]; i++)
			at[i] = to[i];
	}
	err = ga_verify_object(res, keys, obj.ptr, obj.size, NULL);
	ga_buf_dispose(&obj);
	return err;
}

#define GOOD_FPR "65B758EA3983952B4654585DB1560C8B32DAC6D6"

static void openpgp(void)
{
	static const char *const files[] = {"good.asc", "old.asc",
	                                    "revoked.asc", NULL};
	ga_verify_keys *keys = keys_with(files);
	ga_verify_result r;

	CHECK_OK(check(&r, keys, "pgp-good.commit", NULL, NULL));
	CHECK_EQ_INT(r.reason, GA_VERIFY_OK);
	CHECK_EQ_INT(r.format, GA_SIG_OPENPGP);
	CHECK_EQ_STR(r.key, GOOD_FPR);
	CHECK_EQ_STR(r.signer, "Good Signer <good@example.com>");
	CHECK_OK(check(&r, keys, "pgp-good.tag", NULL, NULL));
	CHECK_EQ_STR(r.key, GOOD_FPR);

	CHECK_ERR(check(&r, keys, "pgp-good.commit", "body of", "Body of"),
	          GA_EVERIFY);
	CHECK_EQ_INT(r.reason, GA_VERIFY_BAD_SIGNATURE);
	CHECK_EQ_STR(ga_error_last()->message,
	             "BadSignature: commit: signed by OpenPGP key " GOOD_FPR
	             " (Good Signer <good@example.com>) but the signature "
	             "does not match the content");
	CHECK_ERR(check(&r, keys, "pgp-good.tag", "release one", "release 1.0"),
	          GA_EVERIFY);
	CHECK_EQ_INT(r.reason, GA_VERIFY_BAD_SIGNATURE);

	CHECK_ERR(check(&r, keys, "pgp-expired.commit", NULL, NULL),
	          GA_EVERIFY);
	CHECK_EQ_INT(r.reason, GA_VERIFY_EXPIRED_KEY);
	CHECK_EQ_STR(r.signer, "Old Signer <old@example.com>");
	CHECK(strncmp(ga_error_last()->message, "ExpiredKey: commit: ", 20) ==
	      0);

	CHECK_ERR(check(&r, keys, "pgp-revoked.commit", NULL, NULL),
	          GA_EVERIFY);
	CHECK_EQ_INT(r.reason, GA_VERIFY_REVOKED_KEY);
	CHECK_EQ_STR(r.signer, "Revoked Signer <revoked@example.com>");

	CHECK_ERR(check(&r, keys, "pgp-stranger.commit", NULL, NULL),
	          GA_EVERIFY);
	CHECK_EQ_INT(r.reason, GA_VERIFY_UNKNOWN_KEY);
	CHECK(strncmp(ga_error_last()->message,
	              "UnknownKey: commit: signed by OpenPGP key ", 41) == 0);
	CHECK(strstr(ga_error_last()->message, "which is not allowed"));

	/* An SSH key set knows nothing of OpenPGP keys. */
	CHECK_ERR(check(&r, keys, "ssh-ed25519.commit", NULL, NULL),
	          GA_EVERIFY);
	CHECK_EQ_INT(r.reason, GA_VERIFY_UNKNOWN_KEY);
	CHECK_ERR(check(&r, keys, "unsigned.commit", NULL, NULL), GA_EVERIFY);
	CHECK_EQ_INT(r.reason, GA_VERIFY_UNSIGNED);
	CHECK_EQ_STR(ga_error_last()->message, "Unsigned: commit: not signed");
	ga_verify_keys_free(keys);
}

static void ssh_allowed_signers(void)
{
	static const char *const files[] = {"allowed_signers", NULL};
	static const char *const kinds[] = {
	    "ssh-ed25519.commit", "ssh-rsa.commit", "ssh-ecdsa.commit",
	    "ssh-ed25519.tag"};
	static const char *const who[] = {"ed@example.com", "rsa@example.com",
	                                  "ec@example.com,*@ec.example.com",
	                                  "ed@example.com"};
	ga_verify_keys *keys = keys_with(files);
	ga_verify_result r;

	for (size_t i = 0; i < 4; i++) {
		CHECK_OK(check(&r, keys, kinds[i], NULL, NULL));
		CHECK_EQ_INT(r.reason, GA_VERIFY_OK);
		CHECK_EQ_INT(r.format, GA_SIG_SSH);
		CHECK_EQ_STR(r.signer, who[i]);
		CHECK(strncmp(r.key, "SHA256:", 7) == 0);
		CHECK_EQ_INT(strlen(r.key), 50);
		CHECK_ERR(check(&r, keys, kinds[i], "Tester", "Tested"),
		          GA_EVERIFY);
		CHECK_EQ_INT(r.reason, GA_VERIFY_BAD_SIGNATURE);
		CHECK(strncmp(ga_error_last()->message, "BadSignature: ", 14) ==
		      0);
	}
	CHECK_ERR(check(&r, keys, "ssh-stranger.commit", NULL, NULL),
	          GA_EVERIFY);
	CHECK_EQ_INT(r.reason, GA_VERIFY_UNKNOWN_KEY);
	CHECK(strstr(ga_error_last()->message, "signed by SSH key SHA256:"));
	CHECK_ERR(check(&r, keys, "pgp-good.commit", NULL, NULL), GA_EVERIFY);
	CHECK_EQ_INT(r.reason, GA_VERIFY_UNKNOWN_KEY);
	ga_verify_keys_free(keys);
}

/* Namespaces and validity windows of allowed-signers lines. */
static void ssh_restrictions(void)
{
	ga_buf key = GA_BUF_INIT(4096), line = GA_BUF_INIT(8192);
	ga_verify_keys *keys = NULL;
	ga_verify_result r;
	static const struct {
		const char *options;
		ga_verify_reason want;
	} cases[] = {
	    {"namespaces=\"file\"", GA_VERIFY_UNKNOWN_KEY},
	    {"namespaces=\"file,g*\"", GA_VERIFY_OK},
	    /* The commit is from 2024-05-01 12:00 UTC. */
	    {"valid-before=\"20240501Z\"", GA_VERIFY_EXPIRED_KEY},
	    {"valid-after=\"20240502Z\"", GA_VERIFY_UNKNOWN_KEY},
	    {"valid-after=\"20240501Z\",valid-before=\"20240502Z\"",
	     GA_VERIFY_OK},
	};

	slurp(&key, "ed25519.pub");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ga_buf_clear(&line);
		(void)ga_buf_printf(&line, "ed@example.com %s %s",
		                    cases[i].options, key.ptr);
		CHECK_OK(ga_verify_keys_new(&keys));
		CHECK_OK(ga_verify_keys_add_allowed_signers(keys, line.ptr,
		                                            line.size, "t"));
		(void)check(&r, keys, "ssh-ed25519.commit", NULL, NULL);
		CHECK_EQ_INT(r.reason, cases[i].want);
		ga_verify_keys_free(keys);
	}
	/* A plain key line allows anyone; its comment names the signer. */
	CHECK_OK(ga_verify_keys_new(&keys));
	CHECK_OK(ga_verify_keys_add_ssh(keys, key.ptr, key.size, "k"));
	CHECK_OK(check(&r, keys, "ssh-ed25519.commit", NULL, NULL));
	CHECK_EQ_STR(r.signer, "ed@example.com");
	ga_verify_keys_free(keys);
	ga_buf_dispose(&key);
	ga_buf_dispose(&line);
}

/* Real sshsig files: another namespace, SHA-256 hashing. */
static void sshsig_files(void)
{
	ga_buf text = GA_BUF_INIT(65536);
	ga_sshsig sig = GA_SSHSIG_INIT;

	slurp(&text, "file-namespace.sig");
	CHECK_OK(ga_sshsig_parse(&sig, text.ptr, text.size));
	CHECK_OK(ga_sshsig_verify(&sig, "hello\n", 6, "file"));
	CHECK_ERR(ga_sshsig_verify(&sig, "hello\n", 6, "git"), GA_EVERIFY);
	CHECK_ERR(ga_sshsig_verify(&sig, "hellO\n", 6, "file"), GA_EVERIFY);
	slurp(&text, "sha256-ecdsa.sig");
	CHECK_OK(ga_sshsig_parse(&sig, text.ptr, text.size));
	CHECK(ga_ssh__str_eq(sig.hash_alg, "sha256"));
	CHECK_OK(ga_sshsig_verify(&sig, "hello\n", 6, "git"));
	CHECK_ERR(ga_sshsig_verify(&sig, "hello", 5, "git"), GA_EVERIFY);
	ga_sshsig_dispose(&sig);
	ga_buf_dispose(&text);
}

static void key_loading(void)
{
	ga_verify_keys *keys = NULL;
	ga_verify_result r;
	ga_buf text = GA_BUF_INIT(1 << 20);
	ga_verify_opts opts = GA_VERIFY_OPTS_INIT;

	CHECK_OK(ga_verify_keys_new(&keys));
	CHECK_OK(ga_verify_keys_load_dir(keys, dir));
	slurp(&text, "pgp-good.commit");
	opts.name = "commit 1a2b3c";
	opts.kind = GA_GIT_COMMIT;
	CHECK_OK(ga_verify_object(&r, keys, text.ptr, text.size, &opts));
	slurp(&text, "ssh-rsa.commit");
	CHECK_OK(ga_verify_object(&r, keys, text.ptr, text.size, &opts));
	CHECK_EQ_STR(r.signer, "rsa@example.com");
	opts.kind = GA_GIT_TAG;
	CHECK_ERR(ga_verify_object(&r, keys, text.ptr, text.size, &opts),
	          GA_EINVALID);
	CHECK_EQ_INT(r.reason, GA_VERIFY_MALFORMED);
	CHECK_EQ_STR(ga_error_last()->message,
	             "Malformed: commit 1a2b3c: not a tag object: it does not "
	             "start with \"object \"");
	CHECK_ERR(ga_verify_keys_add_pgp(keys, "nope", 4, "nope.asc"),
	          GA_EINVALID);
	CHECK_ERR(ga_verify_keys_load_dir(keys, "/nonexistent/keys"),
	          GA_ENOTFOUND);
	ga_verify_keys_free(keys);
	ga_buf_dispose(&text);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		printf("usage: test-verify-policy FIXTURE-DIR\n");
		return 2;
	}
	dir = argv[1];
	RUN(openpgp);
	RUN(ssh_allowed_signers);
	RUN(ssh_restrictions);
	RUN(sshsig_files);
	RUN(key_loading);
	return DONE();
}
