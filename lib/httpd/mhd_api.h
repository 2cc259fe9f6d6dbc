/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The table of the libmicrohttpd functions lib/httpd calls, filled when
 * the library is loaded on first use (util/dl.h says why).  Only mhd.c
 * includes this header alone; the rest of lib/httpd includes mhd.h,
 * which routes every call through the table.
 */
#ifndef GA_HTTPD_MHD_API_H
#define GA_HTTPD_MHD_API_H

#include <stdarg.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <microhttpd.h>

#define GA_MHD_FUNCS(X)                                                        \
	X(MHD_add_response_header)                                             \
	X(MHD_create_response_from_buffer)                                     \
	X(MHD_create_response_from_callback)                                   \
	X(MHD_destroy_response)                                                \
	X(MHD_get_connection_info)                                             \
	X(MHD_get_connection_values)                                           \
	X(MHD_get_daemon_info)                                                 \
	X(MHD_is_feature_supported)                                            \
	X(MHD_lookup_connection_value)                                         \
	X(MHD_lookup_connection_value_n)                                       \
	X(MHD_queue_response)                                                  \
	X(MHD_start_daemon)                                                    \
	X(MHD_stop_daemon)

struct ga_mhd_api {
/* A member named after the function: no parentheses possible. */
/* NOLINTNEXTLINE(bugprone-macro-parentheses) */
#define GA_MHD_PTR(f) __typeof__(f) *f;
	GA_MHD_FUNCS(GA_MHD_PTR)
#undef GA_MHD_PTR
};

extern struct ga_mhd_api ga_mhd__api;

/*
 * Load libmicrohttpd and fill the table, once per process; later calls
 * repeat the outcome.  Returns 0 or GA_EUNSUPPORTED (message set).
 */
int ga_mhd__load(void);

#endif
