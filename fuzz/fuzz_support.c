/* fuzz_support.c - the checks the fuzz targets run on whatever the loader
 * and the index reader make of their input (see fuzz_support.h).
 *
 * Beyond "no crash, no leak, no undefined behaviour" (the sanitizers'
 * part), these are the properties checked on every input:
 *  - a load fails with a known result and no registry, or succeeds with
 *    one; a malformed input (PARSE_ERROR, BAD_FORMAT) has had at least one
 *    error diagnostic, each naming a file and carrying a message;
 *  - every record, person and reference of a loaded registry is readable
 *    to its last byte, ports and enums are in range, lines are >= 1, dates
 *    print and parse back to themselves, people resolve by their id;
 *  - the index written from the services view reads back (twice the same
 *    bytes), holds every entry with its names, aliases, ports, protocol
 *    and status, and finds each name and port as the reader's contract
 *    says: by name the first entry in registry order that has it, by port
 *    the entry itself for a single port, a range holding it otherwise.
 * The XML guard (registry/xml_guard.c) must judge the input the same
 * whole and cut in blocks.
 * The index target adds: whatever bytes the reader accepts, every accessor
 * and lookup stays inside the buffer (ASan checks each read) and any entry
 * number a lookup returns can be read. */
#include "fuzz_support.h"
#include "xml_guard.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("fuzz check failed: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

/* Read every byte of S (ASan checks the reads), NULL allowed. */
static size_t touch(const char *s)
{
	return s ? strlen(s) : 0;
}

struct diag_count {
	unsigned errors, warnings;
};

static void on_diagnostic(const struct iana_diagnostic *d, void *userdata)
{
	struct diag_count *c = userdata;
	if (d->file == NULL || d->message == NULL)
		fuzz_fail("diagnostic without a file name or a message");
	touch(d->file);
	if (touch(d->message) == 0)
		fuzz_fail("empty diagnostic message");
	if (d->severity == IANA_SEVERITY_ERROR)
		c->errors++;
	else if (d->severity == IANA_SEVERITY_WARNING)
		c->warnings++;
	else
		fuzz_fail("diagnostic severity %d", (int)d->severity);
}

static void check_date(struct iana_date d, const char *what)
{
	char buf[16];
	iana_date_format(d, buf, sizeof(buf));
	if (d.year == 0) {
		if (buf[0] != '\0' || d.month != 0 || d.day != 0)
			fuzz_fail("%s: no year but \"%s\" (month %u, day %u)", what, buf, d.month, d.day);
		return;
	}
	struct iana_date back;
	if (!iana_date_parse(buf, strlen(buf), &back) || back.year != d.year || back.month != d.month ||
	    back.day != d.day)
		fuzz_fail("%s: date \"%s\" does not parse back to itself", what, buf);
}

static void check_person_refs(const struct iana_registry *reg, const struct iana_person_ref *refs, size_t n)
{
	if (n > 0 && refs == NULL)
		fuzz_fail("%zu person references but no array", n);
	for (size_t i = 0; i < n; i++) {
		if (refs[i].id == NULL)
			fuzz_fail("person reference without an id");
		touch(refs[i].id);
		const struct iana_person *p = iana_registry_person(reg, refs[i].id);
		if (refs[i].person != p)
			fuzz_fail("person reference \"%s\" not resolved to the table's entry", refs[i].id);
	}
}

