/* xml_guard.h - internal: bounds the markup an XML input may hold before
 * libxml2 sees it.
 *
 * libxml2 2.9 (Debian 12's and 13's) checks the attributes of a start tag
 * for duplicates pair by pair and looks a namespace prefix up through every
 * declaration in scope, one by one: a 430 KB start tag of 40,000 attributes
 * takes it 14 seconds, a few MB of them hours; namespace declarations piled
 * up in open elements slow down every element below them.  libxml2 2.15
 * uses hash tables there (0.06 s for the same tag), but holds a tag's
 * attributes in memory: 400,000 of them need more than 128 MB.  The guard
 * bounds both, on every version.  A registry's
 * tags are short (135 bytes at most in the 2026-08-17 registry, no
 * DOCTYPE), so the XML parser (parse_xml.c) passes every byte it hands
 * libxml2 through this scanner, which follows XML's lexical structure
 * (tags and their quoted values, comments, CDATA sections, processing
 * instructions, declarations and a DOCTYPE's internal subset) just enough
 * to measure, and refuses:
 *  - a start or end tag longer than XML_GUARD_MAX_TAG bytes,
 *  - start tags of the elements open at one point adding up to more than
 *    XML_GUARD_MAX_OPEN_TAGS bytes (which bounds the declarations in scope),
 *  - a declaration (<!DOCTYPE ..., <!ENTITY ...) longer than
 *    XML_GUARD_MAX_DECL bytes (entity text is parsed as markup too).
 * Text, comments, CDATA and processing instructions are not limited here
 * (libxml2 refuses text nodes over 10,000,000 bytes itself).  The scan is
 * linear, and skips text, tags and quoted values 16 bytes at a time. */
#ifndef XML_GUARD_H
#define XML_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XML_GUARD_MAX_TAG 8192u
#define XML_GUARD_MAX_OPEN_TAGS 8192u
#define XML_GUARD_MAX_DECL 65536u
/* Open elements whose tag lengths are kept; libxml2 stops at 256 levels. */
#define XML_GUARD_DEPTH 320u

struct xml_guard {
	int state;
	bool in_subset;   /* inside a DOCTYPE's internal subset */
	bool end_tag;     /* the tag being read is an end tag */
	char quote;       /* the quote that opened the value being read */
	char last;        /* the last byte scanned */
	uint8_t match;    /* bytes of a delimiter matched so far */
	uint32_t open_bytes; /* bytes of the start tags of the open elements */
	uint32_t depth;      /* open elements */
	uint32_t open_length[XML_GUARD_DEPTH];
	uint64_t offset;       /* bytes scanned before this call */
	uint64_t line;         /* lines begun, from 1 */
	uint64_t line_start;   /* offset of the current line's first byte */
	uint64_t start;        /* offset of the tag or declaration being read */
	uint64_t start_line;   /* its line and column, for a refusal */
	uint64_t start_column;
	const char *error;     /* set when a limit is passed */
};

void reg_xml_guard_init(struct xml_guard *guard);
/* Scan the next LEN bytes of the document.  0, or -1 when they pass a
 * limit: guard->error says which, start_line and start_column where the
 * offending tag or declaration begins.  Once -1, always -1. */
int reg_xml_guard_scan(struct xml_guard *guard, const char *data, size_t len);

#endif /* XML_GUARD_H */
