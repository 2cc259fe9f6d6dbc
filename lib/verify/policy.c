/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The verification policy: an object is accepted only when its signature
 * is good and made by an allowed key that is neither expired nor revoked.
 * The answer is a reason from a fixed list (ga_verify_reason) plus a
 * message that starts with the reason's name, so status conditions and
 * logs can be matched on the first word.  For SSH signatures this follows
 * git's gpg.format=ssh (git's gpg-interface.c with ssh-keygen -Y
 * find-principals and -Y verify): the key must be listed, the namespace
 * must be "git", and valid-after/valid-before are judged at the
 * committer's (tagger's) time.
 */
#include "ga/verify.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ga/error.h"
#include "verify/keys.h"

static const char *const reason_names[] = {
    [GA_VERIFY_OK] = "OK",
    [GA_VERIFY_UNSIGNED] = "Unsigned",
    [GA_VERIFY_UNKNOWN_KEY] = "UnknownKey",
    [GA_VERIFY_BAD_SIGNATURE] = "BadSignature",
    [GA_VERIFY_EXPIRED_KEY] = "ExpiredKey",
    [GA_VERIFY_REVOKED_KEY] = "RevokedKey",
    [GA_VERIFY_MALFORMED] = "Malformed",
    [GA_VERIFY_UNSUPPORTED] = "Unsupported",
    [GA_VERIFY_NON_FAST_FORWARD] = "NonFastForward",
    [GA_VERIFY_RANGE_TOO_LONG] = "RangeTooLong",
};

const char *ga_verify_reason_name(ga_verify_reason reason)
{
	if ((unsigned)reason >= sizeof(reason_names) / sizeof(reason_names[0]))
		return "Unknown";
	return reason_names[reason];
}

/* What messages call the object. */
typedef struct subject {
	const char *name;
	int64_t now;
} subject;

/* Put the reason word and the object's name before the current message. */
static int fail_with(ga_verify_result *res, const subject *s,
                     ga_verify_reason reason, int code)
{
	res->reason = reason;
	ga_error_prefix("%s: %s", ga_verify_reason_name(reason), s->name);
	return code;
}

/* The code that goes with a failure @reason. */
static int code_of(ga_verify_reason reason)
{
	switch (reason) {
	case GA_VERIFY_OK:
		return 0;
	case GA_VERIFY_MALFORMED:
		return GA_EINVALID;
	case GA_VERIFY_UNSUPPORTED:
		return GA_EUNSUPPORTED;
	default:
		return GA_EVERIFY;
	}
}

static int verify_pgp(ga_verify_result *res, const ga_verify_keys *keys,
                      const ga_signed_object *obj, const subject *s)
{
	const char *what = "";
	int err;

	err =
	    ga_pgp_verify(keys->pgp, obj->payload.ptr, obj->payload.size,
	                  obj->signature.ptr, obj->signature.size, s->now, res);
	if (err < 0)
		return fail_with(res, s,
		                 err == GA_EINVALID ? GA_VERIFY_MALFORMED
		                                    : res->reason,
		                 err);
	switch (res->reason) {
	case GA_VERIFY_OK:
		return 0;
	case GA_VERIFY_UNKNOWN_KEY:
		what = "which is not allowed";
		break;
	case GA_VERIFY_EXPIRED_KEY:
		what = "which has expired";
		break;
	case GA_VERIFY_REVOKED_KEY:
		what = "which has been revoked";
		break;
	default:
		what = "but the signature does not match the content";
		break;
	}
	ga_error_set(GA_ERRCLASS_VERIFY, "signed by OpenPGP key %s%s%s%s %s",
	             res->key[0] ? res->key : "(no key id)",
	             res->signer[0] ? " (" : "", res->signer,
	             res->signer[0] ? ")" : "", what);
	return fail_with(res, s, res->reason, GA_EVERIFY);
}

/* Why signer @g does not allow a git signature at time @t; OK if it does. */
static ga_verify_reason signer_verdict(const ga_ssh_signer *g, int64_t t)
{
	if (g->nspaces && !ga_ssh__match_list("git", g->nspaces))
		return GA_VERIFY_UNKNOWN_KEY;
	if (t < g->valid_after)
		return GA_VERIFY_UNKNOWN_KEY;
	if (t > g->valid_before)
		return GA_VERIFY_EXPIRED_KEY;
	return GA_VERIFY_OK;
}

static void set_signer(ga_verify_result *res, const ga_ssh_signer *g)
{
	const char *who = g->principals ? g->principals : g->comment;

	(void)snprintf(res->signer, sizeof(res->signer), "%s", who ? who : "");
}

/*
 * Find the allowed entries for the signature's key.  The best verdict wins:
 * OK, then ExpiredKey, then UnknownKey (listed, but not for git or not yet).
 */
