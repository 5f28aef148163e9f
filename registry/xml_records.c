/* xml_records.c - the IANA registry's XML vocabulary (see xml_records.h):
 * element starts, text and ends, as parse_xml.c passes them, become
 * records, people, footnotes and the registry's title and date in the
 * builder.
 *
 * Elements are matched by local name within the IANA namespace, compared
 * by pointer with names interned in the parser's dictionary.  Fatal here:
 * a root other than {IANA}registry, an entity reference in an attribute we
 * read, a bad port, protocol, service code or registry date.  Warnings:
 * unknown IANA elements (once per name), bad dates (dropped), unknown xref
 * types (kept as text references).  Inside running text (a note, a
 * description) <br/> and <paragraph> separate words and an <xref> is
 * rendered "[RFC7595]". */
#include "xml_records.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Intern the names compared by pointer in the context's dictionary, where
 * libxml2 keeps the names it reports.  -1 when the dictionary cannot take
 * one (out of memory): a NULL name would match nothing and make a good
 * registry look foreign. */
static int intern_names(struct xml_records *r, xmlDictPtr dict)
{
	bool ok = true;
#define INTERN(field, text) ok = (r->n.field = xmlDictLookup(dict, BAD_CAST(text), -1)) != NULL && ok
	INTERN(ns, IANA_NAMESPACE);
	INTERN(registry, "registry");
	INTERN(title, "title");
	INTERN(updated, "updated");
	INTERN(record, "record");
	INTERN(name, "name");
	INTERN(protocol, "protocol");
	INTERN(description, "description");
	INTERN(number, "number");
	INTERN(note, "note");
	INTERN(xref, "xref");
	INTERN(assignee, "assignee");
	INTERN(sc, "sc");
	INTERN(unauthorized, "unauthorized");
	INTERN(people, "people");
	INTERN(person, "person");
	INTERN(org, "org");
	INTERN(uri, "uri");
	INTERN(br, "br");
	INTERN(paragraph, "paragraph");
	INTERN(footnote, "footnote");
	INTERN(type, "type");
	INTERN(data, "data");
	INTERN(section, "section");
	INTERN(date, "date");
	INTERN(id, "id");
	INTERN(anchor, "anchor");
#undef INTERN
	return ok ? 0 : -1;
}

static int text_append(struct xml_records *r, const char *s, size_t len)
{
	return iana_grow_buffer_append(&r->text, s, len) < 0 ? reg_builder_out_of_memory(r->builder) : 0;
}

/* <br/> and <paragraph> inside running text: IANA's CSV and plain-text
 * renderings show such a break as an ordinary line break (the CSV folds
 * "<br/><br/>" into one), which the builder flows into one space
 * (registry_builder.c); so here it only separates words. */
static int markup_break(struct xml_records *r)
{
	if (r->text.len == 0)
		return 0;
	char last = r->text.data[r->text.len - 1];
	if (last == ' ' || last == '\t' || last == '\n' || last == '\r')
		return 0;
	return text_append(r, " ", 1);
}

static void begin_field(struct xml_records *r, enum field field, int depth)
{
	r->field = field;
	r->field_depth = depth;
	r->field_line = r->line;
	r->text.len = 0;
}

/* The collected text, trimmed, in the arena; NULL when empty. */
static const char *field_text(struct xml_records *r)
{
	return reg_builder_str_trimmed(r->builder, r->text.data ? r->text.data : "", r->text.len);
}

static void parse_date_field(struct xml_records *r, const char *text, struct iana_date *date,
			     const char *what)
{
	if (text != NULL && !iana_date_parse(text, strlen(text), date))
		reg_builder_warning(r->builder, r->field_line, 0, "%s \"%s\" is not a date (YYYY[-MM[-DD]]); ignored",
				what, text);
}

