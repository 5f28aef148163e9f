/* registry_update.h - the work of update-iana-services: fetch the
 * registry, verify it, install it with its index (and, when asked, a
 * services file) so that readers never see a mix, and say what changed;
 * or (--reindex) bring the index and services file in line with the
 * installed registry.
 *
 * Files, beside the installed registry REGISTRY (the data directory):
 *   REGISTRY.lock   held with flock(LOCK_EX) for the whole run: a second
 *                   update started meanwhile refuses at once (it does not
 *                   wait), changing nothing; --reindex waits for it.
 *   REGISTRY.state  what the last download returned (URL, ETag,
 *                   Last-Modified) and the size and CRC-32 of the registry
 *                   then installed.  The next run sends If-None-Match /
 *                   If-Modified-Since only when the URL is the same and the
 *                   installed registry is still exactly that file; else (no
 *                   registry, replaced by hand, another mirror, --force) the
 *                   request is unconditional, so the state can never make
 *                   an update skip a registry it should install.  Safe to
 *                   delete.
 * Temporary files are created beside each destination (same file system)
 * and removed on every failure; those of an update killed outright are
 * removed by the next one (leftovers.h).
 *
 * A download is installed only when it loads completely with the shared
 * parser, is IANA's XML, carries the title of the service names registry
 * and a Last Updated date, holds at least one record, and is not older (by
 * that date) than the installed registry unless FORCE.  A download equal
 * byte for byte to the installed registry is "already current" (unless
 * FORCE): nothing but the state is rewritten.
 *
 * When the registry is current (HTTP 304 or the same bytes), and for
 * --reindex, the index is rebuilt from the installed registry unless it
 * records that very registry (size and CRC-32, index_format.h), and the
 * services file is rewritten unless it holds exactly what the registry
 * and the --merge file give, so a run never leaves them behind.
 */
#ifndef REGISTRY_UPDATE_H
#define REGISTRY_UPDATE_H

#include "output_format.h"

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Where IANA publishes the registry. */
#define IANA_REGISTRY_URL "https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.xml"
/* Limits of one download. */
#define UPDATE_MAX_SIZE (64u * 1024 * 1024) /* bytes; the 2026 registry is 3.9 MB */
#define UPDATE_CONNECT_TIMEOUT 30L         /* seconds */
#define UPDATE_TOTAL_TIMEOUT 600L          /* seconds */

struct update_options {
	const char *url;           /* IANA_REGISTRY_URL when NULL */
	const char *registry_path; /* the registry the NSS module reads */
	const char *index_path;    /* and its index */
	const char *services_path; /* also regenerate this services(5) file, or NULL */
	const char *merge_path;    /* the --merge file whose entries SELECTION holds, or NULL */
	const struct output_selection *selection; /* how to write SERVICES_PATH */
	bool reindex; /* fetch nothing: rebuild what the installed registry makes */
	bool force;   /* unconditional request; install even an older or an identical registry */
	bool verbose; /* the transfer's figures, one line per change, the parser's warnings */
	FILE *report;   /* what happened, a few lines (standard output) */
	FILE *messages; /* warnings (standard error); the parser's only when VERBOSE */
	/* A signal handler's flag, or NULL: once set, the run stops as soon as
	 * it can (the download within about a second) and fails, changing
	 * nothing, unless the renames have begun, which are then finished. */
	const volatile sig_atomic_t *interrupted;
};

enum update_result {
	UPDATE_FAILED = -1,   /* ERROR says why and what was left as it was */
	UPDATE_INSTALLED = 0, /* a new registry is installed */
	UPDATE_CURRENT = 1,   /* the installed registry is current (--reindex: done) */
};

/* Run one update.  Returns an enum update_result; on UPDATE_FAILED ERROR
 * (ERROR_SIZE bytes) holds one line saying why. */
int registry_update(const struct update_options *options, char *error, size_t error_size);

#endif /* REGISTRY_UPDATE_H */
