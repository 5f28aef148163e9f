/* test_xml_guard.c - unit tests of the markup limits applied before libxml2
 * reads XML (registry/xml_guard.c): the limits themselves, at and past
 * their edge; what must not count (quoted values, comments, CDATA,
 * processing instructions, closed and empty elements); that nothing can
 * hide a tag from it (a quote in a comment inside a DOCTYPE); the location
 * of a refusal; and that the result does not depend on how the input is cut
 * into blocks.  The real registries, when at hand, pass. */
#include "test_support.h"
#include "xml_guard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Scan TEXT in blocks of BLOCK bytes (0: all at once).  Returns the result
 * and leaves the guard in *g. */
static int scan_blocks(struct xml_guard *g, const char *text, size_t len, size_t block)
{
	reg_xml_guard_init(g);
	if (block == 0)
		return reg_xml_guard_scan(g, text, len);
	for (size_t at = 0; at < len; at += block)
		if (reg_xml_guard_scan(g, text + at, len - at < block ? len - at : block) < 0)
			return -1;
	return reg_xml_guard_scan(g, "", 0);
}

/* TEXT passes, whole and cut in every block size up to 17 and 4000. */
static void expect_pass(const char *text, size_t len, const char *what)
{
	static const size_t blocks[] = {0, 1, 2, 3, 5, 7, 11, 13, 17, 4000};
	for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
		struct xml_guard g;
		int rc = scan_blocks(&g, text, len, blocks[b]);
		ck_assert_msg(rc == 0, "%s (blocks of %zu): refused: %s", what, blocks[b], g.error);
	}
}

/* TEXT is refused with WHY (a substring) at LINE:COLUMN, whatever the
 * blocks. */
static void expect_refused(const char *text, size_t len, const char *why, uint64_t line, uint64_t column,
			   const char *what)
{
	static const size_t blocks[] = {0, 1, 2, 3, 5, 7, 11, 13, 17, 4000};
	for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
		struct xml_guard g;
		int rc = scan_blocks(&g, text, len, blocks[b]);
		ck_assert_msg(rc == -1, "%s (blocks of %zu): passed", what, blocks[b]);
		ck_assert_msg(strstr(g.error, why) != NULL, "%s: refused for \"%s\"", what, g.error);
		ck_assert_msg(g.start_line == line && g.start_column == column,
			      "%s (blocks of %zu): refused at %llu:%llu, want %llu:%llu", what, blocks[b],
			      (unsigned long long)g.start_line, (unsigned long long)g.start_column,
			      (unsigned long long)line, (unsigned long long)column);
		ck_assert_int_eq(reg_xml_guard_scan(&g, "<a>", 3), -1); /* refused for good */
	}
}

/* A buffer that grows by appending formatted text. */
struct text {
	char *data;
	size_t len, cap;
};

static void add(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->data = realloc(t->data, t->cap);
		ck_assert_ptr_nonnull(t->data);
	}
	memcpy(t->data + t->len, s, n);
	t->len += n;
	t->data[t->len] = '\0';
}

static void adds(struct text *t, const char *s)
{
	add(t, s, strlen(s));
}

/* N times the byte C. */
static void fill(struct text *t, char c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		add(t, &c, 1);
}

/* "<record" + attributes to make the start tag exactly LEN bytes. */
static void tag_of_length(struct text *t, size_t len)
{
	adds(t, "<record a=\"");
	fill(t, 'x', len - strlen("<record a=\"\">"));
	adds(t, "\">");
}

START_TEST(test_registry_like)
{
	const char *doc = "<?xml version='1.0' encoding='UTF-8'?>\n"
			  "<?xml-stylesheet type=\"text/xsl\" href=\"iana-registry.xsl\"?>\n"
			  "<registry xmlns=\"http://www.iana.org/assignments\" id=\"service-names-port-numbers\">\n"
			  "  <title>Service Name and Transport Protocol Port Number Registry</title>\n"
			  "  <record date=\"2006-11-02\" updated=\"2024-12-20\">\n"
			  "    <name>http</name><protocol>tcp</protocol>\n"
			  "    <description>World Wide Web HTTP</description>\n"
			  "    <xref type=\"rfc\" data=\"rfc9110\"/><xref type=\"uri\" data=\"https://x/?a=1&amp;b=>\"/>\n"
			  "    <note>See <xref type=\"rfc\" data=\"rfc7595\"/> and a &lt;tag&gt;.</note>\n"
			  "  </record>\n"
			  "</registry>\n";
	expect_pass(doc, strlen(doc), "a registry");
}
END_TEST

