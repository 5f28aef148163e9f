/* parse_text.c - reads the plain-text rendering of the IANA "Service Name and
 * Transport Protocol Port Number Registry" into a registry builder.
 *
 * This file owns: splitting the text into its three sections, the preamble
 * (title, "Last Updated"), the heuristic that recovers the columns of a
 * record line, and the heuristic that splits a contacts-table line into id,
 * name, organization, URI and date.  Strings, lists, record status, person
 * resolution (and the warning for a person listed twice: the first entry
 * wins) and the diagnostics themselves belong to the builder
 * (registry_builder.c).
 *
 * The layout:
 *
 *   Internet Assigned Numbers Authority            <- preamble
 *   Service Name and Transport Protocol Port ...   <- the title: the first
 *   Last Updated                                      non-blank line after
 *   2025-05-05                                        the "Internet ..." one
 *   ... (experts, notes: ignored)
 *   Service Name Port Number Transport Protocol Description Assignee ...
 *   <one record per line>                          <- records
 *   Contact Information
 *   ID Name Organization Contact URI Last Updated
 *   [Id] <name and/or organization> <URI> [<date>] <- contacts
 *
 * Lines end in LF, CRLF or a lone CR; a UTF-8 byte order mark is skipped.
 * A NUL byte anywhere is an error.  The input is read in three passes: the
 * first finds the sections, reads the preamble and collects the ids of the
 * contacts table (the records need them, and the table comes last), the
 * second reads the records, the third the contacts table.
 *
 * Record lines.  Columns are separated by single spaces and empty columns
 * vanish, so the columns are recovered from the shape of the tokens (split
 * on blanks):
 *
 *   1. Name: the first token, unless it looks like a port or a range (all
 *      digits, or digits-digits) or is a [bracketed] unit.  Rows without a
 *      name ("13219-13222 Unassigned", "13823 udp Reserved") get NULL.
 *   2. Port or range: the next token if it is all digits or digits-digits;
 *      reg_parse_port_range() must accept it (else the load fails), unless it
 *      is a date (YYYY-MM).  Absent on DNS-SD rows ("activeraid-ssl
 *      Encrypted transport of ...").
 *   3. Protocol: the next token if it is exactly tcp, udp, sctp or dccp
 *      (lower case, as IANA writes them: "TCP" may start a description).
 *   4. Description: the tokens up to the first one that starts the trailing
 *      columns (below).
 *   5. Trailing columns, each optional, in this order:
 *        assignee  a bracket unit whose ids are all in the contacts table
 *        contact   the same, the next unit
 *        registration date, modification date (YYYY, YYYY-MM, YYYY-MM-DD)
 *        references: bracket units ("[RFC5024]" -> rfc "rfc5024",
 *                  "[RFC8765, Section 6.1]" -> rfc with section,
 *                  "[draft-...]", "[RFC-ietf-...]" -> draft, "[http...]" ->
 *                  uri, "[1]" -> note, an id of the contacts table ->
 *                  person, anything else -> text: "[ISO/IEC 13818-6 ...]")
 *        service code: all digits, only on dccp rows
 *        free text: everything from the first token that fits none of the
 *                  above, in the order above, to the end of the line.
 *                  The text cannot tell "Unauthorized Use Reported" from
 *                  "Assignment Notes": free text always goes to notes and
 *                  `unauthorized` stays NULL.
 *      A bracket unit is a token made of one or more adjacent [..] groups
 *      ("[A]", "[A][B]") followed by a blank or the end of the line; a
 *      group may contain blanks ("[ISO/IEC 13818-6 MPEG-2 DSM-CC]") and
 *      ends at the first ']'.
 *      Assignee and contact: IANA prints "[A] [B]".  With two person units
 *      the first is the assignee, the second the contact (a third and more
 *      add contacts); with one, its ids are both assignee and contact (as
 *      IANA's CSV shows XML records that name only a person).  Without a
 *      contacts table no bracket is a person: all become references.
 *      A single date is taken as the registration date.
 *
 * Where the description ends: descriptions may themselves hold brackets
 * ("File Transfer [Default Data]", "... [1 year assignment]").  Scanning
 * the tokens after the protocol:
 *   - a person unit ends the description (persons come first in the
 *     trailing columns, so anything before one is description);
 *   - so does a unit holding an RFC, draft, URI or footnote reference;
 *   - a date ends it, unless at most two dates and then a person unit
 *     follow it ("Office Link 2000 [Id] [Id]"); a bare year "YYYY" only
 *     when it is followed by the end of the line, a bracket unit or another
 *     date (a description may end in a number); on dccp rows so does an
 *     all-digits last token;
 *   - so do the phrases that start IANA's free text on rows without any
 *     other trailing column: "Defined TXT keys:", "Known Unauthorized
 *     Use", "Unauthorized Use Known", "This entry " (ASCII case ignored);
 *   - another unit ("[Default Data]", "[n/a]") ends the description only
 *     when no person unit follows before one of the tokens above.
 * So "https tcp HTTP over SSL/TLS [Tim_Berners_Lee] [Tim_Berners_Lee] Web
 * browsers like ..." has the description "HTTP over SSL/TLS" and the rest
 * after the ids as notes.
 *
 * Known limits (measured by rendering IANA's 2024 CSV, 14,447 rows, this
 * way and reading it back: 2% of the rows differ, 300 of them by the date
 * rule, 20 otherwise, all in these ways):
 *   - on a row with no person, date or reference, free text other than the
 *     phrases above cannot be told from the description: it stays in it
 *     ("Reserved This entry has been removed on ...");
 *   - a single date is taken as the registration date (IANA's CSV has 4,440
 *     rows with only a registration date, 300 with only a modification
 *     date);
 *   - a description ending in a bracket on a row without persons
 *     ("Unassigned [was netstat]") loses the bracket to a text reference;
 *   - a service name with blanks (a few old rows: "Apple Remote Desktop
 *     (Net Assistant)") and, on port-less rows, a description starting
 *     with a number cannot be read;
 *   - a field that spans several lines cannot be told from records (how
 *     IANA's text rendering shows one is unknown): its lines are read as
 *     records.
 *
 * A line with one token that is not a port is not a record and fails the
 * load, as does a line with neither name, port nor description (only
 * brackets, say); blank lines are skipped; a repeated column-header line is
 * skipped with a warning.
 *
 * Contact lines: "[Id] <Name and/or Organization> <URI> [<Last Updated>]".
 * The URI runs from the first token starting with "mailto:", "http://",
 * "https://" or "tel:" (the schemes of IANA's people table) to the date,
 * kept as is (junk like "anthurbe@cisco.com>" included); a last token that
 * parses as a date is the update date.  The
 * text between the id and the URI holds name and organization with nothing
 * to tell them apart, so:
 *   - normalize the id (drop a trailing _N numeric suffix, keep ASCII
 *     letters and digits, lower case) and the words the same way;
 *   - the shortest leading run of words whose concatenation equals the
 *     normalized id is the name, the remaining words the organization
 *     ("[Javier_Nigro] Javier Nigro Arrow Bit SL");
 *   - IANA truncates ids to about 20 characters ("Horizon_Digital_Ente",
 *     "Shailesh_S_Bavadeka"): for an id of 19 characters or more, a run
 *     whose concatenation starts with the normalized id also matches;
 *   - when the text ends in a legal-form word (Inc, Ltd, LLC, GmbH, AG,
 *     SL, Corp, ...) and at most that one word is left after the match,
 *     the whole text is an organization ("[A-Trust_GmbH] A-Trust GmbH",
 *     "Horizon Digital Enterprise Inc."), not a name;
 *   - with no match at all, the whole text is the organization.
 * Checked against the <people> table of the 2026 XML registry (5,615
 * entries rendered as "name org"), this gets 92% of the splits right; the
 * rest are mostly organizations named like their id without a legal form
 * ("[Cisco_3] Cisco", "[NEGU_Soft] NEGU Soft"), which come out as names.
 * A line "[N] text" with an all-digit id is a footnote, not a person.
 * Other lines of the contacts section are ignored with a warning.
 */