static void walk_registry(const struct iana_registry *reg)
{
	touch(iana_registry_title(reg));
	check_date(iana_registry_updated(reg), "registry date");
	size_t n_people;
	const struct iana_person *people = iana_registry_people(reg, &n_people);
	for (size_t i = 0; i < n_people; i++) {
		const struct iana_person *p = &people[i];
		if (p->id == NULL)
			fuzz_fail("person %zu without an id", i);
		touch(p->name);
		touch(p->org);
		touch(p->uri);
		check_date(p->updated, "person date");
		const struct iana_person *found = iana_registry_person(reg, p->id);
		if (found == NULL || strcmp(found->id, p->id) != 0)
			fuzz_fail("person \"%s\" not found by its id", p->id);
	}
	size_t n;
	const struct iana_record *records = iana_registry_records(reg, &n);
	for (size_t i = 0; i < n; i++) {
		const struct iana_record *r = &records[i];
		touch(r->name);
		touch(r->description);
		touch(r->unauthorized);
		touch(r->notes);
		if (r->line == 0)
			fuzz_fail("record %zu has line 0", i);
		if (r->protocol >= IANA_PROTO_COUNT || r->status > IANA_STATUS_UNNAMED)
			fuzz_fail("record %zu: protocol %u, status %u", i, r->protocol, r->status);
		if (r->has_port && r->port_first > r->port_last)
			fuzz_fail("record %zu: port range %u-%u", i, r->port_first, r->port_last);
		if ((r->name != NULL) != (r->status == IANA_STATUS_ASSIGNED))
			fuzz_fail("record %zu: status %u with name %s", i, r->status, r->name ? "set" : "NULL");
		check_date(r->registered, "registration date");
		check_date(r->modified, "modification date");
		check_person_refs(reg, r->assignees, r->n_assignees);
		check_person_refs(reg, r->contacts, r->n_contacts);
		if (r->n_refs > 0 && r->refs == NULL)
			fuzz_fail("record %zu: %u references but no array", i, r->n_refs);
		for (size_t k = 0; k < r->n_refs; k++) {
			const struct iana_reference *ref = &r->refs[k];
			if ((unsigned)ref->kind > IANA_REF_NOTE)
				fuzz_fail("reference kind %d", (int)ref->kind);
			touch(ref->data);
			touch(ref->text);
			touch(ref->section);
			if (ref->kind == IANA_REF_NOTE)
				touch(iana_registry_footnote(reg, ref->data));
		}
	}
}

static bool entry_holds_port(const struct iana_index *index, long e, uint16_t port, unsigned protocol)
{
	struct iana_index_service s;
	return e >= 0 && iana_index_entry(index, (size_t)e, &s) && s.port_first <= port &&
	       port <= s.port_last && (protocol == IANA_PROTO_NONE || s.protocol == protocol);
}

/* The first entry of the view, in order, with NAME on PROTOCOL (NONE: any). */
static long first_with_name(const struct iana_service *entries, size_t n, const char *name, unsigned protocol)
{
	for (size_t i = 0; i < n; i++) {
		const struct iana_service *s = &entries[i];
		if (protocol != IANA_PROTO_NONE && s->protocol != protocol)
			continue;
		if (strcasecmp(s->record->name, name) == 0)
			return (long)i;
		for (size_t a = 0; a < s->n_aliases; a++)
			if (strcasecmp(s->aliases[a], name) == 0)
				return (long)i;
	}
	return -1;
}

static void check_name_lookup(const struct iana_index *index, const struct iana_service *entries, size_t n,
			      const char *name, unsigned protocol)
{
	long want = first_with_name(entries, n, name, protocol);
	long got = iana_index_find_name(index, name, protocol);
	if (got != want)
		fuzz_fail("find_name(\"%s\", %u) = %ld, the view says %ld", name, protocol, got, want);
}

static char *write_index(const struct iana_registry *reg, const struct iana_service_table *table, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (f == NULL)
		fuzz_fail("open_memstream: %s", strerror(errno));
	if (iana_index_write(f, reg, table, NULL) != 0)
		fuzz_fail("iana_index_write failed: %s", strerror(errno));
	if (fclose(f) != 0)
		fuzz_fail("fclose of the memory stream: %s", strerror(errno));
	return buf;
}

