/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libgit2 for lib/git: its API as declared by its headers, every function
 * called through the table git2_api.h declares, so that libgit2 is loaded
 * only when first used (ga_git2__load()).  A call keeps its name.
 */
#ifndef GA_GIT_GIT2_H
#define GA_GIT_GIT2_H

#include "git2_api.h"

#define git_blob_free (ga_git2__api.git_blob_free)
#define git_blob_lookup (ga_git2__api.git_blob_lookup)
#define git_blob_rawcontent (ga_git2__api.git_blob_rawcontent)
#define git_blob_rawsize (ga_git2__api.git_blob_rawsize)
#define git_commit_free (ga_git2__api.git_commit_free)
#define git_commit_lookup (ga_git2__api.git_commit_lookup)
#define git_commit_tree (ga_git2__api.git_commit_tree)
#define git_credential_userpass_plaintext_new                                  \
	(ga_git2__api.git_credential_userpass_plaintext_new)
#define git_error_clear (ga_git2__api.git_error_clear)
#define git_error_last (ga_git2__api.git_error_last)
#define git_error_set (ga_git2__api.git_error_set)
#define git_error_set_oom (ga_git2__api.git_error_set_oom)
#define git_error_set_str (ga_git2__api.git_error_set_str)
#define git_fetch_options_init (ga_git2__api.git_fetch_options_init)
#define git_graph_descendant_of (ga_git2__api.git_graph_descendant_of)
#define git_graph_reachable_from_any (ga_git2__api.git_graph_reachable_from_any)
#define git_libgit2_init (ga_git2__api.git_libgit2_init)
#define git_libgit2_opts (ga_git2__api.git_libgit2_opts)
#define git_object_free (ga_git2__api.git_object_free)
#define git_object_id (ga_git2__api.git_object_id)
#define git_object_lookup (ga_git2__api.git_object_lookup)
#define git_object_peel (ga_git2__api.git_object_peel)
#define git_object_type2string (ga_git2__api.git_object_type2string)
#define git_odb_free (ga_git2__api.git_odb_free)
#define git_odb_object_data (ga_git2__api.git_odb_object_data)
#define git_odb_object_free (ga_git2__api.git_odb_object_free)
#define git_odb_object_size (ga_git2__api.git_odb_object_size)
#define git_odb_object_type (ga_git2__api.git_odb_object_type)
#define git_odb_read (ga_git2__api.git_odb_read)
#define git_odb_read_header (ga_git2__api.git_odb_read_header)
#define git_oid_cpy (ga_git2__api.git_oid_cpy)
#define git_oid_equal (ga_git2__api.git_oid_equal)
#define git_oid_fromstr (ga_git2__api.git_oid_fromstr)
#define git_oid_tostr (ga_git2__api.git_oid_tostr)
#define git_reference_free (ga_git2__api.git_reference_free)
#define git_reference_iterator_free (ga_git2__api.git_reference_iterator_free)
#define git_reference_iterator_new (ga_git2__api.git_reference_iterator_new)
#define git_reference_name (ga_git2__api.git_reference_name)
#define git_reference_name_to_id (ga_git2__api.git_reference_name_to_id)
#define git_reference_next (ga_git2__api.git_reference_next)
#define git_reference_target (ga_git2__api.git_reference_target)
#define git_remote_connect_ext (ga_git2__api.git_remote_connect_ext)
#define git_remote_connect_options_init                                        \
	(ga_git2__api.git_remote_connect_options_init)
#define git_remote_create_options_init                                         \
	(ga_git2__api.git_remote_create_options_init)
#define git_remote_create_with_opts (ga_git2__api.git_remote_create_with_opts)
#define git_remote_disconnect (ga_git2__api.git_remote_disconnect)
#define git_remote_download (ga_git2__api.git_remote_download)
#define git_remote_free (ga_git2__api.git_remote_free)
#define git_remote_ls (ga_git2__api.git_remote_ls)
#define git_remote_stats (ga_git2__api.git_remote_stats)
#define git_remote_update_tips (ga_git2__api.git_remote_update_tips)
#define git_repository_free (ga_git2__api.git_repository_free)
#define git_repository_init_ext (ga_git2__api.git_repository_init_ext)
#define git_repository_init_options_init                                       \
	(ga_git2__api.git_repository_init_options_init)
#define git_repository_odb (ga_git2__api.git_repository_odb)
#define git_repository_open_bare (ga_git2__api.git_repository_open_bare)
#define git_revwalk_free (ga_git2__api.git_revwalk_free)
#define git_revwalk_hide (ga_git2__api.git_revwalk_hide)
#define git_revwalk_new (ga_git2__api.git_revwalk_new)
#define git_revwalk_next (ga_git2__api.git_revwalk_next)
#define git_revwalk_push (ga_git2__api.git_revwalk_push)
#define git_revwalk_sorting (ga_git2__api.git_revwalk_sorting)
#define git_stream_register (ga_git2__api.git_stream_register)
#define git_transport_register (ga_git2__api.git_transport_register)
#define git_transport_smart (ga_git2__api.git_transport_smart)
#define git_transport_unregister (ga_git2__api.git_transport_unregister)
#define git_tree_entry_bypath (ga_git2__api.git_tree_entry_bypath)
#define git_tree_entry_filemode (ga_git2__api.git_tree_entry_filemode)
#define git_tree_entry_free (ga_git2__api.git_tree_entry_free)
#define git_tree_entry_id (ga_git2__api.git_tree_entry_id)
#define git_tree_free (ga_git2__api.git_tree_free)

#endif
