/* index_source.h - which registry file an index was built from: its size
 * and CRC-32, recorded in the index header (index_format.h), so that
 * "stale" is a comparison of facts, not of timestamps.  libc only. */
#ifndef IANA_INDEX_SOURCE_H
#define IANA_INDEX_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct iana_index_source {
	uint32_t size;  /* bytes; 0 = unknown */
	uint32_t crc32; /* CRC-32 of those bytes (crc32.h) */
};

/* The source identity of LEN bytes at DATA.  False when LEN is 0 or does
 * not fit the header's 32 bits (errno EFBIG). */
bool iana_index_source_of_bytes(const void *data, size_t len, struct iana_index_source *out);
/* The same for the whole regular file at PATH, read once.  False with
 * errno set when it cannot be read. */
bool iana_index_source_of_path(const char *path, struct iana_index_source *out);
/* True when both are known and equal. */
bool iana_index_source_equal(const struct iana_index_source *a, const struct iana_index_source *b);

#endif /* IANA_INDEX_SOURCE_H */
