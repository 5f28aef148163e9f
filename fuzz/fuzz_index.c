/* fuzz_index.c - libFuzzer target for the services index reader
 * (index/index_reader.c): raw bytes handed to iana_index_from_memory(),
 * then every accessor and lookup (fuzz_support.c).
 *
 * Each input is tried twice: as it is, which exercises the header and
 * layout checks, and with total_size and the checksum made to fit the
 * bytes, so that mutations of the tables themselves get past the checksum
 * and reach the per-lookup bounds checks (what a damaged file whose
 * checksum happens to match would do).  The seeds are indexes that
 * gen-services writes from tests/fixtures at build time. */
#include "crc32.h"
#include "fuzz_support.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of its own, malloc-aligned and exactly SIZE bytes, so that
	 * ASan sees any read past the end. */
	void *copy = malloc(size ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	fuzz_index_exercise(copy, size, data, size);

	struct iana_index_header h;
	if (size >= sizeof(h)) {
		memcpy(&h, copy, sizeof(h));
		h.total_size = size;
		if (h.header_size <= size)
			h.checksum = iana_crc32(0, (const char *)copy + h.header_size, size - h.header_size);
		memcpy(copy, &h, sizeof(h));
		fuzz_index_exercise(copy, size, data, size);
	}
	free(copy);
	return 0;
}
