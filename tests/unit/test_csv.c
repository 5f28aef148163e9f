/* test_csv.c - unit tests of the CSV parser (registry/parse_csv.c): the
 * column mapping, RFC 4180 quoting and line ends, line numbers, and the
 * diagnostics of malformed input.  Fixtures: tests/fixtures/csv-*.csv. */
#include "test_support.h"
#include "registry_builder.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER                                                                         \
	"Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,"    \
	"Registration Date,Modification Date,Reference,Service Code,"                  \
	"Unauthorized Use Reported,Assignment Notes"

/* Load a C string literal, expecting success. */
static struct iana_registry *load_ok(const char *data, struct captured_diagnostics *diags)
{
	struct iana_registry *reg;
	int rc = load_registry_string(data, strlen(data), &reg, diags);
	ck_assert_msg(rc == IANA_LOAD_OK, "load failed (%d): %s", rc, diags->text);
	ck_assert_ptr_nonnull(reg);
	ck_assert_int_eq(iana_registry_format(reg), IANA_FORMAT_CSV);
	return reg;
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

static void assert_ref(const struct iana_reference *ref, enum iana_ref_kind kind, const char *data,
		       const char *text, const char *section)
{
	ck_assert_int_eq(ref->kind, kind);
	if (data)
		ck_assert_str_eq(ref->data, data);
	else
		ck_assert_ptr_null(ref->data);
	if (text)
		ck_assert_str_eq(ref->text, text);
	else
		ck_assert_ptr_null(ref->text);
	if (section)
		ck_assert_str_eq(ref->section, section);
	else
		ck_assert_ptr_null(ref->section);
}

/* ---- well-formed input ---- */

START_TEST(test_full_record)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg;
	ck_assert_int_eq(load_fixture("csv-basic.csv", &reg, &diags), IANA_LOAD_OK);
	ck_assert_uint_eq(diags.warnings, 0);
	ck_assert_uint_eq(diags.errors, 0);
	ck_assert_int_eq(iana_registry_format(reg), IANA_FORMAT_CSV);
	ck_assert_ptr_null(iana_registry_title(reg));
	ck_assert_uint_eq(iana_registry_updated(reg).year, 0);
	size_t n_people;
	iana_registry_people(reg, &n_people);
	ck_assert_uint_eq(n_people, 0);
	ck_assert_uint_eq(record_count(reg), 9);

	const struct iana_record *r = record_at(reg, 3);
	ck_assert_ptr_eq(r, find_record(reg, "example-svc", IANA_PROTO_DCCP));
	ck_assert_str_eq(r->name, "example-svc");
	ck_assert(r->has_port);
	ck_assert_uint_eq(r->port_first, 4242);
	ck_assert_uint_eq(r->port_last, 4242);
	ck_assert_uint_eq(r->protocol, IANA_PROTO_DCCP);
	ck_assert_str_eq(r->description, "Example Service for Tests");
	ck_assert_uint_eq(r->n_assignees, 2);
	ck_assert_str_eq(r->assignees[0].id, "Jane_Doe");
	ck_assert_str_eq(r->assignees[1].id, "IESG");
	ck_assert_ptr_null(r->assignees[0].person); /* CSV has no people table */
	ck_assert_uint_eq(r->n_contacts, 1);
	ck_assert_str_eq(r->contacts[0].id, "Jane_Doe");
	ck_assert_ptr_null(r->contacts[0].person);
	assert_date(r->registered, 2006, 11, 2);
	assert_date(r->modified, 2020, 1, 15);
	ck_assert_uint_eq(r->n_refs, 2);
	assert_ref(&r->refs[0], IANA_REF_RFC, "rfc6335", NULL, NULL);
	assert_ref(&r->refs[1], IANA_REF_RFC, "rfc4340", NULL, "19");
	ck_assert(r->has_service_code);
	ck_assert_uint_eq(r->service_code, 1145656131u);
	ck_assert_str_eq(r->unauthorized, "Known unauthorized use on 4242");
	ck_assert_str_eq(r->notes, "See note");
	ck_assert_uint_eq(r->line, 5);
	ck_assert_uint_eq(r->status, IANA_STATUS_ASSIGNED);

