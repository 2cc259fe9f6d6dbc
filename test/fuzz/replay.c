/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Replays a fuzz target's committed corpus as an ordinary test (libgit2's
 * standalone_driver): every file under the given directories is fed to
 * LLVMFuzzerTestOneInput once.  A crash, a sanitizer report or a leak fails
 * the test; the inputs themselves may be valid or invalid.
 */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ga/alloc.h"
#include "ga/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX_INPUT (16u * 1024 * 1024)

static int replay_file(const char *path)
{
	ga_buf data = GA_BUF_INIT(REPLAY_MAX_INPUT);
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f) {
		printf("# cannot open %s\n", path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (ga_buf_put(&data, chunk, n) < 0)
			break;
	fclose(f);
	if (data.err) {
		printf("# %s: too large to replay\n", path);
		ga_buf_dispose(&data);
		return -1;
	}
	/* Copy into an exact-size allocation so ASan sees overreads. */
	uint8_t *exact = ga_malloc(data.size ? data.size : 1);
	if (!exact) {
		ga_buf_dispose(&data);
		return -1;
	}
	if (data.size)
		memcpy(exact, data.ptr, data.size);
	(void)LLVMFuzzerTestOneInput(exact, data.size);
	ga_free(exact);
	ga_buf_dispose(&data);
	return 0;
}

static int replay_dir(const char *dir, int *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int failed = 0;

	if (!d) {
		printf("# cannot read corpus directory %s\n", dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;

		if (e->d_name[0] == '.' ||
		    snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
		        (int)sizeof(path) ||
		    stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (replay_file(path) < 0)
			failed = 1;
		else
			(*count)++;
	}
	closedir(d);
	return failed ? -1 : 0;
}

int main(int argc, char **argv)
{
	int count = 0, failed = 0;

	for (int i = 1; i < argc; i++)
		if (replay_dir(argv[i], &count) < 0)
			failed = 1;
	if (count == 0) {
		printf("not ok 1 - corpus is empty\n1..1\n");
		return 1;
	}
	printf("%s 1 - replayed %d inputs\n1..1\n", failed ? "not ok" : "ok",
	       count);
	return failed;
}
