/* fuzz_csv.c - libFuzzer target for the CSV parser (parse_csv.c).
 *
 * The input goes through iana_registry_load_fd() like any file, so the
 * format is told from the content exactly as in real use; the seed corpus
 * (the .csv files of tests/fixtures) and the dictionary (fuzz/csv.dict) steer the
 * fuzzer into this parser, and inputs that load as another format are kept
 * out of this target's corpus.  What is checked: fuzz_support.c. */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum iana_format format;
	if (fuzz_registry_input(data, size, &format) == IANA_LOAD_OK && format != IANA_FORMAT_CSV)
		return -1; /* not this target's: do not add to its corpus */
	return 0;
}
