/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The image and replica-count transformers (kustomize.md §1.7, §1.8,
 * §2.6).  An `images` entry rewrites every container image its name
 * matches, in two passes as kustomize makes them: a walk over every
 * `containers` and `initContainers` list anywhere in any object but CRDs,
 * then the images field specs of the transformer configuration (pods and
 * pod templates by default).  Both apply the
 * same update, so a tagSuffix lands twice on ordinary workloads, exactly
 * as with kubectl.
 */
#include "transform.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "fieldspec.h"
#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/error.h"

struct image_rule {
	regex_t re;
	const char *name; /* set: matched by literal_match(), re unused */
	const char *new_name, *new_tag, *digest, *tag_suffix;
};

/* Characters of a name pattern that match themselves, or '.' any one. */
static bool is_simple(const char *p)
{
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("./_-", *p)))
			return false;
	return true;
}

static bool tag_chars(const char **s)
{
	while (**s &&
	       ((**s >= 'a' && **s <= 'z') || (**s >= 'A' && **s <= 'Z') ||
	        (**s >= '0' && **s <= '9') || strchr("_.{}-", **s)))
		(*s)++;
	return true;
}

/*
 * The rule's regular expression for a name of simple characters, without
 * compiling it: such a name matches a fixed number of characters, so the
 * match is unique and the optional ":tag" and "@sha256:digest" that
 * follow are read straight off.
 */
static bool literal_match(const char *name, const char *s)
{
	for (; *name; name++, s++)
		if (!*s || (*name != '.' && *name != *s))
			return false;
	if (*s == ':' && (s++, tag_chars(&s)) && !*s)
		return true;
	if (strncmp(s, "@sha256:", 8) == 0 && (s += 8, tag_chars(&s)))
		return !*s;
	return !*s;
}

static bool image_matches(const struct image_rule *rule, const char *s)
{
	return rule->name ? literal_match(rule->name, s)
	                  : regexec(&rule->re, s, 0, NULL, 0) == 0;
}

static const char *field(const ga_node *entry, const char *key)
{
	const ga_node *v = ga_node_map_get(entry, key);

	return v && ga_node_str(v) && ga_node_str_len(v) ? ga_node_str(v)
	                                                 : NULL;
}

/* Split @image into name, tag (without ':') and digest (with '@'), as
 * kustomize's image.Split does: the search starts after the first '/',
 * so a registry port is not a tag. */
static void split_image(const char *image, size_t *name_len, const char **tag,
                        size_t *tag_len, const char **digest)
{
	const char *slash = strchr(image, '/');
	const char *from = slash ? slash : image;
	const char *at = strchr(from, '@');
	const char *colon = strchr(from, ':');

	*tag = NULL;
	*tag_len = 0;
	*digest = NULL;
	if (colon && (!at || colon < at)) {
		*name_len = (size_t)(colon - image);
		*tag = colon + 1;
		*tag_len = at ? (size_t)(at - *tag) : strlen(*tag);
		*digest = at;
	} else if (at) {
		*name_len = (size_t)(at - image);
		*digest = at;
	} else {
		*name_len = strlen(image);
	}
}

static int rewrite(const struct image_rule *rule, const char *old, ga_buf *out)
{
	const char *tag, *digest;
	size_t name_len, tag_len;

	split_image(old, &name_len, &tag, &tag_len, &digest);
	if (rule->new_name)
		ga_buf_puts(out, rule->new_name);
	else
		ga_buf_put(out, old, name_len);
	if (rule->new_tag && rule->digest) {
		ga_buf_printf(out, ":%s@%s", rule->new_tag, rule->digest);
	} else if (rule->new_tag) {
		ga_buf_printf(out, ":%s", rule->new_tag);
	} else if (rule->digest) {
		ga_buf_printf(out, "@%s", rule->digest);
	} else if (rule->tag_suffix) {
		ga_buf_putc(out, ':');
		ga_buf_put(out, tag ? tag : "", tag_len);
		ga_buf_puts(out, rule->tag_suffix);
	} else {
		if (tag) {
			ga_buf_putc(out, ':');
			ga_buf_put(out, tag, tag_len);
		}
		if (digest)
			ga_buf_puts(out, digest);
	}
	return out->err;
}

/* Update the image field @key of @map if the rule's name matches. */
static int update_field(const struct image_rule *rule, ga_node *map,
                        const char *key)
{
	ga_node *image = ga_node_map_get(map, key), *v = NULL;
	ga_buf text = GA_BUF_INIT(8192);
	int err;

	if (!image || !ga_node_str(image) ||
	    !image_matches(rule, ga_node_str(image)))
		return 0;
	if ((err = rewrite(rule, ga_node_str(image), &text)) < 0 ||
	    (err = ga_node_new_string(&v, text.ptr, text.size)) < 0) {
		ga_buf_dispose(&text);
		return err;
	}
	/* kustomize writes the image as a new, untyped scalar. */
	ga_node_set_tagless(v, true);
	if ((err = ga_node_map_set_take(map, key, v)) < 0) {
		ga_buf_dispose(&text);
		return err;
	}
	ga_buf_dispose(&text);
	return 0;
}

