/* index_format.h - the compiled services index: its on-disk format.  This
 * header is the one place the format is specified; the reader
 * (index_reader.h, libc only) and the writer (index_writer.h) follow it.
 *
 * The index holds the services view of a registry (iana_registry.h: one
 * entry per port or range and protocol, canonical name, aliases, in
 * registry order) in a form made for mmap: no parsing, no allocation per
 * lookup; from version 5 a lookup by name reads eight bytes of a small
 * table of tags, then, unless that tells it the name is not there, one
 * row of the name table (32 bytes: the name it compares and, for a
 * canonical name, all of the answer); a lookup by port reads a word of a
 * port page, then its entry.  The reader needs only libc: it never loads
 * libxml2.
 *
 * FORMAT, version 5.  All integers are in the byte order of the host that
 * wrote the index (byte_order tells; a reader refuses the other order), all
 * offsets are from the start of the file, every table is 4-byte aligned.
 *
 *   header (struct iana_index_header, 128 bytes: the entries start on a
 *             64-byte boundary of the mapping)
 *   entries   n_entries x struct iana_index_entry_v4 (32 bytes, two to a
 *             cache line), registry order
 *   names     n_name_slots x struct iana_index_name_row (32 bytes, on
 *             32-byte boundaries of the mapping, since the entries are):
 *             the names, an open-addressing hash table (below)
 *   tags      n_name_slots + IANA_INDEX_TAG_MIRROR bytes: byte i is
 *             IANA_INDEX_NAME_TAG8 of row (i mod n_name_slots)'s tag, so
 *             that the tags of the eight rows from any row on are one
 *             8-byte load, even from the last rows
 *   aliases   n_aliases x uint32_t string offsets; entry e's aliases are
 *             aliases[e.aliases .. e.aliases + e.n_aliases)
 *   port_dir  IANA_INDEX_PORT_PROTOCOLS x IANA_INDEX_PORT_PAGES uint16_t:
 *             port_dir[(protocol - 1) * 256 + port / 256] is the page of
 *             ports port & ~255 .. port | 255 on that protocol (tcp, udp,
 *             sctp, dccp: protocols 1-4)
 *   pages     n_port_pages x IANA_INDEX_PAGE_PORTS uint32_t: the answer of
 *             each port of the page, page[port % 256]; page 0 is all zero
 *             and stands for every page without an answer
 *   details   n_entries x struct iana_index_detail_v4: entry e's
 *             description, unauthorized use, references and assignees as
 *             display text (the Wireshark plugin shows them; the NSS
 *             module never reads them)
 *   blocks    n_blocks x struct iana_index_block: every registry record
 *             with a port and no service name (Reserved, Unassigned,
 *             "De-registered", ...), in registry order, so that a reader
 *             can tell a reserved port from one the registry never lists
 *   strings   strings_size bytes of NUL-terminated strings; offset 0 holds
 *             "" and stands for "none"
 *
 * What an NSS answer reads is kept small and close together, so that a
 * process looking up names all over the registry finds most of it in the
 * processor's cache: a byte of tag per name row (for the 2026-08-17
 * registry 32 KiB, which stays cached), 32-byte name rows and entries (1
 * MiB of rows, 359 KiB of entries); the text only the plugin shows sits
 * apart.
 *
 * Names.  n_name_slots is a power of two, at least 8 and at least twice
 * the names (every canonical name and alias, one row each), so that at
 * least half the rows are empty and a miss ends within a few rows.  A
 * row's tag is 0 when it is empty (an empty row is all zero); otherwise it
 * is the name's fingerprint (IANA_INDEX_NAME_FINGERPRINT of
 * iana_name_hash(), name_hash.h) ORed with its entry's protocol (1-4, so
 * never 0) in the low three bits, so that a lookup on one protocol passes
 * over the other protocols' rows; its entry is the entry the name belongs
 * to, as canonical name (alias 0) or alias (alias 1); its name_text the
 * row's own name, NUL-padded, when that is shorter than
 * IANA_INDEX_NAME_TEXT bytes, else all NUL (the name is then the entry's
 * canonical name or one of its aliases, in the string table); port_first,
 * port_last and n_aliases are its entry's, so that a lookup of a canonical
 * name answers from the row alone.  A row's byte in the tags table is 0
 * when it is empty, else the top five bits of its fingerprint and its
 * protocol (IANA_INDEX_NAME_TAG8): a lookup reads the rows' tags from its
 * name's home on, and a row only where its byte says it may be the name
 * asked for.  iana_name_hash() hashes the name with
 * bit 0x20 set in every byte, so that names equal ignoring ASCII case (RFC
 * 6335 names compare so) hash alike, eight bytes a step as little-endian
 * words, at least two words (a name of up to 16 bytes is hashed as two,
 * the missing bytes zero).  A name's home row is
 * IANA_INDEX_NAME_HOME(fingerprint, log2 of n_name_slots); it sits in the
 * first empty row from there on (linear probing, wrapping).  Rows are
 * inserted in entry order, each entry's canonical name before its aliases
 * in order, so the first row found having a name is the first in registry
 * order that has it (rows of one fingerprint share a home and keep their
 * order).  No run of occupied rows (wrapping) is longer than
 * IANA_INDEX_MAX_RUN (a writer doubles the table until none is; the
 * 2026-08-17 registry's longest is 51 of 32,768 rows), so a lookup meets
 * an empty row within IANA_INDEX_MAX_RUN + 1 rows, whatever the file: its
 * work is bounded by a constant, not by the table.
 *
 * Ports.  The answer of a port on a protocol is 0 (none) or (e + 1) |
 * (IANA_INDEX_PORT_RANGE when e is a range), e being the single-port entry
 * for the port if there is one, else the first named range in registry
 * order containing it.  The answer for any protocol is the lowest such
 * single-port entry of the four protocols, else the lowest such range.
 *
 * Entries.  An entry's name_text (struct iana_index_entry_v4, versions 4
 * and 5) is its canonical name (the string at its name offset) NUL-padded
 * when the name is shorter than IANA_INDEX_NAME_TEXT bytes (RFC 6335 names
 * are at most 15), else all NUL.  A reader takes the name from name_text
 * when it is not empty, else from the string table; name_text's last byte
 * is NUL, else the entry is damaged.
 *
 * The tables follow each other with nothing between and fill the file
 * exactly: header_size + tables + strings_size == total_size.  The string
 * table is padded with NULs to a multiple of 4, strings_size counting the
 * padding.  Equal registries give byte-identical indexes.  An entry whose
 * name offset is 0, whose protocol is not 1-4 or whose port_first >
 * port_last is damaged; so is a name row whose name_text's last byte is
 * not NUL, whose entry is not below n_entries, whose protocol (in its
 * tag) is not 1-4 or whose port_first > port_last.
 *
 * Source: registry_size and registry_crc32 are the size and the CRC-32 of
 * the registry file the index was built from, byte for byte, so that
 * "this index is stale" is a fact a tool can check (index_source.h);
 * registry_size 0 means unknown (built from standard input).
 *
 * Versions: 2 added the details and blocks tables (n_blocks took the
 * first reserved word); 3 gave the last two reserved words their meaning
 * above; 4 replaced the sorted tables by the hash table of names and the
 * port pages; 5 made the name table's rows 32 bytes, each carrying its
 * name and its entry's answer, and added the tags.  Version 4 has 8-byte
 * slots (struct iana_index_slot: a row's tag and entry, under the same
 * rules, at least 2 of them) and no tags, its slots after the aliases
 * (entries, aliases, slots, port_dir, ...): a lookup by name read a slot,
 * then its entry.  Versions 2 and 3
 * have a 72-byte header (without n_name_slots and n_port_pages) and, in
 * place of slots, port_dir and pages, three sorted tables searched in
 * O(log n):
 *   names     n_names x struct iana_index_name sorted by (hash, entry),
 *             a canonical name before its entry's aliases, the hash being
 *             FNV-1a of the name ASCII-lowercased (iana_fnv1a_casefold(),
 *             fnv1a.h);
 *   ports     n_ports x struct iana_index_port, every single-port entry,
 *             sorted by (port, entry);
 *   ranges    n_ranges x struct iana_index_port, every entry whose
 *             port_first < port_last, in entry order.
 * Entries of versions 2 and 3 are struct iana_index_entry (24 bytes, the
 * description and unauthorized-use offsets in the entry), their details
 * struct iana_index_detail (8 bytes).  Versions 4 and 5 have n_names,
 * n_ports and n_ranges 0.  Readers accept 2 to 5 (a version-2 index has an
 * unknown source, its reserved words were zero) and refuse others as "not
 * a supported version"; the reading of 2, 3 and 4 goes with the next
 * release.  Writers write 5.
 *
 * checksum is CRC-32 (IEEE 802.3, as zlib's crc32) of bytes
 * [header_size, total_size).  A reader checks, when it maps the file:
 * magic, version, byte order, header size, total_size == file size, the
 * checksum, that every table lies inside the file, in the order above,
 * without overlap, that n_name_slots is a power of two of at least 8
 * (version 5; 2, version 4), that every byte of the tags is its row's,
 * that no run of occupied rows (slots) is longer than IANA_INDEX_MAX_RUN,
 * that the reserved words are zero (versions 4 and 5), and that the
 * string table ends with NUL.  On every use it checks each index and
 * offset it follows against its table and each row or entry it answers
 * from (a row's entry, protocol and ports, a page number, an answer's
 * entry, its port and protocol), so a corrupt index that passed the
 * checksum still cannot make it read out of bounds: it answers "not
 * found" or fails, never crashes.
 */
