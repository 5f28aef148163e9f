/* test_text.c - unit tests of the plain-text parser (registry/parse_text.c):
 * the preamble, the record-line heuristic (named rows, ranges, nameless
 * Reserved/Unassigned rows, port-less rows with and without a protocol,
 * descriptions holding brackets or numbers, person units, dates,
 * references, service codes, notes), the contacts-table heuristic (name
 * and organization split, truncated ids, URIs, dates, footnotes), line
 * ends, and the diagnostics of malformed input.  Fixtures:
 * tests/fixtures/text-*.txt.  The real seeds are in test_text_seeds.c. */
#include "test_support.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREAMBLE                                                                       \
	"Internet Assigned Numbers Authority\n"                                        \
	"\n"                                                                           \
	"Service Name and Transport Protocol Port Number Registry\n"                   \
	"\n"                                                                           \
	"Last Updated\n"                                                               \
	"2024-01-31\n"

#define HEADER                                                                         \
	"Service Name Port Number Transport Protocol Description Assignee Contact "    \
	"Registration Date Modification Date Reference Service Code Unauthorized Use " \
	"Reported Assignment Notes\n"

/* The line of the first record after PREAMBLE HEADER. */
#define FIRST_RECORD_LINE 8

#define CONTACTS                                                                       \
	"\n"                                                                           \
	"Contact Information\n"                                                        \
	"\n"                                                                           \
	"ID Name Organization Contact URI Last Updated\n"                              \
	"[Ann_Example] Ann Example mailto:ann&example.com 2009-03-10\n"                \
	"[Bob_Sample] Bob Sample Beta Corp mailto:bob&beta.example\n"

/* ---- helpers ---- */

static struct iana_registry *load_ok_len(const char *data, size_t len,
					 struct captured_diagnostics *diags)
{
	struct iana_registry *reg;
	int rc = load_registry_string(data, len, &reg, diags);
	ck_assert_msg(rc == IANA_LOAD_OK, "load failed (%d): %s", rc, diags->text);
	ck_assert_ptr_nonnull(reg);
	ck_assert_int_eq(iana_registry_format(reg), IANA_FORMAT_TEXT);
	return reg;
}

static struct iana_registry *load_ok(const char *data, struct captured_diagnostics *diags)
{
	return load_ok_len(data, strlen(data), diags);
}

static struct iana_registry *load_fixture_ok(const char *name, struct captured_diagnostics *diags)
{
	struct iana_registry *reg;
	int rc = load_fixture(name, &reg, diags);
	ck_assert_msg(rc == IANA_LOAD_OK, "load of %s failed (%d): %s", name, rc, diags->text);
	ck_assert_int_eq(iana_registry_format(reg), IANA_FORMAT_TEXT);
	return reg;
}

/* Load DATA expecting a parse error whose first diagnostic starts with
 * WHERE ("12:1: error:") and contains FRAGMENT (unless NULL). */
static void expect_error_len(const char *data, size_t len, const char *where, const char *fragment)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg;
	int rc = load_registry_string(data, len, &reg, &diags);
	ck_assert_msg(rc == IANA_LOAD_PARSE_ERROR, "expected a parse error, got %d: %s", rc,
		      diags.text);
	ck_assert_ptr_null(reg);
	ck_assert_uint_ge(diags.errors, 1);
	ck_assert_msg(strncmp(diags.text, where, strlen(where)) == 0,
		      "expected the error at %s, got: %s", where, diags.text);
	if (fragment)
		ck_assert_msg(strstr(diags.text, fragment) != NULL, "expected \"%s\" in: %s",
			      fragment, diags.text);
}

static void expect_error(const char *data, const char *where, const char *fragment)
{
	expect_error_len(data, strlen(data), where, fragment);
}

static size_t record_count(const struct iana_registry *reg)
{
	size_t n;
	iana_registry_records(reg, &n);
	return n;
}

static void assert_date(struct iana_date d, unsigned year, unsigned month, unsigned day)
{
	ck_assert_uint_eq(d.year, year);
	ck_assert_uint_eq(d.month, month);
	ck_assert_uint_eq(d.day, day);
}

static void assert_str_or_null(const char *got, const char *want)
{
	if (want)
		ck_assert_str_eq(got, want);
	else
		ck_assert_ptr_null(got);
}

static void assert_ref(const struct iana_reference *ref, enum iana_ref_kind kind, const char *data,
		       const char *text, const char *section)
{
	ck_assert_int_eq(ref->kind, kind);
	assert_str_or_null(ref->data, data);
	assert_str_or_null(ref->text, text);
	assert_str_or_null(ref->section, section);
}

/* The ids of a person list, space-separated, into BUF. */
static const char *ids(const struct iana_person_ref *refs, unsigned n, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < n; i++) {
		int w = snprintf(buf + used, size - used, "%s%s", i ? " " : "", refs[i].id);
		ck_assert_int_gt(w, 0);
		used += (size_t)w;
		ck_assert_uint_lt(used, size);
	}
	return buf;
}

