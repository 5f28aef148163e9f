/* test_service_index.c - unit tests of the compiled services index
 * (index/, crc32.h): CRC-32 and name hash vectors; header fields; the
 * recorded source registry and the versions read;
 * enumeration equal to the service table; lookups by name (aliases, case,
 * protocol, registry order) and by port (single ports, ranges, preference);
 * the answers the NSS module copies from, for names of every length;
 * determinism; rejection of truncated, foreign and corrupt files; hostile
 * values behind a valid checksum (entries, name slots, port directory and
 * pages); opening a real file; version-3 and -2 indexes answering as the
 * current one does; and, when the real registry is at hand, every entry's
 * lookups against a linear scan. */
#include "crc32.h"
#include "fnv1a.h"
#include "index_paths.h"
#include "output_file.h"
#include "index_reader.h"
#include "index_writer.h"
#include "name_hash.h"
#include "test_support.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HDR sizeof(struct iana_index_header)

/* ---- helpers ---- */

struct built {
	struct iana_registry *reg;
	struct iana_service_table *table;
	const struct iana_service *entries;
	size_t n;
	char *data; /* the index, malloc'ed by open_memstream */
	size_t len;
};

static char *write_index(const struct iana_registry *reg, const struct iana_service_table *table, size_t *len)
{
	char *data = NULL;
	FILE *out = open_memstream(&data, len);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(iana_index_write(out, reg, table, NULL), 0);
	ck_assert_int_eq(fclose(out), 0);
	return data;
}

static void build_from(struct built *b, struct iana_registry *reg)
{
	b->reg = reg;
	ck_assert_int_eq(iana_service_table_build(reg, NULL, &b->table), IANA_LOAD_OK);
	b->entries = iana_service_table_entries(b->table, &b->n);
	b->data = write_index(reg, b->table, &b->len);
}

static void build_fixture(struct built *b)
{
	struct iana_registry *reg;
	ck_assert_int_eq(load_fixture("xml-full.xml", &reg, NULL), IANA_LOAD_OK);
	build_from(b, reg);
}

static void build_string(struct built *b, const char *xml)
{
	struct iana_registry *reg;
	ck_assert_int_eq(load_registry_string(xml, strlen(xml), &reg, NULL), IANA_LOAD_OK);
	build_from(b, reg);
}

static void built_free(struct built *b)
{
	free(b->data);
	iana_service_table_free(b->table);
	iana_registry_free(b->reg);
}

static struct iana_index *open_mem(const void *data, size_t len)
{
	struct iana_index *index;
	int rc = iana_index_from_memory(data, len, &index);
	ck_assert_msg(rc == IANA_INDEX_OK, "open: %s", iana_index_error_str(rc));
	return index;
}

static struct iana_index_header header_of(const char *data)
{
	struct iana_index_header h;
	memcpy(&h, data, sizeof(h));
	return h;
}

static void put_header(char *data, const struct iana_index_header *h)
{
	memcpy(data, h, sizeof(*h));
}

/* Recompute the checksum of DATA (LEN bytes) after an edit. */
static void reseal(char *data, size_t len)
{
	struct iana_index_header h = header_of(data);
	h.checksum = iana_crc32(0, data + HDR, len - HDR);
	put_header(data, &h);
}

/* Offsets of the tables, as the format (version 5) lays them out. */
struct layout {
	size_t entries, rows, tags, aliases, port_dir, pages, details, blocks, strings;
};

#define PORT_DIR_SIZE (IANA_INDEX_PORT_PROTOCOLS * IANA_INDEX_PORT_PAGES * sizeof(uint16_t))
#define PAGE_SIZE (IANA_INDEX_PAGE_PORTS * sizeof(uint32_t))

static struct layout layout_of(const char *data)
{
	struct iana_index_header h = header_of(data);
	struct layout l;
	l.entries = HDR;
	l.rows = l.entries + h.n_entries * sizeof(struct iana_index_entry_v4);
	l.tags = l.rows + h.n_name_slots * sizeof(struct iana_index_name_row);
	l.aliases = l.tags + h.n_name_slots + IANA_INDEX_TAG_MIRROR;
	l.port_dir = l.aliases + h.n_aliases * sizeof(uint32_t);
	l.pages = l.port_dir + PORT_DIR_SIZE;
	l.details = l.pages + h.n_port_pages * PAGE_SIZE;
	l.blocks = l.details + h.n_entries * sizeof(struct iana_index_detail_v4);
	l.strings = l.blocks + h.n_blocks * sizeof(struct iana_index_block);
	return l;
}

static struct iana_index_entry_v4 *entry_ptr(char *data, size_t i)
{
	return (struct iana_index_entry_v4 *)(void *)(data + HDR + i * sizeof(struct iana_index_entry_v4));
}

static struct iana_index_name_row *row_ptr(char *data, size_t i)
{
	return (struct iana_index_name_row *)(void *)(data + layout_of(data).rows +
						      i * sizeof(struct iana_index_name_row));
}

static unsigned char *tags_ptr(char *data)
{
	return (unsigned char *)data + layout_of(data).tags;
}

/* After an edit of the name rows: their tags made theirs again (a reader
 * refuses tags that are not), then the checksum. */
static void retag(char *data, size_t len)
{
	uint32_t n = header_of(data).n_name_slots;
	for (size_t i = 0; i < n + IANA_INDEX_TAG_MIRROR; i++)
		tags_ptr(data)[i] = IANA_INDEX_NAME_TAG8(row_ptr(data, i % n)->tag);
	reseal(data, len);
}

static struct iana_index_detail_v4 *detail_ptr(char *data, size_t i)
{
	return (struct iana_index_detail_v4 *)(void *)(data + layout_of(data).details +
						      i * sizeof(struct iana_index_detail_v4));
}

static uint16_t *port_dir_ptr(char *data)
{
	return (uint16_t *)(void *)(data + layout_of(data).port_dir);
}

static uint32_t *page_ptr(char *data, size_t page)
{
	return (uint32_t *)(void *)(data + layout_of(data).pages + page * PAGE_SIZE);
}

static bool ascii_eq(const char *a, const char *b)
{
	for (;; a++, b++) {
		int x = *a >= 'A' && *a <= 'Z' ? *a - 'A' + 'a' : *a;
		int y = *b >= 'A' && *b <= 'Z' ? *b - 'A' + 'a' : *b;
		if (x != y)
			return false;
		if (x == 0)
			return true;
	}
}

static long entry_named(const struct built *b, const char *name, unsigned protocol)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->entries[i].protocol == protocol && strcmp(b->entries[i].record->name, name) == 0)
			return (long)i;
	ck_abort_msg("no entry %s/%u", name, protocol);
	return -1;
}

/* Use every reader function on INDEX with many arguments; under valgrind
 * this shows that a damaged index is never read out of bounds. */
static void exercise(const struct iana_index *index)
{
	static const char *const names[] = {"http", "www", "WWW-HTTP", "msp", "x11", "finger",
					    "discard", "snif", "ghost", "wsmans", "", "nope"};
	size_t n = iana_index_count(index);
	uint16_t y;
	uint8_t m, d;
	iana_index_updated(index, &y, &m, &d);
	for (size_t i = 0; i < n + 3; i++) {
		struct iana_index_service s;
		if (iana_index_entry(index, i, &s)) {
			ck_assert_ptr_nonnull(s.name);
			(void)strlen(s.name);
			if (s.description)
				(void)strlen(s.description);
			if (s.unauthorized)
				(void)strlen(s.unauthorized);
			if (s.references)
				(void)strlen(s.references);
			if (s.assignees)
				(void)strlen(s.assignees);
		}
		for (size_t a = 0; a < 4; a++) {
			const char *alias = iana_index_alias(index, i, a);
			if (alias)
				(void)strlen(alias);
		}
	}
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		for (unsigned p = 0; p <= IANA_PROTO_COUNT; p++) {
			long e = iana_index_find_name(index, names[k], p);
			ck_assert(e >= -1 && e < (long)n);
		}
	for (size_t i = 0; i < iana_index_block_count(index) + 2; i++) {
		struct iana_index_unnamed u;
		if (iana_index_block(index, i, &u)) {
			(void)strlen(u.description);
			ck_assert(u.port_first <= u.port_last && u.protocol <= IANA_PROTO_COUNT);
		}
	}
	static const uint16_t ports[] = {0, 9, 18, 79, 80, 2438, 4999, 5986, 6000, 6005, 6063, 6064, 7123, 65535};
	for (size_t k = 0; k < sizeof(ports) / sizeof(ports[0]); k++)
		for (unsigned p = 0; p <= IANA_PROTO_COUNT; p++) {
			long e = iana_index_find_port(index, ports[k], p);
			ck_assert(e >= -1 && e < (long)n);
		}
}

/* DATA must be refused at open with a format or corruption error. */
static void expect_refused(const void *data, size_t len, const char *what)
{
	struct iana_index *index = NULL;
	int rc = iana_index_from_memory(data, len, &index);
	ck_assert_msg(rc == IANA_INDEX_ERR_CORRUPT || rc == IANA_INDEX_ERR_FORMAT,
		      "%s (len %zu): rc %d", what, len, rc);
	ck_assert_ptr_null(index);
}

/* ---- vectors ---- */

/* CRC-32 the slow way, a bit at a time: the reference the tables and the
 * carry-less folding (crc32.c) are held to. */
