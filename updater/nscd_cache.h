/* nscd_cache.h - tells a running nscd that the services it caches changed.
 *
 * Debian's nscd.conf caches services for 8 hours and watches only
 * /etc/services, so without this a host running nscd would keep answering
 * from the old registry long after a new index is installed, while the
 * NSS module itself follows a new index within a second. */
#ifndef NSCD_CACHE_H
#define NSCD_CACHE_H

#include <stdbool.h>
#include <stdio.h>

/* Run `nscd -i services` (nscd found through PATH), its output discarded,
 * and wait for it.  True when it succeeded, that is when an nscd runs and
 * dropped its services cache; false when no nscd is installed or none
 * runs (nothing to do) or it failed.  With VERBOSE, a success is said on
 * REPORT. */
bool nscd_invalidate_services(bool verbose, FILE *report);

#endif
