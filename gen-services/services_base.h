/* services_base.h - the distribution's services file kept as the base of
 * a generated one, so that regenerating /etc/services never loses a name
 * the distribution's file resolved.
 *
 * The base of a services(5) output FILE is FILE.dist.  When FILE exists,
 * is a regular file not written by gen-services (it does not begin with
 * GENERATED_MARK) and holds at least one services(5) entry, it is the
 * distribution's file (first regeneration on a stock host, or a package
 * upgrade that replaced the generated file with a newer stock one): it is
 * saved as FILE.dist, replacing an older base, and is the base.  Otherwise
 * the base is FILE.dist when that exists (edited or not), else there is
 * none.  The base's lines are written verbatim into the output, after the
 * local block and before the registry's entries: glibc's `files` (and
 * musl) take the first line that matches, so every name and port of the
 * base answers as before, and the registry's entries, all kept, add the
 * rest on top (msp/tcp answers the base's 18, 2438/tcp the registry's
 * msp). */
#ifndef SERVICES_BASE_H
#define SERVICES_BASE_H

#include "local_services.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define SERVICES_BASE_SUFFIX ".dist"
#define BASE_BLOCK_BEGIN "# BEGIN distribution entries (kept by gen-services from "
#define BASE_BLOCK_END "# END distribution entries"

struct services_base {
	struct local_services *entries; /* NULL: no base */
	char *path;                     /* FILE.dist */
	bool saved;                     /* FILE was just saved as the base */
};

/* Find the base of the services(5) output TARGET (see above), saving
 * TARGET as TARGET.dist first when it is a distribution's file and SAVE
 * is true (false for --check, which writes nothing).  0, or -1 with errno
 * set and a message naming the file and the step in ERROR. */
int services_base_open(const char *target, bool save, struct services_base *base, char *error,
		       size_t error_size);
void services_base_close(struct services_base *base);

struct output_selection;

/* The services(5) output FILE about to be written (or, with CHECK_ONLY,
 * compared with): unless NO_BASE, SELECTION merges its base.  When *MERGE
 * is NULL and FILE.local exists (or cannot be looked at), *MERGE names it,
 * in PATH of SIZE bytes: a missing FILE.local is no local file, while a
 * missing --merge file the user named stays an error.  Standard output,
 * /dev and /proc paths have neither. */
void services_base_target(struct output_selection *selection, const char *file, bool check_only, bool no_base,
			  const char **merge, char *path, size_t size);

/* Write the base block: markers naming BASE's file, its lines verbatim. */
int services_base_write_block(FILE *out, const struct services_base *base);

#endif /* SERVICES_BASE_H */