	/* a sparse row: empty columns stay empty */
	r = record_at(reg, 2);
	ck_assert_str_eq(r->name, "http");
	ck_assert_uint_eq(r->port_first, 80);
	ck_assert_uint_eq(r->protocol, IANA_PROTO_TCP);
	ck_assert_uint_eq(r->n_assignees, 0);
	ck_assert_ptr_null(r->assignees);
	ck_assert_uint_eq(r->n_contacts, 0);
	ck_assert_uint_eq(r->registered.year, 0);
	ck_assert_uint_eq(r->modified.year, 0);
	ck_assert_uint_eq(r->n_refs, 1);
	assert_ref(&r->refs[0], IANA_REF_RFC, "rfc9110", NULL, NULL);
	ck_assert(!r->has_service_code);
	ck_assert_ptr_null(r->unauthorized);
	ck_assert_str_eq(r->notes, "Defined TXT keys: u=<username> p=<password>");
	ck_assert_uint_eq(r->line, 4);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_reserved_unassigned)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg;
	ck_assert_int_eq(load_fixture("csv-basic.csv", &reg, &diags), IANA_LOAD_OK);
	const struct iana_record *r = record_at(reg, 0);
	ck_assert_ptr_null(r->name);
	ck_assert_str_eq(r->description, "Reserved");
	ck_assert_uint_eq(r->status, IANA_STATUS_RESERVED);
	ck_assert_uint_eq(r->port_first, 0);
	ck_assert(r->has_port);
	ck_assert_uint_eq(r->protocol, IANA_PROTO_TCP);
	ck_assert_uint_eq(r->n_assignees, 1);
	ck_assert_str_eq(r->assignees[0].id, "Jon_Postel");
	ck_assert_uint_eq(r->line, 2);

	r = record_at(reg, 1);
	ck_assert_ptr_null(r->name);
	ck_assert_uint_eq(r->status, IANA_STATUS_UNASSIGNED);
	ck_assert_uint_eq(r->port_first, 4);
	ck_assert_uint_eq(r->protocol, IANA_PROTO_UDP);

	/* an unassigned range */
	r = record_at(reg, 8);
	ck_assert_ptr_null(r->name);
	ck_assert_uint_eq(r->status, IANA_STATUS_UNASSIGNED);
	ck_assert_uint_eq(r->port_first, 13219);
	ck_assert_uint_eq(r->port_last, 13222);
	ck_assert_uint_eq(r->line, 12);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_port_range_and_portless)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg;
	ck_assert_int_eq(load_fixture("csv-basic.csv", &reg, &diags), IANA_LOAD_OK);
	const struct iana_record *r = find_record(reg, "x11", IANA_PROTO_TCP);
	ck_assert_ptr_nonnull(r);
	ck_assert(r->has_port);
	ck_assert_uint_eq(r->port_first, 6000);
	ck_assert_uint_eq(r->port_last, 6063);

	r = find_record(reg, "dnssd-only", IANA_PROTO_NONE);
	ck_assert_ptr_nonnull(r);
	ck_assert(!r->has_port);
	ck_assert_uint_eq(r->protocol, IANA_PROTO_NONE);
	ck_assert_uint_eq(r->status, IANA_STATUS_ASSIGNED);
	assert_date(r->registered, 2006, 11, 0); /* partial date */
	ck_assert_uint_eq(r->line, 7);
	iana_registry_free(reg);
}
END_TEST

/* Free text comes out flowed, as the plain-text rendering shows it: the
 * XML's indentation the CSV carries (a line break and spaces) is one space,
 * a blank line a paragraph break; runs without a line break stay. */
