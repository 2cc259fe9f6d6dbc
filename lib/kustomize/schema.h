/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Strict decoding of kustomization files against kustomize's Go types.
 */
#ifndef GA_KUSTOMIZE_SCHEMA_H
#define GA_KUSTOMIZE_SCHEMA_H

#include <stddef.h>

#include "ga/node.h"

enum ga_kust_ftype {
	GA_KF_STRING,  /* string */
	GA_KF_BOOL,    /* bool */
	GA_KF_INT,     /* int / int64 */
	GA_KF_STRINGS, /* []string */
	GA_KF_STRMAP,  /* map[string]string */
	GA_KF_BOOLMAP, /* map[string]bool */
	GA_KF_OBJ,     /* a struct (or pointer to one) */
	GA_KF_OBJS,    /* []struct */
	GA_KF_ANY,     /* decoded elsewhere, or ignored (metadata) */
};

struct ga_kust_schema;

struct ga_kust_field {
	const char *name; /* the JSON name, canonical spelling */
	enum ga_kust_ftype type;
	const struct ga_kust_schema *sub; /* for OBJ and OBJS */
};

struct ga_kust_schema {
	const char *type_name; /* the Go type, for messages */
	const struct ga_kust_field *fields;
	size_t nfields;
};

extern const struct ga_kust_schema ga_kust__kustomization_schema;
/* One entry of `replacements`, as a replacement file holds it. */
extern const struct ga_kust_schema ga_kust__replacement_schema;

/*
 * Decode the map @in against @schema into *@out: a new map with canonical
 * key spellings, values of the declared types (yes/no booleans and
 * integral floats converted), nulls dropped.  @file names the source in
 * messages, which also give the line, column and field path.
 * Returns 0, GA_EINVALID or GA_ENOMEM.
 */
int ga_kust__decode(ga_node **out, const ga_node *in,
                    const struct ga_kust_schema *schema, const char *file);

/* The same, ignoring fields @schema does not know, as Go's encoding/json
 * does where kustomize reads a file with sigs.k8s.io/yaml.Unmarshal. */
int ga_kust__decode_lenient(ga_node **out, const ga_node *in,
                            const struct ga_kust_schema *schema,
                            const char *file);

#endif
