/* test_json_writer.c - unit tests of `--format json` (gen-services/json_writer.c):
 * exact output lines for the records of tests/fixtures/json-records.xml (every
 * field, resolved and unresolved people, all reference kinds, escapes and
 * non-ASCII text), RFC 8259 escaping of control characters and U+FFFD repair
 * of invalid UTF-8 (from a CSV, which passes raw bytes through), an empty
 * registry, write failures, and - when ../shared/registry is present - that
 * every line written for the real registry is valid JSON in valid UTF-8. */
#include "json_writer.h"
#include "test_support.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const record_keys[] = {
	"line",       "name",       "port",     "port_last",  "protocol",
	"status",     "description", "assignees", "contacts",  "registered",
	"modified",   "references", "service_code", "unauthorized", "notes",
};
#define N_RECORD_KEYS (sizeof(record_keys) / sizeof(record_keys[0]))

/* --- a small strict validator of compact JSON ---------------------------- */

struct json_check {
	const char *p, *end;
	int depth;
	/* keys of the outermost object, in order */
	char keys[32][32];
	size_t n_keys;
};

/* Length of the well-formed UTF-8 sequence at P (P[0] >= 0x80), 0 if
 * ill-formed (Unicode table 3-7). */
static size_t utf8_valid(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t trail;
	if (c >= 0xc2 && c <= 0xdf)
		trail = 1;
	else if (c >= 0xe0 && c <= 0xef)
		trail = 2, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
	else if (c >= 0xf0 && c <= 0xf4)
		trail = 3, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	if ((size_t)(end - p) <= trail || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i <= trail; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return trail + 1;
}

static bool check_value(struct json_check *j);

static bool check_string(struct json_check *j, char *copy, size_t copy_size)
{
	size_t n = 0;
	if (j->p >= j->end || *j->p != '"')
		return false;
	j->p++;
	while (j->p < j->end) {
		unsigned char c = (unsigned char)*j->p;
		if (c == '"') {
			j->p++;
			if (copy)
				copy[n < copy_size ? n : copy_size - 1] = '\0';
			return true;
		}
		if (c < 0x20)
			return false;
		if (c == '\\') {
			if (j->end - j->p < 2)
				return false;
			char e = j->p[1];
			if (e == 'u') {
				if (j->end - j->p < 6)
					return false;
				for (int i = 2; i < 6; i++)
					if (!strchr("0123456789abcdefABCDEF", j->p[i]) || j->p[i] == '\0')
						return false;
				j->p += 6;
			} else if (e && strchr("\"\\/bfnrt", e)) {
				j->p += 2;
			} else {
				return false;
			}
			continue;
		}
		size_t len = 1;
		if (c >= 0x80 && (len = utf8_valid((const unsigned char *)j->p,
						   (const unsigned char *)j->end)) == 0)
			return false;
		if (copy && n + len < copy_size)
			memcpy(copy + n, j->p, len);
		n += len;
		j->p += len;
	}
	return false;
}

static bool check_literal(struct json_check *j, const char *word)
{
	size_t len = strlen(word);
	if ((size_t)(j->end - j->p) < len || memcmp(j->p, word, len) != 0)
		return false;
	j->p += len;
	return true;
}

static bool is_digit(const struct json_check *j)
{
	return j->p < j->end && *j->p >= '0' && *j->p <= '9';
}

static bool check_number(struct json_check *j)
{
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (!is_digit(j))
		return false;
	if (*j->p++ != '0')
		while (is_digit(j))
			j->p++;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (!is_digit(j))
			return false;
		while (is_digit(j))
			j->p++;
	}
	return true;
}

static bool check_container(struct json_check *j, bool object)
{
	j->p++; /* '{' or '[' */
	if (++j->depth > 16)
		return false;
	char close = object ? '}' : ']';
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return true;
	}
	for (;;) {
		if (object) {
			char key[32];
			if (!check_string(j, key, sizeof(key)))
				return false;
			if (j->depth == 1 && j->n_keys < 32)
				strcpy(j->keys[j->n_keys++], key);
			if (j->p >= j->end || *j->p++ != ':')
				return false;
		}
		if (!check_value(j) || j->p >= j->end)
			return false;
		char c = *j->p++;
		if (c == close)
			break;
		if (c != ',')
			return false;
	}
	j->depth--;
	return true;
}

