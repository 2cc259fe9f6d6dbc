/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Field paths shared by replacements and vars (see fieldpath.h).  A
 * "[k=v]" step compares v with the text kyaml holds for the element's
 * field k, so "[port=8080]" finds an integer port too.
 */
#include "fieldpath.h"

#include <stdlib.h>
#include <string.h>

#include "ga/error.h"
#include "resource.h"

/* Fill @s from "[k=v]" or "[k]" (without the brackets) of @len bytes. */
static int bracket(ga_kust_pathseg *s, const char *p, size_t len)
{
	const char *eq = memchr(p, '=', len);
	size_t klen = eq ? (size_t)(eq - p) : len;

	if (klen >= sizeof(s->key))
		return GA_EINVALID;
	memcpy(s->key, p, klen);
	s->key[klen] = '\0';
	if (eq) {
		size_t vlen = len - klen - 1;
		if (vlen >= sizeof(s->match_val))
			return GA_EINVALID;
		memcpy(s->match_val, eq + 1, vlen);
		s->match_val[vlen] = '\0';
		s->match = true;
	}
	return 0;
}

int ga_kust__fieldpath_parse(ga_kust_pathseg *segs, size_t *n, const char *path)
{
	const char *p = path;

	*n = 0;
	while (*p) {
		ga_kust_pathseg *s = &segs[*n];
		size_t len = 0;

		if (*n == GA_KUST_PATH_SEGS)
			return GA_EINVALID;
		memset(s, 0, sizeof(*s));
		if (*p == '[') {
			const char *end = strchr(p, ']');
			if (!end ||
			    bracket(s, p + 1, (size_t)(end - p - 1)) < 0)
				return GA_EINVALID;
			p = end + 1;
		} else {
			while (p[len] && p[len] != '.' && p[len] != '[')
				len++;
			if (len >= sizeof(s->key))
				return GA_EINVALID;
			memcpy(s->key, p, len);
			s->star = strcmp(s->key, "*") == 0;
			p += len;
		}
		(*n)++;
		if (*p == '.')
			p++;
	}
	return *n ? 0 : GA_EINVALID;
}

/* One "."-separated part of a var's path, into one or two steps. */
static int var_part(ga_kust_pathseg *segs, size_t *n, const char *p, size_t len)
{
	const char *open =
	    len > 2 && p[len - 1] == ']' ? memchr(p, '[', len - 1) : NULL;
	size_t digits = open ? len - (size_t)(open - p) - 2 : 0;
	bool indexed = open && digits > 0;

	/* "a[3]": kyaml's convertSliceIndex wants digits only. */
	for (size_t i = 0; indexed && i < digits; i++)
		indexed = open[1 + i] >= '0' && open[1 + i] <= '9';
	if (indexed && open > p) {
		if (*n == GA_KUST_PATH_SEGS)
			return GA_EINVALID;
		if (bracket(&segs[(*n)++], p, (size_t)(open - p)) < 0)
			return GA_EINVALID;
	}
	if (indexed) {
		p = open + 1;
		len = digits;
	}
	if (*n == GA_KUST_PATH_SEGS)
		return GA_EINVALID;
	ga_kust_pathseg *s = &segs[(*n)++];
	if (!indexed && len >= 2 && p[0] == '[' && p[len - 1] == ']' &&
	    memchr(p, '=', len))
		return bracket(s, p + 1, len - 2);
	if (len >= sizeof(s->key))
		return GA_EINVALID;
	memcpy(s->key, p, len);
	s->key[len] = '\0';
	s->last = len == 1 && p[0] == '-';
	return 0;
}

int ga_kust__fieldpath_parse_var(ga_kust_pathseg *segs, size_t *n,
                                 const char *path)
{
	int err = 0;

	*n = 0;
	memset(segs, 0, GA_KUST_PATH_SEGS * sizeof(*segs));
	for (const char *p = path; !err && *p;) {
		size_t len = strcspn(p, ".");

		if (len)
			err = var_part(segs, n, p, len);
		p += len;
		if (*p == '.')
			p++;
	}
	return err;
}

bool ga_kust__fieldpath_index(const char *s, size_t *out)
{
	char *end;
	unsigned long v;

	if (!*s || *s < '0' || *s > '9')
		return false;
	v = strtoul(s, &end, 10);
	if (*end)
		return false;
	*out = v;
	return true;
}

/* Whether the list element @el is the one "[k=v]" asks for. */
static bool element_matches(const ga_node *el, const ga_kust_pathseg *s)
{
	const ga_node *v = s->key[0] ? ga_node_map_get(el, s->key) : el;
	char buf[GA_FMT_FLOAT_MAX];
	const char *text;
	size_t len;

	if (!v || !ga_node_is_scalar(v) ||
	    ga_kust__scalar_text(v, buf, &text, &len) < 0)
		return false;
	return len == strlen(s->match_val) &&
	       memcmp(text, s->match_val, len) == 0;
}

ga_node *ga_kust__fieldpath_step(ga_node *n, const ga_kust_pathseg *s)
{
	size_t idx;

	if (s->match && ga_node_type_of(n) == GA_NODE_LIST) {
		for (size_t i = 0; i < ga_node_count(n); i++) {
			ga_node *el = ga_node_list_get(n, i);
			if (element_matches(el, s))
				return el;
		}
		return NULL;
	}
	if (s->match || s->star)
		return NULL;
	if (ga_node_type_of(n) == GA_NODE_LIST) {
		if (s->last)
			return ga_node_count(n)
			           ? ga_node_list_get(n, ga_node_count(n) - 1)
			           : NULL;
		return ga_kust__fieldpath_index(s->key, &idx)
		           ? ga_node_list_get(n, idx)
		           : NULL;
	}
	if (ga_node_type_of(n) == GA_NODE_MAP)
		return ga_node_map_get(n, s->key);
	return NULL;
}

const ga_node *ga_kust__fieldpath_get(const ga_node *n,
                                      const ga_kust_pathseg *segs,
                                      size_t n_segs)
{
	for (size_t i = 0; n && i < n_segs; i++)
		n = ga_kust__fieldpath_step((ga_node *)n, &segs[i]);
	return n;
}