static uint32_t crc32_bitwise(uint32_t crc, const unsigned char *p, size_t len)
{
	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0xEDB88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

START_TEST(test_crc32_vectors)
{
	ck_assert_uint_eq(iana_crc32(0, "123456789", 9), 0xCBF43926u);
	ck_assert_uint_eq(iana_crc32(0, "", 0), 0);
	const char *fox = "The quick brown fox jumps over the lazy dog";
	ck_assert_uint_eq(iana_crc32(0, fox, strlen(fox)), 0x414FA339u);
	/* Continuation: any split gives the same result. */
	for (size_t cut = 0; cut <= strlen(fox); cut++)
		ck_assert_uint_eq(iana_crc32(iana_crc32(0, fox, cut), fox + cut, strlen(fox) - cut), 0x414FA339u);
	/* Every length to 600 (the folding takes 64 bytes and more, in
	 * 16-byte blocks), at every alignment to 16, from a start value, and
	 * one of 1 MiB and a bit. */
	enum { BIG = (1 << 20) + 77 };
	unsigned char *data = malloc(BIG + 16);
	ck_assert_ptr_nonnull(data);
	uint32_t seed = 1;
	for (size_t i = 0; i < BIG + 16; i++) {
		seed = seed * 1103515245u + 12345u;
		data[i] = (unsigned char)(seed >> 16);
	}
	for (size_t len = 0; len <= 600; len++)
		for (size_t at = 0; at < 16; at += len % 7 + 1)
			ck_assert_msg(iana_crc32(0x12345678u, data + at, len) == crc32_bitwise(0x12345678u, data + at, len),
				      "length %zu at %zu", len, at);
	ck_assert_uint_eq(iana_crc32(0, data + 3, BIG), crc32_bitwise(0, data + 3, BIG));
	free(data);
}
END_TEST

START_TEST(test_name_hash)
{
	ck_assert_uint_eq(iana_fnv1a_casefold(""), 2166136261u); /* FNV-1a offset basis */
	ck_assert_uint_eq(iana_fnv1a_casefold("a"), 0xe40c292cu); /* FNV-1a("a") */
	ck_assert_uint_eq(iana_fnv1a_casefold("HTTP"), iana_fnv1a_casefold("http"));
	ck_assert_uint_eq(iana_fnv1a_casefold("Www-Http"), iana_fnv1a_casefold("www-http"));
	ck_assert_uint_ne(iana_fnv1a_casefold("http"), iana_fnv1a_casefold("https"));
}
END_TEST

/* The format-4 name hash and comparison (name_hash.h), at every length
 * across the word boundaries, every letter in either case, bytes that are
 * not letters left alone. */
START_TEST(test_name_hash_v4)
{
	const char *small = "abcdefghijklmnopqrstuvwxyz0123-abcdefghijklmnopqrstuvwxyz";
	const char *mixed = "AbCdEfGhIjKlMnOpQrStUvWxYz0123-aBcDeFgHiJkLmNoPqRsTuVwXyZ";
	for (size_t len = 0; len <= strlen(small); len++) {
		ck_assert_uint_eq(iana_name_hash(small, len), iana_name_hash(mixed, len));
		ck_assert(iana_name_equal(small, mixed, len));
		if (len > 0) {
			ck_assert_uint_ne(iana_name_hash(small, len), iana_name_hash(small, len - 1));
			/* A difference in any one byte is seen. */
			for (size_t i = 0; i < len; i++) {
				char other[64];
				memcpy(other, small, len);
				other[i] = other[i] == '0' ? '1' : '0';
				ck_assert(!iana_name_equal(small, other, len));
				ck_assert_uint_ne(iana_name_hash(small, len), iana_name_hash(other, len));
			}
		}
	}
	/* Only A-Z fold: '@' (before 'A'), '[' (after 'Z'), the bytes 0xC1
	 * and 0xE1 (0x80 | 'A', 0x80 | 'a') do not. */
	ck_assert(!iana_name_equal("@", "`", 1));
	ck_assert(!iana_name_equal("[", "{", 1));
	ck_assert(!iana_name_equal("\xc1", "\xe1", 1));
	ck_assert(!iana_name_equal("x\xc1yyyyyyy", "x\xe1yyyyyyy", 10));
	ck_assert(iana_name_equal("HTTP-ALT", "http-alt", 8));
	ck_assert_uint_eq(iana_name_hash("Www-Http", 8), iana_name_hash("www-http", 8));
	ck_assert_uint_ne(iana_name_hash("http", 4), iana_name_hash("https", 5));
}
END_TEST

/* The words of a NUL-terminated name (what a lookup hashes) are those of
 * the same bytes given with their length, at every length from 1 to 16,
 * each name in memory of exactly its size (so that a sanitized build sees
 * any read past its NUL), with bytes of every value but 0. */
START_TEST(test_name_words_cstr)
{
	for (size_t len = 1; len <= 16; len++)
		for (unsigned fill = 1; fill < 256; fill += 7) {
			char *name = malloc(len + 1);
			ck_assert_ptr_nonnull(name);
			for (size_t i = 0; i < len; i++)
				name[i] = (char)(1 + (fill + 31 * i) % 255);
			name[len] = '\0';
			uint64_t a0, a1, b0, b1;
			iana_name_words16(name, len, &a0, &a1);
			iana_name_words16_cstr(name, len, &b0, &b1);
			ck_assert_msg(a0 == b0 && a1 == b1, "length %zu, fill %u", len, fill);
			free(name);
		}
}
END_TEST

/* ---- contents ---- */

START_TEST(test_header_fields)
{
	struct built b;
	build_fixture(&b);
	struct iana_index_header h = header_of(b.data);
	ck_assert_int_eq(memcmp(h.magic, IANA_INDEX_MAGIC, 8), 0);
	ck_assert_uint_eq(h.version, IANA_INDEX_VERSION);
	ck_assert_uint_eq(h.byte_order, IANA_INDEX_BYTE_ORDER);
	ck_assert_uint_eq(h.header_size, 128);
	ck_assert_uint_eq(sizeof(struct iana_index_header), 128);
	for (size_t i = 0; i < sizeof h.reserved / sizeof h.reserved[0]; i++)
		ck_assert_uint_eq(h.reserved[i], 0);
	/* Two entries and two name rows to a cache line (the mapping is
	 * page aligned), the name inside. */
	ck_assert_uint_eq(layout_of(b.data).entries % 64, 0);
	ck_assert_uint_eq(layout_of(b.data).rows % 32, 0);
	ck_assert_uint_eq(sizeof(struct iana_index_entry_v4), 32);
	ck_assert_uint_eq(sizeof(struct iana_index_name_row), 32);
	for (size_t i = 0; i < b.n; i++) {
		const struct iana_index_entry_v4 *e = (const void *)entry_ptr(b.data, i);
		const char *name = b.entries[i].record->name;
		if (strlen(name) < IANA_INDEX_NAME_TEXT)
			ck_assert_str_eq(e->name_text, name);
		else
			ck_assert_uint_eq(e->name_text[0], 0);
		ck_assert_str_eq(b.data + layout_of(b.data).strings + e->name, name);
	}
	/* Every row: its name (canonical first, then the aliases, each once)
	 * with its fingerprint, and its entry's protocol, ports and alias
	 * count; an empty row all zero; the tags the rows', the first eight
	 * again after the last. */
	size_t *seen = calloc(b.n, sizeof(*seen));
	ck_assert_ptr_nonnull(seen);
	for (size_t i = 0; i < h.n_name_slots; i++) {
		const struct iana_index_name_row *row = row_ptr(b.data, i);
		ck_assert_uint_eq(tags_ptr(b.data)[i], IANA_INDEX_NAME_TAG8(row->tag));
		ck_assert_uint_eq(row->reserved, 0);
		if (row->tag == 0) {
			static const struct iana_index_name_row empty;
			ck_assert_int_eq(memcmp(row, &empty, sizeof(empty)), 0);
			continue;
		}
		ck_assert_uint_lt(row->entry, b.n);
		const struct iana_service *e = &b.entries[row->entry];
		const char *name = row->alias ? NULL : e->record->name;
		if (row->alias) {
			for (size_t a = 0; a < e->n_aliases && name == NULL; a++)
				if (strlen(e->aliases[a]) >= IANA_INDEX_NAME_TEXT ? row->name_text[0] == '\0'
										     : strcmp(row->name_text, e->aliases[a]) == 0)
					name = e->aliases[a];
			ck_assert_ptr_nonnull(name);
		} else if (strlen(name) < IANA_INDEX_NAME_TEXT) {
			ck_assert_str_eq(row->name_text, name);
		} else {
			ck_assert_uint_eq(row->name_text[0], 0);
		}
		ck_assert_uint_eq(row->tag, IANA_INDEX_NAME_FINGERPRINT(iana_name_hash(name, strlen(name))) | e->protocol);
		ck_assert_uint_eq(row->port_first, e->port_first);
		ck_assert_uint_eq(row->port_last, e->port_last);
		ck_assert_uint_eq(row->n_aliases, e->n_aliases);
		ck_assert_uint_le(row->alias, 1);
		seen[row->entry]++;
	}
	for (size_t i = 0; i < b.n; i++)
		ck_assert_uint_eq(seen[i], 1 + b.entries[i].n_aliases);
	free(seen);
	for (size_t i = 0; i < IANA_INDEX_TAG_MIRROR; i++)
		ck_assert_uint_eq(tags_ptr(b.data)[h.n_name_slots + i], tags_ptr(b.data)[i]);
	ck_assert_uint_eq(h.total_size, b.len);
	ck_assert_uint_eq(b.len % 4, 0);
	ck_assert_uint_eq(h.checksum, iana_crc32(0, b.data + HDR, b.len - HDR));
	ck_assert_uint_eq(h.updated_year, 2026);
	ck_assert_uint_eq(h.updated_month, 8);
	ck_assert_uint_eq(h.updated_day, 17);
	size_t aliases = 0, ranges = 0;
	for (size_t i = 0; i < b.n; i++) {
		aliases += b.entries[i].n_aliases;
		ranges += b.entries[i].port_first < b.entries[i].port_last;
	}
	ck_assert_uint_eq(h.n_entries, b.n);
	ck_assert_uint_eq(h.n_aliases, aliases);
	ck_assert_uint_eq(ranges, 1); /* x11 */
	/* No sorted tables; every name in a row, half of them empty. */
	ck_assert_uint_eq(h.n_names | h.n_ports | h.n_ranges, 0);
	ck_assert_uint_eq(h.n_name_slots & (h.n_name_slots - 1), 0);
	ck_assert_uint_ge(h.n_name_slots, 8);
	size_t used = 0;
	for (size_t i = 0; i < h.n_name_slots; i++)
		used += row_ptr(b.data, i)->tag != 0;
	ck_assert_uint_eq(used, b.n + aliases);
	ck_assert_uint_ge(h.n_name_slots, used * 2);
	ck_assert_uint_lt(h.n_name_slots, used * 4); /* the smallest such power of two */
	/* Port pages: page 0 empty, one page per 256 ports with an answer. */
	size_t pages = 0;
	const uint16_t *dir = port_dir_ptr(b.data);
	for (size_t d = 0; d < IANA_INDEX_PORT_PROTOCOLS * IANA_INDEX_PORT_PAGES; d++) {
		ck_assert_uint_lt(dir[d], h.n_port_pages);
		pages += dir[d] != 0;
	}
	ck_assert_uint_eq(pages + 1, h.n_port_pages);
	for (size_t i = 0; i < IANA_INDEX_PAGE_PORTS; i++)
		ck_assert_uint_eq(page_ptr(b.data, 0)[i], 0);
	ck_assert_uint_eq(h.n_blocks, 3); /* Reserved 0/tcp, Unassigned 13219-13222, Reserved 13823/udp */
	ck_assert_uint_eq(h.registry_size | h.registry_crc32, 0); /* no source given */
	struct layout l = layout_of(b.data);
	ck_assert_uint_eq(l.strings + h.strings_size, b.len);
	ck_assert_int_eq(b.data[l.strings], '\0');

	struct iana_index *index = open_mem(b.data, b.len);
	ck_assert_uint_eq(iana_index_count(index), b.n);
	uint16_t y;
	uint8_t m, d;
	iana_index_updated(index, &y, &m, &d);
	ck_assert_uint_eq(y, 2026);
	ck_assert_uint_eq(m, 8);
	ck_assert_uint_eq(d, 17);
	ck_assert_uint_eq(iana_index_file_id(index)->ino, 0);
	ck_assert_uint_eq(iana_index_file_id(index)->dev, 0);
	struct iana_index_source source;
	ck_assert(!iana_index_source(index, &source));
	iana_index_close(index);
	built_free(&b);
}
END_TEST

/* The registry an index is built from is recorded in its header, read
 * back by the reader, and told apart from another registry's. */
START_TEST(test_source_recorded)
{
	struct iana_registry *reg;
	ck_assert_int_eq(load_fixture("xml-full.xml", &reg, NULL), IANA_LOAD_OK);
	struct iana_service_table *table;
	ck_assert_int_eq(iana_service_table_build(reg, NULL, &table), IANA_LOAD_OK);
	struct iana_index_source fixture, other;
	ck_assert(iana_index_source_of_path(fixture_path("xml-full.xml"), &fixture));
	ck_assert(iana_index_source_of_path(fixture_path("diff-new.xml"), &other));
	ck_assert(!iana_index_source_equal(&fixture, &other));
	ck_assert(iana_index_source_equal(&fixture, &fixture));

	char *data = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&data, &len);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(iana_index_write(out, reg, table, &fixture), 0);
	ck_assert_int_eq(fclose(out), 0);
	struct iana_index_header h = header_of(data);
	ck_assert_uint_eq(h.version, IANA_INDEX_VERSION);
	ck_assert_uint_eq(h.registry_size, fixture.size);
	ck_assert_uint_eq(h.registry_crc32, fixture.crc32);

	struct iana_index *index = open_mem(data, len);
	struct iana_index_source recorded;
	ck_assert(iana_index_source(index, &recorded));
	ck_assert(iana_index_source_equal(&recorded, &fixture));
	ck_assert(!iana_index_source_equal(&recorded, &other));
	iana_index_close(index);

	/* An empty file has no source identity. */
	errno = 0;
	ck_assert(!iana_index_source_of_bytes(data, 0, &recorded));
	ck_assert(!iana_index_source_of_path("/nonexistent/registry.xml", &recorded));
	ck_assert_int_eq(errno, ENOENT);
	free(data);
	iana_service_table_free(table);
	iana_registry_free(reg);
}
END_TEST