#ifndef IANA_INDEX_FORMAT_H
#define IANA_INDEX_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define IANA_INDEX_MAGIC "IANASVC\0"   /* 8 bytes */
#define IANA_INDEX_VERSION 5u        /* written */
#define IANA_INDEX_VERSION_MIN 2u    /* oldest read */
#define IANA_INDEX_BYTE_ORDER 0x01020304u
#define IANA_INDEX_V3_HEADER_SIZE 72u /* versions 2 and 3 */

/* Ports (version 4). */
#define IANA_INDEX_PORT_PROTOCOLS 4u  /* tcp, udp, sctp, dccp */
#define IANA_INDEX_PORT_PAGES 256u    /* pages per protocol */
#define IANA_INDEX_PAGE_PORTS 256u    /* ports per page */
#define IANA_INDEX_PORT_RANGE 0x80000000u /* answer flag: a range */

/* Home row of a name of hash H in a table of 2^BITS rows (versions 4, 5),
 * 1 <= BITS <= 31: the high bits of a multiplicative mix of the hash. */
#define IANA_INDEX_NAME_HOME(h, bits) ((uint32_t)((uint32_t)(h) * 0x9E3779B1u) >> (32u - (bits)))
/* A name's fingerprint (versions 4, 5): its hash without the low three
 * bits, which a row's tag gives to its entry's protocol. */
