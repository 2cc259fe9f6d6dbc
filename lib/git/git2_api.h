/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The table of the libgit2 functions lib/git calls, filled when libgit2 is
 * loaded on first use (util/dl.h says why).  Only git2.c includes this
 * header alone; the rest of lib/git includes git2.h, which routes
 * every call through the table.
 */
#ifndef GA_GIT_GIT2_API_H
#define GA_GIT_GIT2_API_H

#include <git2.h>
#include <git2/sys/stream.h>
#include <git2/sys/transport.h>

#define GA_GIT2_FUNCS(X)                                                       \
	X(git_blob_free)                                                       \
	X(git_blob_lookup)                                                     \
	X(git_blob_rawcontent)                                                 \
	X(git_blob_rawsize)                                                    \
	X(git_commit_free)                                                     \
	X(git_commit_lookup)                                                   \
	X(git_commit_tree)                                                     \
	X(git_credential_userpass_plaintext_new)                               \
	X(git_error_clear)                                                     \
	X(git_error_last)                                                      \
	X(git_error_set)                                                       \
	X(git_error_set_oom)                                                   \
	X(git_error_set_str)                                                   \
	X(git_fetch_options_init)                                              \
	X(git_graph_descendant_of)                                             \
	X(git_graph_reachable_from_any)                                        \
	X(git_libgit2_init)                                                    \
	X(git_libgit2_opts)                                                    \
	X(git_object_free)                                                     \
	X(git_object_id)                                                       \
	X(git_object_lookup)                                                   \
	X(git_object_peel)                                                     \
	X(git_object_type2string)                                              \
	X(git_odb_free)                                                        \
	X(git_odb_object_data)                                                 \
	X(git_odb_object_free)                                                 \
	X(git_odb_object_size)                                                 \
	X(git_odb_object_type)                                                 \
	X(git_odb_read)                                                        \
	X(git_odb_read_header)                                                 \
	X(git_oid_cpy)                                                         \
	X(git_oid_equal)                                                       \
	X(git_oid_fromstr)                                                     \
	X(git_oid_tostr)                                                       \
	X(git_reference_free)                                                  \
	X(git_reference_iterator_free)                                         \
	X(git_reference_iterator_new)                                          \
	X(git_reference_name)                                                  \
	X(git_reference_name_to_id)                                            \
	X(git_reference_next)                                                  \
	X(git_reference_target)                                                \
	X(git_remote_connect_ext)                                              \
	X(git_remote_connect_options_init)                                     \
	X(git_remote_create_options_init)                                      \
	X(git_remote_create_with_opts)                                         \
	X(git_remote_disconnect)                                               \
	X(git_remote_download)                                                 \
	X(git_remote_free)                                                     \
	X(git_remote_ls)                                                       \
	X(git_remote_stats)                                                    \
	X(git_remote_update_tips)                                              \
	X(git_repository_free)                                                 \
	X(git_repository_init_ext)                                             \
	X(git_repository_init_options_init)                                    \
	X(git_repository_odb)                                                  \
	X(git_repository_open_bare)                                            \
	X(git_revwalk_free)                                                    \
	X(git_revwalk_hide)                                                    \
	X(git_revwalk_new)                                                     \
	X(git_revwalk_next)                                                    \
	X(git_revwalk_push)                                                    \
	X(git_revwalk_sorting)                                                 \
	X(git_stream_register)                                                 \
	X(git_transport_register)                                              \
	X(git_transport_smart)                                                 \
	X(git_transport_unregister)                                            \
	X(git_tree_entry_bypath)                                               \
	X(git_tree_entry_filemode)                                             \
	X(git_tree_entry_free)                                                 \
	X(git_tree_entry_id)                                                   \
	X(git_tree_free)

struct ga_git2_api {
/* A member named after the function: no parentheses possible. */
/* NOLINTNEXTLINE(bugprone-macro-parentheses) */
#define GA_GIT2_PTR(f) __typeof__(f) *f;
	GA_GIT2_FUNCS(GA_GIT2_PTR)
#undef GA_GIT2_PTR
};

extern struct ga_git2_api ga_git2__api;

/*
 * Load libgit2 and fill the table; ga_git__init() calls it once per
 * process.  Returns 0 or GA_EUNSUPPORTED (message set).
 */
int ga_git2__load(void);

#endif