static void expect_same_entries(const struct built *b, const struct iana_index *index)
{
	ck_assert_uint_eq(iana_index_count(index), b->n);
	for (size_t i = 0; i < b->n; i++) {
		const struct iana_service *e = &b->entries[i];
		struct iana_index_service s;
		ck_assert(iana_index_entry(index, i, &s));
		ck_assert_str_eq(s.name, e->record->name);
		if (e->record->description && *e->record->description)
			ck_assert_str_eq(s.description, e->record->description);
		else
			ck_assert_ptr_null(s.description);
		if (e->record->unauthorized && *e->record->unauthorized)
			ck_assert_str_eq(s.unauthorized, e->record->unauthorized);
		else
			ck_assert_ptr_null(s.unauthorized);
		ck_assert_uint_eq(s.port_first, e->port_first);
		ck_assert_uint_eq(s.port_last, e->port_last);
		ck_assert_uint_eq(s.protocol, e->protocol);
		ck_assert_uint_eq(s.status, e->record->status);
		ck_assert_uint_eq(s.n_aliases, e->n_aliases);
		for (size_t a = 0; a < e->n_aliases; a++)
			ck_assert_str_eq(iana_index_alias(index, i, a), e->aliases[a]);
		ck_assert_ptr_null(iana_index_alias(index, i, e->n_aliases));
	}
	struct iana_index_service s;
	ck_assert(!iana_index_entry(index, b->n, &s));
	ck_assert(!iana_index_entry(index, SIZE_MAX, &s));
	ck_assert_ptr_null(iana_index_alias(index, b->n, 0));
}

START_TEST(test_entries_match_table)
{
	struct built b;
	build_fixture(&b);
	struct iana_index *index = open_mem(b.data, b.len);
	expect_same_entries(&b, index);
	/* Spot checks of the fixture. */
	long http = entry_named(&b, "http", IANA_PROTO_TCP);
	struct iana_index_service s;
	ck_assert(iana_index_entry(index, (size_t)http, &s));
	ck_assert_str_eq(s.description, "World Wide Web HTTP");
	ck_assert_uint_eq(s.n_aliases, 2);
	ck_assert_str_eq(iana_index_alias(index, (size_t)http, 0), "www");
	ck_assert_str_eq(iana_index_alias(index, (size_t)http, 1), "www-http");
	long finger = entry_named(&b, "finger", IANA_PROTO_TCP);
	ck_assert(iana_index_entry(index, (size_t)finger, &s));
	ck_assert_str_eq(s.unauthorized, "Unauthorized use by some mail users (see [RFC4146] for details)");
	long x11 = entry_named(&b, "x11", IANA_PROTO_TCP);
	ck_assert(iana_index_entry(index, (size_t)x11, &s));
	ck_assert_uint_eq(s.port_first, 6000);
	ck_assert_uint_eq(s.port_last, 6063);
	iana_index_close(index);
	built_free(&b);
}
END_TEST

START_TEST(test_find_name)
{
	struct built b;
	build_fixture(&b);
	struct iana_index *index = open_mem(b.data, b.len);
	long http = entry_named(&b, "http", IANA_PROTO_TCP);
	ck_assert_int_eq(iana_index_find_name(index, "http", IANA_PROTO_TCP), http);
	ck_assert_int_eq(iana_index_find_name(index, "www", IANA_PROTO_TCP), http);
	ck_assert_int_eq(iana_index_find_name(index, "www-http", IANA_PROTO_TCP), http);
	ck_assert_int_eq(iana_index_find_name(index, "HTTP", IANA_PROTO_TCP), http);
	ck_assert_int_eq(iana_index_find_name(index, "Www-Http", IANA_PROTO_NONE), http);
	ck_assert_int_eq(iana_index_find_name(index, "http", IANA_PROTO_NONE), http);
	ck_assert_int_eq(iana_index_find_name(index, "http", IANA_PROTO_UDP), -1);
	ck_assert_int_eq(iana_index_find_name(index, "http", 99), -1);
	ck_assert_int_eq(iana_index_find_name(index, "nosuchservice", IANA_PROTO_NONE), -1);
	ck_assert_int_eq(iana_index_find_name(index, "", IANA_PROTO_NONE), -1);
	ck_assert_int_eq(iana_index_find_name(index, "htt", IANA_PROTO_TCP), -1);
	ck_assert_int_eq(iana_index_find_name(index, NULL, IANA_PROTO_TCP), -1);
	long msp = iana_index_find_name(index, "msp", IANA_PROTO_TCP);
	ck_assert_int_ge(msp, 0);
	struct iana_index_service s;
	ck_assert(iana_index_entry(index, (size_t)msp, &s));
	ck_assert_uint_eq(s.port_first, 18);
	ck_assert_int_eq(iana_index_find_name(index, "discard", IANA_PROTO_DCCP),
			 entry_named(&b, "discard", IANA_PROTO_DCCP));
	ck_assert_int_eq(iana_index_find_name(index, "discard", IANA_PROTO_TCP), -1);
	/* Port-less and protocol-less names take no part. */
	ck_assert_int_eq(iana_index_find_name(index, "activeraid-ssl", IANA_PROTO_NONE), -1);
	ck_assert_int_eq(iana_index_find_name(index, "wot", IANA_PROTO_NONE), -1);
	iana_index_close(index);
	built_free(&b);
}
END_TEST

static const char order_xml[] =
	"<?xml version=\"1.0\"?>\n"
	"<registry xmlns=\"http://www.iana.org/assignments\">\n"
	"  <record><name>foo</name><protocol>udp</protocol><number>500</number></record>\n"
	"  <record><name>rng</name><protocol>tcp</protocol><number>100-200</number><description>range</description></record>\n"
	"  <record><name>foo</name><protocol>tcp</protocol><number>400</number></record>\n"
	"  <record><name>other</name><protocol>tcp</protocol><number>300</number></record>\n"
	"  <record><name>FOO</name><protocol>tcp</protocol><number>300</number></record>\n"
	"  <record><name>single</name><protocol>tcp</protocol><number>150</number></record>\n"
	"  <record><name>rng2</name><protocol>tcp</protocol><number>180-250</number></record>\n"
	"  <record><name>urng</name><protocol>udp</protocol><number>100-200</number></record>\n"
	"  <record><name>dup</name><protocol>sctp</protocol><number>150</number><description>same text</description></record>\n"
	"  <record><name>dup</name><protocol>dccp</protocol><number>150</number><description>same text</description></record>\n"
	"</registry>\n";

START_TEST(test_registry_order)
{
	struct built b;
	build_string(&b, order_xml);
	struct iana_index *index = open_mem(b.data, b.len);
	expect_same_entries(&b, index);
	long foo_udp = entry_named(&b, "foo", IANA_PROTO_UDP);
	long foo_tcp = entry_named(&b, "foo", IANA_PROTO_TCP);
	long other = entry_named(&b, "other", IANA_PROTO_TCP);
	ck_assert_int_lt(foo_udp, foo_tcp);
	ck_assert_int_lt(foo_tcp, other);
	ck_assert_int_eq(iana_index_find_name(index, "foo", IANA_PROTO_NONE), foo_udp);
	ck_assert_int_eq(iana_index_find_name(index, "foo", IANA_PROTO_UDP), foo_udp);
	/* "foo" on 400 comes before "FOO" as an alias of other on 300. */
	ck_assert_int_eq(iana_index_find_name(index, "foo", IANA_PROTO_TCP), foo_tcp);
	ck_assert_int_eq(iana_index_find_name(index, "Foo", IANA_PROTO_TCP), foo_tcp);
	ck_assert_str_eq(iana_index_alias(index, (size_t)other, 0), "FOO");
	ck_assert_int_eq(iana_index_find_name(index, "foo", IANA_PROTO_SCTP), -1);

	/* Ports: a single port wins over an earlier range; else the first
	 * range in registry order. */
	long rng = entry_named(&b, "rng", IANA_PROTO_TCP);
	long rng2 = entry_named(&b, "rng2", IANA_PROTO_TCP);
	long single = entry_named(&b, "single", IANA_PROTO_TCP);
	long urng = entry_named(&b, "urng", IANA_PROTO_UDP);
	ck_assert_int_eq(iana_index_find_port(index, 150, IANA_PROTO_TCP), single);
	ck_assert_int_eq(iana_index_find_port(index, 151, IANA_PROTO_TCP), rng);
	ck_assert_int_eq(iana_index_find_port(index, 100, IANA_PROTO_TCP), rng);
	ck_assert_int_eq(iana_index_find_port(index, 190, IANA_PROTO_TCP), rng);
	ck_assert_int_eq(iana_index_find_port(index, 201, IANA_PROTO_TCP), rng2);
	ck_assert_int_eq(iana_index_find_port(index, 250, IANA_PROTO_TCP), rng2);
	ck_assert_int_eq(iana_index_find_port(index, 251, IANA_PROTO_TCP), -1);
	ck_assert_int_eq(iana_index_find_port(index, 99, IANA_PROTO_TCP), -1);
	ck_assert_int_eq(iana_index_find_port(index, 120, IANA_PROTO_UDP), urng);
	ck_assert_int_eq(iana_index_find_port(index, 120, IANA_PROTO_NONE), rng);
	ck_assert_int_eq(iana_index_find_port(index, 150, IANA_PROTO_NONE), single);
	ck_assert_int_eq(iana_index_find_port(index, 150, IANA_PROTO_UDP), urng);
	ck_assert_int_eq(iana_index_find_port(index, 150, IANA_PROTO_SCTP), entry_named(&b, "dup", IANA_PROTO_SCTP));
	ck_assert_int_eq(iana_index_find_port(index, 150, IANA_PROTO_DCCP), entry_named(&b, "dup", IANA_PROTO_DCCP));
	ck_assert_int_eq(iana_index_find_port(index, 500, IANA_PROTO_NONE), foo_udp);
	ck_assert_int_eq(iana_index_find_port(index, 500, IANA_PROTO_TCP), -1);

	/* Strings are stored once: "dup" and "same text" appear once. */
	struct layout l = layout_of(b.data);
	const char *strings = b.data + l.strings;
	size_t size = b.len - l.strings;
	unsigned dups = 0, texts = 0;
	for (size_t off = 0; off < size; off += strlen(strings + off) + 1) {
		dups += strcmp(strings + off, "dup") == 0;
		texts += strcmp(strings + off, "same text") == 0;
	}
	ck_assert_uint_eq(dups, 1);
	ck_assert_uint_eq(texts, 1);
	iana_index_close(index);
	built_free(&b);
}
END_TEST

START_TEST(test_find_port)
{
	struct built b;
	build_fixture(&b);
	struct iana_index *index = open_mem(b.data, b.len);
	long http = entry_named(&b, "http", IANA_PROTO_TCP);
	long x11 = entry_named(&b, "x11", IANA_PROTO_TCP);
	ck_assert_int_eq(iana_index_find_port(index, 80, IANA_PROTO_TCP), http);
	ck_assert_int_eq(iana_index_find_port(index, 80, IANA_PROTO_NONE), http);
	ck_assert_int_eq(iana_index_find_port(index, 80, IANA_PROTO_UDP), -1);
	ck_assert_int_eq(iana_index_find_port(index, 18, IANA_PROTO_TCP), entry_named(&b, "msp", IANA_PROTO_TCP));
	ck_assert_int_eq(iana_index_find_port(index, 9, IANA_PROTO_DCCP), entry_named(&b, "discard", IANA_PROTO_DCCP));
	ck_assert_int_eq(iana_index_find_port(index, 6005, IANA_PROTO_TCP), x11);
	ck_assert_int_eq(iana_index_find_port(index, 6000, IANA_PROTO_TCP), x11);
	ck_assert_int_eq(iana_index_find_port(index, 6063, IANA_PROTO_TCP), x11);
	ck_assert_int_eq(iana_index_find_port(index, 6005, IANA_PROTO_NONE), x11);
	ck_assert_int_eq(iana_index_find_port(index, 6064, IANA_PROTO_TCP), -1);
	ck_assert_int_eq(iana_index_find_port(index, 5999, IANA_PROTO_TCP), -1);
	ck_assert_int_eq(iana_index_find_port(index, 6005, IANA_PROTO_UDP), -1);
	ck_assert_int_eq(iana_index_find_port(index, 0, IANA_PROTO_TCP), -1); /* Reserved */
	ck_assert_int_eq(iana_index_find_port(index, 65535, IANA_PROTO_NONE), -1);
	ck_assert_int_eq(iana_index_find_port(index, 2438, IANA_PROTO_TCP), iana_index_find_port(index, 2438, 0));
	struct iana_index_service s;
	ck_assert(iana_index_entry(index, (size_t)iana_index_find_port(index, 2438, IANA_PROTO_TCP), &s));
	ck_assert_str_eq(s.name, "msp");
	ck_assert_str_eq(s.description, "MSP");
	iana_index_close(index);
	built_free(&b);
}
END_TEST

