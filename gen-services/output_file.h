/* output_file.h - writing gen-services' result to its destination without
 * ever losing the old contents. */
#ifndef OUTPUT_FILE_H
#define OUTPUT_FILE_H

#include <stddef.h>

/* Write LEN bytes of DATA to PATH.
 *  - PATH missing or a regular file (symbolic links are followed): written
 *    to a temporary file in the same directory, fsync'ed and renamed over
 *    PATH; an existing file keeps its mode (and owner, when permitted), a new
 *    one gets 0666 less the umask.  On any error the old file is untouched
 *    and the temporary file removed.
 *  - PATH exists and is anything else (a device such as /dev/full, a FIFO):
 *    written in place, never replaced.
 *  - "-", /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: written through
 *    the descriptor the process already holds, at its current offset.
 * Returns 0, or -1 with errno set and a message naming the failing step and
 * path in ERROR (ERROR_SIZE bytes). */
int output_file_write(const char *path, const char *data, size_t len, char *error, size_t error_size);

/* Write all of DATA to FD; 0 or -1 with errno set. */
int write_all(int fd, const char *data, size_t len);

/* Read the whole of PATH ("-" is stdin) into a malloc'ed, NUL-terminated
 * buffer; NULL with errno set on failure. */
char *read_whole_file(const char *path, size_t *len);

#endif /* OUTPUT_FILE_H */
