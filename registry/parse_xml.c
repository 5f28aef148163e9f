/* parse_xml.c - reads the registry's authoritative XML format with libxml2's
 * SAX2 interface: a push parser (xmlCreatePushParserCtxt, xmlParseChunk)
 * fed block by block from the input, no tree, namespace-aware, no network,
 * no DTD loading, no entity expansion.  This file drives libxml2: feeds it,
 * translates its errors, and passes the document's element and text events
 * to xml_records.c, which knows what the IANA elements mean.
 *
 * Fatal here: not well-formed XML (libxml2's words, after ours), an entity
 * reference in text (never expanded; a document whose entities expand too
 * much is refused by libxml2 already), elements nested deeper than 256
 * levels or a run of text over 10,000,000 bytes (libxml2's tree builder
 * enforces these two; without a tree they are ours to keep), a read error.
 *
 * Every byte goes through xml_guard.c before libxml2 sees it, which refuses
 * tags and declarations long enough to make libxml2 slow (2.9: quadratic)
 * or large in memory (2.15: a tag of 400,000 attributes needs over 128 MB).
 *
 * libxml2 state stays local to the parser context: errors come through the
 * context's structured handler (the SAX handler's serror), no global error
 * handler, no xmlCleanupParser().  The one exception is scoped: libxml2 2.9
 * reports some of its own allocation failures through the thread's generic
 * error handler (stderr by default) instead of the context's, so for the
 * duration of a parse that thread's handler drops them (the load fails all
 * the same, with its own diagnostic) and is then put back as it was.
 *
 * Entities: libxml2 parses an entity's replacement text at its first
 * reference, with the document's SAX handler (2.9: in a context of its own
 * whose _private is copied; 2.13 and later: as another input of the same
 * context), to check it; those events are not the document's and are
 * dropped (document_event()), and the reference itself is the fatal error.
 */
#include "registry_builder.h"
#include "xml_guard.h"
#include "xml_records.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

/* What libxml2's tree builder allows, which a SAX parse must check itself. */
#define XML_MAX_DEPTH 256
#define XML_MAX_TEXT_RUN 10000000u
/* Bytes read and handed to libxml2 at a time. */
#define XML_BLOCK 8192

struct xml_parser {
	xmlParserCtxtPtr ctxt;
	struct registry_builder *builder;
	struct input_source *in;
	struct xml_guard guard; /* every byte libxml2 gets passes it first */
	struct xml_records records;
	int depth;      /* elements open */
	int skip_depth; /* depth of the element whose subtree is skipped, or -1 */
	bool seen_root;
	bool stopped;   /* a fatal error is reported: libxml2 was told to stop */
	size_t text_run; /* bytes of the text since the last markup */
	bool libxml_error;
	bool libxml_fatal;
	/* the last libxml2 error reported, to drop its repetitions */
	int last_code;
	uint32_t last_line, last_column;
};

/* The document's current line and column (libxml2 counts both from 1). */
static uint32_t current_line(const struct xml_parser *p)
{
	int line = p->ctxt->input != NULL ? p->ctxt->input->line : 0;
	return line > 0 ? (uint32_t)line : 0;
}

static uint32_t current_column(const struct xml_parser *p)
{
	int column = p->ctxt->input != NULL ? p->ctxt->input->col : 0;
	return column > 0 ? (uint32_t)column : 0;
}

/* The parser an event is for, or NULL when the event is not the
 * document's: it comes from the replacement text of an entity, which
 * libxml2 parses to check it (see the top comment), or after a stop.  CTX
 * is the context the event comes from, its own user data. */
static struct xml_parser *document_event(void *ctx)
{
	const xmlParserCtxt *ctxt = ctx;
	struct xml_parser *p = ctxt->_private;
	if (p == NULL || ctxt != p->ctxt || ctxt->inputNr > 1 || p->stopped)
		return NULL;
	return p;
}

/* Stop libxml2 after a fatal error of ours: nothing of the document after
 * it is looked at. */
static void stop(struct xml_parser *p)
{
	if (!p->stopped) {
		p->stopped = true;
		xmlStopParser(p->ctxt);
	}
}

