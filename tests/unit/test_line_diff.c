/* test_line_diff.c - unit tests of the unified diff (gen-services/line_diff.c):
 * exact output for small cases (checked once against GNU `diff -u`), hunk
 * grouping, missing final newlines, failure reporting, and, for larger and
 * random inputs, that applying the diff to the old text gives the new text
 * (with a small patch applier below, so no external program is needed). */
#include "line_diff.h"
#include "test_support.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct diff_result {
	int rc;
	char *text;
	size_t len;
};

static struct diff_result run_diff(const char *old, size_t old_len, const char *new, size_t new_len)
{
	struct diff_result r = {0};
	FILE *f = open_memstream(&r.text, &r.len);
	ck_assert_ptr_nonnull(f);
	r.rc = line_diff_write(f, "old", old, old_len, "new", new, new_len);
	ck_assert_int_eq(fclose(f), 0);
	return r;
}

static struct diff_result run_diff_str(const char *old, const char *new)
{
	return run_diff(old, strlen(old), new, strlen(new));
}

/* Diff OLD into NEW and compare the whole output with EXPECTED. */
static void check_diff(const char *old, const char *new, const char *expected)
{
	struct diff_result r = run_diff_str(old, new);
	ck_assert_int_eq(r.rc, 1);
	ck_assert_str_eq(r.text, expected);
	free(r.text);
}

/* "1\n2\n...N\n" with line K (1-based) replaced by REPLACEMENTS[K] when that
 * is non-NULL; an empty replacement deletes the line. */
static char *numbered(unsigned n, const char *const *replacements, unsigned n_replacements)
{
	size_t cap = (size_t)n * 16 + 64, len = 0;
	char *buf = malloc(cap);
	ck_assert_ptr_nonnull(buf);
	for (unsigned k = 1; k <= n; k++) {
		const char *rep = k < n_replacements ? replacements[k] : NULL;
		int w;
		if (rep == NULL)
			w = snprintf(buf + len, cap - len, "%u\n", k);
		else if (*rep == '\0')
			w = 0;
		else
			w = snprintf(buf + len, cap - len, "%s\n", rep);
		ck_assert(w >= 0 && (size_t)w < cap - len);
		len += (size_t)w;
	}
	buf[len] = '\0';
	return buf;
}

/* --- a patch applier, to check diffs too large to spell out ------------- */

struct line_index {
	const char *text;
	size_t len;
	size_t n;
	size_t *start; /* n + 1 offsets */
};

static void index_lines(struct line_index *ix, const char *text, size_t len)
{
	ix->text = text;
	ix->len = len;
	ix->n = 0;
	ix->start = malloc((len + 2) * sizeof(*ix->start));
	ck_assert_ptr_nonnull(ix->start);
	size_t pos = 0;
	while (pos < len) {
		ix->start[ix->n++] = pos;
		const char *nl = memchr(text + pos, '\n', len - pos);
		pos = nl ? (size_t)(nl - text) + 1 : len;
	}
	ix->start[ix->n] = len;
}

struct buffer {
	char *data;
	size_t len, cap;
};

static void buffer_add(struct buffer *b, const char *p, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		b->cap = (b->len + len + 1) * 2;
		b->data = realloc(b->data, b->cap);
		ck_assert_ptr_nonnull(b->data);
	}
	memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
}

/* Parse "N" or "N,M" at *P; the count defaults to 1. */
static void parse_range(const char **p, size_t *first, size_t *count)
{
	char *end;
	*first = strtoul(*p, &end, 10);
	ck_assert_ptr_ne(end, *p);
	*count = 1;
	if (*end == ',') {
		const char *q = end + 1;
		*count = strtoul(q, &end, 10);
		ck_assert_ptr_ne(end, q);
	}
	*p = end;
}

/* Apply the unified diff DIFF to OLD; checks every context and deleted line,
 * the hunk headers' counts and numbering, and hunk order.  Returns the new
 * text (free() it) and its length in *out_len. */