#include "grow_buffer.h"
#include "registry_builder.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char iana_line[] = "Internet Assigned Numbers Authority";
/* A line starting so is the column-header line (the names of the trailing
 * columns are not compared: a renamed one is not worth failing a load). */
static const char column_header_start[] = "Service Name Port Number Transport Protocol Description";
static const char contacts_heading[] = "Contact Information";
static const char contacts_header_start[] = "ID Name Organization";
static const char last_updated[] = "Last Updated";

/* Legal-form words that mark a contacts-table text as an organization. */
static const char *const legal_forms[] = {
	"ab", "ag", "as", "bhd", "bv", "co", "company", "corp", "corporation", "ev",
	"gmbh", "inc", "kg", "kk", "limited", "llc", "ltd", "nv", "oo", "ooo",
	"oy", "plc", "pty", "sa", "sas", "se", "sl", "spa", "sro", "srl",
};

#define NOT_FOUND SIZE_MAX

struct span {
	const char *p;
	size_t n;
};

/* One line of the input, without its line end. */
struct text_line {
	const char *p;
	size_t n;
	uint32_t no; /* 1-based */
	/* find_close() cache: the first ']' at or after any offset in
	 * [close_from, close_at] is at close_at (l->n: none) */
	size_t close_from, close_at;
	bool close_valid;
};

/* Reads the lines of [pos, end) of the input. */
struct line_reader {
	const char *data;
	size_t end;
	size_t pos;
	uint32_t no; /* number of the next line */
};

struct text_parser {
	struct registry_builder *builder;
	const char *data;
	size_t len;
	/* sections, found by scan_sections() */
	size_t records_pos, records_end;
	uint32_t records_line;
	bool have_contacts;
	size_t contacts_pos;
	uint32_t contacts_line;
	/* ids of the contacts table, sorted for bsearch() */
	struct span *ids;
	size_t n_ids, ids_capacity;
	/* NUL-terminated copies for reg_builder_add_reference() */
	struct grow_buffer scratch; /* len stays 0: used from its start */
};

/* ---- small helpers ---- */

static inline bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline char to_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return n > 0;
}

static struct span trim(struct span s)
{
	while (s.n > 0 && is_blank(*s.p)) {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && is_blank(s.p[s.n - 1]))
		s.n--;
	return s;
}

