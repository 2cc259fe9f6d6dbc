/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The inventory (lib/apply/inventory*.c): entry IDs in Flux's format,
 * the sorted set and its difference, and the ConfigMap encoding: a round
 * trip through one and through several parts, and a clear error for each
 * kind of corruption.
 */
#include <stdio.h>
#include <string.h>

#include "compress/compress.h"
#include "ga/apply.h"
#include "ga/buf.h"
#include "ga/digest.h"
#include "ga/error.h"
#include "ga/json.h"
#include "ga/yaml.h"
#include "harness.h"
#include "util/base64.h"

static ga_inventory *inv_of(const ga_apply_ref *refs, size_t n)
{
	ga_inventory *inv = NULL;

	CHECK_OK(ga_inventory_new(&inv));
	for (size_t i = 0; inv && i < n; i++)
		CHECK_OK(ga_inventory_add(inv, &refs[i]));
	return inv;
}

static const ga_apply_ref sample[] = {
    {"apps", "v1", "Deployment", "default", "podinfo"},
    {"", "v1", "Service", "default", "podinfo"},
    {"rbac.authorization.k8s.io", "v1", "ClusterRole", "",
     "system:controller:x"},
    {"", "v1", "Namespace", "", "default"},
};

static void test_ids(void)
{
	ga_inventory *inv = inv_of(sample, 4);
	const ga_apply_ref again = {"apps", "v2", "Deployment", "default",
	                            "podinfo"};

	CHECK_EQ_INT(ga_inventory_count(inv), 4);
	CHECK_EQ_STR(ga_inventory_id(inv, 0), "_default__Namespace");
	CHECK_EQ_STR(ga_inventory_id(inv, 1),
	             "_system__controller__x_rbac.authorization.k8s.io_"
	             "ClusterRole");
	CHECK_EQ_STR(ga_inventory_id(inv, 2), "default_podinfo__Service");
	CHECK_EQ_STR(ga_inventory_id(inv, 3),
	             "default_podinfo_apps_Deployment");
	CHECK_EQ_STR(ga_inventory_get(inv, 1)->name, "system:controller:x");
	CHECK(ga_inventory_contains(inv, &sample[1]));
	/* The same object at another version replaces the entry. */
	CHECK_OK(ga_inventory_add(inv, &again));
	CHECK_EQ_INT(ga_inventory_count(inv), 4);
	CHECK_EQ_STR(ga_inventory_get(inv, 3)->version, "v2");
	CHECK(ga_inventory_get(inv, 4) == NULL);
	ga_inventory_free(inv);
}

static void test_add_errors(void)
{
	const ga_apply_ref bad[] = {
	    {"", "v1", "ConfigMap", "default", "a_b"},
	    {"", "v1", "ConfigMap", "default", ""},
	    {"", "", "ConfigMap", "default", "a"},
	    {"", "v 1", "ConfigMap", "default", "a"},
	};
	ga_inventory *inv = inv_of(NULL, 0);

	for (size_t i = 0; i < 4; i++)
		CHECK_ERR(ga_inventory_add(inv, &bad[i]), GA_EINVALID);
	CHECK_EQ_STR(
	    ga_error_last()->message,
	    "inventory entry v 1 ConfigMap default/a: version \"v 1\" is "
	    "empty or holds '_', a space or a control character");
	CHECK_EQ_INT(ga_inventory_count(inv), 0);
	ga_inventory_free(inv);
}

static void test_diff(void)
{
	ga_inventory *old = inv_of(sample, 4), *cur = inv_of(sample + 1, 2);
	ga_inventory *stale = NULL;

	CHECK_OK(ga_inventory_diff(&stale, old, cur));
	CHECK_EQ_INT(ga_inventory_count(stale), 2);
	CHECK_EQ_STR(ga_inventory_id(stale, 0), "_default__Namespace");
	CHECK_EQ_STR(ga_inventory_id(stale, 1),
	             "default_podinfo_apps_Deployment");
	ga_inventory_free(stale);
	ga_inventory_free(old);
	ga_inventory_free(cur);
}

