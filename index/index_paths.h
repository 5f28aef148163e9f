/* index_paths.h - which index and which registry a program reads by
 * default, and the one "index, else registry" choice of a reader that can
 * read either (the Wireshark plugin).  libc only. */
#ifndef IANA_INDEX_PATHS_H
#define IANA_INDEX_PATHS_H

#include <stdbool.h>

/* $NSS_IANA_INDEX when set and not empty, else the installed index.  Read
 * with secure_getenv(), so ignored in set-user-ID and set-group-ID
 * programs.  *OVERRIDDEN (if not NULL) tells which. */
const char *iana_index_path(bool *overridden);
/* $NSS_IANA_REGISTRY when set and not empty (secure_getenv()), else the
 * installed registry. */
const char *iana_registry_path(void);

/* Of the index at INDEX and the registry at REGISTRY, the one to load:
 * the index when it opens and records that it was built from the registry
 * as it is now, or when the registry cannot be read; otherwise the
 * registry when it is a regular file; otherwise the index (whose error the
 * caller then reports). */
const char *iana_index_or_registry(const char *index, const char *registry);

#endif /* IANA_INDEX_PATHS_H */
