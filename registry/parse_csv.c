/* parse_csv.c - reads IANA's 12-column CSV rendering of the "Service Name and
 * Transport Protocol Port Number Registry" into a registry builder.
 *
 * This file owns: the header check, RFC 4180 tokenizing (quoted fields, ""
 * escapes, fields spanning lines, LF and CRLF line ends, blank lines), the
 * field-count check, and the mapping of each column onto struct iana_record:
 * port ranges, protocols, the bracketed people and reference lists, dates
 * and service codes.  Strings, lists, record status and the diagnostics
 * themselves belong to the builder (registry_builder.c).
 *
 * The input is read in one pass.  A field is used in place when it can be;
 * a quoted field holding "" or CRLF is unescaped into one scratch buffer,
 * reused from record to record, which also provides the NUL-terminated
 * copies reg_builder_add_reference() needs.
 */
#include "grow_buffer.h"
#include "registry_builder.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CSV_COLUMNS 12u

enum csv_column {
	COL_NAME = 0,
	COL_PORT,
	COL_PROTOCOL,
	COL_DESCRIPTION,
	COL_ASSIGNEE,
	COL_CONTACT,
	COL_REGISTERED,
	COL_MODIFIED,
	COL_REFERENCE,
	COL_SERVICE_CODE,
	COL_UNAUTHORIZED,
	COL_NOTES,
};

static const char csv_header[] =
	"Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,"
	"Registration Date,Modification Date,Reference,Service Code,"
	"Unauthorized Use Reported,Assignment Notes";

/* Bytes that interrupt a run of ordinary field text. */
enum byte_class {
	BYTE_PLAIN = 0,
	BYTE_COMMA,
	BYTE_LF,
	BYTE_CR,
	BYTE_QUOTE,
};

static const unsigned char byte_class[256] = {
	[','] = BYTE_COMMA,
	['\n'] = BYTE_LF,
	['\r'] = BYTE_CR,
	['"'] = BYTE_QUOTE,
};

/* One field of the record being read. */
struct csv_field {
	const char *text; /* set by resolve_fields() for fields in scratch */
	size_t offset;    /* offset in scratch when in_scratch */
	size_t len;
	uint32_t line; /* where the field starts */
	uint32_t column;
	bool in_scratch;
};

struct csv_parser {
	struct registry_builder *builder;
	const char *p; /* next byte to read */
	const char *end;
	const char *line_start; /* first byte of the current line */
	uint32_t line;
	struct grow_buffer scratch;
	struct csv_field fields[CSV_COLUMNS];
	unsigned n_fields; /* fields of the record, also beyond CSV_COLUMNS */
};

/* The builder's notion of whitespace (see reg_builder_str_trimmed()). */
static inline bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Trim whitespace off both ends of [*s, *e). */
static void trim(const char **s, const char **e)
{
	const char *a = *s, *b = *e;
	while (a < b && is_space(*a))
		a++;
	while (b > a && is_space(b[-1]))
		b--;
	*s = a;
	*e = b;
}

static bool is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_space(s[i]))
			return false;
	return true;
}

/* Does [s, s + len) start with PREFIX, ignoring ASCII case? */
static bool has_prefix_ci(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && strncasecmp(s, prefix, n) == 0;
}

/* A printable excerpt of [s, s + len) for a diagnostic: at most 40 bytes,
 * control bytes shown as '?'. */