static bool check_value(struct json_check *j)
{
	if (j->p >= j->end)
		return false;
	switch (*j->p) {
	case '{':
		return check_container(j, true);
	case '[':
		return check_container(j, false);
	case '"':
		return check_string(j, NULL, 0);
	case 'n':
		return check_literal(j, "null");
	case 't':
		return check_literal(j, "true");
	case 'f':
		return check_literal(j, "false");
	default:
		return check_number(j);
	}
}

/* LINE (LEN bytes, no newline) is one compact JSON object that starts with
 * {"line": and has exactly the record keys, in order. */
static void check_record_line(const char *line, size_t len, size_t index)
{
	struct json_check j = {.p = line, .end = line + len};
	ck_assert_msg(len > 9 && strncmp(line, "{\"line\":", 8) == 0 && line[len - 1] == '}',
		      "line %zu does not look like a record: %.80s", index, line);
	ck_assert_msg(check_value(&j) && j.p == j.end,
		      "line %zu is not valid compact JSON near byte %zu: %.80s", index,
		      (size_t)(j.p - line), line);
	ck_assert_uint_eq(j.n_keys, N_RECORD_KEYS);
	for (size_t k = 0; k < N_RECORD_KEYS; k++)
		ck_assert_str_eq(j.keys[k], record_keys[k]);
}

/* --- helpers ------------------------------------------------------------- */

struct json_output {
	char *text;
	size_t len;
	char **lines; /* pointers into text, newlines replaced by NULs */
	size_t n_lines;
};

/* Write REG as JSON, check every line, and split the output into lines. */
static struct json_output write_json(const struct iana_registry *reg)
{
	struct json_output o = {0};
	FILE *f = open_memstream(&o.text, &o.len);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(json_write_registry(f, reg), 0);
	ck_assert_int_eq(fclose(f), 0);

	size_t n_records;
	iana_registry_records(reg, &n_records);
	ck_assert_msg(o.len == 0 || o.text[o.len - 1] == '\n', "output does not end with a newline");
	o.lines = calloc(n_records + 1, sizeof(*o.lines));
	ck_assert_ptr_nonnull(o.lines);
	char *p = o.text, *end = o.text + o.len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		ck_assert_uint_lt(o.n_lines, n_records);
		check_record_line(p, (size_t)(nl - p), o.n_lines);
		*nl = '\0';
		o.lines[o.n_lines++] = p;
		p = nl + 1;
	}
	ck_assert_uint_eq(o.n_lines, n_records);
	return o;
}

static void free_json(struct json_output *o)
{
	free(o->lines);
	free(o->text);
}

static struct iana_registry *load_ok(const char *fixture)
{
	struct iana_registry *reg;
	struct captured_diagnostics diags;
	int rc = load_fixture(fixture, &reg, &diags);
	ck_assert_msg(rc == IANA_LOAD_OK, "loading %s: %s\n%s", fixture, iana_load_result_str(rc),
		      diags.text);
	ck_assert_uint_eq(diags.errors, 0);
	return reg;
}

/* --- tests --------------------------------------------------------------- */

