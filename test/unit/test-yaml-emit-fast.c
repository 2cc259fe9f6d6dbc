/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The direct writer (emit_fast.c) against libyaml's emitter: for every
 * document of the committed kubectl outputs, and for generated documents
 * around each of libyaml's style rules, ga_yaml_emit() must print what the
 * libyaml path prints.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ga/buf.h"
#include "ga/fs.h"
#include "ga/yaml.h"
#include "harness.h"
#include "yaml/yaml.h"

static const char *cases_dir;
static size_t fast_docs; /* documents the direct writer took */

/* Both writers on @doc: the same text, or the same failure. */
static void check_same(const ga_node *doc, const char *what)
{
	ga_buf a = GA_BUF_INIT(1 << 24), b = GA_BUF_INIT(1 << 24),
	       c = GA_BUF_INIT(1 << 24);
	int ea = ga_yaml_emit(&a, doc), eb = ga_yaml__emit_libyaml(&b, doc);

	CHECK_EQ_INT(ea, eb);
	if (ea == 0 && eb == 0 &&
	    strcmp(ga_buf_cstr(&a), ga_buf_cstr(&b)) != 0) {
		printf("# %s\n# direct:\n%s# libyaml:\n%s", what,
		       ga_buf_cstr(&a), ga_buf_cstr(&b));
		CHECK_EQ_STR(ga_buf_cstr(&a), ga_buf_cstr(&b));
	}
	if (ga_yaml__emit_fast(&c, doc, false) == 0)
		fast_docs++;
	ga_buf_dispose(&a);
	ga_buf_dispose(&b);
	ga_buf_dispose(&c);
}

static void check_file(const char *path)
{
	ga_yaml_opts opts = GA_YAML_OPTS_INIT;
	ga_buf text = GA_BUF_INIT(1 << 24);
	ga_node *docs = NULL;

	opts.flags = GA_YAML_RESOURCES;
	if (ga_file_read(&text, path) < 0 ||
	    ga_yaml_parse(&docs, ga_buf_cstr(&text), text.size, path, &opts) <
	        0) {
		ga_error_clear();
		ga_buf_dispose(&text);
		return; /* not every expected output is a YAML stream */
	}
	for (size_t i = 0; i < ga_node_count(docs); i++)
		check_same(ga_node_list_get(docs, i), path);
	ga_node_free(docs);
	ga_buf_dispose(&text);
}

/* Every kubectl output committed under the golden cases. */
static void test_golden_outputs(void)
{
	DIR *d = opendir(cases_dir);
	struct dirent *e;
	size_t files = 0;
	char path[4096];

	CHECK(d != NULL);
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/expected.yaml", cases_dir,
		         e->d_name);
		if (access(path, R_OK) != 0)
			continue;
		check_file(path);
		files++;
	}
	if (d)
		closedir(d);
	printf("# %zu outputs, %zu documents written directly\n", files,
	       fast_docs);
	CHECK(files >= 200);
	/* The writer must take the common case, or it is not worth having. */
	CHECK(fast_docs > files);
}

static ga_node *str(const char *s)
{
	ga_node *n = NULL;

	CHECK_OK(ga_node_new_string(&n, s, strlen(s)));
	return n;
}

static ga_node *map1(const char *key, ga_node *value)
{
	ga_node *m = NULL;

	CHECK_OK(ga_node_new_map(&m));
	CHECK_OK(ga_node_map_set_take(m, key, value));
	return m;
}

static ga_node *list2(ga_node *a, ga_node *b)
{
	ga_node *l = NULL;

	CHECK_OK(ga_node_new_list(&l));
	CHECK_OK(ga_node_list_append_take(l, a));
	CHECK_OK(ga_node_list_append_take(l, b));
	return l;
}

/* Documents with @s in every position a scalar can take: value, key,
 * list item, nested at several depths and after "- ". */
static void check_scalar(const char *s)
{
	ga_node *docs[] = {
	    map1("k", str(s)),
	    map1(s, str("v")),
	    map1("l", list2(str(s), list2(str(s), map1(s, str(s))))),
	    map1("a",
	         map1("bb", map1("ccc", list2(list2(map1("d", str(s)), str(s)),
	                                      str(s))))),
	    list2(str(s), list2(str("x"), map1("k", str(s)))),
	};

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		check_same(docs[i], s);
		ga_node_free(docs[i]);
	}
}

/* Each of libyaml's style rules, at and around the fold width. */
static void test_style_rules(void)
{
	static const char *const words[] = {
	    "",
	    "a",
	    "-",
	    "-a",
	    "- a",
	    "a-",
	    "?",
	    "?a",
	    "? a",
	    ":",
	    ":a",
	    "a:",
	    "a: b",
	    "a:b",
	    "#a",
	    "a#",
	    "a #b",
	    "a# b",
	    ",a",
	    "a,b",
	    "[a",
	    "a]",
	    "{a}",
	    "&a",
	    "*a",
	    "!a",
	    "|a",
	    ">a",
	    "'a",
	    "a'b",
	    "\"a",
	    "a\"b",
	    "%a",
	    "@a",
	    "`a",
	    " a",
	    "a ",
	    "a  b",
	    "---",
	    "---a",
	    "...",
	    "..a",
	    "a\\b",
	    "true",
	    "yes",
	    "null",
	    "~",
	    "1",
	    "1.5",
	    "0x1F",
	    "1e3",
	    ".inf",
	    "<<",
	    "=",
	    "a=b",
	    "on",
	    "2001-12-14",
	    "a\tb",
	    "é",
	    "a\nb",
	    "a \\ \" ' b",
	    "\n",
	    "\na",
	    "a\n",
	    "a\n\n",
	    "\n\n",
	    " a\nb",
	    "a \nb",
	    "a\n b",
	    "a\n\nb\n",
	    "#!/bin/sh\nset -e\n\necho 'x: y'\n",
	};
	char s[256];

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		check_scalar(words[i]);
	/* Lengths that end just before, at and after column 80. */
	for (size_t len = 60; len < 100; len++) {
		for (size_t i = 0; i < len; i++)
			s[i] = "abcdef ghijklm nopqrst uvwxyz"[i % 29];
		s[len] = '\0';
		check_scalar(s);
		s[len - 1] = '\'';
		check_scalar(s);
		s[0] = '"';
		check_scalar(s);
		memset(s, 'x', len);
		check_scalar(s);
	}
	/* A key too long to be a simple key (129 characters). */
	memset(s, 'k', 129);
	s[129] = '\0';
	check_scalar(s);
}

/* Pseudo-random printable text from a fixed seed: what the rules above
 * miss should show here. */
static void test_random_scalars(void)
{
	static const char alphabet[] = "ab -:#'\"?,[]{}&*!|>%@`.~\\=<\n";
	unsigned long x = 12345;
	char s[40];

	for (int round = 0; round < 3000; round++) {
		size_t len = 1 + round % 12;

		for (size_t i = 0; i < len; i++) {
			x = x * 6364136223846793005ul + 1442695040888963407ul;
			s[i] = alphabet[(x >> 33) % (sizeof(alphabet) - 1)];
		}
		s[len] = '\0';
		check_scalar(s);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s CASES-DIR\n", argv[0]);
		return 2;
	}
	cases_dir = argv[1];
	RUN(test_golden_outputs);
	RUN(test_style_rules);
	RUN(test_random_scalars);
	return DONE();
}