/* Write the index of the view, read it back and compare. */
static void check_index_round_trip(const struct iana_registry *reg, const struct iana_service_table *table)
{
	size_t n;
	const struct iana_service *entries = iana_service_table_entries(table, &n);
	size_t len, len2;
	char *bytes = write_index(reg, table, &len);
	char *again = write_index(reg, table, &len2);
	if (len != len2 || memcmp(bytes, again, len) != 0)
		fuzz_fail("two writes of the same index differ");
	free(again);

	struct iana_index *index;
	int rc = iana_index_from_memory(bytes, len, &index);
	if (rc != IANA_INDEX_OK)
		fuzz_fail("the index just written does not open: %s", iana_index_error_str(rc));
	if (iana_index_count(index) != n)
		fuzz_fail("index holds %zu entries, the view %zu", iana_index_count(index), n);
	uint16_t year;
	uint8_t month, day;
	iana_index_updated(index, &year, &month, &day);
	struct iana_date updated = iana_registry_updated(reg);
	if (year != updated.year || month != updated.month || day != updated.day)
		fuzz_fail("index date differs from the registry's");

	for (size_t i = 0; i < n; i++) {
		const struct iana_service *e = &entries[i];
		const struct iana_record *r = e->record;
		struct iana_index_service s;
		if (!iana_index_entry(index, i, &s))
			fuzz_fail("entry %zu does not read back", i);
		const char *desc = r->description && *r->description ? r->description : NULL;
		const char *unauth = r->unauthorized && *r->unauthorized ? r->unauthorized : NULL;
		if (strcmp(s.name, r->name) != 0 || (desc == NULL) != (s.description == NULL) ||
		    (desc && strcmp(desc, s.description) != 0) || (unauth == NULL) != (s.unauthorized == NULL) ||
		    (unauth && strcmp(unauth, s.unauthorized) != 0) || s.port_first != e->port_first ||
		    s.port_last != e->port_last || s.protocol != e->protocol || s.status != r->status ||
		    s.n_aliases != e->n_aliases)
			fuzz_fail("entry %zu (%s) differs from the view", i, r->name);
		for (size_t a = 0; a < e->n_aliases; a++) {
			const char *alias = iana_index_alias(index, i, a);
			if (alias == NULL || strcmp(alias, e->aliases[a]) != 0)
				fuzz_fail("alias %zu of entry %zu (%s) differs", a, i, r->name);
		}
		if (iana_index_alias(index, i, e->n_aliases) != NULL)
			fuzz_fail("entry %zu has an alias past its count", i);

		check_name_lookup(index, entries, n, r->name, e->protocol);
		check_name_lookup(index, entries, n, r->name, IANA_PROTO_NONE);
		for (size_t a = 0; a < e->n_aliases; a++)
			check_name_lookup(index, entries, n, e->aliases[a], e->protocol);

		long by_port = iana_index_find_port(index, e->port_first, e->protocol);
		if (e->port_first == e->port_last ? by_port != (long)i
						  : !entry_holds_port(index, by_port, e->port_first, e->protocol))
			fuzz_fail("find_port(%u, %u) = %ld for entry %zu", e->port_first, e->protocol, by_port, i);
		if (!entry_holds_port(index, iana_index_find_port(index, e->port_last, IANA_PROTO_NONE),
				      e->port_last, IANA_PROTO_NONE))
			fuzz_fail("find_port(%u, any) misses entry %zu", e->port_last, i);
	}
	if (iana_index_entry(index, n, &(struct iana_index_service){0}))
		fuzz_fail("an entry past the count reads");
	iana_index_close(index);
	free(bytes);
}

/* The XML guard must say the same, at the same place, however the input
 * is cut into blocks: whole, and in blocks of sizes taken from the input. */
static void check_guard_blocks(const uint8_t *data, size_t size)
{
	struct xml_guard whole, cut;
	reg_xml_guard_init(&whole);
	int want = reg_xml_guard_scan(&whole, (const char *)data, size);
	reg_xml_guard_init(&cut);
	int got = 0;
	for (size_t at = 0, k = 0; at < size && got == 0; k++) {
		size_t block = 1 + data[k % size] % 61;
		if (block > size - at)
			block = size - at;
		got = reg_xml_guard_scan(&cut, (const char *)data + at, block);
		at += block;
	}
	if (got == 0)
		got = reg_xml_guard_scan(&cut, "", 0);
	if (got != want || (want < 0 && (whole.error != cut.error || whole.start_line != cut.start_line ||
					 whole.start_column != cut.start_column)))
		fuzz_fail("xml_guard: %d (%s) whole, %d (%s) in blocks", want, whole.error ? whole.error : "-", got,
			  cut.error ? cut.error : "-");
	if (want == 0 && (whole.line != cut.line || whole.depth != cut.depth || whole.open_bytes != cut.open_bytes))
		fuzz_fail("xml_guard: a different state whole and in blocks");
}

