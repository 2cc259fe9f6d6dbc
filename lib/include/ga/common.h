/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Definitions shared by every public header of libgitops-agent: symbol
 * export, format-string checking and the library version.  Nothing here
 * allocates or keeps state.
 */
#ifndef GA_COMMON_H
#define GA_COMMON_H

#if defined(GA_BUILDING_LIBRARY)
#define GA_EXTERN __attribute__((visibility("default")))
#else
#define GA_EXTERN
#endif

/* printf-style argument checking for functions that take a format. */
#define GA_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

/** The library version, e.g. "0.1.0"; a static string. */
GA_EXTERN const char *ga_version(void);

#endif
