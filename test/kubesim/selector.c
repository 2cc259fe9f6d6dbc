/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Label and field selectors of LIST requests, with the grammar of
 * k8s.io/apimachinery/pkg/labels (Parse) and pkg/fields: requirements
 * separated by commas, each "key", "!key", "key=v", "key==v", "key!=v",
 * "key in (a,b)", "key notin (a,b)", "key>n" or "key<n".  "!=" and "notin"
 * also match objects without the label, as in Kubernetes.  Field selectors
 * support what the API server supports for every resource:
 * metadata.name and metadata.namespace with =, == and !=.
 */
#include "kubesim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"

enum op {
	OP_EQ,
	OP_NE,
	OP_IN,
	OP_NOTIN,
	OP_EXISTS,
	OP_NOTEXISTS,
	OP_GT,
	OP_LT
};

#define MAX_REQS 64
#define MAX_VALUES 64
#define MAX_TOKEN 320

struct req {
	bool field; /* a field selector requirement */
	enum op op;
	char key[MAX_TOKEN];
	char *values[MAX_VALUES];
	size_t nvalues;
};

struct ks_selector {
	struct req reqs[MAX_REQS];
	size_t n;
};

/* A parse position in a selector string. */
struct cur {
	const char *p;
};

static void skip_ws(struct cur *c)
{
	while (*c->p == ' ' || *c->p == '\t')
		c->p++;
}

static bool ident_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
	       ch == '-' || ch == '/';
}

/* A key or value into @out; may be empty.  Returns false when too long. */
static bool take_ident(struct cur *c, char *out)
{
	size_t n = 0;

	skip_ws(c);
	while (ident_char(*c->p)) {
		if (n + 1 >= MAX_TOKEN)
			return false;
		out[n++] = *c->p++;
	}
	out[n] = '\0';
	return true;
}

static bool take_word(struct cur *c, const char *word)
{
	size_t n = strlen(word);

	skip_ws(c);
	if (strncmp(c->p, word, n) != 0 || ident_char(c->p[n]))
		return false;
	c->p += n;
	return true;
}

static int add_value(struct req *r, const char *v)
{
	if (r->nvalues == MAX_VALUES)
		return GA_ELIMIT;
	if (!(r->values[r->nvalues] = ga_strdup(v)))
		return GA_ENOMEM;
	r->nvalues++;
	return 0;
}

/* "(a, b, c)" after in/notin. */
static int parse_set(struct cur *c, struct req *r)
{
	char v[MAX_TOKEN];
	int err;

	skip_ws(c);
	if (*c->p != '(')
		return GA_EINVALID;
	c->p++;
	for (;;) {
		if (!take_ident(c, v))
			return GA_EINVALID;
		if ((err = add_value(r, v)) < 0)
			return err;
		skip_ws(c);
		if (*c->p == ')') {
			c->p++;
			return 0;
		}
		if (*c->p != ',')
			return GA_EINVALID;
		c->p++;
	}
}

/* The operator and value(s) after a key. */
static int parse_op(struct cur *c, struct req *r)
{
	char v[MAX_TOKEN];

	skip_ws(c);
	if (*c->p == '\0' || *c->p == ',') {
		r->op = OP_EXISTS;
		return r->field ? GA_EINVALID : 0;
	}
	if (c->p[0] == '=' && c->p[1] == '=')
		c->p += 2, r->op = OP_EQ;
	else if (c->p[0] == '=')
		c->p += 1, r->op = OP_EQ;
	else if (c->p[0] == '!' && c->p[1] == '=')
		c->p += 2, r->op = OP_NE;
	else if (!r->field && (c->p[0] == '>' || c->p[0] == '<'))
		r->op = *c->p++ == '>' ? OP_GT : OP_LT;
	else if (!r->field && take_word(c, "in"))
		return r->op = OP_IN, parse_set(c, r);
	else if (!r->field && take_word(c, "notin"))
		return r->op = OP_NOTIN, parse_set(c, r);
	else
		return GA_EINVALID;
	if (!take_ident(c, v))
		return GA_EINVALID;
	return add_value(r, v);
}