static void assert_people(const struct iana_record *r, const char *assignees, const char *contacts)
{
	char buf[256];
	ck_assert_str_eq(ids(r->assignees, r->n_assignees, buf, sizeof(buf)), assignees);
	ck_assert_str_eq(ids(r->contacts, r->n_contacts, buf, sizeof(buf)), contacts);
	for (unsigned i = 0; i < r->n_assignees; i++)
		ck_assert_msg(r->assignees[i].person != NULL, "assignee %s unresolved",
			      r->assignees[i].id);
	for (unsigned i = 0; i < r->n_contacts; i++)
		ck_assert_msg(r->contacts[i].person != NULL, "contact %s unresolved",
			      r->contacts[i].id);
}

static void assert_record(const struct iana_record *r, const char *name, int first, int last,
			  enum iana_protocol protocol, const char *description)
{
	assert_str_or_null(r->name, name);
	if (first < 0) {
		ck_assert(!r->has_port);
	} else {
		ck_assert_msg(r->has_port, "record on line %u has no port", (unsigned)r->line);
		ck_assert_uint_eq(r->port_first, (unsigned)first);
		ck_assert_uint_eq(r->port_last, (unsigned)last);
	}
	ck_assert_int_eq(r->protocol, protocol);
	assert_str_or_null(r->description, description);
}

static void assert_person(const struct iana_registry *reg, const char *id, const char *name,
			  const char *org, const char *uri, unsigned year, unsigned month,
			  unsigned day)
{
	const struct iana_person *p = iana_registry_person(reg, id);
	ck_assert_msg(p != NULL, "no person %s", id);
	assert_str_or_null(p->name, name);
	assert_str_or_null(p->org, org);
	assert_str_or_null(p->uri, uri);
	assert_date(p->updated, year, month, day);
}

/* Read a whole fixture into a malloc()ed, NUL-terminated buffer. */
static char *read_fixture(const char *name, size_t *len)
{
	FILE *f = fopen(fixture_path(name), "rb");
	ck_assert_msg(f != NULL, "cannot open %s", fixture_path(name));
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	ck_assert_ptr_nonnull(buf);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (cap - n - 1 == 0) {
			cap *= 2;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* A copy of S with every "\n" replaced by EOL. */
static char *with_line_ends(const char *s, size_t len, const char *eol, size_t *out_len)
{
	size_t eol_len = strlen(eol), n = 0;
	char *out = malloc(len * eol_len + 1);
	ck_assert_ptr_nonnull(out);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			memcpy(out + n, eol, eol_len);
			n += eol_len;
		} else {
			out[n++] = s[i];
		}
	}
	out[n] = '\0';
	*out_len = n;
	return out;
}

/* ---- the fixture text-basic.txt ---- */