static int ssh_lookup(ga_verify_result *res, const ga_verify_keys *keys,
                      ga_ssh_str key, int64_t t)
{
	ga_verify_reason best = GA_VERIFY_MALFORMED;
	const ga_ssh_signer *why = NULL;

	for (size_t i = 0; i < keys->ssh.n && best != GA_VERIFY_OK; i++) {
		const ga_ssh_signer *g = &keys->ssh.v[i];
		ga_verify_reason v;

		if (g->key_len != key.len ||
		    memcmp(g->key, key.p, key.len) != 0)
			continue;
		v = signer_verdict(g, t);
		if (!why || v == GA_VERIFY_OK ||
		    (v == GA_VERIFY_EXPIRED_KEY && best != GA_VERIFY_OK)) {
			best = v;
			why = g;
		}
	}
	if (!why) {
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "signed by SSH key %s which is not allowed",
		             res->key);
		return GA_VERIFY_UNKNOWN_KEY;
	}
	set_signer(res, why);
	if (best == GA_VERIFY_EXPIRED_KEY)
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "signed by SSH key %s (%s) after its valid-before "
		             "time",
		             res->key, res->signer);
	else if (best == GA_VERIFY_UNKNOWN_KEY)
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "signed by SSH key %s (%s) which is not allowed "
		             "for namespace git at that time",
		             res->key, res->signer);
	return best;
}

static int verify_ssh(ga_verify_result *res, const ga_verify_keys *keys,
                      const ga_signed_object *obj, const subject *s)
{
	ga_sshsig sig = GA_SSHSIG_INIT;
	ga_verify_reason reason;
	int err;

	if ((err = ga_sshsig_parse(&sig, obj->signature.ptr,
	                           obj->signature.size)) < 0) {
		reason = err == GA_EUNSUPPORTED ? GA_VERIFY_UNSUPPORTED
		                                : GA_VERIFY_MALFORMED;
		goto out;
	}
	ga_ssh__fingerprint(res->key, sig.pubkey);
	reason = ssh_lookup(res, keys, sig.pubkey,
	                    obj->time >= 0 ? obj->time : s->now);
	if (reason == GA_VERIFY_OK || reason == GA_VERIFY_EXPIRED_KEY) {
		err = ga_sshsig_verify(&sig, obj->payload.ptr,
		                       obj->payload.size, "git");
		if (err == GA_EVERIFY)
			ga_error_prefix("signed by SSH key %s (%s)", res->key,
			                res->signer);
		if (err < 0)
			reason = err == GA_EVERIFY ? GA_VERIFY_BAD_SIGNATURE
			         : err == GA_EUNSUPPORTED
			             ? GA_VERIFY_UNSUPPORTED
			             : GA_VERIFY_MALFORMED;
	}
	err = err == GA_ENOMEM ? err : code_of(reason);
out:
	ga_sshsig_dispose(&sig);
	if (reason == GA_VERIFY_OK) {
		res->reason = reason;
		return 0;
	}
	return fail_with(res, s, reason, err);
}

static void reset(ga_verify_result *res)
{
	res->reason = GA_VERIFY_MALFORMED;
	res->format = GA_SIG_NONE;
	res->key[0] = res->signer[0] = '\0';
}

static int check_signature(ga_verify_result *res, const ga_verify_keys *keys,
                           const ga_signed_object *obj, const subject *s)
{
	res->format = obj->format;
	switch (obj->format) {
	case GA_SIG_NONE:
		ga_error_set(GA_ERRCLASS_VERIFY, "not signed");
		return fail_with(res, s, GA_VERIFY_UNSIGNED, GA_EVERIFY);
	case GA_SIG_X509:
		ga_error_set(GA_ERRCLASS_VERIFY,
		             "X.509 (gpgsm) signatures are not supported");
		return fail_with(res, s, GA_VERIFY_UNSUPPORTED,
		                 GA_EUNSUPPORTED);
	case GA_SIG_OPENPGP:
		return verify_pgp(res, keys, obj, s);
	case GA_SIG_SSH:
		return verify_ssh(res, keys, obj, s);
	}
	return fail_with(res, s, GA_VERIFY_MALFORMED, GA_EINVALID);
}

int ga_verify_object(ga_verify_result *res, const ga_verify_keys *keys,
                     const char *data, size_t len, const ga_verify_opts *opts)
{
	static const ga_verify_opts defaults = GA_VERIFY_OPTS_INIT;
	ga_signed_object obj = GA_SIGNED_OBJECT_INIT;
	subject s;
	int err;

	if (!res || !keys || (!data && len)) {
		ga_error_set(GA_ERRCLASS_INVALID, "verify: NULL argument");
		return GA_EINVALID;
	}
	if (!opts)
		opts = &defaults;
	reset(res);
	s.now = opts->now ? opts->now : (int64_t)time(NULL);
	s.name = opts->name                 ? opts->name
	         : opts->kind == GA_GIT_TAG ? "tag"
	         : opts->kind == GA_GIT_ANY ? "object"
	                                    : "commit";
	err = ga_signed_object_parse(&obj, data, len, opts->kind, opts->hash);
	if (err == GA_ENOMEM)
		goto out;
	if (err < 0) {
		err = fail_with(res, &s, GA_VERIFY_MALFORMED, err);
		goto out;
	}
	if (!opts->name)
		s.name = obj.kind == GA_GIT_TAG ? "tag" : "commit";
	err = check_signature(res, keys, &obj, &s);
out:
	ga_signed_object_dispose(&obj);
	return err;
}
