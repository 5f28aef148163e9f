/* index_writer.c - iana_index_write() (index_writer.h): lays a services
 * table out in the format of index_format.h, renders each entry's
 * references and assignees as the display text of the details table, and
 * records the source registry's identity.
 *
 * The whole file is assembled in one buffer (tables after the header, then
 * the strings, deduplicated through a hash map so that a description or
 * name repeated on tcp and udp is stored once), the checksum is taken over
 * it, and header and body go out in two fwrite() calls.  Nothing depends on
 * addresses or time: the same registry gives the same bytes. */
#include "crc32.h"
#include "fnv1a.h"
#include "grow_buffer.h"
#include "iana_registry.h"
#include "index_writer.h"
#include "name_hash.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The string table under construction, with an open-addressing map from
 * string (exact bytes) to its offset. */
struct string_pool {
	struct grow_buffer text; /* the strings, each with its NUL */
	uint32_t *slots; /* offset + 1; 0 = empty */
	size_t n_slots, used;
};

static int pool_grow_slots(struct string_pool *pool)
{
	size_t n = pool->n_slots ? pool->n_slots * 2 : 1024;
	uint32_t *slots = calloc(n, sizeof(*slots));
	if (slots == NULL)
		return -1;
	for (size_t i = 0; i < pool->n_slots; i++) {
		uint32_t v = pool->slots[i];
		if (v == 0)
			continue;
		const char *s = pool->text.data + v - 1;
		size_t j = iana_fnv1a(s, strlen(s)) & (n - 1);
		while (slots[j] != 0)
			j = (j + 1) & (n - 1);
		slots[j] = v;
	}
	free(pool->slots);
	pool->slots = slots;
	pool->n_slots = n;
	return 0;
}

/* Offset of S in the pool, adding it if new; NULL and "" are offset 0.
 * Returns -1 on allocation failure or when the table would pass 4 GiB. */
static int64_t pool_add(struct string_pool *pool, const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	if ((pool->used + 1) * 2 > pool->n_slots && pool_grow_slots(pool) < 0)
		return -1;
	size_t len = strlen(s);
	size_t j = iana_fnv1a(s, len) & (pool->n_slots - 1);
	while (pool->slots[j] != 0) {
		const char *t = pool->text.data + pool->slots[j] - 1;
		if (memcmp(t, s, len + 1) == 0)
			return pool->slots[j] - 1;
		j = (j + 1) & (pool->n_slots - 1);
	}
	if (len >= UINT32_MAX - 8 || pool->text.len + len + 1 >= UINT32_MAX - 8) {
		errno = EOVERFLOW;
		return -1;
	}
	uint32_t offset = (uint32_t)pool->text.len;
	/* Appended with its NUL, which iana_grow_buffer_append() adds after it. */
	if (iana_grow_buffer_append(&pool->text, s, len) < 0)
		return -1;
	pool->text.len++;
	pool->slots[j] = offset + 1;
	pool->used++;
	return offset;
}

/* Offset 0 holds "" (none). */
static int pool_init(struct string_pool *pool)
{
	if (iana_grow_buffer_reserve(&pool->text, 64 * 1024) < 0 || pool_grow_slots(pool) < 0)
		return -1;
	pool->text.data[0] = '\0';
	pool->text.len = 1;
	return 0;
}

/* The name table (index_format.h, Names): N_SLOTS (a power of two) rows
 * of which the N_NAMES rows at NAMES fill some, inserted in the order
 * given. */
static void fill_name_table(struct iana_index_name_row *table, uint32_t n_slots,
			    const struct iana_index_name_row *names, size_t n_names)
{
	uint32_t bits = 0;
	while ((1u << bits) < n_slots)
		bits++;
	memset(table, 0, (size_t)n_slots * sizeof(*table));
	for (size_t r = 0; r < n_names; r++) {
		uint32_t i = IANA_INDEX_NAME_HOME(IANA_INDEX_NAME_FINGERPRINT(names[r].tag), bits);
		while (table[i].tag != 0)
			i = (i + 1) & (n_slots - 1);
		table[i] = names[r];
	}
}

/* The row of NAME, a name of entry I (E, filled), as its canonical name
 * or, ALIAS, an alias (index_format.h, Names). */
