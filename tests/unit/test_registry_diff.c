/* test_registry_diff.c - unit tests of gen-services/registry_diff.c on the
 * hand-written fixtures diff-old.xml, diff-new.xml and diff-old.csv: which
 * records pair as the same assignment (name and protocol; port range and
 * protocol for unnamed rows; a name on several ports), which fields count
 * as changed (a change of case, re-wrapped descriptions that are no
 * change), the order of the report, its text and JSON forms exactly, a
 * first install (no old registry), and a CSV equal to an XML. */
#include "registry_diff.h"
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct iana_registry *load(const char *name)
{
	struct iana_registry *reg = NULL;
	struct captured_diagnostics diags;
	int rc = load_fixture(name, &reg, &diags);
	ck_assert_msg(rc == IANA_LOAD_OK, "%s: %s", name, diags.text);
	return reg;
}

/* The report written by WRITE into a malloc'ed string. */
static char *text_report(const struct registry_diff *diff, bool verbose)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(registry_diff_write_text(out, diff, verbose), 0);
	ck_assert_int_eq(fclose(out), 0);
	return text;
}

START_TEST(test_pairs_and_fields)
{
	struct iana_registry *old = load("diff-old.xml"), *new = load("diff-new.xml");
	struct registry_diff diff;
	ck_assert_int_eq(registry_diff_compute(old, new, &diff), 0);
	ck_assert_uint_eq(diff.added, 4);
	ck_assert_uint_eq(diff.removed, 2);
	ck_assert_uint_eq(diff.changed, 5);
	ck_assert_uint_eq(diff.n_changes, 11);

	/* In order of place; at one place removed, changed, added. */
	const struct registry_change *c = diff.changes;
	ck_assert_int_eq(c[0].kind, REGISTRY_REMOVED);
	ck_assert_str_eq(c[0].old_record->name, "Gone");
	ck_assert_ptr_null(c[0].new_record);

	ck_assert_int_eq(c[1].kind, REGISTRY_CHANGED);
	ck_assert_uint_eq(c[1].fields, REGISTRY_FIELD_NAME); /* Case -> case: same assignment */
	ck_assert_str_eq(c[1].new_record->name, "case");

	ck_assert_int_eq(c[2].kind, REGISTRY_CHANGED);
	ck_assert_uint_eq(c[2].fields, REGISTRY_FIELD_PORT);
	ck_assert_uint_eq(c[2].old_record->port_first, 600);
	ck_assert_uint_eq(c[2].new_record->port_first, 601);

	ck_assert_int_eq(c[3].kind, REGISTRY_CHANGED);
	ck_assert_uint_eq(c[3].fields, REGISTRY_FIELD_PROTOCOL);

	ck_assert_int_eq(c[4].kind, REGISTRY_CHANGED);
	ck_assert_uint_eq(c[4].fields, REGISTRY_FIELD_DESCRIPTION);
	ck_assert_str_eq(c[4].old_record->name, "x11");

	/* An Unassigned range split by a new assignment. */
	ck_assert_int_eq(c[5].kind, REGISTRY_ADDED);
	ck_assert_uint_eq(c[5].new_record->port_last, 13220);
	ck_assert_int_eq(c[6].kind, REGISTRY_REMOVED);
	ck_assert_uint_eq(c[6].old_record->port_last, 13222);
	ck_assert_int_eq(c[7].kind, REGISTRY_ADDED);
	ck_assert_str_eq(c[7].new_record->name, "newsvc");
	ck_assert_int_eq(c[8].kind, REGISTRY_ADDED);
	ck_assert_uint_eq(c[8].new_record->port_first, 13222);

	ck_assert_int_eq(c[9].kind, REGISTRY_CHANGED);
	ck_assert_uint_eq(c[9].fields, REGISTRY_FIELD_DESCRIPTION | REGISTRY_FIELD_STATUS);

	ck_assert_int_eq(c[10].kind, REGISTRY_ADDED);
	ck_assert_str_eq(c[10].new_record->name, "dnssd-new");
	ck_assert(!c[10].new_record->has_port);

	/* Neither msp (one name on two ports, both unchanged) nor http (its
	 * description only re-wrapped) nor dnssd-only appears. */
	for (size_t i = 0; i < diff.n_changes; i++) {
		const struct iana_record *r = c[i].old_record ? c[i].old_record : c[i].new_record;
		ck_assert(r->name == NULL || (strcmp(r->name, "msp") != 0 && strcmp(r->name, "http") != 0 &&
					      strcmp(r->name, "dnssd-only") != 0));
	}
	registry_diff_free(&diff);
	iana_registry_free(old);
	iana_registry_free(new);
}
END_TEST