START_TEST(test_free_text_flowed)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_ok(
		HEADER "\n"
		"flow,1,tcp,\"Web browsers like Safari\n      DO NOT browse\r\n   for https\",,,,,,,"
		"\"Known Unauthorized Use\n      on port 1\",\"Para one\n\n      para two,  two spaces\n \t\n\n three\"\n",
		&diags);
	const struct iana_record *r = find_record(reg, "flow", IANA_PROTO_TCP);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->description, "Web browsers like Safari DO NOT browse for https");
	ck_assert_str_eq(r->unauthorized, "Known Unauthorized Use on port 1");
	ck_assert_str_eq(r->notes, "Para one\n\npara two,  two spaces\n\nthree");
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_multiline_and_escapes)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg;
	ck_assert_int_eq(load_fixture("csv-basic.csv", &reg, &diags), IANA_LOAD_OK);
	const struct iana_record *r = find_record(reg, "multi", IANA_PROTO_UDP);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->line, 8);
	/* a line break inside a quoted field is flowed: one space */
	ck_assert_str_eq(r->description, "First line second line");
	ck_assert_str_eq(r->notes, "Note one note two");
	ck_assert_uint_eq(r->n_assignees, 1);
	ck_assert_str_eq(r->assignees[0].id, "A_B");

	/* the record after the three-line one */
	r = find_record(reg, "after-multi", IANA_PROTO_UDP);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->line, 11);
	ck_assert_str_eq(r->description, "He said \"hi\"");
	assert_date(r->registered, 2008, 0, 0);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_reference_kinds)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg;
	ck_assert_int_eq(load_fixture("csv-basic.csv", &reg, &diags), IANA_LOAD_OK);
	const struct iana_record *r = find_record(reg, "after-multi", IANA_PROTO_UDP);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->n_refs, 6);
	assert_ref(&r->refs[0], IANA_REF_DRAFT, "draft-ietf-foo-bar-01", NULL, NULL);
	assert_ref(&r->refs[1], IANA_REF_DRAFT, "RFC-ietf-dnssd-srp-25", NULL, NULL);
	assert_ref(&r->refs[2], IANA_REF_URI, "https://example.org/proto", NULL, NULL);
	assert_ref(&r->refs[3], IANA_REF_NOTE, "1", NULL, NULL);
	assert_ref(&r->refs[4], IANA_REF_TEXT, NULL, "n/a", NULL);
	assert_ref(&r->refs[5], IANA_REF_TEXT, NULL, "ISO/IEC 13818-6 MPEG-2 DSM-CC", NULL);
	iana_registry_free(reg);
}
END_TEST

/* More reference and people forms, and the warnings of odd ones. */
START_TEST(test_reference_and_people_variants)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_ok(
		HEADER "\n"
		"a,1,tcp,A,\"[X_Y], [Z]\",[ Padded ],,,\"[rfc768] [RFC8765, Section 6.1]"
		"[http://example.com/a b][RFC1234bis]\",,,\n"
		"b,2,tcp,B,Jon Postel,[Unclosed,,,\"see RFC 1234[RFC4340 , section 4.3]\",,,\n",
		&diags);
	ck_assert_uint_eq(record_count(reg), 2);
	const struct iana_record *r = record_at(reg, 0);
	ck_assert_uint_eq(r->n_assignees, 2);
	ck_assert_str_eq(r->assignees[0].id, "X_Y");
	ck_assert_str_eq(r->assignees[1].id, "Z");
	ck_assert_uint_eq(r->n_contacts, 1);
	ck_assert_str_eq(r->contacts[0].id, "Padded");
	ck_assert_uint_eq(r->n_refs, 4);
	assert_ref(&r->refs[0], IANA_REF_RFC, "rfc768", NULL, NULL);
	assert_ref(&r->refs[1], IANA_REF_RFC, "rfc8765", NULL, "6.1");
	assert_ref(&r->refs[2], IANA_REF_URI, "http://example.com/a b", NULL, NULL);
	assert_ref(&r->refs[3], IANA_REF_TEXT, NULL, "RFC1234bis", NULL);
	ck_assert_uint_eq(diags.warnings, 3); /* all from the second row */

	r = record_at(reg, 1);
	ck_assert_uint_eq(r->n_assignees, 1);
	ck_assert_str_eq(r->assignees[0].id, "Jon Postel");
	ck_assert_uint_eq(r->n_contacts, 1);
	ck_assert_str_eq(r->contacts[0].id, "Unclosed");
	ck_assert_uint_eq(r->n_refs, 2);
	assert_ref(&r->refs[0], IANA_REF_TEXT, NULL, "see RFC 1234", NULL);
	assert_ref(&r->refs[1], IANA_REF_RFC, "rfc4340", NULL, "4.3");
	ck_assert_ptr_nonnull(strstr(diags.text, "3:11: warning: Assignee \"Jon Postel\""));
	ck_assert_ptr_nonnull(strstr(diags.text, "3:22: warning: Contact \"Unclosed\""));
	ck_assert_ptr_nonnull(strstr(diags.text, "3:34: warning: reference \"see RFC 1234\""));
	iana_registry_free(reg);
}
END_TEST