/* The details table: references and assignees as display text. */
static struct iana_index_service entry_of(struct iana_index *index, struct built *b, const char *name,
					  unsigned protocol)
{
	struct iana_index_service s;
	ck_assert(iana_index_entry(index, (size_t)entry_named(b, name, protocol), &s));
	return s;
}

START_TEST(test_details)
{
	struct built b;
	build_fixture(&b);
	struct iana_index *index = open_mem(b.data, b.len);
	struct iana_index_service s = entry_of(index, &b, "snif", IANA_PROTO_TCP);
	/* The draft's display text already names the section; the person
	 * reference and the footnote pointer are not references. */
	ck_assert_str_eq(s.references, "draft-zubov-snif-05, Section 4.3; https://example.org/snif; n/a");
	ck_assert_str_eq(s.assignees, "VESvault Corp");
	s = entry_of(index, &b, "http", IANA_PROTO_TCP);
	ck_assert_str_eq(s.references, "RFC 9110");
	ck_assert_str_eq(s.assignees, "IESG <iesg@ietf.org>"); /* <assignee> wins over the person xref; '&' is '@' */
	s = entry_of(index, &b, "finger", IANA_PROTO_TCP);
	ck_assert_ptr_null(s.references);
	ck_assert_str_eq(s.assignees, "David Zimmerman <dpz@example.org>"); /* registrant as person xref */
	ck_assert_str_eq(s.unauthorized, "Unauthorized use by some mail users (see [RFC4146] for details)");
	s = entry_of(index, &b, "discard", IANA_PROTO_DCCP);
	ck_assert_str_eq(s.references, "RFC 4340");
	ck_assert_str_eq(s.assignees, "Eddie Kohler");
	iana_index_close(index);
	built_free(&b);
}
END_TEST

/* The blocks table: records with a port and no name, in registry order. */
START_TEST(test_blocks)
{
	struct built b;
	build_fixture(&b);
	struct iana_index *index = open_mem(b.data, b.len);
	ck_assert_uint_eq(iana_index_block_count(index), 3);
	struct iana_index_unnamed u;
	ck_assert(iana_index_block(index, 0, &u));
	ck_assert_str_eq(u.description, "Reserved");
	ck_assert_uint_eq(u.status, IANA_STATUS_RESERVED);
	ck_assert_uint_eq(u.protocol, IANA_PROTO_TCP);
	ck_assert_uint_eq(u.port_first, 0);
	ck_assert_uint_eq(u.port_last, 0);
	ck_assert(iana_index_block(index, 1, &u));
	ck_assert_str_eq(u.description, "Unassigned");
	ck_assert_uint_eq(u.status, IANA_STATUS_UNASSIGNED);
	ck_assert_uint_eq(u.protocol, IANA_PROTO_NONE); /* every protocol */
	ck_assert_uint_eq(u.port_first, 13219);
	ck_assert_uint_eq(u.port_last, 13222);
	ck_assert(iana_index_block(index, 2, &u));
	ck_assert_uint_eq(u.protocol, IANA_PROTO_UDP);
	ck_assert_uint_eq(u.port_first, 13823);
	ck_assert(!iana_index_block(index, 3, &u));
	iana_index_close(index);
	built_free(&b);
}
END_TEST

START_TEST(test_empty_registry)
{
	struct built b;
	build_string(&b, "<?xml version=\"1.0\"?>\n<registry xmlns=\"http://www.iana.org/assignments\">\n"
			 "  <record><protocol>tcp</protocol><description>Reserved</description><number>0</number></record>\n"
			 "</registry>\n");
	ck_assert_uint_eq(b.n, 0);
	struct iana_index *index = open_mem(b.data, b.len);
	ck_assert_uint_eq(iana_index_count(index), 0);
	ck_assert_int_eq(iana_index_find_name(index, "x", 0), -1);
	ck_assert_int_eq(iana_index_find_port(index, 0, 0), -1);
	uint16_t y;
	uint8_t m, d;
	iana_index_updated(index, &y, &m, &d);
	ck_assert_uint_eq(y, 0);
	exercise(index);
	iana_index_close(index);
	built_free(&b);
}
END_TEST

START_TEST(test_deterministic)
{
	struct built b;
	build_fixture(&b);
	size_t len2;
	char *again = write_index(b.reg, b.table, &len2);
	ck_assert_uint_eq(len2, b.len);
	ck_assert_int_eq(memcmp(again, b.data, b.len), 0);
	free(again);
	/* A fresh load of the same file too. */
	struct built c;
	build_fixture(&c);
	ck_assert_uint_eq(c.len, b.len);
	ck_assert_int_eq(memcmp(c.data, b.data, b.len), 0);
	built_free(&c);
	built_free(&b);
}
END_TEST

/* ---- refusal at open ---- */

START_TEST(test_truncated)
{
	struct built b;
	build_fixture(&b);
	ck_assert_uint_gt(b.len, 200);
	char *copy = malloc(b.len);
	memcpy(copy, b.data, b.len);
	struct iana_index *index = (struct iana_index *)1;
	ck_assert_int_eq(iana_index_from_memory(copy, 0, &index), IANA_INDEX_ERR_CORRUPT);
	ck_assert_ptr_null(index);
	for (size_t len = 0; len <= 200; len++)
		expect_refused(copy, len, "truncated");
	expect_refused(copy, b.len - 1, "truncated by one");
	/* Longer than total_size is refused as well. */
	char *longer = calloc(1, b.len + 4);
	memcpy(longer, b.data, b.len);
	expect_refused(longer, b.len + 4, "trailing bytes");
	free(longer);
	/* Unaligned memory. */
	char *shifted = malloc(b.len + 1);
	memcpy(shifted + 1, b.data, b.len);
	ck_assert_int_eq(iana_index_from_memory(shifted + 1, b.len, &index), IANA_INDEX_ERR_FORMAT);
	free(shifted);
	free(copy);
	built_free(&b);
}
END_TEST

START_TEST(test_foreign)
{
	struct built b;
	build_fixture(&b);
	struct iana_index_header h = header_of(b.data);
	struct iana_index *index;

	b.data[0] = 'X';
	ck_assert_int_eq(iana_index_from_memory(b.data, b.len, &index), IANA_INDEX_ERR_FORMAT);
	put_header(b.data, &h);
	ck_assert_int_eq(iana_index_from_memory(b.data, 40, &index), IANA_INDEX_ERR_CORRUPT);

	struct iana_index_header bad = h;
	bad.version = IANA_INDEX_VERSION + 1;
	put_header(b.data, &bad);
	ck_assert_int_eq(iana_index_from_memory(b.data, b.len, &index), IANA_INDEX_ERR_FORMAT);
	bad.version = 1; /* before the details and blocks tables */
	put_header(b.data, &bad);
	ck_assert_int_eq(iana_index_from_memory(b.data, b.len, &index), IANA_INDEX_ERR_FORMAT);

	bad = h;
	bad.byte_order = __builtin_bswap32(IANA_INDEX_BYTE_ORDER);
	put_header(b.data, &bad);
	ck_assert_int_eq(iana_index_from_memory(b.data, b.len, &index), IANA_INDEX_ERR_FORMAT);

	bad = h;
	bad.header_size = 88;
	put_header(b.data, &bad);
	ck_assert_int_eq(iana_index_from_memory(b.data, b.len, &index), IANA_INDEX_ERR_CORRUPT);

	bad = h;
	bad.total_size = b.len + 8;
	put_header(b.data, &bad);
	ck_assert_int_eq(iana_index_from_memory(b.data, b.len, &index), IANA_INDEX_ERR_CORRUPT);

	put_header(b.data, &h);
	index = open_mem(b.data, b.len);
	iana_index_close(index);
	built_free(&b);
}
END_TEST

START_TEST(test_bad_checksum)
{
	struct built b;
	build_fixture(&b);
	struct layout l = layout_of(b.data);
	const size_t where[] = {l.entries,	   l.rows + 5,	   l.tags + 3,	  l.aliases + 1,
				l.port_dir + 2,	   l.pages + PAGE_SIZE + 6, l.details + 1, l.strings + 3,
				b.len - 1};
	for (size_t k = 0; k < sizeof(where) / sizeof(where[0]); k++) {
		b.data[where[k]] ^= 0x40;
		struct iana_index *index;
		ck_assert_msg(iana_index_from_memory(b.data, b.len, &index) == IANA_INDEX_ERR_CORRUPT,
			      "flip at %zu accepted", where[k]);
		b.data[where[k]] ^= 0x40;
	}
	struct iana_index_header h = header_of(b.data);
	struct iana_index_header bad = h;
	bad.checksum ^= 1;
	put_header(b.data, &bad);
	expect_refused(b.data, b.len, "checksum field");
	put_header(b.data, &h);
	iana_index_close(open_mem(b.data, b.len));
	built_free(&b);
}
END_TEST

START_TEST(test_bad_layout)
{
	struct built b;
	build_fixture(&b);
	struct iana_index_header h = header_of(b.data);
	struct iana_index_header bad;
	/* Counts that put a table past the end (the checksum covers only the
	 * tables, so it still matches). */
	uint32_t *fields[] = {&bad.n_entries, &bad.n_aliases, &bad.n_names, &bad.n_ports, &bad.n_ranges,
			      &bad.n_blocks, &bad.strings_size, &bad.n_name_slots, &bad.n_port_pages};
	for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++) {
		const uint32_t values[] = {0, 1, 0x10000, 0x7fffffff, 0xffffffff};
		for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
			bad = h;
			uint32_t old = *fields[k];
			*fields[k] = old + values[v];
			if (*fields[k] == old)
				continue;
			put_header(b.data, &bad);
			expect_refused(b.data, b.len, "bad count");
		}
	}
	/* Moving bytes between tables keeps the total but breaks the order:
	 * one entry fewer and six more aliases. */
	bad = h;
	bad.n_entries -= 1;
	bad.n_aliases += 6;
	put_header(b.data, &bad);
	struct iana_index *index;
	if (iana_index_from_memory(b.data, b.len, &index) == IANA_INDEX_OK) {
		/* Consistent sizes: accepted, but every use stays in bounds. */
		exercise(index);
		iana_index_close(index);
	}
	/* The rules of versions 4 and 5: a row count that is not a power of
	 * two of at least 8, no page 0, or rows of the sorted tables of
	 * version 3 (sizes kept by growing or shrinking the strings; a row
	 * is 32 bytes and a tag). */
	const int32_t row_size = (int32_t)sizeof(struct iana_index_name_row) + 1;
	struct {
		uint32_t *field;
		uint32_t value;
		int32_t strings_delta;
	} rules[] = {
		{&bad.n_name_slots, h.n_name_slots - 1, row_size},
		{&bad.n_name_slots, 1, (int32_t)(h.n_name_slots - 1) * row_size},
		{&bad.n_name_slots, 4, (int32_t)(h.n_name_slots - 4) * row_size},
		{&bad.n_port_pages, 0, (int32_t)(h.n_port_pages * PAGE_SIZE)},
		{&bad.n_names, 1, -(int32_t)sizeof(struct iana_index_name)},
		{&bad.n_ports, 1, -(int32_t)sizeof(struct iana_index_port)},
		{&bad.n_ranges, 1, -(int32_t)sizeof(struct iana_index_port)},
	};
	for (size_t k = 0; k < sizeof(rules) / sizeof(rules[0]); k++) {
		bad = h;
		*rules[k].field = rules[k].value;
		bad.strings_size = (uint32_t)((int64_t)bad.strings_size + rules[k].strings_delta);
		put_header(b.data, &bad);
		ck_assert_msg(iana_index_from_memory(b.data, b.len, &index) == IANA_INDEX_ERR_CORRUPT, "rule %zu", k);
	}
	/* String table without its final NUL. */
	put_header(b.data, &h);
	b.data[b.len - 1] = 'x';
	reseal(b.data, b.len);
	ck_assert_int_eq(iana_index_from_memory(b.data, b.len, &index), IANA_INDEX_ERR_CORRUPT);
	/* Nor with anything but "" at offset 0. */
	b.data[b.len - 1] = '\0';
	struct layout l = layout_of(b.data);
	b.data[l.strings] = 'x';
	reseal(b.data, b.len);
	ck_assert_int_eq(iana_index_from_memory(b.data, b.len, &index), IANA_INDEX_ERR_CORRUPT);
	built_free(&b);
}
END_TEST

