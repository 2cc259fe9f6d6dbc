/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cutting commits and tags into payload and signature (lib/verify/object.c)
 * as git does: gpgsig and gpgsig-sha256 headers with continuation lines,
 * trailing armored blocks in tags, unsigned objects, and the malformed
 * objects we stop on.
 */
#include "ga/verify.h"

#include "ga/alloc.h"
#include "harness.h"

#define HEAD                                                                   \
	"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"                      \
	"author A U Thor <a@example.com> 1714564800 +0000\n"                   \
	"committer C O Mitter <c@example.com> 1714564801 +0200\n"
#define PGP_SIG                                                                \
	"-----BEGIN PGP SIGNATURE-----\n"                                      \
	"\n"                                                                   \
	"iHUEABYKAB0WIQRlt1jqOYOVK0ZUWF2xVgyLMtrG1gUCZjI4gAAKCRCxVgyLMtrG\n"   \
	"-----END PGP SIGNATURE-----\n"
/* The same, as a header: every line after the first indented by one. */
#define PGP_HDR                                                                \
	"-----BEGIN PGP SIGNATURE-----\n"                                      \
	" \n"                                                                  \
	" iHUEABYKAB0WIQRlt1jqOYOVK0ZUWF2xVgyLMtrG1gUCZjI4gAAKCRCxVgyLMtrG\n"  \
	" -----END PGP SIGNATURE-----\n"
#define SSH_SIG                                                                \
	"-----BEGIN SSH SIGNATURE-----\n"                                      \
	"U1NIU0lHAAAAAQ==\n"                                                   \
	"-----END SSH SIGNATURE-----\n"

static int parse(ga_signed_object *o, const char *text, ga_git_kind kind,
                 ga_git_hash hash)
{
	return ga_signed_object_parse(o, text, strlen(text), kind, hash);
}

static void commit_with_gpgsig(void)
{
	ga_signed_object o = GA_SIGNED_OBJECT_INIT;

	CHECK_OK(parse(&o, HEAD "gpgsig " PGP_HDR "\nmessage\n\nbody\n",
	               GA_GIT_ANY, GA_GIT_SHA1));
	CHECK_EQ_INT(o.kind, GA_GIT_COMMIT);
	CHECK_EQ_INT(o.format, GA_SIG_OPENPGP);
	CHECK_EQ_STR(ga_buf_cstr(&o.signature), PGP_SIG);
	CHECK_EQ_STR(ga_buf_cstr(&o.payload), HEAD "\nmessage\n\nbody\n");
	CHECK_EQ_INT(o.time, 1714564801);
	ga_signed_object_dispose(&o);
}

/* A header after the signature stays in the payload, in its place. */
static void commit_header_after_signature(void)
{
	ga_signed_object o = GA_SIGNED_OBJECT_INIT;

	CHECK_OK(parse(&o,
	               HEAD "gpgsig " PGP_HDR "mergetag object 1\n"
	                    " type commit\n\nmsg\n",
	               GA_GIT_COMMIT, GA_GIT_SHA1));
	CHECK_EQ_STR(ga_buf_cstr(&o.payload),
	             HEAD "mergetag object 1\n type commit\n\nmsg\n");
	CHECK_EQ_STR(ga_buf_cstr(&o.signature), PGP_SIG);
	ga_signed_object_dispose(&o);
}

/* A SHA-1 repository ignores gpgsig-sha256 but leaves it out of the payload,
 * and the other way round. */
static void commit_gpgsig_sha256(void)
{
	const char *both =
	    HEAD "gpgsig " PGP_HDR "gpgsig-sha256 -----BEGIN SSH "
	         "SIGNATURE-----\n U1NIU0lHAAAAAQ==\n -----END "
	         "SSH SIGNATURE-----\n\nmsg\n";
	ga_signed_object o = GA_SIGNED_OBJECT_INIT;

	CHECK_OK(parse(&o, both, GA_GIT_ANY, GA_GIT_SHA1));
	CHECK_EQ_INT(o.format, GA_SIG_OPENPGP);
	CHECK_EQ_STR(ga_buf_cstr(&o.payload), HEAD "\nmsg\n");
	CHECK_OK(parse(&o, both, GA_GIT_ANY, GA_GIT_SHA256));
	CHECK_EQ_INT(o.format, GA_SIG_SSH);
	CHECK_EQ_STR(ga_buf_cstr(&o.signature), SSH_SIG);
	CHECK_EQ_STR(ga_buf_cstr(&o.payload), HEAD "\nmsg\n");

	/* Only the other format's signature: unsigned here. */
	CHECK_OK(parse(&o, HEAD "gpgsig-sha256 " PGP_HDR "\nmsg\n", GA_GIT_ANY,
	               GA_GIT_SHA1));
	CHECK_EQ_INT(o.format, GA_SIG_NONE);
	CHECK_EQ_INT(o.signature.size, 0);
	CHECK_EQ_STR(ga_buf_cstr(&o.payload), HEAD "\nmsg\n");
	ga_signed_object_dispose(&o);
}