static bool span_eq(struct span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && memcmp(s.p, lit, n) == 0;
}

static bool has_prefix(struct span s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s.n >= n && memcmp(s.p, prefix, n) == 0;
}

static bool has_prefix_ci(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && strncasecmp(s, prefix, n) == 0;
}

static inline uint32_t column_of(size_t offset)
{
	return offset >= UINT32_MAX ? UINT32_MAX : (uint32_t)(offset + 1);
}

/* A printable excerpt of S for a diagnostic: at most 40 bytes, control
 * bytes shown as '?'. */
#define EXCERPT_SIZE 48
static const char *excerpt(char *buf, struct span s)
{
	size_t n = s.n > 40 ? 40 : s.n;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		buf[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (n < s.n) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

/* The next blank-separated token of S at or after *pos; *pos moves past it. */
static bool next_word(struct span s, size_t *pos, struct span *word)
{
	size_t i = *pos;
	while (i < s.n && is_blank(s.p[i]))
		i++;
	if (i == s.n) {
		*pos = i;
		return false;
	}
	size_t start = i;
	while (i < s.n && !is_blank(s.p[i]))
		i++;
	word->p = s.p + start;
	word->n = i - start;
	*pos = i;
	return true;
}

static bool next_token(const struct text_line *l, size_t *pos, struct span *token)
{
	return next_word((struct span){l->p, l->n}, pos, token);
}

static inline size_t offset_in(const struct text_line *l, struct span s)
{
	return (size_t)(s.p - l->p);
}

static bool read_line(struct line_reader *r, struct text_line *l)
{
	if (r->pos >= r->end)
		return false;
	const char *s = r->data + r->pos;
	size_t rest = r->end - r->pos, n = 0;
	while (n < rest && s[n] != '\n' && s[n] != '\r')
		n++;
	size_t advance = n;
	if (n < rest)
		advance += s[n] == '\r' && n + 1 < rest && s[n + 1] == '\n' ? 2 : 1;
	*l = (struct text_line){.p = s, .n = n, .no = r->no};
	r->pos += advance;
	if (r->no < UINT32_MAX)
		r->no++;
	return true;
}

/* Make room for NEED bytes of scratch. */
static int scratch_reserve(struct text_parser *ps, size_t need)
{
	return iana_grow_buffer_reserve(&ps->scratch, need) < 0 ? reg_builder_out_of_memory(ps->builder) : 0;
}

/* ---- the contacts-table ids ---- */

static int compare_spans(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->p, y->p, n);
	if (c != 0)
		return c;
	return (x->n > y->n) - (x->n < y->n);
}

static bool is_person_id(const struct text_parser *ps, struct span id)
{
	if (ps->n_ids == 0 || id.n == 0)
		return false;
	return bsearch(&id, ps->ids, ps->n_ids, sizeof(*ps->ids), compare_spans) != NULL;
}

/* The id of a contacts-table line T (trimmed, not empty): "[Id] rest".
 * False when T is not such a line. */
static bool contact_id(struct span t, struct span *id, struct span *rest)
{
	if (t.p[0] != '[')
		return false;
	const char *close = memchr(t.p, ']', t.n);
	if (close == NULL || close == t.p + 1)
		return false;
	*id = (struct span){t.p + 1, (size_t)(close - t.p - 1)};
	*rest = (struct span){close + 1, t.n - (size_t)(close + 1 - t.p)};
	return true;
}

static int add_id(struct text_parser *ps, struct span id)
{
	if (ps->n_ids == ps->ids_capacity) {
		size_t capacity = ps->ids_capacity ? ps->ids_capacity * 2 : 64;
		struct span *ids = capacity < SIZE_MAX / sizeof(*ids)
					   ? realloc(ps->ids, capacity * sizeof(*ids))
					   : NULL;
		if (ids == NULL)
			return reg_builder_out_of_memory(ps->builder);
		ps->ids = ids;
		ps->ids_capacity = capacity;
	}
	ps->ids[ps->n_ids++] = id;
	return 0;
}

/* ---- pass 1: sections, preamble, contact ids ---- */

/* Is T (trimmed) the column-header line? */
static bool is_column_header(struct span t)
{
	return has_prefix(t, column_header_start);
}

static int read_updated(struct text_parser *ps, const struct text_line *l, struct span date)
{
	struct iana_date d;
	if (!iana_date_parse(date.p, date.n, &d)) {
		char buf[EXCERPT_SIZE];
		return reg_builder_error(ps->builder, l->no, column_of(offset_in(l, date)),
				     "\"Last Updated\" date \"%s\" is not YYYY, YYYY-MM or YYYY-MM-DD",
				     excerpt(buf, date));
	}
	reg_builder_set_updated(ps->builder, d);
	return 0;
}

static int scan_sections(struct text_parser *ps, size_t start)
{
	enum { PREAMBLE, RECORDS, CONTACTS } section = PREAMBLE;
	bool seen_first = false, title_done = false, expect_updated = false;
	struct line_reader r = {.data = ps->data, .end = ps->len, .pos = start, .no = 1};
	struct text_line l;
	uint32_t last_line = 1;

	while (read_line(&r, &l)) {
		last_line = l.no;
		struct span t = trim((struct span){l.p, l.n});
		if (t.n == 0)
			continue;
		switch (section) {
		case PREAMBLE:
			if (expect_updated) {
				expect_updated = false;
				if (read_updated(ps, &l, t) < 0)
					return -1;
				continue;
			}
			if (is_column_header(t)) {
				section = RECORDS;
				ps->records_pos = r.pos;
				ps->records_line = r.no;
				ps->records_end = ps->len;
				continue;
			}
			if (has_prefix(t, last_updated) &&
			    (t.n == strlen(last_updated) || is_blank(t.p[strlen(last_updated)]))) {
				/* the date is on the next line (or, leniently, this one) */
				struct span rest = trim((struct span){t.p + strlen(last_updated),
								      t.n - strlen(last_updated)});
				title_done = true;
				if (rest.n == 0)
					expect_updated = true;
				else if (read_updated(ps, &l, rest) < 0)
					return -1;
				continue;
			}
			if (!seen_first) {
				seen_first = true;
				if (span_eq(t, iana_line))
					continue;
			}
			if (!title_done) {
				title_done = true;
				const char *title = reg_builder_str(ps->builder, t.p, t.n);
				if (title == NULL)
					return -1;
				reg_builder_set_title(ps->builder, title);
			}
			continue;
		case RECORDS:
			if (span_eq(t, contacts_heading)) {
				section = CONTACTS;
				ps->records_end = (size_t)(l.p - ps->data);
				ps->have_contacts = true;
				ps->contacts_pos = r.pos;
				ps->contacts_line = r.no;
			}
			continue;
		case CONTACTS: {
			struct span id, rest;
			if (contact_id(t, &id, &rest) && !all_digits(id.p, id.n) &&
			    add_id(ps, id) < 0)
				return -1;
			continue;
		}
		}
	}
	if (section == PREAMBLE)
		return reg_builder_error(ps->builder, last_line, 0,
				     "the column header line \"%s ...\" was not found: not IANA's "
				     "plain-text service registry",
				     column_header_start);
	if (ps->n_ids > 1)
		qsort(ps->ids, ps->n_ids, sizeof(*ps->ids), compare_spans);
	return 0;
}

/* ---- pass 2: records ---- */

/* Offset of the first ']' at or after FROM in L (l->n when none). */
static size_t find_close(struct text_line *l, size_t from)
{
	if (l->close_valid && from >= l->close_from && from <= l->close_at)
		return l->close_at;
	const char *c = from < l->n ? memchr(l->p + from, ']', l->n - from) : NULL;
	l->close_from = from;
	l->close_at = c ? (size_t)(c - l->p) : l->n;
	l->close_valid = true;
	return l->close_at;
}

/* Does a bracket unit ("[A]", "[A][B]", "[ISO/IEC 13818-6 ...]") start at
 * OFF?  *end gets the offset just past it. */
static bool bracket_unit(struct text_line *l, size_t off, size_t *end)
{
	size_t i = off;
	while (i < l->n && l->p[i] == '[') {
		size_t close = find_close(l, i + 1);
		if (close >= l->n)
			return false;
		i = close + 1;
		if (i == l->n || is_blank(l->p[i])) {
			*end = i;
			return true;
		}
	}
	return false;
}

/* The group of a bracket unit at OFF: its content; returns the offset just
 * past its ']'. */
static size_t bracket_group(struct text_line *l, size_t off, struct span *content)
{
	size_t close = find_close(l, off + 1);
	*content = (struct span){l->p + off + 1, close - off - 1};
	return close + 1;
}

enum unit_kind {
	UNIT_PERSONS, /* every group is an id of the contacts table */
	UNIT_TYPED,   /* holds an RFC, draft, URI or footnote reference */
	UNIT_OTHER,   /* text references ("[Default Data]", "[n/a]") */
};

static bool is_rfc_number(struct span s);

static bool is_typed_reference(struct span c)
{
	return all_digits(c.p, c.n) || has_prefix_ci(c.p, c.n, "http://") ||
	       has_prefix_ci(c.p, c.n, "https://") || has_prefix_ci(c.p, c.n, "draft-") ||
	       has_prefix_ci(c.p, c.n, "RFC-") || is_rfc_number(c);
}

static enum unit_kind classify_unit(const struct text_parser *ps, struct text_line *l, size_t off,
				    size_t end)
{
	bool persons = true, typed = false;
	for (size_t g = off; g < end;) {
		struct span c;
		g = bracket_group(l, g, &c);
		if (!is_person_id(ps, c)) {
			persons = false;
			typed = typed || is_typed_reference(c);
		}
	}
	return persons ? UNIT_PERSONS : typed ? UNIT_TYPED : UNIT_OTHER;
}

/* Is token T (ending at offset POS) a date that starts the trailing
 * columns?  A bare year only before the end of the line, a bracket unit or
 * another date. */
static bool is_date_start(struct text_line *l, struct span t, size_t pos)
{
	struct iana_date d;
	if (!iana_date_parse(t.p, t.n, &d))
		return false;
	if (t.n > 4)
		return true;
	struct span next;
	if (!next_token(l, &pos, &next))
		return true;
	size_t end;
	return (next.p[0] == '[' && bracket_unit(l, offset_in(l, next), &end)) ||
	       iana_date_parse(next.p, next.n, &d);
}

/* Does a phrase that only ever starts IANA's notes or unauthorized-use
 * text start at offset OFF? */
static bool starts_free_text(const struct text_line *l, size_t off)
{
	static const char *const phrases[] = {
		"Defined TXT keys:",
		"Known Unauthorized Use",
		"Unauthorized Use Known",
		"This entry ",
	};
	for (size_t i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
		if (has_prefix_ci(l->p + off, l->n - off, phrases[i]))
			return true;
	return false;
}

/* Do at most two dates and then a person unit follow offset POS?  Then a
 * date before them is a word of the description ("Office Link 2000 [Id]"):
 * persons precede dates in the trailing columns. */
static bool persons_follow(const struct text_parser *ps, struct text_line *l, size_t pos)
{
	struct span t;
	struct iana_date d;
	for (int i = 0; i < 3 && next_token(l, &pos, &t); i++) {
		size_t off = offset_in(l, t), end;
		if (t.p[0] == '[')
			return bracket_unit(l, off, &end) &&
			       classify_unit(ps, l, off, end) == UNIT_PERSONS;
		if (!iana_date_parse(t.p, t.n, &d))
			return false;
	}
	return false;
}

/* Where does the description that starts at offset START end?  See the top
 * of the file. */
static size_t description_end(const struct text_parser *ps, struct text_line *l, size_t start,
			      bool dccp)
{
	size_t pos = start, other = NOT_FOUND;
	struct span t;
	while (next_token(l, &pos, &t)) {
		size_t off = offset_in(l, t), end;
		if (t.p[0] == '[' && bracket_unit(l, off, &end)) {
			enum unit_kind kind = classify_unit(ps, l, off, end);
			if (kind == UNIT_PERSONS)
				return off;
			if (kind == UNIT_TYPED)
				return other != NOT_FOUND ? other : off;
			if (other == NOT_FOUND)
				other = off;
			pos = end;
			continue;
		}
		struct span next;
		size_t after = pos;
		if (starts_free_text(l, off))
			return other != NOT_FOUND ? other : off;
		if (is_date_start(l, t, pos) && !persons_follow(ps, l, pos))
			return other != NOT_FOUND ? other : off;
		if (dccp && all_digits(t.p, t.n) && !next_token(l, &after, &next))
			return other != NOT_FOUND ? other : off;
	}
	return other != NOT_FOUND ? other : l->n;
}

/* "RFC6335", "RFC 6335", "RFC4340, Section 19" (ASCII case ignored): the
 * number and the section (n == 0 when none).  False for anything else. */
static bool parse_rfc(struct span s, struct span *number, struct span *section)
{
	if (!has_prefix_ci(s.p, s.n, "RFC"))
		return false;
	size_t i = 3;
	while (i < s.n && s.p[i] == ' ')
		i++;
	size_t digits = i;
	while (i < s.n && is_digit(s.p[i]))
		i++;
	if (i == digits)
		return false;
	*number = (struct span){s.p + digits, i - digits};
	*section = (struct span){NULL, 0};
	struct span rest = trim((struct span){s.p + i, s.n - i});
	if (rest.n == 0)
		return true;
	if (rest.p[0] == ',')
		rest = trim((struct span){rest.p + 1, rest.n - 1});
	if (!has_prefix_ci(rest.p, rest.n, "Section") || rest.n == 7 || !is_blank(rest.p[7]))
		return false;
	*section = trim((struct span){rest.p + 7, rest.n - 7});
	return section->n > 0;
}

static bool is_rfc_number(struct span s)
{
	struct span number, section;
	return parse_rfc(s, &number, &section);
}

/* Copy S as a C string into *tmp, moving *tmp past it. */
static const char *tmp_string(char **tmp, const char *prefix, struct span s)
{
	char *copy = *tmp;
	size_t n = strlen(prefix);
	memcpy(copy, prefix, n);
	memcpy(copy + n, s.p, s.n);
	copy[n + s.n] = '\0';
	*tmp += n + s.n + 1;
	return copy;
}

/* Add the group content C (in a reference position) to the open record. */
static int add_reference(struct text_parser *ps, const struct text_line *l, struct span c)
{
	c = trim(c);
	if (c.n == 0) {
		reg_builder_warning(ps->builder, l->no, column_of(offset_in(l, c)),
				"empty [] on a record line; ignored");
		return 0;
	}
	if (scratch_reserve(ps, 2 * c.n + 16) < 0)
		return -1;
	char *tmp = ps->scratch.data;
	enum iana_ref_kind kind;
	const char *data = NULL, *text = NULL, *section = NULL;
	struct span number, sec;
	if (is_person_id(ps, c)) {
		kind = IANA_REF_PERSON;
		data = tmp_string(&tmp, "", c);
	} else if (all_digits(c.p, c.n)) {
		kind = IANA_REF_NOTE;
		data = tmp_string(&tmp, "", c);
	} else if (has_prefix_ci(c.p, c.n, "http://") || has_prefix_ci(c.p, c.n, "https://")) {
		kind = IANA_REF_URI;
		data = tmp_string(&tmp, "", c);
	} else if (has_prefix_ci(c.p, c.n, "draft-") || has_prefix_ci(c.p, c.n, "RFC-")) {
		kind = IANA_REF_DRAFT;
		data = tmp_string(&tmp, "", c);
	} else if (parse_rfc(c, &number, &sec)) {
		kind = IANA_REF_RFC;
		data = tmp_string(&tmp, "rfc", number);
		section = sec.n ? tmp_string(&tmp, "", sec) : NULL;
	} else {
		kind = IANA_REF_TEXT;
		text = tmp_string(&tmp, "", c);
	}
	return reg_builder_add_reference(ps->builder, kind, data, text, section);
}

/* The decimal value of all-digit S, if below 2^32. */
static bool parse_u32(struct span s, uint32_t *value)
{
	uint32_t v = 0;
	if (!all_digits(s.p, s.n))
		return false;
	for (size_t i = 0; i < s.n; i++) {
		unsigned digit = (unsigned)(s.p[i] - '0');
		if (v > (UINT32_MAX - digit) / 10)
			return false;
		v = v * 10 + digit;
	}
	*value = v;
	return true;
}

typedef int (*add_person_fn)(struct registry_builder *builder, const char *id, size_t len);

/* Add the ids of the person unit [off, end) with ADD. */
static int add_person_unit(struct text_parser *ps, struct text_line *l, size_t off, size_t end,
			   add_person_fn add)
{
	for (size_t g = off; g < end;) {
		struct span c;
		g = bracket_group(l, g, &c);
		if (add(ps->builder, c.p, c.n) < 0)
			return -1;
	}
	return 0;
}

/* The trailing columns, from offset START to the end of the line. */
static int parse_trailing(struct text_parser *ps, struct text_line *l, struct iana_record *r,
			  size_t start)
{
	enum { PERSONS, DATES, REFERENCES, AFTER_CODE } state = PERSONS;
	unsigned person_units = 0, dates = 0;
	size_t first_unit = 0, first_unit_end = 0, notes = NOT_FOUND;
	size_t pos = start;
	struct span t;

	while (next_token(l, &pos, &t)) {
		size_t off = offset_in(l, t), end;
		if (t.p[0] == '[' && bracket_unit(l, off, &end)) {
			if (state == PERSONS && classify_unit(ps, l, off, end) == UNIT_PERSONS) {
				/* the first unit is the assignee, the others contacts */
				if (add_person_unit(ps, l, off, end,
						    person_units == 0 ? reg_builder_add_assignee
								      : reg_builder_add_contact) < 0)
					return -1;
				if (person_units == 0) {
					first_unit = off;
					first_unit_end = end;
				}
				person_units++;
				pos = end;
				continue;
			}
			if (state <= REFERENCES) {
				state = REFERENCES;
				for (size_t g = off; g < end;) {
					struct span c;
					g = bracket_group(l, g, &c);
					if (add_reference(ps, l, c) < 0)
						return -1;
				}
				pos = end;
				continue;
			}
		} else {
			uint32_t code;
			if (state <= DATES && dates < 2 && iana_date_parse(t.p, t.n, dates ? &r->modified
											  : &r->registered)) {
				state = DATES;
				dates++;
				continue;
			}
			if (r->protocol == IANA_PROTO_DCCP && state < AFTER_CODE && parse_u32(t, &code)) {
				state = AFTER_CODE;
				r->service_code = code;
				r->has_service_code = true;
				continue;
			}
		}
		notes = off;
		break;
	}
	/* one person unit: the person is assignee and contact */
	if (person_units == 1 &&
	    add_person_unit(ps, l, first_unit, first_unit_end, reg_builder_add_contact) < 0)
		return -1;
	if (notes != NOT_FOUND) {
		r->notes = reg_builder_str_trimmed(ps->builder, l->p + notes, l->n - notes);
		if (r->notes == NULL)
			return -1; /* out of memory: not blank, it starts with a token */
	}
	return 0;
}

/* Does T look like a port or a range: digits, or digits-digits? */
static bool port_shaped(struct span t)
{
	const char *dash = memchr(t.p, '-', t.n);
	if (dash == NULL)
		return all_digits(t.p, t.n);
	size_t head = (size_t)(dash - t.p);
	return all_digits(t.p, head) && all_digits(dash + 1, t.n - head - 1);
}

static int parse_record(struct text_parser *ps, struct text_line *l)
{
	struct registry_builder *b = ps->builder;
	char buf[EXCERPT_SIZE];
	size_t pos = 0, end;
	struct span t, name = {NULL, 0}, second;
	bool more = next_token(l, &pos, &t); /* the line is not blank */
	const size_t first_off = offset_in(l, t);

	size_t after = pos;
	if (!next_token(l, &after, &second) && !port_shaped(t))
		return reg_builder_error(b, l->no, column_of(first_off),
				     "not a record line: \"%s\" (expected a service name, a port "
				     "number or both, then the other columns)",
				     excerpt(buf, t));

	/* name, port, protocol */
	if (!port_shaped(t) && !(t.p[0] == '[' && bracket_unit(l, first_off, &end))) {
		name = t;
		more = next_token(l, &pos, &t);
	}
	bool has_port = false;
	uint16_t first = 0, last = 0;
	struct iana_date date;
	if (more && port_shaped(t)) {
		if (reg_parse_port_range(t.p, t.n, &first, &last)) {
			has_port = true;
			more = next_token(l, &pos, &t);
		} else if (!iana_date_parse(t.p, t.n, &date)) {
			return reg_builder_error(b, l->no, column_of(offset_in(l, t)),
					     "invalid port number \"%s\" (expected a port or a range "
					     "such as 6000-6063, at most 65535)",
					     excerpt(buf, t));
		} /* else a date ("2001-02"), not a port */
	}
	enum iana_protocol protocol = IANA_PROTO_NONE;
	if (more) {
		bool lower = true;
		for (size_t i = 0; i < t.n; i++)
			lower = lower && !(t.p[i] >= 'A' && t.p[i] <= 'Z');
		protocol = lower ? iana_protocol_from_name(t.p, t.n) : IANA_PROTO_NONE;
		if (protocol != IANA_PROTO_NONE)
			more = next_token(l, &pos, &t);
	}

	/* description */
	size_t desc_start = more ? offset_in(l, t) : l->n;
	size_t desc_end = description_end(ps, l, desc_start, protocol == IANA_PROTO_DCCP);
	struct span desc = trim((struct span){l->p + desc_start, desc_end - desc_start});
	if (name.n == 0 && !has_port && desc.n == 0)
		return reg_builder_error(b, l->no, column_of(first_off),
				     "record line without a service name, a port number or a "
				     "description");

	struct iana_record *r = reg_builder_begin_record(b, l->no);
	if (r == NULL)
		return -1;
	r->has_port = has_port;
	r->port_first = first;
	r->port_last = last;
	r->protocol = (uint8_t)protocol;
	if (name.n > 0 && (r->name = reg_builder_str(b, name.p, name.n)) == NULL)
		return -1;
	if (desc.n > 0 && (r->description = reg_builder_str(b, desc.p, desc.n)) == NULL)
		return -1;
	if (parse_trailing(ps, l, r, desc_end) < 0)
		return -1;
	if (reg_builder_end_record(b) < 0 || reg_builder_failed(b))
		return -1;
	return 0;
}

static int parse_records(struct text_parser *ps)
{
	struct line_reader r = {
		.data = ps->data,
		.end = ps->records_end,
		.pos = ps->records_pos,
		.no = ps->records_line,
	};
	struct text_line l;
	while (read_line(&r, &l)) {
		struct span t = trim((struct span){l.p, l.n});
		if (t.n == 0)
			continue;
		if (is_column_header(t)) {
			reg_builder_warning(ps->builder, l.no, column_of(offset_in(&l, t)),
					"column header line repeated; skipped");
			continue;
		}
		if (parse_record(ps, &l) < 0)
			return -1;
	}
	return 0;
}

/* ---- pass 3: the contacts table ---- */

/* Is the normalized word W a legal form ("Inc.", "GmbH")? */
static bool is_legal_form(struct span w)
{
	char norm[16];
	size_t n = 0;
	for (size_t i = 0; i < w.n; i++) {
		if (!is_alnum(w.p[i]))
			continue;
		if (n == sizeof(norm) - 1)
			return false;
		norm[n++] = to_lower(w.p[i]);
	}
	norm[n] = '\0';
	for (size_t i = 0; i < sizeof(legal_forms) / sizeof(legal_forms[0]); i++)
		if (strcmp(norm, legal_forms[i]) == 0)
			return true;
	return false;
}

/* Offset of the next letter or digit of ID at or after I (id.n: none). */
static size_t id_alnum(struct span id, size_t i)
{
	while (i < id.n && !is_alnum(id.p[i]))
		i++;
	return i;
}

/* Split TEXT (trimmed) into NAME and ORG (n == 0: none) by the heuristic at
 * the top of the file. */
static void split_name_org(struct span id, struct span text, struct span *name, struct span *org)
{
	*name = (struct span){NULL, 0};
	*org = text;
	if (text.n == 0)
		return;
	const bool truncated = id.n >= 19;
	/* drop a trailing _N */
	size_t k = id.n;
	while (k > 0 && is_digit(id.p[k - 1]))
		k--;
	if (k > 0 && k < id.n && id.p[k - 1] == '_')
		id.n = k - 1;

	size_t i = id_alnum(id, 0), pos = 0, match_end = NOT_FOUND;
	bool matched_any = false;
	struct span w = {NULL, 0};
	if (i == id.n)
		return;
	while (match_end == NOT_FOUND && next_word(text, &pos, &w)) {
		for (size_t j = 0; j < w.n; j++) {
			if (!is_alnum(w.p[j]))
				continue;
			if (i == id.n) {
				if (!truncated)
					return; /* the text goes on past the id */
				continue;
			}
			if (to_lower(w.p[j]) != to_lower(id.p[i]))
				return;
			matched_any = true;
			i = id_alnum(id, i + 1);
		}
		if (matched_any && i == id.n)
			match_end = pos;
	}
	if (match_end == NOT_FOUND)
		return;

	struct span rest = trim((struct span){text.p + match_end, text.n - match_end});
	/* the last word of the text, and whether REST has more than one word */
	size_t rpos = 0, rest_words = 0;
	struct span last = w;
	while (next_word(rest, &rpos, &last))
		rest_words++;
	if (rest_words <= 1 && is_legal_form(last))
		return; /* "A-Trust GmbH": an organization */
	*name = (struct span){text.p, match_end};
	*org = rest;
}

/* Is T a URI token of a contact line? */
static bool is_uri(struct span t)
{
	return has_prefix_ci(t.p, t.n, "mailto:") || has_prefix_ci(t.p, t.n, "http://") ||
	       has_prefix_ci(t.p, t.n, "https://") || has_prefix_ci(t.p, t.n, "tel:");
}

static const char *str_or_null(struct registry_builder *b, struct span s, bool *failed)
{
	if (s.n == 0)
		return NULL;
	const char *copy = reg_builder_str(b, s.p, s.n);
	if (copy == NULL)
		*failed = true;
	return copy;
}

static int parse_contact(struct text_parser *ps, const struct text_line *l, struct span id,
			 struct span rest)
{
	struct registry_builder *b = ps->builder;
	if (all_digits(id.p, id.n)) {
		/* "[1] text": a footnote */
		const char *anchor = reg_builder_str(b, id.p, id.n);
		const char *text = reg_builder_str_trimmed(b, rest.p, rest.n);
		if (anchor == NULL || reg_builder_add_footnote(b, anchor, text) < 0)
			return -1;
		return 0;
	}

	/* find the URI and a trailing date */
	size_t pos = 0, uri = NOT_FOUND, date = NOT_FOUND;
	struct span t;
	struct iana_date updated = {0};
	while (next_word(rest, &pos, &t)) {
		size_t off = (size_t)(t.p - rest.p);
		if (uri == NOT_FOUND && is_uri(t)) {
			uri = off;
			continue;
		}
		struct span more;
		size_t after = pos;
		if (!next_word(rest, &after, &more) && (uri == NOT_FOUND || off > uri) &&
		    iana_date_parse(t.p, t.n, &updated))
			date = off;
	}
	size_t text_end = uri != NOT_FOUND ? uri : date != NOT_FOUND ? date : rest.n;
	size_t uri_end = date != NOT_FOUND ? date : rest.n;
	struct span text = trim((struct span){rest.p, text_end});
	struct span name, org;
	split_name_org(id, text, &name, &org);

	struct iana_person *p = reg_builder_add_person(b, id.p, id.n, l->no);
	if (p == NULL)
		return -1;
	bool failed = false;
	p->name = str_or_null(b, name, &failed);
	p->org = str_or_null(b, org, &failed);
	if (uri != NOT_FOUND)
		p->uri = str_or_null(b, trim((struct span){rest.p + uri, uri_end - uri}), &failed);
	p->updated = updated;
	return failed ? -1 : 0;
}

static int parse_contacts(struct text_parser *ps)
{
	struct line_reader r = {
		.data = ps->data,
		.end = ps->len,
		.pos = ps->contacts_pos,
		.no = ps->contacts_line,
	};
	struct text_line l;
	while (read_line(&r, &l)) {
		struct span t = trim((struct span){l.p, l.n}), id, rest;
		if (t.n == 0 || has_prefix(t, contacts_header_start))
			continue;
		if (!contact_id(t, &id, &rest)) {
			char buf[EXCERPT_SIZE];
			reg_builder_warning(ps->builder, l.no, column_of(offset_in(&l, t)),
					"not a contacts-table line (\"[Id] Name URI Date\"): \"%s\"; "
					"ignored",
					excerpt(buf, t));
			continue;
		}
		if (parse_contact(ps, &l, id, rest) < 0)
			return -1;
	}
	return 0;
}

/* ---- entry point ---- */

/* Fail on a NUL byte: the text rendering never holds one. */
static int check_nul(struct text_parser *ps, size_t start)
{
	const char *nul = memchr(ps->data + start, '\0', ps->len - start);
	if (nul == NULL)
		return 0;
	size_t at = (size_t)(nul - ps->data);
	struct line_reader r = {.data = ps->data, .end = ps->len, .pos = start, .no = 1};
	struct text_line l = {0};
	while (read_line(&r, &l))
		if (r.pos > at)
			break;
	return reg_builder_error(ps->builder, l.no, column_of(at - (size_t)(l.p - ps->data)),
			     "NUL byte in the text (binary data?)");
}

int reg_parse_text(struct registry_builder *builder, const char *data, size_t len)
{
	static const char nothing[1];
	struct text_parser ps = {
		.builder = builder,
		.data = data ? data : nothing,
		.len = data ? len : 0,
	};
	size_t start = ps.len >= 3 && memcmp(ps.data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	int rc = check_nul(&ps, start);
	if (rc == 0)
		rc = scan_sections(&ps, start);
	if (rc == 0)
		rc = parse_records(&ps);
	if (rc == 0 && ps.have_contacts)
		rc = parse_contacts(&ps);
	free(ps.ids);
	iana_grow_buffer_free(&ps.scratch);
	return rc;
}
