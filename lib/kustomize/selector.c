/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Label selectors as k8s.io/apimachinery's labels.Parse reads them:
 * requirements separated by commas, each one of
 *   key            key exists
 *   !key           key does not exist
 *   key=value, key==value, key!=value
 *   key in (v1,v2), key notin (v1,v2)
 *   key>N, key<N   the value, as an integer, is greater or less than N
 * White space around tokens is ignored.  Keys are qualified names with an
 * optional DNS prefix ("app.kubernetes.io/name"); values are label values
 * (at most 63 characters of [A-Za-z0-9_.-], starting and ending
 * alphanumeric, or empty).  "!=" and "notin" also match when the key is
 * absent, as in Kubernetes.
 */
#include "selector.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"

enum op {
	OP_EXISTS,
	OP_NOT_EXISTS,
	OP_EQ,
	OP_NE,
	OP_IN,
	OP_NOTIN,
	OP_GT,
	OP_LT
};

#define VALUES_MAX 16

struct req {
	char key[320];
	enum op op;
	size_t nvalues;
	char values[VALUES_MAX][64];
	long long num;
};

struct ga_kust_selector {
	size_t n;
	struct req reqs[];
};

struct cursor {
	const char *text;
	size_t i;
};

static void skip_ws(struct cursor *c)
{
	while (c->text[c->i] == ' ' || c->text[c->i] == '\t')
		c->i++;
}

static int syntax(const struct cursor *c, const char *want)
{
	ga_error_set(GA_ERRCLASS_KUSTOMIZE,
	             "invalid label selector \"%.128s\": at column %zu: "
	             "expected %s",
	             c->text, c->i + 1, want);
	return GA_EINVALID;
}

static bool alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9');
}

static bool token_char(char ch)
{
	return alnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '/';
}

/* A run of key or value characters into @out (capacity @cap). */
static size_t token(struct cursor *c, char *out, size_t cap)
{
	size_t n = 0;

	while (token_char(c->text[c->i]) && n + 1 < cap)
		out[n++] = c->text[c->i++];
	out[n] = '\0';
	return n;
}

/* Label value syntax: empty, or up to 63 of [A-Za-z0-9_.-] with
 * alphanumeric ends. */
