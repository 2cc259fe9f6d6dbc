/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Label selectors: the string syntax of k8s.io/apimachinery labels.Parse
 * and its matching rules.
 */
#include "kustomize/selector.h"

#include "ga/yaml.h"
#include "harness.h"
#include "util/alloc.h"

static ga_node *labels(const char *yaml)
{
	ga_node *docs = NULL, *m = NULL;

	CHECK_OK(ga_yaml_parse(&docs, yaml, strlen(yaml), "labels", NULL));
	if (docs && ga_node_count(docs))
		CHECK_OK(ga_node_clone(&m, ga_node_list_get(docs, 0)));
	ga_node_free(docs);
	return m;
}

static void check(const char *sel, const char *yaml, bool want)
{
	ga_kust_selector *s = NULL;
	ga_node *l = labels(yaml);

	CHECK_OK(ga_kust__selector_parse(&s, sel));
	if (s && ga_kust__selector_matches(s, l) != want)
		printf("# selector %s on %s: want %d\n", sel, yaml, want);
	CHECK(s && ga_kust__selector_matches(s, l) == want);
	ga_kust__selector_free(s);
	ga_node_free(l);
}

static void test_match(void)
{
	const char *l =
	    "{app: web, tier: fe, n: '7', app.kubernetes.io/name: x}";

	check("", l, true);
	check("app=web", l, true);
	check("app==web", l, true);
	check("app = web , tier=fe", l, true);
	check("app=db", l, false);
	check("app!=db", l, true);
	check("missing!=x", l, true);
	check("app", l, true);
	check("!app", l, false);
	check("!missing", l, true);
	check("tier in (fe, be)", l, true);
	check("tier notin (fe,be)", l, false);
	check("missing notin (a)", l, true);
	check("missing in (a)", l, false);
	check("n>5", l, true);
	check("n<5", l, false);
	check("app.kubernetes.io/name=x", l, true);
	check("app=", "{app: ''}", true);
	check("app in ()", "{app: ''}", true);
}

static void parse_err(const char *sel, const char *want)
{
	ga_kust_selector *s = NULL;

	CHECK_ERR(ga_kust__selector_parse(&s, sel), GA_EINVALID);
	CHECK(s == NULL);
	if (!strstr(ga_error_last()->message, want))
		printf("# %s\n", ga_error_last()->message);
	CHECK(strstr(ga_error_last()->message, want) != NULL);
}

static void test_errors(void)
{
	parse_err("app=web,", "at column 9: expected a requirement after ','");
	parse_err("app web", "expected an operator");
	parse_err("tier in fe", "expected '(' after in or notin");
	parse_err("tier in (fe", "expected ',' or ')'");
	parse_err("=x", "expected a label key");
	parse_err("app=-bad", "expected a label value");
	parse_err("n>x", "expected an integer");
	parse_err("a/b/c=1", "expected a label key");
	parse_err("a=b c=d", "expected ',' between requirements");
}

static void test_limits(void)
{
	ga_kust_selector *s = NULL;
	char big[5000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_ERR(ga_kust__selector_parse(&s, big), GA_ELIMIT);
	ga_alloc__fail_after(1, false);
	CHECK_ERR(ga_kust__selector_parse(&s, "a=b"), GA_ENOMEM);
	ga_alloc__fail_after(0, false);
}

int main(void)
{
	RUN(test_match);
	RUN(test_errors);
	RUN(test_limits);
	return DONE();
}