static void test_add_object(void)
{
	const char *y = "apiVersion: apps/v1\nkind: Deployment\nmetadata: "
	                "{name: web, namespace: prod}\n";
	ga_node *docs = NULL;
	ga_inventory *inv = inv_of(NULL, 0);

	CHECK_OK(ga_yaml_parse(&docs, y, strlen(y), "t", NULL));
	CHECK_OK(ga_inventory_add_object(inv, ga_node_list_get(docs, 0)));
	CHECK_EQ_STR(ga_inventory_id(inv, 0), "prod_web_apps_Deployment");
	CHECK_EQ_STR(ga_inventory_get(inv, 0)->version, "v1");
	ga_node_free(docs);
	ga_inventory_free(inv);
}

/*
 * Encode and decode; the result must equal @inv entry for entry.
 * @want_parts 0: more than one ConfigMap.
 */
static void round_trip(ga_inventory *inv, const ga_inventory_opts *o,
                       size_t want_parts)
{
	ga_node *cms = NULL;
	ga_inventory *back = NULL;

	CHECK_OK(ga_inventory_encode(&cms, inv, "inv", "agent", o));
	if (want_parts)
		CHECK_EQ_INT(ga_node_count(cms), want_parts);
	else
		CHECK(ga_node_count(cms) > 1);
	CHECK_OK(ga_inventory_decode(&back, cms));
	CHECK_EQ_INT(ga_inventory_count(back), ga_inventory_count(inv));
	for (size_t i = 0; back && i < ga_inventory_count(inv); i++) {
		CHECK_EQ_STR(ga_inventory_id(back, i), ga_inventory_id(inv, i));
		CHECK_EQ_STR(ga_inventory_get(back, i)->version,
		             ga_inventory_get(inv, i)->version);
		CHECK_EQ_STR(ga_inventory_get(back, i)->name,
		             ga_inventory_get(inv, i)->name);
	}
	ga_inventory_free(back);
	ga_node_free(cms);
}

static ga_inventory *big_inventory(size_t n)
{
	ga_inventory *inv = inv_of(NULL, 0);
	char ns[32], name[64];

	for (size_t i = 0; inv && i < n; i++) {
		ga_apply_ref r = {"apps", "v1", "Deployment", ns, name};

		(void)snprintf(ns, sizeof(ns), "team-%zu", i % 37);
		(void)snprintf(name, sizeof(name), "service-%zu-%zx", i,
		               i * 2654435761u);
		CHECK_OK(ga_inventory_add(inv, &r));
	}
	return inv;
}

static void test_encode_round_trip(void)
{
	ga_inventory *inv = inv_of(sample, 4), *big = big_inventory(5000);
	ga_inventory *empty = inv_of(NULL, 0);
	const ga_inventory_opts small = {64, 3};
	ga_node *cms = NULL;
	ga_buf json = GA_BUF_INIT(1 << 20);

	round_trip(inv, NULL, 1);
	round_trip(empty, NULL, 1);
	round_trip(big, NULL, 1);
	/* 5000 entries take about 14 bytes each, base64 included. */
	CHECK_OK(ga_inventory_encode(&cms, big, "inv", "agent", NULL));
	CHECK_OK(ga_json_emit(&json, cms, GA_JSON_COMPACT));
	CHECK(json.size < 100000);
	printf("# 5000 entries: %zu bytes of ConfigMap JSON\n", json.size);
	/* Tiny chunks force several keys and several ConfigMaps. */
	round_trip(inv, &small, 1);
	round_trip(big, &small, 0);
	ga_buf_dispose(&json);
	ga_node_free(cms);
	ga_inventory_free(inv);
	ga_inventory_free(big);
	ga_inventory_free(empty);
}

/* The sample encoded with tiny chunks: several parts. */
static ga_node *sample_cms(void)
{
	const ga_inventory_opts small = {16, 2};
	ga_inventory *inv = inv_of(sample, 4);
	ga_node *cms = NULL;

	CHECK_OK(ga_inventory_encode(&cms, inv, "inv", "agent", &small));
	ga_inventory_free(inv);
	return cms;
}

static void decode_fails(const ga_node *cms, int code, const char *msg)
{
	ga_inventory *inv = NULL;

	CHECK_ERR(ga_inventory_decode(&inv, cms), code);
	CHECK(inv == NULL);
	CHECK_EQ_STR(ga_error_last()->message, msg);
}

