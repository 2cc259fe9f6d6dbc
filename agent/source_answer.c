/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The source process's answer (source.h): one JSON header line, then
 * yamlBytes bytes of YAML.  The child writes it, the parent reads it
 * back; pure, so that a unit test and a fuzz target link it alone.
 */
#include <stdio.h>
#include <string.h>

#include "ga/error.h"
#include "ga/json.h"
#include "source.h"

bool ga_source__u64(const ga_node *map, const char *key, uint64_t *out)
{
	const ga_node *n = ga_node_map_get(map, key);

	if (!n || ga_node_type_of(n) != GA_NODE_INT ||
	    (!ga_node_is_uint(n) && ga_node_int(n) < 0))
		return false;
	*out = ga_node_uint(n);
	return true;
}

static void copy_str(char *dst, size_t cap, const ga_node *h, const char *key)
{
	const ga_node *n = ga_node_map_get(h, key);

	(void)snprintf(
	    dst, cap, "%s",
	    n && ga_node_type_of(n) == GA_NODE_STRING ? ga_node_str(n) : "");
}

static bool flag(const ga_node *h, const char *key)
{
	const ga_node *n = ga_node_map_get(h, key);

	return n && ga_node_type_of(n) == GA_NODE_BOOL && ga_node_bool(n);
}

/* The header line and the YAML after it; @out becomes res->yaml. */
int ga_source_answer_read(ga_source_result *res, ga_buf *out)
{
	const char *nl = out->ptr ? memchr(out->ptr, '\n', out->size) : NULL;
	const ga_node *ms;
	uint64_t bytes;
	char stage[16];
	ga_node *h = NULL;
	size_t ylen;
	int err;

	if (!nl) {
		ga_error_set(GA_ERRCLASS_INVALID, "source process: no answer");
		return GA_EINVALID;
	}
	if ((err = ga_json_parse(&h, out->ptr, (size_t)(nl - out->ptr),
	                         "source process answer")) < 0)
		return err;
	ylen = out->size - (size_t)(nl + 1 - out->ptr);
	ms = ga_node_map_get(h, "ms");
	if (!ga_source__u64(h, "yamlBytes", &bytes) || bytes != ylen || !ms ||
	    ga_node_type_of(ms) != GA_NODE_MAP) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "source process: the answer is cut short or "
		             "malformed");
		err = GA_EINVALID;
		goto out;
	}
	res->failed = flag(h, "failed");
	res->verdict = flag(h, "verdict");
	copy_str(stage, sizeof(stage), h, "stage");
	for (int s = 0; s < GA_STAGE_N; s++) {
		if (strcmp(stage, ga_run_stage_name((ga_run_stage)s)) == 0)
			res->stage = (ga_run_stage)s;
	}
	copy_str(res->reason, sizeof(res->reason), h, "reason");
	copy_str(res->message, sizeof(res->message), h, "message");
	copy_str(res->polled, sizeof(res->polled), h, "polled");
	copy_str(res->revision, sizeof(res->revision), h, "revision");
	copy_str(res->commit, sizeof(res->commit), h, "commit");
	copy_str(res->signer, sizeof(res->signer), h, "signer");
	copy_str(res->built, sizeof(res->built), h, "built");
	for (int s = GA_STAGE_FETCH; s <= GA_STAGE_BUILD; s++)
		(void)ga_source__u64(ms, ga_run_stage_name((ga_run_stage)s),
		                     &res->ms[s]);
	memmove(out->ptr, nl + 1, ylen);
	ga_buf_truncate(out, ylen);
	res->yaml = *out;
	*out = (ga_buf)GA_BUF_INIT(0);
out:
	ga_node_free(h);
	return err;
}

/* The header line: what was found, then yamlBytes of YAML follow. */
int ga_source_answer_write(const ga_source_result *r, ga_buf *out)
{
	static const char *const keys[] = {"polled", "revision", "commit",
	                                   "signer", "built",    "reason",
	                                   "message"};
	const char *vals[] = {r->polled, r->revision, r->commit, r->signer,
	                      r->built,  r->reason,   r->message};

	(void)ga_buf_printf(
	    out, "{\"failed\":%s,\"verdict\":%s,\"stage\":\"%s\"",
	    r->failed ? "true" : "false", r->verdict ? "true" : "false",
	    ga_run_stage_name(r->stage));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		(void)ga_buf_printf(out, ",\"%s\":", keys[i]);
		(void)ga_json_quote(out, vals[i]);
	}
	(void)ga_buf_printf(out,
	                    ",\"ms\":{\"fetch\":%llu,\"verify\":%llu,"
	                    "\"build\":%llu},\"yamlBytes\":%zu}\n",
	                    (unsigned long long)r->ms[GA_STAGE_FETCH],
	                    (unsigned long long)r->ms[GA_STAGE_VERIFY],
	                    (unsigned long long)r->ms[GA_STAGE_BUILD],
	                    r->yaml.size);
	return out->err;
}

void ga_source_result_dispose(ga_source_result *res)
{
	ga_buf_dispose(&res->yaml);
}
