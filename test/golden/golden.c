/* SPDX-License-Identifier: Apache-2.0 */
#include "golden.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ga/alloc.h"

void golden_print_commented(const char *label, const char *text)
{
	printf("#   --- %s\n#   ", label);
	for (; *text; text++) {
		putchar(*text);
		if (*text == '\n' && text[1])
			printf("#   ");
	}
	printf("\n");
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The case directory names under @root, sorted; owned. */
static char **list_cases(const char *root, size_t *count)
{
	DIR *d = opendir(root);
	struct dirent *e;
	char **names = NULL, **grown;
	size_t n = 0, cap = 0;

	if (!d)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			grown = ga_reallocarray(names, cap, sizeof(*names));
			if (!grown)
				break;
			names = grown;
		}
		if (!(names[n] = ga_strdup(e->d_name)))
			break;
		n++;
	}
	closedir(d);
	if (names)
		qsort(names, n, sizeof(*names), by_name);
	*count = n;
	return names;
}

int golden_main(int argc, char **argv, int (*run_case)(const char *dir))
{
	char **names;
	size_t n = 0;
	int failed = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CASES_DIR\n", argv[0]);
		return 2;
	}
	names = list_cases(argv[1], &n);
	if (!names || n == 0) {
		printf("not ok 1 - no cases under %s\n1..1\n", argv[1]);
		ga_free(names);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		char dir[4096];

		snprintf(dir, sizeof(dir), "%s/%s", argv[1], names[i]);
		int ok = run_case(dir);
		failed += !ok;
		printf("%s %zu - %s\n", ok ? "ok" : "not ok", i + 1, names[i]);
		ga_free(names[i]);
	}
	ga_free(names);
	printf("1..%zu\n", n);
	return failed ? 1 : 0;
}
