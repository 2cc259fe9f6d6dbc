/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ga_git_fetch(): list, compare, fetch only on change (flux.md §1.5 and
 * §8.1).  The comparison is against the mirror's own copy of the selected
 * ref, so "unchanged" means literally that nothing had to be transferred;
 * whether the revision is new to the caller is the caller's question.
 */
#include "git_int.h"

#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"
#include "select.h"

static int list_remote(ga_git__head **heads, size_t *n, git_remote *remote,
                       ga_git_mirror *m)
{
	const git_remote_head **refs;
	size_t nrefs;
	int gerr, err;

	if ((gerr = git_remote_ls(&refs, &nrefs, remote)) < 0)
		return ga_git__fail(m, gerr, "list the refs of");
	for (size_t i = 0; i < nrefs; i++) {
		const char *name = refs[i]->name;
		char hex[GA_GIT_OID_HEX_SIZE];

		if (strncmp(name, "refs/heads/", 11) != 0 &&
		    strncmp(name, "refs/tags/", 10) != 0)
			continue;
		git_oid_tostr(hex, sizeof(hex), &refs[i]->oid);
		if ((err = ga_git__heads_add(heads, n, name, hex)) < 0)
			return err;
	}
	return 0;
}

/* Whether the mirror's ref of the same name already names @h's object. */
static bool local_equals(git_repository *repo, const ga_git__head *h)
{
	git_oid local, remote;
	bool same;

	same = git_reference_name_to_id(&local, repo, h->name) == 0 &&
	       git_oid_fromstr(&remote, h->oid) == 0 &&
	       git_oid_equal(&local, &remote);
	git_error_clear();
	return same;
}

static int download(ga_git_result *out, ga_git_mirror *m, git_remote *remote,
                    char **specs, size_t nspecs)
{
	git_fetch_options fo;
	git_remote_connect_options co;
	git_strarray refspecs = {specs, nspecs};
	const git_indexer_progress *stats;
	int gerr;

	(void)git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	(void)git_remote_connect_options_init(
	    &co, GIT_REMOTE_CONNECT_OPTIONS_VERSION);
	ga_git__connect_opts(&co, m);
	fo.callbacks = co.callbacks;
	fo.follow_redirects = co.follow_redirects;
	fo.custom_headers = co.custom_headers;
	fo.prune = GIT_FETCH_NO_PRUNE;
	fo.update_fetchhead = 0;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	if ((gerr = git_remote_download(remote, &refspecs, &fo)) < 0)
		return ga_git__fail(m, gerr, "fetch from");
	if ((gerr = git_remote_update_tips(remote, &fo.callbacks, 0,
	                                   GIT_REMOTE_DOWNLOAD_TAGS_NONE,
	                                   NULL)) < 0)
		return ga_git__fail(m, gerr, "update the mirror of");
	stats = git_remote_stats(remote);
	out->received_objects = stats->received_objects;
	out->received_bytes = stats->received_bytes;
	return 0;
}

/* Decide what to fetch; *@specs stays empty when nothing is needed. */
static int plan(size_t *sel, char **specs, size_t *nspecs, ga_git_mirror *m,
                const ga_git_ref *ref, const ga_git__head *heads, size_t n)
{
	static char all_heads[] = "+refs/heads/*:refs/heads/*";
	static char all_tags[] = "+refs/tags/*:refs/tags/*";
	ga_buf spec = GA_BUF_INIT(2 * GA_GIT_REF_NAME_MAX + 32);
	int err;

	*nspecs = 0;
	if (ref->kind == GA_GIT_REF_COMMIT) {
		for (size_t i = 0; i < n; i++) {
			if (!local_equals(m->repo, &heads[i])) {
				specs[0] = all_heads;
				specs[1] = all_tags;
				*nspecs = 2;
				break;
			}
		}
		return 0;
	}
	if ((err = ga_git__select(sel, heads, n, ref)) < 0)
		return err;
	if (!heads || *sel >= n) /* cannot happen: select found it */
		return GA_ENOTFOUND;
	if (local_equals(m->repo, &heads[*sel]))
		return 0;
	if ((err = ga_buf_printf(&spec, "+%s:%s", heads[*sel].name,
	                         heads[*sel].name)) < 0)
		return err;
	specs[0] = ga_buf_detach(&spec);
	*nspecs = specs[0] ? 1 : 0;
	return specs[0] ? 0 : GA_ENOMEM;
}

