/* fuzz_xml.c - libFuzzer target for the XML parser (parse_xml.c, libxml2's
 * SAX2 push parser, and xml_records.c).
 *
 * The input goes through iana_registry_load_fd() like any file, so the
 * format is told from the content exactly as in real use; the seed corpus
 * (the .xml files of tests/fixtures) and the dictionary (fuzz/xml.dict) steer the
 * fuzzer into this parser, and inputs that load as another format are kept
 * out of this target's corpus.  What is checked: fuzz_support.c. */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum iana_format format;
	if (fuzz_registry_input(data, size, &format) == IANA_LOAD_OK && format != IANA_FORMAT_XML)
		return -1; /* not this target's: do not add to its corpus */
	return 0;
}
