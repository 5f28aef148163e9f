/* fuzz_index.c - libFuzzer target for the services index reader
 * (index/index_reader.c): raw bytes handed to iana_index_from_memory(),
 * then every accessor and lookup (fuzz_support.c).
 *
 * Each input is tried two or three times: as it is, which exercises the
 * header and layout checks; with total_size and the checksum made to fit
 * the bytes, so that mutations of the tables themselves get past the
 * checksum and reach the per-lookup bounds checks (what a damaged file
 * whose checksum happens to match would do); and, for version 5, with the
 * tags also made to agree with the name rows (which a reader checks at
 * open), so that a mutated row's tag reaches the lookups too.  The seeds
 * are indexes that gen-services writes from tests/fixtures at build time,
 * and the fixtures of earlier versions. */
#include "crc32.h"
#include "fuzz_support.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* For a version-5 header H whose name rows and tags lie inside the SIZE
 * bytes at DATA: set the tags from the rows (index_format.h) and say so. */
static bool retag(unsigned char *data, size_t size, const struct iana_index_header *h)
{
	uint64_t n = h->n_name_slots;
	if (h->version != 5 || h->header_size != sizeof(*h) || n < 8 || (n & (n - 1)) != 0)
		return false;
	uint64_t rows = h->header_size + (uint64_t)h->n_entries * sizeof(struct iana_index_entry_v4);
	uint64_t tags = rows + n * sizeof(struct iana_index_name_row);
	if (tags + n + IANA_INDEX_TAG_MIRROR > size)
		return false;
	for (uint64_t i = 0; i < n + IANA_INDEX_TAG_MIRROR; i++) {
		uint32_t tag;
		memcpy(&tag, data + rows + (i & (n - 1)) * sizeof(struct iana_index_name_row), sizeof(tag));
		data[tags + i] = IANA_INDEX_NAME_TAG8(tag);
	}
	return true;
}

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
		if (retag(copy, size, &h)) {
			h.checksum = iana_crc32(0, (const char *)copy + h.header_size, size - h.header_size);
			memcpy(copy, &h, sizeof(h));
			fuzz_index_exercise(copy, size, data, size);
		}
	}
	free(copy);
	return 0;
}
