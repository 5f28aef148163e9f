/* xml_records.h - internal: the IANA registry's XML vocabulary, for
 * parse_xml.c.  What the events of the document's elements (start, text,
 * end) become in the registry builder: records and their fields, people,
 * footnotes, the registry's title and date; which elements are unknown
 * (warned about once per name, skipped) or of another namespace (skipped).
 * parse_xml.c drives libxml2 and hands over only the document's own
 * events, never those of a subtree it was told to skip. */
#ifndef XML_RECORDS_H
#define XML_RECORDS_H

#include "grow_buffer.h"
#include "registry_builder.h"

#include <stdbool.h>
#include <stdint.h>

#include <libxml/xmlstring.h>
#include <libxml/dict.h>

#define IANA_NAMESPACE "http://www.iana.org/assignments"

/* Interned element and attribute names, compared by pointer. */
struct xml_names {
	const xmlChar *ns;
	const xmlChar *registry, *title, *updated, *record, *name, *protocol, *description,
		*number, *note, *xref, *assignee, *sc, *unauthorized, *people, *person, *org, *uri,
		*br, *paragraph, *footnote;
	const xmlChar *type, *data, *section, *date, *id, *anchor;
};

/* What the text being collected will become when its element closes. */
enum field {
	FIELD_NONE = 0,
	FIELD_TITLE,
	FIELD_REGISTRY_UPDATED,
	FIELD_FOOTNOTE,
	FIELD_NAME,
	FIELD_PROTOCOL,
	FIELD_DESCRIPTION,
	FIELD_NUMBER,
	FIELD_NOTE,
	FIELD_SC,
	FIELD_UNAUTHORIZED,
	FIELD_XREF,
	FIELD_PERSON_NAME,
	FIELD_PERSON_ORG,
	FIELD_PERSON_URI,
	FIELD_PERSON_UPDATED,
};


/* An element start, as libxml2's SAX2 interface reports it. */
struct xml_element {
	const xmlChar *name;   /* local name, interned in the parser's dictionary */
	const xmlChar *ns;     /* namespace URI, or NULL */
	const xmlChar **attrs; /* (local name, prefix, URI, value, value end) each */
	int n_attrs;           /* the document's own: DTD defaults left out */
	uint32_t line;
};

struct xml_records {
	struct registry_builder *builder;
	struct xml_names n;
	/* the element being started */
	const xmlChar **attrs;
	int n_attrs;
	uint32_t line;
	struct iana_record *record;  /* open record, or NULL */
	struct iana_person *person;  /* open person, or NULL */
	bool in_people;
	bool in_assignee;
	bool record_has_assignee;
	/* text collection */
	enum field field;
	int field_depth;
	uint32_t field_line;
	struct grow_buffer text;
	struct grow_buffer scratch; /* an attribute value being decoded */
	/* the xref being collected */
	enum iana_ref_kind xref_kind;
	const char *xref_data, *xref_section, *footnote_anchor;
	/* unknown element names already reported */
	const xmlChar *reported[32];
	size_t n_reported;
};

/* Start on BUILDER, with the names compared by pointer interned in DICT,
 * the parser's dictionary.  -1 when DICT cannot take one (out of memory:
 * reported to BUILDER). */
int xml_records_init(struct xml_records *records, struct registry_builder *builder, xmlDictPtr dict);
void xml_records_free(struct xml_records *records);
/* Element E opens at DEPTH (the root: 0); *SKIP is set when its subtree
 * is not wanted (its end then is not passed either).  0, or -1 when
 * diagnosed. */
int xml_records_start(struct xml_records *records, const struct xml_element *e, int depth, bool *skip);
/* The element at DEPTH closes.  0, or -1 when diagnosed. */
int xml_records_end(struct xml_records *records, int depth);
/* Character data: kept when a field is open.  0, or -1 (out of memory). */
int xml_records_text(struct xml_records *records, const char *text, size_t len);

/* The line to blame for what happens at LINE: the open field's, which is
 * where a tree would have put it. */
static inline uint32_t xml_records_field_line(const struct xml_records *records, uint32_t line)
{
	return records->field != FIELD_NONE && records->field_line ? records->field_line : line;
}

/* Whether a record or person is still open. */
static inline bool xml_records_open(const struct xml_records *records)
{
	return records->record != NULL || records->person != NULL;
}

#endif /* XML_RECORDS_H */