static char *apply_diff(const char *old, size_t old_len, const char *diff, size_t diff_len,
			size_t *out_len, unsigned *n_hunks)
{
	struct line_index o;
	index_lines(&o, old, old_len);
	struct buffer out = {0};
	buffer_add(&out, "", 0);
	size_t out_lines = 0, pos = 0; /* next old line */
	const char *p = diff, *end = diff + diff_len;

	ck_assert_msg(diff_len > 8 && strncmp(p, "--- old\n+++ new\n", 16) == 0, "bad header");
	p += 16;
	*n_hunks = 0;
	while (p < end) {
		size_t a, b, c, d;
		ck_assert_msg(strncmp(p, "@@ -", 4) == 0, "expected a hunk at: %.40s", p);
		p += 4;
		parse_range(&p, &a, &b);
		ck_assert_msg(strncmp(p, " +", 2) == 0, "bad hunk header");
		p += 2;
		parse_range(&p, &c, &d);
		ck_assert_msg(strncmp(p, " @@\n", 4) == 0, "bad hunk header end");
		p += 4;
		(*n_hunks)++;
		size_t old_start = b == 0 ? a : a - 1;
		size_t new_start = d == 0 ? c : c - 1;
		ck_assert_msg(b > 0 || d > 0, "empty hunk");
		ck_assert_uint_ge(old_start, pos);
		ck_assert_uint_le(old_start, o.n);
		for (; pos < old_start; pos++, out_lines++)
			buffer_add(&out, old + o.start[pos], o.start[pos + 1] - o.start[pos]);
		ck_assert_uint_eq(new_start, out_lines);
		size_t seen_old = 0, seen_new = 0;
		while (p < end && *p != '@') {
			char kind = *p;
			const char *body = p + 1;
			const char *nl = memchr(body, '\n', (size_t)(end - body));
			ck_assert_ptr_nonnull(nl);
			size_t len = (size_t)(nl - body) + 1;
			p = nl + 1;
			if (p < end && *p == '\\') {
				ck_assert(strncmp(p, "\\ No newline at end of file\n", 28) == 0);
				p += 28;
				len--;
			}
			ck_assert_msg(kind == ' ' || kind == '-' || kind == '+', "bad line kind %c", kind);
			if (kind != '+') {
				ck_assert_uint_lt(pos, o.n);
				size_t olen = o.start[pos + 1] - o.start[pos];
				ck_assert_msg(olen == len && memcmp(old + o.start[pos], body, len) == 0,
					      "context or deleted line %zu does not match", pos + 1);
				pos++;
				seen_old++;
			}
			if (kind != '-') {
				buffer_add(&out, body, len);
				out_lines++;
				seen_new++;
			}
		}
		ck_assert_uint_eq(seen_old, b);
		ck_assert_uint_eq(seen_new, d);
	}
	for (; pos < o.n; pos++)
		buffer_add(&out, old + o.start[pos], o.start[pos + 1] - o.start[pos]);
	free(o.start);
	*out_len = out.len;
	return out.data;
}

/* Diff OLD into NEW, apply the result to OLD and check that gives NEW.
 * Returns the number of hunks. */
static unsigned check_round_trip(const char *old, size_t old_len, const char *new, size_t new_len)
{
	struct diff_result r = run_diff(old, old_len, new, new_len);
	bool same = old_len == new_len && memcmp(old, new, old_len) == 0;
	ck_assert_int_eq(r.rc, same ? 0 : 1);
	unsigned hunks = 0;
	if (same) {
		ck_assert_uint_eq(r.len, 0);
	} else {
		size_t got_len;
		char *got = apply_diff(old, old_len, r.text, r.len, &got_len, &hunks);
		ck_assert_uint_eq(got_len, new_len);
		ck_assert_msg(memcmp(got, new, new_len) == 0, "patched text differs");
		free(got);
	}
	free(r.text);
	return hunks;
}

/* --- tests ------------------------------------------------------------- */

START_TEST(test_equal)
{
	struct diff_result r = run_diff_str("a\nb\nc\n", "a\nb\nc\n");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.len, 0);
	free(r.text);
	r = run_diff_str("", "");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.len, 0);
	free(r.text);
	r = run_diff_str("no newline", "no newline");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.len, 0);
	free(r.text);
}
END_TEST

