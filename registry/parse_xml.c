/* parse_xml.c - reads the registry's authoritative XML format with libxml2's
 * streaming reader (xmlTextReader): no DOM tree, namespace-aware, no network,
 * no DTD loading, no entity expansion.
 *
 * Elements are matched by local name within the IANA namespace
 * (http://www.iana.org/assignments); subtrees in other namespaces are
 * skipped.  Fatal: not well-formed XML, a root other than {IANA}registry, an
 * entity reference in text or in an attribute we read (never expanded; a
 * document whose entities expand too much is refused by libxml2 already), a
 * bad port, protocol or service code.
 * Warnings: unknown IANA elements (skipped, reported once per name), bad
 * dates (dropped), unknown xref types (kept as text references).
 *
 * Every byte goes through xml_guard.c before libxml2 sees it, which refuses
 * tags and declarations long enough to make libxml2 slow (2.9: quadratic)
 * or large in memory (2.15: a tag of 400,000 attributes needs over 128 MB).
 *
 * libxml2 state stays local to the reader: no global error handler, no
 * xmlCleanupParser().  The one exception is scoped: libxml2 2.9 reports
 * some of its own allocation failures through the thread's generic error
 * handler (stderr by default) instead of the reader's, so for the duration
 * of a parse that thread's handler drops them (the load fails all the same,
 * with its own diagnostic) and is then put back as it was.
 */
#include "grow_buffer.h"
#include "registry_builder.h"
#include "xml_guard.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xmlreader.h>

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

struct xml_parser {
	xmlTextReaderPtr reader;
	struct registry_builder *builder;
	struct input_source *in;
	struct xml_guard guard; /* every byte libxml2 gets passes it first */
	bool guard_refused;
	struct xml_names n;
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
	/* the xref being collected */
	enum iana_ref_kind xref_kind;
	const char *xref_data, *xref_section, *footnote_anchor;
	/* unknown element names already reported */
	const xmlChar *reported[32];
	size_t n_reported;
	bool libxml_error;
	const xmlNs *iana_ns; /* the declaration of the IANA namespace, once seen */
	/* the last libxml2 error reported, to drop its repetitions */
	int last_code;
	uint32_t last_line, last_column;
};

/* Line of the current node, 0 when unknown.  libxml2 keeps element lines in
 * 16 bits; with XML_PARSE_BIG_LINES text nodes carry the full number, so past
 * line 65534 a record or field is dated by its first text node (the line of
 * the record's first field, see text_start_line). */
static uint32_t node_line(xmlTextReaderPtr reader)
{
	xmlNodePtr node = xmlTextReaderCurrentNode(reader);
	if (node == NULL)
		return 0;
	if (node->line < 65535)
		return node->line;
	if ((node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) && node->psvi)
		return (uint32_t)(uintptr_t)node->psvi;
	return 0;
}

/* Line where the current text node starts: libxml2 stamps a text node with
 * the line its first chunk ends on. */
static uint32_t text_start_line(xmlTextReaderPtr reader, const char *value)
{
	uint32_t line = node_line(reader);
	for (const char *p = value; *p && line > 1; p++)
		if (*p == '\n')
			line--;
	return line;
}

static uint32_t current_line(struct xml_parser *p)
{
	uint32_t line = node_line(p->reader);
	if (line == 0)
		line = (uint32_t)xmlTextReaderGetParserLineNumber(p->reader);
	return line;
}

/* libxml2 2.12 made the error a structured handler receives const. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *libxml_error;
#else
typedef xmlError *libxml_error;
#endif

/* Where the document stands when libxml2 reports an error: an error met
 * inside an entity's replacement text carries a line of that text (or, in
 * libxml2 before 2.12, of a context of its own that checks it), which says
 * nothing to the reader of the file.  Sets *LINE and *COLUMN from the
 * document's own input then, and leaves them alone otherwise. */
