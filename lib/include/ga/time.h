/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Clocks.  Every timeout, backoff and interval is measured on the monotonic
 * clock; wall-clock time is only for logs and status stamps.  Thread-safe.
 */
#ifndef GA_TIME_H
#define GA_TIME_H

#include <stdint.h>

#include "common.h"

/** Milliseconds on CLOCK_MONOTONIC (arbitrary origin). */
GA_EXTERN uint64_t ga_now_ms(void);

/** Nanoseconds on CLOCK_MONOTONIC (arbitrary origin). */
GA_EXTERN uint64_t ga_now_ns(void);

#endif