/* The LF and the CRLF fixture hold the same registry; a CRLF inside a
 * quoted field becomes LF. */
START_TEST(test_lf_and_crlf)
{
	struct captured_diagnostics d1, d2;
	struct iana_registry *lf, *crlf;
	ck_assert_int_eq(load_fixture("csv-basic.csv", &lf, &d1), IANA_LOAD_OK);
	ck_assert_int_eq(load_fixture("csv-basic-crlf.csv", &crlf, &d2), IANA_LOAD_OK);
	ck_assert_uint_eq(d2.warnings, 0);
	size_t n1, n2;
	const struct iana_record *a = iana_registry_records(lf, &n1);
	const struct iana_record *b = iana_registry_records(crlf, &n2);
	ck_assert_uint_eq(n1, 9);
	ck_assert_uint_eq(n1, n2);
	for (size_t i = 0; i < n1; i++) {
		ck_assert_uint_eq(a[i].line, b[i].line);
		ck_assert_uint_eq(a[i].port_first, b[i].port_first);
		ck_assert_uint_eq(a[i].port_last, b[i].port_last);
		ck_assert_uint_eq(a[i].protocol, b[i].protocol);
		ck_assert_uint_eq(a[i].status, b[i].status);
		ck_assert_uint_eq(a[i].n_refs, b[i].n_refs);
		ck_assert_uint_eq(a[i].n_assignees, b[i].n_assignees);
		ck_assert_str_eq(a[i].description, b[i].description);
		ck_assert_int_eq(a[i].name == NULL, b[i].name == NULL);
		if (a[i].name)
			ck_assert_str_eq(a[i].name, b[i].name);
		ck_assert_int_eq(a[i].notes == NULL, b[i].notes == NULL);
		if (a[i].notes)
			ck_assert_str_eq(a[i].notes, b[i].notes);
	}
	const struct iana_record *r = find_record(crlf, "multi", IANA_PROTO_UDP);
	/* a line break inside a quoted field is flowed: one space */
	ck_assert_str_eq(r->description, "First line second line");
	ck_assert_str_eq(r->notes, "Note one note two");
	iana_registry_free(lf);
	iana_registry_free(crlf);
}
END_TEST

/* BOM, blank lines (LF and CRLF), trimming, a last line without newline. */
START_TEST(test_layout_variants)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_ok(
		"\xEF\xBB\xBF" HEADER "\r\n"
		"\n"
		"\r\n"
		"  spaced  ,  80  , TCP ,  Padded text  ,,,,,,  17  ,  ,\n"
		"\n"
		"last,81,udp,\"\",,,,,,,,\"ends here\"",
		&diags);
	ck_assert_uint_eq(diags.warnings, 0);
	ck_assert_uint_eq(record_count(reg), 2);
	const struct iana_record *r = record_at(reg, 0);
	ck_assert_uint_eq(r->line, 4);
	ck_assert_str_eq(r->name, "spaced");
	ck_assert_uint_eq(r->port_first, 80);
	ck_assert_uint_eq(r->protocol, IANA_PROTO_TCP);
	ck_assert_str_eq(r->description, "Padded text");
	ck_assert(r->has_service_code);
	ck_assert_uint_eq(r->service_code, 17);
	ck_assert_ptr_null(r->unauthorized);
	ck_assert_ptr_null(r->notes);
	r = record_at(reg, 1);
	ck_assert_uint_eq(r->line, 6);
	ck_assert_str_eq(r->name, "last");
	ck_assert_ptr_null(r->description);
	ck_assert_str_eq(r->notes, "ends here");
	iana_registry_free(reg);

	/* a trailing comma at the very end is a last, empty field */
	reg = load_ok(HEADER "\nz,1,tcp,Z,,,,,,,,", &diags);
	ck_assert_uint_eq(record_count(reg), 1);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_bad_dates_warn)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg =
		load_ok(HEADER "\nd,1,tcp,D,,,2006-13-01,June 2009,,,,\n", &diags);
	ck_assert_uint_eq(diags.errors, 0);
	ck_assert_uint_eq(diags.warnings, 2);
	ck_assert_ptr_nonnull(strstr(diags.text, "2:13: warning: registration date \"2006-13-01\""));
	ck_assert_ptr_nonnull(strstr(diags.text, "2:24: warning: modification date \"June 2009\""));
	const struct iana_record *r = record_at(reg, 0);
	ck_assert_uint_eq(r->registered.year, 0);
	ck_assert_uint_eq(r->modified.year, 0);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_header_only)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg;
	ck_assert_int_eq(load_fixture("csv-header-only.csv", &reg, &diags), IANA_LOAD_OK);
	ck_assert_uint_eq(diags.errors + diags.warnings, 0);
	ck_assert_int_eq(iana_registry_format(reg), IANA_FORMAT_CSV);
	ck_assert_uint_eq(record_count(reg), 0);
	iana_registry_free(reg);

	/* without a newline, with a BOM and CRLF, with trailing blank lines */
	const char *variants[] = {HEADER, "\xEF\xBB\xBF" HEADER "\r\n", HEADER "\n\n\r\n\n"};
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		reg = load_ok(variants[i], &diags);
		ck_assert_uint_eq(record_count(reg), 0);
		iana_registry_free(reg);
	}
}
END_TEST