#define EXCERPT_SIZE 48
static const char *excerpt(char *buf, const char *s, size_t len)
{
	size_t n = len > 40 ? 40 : len;
	while (n < len && n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--; /* do not cut a UTF-8 sequence */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		buf[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (n < len) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

static inline uint32_t column_of(const struct csv_parser *ps, const char *at)
{
	size_t column = (size_t)(at - ps->line_start) + 1;
	return column > UINT32_MAX ? UINT32_MAX : (uint32_t)column;
}

/* A line ended; the next one starts at NEXT. */
static inline void new_line(struct csv_parser *ps, const char *next)
{
	if (ps->line < UINT32_MAX)
		ps->line++;
	ps->line_start = next;
}

/* Make room for NEED more bytes in scratch. */
static int scratch_reserve(struct csv_parser *ps, size_t need)
{
	return iana_grow_buffer_reserve(&ps->scratch, need) < 0 ? reg_builder_out_of_memory(ps->builder) : 0;
}

static int scratch_append(struct csv_parser *ps, const char *s, size_t len)
{
	if (len == 0)
		return 0;
	return iana_grow_buffer_append(&ps->scratch, s, len) < 0 ? reg_builder_out_of_memory(ps->builder) : 0;
}

/* Is there a line end ("\n" or "\r\n") at P? */
static inline bool at_line_end(const char *p, const char *end)
{
	return *p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n');
}

/* Read an unquoted field at ps->p, up to a comma, a line end or the end of
 * the input.  A lone CR is data. */
static int read_plain_field(struct csv_parser *ps, struct csv_field *f)
{
	const char *p = ps->p, *end = ps->end;
	for (;;) {
		while (p < end && byte_class[(unsigned char)*p] == BYTE_PLAIN)
			p++;
		if (p == end || *p == ',' || at_line_end(p, end))
			break;
		if (*p == '"')
			return reg_builder_error(ps->builder, ps->line, column_of(ps, p),
					     "stray '\"' in an unquoted field (a field holding "
					     "quotes must be quoted as a whole, with \"\" for \")");
		p++; /* a lone CR */
	}
	f->text = ps->p;
	f->len = (size_t)(p - ps->p);
	f->in_scratch = false;
	ps->p = p;
	return 0;
}

/* Read a quoted field; ps->p is at its opening quote.  The value is used in
 * place unless it holds "" or CRLF, which are unescaped into scratch. */
static int read_quoted_field(struct csv_parser *ps, struct csv_field *f)
{
	const uint32_t open_line = ps->line, open_column = column_of(ps, ps->p);
	const char *p = ps->p + 1, *end = ps->end;
	const char *run = p; /* start of the bytes not yet copied */
	const size_t offset = ps->scratch.len;
	bool copied = false;

	for (;;) {
		while (p < end && byte_class[(unsigned char)*p] <= BYTE_COMMA)
			p++;
		if (p == end)
			return reg_builder_error(ps->builder, open_line, open_column,
					     "unterminated quoted field (the quote opened here is "
					     "never closed)");
		if (*p == '\n') {
			p++;
			new_line(ps, p);
		} else if (*p == '\r') {
			if (p + 1 < end && p[1] == '\n') {
				/* CRLF inside the value becomes LF */
				if (scratch_append(ps, run, (size_t)(p - run)) < 0)
					return -1;
				copied = true;
				run = p + 1;
				p += 2;
				new_line(ps, p);
			} else {
				p++;
			}
		} else if (p + 1 < end && p[1] == '"') {
			/* "" is a literal quote: keep the first */
			if (scratch_append(ps, run, (size_t)(p + 1 - run)) < 0)
				return -1;
			copied = true;
			p += 2;
			run = p;
		} else {
			break; /* the closing quote */
		}
	}

	if (copied) {
		if (scratch_append(ps, run, (size_t)(p - run)) < 0)
			return -1;
		f->text = NULL;
		f->offset = offset;
		f->len = ps->scratch.len - offset;
		f->in_scratch = true;
	} else {
		f->text = run;
		f->len = (size_t)(p - run);
		f->in_scratch = false;
	}
	p++;
	if (p < end && *p != ',' && !at_line_end(p, end))
		return reg_builder_error(ps->builder, ps->line, column_of(ps, p),
				     "unexpected character after the closing quote of a field");
	ps->p = p;
	return 0;
}

/* Read one record at ps->p (which is not at a line end or the end of the
 * input) and the line end after it. */
static int read_record(struct csv_parser *ps)
{
	ps->n_fields = 0;
	ps->scratch.len = 0;
	for (;;) {
		struct csv_field f = {
			.line = ps->line,
			.column = column_of(ps, ps->p),
		};
		int rc = ps->p < ps->end && *ps->p == '"' ? read_quoted_field(ps, &f)
							   : read_plain_field(ps, &f);
		if (rc < 0)
			return -1;
		if (ps->n_fields < CSV_COLUMNS)
			ps->fields[ps->n_fields] = f;
		if (ps->n_fields < UINT_MAX)
			ps->n_fields++;

		if (ps->p == ps->end)
			return 0;
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		/* the readers stop only at a comma or a line end */
		ps->p += *ps->p == '\r' ? 2 : 1;
		new_line(ps, ps->p);
		return 0;
	}
}

/* Check the header line and move past it. */
static int read_header(struct csv_parser *ps)
{
	const char *p = ps->p, *end = ps->end;
	if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	ps->line_start = p;
	if (p == end)
		return reg_builder_error(ps->builder, 1, 0, "empty input: the CSV header line is missing");

	const char *eol = memchr(p, '\n', (size_t)(end - p));
	const char *stop = eol ? eol : end;
	if (stop > p && stop[-1] == '\r')
		stop--;
	size_t len = (size_t)(stop - p);
	if (len != sizeof(csv_header) - 1 || memcmp(p, csv_header, len) != 0) {
		size_t same = 0;
		while (same < len && same < sizeof(csv_header) - 1 && p[same] == csv_header[same])
			same++;
		return reg_builder_error(ps->builder, 1, (uint32_t)same + 1,
				     "not the header of the IANA service-names CSV: expected \"%s\"",
				     csv_header);
	}
	if (eol) {
		ps->p = eol + 1;
		new_line(ps, ps->p);
	} else {
		ps->p = end;
	}
	return 0;
}

/* NAME gets the trimmed field, or NULL when it is blank. */
static int map_string(struct csv_parser *ps, const char **name, const struct csv_field *f)
{
	*name = reg_builder_str_trimmed(ps->builder, f->text, f->len);
	if (*name == NULL && !is_blank(f->text, f->len))
		return -1; /* out of memory, recorded by the builder */
	return 0;
}

static int map_port(struct csv_parser *ps, struct iana_record *r, const struct csv_field *f)
{
	const char *s = f->text, *e = s + f->len;
	trim(&s, &e);
	if (s == e)
		return 0;
	if (!reg_parse_port_range(s, (size_t)(e - s), &r->port_first, &r->port_last)) {
		char buf[EXCERPT_SIZE];
		return reg_builder_error(ps->builder, f->line, f->column,
				     "invalid port number \"%s\" (expected a port or a range "
				     "such as 6000-6063, at most 65535)",
				     excerpt(buf, s, (size_t)(e - s)));
	}
	r->has_port = true;
	return 0;
}

static int map_protocol(struct csv_parser *ps, struct iana_record *r, const struct csv_field *f)
{
	const char *s = f->text, *e = s + f->len;
	trim(&s, &e);
	if (s == e) {
		r->protocol = IANA_PROTO_NONE;
		return 0;
	}
	enum iana_protocol protocol = iana_protocol_from_name(s, (size_t)(e - s));
	if (protocol == IANA_PROTO_NONE) {
		char buf[EXCERPT_SIZE];
		return reg_builder_error(ps->builder, f->line, f->column,
				     "unknown transport protocol \"%s\" (expected tcp, udp, "
				     "sctp, dccp or nothing)",
				     excerpt(buf, s, (size_t)(e - s)));
	}
	r->protocol = (uint8_t)protocol;
	return 0;
}

static void map_date(struct csv_parser *ps, struct iana_date *date, const struct csv_field *f,
		     const char *what)
{
	const char *s = f->text, *e = s + f->len;
	trim(&s, &e);
	if (s != e && !iana_date_parse(s, (size_t)(e - s), date)) {
		char buf[EXCERPT_SIZE];
		reg_builder_warning(ps->builder, f->line, f->column,
				"%s date \"%s\" is not YYYY, YYYY-MM or YYYY-MM-DD; ignored", what,
				excerpt(buf, s, (size_t)(e - s)));
	}
}

static int map_service_code(struct csv_parser *ps, struct iana_record *r, const struct csv_field *f)
{
	const char *s = f->text, *e = s + f->len;
	trim(&s, &e);
	if (s == e)
		return 0;
	uint32_t value = 0;
	for (const char *p = s; p < e; p++) {
		unsigned digit = (unsigned)(*p - '0');
		if (!is_digit(*p) || value > (UINT32_MAX - digit) / 10) {
			char buf[EXCERPT_SIZE];
			return reg_builder_error(ps->builder, f->line, f->column,
					     "invalid service code \"%s\" (expected a decimal "
					     "number below 2^32)",
					     excerpt(buf, s, (size_t)(e - s)));
		}
		value = value * 10 + digit;
	}
	r->service_code = value;
	r->has_service_code = true;
	return 0;
}

/* The next item of a bracket list ("[A][B]", "[A], [B]") in [*p, end):
 * *s and *e get its trimmed content and *p moves past it; *bracketed tells
 * whether it was in well-formed brackets.  Whitespace, commas and
 * semicolons between items are skipped.  False when no item is left. */
static bool next_item(const char **p, const char *end, const char **s, const char **e,
		      bool *bracketed)
{
	const char *q = *p;
	while (q < end && (is_space(*q) || *q == ',' || *q == ';'))
		q++;
	if (q == end) {
		*p = q;
		return false;
	}
	if (*q == '[') {
		const char *close = memchr(q + 1, ']', (size_t)(end - q - 1));
		*s = q + 1;
		*e = close ? close : end;
		*p = close ? close + 1 : end;
		*bracketed = close != NULL;
	} else {
		const char *open = memchr(q, '[', (size_t)(end - q));
		*s = q;
		*e = open ? open : end;
		*p = *e;
		*bracketed = false;
		/* separators before the next bracket are not part of the text */
		while (*e > *s && ((*e)[-1] == ',' || (*e)[-1] == ';' || is_space((*e)[-1])))
			(*e)--;
	}
	trim(s, e);
	return true;
}

typedef int (*add_person_fn)(struct registry_builder *builder, const char *id, size_t len);

/* Assignee or Contact: "[Id]" items; other text is taken as one id. */
static int map_people(struct csv_parser *ps, const struct csv_field *f, add_person_fn add,
		      const char *column)
{
	const char *p = f->text, *end = p + f->len, *s, *e;
	bool bracketed;
	while (next_item(&p, end, &s, &e, &bracketed)) {
		char buf[EXCERPT_SIZE];
		if (s == e) {
			reg_builder_warning(ps->builder, f->line, f->column, "empty [] in the %s column",
					column);
			continue;
		}
		if (!bracketed)
			reg_builder_warning(ps->builder, f->line, f->column,
					"%s \"%s\" is not in [brackets]; taken as one id", column,
					excerpt(buf, s, (size_t)(e - s)));
		if (add(ps->builder, s, (size_t)(e - s)) < 0)
			return -1;
	}
	return 0;
}

static bool all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_digit(s[i]))
			return false;
	return len > 0;
}

/* Copy [s, s + len) as a C string to *tmp, moving *tmp past it. */
static const char *tmp_string(char **tmp, const char *s, size_t len)
{
	char *copy = *tmp;
	memcpy(copy, s, len);
	copy[len] = '\0';
	*tmp += len + 1;
	return copy;
}

/* "RFC6335" or "RFC4340, Section 19" (ASCII case ignored): *data gets
 * "rfc6335", *section "19" or NULL.  False for anything else. */
static bool parse_rfc(const char *s, size_t len, char **tmp, const char **data,
		      const char **section)
{
	const char *end = s + len, *p = s + 3;
	if (!has_prefix_ci(s, len, "RFC"))
		return false;
	while (p < end && *p == ' ')
		p++;
	const char *digits = p;
	while (p < end && is_digit(*p))
		p++;
	if (p == digits)
		return false;
	const char *digits_end = p;

	const char *sec = NULL, *sec_end = NULL;
	while (p < end && is_space(*p))
		p++;
	if (p < end) {
		if (*p == ',')
			p++;
		while (p < end && is_space(*p))
			p++;
		if (!has_prefix_ci(p, (size_t)(end - p), "Section"))
			return false;
		p += 7;
		if (p == end || !is_space(*p))
			return false;
		sec = p;
		sec_end = end;
		trim(&sec, &sec_end);
		if (sec == sec_end)
			return false;
	}

	char *copy = *tmp;
	memcpy(copy, "rfc", 3);
	memcpy(copy + 3, digits, (size_t)(digits_end - digits));
	copy[3 + (digits_end - digits)] = '\0';
	*tmp += 3 + (digits_end - digits) + 1;
	*data = copy;
	*section = sec ? tmp_string(tmp, sec, (size_t)(sec_end - sec)) : NULL;
	return true;
}

/* One reference item (trimmed, not empty).  TMP has room for twice its
 * length plus a few bytes. */
static int add_reference(struct csv_parser *ps, const char *s, size_t len, bool bracketed,
			 char *tmp)
{
	enum iana_ref_kind kind;
	const char *data = NULL, *text = NULL, *section = NULL;
	if (!bracketed) {
		kind = IANA_REF_TEXT;
		text = tmp_string(&tmp, s, len);
	} else if (all_digits(s, len)) {
		kind = IANA_REF_NOTE;
		data = tmp_string(&tmp, s, len);
	} else if (has_prefix_ci(s, len, "http://") || has_prefix_ci(s, len, "https://")) {
		kind = IANA_REF_URI;
		data = tmp_string(&tmp, s, len);
	} else if (has_prefix_ci(s, len, "draft-") || has_prefix_ci(s, len, "RFC-")) {
		kind = IANA_REF_DRAFT;
		data = tmp_string(&tmp, s, len);
	} else if (parse_rfc(s, len, &tmp, &data, &section)) {
		kind = IANA_REF_RFC;
	} else {
		kind = IANA_REF_TEXT;
		text = tmp_string(&tmp, s, len);
	}
	return reg_builder_add_reference(ps->builder, kind, data, text, section);
}

/* Reference: "[RFC6335][draft-...][1]"; other text becomes a text reference. */
static int map_references(struct csv_parser *ps, const struct csv_field *f, char *tmp)
{
	const char *p = f->text, *end = p + f->len, *s, *e;
	bool bracketed;
	while (next_item(&p, end, &s, &e, &bracketed)) {
		char buf[EXCERPT_SIZE];
		if (s == e) {
			reg_builder_warning(ps->builder, f->line, f->column,
					"empty [] in the Reference column");
			continue;
		}
		if (!bracketed)
			reg_builder_warning(ps->builder, f->line, f->column,
					"reference \"%s\" is not in [brackets]; kept as text",
					excerpt(buf, s, (size_t)(e - s)));
		if (add_reference(ps, s, (size_t)(e - s), bracketed, tmp) < 0)
			return -1;
	}
	return 0;
}

/* Turn the fields of a complete record into a builder record. */
static int map_record(struct csv_parser *ps, uint32_t line)
{
	struct registry_builder *b = ps->builder;
	struct csv_field *f = ps->fields;

	/* Room for the C strings of the references, then fix the addresses
	 * of the fields held in scratch (it no longer moves). */
	size_t tmp_offset = ps->scratch.len;
	if (scratch_reserve(ps, 2 * f[COL_REFERENCE].len + 8) < 0)
		return -1;
	for (unsigned i = 0; i < CSV_COLUMNS; i++)
		if (f[i].in_scratch)
			f[i].text = ps->scratch.data + f[i].offset;

	struct iana_record *r = reg_builder_begin_record(b, line);
	if (r == NULL)
		return -1;
	if (map_string(ps, &r->name, &f[COL_NAME]) < 0 || map_port(ps, r, &f[COL_PORT]) < 0 ||
	    map_protocol(ps, r, &f[COL_PROTOCOL]) < 0 ||
	    map_string(ps, &r->description, &f[COL_DESCRIPTION]) < 0 ||
	    map_people(ps, &f[COL_ASSIGNEE], reg_builder_add_assignee, "Assignee") < 0 ||
	    map_people(ps, &f[COL_CONTACT], reg_builder_add_contact, "Contact") < 0)
		return -1;
	map_date(ps, &r->registered, &f[COL_REGISTERED], "registration");
	map_date(ps, &r->modified, &f[COL_MODIFIED], "modification");
	if (map_references(ps, &f[COL_REFERENCE], ps->scratch.data + tmp_offset) < 0 ||
	    map_service_code(ps, r, &f[COL_SERVICE_CODE]) < 0 ||
	    map_string(ps, &r->unauthorized, &f[COL_UNAUTHORIZED]) < 0 ||
	    map_string(ps, &r->notes, &f[COL_NOTES]) < 0)
		return -1;
	/* reg_builder_end_record() may also fail on a list too long for a record */
	if (reg_builder_end_record(b) < 0 || reg_builder_failed(b))
		return -1;
	return 0;
}

static int parse_records(struct csv_parser *ps)
{
	if (read_header(ps) < 0)
		return -1;
	while (ps->p < ps->end) {
		if (at_line_end(ps->p, ps->end)) {
			/* a blank line */
			ps->p += *ps->p == '\r' ? 2 : 1;
			new_line(ps, ps->p);
			continue;
		}
		uint32_t line = ps->line;
		if (read_record(ps) < 0)
			return -1;
		if (ps->n_fields != CSV_COLUMNS)
			return reg_builder_error(ps->builder, line, 0,
					     "record has %u field%s, expected %u", ps->n_fields,
					     ps->n_fields == 1 ? "" : "s", CSV_COLUMNS);
		if (map_record(ps, line) < 0)
			return -1;
	}
	return 0;
}

int reg_parse_csv(struct registry_builder *builder, const char *data, size_t len)
{
	static const char nothing[1];
	struct csv_parser ps = {
		.builder = builder,
		.p = data ? data : nothing,
		.end = (data ? data : nothing) + len,
		.line = 1,
	};
	ps.line_start = ps.p;
	int rc = parse_records(&ps);
	iana_grow_buffer_free(&ps.scratch);
	return rc;
}
