/* fnv1a.h - FNV-1a, the one string hash of the project: the registry's
 * person table, the index writer's string pool and the index's name table
 * (whose on-disk meaning index_format.h fixes).  libc only. */
#ifndef IANA_FNV1A_H
#define IANA_FNV1A_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a of LEN bytes at DATA. */
uint32_t iana_fnv1a(const void *data, size_t len);
/* FNV-1a of the NUL-terminated S with ASCII letters lowercased: equal for
 * strings equal ignoring ASCII case. */
uint32_t iana_fnv1a_casefold(const char *s);

#endif /* IANA_FNV1A_H */
