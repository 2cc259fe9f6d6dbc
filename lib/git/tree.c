/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The build engine's file tree over a commit's tree (kustomize.h's
 * ga_kust_fs_ops), read straight from the object database: no checkout,
 * so nothing of the vendor's tree ever lands on disk.
 *
 * Symbolic links (mode 120000, the blob holds the target) are followed
 * inside the tree, as realpath(3) follows them on disk.  A link that
 * climbs above the root, or an absolute target (which would name the
 * host's file system), does not resolve to anything in the tree: it gets
 * a canonical path outside "/" ("../…"), which the engine's load
 * restriction refuses and which read() never opens.  At most
 * MAX_LINKS links are followed per lookup (Linux's MAXSYMLINKS).
 */
#include "git_int.h"

#include <string.h>

#include "ga/alloc.h"
#include "ga/error.h"

#define MAX_LINKS 40
#define PATH_CAP 8192
#define LINK_TARGET_MAX 4096

typedef struct tree_ctx {
	git_repository *repo; /* borrowed from the mirror */
	git_tree *root;
} tree_ctx;

typedef struct walk {
	ga_buf canon;   /* "/a/b": resolved so far, all trees */
	ga_buf pending; /* "c/d": still to resolve */
	int links;
} walk;

/* Pop the first component of w->pending into @comp. */
static void next_component(walk *w, ga_buf *comp)
{
	const char *p = ga_buf_cstr(&w->pending);
	size_t len = strcspn(p, "/");
	size_t skip = len + (p[len] == '/');

	ga_buf_clear(comp);
	(void)ga_buf_put(comp, p, len);
	memmove(w->pending.ptr, p + skip, w->pending.size - skip + 1);
	w->pending.size -= skip;
}

static int lookup(git_tree_entry **out, tree_ctx *t, const walk *w,
                  const char *comp)
{
	ga_buf path = GA_BUF_INIT(PATH_CAP);
	int gerr;

	if (w->canon.size > 1)
		(void)ga_buf_printf(&path, "%s/", w->canon.ptr + 1);
	if (ga_buf_puts(&path, comp) < 0) {
		gerr = path.err;
		ga_buf_dispose(&path);
		return gerr;
	}
	gerr = git_tree_entry_bypath(out, t->root, path.ptr);
	ga_buf_dispose(&path);
	git_error_clear();
	return gerr == GIT_ENOTFOUND ? 1 : gerr < 0 ? GA_EIO : 0;
}

/* Replace the pending path by the link's target followed by the rest. */
static int follow(walk *w, tree_ctx *t, const git_tree_entry *e, bool *esc)
{
	git_blob *blob = NULL;
	ga_buf next = GA_BUF_INIT(PATH_CAP);
	const char *target;
	size_t len;
	int err = 0;

	if (++w->links > MAX_LINKS) {
		ga_error_set(GA_ERRCLASS_GIT,
		             "too many levels of symbolic links");
		return GA_EIO;
	}
	if (git_blob_lookup(&blob, t->repo, git_tree_entry_id(e)) < 0) {
		git_error_clear();
		ga_error_set(GA_ERRCLASS_GIT, "unreadable symbolic link");
		return GA_EIO;
	}
	target = git_blob_rawcontent(blob);
	len = (size_t)git_blob_rawsize(blob);
	if (len == 0 || len > LINK_TARGET_MAX || memchr(target, 0, len) ||
	    target[0] == '/') {
		*esc = true; /* names nothing inside the tree */
		goto out;
	}
	(void)ga_buf_put(&next, target, len);
	if (w->pending.size)
		(void)ga_buf_printf(&next, "/%s", w->pending.ptr);
	if ((err = next.err) < 0)
		goto out;
	ga_buf_dispose(&w->pending);
	w->pending = next;
	next = (ga_buf)GA_BUF_INIT(0);
out:
	ga_buf_dispose(&next);
	git_blob_free(blob);
	return err;
}

/* One component: ".." climbs, a link is followed, anything else is
 * appended to canon.  Sets *kind after the last component. */
static int step(walk *w, tree_ctx *t, const char *comp, ga_kust_fs_kind *kind,
                bool *esc)
{
	git_tree_entry *e = NULL;
	int err;

	if (!comp[0] || strcmp(comp, ".") == 0)
		return 0;
	if (strcmp(comp, "..") == 0) {
		char *slash = strrchr(w->canon.ptr, '/');

		if (w->canon.size <= 1)
			*esc = true;
		else
			ga_buf_truncate(&w->canon,
			                slash == w->canon.ptr
			                    ? 1
			                    : (size_t)(slash - w->canon.ptr));
		*kind = GA_KUST_FS_DIR;
		return 0;
	}
	if ((err = lookup(&e, t, w, comp)) != 0) {
		*kind = GA_KUST_FS_MISSING;
		return err > 0 ? 0 : err;
	}
	switch (git_tree_entry_filemode(e)) {
	case GIT_FILEMODE_LINK:
		err = follow(w, t, e, esc);
		break;
	case GIT_FILEMODE_TREE:
		*kind = GA_KUST_FS_DIR;
		break;
	case GIT_FILEMODE_BLOB:
	case GIT_FILEMODE_BLOB_EXECUTABLE:
		*kind = w->pending.size ? GA_KUST_FS_MISSING : GA_KUST_FS_FILE;
		break;
	default: /* a submodule: not part of this repository's tree */
		*kind = GA_KUST_FS_MISSING;
		break;
	}
	if (err == 0 && *kind != GA_KUST_FS_MISSING &&
	    git_tree_entry_filemode(e) != GIT_FILEMODE_LINK) {
		if (w->canon.size > 1)
			(void)ga_buf_putc(&w->canon, '/');
		err = ga_buf_puts(&w->canon, comp);
	}
	git_tree_entry_free(e);
	return err;
}

static int tree_resolve(void *ctx, const char *path, ga_buf *canonical,
                        ga_kust_fs_kind *kind)
{
	walk w = {GA_BUF_INIT(PATH_CAP), GA_BUF_INIT(PATH_CAP), 0};
	ga_buf comp = GA_BUF_INIT(PATH_CAP);
	bool esc = false;
	int err;

	*kind = GA_KUST_FS_DIR;
	if (path[0] != '/') {
		*kind = GA_KUST_FS_MISSING;
		err = ga_buf_puts(canonical, path);
		goto out;
	}
	(void)ga_buf_puts(&w.canon, "/");
	if ((err = ga_buf_puts(&w.pending, path + 1)) < 0)
		goto out;
	while (!esc && w.pending.size && *kind != GA_KUST_FS_MISSING) {
		next_component(&w, &comp);
		if ((err = step(&w, ctx, comp.ptr ? comp.ptr : "", kind,
		                &esc)) < 0)
			goto out;
	}
	if (esc) {
		/* Outside the tree: refused by the load restriction. */
		*kind = GA_KUST_FS_FILE;
		err =
		    ga_buf_printf(canonical, "../%s", ga_buf_cstr(&w.pending));
	} else {
		err = ga_buf_puts(canonical, *kind == GA_KUST_FS_MISSING
		                                 ? path
		                                 : w.canon.ptr);
	}
out:
	ga_buf_dispose(&w.canon);
	ga_buf_dispose(&w.pending);
	ga_buf_dispose(&comp);
	return err;
}

static int tree_read(void *ctx, const char *path, ga_buf *out)
{
	tree_ctx *t = ctx;
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	ga_buf canon = GA_BUF_INIT(PATH_CAP);
	ga_kust_fs_kind kind;
	int err;

	if ((err = tree_resolve(ctx, path, &canon, &kind)) < 0)
		goto out;
	if (kind != GA_KUST_FS_FILE || canon.ptr[0] != '/' ||
	    git_tree_entry_bypath(&e, t->root, canon.ptr + 1) < 0 ||
	    git_blob_lookup(&blob, t->repo, git_tree_entry_id(e)) < 0) {
		git_error_clear();
		ga_error_set(GA_ERRCLASS_GIT, "%s: no such file in the tree",
		             path);
		err = GA_ENOTFOUND;
		goto out;
	}
	if ((size_t)git_blob_rawsize(blob) > out->max - out->size) {
		ga_error_set(GA_ERRCLASS_GIT, "%s: file larger than %zu bytes",
		             path, out->max);
		err = GA_ELIMIT;
		goto out;
	}
	err = ga_buf_put(out, git_blob_rawcontent(blob),
	                 (size_t)git_blob_rawsize(blob));
out:
	git_blob_free(blob);
	git_tree_entry_free(e);
	ga_buf_dispose(&canon);
	return err;
}

static void tree_free(void *ctx)
{
	tree_ctx *t = ctx;

	if (!t)
		return;
	git_tree_free(t->root);
	ga_free(t);
}

int ga_git_tree_fs(ga_kust_fs **out, ga_git_mirror *m, const char *commit_hex)
{
	static const ga_kust_fs_ops ops = {tree_resolve, tree_read, tree_free};
	git_commit *commit = NULL;
	tree_ctx *t = NULL;
	git_oid oid;
	int err, gerr;

	if ((err = ga_git__oid_parse(&oid, commit_hex)) < 0)
		return err;
	if (!(t = ga_calloc(1, sizeof(*t))))
		return GA_ENOMEM;
	t->repo = m->repo;
	if ((gerr = git_commit_lookup(&commit, m->repo, &oid)) < 0 ||
	    (gerr = git_commit_tree(&t->root, commit)) < 0) {
		err = ga_git__fail(NULL, gerr, "read commit");
		if (err == GA_ENOTFOUND)
			ga_error_prefix("commit %s", commit_hex);
		tree_free(t);
		goto out;
	}
	err = ga_kust_fs_new(out, &ops, t);
out:
	git_commit_free(commit);
	return err;
}