static void document_position(struct xml_parser *p, const xmlParserCtxt *ctxt, uint32_t *line, uint32_t *column)
{
	int l = 0, c = 0;
#if LIBXML_VERSION >= 21200
	if (ctxt->inputNr <= 1)
		return;
	(void)p;
#if LIBXML_VERSION >= 21400
	if (xmlCtxtGetInputPosition((xmlParserCtxt *)ctxt, 0, NULL, &l, &c, NULL) < 0)
		return;
#else
	l = ctxt->inputTab[0]->line;
	c = ctxt->inputTab[0]->col;
#endif
#else
	if (ctxt->depth == 0 && ctxt->inputNr <= 1)
		return;
	l = xmlTextReaderGetParserLineNumber(p->reader);
	c = xmlTextReaderGetParserColumnNumber(p->reader);
#endif
	*line = l > 0 ? (uint32_t)l : 0;
	*column = c > 0 ? (uint32_t)c : 0;
}

/* Our words for what libxml2 refused, put before its own message, whose
 * wording changes between releases; NULL when its message says it all.
 * libxml2 files its own limits under different codes from one release to
 * the next (and "loop" also for references that merely expand too much),
 * so those are told apart by what they concern. */
static const char *error_reason(libxml_error error)
{
	const char *m = error->message != NULL ? error->message : "";
	switch (error->code) {
	case XML_ERR_ENTITY_LOOP:
		return "entity expansion refused";
	case XML_ERR_INVALID_CHAR:
	case XML_ERR_INVALID_ENCODING:
		return "invalid UTF-8 or a character XML does not allow";
	case XML_ERR_NO_MEMORY:
	case XML_ERR_INTERNAL_ERROR:
#if LIBXML_VERSION >= 21200
	case XML_ERR_RESOURCE_LIMIT:
#endif
		if (strstr(m, "ntit") != NULL)
			return "entity expansion refused";
		if (strstr(m, "depth") != NULL)
			return "elements nested too deep (256 levels at most)";
		if (strstr(m, "huge") != NULL || strstr(m, "too long") != NULL)
			return "text over the XML parser's limit (10,000,000 bytes)";
#if LIBXML_VERSION >= 21200
		if (error->code == XML_ERR_RESOURCE_LIMIT)
			return "over the XML parser's limits";
#endif
		return NULL;
	default:
		return error->level != XML_ERR_WARNING &&
				       (error->domain == XML_FROM_PARSER || error->domain == XML_FROM_NAMESPACE)
			       ? "malformed XML"
			       : NULL;
	}
}

static void on_libxml_error(void *arg, libxml_error error)
{
	struct xml_parser *p = arg;
	if (error == NULL || p->guard_refused)
		return; /* after a refusal: only the input's end, already said */
	char message[512];
	size_t len = strlen(error->message ? error->message : "XML error");
	if (len >= sizeof(message))
		len = sizeof(message) - 1;
	memcpy(message, error->message ? error->message : "XML error", len);
	while (len > 0 && (message[len - 1] == '\n' || message[len - 1] == ' '))
		len--;
	message[len] = '\0';
	/* one line: "Input is not proper UTF-8, ...\nBytes: 0xFF ..." */
	for (char *nl = memchr(message, '\n', len); nl != NULL; nl = memchr(nl, '\n', len - (size_t)(nl - message)))
		*nl = ' ';
	uint32_t line = error->line > 0 ? (uint32_t)error->line : 0;
	uint32_t column = error->int2 > 0 ? (uint32_t)error->int2 : 0;
	const xmlParserCtxt *ctxt = error->domain == XML_FROM_PARSER || error->domain == XML_FROM_NAMESPACE ||
					    error->domain == XML_FROM_DTD
				    ? error->ctxt
				    : NULL;
	if (ctxt != NULL)
		document_position(p, ctxt, &line, &column);
	/* libxml2 repeats an error once per level it unwinds (an entity
	 * expansion refused at every nesting level): say it once. */
	if (error->level != XML_ERR_WARNING && error->code == p->last_code && line == p->last_line &&
	    column == p->last_column)
		return;
	p->last_code = error->code;
	p->last_line = line;
	p->last_column = column;
	const char *reason = error_reason(error);
	if (error->level == XML_ERR_WARNING) {
		reg_builder_warning(p->builder, line, column, "%s%s%s", reason ? reason : "", reason ? ": " : "",
				message);
	} else {
		p->libxml_error = true;
		/* libxml2 ran out of memory (not a size limit): the load says so */
		if (error->code == XML_ERR_NO_MEMORY && reason == NULL)
			reg_builder_out_of_memory(p->builder);
		reg_builder_error(p->builder, line, column, "%s%s%s", reason ? reason : "", reason ? ": " : "", message);
	}
}