START_TEST(test_basic_header)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_fixture_ok("text-basic.txt", &diags);
	ck_assert_msg(diags.warnings == 0, "unexpected warnings: %s", diags.text);
	ck_assert_str_eq(iana_registry_title(reg),
			 "Service Name and Transport Protocol Port Number Registry");
	assert_date(iana_registry_updated(reg), 2023, 7, 14);
	ck_assert_uint_eq(record_count(reg), 16);
	size_t n_people;
	iana_registry_people(reg, &n_people);
	ck_assert_uint_eq(n_people, 10);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_basic_named_rows)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_fixture_ok("text-basic.txt", &diags);
	const struct iana_record *r = record_at(reg, 0);
	assert_record(r, "alpha-ssl", 4100, 4100, IANA_PROTO_TCP, "Alpha Service over TLS");
	ck_assert_uint_eq(r->line, 17);
	ck_assert_int_eq(r->status, IANA_STATUS_ASSIGNED);
	assert_people(r, "Ann_Example", "Ann_Example");
	assert_date(r->registered, 2008, 3, 19);
	assert_date(r->modified, 0, 0, 0);
	ck_assert_uint_eq(r->n_refs, 0);
	ck_assert_ptr_null(r->notes);
	ck_assert_ptr_null(r->unauthorized);
	ck_assert(!r->has_service_code);

	r = record_at(reg, 1); /* a partial date */
	assert_record(r, "alpha-ssl", 4100, 4100, IANA_PROTO_UDP, "Alpha Service over TLS");
	assert_date(r->registered, 2006, 11, 0);

	r = record_at(reg, 3); /* assignee and contact differ; two dates; an RFC */
	assert_record(r, "beta", 4110, 4110, IANA_PROTO_TCP, "Beta Protocol");
	assert_people(r, "Beta_Corp_2", "Bob_Sample");
	assert_date(r->registered, 2012, 4, 26);
	assert_date(r->modified, 2019, 7, 1);
	ck_assert_uint_eq(r->n_refs, 1);
	assert_ref(&r->refs[0], IANA_REF_RFC, "rfc7194", NULL, NULL);

	r = record_at(reg, 11); /* nothing after the description */
	assert_record(r, "lambda", 4119, 4119, IANA_PROTO_TCP, "Lambda Plain");
	ck_assert_uint_eq(r->n_assignees + r->n_contacts + r->n_refs, 0);
	ck_assert_ptr_null(r->notes);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_basic_nameless_rows)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_fixture_ok("text-basic.txt", &diags);
	const struct iana_record *r = record_at(reg, 2);
	assert_record(r, NULL, 4101, 4109, IANA_PROTO_NONE, "Unassigned");
	ck_assert_int_eq(r->status, IANA_STATUS_UNASSIGNED);
	ck_assert_uint_eq(r->line, 19);

	r = record_at(reg, 4);
	assert_record(r, NULL, 4110, 4110, IANA_PROTO_UDP, "Reserved");
	ck_assert_int_eq(r->status, IANA_STATUS_RESERVED);

	r = record_at(reg, 15);
	assert_record(r, NULL, 16003, 16003, IANA_PROTO_TCP, "Reserved");
	ck_assert_int_eq(r->status, IANA_STATUS_RESERVED);
	ck_assert_uint_eq(r->line, 33);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_basic_description_shapes)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_fixture_ok("text-basic.txt", &diags);
	/* a bracket inside the description; a bare year; a reference with
	 * blanks */
	const struct iana_record *r = record_at(reg, 5);
	ck_assert_uint_eq(r->line, 23); /* after a blank line */
	assert_record(r, "gamma", 4111, 4111, IANA_PROTO_TCP, "Gamma Files [Default Data]");
	assert_people(r, "Carla_Q_Tester", "Carla_Q_Tester");
	assert_date(r->registered, 2003, 0, 0);
	ck_assert_uint_eq(r->n_refs, 1);
	assert_ref(&r->refs[0], IANA_REF_TEXT, NULL, "ISO/IEC 9999-1 Gamma Spec", NULL);

	/* a number before the persons belongs to the description */
	r = record_at(reg, 6);
	assert_record(r, "office-link", 4112, 4112, IANA_PROTO_TCP, "Office Link 2000");
	assert_people(r, "Dan_Doe", "Dan_Doe");
	assert_date(r->registered, 0, 0, 0);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_basic_references)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_fixture_ok("text-basic.txt", &diags);
	/* no persons: the date ends the description */
	const struct iana_record *r = record_at(reg, 7);
	assert_record(r, "delta", 4113, 4113, IANA_PROTO_TCP, "Delta via TLS");
	ck_assert_uint_eq(r->n_assignees + r->n_contacts, 0);
	assert_date(r->registered, 2014, 2, 11);
	ck_assert_uint_eq(r->n_refs, 4);
	assert_ref(&r->refs[0], IANA_REF_RFC, "rfc8765", NULL, "6.1");
	assert_ref(&r->refs[1], IANA_REF_DRAFT, "draft-ietf-delta-03", NULL, NULL);
	assert_ref(&r->refs[2], IANA_REF_URI, "https://example.org/delta", NULL, NULL);
	assert_ref(&r->refs[3], IANA_REF_NOTE, "1", NULL, NULL);
	ck_assert_str_eq(iana_registry_footnote(reg, "1"),
			 "It is only appropriate to use these values in explicitly configured "
			 "experiments.");

	/* an RFC-to-be and a person in the reference column */
	r = record_at(reg, 10);
	assert_record(r, "eta", 4118, 4118, IANA_PROTO_TCP, "Eta Service");
	assert_people(r, "Horizon_Widget_Indus", "Shaila_R_Longsurnam");
	assert_date(r->registered, 2010, 10, 6);
	ck_assert_uint_eq(r->n_refs, 2);
	assert_ref(&r->refs[0], IANA_REF_DRAFT, "RFC-ietf-eta-spec-12", NULL, NULL);
	assert_ref(&r->refs[1], IANA_REF_PERSON, "Ann_Example", NULL, NULL);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_basic_dccp_and_units)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_fixture_ok("text-basic.txt", &diags);
	const struct iana_record *r = record_at(reg, 8);
	assert_record(r, "epsilon", 4114, 4114, IANA_PROTO_DCCP, "Epsilon Datagrams");
	assert_people(r, "Eve_O_Example", "Eve_O_Example");
	ck_assert_uint_eq(r->n_refs, 1);
	assert_ref(&r->refs[0], IANA_REF_RFC, "rfc4340", NULL, NULL);
	ck_assert(r->has_service_code);
	ck_assert_uint_eq(r->service_code, 1145656131u);
	ck_assert_ptr_null(r->notes);

	/* a named range; several persons in one column: "[A][B] [A][B]" */
	r = record_at(reg, 9);
	assert_record(r, "zeta", 4115, 4117, IANA_PROTO_TCP, "Zeta Cluster");
	assert_people(r, "Ann_Example Bob_Sample", "Ann_Example Bob_Sample");
	assert_date(r->registered, 2020, 2, 0);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_basic_portless_rows)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_fixture_ok("text-basic.txt", &diags);
	/* no port, no protocol */
	const struct iana_record *r = record_at(reg, 12);
	assert_record(r, "theta-sd", -1, -1, IANA_PROTO_NONE, "Theta discovery");
	assert_people(r, "Eve_O_Example", "Eve_O_Example");
	ck_assert_str_eq(r->notes, "Defined TXT keys: None");
	ck_assert_ptr_null(r->unauthorized);
	ck_assert_ptr_eq(find_record(reg, "theta-sd", IANA_PROTO_NONE), r);

	/* a protocol but no port */
	r = record_at(reg, 13);
	assert_record(r, "iota-sync", -1, -1, IANA_PROTO_TCP, "Iota file synchronization");
	assert_people(r, "Beta_Corp_2", "Bob_Sample");
	assert_date(r->registered, 2012, 9, 5);
	ck_assert_str_eq(r->notes, "Defined TXT keys: uuid=<unique instance identifier>");

	/* notes after the persons swallow the rest of the line, dates and
	 * brackets included */
	r = find_record(reg, "kappa", IANA_PROTO_TCP);
	ck_assert_ptr_nonnull(r);
	assert_record(r, "kappa", -1, -1, IANA_PROTO_TCP, "Kappa over TLS");
	assert_people(r, "Dan_Doe", "Dan_Doe");
	ck_assert_str_eq(r->notes, "Clients like Foo (with the bar plugin) DO NOT browse for "
				   "\"_kappa._tcp\"; see http://example.com/ 2001 [x]");
	assert_date(r->registered, 0, 0, 0);
	ck_assert_uint_eq(r->n_refs, 0);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_basic_contacts)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_fixture_ok("text-basic.txt", &diags);
	/* name only */
	assert_person(reg, "Ann_Example", "Ann Example", NULL, "mailto:ann&example.com", 2009, 3,
		      10);
	/* _N suffix dropped for matching; a legal form makes the whole an
	 * organization; a partial date */
	assert_person(reg, "Beta_Corp_2", NULL, "Beta Corp Inc.", "mailto:info&beta.example", 2012,
		      4, 0);
	/* name, then organization */
	assert_person(reg, "Bob_Sample", "Bob Sample", "Beta Corp", "mailto:bob&beta.example", 2012,
		      4, 26);
	/* punctuation in the name, no date */
	assert_person(reg, "Carla_Q_Tester", "Carla Q. Tester", NULL, "mailto:carla&example.net", 0,
		      0, 0);
	assert_person(reg, "Dan_Doe", "Dan Doe", NULL, "tel:+1-555-0100", 0, 0, 0);
	assert_person(reg, "Eve_O_Example", "Eve O'Example", NULL, "mailto:eve&example.org", 2005, 0,
		      0);
	/* no match with the id: an organization */
	assert_person(reg, "Frank_Ops", NULL, "Network Operations Team", "mailto:noc&frank.example",
		      2021, 1, 2);
	assert_person(reg, "Gus_Solo_3", "Gus Solo", NULL, "http://gus.example/contact", 2024, 1, 1);
	/* an id truncated to 20 characters, with a legal form */
	assert_person(reg, "Horizon_Widget_Indus", NULL, "Horizon Widget Industries Ltd.",
		      "mailto:info&hwi.example", 0, 0, 0);
	/* an id truncated to 19 characters; a URI with junk kept as is */
	assert_person(reg, "Shaila_R_Longsurnam", "Shaila R. Longsurname", "Acme Widgets",
		      "mailto:shaila@acme.example>", 2010, 10, 6);
	ck_assert_ptr_null(iana_registry_person(reg, "1"));
	iana_registry_free(reg);
}
END_TEST

