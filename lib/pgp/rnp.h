/* SPDX-License-Identifier: Apache-2.0 */
/*
 * librnp for lib/pgp: its API as declared by its headers, every function
 * called through the table rnp_api.h declares, so that librnp is loaded
 * only when first used (ga_rnp__load()).  A call keeps its name.
 */
#ifndef GA_PGP_RNP_H
#define GA_PGP_RNP_H

#include "rnp_api.h"

#define rnp_buffer_destroy (ga_rnp__api.rnp_buffer_destroy)
#define rnp_ffi_create (ga_rnp__api.rnp_ffi_create)
#define rnp_ffi_destroy (ga_rnp__api.rnp_ffi_destroy)
#define rnp_ffi_set_log_fd (ga_rnp__api.rnp_ffi_set_log_fd)
#define rnp_get_public_key_count (ga_rnp__api.rnp_get_public_key_count)
#define rnp_get_secret_key_count (ga_rnp__api.rnp_get_secret_key_count)
#define rnp_import_keys (ga_rnp__api.rnp_import_keys)
#define rnp_input_destroy (ga_rnp__api.rnp_input_destroy)
#define rnp_input_from_memory (ga_rnp__api.rnp_input_from_memory)
#define rnp_key_get_fprint (ga_rnp__api.rnp_key_get_fprint)
#define rnp_key_get_primary_grip (ga_rnp__api.rnp_key_get_primary_grip)
#define rnp_key_get_primary_uid (ga_rnp__api.rnp_key_get_primary_uid)
#define rnp_key_handle_destroy (ga_rnp__api.rnp_key_handle_destroy)
#define rnp_key_is_revoked (ga_rnp__api.rnp_key_is_revoked)
#define rnp_key_is_primary (ga_rnp__api.rnp_key_is_primary)
#define rnp_key_valid_till64 (ga_rnp__api.rnp_key_valid_till64)
#define rnp_locate_key (ga_rnp__api.rnp_locate_key)
#define rnp_op_verify_destroy (ga_rnp__api.rnp_op_verify_destroy)
#define rnp_op_verify_detached_create                                          \
	(ga_rnp__api.rnp_op_verify_detached_create)
#define rnp_op_verify_execute (ga_rnp__api.rnp_op_verify_execute)
#define rnp_op_verify_get_signature_at                                         \
	(ga_rnp__api.rnp_op_verify_get_signature_at)
#define rnp_op_verify_get_signature_count                                      \
	(ga_rnp__api.rnp_op_verify_get_signature_count)
#define rnp_op_verify_signature_get_handle                                     \
	(ga_rnp__api.rnp_op_verify_signature_get_handle)
#define rnp_op_verify_signature_get_key                                        \
	(ga_rnp__api.rnp_op_verify_signature_get_key)
#define rnp_op_verify_signature_get_status                                     \
	(ga_rnp__api.rnp_op_verify_signature_get_status)
#define rnp_result_to_string (ga_rnp__api.rnp_result_to_string)
#define rnp_set_timestamp (ga_rnp__api.rnp_set_timestamp)
#define rnp_signature_get_key_fprint (ga_rnp__api.rnp_signature_get_key_fprint)
#define rnp_signature_get_keyid (ga_rnp__api.rnp_signature_get_keyid)
#define rnp_signature_handle_destroy (ga_rnp__api.rnp_signature_handle_destroy)

#endif
