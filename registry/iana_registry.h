/* iana_registry.h - public API of the shared IANA service registry parser.
 *
 * One loader reads the IANA "Service Name and Transport Protocol Port Number
 * Registry" in any format IANA publishes (XML, the 12-column CSV, the plain
 * text rendering), detected from the content, into one immutable in-memory
 * model.  gen-services, the NSS index builder and the Wireshark plugin all
 * use this header; no libxml2 type appears in it.
 *
 * Contract:
 *  - The library never prints, never exits, never installs global handlers
 *    and never calls xmlCleanupParser().  Diagnostics go to the caller's
 *    callback, each with file, line and (where known) column.
 *  - A load either succeeds with a complete model (warnings possible) or
 *    fails with an error code and no model: never a partial result.
 *  - Everything reachable from a loaded registry stays valid and unchanged
 *    until iana_registry_free(); it is safe to read from several threads.
 *  - Strings are the source's bytes, NUL-terminated.  From XML they are
 *    valid UTF-8 (libxml2 checks); CSV and text pass bytes through as they
 *    are, so a consumer that needs UTF-8 must check.
 *  - A port written as a one-port range ("4748-4748", six such rows in the
 *    2026-08-17 registry) is a single port: port_first == port_last.
 */
#ifndef IANA_REGISTRY_H
#define IANA_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Transport protocol of a record.  NONE: a port-less DNS-SD service name or
 * a row that lists no protocol. */
enum iana_protocol {
	IANA_PROTO_NONE = 0,
	IANA_PROTO_TCP,
	IANA_PROTO_UDP,
	IANA_PROTO_SCTP,
	IANA_PROTO_DCCP,
};
#define IANA_PROTO_COUNT 5

/* What a row says about its port(s). */
enum iana_status {
	IANA_STATUS_ASSIGNED = 0, /* has a service name */
	IANA_STATUS_RESERVED,     /* no name, description "Reserved" */
	IANA_STATUS_UNASSIGNED,   /* no name, description "Unassigned" */
	IANA_STATUS_UNNAMED,      /* no name, other text ("De-registered",
				     "any private mail system", ...) */
};

/* Kind of a reference (an <xref> in the XML, a [..] in CSV and text). */
enum iana_ref_kind {
	IANA_REF_RFC = 0,
	IANA_REF_DRAFT,
	IANA_REF_PERSON,
	IANA_REF_URI,
	IANA_REF_TEXT,
	IANA_REF_NOTE, /* points at a registry footnote ("[1]") */
};

enum iana_format {
	IANA_FORMAT_XML = 0,
	IANA_FORMAT_CSV,
	IANA_FORMAT_TEXT,
};

/* A full or partial date: 2006-11-02, 2006-11 (day 0) or 2006 (month 0).
 * year == 0 means "no date". */
struct iana_date {
	uint16_t year;
	uint8_t month;
	uint8_t day;
};

/* An entry of the registry's people table (<people>, "Contact Information").
 * Any string may be NULL when the registry leaves it out. */
struct iana_person {
	const char *id; /* "Don_Marselle", never NULL */
	const char *name;
	const char *org;
	const char *uri; /* several, space-separated, when the table lists more */
	struct iana_date updated;
};

/* A reference to a person by id, resolved against the people table after
 * the whole file is read.  person is NULL when the table has no such id
 * (always so for CSV, which carries no people table). */
struct iana_person_ref {
	const char *id; /* never NULL */
	const struct iana_person *person;
};

struct iana_reference {
	enum iana_ref_kind kind;
	const char *data;    /* "rfc6335", "draft-...", a URI, a person id,
				a footnote anchor; NULL for plain text */
	const char *text;    /* display text, NULL when none */
	const char *section; /* "4.3", NULL when none */
};

struct iana_record {
	const char *name;        /* NULL when the row has no service name */
	const char *description; /* NULL when none.  Free text (also notes,
				    unauthorized) as flowed text: a line break
				    of the source (wrapping, indentation) is
				    one space, a paragraph break "\n\n" */
	const struct iana_person_ref *assignees;
	const struct iana_person_ref *contacts;
	const struct iana_reference *refs;
	const char *unauthorized; /* "unauthorized use reported" text or NULL */
	const char *notes;        /* assignment notes or NULL; several notes
				     (XML) are separate paragraphs */
	uint32_t line;            /* line in the source where the row starts
				     (XML: the line of its <record> tag, on
				     any line of the file); >= 1 */
	uint32_t service_code;    /* DCCP service code, if has_service_code */
	uint16_t port_first;      /* valid if has_port */
	uint16_t port_last;       /* == port_first for a single port */
	uint16_t n_assignees, n_contacts, n_refs;
	struct iana_date registered;
	struct iana_date modified;
	uint8_t protocol; /* enum iana_protocol */
	uint8_t status;   /* enum iana_status */
	bool has_port;
	bool has_service_code;
};

struct iana_registry; /* opaque, immutable once loaded */