/* ---- line ends and encodings ---- */

static void check_same_as_basic(const char *data, size_t len)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_ok_len(data, len, &diags);
	ck_assert_msg(diags.warnings == 0, "unexpected warnings: %s", diags.text);
	ck_assert_uint_eq(record_count(reg), 16);
	assert_date(iana_registry_updated(reg), 2023, 7, 14);
	ck_assert_str_eq(iana_registry_title(reg),
			 "Service Name and Transport Protocol Port Number Registry");
	const struct iana_record *r = record_at(reg, 15);
	assert_record(r, NULL, 16003, 16003, IANA_PROTO_TCP, "Reserved");
	ck_assert_uint_eq(r->line, 33);
	r = record_at(reg, 12);
	ck_assert_str_eq(r->notes, "Defined TXT keys: None");
	assert_person(reg, "Shaila_R_Longsurnam", "Shaila R. Longsurname", "Acme Widgets",
		      "mailto:shaila@acme.example>", 2010, 10, 6);
	iana_registry_free(reg);
}

START_TEST(test_crlf)
{
	size_t len, crlf_len;
	char *lf = read_fixture("text-basic.txt", &len);
	char *crlf = with_line_ends(lf, len, "\r\n", &crlf_len);
	check_same_as_basic(crlf, crlf_len);
	free(crlf);
	free(lf);
}
END_TEST

