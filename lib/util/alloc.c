/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The only place that calls malloc, calloc, realloc and free.  Failure
 * injection counts attempts with an atomic counter so that a test can make
 * "the Nth allocation" fail deterministically (libgit2's failalloc, curl's
 * torture mode).
 */
#include "alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ga/error.h"

#ifdef GA_HAVE_MIMALLOC
#include <mimalloc.h>

/*
 * When the program is linked with mimalloc (the agent is; the test
 * programs are not, and the weak reference is then NULL), back its heap
 * with 2 MiB pages: one page fault instead of hundreds, which on a
 * virtual machine cost more than the work (meson.build).  Not for the
 * long-running `gitops-agent run`: there a fault saved once is worth
 * nothing, and every 2 MiB page the heap ever touched stays resident (an
 * idle agent held 8 MiB of them, half its private memory).  This runs
 * before main() and before the first allocation takes a segment, so the
 * command is read from the arguments glibc passes to constructors.
 */
#pragma weak mi_option_set
__attribute__((constructor)) static void alloc_large_pages(int argc,
                                                           char **argv)
{
	if (!mi_option_set)
		return;
#ifdef __GLIBC__ /* others call constructors without arguments */
	for (int i = 1; i < argc && argv; i++) {
		if (argv[i] && strcmp(argv[i], "run") == 0)
			return;
	}
#else
	(void)argc;
	(void)argv;
#endif
	mi_option_set(mi_option_large_os_pages, 1);
}
#endif

static atomic_ulong alloc_count;
static atomic_ulong fail_at; /* 0: never; else the attempt number */
static atomic_bool fail_sticky;

void ga_alloc__fail_after(unsigned long n, bool sticky)
{
	unsigned long now = atomic_load(&alloc_count);

	atomic_store(&fail_sticky, sticky);
	atomic_store(&fail_at, n ? now + n : 0);
}

unsigned long ga_alloc__count(void)
{
	return atomic_load(&alloc_count);
}

/* Count this attempt; true when it must fail by injection. */
static bool injected_failure(void)
{
	unsigned long n = atomic_fetch_add(&alloc_count, 1) + 1;
	unsigned long at = atomic_load(&fail_at);

	if (!at)
		return false;
	return n == at || (n > at && atomic_load(&fail_sticky));
}

void *ga_malloc(size_t size)
{
	void *p = NULL;

	if (!injected_failure())
		p = malloc(size ? size : 1);
	if (!p)
		ga_error_set_oom();
	return p;
}

void *ga_calloc(size_t n, size_t size)
{
	size_t total;
	void *p = NULL;

	if (!ga_mul_size(&total, n, size)) {
		ga_error_set_oom();
		return NULL;
	}
	if (!injected_failure())
		p = calloc(1, total ? total : 1);
	if (!p)
		ga_error_set_oom();
	return p;
}

void *ga_reallocarray(void *ptr, size_t n, size_t size)
{
	size_t total;
	void *p = NULL;

	if (!ga_mul_size(&total, n, size)) {
		ga_error_set_oom();
		return NULL;
	}
	if (!injected_failure())
		p = realloc(ptr, total ? total : 1);
	if (!p)
		ga_error_set_oom();
	return p;
}

char *ga_strndup(const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX) {
		ga_error_set_oom();
		return NULL;
	}
	p = ga_malloc(len + 1);
	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *ga_strdup(const char *s)
{
	return ga_strndup(s, strlen(s));
}

void ga_free(void *ptr)
{
	free(ptr);
}
