/* test_xml.c - unit tests of the XML parser and the model it fills, on
 * hand-written fixtures (tests/fixtures/xml-*.xml). */
#include "test_support.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct iana_registry *load_full(struct captured_diagnostics *diags)
{
	struct iana_registry *reg;
	int rc = load_fixture("xml-full.xml", &reg, diags);
	ck_assert_msg(rc == IANA_LOAD_OK, "load failed (%d): %s", rc, diags->text);
	return reg;
}

static char *date_str(struct iana_date d)
{
	static char buf[16];
	return iana_date_format(d, buf, sizeof(buf));
}

START_TEST(test_header_and_counts)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_full(&diags);
	size_t n, np;
	iana_registry_records(reg, &n);
	iana_registry_people(reg, &np);
	ck_assert_uint_eq(n, 16);
	ck_assert_uint_eq(np, 10);
	ck_assert_int_eq(iana_registry_format(reg), IANA_FORMAT_XML);
	ck_assert_str_eq(iana_registry_title(reg), "Service Name and Transport Protocol Port Number Registry");
	ck_assert_str_eq(date_str(iana_registry_updated(reg)), "2026-08-17");
	ck_assert_str_eq(iana_registry_footnote(reg, "1"), "Only for explicitly configured experiments.");
	ck_assert_ptr_null(iana_registry_footnote(reg, "2"));
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_reserved_and_unassigned_rows)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_full(&diags);
	const struct iana_record *r = record_at(reg, 0);
	ck_assert_ptr_null(r->name);
	ck_assert_int_eq(r->status, IANA_STATUS_RESERVED);
	ck_assert(r->has_port);
	ck_assert_uint_eq(r->port_first, 0);
	ck_assert_int_eq(r->protocol, IANA_PROTO_TCP);
	ck_assert_str_eq(date_str(r->modified), "2024-12-20");
	ck_assert_uint_eq(r->n_refs, 1);
	ck_assert_int_eq(r->refs[0].kind, IANA_REF_RFC);
	ck_assert_str_eq(r->refs[0].data, "rfc6335");
	ck_assert_uint_eq(r->line, 9);

	r = record_at(reg, 9); /* 13219-13222 Unassigned, no protocol */
	ck_assert_ptr_null(r->name);
	ck_assert_int_eq(r->status, IANA_STATUS_UNASSIGNED);
	ck_assert_int_eq(r->protocol, IANA_PROTO_NONE);
	ck_assert_uint_eq(r->port_first, 13219);
	ck_assert_uint_eq(r->port_last, 13222);

	r = record_at(reg, 10);
	ck_assert_int_eq(r->status, IANA_STATUS_RESERVED);
	ck_assert_int_eq(r->protocol, IANA_PROTO_UDP);
	ck_assert_uint_eq(r->port_first, 13823);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_people_resolution)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_full(&diags);
	const struct iana_record *http = find_record(reg, "http", IANA_PROTO_TCP);
	ck_assert_ptr_nonnull(http);
	ck_assert_uint_eq(http->n_assignees, 1);
	ck_assert_str_eq(http->assignees[0].id, "IESG");
	ck_assert_ptr_nonnull(http->assignees[0].person);
	ck_assert_str_eq(http->assignees[0].person->org, "IESG");
	ck_assert_str_eq(http->assignees[0].person->uri, "mailto:iesg&ietf.org");
	ck_assert_ptr_null(http->assignees[0].person->name);
	ck_assert_uint_eq(http->n_contacts, 1);
	ck_assert_str_eq(http->contacts[0].person->name, "IETF Chair");
	ck_assert_str_eq(date_str(http->contacts[0].person->updated), "2021-10-01");

	/* no <assignee>: the person is assignee and contact, as IANA's CSV has it */
	const struct iana_record *wsmans = find_record(reg, "wsmans", IANA_PROTO_TCP);
	ck_assert_uint_eq(wsmans->n_assignees, 1);
	ck_assert_uint_eq(wsmans->n_contacts, 1);
	ck_assert_str_eq(wsmans->assignees[0].person->name, "Jim Davis");
	ck_assert_str_eq(date_str(wsmans->assignees[0].person->updated), "2007-06");
	ck_assert_ptr_eq(wsmans->assignees[0].person, wsmans->contacts[0].person);
	ck_assert_ptr_eq(iana_registry_person(reg, "Jim_Davis"), wsmans->contacts[0].person);

	/* an empty <uri/> is no URI */
	ck_assert_ptr_null(iana_registry_person(reg, "Skip_Levens")->uri);

	/* an unknown id stays unresolved, with a warning naming it and the line */
	const struct iana_record *ghost = find_record(reg, "ghost", IANA_PROTO_TCP);
	ck_assert_ptr_null(ghost->contacts[0].person);
	ck_assert_str_eq(ghost->contacts[0].id, "Nobody_Known");
	ck_assert_uint_eq(diags.errors, 0);
	ck_assert_uint_eq(diags.warnings, 2); /* assignee and contact of ghost */
	char expect[64];
	snprintf(expect, sizeof(expect), "%u:0: warning: contact \"Nobody_Known\"", (unsigned)ghost->line);
	ck_assert_msg(strstr(diags.text, expect) != NULL, "diagnostics: %s", diags.text);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_names_ports_ranges)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_full(&diags);
	const struct iana_record *msp = find_record(reg, "msp", IANA_PROTO_TCP);
	ck_assert_uint_eq(msp->port_first, 18); /* the first of 18 and 2438 */
	const struct iana_record *x11 = find_record(reg, "x11", IANA_PROTO_TCP);
	ck_assert_uint_eq(x11->port_first, 6000);
	ck_assert_uint_eq(x11->port_last, 6063);
	ck_assert_str_eq(x11->unauthorized, "Known Unauthorized Use on port 6003");
	const struct iana_record *finger = find_record(reg, "finger", IANA_PROTO_TCP);
	ck_assert_str_eq(finger->unauthorized, "Unauthorized use by some mail users (see [RFC4146] for details)");

	const struct iana_record *raid = find_record(reg, "activeraid-ssl", IANA_PROTO_NONE);
	ck_assert_ptr_nonnull(raid);
	ck_assert(!raid->has_port);
	ck_assert_int_eq(raid->status, IANA_STATUS_ASSIGNED);
	ck_assert_str_eq(raid->notes, "Defined TXT keys: None");

	const struct iana_record *discard = find_record(reg, "discard", IANA_PROTO_DCCP);
	ck_assert(discard->has_service_code);
	ck_assert_uint_eq(discard->service_code, 1145656131u);
	ck_assert(!x11->has_service_code);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_text_entities_markup_and_references)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_full(&diags);
	const struct iana_record *r = find_record(reg, "www-http", IANA_PROTO_TCP);
	ck_assert_str_eq(r->description, "World Wide Web HTTP & friends \xc3\xa9t\xc3\xa9");

	const struct iana_record *snif = find_record(reg, "snif", IANA_PROTO_TCP);
	ck_assert_str_eq(snif->description, "SNIF second line"); /* <br/>: flowed */
	ck_assert_str_eq(date_str(snif->registered), "2022-11-22");
	ck_assert_str_eq(date_str(snif->modified), "2022-12-15");
	ck_assert_str_eq(snif->assignees[0].id, "VESvault_Corp");
	ck_assert_uint_eq(snif->n_contacts, 1);
	ck_assert_str_eq(snif->contacts[0].id, "Jim_Zubov");
	ck_assert_uint_eq(snif->n_refs, 4);
	ck_assert_int_eq(snif->refs[0].kind, IANA_REF_DRAFT);
	ck_assert_str_eq(snif->refs[0].data, "draft-zubov-snif-05");
	ck_assert_str_eq(snif->refs[0].section, "4.3");
	ck_assert_str_eq(snif->refs[0].text, "draft-zubov-snif-05, Section 4.3");
	ck_assert_int_eq(snif->refs[1].kind, IANA_REF_URI);
	ck_assert_str_eq(snif->refs[1].data, "https://example.org/snif");
	ck_assert_ptr_null(snif->refs[1].text);
	ck_assert_int_eq(snif->refs[2].kind, IANA_REF_TEXT);
	ck_assert_ptr_null(snif->refs[2].data);
	ck_assert_str_eq(snif->refs[2].text, "n/a");
	ck_assert_int_eq(snif->refs[3].kind, IANA_REF_NOTE);
	ck_assert_str_eq(snif->refs[3].data, "1");
	ck_assert_ptr_null(snif->notes); /* the foreign <x:extra> left no trace */

	const struct iana_record *wot = find_record(reg, "wot", IANA_PROTO_UDP);
	ck_assert_str_eq(wot->notes, "Defined TXT keys: td: Absolute pathname"); /* <paragraph>: flowed */
	ck_assert_str_eq(date_str(wot->registered), "2022-11-22");
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_service_table)
{
	struct captured_diagnostics diags;
	struct iana_registry *reg = load_full(&diags);
	struct iana_service_table *table;
	ck_assert_int_eq(iana_service_table_build(reg, NULL, &table), IANA_LOAD_OK);
	size_t n;
	const struct iana_service *e = iana_service_table_entries(table, &n);
	/* msp 18, finger, http(+www, www-http), wsmans, msp 2438, x11, discard, snif, wot?, ghost:
	 * wot has no port, activeraid-ssl neither; nameless rows never count. */
	ck_assert_uint_eq(n, 9);
	ck_assert_str_eq(e[0].record->name, "msp");
	ck_assert_uint_eq(e[0].port_first, 18);
	ck_assert_str_eq(e[2].record->name, "http");
	ck_assert_uint_eq(e[2].n_aliases, 2);
	ck_assert_str_eq(e[2].aliases[0], "www");
	ck_assert_str_eq(e[2].aliases[1], "www-http");
	ck_assert_str_eq(e[4].record->name, "msp");
	ck_assert_uint_eq(e[4].port_first, 2438);
	ck_assert_str_eq(e[5].record->name, "x11");
	ck_assert_uint_eq(e[5].port_last, 6063);
	iana_service_table_free(table);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_service_name_rule)
{
	ck_assert(iana_service_name_is_valid("whois++"));
	ck_assert(iana_service_name_is_valid("cl/1"));
	ck_assert(!iana_service_name_is_valid(""));
	ck_assert(!iana_service_name_is_valid("two words"));
	ck_assert(!iana_service_name_is_valid("tab\there"));
	ck_assert(!iana_service_name_is_valid("hash#name"));
	ck_assert(!iana_service_name_is_valid(NULL));
}
END_TEST

