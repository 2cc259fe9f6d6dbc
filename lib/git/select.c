/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Choosing the revision the way Flux's GitRepository does (flux.md §1.1,
 * §1.3): a branch is "refs/heads/<b>", a tag "refs/tags/<t>" peeled to
 * its commit, a semver range the highest matching tag (Masterminds
 * semantics via lib/util semver: lenient versions with an optional "v",
 * pre-releases only when the range names one), and the revision string is
 * "<name>@sha1:<hex>" or "sha1:<hex>" for a pinned commit.
 */
#include "select.h"

#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "ga/semver.h"

#define PEELED_SUFFIX "^{}"
#define HEADS_MAX 100000

void ga_git__heads_free(ga_git__head *heads, size_t n)
{
	for (size_t i = 0; heads && i < n; i++)
		ga_free(heads[i].name);
	ga_free(heads);
}

static int set_peeled(ga_git__head *heads, size_t n, const char *name,
                      const char *oid)
{
	size_t len = strlen(name) - strlen(PEELED_SUFFIX);

	for (size_t i = n; i-- > 0;) {
		if (strlen(heads[i].name) == len &&
		    memcmp(heads[i].name, name, len) == 0) {
			(void)snprintf(heads[i].peeled, sizeof(heads[i].peeled),
			               "%s", oid);
			return 0;
		}
	}
	return 0; /* a peeled entry without its tag carries nothing */
}

int ga_git__heads_add(ga_git__head **heads, size_t *n, const char *name,
                      const char *oid)
{
	size_t len = strlen(name);
	ga_git__head *grown;

	if (len > strlen(PEELED_SUFFIX) &&
	    strcmp(name + len - strlen(PEELED_SUFFIX), PEELED_SUFFIX) == 0)
		return set_peeled(*heads, *n, name, oid);
	if (*n >= HEADS_MAX) {
		ga_error_set(GA_ERRCLASS_GIT,
		             "the remote advertises more "
		             "than %d refs",
		             HEADS_MAX);
		return GA_ELIMIT;
	}
	if (!(grown = ga_reallocarray(*heads, *n + 1, sizeof(**heads))))
		return GA_ENOMEM;
	*heads = grown;
	memset(&grown[*n], 0, sizeof(grown[*n]));
	if (!(grown[*n].name = ga_strdup(name)))
		return GA_ENOMEM;
	(void)snprintf(grown[*n].oid, sizeof(grown[*n].oid), "%s", oid);
	(*n)++;
	return 0;
}

static int find_exact(size_t *index, const ga_git__head *heads, size_t n,
                      const char *prefix, const char *name, const char *what)
{
	size_t plen = strlen(prefix);

	for (size_t i = 0; i < n; i++) {
		if (strncmp(heads[i].name, prefix, plen) == 0 &&
		    strcmp(heads[i].name + plen, name) == 0) {
			*index = i;
			return 0;
		}
	}
	ga_error_set(GA_ERRCLASS_GIT, "%s '%s' not found", what, name);
	return GA_ENOTFOUND;
}

/* Whether the tag at @cand beats the best so far (@best, @best_name). */
static bool better(const ga_semver *cand, const char *cand_name,
                   const ga_semver *best, const char *best_name)
{
	int c;

	if (!best_name)
		return true;
	c = ga_semver_compare(cand, best);
	return c > 0 || (c == 0 && strcmp(cand_name, best_name) > 0);
}

static int find_semver(size_t *index, const ga_git__head *heads, size_t n,
                       const char *range_text)
{
	static const char prefix[] = "refs/tags/";
	ga_semver_range *range = NULL;
	ga_semver best = GA_SEMVER_INIT;
	const char *best_name = NULL;
	int err;

	if ((err = ga_semver_range_parse(&range, range_text)) < 0)
		return err;
	for (size_t i = 0; i < n; i++) {
		const char *tag = heads[i].name + strlen(prefix);
		ga_semver v;

		if (strncmp(heads[i].name, prefix, strlen(prefix)) != 0 ||
		    ga_semver_parse(&v, tag) < 0 ||
		    !ga_semver_range_match(range, &v))
			continue;
		if (better(&v, tag, &best, best_name)) {
			best = v;
			best_name = tag;
			*index = i;
		}
	}
	ga_semver_range_free(range);
	/* Tags that are not versions failed to parse on purpose. */
	ga_error_clear();
	if (!best_name) {
		ga_error_set(GA_ERRCLASS_GIT,
		             "no tag matches semver range '%s'", range_text);
		return GA_ENOTFOUND;
	}
	return 0;
}

int ga_git__select(size_t *index, const ga_git__head *heads, size_t n,
                   const ga_git_ref *ref)
{
	switch (ref->kind) {
	case GA_GIT_REF_BRANCH:
		return find_exact(index, heads, n, "refs/heads/", ref->name,
		                  "branch");
	case GA_GIT_REF_TAG:
		return find_exact(index, heads, n, "refs/tags/", ref->name,
		                  "tag");
	case GA_GIT_REF_SEMVER:
		return find_semver(index, heads, n, ref->name);
	case GA_GIT_REF_COMMIT:
		break;
	}
	ga_error_set(GA_ERRCLASS_INVALID, "a pinned commit selects no ref");
	return GA_EINVALID;
}

int ga_git__ref_name_check(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > GA_GIT_REF_NAME_MAX || name[0] == '-' ||
	    name[0] == '/' || name[len - 1] == '/' || name[len - 1] == '.' ||
	    strstr(name, "..") || strstr(name, "//") || strstr(name, "@{") ||
	    (len >= 5 && strcmp(name + len - 5, ".lock") == 0))
		goto bad;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 0x20 || c == 0x7f || strchr(" ~^:?*[\\", c))
			goto bad;
	}
	return 0;
bad:
	ga_error_set(GA_ERRCLASS_INVALID, "invalid ref name '%.*s'",
	             GA_GIT_REF_NAME_MAX, name);
	return GA_EINVALID;
}

static bool is_hex40(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return i == 40;
}

int ga_git__revision(char *out, size_t cap, const ga_git_ref *ref,
                     const char *ref_name, const char *commit_hex)
{
	int len;

	if (!is_hex40(commit_hex)) {
		ga_error_set(GA_ERRCLASS_INVALID, "invalid commit id '%.64s'",
		             commit_hex);
		return GA_EINVALID;
	}
	if (ref->kind == GA_GIT_REF_COMMIT)
		len = snprintf(out, cap, "sha1:%s", commit_hex);
	else
		len = snprintf(out, cap, "%s@sha1:%s", ref_name, commit_hex);
	if (len < 0 || (size_t)len >= cap) {
		ga_error_set(GA_ERRCLASS_INVALID, "revision too long");
		return GA_ELIMIT;
	}
	return 0;
}
