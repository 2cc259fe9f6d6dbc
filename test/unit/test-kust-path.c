/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Lexical paths of the build engine, as Go's filepath.Join and Rel
 * compute them; the load restriction depends on them.
 */
#include "kustomize/path.h"

#include "harness.h"

static void check_join(const char *dir, const char *rel, const char *want)
{
	ga_buf b = GA_BUF_INIT(4096);

	CHECK_OK(ga_kust__path_join(&b, dir, rel));
	CHECK_EQ_STR(ga_buf_cstr(&b), want);
	ga_buf_dispose(&b);
}

static void check_rel(const char *from, const char *to, const char *want)
{
	ga_buf b = GA_BUF_INIT(4096);

	CHECK_OK(ga_kust__path_rel(&b, from, to));
	CHECK_EQ_STR(ga_buf_cstr(&b), want);
	ga_buf_dispose(&b);
}

static void check_lexical(const char *a, const char *b, const char *want)
{
	ga_buf buf = GA_BUF_INIT(4096);

	CHECK_OK(ga_kust__path_join_lexical(&buf, a, b));
	CHECK_EQ_STR(ga_buf_cstr(&buf), want);
	ga_buf_dispose(&buf);
}

/* Go's filepath.Join on relative paths, as origin annotations use it. */
static void test_join_lexical(void)
{
	check_lexical("", "", "");
	check_lexical("", "a.yaml", "a.yaml");
	check_lexical("", "./a.yaml", "a.yaml");
	check_lexical("", "sub/../a.yaml", "a.yaml");
	check_lexical("base", "dep.yaml", "base/dep.yaml");
	check_lexical("", "../../base", "../../base");
	check_lexical("../../base", "dep.yaml", "../../base/dep.yaml");
	check_lexical("a", "../../b", "../b");
	check_lexical("../a", "../../b", "../../b");
	check_lexical("a/b", "..", "a");
	check_lexical("a", "..", ".");
	check_lexical("", ".", ".");
	check_lexical("x//y/", "./z/", "x/y/z");
	check_lexical("", "/abs/x.yaml", "/abs/x.yaml");
	check_lexical("/a", "../../b", "/b");
	check_lexical("base", "/abs", "base/abs");
	check_lexical("...", "..x", ".../..x");
}

static void test_join(void)
{
	check_join("/a/b", "c.yaml", "/a/b/c.yaml");
	check_join("/a/b", "./c//d/", "/a/b/c/d");
	check_join("/a/b", "../c", "/a/c");
	check_join("/a/b", "../../../../etc/passwd", "/etc/passwd");
	check_join("/a/b", "/abs/x", "/abs/x");
	check_join("/a/b", ".", "/a/b");
	check_join("/a/b", "..", "/a");
	check_join("/", "..", "/");
	check_join("/a/b", "c/../../d", "/a/d");
	check_join("/a/b", "...", "/a/b/...");
}

static void test_within(void)
{
	CHECK(ga_kust__path_within("/a/b", "/a/b"));
	CHECK(ga_kust__path_within("/a/b/c", "/a/b"));
	CHECK(!ga_kust__path_within("/a/bc", "/a/b"));
	CHECK(!ga_kust__path_within("/a", "/a/b"));
	CHECK(ga_kust__path_within("/x", "/"));
}

static void test_rel(void)
{
	check_rel("/a/b", "/a/b", ".");
	check_rel("/a/b", "/a/b/c/d", "c/d");
	check_rel("/a/b", "/a/c/d", "../c/d");
	check_rel("/a/b", "/a/bc", "../bc");
	check_rel("/a/b/c", "/x", "../../../x");
	check_rel("/", "/x/y", "x/y");
	check_rel("/a", "/", "..");
}

int main(void)
{
	RUN(test_join);
	RUN(test_within);
	RUN(test_rel);
	RUN(test_join_lexical);
	return DONE();
}