static bool valid_value(const char *v)
{
	size_t n = strlen(v);

	if (n == 0)
		return true;
	if (n > 63 || !alnum(v[0]) || !alnum(v[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!alnum(v[i]) && v[i] != '-' && v[i] != '_' && v[i] != '.')
			return false;
	return true;
}

/* Qualified name: [prefix/]name, the name a label value that is not
 * empty, the prefix a DNS subdomain. */
static bool valid_key(const char *k)
{
	const char *slash = strchr(k, '/');
	const char *name = slash ? slash + 1 : k;

	if (!name[0] || !valid_value(name) || (slash && strchr(name, '/')))
		return false;
	if (slash) {
		size_t plen = (size_t)(slash - k);
		if (plen == 0 || plen > 253)
			return false;
		for (size_t i = 0; i < plen; i++)
			if (!alnum(k[i]) && k[i] != '-' && k[i] != '.')
				return false;
	}
	return true;
}

static int value_list(struct cursor *c, struct req *r)
{
	skip_ws(c);
	if (c->text[c->i] != '(')
		return syntax(c, "'(' after in or notin");
	c->i++;
	for (;;) {
		if (r->nvalues == VALUES_MAX)
			return syntax(c, "at most 16 values");
		skip_ws(c);
		token(c, r->values[r->nvalues], sizeof(r->values[0]));
		if (!valid_value(r->values[r->nvalues]))
			return syntax(c, "a label value");
		r->nvalues++;
		skip_ws(c);
		if (c->text[c->i] == ')') {
			c->i++;
			return 0;
		}
		if (c->text[c->i] != ',')
			return syntax(c, "',' or ')'");
		c->i++;
	}
}

static int operand(struct cursor *c, struct req *r)
{
	char num[32];
	char *end;

	skip_ws(c);
	if (r->op == OP_GT || r->op == OP_LT) {
		token(c, num, sizeof(num));
		errno = 0;
		r->num = strtoll(num, &end, 10);
		if (!num[0] || *end || errno)
			return syntax(c, "an integer");
		return 0;
	}
	token(c, r->values[0], sizeof(r->values[0]));
	if (!valid_value(r->values[0]))
		return syntax(c, "a label value");
	r->nvalues = 1;
	return 0;
}

static int requirement(struct cursor *c, struct req *r)
{
	const char *t;

	skip_ws(c);
	r->op = OP_EXISTS;
	if (c->text[c->i] == '!') {
		c->i++;
		r->op = OP_NOT_EXISTS;
		skip_ws(c);
	}
	token(c, r->key, sizeof(r->key));
	if (!valid_key(r->key))
		return syntax(c, "a label key");
	skip_ws(c);
	t = c->text + c->i;
	if (r->op == OP_NOT_EXISTS || !*t || *t == ',')
		return 0;
	if (strncmp(t, "==", 2) == 0 || strncmp(t, "!=", 2) == 0) {
		r->op = t[0] == '=' ? OP_EQ : OP_NE;
		c->i += 2;
	} else if (*t == '=' || *t == '>' || *t == '<') {
		r->op = *t == '=' ? OP_EQ : *t == '>' ? OP_GT : OP_LT;
		c->i++;
	} else if (strncmp(t, "notin", 5) == 0 && !token_char(t[5])) {
		r->op = OP_NOTIN;
		c->i += 5;
		return value_list(c, r);
	} else if (strncmp(t, "in", 2) == 0 && !token_char(t[2])) {
		r->op = OP_IN;
		c->i += 2;
		return value_list(c, r);
	} else {
		return syntax(c, "an operator (=, ==, !=, in, notin, >, <)");
	}
	return operand(c, r);
}

int ga_kust__selector_parse(ga_kust_selector **out, const char *text)
{
	struct cursor c = {text, 0};
	ga_kust_selector *sel;
	int err = 0;

	if (strlen(text) > GA_KUST_SELECTOR_MAX_LEN) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "label selector longer than %d bytes",
		             GA_KUST_SELECTOR_MAX_LEN);
		return GA_ELIMIT;
	}
	sel = ga_calloc(1, sizeof(*sel) +
	                       GA_KUST_SELECTOR_MAX_REQS * sizeof(struct req));
	if (!sel)
		return GA_ENOMEM;
	skip_ws(&c);
	while (!err && text[c.i]) {
		if (sel->n == GA_KUST_SELECTOR_MAX_REQS) {
			err = syntax(&c, "at most 32 requirements");
			break;
		}
		if ((err = requirement(&c, &sel->reqs[sel->n])) < 0)
			break;
		sel->n++;
		skip_ws(&c);
		if (text[c.i] == ',') {
			c.i++;
			skip_ws(&c);
			if (!text[c.i])
				err = syntax(&c, "a requirement after ','");
		} else if (text[c.i]) {
			err = syntax(&c, "',' between requirements");
		}
	}
	if (err < 0) {
		ga_free(sel);
		return err;
	}
	*out = sel;
	return 0;
}

void ga_kust__selector_free(ga_kust_selector *sel)
{
	ga_free(sel);
}

static bool in_values(const struct req *r, const char *v)
{
	for (size_t i = 0; i < r->nvalues; i++)
		if (strcmp(r->values[i], v) == 0)
			return true;
	return false;
}

static bool req_matches(const struct req *r, const ga_node *labels)
{
	const ga_node *v = labels ? ga_node_map_get(labels, r->key) : NULL;
	const char *s = v && ga_node_str(v) ? ga_node_str(v) : NULL;
	long long n;
	char *end;

	switch (r->op) {
	case OP_EXISTS:
		return v != NULL;
	case OP_NOT_EXISTS:
		return v == NULL;
	case OP_EQ:
	case OP_IN:
		return s && in_values(r, s);
	case OP_NE:
	case OP_NOTIN:
		return !s || !in_values(r, s);
	case OP_GT:
	case OP_LT:
		if (!s)
			return false;
		errno = 0;
		n = strtoll(s, &end, 10);
		if (!*s || *end || errno)
			return false;
		return r->op == OP_GT ? n > r->num : n < r->num;
	}
	return false;
}

bool ga_kust__selector_matches(const ga_kust_selector *sel,
                               const ga_node *labels)
{
	for (size_t i = 0; i < sel->n; i++)
		if (!req_matches(&sel->reqs[i], labels))
			return false;
	return true;
}