/* The records of json-records.xml, in order, as they must be written. */
static const char *const expected_records[] = {
	/* <record date=...>; no <assignee>: the contact is the assignee too */
	"{\"line\":5,\"name\":\"wsmans\",\"port\":5986,\"port_last\":5986,\"protocol\":\"tcp\","
	"\"status\":\"assigned\",\"description\":\"WBEM WS-Management HTTP over TLS/SSL\","
	"\"assignees\":[{\"id\":\"Jim_Davis\",\"name\":\"Jim Davis\",\"org\":null,"
	"\"uri\":\"mailto:jim&example.com\",\"updated\":\"2007-06\"}],"
	"\"contacts\":[{\"id\":\"Jim_Davis\",\"name\":\"Jim Davis\",\"org\":null,"
	"\"uri\":\"mailto:jim&example.com\",\"updated\":\"2007-06\"}],"
	"\"registered\":\"2006-11\",\"modified\":null,\"references\":[],\"service_code\":null,"
	"\"unauthorized\":null,\"notes\":null}",
	/* separate assignee; contact not in the people table */
	"{\"line\":12,\"name\":\"http\",\"port\":80,\"port_last\":80,\"protocol\":\"tcp\","
	"\"status\":\"assigned\",\"description\":\"World Wide Web HTTP\","
	"\"assignees\":[{\"id\":\"IESG\",\"name\":null,\"org\":\"IESG\","
	"\"uri\":\"mailto:iesg&ietf.org\",\"updated\":null}],"
	"\"contacts\":[{\"id\":\"IETF_Chair\",\"name\":null,\"org\":null,\"uri\":null,"
	"\"updated\":null}],"
	"\"registered\":null,\"modified\":\"2021-10-01\","
	"\"references\":[{\"type\":\"rfc\",\"data\":\"rfc9110\",\"text\":null,\"section\":null}],"
	"\"service_code\":null,\"unauthorized\":null,\"notes\":null}",
	/* Reserved: no name */
	"{\"line\":19,\"name\":null,\"port\":13823,\"port_last\":13823,\"protocol\":\"udp\","
	"\"status\":\"reserved\",\"description\":\"Reserved\",\"assignees\":[],\"contacts\":[],"
	"\"registered\":null,\"modified\":null,\"references\":[],\"service_code\":null,"
	"\"unauthorized\":null,\"notes\":null}",
	/* a named range with unauthorized use */
	"{\"line\":20,\"name\":\"x11\",\"port\":6000,\"port_last\":6063,\"protocol\":\"tcp\","
	"\"status\":\"assigned\",\"description\":\"X Window System\",\"assignees\":[],"
	"\"contacts\":[],\"registered\":null,\"modified\":null,\"references\":[],"
	"\"service_code\":null,\"unauthorized\":\"Known Unauthorized Use on port 6003\","
	"\"notes\":null}",
	/* port-less DNS-SD name */
	"{\"line\":21,\"name\":\"activeraid-ssl\",\"port\":null,\"port_last\":null,"
	"\"protocol\":null,\"status\":\"assigned\",\"description\":\"Encrypted transport\","
	"\"assignees\":[{\"id\":\"Skip_Levens\",\"name\":null,\"org\":null,\"uri\":null,"
	"\"updated\":null}],"
	"\"contacts\":[{\"id\":\"Skip_Levens\",\"name\":null,\"org\":null,\"uri\":null,"
	"\"updated\":null}],"
	"\"registered\":null,\"modified\":null,\"references\":[],\"service_code\":null,"
	"\"unauthorized\":null,\"notes\":\"Defined TXT keys: None\"}",
	/* DCCP service code */
	"{\"line\":22,\"name\":\"discard\",\"port\":9,\"port_last\":9,\"protocol\":\"dccp\","
	"\"status\":\"assigned\",\"description\":\"Discard\",\"assignees\":[],\"contacts\":[],"
	"\"registered\":null,\"modified\":null,\"references\":[],\"service_code\":1145656131,"
	"\"unauthorized\":null,\"notes\":null}",
	/* quotes, backslashes, a tab, a <br/>, UTF-8; port 0; every reference
	 * kind; two notes joined by a newline */
	"{\"line\":23,\"name\":\"caf\xc3\xa9-\\\"q\\\"\",\"port\":0,\"port_last\":0,"
	"\"protocol\":\"sctp\",\"status\":\"assigned\","
	"\"description\":\"Say \\\"hi\\\" to C:\\\\temp\\ttab and caf\xc3\xa9\","
	"\"assignees\":[{\"id\":\"Jose_Muller\",\"name\":\"Jos\xc3\xa9 M\xc3\xbcller\","
	"\"org\":\"Caf\xc3\xa9 \\\"Corp\\\"\",\"uri\":null,\"updated\":\"2012-02-29\"}],"
	"\"contacts\":[{\"id\":\"Jose_Muller\",\"name\":\"Jos\xc3\xa9 M\xc3\xbcller\","
	"\"org\":\"Caf\xc3\xa9 \\\"Corp\\\"\",\"uri\":null,\"updated\":\"2012-02-29\"},"
	"{\"id\":\"Ghost\",\"name\":null,\"org\":null,\"uri\":null,\"updated\":null}],"
	"\"registered\":\"2009-05-01\",\"modified\":\"2015\","
	"\"references\":["
	"{\"type\":\"draft\",\"data\":\"draft-zubov-snif-05\","
	"\"text\":\"draft-zubov-snif-05, Section 4.3\",\"section\":\"4.3\"},"
	"{\"type\":\"uri\",\"data\":\"https://example.com/a?b=1&c=2\","
	"\"text\":\"Spec \\\"v2\\\"\",\"section\":null},"
	"{\"type\":\"text\",\"data\":null,\"text\":\"n/a\",\"section\":null},"
	"{\"type\":\"note\",\"data\":\"1\",\"text\":null,\"section\":null}],"
	"\"service_code\":null,\"unauthorized\":null,"
	"\"notes\":\"First line\\n\\nSecond \\\\ line\"}",
	/* Unassigned range, no protocol */
	"{\"line\":38,\"name\":null,\"port\":49001,\"port_last\":49150,\"protocol\":null,"
	"\"status\":\"unassigned\",\"description\":\"Unassigned\",\"assignees\":[],"
	"\"contacts\":[],\"registered\":null,\"modified\":null,\"references\":[],"
	"\"service_code\":null,\"unauthorized\":null,\"notes\":null}",
};
#define N_EXPECTED (sizeof(expected_records) / sizeof(expected_records[0]))