START_TEST(test_one_change_in_middle)
{
	const char *rep[] = {[10] = "ten"};
	char *new = numbered(20, rep, 11);
	char *old = numbered(20, NULL, 0);
	check_diff(old, new,
		   "--- old\n+++ new\n"
		   "@@ -7,7 +7,7 @@\n"
		   " 7\n 8\n 9\n-10\n+ten\n 11\n 12\n 13\n");
	free(old);
	free(new);
}
END_TEST

START_TEST(test_insert_at_start)
{
	check_diff("1\n2\n3\n4\n5\n", "x\n1\n2\n3\n4\n5\n",
		   "--- old\n+++ new\n@@ -1,3 +1,4 @@\n+x\n 1\n 2\n 3\n");
}
END_TEST

START_TEST(test_insert_at_end)
{
	check_diff("1\n2\n3\n4\n5\n", "1\n2\n3\n4\n5\n6\n",
		   "--- old\n+++ new\n@@ -3,3 +3,4 @@\n 3\n 4\n 5\n+6\n");
}
END_TEST

START_TEST(test_delete_all)
{
	check_diff("a\nb\n", "", "--- old\n+++ new\n@@ -1,2 +0,0 @@\n-a\n-b\n");
	check_diff("a\n", "", "--- old\n+++ new\n@@ -1 +0,0 @@\n-a\n");
}
END_TEST

START_TEST(test_empty_old)
{
	check_diff("", "a\nb\n", "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+a\n+b\n");
}
END_TEST

START_TEST(test_empty_line_counts)
{
	/* An empty line is a line; "\n" vs "" differ by one. */
	check_diff("\n", "", "--- old\n+++ new\n@@ -1 +0,0 @@\n-\n");
	check_diff("a\n\nb\n", "a\nb\n", "--- old\n+++ new\n@@ -1,3 +1,2 @@\n a\n-\n b\n");
}
END_TEST

START_TEST(test_missing_newline)
{
	/* Only the final newline differs. */
	check_diff("a\nb\nc", "a\nb\nc\n",
		   "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n b\n-c\n"
		   "\\ No newline at end of file\n+c\n");
	check_diff("a\nb\nc\n", "a\nb\nc",
		   "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n b\n-c\n+c\n"
		   "\\ No newline at end of file\n");
	/* Both lack it: the unchanged last line is context. */
	check_diff("a\nb\nc", "x\nb\nc",
		   "--- old\n+++ new\n@@ -1,3 +1,3 @@\n-a\n+x\n b\n c\n"
		   "\\ No newline at end of file\n");
	check_diff("a", "b",
		   "--- old\n+++ new\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n"
		   "+b\n\\ No newline at end of file\n");
}
END_TEST

START_TEST(test_two_distant_changes)
{
	const char *rep[] = {[5] = "five", [25] = "twenty-five"};
	char *old = numbered(30, NULL, 0);
	char *new = numbered(30, rep, 26);
	check_diff(old, new,
		   "--- old\n+++ new\n"
		   "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
		   "@@ -22,7 +22,7 @@\n 22\n 23\n 24\n-25\n+twenty-five\n 26\n 27\n 28\n");
	free(old);
	free(new);
}
END_TEST

START_TEST(test_near_changes_merge)
{
	/* Six unchanged lines between changes: the contexts touch, one hunk. */
	const char *rep[] = {[5] = "five", [12] = ""};
	char *old = numbered(20, NULL, 0);
	char *new = numbered(20, rep, 13);
	check_diff(old, new,
		   "--- old\n+++ new\n"
		   "@@ -2,14 +2,13 @@\n 2\n 3\n 4\n-5\n+five\n"
		   " 6\n 7\n 8\n 9\n 10\n 11\n-12\n 13\n 14\n 15\n");
	free(new);
	/* Seven: two hunks. */
	const char *rep2[] = {[5] = "five", [13] = ""};
	new = numbered(20, rep2, 14);
	check_diff(old, new,
		   "--- old\n+++ new\n"
		   "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
		   "@@ -10,7 +10,6 @@\n 10\n 11\n 12\n-13\n 14\n 15\n 16\n");
	free(old);
	free(new);
}
END_TEST

