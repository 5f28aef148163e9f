/* fd_read.c - reads a file descriptor to its end (see fd_read.h). */
#include "fd_read.h"
#include "grow_buffer.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#define READ_CHUNK (64 * 1024)

char *iana_fd_read_all(int fd, char *buf, size_t len, size_t *total)
{
	/* BUF's allocated size is not known: LEN is all it is sure to hold. */
	struct grow_buffer b = {.data = buf, .len = len, .size = len};
	for (;;) {
		if (iana_grow_buffer_reserve(&b, READ_CHUNK) < 0) {
			iana_grow_buffer_free(&b);
			errno = ENOMEM;
			return NULL;
		}
		ssize_t n = read(fd, b.data + b.len, b.size - b.len - 1);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int saved = errno;
			iana_grow_buffer_free(&b);
			errno = saved;
			return NULL;
		}
		b.len += (size_t)n;
	}
	b.data[b.len] = '\0';
	*total = b.len;
	return b.data;
}
