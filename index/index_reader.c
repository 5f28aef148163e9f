/* index_reader.c - the reader of the compiled services index (see
 * index_reader.h for its contract, index_format.h for the format).
 *
 * libc only: the NSS module links this file with common/ and nothing of
 * the registry library.  The protocol numbers below mirror enum
 * iana_protocol.
 *
 * Choices the format leaves open:
 *  - the tables must fill the file exactly (header_size + tables +
 *    strings_size == total_size), not merely fit in it;
 *  - a path that is not a regular file, or a file over 1 GiB, is
 *    IANA_INDEX_ERR_FORMAT; an empty or short file IANA_INDEX_ERR_CORRUPT
 *    (IANA_INDEX_ERR_FORMAT if it is long enough to show a wrong magic);
 *  - iana_index_from_memory() wants DATA 4-byte aligned (any malloc or
 *    mmap is) and answers IANA_INDEX_ERR_FORMAT otherwise. */
#include "crc32.h"
#include "fnv1a.h"
#include "index_reader.h"
#include "name_hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROTO_ANY 0   /* IANA_PROTO_NONE */
#define PROTO_COUNT 5 /* IANA_PROTO_COUNT */
#define MAX_INDEX_SIZE (1u << 30)

/* The layout is the structs' in-memory form: no padding may creep in. */
_Static_assert(sizeof(struct iana_index_header) == 128, "header is 128 bytes");
_Static_assert(offsetof(struct iana_index_header, n_name_slots) == IANA_INDEX_V3_HEADER_SIZE,
	       "a version-3 header is the first 72 bytes");
_Static_assert(sizeof(struct iana_index_entry) == 24, "entry is 24 bytes");
_Static_assert(sizeof(struct iana_index_entry_v4) == 32, "a version-4 entry is 32 bytes");
_Static_assert(sizeof(struct iana_index_slot) == 8, "a name slot is 8 bytes");
_Static_assert(sizeof(struct iana_index_name_row) == 32, "a name row is 32 bytes");
_Static_assert(IANA_INDEX_NAME_TEXT == 16, "index_reader.h promises 16 bytes of a padded name");
_Static_assert(sizeof(struct iana_index_detail_v4) == 16, "a version-4 detail row is 16 bytes");
_Static_assert(sizeof(struct iana_index_name) == 12, "name row is 12 bytes");
_Static_assert(sizeof(struct iana_index_port) == 8, "port row is 8 bytes");
_Static_assert(sizeof(struct iana_index_detail) == 8, "detail row is 8 bytes");
_Static_assert(sizeof(struct iana_index_block) == 12, "block row is 12 bytes");

struct iana_index {
	const unsigned char *base;
	size_t size;
	bool mapped; /* munmap on close */
	struct iana_file_id file; /* zero for memory */
	struct iana_index_source source;
	uint16_t year;
	uint8_t month, day;
	uint32_t version;
	const unsigned char *entries;
	const uint32_t *aliases;
	const struct iana_index_name *names; /* v2, v3: sorted */
	const struct iana_index_port *ports;  /* v2, v3 */
	const struct iana_index_port *ranges; /* v2, v3 */
	const struct iana_index_slot *slots_v4; /* v4 */
	const struct iana_index_name_row *rows; /* v5 */
	const unsigned char *tags;              /* v5: n_name_slots + IANA_INDEX_TAG_MIRROR */
	const uint16_t *port_dir;             /* v4 */
	const uint32_t *pages;                /* v4 */
	uint32_t n_name_slots, slot_bits, n_port_pages;
	const struct iana_index_detail *details;       /* v2, v3: n_entries rows */
	const struct iana_index_detail_v4 *details_v4; /* v4: n_entries rows */
	const struct iana_index_block *blocks;
	const char *strings;
	uint32_t n_entries, n_aliases, n_names, n_ports, n_ranges, n_blocks, strings_size;
};

const char *iana_index_error_str(int error)
{
	switch (error) {
	case IANA_INDEX_OK:
		return "success";
	case IANA_INDEX_ERR_IO:
		return "cannot read the index file";
	case IANA_INDEX_ERR_FORMAT:
		return "not a services index of a supported version and byte order";
	case IANA_INDEX_ERR_CORRUPT:
		return "the services index is truncated or corrupt";
	case IANA_INDEX_ERR_NO_MEMORY:
		return "out of memory";
	default:
		return "unknown services index error";
	}
}

/* Whether the N + IANA_INDEX_TAG_MIRROR bytes at TAGS are the tags of the
 * N name rows at ROWS (version 5). */
static bool tags_sound(const unsigned char *rows, const unsigned char *tags, uint32_t n)
{
	for (uint64_t i = 0; i < (uint64_t)n + IANA_INDEX_TAG_MIRROR; i++) {
		uint32_t tag;
		memcpy(&tag, rows + (size_t)(i & (n - 1)) * sizeof(struct iana_index_name_row), sizeof(tag));
		if (tags[i] != IANA_INDEX_NAME_TAG8(tag))
			return false;
	}
	return true;
}

