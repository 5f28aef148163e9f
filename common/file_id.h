/* file_id.h - the identity of a file as a long-running reader compares it
 * to tell that a path now names another file or changed: device, inode,
 * size and modification time.  Used by the NSS module and the Wireshark
 * plugin; the index reader records it for the file it mapped.  libc only. */
#ifndef IANA_FILE_ID_H
#define IANA_FILE_ID_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

struct iana_file_id {
	uint64_t dev, ino;
	int64_t size, mtime_sec, mtime_nsec;
};

/* The identity of the file ST describes. */
struct iana_file_id iana_file_id_of(const struct stat *st);
bool iana_file_id_equal(const struct iana_file_id *a, const struct iana_file_id *b);

#endif /* IANA_FILE_ID_H */
