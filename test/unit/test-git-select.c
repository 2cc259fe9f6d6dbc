/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pure parts of the Git source: ref selection over an advertised ref
 * list (branch, tag, semver range with Flux's rules), Flux's revision
 * strings, ref-name checks, URL parsing and redaction.
 */
#include "git/select.h"
#include "git/url.h"

#include <string.h>

#include "ga/buf.h"
#include "ga/error.h"
#include "ga/git.h"
#include "harness.h"

#define OID_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define OID_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define OID_C "cccccccccccccccccccccccccccccccccccccccc"

static ga_git__head *heads;
static size_t nheads;

static void add(const char *name, const char *oid)
{
	CHECK_OK(ga_git__heads_add(&heads, &nheads, name, oid));
}

static const char *select_name(ga_git_ref_kind kind, const char *name)
{
	ga_git_ref ref = {kind, name};
	size_t i = 0;

	if (ga_git__select(&i, heads, nheads, &ref) < 0)
		return NULL;
	return heads[i].name;
}

static void test_branch_tag(void)
{
	CHECK_EQ_STR(select_name(GA_GIT_REF_BRANCH, "main"), "refs/heads/main");
	CHECK_EQ_STR(select_name(GA_GIT_REF_TAG, "v1.0.0"), "refs/tags/v1.0.0");
	CHECK(!select_name(GA_GIT_REF_BRANCH, "v1.0.0"));
	CHECK(!select_name(GA_GIT_REF_TAG, "main"));
	CHECK(strstr(ga_error_last()->message, "tag 'main' not found"));
	CHECK(!select_name(GA_GIT_REF_BRANCH, "mai"));
}

static void test_peeled(void)
{
	ga_git_ref ref = {GA_GIT_REF_TAG, "v1.1.0"};
	size_t i = 99;

	CHECK_OK(ga_git__select(&i, heads, nheads, &ref));
	CHECK_EQ_STR(heads[i].oid, OID_B);
	CHECK_EQ_STR(heads[i].peeled, OID_C);
	ref.name = "v1.0.0";
	CHECK_OK(ga_git__select(&i, heads, nheads, &ref));
	CHECK_EQ_STR(heads[i].peeled, "");
}

static void test_semver(void)
{
	CHECK_EQ_STR(select_name(GA_GIT_REF_SEMVER, ">=1.0.0"),
	             "refs/tags/v2.0.0");
	CHECK_EQ_STR(select_name(GA_GIT_REF_SEMVER, "<2.0.0"),
	             "refs/tags/v1.10.0");
	CHECK_EQ_STR(select_name(GA_GIT_REF_SEMVER, "~1.1"),
	             "refs/tags/v1.1.0");
	/* Pre-releases only when the range names one. */
	CHECK_EQ_STR(select_name(GA_GIT_REF_SEMVER, ">=2.0.0"),
	             "refs/tags/v2.0.0");
	CHECK_EQ_STR(select_name(GA_GIT_REF_SEMVER, ">=2.0.0-0"),
	             "refs/tags/v2.1.0-rc.1");
	/* "1.5" and "v1.5.0" are the same version: the name decides. */
	CHECK_EQ_STR(select_name(GA_GIT_REF_SEMVER, "1.5.x"),
	             "refs/tags/v1.5.0");
	CHECK(!select_name(GA_GIT_REF_SEMVER, ">=3"));
	CHECK(strstr(ga_error_last()->message, "no tag matches"));
	CHECK(!select_name(GA_GIT_REF_SEMVER, ">=1.x.y"));
	CHECK(!select_name(GA_GIT_REF_COMMIT, OID_A));
}

static void test_revision(void)
{
	ga_git_ref br = {GA_GIT_REF_BRANCH, "main"};
	ga_git_ref cm = {GA_GIT_REF_COMMIT, OID_A};
	char rev[GA_GIT_REVISION_SIZE];

	CHECK_OK(ga_git__revision(rev, sizeof(rev), &br, "main", OID_A));
	CHECK_EQ_STR(rev, "main@sha1:" OID_A);
	CHECK_OK(ga_git__revision(rev, sizeof(rev), &cm, "", OID_A));
	CHECK_EQ_STR(rev, "sha1:" OID_A);
	CHECK_ERR(ga_git__revision(rev, sizeof(rev), &br, "main", "abc"),
	          GA_EINVALID);
	CHECK_ERR(ga_git__revision(rev, 20, &br, "main", OID_A), GA_ELIMIT);
}

static void test_ref_names(void)
{
	CHECK_OK(ga_git__ref_name_check("main"));
	CHECK_OK(ga_git__ref_name_check("release/1.x"));
	CHECK_ERR(ga_git__ref_name_check(""), GA_EINVALID);
	CHECK_ERR(ga_git__ref_name_check("a..b"), GA_EINVALID);
	CHECK_ERR(ga_git__ref_name_check("-x"), GA_EINVALID);
	CHECK_ERR(ga_git__ref_name_check("a b"), GA_EINVALID);
	CHECK_ERR(ga_git__ref_name_check("x.lock"), GA_EINVALID);
	CHECK_ERR(ga_git__ref_name_check("*"), GA_EINVALID);
}

static void check_redact(const char *url, const char *want)
{
	ga_buf b = GA_BUF_INIT(1024);

	CHECK_OK(ga_git_url_redact(&b, url));
	CHECK_EQ_STR(ga_buf_cstr(&b), want);
	ga_buf_dispose(&b);
}

static void test_redact(void)
{
	check_redact("https://user:s3cret@git.example/r.git",
	             "https://***@git.example/r.git");
	check_redact("https://tok@en@git.example/r.git?x=1#f",
	             "https://***@git.example/r.git?***");
	check_redact("ssh://git@host:2222/r", "ssh://***@host:2222/r");
	check_redact("file:///srv/r", "file:///srv/r");
	check_redact("user:pw@host:r", "(unparsable URL)");
	check_redact("https://user:pa/ss@host/r", "https://***@host/r");
}

static void test_url_parse(void)
{
	ga_git__url u;
	ga_buf id = GA_BUF_INIT(1024);

	CHECK_OK(ga_git__url_parse(&u, "ssh://git@127.0.0.1:2222/srv/r.git"));
	CHECK_EQ_INT(u.scheme, GA_GIT_SCHEME_SSH);
	CHECK_EQ_STR(u.user, "git");
	CHECK_EQ_STR(u.host, "127.0.0.1");
	CHECK_EQ_INT(u.port, 2222);
	CHECK_OK(ga_git__url_parse(&u, "https://u:p@[::1]/r"));
	CHECK_EQ_STR(u.host, "::1");
	CHECK_EQ_INT(u.port, 443);
	CHECK(u.has_password);
	CHECK_OK(ga_git__url_parse(&u, "git://h/r"));
	CHECK_EQ_INT(u.port, 9418);
	CHECK_ERR(ga_git__url_parse(&u, "ftp://u:secret@h/r"), GA_EUNSUPPORTED);
	CHECK(!strstr(ga_error_last()->message, "secret"));
	CHECK_ERR(ga_git__url_parse(&u, "git@github.com:o/r"), GA_EINVALID);
	CHECK_ERR(ga_git__url_parse(&u, "https://h:99999/r"), GA_EINVALID);
	CHECK_ERR(ga_git__url_parse(&u, "https://h"), GA_EINVALID);
	CHECK_OK(ga_git__url_identity(&id, "https://u:p@h/r?x"));
	CHECK_EQ_STR(ga_buf_cstr(&id), "https://h/r");
	ga_buf_dispose(&id);
}

int main(void)
{
	add("HEAD", OID_A);
	add("refs/heads/main", OID_A);
	add("refs/tags/v1.0.0", OID_A);
	add("refs/tags/v1.1.0", OID_B);
	add("refs/tags/v1.1.0^{}", OID_C);
	add("refs/tags/v1.10.0", OID_A);
	add("refs/tags/1.5", OID_A);
	add("refs/tags/v1.5.0", OID_B);
	add("refs/tags/v2.0.0", OID_A);
	add("refs/tags/v2.1.0-rc.1", OID_A);
	add("refs/tags/latest", OID_A);
	add("refs/tags/v9.0.0^{}", OID_A); /* a peeled entry alone */
	RUN(test_branch_tag);
	RUN(test_peeled);
	RUN(test_semver);
	RUN(test_revision);
	RUN(test_ref_names);
	RUN(test_redact);
	RUN(test_url_parse);
	ga_git__heads_free(heads, nheads);
	return DONE();
}
