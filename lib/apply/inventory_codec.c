/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The inventory as ConfigMaps (flux.md §8.5: Flux keeps ~50-60 bytes per
 * entry uncompressed in the Kustomization's status, which grows toward
 * etcd's object limit; we store it compressed beside the objects).  The
 * payload is one "<id> <version>\n" line per entry in ID order; sorted,
 * these lines share long prefixes and deflate about tenfold.  The zlib
 * stream is cut into binaryData keys inventory.000, inventory.001, ...
 * of chunk_bytes each, chunks_per_part keys to a ConfigMap, so no
 * ConfigMap comes near the 1 MiB limit however large the inventory.
 * Every part repeats the format version, the part count, the entry count
 * and the payload's SHA-256, so a missing, extra or foreign part is found
 * before anything is trusted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply/apply_int.h"
#include "apply/inventory.h"
#include "compress/compress.h"
#include "ga/alloc.h"
#include "ga/digest.h"
#include "ga/error.h"
#include "util/base64.h"

#define FORMAT "gitops-agent.inventory/v1"
#define MAX_PAYLOAD GA_INVENTORY__MAX_PAYLOAD
#define KEY_PREFIX "inventory."

static int payload_of(ga_buf *out, const ga_inventory *inv)
{
	for (size_t i = 0; i < ga_inventory_count(inv); i++)
		(void)ga_buf_printf(out, "%s %s\n", ga_inventory_id(inv, i),
		                    ga_inventory_get(inv, i)->version);
	return out->err;
}

static int set_count(ga_node *map, const char *key, size_t n)
{
	char text[32];

	(void)snprintf(text, sizeof(text), "%zu", n);
	return ga_apply__set_str(map, key, text);
}

typedef struct codec_head {
	const char *name, *ns, *sha;
	size_t entries, parts;
} codec_head;

/* An empty map under @key of @parent; *@child is borrowed. */
static int add_map(ga_node **child, ga_node *parent, const char *key)
{
	ga_node *m = NULL;
	int err;

	if ((err = ga_node_new_map(&m)) < 0 ||
	    (err = ga_node_map_set_take(parent, key, m)) < 0)
		return err;
	*child = ga_node_map_get(parent, key);
	return 0;
}

int ga_inventory__part_name(ga_buf *out, const char *name, size_t part)
{
	if (part)
		return ga_buf_printf(out, "%s-%zu", name, part);
	return ga_buf_puts(out, name);
}

/* ConfigMap number @part, holding chunks [first, last) of @z. */
static int make_part(ga_node **out, const codec_head *h, size_t part,
                     const ga_buf *z, size_t chunk, size_t first, size_t last)
{
	ga_node *cm = NULL, *meta, *data, *bin;
	ga_buf name = GA_BUF_INIT(512), b64 = GA_BUF_INIT(MAX_PAYLOAD);
	int err;

	if ((err = ga_inventory__part_name(&name, h->name, part)) < 0 ||
	    (err = ga_node_new_map(&cm)) < 0 ||
	    (err = ga_apply__set_str(cm, "apiVersion", "v1")) < 0 ||
	    (err = ga_apply__set_str(cm, "kind", "ConfigMap")) < 0 ||
	    (err = add_map(&meta, cm, "metadata")) < 0 ||
	    (err = ga_apply__set_str(meta, "name", ga_buf_cstr(&name))) < 0 ||
	    (err = ga_apply__set_str(meta, "namespace", h->ns)) < 0 ||
	    (err = add_map(&data, cm, "data")) < 0 ||
	    (err = ga_apply__set_str(data, "format", FORMAT)) < 0 ||
	    (err = set_count(data, "part", part)) < 0 ||
	    (err = set_count(data, "parts", h->parts)) < 0 ||
	    (err = set_count(data, "entries", h->entries)) < 0 ||
	    (err = ga_apply__set_str(data, "sha256", h->sha)) < 0 ||
	    (err = add_map(&bin, cm, "binaryData")) < 0)
		goto out;
	for (size_t c = first; c < last; c++) {
		size_t off = c * chunk, len = z->size - off;
		char key[32];

		ga_buf_clear(&b64);
		(void)snprintf(key, sizeof(key), KEY_PREFIX "%03zu", c);
		if ((err = ga_base64_encode(
		         &b64, (const unsigned char *)z->ptr + off,
		         len < chunk ? len : chunk, true)) < 0 ||
		    (err = ga_apply__set_str(bin, key, ga_buf_cstr(&b64))) < 0)
			goto out;
	}
	*out = cm;
	cm = NULL;
out:
	ga_buf_dispose(&name);
	ga_buf_dispose(&b64);
	ga_node_free(cm);
	return err;
}

/* Split @z into parts and append them to the list @list. */
static int make_parts(ga_node *list, codec_head *h, const ga_buf *z,
                      const ga_inventory_opts *o)
{
	size_t chunks = (z->size + o->chunk_bytes - 1) / o->chunk_bytes;
	int err = 0;

	h->parts = (chunks + o->chunks_per_part - 1) / o->chunks_per_part;
	for (size_t p = 0; p < h->parts && err == 0; p++) {
		size_t first = p * o->chunks_per_part;
		size_t last = first + o->chunks_per_part;
		ga_node *cm = NULL;

		if ((err = make_part(&cm, h, p, z, o->chunk_bytes, first,
		                     last < chunks ? last : chunks)) == 0)
			err = ga_node_list_append_take(list, cm);
	}
	return err;
}

int ga_inventory_encode(ga_node **out, const ga_inventory *inv,
                        const char *name, const char *ns,
                        const ga_inventory_opts *opts)
{
	ga_inventory_opts o = GA_INVENTORY_OPTS_INIT;
	ga_buf text = GA_BUF_INIT(MAX_PAYLOAD), z = GA_BUF_INIT(MAX_PAYLOAD);
	char sha[GA_SHA256_HEX_SIZE];
	codec_head h = {name, ns, sha, ga_inventory_count(inv), 0};
	ga_node *list = NULL;
	int err;

	if (opts)
		o = *opts;
	if (!o.chunk_bytes || !o.chunks_per_part || !name || !*name || !ns) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "inventory encode: chunk "
		             "sizes and the ConfigMap's name must be set");
		return GA_EINVALID;
	}
	if ((err = payload_of(&text, inv)) < 0 ||
	    (err = ga_sha256_hex(sha, text.ptr, text.size)) < 0 ||
	    (err = ga_compress__deflate(&z, text.ptr ? text.ptr : "",
	                                text.size)) < 0 ||
	    (err = ga_node_new_list(&list)) < 0 ||
	    (err = make_parts(list, &h, &z, &o)) < 0)
		goto out;
	*out = list;
	list = NULL;
out:
	if (err == GA_ELIMIT)
		ga_error_set(GA_ERRCLASS_INVALID,
		             "inventory of %zu entries is "
		             "larger than %zu bytes",
		             h.entries, MAX_PAYLOAD);
	ga_node_free(list);
	ga_buf_dispose(&text);
	ga_buf_dispose(&z);
	return err;
}