START_TEST(test_repeated_lines_shift_like_gnu)
{
	/* Where the deleted line sits in a run of equal lines is a matter of
	 * choice; GNU diff takes the last one, as here. */
	check_diff("a\nb\nb\nb\nc\nd\ne\nf\ng\n", "a\nb\nb\nc\nd\ne\nf\ng\n",
		   "--- old\n+++ new\n@@ -1,7 +1,6 @@\n a\n b\n b\n-b\n c\n d\n e\n");
	/* The search finds the first "a" deleted; the shift moves the deletion
	 * to the end of the run of "a"s, as GNU diff does. */
	check_diff("b\na\na\n", "c\nb\na\n", "--- old\n+++ new\n@@ -1,3 +1,3 @@\n+c\n b\n a\n-a\n");
}
END_TEST

START_TEST(test_bytes_compared_exactly)
{
	/* NUL bytes, a trailing space, CR: all significant. */
	static const char old[] = "a\0b\nx \ny\r\n";
	static const char new[] = "a\0c\nx\ny\n";
	struct diff_result r = run_diff(old, sizeof(old) - 1, new, sizeof(new) - 1);
	ck_assert_int_eq(r.rc, 1);
	static const char expected[] = "--- old\n+++ new\n@@ -1,3 +1,3 @@\n"
				       "-a\0b\n-x \n-y\r\n+a\0c\n+x\n+y\n";
	ck_assert_uint_eq(r.len, sizeof(expected) - 1);
	ck_assert(memcmp(r.text, expected, r.len) == 0);
	free(r.text);
	check_round_trip(old, sizeof(old) - 1, new, sizeof(new) - 1);
}
END_TEST

START_TEST(test_random_round_trips)
{
	/* Small alphabets make many equally good alignments: every diff must
	 * still apply. */
	uint32_t seed = 12345;
	char old[512], new[512];
	for (int iter = 0; iter < 3000; iter++) {
		size_t ol = 0, nl = 0;
		seed = seed * 1103515245u + 12345u;
		unsigned alphabet = 2 + (seed >> 16) % 6;
		seed = seed * 1103515245u + 12345u;
		unsigned n_old = (seed >> 16) % 30, n_new;
		for (unsigned i = 0; i < n_old; i++) {
			seed = seed * 1103515245u + 12345u;
			old[ol++] = (char)('a' + (seed >> 16) % alphabet);
			old[ol++] = '\n';
		}
		/* NEW: OLD with a few random edits. */
		memcpy(new, old, ol);
		nl = ol;
		seed = seed * 1103515245u + 12345u;
		n_new = (seed >> 16) % 5;
		for (unsigned e = 0; e < n_new; e++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = nl ? 2 * ((seed >> 16) % (nl / 2 + 1)) : 0;
			seed = seed * 1103515245u + 12345u;
			if ((seed >> 16) % 2 == 0 && at + 2 <= nl) {
				memmove(new + at, new + at + 2, nl - at - 2);
				nl -= 2;
			} else if (nl + 2 < sizeof(new)) {
				memmove(new + at + 2, new + at, nl - at);
				new[at] = (char)('a' + (seed >> 20) % alphabet);
				new[at + 1] = '\n';
				nl += 2;
			}
		}
		seed = seed * 1103515245u + 12345u;
		if (ol > 0 && (seed >> 16) % 5 == 0)
			ol--; /* no final newline */
		seed = seed * 1103515245u + 12345u;
		if (nl > 0 && (seed >> 16) % 5 == 0)
			nl--;
		check_round_trip(old, ol, new, nl);
	}
}
END_TEST

/* A services-like line for index I. */
static int service_line(char *buf, size_t size, unsigned i, const char *tag)
{
	return snprintf(buf, size, "service-%u%s\t%u/tcp\t\t# Service number %u\n", i, tag,
			i % 65536, i);
}

