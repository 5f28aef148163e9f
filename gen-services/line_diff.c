/* line_diff.c - the unified diff of `gen-services --check` (see line_diff.h).
 *
 * Lines are first mapped to small integers (equal lines, equal numbers),
 * so the comparison works on integer arrays.  The edit script comes from
 * Myers' "An O(ND) Difference Algorithm and Its Variations" (1986), in its
 * linear-space form: find the middle snake of an optimal path by searching
 * from both ends at once, then solve the two halves.  A search that passes
 * DIFF_MAX_COST edit steps gives up on minimality and marks that part as
 * replaced wholesale: time stays bounded, the diff stays correct.  After
 * the search, runs of changes are slid down over equal lines so that a
 * change among repeated lines is reported at its last possible place, as
 * diff -u does.  The changed-line flags are then printed as hunks with
 * LINE_DIFF_CONTEXT lines of context.
 */
#include "line_diff.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Edit steps one middle-snake search may take before it settles. */
#define DIFF_MAX_COST 4096

struct line {
	const char *text;
	size_t len;   /* without the newline */
	bool newline; /* ends with '\n' */
};

struct text {
	struct line *lines;
	uint32_t *ids;  /* equivalence class of each line */
	bool *changed;  /* line deleted (old) or inserted (new) */
	size_t n;
};