int fuzz_registry_input(const uint8_t *data, size_t size, enum iana_format *format)
{
	check_guard_blocks(data, size);

	int fd = memfd_create("fuzz-input", MFD_CLOEXEC);
	if (fd < 0)
		fuzz_fail("memfd_create: %s", strerror(errno));
	for (size_t done = 0; done < size;) {
		ssize_t w = write(fd, data + done, size - done);
		if (w <= 0)
			fuzz_fail("write to the memfd: %s", strerror(errno));
		done += (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) != 0)
		fuzz_fail("lseek: %s", strerror(errno));

	struct diag_count diags = {0};
	struct iana_load_options options = {
		.display_name = "fuzz-input",
		.on_diagnostic = on_diagnostic,
		.userdata = &diags,
	};
	struct iana_registry *reg = (struct iana_registry *)&diags; /* must be reset */
	int rc = iana_registry_load_fd(fd, &options, &reg);
	close(fd);
	touch(iana_load_result_str(rc));
	switch (rc) {
	case IANA_LOAD_OK:
		if (reg == NULL)
			fuzz_fail("load succeeded without a registry");
		break;
	case IANA_LOAD_BAD_FORMAT:
	case IANA_LOAD_PARSE_ERROR:
		if (diags.errors == 0)
			fuzz_fail("load failed (%s) without an error diagnostic", iana_load_result_str(rc));
		/* fall through */
	case IANA_LOAD_NO_MEMORY:
	case IANA_LOAD_IO_ERROR:
		if (reg != NULL)
			fuzz_fail("load failed (%s) but left a registry", iana_load_result_str(rc));
		return rc;
	default:
		fuzz_fail("unknown load result %d", rc);
	}

	*format = iana_registry_format(reg);
	if ((unsigned)*format > IANA_FORMAT_TEXT)
		fuzz_fail("format %d", (int)*format);
	walk_registry(reg);
	struct iana_service_table *table;
	if (iana_service_table_build(reg, &options, &table) != IANA_LOAD_OK)
		fuzz_fail("iana_service_table_build failed");
	size_t n;
	const struct iana_service *entries = iana_service_table_entries(table, &n);
	for (size_t i = 0; i < n; i++) {
		if (!iana_service_name_is_valid(entries[i].record->name) || entries[i].protocol == IANA_PROTO_NONE)
			fuzz_fail("view entry %zu: invalid name or no protocol", i);
		for (size_t a = 0; a < entries[i].n_aliases; a++)
			if (!iana_service_name_is_valid(entries[i].aliases[a]))
				fuzz_fail("view entry %zu: invalid alias", i);
	}
	check_index_round_trip(reg, table);
	iana_service_table_free(table);
	iana_registry_free(reg);
	return rc;
}

/* Look NAME up and read the answer and whatever entry comes back.  In a
 * damaged index whose checksum matches, the names table may point a name
 * at an entry that does not carry it: the reader promises bounds, not
 * sense, there.  The answer holds together; before version 5 its entry
 * can be read, while a version-5 row answers a canonical name without
 * reading its entry, which may then be damaged (index_reader.h). */
static void probe_name(const struct iana_index *index, const char *name, unsigned protocol)
{
	struct iana_index_service s;
	struct iana_index_answer answer;
	long e = iana_index_find_name_answer(index, name, protocol, &answer);
	if (e < 0)
		return;
	if (e >= (long)iana_index_count(index))
		fuzz_fail("find_name(\"%s\") = %ld, past the entries", name, e);
	if (answer.name == NULL || strlen(answer.name) != answer.name_len || answer.protocol < 1 ||
	    answer.protocol > 4 || answer.port_first > answer.port_last)
		fuzz_fail("find_name(\"%s\") = %ld, an answer that does not hold together", name, e);
	if (answer.name_padded) {
		if (answer.name_len >= IANA_INDEX_NAME_TEXT)
			fuzz_fail("find_name(\"%s\"): a padded name of %zu bytes", name, answer.name_len);
		char copy[IANA_INDEX_NAME_TEXT];
		memcpy(copy, answer.name, sizeof copy); /* the 16 bytes promised */
		touch(copy + answer.name_len);
	}
	if (iana_index_version(index) < 5 && !iana_index_entry(index, (size_t)e, &s))
		fuzz_fail("find_name(\"%s\") = %ld, an entry that cannot be read", name, e);
	if (iana_index_entry(index, (size_t)e, &s))
		touch(s.name);
}