enum iana_severity {
	IANA_SEVERITY_WARNING = 0, /* odd but understood; the model is complete */
	IANA_SEVERITY_ERROR,       /* the load fails */
};

struct iana_diagnostic {
	enum iana_severity severity;
	const char *file; /* the display name given in the options */
	uint32_t line;    /* 0 when not tied to a line */
	uint32_t column;  /* 0 when unknown */
	const char *message;
};

typedef void (*iana_diagnostic_fn)(const struct iana_diagnostic *diagnostic, void *userdata);

struct iana_load_options {
	const char *display_name;        /* used in diagnostics; default "<input>" */
	iana_diagnostic_fn on_diagnostic; /* may be NULL: diagnostics dropped */
	void *userdata;
	unsigned max_errors; /* stop reporting after this many; 0 = 20 */
};

/* Results of iana_registry_load*(). */
enum iana_load_result {
	IANA_LOAD_OK = 0,
	IANA_LOAD_IO_ERROR = -1,     /* errno is set */
	IANA_LOAD_BAD_FORMAT = -2,   /* not a registry in a known format */
	IANA_LOAD_PARSE_ERROR = -3,  /* malformed; diagnostics say where */
	IANA_LOAD_NO_MEMORY = -4,
};

/* Read a registry from an open file descriptor (which is not closed), in
 * any format.  On success *out holds a registry to release with
 * iana_registry_free(). */
int iana_registry_load_fd(int fd, const struct iana_load_options *options,
			  struct iana_registry **out);

/* Open PATH and load it; display_name defaults to PATH. */
int iana_registry_load_path(const char *path, const struct iana_load_options *options,
			    struct iana_registry **out);

void iana_registry_free(struct iana_registry *registry);

/* A short English explanation of an iana_load_result. */
const char *iana_load_result_str(int result);

/* Accessors.  Strings may be NULL when the source does not carry them. */
enum iana_format iana_registry_format(const struct iana_registry *registry);
const char *iana_registry_title(const struct iana_registry *registry);
struct iana_date iana_registry_updated(const struct iana_registry *registry);
const struct iana_record *iana_registry_records(const struct iana_registry *registry, size_t *count);
const struct iana_person *iana_registry_people(const struct iana_registry *registry, size_t *count);
/* Text of footnote ANCHOR ("1"), or NULL. */
const char *iana_registry_footnote(const struct iana_registry *registry, const char *anchor);
/* Person with ID, or NULL. */
const struct iana_person *iana_registry_person(const struct iana_registry *registry, const char *id);

/* "tcp", "udp", "sctp", "dccp"; NULL for IANA_PROTO_NONE or out of range. */
const char *iana_protocol_name(enum iana_protocol protocol);
/* Parse a protocol name (ASCII case-insensitive, LEN bytes); returns
 * IANA_PROTO_NONE for anything else. */
enum iana_protocol iana_protocol_from_name(const char *name, size_t len);
/* "assigned", "reserved", "unassigned", "unnamed". */
const char *iana_status_name(enum iana_status status);
/* "rfc", "draft", "person", "uri", "text", "note". */
const char *iana_ref_kind_name(enum iana_ref_kind kind);
/* "xml", "csv", "text".  All three return "unknown" out of range. */
const char *iana_format_name(enum iana_format format);

/* Parse "YYYY", "YYYY-MM" or "YYYY-MM-DD" (LEN bytes) into *date.
 * Returns false, leaving *date zeroed, for anything else. */
bool iana_date_parse(const char *text, size_t len, struct iana_date *date);
/* Format into BUF (at least 11 bytes) as it was given: "2006", "2006-11",
 * "2006-11-02"; "" for no date.  Returns BUF. */
char *iana_date_format(struct iana_date date, char *buf, size_t size);

/* ---- Services view: what a services(5) file, the NSS index and Wireshark
 * answer.  One entry per port (or range) and protocol, in registry order of
 * its first record; the first name registered there is canonical, later
 * names on the same port/protocol are its aliases.  Only records with a
 * name, a port and a protocol take part; names that a services(5) line
 * cannot carry (empty, whitespace, '#', control characters) are left out
 * and reported as warnings. */
struct iana_service {
	const struct iana_record *record; /* first record: name, description */
	const char *const *aliases;       /* later names, duplicates removed */
	uint16_t n_aliases;
	uint16_t port_first, port_last;
	uint8_t protocol; /* enum iana_protocol, never NONE */
};

struct iana_service_table;

/* Build the view of REGISTRY (which must outlive it).  Skipped names are
 * reported through OPTIONS' callback (display_name names the registry).
 * Returns IANA_LOAD_OK or IANA_LOAD_NO_MEMORY. */
int iana_service_table_build(const struct iana_registry *registry,
			     const struct iana_load_options *options,
			     struct iana_service_table **out);
const struct iana_service *iana_service_table_entries(const struct iana_service_table *table,
						      size_t *count);
void iana_service_table_free(struct iana_service_table *table);

/* True when NAME can stand as a name in a services(5) line. */
bool iana_service_name_is_valid(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* IANA_REGISTRY_H */
