/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Whole-file I/O.  Reads check the size first so that a 100 MB manifest is
 * refused without reading it; writes follow curl's altsvc save: temporary
 * file, fsync, rename.
 */
#include "ga/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ga/error.h"

int ga_file_read(ga_buf *out, const char *path)
{
	char chunk[16384];
	struct stat st;
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		ga_error_set_os(e, "open %s", path);
		return e == ENOENT || e == ENOTDIR ? GA_ENOTFOUND : GA_EIO;
	}
	if (fstat(fd, &st) < 0) {
		ga_error_set_os(errno, "stat %s", path);
		err = GA_EIO;
		goto out;
	}
	if (S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size > out->max - out->size) {
		ga_error_set(GA_ERRCLASS_INVALID,
		             "%s: %lld bytes exceeds the limit of %zu bytes",
		             path, (long long)st.st_size, out->max);
		err = GA_ELIMIT;
		goto out;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ga_error_set_os(errno, "read %s", path);
			err = GA_EIO;
			goto out;
		}
		/* The file may grow after fstat: the cap still holds. */
		if ((err = ga_buf_put(out, chunk, (size_t)n)) < 0) {
			if (err == GA_ELIMIT)
				ga_error_prefix("%s", path);
			goto out;
		}
	}
out:
	close(fd);
	return err;
}

int ga_file_write_atomic(const char *path, const void *data, size_t len)
{
	char tmp[4096];
	const char *p = data;
	int fd, err = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >=
	    (int)sizeof(tmp)) {
		ga_error_set(GA_ERRCLASS_INVALID, "path too long: %s", path);
		return GA_EIO;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		ga_error_set_os(errno, "create %s", tmp);
		return GA_EIO;
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ga_error_set_os(errno, "write %s", tmp);
			err = GA_EIO;
			goto out;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0) {
		ga_error_set_os(errno, "fsync %s", tmp);
		err = GA_EIO;
	}
out:
	if (close(fd) < 0 && !err) {
		ga_error_set_os(errno, "close %s", tmp);
		err = GA_EIO;
	}
	if (!err && rename(tmp, path) < 0) {
		ga_error_set_os(errno, "rename %s to %s", tmp, path);
		err = GA_EIO;
	}
	if (err)
		(void)unlink(tmp);
	return err;
}