START_TEST(test_tag_length)
{
	struct text t = {0};
	tag_of_length(&t, XML_GUARD_MAX_TAG);
	adds(&t, "</record>");
	expect_pass(t.data, t.len, "a tag of exactly the limit");

	t.len = 0;
	adds(&t, "<registry>\n  ");
	tag_of_length(&t, XML_GUARD_MAX_TAG + 1);
	expect_refused(t.data, t.len, "a tag longer than 8192 bytes", 2, 3, "a tag one byte too long");

	/* an end tag, and a tag never closed */
	t.len = 0;
	adds(&t, "<a></a");
	fill(&t, ' ', XML_GUARD_MAX_TAG);
	adds(&t, ">");
	expect_refused(t.data, t.len, "a tag longer", 1, 4, "a long end tag");
	t.len = 0;
	adds(&t, "<a b=\"");
	fill(&t, 'x', 3 * XML_GUARD_MAX_TAG);
	expect_refused(t.data, t.len, "a tag longer", 1, 1, "a tag never closed");
	free(t.data);
}
END_TEST

START_TEST(test_many_attributes)
{
	struct text t = {0};
	adds(&t, "<registry>\n<record");
	for (int i = 0; i < 2000; i++) {
		char a[32];
		snprintf(a, sizeof(a), " a%d=\"1\"", i);
		adds(&t, a);
	}
	adds(&t, "/></registry>");
	expect_refused(t.data, t.len, "quadratic in the number of attributes", 2, 1, "2,000 attributes");
	free(t.data);
}
END_TEST

START_TEST(test_quoted_values)
{
	/* '>' and the other quote inside values do not end anything */
	struct text t = {0};
	adds(&t, "<a b='x\"y>z' c=\">'>\">");
	fill(&t, 'x', 3 * XML_GUARD_MAX_TAG); /* text: not limited */
	adds(&t, "</a>");
	expect_pass(t.data, t.len, "quotes and '>' in values");

	/* a value with a newline keeps the count of lines */
	t.len = 0;
	adds(&t, "<a b='1\n2'>\n\n  ");
	tag_of_length(&t, XML_GUARD_MAX_TAG + 10);
	expect_refused(t.data, t.len, "a tag longer", 4, 3, "a long tag after a value with a newline");
	free(t.data);
}
END_TEST

START_TEST(test_open_tags)
{
	/* nested start tags add up; closing one gives its bytes back */
	struct text t = {0};
	const size_t each = XML_GUARD_MAX_OPEN_TAGS / 4; /* 2048 */
	for (int i = 0; i < 3; i++)
		tag_of_length(&t, each);
	tag_of_length(&t, each); /* exactly the limit */
	adds(&t, "</record>");
	tag_of_length(&t, each);
	adds(&t, "</record><e/><e/>");
	expect_pass(t.data, t.len, "open tags at the limit, siblings");
	t.len = 0;
	for (int i = 0; i < 4; i++)
		tag_of_length(&t, each);
	adds(&t, "\n <x>");
	expect_refused(t.data, t.len, "add up to more than 8192 bytes", 2, 2, "open tags one byte past");

	/* empty elements and closed ones do not stay open */
	t.len = 0;
	for (int i = 0; i < 100; i++) {
		tag_of_length(&t, each);
		adds(&t, "</record>");
		adds(&t, "<record a=\"");
		fill(&t, 'y', each - 20);
		adds(&t, "\"/>");
	}
	expect_pass(t.data, t.len, "many closed and empty elements");
	free(t.data);
}
END_TEST

