/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The inventory of applied objects (flux.md §2.7): a set of identities
 * keyed by Flux's entry ID "<namespace>_<name>_<group>_<kind>" (cli-utils
 * ObjMetadata.String; cluster-scoped objects have an empty namespace, and
 * ':' in RBAC names, as in system:controller, is written "__"), each with
 * the version it was applied at.  No field may hold '_', so the ID splits
 * back unambiguously: the namespace ends at the first '_', the kind
 * starts after the last and the group after the one before it.  Entries
 * are kept sorted by ID, each in one allocation.
 */
#include "apply/inventory.h"

#include <stdlib.h>
#include <string.h>

#include "apply/apply_int.h"
#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/error.h"

#define RBAC "rbac.authorization.k8s.io"

typedef struct inv_entry {
	ga_apply_ref ref;
	const char *id;
	char data[]; /* id, ns, name, group, kind, version; each NUL-ended */
} inv_entry;

struct ga_inventory {
	inv_entry **e;
	size_t n, cap;
};

int ga_inventory_new(ga_inventory **out)
{
	ga_inventory *inv = ga_calloc(1, sizeof(*inv));

	if (!inv)
		return GA_ENOMEM;
	*out = inv;
	return 0;
}

void ga_inventory_free(ga_inventory *inv)
{
	if (!inv)
		return;
	for (size_t i = 0; i < inv->n; i++)
		ga_free(inv->e[i]);
	ga_free(inv->e);
	ga_free(inv);
}

size_t ga_inventory_count(const ga_inventory *inv)
{
	return inv ? inv->n : 0;
}

const ga_apply_ref *ga_inventory_get(const ga_inventory *inv, size_t i)
{
	return inv && i < inv->n ? &inv->e[i]->ref : NULL;
}

const char *ga_inventory_id(const ga_inventory *inv, size_t i)
{
	return inv && i < inv->n ? inv->e[i]->id : NULL;
}

/* A field is stored verbatim; these bytes would break the ID or a line. */
static int check_field(const char *s, const char *field, bool required,
                       const ga_apply_ref *ref)
{
	bool bad = required && !*s;

	for (const char *p = s; *p && !bad; p++)
		bad = *p == '_' || (unsigned char)*p <= ' ' || *p == 0x7f;
	if (!bad)
		return 0;
	ga_error_set(GA_ERRCLASS_INVALID,
	             "inventory entry %s%s%s %s %s%s%s: "
	             "%s \"%s\" is empty or holds '_', a space or a control "
	             "character",
	             ref->group, *ref->group ? "/" : "", ref->version,
	             ref->kind, ref->ns, *ref->ns ? "/" : "", ref->name, field,
	             s);
	return GA_EINVALID;
}

static int check_ref(const ga_apply_ref *r)
{
	int err;

	if ((err = check_field(r->ns, "namespace", false, r)) < 0 ||
	    (err = check_field(r->name, "name", true, r)) < 0 ||
	    (err = check_field(r->group, "group", false, r)) < 0 ||
	    (err = check_field(r->kind, "kind", true, r)) < 0 ||
	    (err = check_field(r->version, "version", true, r)) < 0)
		return err;
	return 0;
}

/* The ID of @r into @out (':' in RBAC names becomes "__"). */
static int make_id(ga_buf *out, const ga_apply_ref *r)
{
	bool rbac = strcmp(r->group, RBAC) == 0;

	(void)ga_buf_puts(out, r->ns);
	(void)ga_buf_putc(out, '_');
	for (const char *p = r->name; *p; p++)
		(void)(rbac && *p == ':' ? ga_buf_puts(out, "__")
		                         : ga_buf_putc(out, *p));
	(void)ga_buf_putc(out, '_');
	(void)ga_buf_puts(out, r->group);
	(void)ga_buf_putc(out, '_');
	return ga_buf_puts(out, r->kind);
}

static inv_entry *entry_new(const char *id, const ga_apply_ref *r)
{
	const char *parts[] = {id,       r->ns,   r->name,
	                       r->group, r->kind, r->version};
	size_t size = sizeof(inv_entry), off[6];
	inv_entry *e;

	for (size_t i = 0; i < 6; i++) {
		off[i] = size - sizeof(inv_entry);
		size += strlen(parts[i]) + 1;
	}
	if (!(e = ga_malloc(size)))
		return NULL;
	for (size_t i = 0; i < 6; i++)
		memcpy(e->data + off[i], parts[i], strlen(parts[i]) + 1);
	e->id = e->data + off[0];
	e->ref.ns = e->data + off[1];
	e->ref.name = e->data + off[2];
	e->ref.group = e->data + off[3];
	e->ref.kind = e->data + off[4];
	e->ref.version = e->data + off[5];
	return e;
}