static void probe_port(const struct iana_index *index, uint16_t port, unsigned protocol)
{
	long e = iana_index_find_port(index, port, protocol);
	if (e >= 0 && !entry_holds_port(index, e, port, protocol))
		fuzz_fail("find_port(%u, %u) = %ld, an entry without that port", port, protocol, e);
}

void fuzz_index_exercise(const void *data, size_t len, const uint8_t *probe, size_t probe_len)
{
	struct iana_index *index = NULL;
	int rc = iana_index_from_memory(data, len, &index);
	touch(iana_index_error_str(rc));
	if (rc != IANA_INDEX_OK) {
		if (index != NULL)
			fuzz_fail("index rejected (%d) but returned", rc);
		if (rc != IANA_INDEX_ERR_FORMAT && rc != IANA_INDEX_ERR_CORRUPT && rc != IANA_INDEX_ERR_NO_MEMORY)
			fuzz_fail("index open result %d", rc);
		return;
	}
	uint16_t year;
	uint8_t month, day;
	iana_index_updated(index, &year, &month, &day);
	if (iana_index_file_id(index)->ino != 0)
		fuzz_fail("an index in memory has a file identity");
	struct iana_index_source source;
	if (iana_index_source(index, &source) && source.size == 0)
		fuzz_fail("a known source of size 0");
	size_t n = iana_index_count(index);
	for (size_t i = 0; i <= n; i++) {
		struct iana_index_service s;
		if (!iana_index_entry(index, i, &s)) {
			if (iana_index_alias(index, i, 0) != NULL)
				fuzz_fail("entry %zu unreadable but has an alias", i);
			continue;
		}
		if (i == n)
			fuzz_fail("entry past the count reads");
		if (s.name == NULL)
			fuzz_fail("entry %zu without a name", i);
		touch(s.name);
		touch(s.description);
		touch(s.unauthorized);
		for (size_t a = 0; a <= s.n_aliases; a++) {
			const char *alias = iana_index_alias(index, i, a);
			touch(alias);
			if (alias != NULL && a == s.n_aliases)
				fuzz_fail("alias past the count of entry %zu", i);
			if (alias != NULL)
				probe_name(index, alias, IANA_PROTO_NONE);
		}
		probe_name(index, s.name, s.protocol);
		probe_port(index, s.port_first, s.protocol);
		probe_port(index, s.port_last, IANA_PROTO_NONE);
	}
	/* names and ports out of the probe bytes: the first 64 names (a
	 * lookup in a damaged table may walk IANA_INDEX_MAX_RUN rows: every
	 * name of a large input made the target twenty times slower) */
	char name[64];
	size_t k = 0, names = 0;
	for (size_t i = 0; i < probe_len && names < 64; i++) {
		if (probe[i] == '\0' || k == sizeof(name) - 1) {
			name[k] = '\0';
			probe_name(index, name, probe_len > 0 ? probe[0] % 6 : 0);
			names++;
			k = 0;
			continue;
		}
		name[k++] = (char)probe[i];
	}
	for (size_t i = 0; i + 1 < probe_len && i < 64; i += 2)
		probe_port(index, (uint16_t)(probe[i] << 8 | probe[i + 1]), (unsigned)(i / 2) % 6);
	/* Both ends of port pages (versions 4 and 5) and the x11 range, every protocol. */
	static const uint16_t edges[] = {0, 255, 256, 6005, 65280, 65535};
	for (unsigned p = 0; p < 6; p++)
		for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
			probe_port(index, edges[i], p);
	iana_index_close(index);
}
