/* output_file.c - atomic replacement of regular files, in-place writes to
 * everything else, and whole-file reads (see output_file.h). */
#include "output_file.h"
#include "fd_read.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static int fail(char *error, size_t size, const char *what, const char *path)
{
	int saved = errno;
	snprintf(error, size, "%s %s: %s", what, path, strerror(saved));
	errno = saved;
	return -1;
}

static int write_in_place(const char *path, const char *data, size_t len, char *error, size_t size)
{
	/* No O_TRUNC: a device or FIFO has nothing to truncate. */
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return fail(error, size, "cannot open", path);
	if (write_all(fd, data, len) < 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return fail(error, size, "cannot write", path);
	}
	if (close(fd) < 0 && errno != EINTR)
		return fail(error, size, "cannot write", path);
	return 0;
}

static mode_t default_mode(void)
{
	mode_t mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

static int replace_atomically(const char *path, const struct stat *old, const char *data, size_t len,
			      char *error, size_t size)
{
	/* The temporary file lives beside PATH so rename() stays atomic. */
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	char *tmp = malloc(dir_len + strlen(slash ? slash + 1 : path) + 16);
	if (tmp == NULL)
		return fail(error, size, "cannot write", path);
	sprintf(tmp, "%.*s.%s.XXXXXX", (int)dir_len, path, slash ? slash + 1 : path);

	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		int saved = errno;
		char dir[PATH_MAX];
		snprintf(dir, sizeof(dir), "%.*s", dir_len ? (int)dir_len : 1, dir_len ? path : ".");
		free(tmp);
		errno = saved;
		return fail(error, size, "cannot create a temporary file in", dir);
	}
	const char *step = "cannot write";
	if (old != NULL) {
		if (fchmod(fd, old->st_mode & 07777) < 0)
			goto failed;
		/* Keeping the owner needs privilege; without it the file becomes ours. */
		if (fchown(fd, old->st_uid, old->st_gid) < 0 && errno != EPERM)
			goto failed;
	} else if (fchmod(fd, default_mode()) < 0) {
		goto failed;
	}
	if (write_all(fd, data, len) < 0)
		goto failed;
	step = "cannot sync";
	if (fsync(fd) < 0)
		goto failed;
	step = "cannot write";
	if (close(fd) < 0) {
		fd = -1;
		goto failed;
	}
	fd = -1;
	step = "cannot rename the temporary file over";
	if (rename(tmp, path) < 0)
		goto failed;
	free(tmp);
	/* Make the rename itself durable. */
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%.*s", dir_len ? (int)dir_len : 1, dir_len ? path : ".");
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;

failed: {
	int saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	errno = saved;
	return fail(error, size, step, path);
}
}

/* "-", /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N name a descriptor
 * this process already holds: the output goes through it, at its offset, as
 * the shell that opened it intended (reopening the path would start at
 * offset 0, and a pipe has no path to resolve).  -1 for other paths. */
static int inherited_fd(const char *path)
{
	if (strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0)
		return STDOUT_FILENO;
	if (strcmp(path, "/dev/stderr") == 0)
		return STDERR_FILENO;
	const char *digits = NULL;
	if (strncmp(path, "/dev/fd/", 8) == 0)
		digits = path + 8;
	else if (strncmp(path, "/proc/self/fd/", 14) == 0)
		digits = path + 14;
	if (digits == NULL || *digits == '\0')
		return -1;
	char *end;
	long fd = strtol(digits, &end, 10);
	return *end == '\0' && fd >= 0 && fd <= INT_MAX ? (int)fd : -1;
}

int output_file_write(const char *path, const char *data, size_t len, char *error, size_t size)
{
	int fd = inherited_fd(path);
	if (fd >= 0) {
		if (write_all(fd, data, len) < 0)
			return fail(error, size, "cannot write", path);
		return 0;
	}
	struct stat st;
	if (stat(path, &st) != 0) {
		if (errno != ENOENT)
			return fail(error, size, "cannot access", path);
		if (lstat(path, &st) == 0) { /* a link to nothing */
			errno = ENOENT;
			return fail(error, size, "dangling symbolic link", path);
		}
		return replace_atomically(path, NULL, data, len, error, size);
	}
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return fail(error, size, "cannot write", path);
	}
	if (!S_ISREG(st.st_mode))
		return write_in_place(path, data, len, error, size);
	/* A regular file: through a symbolic link, replace the file it points
	 * to and keep the link. */
	char *resolved = NULL;
	struct stat link;
	if (lstat(path, &link) == 0 && S_ISLNK(link.st_mode)) {
		resolved = realpath(path, NULL);
		if (resolved == NULL)
			return fail(error, size, "cannot resolve symbolic link", path);
	}
	int rc = replace_atomically(resolved ? resolved : path, &st, data, len, error, size);
	int saved = errno;
	free(resolved);
	errno = saved;
	return rc;
}

char *read_whole_file(const char *path, size_t *len)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (fd != STDIN_FILENO)
			close(fd);
		errno = EISDIR;
		return NULL;
	}
	char *buf = fd_read_all(fd, NULL, 0, len);
	int saved = errno;
	if (fd != STDIN_FILENO)
		close(fd);
	errno = saved;
	return buf;
}