static char *services_text(unsigned n, const unsigned *changed, unsigned n_changed, size_t *len)
{
	size_t cap = (size_t)n * 64 + 1;
	char *buf = malloc(cap);
	ck_assert_ptr_nonnull(buf);
	*len = 0;
	for (unsigned i = 0; i < n; i++) {
		const char *tag = "";
		for (unsigned k = 0; k < n_changed; k++)
			if (changed[k] == i)
				tag = "-changed";
		int w = service_line(buf + *len, cap - *len, i, tag);
		ck_assert(w > 0 && (size_t)w < cap - *len);
		*len += (size_t)w;
	}
	return buf;
}

START_TEST(test_large_scattered_changes)
{
	unsigned changed[50];
	for (unsigned k = 0; k < 50; k++)
		changed[k] = 17 + k * 397; /* 397 lines apart: separate hunks */
	size_t old_len, new_len;
	char *old = services_text(20000, NULL, 0, &old_len);
	char *new = services_text(20000, changed, 50, &new_len);
	struct diff_result r = run_diff(old, old_len, new, new_len);
	ck_assert_int_eq(r.rc, 1);
	/* 50 hunks of 3 + 1 + 1 + 3 lines, plus the header. */
	size_t lines = 0;
	for (size_t i = 0; i < r.len; i++)
		lines += r.text[i] == '\n';
	ck_assert_uint_eq(lines, 2 + 50 * 9);
	free(r.text);
	ck_assert_uint_eq(check_round_trip(old, old_len, new, new_len), 50);
	free(old);
	free(new);
}
END_TEST

START_TEST(test_large_completely_different)
{
	/* 12,000 lines against the same lines reversed (every line still has a
	 * partner: the hard case for Myers), and against all-new lines. */
	enum { N = 12000 };
	size_t old_len, new_len = 0;
	char *old = services_text(N, NULL, 0, &old_len);
	char *new = malloc(old_len + 1);
	ck_assert_ptr_nonnull(new);
	for (unsigned i = N; i-- > 0;)
		new_len += (size_t)service_line(new + new_len, old_len + 1 - new_len, i, "");
	ck_assert_uint_eq(new_len, old_len);
	ck_assert_uint_ge(check_round_trip(old, old_len, new, new_len), 1);
	free(new);

	new_len = 0;
	new = malloc(old_len * 2);
	ck_assert_ptr_nonnull(new);
	for (unsigned i = 0; i < N; i++)
		new_len += (size_t)service_line(new + new_len, old_len * 2 - new_len, i, "x");
	ck_assert_uint_eq(check_round_trip(old, old_len, new, new_len), 1);
	free(old);
	free(new);
}
END_TEST

START_TEST(test_write_failure)
{
	FILE *f = fopen("/dev/full", "w");
	if (f == NULL)
		return; /* not Linux: nothing to test against */
	setvbuf(f, NULL, _IONBF, 0);
	errno = 0;
	int rc = line_diff_write(f, "old", "a\n", 2, "new", "b\n", 2);
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(errno, ENOSPC);
	fclose(f);
}
END_TEST

static Suite *line_diff_suite(void)
{
	Suite *s = suite_create("line_diff");
	TCase *tc = tcase_create("small");
	tcase_add_test(tc, test_equal);
	tcase_add_test(tc, test_one_change_in_middle);
	tcase_add_test(tc, test_insert_at_start);
	tcase_add_test(tc, test_insert_at_end);
	tcase_add_test(tc, test_delete_all);
	tcase_add_test(tc, test_empty_old);
	tcase_add_test(tc, test_empty_line_counts);
	tcase_add_test(tc, test_missing_newline);
	tcase_add_test(tc, test_two_distant_changes);
	tcase_add_test(tc, test_near_changes_merge);
	tcase_add_test(tc, test_repeated_lines_shift_like_gnu);
	tcase_add_test(tc, test_bytes_compared_exactly);
	tcase_add_test(tc, test_write_failure);
	suite_add_tcase(s, tc);
	TCase *big = tcase_create("large");
	tcase_set_timeout(big, 30);
	tcase_add_test(big, test_random_round_trips);
	tcase_add_test(big, test_large_scattered_changes);
	tcase_add_test(big, test_large_completely_different);
	suite_add_tcase(s, big);
	return s;
}

RUN_SUITE(line_diff_suite)