static struct iana_index_name_row name_row(const char *name, uint32_t i, const struct iana_index_entry_v4 *e,
					   bool alias)
{
	size_t len = strlen(name);
	struct iana_index_name_row row = {
		.tag = IANA_INDEX_NAME_FINGERPRINT(iana_name_hash(name, len)) | (e->protocol & 7u),
		.entry = i,
		.port_first = e->port_first,
		.port_last = e->port_last,
		.n_aliases = e->n_aliases,
		.alias = alias,
	};
	if (len < IANA_INDEX_NAME_TEXT)
		memcpy(row.name_text, name, len);
	return row;
}

/* Rows for N_NAMES names: a power of two, at least 8 and twice them. */
static uint32_t slots_for(size_t n_names)
{
	uint32_t n = 8;
	while ((uint64_t)n < (uint64_t)n_names * 2)
		n *= 2;
	return n;
}

#define PORT_ANSWERS (IANA_INDEX_PORT_PROTOCOLS * IANA_INDEX_PORT_PAGES * IANA_INDEX_PAGE_PORTS)

/* Record entry E (on PROTOCOL 1-4, ports FIRST-LAST) in ANSWERS, the answer
 * of every port of every protocol (index_format.h, Ports): a single port
 * replaces a range's answer, the first single or range stays otherwise.
 * Marks in USED each page (protocol and high byte) that then has an
 * answer, so that fill_pages() reads only those: most of the 1 MiB of
 * ANSWERS stays untouched, which a registry of a few lines (the fuzz
 * targets write an index of every input) would otherwise pay for. */
static void add_port_answer(uint32_t *answers, bool *used, uint32_t e, unsigned protocol, uint16_t first,
			    uint16_t last)
{
	size_t row_page = (size_t)(protocol - 1) * IANA_INDEX_PORT_PAGES;
	uint32_t *row = answers + row_page * IANA_INDEX_PAGE_PORTS;
	for (uint32_t page = first / IANA_INDEX_PAGE_PORTS; page <= last / IANA_INDEX_PAGE_PORTS; page++)
		used[row_page + page] = true;
	if (first == last) {
		if (row[first] == 0 || (row[first] & IANA_INDEX_PORT_RANGE) != 0)
			row[first] = e + 1;
		return;
	}
	for (uint32_t port = first; port <= last; port++)
		if (row[port] == 0)
			row[port] = (e + 1) | IANA_INDEX_PORT_RANGE;
}

/* Split ANSWERS into the port directory DIR and the pages at PAGES (room
 * for every page, page 0 left zero), reading only the pages USED marks
 * (each of them has an answer).  Returns the number of pages. */
static uint32_t fill_pages(const uint32_t *answers, const bool *used, uint16_t *dir, uint32_t *pages)
{
	uint32_t n_pages = 1;
	for (size_t d = 0; d < IANA_INDEX_PORT_PROTOCOLS * IANA_INDEX_PORT_PAGES; d++) {
		if (!used[d])
			continue;
		const uint32_t *page = answers + d * IANA_INDEX_PAGE_PORTS;
		memcpy(pages + (size_t)n_pages * IANA_INDEX_PAGE_PORTS, page, IANA_INDEX_PAGE_PORTS * sizeof(*page));
		dir[d] = (uint16_t)n_pages++;
	}
	return n_pages;
}

/* Append "; " between items, then S (N bytes).  0 or -1. */
static int text_item(struct grow_buffer *text, const char *s, size_t n)
{
	if (text->len > 0 && iana_grow_buffer_append(text, "; ", 2) < 0)
		return -1;
	return iana_grow_buffer_append(text, s, n);
}

static int text_append(struct grow_buffer *text, const char *s)
{
	return iana_grow_buffer_append(text, s, strlen(s));
}

/* "RFC 6335, Section 4.3; draft-ietf-...; https://...; text" for the
 * references of R.  People (shown as assignees) and footnote pointers
 * ([1], notes about the table) are left out.  TEXT is reset first; ""
 * when none. */
static int render_references(struct grow_buffer *text, const struct iana_record *r)
{
	text->len = 0;
	if (iana_grow_buffer_append(text, "", 0) < 0)
		return -1;
	for (size_t i = 0; i < r->n_refs; i++) {
		const struct iana_reference *ref = &r->refs[i];
		const char *shown = ref->text != NULL ? ref->text : ref->data;
		bool add_section = ref->text == NULL; /* display text says it all */
		char rfc[32];
		if (ref->kind == IANA_REF_NOTE || ref->kind == IANA_REF_PERSON)
			continue;
		if (ref->kind == IANA_REF_RFC && ref->data != NULL && strncmp(ref->data, "rfc", 3) == 0 &&
		    ref->data[3] != '\0') {
			snprintf(rfc, sizeof(rfc), "RFC %.20s", ref->data + 3);
			shown = rfc;
			add_section = true;
		}
		if (shown == NULL || *shown == '\0')
			continue;
		if (text_item(text, shown, strlen(shown)) < 0)
			return -1;
		if (add_section && ref->section != NULL && *ref->section != '\0' &&
		    (text_append(text, ", Section ") < 0 || text_append(text, ref->section) < 0))
			return -1;
	}
	return 0;
}

