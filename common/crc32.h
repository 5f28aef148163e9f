/* crc32.h - CRC-32 (IEEE 802.3, as zlib's crc32()) for the services index
 * checksum.  libc only; named iana_crc32 so it never clashes with zlib's
 * crc32 in a program (Wireshark) that links both. */
#ifndef IANA_CRC32_H
#define IANA_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Continue CRC (0 to start) over LEN bytes at DATA and return the result:
 * iana_crc32(iana_crc32(0, a, n), b, m) == CRC of a followed by b. */
uint32_t iana_crc32(uint32_t crc, const void *data, size_t len);

#endif /* IANA_CRC32_H */