START_TEST(test_cr_only)
{
	size_t len, cr_len;
	char *lf = read_fixture("text-basic.txt", &len);
	char *cr = with_line_ends(lf, len, "\r", &cr_len);
	check_same_as_basic(cr, cr_len);
	free(cr);
	free(lf);
}
END_TEST

START_TEST(test_bom_and_no_final_newline)
{
	size_t len;
	char *lf = read_fixture("text-basic.txt", &len);
	char *bom = malloc(len + 4);
	ck_assert_ptr_nonnull(bom);
	memcpy(bom, "\xEF\xBB\xBF", 3);
	memcpy(bom + 3, lf, len);
	ck_assert_int_eq(bom[len + 2], '\n');
	check_same_as_basic(bom, len + 2); /* without the final newline */
	free(bom);
	free(lf);
}
END_TEST

/* ---- small inputs ---- */

START_TEST(test_no_contacts_section)
{
	/* without a contacts table no bracket is a person */
	struct captured_diagnostics diags;
	struct iana_registry *reg =
		load_ok(PREAMBLE HEADER "foo 7 tcp Foo Service [Ann_Example] [Ann_Example] 2001-02\n"
					"8-9 Unassigned",
			&diags);
	ck_assert_uint_eq(record_count(reg), 2);
	const struct iana_record *r = record_at(reg, 0);
	assert_record(r, "foo", 7, 7, IANA_PROTO_TCP, "Foo Service");
	ck_assert_uint_eq(r->n_assignees + r->n_contacts, 0);
	ck_assert_uint_eq(r->n_refs, 2);
	assert_ref(&r->refs[0], IANA_REF_TEXT, NULL, "Ann_Example", NULL);
	ck_assert_ptr_nonnull(r->notes); /* a date after references is free text */
	ck_assert_str_eq(r->notes, "2001-02");
	assert_record(record_at(reg, 1), NULL, 8, 9, IANA_PROTO_NONE, "Unassigned");
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_empty_records_section)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_ok(PREAMBLE HEADER CONTACTS, &diags);
	ck_assert_uint_eq(record_count(reg), 0);
	size_t n;
	iana_registry_people(reg, &n);
	ck_assert_uint_eq(n, 2);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_last_updated_same_line_and_no_title)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg =
		load_ok("Internet Assigned Numbers Authority\nLast Updated 2020-02\n" HEADER
			"1 tcp Reserved\n",
			&diags);
	ck_assert_ptr_null(iana_registry_title(reg));
	assert_date(iana_registry_updated(reg), 2020, 2, 0);
	ck_assert_uint_eq(record_count(reg), 1);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_header_only_detection)
{
	/* detected by the column header alone; no preamble, no date */
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_ok(HEADER "foo 7 udp Foo\n", &diags);
	ck_assert_ptr_null(iana_registry_title(reg));
	assert_date(iana_registry_updated(reg), 0, 0, 0);
	assert_record(record_at(reg, 0), "foo", 7, 7, IANA_PROTO_UDP, "Foo");
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_protocol_case_and_dccp_digits)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg =
		load_ok(PREAMBLE HEADER "foo 7 TCP tunnel\n"
					"bar 8 tcp Server 1\n"
					"baz 9 dccp Baz Datagrams 1145656131\n"
					"qux 10 udp Qux 2001\n" CONTACTS,
			&diags);
	/* only lower-case protocol names are the protocol column */
	assert_record(record_at(reg, 0), "foo", 7, 7, IANA_PROTO_NONE, "TCP tunnel");
	/* a description may end in a number */
	assert_record(record_at(reg, 1), "bar", 8, 8, IANA_PROTO_TCP, "Server 1");
	/* a service code right after the description of a dccp row */
	const struct iana_record *r = record_at(reg, 2);
	assert_record(r, "baz", 9, 9, IANA_PROTO_DCCP, "Baz Datagrams");
	ck_assert(r->has_service_code);
	ck_assert_uint_eq(r->service_code, 1145656131u);
	/* a bare year at the end of the line is a date */
	r = record_at(reg, 3);
	assert_record(r, "qux", 10, 10, IANA_PROTO_UDP, "Qux");
	assert_date(r->registered, 2001, 0, 0);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_person_unit_after_text_bracket)
{
	/* a text bracket followed by a date and persons is description */
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_ok(
		PREAMBLE HEADER "foo 7 tcp Foo [July 2003] [Ann_Example] [Bob_Sample] 2009-05-15\n"
				"bar 8 tcp Bar [n/a]\n"
				"2 tcp Reserved 2025-02-13 De-assigned, previously by [Bob_Sample]\n" CONTACTS,
		&diags);
	const struct iana_record *r = record_at(reg, 0);
	assert_record(r, "foo", 7, 7, IANA_PROTO_TCP, "Foo [July 2003]");
	assert_people(r, "Ann_Example", "Bob_Sample");
	assert_date(r->registered, 2009, 5, 15);
	/* without persons, a text bracket is a reference */
	r = record_at(reg, 1);
	assert_record(r, "bar", 8, 8, IANA_PROTO_TCP, "Bar");
	ck_assert_uint_eq(r->n_refs, 1);
	assert_ref(&r->refs[0], IANA_REF_TEXT, NULL, "n/a", NULL);
	/* a person mentioned in the notes is not the assignee */
	r = record_at(reg, 2);
	assert_record(r, NULL, 2, 2, IANA_PROTO_TCP, "Reserved");
	ck_assert_uint_eq(r->n_assignees + r->n_contacts + r->n_refs, 0);
	assert_date(r->registered, 2025, 2, 13);
	ck_assert_str_eq(r->notes, "De-assigned, previously by [Bob_Sample]");
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_notes_phrases)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg =
		load_ok(PREAMBLE HEADER "foo Foo Browser Defined TXT keys: u=<user>\n"
					"796 tcp Unassigned Unauthorized Use Known on port 796\n"
					"bar_old 9 udp This entry is an alias to \"bar-old\".\n",
			&diags);
	const struct iana_record *r = record_at(reg, 0);
	assert_record(r, "foo", -1, -1, IANA_PROTO_NONE, "Foo Browser");
	ck_assert_str_eq(r->notes, "Defined TXT keys: u=<user>");
	r = record_at(reg, 1);
	assert_record(r, NULL, 796, 796, IANA_PROTO_TCP, "Unassigned");
	ck_assert_int_eq(r->status, IANA_STATUS_UNASSIGNED);
	/* the text cannot tell unauthorized use from notes: notes */
	ck_assert_str_eq(r->notes, "Unauthorized Use Known on port 796");
	ck_assert_ptr_null(r->unauthorized);
	r = record_at(reg, 2);
	assert_record(r, "bar_old", 9, 9, IANA_PROTO_UDP, NULL);
	ck_assert_str_eq(r->notes, "This entry is an alias to \"bar-old\".");
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_one_person_is_both)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg =
		load_ok(PREAMBLE HEADER "foo 7 sctp Foo [Bob_Sample] 2014-07-30\n"
					"bar 8 tcp Bar [Ann_Example] [Bob_Sample] [Ann_Example] 2001\n" CONTACTS,
			&diags);
	const struct iana_record *r = record_at(reg, 0);
	assert_record(r, "foo", 7, 7, IANA_PROTO_SCTP, "Foo");
	assert_people(r, "Bob_Sample", "Bob_Sample");
	/* a third unit adds a contact */
	r = record_at(reg, 1);
	assert_people(r, "Ann_Example", "Bob_Sample Ann_Example");
	assert_date(r->registered, 2001, 0, 0);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_contacts_section_oddities)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg =
		load_ok(PREAMBLE HEADER "foo 7 tcp Foo [Ann_Example] [Ann_Example]\n" HEADER CONTACTS
			"[Ann_Example] Ann Duplicate mailto:dup&example.com\n"
			"Some stray line\n"
			"[Empty_Text]\n"
			"[2] Second footnote\n",
			&diags);
	/* the repeated header, the duplicate and the stray line */
	ck_assert_msg(diags.warnings == 3, "expected 3 warnings: %s", diags.text);
	ck_assert_msg(strstr(diags.text, "listed twice") != NULL, "%s", diags.text);
	ck_assert_msg(strstr(diags.text, "Some stray line") != NULL, "%s", diags.text);
	ck_assert_msg(strstr(diags.text, "column header line repeated") != NULL, "%s", diags.text);
	assert_person(reg, "Ann_Example", "Ann Example", NULL, "mailto:ann&example.com", 2009, 3,
		      10);
	assert_person(reg, "Empty_Text", NULL, NULL, NULL, 0, 0, 0);
	ck_assert_str_eq(iana_registry_footnote(reg, "2"), "Second footnote");
	assert_people(record_at(reg, 0), "Ann_Example", "Ann_Example");
	ck_assert_uint_eq(record_count(reg), 1);
	iana_registry_free(reg);
}
END_TEST