static void note_error_line(const struct iana_diagnostic *d, void *userdata)
{
	if (d->severity == IANA_SEVERITY_ERROR)
		*(uint32_t *)userdata = d->line;
}

START_TEST(test_empty_input)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg;
	/* the loader cannot tell the format of nothing */
	ck_assert_int_eq(load_registry_string("", 0, &reg, &diags), IANA_LOAD_BAD_FORMAT);
	ck_assert_ptr_null(reg);

	/* the parser itself, handed nothing or a lone BOM, reports the
	 * missing header at line 1 */
	static const char *const inputs[] = {"", "\xEF\xBB\xBF"};
	for (size_t i = 0; i < 2; i++) {
		uint32_t line = 99;
		struct iana_load_options options = {.on_diagnostic = note_error_line, .userdata = &line};
		struct registry_builder *b = reg_builder_new(&options, IANA_FORMAT_CSV);
		ck_assert_ptr_nonnull(b);
		ck_assert_int_eq(reg_parse_csv(b, inputs[i], strlen(inputs[i])), -1);
		ck_assert(reg_builder_failed(b));
		ck_assert_uint_eq(line, 1);
		ck_assert_int_eq(reg_builder_finish(b, &reg), IANA_LOAD_PARSE_ERROR);
		ck_assert_ptr_null(reg);
	}
}
END_TEST

/* ---- malformed input ---- */

struct bad_case {
	const char *data;
	const char *where; /* "line:column: error: " prefix expected */
	const char *what;  /* part of the message */
};

static const struct bad_case bad_cases[] = {
	{"Service Name,Port Number,Transport Protocol,Description\n,0,tcp,Reserved\n", "1:56: error: ",
	 "header"},
	{"Service Name,Port Number," HEADER "\n", "1:26: error: ", "header"},
	{HEADER "\nok,1,tcp,Fine,,,,,,,,\nbad,2,tcp,Short,,,,,,,\n", "3:0: error: ", "11 fields"},
	{HEADER "\nbad,2,tcp,Long,,,,,,,,,\n", "2:0: error: ", "13 fields"},
	{HEADER "\nlonely\n", "2:0: error: ", "1 field,"},
	{HEADER "\na,1,tcp,\"x\ny\",,,,,,,,\n\nb,2,tcp,\"never closed,,,,,,,,\n,0,tcp,R,,,,,,,,\n",
	 "5:9: error: ", "unterminated"},
	{HEADER "\n\nhttp,80x,tcp,Web,,,,,,,,\n", "3:6: error: ", "\"80x\""},
	{HEADER "\nhttp,70000,tcp,Web,,,,,,,,\n", "2:6: error: ", "\"70000\""},
	{HEADER "\nhttp,6063-6000,tcp,Web,,,,,,,,\n", "2:6: error: ", "port"},
	{HEADER "\nhttp,-1,tcp,Web,,,,,,,,\n", "2:6: error: ", "port"},
	{HEADER "\nhttp,80,xyz,Web,,,,,,,,\n", "2:9: error: ", "\"xyz\""},
	{HEADER "\na,1,tcp,Bad\"quote,,,,,,,,\n", "2:12: error: ", "stray"},
	{HEADER "\na,1,tcp,\"ok\"x,,,,,,,,\n", "2:13: error: ", "closing quote"},
	{HEADER "\na,1,tcp,\"two\nlines\" x,,,,,,,,\n", "3:7: error: ", "closing quote"},
	{HEADER "\na,1,dccp,A,,,,,,12a,,\n", "2:17: error: ", "service code"},
	{HEADER "\na,1,dccp,A,,,,,,4294967296,,\n", "2:17: error: ", "service code"},
	/* the record's line, after a multi-line field */
	{HEADER "\r\na,1,tcp,\"x\r\ny\",,,,,,,,\r\nb,zz,tcp,,,,,,,,,\r\n", "4:3: error: ", "\"zz\""},
};

