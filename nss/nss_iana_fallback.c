/* nss_iana_fallback.c - libnss_iana_fallback.so, the registry fallback of
 * the NSS module libnss_iana.so.2 (nss_iana.c).  When the compiled index is
 * missing, invalid or older than the registry, the module dlopen()s this
 * object and asks it for an index built from the registry itself.  It is
 * a separate object so that the module keeps libc as its only dependency:
 * the shared parser and libxml2 come into a process only on that path.
 *
 * Runs inside other people's processes: no output (no diagnostic callback,
 * so the parser reports nothing), no exit or abort, no global libxml2 state
 * (the parser sets no global error handler and never calls
 * xmlCleanupParser()).  Everything it allocates is freed before it returns,
 * except the index buffer handed to the caller.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iana_registry.h"
#include "nss_iana_fallback.h"
#include "service_index.h"

/* Open PATH for reading, refusing anything but a regular file (a FIFO or
 * a device must not block or be read inside someone's lookup). */
static int open_regular(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	struct stat st;
	int flags;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (flags = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}

int nss_iana_fallback_build(const char *registry_path, void **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	if (registry_path == NULL)
		return IANA_LOAD_IO_ERROR;

	int fd = open_regular(registry_path);
	if (fd < 0)
		return IANA_LOAD_IO_ERROR;
	/* No on_diagnostic: diagnostics are dropped, nothing is printed. */
	struct iana_load_options options = {.display_name = registry_path};
	struct iana_registry *registry = NULL;
	int rc = iana_registry_load_fd(fd, &options, &registry);
	close(fd);
	if (rc != IANA_LOAD_OK)
		return rc < 0 ? rc : IANA_LOAD_PARSE_ERROR;

	struct iana_service_table *table = NULL;
	rc = iana_service_table_build(registry, &options, &table);
	if (rc != IANA_LOAD_OK) {
		iana_registry_free(registry);
		return rc < 0 ? rc : IANA_LOAD_NO_MEMORY;
	}

	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);
	if (out == NULL) {
		rc = IANA_LOAD_NO_MEMORY;
	} else {
		rc = iana_index_write(out, registry, table) == 0 ? IANA_LOAD_OK : IANA_LOAD_NO_MEMORY;
		if (fclose(out) != 0)
			rc = IANA_LOAD_NO_MEMORY;
	}
	iana_service_table_free(table);
	iana_registry_free(registry);
	if (rc != IANA_LOAD_OK || size == 0) {
		free(buf);
		return rc != IANA_LOAD_OK ? rc : IANA_LOAD_NO_MEMORY;
	}
	/* open_memstream()'s buffer comes from malloc(): aligned for any
	 * type, so for the reader's 4-byte requirement. */
	*data = buf;
	*len = size;
	return IANA_LOAD_OK;
}