/* Check the header and layout of the LEN bytes at DATA and fill INDEX. */
static int validate(const unsigned char *data, size_t len, struct iana_index *index)
{
	struct iana_index_header h;
	memset(&h, 0, sizeof(h));
	if (len < IANA_INDEX_V3_HEADER_SIZE) {
		if (len >= sizeof(h.magic) && memcmp(data, IANA_INDEX_MAGIC, sizeof(h.magic)) != 0)
			return IANA_INDEX_ERR_FORMAT;
		return IANA_INDEX_ERR_CORRUPT;
	}
	memcpy(&h, data, IANA_INDEX_V3_HEADER_SIZE);
	if (memcmp(h.magic, IANA_INDEX_MAGIC, sizeof(h.magic)) != 0 || h.version < IANA_INDEX_VERSION_MIN ||
	    h.version > IANA_INDEX_VERSION ||
	    h.byte_order != IANA_INDEX_BYTE_ORDER)
		return IANA_INDEX_ERR_FORMAT;
	bool v4 = h.version >= 4, v5 = h.version >= 5;
	uint32_t header_size = v4 ? sizeof(h) : IANA_INDEX_V3_HEADER_SIZE;
	if (h.header_size != header_size || h.total_size != len || len < header_size)
		return IANA_INDEX_ERR_CORRUPT;
	memcpy(&h, data, header_size);
	uint32_t slot_bits = 0;
	if (v4) {
		if (h.n_names != 0 || h.n_ports != 0 || h.n_ranges != 0 || h.n_port_pages == 0 ||
		    h.n_name_slots < (v5 ? 8u : 2u) || (h.n_name_slots & (h.n_name_slots - 1)) != 0)
			return IANA_INDEX_ERR_CORRUPT;
		/* The checksum does not cover the header: its padding is
		 * checked here. */
		for (size_t r = 0; r < sizeof h.reserved / sizeof h.reserved[0]; r++)
			if (h.reserved[r] != 0)
				return IANA_INDEX_ERR_CORRUPT;
		while ((1u << slot_bits) < h.n_name_slots)
			slot_bits++;
	}

	/* Tables in order, each right after the previous one; 64-bit sums of
	 * 32-bit counts times small sizes cannot overflow.  An index of
	 * version 4 or 5 has no names, ports or ranges rows, one of version 3
	 * no name table, port directory or pages; version 5 has its name rows
	 * after the entries, version 4 its slots after the ranges. */
	uint64_t at = h.header_size;
	uint64_t entries = at;
	size_t entry_size = v4 ? sizeof(struct iana_index_entry_v4) : sizeof(struct iana_index_entry);
	at += (uint64_t)h.n_entries * entry_size;
	uint64_t rows = at;
	if (v5)
		at += (uint64_t)h.n_name_slots * sizeof(struct iana_index_name_row);
	uint64_t tags = at;
	if (v5)
		at += (uint64_t)h.n_name_slots + IANA_INDEX_TAG_MIRROR;
	uint64_t aliases = at;
	at += (uint64_t)h.n_aliases * sizeof(uint32_t);
	uint64_t names = at;
	at += (uint64_t)h.n_names * sizeof(struct iana_index_name);
	uint64_t ports = at;
	at += (uint64_t)h.n_ports * sizeof(struct iana_index_port);
	uint64_t ranges = at;
	at += (uint64_t)h.n_ranges * sizeof(struct iana_index_port);
	uint64_t slots = at;
	if (!v5)
		at += (uint64_t)h.n_name_slots * sizeof(struct iana_index_slot);
	uint64_t port_dir = at;
	if (v4)
		at += (uint64_t)IANA_INDEX_PORT_PROTOCOLS * IANA_INDEX_PORT_PAGES * sizeof(uint16_t);
	uint64_t pages = at;
	at += (uint64_t)h.n_port_pages * IANA_INDEX_PAGE_PORTS * sizeof(uint32_t);
	uint64_t details = at;
	at += (uint64_t)h.n_entries * (v4 ? sizeof(struct iana_index_detail_v4) : sizeof(struct iana_index_detail));
	uint64_t blocks = at;
	at += (uint64_t)h.n_blocks * sizeof(struct iana_index_block);
	uint64_t strings = at;
	at += h.strings_size;
	if (at != len || h.strings_size == 0)
		return IANA_INDEX_ERR_CORRUPT;
	if (data[strings] != '\0' || data[len - 1] != '\0')
		return IANA_INDEX_ERR_CORRUPT;
	if (iana_crc32(0, data + h.header_size, len - h.header_size) != h.checksum)
		return IANA_INDEX_ERR_CORRUPT;

	if (v5 ? !tags_sound(data + rows, data + tags, h.n_name_slots) ||
		     iana_index_run_too_long(data + rows, sizeof(struct iana_index_name_row), h.n_name_slots)
	       : v4 && iana_index_run_too_long(data + slots, sizeof(struct iana_index_slot), h.n_name_slots))
		return IANA_INDEX_ERR_CORRUPT;

	index->base = data;
	index->size = len;
	index->version = h.version;
	index->year = h.updated_year;
	index->month = h.updated_month;
	index->day = h.updated_day;
	if (h.version >= 3 && h.registry_size != 0)
		index->source = (struct iana_index_source){h.registry_size, h.registry_crc32};
	index->entries = data + entries;
	index->aliases = (const uint32_t *)(const void *)(data + aliases);
	index->names = (const struct iana_index_name *)(const void *)(data + names);
	index->ports = (const struct iana_index_port *)(const void *)(data + ports);
	index->ranges = (const struct iana_index_port *)(const void *)(data + ranges);
	index->slots_v4 = (const struct iana_index_slot *)(const void *)(data + slots);
	index->rows = (const struct iana_index_name_row *)(const void *)(data + rows);
	index->tags = data + tags;
	index->port_dir = (const uint16_t *)(const void *)(data + port_dir);
	index->pages = (const uint32_t *)(const void *)(data + pages);
	index->details = (const struct iana_index_detail *)(const void *)(data + details);
	index->details_v4 = (const struct iana_index_detail_v4 *)(const void *)(data + details);
	index->blocks = (const struct iana_index_block *)(const void *)(data + blocks);
	index->strings = (const char *)(data + strings);
	index->n_entries = h.n_entries;
	index->n_aliases = h.n_aliases;
	index->n_names = h.n_names;
	index->n_ports = h.n_ports;
	index->n_ranges = h.n_ranges;
	index->n_name_slots = h.n_name_slots;
	index->slot_bits = slot_bits;
	index->n_port_pages = h.n_port_pages;
	index->n_blocks = h.n_blocks;
	index->strings_size = h.strings_size;
	return IANA_INDEX_OK;
}