START_TEST(test_text_report)
{
	struct iana_registry *old = load("diff-old.xml"), *new = load("diff-new.xml");
	struct registry_diff diff;
	ck_assert_int_eq(registry_diff_compute(old, new, &diff), 0);
	char *summary = text_report(&diff, false);
	ck_assert_str_eq(summary, "4 added, 2 removed, 5 changed\n");
	free(summary);
	char *text = text_report(&diff, true);
	ck_assert_str_eq(text,
			 "4 added, 2 removed, 5 changed\n"
			 "- Gone 400/udp: Removed in new\n"
			 "~ Case 500/tcp: name \"Case\" -> \"case\"\n"
			 "~ mover 600/tcp: port 600 -> 601\n"
			 "~ switcher 700/tcp: protocol tcp -> udp\n"
			 "~ x11 6000-6063/tcp: description \"X Window System\" -> \"X Window System, new text\"\n"
			 "+ (unassigned) 13219-13220/tcp: Unassigned\n"
			 "- (unassigned) 13219-13222/tcp: Unassigned\n"
			 "+ newsvc 13221/tcp: New service\n"
			 "+ (unassigned) 13222/tcp: Unassigned\n"
			 "~ (reserved) 13823/udp: description \"Reserved\" -> \"Unassigned\"; status reserved -> unassigned\n"
			 "+ dnssd-new (no port): New DNS-SD name\n");
	free(text);
	registry_diff_free(&diff);
	iana_registry_free(old);
	iana_registry_free(new);
}
END_TEST

START_TEST(test_json_report)
{
	struct iana_registry *old = load("diff-old.xml"), *new = load("diff-new.xml");
	struct registry_diff diff;
	ck_assert_int_eq(registry_diff_compute(old, new, &diff), 0);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(registry_diff_write_json(out, &diff, "old \"a\".xml", old, "new.xml", new), 0);
	ck_assert_int_eq(fclose(out), 0);
	/* The head, one whole change of each kind, the end. */
	const char *head = "{\"old\":{\"source\":\"old \\\"a\\\".xml\",\"updated\":\"2024-03-18\",\"records\":11},"
			   "\"new\":{\"source\":\"new.xml\",\"updated\":\"2026-08-17\",\"records\":13},"
			   "\"added\":4,\"removed\":2,\"changed\":5,\"changes\":[\n"
			   "{\"change\":\"removed\",\"fields\":[],\"old\":{\"line\":20,\"name\":\"Gone\",\"port\":400,"
			   "\"port_last\":400,\"protocol\":\"udp\",\"status\":\"assigned\",\"description\":\"Removed in new\"},"
			   "\"new\":null},\n";
	ck_assert_msg(strncmp(text, head, strlen(head)) == 0, "%s", text);
	ck_assert_ptr_nonnull(strstr(text, "\n{\"change\":\"changed\",\"fields\":[\"description\",\"status\"],"
					   "\"old\":{\"line\":61,\"name\":null,\"port\":13823,\"port_last\":13823,"
					   "\"protocol\":\"udp\",\"status\":\"reserved\",\"description\":\"Reserved\"},"
					   "\"new\":{\"line\":"));
	ck_assert_ptr_nonnull(strstr(text, "\n{\"change\":\"added\",\"fields\":[],\"old\":null,\"new\":{\"line\":"));
	ck_assert_ptr_nonnull(strstr(text, "\"name\":\"dnssd-new\",\"port\":null,\"port_last\":null,"
					   "\"protocol\":null,\"status\":\"assigned\",\"description\":\"New DNS-SD name\"}}\n]}\n"));
	free(text);
	registry_diff_free(&diff);
	iana_registry_free(old);
	iana_registry_free(new);
}
END_TEST

