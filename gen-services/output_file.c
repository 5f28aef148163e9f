/* output_file.c - atomic replacement of regular files (in one call, or in
 * steps through struct pending_file), in-place writes to everything else,
 * and whole-file reads (see output_file.h). */
#include "output_file.h"
#include "fd_read.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
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

/* The directory part of PATH ("." when none), for messages and fsync. */
static void directory_of(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	snprintf(dir, size, "%.*s", dir_len ? (int)dir_len : 1, dir_len ? path : ".");
}

/* Create the temporary file for P->path, whose current state OLD (NULL:
 * it does not exist) gives the mode and owner. */
static int create_temporary(struct pending_file *p, const struct stat *old, mode_t new_mode,
			    char *error, size_t size)
{
	/* The temporary file lives beside the destination so rename() stays
	 * atomic. */
	const char *path = p->path;
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	p->tmp = malloc(dir_len + strlen(slash ? slash + 1 : path) + 16);
	if (p->tmp == NULL)
		return fail(error, size, "cannot write", path);
	sprintf(p->tmp, "%.*s.%s.XXXXXX", (int)dir_len, path, slash ? slash + 1 : path);

	p->fd = mkostemp(p->tmp, O_CLOEXEC);
	if (p->fd < 0) {
		int saved = errno;
		char dir[PATH_MAX];
		directory_of(path, dir, sizeof(dir));
		free(p->tmp);
		p->tmp = NULL;
		errno = saved;
		return fail(error, size, "cannot create a temporary file in", dir);
	}
	if (old != NULL) {
		if (fchmod(p->fd, old->st_mode & 07777) < 0)
			return fail(error, size, "cannot write", path);
		/* Keeping the owner needs privilege; without it the file becomes ours. */
		if (fchown(p->fd, old->st_uid, old->st_gid) < 0 && errno != EPERM)
			return fail(error, size, "cannot write", path);
	} else if (fchmod(p->fd, new_mode ? new_mode : default_mode()) < 0) {
		return fail(error, size, "cannot write", path);
	}
	return 0;
}

int pending_file_begin(struct pending_file *p, const char *path, mode_t new_mode, char *error, size_t size)
{
	*p = (struct pending_file)PENDING_FILE_INIT;
	struct stat st;
	bool exists = stat(path, &st) == 0;
	if (!exists) {
		if (errno != ENOENT)
			return fail(error, size, "cannot access", path);
		if (lstat(path, &st) == 0) { /* a link to nothing */
			errno = ENOENT;
			return fail(error, size, "dangling symbolic link", path);
		}
	} else if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return fail(error, size, "cannot write", path);
	} else if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return fail(error, size, "cannot replace (not a regular file)", path);
	}
	/* Through a symbolic link, replace the file it points to and keep the
	 * link. */
	struct stat link;
	if (exists && lstat(path, &link) == 0 && S_ISLNK(link.st_mode)) {
		p->path = realpath(path, NULL);
		if (p->path == NULL)
			return fail(error, size, "cannot resolve symbolic link", path);
	} else {
		p->path = strdup(path);
		if (p->path == NULL)
			return fail(error, size, "cannot write", path);
	}
	if (create_temporary(p, exists ? &st : NULL, new_mode, error, size) < 0) {
		int saved = errno;
		pending_file_discard(p);
		errno = saved;
		return -1;
	}
	return 0;
}

int pending_file_write(struct pending_file *p, const char *data, size_t len, char *error, size_t size)
{
	if (write_all(p->fd, data, len) < 0)
		return fail(error, size, "cannot write", p->path);
	return 0;
}

int pending_file_sync(struct pending_file *p, char *error, size_t size)
{
	if (p->fd < 0)
		return 0;
	if (fsync(p->fd) < 0)
		return fail(error, size, "cannot sync", p->path);
	int rc = close(p->fd);
	p->fd = -1;
	if (rc < 0 && errno != EINTR)
		return fail(error, size, "cannot write", p->path);
	return 0;
}

int pending_file_commit(struct pending_file *p, char *error, size_t size)
{
	if (pending_file_sync(p, error, size) < 0)
		return -1;
	if (rename(p->tmp, p->path) < 0)
		return fail(error, size, "cannot rename the temporary file over", p->path);
	free(p->tmp);
	p->tmp = NULL;
	/* Make the rename itself durable. */
	char dir[PATH_MAX];
	directory_of(p->path, dir, sizeof(dir));
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

void pending_file_discard(struct pending_file *p)
{
	int saved = errno;
	if (p->fd >= 0)
		close(p->fd);
	if (p->tmp != NULL)
		unlink(p->tmp);
	free(p->tmp);
	free(p->path);
	*p = (struct pending_file)PENDING_FILE_INIT;
	errno = saved;
}

static int replace_atomically(const char *path, const char *data, size_t len, char *error, size_t size)
{
	struct pending_file p;
	int rc = -1;
	if (pending_file_begin(&p, path, 0, error, size) == 0 &&
	    pending_file_write(&p, data, len, error, size) == 0 &&
	    pending_file_commit(&p, error, size) == 0)
		rc = 0;
	pending_file_discard(&p);
	return rc;
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
	/* A device, FIFO or socket is written in place; a regular file, a
	 * missing one or anything pending_file_begin() refuses, replaced. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return write_in_place(path, data, len, error, size);
	return replace_atomically(path, data, len, error, size);
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
	char *buf = iana_fd_read_all(fd, NULL, 0, len);
	int saved = errno;
	if (fd != STDIN_FILENO)
		close(fd);
	errno = saved;
	return buf;
}
