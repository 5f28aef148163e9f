/* generate.h - one whole output of gen-services (services, Wireshark, JSON
 * or the binary index), produced in memory, so that nothing is written
 * unless all of it could be made.  Shared by the plain run and --update. */
#ifndef GENERATE_H
#define GENERATE_H

#include "iana_registry.h"
#include "output_format.h"

#include <stddef.h>

enum output_kind {
	FORMAT_SERVICES,
	FORMAT_WIRESHARK,
	FORMAT_JSON,
	FORMAT_INDEX, /* binary services index, index_format.h */
};

/* Write REGISTRY as KIND into a malloc'ed buffer: *TEXT (free()d by the
 * caller), *LEN bytes.  SELECTION applies to services and wireshark;
 * LOAD_OPTIONS report the names the services view leaves out.  For
 * services with a target (SELECTION->target), the target's distribution
 * base is found, saved when the target is the distribution's file, and
 * merged (services_base.h); a failure there is reported as an error
 * diagnostic through LOAD_OPTIONS, naming the file.  0, or -1 with errno
 * set and *TEXT NULL. */
int generate_output(enum output_kind kind, const struct iana_registry *registry,
		    const struct output_selection *selection,
		    const struct iana_load_options *load_options, char **text, size_t *len);

#endif /* GENERATE_H */
