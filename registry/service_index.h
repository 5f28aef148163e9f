/* service_index.h - the compiled services index: its on-disk format, the
 * writer (gen-services --format index) and the reader shared by the NSS
 * module and the Wireshark plugin.
 *
 * The index holds the services view of a registry (iana_registry.h: one
 * entry per port or range and protocol, canonical name, aliases, in
 * registry order) in a form made for mmap: no parsing, no allocation per
 * lookup, lookups by name in O(log n) and by port in O(log n).  The reader
 * needs only libc: it never loads libxml2.
 *
 * FORMAT, version 2.  All integers are in the byte order of the host that
 * wrote the index (byte_order tells; a reader refuses the other order), all
 * offsets are from the start of the file, every table is 4-byte aligned.
 *
 *   header (struct iana_index_header, 72 bytes)
 *   entries   n_entries x struct iana_index_entry, registry order
 *   aliases   n_aliases x uint32_t string offsets; entry e's aliases are
 *             aliases[e.aliases .. e.aliases + e.n_aliases)
 *   names     n_names x struct iana_index_name: every canonical name and
 *             alias with its entry, sorted by (hash, entry); hash is
 *             iana_index_name_hash() of the name (ASCII case-folded)
 *   ports     n_ports x struct iana_index_port: every single-port entry,
 *             sorted by (port, entry)
 *   ranges    n_ranges x struct iana_index_port: every entry whose
 *             port_first < port_last, in entry order
 *   details   n_entries x struct iana_index_detail: entry e's references
 *             and assignees as display text (the Wireshark plugin shows
 *             them; the NSS module never reads them)
 *   blocks    n_blocks x struct iana_index_block: every registry record
 *             with a port and no service name (Reserved, Unassigned,
 *             "De-registered", ...), in registry order, so that a reader
 *             can tell a reserved port from one the registry never lists
 *   strings   strings_size bytes of NUL-terminated strings; offset 0 holds
 *             "" and stands for "none"
 *
 * The tables follow each other with nothing between and fill the file
 * exactly: header_size + tables + strings_size == total_size.  Version 2
 * added the details and blocks tables (n_blocks took the first reserved
 * header word); readers accept version 2 only, and a version-1 file is
 * refused as "not a supported version" (the NSS module then reads the
 * registry until gen-services rewrites the index).  The string
 * table is padded with NULs to a multiple of 4, strings_size counting the
 * padding.  Rows of the names table with the same hash and entry keep the
 * canonical name first, then the aliases in order, so equal registries
 * give byte-identical indexes.  Reserved words are written as zero and not
 * checked.  An entry whose name offset is 0, whose protocol is not 1-4 or
 * whose port_first > port_last is damaged.
 *
 * checksum is CRC-32 (IEEE 802.3, as zlib's crc32) of bytes
 * [header_size, total_size).  A reader checks, when it maps the file:
 * magic, version, byte order, header size, total_size == file size, the
 * checksum, that every table lies inside the file, in the order above,
 * without overlap, and that the string table ends with NUL.  On every use
 * it checks each index and offset it follows against its table, so a
 * corrupt index that passed the checksum still cannot make it read out of
 * bounds: it answers "not found" or fails, never crashes.
 */
#ifndef SERVICE_INDEX_H
#define SERVICE_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define IANA_INDEX_MAGIC "IANASVC\0"   /* 8 bytes */
#define IANA_INDEX_VERSION 2u
#define IANA_INDEX_BYTE_ORDER 0x01020304u

struct iana_index_header {
	char magic[8];
	uint32_t version;
	uint32_t byte_order;   /* IANA_INDEX_BYTE_ORDER as written */
	uint32_t header_size;  /* sizeof(struct iana_index_header) */
	uint32_t checksum;     /* CRC-32 of [header_size, total_size) */
	uint64_t total_size;   /* size of the whole file */
	uint16_t updated_year; /* the registry's Last Updated; 0 = unknown */
	uint8_t updated_month;
	uint8_t updated_day;
	uint32_t n_entries;
	uint32_t n_aliases;
	uint32_t n_names;
	uint32_t n_ports;
	uint32_t n_ranges;
	uint32_t strings_size;
	uint32_t n_blocks;
	uint32_t reserved[2];  /* zero */
};

struct iana_index_entry {
	uint32_t name;        /* string offset of the canonical name */
	uint32_t description; /* string offset, 0 = none */
	uint32_t aliases;     /* first alias in the alias table */
	uint16_t n_aliases;
	uint16_t port_first;
	uint16_t port_last;
	uint8_t protocol;     /* enum iana_protocol, never NONE */
	uint8_t status;       /* enum iana_status of the first record */
	uint32_t unauthorized; /* string offset, 0 = none reported */
};

struct iana_index_name {
	uint32_t hash;
	uint32_t name;  /* string offset (canonical name or alias) */
	uint32_t entry;
};

struct iana_index_port {
	uint16_t port_first;
	uint16_t port_last;
	uint32_t entry;
};

struct iana_index_detail {
	uint32_t references; /* string offset: "RFC 6335, Section 4.3; ...", 0 = none */
	uint32_t assignees;  /* string offset: "Name <address>; ...", 0 = none */
};

