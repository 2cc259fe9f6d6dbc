/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The source process: `gitops-agent run` does its Git work (poll, verify,
 * build from the verified tree) in a short-lived child, the program run
 * again as `gitops-agent source-process`, in the manner of OpenBSD's
 * privilege-separated daemons.  Two reasons:
 *
 *   - memory: libgit2, librnp (Botan, libstdc++) and their heaps are
 *     loaded into the child only, and are gone with it, so the idle
 *     agent holds only what the API client and the HTTP server need;
 *   - containment: the vendor's Git data, signatures and manifests are
 *     parsed in a process that holds no API token and no listener, and
 *     whose crash is one failed pass, not the agent's.
 *
 * The parent reads the Secrets (credentials go to files of the private
 * credentials directory, keys into the request), writes one JSON request
 * on the child's stdin and reads one JSON header line on its stdout,
 * followed by the built YAML stream when there is one.  The child logs
 * to the same stderr in the same format.  SIGTERM to the parent cancels
 * the child's network operation.
 */
#ifndef GA_AGENT_SOURCE_H
#define GA_AGENT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "ga/buf.h"
#include "run.h"

/* The request (keys and the overlay) and the built YAML, capped. */
#define GA_SOURCE_REQUEST_MAX ((size_t)8 << 20)
#define GA_SOURCE_BUILD_MAX ((size_t)256 << 20)

typedef enum ga_source_op {
	/* Poll, verify and build the new revision; when the poll or the
	 * verification fails, build the last applied one instead. */
	GA_SOURCE_PASS,
	/* Poll only: where the selected ref is now. */
	GA_SOURCE_POLL,
} ga_source_op;

typedef struct ga_source_result {
	/* A failure of the poll, the verification or the build. */
	bool failed;
	ga_run_stage stage;
	char reason[64];
	char message[1024];
	bool verdict; /* the verification refused the revision */
	/* Where the poll found the ref, verified or not ("" if it failed). */
	char polled[GA_GIT_REVISION_SIZE];
	/* The verified revision (PASS) or where the ref is (POLL). */
	char revision[GA_GIT_REVISION_SIZE];
	char commit[GA_GIT_OID_HEX_SIZE];
	char signer[400];
	/* The commit built ("" when none was) and its YAML stream. */
	char built[GA_GIT_OID_HEX_SIZE];
	ga_buf yaml;
	uint64_t ms[GA_STAGE_N]; /* fetch, verify and build */
} ga_source_result;

/*
 * Run @op in the source process.  Returns 0 when the child answered
 * (@res says what it found, failures included), or a negative code when
 * the request could not be made or the child gave no valid answer (the
 * message says why: its exit status or signal, a bad header).  Free @res
 * with ga_source_result_dispose() in every case.
 */
int ga_source_run(ga_agent *a, ga_source_op op, ga_source_result *res);

void ga_source_result_dispose(ga_source_result *res);

/*
 * The answer (source_answer.c): write @r's header line (the YAML is
 * written after it), and read one back from @answer, whose buffer then
 * becomes res->yaml.  Read returns 0 or GA_EINVALID (no header line, bad
 * JSON, a YAML length that does not match), GA_ENOMEM.
 */
int ga_source_answer_write(const ga_source_result *r, ga_buf *out);
int ga_source_answer_read(ga_source_result *res, ga_buf *answer);

/* A non-negative integer of the request or the answer. */
bool ga_source__u64(const ga_node *map, const char *key, uint64_t *out);

#endif