static void set_data(ga_node *cm, const char *key, const char *value)
{
	ga_node *v = NULL;

	CHECK_OK(ga_node_new_string(&v, value, strlen(value)));
	CHECK_OK(ga_node_map_set_take(ga_node_map_get(cm, "data"), key, v));
}

static void test_decode_header_errors(void)
{
	ga_node *cms = sample_cms();
	ga_node *first = ga_node_list_get(cms, 0);
	ga_node *second = ga_node_list_get(cms, 1);
	ga_node *removed;
	char parts[128];

	(void)snprintf(parts, sizeof(parts),
	               "inventory ConfigMap agent/inv: data.parts: says %zu, "
	               "1 ConfigMaps given",
	               ga_node_count(cms));
	decode_fails(first, GA_EINVALID, parts);
	set_data(second, "format", "gitops-agent.inventory/v2");
	decode_fails(cms, GA_EUNSUPPORTED,
	             "inventory ConfigMap agent/inv-1: data.format: "
	             "\"gitops-agent.inventory/v2\" is not supported (this "
	             "agent reads gitops-agent.inventory/v1)");
	set_data(second, "format", "something");
	decode_fails(cms, GA_EINVALID,
	             "inventory ConfigMap agent/inv-1: data.format: "
	             "\"something\" is not an inventory format");
	set_data(second, "format", "gitops-agent.inventory/v1");
	set_data(second, "part", "0");
	decode_fails(cms, GA_EINVALID,
	             "inventory ConfigMap agent/inv-1: data.part: 0 is out of "
	             "range or repeated");
	set_data(second, "part", "01");
	decode_fails(cms, GA_EINVALID,
	             "inventory ConfigMap agent/inv-1: data.part: \"01\" is "
	             "not a count from 0 to 1000");
	set_data(second, "part", "1");
	set_data(second, "entries", "5");
	decode_fails(cms, GA_EINVALID,
	             "inventory ConfigMap agent/inv-1: data: parts, entries or "
	             "sha256 differ from another part's: parts of different "
	             "inventories");
	set_data(second, "entries", "4");
	removed = ga_node_map_remove(ga_node_map_get(first, "binaryData"),
	                             "inventory.001");
	decode_fails(cms, GA_EINVALID,
	             "inventory ConfigMap agent/inv-1: binaryData: chunk "
	             "inventory.001 is missing");
	CHECK_OK(ga_node_map_set_take(ga_node_map_get(first, "binaryData"),
	                              "inventory.1", removed));
	decode_fails(cms, GA_EINVALID,
	             "inventory ConfigMap agent/inv: binaryData: key "
	             "\"inventory.1\" is not inventory.NNN with a string "
	             "value");
	ga_node_free(cms);
}

static void test_decode_payload_errors(void)
{
	ga_node *cms = sample_cms();
	ga_node *first = ga_node_list_get(cms, 0);
	ga_node *bin = ga_node_map_get(first, "binaryData");
	ga_node *v = NULL;
	size_t n = ga_node_count(cms);

	set_data(first, "sha256",
	         "00000000000000000000000000000000"
	         "00000000000000000000000000000000");
	set_data(
	    ga_node_list_get(cms, 1), "sha256",
	    "0000000000000000000000000000000000000000000000000000000000000000");
	for (size_t i = 2; i < n; i++)
		set_data(ga_node_list_get(cms, i), "sha256",
		         "00000000000000000000000000000000"
		         "00000000000000000000000000000000");
	CHECK_ERR(ga_inventory_decode(&(ga_inventory *){NULL}, cms),
	          GA_EVERIFY);
	CHECK(strstr(ga_error_last()->message,
	             "inventory ConfigMap agent/inv: data.sha256: the "
	             "payload's digest is ") != NULL);
	CHECK_OK(ga_node_new_string(&v, "!!!!", 4));
	CHECK_OK(ga_node_map_set_take(bin, "inventory.000", v));
	CHECK_ERR(ga_inventory_decode(&(ga_inventory *){NULL}, cms),
	          GA_EINVALID);
	CHECK(strstr(ga_error_last()->message,
	             "inventory ConfigMap agent/inv: binaryData: "
	             "inventory.000: ") != NULL);
	ga_node_free(cms);
}