static int update_container(const struct image_rule *rule, ga_node *c)
{
	return update_field(rule, c, "image");
}

static int update_list(const struct image_rule *rule, ga_node *list)
{
	int err = 0;

	for (size_t i = 0; !err && list && i < ga_node_count(list); i++)
		if (ga_node_type_of(ga_node_list_get(list, i)) == GA_NODE_MAP)
			err = update_container(rule, ga_node_list_get(list, i));
	return err;
}

/* Pass 1: every containers/initContainers list anywhere. */
static int legacy_walk(const struct image_rule *rule, ga_node *n,
                       unsigned depth)
{
	int err = 0;

	if (depth > 256)
		return 0;
	for (size_t i = 0; !err && i < ga_node_count(n); i++) {
		ga_node *v = ga_node_type_of(n) == GA_NODE_MAP
		                 ? ga_node_map_value(n, i)
		                 : ga_node_list_get(n, i);

		if (ga_node_type_of(n) == GA_NODE_MAP &&
		    ga_node_type_of(v) == GA_NODE_LIST) {
			const char *k = ga_node_map_key(n, i, NULL);
			if (strcmp(k, "containers") == 0 ||
			    strcmp(k, "initContainers") == 0) {
				err = update_list(rule, v);
				continue;
			}
		}
		if (!ga_node_is_scalar(v))
			err = legacy_walk(rule, v, depth + 1);
	}
	return err;
}

/* Pass 2: the images field specs (spec/containers[]/image, ...). */
static int at_field(ga_node *map, const char *key, bool create, void *payload)
{
	(void)create;
	return update_field(payload, map, key);
}

static int fieldspec_pass(const struct image_rule *rule, ga_kust_res *r,
                          const ga_kust_fieldspec *specs, size_t n)
{
	int err = 0;

	for (size_t i = 0; !err && i < n; i++) {
		/* The image transformer never creates, whatever the spec. */
		ga_kust_fieldspec fs = specs[i];

		fs.create = false;
		err = ga_kust__fieldspec_fields(r->obj, &fs, at_field,
		                                (void *)rule, r->origin);
	}
	return err;
}

static int compile_rule(struct image_rule *rule, const ga_node *entry,
                        const char *file)
{
	ga_buf pattern = GA_BUF_INIT(4096);
	const char *name = field(entry, "name");
	int rc;

	rule->new_name = field(entry, "newName");
	rule->new_tag = field(entry, "newTag");
	rule->digest = field(entry, "digest");
	rule->tag_suffix = field(entry, "tagSuffix");
	rule->name = NULL;
	if (name && is_simple(name)) {
		rule->name = name;
		return 0;
	}
	/* The name is inserted unescaped: it is a regular expression. */
	ga_buf_printf(&pattern,
	              "^%s(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$",
	              name ? name : "");
	if (pattern.err) {
		ga_buf_dispose(&pattern);
		return pattern.err;
	}
	rc = regcomp(&rule->re, pattern.ptr, REG_EXTENDED | REG_NOSUB);
	ga_buf_dispose(&pattern);
	if (rc != 0) {
		ga_error_set(GA_ERRCLASS_KUSTOMIZE,
		             "%s: images: name \"%s\" is not a valid regular "
		             "expression",
		             file, name ? name : "");
		return GA_EINVALID;
	}
	return 0;
}

int ga_kust__transform_images(ga_kust_resmap *ra, const ga_node *doc,
                              const char *file, const ga_kust_tconfig *cfg)
{
	const ga_node *images = ga_node_map_get(doc, "images");
	size_t n;
	const ga_kust_fieldspec *specs =
	    ga_kust__tconfig_specs(cfg, GA_KUST_TC_IMAGES, &n);
	int err = 0;

	for (size_t i = 0; !err && images && i < ga_node_count(images); i++) {
		struct image_rule rule;

		if ((err = compile_rule(&rule, ga_node_list_get(images, i),
		                        file)) < 0)
			break;
		for (size_t r = 0; !err && r < ra->n; r++) {
			ga_kust_id id;

			ga_kust__id_of(&id, ra->v[r]->obj);
			if (strcmp(id.kind, "CustomResourceDefinition") == 0)
				continue;
			if (!(err = legacy_walk(&rule, ra->v[r]->obj, 0)))
				err = fieldspec_pass(&rule, ra->v[r], specs, n);
		}
		if (!rule.name)
			regfree(&rule.re);
	}
	return err;
}