int iana_index_from_memory(const void *data, size_t len, struct iana_index **out)
{
	*out = NULL;
	if (data == NULL || ((uintptr_t)data & 3) != 0)
		return IANA_INDEX_ERR_FORMAT;
	struct iana_index *index = calloc(1, sizeof(*index));
	if (index == NULL)
		return IANA_INDEX_ERR_NO_MEMORY;
	int rc = validate(data, len, index);
	if (rc != IANA_INDEX_OK) {
		free(index);
		return rc;
	}
	*out = index;
	return IANA_INDEX_OK;
}

int iana_index_open(const char *path, struct iana_index **out)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return IANA_INDEX_ERR_IO;
	int rc = iana_index_open_fd(fd, out);
	int saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

int iana_index_open_fd(int fd, struct iana_index **out)
{
	*out = NULL;
	struct stat st;
	if (fstat(fd, &st) < 0)
		return IANA_INDEX_ERR_IO;
	if (!S_ISREG(st.st_mode) || st.st_size > (off_t)MAX_INDEX_SIZE)
		return IANA_INDEX_ERR_FORMAT;
	if (st.st_size == 0)
		return IANA_INDEX_ERR_CORRUPT;
	size_t len = (size_t)st.st_size;
	void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return IANA_INDEX_ERR_IO;
	struct iana_index *index = calloc(1, sizeof(*index));
	if (index == NULL) {
		munmap(map, len);
		return IANA_INDEX_ERR_NO_MEMORY;
	}
	int rc = validate(map, len, index);
	if (rc != IANA_INDEX_OK) {
		munmap(map, len);
		free(index);
		return rc;
	}
	index->mapped = true;
	index->file = iana_file_id_of(&st);
	*out = index;
	return IANA_INDEX_OK;
}

void iana_index_close(struct iana_index *index)
{
	if (index == NULL)
		return;
	if (index->mapped)
		munmap((void *)index->base, index->size);
	free(index);
}

const struct iana_file_id *iana_index_file_id(const struct iana_index *index)
{
	return &index->file;
}

bool iana_index_source(const struct iana_index *index, struct iana_index_source *out)
{
	*out = index->source;
	return index->source.size != 0;
}

size_t iana_index_count(const struct iana_index *index)
{
	return index->n_entries;
}

void iana_index_updated(const struct iana_index *index, uint16_t *year, uint8_t *month, uint8_t *day)
{
	*year = index->year;
	*month = index->month;
	*day = index->day;
}

/* String at OFFSET, or NULL when OFFSET is outside the table.  The table
 * ends with NUL (checked at open), so the string ends inside it. */
static const char *string_at(const struct iana_index *index, uint32_t offset)
{
	return offset < index->strings_size ? index->strings + offset : NULL;
}