/* ---- hostile values behind a valid checksum ---- */

START_TEST(test_hostile_entry)
{
	struct built b;
	build_fixture(&b);
	struct iana_index_header h = header_of(b.data);
	struct layout l = layout_of(b.data);
	long http = entry_named(&b, "http", IANA_PROTO_TCP);
	struct iana_index_entry_v4 saved = *entry_ptr(b.data, (size_t)http);
	struct iana_index_detail_v4 saved_detail = *detail_ptr(b.data, (size_t)http);
	struct iana_index *index;
	struct iana_index_service s;

	/* Name offset past the string table. */
	const uint32_t offsets[] = {h.strings_size, h.strings_size + 1, 0xffffffffu};
	for (size_t k = 0; k < 3; k++) {
		*entry_ptr(b.data, (size_t)http) = saved;
		entry_ptr(b.data, (size_t)http)->name = offsets[k];
		reseal(b.data, b.len);
		index = open_mem(b.data, b.len);
		ck_assert(!iana_index_entry(index, (size_t)http, &s));
		/* By its canonical name, the row answers (it holds all of the
		 * answer); by alias, or by port, the entry would. */
		ck_assert_int_eq(iana_index_find_name(index, "http", IANA_PROTO_TCP), http);
		ck_assert_int_eq(iana_index_find_name(index, "www", IANA_PROTO_TCP), -1);
		ck_assert_int_eq(iana_index_find_port(index, 80, IANA_PROTO_TCP), -1);
		exercise(index);
		iana_index_close(index);

		/* The details row's texts outside the strings: the entry is
		 * served without them (the finders never read that row). */
		*entry_ptr(b.data, (size_t)http) = saved;
		detail_ptr(b.data, (size_t)http)->description = offsets[k];
		reseal(b.data, b.len);
		index = open_mem(b.data, b.len);
		ck_assert(iana_index_entry(index, (size_t)http, &s));
		ck_assert_ptr_null(s.description);
		ck_assert_int_eq(iana_index_find_name(index, "http", IANA_PROTO_TCP), http);
		exercise(index);
		iana_index_close(index);

		*detail_ptr(b.data, (size_t)http) = saved_detail;
		detail_ptr(b.data, (size_t)http)->unauthorized = offsets[k];
		reseal(b.data, b.len);
		index = open_mem(b.data, b.len);
		ck_assert(iana_index_entry(index, (size_t)http, &s));
		ck_assert_ptr_null(s.unauthorized);
		ck_assert_str_eq(s.description, "World Wide Web HTTP");
		exercise(index);
		iana_index_close(index);
		*detail_ptr(b.data, (size_t)http) = saved_detail;
	}

	/* The name inside the entry without its NUL: damaged.  Filled to the
	 * end with another name's text: that text is the name (the format
	 * says the reader takes it), never read past. */
	*entry_ptr(b.data, (size_t)http) = saved;
	struct iana_index_entry_v4 *e4 = entry_ptr(b.data, (size_t)http);
	char saved_text[IANA_INDEX_NAME_TEXT];
	memcpy(saved_text, e4->name_text, sizeof saved_text);
	memset(e4->name_text, 'x', sizeof e4->name_text);
	reseal(b.data, b.len);
	index = open_mem(b.data, b.len);
	ck_assert(!iana_index_entry(index, (size_t)http, &s));
	ck_assert_int_eq(iana_index_find_name(index, "www-http", IANA_PROTO_TCP), -1);
	ck_assert_int_eq(iana_index_find_port(index, 80, IANA_PROTO_TCP), -1);
	exercise(index);
	iana_index_close(index);
	e4->name_text[IANA_INDEX_NAME_TEXT - 1] = '\0';
	reseal(b.data, b.len);
	index = open_mem(b.data, b.len);
	ck_assert(iana_index_entry(index, (size_t)http, &s));
	ck_assert_uint_eq(strlen(s.name), IANA_INDEX_NAME_TEXT - 1);
	/* The row still names http; by alias, the entry's name answers. */
	ck_assert_int_eq(iana_index_find_name(index, "http", IANA_PROTO_TCP), http);
	struct iana_index_answer answer;
	ck_assert_int_eq(iana_index_find_name_answer(index, "www", IANA_PROTO_TCP, &answer), http);
	ck_assert_uint_eq(answer.name_len, IANA_INDEX_NAME_TEXT - 1);
	exercise(index);
	iana_index_close(index);
	memcpy(e4->name_text, saved_text, sizeof saved_text);

	/* Aliases range past the alias table. */
	*entry_ptr(b.data, (size_t)http) = saved;
	entry_ptr(b.data, (size_t)http)->aliases = h.n_aliases - 1;
	reseal(b.data, b.len);
	index = open_mem(b.data, b.len);
	ck_assert(!iana_index_entry(index, (size_t)http, &s));
	ck_assert_ptr_null(iana_index_alias(index, (size_t)http, 1));
	exercise(index);
	iana_index_close(index);

	*entry_ptr(b.data, (size_t)http) = saved;
	entry_ptr(b.data, (size_t)http)->aliases = 0xffffffffu;
	entry_ptr(b.data, (size_t)http)->n_aliases = 0xffff;
	reseal(b.data, b.len);
	index = open_mem(b.data, b.len);
	ck_assert(!iana_index_entry(index, (size_t)http, &s));
	ck_assert_ptr_null(iana_index_alias(index, (size_t)http, 0));
	exercise(index);
	iana_index_close(index);

	/* An alias string offset past the strings. */
	*entry_ptr(b.data, (size_t)http) = saved;
	uint32_t big = h.strings_size + 100, alias0;
	memcpy(&alias0, b.data + l.aliases + saved.aliases * sizeof(uint32_t), sizeof(alias0));
	memcpy(b.data + l.aliases + saved.aliases * sizeof(uint32_t), &big, sizeof(big));
	reseal(b.data, b.len);
	index = open_mem(b.data, b.len);
	ck_assert_ptr_null(iana_index_alias(index, (size_t)http, 0));
	ck_assert_str_eq(iana_index_alias(index, (size_t)http, 1), "www-http");
	exercise(index);
	iana_index_close(index);

	/* Bad protocol and reversed ports. */
	memcpy(b.data + l.aliases + saved.aliases * sizeof(uint32_t), &alias0, sizeof(alias0));
	*entry_ptr(b.data, (size_t)http) = saved;
	entry_ptr(b.data, (size_t)http)->protocol = 200;
	reseal(b.data, b.len);
	index = open_mem(b.data, b.len);
	ck_assert(!iana_index_entry(index, (size_t)http, &s));
	ck_assert_int_eq(iana_index_find_port(index, 80, IANA_PROTO_NONE), -1);
	exercise(index);
	iana_index_close(index);

	long x11 = entry_named(&b, "x11", IANA_PROTO_TCP);
	*entry_ptr(b.data, (size_t)http) = saved;
	entry_ptr(b.data, (size_t)x11)->port_first = 7000;
	reseal(b.data, b.len);
	index = open_mem(b.data, b.len);
	ck_assert(!iana_index_entry(index, (size_t)x11, &s));
	ck_assert_int_eq(iana_index_find_port(index, 6005, IANA_PROTO_TCP), -1);
	exercise(index);
	iana_index_close(index);
	built_free(&b);
}
END_TEST

/* Details and blocks pointing outside the string table, behind a valid
 * checksum: the entry is still served without them, the block refused. */
START_TEST(test_hostile_details)
{
	struct built b;
	build_fixture(&b);
	struct iana_index_header h = header_of(b.data);
	struct layout l = layout_of(b.data);
	for (size_t i = 0; i < h.n_entries; i++)
		detail_ptr(b.data, i)->detail = (struct iana_index_detail){0xffffffffu, h.strings_size};
	const struct iana_index_block bad[] = {
		{.port_first = 1, .port_last = 1, .description = h.strings_size},
		{.port_first = 9, .port_last = 8, .description = 1},
		{.port_first = 1, .port_last = 1, .protocol = 200, .description = 1},
	};
	for (size_t i = 0; i < h.n_blocks; i++)
		memcpy(b.data + l.blocks + i * sizeof(bad[0]), &bad[i % 3], sizeof(bad[0]));
	reseal(b.data, b.len);
	struct iana_index *index = open_mem(b.data, b.len);
	struct iana_index_service s = entry_of(index, &b, "snif", IANA_PROTO_TCP);
	ck_assert_str_eq(s.name, "snif");
	ck_assert_ptr_null(s.references);
	ck_assert_ptr_null(s.assignees);
	struct iana_index_unnamed u;
	for (size_t i = 0; i < h.n_blocks; i++)
		ck_assert(!iana_index_block(index, i, &u));
	exercise(index);
	iana_index_close(index);
	built_free(&b);
}
END_TEST

