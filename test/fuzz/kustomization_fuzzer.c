/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for kustomization files: YAML parsing, the strict decoding
 * against kustomize's types, and the deprecated-field rewrites.  A file
 * that parses must have a normalised document that prints.
 */
#include <stdint.h>
#include <stdlib.h>

#include "ga/buf.h"
#include "ga/error.h"
#include "ga/yaml.h"
#include "kustomize/kustomization.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ga_buf out = GA_BUF_INIT((size_t)8 << 20);
	ga_kust_file *f = NULL;

	if (ga_kust__file_parse(&f, (const char *)data, size,
	                        "kustomization.yaml") == 0) {
		/* The normalised document prints; only a non-finite float
		 * (in free-form metadata) may be refused, as by kubectl. */
		int err = ga_yaml_emit(&out, f->doc);
		if (err != 0 && err != GA_EINVALID)
			abort();
	}
	ga_kust__file_free(f);
	ga_buf_dispose(&out);
	return 0;
}