/* ---- entries: one view of both layouts ---- */

/* An entry of either layout, checked (entry_get()). */
struct entry_view {
	const char *name;
	uint32_t description, unauthorized; /* string offsets, 0 = none */
	uint32_t aliases;
	uint16_t n_aliases;
	uint16_t port_first, port_last;
	uint8_t protocol, status;
};

static const struct iana_index_entry_v4 *entry_v4(const struct iana_index *index, uint64_t i)
{
	return (const struct iana_index_entry_v4 *)(const void *)(index->entries +
								   i * sizeof(struct iana_index_entry_v4));
}

static const struct iana_index_entry *entry_v3(const struct iana_index *index, uint64_t i)
{
	return (const struct iana_index_entry *)(const void *)(index->entries + i * sizeof(struct iana_index_entry));
}

/* Whether the version-4 entry E is sound: what every answer relies on.
 * Inline: it is checked for every entry a lookup reads. */
static inline __attribute__((always_inline)) bool entry_v4_sound(const struct iana_index *index, const struct iana_index_entry_v4 *e)
{
	return e->name_text[IANA_INDEX_NAME_TEXT - 1] == '\0' && e->name != 0 && e->name < index->strings_size &&
	       e->protocol != PROTO_ANY && e->protocol < PROTO_COUNT && e->port_first <= e->port_last &&
	       (uint64_t)e->aliases + e->n_aliases <= index->n_aliases;
}

/* The canonical name of the sound version-4 entry E. */
static const char *entry_v4_name(const struct iana_index *index, const struct iana_index_entry_v4 *e)
{
	return e->name_text[0] != '\0' ? e->name_text : index->strings + e->name;
}

/* The length of the name in E's name_text (not empty, NUL-padded, its
 * last byte NUL): the first zero byte of its two words, without a call
 * or a branch on the length. */
static size_t name_text_len(const struct iana_index_entry_v4 *e)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t w0 = iana_name_load8((const unsigned char *)e->name_text);
	uint64_t w1 = iana_name_load8((const unsigned char *)e->name_text + 8);
	/* The lowest byte flagged is the first zero byte (a borrow only
	 * flags bytes above it); byte 15 is zero, so z1 is never 0. */
	uint64_t z0 = (w0 - ones) & ~w0 & high, z1 = (w1 - ones) & ~w1 & high;
	size_t in_first = (size_t)__builtin_ctzll(z0 | 1ull << 63) / 8;
	size_t in_second = 8 + (size_t)__builtin_ctzll(z1) / 8;
	/* A mask, not ?: (which gcc makes a jump, mispredicted for names
	 * around 8 bytes long). */
	size_t first_word = (size_t)0 - (size_t)(z0 != 0);
	return in_second ^ ((in_first ^ in_second) & first_word);
}

/* *OUT: the answer of the sound version-4 entry E, whose canonical name
 * is NAME_LEN bytes long (SIZE_MAX: not known yet). */
static void answer_v4(const struct iana_index *index, const struct iana_index_entry_v4 *e, size_t name_len,
		      struct iana_index_answer *out)
{
	const char *name = entry_v4_name(index, e);
	bool padded = name == e->name_text;
	if (name_len == SIZE_MAX)
		name_len = padded ? name_text_len(e) : strlen(name);
	*out = (struct iana_index_answer){
		.name = name,
		.name_len = name_len,
		.name_padded = padded,
		.port_first = e->port_first,
		.port_last = e->port_last,
		.n_aliases = e->n_aliases,
		.protocol = e->protocol,
	};
}

/* Entry I in *OUT if it is in range and sound, else false. */
static bool entry_get(const struct iana_index *index, uint64_t i, struct entry_view *out)
{
	if (i >= index->n_entries)
		return false;
	if (index->version >= 4) {
		const struct iana_index_entry_v4 *e = entry_v4(index, i);
		const struct iana_index_detail_v4 *d = &index->details_v4[i];
		if (!entry_v4_sound(index, e))
			return false;
		/* Texts of the details row outside the strings are left out,
		 * as its references and assignees are: the finders, which
		 * never read that row, return the entry all the same. */
		uint32_t description = d->description < index->strings_size ? d->description : 0;
		uint32_t unauthorized = d->unauthorized < index->strings_size ? d->unauthorized : 0;
		*out = (struct entry_view){entry_v4_name(index, e), description, unauthorized, e->aliases,
					   e->n_aliases, e->port_first, e->port_last, e->protocol, e->status};
		return true;
	}
	const struct iana_index_entry *e = entry_v3(index, i);
	if (e->name == 0 || e->name >= index->strings_size || e->description >= index->strings_size ||
	    e->unauthorized >= index->strings_size || e->protocol == PROTO_ANY || e->protocol >= PROTO_COUNT ||
	    e->port_first > e->port_last || (uint64_t)e->aliases + e->n_aliases > index->n_aliases)
		return false;
	*out = (struct entry_view){index->strings + e->name, e->description, e->unauthorized, e->aliases,
				   e->n_aliases, e->port_first, e->port_last, e->protocol, e->status};
	return true;
}