START_TEST(test_hostile_tables)
{
	struct built b;
	build_fixture(&b);
	struct iana_index_header h = header_of(b.data);
	char *pristine = malloc(b.len);
	memcpy(pristine, b.data, b.len);
	struct iana_index *index;
	const uint32_t bad_values[] = {h.n_entries, h.n_entries + 5, 0x7fffffffu, 0xffffffffu};

	/* Every row pointing to a missing entry. */
	long http = entry_named(&b, "http", IANA_PROTO_TCP);
	for (size_t v = 0; v < 4; v++) {
		memcpy(b.data, pristine, b.len);
		for (size_t i = 0; i < h.n_name_slots; i++)
			if (row_ptr(b.data, i)->tag != 0)
				row_ptr(b.data, i)->entry = bad_values[v];
		reseal(b.data, b.len);
		index = open_mem(b.data, b.len);
		ck_assert_int_eq(iana_index_find_name(index, "http", IANA_PROTO_NONE), -1);
		ck_assert_int_eq(iana_index_find_name(index, "www", IANA_PROTO_NONE), -1);
		exercise(index);
		iana_index_close(index);
	}
	/* Every entry's name a missing string: a canonical name is still
	 * answered from its row, an alias (answered from the entry) is not. */
	for (size_t v = 0; v < 4; v++) {
		memcpy(b.data, pristine, b.len);
		for (size_t i = 0; i < h.n_entries; i++)
			entry_ptr(b.data, i)->name = h.strings_size + (uint32_t)v * 0x10000000u;
		reseal(b.data, b.len);
		index = open_mem(b.data, b.len);
		ck_assert_int_eq(iana_index_find_name(index, "http", IANA_PROTO_TCP), http);
		ck_assert_int_eq(iana_index_find_name(index, "www", IANA_PROTO_NONE), -1);
		exercise(index);
		iana_index_close(index);
	}
	/* Each row of http/tcp damaged on its own: its name without its NUL,
	 * a protocol (in its tag, and its tag byte made to agree) that is not
	 * 1-4, reversed ports: not an answer (the other rows still are). */
	size_t http_row = h.n_name_slots;
	for (size_t i = 0; i < h.n_name_slots; i++)
		if (row_ptr(pristine, i)->entry == (uint32_t)http && !row_ptr(pristine, i)->alias &&
		    row_ptr(pristine, i)->tag != 0)
			http_row = i;
	ck_assert_uint_lt(http_row, h.n_name_slots);
	for (int damage = 0; damage < 5; damage++) {
		memcpy(b.data, pristine, b.len);
		struct iana_index_name_row *row = row_ptr(b.data, http_row);
		switch (damage) {
		case 0:
			memset(row->name_text, 'h', sizeof row->name_text);
			break;
		case 1:
		case 2:
		case 3:
			row->tag = (row->tag & ~7u) | (uint32_t)(damage == 1 ? 0 : damage == 2 ? 5 : 7);
			break;
		default:
			row->port_first = (uint16_t)(row->port_last + 1);
			break;
		}
		retag(b.data, b.len);
		index = open_mem(b.data, b.len);
		ck_assert_msg(iana_index_find_name(index, "http", IANA_PROTO_NONE) == -1, "damage %d", damage);
		ck_assert_int_eq(iana_index_find_name(index, "www", IANA_PROTO_TCP), http);
		exercise(index);
		iana_index_close(index);
	}
	/* Tags that are not their rows' (one byte, or one of the copies
	 * after the last row): refused at open. */
	for (size_t k = 0; k < 2; k++) {
		memcpy(b.data, pristine, b.len);
		tags_ptr(b.data)[k ? h.n_name_slots + IANA_INDEX_TAG_MIRROR - 1 : http_row] ^= 0x10;
		reseal(b.data, b.len);
		expect_refused(b.data, b.len, "a tag that is not its row's");
	}
	/* No empty row, every fingerprint that of the name looked up: the
	 * probe ends after IANA_INDEX_MAX_RUN + 1 rows. */
	memcpy(b.data, pristine, b.len);
	for (size_t i = 0; i < h.n_name_slots; i++)
		*row_ptr(b.data, i) = (struct iana_index_name_row){
			.tag = IANA_INDEX_NAME_FINGERPRINT(iana_name_hash("nope", 4)) | 1, .entry = (uint32_t)http};
	retag(b.data, b.len);
	index = open_mem(b.data, b.len);
	ck_assert_int_eq(iana_index_find_name(index, "nope", IANA_PROTO_NONE), -1);
	ck_assert_int_eq(iana_index_find_name(index, "http", IANA_PROTO_NONE), -1); /* other fingerprint */
	exercise(index);
	iana_index_close(index);

	/* The port directory naming pages that do not exist. */
	const uint16_t bad_pages[] = {(uint16_t)h.n_port_pages, (uint16_t)(h.n_port_pages + 7), 0xffff};
	for (size_t v = 0; v < 3; v++) {
		memcpy(b.data, pristine, b.len);
		uint16_t *dir = port_dir_ptr(b.data);
		for (size_t d = 0; d < IANA_INDEX_PORT_PROTOCOLS * IANA_INDEX_PORT_PAGES; d++)
			dir[d] = bad_pages[v];
		reseal(b.data, b.len);
		index = open_mem(b.data, b.len);
		ck_assert_int_eq(iana_index_find_port(index, 80, IANA_PROTO_NONE), -1);
		ck_assert_int_eq(iana_index_find_port(index, 6005, IANA_PROTO_TCP), -1);
		exercise(index);
		iana_index_close(index);
	}
	/* Every answer naming a missing entry, as a single port or a range. */
	for (size_t v = 0; v < 4; v++) {
		memcpy(b.data, pristine, b.len);
		for (size_t page = 0; page < h.n_port_pages; page++)
			for (size_t i = 0; i < IANA_INDEX_PAGE_PORTS; i++)
				page_ptr(b.data, page)[i] = (bad_values[v] + 1) | (i % 2 ? IANA_INDEX_PORT_RANGE : 0);
		reseal(b.data, b.len);
		index = open_mem(b.data, b.len);
		ck_assert_int_eq(iana_index_find_port(index, 80, IANA_PROTO_NONE), -1);
		ck_assert_int_eq(iana_index_find_port(index, 6005, IANA_PROTO_NONE), -1);
		ck_assert_int_eq(iana_index_find_port(index, 22, IANA_PROTO_TCP), -1);
		exercise(index);
		iana_index_close(index);
	}
	/* Every answer of every page naming http/tcp: only 80/tcp (and 80 on
	 * any protocol) finds it; another port, another protocol does not. */
	memcpy(b.data, pristine, b.len);
	for (size_t page = 0; page < h.n_port_pages; page++)
		for (size_t i = 0; i < IANA_INDEX_PAGE_PORTS; i++)
			page_ptr(b.data, page)[i] = (uint32_t)http + 1;
	reseal(b.data, b.len);
	index = open_mem(b.data, b.len);
	ck_assert_int_eq(iana_index_find_port(index, 80, IANA_PROTO_TCP), http);
	ck_assert_int_eq(iana_index_find_port(index, 80, IANA_PROTO_NONE), http);
	ck_assert_int_eq(iana_index_find_port(index, 81, IANA_PROTO_TCP), -1);
	ck_assert_int_eq(iana_index_find_port(index, 80, IANA_PROTO_UDP), -1);
	exercise(index);
	iana_index_close(index);

	/* n_entries huge (with the other tables shrunk to keep the size) is
	 * refused at open. */
	memcpy(b.data, pristine, b.len);
	struct iana_index_header bad = h;
	bad.n_entries = 0xffffffffu;
	put_header(b.data, &bad);
	reseal(b.data, b.len);
	expect_refused(b.data, b.len, "huge n_entries");
	/* A reserved word of the header (which no checksum covers) not zero. */
	for (size_t r = 0; r < sizeof h.reserved / sizeof h.reserved[0]; r++) {
		memcpy(b.data, pristine, b.len);
		bad = h;
		bad.reserved[r] = 1u << r;
		put_header(b.data, &bad);
		expect_refused(b.data, b.len, "a reserved word not zero");
	}
	/* Whole file as one string table with no entries: accepted, empty. */
	memcpy(b.data, pristine, b.len);
	bad = h;
	bad.n_entries = bad.n_aliases = bad.n_names = bad.n_ports = bad.n_ranges = bad.n_blocks = 0;
	bad.n_name_slots = 8;
	bad.n_port_pages = 1;
	size_t lookup = 8 * sizeof(struct iana_index_name_row) + 8 + IANA_INDEX_TAG_MIRROR + PORT_DIR_SIZE + PAGE_SIZE;
	bad.strings_size = (uint32_t)(b.len - HDR - lookup);
	put_header(b.data, &bad);
	memset(b.data + HDR, 0, lookup + 1);
	reseal(b.data, b.len);
	index = open_mem(b.data, b.len);
	ck_assert_uint_eq(iana_index_count(index), 0);
	exercise(index);
	iana_index_close(index);
	free(pristine);
	built_free(&b);
}
END_TEST

/* ---- a real file ---- */

/* The one "index, else registry" choice (index_paths.h): the index when
 * it records the registry as it is, the registry when the index is
 * missing, unusable, stale or records none, the index when there is no
 * registry to prefer. */
