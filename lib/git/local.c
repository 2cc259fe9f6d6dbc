/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Selection inside the mirror: its branches and tags as a head list (the
 * same shape as a remote's advertisement, so one selection serves both),
 * peeling to the commit, and the pinned-commit rule that the commit must
 * be reachable from a fetched branch or tag (a SHA alone proves nothing
 * about where it came from).
 */
#include "git_int.h"

#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "select.h"

int ga_git__peel_commit(git_oid *commit, git_repository *repo,
                        const git_oid *oid)
{
	git_object *obj = NULL, *peeled = NULL;
	char hex[GA_GIT_OID_HEX_SIZE];
	int gerr;

	if ((gerr = git_object_lookup(&obj, repo, oid, GIT_OBJECT_ANY)) < 0 ||
	    (gerr = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT)) < 0) {
		git_oid_tostr(hex, sizeof(hex), oid);
		git_error_clear();
		ga_error_set(GA_ERRCLASS_GIT,
		             gerr == GIT_ENOTFOUND
		                 ? "object %s is not in the mirror"
		                 : "object %s does not point to a commit",
		             hex);
		gerr = gerr == GIT_ENOTFOUND ? GA_ENOTFOUND : GA_EINVALID;
		goto out;
	}
	git_oid_cpy(commit, git_object_id(peeled));
out:
	git_object_free(peeled);
	git_object_free(obj);
	return gerr;
}

/* The type of @oid in the mirror, GIT_OBJECT_INVALID when absent. */
static git_object_t object_type(git_repository *repo, const git_oid *oid)
{
	git_odb *odb = NULL;
	git_object_t type = GIT_OBJECT_INVALID;
	size_t len;

	if (git_repository_odb(&odb, repo) < 0 ||
	    git_odb_read_header(&len, &type, odb, oid) < 0)
		type = GIT_OBJECT_INVALID;
	git_odb_free(odb);
	git_error_clear();
	return type;
}

static int add_local(ga_git__head **heads, size_t *n, git_repository *repo,
                     git_reference *ref)
{
	const git_oid *target = git_reference_target(ref);
	const char *name = git_reference_name(ref);
	char hex[GA_GIT_OID_HEX_SIZE];
	git_oid commit;
	int err;

	if (!target || (strncmp(name, "refs/heads/", 11) != 0 &&
	                strncmp(name, "refs/tags/", 10) != 0))
		return 0;
	git_oid_tostr(hex, sizeof(hex), target);
	if ((err = ga_git__heads_add(heads, n, name, hex)) < 0)
		return err;
	/* Annotated tags: record the commit as a remote's "^{}" would. */
	if (strncmp(name, "refs/tags/", 10) == 0 &&
	    ga_git__peel_commit(&commit, repo, target) == 0 &&
	    !git_oid_equal(&commit, target))
		git_oid_tostr((*heads)[*n - 1].peeled, GA_GIT_OID_HEX_SIZE,
		              &commit);
	ga_error_clear();
	return 0;
}

int ga_git__local_heads(ga_git__head **out, size_t *n, git_repository *repo)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	ga_git__head *heads = NULL;
	size_t count = 0;
	int gerr, err = 0;

	if ((gerr = git_reference_iterator_new(&it, repo)) < 0)
		return ga_git__fail(NULL, gerr, "list the mirror's refs");
	while ((gerr = git_reference_next(&ref, it)) == 0) {
		err = add_local(&heads, &count, repo, ref);
		git_reference_free(ref);
		if (err < 0)
			goto out;
	}
	if (gerr != GIT_ITEROVER) {
		err = ga_git__fail(NULL, gerr, "list the mirror's refs");
		goto out;
	}
	git_error_clear();
	*out = heads;
	*n = count;
	heads = NULL;
	count = 0;
out:
	git_reference_iterator_free(it);
	ga_git__heads_free(heads, count);
	return err;
}

/* The result for the selected local head @h. */
int ga_git__fill_result(ga_git_result *out, git_repository *repo,
                        const ga_git_ref *ref, const ga_git__head *h)
{
	const char *shortname = strchr(h->name + 5, '/') + 1;
	git_oid oid, commit;
	int err;

	if ((err = ga_git__oid_parse(&oid, h->oid)) < 0 ||
	    (err = ga_git__peel_commit(&commit, repo, &oid)) < 0)
		return err;
	git_oid_tostr(out->commit, sizeof(out->commit), &commit);
	out->tag_object[0] = '\0';
	if (!git_oid_equal(&oid, &commit) &&
	    object_type(repo, &oid) == GIT_OBJECT_TAG)
		git_oid_tostr(out->tag_object, sizeof(out->tag_object), &oid);
	(void)snprintf(out->ref_name, sizeof(out->ref_name), "%s", shortname);
	return ga_git__revision(out->revision, sizeof(out->revision), ref,
	                        out->ref_name, out->commit);
}

/* The pinned commit @ref->name, if a branch or tag of @heads reaches it. */
int ga_git__fill_pinned(ga_git_result *out, git_repository *repo,
                        const ga_git_ref *ref, const ga_git__head *heads,
                        size_t n)
{
	git_oid want, *tips = NULL;
	size_t ntips = 0;
	int err, gerr;

	if ((err = ga_git__oid_parse(&want, ref->name)) < 0)
		return err;
	if (n && !(tips = ga_calloc(n, sizeof(*tips))))
		return GA_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		git_oid oid;

		if (ga_git__oid_parse(&oid, heads[i].oid) == 0 &&
		    ga_git__peel_commit(&tips[ntips], repo, &oid) == 0)
			ntips++;
	}
	ga_error_clear();
	gerr = ntips && object_type(repo, &want) == GIT_OBJECT_COMMIT
	           ? git_graph_reachable_from_any(repo, &want, tips, ntips)
	           : 0;
	ga_free(tips);
	git_error_clear();
	if (gerr != 1) {
		ga_error_set(GA_ERRCLASS_GIT,
		             "commit %s is not reachable from the remote's "
		             "branches and tags",
		             ref->name);
		return GA_ENOTFOUND;
	}
	memset(out, 0, sizeof(*out));
	(void)snprintf(out->commit, sizeof(out->commit), "%s", ref->name);
	return ga_git__revision(out->revision, sizeof(out->revision), ref, "",
	                        out->commit);
}

int ga_git_resolve_local(ga_git_result *out, ga_git_mirror *m,
                         const ga_git_ref *ref)
{
	ga_git__head *heads = NULL;
	size_t n = 0, i;
	int err;

	if ((err = ga_git__local_heads(&heads, &n, m->repo)) < 0)
		return err;
	memset(out, 0, sizeof(*out));
	if (ref->kind == GA_GIT_REF_COMMIT)
		err = ga_git__fill_pinned(out, m->repo, ref, heads, n);
	else if ((err = ga_git__select(&i, heads, n, ref)) == 0 && heads &&
	         i < n)
		err = ga_git__fill_result(out, m->repo, ref, &heads[i]);
	out->unchanged = err == 0;
	ga_git__heads_free(heads, n);
	return err;
}
