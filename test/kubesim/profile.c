/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-image behaviour profiles (--image-profile, PUT
 * /kubesim/image-profiles): "REGEX=never-ready", "REGEX=crashloop" or
 * "REGEX=slow:DURATION" (a Go duration, "3s").  REGEX is a POSIX extended
 * expression searched in each container image of a pod template (anchor
 * it with ^ and $ to match whole names); when several rules match a
 * template, the last rule added wins, so a test can override an earlier
 * rule at run time.  A template's init containers count too.
 */
#include "sim.h"

#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/duration.h"
#include "ga/error.h"
#include "ga/json.h"

#define MAX_RULES 64

struct rule {
	regex_t re;
	char *spec; /* as given, for GET */
	int kind;   /* KS_PROFILE_* */
	uint64_t slow_ms;
};

struct ks_profiles {
	struct rule rules[MAX_RULES];
	size_t n;
};

int ks_profiles_new(ks_profiles **out)
{
	ks_profiles *p = ga_calloc(1, sizeof(*p));

	if (!p)
		return GA_ENOMEM;
	*out = p;
	return 0;
}

void ks_profiles_clear(ks_profiles *p)
{
	size_t i;

	for (i = 0; p && i < p->n; i++) {
		regfree(&p->rules[i].re);
		ga_free(p->rules[i].spec);
	}
	if (p)
		p->n = 0;
}

void ks_profiles_free(ks_profiles *p)
{
	ks_profiles_clear(p);
	ga_free(p);
}

static int parse_kind(struct rule *r, const char *what)
{
	if (strcmp(what, "never-ready") == 0) {
		r->kind = KS_PROFILE_NEVER_READY;
	} else if (strcmp(what, "crashloop") == 0) {
		r->kind = KS_PROFILE_CRASHLOOP;
	} else if (strncmp(what, "slow:", 5) == 0 &&
	           ga_duration_parse_ms(&r->slow_ms, what + 5) == 0) {
		r->kind = KS_PROFILE_SLOW;
	} else {
		ga_error_set(GA_ERRCLASS_NONE,
		             "image profile \"%.200s\": want never-ready, "
		             "crashloop or slow:DURATION",
		             what);
		return GA_EINVALID;
	}
	return 0;
}

int ks_profiles_add(ks_profiles *p, const char *spec)
{
	const char *eq = strrchr(spec, '=');
	struct rule r;
	char *pattern = NULL;
	int err = 0, rc;

	memset(&r, 0, sizeof(r));
	if (!eq || eq == spec) {
		ga_error_set(GA_ERRCLASS_NONE,
		             "image profile \"%.200s\": want REGEX=PROFILE",
		             spec);
		return GA_EINVALID;
	}
	if (p->n == MAX_RULES) {
		ga_error_set(GA_ERRCLASS_NONE, "more than %d image profiles",
		             MAX_RULES);
		return GA_ELIMIT;
	}
	if ((err = parse_kind(&r, eq + 1)) < 0)
		return err;
	if (!(pattern = ga_strndup(spec, (size_t)(eq - spec))) ||
	    !(r.spec = ga_strdup(spec))) {
		err = GA_ENOMEM;
		goto out;
	}
	if ((rc = regcomp(&r.re, pattern, REG_EXTENDED | REG_NOSUB)) != 0) {
		char why[128];
		(void)regerror(rc, NULL, why, sizeof(why));
		ga_error_set(GA_ERRCLASS_NONE,
		             "image profile \"%.200s\": bad regex: %s", spec,
		             why);
		err = GA_EINVALID;
		goto out;
	}
	p->rules[p->n++] = r;
	r.spec = NULL;
out:
	ga_free(pattern);
	ga_free(r.spec);
	return err;
}

/* The last rule matching one of @containers' images, or -1. */
static long last_match(const ks_profiles *p, const ga_node *containers,
                       long best)
{
	size_t i, j;

	for (i = 0; i < ks_count(containers); i++) {
		const char *image =
		    ks_str(ks_get(ks_item(containers, i), "image"));
		for (j = p->n; image && j-- > 0 && (long)j > best;)
			if (regexec(&p->rules[j].re, image, 0, NULL, 0) == 0)
				best = (long)j;
	}
	return best;
}

int ks_profiles_match(const ks_profiles *p, const ga_node *template,
                      uint64_t *slow_ms)
{
	const ga_node *pod = ks_get(template, "spec");
	long best = -1;

	if (!p)
		return KS_PROFILE_NORMAL;
	best = last_match(p, ks_get(pod, "containers"), best);
	best = last_match(p, ks_get(pod, "initContainers"), best);
	if (best < 0)
		return KS_PROFILE_NORMAL;
	*slow_ms = p->rules[best].slow_ms;
	return p->rules[best].kind;
}

int ks_profiles_json(const ks_profiles *p, ga_buf *out)
{
	size_t i;

	(void)ga_buf_putc(out, '[');
	for (i = 0; i < p->n; i++) {
		if (i)
			(void)ga_buf_putc(out, ',');
		(void)ga_json_quote(out, p->rules[i].spec);
	}
	return ga_buf_putc(out, ']');
}
