/* fd_read.h - reading a file descriptor to its end into one buffer; used by
 * the loader (CSV and text are parsed whole) and by gen-services. */
#ifndef FD_READ_H
#define FD_READ_H

#include <stddef.h>

/* Read FD to its end, appending to BUF (malloc'ed, LEN bytes used; NULL and
 * 0 to start empty).  The result is NUL-terminated, *TOTAL is its length
 * without the NUL.  On failure returns NULL with errno set, BUF freed. */
char *iana_fd_read_all(int fd, char *buf, size_t len, size_t *total);

#endif /* FD_READ_H */
