/* SPDX-License-Identifier: Apache-2.0 */
#include "ga/fs.h"

#include <stdlib.h>
#include <unistd.h>

#include "harness.h"

static char dir[] = "/tmp/ga-test-fs-XXXXXX";

static void path_in(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s", dir, name);
}

static void test_write_read(void)
{
	ga_buf b = GA_BUF_INIT(1024);
	char path[256];

	path_in(path, sizeof(path), "a.txt");
	CHECK_OK(ga_file_write_atomic(path, "hello\n", 6));
	CHECK_OK(ga_file_read(&b, path));
	CHECK_EQ_STR(ga_buf_cstr(&b), "hello\n");
	/* Replacing keeps the file whole. */
	CHECK_OK(ga_file_write_atomic(path, "bye", 3));
	ga_buf_clear(&b);
	CHECK_OK(ga_file_read(&b, path));
	CHECK_EQ_STR(ga_buf_cstr(&b), "bye");
	ga_buf_dispose(&b);
	CHECK(unlink(path) == 0);
}

static void test_too_large(void)
{
	ga_buf b = GA_BUF_INIT(4);
	char path[256];

	path_in(path, sizeof(path), "big.txt");
	CHECK_OK(ga_file_write_atomic(path, "0123456789", 10));
	CHECK_ERR(ga_file_read(&b, path), GA_ELIMIT);
	CHECK(strstr(ga_error_last()->message, "10 bytes exceeds the limit "
	                                       "of 4 bytes") != NULL);
	CHECK_EQ_INT(b.size, 0);
	ga_buf_dispose(&b);
	CHECK(unlink(path) == 0);
}

static void test_missing(void)
{
	ga_buf b = GA_BUF_INIT(64);
	char path[256];

	path_in(path, sizeof(path), "nope");
	CHECK_ERR(ga_file_read(&b, path), GA_ENOTFOUND);
	CHECK(strstr(ga_error_last()->message, "No such file") != NULL);
	path_in(path, sizeof(path), "no/dir/x");
	CHECK_ERR(ga_file_write_atomic(path, "x", 1), GA_EIO);
	ga_buf_dispose(&b);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp failed\n");
		return 1;
	}
	RUN(test_write_read);
	RUN(test_too_large);
	RUN(test_missing);
	(void)rmdir(dir);
	return DONE();
}