/* A limit of ours passed where the parser stands: said, and the end. */
static void refuse_here(struct xml_parser *p, const char *what)
{
	reg_builder_error(p->builder, current_line(p), current_column(p), "%s", what);
	stop(p);
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
	l = (int)current_line(p);
	c = (int)current_column(p);
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

/* The context's structured error handler.  ARG is the context's user
 * data, the context itself (or, in libxml2 2.9, the context checking an
 * entity), whose _private is the parser. */
static void on_libxml_error(void *arg, libxml_error error)
{
	const xmlParserCtxt *from = arg;
	struct xml_parser *p = from != NULL ? from->_private : NULL;
	if (p == NULL || error == NULL || p->libxml_fatal)
		return; /* after a fatal error: its consequences, already said */
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
		p->libxml_fatal = error->level == XML_ERR_FATAL;
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

/* ---- libxml2's SAX2 events ---- */

static void on_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
			     int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
			     const xmlChar **attributes)
{
	struct xml_parser *p = document_event(ctx);
	(void)prefix;
	(void)nb_namespaces;
	(void)namespaces;
	if (p == NULL)
		return;
	int depth = p->depth++;
	p->text_run = 0;
	p->seen_root = true;
	if (depth > XML_MAX_DEPTH) {
		refuse_here(p, "elements nested too deep (256 levels at most)");
		return;
	}
	if (p->skip_depth >= 0)
		return;
	struct xml_element e = {.name = localname,
				.ns = uri,
				.attrs = attributes,
				.n_attrs = nb_attributes - nb_defaulted,
				.line = current_line(p)};
	bool skip = false;
	if (xml_records_start(&p->records, &e, depth, &skip) < 0 || reg_builder_failed(p->builder))
		stop(p);
	else if (skip)
		p->skip_depth = depth;
}

static void on_end_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
	struct xml_parser *p = document_event(ctx);
	(void)localname;
	(void)prefix;
	(void)uri;
	if (p == NULL)
		return;
	int depth = --p->depth;
	p->text_run = 0;
	if (p->skip_depth >= 0) {
		if (depth == p->skip_depth)
			p->skip_depth = -1;
		return;
	}
	if (xml_records_end(&p->records, depth) < 0 || reg_builder_failed(p->builder))
		stop(p);
}

/* Character data, CDATA sections and whitespace alike: kept inside a field. */
static void on_text(void *ctx, const xmlChar *ch, int len)
{
	struct xml_parser *p = document_event(ctx);
	if (p == NULL || len <= 0)
		return;
	p->text_run += (size_t)len;
	if (p->text_run > XML_MAX_TEXT_RUN) {
		refuse_here(p, "text over the XML parser's limit (10,000,000 bytes)");
		return;
	}
	if (p->skip_depth < 0 && xml_records_text(&p->records, (const char *)ch, (size_t)len) < 0)
		stop(p);
}

/* A comment or processing instruction ends a run of text, as a node would. */
static void on_comment(void *ctx, const xmlChar *value)
{
	struct xml_parser *p = document_event(ctx);
	(void)value;
	if (p != NULL)
		p->text_run = 0;
}

static void on_processing_instruction(void *ctx, const xmlChar *target, const xmlChar *data)
{
	(void)target;
	on_comment(ctx, data);
}

/* An entity reference libxml2 did not replace (no XML_PARSE_NOENT). */
static void on_reference(void *ctx, const xmlChar *name)
{
	struct xml_parser *p = document_event(ctx);
	if (p == NULL || p->skip_depth >= 0)
		return;
	/* the enclosing field's line says where, as a tree's reference nodes
	 * carry none */
	reg_builder_error(p->builder, xml_records_field_line(&p->records, current_line(p)), 0,
		      "entity reference &%s; is not expanded (entity expansion is disabled)", (const char *)name);
	stop(p);
}

/* libxml2's SAX2 defaults (the DTD's internal subset and its entities are
 * still recorded, for the well-formedness checks), our handlers for the
 * document, and no external subset. */