static void answer_of(const struct entry_view *e, struct iana_index_answer *out)
{
	*out = (struct iana_index_answer){
		.name = e->name,
		.name_len = strlen(e->name),
		.port_first = e->port_first,
		.port_last = e->port_last,
		.n_aliases = e->n_aliases,
		.protocol = e->protocol,
	};
}

bool iana_index_answer(const struct iana_index *index, size_t i, struct iana_index_answer *out)
{
	struct entry_view e;
	if (!entry_get(index, i, &e))
		return false;
	answer_of(&e, out);
	return true;
}

bool iana_index_entry(const struct iana_index *index, size_t i, struct iana_index_service *out)
{
	struct entry_view e;
	if (!entry_get(index, i, &e))
		return false;
	*out = (struct iana_index_service){
		.name = e.name,
		.description = e.description ? index->strings + e.description : NULL,
		.unauthorized = e.unauthorized ? index->strings + e.unauthorized : NULL,
		.port_first = e.port_first,
		.port_last = e.port_last,
		.protocol = e.protocol,
		.status = e.status,
		.n_aliases = e.n_aliases,
	};
	const struct iana_index_detail *d = index->version >= 4 ? &index->details_v4[i].detail : &index->details[i];
	out->references = d->references ? string_at(index, d->references) : NULL;
	out->assignees = d->assignees ? string_at(index, d->assignees) : NULL;
	return true;
}

const char *iana_index_alias(const struct iana_index *index, size_t i, size_t a)
{
	struct entry_view e;
	if (!entry_get(index, i, &e) || a >= e.n_aliases)
		return NULL;
	uint32_t offset = index->aliases[e.aliases + a];
	return offset == 0 ? NULL : string_at(index, offset);
}

/* ---- by name ---- */

/* ASCII-only case-insensitive equality: strcasecmp() follows the locale
 * (Turkish dotless i), service names do not. */
static bool same_name(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return false;
		if (x == '\0')
			return true;
	}
}

static bool protocol_matches(unsigned entry_protocol, unsigned protocol)
{
	return protocol == PROTO_ANY || entry_protocol == protocol;
}

/* Whether the string at OFFSET is NAME (LEN bytes), ignoring ASCII case. */
static bool string_is(const struct iana_index *index, uint32_t offset, const char *name, size_t len)
{
	/* The LEN bytes and the NUL lie inside the table. */
	if (offset == 0 || offset >= index->strings_size || len >= index->strings_size - offset)
		return false;
	const char *s = index->strings + offset;
	return s[len] == '\0' && iana_name_equal(s, name, len);
}

/* Whether the sound version-4 entry E has NAME (LEN bytes) as a name
 * its name_text does not hold: a long canonical name, or an alias. */
static bool entry_v4_has_name(const struct iana_index *index, const struct iana_index_entry_v4 *e, const char *name,
			      size_t len)
{
	if (e->name_text[0] == '\0' && string_is(index, e->name, name, len))
		return true;
	for (uint32_t a = 0; a < e->n_aliases; a++)
		if (string_is(index, index->aliases[e->aliases + a], name, len))
			return true;
	return false;
}

/* Whether two names of up to 16 bytes, as their words, are equal ignoring
 * ASCII case.  Out of line: inlined, gcc folded the query's words before
 * the probe on every lookup, although names are mostly asked for as the
 * registry spells them. */
__attribute__((noinline)) static bool words_equal_folded(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
	return iana_name_fold(a0) == iana_name_fold(b0) && iana_name_fold(a1) == iana_name_fold(b1);
}

/* The hash of NAME, a C string of LEN >= 1 bytes (name_hash.h), and, for
 * up to 16 bytes, its two words in *Q0 and *Q1 (else 0): what a lookup of
 * version 4 or 5 probes for and compares. */
static inline __attribute__((always_inline)) uint32_t query_hash(const char *name, size_t len, uint64_t *q0,
								 uint64_t *q1)
{
	*q0 = *q1 = 0;
	if (len > 16)
		return iana_name_hash(name, len);
	iana_name_words16_cstr(name, len, q0, q1);
	return iana_name_hash16(*q0, *q1, len);
}

/* Version 4: probe the slots from NAME's home (NAME is LEN >= 1 bytes).
 * A row of another protocol is passed over by its tag; a name shorter
 * than name_text is compared with it as two words, no loop and no string
 * table; anything else (a long name, an alias) with the strings. */
