/* fd_read.c - reads a file descriptor to its end (see fd_read.h). */
#include "fd_read.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

char *fd_read_all(int fd, char *buf, size_t len, size_t *total)
{
	size_t cap = len + 64 * 1024;
	char *grown = realloc(buf, cap);
	if (grown == NULL) {
		free(buf);
		errno = ENOMEM;
		return NULL;
	}
	buf = grown;
	for (;;) {
		if (cap - len < 2) {
			grown = cap < ((size_t)-1) / 2 ? realloc(buf, cap * 2) : NULL;
			if (grown == NULL) {
				free(buf);
				errno = ENOMEM;
				return NULL;
			}
			buf = grown;
			cap *= 2;
		}
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int saved = errno;
			free(buf);
			errno = saved;
			return NULL;
		}
		len += (size_t)n;
	}
	buf[len] = '\0';
	*total = len;
	return buf;
}
