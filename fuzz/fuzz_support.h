/* fuzz_support.h - what the fuzz targets share: feeding bytes to the real
 * loader and checking what comes out.  Used by the libFuzzer builds
 * (make fuzz) and by the replay of kept inputs (replay_main.c, make check).
 *
 * A check that fails is a finding: fuzz_fail() prints why and aborts, so
 * libFuzzer keeps the input and the replay program exits non-zero. */
#ifndef FUZZ_SUPPORT_H
#define FUZZ_SUPPORT_H

#include "iana_registry.h"
#include "index_reader.h"
#include "index_writer.h"

#include <stddef.h>
#include <stdint.h>

/* The libFuzzer entry point each fuzz_*.c defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Print "fuzz check failed: ..." to stderr and abort. */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Load SIZE bytes at DATA through iana_registry_load_fd() (from a memfd,
 * so that format detection, the XML parser's block reads and the
 * read-to-end path are the ones real use takes), walk everything the model
 * holds, and for a registry that loads, build the services view, write its
 * index, read that back and check every entry and lookup against the view.
 * Returns the load result; *format gets the registry's format on success. */
int fuzz_registry_input(const uint8_t *data, size_t size, enum iana_format *format);

/* Open LEN bytes at DATA (4-byte aligned) as an index and, when it opens,
 * run every accessor and lookups on it: entries, aliases, each name and
 * port it holds, and names and ports taken from PROBE (PROBE_LEN bytes). */
void fuzz_index_exercise(const void *data, size_t len, const uint8_t *probe, size_t probe_len);

#endif /* FUZZ_SUPPORT_H */