/* Up to LEN bytes of the input: the prefix read for detection, then FD. */
static int fill_input(struct input_source *in, char *buffer, int len)
{
	if (len <= 0)
		return 0;
	if (in->prefix_pos < in->prefix_len) {
		size_t n = in->prefix_len - in->prefix_pos;
		if (n > (size_t)len)
			n = (size_t)len;
		memcpy(buffer, in->prefix + in->prefix_pos, n);
		in->prefix_pos += n;
		return (int)n;
	}
	for (;;) {
		ssize_t n = read(in->fd, buffer, (size_t)len);
		if (n >= 0)
			return (int)n;
		if (errno != EINTR) {
			in->read_errno = errno;
			return -1;
		}
	}
}

/* libxml2's input callback: what fill_input() gives, once the guard
 * (xml_guard.h) has let it through. */
static int read_input(void *context, char *buffer, int len)
{
	struct xml_parser *p = context;
	int n = fill_input(p->in, buffer, len);
	if (n > 0 && reg_xml_guard_scan(&p->guard, buffer, (size_t)n) < 0) {
		if (!p->guard_refused) {
			p->guard_refused = true;
			reg_builder_error(p->builder, p->guard.start_line > UINT32_MAX ? UINT32_MAX : (uint32_t)p->guard.start_line,
				      p->guard.start_column > UINT32_MAX ? UINT32_MAX : (uint32_t)p->guard.start_column,
				      "%s", p->guard.error);
		}
		return -1;
	}
	return n;
}

/* Intern the names compared by pointer.  -1 when the reader's dictionary
 * cannot take one (out of memory): a NULL name would match nothing and
 * make a good registry look foreign. */
