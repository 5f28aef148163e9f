/* index_paths.c - default paths and the index-or-registry choice (see
 * index_paths.h). */
#include "index_paths.h"
#include "index_reader.h"
#include "install_paths.h"

#include <stdlib.h>
#include <sys/stat.h>

#define INDEX_ENV "NSS_IANA_INDEX"
#define REGISTRY_ENV "NSS_IANA_REGISTRY"

const char *iana_index_path(bool *overridden)
{
	const char *path = secure_getenv(INDEX_ENV);
	bool set = path != NULL && path[0] != '\0';
	if (overridden != NULL)
		*overridden = set;
	return set ? path : DEFAULT_INDEX_PATH;
}

const char *iana_registry_path(void)
{
	const char *path = secure_getenv(REGISTRY_ENV);
	return path != NULL && path[0] != '\0' ? path : DEFAULT_REGISTRY_PATH;
}

const char *iana_index_or_registry(const char *index, const char *registry)
{
	struct iana_index_source actual;
	if (!iana_index_source_of_path(registry, &actual))
		return index; /* no registry to prefer */
	struct iana_index *opened = NULL;
	if (iana_index_open(index, &opened) != IANA_INDEX_OK)
		return registry;
	struct iana_index_source recorded;
	bool current = iana_index_source(opened, &recorded) && iana_index_source_equal(&recorded, &actual);
	iana_index_close(opened);
	return current ? index : registry;
}