/* Append the N bytes of ADDRESS as a mail address.  IANA writes its
 * addresses with '&' for '@' ("iesg&ietf.org", 5,535 of the 5,556 mailto:
 * addresses of the 2026 registry): an address without '@' holding exactly
 * one '&' is shown with '@' there.  (Only this display text, made for the
 * Wireshark plugin, changes; the registry model and --format json keep
 * IANA's text.) */
static int append_address(struct grow_buffer *text, const char *address, size_t n)
{
	const char *amp = memchr(address, '&', n);
	if (amp == NULL || memchr(address, '@', n) != NULL ||
	    memchr(amp + 1, '&', n - (size_t)(amp + 1 - address)) != NULL)
		return iana_grow_buffer_append(text, address, n);
	size_t local = (size_t)(amp - address);
	return iana_grow_buffer_append(text, address, local) < 0 || text_append(text, "@") < 0 ||
			       iana_grow_buffer_append(text, amp + 1, n - local - 1) < 0
		       ? -1
		       : 0;
}

/* Append one person: name (else organisation, else ID) and the first
 * address of a mailto: URI, "Jane Doe <jane@example.org>". */
static int render_person(struct grow_buffer *text, const char *id, const struct iana_person *p)
{
	const char *who = id;
	if (p != NULL && p->name != NULL)
		who = p->name;
	else if (p != NULL && p->org != NULL)
		who = p->org;
	if (text_item(text, who, strlen(who)) < 0)
		return -1;
	if (p != NULL && p->uri != NULL && strncmp(p->uri, "mailto:", 7) == 0) {
		const char *address = p->uri + 7;
		size_t n = strcspn(address, " ");
		if (n > 0 && (text_append(text, " <") < 0 || append_address(text, address, n) < 0 ||
			      text_append(text, ">") < 0))
			return -1;
	}
	return 0;
}

/* The assignees of R, "; "-separated.  Older records name their
 * registrant only as a person reference in the body (IANA's CSV shows it
 * as the Assignee): those stand in when R has no <assignee>.  TEXT is
 * reset first; "" when none. */
static int render_assignees(struct grow_buffer *text, const struct iana_registry *registry,
			    const struct iana_record *r)
{
	text->len = 0;
	if (iana_grow_buffer_append(text, "", 0) < 0)
		return -1;
	for (size_t i = 0; i < r->n_assignees; i++)
		if (render_person(text, r->assignees[i].id, r->assignees[i].person) < 0)
			return -1;
	if (r->n_assignees > 0)
		return 0;
	for (size_t i = 0; i < r->n_refs; i++) {
		const struct iana_reference *ref = &r->refs[i];
		if (ref->kind != IANA_REF_PERSON || ref->data == NULL)
			continue;
		if (render_person(text, ref->data, iana_registry_person(registry, ref->data)) < 0)
			return -1;
	}
	return 0;
}

/* Registry records with a port and no service name, in registry order. */
static size_t count_blocks(const struct iana_record *records, size_t n_records)
{
	size_t n = 0;
	for (size_t i = 0; i < n_records; i++)
		n += records[i].name == NULL && records[i].has_port;
	return n;
}

