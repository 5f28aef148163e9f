/* line_diff.h - a unified diff of two texts, line by line, for
 * `gen-services --check FILE` (shows how FILE differs from what would be
 * written).
 *
 * Lines are compared as byte strings, the terminating newline included, so
 * a last line without a newline differs from the same line with one (shown
 * with "\ No newline at end of file", as GNU diff does).  The edit script
 * comes from Myers' O(ND) algorithm in linear space (middle snakes, divide
 * and conquer), with a cost cut-off: past it the diff stays correct but may
 * not be minimal.  Memory is O(N + M) lines; time is bounded even for texts
 * that differ completely.
 */
#ifndef LINE_DIFF_H
#define LINE_DIFF_H

#include <stddef.h>
#include <stdio.h>

/* Lines of context around each change in a hunk, as `diff -u`. */
#define LINE_DIFF_CONTEXT 3

/* Write to OUT a unified diff turning OLD_TEXT (OLD_LEN bytes) into NEW_TEXT
 * (NEW_LEN bytes): a "--- OLD_LABEL" / "+++ NEW_LABEL" header, then hunks
 * "@@ -a,b +c,d @@" with LINE_DIFF_CONTEXT lines of context, numbered as
 * GNU `diff -u` numbers them, so that patch(1) can apply the result.  The
 * texts may contain any bytes, NUL included.
 *
 * Returns 0 when the texts are equal (nothing is written), 1 when they
 * differ (the diff was written), -1 on allocation or write failure (errno
 * set; part of the diff may have been written).  OUT is not flushed: the
 * caller still checks fflush()/fclose(). */
int line_diff_write(FILE *out, const char *old_label, const char *old_text, size_t old_len,
		    const char *new_label, const char *new_text, size_t new_len);

#endif /* LINE_DIFF_H */
