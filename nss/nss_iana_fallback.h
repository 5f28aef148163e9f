/* nss_iana_fallback.h - the interface between libnss_iana.so.2
 * (nss_iana.c) and its registry fallback helper libnss_iana_fallback.so
 * (nss_iana_fallback.c), which the module dlopen()s only when it must read
 * the registry itself.  The helper links the shared parser and libxml2; the
 * module needs libc only. */
#ifndef NSS_IANA_FALLBACK_H
#define NSS_IANA_FALLBACK_H

#include <stddef.h>

#define NSS_IANA_FALLBACK_SYMBOL "nss_iana_fallback_build"

/* Load the registry at REGISTRY_PATH (any format the shared parser reads;
 * it must be a regular file) and build its services index in memory.  On
 * success returns 0 and sets *DATA to a malloc()ed buffer (at least 8-byte
 * aligned, to release with free()) of *LEN bytes holding the index
 * (service_index.h).  Otherwise returns an iana_load_result (< 0) and leaves
 * *DATA NULL.  Prints nothing, touches no global libxml2 state. */
int nss_iana_fallback_build(const char *registry_path, void **data, size_t *len);
typedef int nss_iana_fallback_build_fn(const char *registry_path, void **data, size_t *len);

#endif /* NSS_IANA_FALLBACK_H */
