/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmark driver: read a manifest file the way kustomize reads resources,
 * print it as kubectl kustomize would (legacy order is not applied: one
 * file, objects in file order), and write the result to stdout.  Errors go
 * to stderr with exit status 1.  bench/yaml.sh times it against kubectl.
 */
#include <stdio.h>

#include "ga/buf.h"
#include "ga/error.h"
#include "ga/fs.h"
#include "ga/yaml.h"

int main(int argc, char **argv)
{
	ga_buf in = GA_BUF_INIT(GA_YAML_MAX_BYTES);
	ga_buf out = GA_BUF_INIT((size_t)1 << 31);
	ga_yaml_opts opts = GA_YAML_OPTS_INIT;
	ga_node *docs = NULL;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: yaml-print FILE\n");
		return 2;
	}
	opts.flags = GA_YAML_RESOURCES;
	if ((err = ga_file_read(&in, argv[1])) == 0 &&
	    (err = ga_yaml_parse(&docs, in.ptr, in.size, argv[1], &opts)) == 0)
		err = ga_yaml_emit_stream(&out, docs);
	if (err == 0 &&
	    fwrite(ga_buf_cstr(&out), 1, out.size, stdout) != out.size)
		err = -1;
	if (err < 0)
		fprintf(stderr, "yaml-print: %s\n", ga_error_last()->message);
	ga_node_free(docs);
	ga_buf_dispose(&in);
	ga_buf_dispose(&out);
	return err < 0 ? 1 : 0;
}