/* The position of @id, or where it would go (*found false). */
static size_t find(const ga_inventory *inv, const char *id, bool *found)
{
	size_t lo = 0, hi = inv->n;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(inv->e[mid]->id, id);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int insert_at(ga_inventory *inv, size_t at, inv_entry *e)
{
	if (inv->n == inv->cap) {
		size_t cap = inv->cap ? inv->cap * 2 : 16;
		inv_entry **grown =
		    ga_reallocarray(inv->e, cap, sizeof(inv_entry *));

		if (!grown) {
			ga_free(e);
			return GA_ENOMEM;
		}
		inv->e = grown;
		inv->cap = cap;
	}
	memmove(inv->e + at + 1, inv->e + at,
	        (inv->n - at) * sizeof(inv_entry *));
	inv->e[at] = e;
	inv->n++;
	return 0;
}

int ga_inventory_add(ga_inventory *inv, const ga_apply_ref *ref)
{
	ga_buf id = GA_BUF_INIT(4096);
	inv_entry *e = NULL;
	bool found;
	size_t at;
	int err;

	if ((err = check_ref(ref)) < 0 || (err = make_id(&id, ref)) < 0)
		goto out;
	if (!(e = entry_new(ga_buf_cstr(&id), ref))) {
		err = GA_ENOMEM;
		goto out;
	}
	at = find(inv, e->id, &found);
	if (found) {
		/* Same object, newer version: the entry is replaced. */
		ga_free(inv->e[at]);
		inv->e[at] = e;
	} else {
		err = insert_at(inv, at, e);
	}
out:
	ga_buf_dispose(&id);
	return err;
}

int ga_inventory_add_object(ga_inventory *inv, const ga_node *obj)
{
	ga_apply_ref ref;
	char group[254];
	int err;

	if ((err = ga_apply_ref_of(&ref, group, sizeof(group), obj)) < 0)
		return err;
	return ga_inventory_add(inv, &ref);
}

bool ga_inventory_contains(const ga_inventory *inv, const ga_apply_ref *ref)
{
	ga_buf id = GA_BUF_INIT(4096);
	bool found = false;

	if (make_id(&id, ref) == 0)
		(void)find(inv, ga_buf_cstr(&id), &found);
	ga_buf_dispose(&id);
	return found;
}

int ga_inventory_diff(ga_inventory **out, const ga_inventory *old,
                      const ga_inventory *cur)
{
	ga_inventory *stale = NULL;
	int err;

	if ((err = ga_inventory_new(&stale)) < 0)
		return err;
	for (size_t i = 0; i < old->n; i++) {
		bool found;
		inv_entry *copy;

		(void)find(cur, old->e[i]->id, &found);
		if (found)
			continue;
		if (!(copy = entry_new(old->e[i]->id, &old->e[i]->ref)) ||
		    insert_at(stale, stale->n, copy) < 0) {
			ga_inventory_free(stale);
			return GA_ENOMEM;
		}
	}
	*out = stale;
	return 0;
}

/* Split an ID back into its fields; @buf holds the decoded name. */
static int split_id(ga_apply_ref *r, char *buf, const char *id, size_t len,
                    const char *what)
{
	const char *us1 = memchr(id, '_', len), *end = id + len, *k, *g;
	char *w;

	for (k = end; k > id && k[-1] != '_'; k--)
		;
	for (g = k > id ? k - 1 : id; g > id && g[-1] != '_'; g--)
		;
	if (!us1 || g <= us1 + 1 || k == end) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "%s: \"%.*s\" is not an "
		             "inventory ID <namespace>_<name>_<group>_<kind>",
		             what, (int)len, id);
		return GA_EINVALID;
	}
	/* buf: ns\0 name\0 group\0 kind\0, the name's "__" read back. */
	w = buf;
	memcpy(w, id, (size_t)(us1 - id));
	r->ns = buf;
	w += us1 - id;
	*w++ = '\0';
	r->group = NULL;
	r->name = w;
	for (const char *p = us1 + 1; p < g - 1; p++) {
		bool rbac = (size_t)(k - 1 - g) == strlen(RBAC) &&
		            memcmp(g, RBAC, strlen(RBAC)) == 0;

		if (rbac && p[0] == '_' && p + 1 < g - 1 && p[1] == '_') {
			*w++ = ':';
			p++;
		} else {
			*w++ = *p;
		}
	}
	*w++ = '\0';
	r->group = w;
	memcpy(w, g, (size_t)(k - 1 - g));
	w += k - 1 - g;
	*w++ = '\0';
	r->kind = w;
	memcpy(w, k, (size_t)(end - k));
	w[end - k] = '\0';
	return 0;
}

int ga_inventory__append_id(ga_inventory *inv, const char *id, size_t len,
                            const char *version, const char *what)
{
	char *buf = ga_malloc(len + 4);
	ga_apply_ref ref;
	inv_entry *e = NULL;
	ga_buf again = GA_BUF_INIT(4096);
	int err;

	if (!buf)
		return GA_ENOMEM;
	if ((err = split_id(&ref, buf, id, len, what)) < 0)
		goto out;
	ref.version = version;
	if ((err = check_ref(&ref)) < 0 || (err = make_id(&again, &ref)) < 0)
		goto out;
	/* Only one spelling of each ID is accepted ("a:b" vs "a__b"). */
	if (again.size != len || memcmp(again.ptr, id, len) != 0 ||
	    (inv->n && strcmp(inv->e[inv->n - 1]->id, again.ptr) >= 0)) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "%s: ID \"%.*s\" is not in "
		             "canonical form or not in increasing order",
		             what, (int)len, id);
		err = GA_EINVALID;
		goto out;
	}
	if (!(e = entry_new(again.ptr, &ref)))
		err = GA_ENOMEM;
	else
		err = insert_at(inv, inv->n, e);
out:
	ga_buf_dispose(&again);
	ga_free(buf);
	return err;
}
