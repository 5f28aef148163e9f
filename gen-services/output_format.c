/* output_format.c - the header and text helpers shared by the services-style
 * writers (see output_format.h). */
#include "output_format.h"

#include <stdlib.h>
#include <string.h>

void write_file_header(FILE *out, const struct iana_registry *registry,
		       const struct output_selection *selection, const char *format_name)
{
	char updated[16];
	const char *title = iana_registry_title(registry);
	const char *base = selection->source ? strrchr(selection->source, '/') : NULL;
	base = base ? base + 1 : selection->source;
	iana_date_format(iana_registry_updated(registry), updated, sizeof(updated));

	fprintf(out, GENERATED_MARK "(%s format) from the IANA\n", format_name);
	fprintf(out, "# %s\n", title ? title : "Service Name and Transport Protocol Port Number Registry");
	fprintf(out, "# Source: %s (%s)\n", base && *base ? base : "standard input",
		iana_format_name(iana_registry_format(registry)));
	fprintf(out, "# Registry last updated: %s\n", *updated ? updated : "unknown");
	fputs("# Do not edit: regenerate with gen-services; keep site-local entries in a\n"
	      "# separate file given to --merge.\n",
	      out);
}

static bool line_reserve(struct line_buffer *line, size_t more)
{
	if (iana_grow_buffer_reserve(&line->text, more) == 0)
		return true;
	line->failed = true;
	return false;
}

void line_put(struct line_buffer *line, const char *s, size_t len)
{
	if (!line_reserve(line, len))
		return;
	memcpy(line->text.data + line->text.len, s, len);
	line->text.len += len;
}

void line_puts(struct line_buffer *line, const char *s)
{
	line_put(line, s, strlen(s));
}

void line_put_uint(struct line_buffer *line, unsigned value)
{
	char digits[16];
	size_t n = 0;
	do {
		digits[sizeof(digits) - ++n] = (char)('0' + value % 10);
		value /= 10;
	} while (value != 0);
	line_put(line, digits + sizeof(digits) - n, n);
}

void line_pad(struct line_buffer *line, size_t column)
{
	size_t n = line->text.len < column ? column - line->text.len : 1;
	if (!line_reserve(line, n))
		return;
	memset(line->text.data + line->text.len, ' ', n);
	line->text.len += n;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void line_put_one_line(struct line_buffer *line, const char *text)
{
	const char *p = text;
	while (*p) {
		while (is_space(*p))
			p++;
		const char *word = p;
		while (*p && !is_space(*p))
			p++;
		if (p == word)
			break;
		if (word != text && line->text.len > 0 && line->text.data[line->text.len - 1] != ' ')
			line_put(line, " ", 1);
		line_put(line, word, (size_t)(p - word));
	}
}

void line_fit_comment(struct line_buffer *line, size_t comment, size_t max)
{
	if (line->failed || line->text.len <= max)
		return;
	static const char ellipsis[] = "...";
	size_t text = comment;
	while (text < line->text.len && line->text.data[text] == ' ')
		text++;
	text += 2; /* "# " */
	if (text + 1 + strlen(ellipsis) > max) {
		line->text.len = comment; /* name, port and aliases alone: kept whole */
		return;
	}
	size_t cut = max - strlen(ellipsis);
	size_t space = cut;
	while (space > text && line->text.data[space] != ' ')
		space--;
	if (space > text) {
		cut = space;
		while (cut > text && line->text.data[cut - 1] == ' ')
			cut--;
	} else {
		while (cut > text && ((unsigned char)line->text.data[cut] & 0xC0) == 0x80)
			cut--;
	}
	line->text.len = cut;
	line_put(line, ellipsis, strlen(ellipsis));
}

int line_flush(struct line_buffer *line, FILE *out)
{
	line_put(line, "\n", 1);
	if (line->failed)
		return -1;
	size_t n = fwrite_unlocked(line->text.data, 1, line->text.len, out);
	line->text.len = 0;
	return n == 0 ? -1 : 0;
}

void line_free(struct line_buffer *line)
{
	iana_grow_buffer_free(&line->text);
}

int output_parse_protocols(const char *list, unsigned *mask)
{
	*mask = 0;
	const char *p = list;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		enum iana_protocol protocol = iana_protocol_from_name(p, len);
		if (protocol == IANA_PROTO_NONE)
			return -1;
		*mask |= 1u << protocol;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

int output_parse_ranges(const char *mode, enum range_mode *ranges)
{
	if (strcmp(mode, "first") == 0)
		*ranges = RANGES_FIRST;
	else if (strcmp(mode, "expand") == 0)
		*ranges = RANGES_EXPAND;
	else if (strcmp(mode, "skip") == 0)
		*ranges = RANGES_SKIP;
	else
		return -1;
	return 0;
}