static int parse_one(struct cur *c, struct req *r)
{
	bool neg;

	skip_ws(c);
	neg = !r->field && *c->p == '!';
	if (neg)
		c->p++;
	if (!take_ident(c, r->key) || !r->key[0])
		return GA_EINVALID;
	if (neg) {
		r->op = OP_NOTEXISTS;
		skip_ws(c);
		return *c->p == '\0' || *c->p == ',' ? 0 : GA_EINVALID;
	}
	return parse_op(c, r);
}

static int parse_list(ks_selector *sel, const char *text, bool field,
                      ks_status *st)
{
	struct cur c = {text};
	const char *start;
	struct req *r;
	int err;

	skip_ws(&c);
	while (*c.p) {
		if (sel->n == MAX_REQS) {
			ks_status_set(st, 400, "BadRequest",
			              "too many requirements in selector");
			return GA_ELIMIT;
		}
		start = c.p;
		r = &sel->reqs[sel->n++];
		r->field = field;
		if ((err = parse_one(&c, r)) == 0) {
			skip_ws(&c);
			if (*c.p && *c.p != ',')
				err = GA_EINVALID;
		}
		if (err < 0) {
			ks_status_set(st, 400, "BadRequest",
			              "unable to parse requirement: %.200s",
			              start);
			return err;
		}
		if (field && strcmp(r->key, "metadata.name") != 0 &&
		    strcmp(r->key, "metadata.namespace") != 0) {
			ks_status_set(st, 400, "BadRequest",
			              "\"%s\" is not a known field selector: "
			              "only \"metadata.name\", "
			              "\"metadata.namespace\"",
			              r->key);
			return GA_EINVALID;
		}
		if (*c.p == ',')
			c.p++;
	}
	return 0;
}

int ks_selector_parse(ks_selector **out, const char *labels, const char *fields,
                      ks_status *st)
{
	ks_selector *sel = ga_calloc(1, sizeof(*sel));
	int err = 0;

	if (!sel) {
		ks_status_set(st, 500, "InternalError", "out of memory");
		return GA_ENOMEM;
	}
	if ((labels && (err = parse_list(sel, labels, false, st)) < 0) ||
	    (fields && (err = parse_list(sel, fields, true, st)) < 0)) {
		ks_selector_free(sel);
		return err;
	}
	*out = sel;
	return 0;
}

bool ks_selector_empty(const ks_selector *sel)
{
	return !sel || sel->n == 0;
}

static bool in_values(const struct req *r, const char *v)
{
	size_t i;

	for (i = 0; i < r->nvalues; i++)
		if (strcmp(r->values[i], v) == 0)
			return true;
	return false;
}

/* Gt and Lt compare integers; a non-integer label never matches. */
static bool compare(const struct req *r, const char *v)
{
	char *end = NULL;
	long long have, want;

	have = strtoll(v, &end, 10);
	if (!v[0] || *end)
		return false;
	want = strtoll(r->values[0], &end, 10);
	if (!r->values[0][0] || *end)
		return false;
	return r->op == OP_GT ? have > want : have < want;
}

static bool match_one(const struct req *r, const ga_node *obj)
{
	const char *v;

	if (r->field)
		v = ks_meta_str(obj, r->key + strlen("metadata."));
	else
		v = ks_str(ks_get(ks_get(ks_meta(obj), "labels"), r->key));
	if (r->field && !v)
		v = "";
	switch (r->op) {
	case OP_EXISTS:
		return v != NULL;
	case OP_NOTEXISTS:
		return v == NULL;
	case OP_EQ:
	case OP_IN:
		return v && in_values(r, v);
	case OP_NE:
	case OP_NOTIN:
		return !v || !in_values(r, v);
	case OP_GT:
	case OP_LT:
		return v && compare(r, v);
	}
	return false;
}

bool ks_selector_match(const ks_selector *sel, const ga_node *obj)
{
	size_t i;

	for (i = 0; sel && i < sel->n; i++)
		if (!match_one(&sel->reqs[i], obj))
			return false;
	return true;
}

void ks_selector_free(ks_selector *sel)
{
	size_t i, j;

	if (!sel)
		return;
	for (i = 0; i < sel->n; i++)
		for (j = 0; j < sel->reqs[i].nvalues; j++)
			ga_free(sel->reqs[i].values[j]);
	ga_free(sel);
}