/* Header-like lines in the message are message, not headers. */
static void commit_unsigned(void)
{
	const char *text = HEAD "\nsubject\n\ngpgsig " PGP_HDR;
	ga_signed_object o = GA_SIGNED_OBJECT_INIT;

	CHECK_OK(parse(&o, text, GA_GIT_COMMIT, GA_GIT_SHA1));
	CHECK_EQ_INT(o.format, GA_SIG_NONE);
	CHECK_EQ_STR(ga_buf_cstr(&o.payload), text);
	ga_signed_object_dispose(&o);
}

#define TAG_HEAD                                                               \
	"object 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"                    \
	"type commit\n"                                                        \
	"tag v1\n"                                                             \
	"tagger T <t@example.com> 1700000000 +0000\n"                          \
	"\n"

static void tags(void)
{
	ga_signed_object o = GA_SIGNED_OBJECT_INIT;

	CHECK_OK(
	    parse(&o, TAG_HEAD "release\n" PGP_SIG, GA_GIT_ANY, GA_GIT_SHA1));
	CHECK_EQ_INT(o.kind, GA_GIT_TAG);
	CHECK_EQ_INT(o.format, GA_SIG_OPENPGP);
	CHECK_EQ_STR(ga_buf_cstr(&o.payload), TAG_HEAD "release\n");
	CHECK_EQ_STR(ga_buf_cstr(&o.signature), PGP_SIG);
	CHECK_EQ_INT(o.time, 1700000000);

	CHECK_OK(
	    parse(&o, TAG_HEAD "release\n" SSH_SIG, GA_GIT_TAG, GA_GIT_SHA1));
	CHECK_EQ_INT(o.format, GA_SIG_SSH);
	CHECK_EQ_STR(ga_buf_cstr(&o.signature), SSH_SIG);

	/* The last marker line starts the signature, as in git. */
	CHECK_OK(parse(&o, TAG_HEAD "quoting:\n" PGP_SIG "then\n" SSH_SIG,
	               GA_GIT_TAG, GA_GIT_SHA1));
	CHECK_EQ_INT(o.format, GA_SIG_SSH);
	CHECK_EQ_STR(ga_buf_cstr(&o.payload),
	             TAG_HEAD "quoting:\n" PGP_SIG "then\n");

	CHECK_OK(parse(&o, TAG_HEAD "no signature\n", GA_GIT_TAG, GA_GIT_SHA1));
	CHECK_EQ_INT(o.format, GA_SIG_NONE);
	CHECK_EQ_STR(ga_buf_cstr(&o.payload), TAG_HEAD "no signature\n");

	CHECK_OK(parse(&o, TAG_HEAD "-----BEGIN SIGNED MESSAGE-----\nx\n",
	               GA_GIT_TAG, GA_GIT_SHA1));
	CHECK_EQ_INT(o.format, GA_SIG_X509);
	ga_signed_object_dispose(&o);
}

static void expect_malformed(const char *text, size_t len, ga_git_kind kind,
                             const char *message)
{
	ga_signed_object o = GA_SIGNED_OBJECT_INIT;

	CHECK_ERR(ga_signed_object_parse(&o, text, len, kind, GA_GIT_SHA1),
	          GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message, message);
	ga_signed_object_dispose(&o);
}