/* A single ConfigMap around the payload @text, checksum correct. */
static ga_node *cm_with_payload(const char *text, size_t entries)
{
	ga_buf z = GA_BUF_INIT(1 << 20), b64 = GA_BUF_INIT(1 << 20);
	ga_buf y = GA_BUF_INIT(1 << 20);
	unsigned char d[GA_SHA256_LEN];
	char hex[GA_SHA256_HEX_SIZE];
	ga_node *docs = NULL, *cm = NULL;

	CHECK_OK(ga_compress__deflate(&z, text, strlen(text)));
	CHECK_OK(
	    ga_base64_encode(&b64, (const unsigned char *)z.ptr, z.size, true));
	CHECK_OK(ga_sha256(d, text, strlen(text)));
	ga_hex(hex, d, sizeof(d));
	(void)ga_buf_printf(&y,
	                    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "
	                    "i, namespace: a}\ndata: {format: "
	                    "gitops-agent.inventory/v1, part: '0', parts: '1', "
	                    "entries: '%zu', sha256: %s}\nbinaryData: "
	                    "{inventory.000: %s}\n",
	                    entries, hex, ga_buf_cstr(&b64));
	CHECK_OK(ga_yaml_parse(&docs, y.ptr, y.size, "t", NULL));
	cm = docs ? ga_node_list_remove(docs, 0) : NULL;
	ga_node_free(docs);
	ga_buf_dispose(&z);
	ga_buf_dispose(&b64);
	ga_buf_dispose(&y);
	return cm;
}

static void payload_fails(const char *text, size_t entries, const char *msg)
{
	ga_node *cm = cm_with_payload(text, entries);

	decode_fails(cm, GA_EINVALID, msg);
	ga_node_free(cm);
}

static void test_decode_lines(void)
{
	ga_node *cm =
	    cm_with_payload("_a__Namespace v1\nns_b__ConfigMap v1\n", 2);
	ga_inventory *inv = NULL;

	CHECK_OK(ga_inventory_decode(&inv, cm));
	CHECK_EQ_INT(ga_inventory_count(inv), 2);
	ga_inventory_free(inv);
	ga_node_free(cm);
	/* An RBAC name's "__" is its ':'. */
	cm = cm_with_payload("_x__y_rbac.authorization.k8s.io_Role v1\n", 1);
	CHECK_OK(ga_inventory_decode(&inv, cm));
	CHECK_EQ_STR(ga_inventory_get(inv, 0)->name, "x:y");
	ga_inventory_free(inv);
	ga_node_free(cm);
	payload_fails("ns_b__ConfigMap v1\n_a__Namespace v1\n", 2,
	              "inventory ConfigMap a/i: binaryData: payload line 2: ID "
	              "\"_a__Namespace\" is not in canonical form or not in "
	              "increasing order");
	payload_fails("ns_b__ConfigMap v1", 1,
	              "inventory ConfigMap a/i: payload line 1: not \"<id> "
	              "<version>\" ended by a newline");
	payload_fails("ns_b_ConfigMap v1\n", 1,
	              "inventory ConfigMap a/i: binaryData: payload line 1: "
	              "\"ns_b_ConfigMap\" is not an inventory ID "
	              "<namespace>_<name>_<group>_<kind>");
	payload_fails("ns_a__b__ConfigMap v1\n", 1,
	              "inventory ConfigMap a/i: binaryData: inventory entry v1 "
	              "ConfigMap ns/a__b: name \"a__b\" is empty or holds '_', "
	              "a space or a control character");
	payload_fails("_x:y_rbac.authorization.k8s.io_Role v1\n", 1,
	              "inventory ConfigMap a/i: binaryData: payload line 1: ID "
	              "\"_x:y_rbac.authorization.k8s.io_Role\" is not in "
	              "canonical form or not in increasing order");
	payload_fails("ns_b__ConfigMap v1\n", 2,
	              "inventory ConfigMap a/i: data.entries: says 2, the "
	              "payload holds 1");
}

int main(void)
{
	RUN(test_ids);
	RUN(test_add_errors);
	RUN(test_diff);
	RUN(test_add_object);
	RUN(test_encode_round_trip);
	RUN(test_decode_header_errors);
	RUN(test_decode_payload_errors);
	RUN(test_decode_lines);
	return DONE();
}