#define IANA_INDEX_NAME_FINGERPRINT(h) ((uint32_t)(h) & ~7u)
#define IANA_INDEX_SLOT_PROTOCOL(h) ((uint32_t)(h) & 7u)
#define IANA_INDEX_NAME_TEXT 16u /* name_text bytes of an entry and a name row */
/* A row's byte in the tags table (version 5) from its tag: the top five
 * bits of the fingerprint and the protocol, so 0 only for an empty row. */
#define IANA_INDEX_NAME_TAG8(tag) ((uint8_t)(((uint32_t)(tag) >> 24 & 0xF8u) | ((uint32_t)(tag) & 7u)))
#define IANA_INDEX_TAG_MIRROR 8u /* the tags of the first rows, again after the last */
#define IANA_INDEX_MAX_RUN 255u  /* longest run of occupied name rows (versions 4, 5) */

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
	uint32_t n_name_slots;   /* v4, v5: rows (slots) of the name table */
	uint32_t n_port_pages;   /* v4, v5: port pages, page 0 included */
	uint32_t reserved[12];   /* v4, v5: zero; the entries start at 128 */
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

/* An entry of versions 4 and 5: half a cache line. */
struct iana_index_entry_v4 {
	char name_text[IANA_INDEX_NAME_TEXT]; /* the name if shorter, NUL-padded */
	uint32_t name;        /* string offset of the canonical name */
	uint32_t aliases;     /* first alias in the alias table */
	uint16_t n_aliases;
	uint16_t port_first;
	uint16_t port_last;
	uint8_t protocol;     /* enum iana_protocol, never NONE */
	uint8_t status;       /* enum iana_status of the first record */
};

/* A row of the name table (version 5): half a cache line. */
struct iana_index_name_row {
	uint32_t tag;         /* fingerprint | protocol; 0 = empty */
	uint32_t entry;       /* the entry having the name */
	char name_text[IANA_INDEX_NAME_TEXT]; /* the row's name if shorter, NUL-padded */
	uint16_t port_first;  /* the entry's */
	uint16_t port_last;
	uint16_t n_aliases;
	uint8_t alias;        /* 1: the name is an alias of the entry; 0: its canonical name */
	uint8_t reserved;     /* zero */
};

/* A name slot (version 4). */
struct iana_index_slot {
	uint32_t tag;   /* fingerprint | protocol; 0 = empty */
	uint32_t entry; /* the entry having the name */
};

/* Whether the N rows of STRIDE bytes at TABLE (N a power of two), each
 * starting with its uint32_t tag (slots of version 4, rows of 5), hold a
 * run of occupied rows, wrapping, longer than IANA_INDEX_MAX_RUN (Names,
 * above): the rule's one definition, for the writer that keeps it and the
 * reader that checks it.  Stops at the first such run. */
static inline bool iana_index_run_too_long(const void *table, size_t stride, uint32_t n)
{
	const unsigned char *rows = (const unsigned char *)table;
	uint32_t run = 0;
	for (uint64_t k = 0; k < 2 * (uint64_t)n; k++) { /* twice round: a run may wrap */
		uint32_t tag;
		memcpy(&tag, rows + (size_t)(k & (n - 1)) * stride, sizeof(tag));
		run = tag != 0 ? run + 1 : 0;
		if (run > IANA_INDEX_MAX_RUN)
			return true;
	}
	return false;
}

/* A sorted names row (versions 2, 3). */
struct iana_index_name {
	uint32_t hash;
	uint32_t name;  /* string offset (canonical name or alias) */
	uint32_t entry;
};

/* A ports or ranges row (versions 2, 3). */
struct iana_index_port {
	uint16_t port_first;
	uint16_t port_last;
	uint32_t entry;
};

struct iana_index_detail {
	uint32_t references; /* string offset: "RFC 6335, Section 4.3; ...", 0 = none */
	uint32_t assignees;  /* string offset: "Name <address>; ...", 0 = none */
};

/* Version 4: the entry's texts the NSS module never reads. */
struct iana_index_detail_v4 {
	struct iana_index_detail detail;
	uint32_t description;  /* string offset, 0 = none */
	uint32_t unauthorized; /* string offset, 0 = none reported */
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