static void init_handler(xmlSAXHandler *h)
{
	memset(h, 0, sizeof(*h));
	xmlSAXVersion(h, 2);
	h->startElementNs = on_start_element;
	h->endElementNs = on_end_element;
	h->startElement = NULL;
	h->endElement = NULL;
	h->characters = on_text;
	h->ignorableWhitespace = on_text;
	h->cdataBlock = on_text;
	h->comment = on_comment;
	h->processingInstruction = on_processing_instruction;
	h->reference = on_reference;
	h->externalSubset = NULL;
	h->serror = on_libxml_error;
}

/* Stands in for the thread's generic error handler during a parse. */
static void drop_generic_error(void *context, const char *fmt, ...)
{
	(void)context;
	(void)fmt;
}

/* Feed the input to libxml2, each block through the guard first.  0 at the
 * input's end, -1 when the parse stopped (diagnosed, or *MALFORMED set when
 * libxml2 refused the document without saying why). */
static int feed(struct xml_parser *p, bool *malformed)
{
	char block[XML_BLOCK];
	for (;;) {
		int n = fill_input(p->in, block, (int)sizeof(block));
		if (n < 0)
			return reg_builder_error(p->builder, 0, 0, "read error: %s", strerror(p->in->read_errno));
		if (n > 0 && reg_xml_guard_scan(&p->guard, block, (size_t)n) < 0) {
			struct xml_guard *g = &p->guard;
			return reg_builder_error(p->builder, g->start_line > UINT32_MAX ? UINT32_MAX : (uint32_t)g->start_line,
					     g->start_column > UINT32_MAX ? UINT32_MAX : (uint32_t)g->start_column, "%s",
					     g->error);
		}
		int rc = xmlParseChunk(p->ctxt, block, n, n == 0);
		if (p->stopped || reg_builder_failed(p->builder))
			return -1;
		if (rc != 0 && !p->ctxt->wellFormed) {
			*malformed = true;
			return -1;
		}
		if (n == 0)
			return 0;
	}
}

int reg_parse_xml(struct registry_builder *builder, struct input_source *in)
{
	struct xml_parser p = {.builder = builder, .in = in, .skip_depth = -1};
	reg_xml_guard_init(&p.guard);
	xmlSAXHandler handler;
	init_handler(&handler);
	/* No XML_PARSE_NOENT (entities stay unexpanded), no DTDLOAD/DTDATTR
	 * (nothing external is read), NONET (no network). */
	int options = XML_PARSE_NONET | XML_PARSE_NOCDATA;
	xmlGenericErrorFunc saved_handler = xmlGenericError;
	void *saved_context = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, drop_generic_error);
	/* the context is its own user data: libxml2's SAX2 defaults need it */
	p.ctxt = xmlCreatePushParserCtxt(&handler, NULL, NULL, 0, NULL);
	if (p.ctxt == NULL) {
		xmlSetGenericErrorFunc(saved_context, saved_handler);
		reg_builder_out_of_memory(builder); /* its only way to fail here */
		return reg_builder_error(builder, 0, 0, "cannot create an XML parser: out of memory");
	}
	p.ctxt->_private = &p;
	xmlCtxtUseOptions(p.ctxt, options);
	bool malformed = false;
	bool records = xml_records_init(&p.records, builder, p.ctxt->dict) == 0;
	if (!records)
		reg_builder_out_of_memory(builder);
	else if (feed(&p, &malformed) == 0 && !reg_builder_failed(builder)) {
		if (!p.seen_root)
			reg_builder_error(builder, 1, 0, "no root element");
		else if (xml_records_open(&p.records))
			reg_builder_error(builder, current_line(&p), 0, "unexpected end of document");
	}
	if (malformed && !p.libxml_error && !reg_builder_failed(builder))
		reg_builder_error(builder, current_line(&p), 0, "malformed XML");
	if (p.ctxt->myDoc != NULL) /* the SAX2 defaults' document: the DTD, no tree */
		xmlFreeDoc(p.ctxt->myDoc);
	p.ctxt->myDoc = NULL;
	xmlFreeParserCtxt(p.ctxt);
	xmlSetGenericErrorFunc(saved_context, saved_handler);
	if (records)
		xml_records_free(&p.records);
	return reg_builder_failed(builder) ? -1 : 0;
}