static int intern_names(struct xml_parser *p)
{
	xmlTextReaderPtr r = p->reader;
	bool ok = true;
#define INTERN(field, text) ok = (p->n.field = xmlTextReaderConstString(r, BAD_CAST(text))) != NULL && ok
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

static int text_append(struct xml_parser *p, const char *s, size_t len)
{
	return iana_grow_buffer_append(&p->text, s, len) < 0 ? reg_builder_out_of_memory(p->builder) : 0;
}

/* <br/> and <paragraph> inside running text: IANA's CSV and plain-text
 * renderings show such a break as an ordinary line break (the CSV folds
 * "<br/><br/>" into one), which the builder flows into one space
 * (registry_builder.c); so here it only separates words. */
static int markup_break(struct xml_parser *p)
{
	if (p->text.len == 0)
		return 0;
	char last = p->text.data[p->text.len - 1];
	if (last == ' ' || last == '\t' || last == '\n' || last == '\r')
		return 0;
	return text_append(p, " ", 1);
}

static void begin_field(struct xml_parser *p, enum field field, int depth)
{
	p->field = field;
	p->field_depth = depth;
	p->field_line = node_line(p->reader); /* 0: dated by its text */
	p->text.len = 0;
}

/* The collected text, trimmed, in the arena; NULL when empty. */
static const char *field_text(struct xml_parser *p)
{
	return reg_builder_str_trimmed(p->builder, p->text.data ? p->text.data : "", p->text.len);
}

static void parse_date_field(struct xml_parser *p, const char *text, struct iana_date *date,
			     const char *what)
{
	if (text != NULL && !iana_date_parse(text, strlen(text), date))
		reg_builder_warning(p->builder, p->field_line, 0, "%s \"%s\" is not a date (YYYY[-MM[-DD]]); ignored",
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

static int end_field(struct xml_parser *p)
{
	enum field field = p->field;
	struct registry_builder *b = p->builder;
	if (p->field_line == 0)
		p->field_line = (uint32_t)xmlTextReaderGetParserLineNumber(p->reader);
	uint32_t line = p->field_line;
	p->field = FIELD_NONE;
	const char *text = field_text(p);
	struct iana_record *r = p->record;

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
		if (p->footnote_anchor && text && reg_builder_add_footnote(b, p->footnote_anchor, text) < 0)
			return -1;
		break;
	case FIELD_NAME:
		r->name = text;
		break;
	case FIELD_PROTOCOL:
		if (text != NULL) {
			r->protocol = (uint8_t)iana_protocol_from_name(text, strlen(text));
			if (r->protocol == IANA_PROTO_NONE)
				return reg_builder_error(b, line, 0, "unknown transport protocol \"%s\"", text);
		}
		break;
	case FIELD_DESCRIPTION:
		r->description = text;
		break;
	case FIELD_NUMBER:
		if (text != NULL) {
			if (!reg_parse_port_range(text, strlen(text), &r->port_first, &r->port_last))
				return reg_builder_error(b, line, 0,
						     "port number \"%s\" is not a port (0-65535) or range", text);
			r->has_port = true;
		}
		break;
	case FIELD_NOTE:
		r->notes = join_text(b, r->notes, text, "\n\n"); /* paragraphs */
		break;
	case FIELD_SC: {
		char *end;
		errno = 0;
		unsigned long v = text ? strtoul(text, &end, 10) : 0;
		if (text == NULL || *end != '\0' || errno || v > UINT32_MAX || text[0] == '-' || text[0] == '+')
			return reg_builder_error(b, line, 0, "service code \"%s\" is not a 32-bit number",
					     text ? text : "");
		r->service_code = (uint32_t)v;
		r->has_service_code = true;
		break;
	}
	case FIELD_UNAUTHORIZED:
		r->unauthorized = text;
		break;
	case FIELD_XREF:
		if (reg_builder_add_reference(b, p->xref_kind, p->xref_data, text, p->xref_section) < 0)
			return -1;
		break;
	case FIELD_PERSON_NAME:
		p->person->name = text;
		break;
	case FIELD_PERSON_ORG:
		p->person->org = text;
		break;
	case FIELD_PERSON_URI: /* a few people list two: keep both */
		p->person->uri = join_text(b, p->person->uri, text, " ");
		break;
	case FIELD_PERSON_UPDATED:
		parse_date_field(p, text, &p->person->updated, "person <updated>");
		break;
	}
	return reg_builder_failed(b) ? -1 : 0;
}

/* Copy the current element's attribute NAME (interned) into the arena.
 * Attributes are read straight off the node: the reader's cursor API costs
 * a dictionary lookup per call. */
static const char *attribute(struct xml_parser *p, const xmlChar *name)
{
	xmlNodePtr node = xmlTextReaderCurrentNode(p->reader);
	for (xmlAttrPtr a = node ? node->properties : NULL; a != NULL; a = a->next) {
		if (a->name != name || a->ns != NULL)
			continue;
		size_t len = 0;
		const char *v = NULL;
		if (a->children != NULL && a->children->next == NULL && a->children->type == XML_TEXT_NODE) {
			v = (const char *)a->children->content;
			len = v ? strlen(v) : 0;
			return reg_builder_str(p->builder, v ? v : "", len);
		}
		for (xmlNodePtr c = a->children; c != NULL; c = c->next)
			if (c->type == XML_ENTITY_REF_NODE) {
				reg_builder_error(p->builder, current_line(p), 0,
					      "entity reference &%s; in attribute %s is not expanded (entity expansion is disabled)",
					      (const char *)c->name, (const char *)name);
				return NULL;
			}
		xmlChar *joined = xmlNodeListGetString(node->doc, a->children, 1);
		const char *copy = reg_builder_str(p->builder, joined ? (const char *)joined : "",
					       joined ? strlen((const char *)joined) : 0);
		xmlFree(joined);
		return copy;
	}
	return NULL;
}

/* Whether NODE is in the IANA namespace: one string comparison per
 * namespace declaration, then pointer equality. */
static bool in_iana_namespace(struct xml_parser *p, xmlNodePtr node)
{
	const xmlNs *ns = node->ns;
	if (ns == NULL)
		return false;
	if (ns == p->iana_ns)
		return true;
	if (ns->href != NULL && xmlStrEqual(ns->href, p->n.ns)) {
		p->iana_ns = ns;
		return true;
	}
	return false;
}

static enum iana_ref_kind xref_kind(struct xml_parser *p, const char *type)
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
	reg_builder_warning(p->builder, current_line(p), 0, "unknown <xref> type \"%s\"; kept as text",
			type ? type : "");
	return IANA_REF_TEXT;
}

/* Render an <xref> met inside running text (a note) as "[RFC7595]". */
static int append_inline_xref(struct xml_parser *p)
{
	xmlChar *type = xmlTextReaderGetAttribute(p->reader, p->n.type);
	xmlChar *data = xmlTextReaderGetAttribute(p->reader, p->n.data);
	int rc = 0;
	if (data != NULL) {
		const char *d = (const char *)data;
		bool rfc = type && xmlStrcmp(type, BAD_CAST "rfc") == 0 && strncasecmp(d, "rfc", 3) == 0;
		if (text_append(p, "[", 1) < 0 || (rfc && text_append(p, "RFC", 3) < 0) ||
		    text_append(p, rfc ? d + 3 : d, strlen(rfc ? d + 3 : d)) < 0 || text_append(p, "]", 1) < 0)
			rc = -1;
	}
	xmlFree(type);
	xmlFree(data);
	return rc;
}

static bool unknown_element(struct xml_parser *p, const xmlChar *name)
{
	for (size_t i = 0; i < p->n_reported; i++)
		if (p->reported[i] == name)
			return true;
	reg_builder_warning(p->builder, current_line(p), 0, "unknown element <%s> skipped", (const char *)name);
	if (p->n_reported < sizeof(p->reported) / sizeof(p->reported[0]))
		p->reported[p->n_reported++] = name;
	return true;
}

/* Handle an element start; *skip is set to skip its subtree. */
static int start_element(struct xml_parser *p, int depth, bool *skip)
{
	xmlTextReaderPtr r = p->reader;
	xmlNodePtr node = xmlTextReaderCurrentNode(r);
	const xmlChar *name = node->name; /* interned: the reader parses with a dictionary */
	bool iana = in_iana_namespace(p, node);
	const xmlChar *ns = node->ns ? node->ns->href : NULL;
	const struct xml_names *n = &p->n;

	if (depth == 0) {
		if (name != n->registry || !iana)
			return reg_builder_error(p->builder, current_line(p), 0,
					     "root element is <%s>%s%s%s, not an IANA registry (<registry xmlns=\"" IANA_NAMESPACE "\">)",
					     (const char *)name, ns ? " in namespace \"" : " in no namespace",
					     ns ? (const char *)ns : "", ns ? "\"" : "");
		return 0;
	}
	if (p->field != FIELD_NONE) {
		/* markup inside running text */
		if (!iana)
			*skip = true;
		else if (name == n->br || name == n->paragraph)
			return markup_break(p);
		else if (name == n->xref)
			return append_inline_xref(p);
		return 0;
	}
	if (!iana) {
		*skip = true;
		return 0;
	}
	if (p->record != NULL) {
		if (p->in_assignee) {
			if (name == n->xref) {
				const char *type = attribute(p, n->type), *data = attribute(p, n->data);
				if (type == NULL || strcmp(type, "person") != 0 || data == NULL)
					reg_builder_warning(p->builder, current_line(p), 0,
							"<assignee> holds an <xref> that is not a person; ignored");
				else if (reg_builder_add_assignee(p->builder, data, strlen(data)) < 0)
					return -1;
				*skip = true;
				return 0;
			}
			*skip = unknown_element(p, name);
			return 0;
		}
		if (name == n->name)
			begin_field(p, FIELD_NAME, depth);
		else if (name == n->protocol)
			begin_field(p, FIELD_PROTOCOL, depth);
		else if (name == n->description)
			begin_field(p, FIELD_DESCRIPTION, depth);
		else if (name == n->number)
			begin_field(p, FIELD_NUMBER, depth);
		else if (name == n->note)
			begin_field(p, FIELD_NOTE, depth);
		else if (name == n->sc)
			begin_field(p, FIELD_SC, depth);
		else if (name == n->unauthorized)
			begin_field(p, FIELD_UNAUTHORIZED, depth);
		else if (name == n->assignee) {
			p->in_assignee = true;
			p->record_has_assignee = true;
		} else if (name == n->xref) {
			const char *type = attribute(p, n->type), *data = attribute(p, n->data);
			enum iana_ref_kind kind = xref_kind(p, type);
			if (kind == IANA_REF_PERSON) {
				*skip = true;
				if (data == NULL)
					reg_builder_warning(p->builder, current_line(p), 0,
							"person <xref> without data; ignored");
				else if (reg_builder_add_contact(p->builder, data, strlen(data)) < 0)
					return -1;
				return 0;
			}
			p->xref_kind = kind;
			p->xref_data = data;
			p->xref_section = attribute(p, n->section);
			begin_field(p, FIELD_XREF, depth);
		} else
			*skip = unknown_element(p, name);
		return 0;
	}
	if (p->person != NULL) {
		if (name == n->name)
			begin_field(p, FIELD_PERSON_NAME, depth);
		else if (name == n->org)
			begin_field(p, FIELD_PERSON_ORG, depth);
		else if (name == n->uri)
			begin_field(p, FIELD_PERSON_URI, depth);
		else if (name == n->updated)
			begin_field(p, FIELD_PERSON_UPDATED, depth);
		else
			*skip = unknown_element(p, name);
		return 0;
	}
	if (p->in_people) {
		if (name == n->person) {
			const char *id = attribute(p, n->id);
			if (id == NULL || *id == '\0')
				return reg_builder_error(p->builder, current_line(p), 0, "<person> without an id");
			p->person = reg_builder_add_person(p->builder, id, strlen(id), current_line(p));
			return p->person ? 0 : -1;
		}
		*skip = unknown_element(p, name);
		return 0;
	}
	if (depth != 1) {
		*skip = true;
		return 0;
	}
	if (name == n->record) {
		p->record = reg_builder_begin_record(p->builder, node_line(r));
		if (p->record == NULL)
			return -1;
		p->record_has_assignee = false;
		const char *date = attribute(p, n->date), *updated = attribute(p, n->updated);
		p->field_line = current_line(p);
		parse_date_field(p, date, &p->record->registered, "registration date");
		parse_date_field(p, updated, &p->record->modified, "modification date");
	} else if (name == n->people) {
		p->in_people = true;
	} else if (name == n->title) {
		begin_field(p, FIELD_TITLE, depth);
	} else if (name == n->updated) {
		begin_field(p, FIELD_REGISTRY_UPDATED, depth);
	} else if (name == n->footnote) {
		p->footnote_anchor = attribute(p, n->anchor);
		begin_field(p, FIELD_FOOTNOTE, depth);
	} else {
		*skip = true; /* category, expert, note, xref of the registry itself */
	}
	return 0;
}

static int end_element(struct xml_parser *p, int depth)
{
	if (p->field != FIELD_NONE) {
		if (depth == p->field_depth)
			return end_field(p);
		return 0;
	}
	if (p->in_assignee) {
		p->in_assignee = false;
		return 0;
	}
	if (p->record != NULL) {
		if (p->record->line == 0)
			p->record->line = (uint32_t)xmlTextReaderGetParserLineNumber(p->reader);
		if (!p->record_has_assignee && reg_builder_copy_contacts_to_assignees(p->builder) < 0)
			return -1;
		p->record = NULL;
		return reg_builder_end_record(p->builder);
	}
	if (p->person != NULL) {
		p->person = NULL;
		return 0;
	}
	if (p->in_people)
		p->in_people = false;
	return 0;
}

/* Text is only wanted inside a field, or to date a record past line 65534. */
static int handle_text(struct xml_parser *p, const char *value)
{
	if (value == NULL)
		return 0;
	if ((p->record != NULL && p->record->line == 0) || (p->field != FIELD_NONE && p->field_line == 0)) {
		uint32_t line = text_start_line(p->reader, value);
		if (p->record != NULL && p->record->line == 0)
			p->record->line = line;
		if (p->field != FIELD_NONE && p->field_line == 0)
			p->field_line = line;
	}
	if (p->field != FIELD_NONE)
		return text_append(p, value, strlen(value));
	return 0;
}

static int handle_node(struct xml_parser *p, bool *skip)
{
	xmlTextReaderPtr r = p->reader;
	/* Fast path: a text node is read straight from the node, sparing
	 * xmlTextReaderNodeType()'s whitespace classification, which the
	 * model does not need. */
	xmlNodePtr node = xmlTextReaderCurrentNode(r);
	if (node != NULL && (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE))
		return handle_text(p, (const char *)node->content);
	int type = xmlTextReaderNodeType(r);
	switch (type) {
	case XML_READER_TYPE_ELEMENT: {
		int depth = xmlTextReaderDepth(r);
		bool empty = xmlTextReaderIsEmptyElement(r) == 1;
		if (start_element(p, depth, skip) < 0)
			return -1;
		if (empty && !*skip)
			return end_element(p, depth);
		if (empty)
			*skip = false; /* nothing to skip */
		return 0;
	}
	case XML_READER_TYPE_END_ELEMENT:
		return end_element(p, xmlTextReaderDepth(r));
	case XML_READER_TYPE_TEXT:
	case XML_READER_TYPE_CDATA:
	case XML_READER_TYPE_WHITESPACE:
	case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
		return handle_text(p, (const char *)xmlTextReaderConstValue(r));
	case XML_READER_TYPE_ENTITY_REFERENCE:
		/* reference nodes carry no line; the enclosing field's is exact */
		return reg_builder_error(p->builder, p->field != FIELD_NONE && p->field_line ? p->field_line : current_line(p), 0,
				     "entity reference &%s; is not expanded (entity expansion is disabled)",
				     (const char *)xmlTextReaderConstName(r));
	default:
		return 0; /* comments, processing instructions, the doctype */
	}
}

/* Stands in for the thread's generic error handler during a parse. */
static void drop_generic_error(void *context, const char *fmt, ...)
{
	(void)context;
	(void)fmt;
}

int reg_parse_xml(struct registry_builder *builder, struct input_source *in)
{
	struct xml_parser p = {.builder = builder, .in = in, .field_depth = -1};
	reg_xml_guard_init(&p.guard);
	/* No XML_PARSE_NOENT (entities stay unexpanded), no DTDLOAD/DTDATTR
	 * (nothing external is read), NONET (no network).  NOBLANKS drops the
	 * indentation between elements, a tenth of the parsing work. */
	int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT |
		      XML_PARSE_NOBLANKS;
	xmlGenericErrorFunc saved_handler = xmlGenericError;
	void *saved_context = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, drop_generic_error);
	p.reader = xmlReaderForIO(read_input, NULL, &p, NULL, NULL, options);
	if (p.reader == NULL) {
		xmlSetGenericErrorFunc(saved_context, saved_handler);
		reg_builder_out_of_memory(builder); /* its only way to fail here */
		return reg_builder_error(builder, 0, 0, "cannot create an XML reader: out of memory");
	}
	xmlTextReaderSetStructuredErrorHandler(p.reader, on_libxml_error, &p);
	bool seen_root = false;
	int ret = -1;
	if (intern_names(&p) < 0)
		reg_builder_out_of_memory(builder);
	else
		ret = xmlTextReaderRead(p.reader);
	while (ret == 1) {
		bool skip = false;
		seen_root = true;
		if (handle_node(&p, &skip) < 0 || reg_builder_failed(builder))
			break;
		ret = skip ? xmlTextReaderNext(p.reader) : xmlTextReaderRead(p.reader);
	}
	if (ret < 0 && !p.libxml_error && !reg_builder_failed(builder)) {
		if (in->read_errno != 0)
			reg_builder_error(builder, 0, 0, "read error: %s", strerror(in->read_errno));
		else
			reg_builder_error(builder, current_line(&p), 0, "malformed XML");
	}
	if (ret == 0 && !seen_root && !reg_builder_failed(builder))
		reg_builder_error(builder, 1, 0, "no root element");
	if (ret == 0 && (p.record != NULL || p.person != NULL) && !reg_builder_failed(builder))
		reg_builder_error(builder, current_line(&p), 0, "unexpected end of document");
	xmlFreeTextReader(p.reader);
	xmlSetGenericErrorFunc(saved_context, saved_handler);
	iana_grow_buffer_free(&p.text);
	return reg_builder_failed(builder) ? -1 : 0;
}