int iana_index_write(FILE *out, const struct iana_registry *registry,
		     const struct iana_service_table *table, const struct iana_index_source *source)
{
	size_t n_entries;
	const struct iana_service *services = iana_service_table_entries(table, &n_entries);
	size_t n_aliases = 0;
	for (size_t i = 0; i < n_entries; i++)
		n_aliases += services[i].n_aliases;
	size_t n_names = n_entries + n_aliases;
	size_t n_records;
	const struct iana_record *records = iana_registry_records(registry, &n_records);
	size_t n_blocks = count_blocks(records, n_records);
	/* Entries and names far below 2^31 (an answer's flag bit), the name
	 * table's size within 32 bits. */
	if (n_entries > UINT32_MAX / sizeof(struct iana_index_entry_v4) ||
	    n_names > UINT32_MAX / (4 * sizeof(struct iana_index_name_row)) ||
	    n_blocks > UINT32_MAX / sizeof(struct iana_index_block)) {
		errno = EOVERFLOW;
		return -1;
	}
	uint32_t n_slots = slots_for(n_names);

	int rc = -1;
	struct string_pool pool = {0};
	struct iana_index_entry_v4 *entries = calloc(n_entries ? n_entries : 1, sizeof(*entries));
	uint32_t *aliases = calloc(n_aliases ? n_aliases : 1, sizeof(*aliases));
	struct iana_index_name_row *names = calloc(n_names ? n_names : 1, sizeof(*names));
	struct iana_index_name_row *name_table = calloc(n_slots, sizeof(*name_table));
	uint32_t *answers = calloc(PORT_ANSWERS, sizeof(*answers));
	uint16_t dir[IANA_INDEX_PORT_PROTOCOLS * IANA_INDEX_PORT_PAGES] = {0};
	bool page_used[IANA_INDEX_PORT_PROTOCOLS * IANA_INDEX_PORT_PAGES] = {false};
	uint32_t *pages = calloc(PORT_ANSWERS + IANA_INDEX_PAGE_PORTS, sizeof(*pages));
	struct iana_index_detail_v4 *details = calloc(n_entries ? n_entries : 1, sizeof(*details));
	struct iana_index_block *blocks = calloc(n_blocks ? n_blocks : 1, sizeof(*blocks));
	struct grow_buffer text = {0};
	char *body = NULL;
	if (entries == NULL || aliases == NULL || names == NULL || name_table == NULL || answers == NULL ||
	    pages == NULL || details == NULL || blocks == NULL)
		goto out;
	if (pool_init(&pool) < 0)
		goto out;

	/* Names in entry order, each entry's canonical name first: the
	 * insertion order index_format.h prescribes. */
	size_t a_used = 0, n_used = 0;
	for (size_t i = 0; i < n_entries; i++) {
		const struct iana_service *s = &services[i];
		struct iana_index_entry_v4 *e = &entries[i];
		int64_t name = pool_add(&pool, s->record->name);
		int64_t description = pool_add(&pool, s->record->description);
		int64_t unauthorized = pool_add(&pool, s->record->unauthorized);
		if (name < 0 || description < 0 || unauthorized < 0)
			goto out;
		e->name = (uint32_t)name;
		/* The name beside the entry when it fits (with its NUL and
		 * the last byte, which stays NUL). */
		size_t name_len = s->record->name ? strlen(s->record->name) : 0;
		if (name_len < IANA_INDEX_NAME_TEXT)
			memcpy(e->name_text, s->record->name ? s->record->name : "", name_len);
		e->aliases = (uint32_t)a_used;
		e->n_aliases = s->n_aliases;
		e->port_first = s->port_first;
		e->port_last = s->port_last;
		e->protocol = s->protocol;
		e->status = s->record->status;
		int64_t references = render_references(&text, s->record) < 0 ? -1
				     : pool_add(&pool, text.data);
		int64_t assignees = render_assignees(&text, registry, s->record) < 0 ? -1 : pool_add(&pool, text.data);
		if (references < 0 || assignees < 0)
			goto out;
		details[i] = (struct iana_index_detail_v4){{(uint32_t)references, (uint32_t)assignees},
							   (uint32_t)description, (uint32_t)unauthorized};
		if (e->name != 0)
			names[n_used++] = name_row(s->record->name, (uint32_t)i, e, false);
		for (size_t a = 0; a < s->n_aliases; a++) {
			int64_t alias = pool_add(&pool, s->aliases[a]);
			if (alias < 0)
				goto out;
			aliases[a_used++] = (uint32_t)alias;
			if (alias != 0)
				names[n_used++] = name_row(s->aliases[a], (uint32_t)i, e, true);
		}
		if (s->protocol >= 1 && s->protocol <= IANA_INDEX_PORT_PROTOCOLS && s->port_first <= s->port_last)
			add_port_answer(answers, page_used, (uint32_t)i, s->protocol, s->port_first, s->port_last);
	}
	/* At most half full, then doubled while a run is too long (never
	 * for a real registry: its longest is 51). */
	fill_name_table(name_table, n_slots, names, n_used);
	while (iana_index_run_too_long(name_table, sizeof(*name_table), n_slots)) {
		if (n_slots > UINT32_MAX / 2 / sizeof(*name_table)) {
			errno = EOVERFLOW;
			goto out;
		}
		struct iana_index_name_row *bigger = realloc(name_table, (size_t)n_slots * 2 * sizeof(*name_table));
		if (bigger == NULL)
			goto out;
		name_table = bigger;
		n_slots *= 2;
		fill_name_table(name_table, n_slots, names, n_used);
	}
	uint32_t n_pages = fill_pages(answers, page_used, dir, pages);
	size_t b_used = 0;
	for (size_t i = 0; i < n_records; i++) {
		const struct iana_record *r = &records[i];
		if (r->name != NULL || !r->has_port)
			continue;
		int64_t description = pool_add(&pool, r->description ? r->description : iana_status_name(r->status));
		if (description < 0)
			goto out;
		blocks[b_used++] = (struct iana_index_block){
			.port_first = r->port_first,
			.port_last = r->port_last,
			.protocol = r->protocol,
			.status = r->status,
			.description = (uint32_t)description,
		};
	}

	/* Pad the strings to a multiple of 4 with NULs: the file stays 4-byte
	 * aligned throughout and the table still ends with NUL. */
	size_t strings_size = (pool.text.len + 3) & ~(size_t)3;
	size_t pages_size = (size_t)n_pages * IANA_INDEX_PAGE_PORTS * sizeof(*pages);
	size_t tags_size = (size_t)n_slots + IANA_INDEX_TAG_MIRROR;
	size_t body_size = n_entries * sizeof(*entries) + n_aliases * sizeof(*aliases) +
			   n_slots * sizeof(*name_table) + tags_size + sizeof(dir) + pages_size +
			   n_entries * sizeof(*details) + n_blocks * sizeof(*blocks) + strings_size;
	body = calloc(1, body_size);
	if (body == NULL)
		goto out;
	char *p = body;
	memcpy(p, entries, n_entries * sizeof(*entries));
	p += n_entries * sizeof(*entries);
	memcpy(p, name_table, n_slots * sizeof(*name_table));
	p += n_slots * sizeof(*name_table);
	for (size_t t = 0; t < tags_size; t++)
		*p++ = (char)IANA_INDEX_NAME_TAG8(name_table[t & (n_slots - 1)].tag);
	memcpy(p, aliases, n_aliases * sizeof(*aliases));
	p += n_aliases * sizeof(*aliases);
	memcpy(p, dir, sizeof(dir));
	p += sizeof(dir);
	memcpy(p, pages, pages_size);
	p += pages_size;
	memcpy(p, details, n_entries * sizeof(*details));
	p += n_entries * sizeof(*details);
	memcpy(p, blocks, n_blocks * sizeof(*blocks));
	p += n_blocks * sizeof(*blocks);
	memcpy(p, pool.text.data, pool.text.len); /* padding already zero */

	struct iana_date updated = iana_registry_updated(registry);
	struct iana_index_header header;
	memset(&header, 0, sizeof(header)); /* no stray bytes: determinism */
	memcpy(header.magic, IANA_INDEX_MAGIC, sizeof(header.magic));
	header.version = IANA_INDEX_VERSION;
	header.byte_order = IANA_INDEX_BYTE_ORDER;
	header.header_size = sizeof(header);
	header.checksum = iana_crc32(0, body, body_size);
	header.total_size = sizeof(header) + (uint64_t)body_size;
	header.updated_year = updated.year;
	header.updated_month = updated.month;
	header.updated_day = updated.day;
	header.n_entries = (uint32_t)n_entries;
	header.n_aliases = (uint32_t)n_aliases;
	header.strings_size = (uint32_t)strings_size;
	header.n_blocks = (uint32_t)n_blocks;
	header.n_name_slots = n_slots;
	header.n_port_pages = n_pages;
	if (source != NULL) {
		header.registry_size = source->size;
		header.registry_crc32 = source->size ? source->crc32 : 0;
	}
	if (fwrite(&header, sizeof(header), 1, out) != 1 ||
	    (body_size && fwrite(body, body_size, 1, out) != 1)) {
		if (errno == 0)
			errno = EIO;
		goto out;
	}
	rc = 0;
out:
	free(body);
	free(entries);
	free(aliases);
	free(names);
	free(name_table);
	free(answers);
	free(pages);
	free(details);
	free(blocks);
	iana_grow_buffer_free(&text);
	iana_grow_buffer_free(&pool.text);
	free(pool.slots);
	return rc;
}
