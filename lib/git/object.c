/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What signature verification needs from the mirror: the raw bytes of a
 * commit or tag object exactly as they were hashed (the signature lives in
 * them: a "gpgsig" header or an armored block after a tag's message), the
 * ancestry test behind fast-forward checks, and the commits of a range
 * (`git rev-list from..to`), every one of which range mode verifies.
 */
#include "git_int.h"

#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"

int ga_git_object_raw(ga_buf *out, ga_git_mirror *m, const char *oid_hex)
{
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	git_object_t type;
	git_oid oid;
	int err, gerr;

	if ((err = ga_git__oid_parse(&oid, oid_hex)) < 0)
		return err;
	if ((gerr = git_repository_odb(&odb, m->repo)) < 0 ||
	    (gerr = git_odb_read(&obj, odb, &oid)) < 0) {
		err = ga_git__fail(NULL, gerr, "read object");
		ga_error_prefix("%s", oid_hex);
		goto out;
	}
	type = git_odb_object_type(obj);
	if (type != GIT_OBJECT_COMMIT && type != GIT_OBJECT_TAG) {
		ga_error_set(GA_ERRCLASS_GIT,
		             "object %s is a %s, not a commit "
		             "or tag",
		             oid_hex, git_object_type2string(type));
		err = GA_EINVALID;
		goto out;
	}
	err =
	    ga_buf_put(out, git_odb_object_data(obj), git_odb_object_size(obj));
out:
	git_odb_object_free(obj);
	git_odb_free(odb);
	return err;
}

/* Parse @hex and make sure the mirror holds that commit. */
static int commit_oid(git_oid *oid, ga_git_mirror *m, const char *hex)
{
	git_commit *c = NULL;
	int err, gerr;

	if ((err = ga_git__oid_parse(oid, hex)) < 0)
		return err;
	if ((gerr = git_commit_lookup(&c, m->repo, oid)) < 0) {
		err = ga_git__fail(NULL, gerr, "look up commit");
		ga_error_prefix("%s", hex);
		return err;
	}
	git_commit_free(c);
	return 0;
}

int ga_git_is_ancestor(bool *out, ga_git_mirror *m, const char *ancestor,
                       const char *descendant)
{
	git_oid a, d;
	int err, r;

	if ((err = commit_oid(&a, m, ancestor)) < 0 ||
	    (err = commit_oid(&d, m, descendant)) < 0)
		return err;
	if (git_oid_equal(&a, &d)) {
		*out = true;
		return 0;
	}
	if ((r = git_graph_descendant_of(m->repo, &d, &a)) < 0)
		return ga_git__fail(NULL, r, "ancestry check");
	*out = r == 1;
	return 0;
}

static int push_id(ga_git_oid_list *list, const git_oid *oid, size_t max)
{
	char(*grown)[GA_GIT_OID_HEX_SIZE];

	if (list->count >= max) {
		ga_error_set(GA_ERRCLASS_GIT,
		             "more than %zu commits in the "
		             "range",
		             max);
		return GA_ELIMIT;
	}
	grown = ga_reallocarray(list->ids, list->count + 1, sizeof(*grown));
	if (!grown)
		return GA_ENOMEM;
	list->ids = grown;
	git_oid_tostr(list->ids[list->count++], GA_GIT_OID_HEX_SIZE, oid);
	return 0;
}

int ga_git_commits_between(ga_git_oid_list *out, ga_git_mirror *m,
                           const char *from, const char *to, size_t max)
{
	ga_git_oid_list list = GA_GIT_OID_LIST_INIT;
	git_revwalk *walk = NULL;
	git_oid f, t, next;
	int err, gerr;

	if ((err = commit_oid(&t, m, to)) < 0 ||
	    (from && (err = commit_oid(&f, m, from)) < 0))
		return err;
	if ((gerr = git_revwalk_new(&walk, m->repo)) < 0 ||
	    (gerr = git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL |
	                                          GIT_SORT_TIME)) < 0 ||
	    (gerr = git_revwalk_push(walk, &t)) < 0 ||
	    (from && (gerr = git_revwalk_hide(walk, &f)) < 0)) {
		err = ga_git__fail(NULL, gerr, "walk commits");
		goto out;
	}
	while ((gerr = git_revwalk_next(&next, walk)) == 0) {
		if ((err = push_id(&list, &next, max)) < 0)
			goto out;
	}
	if (gerr != GIT_ITEROVER) {
		err = ga_git__fail(NULL, gerr, "walk commits");
		goto out;
	}
	git_error_clear();
	*out = list;
	list = (ga_git_oid_list)GA_GIT_OID_LIST_INIT;
out:
	ga_git_oid_list_dispose(&list);
	git_revwalk_free(walk);
	return err;
}

void ga_git_oid_list_dispose(ga_git_oid_list *list)
{
	if (!list)
		return;
	ga_free(list->ids);
	list->ids = NULL;
	list->count = 0;
}
