/* registry_builder.h - internal: how the format parsers build a registry.
 *
 * Each parser (parse_xml.c, parse_csv.c, parse_text.c) feeds one builder:
 * strings are copied into the registry's arena, records are opened with
 * reg_builder_begin_record(), filled, and closed with reg_builder_end_record().
 * reg_builder_finish() resolves person references against the people table,
 * and hands over the finished, immutable registry.  Diagnostics carry the
 * file name given in the load options.  Not part of the public API.
 */
#ifndef REGISTRY_BUILDER_H
#define REGISTRY_BUILDER_H

#include "iana_registry.h"

#include <stdarg.h>

struct registry_builder;

struct registry_builder *reg_builder_new(const struct iana_load_options *options, enum iana_format format);
/* Release a builder that will not be finished (after an error). */
void reg_builder_discard(struct registry_builder *builder);
/* Resolve references, check the whole, and produce the registry.  Consumes
 * the builder in every case.  Returns IANA_LOAD_OK or an error result. */
int reg_builder_finish(struct registry_builder *builder, struct iana_registry **out);

/* Copy LEN bytes of S into the arena (NUL-terminated).  NULL on allocation
 * failure, which the builder remembers (reg_builder_finish() then fails). */
const char *reg_builder_str(struct registry_builder *builder, const char *s, size_t len);
/* Same, with leading and trailing ASCII whitespace removed.  NULL when
 * nothing remains, or on allocation failure: reg_builder_failed() tells which. */
const char *reg_builder_str_trimmed(struct registry_builder *builder, const char *s, size_t len);

/* TITLE, ANCHOR and TEXT are stored as given: pass strings from reg_builder_str(). */
void reg_builder_set_title(struct registry_builder *builder, const char *title);
void reg_builder_set_updated(struct registry_builder *builder, struct iana_date updated);
int reg_builder_add_footnote(struct registry_builder *builder, const char *anchor, const char *text);

/* Open a zeroed record starting at LINE.  The pointer stays valid until
 * reg_builder_end_record(); set its fields directly (strings from reg_builder_str).
 * NULL on allocation failure. */
struct iana_record *reg_builder_begin_record(struct registry_builder *builder, uint32_t line);
/* Add to the open record.  Strings are copied.  0, or -1 on allocation
 * failure. */
int reg_builder_add_assignee(struct registry_builder *builder, const char *id, size_t len);
int reg_builder_add_contact(struct registry_builder *builder, const char *id, size_t len);
/* data/text/section may be NULL. */
int reg_builder_add_reference(struct registry_builder *builder, enum iana_ref_kind kind,
			  const char *data, const char *text, const char *section);
/* Make every contact of the open record an assignee too: IANA's own CSV
 * does so for XML records that name no <assignee>.  0, or -1 on failure. */
int reg_builder_copy_contacts_to_assignees(struct registry_builder *builder);
/* Close the open record: derives its status from name and description.
 * 0, or -1 on failure (allocation, or a list too long for the model). */
int reg_builder_end_record(struct registry_builder *builder);

/* Append a person with ID (copied); fill the rest directly.  NULL on
 * allocation failure. */
struct iana_person *reg_builder_add_person(struct registry_builder *builder, const char *id,
				       size_t len, uint32_t line);

/* Report a warning (the load still succeeds) or an error (it fails).
 * reg_builder_error() always returns -1 so parsers can `return reg_builder_error(..)`. */
void reg_builder_warning(struct registry_builder *builder, uint32_t line, uint32_t column,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int reg_builder_error(struct registry_builder *builder, uint32_t line, uint32_t column,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
bool reg_builder_failed(const struct registry_builder *builder);
/* Record an allocation failure of the parser's own; the load then fails with
 * IANA_LOAD_NO_MEMORY.  Returns -1. */
int reg_builder_out_of_memory(struct registry_builder *builder);

/* Parse a port or port range ("80", "6000-6063") of LEN bytes.  Returns
 * false for anything else, including ports above 65535 or first > last. */
bool reg_parse_port_range(const char *text, size_t len, uint16_t *first, uint16_t *last);

/* The input of a load: bytes already read for format detection, then the
 * rest of FD. */
struct input_source {
	int fd;
	const char *prefix;
	size_t prefix_len;
	size_t prefix_pos;
	int read_errno; /* errno of a failed read(), 0 if none */
};

/* The three format parsers; 0 on success, -1 on failure (diagnosed).  XML
 * streams from the source; CSV and text get the whole input, DATA/LEN. */
int reg_parse_xml(struct registry_builder *builder, struct input_source *in);
int reg_parse_csv(struct registry_builder *builder, const char *data, size_t len);
int reg_parse_text(struct registry_builder *builder, const char *data, size_t len);

#endif /* REGISTRY_BUILDER_H */