START_TEST(test_malformed)
{
	const struct bad_case *c = &bad_cases[_i];
	struct captured_diagnostics diags;
	struct iana_registry *reg;
	int rc = load_registry_string(c->data, strlen(c->data), &reg, &diags);
	ck_assert_msg(rc == IANA_LOAD_PARSE_ERROR, "case %d: result %d", _i, rc);
	ck_assert_ptr_null(reg);
	ck_assert_uint_eq(diags.errors, 1);
	const char *at = strstr(diags.text, c->where);
	ck_assert_msg(at != NULL, "case %d: no \"%s\" in: %s", _i, c->where, diags.text);
	ck_assert_msg(strstr(at, c->what) != NULL, "case %d: no \"%s\" in: %s", _i, c->what,
		      diags.text);
}
END_TEST

START_TEST(test_malformed_fixtures)
{
	static const struct {
		const char *name, *where, *what;
	} files[] = {
		{"csv-bad-header.csv", "1:56: error: ", "header"},
		{"csv-short-record.csv", "4:0: error: ", "11 fields"},
		{"csv-unterminated.csv", "3:9: error: ", "unterminated"},
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct captured_diagnostics diags;
		struct iana_registry *reg;
		ck_assert_int_eq(load_fixture(files[i].name, &reg, &diags), IANA_LOAD_PARSE_ERROR);
		ck_assert_ptr_null(reg);
		const char *at = strstr(diags.text, files[i].where);
		ck_assert_msg(at && strstr(at, files[i].what), "%s: %s", files[i].name, diags.text);
	}
}
END_TEST

/* ---- robustness ---- */

/* Parse DATA directly; returns the load result. */
static int parse_direct(const char *data, size_t len, struct iana_registry **out)
{
	struct registry_builder *b = reg_builder_new(NULL, IANA_FORMAT_CSV);
	ck_assert_ptr_nonnull(b);
	int rc = reg_parse_csv(b, data, len);
	int result = reg_builder_finish(b, out);
	ck_assert_int_eq(rc < 0, result != IANA_LOAD_OK);
	return result;
}

/* NUL bytes, lone CRs and invalid UTF-8 pass through. */
START_TEST(test_odd_bytes)
{
	static const char data[] = HEADER "\n"
				   "n\xff\xfe,1,tcp,a\rb,,,,,,,,\"x\0y\"\n"
				   "lone,2,udp,\"c\rd\",[\x80],,,,,,,\r";
	struct iana_registry *reg;
	ck_assert_int_eq(parse_direct(data, sizeof(data) - 1, &reg), IANA_LOAD_OK);
	ck_assert_uint_eq(record_count(reg), 2);
	const struct iana_record *r = record_at(reg, 0);
	ck_assert_str_eq(r->name, "n\xff\xfe");
	ck_assert_str_eq(r->description, "a\rb");
	ck_assert_mem_eq(r->notes, "x\0y", 4);
	r = record_at(reg, 1);
	ck_assert_str_eq(r->description, "c\rd");
	ck_assert_str_eq(r->assignees[0].id, "\x80");
	ck_assert_ptr_null(r->notes); /* the final lone CR is trimmed away */
	iana_registry_free(reg);
}
END_TEST

/* Large fields and many fields: the scratch buffer grows, nothing is
 * quadratic, the field count is still reported. */