/* FIRST and SECOND joined by SEP in the arena; either may be NULL. */
static const char *join_text(struct registry_builder *b, const char *first, const char *second, const char *sep)
{
	if (first == NULL || second == NULL)
		return first ? first : second;
	size_t a = strlen(first), s = strlen(sep), c = strlen(second);
	char *joined = malloc(a + s + c + 1);
	if (joined == NULL) {
		reg_builder_out_of_memory(b);
		return first;
	}
	memcpy(joined, first, a);
	memcpy(joined + a, sep, s);
	memcpy(joined + a + s, second, c + 1);
	const char *copy = reg_builder_str(b, joined, a + s + c);
	free(joined);
	return copy;
}

static int end_field(struct xml_records *r)
{
	enum field field = r->field;
	struct registry_builder *b = r->builder;
	uint32_t line = r->field_line;
	r->field = FIELD_NONE;
	const char *text = field_text(r);
	struct iana_record *rec = r->record;

	switch (field) {
	case FIELD_NONE:
		break;
	case FIELD_TITLE:
		reg_builder_set_title(b, text);
		break;
	case FIELD_REGISTRY_UPDATED: {
		struct iana_date date;
		if (text == NULL || !iana_date_parse(text, strlen(text), &date))
			return reg_builder_error(b, line, 0, "registry <updated> \"%s\" is not a date",
					     text ? text : "");
		reg_builder_set_updated(b, date);
		break;
	}
	case FIELD_FOOTNOTE:
		if (r->footnote_anchor && text && reg_builder_add_footnote(b, r->footnote_anchor, text) < 0)
			return -1;
		break;
	case FIELD_NAME:
		rec->name = text;
		break;
	case FIELD_PROTOCOL:
		if (text != NULL) {
			rec->protocol = (uint8_t)iana_protocol_from_name(text, strlen(text));
			if (rec->protocol == IANA_PROTO_NONE)
				return reg_builder_error(b, line, 0, "unknown transport protocol \"%s\"", text);
		}
		break;
	case FIELD_DESCRIPTION:
		rec->description = text;
		break;
	case FIELD_NUMBER:
		if (text != NULL) {
			if (!reg_parse_port_range(text, strlen(text), &rec->port_first, &rec->port_last))
				return reg_builder_error(b, line, 0,
						     "port number \"%s\" is not a port (0-65535) or range", text);
			rec->has_port = true;
		}
		break;
	case FIELD_NOTE:
		rec->notes = join_text(b, rec->notes, text, "\n\n"); /* paragraphs */
		break;
	case FIELD_SC: {
		char *end;
		errno = 0;
		unsigned long v = text ? strtoul(text, &end, 10) : 0;
		if (text == NULL || *end != '\0' || errno || v > UINT32_MAX || text[0] == '-' || text[0] == '+')
			return reg_builder_error(b, line, 0, "service code \"%s\" is not a 32-bit number",
					     text ? text : "");
		rec->service_code = (uint32_t)v;
		rec->has_service_code = true;
		break;
	}
	case FIELD_UNAUTHORIZED:
		rec->unauthorized = text;
		break;
	case FIELD_XREF:
		if (reg_builder_add_reference(b, r->xref_kind, r->xref_data, text, r->xref_section) < 0)
			return -1;
		break;
	case FIELD_PERSON_NAME:
		r->person->name = text;
		break;
	case FIELD_PERSON_ORG:
		r->person->org = text;
		break;
	case FIELD_PERSON_URI: /* a few people list two: keep both */
		r->person->uri = join_text(b, r->person->uri, text, " ");
		break;
	case FIELD_PERSON_UPDATED:
		parse_date_field(r, text, &r->person->updated, "person <updated>");
		break;
	}
	return reg_builder_failed(b) ? -1 : 0;
}

/* Append the UTF-8 form of code point C (libxml2 has checked it). */
static int append_code_point(struct grow_buffer *b, unsigned long c)
{
	char u[4];
	size_t n;
	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xC0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xE0 | (c >> 12));
		u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (c >> 18));
		u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	return iana_grow_buffer_append(b, u, n);
}

/* The code point of a character reference's digits, S to END ("38",
 * "x26"); the value is not NUL-terminated, and libxml2 has checked it. */