/* ---- malformed input ---- */

START_TEST(test_error_no_header)
{
	expect_error(PREAMBLE "Note\nNo records here.\n", "8:0: error:", "column header");
	expect_error_len(PREAMBLE, strlen(PREAMBLE), "6:0: error:", "column header");
}
END_TEST

START_TEST(test_error_bad_updated)
{
	expect_error("Internet Assigned Numbers Authority\n\nTitle\n\nLast Updated\n2025-13-01\n" HEADER,
		     "6:1: error:", "Last Updated");
	expect_error("Internet Assigned Numbers Authority\nLast Updated\n" HEADER, "3:1: error:",
		     "Last Updated");
}
END_TEST

START_TEST(test_error_fixture)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg;
	ck_assert_int_eq(load_fixture("text-bad-record.txt", &reg, &diags), IANA_LOAD_PARSE_ERROR);
	ck_assert_ptr_null(reg);
	ck_assert_msg(strncmp(diags.text, "12:1: error: not a record line", 30) == 0, "%s",
		      diags.text);
	ck_assert_int_eq(load_fixture("text-no-header.txt", &reg, &diags), IANA_LOAD_PARSE_ERROR);
	ck_assert_msg(strncmp(diags.text, "9:0: error:", 11) == 0, "%s", diags.text);
}
END_TEST