/* Load a malformed fixture: it must fail with the given result and a
 * diagnostic at a line from LINE to LAST_LINE containing NEEDLE. */
static void expect_failure_within(const char *fixture, int result, unsigned line, unsigned last_line,
				  const char *needle)
{
	struct iana_registry *reg;
	struct captured_diagnostics diags;
	int rc = load_fixture(fixture, &reg, &diags);
	ck_assert_msg(rc == result, "%s: result %d, want %d; %s", fixture, rc, result, diags.text);
	ck_assert_ptr_null(reg);
	ck_assert_uint_ge(diags.errors, 1);
	char *end;
	unsigned long got = strtoul(diags.text, &end, 10);
	ck_assert_msg(*end == ':' && got >= line && got <= last_line, "%s: want line %u to %u, got %s", fixture,
		      line, last_line, diags.text);
	ck_assert_msg(strstr(diags.text, needle) != NULL, "%s: want '%s' in %s", fixture, needle, diags.text);
}

static void expect_failure(const char *fixture, int result, unsigned line, const char *needle)
{
	expect_failure_within(fixture, result, line, line, needle);
}

START_TEST(test_malformed_files)
{
	expect_failure("xml-not-well-formed.xml", IANA_LOAD_PARSE_ERROR, 5, "error: malformed XML: ");
	/* The file ends inside a record, after the newline of line 10:
	 * libxml2 before 2.12 places that on line 10, later ones on line 11,
	 * where the input ends.  Both are the end of the file. */
	expect_failure_within("xml-truncated.xml", IANA_LOAD_PARSE_ERROR, 10, 11, "error: malformed XML: ");
	expect_failure("xml-wrong-namespace.xml", IANA_LOAD_PARSE_ERROR, 2, "urn:not-iana");
	expect_failure("xml-bad-port.xml", IANA_LOAD_PARSE_ERROR, 7, "\"70000\"");
	expect_failure("xml-bad-protocol.xml", IANA_LOAD_PARSE_ERROR, 5, "\"xtp\"");
	expect_failure("xml-entity.xml", IANA_LOAD_PARSE_ERROR, 10, "entity");
}
END_TEST

