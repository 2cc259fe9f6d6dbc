/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for what kubesim's simulation reads from clients and
 * files: the first byte picks the parser, the rest is its input.
 *   'f': a fault rule set (PUT /kubesim/faults, --faults FILE), then a
 *        few requests picked against the rules that parsed;
 *   'p': one image profile ("REGEX=PROFILE", --image-profile);
 *   's': a state file (--state), loaded into an empty store;
 *   anything else: faults and profile, one after the other.
 * Nothing may crash, leak or read out of bounds, whatever is sent.
 */
#include <stdint.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/json.h"
#include "kubesim.h"
#include "sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void faults(const char *text, size_t len)
{
	static const char *const paths[] = {"/api/v1/pods", "/apis/apps/v1",
	                                    "/", ""};
	ks_faults *f = NULL;
	ks_fault out;
	ks_status st;
	ga_buf b = GA_BUF_INIT((size_t)1 << 20);
	size_t i;

	if (ks_faults_new(&f) < 0)
		return;
	if (ks_faults_set(f, text, len, &st) == 0) {
		for (i = 0; i < 8; i++)
			ks_faults_pick(f, i % 2 ? "PUT" : "GET", paths[i % 4],
			               &out);
		(void)ks_faults_json(f, &b);
	}
	ga_buf_dispose(&b);
	ks_faults_free(f);
}

static void profile(const char *text)
{
	static const char tmpl[] = "{\"spec\":{\"containers\":[{\"image\":"
	                           "\"registry/app:1\"}]}}";
	ks_profiles *p = NULL;
	ga_node *t = NULL;
	uint64_t slow = 0;

	if (ks_profiles_new(&p) < 0)
		return;
	if (ks_profiles_add(p, text) == 0 &&
	    ga_json_parse(&t, tmpl, strlen(tmpl), "template") == 0)
		(void)ks_profiles_match(p, t, &slow);
	ga_node_free(t);
	ks_profiles_free(p);
}

static void state(const char *text, size_t len)
{
	ks_server ks;

	memset(&ks, 0, sizeof(ks));
	if (ks_store_new(&ks.store) < 0)
		return;
	(void)ks_state_decode(&ks, text, len, "state file fuzz");
	ks_store_free(ks.store);
	/* Drop the CRDs a good file registered. */
	ks_registry_free();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (size < 1)
		return 0;
	if (!(text = ga_strndup((const char *)data + 1, size - 1)))
		return 0;
	if (data[0] == 's')
		state(text, size - 1);
	else if (data[0] != 'p')
		faults(text, size - 1);
	if (data[0] != 'f' && data[0] != 's')
		profile(text);
	ga_free(text);
	return 0;
}
