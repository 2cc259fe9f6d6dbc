/* SPDX-License-Identifier: Apache-2.0 */
#include "ga/common.h"

#include "config.h"

const char *ga_version(void)
{
	return GA_VERSION;
}