static unsigned long char_ref_value(const char *s, const char *end)
{
	unsigned base = 10;
	if (s < end && *s == 'x') {
		base = 16;
		s++;
	}
	unsigned long c = 0;
	for (; s < end && c <= 0x10FFFF; s++) {
		unsigned d = *s >= '0' && *s <= '9' ? (unsigned)(*s - '0')
			     : (*s | 0x20) >= 'a' && (*s | 0x20) <= 'f' ? (unsigned)((*s | 0x20) - 'a' + 10)
									  : base;
		if (d >= base)
			break;
		c = c * base + d;
	}
	return c;
}

/* The value of attribute NAME, V to END as libxml2 reports it without
 * entity substitution, in the arena.  libxml2 has replaced character and
 * predefined entity references there, but writes '&' as "&#38;" and keeps
 * any other entity reference as "&name;": those are refused (entity
 * expansion is disabled).  NULL after an error. */
static const char *attribute_value(struct xml_records *r, const xmlChar *name, const xmlChar *v, const xmlChar *end)
{
	const char *s = (const char *)v, *e = (const char *)end;
	const char *amp = memchr(s, '&', (size_t)(e - s));
	if (amp == NULL)
		return reg_builder_str(r->builder, s, (size_t)(e - s));
	struct grow_buffer *b = &r->scratch;
	b->len = 0;
	while (amp != NULL) {
		const char *semi = memchr(amp, ';', (size_t)(e - amp));
		if (iana_grow_buffer_append(b, s, (size_t)(amp - s)) < 0)
			return reg_builder_out_of_memory(r->builder), NULL;
		if (semi == NULL)
			semi = e - 1; /* cannot happen: libxml2 wrote it */
		const char *ref = amp + 1;
		size_t ref_len = (size_t)(semi - ref);
		int rc = 0;
		if (ref_len > 1 && ref[0] == '#') {
			rc = append_code_point(b, char_ref_value(ref + 1, semi));
		} else if (ref_len == 3 && memcmp(ref, "amp", 3) == 0) {
			rc = iana_grow_buffer_append(b, "&", 1);
		} else if (ref_len == 2 && memcmp(ref, "lt", 2) == 0) {
			rc = iana_grow_buffer_append(b, "<", 1);
		} else if (ref_len == 2 && memcmp(ref, "gt", 2) == 0) {
			rc = iana_grow_buffer_append(b, ">", 1);
		} else if (ref_len == 4 && memcmp(ref, "quot", 4) == 0) {
			rc = iana_grow_buffer_append(b, "\"", 1);
		} else if (ref_len == 4 && memcmp(ref, "apos", 4) == 0) {
			rc = iana_grow_buffer_append(b, "'", 1);
		} else {
			reg_builder_error(r->builder, r->line, 0,
				      "entity reference &%.*s; in attribute %s is not expanded (entity expansion is disabled)",
				      (int)ref_len, ref, (const char *)name);
			return NULL;
		}
		if (rc < 0)
			return reg_builder_out_of_memory(r->builder), NULL;
		s = semi + 1;
		amp = s < e ? memchr(s, '&', (size_t)(e - s)) : NULL;
	}
	if (iana_grow_buffer_append(b, s, (size_t)(e - s)) < 0)
		return reg_builder_out_of_memory(r->builder), NULL;
	return reg_builder_str(r->builder, b->data, b->len);
}

/* The element being started's attribute NAME (interned, in no namespace),
 * copied into the arena; NULL when it has none.  Attributes that only a
 * DTD's defaults add are left out, as libxml2's tree builder leaves them. */
static const char *attribute(struct xml_records *r, const xmlChar *name)
{
	for (int i = 0; i < r->n_attrs; i++) {
		const xmlChar **a = r->attrs + 5 * i;
		if (a[0] == name && a[2] == NULL)
			return attribute_value(r, name, a[3], a[4]);
	}
	return NULL;
}

/* Whether namespace URI is the IANA namespace: the dictionary's copy is
 * compared by pointer, any other by its text. */
static bool in_iana_namespace(const struct xml_records *r, const xmlChar *uri)
{
	return uri != NULL && (uri == r->n.ns || strcmp((const char *)uri, IANA_NAMESPACE) == 0);
}

