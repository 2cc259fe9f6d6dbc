/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The table of the librnp functions lib/pgp calls, filled when librnp is
 * loaded on first use (util/dl.h says why).  Only rnp.c includes this
 * header alone; the rest of lib/pgp includes rnp.h, which routes
 * every call through the table.
 */
#ifndef GA_PGP_RNP_API_H
#define GA_PGP_RNP_API_H

#include <rnp/rnp.h>
#include <rnp/rnp_err.h>

#define GA_RNP_FUNCS(X)                                                        \
	X(rnp_buffer_destroy)                                                  \
	X(rnp_ffi_create)                                                      \
	X(rnp_ffi_destroy)                                                     \
	X(rnp_ffi_set_log_fd)                                                  \
	X(rnp_get_public_key_count)                                            \
	X(rnp_get_secret_key_count)                                            \
	X(rnp_import_keys)                                                     \
	X(rnp_input_destroy)                                                   \
	X(rnp_input_from_memory)                                               \
	X(rnp_key_get_fprint)                                                  \
	X(rnp_key_get_primary_grip)                                            \
	X(rnp_key_get_primary_uid)                                             \
	X(rnp_key_handle_destroy)                                              \
	X(rnp_key_is_revoked)                                                  \
	X(rnp_key_is_primary)                                                  \
	X(rnp_key_valid_till64)                                                \
	X(rnp_locate_key)                                                      \
	X(rnp_op_verify_destroy)                                               \
	X(rnp_op_verify_detached_create)                                       \
	X(rnp_op_verify_execute)                                               \
	X(rnp_op_verify_get_signature_at)                                      \
	X(rnp_op_verify_get_signature_count)                                   \
	X(rnp_op_verify_signature_get_handle)                                  \
	X(rnp_op_verify_signature_get_key)                                     \
	X(rnp_op_verify_signature_get_status)                                  \
	X(rnp_result_to_string)                                                \
	X(rnp_set_timestamp)                                                   \
	X(rnp_signature_get_key_fprint)                                        \
	X(rnp_signature_get_keyid)                                             \
	X(rnp_signature_handle_destroy)

struct ga_rnp_api {
/* A member named after the function: no parentheses possible. */
/* NOLINTNEXTLINE(bugprone-macro-parentheses) */
#define GA_RNP_PTR(f) __typeof__(f) *f;
	GA_RNP_FUNCS(GA_RNP_PTR)
#undef GA_RNP_PTR
};

extern struct ga_rnp_api ga_rnp__api;

/*
 * Load librnp and fill the table, once per process (later calls return
 * the first outcome).  Returns 0 or GA_EUNSUPPORTED (message set).
 */
int ga_rnp__load(void);

#endif
