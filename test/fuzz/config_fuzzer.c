/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the agent's configuration: any text is read or refused
 * whole; what is read has its source, ref, verification mode and path.
 */
#include <stdint.h>
#include <stdlib.h>

#include "ga/config.h"
#include "ga/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ga_config *c = NULL;

	if (ga_config_parse(&c, (const char *)data, size, "fuzz") == 0 &&
	    (!c || !c->source.url || !c->source.ref || !c->path ||
	     !c->source.verify_mode || !c->source.keys_secret_ref))
		abort();
	ga_config_free(c);
	ga_error_clear();
	return 0;
}