static int check_ref(const ga_git_ref *ref)
{
	git_oid oid;

	if (!ref || !ref->name) {
		ga_error_set(GA_ERRCLASS_INVALID, "no ref selected");
		return GA_EINVALID;
	}
	switch (ref->kind) {
	case GA_GIT_REF_BRANCH:
	case GA_GIT_REF_TAG:
		return ga_git__ref_name_check(ref->name);
	case GA_GIT_REF_SEMVER:
		return 0; /* the range parser reports its own errors */
	case GA_GIT_REF_COMMIT:
		return ga_git__oid_parse(&oid, ref->name);
	}
	ga_error_set(GA_ERRCLASS_INVALID, "unknown ref kind %d", ref->kind);
	return GA_EINVALID;
}

static int poll_remote(ga_git_result *out, ga_git_mirror *m, git_remote *remote,
                       const ga_git_ref *ref)
{
	ga_git__head *heads = NULL;
	char *specs[2] = {NULL, NULL};
	size_t n = 0, nspecs = 0, sel = 0;
	int err;

	if ((err = list_remote(&heads, &n, remote, m)) < 0 ||
	    (err = plan(&sel, specs, &nspecs, m, ref, heads, n)) < 0)
		goto out;
	out->unchanged = nspecs == 0;
	if (nspecs && (err = download(out, m, remote, specs, nspecs)) < 0)
		goto out;
	if (ref->kind == GA_GIT_REF_COMMIT)
		err = ga_git__fill_pinned(out, m->repo, ref, heads, n);
	else
		err = ga_git__fill_result(out, m->repo, ref, &heads[sel]);
out:
	if (ref->kind != GA_GIT_REF_COMMIT)
		ga_free(specs[0]);
	ga_git__heads_free(heads, n);
	return err;
}

/*
 * An anonymous remote: nothing about it is written to the mirror's
 * config.  insteadOf rewriting is skipped, so that no configuration can
 * redirect the URL (and because libgit2 1.5 leaks its regex match data
 * for every config entry that lookup visits).
 */
static int create_remote(git_remote **out, ga_git_mirror *m)
{
	git_remote_create_options ro;

	(void)git_remote_create_options_init(&ro,
	                                     GIT_REMOTE_CREATE_OPTIONS_VERSION);
	ro.repository = m->repo;
	ro.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF |
	           GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	return git_remote_create_with_opts(out, m->opts.url, &ro);
}

int ga_git_fetch(ga_git_result *out, ga_git_mirror *m, const ga_git_ref *ref)
{
	git_remote_connect_options co;
	git_remote *remote = NULL;
	int err, gerr;

	if ((err = check_ref(ref)) < 0)
		return err;
	(void)git_remote_connect_options_init(
	    &co, GIT_REMOTE_CONNECT_OPTIONS_VERSION);
	memset(out, 0, sizeof(*out));
	if ((err = ga_git__net_begin(m)) < 0)
		return err;
	if ((gerr = create_remote(&remote, m)) < 0) {
		err = ga_git__fail(m, gerr, "open the remote");
		goto out;
	}
	ga_git__connect_opts(&co, m);
	if ((gerr = git_remote_connect_ext(remote, GIT_DIRECTION_FETCH, &co)) <
	    0) {
		err = ga_git__fail(m, gerr, "connect to");
		goto out;
	}
	err = poll_remote(out, m, remote, ref);
	(void)git_remote_disconnect(remote);
out:
	git_remote_free(remote);
	ga_git__net_end(m);
	if (err < 0)
		memset(out, 0, sizeof(*out));
	return err;
}
