/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libmicrohttpd for lib/httpd: its API as declared by its header, every
 * function called through the table mhd_api.h declares, so that the
 * library is loaded only when a server starts (ga_mhd__load()).  A call
 * keeps its name.
 */
#ifndef GA_HTTPD_MHD_H
#define GA_HTTPD_MHD_H

#include "mhd_api.h"

#define MHD_add_response_header (ga_mhd__api.MHD_add_response_header)
#define MHD_create_response_from_buffer                                        \
	(ga_mhd__api.MHD_create_response_from_buffer)
#define MHD_create_response_from_callback                                      \
	(ga_mhd__api.MHD_create_response_from_callback)
#define MHD_destroy_response (ga_mhd__api.MHD_destroy_response)
#define MHD_get_connection_info (ga_mhd__api.MHD_get_connection_info)
#define MHD_get_connection_values (ga_mhd__api.MHD_get_connection_values)
#define MHD_get_daemon_info (ga_mhd__api.MHD_get_daemon_info)
#define MHD_is_feature_supported (ga_mhd__api.MHD_is_feature_supported)
#define MHD_lookup_connection_value (ga_mhd__api.MHD_lookup_connection_value)
#define MHD_lookup_connection_value_n                                          \
	(ga_mhd__api.MHD_lookup_connection_value_n)
#define MHD_queue_response (ga_mhd__api.MHD_queue_response)
#define MHD_start_daemon (ga_mhd__api.MHD_start_daemon)
#define MHD_stop_daemon (ga_mhd__api.MHD_stop_daemon)

#endif