START_TEST(test_no_external_entities)
{
	struct iana_registry *reg;
	struct captured_diagnostics diags;
	int rc = load_fixture("xml-xxe.xml", &reg, &diags);
	ck_assert_int_eq(rc, IANA_LOAD_PARSE_ERROR);
	ck_assert_msg(strstr(diags.text, "root:") == NULL, "external entity was read: %s", diags.text);
	ck_assert_msg(strstr(diags.text, "secret") != NULL, "%s", diags.text);
}
END_TEST

START_TEST(test_bad_date_is_a_warning)
{
	struct iana_registry *reg;
	struct captured_diagnostics diags;
	ck_assert_int_eq(load_fixture("xml-bad-date.xml", &reg, &diags), IANA_LOAD_OK);
	ck_assert_uint_eq(diags.warnings, 1);
	ck_assert_msg(strstr(diags.text, "4:0: warning: registration date \"2006-13-01\"") != NULL, "%s",
		      diags.text);
	ck_assert_uint_eq(record_at(reg, 0)->registered.year, 0);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_not_a_registry)
{
	struct iana_registry *reg;
	struct captured_diagnostics diags;
	ck_assert_int_eq(load_registry_string("", 0, &reg, &diags), IANA_LOAD_BAD_FORMAT);
	ck_assert_ptr_null(reg);
	ck_assert_ptr_nonnull(strstr(diags.text, "empty"));
	ck_assert_int_eq(load_registry_string("hello\n", 6, &reg, &diags), IANA_LOAD_BAD_FORMAT);
	ck_assert_int_eq(iana_registry_load_path("/nonexistent/registry.xml", NULL, &reg), IANA_LOAD_IO_ERROR);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(iana_registry_load_path(FIXTURES_DIR, NULL, &reg), IANA_LOAD_IO_ERROR);
	ck_assert_int_eq(errno, EISDIR);
}
END_TEST