START_TEST(test_big_input)
{
	const size_t big = 4 << 20;
	char *data = malloc(sizeof(HEADER) + big + 64);
	ck_assert_ptr_nonnull(data);
	size_t n = (size_t)sprintf(data, "%s\na,1,tcp,\"", HEADER);
	for (size_t i = 0; i < big / 4; i++) {
		memcpy(data + n, "\"\"\r\n", 4);
		n += 4;
	}
	n += (size_t)sprintf(data + n, "\",,,,,,,,\nb,2,tcp,B,,,,,,,,\n");
	struct iana_registry *reg;
	ck_assert_int_eq(parse_direct(data, n, &reg), IANA_LOAD_OK);
	const struct iana_record *r = record_at(reg, 0);
	ck_assert_uint_eq(strlen(r->description), big / 4 * 2 - 1); /* last LF trimmed */
	ck_assert_uint_eq(record_at(reg, 1)->line, 3 + big / 4);
	iana_registry_free(reg);

	n = (size_t)sprintf(data, "%s\n", HEADER);
	memset(data + n, ',', big);
	n += big;
	struct captured_diagnostics diags;
	ck_assert_int_eq(load_registry_string(data, n, &reg, &diags), IANA_LOAD_PARSE_ERROR);
	char expected[64];
	snprintf(expected, sizeof(expected), "2:0: error: record has %zu fields", big + 1);
	ck_assert_msg(strstr(diags.text, expected), "%s", diags.text);
	free(data);
}
END_TEST

/* Random corruptions of a valid file never crash, and a load either
 * succeeds or fails with an error. */
START_TEST(test_mutations)
{
	struct iana_registry *reg;
	ck_assert_int_eq(load_fixture("csv-basic-crlf.csv", &reg, NULL), IANA_LOAD_OK);
	iana_registry_free(reg);
	FILE *f = fopen(fixture_path("csv-basic-crlf.csv"), "rb");
	ck_assert_ptr_nonnull(f);
	char base[4096];
	size_t len = fread(base, 1, sizeof(base), f);
	fclose(f);
	ck_assert_uint_gt(len, sizeof(HEADER));

	static const char specials[] = {'"', ',', '\n', '\r', '[', ']', '\0', '-', '9', ' '};
	uint32_t seed = 12345;
	char buf[4096];
	for (int iter = 0; iter < 20000; iter++) {
		memcpy(buf, base, len);
		size_t n = len;
		int edits = 1 + iter % 4;
		for (int e = 0; e < edits; e++) {
			seed = seed * 1103515245u + 12345u;
			size_t pos = sizeof(HEADER) + (seed >> 8) % (n - sizeof(HEADER));
			seed = seed * 1103515245u + 12345u;
			char c = (seed >> 16) % 3 ? specials[(seed >> 8) % sizeof(specials)]
						  : (char)(seed >> 20);
			buf[pos] = c;
		}
		if (iter % 5 == 0) {
			seed = seed * 1103515245u + 12345u;
			n = sizeof(HEADER) + (seed >> 8) % (len - sizeof(HEADER));
		}
		int rc = parse_direct(buf, n, &reg);
		ck_assert(rc == IANA_LOAD_OK || rc == IANA_LOAD_PARSE_ERROR);
		iana_registry_free(reg);
	}
}
END_TEST

static Suite *csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("records");
	tcase_add_test(tc, test_full_record);
	tcase_add_test(tc, test_reserved_unassigned);
	tcase_add_test(tc, test_port_range_and_portless);
	tcase_add_test(tc, test_multiline_and_escapes);
	tcase_add_test(tc, test_free_text_flowed);
	tcase_add_test(tc, test_reference_kinds);
	tcase_add_test(tc, test_reference_and_people_variants);
	tcase_add_test(tc, test_lf_and_crlf);
	tcase_add_test(tc, test_layout_variants);
	tcase_add_test(tc, test_bad_dates_warn);
	tcase_add_test(tc, test_header_only);
	tcase_add_test(tc, test_empty_input);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_loop_test(tc, test_malformed, 0, (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_test(tc, test_malformed_fixtures);
	suite_add_tcase(s, tc);

	tc = tcase_create("robustness");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_odd_bytes);
	tcase_add_test(tc, test_big_input);
	tcase_add_test(tc, test_mutations);
	suite_add_tcase(s, tc);
	return s;
}

RUN_SUITE(csv_suite)