static enum iana_ref_kind xref_kind(struct xml_records *r, const char *type)
{
	static const struct {
		const char *name;
		enum iana_ref_kind kind;
	} kinds[] = {
		{"rfc", IANA_REF_RFC},   {"draft", IANA_REF_DRAFT}, {"person", IANA_REF_PERSON},
		{"uri", IANA_REF_URI},   {"text", IANA_REF_TEXT},   {"note", IANA_REF_NOTE},
	};
	for (size_t i = 0; type && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(type, kinds[i].name) == 0)
			return kinds[i].kind;
	reg_builder_warning(r->builder, r->line, 0, "unknown <xref> type \"%s\"; kept as text",
			type ? type : "");
	return IANA_REF_TEXT;
}

/* Render an <xref> met inside running text (a note) as "[RFC7595]". */
static int append_inline_xref(struct xml_records *r)
{
	const char *type = attribute(r, r->n.type), *d = attribute(r, r->n.data);
	if (reg_builder_failed(r->builder))
		return -1;
	if (d == NULL)
		return 0;
	bool rfc = type && strcmp(type, "rfc") == 0 && strncasecmp(d, "rfc", 3) == 0;
	if (text_append(r, "[", 1) < 0 || (rfc && text_append(r, "RFC", 3) < 0) ||
	    text_append(r, rfc ? d + 3 : d, strlen(rfc ? d + 3 : d)) < 0 || text_append(r, "]", 1) < 0)
		return -1;
	return 0;
}

static bool unknown_element(struct xml_records *r, const xmlChar *name)
{
	for (size_t i = 0; i < r->n_reported; i++)
		if (r->reported[i] == name)
			return true;
	reg_builder_warning(r->builder, r->line, 0, "unknown element <%s> skipped", (const char *)name);
	if (r->n_reported < sizeof(r->reported) / sizeof(r->reported[0]))
		r->reported[r->n_reported++] = name;
	return true;
}