static long find_name_v4(const struct iana_index *index, const char *name, size_t len, unsigned protocol,
			 struct iana_index_answer *out)
{
	uint64_t q0, q1;
	bool inline_name = len < IANA_INDEX_NAME_TEXT;
	uint32_t hash = query_hash(name, len, &q0, &q1);
	uint32_t want = IANA_INDEX_NAME_FINGERPRINT(hash) | protocol;
	uint32_t care = protocol == PROTO_ANY ? ~7u : ~0u;
	uint32_t mask = index->n_name_slots - 1;
	uint32_t i = IANA_INDEX_NAME_HOME(IANA_INDEX_NAME_FINGERPRINT(hash), index->slot_bits);
	/* An empty slot comes within IANA_INDEX_MAX_RUN + 1 (checked at open). */
	for (uint32_t n = 0; n <= IANA_INDEX_MAX_RUN; n++, i = (i + 1) & mask) {
		const struct iana_index_slot slot = index->slots_v4[i];
		if (slot.tag == 0)
			return -1;
		if ((slot.tag & care) != want || slot.entry >= index->n_entries)
			continue;
		const struct iana_index_entry_v4 *e = entry_v4(index, slot.entry);
		if (!entry_v4_sound(index, e) || !protocol_matches(e->protocol, protocol))
			continue;
		if (inline_name) {
			/* name_text is NUL-padded, as q0 and q1 are zero-padded:
			 * equal words are equal names. */
			uint64_t e0 = iana_name_load8((const unsigned char *)e->name_text);
			uint64_t e1 = iana_name_load8((const unsigned char *)e->name_text + 8);
			if (((q0 ^ e0) | (q1 ^ e1)) == 0 || words_equal_folded(q0, q1, e0, e1)) {
				answer_v4(index, e, len, out);
				return (long)slot.entry;
			}
		}
		if (entry_v4_has_name(index, e, name, len)) {
			answer_v4(index, e, SIZE_MAX, out);
			return (long)slot.entry;
		}
	}
	return -1;
}

/* *OUT: the answer of the version-5 row ROW, which has the name asked
 * for, NAME_LEN bytes long; false when the row or its entry is damaged.
 * A canonical name in name_text is answered from the row alone. */
static inline __attribute__((always_inline)) bool row_answer(const struct iana_index *index,
							     const struct iana_index_name_row *row,
							     size_t name_len, struct iana_index_answer *out)
{
	unsigned protocol = IANA_INDEX_SLOT_PROTOCOL(row->tag);
	/* (Its name_text ends with NUL: the name compared equal to one
	 * shorter than name_text, or name_text is empty.) */
	if (row->entry >= index->n_entries || protocol == PROTO_ANY || protocol >= PROTO_COUNT ||
	    row->port_first > row->port_last)
		return false;
	if (!row->alias && row->name_text[0] != '\0') {
		*out = (struct iana_index_answer){
			.name = row->name_text,
			.name_len = name_len,
			.name_padded = true,
			.port_first = row->port_first,
			.port_last = row->port_last,
			.n_aliases = row->n_aliases,
			.protocol = (uint8_t)protocol,
		};
		return true;
	}
	const struct iana_index_entry_v4 *e = entry_v4(index, row->entry);
	if (!entry_v4_sound(index, e))
		return false;
	answer_v4(index, e, SIZE_MAX, out);
	return true;
}

/* Whether the version-5 row ROW, whose tag is the one wanted, is NAME
 * (LEN bytes; Q0 and Q1 its words when it is shorter than name_text): *OUT
 * is then its answer.  A name shorter than name_text is compared with the
 * row's as two words, no loop and no string table; a longer one only with
 * rows whose name_text is empty, in the strings. */
static inline __attribute__((always_inline)) bool row_is(const struct iana_index *index,
							 const struct iana_index_name_row *row, const char *name,
							 size_t len, uint64_t q0, uint64_t q1,
							 struct iana_index_answer *out)
{
	if (len < IANA_INDEX_NAME_TEXT) {
		/* name_text is NUL-padded, as q0 and q1 are zero-padded:
		 * equal words are equal names. */
		uint64_t r0 = iana_name_load8((const unsigned char *)row->name_text);
		uint64_t r1 = iana_name_load8((const unsigned char *)row->name_text + 8);
		if (((q0 ^ r0) | (q1 ^ r1)) != 0 && !words_equal_folded(q0, q1, r0, r1))
			return false;
	} else if (row->name_text[0] != '\0' || row->entry >= index->n_entries ||
		   !entry_v4_sound(index, entry_v4(index, row->entry)) ||
		   !entry_v4_has_name(index, entry_v4(index, row->entry), name, len)) {
		return false;
	}
	return row_answer(index, row, len, out);
}

/* The high bit of each zero byte of W, and no other bit. */
static inline uint64_t zero_bytes(uint64_t w)
{
	const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full;
	return ~(((w & low7) + low7) | w | low7);
}