static int split(struct text *t, const char *data, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += data[i] == '\n';
	if (len > 0 && data[len - 1] != '\n')
		n++;
	t->n = n;
	t->lines = calloc(n + 1, sizeof(*t->lines));
	t->ids = calloc(n + 1, sizeof(*t->ids));
	t->changed = calloc(n + 1, sizeof(*t->changed));
	if (t->lines == NULL || t->ids == NULL || t->changed == NULL)
		return -1;
	const char *p = data, *end = data + len;
	for (size_t i = 0; i < n; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		t->lines[i].text = p;
		t->lines[i].len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		t->lines[i].newline = nl != NULL;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

static uint64_t line_hash(const struct line *l)
{
	uint64_t h = 1469598103934665603u ^ l->newline;
	for (size_t i = 0; i < l->len; i++)
		h = (h ^ (unsigned char)l->text[i]) * 1099511628211u;
	return h;
}

static bool same_line(const struct line *a, const struct line *b)
{
	return a->len == b->len && a->newline == b->newline && memcmp(a->text, b->text, a->len) == 0;
}

/* Give equal lines of both texts the same id (open-addressing table). */
static int number_lines(struct text *old, struct text *new)
{
	size_t total = old->n + new->n, n_slots = 16;
	while (n_slots < total * 2)
		n_slots *= 2;
	struct slot {
		const struct line *line;
		uint32_t id;
	} *slots = calloc(n_slots, sizeof(*slots));
	if (slots == NULL)
		return -1;
	uint32_t next_id = 0;
	struct text *texts[2] = {old, new};
	for (int t = 0; t < 2; t++) {
		for (size_t i = 0; i < texts[t]->n; i++) {
			const struct line *l = &texts[t]->lines[i];
			size_t s = line_hash(l) & (n_slots - 1);
			while (slots[s].line != NULL && !same_line(slots[s].line, l))
				s = (s + 1) & (n_slots - 1);
			if (slots[s].line == NULL) {
				slots[s].line = l;
				slots[s].id = next_id++;
			}
			texts[t]->ids[i] = slots[s].id;
		}
	}
	free(slots);
	return 0;
}

/* State of the comparison: the two id arrays and the two frontier arrays of
 * the searches, indexed by diagonal k = x - y plus an offset. */
struct search {
	const uint32_t *a, *b;
	bool *a_changed, *b_changed;
	ptrdiff_t *forward, *backward;
	ptrdiff_t offset;
};

struct snake {
	ptrdiff_t x0, y0, x1, y1; /* from (x0,y0) to (x1,y1), relative to the part */
	bool found;
};

/* The middle snake of a[0..n) x b[0..m), both non-empty: the stretch of an
 * optimal edit path that crosses the middle.  found=false when the search
 * passed DIFF_MAX_COST. */
static struct snake middle_snake(struct search *s, const uint32_t *a, ptrdiff_t n, const uint32_t *b,
				 ptrdiff_t m)
{
	ptrdiff_t *fwd = s->forward + s->offset, *bwd = s->backward + s->offset;
	const ptrdiff_t delta = n - m;
	const bool odd = (delta & 1) != 0;
	const ptrdiff_t max_d = (n + m + 1) / 2;
	struct snake snake = {0};

	/* fwd[k]: furthest x reached on diagonal k from (0,0);
	 * bwd[k]: furthest distance reached from (n,m) backwards on reversed
	 * diagonal k, i.e. forward diagonal delta - k. */
	fwd[1] = 0;
	bwd[1] = 0;
	for (ptrdiff_t d = 0; d <= max_d; d++) {
		if (d > DIFF_MAX_COST)
			return snake;
		for (ptrdiff_t k = -d; k <= d; k += 2) {
			ptrdiff_t x = (k == -d || (k != d && fwd[k - 1] < fwd[k + 1])) ? fwd[k + 1] : fwd[k - 1] + 1;
			ptrdiff_t y = x - k, x0 = x, y0 = y;
			while (x < n && y < m && a[x] == b[y]) {
				x++;
				y++;
			}
			fwd[k] = x;
			ptrdiff_t rk = delta - k;
			if (odd && rk >= -(d - 1) && rk <= d - 1 && x + bwd[rk] >= n) {
				snake = (struct snake){x0, y0, x, y, true};
				return snake;
			}
		}
		for (ptrdiff_t k = -d; k <= d; k += 2) {
			ptrdiff_t x = (k == -d || (k != d && bwd[k - 1] < bwd[k + 1])) ? bwd[k + 1] : bwd[k - 1] + 1;
			ptrdiff_t y = x - k, x0 = x, y0 = y;
			while (x < n && y < m && a[n - 1 - x] == b[m - 1 - y]) {
				x++;
				y++;
			}
			bwd[k] = x;
			ptrdiff_t fk = delta - k;
			if (!odd && fk >= -d && fk <= d && fwd[fk] + x >= n) {
				snake = (struct snake){n - x, m - y, n - x0, m - y0, true};
				return snake;
			}
		}
	}
	return snake;
}

/* Mark the lines of a[x0..x1) and b[y0..y1) outside a longest common
 * subsequence as changed. */
static void compare(struct search *s, ptrdiff_t x0, ptrdiff_t x1, ptrdiff_t y0, ptrdiff_t y1)
{
	for (;;) {
		while (x0 < x1 && y0 < y1 && s->a[x0] == s->b[y0]) {
			x0++;
			y0++;
		}
		while (x0 < x1 && y0 < y1 && s->a[x1 - 1] == s->b[y1 - 1]) {
			x1--;
			y1--;
		}
		if (x0 == x1 || y0 == y1)
			break;
		struct snake snake = middle_snake(s, s->a + x0, x1 - x0, s->b + y0, y1 - y0);
		if (!snake.found)
			break; /* too expensive: the rest is replaced wholesale */
		compare(s, x0, x0 + snake.x0, y0, y0 + snake.y0);
		/* the second half, iteratively */
		x0 += snake.x1;
		y0 += snake.y1;
	}
	for (ptrdiff_t x = x0; x < x1; x++)
		s->a_changed[x] = true;
	for (ptrdiff_t y = y0; y < y1; y++)
		s->b_changed[y] = true;
}

/* Slide each run of changed lines down while the line after it equals its
 * first line, so that among repeated lines the change is shown last. */
static void slide_down(struct text *t)
{
	size_t i = 0;
	while (i < t->n) {
		if (!t->changed[i]) {
			i++;
			continue;
		}
		size_t start = i, end = i;
		while (end < t->n && t->changed[end])
			end++;
		while (end < t->n && t->ids[start] == t->ids[end]) {
			t->changed[start++] = false;
			t->changed[end++] = true;
			while (end < t->n && t->changed[end])
				end++;
		}
		i = end;
	}
}

struct hunk_writer {
	FILE *out;
	const struct text *old, *new;
	bool failed;
};

static void put_line(struct hunk_writer *w, char prefix, const struct line *l)
{
	if (putc(prefix, w->out) == EOF || fwrite(l->text, 1, l->len, w->out) != l->len)
		w->failed = true;
	if (l->newline ? putc('\n', w->out) == EOF : fputs("\n\\ No newline at end of file\n", w->out) == EOF)
		w->failed = true;
}

/* diff -u numbering: "start,count"; ",1" left out; an empty range names
 * the line before it. */
static void put_range(struct hunk_writer *w, size_t first, size_t count)
{
	if (count == 1)
		fprintf(w->out, "%zu", first + 1);
	else
		fprintf(w->out, "%zu,%zu", count == 0 ? first : first + 1, count);
}

/* Write the hunk covering old[i0..i1) and new[j0..j1). */
static void put_hunk(struct hunk_writer *w, size_t i0, size_t i1, size_t j0, size_t j1)
{
	fputs("@@ -", w->out);
	put_range(w, i0, i1 - i0);
	fputs(" +", w->out);
	put_range(w, j0, j1 - j0);
	fputs(" @@\n", w->out);
	size_t i = i0, j = j0;
	while (i < i1 || j < j1) {
		if (i < i1 && j < j1 && !w->old->changed[i] && !w->new->changed[j]) {
			put_line(w, ' ', &w->old->lines[i]);
			i++;
			j++;
			continue;
		}
		size_t before_i = i, before_j = j;
		while (i < i1 && w->old->changed[i])
			put_line(w, '-', &w->old->lines[i++]);
		while (j < j1 && w->new->changed[j])
			put_line(w, '+', &w->new->lines[j++]);
		if (i == before_i && j == before_j) { /* cannot happen: unpaired line */
			w->failed = true;
			errno = EINVAL;
			return;
		}
	}
}

/* Group the changes into hunks: changes closer than two contexts share one. */
static void put_hunks(struct hunk_writer *w)
{
	const struct text *old = w->old, *new = w->new;
	size_t i = 0, j = 0;
	bool open = false;
	size_t hi0 = 0, hj0 = 0, last_i = 0, last_j = 0; /* hunk start, end of last change */
	while (i < old->n || j < new->n) {
		if (i < old->n && j < new->n && !old->changed[i] && !new->changed[j]) {
			i++;
			j++;
			if (open && i - last_i > 2 * LINE_DIFF_CONTEXT) {
				size_t ctx_i = last_i + LINE_DIFF_CONTEXT, ctx_j = last_j + LINE_DIFF_CONTEXT;
				put_hunk(w, hi0, ctx_i, hj0, ctx_j);
				open = false;
			}
			continue;
		}
		size_t ci = i, cj = j;
		while (i < old->n && old->changed[i])
			i++;
		while (j < new->n && new->changed[j])
			j++;
		if (!open) {
			size_t back = ci < LINE_DIFF_CONTEXT ? ci : LINE_DIFF_CONTEXT;
			hi0 = ci - back;
			hj0 = cj - back;
			open = true;
		}
		last_i = i;
		last_j = j;
	}
	if (open) {
		size_t tail_i = old->n - last_i < LINE_DIFF_CONTEXT ? old->n - last_i : LINE_DIFF_CONTEXT;
		put_hunk(w, hi0, last_i + tail_i, hj0, last_j + tail_i);
	}
}

static void free_text(struct text *t)
{
	free(t->lines);
	free(t->ids);
	free(t->changed);
}

int line_diff_write(FILE *out, const char *old_label, const char *old_text, size_t old_len,
		    const char *new_label, const char *new_text, size_t new_len)
{
	if (old_len == new_len && memcmp(old_text, new_text, old_len) == 0)
		return 0;
	struct text old = {0}, new = {0};
	struct search s = {0};
	int rc = -1;
	if (split(&old, old_text, old_len) < 0 || split(&new, new_text, new_len) < 0 ||
	    number_lines(&old, &new) < 0)
		goto out;
	size_t diagonals = 2 * (size_t)DIFF_MAX_COST + 3;
	if (diagonals > old.n + new.n + 3)
		diagonals = old.n + new.n + 3;
	s.offset = (ptrdiff_t)diagonals;
	s.forward = calloc(2 * diagonals + 1, sizeof(*s.forward));
	s.backward = calloc(2 * diagonals + 1, sizeof(*s.backward));
	if (s.forward == NULL || s.backward == NULL)
		goto out;
	s.a = old.ids;
	s.b = new.ids;
	s.a_changed = old.changed;
	s.b_changed = new.changed;
	compare(&s, 0, (ptrdiff_t)old.n, 0, (ptrdiff_t)new.n);
	slide_down(&old);
	slide_down(&new);

	struct hunk_writer w = {.out = out, .old = &old, .new = &new};
	fprintf(out, "--- %s\n+++ %s\n", old_label, new_label);
	put_hunks(&w);
	rc = w.failed || ferror(out) ? -1 : 1;
out:
	if (rc < 0 && errno == 0)
		errno = ENOMEM;
	free_text(&old);
	free_text(&new);
	free(s.forward);
	free(s.backward);
	return rc;
}