int xml_records_start(struct xml_records *r, const struct xml_element *e, int depth, bool *skip)
{
	const xmlChar *name = e->name, *ns = e->ns;
	r->attrs = e->attrs;
	r->n_attrs = e->n_attrs;
	r->line = e->line;
	bool iana = in_iana_namespace(r, ns); /* NAME is interned: libxml2 parses with a dictionary */
	const struct xml_names *n = &r->n;

	if (depth == 0) {
		if (name != n->registry || !iana)
			return reg_builder_error(r->builder, r->line, 0,
					     "root element is <%s>%s%s%s, not an IANA registry (<registry xmlns=\"" IANA_NAMESPACE "\">)",
					     (const char *)name, ns ? " in namespace \"" : " in no namespace",
					     ns ? (const char *)ns : "", ns ? "\"" : "");
		return 0;
	}
	if (r->field != FIELD_NONE) {
		/* markup inside running text */
		if (!iana)
			*skip = true;
		else if (name == n->br || name == n->paragraph)
			return markup_break(r);
		else if (name == n->xref)
			return append_inline_xref(r);
		return 0;
	}
	if (!iana) {
		*skip = true;
		return 0;
	}
	if (r->record != NULL) {
		if (r->in_assignee) {
			if (name == n->xref) {
				const char *type = attribute(r, n->type), *data = attribute(r, n->data);
				if (type == NULL || strcmp(type, "person") != 0 || data == NULL)
					reg_builder_warning(r->builder, r->line, 0,
							"<assignee> holds an <xref> that is not a person; ignored");
				else if (reg_builder_add_assignee(r->builder, data, strlen(data)) < 0)
					return -1;
				*skip = true;
				return 0;
			}
			*skip = unknown_element(r, name);
			return 0;
		}
		if (name == n->name)
			begin_field(r, FIELD_NAME, depth);
		else if (name == n->protocol)
			begin_field(r, FIELD_PROTOCOL, depth);
		else if (name == n->description)
			begin_field(r, FIELD_DESCRIPTION, depth);
		else if (name == n->number)
			begin_field(r, FIELD_NUMBER, depth);
		else if (name == n->note)
			begin_field(r, FIELD_NOTE, depth);
		else if (name == n->sc)
			begin_field(r, FIELD_SC, depth);
		else if (name == n->unauthorized)
			begin_field(r, FIELD_UNAUTHORIZED, depth);
		else if (name == n->assignee) {
			r->in_assignee = true;
			r->record_has_assignee = true;
		} else if (name == n->xref) {
			const char *type = attribute(r, n->type), *data = attribute(r, n->data);
			enum iana_ref_kind kind = xref_kind(r, type);
			if (kind == IANA_REF_PERSON) {
				*skip = true;
				if (data == NULL)
					reg_builder_warning(r->builder, r->line, 0,
							"person <xref> without data; ignored");
				else if (reg_builder_add_contact(r->builder, data, strlen(data)) < 0)
					return -1;
				return 0;
			}
			r->xref_kind = kind;
			r->xref_data = data;
			r->xref_section = attribute(r, n->section);
			begin_field(r, FIELD_XREF, depth);
		} else
			*skip = unknown_element(r, name);
		return 0;
	}
	if (r->person != NULL) {
		if (name == n->name)
			begin_field(r, FIELD_PERSON_NAME, depth);
		else if (name == n->org)
			begin_field(r, FIELD_PERSON_ORG, depth);
		else if (name == n->uri)
			begin_field(r, FIELD_PERSON_URI, depth);
		else if (name == n->updated)
			begin_field(r, FIELD_PERSON_UPDATED, depth);
		else
			*skip = unknown_element(r, name);
		return 0;
	}
	if (r->in_people) {
		if (name == n->person) {
			const char *id = attribute(r, n->id);
			if (id == NULL || *id == '\0')
				return reg_builder_error(r->builder, r->line, 0, "<person> without an id");
			r->person = reg_builder_add_person(r->builder, id, strlen(id), r->line);
			return r->person ? 0 : -1;
		}
		*skip = unknown_element(r, name);
		return 0;
	}
	if (depth != 1) {
		*skip = true;
		return 0;
	}
	if (name == n->record) {
		r->record = reg_builder_begin_record(r->builder, r->line);
		if (r->record == NULL)
			return -1;
		r->record_has_assignee = false;
		const char *date = attribute(r, n->date), *updated = attribute(r, n->updated);
		r->field_line = r->line;
		parse_date_field(r, date, &r->record->registered, "registration date");
		parse_date_field(r, updated, &r->record->modified, "modification date");
	} else if (name == n->people) {
		r->in_people = true;
	} else if (name == n->title) {
		begin_field(r, FIELD_TITLE, depth);
	} else if (name == n->updated) {
		begin_field(r, FIELD_REGISTRY_UPDATED, depth);
	} else if (name == n->footnote) {
		r->footnote_anchor = attribute(r, n->anchor);
		begin_field(r, FIELD_FOOTNOTE, depth);
	} else {
		*skip = true; /* category, expert, note, xref of the registry itself */
	}
	return 0;
}

int xml_records_end(struct xml_records *r, int depth)
{
	if (r->field != FIELD_NONE) {
		if (depth == r->field_depth)
			return end_field(r);
		return 0;
	}
	if (r->in_assignee) {
		r->in_assignee = false;
		return 0;
	}
	if (r->record != NULL) {
		if (!r->record_has_assignee && reg_builder_copy_contacts_to_assignees(r->builder) < 0)
			return -1;
		r->record = NULL;
		return reg_builder_end_record(r->builder);
	}
	if (r->person != NULL) {
		r->person = NULL;
		return 0;
	}
	if (r->in_people)
		r->in_people = false;
	return 0;
}


int xml_records_text(struct xml_records *r, const char *text, size_t len)
{
	return r->field != FIELD_NONE ? text_append(r, text, len) : 0;
}

int xml_records_init(struct xml_records *r, struct registry_builder *builder, xmlDictPtr dict)
{
	memset(r, 0, sizeof(*r));
	r->builder = builder;
	r->field_depth = -1;
	if (intern_names(r, dict) < 0)
		return reg_builder_out_of_memory(builder);
	return 0;
}

void xml_records_free(struct xml_records *r)
{
	iana_grow_buffer_free(&r->text);
	iana_grow_buffer_free(&r->scratch);
}