START_TEST(test_identical_and_other_format)
{
	struct iana_registry *xml = load("diff-old.xml"), *csv = load("diff-old.csv");
	struct registry_diff diff;
	ck_assert_int_eq(registry_diff_compute(xml, xml, &diff), 0);
	ck_assert_uint_eq(diff.n_changes, 0);
	char *text = text_report(&diff, true);
	ck_assert_str_eq(text, "no changes\n");
	free(text);
	registry_diff_free(&diff);

	/* The same records in CSV (the description not wrapped): no change. */
	ck_assert_int_eq(registry_diff_compute(csv, xml, &diff), 0);
	ck_assert_uint_eq(diff.n_changes, 0);
	registry_diff_free(&diff);
	iana_registry_free(xml);
	iana_registry_free(csv);
}
END_TEST

START_TEST(test_first_install_and_empty_json)
{
	struct iana_registry *new = load("diff-new.xml");
	struct registry_diff diff;
	ck_assert_int_eq(registry_diff_compute(NULL, new, &diff), 0);
	ck_assert_uint_eq(diff.added, 13);
	ck_assert_uint_eq(diff.removed + diff.changed, 0);
	registry_diff_free(&diff);

	ck_assert_int_eq(registry_diff_compute(NULL, NULL, &diff), 0);
	ck_assert_uint_eq(diff.n_changes, 0);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	ck_assert_int_eq(registry_diff_write_json(out, &diff, "a", NULL, "b", NULL), 0);
	ck_assert_int_eq(fclose(out), 0);
	ck_assert_str_eq(text, "{\"old\":{\"source\":\"a\",\"updated\":null,\"records\":0},"
			       "\"new\":{\"source\":\"b\",\"updated\":null,\"records\":0},"
			       "\"added\":0,\"removed\":0,\"changed\":0,\"changes\":[]}\n");
	free(text);
	registry_diff_free(&diff);
	iana_registry_free(new);
}
END_TEST

START_TEST(test_name_on_several_ports_pairs_in_order)
{
	/* msp on 18 and 2438 becomes msp on 2439 alone: pass 1 pairs
	 * nothing, pass 2 pairs by (name, protocol) in registry order, so
	 * 18 -> 2439 is a port change and 2438 is removed. */
	static const char old_xml[] =
		"<registry xmlns=\"http://www.iana.org/assignments\"><updated>2024-01-01</updated>"
		"<record><name>msp</name><protocol>tcp</protocol><number>18</number></record>"
		"<record><name>msp</name><protocol>tcp</protocol><number>2438</number></record>"
		"</registry>";
	static const char new_xml[] =
		"<registry xmlns=\"http://www.iana.org/assignments\"><updated>2024-02-01</updated>"
		"<record><name>msp</name><protocol>tcp</protocol><number>2439</number></record>"
		"</registry>";
	struct iana_registry *old, *new;
	ck_assert_int_eq(load_registry_string(old_xml, sizeof(old_xml) - 1, &old, NULL), IANA_LOAD_OK);
	ck_assert_int_eq(load_registry_string(new_xml, sizeof(new_xml) - 1, &new, NULL), IANA_LOAD_OK);
	struct registry_diff diff;
	ck_assert_int_eq(registry_diff_compute(old, new, &diff), 0);
	char *text = text_report(&diff, true);
	ck_assert_str_eq(text, "0 added, 1 removed, 1 changed\n"
			       "~ msp 18/tcp: port 18 -> 2439\n"
			       "- msp 2438/tcp\n");
	free(text);
	registry_diff_free(&diff);
	iana_registry_free(old);
	iana_registry_free(new);
}
END_TEST

static Suite *registry_diff_suite(void)
{
	Suite *s = suite_create("registry_diff");
	TCase *tc = tcase_create("diff");
	tcase_add_test(tc, test_pairs_and_fields);
	tcase_add_test(tc, test_text_report);
	tcase_add_test(tc, test_json_report);
	tcase_add_test(tc, test_identical_and_other_format);
	tcase_add_test(tc, test_first_install_and_empty_json);
	tcase_add_test(tc, test_name_on_several_ports_pairs_in_order);
	suite_add_tcase(s, tc);
	return s;
}

RUN_SUITE(registry_diff_suite)
