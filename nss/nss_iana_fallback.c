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
#include "iana_registry.h"
#include "nss_iana_fallback.h"
#include "service_index.h"

#include <stddef.h>

int nss_iana_fallback_build(const char *registry_path, void **data, size_t *len)
{
	/* No diagnostic callback: diagnostics are dropped, nothing is printed. */
	struct iana_load_options options = {.display_name = registry_path};
	return iana_index_build_from_path(registry_path, &options, data, len);
}