START_TEST(test_error_record_lines)
{
	char line[32];
	snprintf(line, sizeof(line), "%u:1: error:", FIRST_RECORD_LINE + 1);
	/* one token that is not a port */
	expect_error(PREAMBLE HEADER "foo 7 tcp Foo\nUnassigned\n", line, "not a record line");
	/* neither name, port nor description */
	expect_error(PREAMBLE HEADER "foo 7 tcp Foo\n[Ann_Example] [Ann_Example]\n" CONTACTS, line,
		     "without a service name");
	expect_error(PREAMBLE HEADER "foo 7 tcp Foo\n[a] [b]\n", line, "without a service name");
	/* bad ports */
	snprintf(line, sizeof(line), "%u:5: error:", FIRST_RECORD_LINE);
	expect_error(PREAMBLE HEADER "foo 70000 tcp Foo\n", line, "invalid port");
	snprintf(line, sizeof(line), "%u:1: error:", FIRST_RECORD_LINE);
	expect_error(PREAMBLE HEADER "13222-13219 Unassigned\n", line, "invalid port");
	/* a lone port is a record (nameless, without a description); a date
	 * after a name is not a bad port */
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_ok(PREAMBLE HEADER "13219\nfoo 2001-02\n", &diags);
	assert_record(record_at(reg, 0), NULL, 13219, 13219, IANA_PROTO_NONE, NULL);
	assert_record(record_at(reg, 1), "foo", -1, -1, IANA_PROTO_NONE, NULL);
	assert_date(record_at(reg, 1)->registered, 2001, 2, 0);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_error_nul_byte)
{
	static const char data[] = PREAMBLE HEADER "foo 7 tcp F\0o\n";
	char where[32];
	snprintf(where, sizeof(where), "%u:12: error:", FIRST_RECORD_LINE);
	expect_error_len(data, sizeof(data) - 1, where, "NUL");
}
END_TEST

/* ---- robustness ---- */

START_TEST(test_long_lines)
{
	const size_t n = 1 << 20;
	const char head[] = PREAMBLE HEADER "foo 7 tcp ";
	const char tail[] = " [Ann_Example] [Ann_Example]\n" CONTACTS;
	char *data = malloc(sizeof(head) + n + sizeof(tail));
	ck_assert_ptr_nonnull(data);
	memcpy(data, head, sizeof(head) - 1);
	memset(data + sizeof(head) - 1, 'x', n);
	memcpy(data + sizeof(head) - 1 + n, tail, sizeof(tail));
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_ok(data, &diags);
	const struct iana_record *r = record_at(reg, 0);
	ck_assert_uint_eq(strlen(r->description), n);
	assert_people(r, "Ann_Example", "Ann_Example");
	iana_registry_free(reg);

	/* many unclosed or ill-closed brackets and dates must not take
	 * quadratic time (the test times out otherwise) */
	static const char *const fillers[] = {"[ ", "[a]x ", "2001 ", "[a ", "[Ann_Example] "};
	for (size_t f = 0; f < sizeof(fillers) / sizeof(fillers[0]); f++) {
		/* at most 60000 units: a record holds at most 65535 contacts */
		size_t flen = strlen(fillers[f]), count = n / flen, used = sizeof(head) - 1;
		if (count > 60000)
			count = 60000;
		memcpy(data, head, used);
		for (size_t i = 0; i < count; i++, used += flen)
			memcpy(data + used, fillers[f], flen);
		memcpy(data + used, "]\n" CONTACTS, sizeof("]\n" CONTACTS));
		reg = load_ok(data, &diags);
		ck_assert_uint_eq(record_count(reg), 1);
		iana_registry_free(reg);
	}
	free(data);
}
END_TEST

/* A pseudo-random number below N. */
static unsigned next_random(unsigned *seed, unsigned n)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) % n;
}