START_TEST(test_comments_cdata_pi)
{
	/* none of them is limited, and nothing in them is a tag */
	struct text t = {0};
	adds(&t, "<a><!-- it's <b c=\"");
	fill(&t, 'x', 2 * XML_GUARD_MAX_TAG);
	adds(&t, " -- - --><![CDATA[ <b ' \" ");
	fill(&t, 'y', 2 * XML_GUARD_MAX_TAG);
	adds(&t, " ]] ]]><?pi <b ' ? ");
	fill(&t, 'z', 2 * XML_GUARD_MAX_TAG);
	adds(&t, " ?></a>");
	expect_pass(t.data, t.len, "long comment, CDATA and PI holding tags and quotes");

	/* and after them the limits apply again */
	adds(&t, "\n");
	tag_of_length(&t, XML_GUARD_MAX_TAG + 1);
	expect_refused(t.data, t.len, "a tag longer", 2, 1, "a long tag after them");
	free(t.data);
}
END_TEST

START_TEST(test_doctype)
{
	/* a DOCTYPE with a subset: declarations, a comment with a quote, a
	 * PI; the elements after it are measured */
	struct text t = {0};
	adds(&t, "<!DOCTYPE registry [\n"
		 "  <!ENTITY e \"a > b ' c ]\">\n"
		 "  <!-- don't -->\n"
		 "  <?pi ' ?>\n"
		 "  <!ATTLIST record date CDATA #IMPLIED>\n"
		 "]>\n");
	adds(&t, "<registry>");
	tag_of_length(&t, 200);
	adds(&t, "</record></registry>");
	expect_pass(t.data, t.len, "a DOCTYPE with an internal subset");
	adds(&t, "\n");
	tag_of_length(&t, XML_GUARD_MAX_TAG + 1);
	expect_refused(t.data, t.len, "a tag longer", 8, 1, "a long tag after a DOCTYPE");

	/* a long subset of short declarations and a long comment is fine */
	t.len = 0;
	adds(&t, "<!DOCTYPE r [\n");
	for (int i = 0; i < 5000; i++)
		adds(&t, " <!ENTITY e 'x'>\n");
	adds(&t, " <!-- ");
	fill(&t, 'c', 2 * XML_GUARD_MAX_DECL);
	adds(&t, " -->\n]>\n<r/>");
	expect_pass(t.data, t.len, "a long internal subset");

	/* a long declaration */
	t.len = 0;
	adds(&t, "<!DOCTYPE r [\n <!ENTITY e \"");
	fill(&t, 'x', XML_GUARD_MAX_DECL);
	adds(&t, "\">\n]>");
	expect_refused(t.data, t.len, "a declaration longer than 65536 bytes", 2, 2, "a long entity");
	free(t.data);
}
END_TEST

START_TEST(test_real_registries)
{
	const char *names[] = {"service-names-port-numbers.xml", "service-names-port-numbers-2024-03-18.xml"};
	int found = 0;
	for (size_t k = 0; k < 2; k++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/../../../shared/registry/%s", FIXTURES_DIR, names[k]);
		FILE *f = fopen(path, "rb");
		if (f == NULL)
			continue;
		found++;
		struct text t = {0};
		char buf[65536];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			add(&t, buf, n);
		fclose(f);
		struct xml_guard g;
		ck_assert_msg(scan_blocks(&g, t.data, t.len, 4000) == 0, "%s refused: %s", names[k], g.error);
		ck_assert_uint_eq(g.depth, 0);
		free(t.data);
	}
	if (found == 0)
		printf("test_real_registries: ../shared/registry not found, skipped\n");
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("xml_guard");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_registry_like);
	tcase_add_test(tc, test_tag_length);
	tcase_add_test(tc, test_many_attributes);
	tcase_add_test(tc, test_quoted_values);
	tcase_add_test(tc, test_open_tags);
	tcase_add_test(tc, test_comments_cdata_pi);
	tcase_add_test(tc, test_doctype);
	tcase_add_test(tc, test_real_registries);
	suite_add_tcase(s, tc);
	return s;
}

RUN_SUITE(make_suite)
