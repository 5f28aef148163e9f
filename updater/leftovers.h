/* leftovers.h - removes the temporary files an update killed by SIGKILL
 * (or a power cut) left beside the files it installs.
 *
 * Every file is replaced through a temporary file beside it, named
 * ".NAME.XXXXXX" (output_file.c: NAME the destination's file name, six
 * characters from mkstemp()).  A run removes those on every failure it
 * lives through; one killed outright cannot.  The next update, holding the
 * lock, removes the regular files of that exact pattern, owned by the
 * calling user, beside each destination it installs, when they were last
 * changed before it took the lock by more than LEFTOVER_MIN_AGE seconds:
 * older than any run that could still be writing them (gen-services -o
 * takes no lock, and a temporary file it is writing is younger). */
#ifndef LEFTOVERS_H
#define LEFTOVERS_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#define LEFTOVER_MIN_AGE 60

/* Remove the leftover temporary files of DESTINATION (a path), changed
 * before LOCKED_AT - LEFTOVER_MIN_AGE.  With VERBOSE, one line per file
 * removed on REPORT.  Returns how many were removed; nothing that cannot
 * be read or removed is an error (the update goes on). */
unsigned leftovers_remove(const char *destination, time_t locked_at, bool verbose, FILE *report);

#endif