START_TEST(test_fixture_records_exact)
{
	struct iana_registry *reg = load_ok("json-records.xml");
	struct json_output o = write_json(reg);
	ck_assert_uint_eq(o.n_lines, N_EXPECTED);
	for (size_t i = 0; i < N_EXPECTED; i++)
		ck_assert_str_eq(o.lines[i], expected_records[i]);
	free_json(&o);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_registry_order_and_all_rows)
{
	/* One line per record, Reserved/Unassigned and port-less included, in
	 * the order of the model, each starting with that record's line. */
	struct iana_registry *reg = load_ok("json-records.xml");
	struct json_output o = write_json(reg);
	size_t n;
	const struct iana_record *records = iana_registry_records(reg, &n);
	for (size_t i = 0; i < n; i++) {
		char prefix[32];
		snprintf(prefix, sizeof(prefix), "{\"line\":%u,", (unsigned)records[i].line);
		ck_assert_msg(strncmp(o.lines[i], prefix, strlen(prefix)) == 0,
			      "line %zu: %.40s", i, o.lines[i]);
	}
	free_json(&o);
	iana_registry_free(reg);
}
END_TEST

/* The description of the only record of a CSV holding DESCRIPTION
 * (already CSV-quoted), as written. */
static void check_csv_description(const char *quoted_description, const char *expected_json)
{
	char csv[1024];
	int len = snprintf(csv, sizeof(csv),
			   "Service Name,Port Number,Transport Protocol,Description,Assignee,"
			   "Contact,Registration Date,Modification Date,Reference,Service Code,"
			   "Unauthorized Use Reported,Assignment Notes\n"
			   "raw,7,tcp,%s,,,,,,,,\n",
			   quoted_description);
	ck_assert(len > 0 && (size_t)len < sizeof(csv));
	struct iana_registry *reg;
	struct captured_diagnostics diags;
	int rc = load_registry_string(csv, (size_t)len, &reg, &diags);
	ck_assert_msg(rc == IANA_LOAD_OK, "%s\n%s", iana_load_result_str(rc), diags.text);
	struct json_output o = write_json(reg);
	ck_assert_uint_eq(o.n_lines, 1);
	char want[1024];
	snprintf(want, sizeof(want), ",\"description\":%s,", expected_json);
	ck_assert_msg(strstr(o.lines[0], want) != NULL, "want %s in %s", want, o.lines[0]);
	free_json(&o);
	iana_registry_free(reg);
}

START_TEST(test_control_characters)
{
	/* Short escapes where JSON has them, \u00XX otherwise; DEL needs none. */
	check_csv_description("\"a\001b\037c\177d\be\ff\rg\"",
			      "\"a\\u0001b\\u001fc\177d\\be\\ff\\rg\"");
	check_csv_description("\"tab\there\"", "\"tab\\there\"");
	/* a paragraph break (a single line break is flowed to a space) */
	check_csv_description("\"line\n\nbreak\"", "\"line\\n\\nbreak\"");
	check_csv_description("\"q \"\"x\"\" \\ /\"", "\"q \\\"x\\\" \\\\ /\"");
}
END_TEST