START_TEST(test_index_or_registry)
{
	char dir[] = "/tmp/iana-choice-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char registry[256], other[256], index[256], missing[256];
	snprintf(registry, sizeof(registry), "%s/registry.xml", dir);
	snprintf(other, sizeof(other), "%s/other.xml", dir);
	snprintf(index, sizeof(index), "%s/services.idx", dir);
	snprintf(missing, sizeof(missing), "%s/missing", dir);
	struct iana_registry *reg;
	ck_assert_int_eq(load_fixture("xml-full.xml", &reg, NULL), IANA_LOAD_OK);
	struct iana_service_table *table;
	ck_assert_int_eq(iana_service_table_build(reg, NULL, &table), IANA_LOAD_OK);
	/* The registry file: a copy of the fixture; OTHER differs by a byte. */
	size_t len;
	char *bytes = read_whole_file(fixture_path("xml-full.xml"), &len);
	ck_assert_ptr_nonnull(bytes);
	FILE *f = fopen(registry, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	bytes[len - 2] = bytes[len - 2] == ' ' ? '\n' : ' ';
	f = fopen(other, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	free(bytes);

	struct iana_index_source source;
	ck_assert(iana_index_source_of_path(registry, &source));
	f = fopen(index, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(iana_index_write(f, reg, table, &source), 0);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_str_eq(iana_index_or_registry(index, registry), index);
	ck_assert_str_eq(iana_index_or_registry(index, other), other);     /* stale */
	ck_assert_str_eq(iana_index_or_registry(missing, registry), registry);
	ck_assert_str_eq(iana_index_or_registry(index, missing), index);   /* nothing to prefer */
	ck_assert_str_eq(iana_index_or_registry(registry, other), other);  /* not an index */
	f = fopen(index, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(iana_index_write(f, reg, table, NULL), 0);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_str_eq(iana_index_or_registry(index, registry), registry); /* records none */

	unlink(registry);
	unlink(other);
	unlink(index);
	rmdir(dir);
	iana_service_table_free(table);
	iana_registry_free(reg);
}
END_TEST

START_TEST(test_open_file)
{
	struct built b;
	build_fixture(&b);
	char dir[] = "/tmp/iana-index-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[256], empty[256];
	snprintf(path, sizeof(path), "%s/services.idx", dir);
	snprintf(empty, sizeof(empty), "%s/empty", dir);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(b.data, 1, b.len, f), b.len);
	ck_assert_int_eq(fclose(f), 0);
	f = fopen(empty, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fclose(f), 0);

	struct iana_index *index;
	ck_assert_int_eq(iana_index_open(path, &index), IANA_INDEX_OK);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	const struct iana_file_id *id = iana_index_file_id(index);
	struct iana_file_id expected = iana_file_id_of(&st);
	ck_assert_uint_ne(id->ino, 0);
	ck_assert(iana_file_id_equal(id, &expected));
	ck_assert_int_eq(id->size, (int64_t)b.len);
	expect_same_entries(&b, index);
	ck_assert_int_eq(iana_index_find_port(index, 6005, IANA_PROTO_TCP), entry_named(&b, "x11", IANA_PROTO_TCP));
	iana_index_close(index);

	index = (struct iana_index *)1;
	ck_assert_int_eq(iana_index_open(empty, &index), IANA_INDEX_ERR_CORRUPT);
	ck_assert_ptr_null(index);
	ck_assert_int_eq(iana_index_open(dir, &index), IANA_INDEX_ERR_FORMAT);
	ck_assert_int_eq(iana_index_open(fixture_path("xml-full.xml"), &index), IANA_INDEX_ERR_FORMAT);
	char missing[300];
	snprintf(missing, sizeof(missing), "%s/missing", dir);
	errno = 0;
	ck_assert_int_eq(iana_index_open(missing, &index), IANA_INDEX_ERR_IO);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_str_ne(iana_index_error_str(IANA_INDEX_ERR_CORRUPT), iana_index_error_str(IANA_INDEX_ERR_FORMAT));
	ck_assert_ptr_nonnull(iana_index_error_str(12345));
	iana_index_close(NULL);

	unlink(path);
	unlink(empty);
	rmdir(dir);
	built_free(&b);
}
END_TEST

/* ---- the previous formats ---- */

/* Every lookup of A and B agrees: each entry's names (also upper-cased,
 * and as misses) on every protocol, every port on every protocol. */
static void expect_same_lookups(const struct iana_index *a, const struct iana_index *b)
{
	ck_assert_uint_eq(iana_index_count(a), iana_index_count(b));
	for (size_t i = 0; i < iana_index_count(a); i++) {
		struct iana_index_service s;
		ck_assert(iana_index_entry(a, i, &s));
		char upper[128], miss[140];
		snprintf(upper, sizeof(upper), "%s", s.name);
		for (char *c = upper; *c; c++)
			if (*c >= 'a' && *c <= 'z')
				*c = (char)(*c - 'a' + 'A');
		snprintf(miss, sizeof(miss), "%s-missing", s.name);
		const char *names[] = {s.name, upper, miss, iana_index_alias(a, i, 0)};
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			for (unsigned p = 0; p <= IANA_PROTO_COUNT && names[k] != NULL; p++)
				ck_assert_msg(iana_index_find_name(a, names[k], p) == iana_index_find_name(b, names[k], p),
					      "find_name %s/%u", names[k], p);
	}
	for (unsigned p = 0; p <= IANA_PROTO_COUNT; p++)
		for (unsigned port = 0; port <= 65535; port++)
			ck_assert_msg(iana_index_find_port(a, (uint16_t)port, p) == iana_index_find_port(b, (uint16_t)port, p),
				      "find_port %u/%u", port, p);
}

/* Indexes of versions 2 to 4 keep answering until they are rewritten
 * (index_format.h, Versions): xml-full-v4.idx is what gen-services wrote
 * from xml-full.xml before version 5 (main at d569171), xml-full-v3.idx
 * before version 4 (main at 7763938, free text flowed), both on a
 * little-endian host.  Version 2 (version 3's layout, the last two words
 * reserved) too. */
START_TEST(test_previous_versions)
{
	size_t len, v4_len;
	char *v4_data = read_whole_file(fixture_path("xml-full-v4.idx"), &v4_len);
	ck_assert_ptr_nonnull(v4_data);
	char *old = read_whole_file(fixture_path("xml-full-v3.idx"), &len);
	ck_assert_ptr_nonnull(old);
	struct iana_index_header h;
	memcpy(&h, old, IANA_INDEX_V3_HEADER_SIZE);
	if (h.byte_order != IANA_INDEX_BYTE_ORDER) {
		printf("test_previous_versions: xml-full-v3.idx is little-endian, this host is not; skipped\n");
		free(old);
		free(v4_data);
		return;
	}
	ck_assert_uint_eq(h.version, 3);
	ck_assert_uint_eq(h.header_size, IANA_INDEX_V3_HEADER_SIZE);
	struct built b;
	build_fixture(&b);
	struct iana_index *v3 = open_mem(old, len), *v4 = open_mem(b.data, b.len);
	ck_assert_uint_eq(iana_index_version(v3), 3);
	ck_assert_uint_eq(iana_index_version(v4), IANA_INDEX_VERSION);
	struct iana_index_source recorded;
	ck_assert(iana_index_source(v3, &recorded));
	expect_same_entries(&b, v3);
	expect_same_lookups(v3, v4);

	/* Version 4: its slots, read as they were. */
	struct iana_index *previous = open_mem(v4_data, v4_len);
	ck_assert_uint_eq(iana_index_version(previous), 4);
	expect_same_entries(&b, previous);
	expect_same_lookups(previous, v4);
	struct iana_index_answer was, is;
	ck_assert_int_eq(iana_index_find_name_answer(previous, "WWW", IANA_PROTO_NONE, &was),
			 iana_index_find_name_answer(v4, "WWW", IANA_PROTO_NONE, &is));
	ck_assert(strcmp(was.name, is.name) == 0 && was.port_first == is.port_first && was.protocol == is.protocol);
	iana_index_close(previous);
	/* A version-4 file called version 5, and a version-5 one called 4:
	 * their tables do not fill the file as that version's would. */
	struct iana_index_header hv = header_of(v4_data);
	hv.version = 5;
	put_header(v4_data, &hv);
	expect_refused(v4_data, v4_len, "a version-4 index labelled 5");
	hv = header_of(b.data);
	hv.version = 4;
	put_header(b.data, &hv);
	expect_refused(b.data, b.len, "a version-5 index labelled 4");
	hv.version = IANA_INDEX_VERSION;
	put_header(b.data, &hv);
	free(v4_data);
	ck_assert_int_eq(iana_index_find_port(v3, 6005, IANA_PROTO_TCP), entry_named(&b, "x11", IANA_PROTO_TCP));
	iana_index_close(v3);

	/* Version 2: read, with its (then reserved) words meaning nothing. */
	h.version = 2;
	memcpy(old, &h, IANA_INDEX_V3_HEADER_SIZE);
	struct iana_index *v2 = open_mem(old, len);
	ck_assert_uint_eq(iana_index_version(v2), 2);
	ck_assert(!iana_index_source(v2, &recorded));
	expect_same_lookups(v2, v4);
	iana_index_close(v2);

	/* Each layout with the other's header size is refused. */
	h.header_size = sizeof(struct iana_index_header);
	memcpy(old, &h, IANA_INDEX_V3_HEADER_SIZE);
	expect_refused(old, len, "a version-3 index with an 80-byte header");
	struct iana_index_header h4 = header_of(b.data);
	h4.header_size = IANA_INDEX_V3_HEADER_SIZE;
	put_header(b.data, &h4);
	expect_refused(b.data, b.len, "a version-5 index with a 72-byte header");
	iana_index_close(v4);
	free(old);
	built_free(&b);
}
END_TEST

/* ---- the real registry ---- */

/* First entry in order with NAME (canonical or alias, ASCII case
 * ignored) on PROTOCOL (NONE: any), among entries [0, limit). */
static long scan_name(const struct built *b, const char *name, unsigned protocol, size_t limit)
{
	for (size_t i = 0; i < limit; i++) {
		const struct iana_service *e = &b->entries[i];
		if (protocol != IANA_PROTO_NONE && e->protocol != protocol)
			continue;
		if (ascii_eq(e->record->name, name))
			return (long)i;
		for (size_t a = 0; a < e->n_aliases; a++)
			if (ascii_eq(e->aliases[a], name))
				return (long)i;
	}
	return -1;
}

static long scan_port(const struct built *b, uint16_t port, unsigned protocol)
{
	for (size_t i = 0; i < b->n; i++) {
		const struct iana_service *e = &b->entries[i];
		if (e->protocol == protocol && e->port_first == port && e->port_last == port)
			return (long)i;
	}
	for (size_t i = 0; i < b->n; i++) {
		const struct iana_service *e = &b->entries[i];
		if (e->protocol == protocol && e->port_first <= port && port <= e->port_last)
			return (long)i;
	}
	return -1;
}

START_TEST(test_full_registry)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/../../../shared/registry/service-names-port-numbers.xml", FIXTURES_DIR);
	if (access(path, R_OK) != 0) {
		printf("test_full_registry: %s absent; skipped\n", path);
		return;
	}
	struct iana_registry *reg;
	ck_assert_int_eq(load_path(path, "registry", &reg, NULL), IANA_LOAD_OK);
	struct built b;
	build_from(&b, reg);
	ck_assert_uint_gt(b.n, 10000);
	struct iana_index *index = open_mem(b.data, b.len);
	expect_same_entries(&b, index);
	for (size_t i = 0; i < b.n; i++) {
		const struct iana_service *e = &b.entries[i];
		/* The entry itself matches, so the first match is at most i. */
		long want = scan_name(&b, e->record->name, e->protocol, i + 1);
		ck_assert_msg(iana_index_find_name(index, e->record->name, e->protocol) == want,
			      "find_name %s/%u", e->record->name, e->protocol);
		want = scan_name(&b, e->record->name, IANA_PROTO_NONE, i + 1);
		ck_assert_msg(iana_index_find_name(index, e->record->name, IANA_PROTO_NONE) == want,
			      "find_name %s/any", e->record->name);
		for (size_t a = 0; a < e->n_aliases; a++)
			ck_assert_int_eq(iana_index_find_name(index, e->aliases[a], e->protocol),
					 scan_name(&b, e->aliases[a], e->protocol, i + 1));
		if (e->port_first == e->port_last) {
			want = -1;
			for (size_t j = 0; j <= i && want < 0; j++)
				if (b.entries[j].protocol == e->protocol && b.entries[j].port_first == e->port_first &&
				    b.entries[j].port_last == e->port_first)
					want = (long)j;
		} else {
			want = scan_port(&b, e->port_first, e->protocol);
		}
		ck_assert_msg(iana_index_find_port(index, e->port_first, e->protocol) == want,
			      "find_port %u/%u", e->port_first, e->protocol);
	}
	/* Every port of the ranges, and around them. */
	for (size_t i = 0; i < b.n; i++) {
		const struct iana_service *e = &b.entries[i];
		if (e->port_first == e->port_last)
			continue;
		for (unsigned p = e->port_first ? e->port_first - 1u : 0; p <= e->port_last + 1u && p <= 65535; p++)
			ck_assert_int_eq(iana_index_find_port(index, (uint16_t)p, e->protocol),
					 scan_port(&b, (uint16_t)p, e->protocol));
	}
	ck_assert_int_eq(iana_index_find_name(index, "HTTP", IANA_PROTO_TCP),
			 scan_name(&b, "http", IANA_PROTO_TCP, b.n));
	iana_index_close(index);
	built_free(&b);
}
END_TEST

/* The answers the NSS module copies from (iana_index_find_name_answer(),
 * iana_index_find_port_answer()): for names of every length from 1 to
 * 20 (up to 15 in the entry's own 16 bytes, the rest in the string
 * table), asked as spelt, in capitals and by an alias, on the entry's
 * protocol and on any, each field is the entry's, name_len is the
 * canonical name's length and name_padded says where the name is; and
 * both agree with iana_index_answer() and the entry numbers of the plain
 * finders. */
START_TEST(test_answers)
{
	char xml[16384], names[21][24];
	size_t at = (size_t)snprintf(xml, sizeof(xml), "<?xml version=\"1.0\"?>\n"
					   "<registry xmlns=\"http://www.iana.org/assignments\">\n");
	for (unsigned len = 1; len <= 20; len++) {
		for (unsigned c = 0; c < len; c++)
			names[len][c] = (char)('a' + (len + c) % 26);
		names[len][len] = '\0';
		/* Ports of both kinds: single ports and, for every third name,
		 * a range; an alias (a second name on the same port) for
		 * every other name. */
		if (len % 3 == 0)
			at += (size_t)snprintf(xml + at, sizeof(xml) - at,
					       "<record><name>%s</name><protocol>%s</protocol><number>%u-%u</number></record>\n",
					       names[len], len % 2 ? "udp" : "sctp", 2000 + 10 * len, 2005 + 10 * len);
		else
			at += (size_t)snprintf(xml + at, sizeof(xml) - at,
					       "<record><name>%s</name><protocol>%s</protocol><number>%u</number></record>\n",
					       names[len], len % 2 ? "tcp" : "dccp", 1000 + len);
		if (len % 2 == 0 && len % 3 != 0)
			at += (size_t)snprintf(xml + at, sizeof(xml) - at,
					       "<record><name>alias-%u</name><protocol>dccp</protocol><number>%u</number></record>\n",
					       len, 1000 + len);
	}
	snprintf(xml + at, sizeof(xml) - at, "</registry>\n");
	struct built b;
	build_string(&b, xml);
	struct iana_index *index = open_mem(b.data, b.len);
	for (size_t i = 0; i < b.n; i++) {
		const struct iana_service *e = &b.entries[i];
		const char *name = e->record->name;
		struct iana_index_answer want, got;
		ck_assert(iana_index_answer(index, i, &want));
		ck_assert_str_eq(want.name, name);
		char upper[32];
		snprintf(upper, sizeof(upper), "%s", name);
		for (char *c = upper; *c; c++)
			if (*c >= 'a' && *c <= 'z')
				*c = (char)(*c - 'a' + 'A');
		const char *asked[] = {name, upper, e->n_aliases > 0 ? e->aliases[0] : NULL};
		const unsigned protocols[] = {e->protocol, IANA_PROTO_NONE};
		for (size_t k = 0; k < 3 && asked[k] != NULL; k++)
			for (size_t q = 0; q < 2; q++) {
				unsigned p = protocols[q];
				memset(&got, 0x5a, sizeof(got));
				ck_assert_int_eq(iana_index_find_name_answer(index, asked[k], p, &got), (long)i);
				ck_assert_int_eq(iana_index_find_name(index, asked[k], p), (long)i);
				ck_assert_msg(strcmp(got.name, name) == 0 && got.name_len == strlen(name),
					      "%s/%u: \"%s\", %zu bytes", asked[k], p, got.name, got.name_len);
				ck_assert(got.name_padded == (strlen(name) < IANA_INDEX_NAME_TEXT));
				ck_assert_uint_eq(got.port_first, e->port_first);
				ck_assert_uint_eq(got.port_last, e->port_last);
				ck_assert_uint_eq(got.n_aliases, e->n_aliases);
				ck_assert_uint_eq(got.protocol, e->protocol);
				ck_assert(got.port_first == want.port_first && got.port_last == want.port_last &&
					  got.n_aliases == want.n_aliases && got.protocol == want.protocol);
			}
		for (unsigned port = e->port_first; port <= e->port_last; port++)
			for (size_t q = 0; q < 2; q++) {
				unsigned p = protocols[q];
				memset(&got, 0x5a, sizeof(got));
				ck_assert_int_eq(iana_index_find_port_answer(index, (uint16_t)port, p, &got), (long)i);
				ck_assert_int_eq(iana_index_find_port(index, (uint16_t)port, p), (long)i);
				ck_assert_msg(strcmp(got.name, name) == 0 && got.name_len == strlen(name),
					      "port %u/%u: \"%s\", %zu bytes", port, p, got.name, got.name_len);
				ck_assert(got.name_padded == (strlen(name) < IANA_INDEX_NAME_TEXT));
				ck_assert(got.port_first == e->port_first && got.port_last == e->port_last &&
					  got.n_aliases == e->n_aliases && got.protocol == e->protocol);
			}
	}
	struct iana_index_answer none;
	ck_assert_int_eq(iana_index_find_name_answer(index, "absent", 0, &none), -1);
	ck_assert_int_eq(iana_index_find_name_answer(index, "", 0, &none), -1);
	ck_assert_int_eq(iana_index_find_name_answer(index, NULL, 0, &none), -1);
	ck_assert_int_eq(iana_index_find_port_answer(index, 999, 0, &none), -1);
	iana_index_close(index);
	built_free(&b);
}
END_TEST

/* ---- runs of occupied name rows (index_format.h, Names) ---- */

static uint32_t longest_row_run(char *data)
{
	uint32_t n = header_of(data).n_name_slots, longest = 0, run = 0;
	for (uint64_t k = 0; k < 2 * (uint64_t)n; k++) {
		run = row_ptr(data, k % n)->tag != 0 ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	return longest;
}

/* A registry of N_NAMES names, all homed within 8 rows of a table sized
 * for them (found by trying names n0, n1, ...): the writer doubles the
 * table until no run is longer than IANA_INDEX_MAX_RUN. */
START_TEST(test_row_runs_written)
{
	enum { N_NAMES = 300 };
	uint32_t bits = 0;
	while ((1u << bits) < 2 * N_NAMES)
		bits++;
	char *xml = malloc(N_NAMES * 160 + 200);
	ck_assert_ptr_nonnull(xml);
	int at = sprintf(xml, "<?xml version=\"1.0\"?>\n<registry xmlns=\"http://www.iana.org/assignments\">\n");
	/* 32 bytes, though the names are short: with 16, gcc 16 (-O2, ASan)
	 * warns that iana_name_hash()'s loop for names over 16 bytes would
	 * read past the array, which it cannot tell is never taken. */
	char names[N_NAMES][32];
	int found = 0;
	for (unsigned k = 0; found < N_NAMES; k++) {
		char name[32];
		snprintf(name, sizeof name, "n%u", k);
		uint32_t fp = IANA_INDEX_NAME_FINGERPRINT(iana_name_hash(name, strlen(name)));
		if (IANA_INDEX_NAME_HOME(fp, bits) >= 8)
			continue;
		memcpy(names[found], name, sizeof name);
		at += sprintf(xml + at, "<record><name>%s</name><protocol>tcp</protocol><number>%d</number></record>\n",
			      name, 1000 + found);
		found++;
	}
	strcpy(xml + at, "</registry>\n");
	struct built b;
	build_string(&b, xml);
	free(xml);
	struct iana_index_header h = header_of(b.data);
	ck_assert_uint_gt(h.n_name_slots, 1u << bits);
	ck_assert_uint_le(longest_row_run(b.data), IANA_INDEX_MAX_RUN);
	struct iana_index *index = open_mem(b.data, b.len);
	for (int i = 0; i < N_NAMES; i++)
		ck_assert_int_ge(iana_index_find_name(index, names[i], IANA_PROTO_TCP), 0);
	ck_assert_int_eq(iana_index_find_name(index, "n-none", IANA_PROTO_TCP), -1);
	iana_index_close(index);
	built_free(&b);
}
END_TEST

/* Names that all have the last row of a 32-row table as their home sit
 * in it and the rows after it, wrapping to the first: each is found from
 * the tags read as one word (the copies of the first rows' tags after the
 * last), on its protocol and on any, also past those eight rows, behind
 * rows of the other protocol and of the same name on the other protocol,
 * and behind a row whose tag byte is its own (the second name's is the
 * first's: their full tags differ); a name of that home the registry does
 * not have is not found, nor is one whose tag byte is the first's; and an
 * empty row ends the probe, whatever rows come after it. */
START_TEST(test_probe_window)
{
	enum { N_NAMES = 11, BITS = 5 };
	char names[N_NAMES][32], absent[32] = "", lookalike[32] = "";
	char xml[8192];
	int at = sprintf(xml, "<?xml version=\"1.0\"?>\n<registry xmlns=\"http://www.iana.org/assignments\">\n");
	int found = 0;
	uint8_t first_tag8 = 0;
	for (unsigned k = 0; found < N_NAMES || absent[0] == '\0' || lookalike[0] == '\0'; k++) {
		ck_assert_uint_lt(k, 1000000);
		char name[32];
		snprintf(name, sizeof name, "w%u", k);
		uint32_t fp = IANA_INDEX_NAME_FINGERPRINT(iana_name_hash(name, strlen(name)));
		if (IANA_INDEX_NAME_HOME(fp, BITS) != (1u << BITS) - 1)
			continue;
		if (found == 0)
			first_tag8 = IANA_INDEX_NAME_TAG8(fp | IANA_PROTO_TCP);
		bool same_tag8 = found > 0 && IANA_INDEX_NAME_TAG8(fp | IANA_PROTO_TCP) == first_tag8;
		if (found < N_NAMES && (found == 1) == same_tag8) {
			memcpy(names[found], name, sizeof name);
			/* Even names on tcp, odd ones on udp, but the second on tcp
			 * (behind the first, whose tag byte it has); the fourth on
			 * both (two rows of one fingerprint). */
			const char *protocols[] = {found % 2 && found != 1 ? "udp" : "tcp", found == 3 ? "tcp" : NULL};
			for (size_t p = 0; p < 2 && protocols[p] != NULL; p++)
				at += sprintf(xml + at,
					      "<record><name>%s</name><protocol>%s</protocol><number>%d</number></record>\n",
					      name, protocols[p], 3000 + found);
			found++;
		} else if (same_tag8) {
			if (lookalike[0] == '\0' && found > 1)
				memcpy(lookalike, name, sizeof name);
		} else if (absent[0] == '\0') {
			memcpy(absent, name, sizeof name);
		}
	}
	strcpy(xml + at, "</registry>\n");
	struct built b;
	build_string(&b, xml);
	struct iana_index_header h = header_of(b.data);
	ck_assert_uint_eq(h.n_name_slots, 1u << BITS);
	/* Rows 31, 0, 1, ... 10 hold the twelve rows, in registry order. */
	for (uint32_t k = 0; k < N_NAMES + 1; k++)
		ck_assert_uint_ne(tags_ptr(b.data)[(h.n_name_slots - 1 + k) % h.n_name_slots], 0);
	ck_assert_uint_eq(tags_ptr(b.data)[N_NAMES + 1], 0);
	struct iana_index *index = open_mem(b.data, b.len);
	for (int i = 0; i < N_NAMES; i++) {
		unsigned protocol = i % 2 && i != 1 ? IANA_PROTO_UDP : IANA_PROTO_TCP;
		long e = iana_index_find_name(index, names[i], protocol);
		ck_assert_msg(e >= 0 && strcmp(b.entries[e].record->name, names[i]) == 0 &&
				      b.entries[e].protocol == protocol,
			      "%s/%u", names[i], protocol);
		/* On any protocol: the first in registry order. */
		ck_assert_int_eq(iana_index_find_name(index, names[i], IANA_PROTO_NONE), e);
		ck_assert_int_eq(iana_index_find_name(index, names[i], IANA_PROTO_SCTP), -1);
		if (i != 3)
			ck_assert_int_eq(iana_index_find_name(index, names[i],
							      protocol == IANA_PROTO_UDP ? IANA_PROTO_TCP : IANA_PROTO_UDP),
					 -1);
	}
	long both = iana_index_find_name(index, names[3], IANA_PROTO_TCP);
	ck_assert(both >= 0 && b.entries[both].protocol == IANA_PROTO_TCP);
	ck_assert_int_eq(iana_index_find_name(index, names[3], IANA_PROTO_NONE),
			 iana_index_find_name(index, names[3], IANA_PROTO_UDP));
	for (unsigned p = 0; p <= IANA_PROTO_COUNT; p++) {
		ck_assert_int_eq(iana_index_find_name(index, absent, p), -1);
		ck_assert_int_eq(iana_index_find_name(index, lookalike, p), -1);
	}
	iana_index_close(index);

	/* Row 1 (the third name's) emptied: the names before it are found,
	 * none after it. */
	memset(row_ptr(b.data, 1), 0, sizeof(struct iana_index_name_row));
	retag(b.data, b.len);
	index = open_mem(b.data, b.len);
	ck_assert_int_ge(iana_index_find_name(index, names[0], IANA_PROTO_NONE), 0);
	ck_assert_int_ge(iana_index_find_name(index, names[1], IANA_PROTO_NONE), 0);
	for (int i = 2; i < N_NAMES; i++)
		ck_assert_int_eq(iana_index_find_name(index, names[i], IANA_PROTO_NONE), -1);
	iana_index_close(index);
	built_free(&b);
}
END_TEST

/* A run of IANA_INDEX_MAX_RUN occupied rows is read; one more is
 * refused at open, so no lookup ever walks further. */
START_TEST(test_row_runs_read)
{
	enum { N_NAMES = 200 };
	char *xml = malloc(N_NAMES * 160 + 200);
	ck_assert_ptr_nonnull(xml);
	int at = sprintf(xml, "<?xml version=\"1.0\"?>\n<registry xmlns=\"http://www.iana.org/assignments\">\n");
	for (int i = 0; i < N_NAMES; i++)
		at += sprintf(xml + at, "<record><name>svc%d</name><protocol>tcp</protocol><number>%d</number></record>\n",
			      i, 1000 + i);
	strcpy(xml + at, "</registry>\n");
	struct built b;
	build_string(&b, xml);
	free(xml);
	struct iana_index_header h = header_of(b.data);
	ck_assert_uint_gt(h.n_name_slots, IANA_INDEX_MAX_RUN + 1);
	struct iana_index_name_row row = {0};
	for (uint32_t i = 0; i < h.n_name_slots && row.tag == 0; i++)
		row = *row_ptr(b.data, i);
	for (uint32_t run = IANA_INDEX_MAX_RUN; run <= IANA_INDEX_MAX_RUN + 1; run++) {
		for (uint32_t i = 0; i < h.n_name_slots; i++)
			*row_ptr(b.data, i) = i < run ? row : (struct iana_index_name_row){0};
		retag(b.data, b.len);
		if (run == IANA_INDEX_MAX_RUN) {
			struct iana_index *index = open_mem(b.data, b.len);
			ck_assert_int_eq(iana_index_find_name(index, "none-such", IANA_PROTO_NONE), -1);
			exercise(index);
			iana_index_close(index);
		} else {
			expect_refused(b.data, b.len, "a run of occupied rows longer than IANA_INDEX_MAX_RUN");
		}
	}
	built_free(&b);
}
END_TEST

static Suite *service_index_suite(void)
{
	Suite *suite = suite_create("service_index");
	TCase *tc = tcase_create("format");
	tcase_add_test(tc, test_crc32_vectors);
	tcase_add_test(tc, test_name_hash);
	tcase_add_test(tc, test_name_hash_v4);
	tcase_add_test(tc, test_name_words_cstr);
	tcase_add_test(tc, test_source_recorded);
	tcase_add_test(tc, test_index_or_registry);
	tcase_add_test(tc, test_header_fields);
	tcase_add_test(tc, test_entries_match_table);
	tcase_add_test(tc, test_answers);
	tcase_add_test(tc, test_probe_window);
	tcase_add_test(tc, test_find_name);
	tcase_add_test(tc, test_registry_order);
	tcase_add_test(tc, test_find_port);
	tcase_add_test(tc, test_details);
	tcase_add_test(tc, test_blocks);
	tcase_add_test(tc, test_empty_registry);
	tcase_add_test(tc, test_deterministic);
	suite_add_tcase(suite, tc);

	tc = tcase_create("corrupt");
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_foreign);
	tcase_add_test(tc, test_bad_checksum);
	tcase_add_test(tc, test_bad_layout);
	tcase_add_test(tc, test_hostile_entry);
	tcase_add_test(tc, test_hostile_tables);
	tcase_add_test(tc, test_hostile_details);
	tcase_add_test(tc, test_row_runs_written);
	tcase_add_test(tc, test_row_runs_read);
	suite_add_tcase(suite, tc);

	tc = tcase_create("files");
	tcase_add_test(tc, test_open_file);
	tcase_add_test(tc, test_previous_versions);
	tcase_add_test(tc, test_full_registry);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(suite, tc);
	return suite;
}

RUN_SUITE(service_index_suite)
