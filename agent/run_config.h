/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading, checking and swapping the agent's configuration (run_config.c).
 */
#ifndef GA_AGENT_RUN_CONFIG_H
#define GA_AGENT_RUN_CONFIG_H

#include <stdbool.h>

#include "run.h"

/*
 * Read the configuration; when its text changed, parse it and swap it in
 * if valid (true), or report the rejection and keep the one in force.
 */
bool ga_run_config_poll(ga_agent *a);

/* Read the webhook's secret again and hand it to the receiver. */
void ga_run_webhook_reload(ga_agent *a);

#endif
