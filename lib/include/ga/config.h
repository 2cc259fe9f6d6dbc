/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The agent's configuration: the YAML of the `agent.yaml` key of its one
 * ConfigMap (or the same file mounted).  Every field is validated before
 * any is used; a bad configuration is refused as a whole with a message
 * naming the origin, line and key, so the caller keeps the last good one.
 *
 *   source:       url, one of branch/tag/semver/commit (branch main),
 *                 interval (1m), timeout (60s), secretRef,
 *                 verify: {mode (range for a branch, head otherwise),
 *                          keysSecretRef, allowedSignersSecretRef}
 *   environment:  kubernetes | istio | linkerd (the path dist/app-<env>)
 *   path:         a path in the repository instead (relative, inside it)
 *   targetNamespace
 *   customize:    the provider's kustomization fields on top of the
 *                 vendor's: patches, images, replicas, commonLabels,
 *                 commonAnnotations
 *   prune:        {enabled (true), maxPercent (50), namespaces, crds,
 *                  volumes (false)}
 *   webhook:      {type: github | gitlab | generic-hmac, secretRef}
 */
#ifndef GA_CONFIG_H
#define GA_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "node.h"

/** The ConfigMap key that holds the configuration. */
#define GA_CONFIG_KEY "agent.yaml"

typedef struct ga_config {
	struct {
		char *url;
		const char
		    *ref_kind; /**< "branch", "tag", "semver", "commit" */
		char *ref;
		uint64_t interval_ms, timeout_ms;
		char *secret_ref;  /**< NULL: none */
		char *verify_mode; /**< always set: default by ref_kind */
		char *keys_secret_ref;
		char *allowed_signers_secret_ref; /**< NULL: none */
	} source;
	char *environment; /**< NULL when path is given */
	char *path;        /**< always set: dist/app-<env> or the given one */
	char *target_namespace; /**< NULL: the objects' own */
	ga_node *customize;     /**< a kustomization fragment, or NULL */
	struct {
		bool enabled, namespaces, crds, volumes;
		unsigned max_percent;
	} prune;
	struct {
		char *type;       /**< NULL: no receiver */
		char *secret_ref; /**< set with type */
	} webhook;
} ga_config;

/**
 * Parse and validate @len bytes of YAML; @origin names them in messages
 * ("configmap gitops-system/gitops-agent"). Returns 0, GA_EINVALID (the
 * message: "ORIGIN:LINE: KEY: why"), GA_ELIMIT or GA_ENOMEM.
 */
GA_EXTERN int ga_config_parse(ga_config **out, const char *text, size_t len,
                              const char *origin);

/** ga_config_parse() of a ConfigMap object's data[GA_CONFIG_KEY]. */
GA_EXTERN int ga_config_from_configmap(ga_config **out, const ga_node *cm,
                                       const char *origin);

GA_EXTERN void ga_config_free(ga_config *c);

#endif