START_TEST(test_invalid_utf8_replaced)
{
	/* Each maximal ill-formed subpart becomes one U+FFFD: a stray byte, a
	 * truncated sequence, a surrogate (ED A0 80: three), a truncated 4-byte
	 * sequence, an overlong form (C0 AF: two); valid 2-, 3- and 4-byte
	 * sequences pass unchanged. */
	check_csv_description("x\377y\303(z\355\240\200w\360\237\230v\300\257u"
			      "\360\237\230\200t\342\202\254s\303\251",
			      "\"x\357\277\275y\357\277\275(z"
			      "\357\277\275\357\277\275\357\277\275w\357\277\275v"
			      "\357\277\275\357\277\275u\360\237\230\200t\342\202\254s\303\251\"");
	/* Overlong 3- and 4-byte forms: the lead byte and each trailing byte. */
	check_csv_description("a\340\200\257b\360\200\200\257c",
			      "\"a\357\277\275\357\277\275\357\277\275b"
			      "\357\277\275\357\277\275\357\277\275\357\277\275c\"");
	/* Above U+10FFFF and a sequence cut by the end of the string. */
	check_csv_description("a\364\220\200\200b\342\202", "\"a\357\277\275\357\277\275"
							    "\357\277\275\357\277\275b\357\277\275\"");
}
END_TEST

START_TEST(test_write_string_alone)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(json_write_string(out, "a\"b\n\377"), 0);
	ck_assert_int_eq(fputc(' ', out), ' ');
	ck_assert_int_eq(json_write_string(out, NULL), 0);
	ck_assert_int_eq(fclose(out), 0);
	ck_assert_str_eq(text, "\"a\\\"b\\n\357\277\275\" null");
	free(text);
}
END_TEST

START_TEST(test_empty_registry)
{
	static const char xml[] =
		"<?xml version='1.0' encoding='UTF-8'?>\n"
		"<registry xmlns=\"http://www.iana.org/assignments\" id=\"service-names-port-numbers\">\n"
		"  <title>Empty</title>\n  <updated>2026-08-17</updated>\n</registry>\n";
	struct iana_registry *reg;
	struct captured_diagnostics diags;
	int rc = load_registry_string(xml, sizeof(xml) - 1, &reg, &diags);
	ck_assert_msg(rc == IANA_LOAD_OK, "%s\n%s", iana_load_result_str(rc), diags.text);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(json_write_registry(f, reg), 0);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_uint_eq(len, 0);
	free(text);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_write_failure)
{
	FILE *f = fopen("/dev/full", "w");
	if (f == NULL)
		return; /* not Linux: nothing to test against */
	/* Unbuffered, so that the failure shows while writing: OUT is not
	 * flushed by json_write_registry(). */
	setvbuf(f, NULL, _IONBF, 0);
	struct iana_registry *reg = load_ok("json-records.xml");
	ck_assert_int_eq(json_write_registry(f, reg), -1);
	ck_assert(ferror(f));
	fclose(f);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_full_registry)
{
	const char *path = FIXTURES_DIR "/../../../shared/registry/service-names-port-numbers.xml";
	if (access(path, R_OK) != 0) {
		printf("test_full_registry: skipped, %s not found\n", path);
		return;
	}
	struct iana_registry *reg;
	struct iana_load_options options = {.display_name = "full"};
	int rc = iana_registry_load_path(path, &options, &reg);
	ck_assert_msg(rc == IANA_LOAD_OK, "%s", iana_load_result_str(rc));

	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(json_write_registry(f, reg), 0);
	ck_assert_int_eq(fclose(f), 0);
	free(text);

	/* And every line valid. */
	struct json_output o = write_json(reg);
	free_json(&o);
	iana_registry_free(reg);
}
END_TEST

static Suite *json_writer_suite(void)
{
	Suite *s = suite_create("json_writer");
	TCase *tc = tcase_create("records");
	tcase_add_test(tc, test_fixture_records_exact);
	tcase_add_test(tc, test_registry_order_and_all_rows);
	tcase_add_test(tc, test_control_characters);
	tcase_add_test(tc, test_write_string_alone);
	tcase_add_test(tc, test_invalid_utf8_replaced);
	tcase_add_test(tc, test_empty_registry);
	tcase_add_test(tc, test_write_failure);
	suite_add_tcase(s, tc);
	TCase *full = tcase_create("full");
	tcase_set_timeout(full, 60);
	tcase_add_test(full, test_full_registry);
	suite_add_tcase(s, full);
	return s;
}

RUN_SUITE(json_writer_suite)
