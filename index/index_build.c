/* index_build.c - a registry file of any format turned into its
 * services index in memory: load, build the services view, write the index
 * into a malloc()ed buffer.  Shared by the NSS module's registry fallback
 * (the Wireshark plugin, which reads a registry when no compiled index is
 * at hand).
 *
 * Prints nothing and touches no global libxml2 state: it runs inside other
 * people's processes.  Diagnostics go to the caller's callback, if any. */
#include "iana_registry.h"
#include "index_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

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

int iana_index_build_from_path(const char *path, const struct iana_load_options *options, void **data,
			       size_t *len)
{
	*data = NULL;
	*len = 0;
	if (path == NULL)
		return IANA_LOAD_IO_ERROR;

	int fd = open_regular(path);
	if (fd < 0)
		return IANA_LOAD_IO_ERROR;
	struct iana_load_options defaults = {.display_name = path};
	if (options == NULL)
		options = &defaults;
	struct iana_registry *registry = NULL;
	int rc = iana_registry_load_fd(fd, options, &registry);
	int saved = errno;
	close(fd);
	errno = saved;
	if (rc != IANA_LOAD_OK)
		return rc < 0 ? rc : IANA_LOAD_PARSE_ERROR;

	struct iana_service_table *table = NULL;
	rc = iana_service_table_build(registry, options, &table);
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
		rc = iana_index_write(out, registry, table, NULL) == 0 ? IANA_LOAD_OK : IANA_LOAD_NO_MEMORY;
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
