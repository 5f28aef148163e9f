/* index_format.h - the compiled services index: its on-disk format.  This
 * header is the one place the format is specified; the reader
 * (index_reader.h, libc only) and the writer (index_writer.h) follow it.
 *
 * The index holds the services view of a registry (iana_registry.h: one
 * entry per port or range and protocol, canonical name, aliases, in
 * registry order) in a form made for mmap: no parsing, no allocation per
 * lookup, lookups by name in O(log n) and by port in O(log n).  The reader
 * needs only libc: it never loads libxml2.
 *
 * FORMAT, version 3.  All integers are in the byte order of the host that
 * wrote the index (byte_order tells; a reader refuses the other order), all
 * offsets are from the start of the file, every table is 4-byte aligned.
 *
 *   header (struct iana_index_header, 72 bytes)
 *   entries   n_entries x struct iana_index_entry, registry order
 *   aliases   n_aliases x uint32_t string offsets; entry e's aliases are
 *             aliases[e.aliases .. e.aliases + e.n_aliases)
 *   names     n_names x struct iana_index_name: every canonical name and
 *             alias with its entry, sorted by (hash, entry); hash is
 *             FNV-1a of the name ASCII-lowercased (iana_fnv1a_casefold,
 *             fnv1a.h), as RFC 6335 names compare case-insensitively
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
 * exactly: header_size + tables + strings_size == total_size.  The string
 * table is padded with NULs to a multiple of 4, strings_size counting the
 * padding.  Rows of the names table with the same hash and entry keep the
 * canonical name first, then the aliases in order, so equal registries
 * give byte-identical indexes.  An entry whose name offset is 0, whose protocol is not 1-4 or
 * whose port_first > port_last is damaged.
 *
 * Source: registry_size and registry_crc32 are the size and the CRC-32 of
 * the registry file the index was built from, byte for byte, so that
 * "this index is stale" is a fact a tool can check (index_source.h);
 * registry_size 0 means unknown (built from standard input).
 *
 * Versions: 2 added the details and blocks tables (n_blocks took the
 * first reserved word); 3 gave the last two reserved words their meaning
 * above.  Readers accept 2 and 3 (a version-2 index has an unknown
 * source, its reserved words were zero) and refuse others as "not a
 * supported version".  Writers write 3.
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
#ifndef IANA_INDEX_FORMAT_H
#define IANA_INDEX_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IANA_INDEX_MAGIC "IANASVC\0"   /* 8 bytes */
#define IANA_INDEX_VERSION 3u        /* written */
#define IANA_INDEX_VERSION_MIN 2u    /* oldest read */
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
	uint32_t registry_size;  /* v3: size of the source registry, 0 = unknown */
	uint32_t registry_crc32; /* v3: its CRC-32 */
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

#endif /* IANA_INDEX_FORMAT_H */