START_TEST(test_garbage_does_not_crash)
{
	static const char *const pieces[] = {
		"[", "]", "[a]", "[Id_1]", "[Id_2][Id_3]", "7", "1-2", "tcp", "udp", "dccp",
		"2001", "2001-02", "2001-02-03", "mailto:x", "[1]", "[RFC1]", "[RFC2, Section 3]",
		"[draft-x]", "[http://x]", "\xff", "\xc3\xa9", "-", "_2", "Defined TXT keys:",
		"[]", "[ ]", "][", "123", "[a b] c]",
		/* the last ones make most loads fail early */
		"", "\t", "\r", "99999", "4294967296",
	};
	const unsigned n_pieces = sizeof(pieces) / sizeof(pieces[0]), n_safe = n_pieces - 5;
	unsigned ok = 0;
	unsigned seed = 12345;
	const size_t size = 1 << 15;
	char *data = malloc(size + 512);
	ck_assert_ptr_nonnull(data);
	for (int round = 0; round < 400; round++) {
		/* even rounds: lines of tokens, mostly records, and sometimes a
		 * contacts table; odd rounds: any bytes but NUL, any line ends */
		const char *start = round % 4 < 2 ? PREAMBLE HEADER : HEADER;
		size_t used = strlen(start);
		memcpy(data, start, used);
		bool contacts = false;
		while (used < size) {
			if (round % 2) {
				unsigned k = next_random(&seed, n_pieces + 4);
				if (k >= n_pieces) {
					data[used++] = k == n_pieces ? '\n' : (char)(1 + next_random(&seed, 255));
					continue;
				}
				size_t len = strlen(pieces[k]);
				memcpy(data + used, pieces[k], len);
				used += len;
				continue;
			}
			if (!contacts && next_random(&seed, 200) == 0) {
				contacts = true;
				used += (size_t)sprintf(data + used, "Contact Information\n");
				continue;
			}
			if (contacts)
				used += (size_t)sprintf(data + used, "[Id_%u]", next_random(&seed, 50));
			else if (next_random(&seed, 3))
				used += (size_t)sprintf(data + used, "name%u", next_random(&seed, 50));
			else
				used += (size_t)sprintf(data + used, "%u", next_random(&seed, 65536));
			for (unsigned i = 0, n = 1 + next_random(&seed, 12); i < n; i++)
				used += (size_t)sprintf(data + used, " %s",
							pieces[next_random(&seed, n_safe)]);
			data[used++] = '\n';
		}
		struct iana_registry *reg;
		struct captured_diagnostics diags;
		int rc = load_registry_string(data, used, &reg, &diags);
		ck_assert_msg(rc == IANA_LOAD_OK || rc == IANA_LOAD_PARSE_ERROR, "round %d: %d", round,
			      rc);
		if (rc == IANA_LOAD_OK) {
			ok++;
			iana_registry_free(reg);
		} else {
			ck_assert_uint_ge(diags.errors, 1);
			/* the token rounds are all well-formed */
			ck_assert_msg(round % 2, "round %d: %s", round, diags.text);
		}
	}
	ck_assert_uint_ge(ok, 200);
	free(data);
}
END_TEST

static Suite *text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("fixture");
	tcase_add_test(tc, test_basic_header);
	tcase_add_test(tc, test_basic_named_rows);
	tcase_add_test(tc, test_basic_nameless_rows);
	tcase_add_test(tc, test_basic_description_shapes);
	tcase_add_test(tc, test_basic_references);
	tcase_add_test(tc, test_basic_dccp_and_units);
	tcase_add_test(tc, test_basic_portless_rows);
	tcase_add_test(tc, test_basic_contacts);
	suite_add_tcase(s, tc);

	tc = tcase_create("line ends");
	tcase_add_test(tc, test_crlf);
	tcase_add_test(tc, test_cr_only);
	tcase_add_test(tc, test_bom_and_no_final_newline);
	suite_add_tcase(s, tc);

	tc = tcase_create("shapes");
	tcase_add_test(tc, test_no_contacts_section);
	tcase_add_test(tc, test_empty_records_section);
	tcase_add_test(tc, test_last_updated_same_line_and_no_title);
	tcase_add_test(tc, test_header_only_detection);
	tcase_add_test(tc, test_protocol_case_and_dccp_digits);
	tcase_add_test(tc, test_person_unit_after_text_bracket);
	tcase_add_test(tc, test_notes_phrases);
	tcase_add_test(tc, test_one_person_is_both);
	tcase_add_test(tc, test_contacts_section_oddities);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, test_error_no_header);
	tcase_add_test(tc, test_error_bad_updated);
	tcase_add_test(tc, test_error_fixture);
	tcase_add_test(tc, test_error_record_lines);
	tcase_add_test(tc, test_error_nul_byte);
	suite_add_tcase(s, tc);

	tc = tcase_create("robustness");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_long_lines);
	tcase_add_test(tc, test_garbage_does_not_crash);
	suite_add_tcase(s, tc);
	return s;
}

RUN_SUITE(text_suite)
