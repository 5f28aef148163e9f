/* output_format.h - what the services-style writers (services(5) and
 * Wireshark) share: the user's selection and the file header. */
#ifndef OUTPUT_FORMAT_H
#define OUTPUT_FORMAT_H

#include "grow_buffer.h"
#include "iana_registry.h"
#include "index_source.h"
#include "local_services.h"

#include <stdio.h>

enum range_mode {
	RANGES_DEFAULT = 0, /* services(5): first; wireshark: the whole range */
	RANGES_FIRST,
	RANGES_EXPAND,
	RANGES_SKIP,
};

struct output_selection {
	unsigned protocols;  /* bit (1 << enum iana_protocol) per protocol wanted */
	enum range_mode ranges;
	bool descriptions;
	bool full_descriptions; /* no SERVICES_LINE_MAX / WIRESHARK_LINE_MAX */
	const char *source;  /* shown in the header: the registry's file name */
	const struct local_services *local; /* --merge, or NULL */
	/* services(5) only: the file being regenerated (-o, --services) or
	 * compared with (--check), whose distribution base (services_base.h)
	 * generate_output() merges; NULL for none (standard output, --no-base). */
	const char *target;
	bool check_only; /* TARGET is only compared with: nothing is saved */
	const struct services_base *base; /* set by generate_output(), or NULL */
	/* The index format: the registry file it is built from, or NULL. */
	const struct iana_index_source *index_source;
};

struct services_base;

/* services(5) lines are kept within this many bytes (the newline not
 * counted) by shortening the description: musl reads /etc/services through
 * a 128-byte fgets() buffer (src/network/lookup_serv.c) and would parse
 * the rest of a longer line as a line of its own. */
#define SERVICES_LINE_MAX 127
/* The same for Wireshark's services file: Wireshark 4.2 and later read it
 * through a 1024-byte buffer (MAX_LINELEN in epan/addr_resolv.c). */
#define WIRESHARK_LINE_MAX 1023

#define ALL_PROTOCOLS ((1u << IANA_PROTO_TCP) | (1u << IANA_PROTO_UDP) | \
		       (1u << IANA_PROTO_SCTP) | (1u << IANA_PROTO_DCCP))

/* The -p/--protocols list LIST ("tcp,udp") as a mask into *MASK; -1 when
 * a name is not a protocol. */
int output_parse_protocols(const char *list, unsigned *mask);
/* The -r/--ranges MODE (first, expand, skip); -1 when unknown. */
int output_parse_ranges(const char *mode, enum range_mode *ranges);

/* The comment block that opens a generated file: generator, source, the
 * registry's Last Updated date; no timestamp, so output is reproducible. */
void write_file_header(FILE *out, const struct iana_registry *registry,
		       const struct output_selection *selection, const char *format_name);

/* A line assembled in memory and written with one call: the writers emit
 * some 12,000 lines, and stdio's per-call locking would dominate. */
struct line_buffer {
	struct grow_buffer text;
	bool failed; /* allocation failed; flush reports it */
};

void line_put(struct line_buffer *line, const char *s, size_t len);
void line_puts(struct line_buffer *line, const char *s);
void line_put_uint(struct line_buffer *line, unsigned value);
/* Spaces up to column COLUMN, at least one. */
void line_pad(struct line_buffer *line, size_t column);
/* TEXT as one line: runs of whitespace (newlines included) become one
 * space, ends trimmed. */
void line_put_one_line(struct line_buffer *line, const char *text);
/* Shorten the "# description" comment that begins at COMMENT (the padding
 * before it) so that LINE fits in MAX bytes: cut after the last whole word
 * that fits, with "...", or inside one long word, never inside a UTF-8
 * sequence; the whole comment goes when not even "# x..." fits (the line
 * then keeps its name, port and aliases whole, whatever their length). */
void line_fit_comment(struct line_buffer *line, size_t comment, size_t max);
/* Write the line plus "\n" to OUT and empty it.  0, or -1 on failure. */
int line_flush(struct line_buffer *line, FILE *out);
void line_free(struct line_buffer *line);

#endif /* OUTPUT_FORMAT_H */
