/* trusted_file.c - opening the index only when it may be trusted (see
 * trusted_file.h).  Runs inside other people's processes: bounded work
 * (one realpath(), one open(), one stat() per directory of the path),
 * nothing printed, no state kept. */
#include "trusted_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool owner_ok(const struct stat *st, uid_t also)
{
	return st->st_uid == 0 || (also != TRUST_ROOT_ONLY && st->st_uid == also);
}

static bool file_ok(const struct stat *st, uid_t also)
{
	return S_ISREG(st->st_mode) && owner_ok(st, also) && (st->st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

static bool directory_ok(const struct stat *st, uid_t also)
{
	if (!S_ISDIR(st->st_mode) || !owner_ok(st, also))
		return false;
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) == 0)
		return true;
	return st->st_uid == 0 && (st->st_mode & S_ISVTX) != 0;
}

/* Every directory above the absolute, resolved PATH (modified in place). */
static bool directories_ok(char *path, uid_t also)
{
	for (;;) {
		char *slash = strrchr(path, '/');
		if (slash == NULL)
			return false;
		if (slash == path)
			slash[1] = '\0'; /* "/" itself */
		else
			*slash = '\0';
		struct stat st;
		if (stat(path, &st) != 0 || !directory_ok(&st, also))
			return false;
		if (slash == path)
			return true;
	}
}

int nss_iana_open_trusted(const char *path, uid_t also)
{
	char *real = realpath(path, NULL);
	if (real == NULL)
		return -1;
	int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		int saved = errno;
		free(real);
		errno = saved;
		return -1;
	}
	struct stat st;
	bool ok = fstat(fd, &st) == 0 && file_ok(&st, also) && directories_ok(real, also);
	free(real);
	if (!ok) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}