/* Version 5: NAME (LEN >= 1 bytes) from its home row on.  The tags of
 * the eight rows from the home on are one load, tested without a branch:
 * two masks of bytes give the first row that is empty (the name is not
 * there) or whose tag may be the name's on PROTOCOL, the only row read.
 * (A jump per row, taken or not as the rows happen to be filled, was
 * mispredicted in every lookup whose name was not at its home, and a
 * miss read the rows themselves, 32 bytes each, until an empty one.)
 * Past those eight, or past a row whose tag matched but whose name did
 * not, the tags are tested one by one. */
static long find_name_v5(const struct iana_index *index, const char *name, size_t len, unsigned protocol,
			 struct iana_index_answer *out)
{
	uint64_t q0, q1;
	uint32_t hash = query_hash(name, len, &q0, &q1);
	uint32_t want = IANA_INDEX_NAME_FINGERPRINT(hash) | protocol;
	uint32_t care = protocol == PROTO_ANY ? ~7u : ~0u;
	uint8_t want8 = IANA_INDEX_NAME_TAG8(want), care8 = IANA_INDEX_NAME_TAG8(care);
	uint32_t mask = index->n_name_slots - 1;
	uint32_t home = IANA_INDEX_NAME_HOME(IANA_INDEX_NAME_FINGERPRINT(hash), index->slot_bits);
	const struct iana_index_name_row *rows = index->rows;

	/* The home row is where the name mostly is: its line is asked for
	 * now, while the tags are read and tested, not after. */
	__builtin_prefetch(&rows[home]);
	const uint64_t ones = 0x0101010101010101ull;
	uint64_t tags = iana_name_load8(index->tags + home); /* rows home .. home + 7, little-endian */
	uint64_t empty = zero_bytes(tags), match = zero_bytes((tags & care8 * ones) ^ want8 * ones);
	uint32_t n = IANA_INDEX_TAG_MIRROR;
	if ((empty | match) != 0) {
		/* An empty row ends the probe, even where its tag 0 is the one
		 * wanted (a fingerprint whose top bits are 0, on any protocol). */
		unsigned first = (unsigned)__builtin_ctzll(empty | match) / 8;
		if (empty >> (8 * first) & 0x80)
			return -1;
		const struct iana_index_name_row *row = &rows[(home + first) & mask];
		if ((row->tag & care) == want && row_is(index, row, name, len, q0, q1, out))
			return (long)row->entry;
		n = first + 1;
	}
	/* An empty row comes within IANA_INDEX_MAX_RUN + 1 (checked at open). */
	for (uint32_t i = (home + n) & mask; n <= IANA_INDEX_MAX_RUN; n++, i = (i + 1) & mask) {
		uint8_t tag8 = index->tags[i];
		if (tag8 == 0)
			return -1;
		if ((tag8 & care8) != want8)
			continue;
		const struct iana_index_name_row *row = &rows[i];
		if ((row->tag & care) == want && row_is(index, row, name, len, q0, q1, out))
			return (long)row->entry;
	}
	return -1;
}

/* Versions 2 and 3: binary search of the sorted names. */
static long find_name_sorted(const struct iana_index *index, const char *name, uint32_t hash, unsigned protocol)
{
	/* First row whose hash is not below HASH. */
	size_t lo = 0, hi = index->n_names;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (index->names[mid].hash < hash)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* The run of equal hashes is sorted by entry: the first match is the
	 * first in registry order. */
	for (size_t i = lo; i < index->n_names && index->names[i].hash == hash; i++) {
		const struct iana_index_name *row = &index->names[i];
		struct entry_view e;
		const char *candidate = string_at(index, row->name);
		if (!entry_get(index, row->entry, &e) || candidate == NULL || !protocol_matches(e.protocol, protocol))
			continue;
		if (same_name(candidate, name))
			return (long)row->entry;
	}
	return -1;
}

/* The answer of entry I of a version-2 or -3 index, found sound. */
static void answer_found_v3(const struct iana_index *index, uint64_t i, struct iana_index_answer *out)
{
	struct entry_view e;
	if (entry_get(index, i, &e))
		answer_of(&e, out);
}

long iana_index_find_name_answer(const struct iana_index *index, const char *name, unsigned protocol,
				 struct iana_index_answer *out)
{
	if (name == NULL)
		return -1;
	if (index->version >= 4) {
		size_t len = strlen(name);
		if (len == 0)
			return -1;
		return index->version >= 5 ? find_name_v5(index, name, len, protocol, out)
					   : find_name_v4(index, name, len, protocol, out);
	}
	long i = find_name_sorted(index, name, iana_fnv1a_casefold(name), protocol);
	if (i >= 0)
		answer_found_v3(index, (uint64_t)i, out);
	return i;
}

long iana_index_find_name(const struct iana_index *index, const char *name, unsigned protocol)
{
	struct iana_index_answer unused;
	return iana_index_find_name_answer(index, name, protocol, &unused);
}