/* libxml2's tree keeps element lines in 16 bits; the SAX parser reads the
 * parser's own count: records past line 65534 carry their real line, the
 * line of <record>, as below it. */
START_TEST(test_lines_past_65535)
{
	size_t cap = 4 * 1024 * 1024, len = 0;
	char *xml = malloc(cap);
	ck_assert_ptr_nonnull(xml);
	len += (size_t)sprintf(xml + len, "<?xml version=\"1.0\"?>\n<registry xmlns=\"http://www.iana.org/assignments\">\n");
	for (unsigned i = 0; i < 14000; i++)
		len += (size_t)sprintf(xml + len,
				       "  <record>\n    <name>s%u</name>\n    <protocol>tcp</protocol>\n    <number>%u</number>\n  </record>\n",
				       i, i);
	len += (size_t)sprintf(xml + len, "</registry>\n");
	struct iana_registry *reg;
	struct captured_diagnostics diags;
	ck_assert_int_eq(load_registry_string(xml, len, &reg, &diags), IANA_LOAD_OK);
	/* record i starts on line 3 + 5 i */
	ck_assert_uint_eq(record_at(reg, 100)->line, 503);
	ck_assert_uint_eq(record_at(reg, 13000)->line, 3 + 5 * 13000);
	ck_assert_uint_eq(record_at(reg, 13106)->line, 3 + 5 * 13106); /* line 65533 */
	ck_assert_uint_eq(record_at(reg, 13107)->line, 3 + 5 * 13107); /* line 65538 */
	ck_assert_uint_eq(record_at(reg, 13999)->line, 3 + 5 * 13999);
	free(xml);
	iana_registry_free(reg);
}
END_TEST