struct iana_index_block {
	uint16_t port_first;
	uint16_t port_last;
	uint8_t protocol;     /* enum iana_protocol; 0 (NONE) = every protocol */
	uint8_t status;       /* enum iana_status, never ASSIGNED */
	uint16_t reserved;    /* zero */
	uint32_t description; /* string offset: "Reserved", "Unassigned", ... */
};

/* FNV-1a over the ASCII-lowercased bytes of NAME: equal for names equal
 * ignoring ASCII case (RFC 6335 service names compare case-insensitively).
 * Defined with the reader, which needs it. */
uint32_t iana_index_name_hash(const char *name);

/* ---- writer (needs the registry model; part of the shared parser) ---- */
struct iana_registry;
struct iana_service_table;

/* Write the index of TABLE (built from REGISTRY) to OUT.  0, or -1 on a
 * write or allocation failure (errno set).  OUT is not flushed. */
int iana_index_write(FILE *out, const struct iana_registry *registry,
		     const struct iana_service_table *table);

struct iana_load_options;
/* Load the registry file at PATH (any format the parser reads; it must be
 * a regular file) and build its index in memory.  On success returns
 * IANA_LOAD_OK (0) and sets *DATA to a malloc()ed buffer (aligned for any
 * type; release with free()) of *LEN bytes, ready for
 * iana_index_from_memory().  Otherwise returns an iana_load_result (< 0,
 * errno kept for IANA_LOAD_IO_ERROR) and leaves *DATA NULL.  Diagnostics
 * go to OPTIONS' callback (OPTIONS may be NULL: none); prints nothing. */
int iana_index_build_from_path(const char *path, const struct iana_load_options *options, void **data,
			       size_t *len);

/* ---- reader (libc only) ---- */
struct iana_index; /* an open, validated, immutable index */

enum iana_index_error {
	IANA_INDEX_OK = 0,
	IANA_INDEX_ERR_IO = -1,       /* open/fstat/mmap failed; errno set */
	IANA_INDEX_ERR_FORMAT = -2,   /* not an index, wrong version or byte order */
	IANA_INDEX_ERR_CORRUPT = -3,  /* truncated, bad checksum or bad tables */
	IANA_INDEX_ERR_NO_MEMORY = -4,
};

/* Map PATH read-only and validate it.  On success *out is set. */
int iana_index_open(const char *path, struct iana_index **out);
/* Validate LEN bytes at DATA (4-byte aligned, else ERR_FORMAT), which must
 * stay valid and unchanged until iana_index_close(); nothing is copied
 * (tests, fuzzing, embedding).  A path that is not a regular file, or is
 * over 1 GiB, gives ERR_FORMAT to iana_index_open(). */
int iana_index_from_memory(const void *data, size_t len, struct iana_index **out);
void iana_index_close(struct iana_index *index);
const char *iana_index_error_str(int error);

/* Identity of the file an index was opened from (0 for memory), so a
 * long-running reader can tell when the file was replaced. */
uint64_t iana_index_inode(const struct iana_index *index);
uint64_t iana_index_device(const struct iana_index *index);

/* One entry as the reader hands it out: pointers into the mapping. */
struct iana_index_service {
	const char *name;
	const char *description;  /* NULL when none */
	const char *unauthorized; /* NULL when none */
	const char *references;   /* NULL when none */
	const char *assignees;    /* NULL when none */
	uint16_t port_first, port_last;
	uint8_t protocol;
	uint8_t status;
	uint16_t n_aliases;
};

size_t iana_index_count(const struct iana_index *index);
/* Registry date of the index. */
void iana_index_updated(const struct iana_index *index, uint16_t *year, uint8_t *month, uint8_t *day);
/* Entry I (enumeration in registry order).  False when I is out of range
 * or the entry is damaged. */
bool iana_index_entry(const struct iana_index *index, size_t i, struct iana_index_service *out);
/* Alias A of entry I, or NULL. */
const char *iana_index_alias(const struct iana_index *index, size_t i, size_t a);

/* The first entry, in registry order, having NAME (ASCII case-insensitive)
 * as canonical name or alias, on PROTOCOL (IANA_PROTO_NONE = any).
 * Returns the entry number, or -1. */
long iana_index_find_name(const struct iana_index *index, const char *name, unsigned protocol);
/* The entry for PORT on PROTOCOL (IANA_PROTO_NONE = any, first in registry
 * order): a single-port entry if there is one, else the first named range
 * containing PORT.  Returns the entry number, or -1. */
long iana_index_find_port(const struct iana_index *index, uint16_t port, unsigned protocol);

/* Records without a service name (the blocks table). */
struct iana_index_unnamed {
	const char *description; /* "Reserved", "Unassigned", ...; never NULL */
	uint16_t port_first, port_last;
	uint8_t protocol; /* 0 = every protocol */
	uint8_t status;   /* enum iana_status */
};

size_t iana_index_block_count(const struct iana_index *index);
/* Block I in registry order.  False when I is out of range or the block is
 * damaged. */
bool iana_index_block(const struct iana_index *index, size_t i, struct iana_index_unnamed *out);

#endif /* SERVICE_INDEX_H */