/* ---- by port ---- */

/* The entry an answer (index_format.h, Ports) names, checked: in range,
 * sound, on PROTOCOL and containing PORT; else NULL. */
static const struct iana_index_entry_v4 *answer_entry(const struct iana_index *index, uint32_t answer, uint16_t port,
						      unsigned protocol)
{
	uint32_t e_no = (answer & ~IANA_INDEX_PORT_RANGE) - 1;
	if (e_no >= index->n_entries)
		return NULL;
	const struct iana_index_entry_v4 *e = entry_v4(index, e_no);
	if (!entry_v4_sound(index, e) || e->protocol != protocol || port < e->port_first || port > e->port_last)
		return NULL;
	return e;
}

/* Version 4, PROTOCOL 1-4: the port directory, then one page. */
static uint32_t port_answer(const struct iana_index *index, uint16_t port, unsigned protocol)
{
	uint16_t page = index->port_dir[(protocol - 1) * IANA_INDEX_PORT_PAGES + port / IANA_INDEX_PAGE_PORTS];
	if (page >= index->n_port_pages)
		return 0;
	return index->pages[(size_t)page * IANA_INDEX_PAGE_PORTS + port % IANA_INDEX_PAGE_PORTS];
}

static long find_port_v4(const struct iana_index *index, uint16_t port, unsigned protocol,
			 struct iana_index_answer *out)
{
	const struct iana_index_entry_v4 *found = NULL;
	if (protocol != PROTO_ANY) {
		uint32_t answer = protocol < PROTO_COUNT ? port_answer(index, port, protocol) : 0;
		found = answer == 0 ? NULL : answer_entry(index, answer, port, protocol);
	} else {
		/* Any protocol: the lowest single-port entry, else the lowest
		 * range (entries in registry order: the lowest address). */
		bool found_range = true;
		for (unsigned p = 1; p < PROTO_COUNT; p++) {
			uint32_t answer = port_answer(index, port, p);
			const struct iana_index_entry_v4 *e = answer == 0 ? NULL : answer_entry(index, answer, port, p);
			if (e == NULL)
				continue;
			bool range = (answer & IANA_INDEX_PORT_RANGE) != 0;
			if (found == NULL || (found_range && !range) || (range == found_range && e < found)) {
				found = e;
				found_range = range;
			}
		}
	}
	if (found == NULL)
		return -1;
	answer_v4(index, found, SIZE_MAX, out);
	return (long)(found - entry_v4(index, 0));
}

/* Versions 2 and 3: single ports by binary search, O(log n_ports), then
 * the ranges linearly, O(n_ranges). */
static long find_port_sorted(const struct iana_index *index, uint16_t port, unsigned protocol)
{
	size_t lo = 0, hi = index->n_ports;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (index->ports[mid].port_first < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	struct entry_view e;
	for (size_t i = lo; i < index->n_ports && index->ports[i].port_first == port; i++) {
		const struct iana_index_port *row = &index->ports[i];
		if (entry_get(index, row->entry, &e) && protocol_matches(e.protocol, protocol) &&
		    e.port_first <= port && port <= e.port_last)
			return (long)row->entry;
	}
	for (size_t i = 0; i < index->n_ranges; i++) {
		const struct iana_index_port *row = &index->ranges[i];
		if (entry_get(index, row->entry, &e) && protocol_matches(e.protocol, protocol) &&
		    e.port_first <= port && port <= e.port_last)
			return (long)row->entry;
	}
	return -1;
}

long iana_index_find_port_answer(const struct iana_index *index, uint16_t port, unsigned protocol,
				 struct iana_index_answer *out)
{
	if (index->version >= 4)
		return find_port_v4(index, port, protocol, out);
	long i = find_port_sorted(index, port, protocol);
	if (i >= 0)
		answer_found_v3(index, (uint64_t)i, out);
	return i;
}

long iana_index_find_port(const struct iana_index *index, uint16_t port, unsigned protocol)
{
	struct iana_index_answer unused;
	return iana_index_find_port_answer(index, port, protocol, &unused);
}

unsigned iana_index_version(const struct iana_index *index)
{
	return index->version;
}

size_t iana_index_block_count(const struct iana_index *index)
{
	return index->n_blocks;
}

bool iana_index_block(const struct iana_index *index, size_t i, struct iana_index_unnamed *out)
{
	if (i >= index->n_blocks)
		return false;
	const struct iana_index_block *b = &index->blocks[i];
	const char *description = string_at(index, b->description);
	if (description == NULL || b->protocol >= PROTO_COUNT || b->port_first > b->port_last)
		return false;
	*out = (struct iana_index_unnamed){
		.description = description,
		.port_first = b->port_first,
		.port_last = b->port_last,
		.protocol = b->protocol,
		.status = b->status,
	};
	return true;
}