static const char odd_xml[] =
	"<?xml version='1.0'?>\n"
	"<registry xmlns=\"http://www.iana.org/assignments\">\n"
	"  <record><name>two words</name><protocol>tcp</protocol><number>7</number></record>\n"
	"  <record><name>ok</name><protocol>tcp</protocol><number>7</number></record>\n"
	"  <record><name>hash#name</name><protocol>udp</protocol><number>8</number></record>\n"
	"  <record><name>x</name><protocol>udp</protocol><number>9</number><xref type=\"person\" data=\"P\"/></record>\n"
	"  <people>\n"
	"    <person id=\"P\"><name>First</name></person>\n"
	"    <person id=\"P\"><name>Second</name></person>\n"
	"  </people>\n"
	"</registry>\n";

/* The documented rule: names a services line cannot carry are left out of
 * the services view and reported with their line; a person listed twice
 * warns and the first entry wins. */
START_TEST(test_unwritable_names_and_duplicate_people)
{
	struct iana_registry *reg;
	struct captured_diagnostics diags;
	ck_assert_int_eq(load_registry_string(odd_xml, strlen(odd_xml), &reg, &diags), IANA_LOAD_OK);
	ck_assert_uint_eq(diags.warnings, 1);
	ck_assert_msg(strstr(diags.text, "9:0: warning: person \"P\" is listed twice") != NULL, "%s", diags.text);
	ck_assert_str_eq(find_record(reg, "x", IANA_PROTO_UDP)->contacts[0].person->name, "First");

	struct iana_service_table *table;
	struct captured_diagnostics table_diags;
	struct iana_load_options report = capturing_options(&table_diags);
	ck_assert_int_eq(iana_service_table_build(reg, &report, &table), IANA_LOAD_OK);
	size_t n;
	const struct iana_service *e = iana_service_table_entries(table, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(e[0].record->name, "ok"); /* 7/tcp: "two words" left out */
	ck_assert_uint_eq(e[0].n_aliases, 0);
	ck_assert_str_eq(e[1].record->name, "x");
	ck_assert_uint_eq(table_diags.warnings, 2);
	ck_assert_msg(strstr(table_diags.text, "3:0: warning: service name \"two words\"") != NULL, "%s",
		      table_diags.text);
	ck_assert_msg(strstr(table_diags.text, "5:0: warning: service name \"hash#name\"") != NULL, "%s",
		      table_diags.text);
	iana_service_table_free(table);
	iana_registry_free(reg);
}
END_TEST

/* Read from SAX events, without a tree: the whitespace between inline
 * elements of a field is text like any other (the reader that came before
 * dropped it as indentation, gluing "<b>x</b> <b>y</b>" into "xy"). */
START_TEST(test_whitespace_between_inline_elements)
{
	static const char xml[] =
		"<registry xmlns=\"http://www.iana.org/assignments\"><record><name>a</name><protocol>tcp</protocol>"
		"<number>1</number><description>  <b>x</b> <b>y</b> </description>"
		"<note><xref type=\"rfc\" data=\"rfc1\"/> <xref type=\"rfc\" data=\"rfc2\"/></note></record></registry>\n";
	struct iana_registry *reg;
	struct captured_diagnostics diags;
	ck_assert_int_eq(load_registry_string(xml, strlen(xml), &reg, &diags), IANA_LOAD_OK);
	ck_assert_str_eq(record_at(reg, 0)->description, "x y");
	ck_assert_str_eq(record_at(reg, 0)->notes, "[RFC1] [RFC2]");
	iana_registry_free(reg);
}
END_TEST

/* An entity reference in an attribute we read is refused wherever that
 * attribute is: also an inline <xref> in a note, which the reader before
 * expanded.  Character and predefined references are text. */
START_TEST(test_entity_in_inline_xref_attribute)
{
	static const char bad[] =
		"<!DOCTYPE registry [ <!ENTITY e \"rfc6335\"> ]>\n"
		"<registry xmlns=\"http://www.iana.org/assignments\"><record><name>a</name><protocol>tcp</protocol>"
		"<number>1</number>\n<note>see <xref type=\"rfc\" data=\"&e;\"/></note></record></registry>\n";
	static const char good[] =
		"<registry xmlns=\"http://www.iana.org/assignments\"><record><name>a</name><protocol>tcp</protocol>"
		"<number>1</number><xref type=\"uri\" data=\"http://x/?a=1&amp;b=&#233;&#x3c;&lt;&quot;\"/>"
		"<note>see <xref type=\"uri\" data=\"u&amp;v\"/></note></record></registry>\n";
	struct iana_registry *reg;
	struct captured_diagnostics diags;
	ck_assert_int_eq(load_registry_string(bad, strlen(bad), &reg, &diags), IANA_LOAD_PARSE_ERROR);
	ck_assert_msg(strstr(diags.text, "3:0: error: entity reference &e; in attribute data is not expanded") != NULL,
		      "%s", diags.text);
	ck_assert_int_eq(load_registry_string(good, strlen(good), &reg, &diags), IANA_LOAD_OK);
	ck_assert_str_eq(record_at(reg, 0)->refs[0].data, "http://x/?a=1&b=\xc3\xa9<<\"");
	ck_assert_str_eq(record_at(reg, 0)->notes, "see [u&v]");
	iana_registry_free(reg);
}
END_TEST

/* xml:id is not checked: the registry has none, and without a tree
 * libxml2 does not look at it (the reader before refused a repeated or
 * malformed one as an ID error). */
START_TEST(test_xml_id_not_checked)
{
	static const char xml[] =
		"<registry xmlns=\"http://www.iana.org/assignments\"><record xml:id=\"a b\"><name>a</name>"
		"<protocol>tcp</protocol><number>1</number></record><record xml:id=\"x\"><name>b</name>"
		"<protocol>tcp</protocol><number>2</number></record><record xml:id=\"x\"><name>c</name>"
		"<protocol>tcp</protocol><number>3</number></record></registry>\n";
	struct iana_registry *reg;
	struct captured_diagnostics diags;
	ck_assert_int_eq(load_registry_string(xml, strlen(xml), &reg, &diags), IANA_LOAD_OK);
	ck_assert_uint_eq(diags.errors, 0);
	ck_assert_str_eq(record_at(reg, 2)->name, "c");
	iana_registry_free(reg);
}
END_TEST

static Suite *xml_suite(void)
{
	Suite *s = suite_create("xml");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, test_header_and_counts);
	tcase_add_test(tc, test_reserved_and_unassigned_rows);
	tcase_add_test(tc, test_people_resolution);
	tcase_add_test(tc, test_names_ports_ranges);
	tcase_add_test(tc, test_text_entities_markup_and_references);
	tcase_add_test(tc, test_service_table);
	tcase_add_test(tc, test_service_name_rule);
	tcase_add_test(tc, test_malformed_files);
	tcase_add_test(tc, test_no_external_entities);
	tcase_add_test(tc, test_bad_date_is_a_warning);
	tcase_add_test(tc, test_not_a_registry);
	tcase_add_test(tc, test_lines_past_65535);
	tcase_add_test(tc, test_unwritable_names_and_duplicate_people);
	tcase_add_test(tc, test_whitespace_between_inline_elements);
	tcase_add_test(tc, test_entity_in_inline_xref_attribute);
	tcase_add_test(tc, test_xml_id_not_checked);
	suite_add_tcase(s, tc);
	return s;
}

RUN_SUITE(xml_suite)
