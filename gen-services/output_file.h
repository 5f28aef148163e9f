/* output_file.h - writing gen-services' result to its destination without
 * ever losing the old contents: one-call atomic replacement, and the same
 * in steps (struct pending_file) for callers that replace several files
 * together and choose when each one appears (update-iana-services). */
#ifndef OUTPUT_FILE_H
#define OUTPUT_FILE_H

#include <stddef.h>
#include <sys/types.h>

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

/* A regular file being replaced: its new contents go to a temporary file in
 * the same directory, which pending_file_commit() renames over it.  Until
 * then the destination is untouched. */
struct pending_file {
	char *path; /* the destination (a symbolic link resolved to its target) */
	char *tmp;  /* the temporary file beside it; NULL once committed */
	int fd;     /* the temporary file, open read-write; -1 once synced */
};
#define PENDING_FILE_INIT {NULL, NULL, -1}

/* Start replacing PATH, which must be missing or a regular file (symbolic
 * links are followed): create the temporary file, with PATH's mode (and
 * owner, when permitted), or NEW_MODE when PATH does not exist (0: 0666
 * less the umask).  The caller writes through P->fd (or
 * pending_file_write()).  0, or -1 with errno set, a message in ERROR and
 * nothing left behind. */
int pending_file_begin(struct pending_file *p, const char *path, mode_t new_mode,
		       char *error, size_t error_size);
/* Append LEN bytes of DATA to the temporary file. */
int pending_file_write(struct pending_file *p, const char *data, size_t len,
		       char *error, size_t error_size);
/* fsync and close the temporary file (done by commit when not yet done). */
int pending_file_sync(struct pending_file *p, char *error, size_t error_size);
/* Rename the temporary file over the destination and fsync the directory.
 * On failure the destination is untouched (discard removes the file). */
int pending_file_commit(struct pending_file *p, char *error, size_t error_size);
/* Remove the temporary file if it was not committed, and free P's memory;
 * P is then PENDING_FILE_INIT again (so discarding twice is harmless). */
void pending_file_discard(struct pending_file *p);

/* Write all of DATA to FD; 0 or -1 with errno set. */
int write_all(int fd, const char *data, size_t len);

/* Read the whole of PATH ("-" is stdin) into a malloc'ed, NUL-terminated
 * buffer; NULL with errno set on failure. */
char *read_whole_file(const char *path, size_t *len);

#endif /* OUTPUT_FILE_H */
