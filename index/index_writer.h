/* index_writer.h - writing the compiled services index (index_format.h)
 * from the registry model: gen-services --format index, the updater, and
 * the Wireshark plugin's in-memory index of a registry file.  Needs the
 * registry library (and so libxml2); the reader does not. */
#ifndef IANA_INDEX_WRITER_H
#define IANA_INDEX_WRITER_H

#include "index_format.h"
#include "index_source.h"

#include <stddef.h>
#include <stdio.h>

struct iana_registry;
struct iana_service_table;
struct iana_load_options;

/* Write the index of TABLE (built from REGISTRY, read from the file
 * SOURCE describes; NULL: unknown) to OUT.  0, or -1 on a write or
 * allocation failure (errno set).  OUT is not flushed. */
int iana_index_write(FILE *out, const struct iana_registry *registry,
		     const struct iana_service_table *table, const struct iana_index_source *source);

/* Load the registry file at PATH (any format the parser reads; it must be
 * a regular file) and build its index in memory.  On success returns
 * IANA_LOAD_OK (0) and sets *DATA to a malloc()ed buffer (aligned for any
 * type; release with free()) of *LEN bytes, ready for
 * iana_index_from_memory().  Otherwise returns an iana_load_result (< 0,
 * errno kept for IANA_LOAD_IO_ERROR) and leaves *DATA NULL.  Diagnostics
 * go to OPTIONS' callback (OPTIONS may be NULL: none); prints nothing. */
int iana_index_build_from_path(const char *path, const struct iana_load_options *options, void **data,
			       size_t *len);

#endif /* IANA_INDEX_WRITER_H */