static void malformed(void)
{
	static const char nul[] = "tree 1\nauthor \0x\n\nmsg";
	static const char nul_msg[] = "tree 1\n\nmsg\0more";
	ga_signed_object o = GA_SIGNED_OBJECT_INIT;

	expect_malformed("blob\n\n", 6, GA_GIT_ANY,
	                 "not a commit or tag object: it starts with neither "
	                 "\"tree \" nor \"object \"");
	expect_malformed(TAG_HEAD, strlen(TAG_HEAD), GA_GIT_COMMIT,
	                 "not a commit object: it does not start with "
	                 "\"tree \"");
	expect_malformed(HEAD, strlen(HEAD), GA_GIT_TAG,
	                 "not a tag object: it does not start with "
	                 "\"object \"");
	expect_malformed(HEAD, strlen(HEAD), GA_GIT_ANY,
	                 "commit object: no empty line after the headers");
	expect_malformed(nul, sizeof(nul) - 1, GA_GIT_ANY,
	                 "commit object: NUL byte in the headers");
	expect_malformed(
	    HEAD "gpgsig " PGP_HDR "gpgsig " PGP_HDR "\nm\n",
	    strlen(HEAD "gpgsig " PGP_HDR "gpgsig " PGP_HDR "\nm\n"),
	    GA_GIT_ANY,
	    "commit object: more than one signature "
	    "header");
	expect_malformed(HEAD "gpgsig hello\n\nm\n",
	                 strlen(HEAD "gpgsig hello\n\nm\n"), GA_GIT_ANY,
	                 "commit object: signature header holds no known "
	                 "signature kind");
	expect_malformed("object 1\n" SSH_SIG "\n",
	                 strlen("object 1\n" SSH_SIG "\n"), GA_GIT_ANY,
	                 "tag object: signature marker in the headers");
	/* NUL bytes in a message are the message's business. */
	CHECK_OK(ga_signed_object_parse(&o, nul_msg, sizeof(nul_msg) - 1,
	                                GA_GIT_ANY, GA_GIT_SHA1));
	CHECK_EQ_INT(o.payload.size, sizeof(nul_msg) - 1);
	ga_signed_object_dispose(&o);
}

static void limits(void)
{
	size_t big = GA_VERIFY_OBJECT_MAX + 1;
	char *text = ga_malloc(big);
	ga_signed_object o = GA_SIGNED_OBJECT_INIT;
	ga_buf sig = GA_BUF_INIT(GA_VERIFY_OBJECT_MAX);

	CHECK(text != NULL);
	if (!text)
		return;
	memset(text, 'a', big);
	text[0] = 't';
	text[1] = 'r';
	text[2] = text[3] = 'e';
	text[4] = ' ';
	CHECK_ERR(
	    ga_signed_object_parse(&o, text, big, GA_GIT_ANY, GA_GIT_SHA1),
	    GA_ELIMIT);
	ga_free(text);

	/* A signature header longer than GA_VERIFY_SIGNATURE_MAX. */
	CHECK_OK(ga_buf_puts(&sig, HEAD "gpgsig " PGP_HDR));
	while (sig.size <= GA_VERIFY_SIGNATURE_MAX + 4096)
		CHECK_OK(ga_buf_puts(&sig, " 0123456789abcdef0123456789\n"));
	CHECK_OK(ga_buf_puts(&sig, "\nmsg\n"));
	CHECK_ERR(ga_signed_object_parse(&o, sig.ptr, sig.size, GA_GIT_ANY,
	                                 GA_GIT_SHA1),
	          GA_ELIMIT);
	CHECK(strstr(ga_error_last()->message, "signature exceeds") != NULL);
	ga_buf_dispose(&sig);
	ga_signed_object_dispose(&o);
}

static void reason_names(void)
{
	CHECK_EQ_STR(ga_verify_reason_name(GA_VERIFY_OK), "OK");
	CHECK_EQ_STR(ga_verify_reason_name(GA_VERIFY_UNSIGNED), "Unsigned");
	CHECK_EQ_STR(ga_verify_reason_name(GA_VERIFY_UNKNOWN_KEY),
	             "UnknownKey");
	CHECK_EQ_STR(ga_verify_reason_name(GA_VERIFY_BAD_SIGNATURE),
	             "BadSignature");
	CHECK_EQ_STR(ga_verify_reason_name(GA_VERIFY_EXPIRED_KEY),
	             "ExpiredKey");
	CHECK_EQ_STR(ga_verify_reason_name(GA_VERIFY_REVOKED_KEY),
	             "RevokedKey");
	CHECK_EQ_STR(ga_verify_reason_name(GA_VERIFY_MALFORMED), "Malformed");
	CHECK_EQ_STR(ga_verify_reason_name(GA_VERIFY_UNSUPPORTED),
	             "Unsupported");
	CHECK_EQ_STR(ga_verify_reason_name(GA_VERIFY_NON_FAST_FORWARD),
	             "NonFastForward");
	CHECK_EQ_STR(ga_verify_reason_name(GA_VERIFY_RANGE_TOO_LONG),
	             "RangeTooLong");
	CHECK_EQ_STR(ga_verify_reason_name((ga_verify_reason)99), "Unknown");
}

int main(void)
{
	RUN(commit_with_gpgsig);
	RUN(commit_header_after_signature);
	RUN(commit_gpgsig_sha256);
	RUN(commit_unsigned);
	RUN(tags);
	RUN(malformed);
	RUN(limits);
	RUN(reason_names);
	return DONE();
}
