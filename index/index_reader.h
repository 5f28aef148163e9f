/* index_reader.h - the reader of the compiled services index
 * (index_format.h): open or take a mapping, validate it once, then answer
 * enumeration and lookups by name and by port without allocating.  libc
 * only: the NSS module compiles it without any libxml2 flag.  An open
 * index is immutable, so any number of threads may use it at once. */
#ifndef IANA_INDEX_READER_H
#define IANA_INDEX_READER_H

#include "file_id.h"
#include "index_format.h"
#include "index_source.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
/* The same for the file open on FD (which stays the caller's to close). */
int iana_index_open_fd(int fd, struct iana_index **out);
/* Validate LEN bytes at DATA (4-byte aligned, else ERR_FORMAT), which must
 * stay valid and unchanged until iana_index_close(); nothing is copied
 * (tests, fuzzing, embedding).  A path that is not a regular file, or is
 * over 1 GiB, gives ERR_FORMAT to iana_index_open() and _open_fd(). */
int iana_index_from_memory(const void *data, size_t len, struct iana_index **out);
void iana_index_close(struct iana_index *index);
const char *iana_index_error_str(int error);

/* Identity of the file an index was mapped from, as fstat() gave it when
 * it was opened (all zero for memory), so that a long-running reader can
 * tell when its path names another file without a second stat(). */
const struct iana_file_id *iana_index_file_id(const struct iana_index *index);
/* The format version of the file (index_format.h): 2 to
 * IANA_INDEX_VERSION.  Older than IANA_INDEX_VERSION: answers as well,
 * and is to be rewritten (update-iana-services --reindex does). */
unsigned iana_index_version(const struct iana_index *index);
/* The registry the index was built from (index_format.h).  False when
 * unknown: a version-2 index, or one built from standard input. */
bool iana_index_source(const struct iana_index *index, struct iana_index_source *out);

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
/* What an NSS answer needs of entry I, and nothing else: the details
 * table is not read and no text but the name is looked up (the NSS
 * module's per-lookup cost).  False when I is out of range or the entry
 * is damaged. */
struct iana_index_answer {
	const char *name;
	size_t name_len; /* strlen(name) */
	bool name_padded; /* NAME is 16 readable bytes, NUL after the name (name_len < 16) */
	uint16_t port_first, port_last;
	uint16_t n_aliases;
	uint8_t protocol; /* 1-4 */
};
bool iana_index_answer(const struct iana_index *index, size_t i, struct iana_index_answer *out);
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
/* The same two, with the answer of the entry found (as iana_index_answer()
 * gives it) in *OUT when the result is not -1: one call and one check per
 * lookup.  In a version-5 index a canonical name is answered from its row
 * of the name table, which repeats its entry's answer, without reading
 * the entry; so in a damaged index whose checksum matches, the entry
 * returned by name may be one iana_index_entry() cannot read.  *OUT is
 * still an answer that holds together (a name, ports in order, a protocol
 * 1-4). */
long iana_index_find_name_answer(const struct iana_index *index, const char *name, unsigned protocol,
				 struct iana_index_answer *out);
long iana_index_find_port_answer(const struct iana_index *index, uint16_t port, unsigned protocol,
				 struct iana_index_answer *out);

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

#endif /* IANA_INDEX_READER_H */
