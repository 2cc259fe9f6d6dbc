/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The error contract of the library.  Every function that can fail returns
 * 0 on success or one of the negative codes below; the human-readable message
 * is set once, where the failure is found, and kept per thread until the next
 * failure or ga_error_clear().  Thread-safe: each thread has its own last
 * error.
 */
#ifndef GA_ERROR_H
#define GA_ERROR_H

#include "common.h"

/** Error codes.  Positive values are never errors. */
typedef enum ga_error_code {
	GA_OK = 0,
	GA_ERROR = -1,     /**< generic failure */
	GA_ENOMEM = -2,    /**< an allocation failed */
	GA_EINVALID = -3,  /**< bad manifest, configuration or argument */
	GA_ENOTFOUND = -4, /**< the thing asked for does not exist */
	GA_EEXISTS = -5,   /**< the thing to create already exists */
	GA_ELIMIT = -6,    /**< input exceeds a size, depth or count cap */
	GA_EIO = -7,       /**< the operating system refused an operation */
	GA_ECONFLICT = -8, /**< 409 or an optimistic-lock failure */
	GA_ERETRY = -9,    /**< transient: timeout, 429, 5xx; worth retrying */
	GA_EAUTH = -10,    /**< 401/403 or bad credentials */
	GA_EVERIFY = -11,  /**< a signature or integrity check failed */
	GA_EUNSUPPORTED = -12, /**< valid input we deliberately do not handle */
} ga_error_code;

/** Which part of the program set the error; used for log fields. */
typedef enum ga_error_class {
	GA_ERRCLASS_NONE = 0,
	GA_ERRCLASS_NOMEMORY,
	GA_ERRCLASS_OS,
	GA_ERRCLASS_INVALID,
	GA_ERRCLASS_YAML,
	GA_ERRCLASS_JSON,
	GA_ERRCLASS_CONFIG,
	GA_ERRCLASS_GIT,
	GA_ERRCLASS_HTTP,
	GA_ERRCLASS_KUBE,
	GA_ERRCLASS_KUSTOMIZE,
	GA_ERRCLASS_VERIFY,
	GA_ERRCLASS_ROLLOUT,
} ga_error_class;

typedef struct ga_error {
	ga_error_class klass; /**< who set it */
	const char *message;  /**< never NULL; "" when nothing is set */
} ga_error;

/**
 * The calling thread's last error.  The pointer and its message stay valid
 * until the next ga_error_set*() or ga_error_clear() on this thread.
 */
GA_EXTERN const ga_error *ga_error_last(void);

/** Forget the calling thread's last error (whoever swallows one clears it). */
GA_EXTERN void ga_error_clear(void);

/** A short stable name for @code ("EINVALID"), for logs and metrics. */
GA_EXTERN const char *ga_error_name(int code);

/**
 * Set the calling thread's error message.  Messages longer than the internal
 * cap (1 KiB) are truncated with "...".  Never fails.
 */
GA_EXTERN void ga_error_set(ga_error_class klass, const char *fmt, ...)
    GA_PRINTF(2, 3);

/** As ga_error_set(), appending ": " and strerror(@errnum). */
GA_EXTERN void ga_error_set_os(int errnum, const char *fmt, ...)
    GA_PRINTF(2, 3);

/** Record an out-of-memory failure without allocating. */
GA_EXTERN void ga_error_set_oom(void);

/**
 * Prefix the current message with "<prefix>: ", adding context on the way
 * up (e.g. the file name around a parse error).  Keeps the class.
 */
GA_EXTERN void ga_error_prefix(const char *fmt, ...) GA_PRINTF(1, 2);

#endif
