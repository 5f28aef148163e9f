/* port_table.c - the Wireshark plugin's view of the registry
 * (port_table.h): opens a services index or builds one from a registry
 * file, then lays out a direct (protocol, port) table over it.
 *
 * The direct table holds, for each of the four protocols and 65536 ports,
 * 0 (nothing), an entry number + 1, or BLOCK_BIT | (unnamed record + 1).
 * It is filled in the order iana_index_find_port() answers in: single-port
 * entries first (first in registry order wins), then named ranges, then
 * records without a name (Reserved, Unassigned, ...), each filling only
 * the slots still empty.  1 MiB, built once per load; beside it a bitmap
 * of the ports with an expert info to give (port_table_is_notable()).
 *
 * Reported unauthorized use: a single-port entry's applies to its port; a
 * range's applies to the ports inside the range that its text names
 * (x11 6000-6063, "Known Unauthorized Use on port 6003": 6003 only,
 * unauthorized_ports.h), else to the whole range.  The bitmap holds that
 * answer, so a lookup tells it without reading the text again. */
#include "port_table.h"

#include "iana_registry.h"
#include "index_reader.h"
#include "index_writer.h"
#include "unauthorized_ports.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N_PROTOCOLS 4 /* TCP, UDP, SCTP, DCCP: enum iana_protocol 1-4 */
#define N_PORTS 65536
#define BLOCK_BIT 0x80000000u

struct port_table {
	struct iana_index *index;
	void *buffer; /* the index built from a registry, or NULL (mapped file) */
	uint32_t *slots; /* N_PROTOCOLS x N_PORTS */
	uint64_t notable[N_PROTOCOLS][N_PORTS / 64];
	char updated[16];
};

static void set_error(char *error, size_t size, const char *format, ...) __attribute__((format(printf, 3, 4)));

static void set_error(char *error, size_t size, const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	vsnprintf(error, size, format, ap);
	va_end(ap);
}

/* Keeps the first error the parser reports, with its location. */
struct first_error {
	char text[256];
	bool set;
};

static void keep_first_error(const struct iana_diagnostic *d, void *userdata)
{
	struct first_error *first = userdata;
	if (d->severity != IANA_SEVERITY_ERROR || first->set)
		return;
	first->set = true;
	if (d->line > 0)
		snprintf(first->text, sizeof(first->text), "line %u: %s", (unsigned)d->line, d->message);
	else
		snprintf(first->text, sizeof(first->text), "%s", d->message);
}

/* True when PATH starts with the index magic.  errno set on failure. */
static int is_index_file(const char *path, bool *is_index)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	char magic[8];
	ssize_t n = read(fd, magic, sizeof(magic));
	int saved = errno;
	close(fd);
	if (n < 0) {
		errno = saved;
		return -1;
	}
	*is_index = n == (ssize_t)sizeof(magic) && memcmp(magic, IANA_INDEX_MAGIC, sizeof(magic)) == 0;
	return 0;
}

static int open_index(const char *path, struct port_table *table, char *error, size_t size)
{
	bool is_index = false;
	if (is_index_file(path, &is_index) < 0) {
		set_error(error, size, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	if (is_index) {
		int rc = iana_index_open(path, &table->index);
		if (rc != IANA_INDEX_OK) {
			set_error(error, size, "%s: %s%s%s", path, iana_index_error_str(rc),
				  rc == IANA_INDEX_ERR_IO ? ": " : "", rc == IANA_INDEX_ERR_IO ? strerror(errno) : "");
			return -1;
		}
		return 0;
	}
	struct first_error first = {0};
	struct iana_load_options options = {
		.display_name = path,
		.on_diagnostic = keep_first_error,
		.userdata = &first,
	};
	size_t len = 0;
	int rc = iana_index_build_from_path(path, &options, &table->buffer, &len);
	if (rc == IANA_LOAD_IO_ERROR) {
		set_error(error, size, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	if (rc != IANA_LOAD_OK) {
		/* The parser's first error, with its line, unless it only
		 * repeats the result's own words. */
		const char *what = iana_load_result_str(rc);
		if (!first.set)
			set_error(error, size, "%s: %s", path, what);
		else if (strncmp(first.text, what, strlen(what)) == 0)
			set_error(error, size, "%s: %s", path, first.text);
		else
			set_error(error, size, "%s: %s: %s", path, what, first.text);
		return -1;
	}
	rc = iana_index_from_memory(table->buffer, len, &table->index);
	if (rc != IANA_INDEX_OK) {
		set_error(error, size, "%s: %s", path, iana_index_error_str(rc));
		return -1;
	}
	return 0;
}

static uint32_t *slot_row(uint32_t *slots, unsigned protocol)
{
	return slots + (size_t)(protocol - 1) * N_PORTS;
}

static void fill(uint32_t *row, uint16_t first, uint16_t last, uint32_t value)
{
	for (uint32_t p = first; p <= last; p++)
		if (row[p] == 0)
			row[p] = value;
}

static void set_notable(struct port_table *table, unsigned protocol, uint32_t port)
{
	table->notable[protocol - 1][port / 64] |= UINT64_C(1) << (port % 64);
}

/* Mark the ports of [FIRST, LAST] whose slot holds VALUE on PROTOCOL. */
static void mark(struct port_table *table, unsigned protocol, uint32_t first, uint32_t last, uint32_t value)
{
	const uint32_t *row = slot_row(table->slots, protocol);
	for (uint32_t p = first; p <= last; p++)
		if (row[p] == value)
			set_notable(table, protocol, p);
}

/* The ports where entry I's reported unauthorized use applies. */
static void mark_unauthorized(struct port_table *table, size_t i, const struct iana_index_service *s)
{
	uint32_t value = (uint32_t)i + 1;
	if (s->port_first == s->port_last) {
		mark(table, s->protocol, s->port_first, s->port_last, value);
		return;
	}
	enum { MAX_SPANS = 32 };
	struct port_span spans[MAX_SPANS];
	size_t n = unauthorized_ports(s->unauthorized, spans, MAX_SPANS);
	bool named = false;
	for (size_t k = 0; k < n && k < MAX_SPANS; k++) {
		uint32_t first = spans[k].first > s->port_first ? spans[k].first : s->port_first;
		uint32_t last = spans[k].last < s->port_last ? spans[k].last : s->port_last;
		if (first > last)
			continue; /* outside the range */
		mark(table, s->protocol, first, last, value);
		named = true;
	}
	if (!named)
		mark(table, s->protocol, s->port_first, s->port_last, value);
}

static void lay_out(struct port_table *table)
{
	const struct iana_index *index = table->index;
	size_t n = iana_index_count(index);
	struct iana_index_service s;
	for (int pass = 0; pass < 2; pass++) /* single ports, then ranges */
		for (size_t i = 0; i < n; i++)
			if (iana_index_entry(index, i, &s) && (s.port_first < s.port_last) == (pass == 1))
				fill(slot_row(table->slots, s.protocol), s.port_first, s.port_last,
				     (uint32_t)i + 1);
	size_t n_blocks = iana_index_block_count(index);
	struct iana_index_unnamed u;
	struct port_info info;
	for (size_t i = 0; i < n_blocks && i < BLOCK_BIT - 1; i++) {
		if (!iana_index_block(index, i, &u))
			continue;
		for (unsigned p = 1; p <= N_PROTOCOLS; p++)
			if (u.protocol == 0 || u.protocol == p)
				fill(slot_row(table->slots, p), u.port_first, u.port_last,
				     BLOCK_BIT | ((uint32_t)i + 1));
	}
	for (size_t i = 0; i < n; i++)
		if (iana_index_entry(index, i, &s) && s.unauthorized != NULL && s.protocol >= 1 &&
		    s.protocol <= N_PROTOCOLS && s.port_first <= s.port_last)
			mark_unauthorized(table, i, &s);
	for (unsigned p = 1; p <= N_PROTOCOLS; p++)
		for (uint32_t port = 0; port < N_PORTS; port++)
			if ((slot_row(table->slots, p)[port] & BLOCK_BIT) &&
			    port_table_lookup(table, p, (uint16_t)port, &info) && info.reserved)
				set_notable(table, p, port);
}

int port_table_open(const char *path, struct port_table **out, char *error, size_t error_size)
{
	*out = NULL;
	if (path == NULL || *path == '\0') {
		set_error(error, error_size, "no registry path is set");
		return -1;
	}
	struct port_table *table = calloc(1, sizeof(*table));
	if (table == NULL || (table->slots = calloc((size_t)N_PROTOCOLS * N_PORTS, sizeof(uint32_t))) == NULL) {
		free(table);
		set_error(error, error_size, "out of memory loading %s", path);
		return -1;
	}
	if (open_index(path, table, error, error_size) < 0) {
		port_table_free(table);
		return -1;
	}
	if (iana_index_count(table->index) > BLOCK_BIT - 2) {
		set_error(error, error_size, "%s: too many entries", path);
		port_table_free(table);
		return -1;
	}
	lay_out(table);
	uint16_t y;
	uint8_t m, d;
	iana_index_updated(table->index, &y, &m, &d);
	if (y != 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31)
		snprintf(table->updated, sizeof(table->updated), "%04u-%02u-%02u", y, m, d);
	*out = table;
	return 0;
}

void port_table_free(struct port_table *table)
{
	if (table == NULL)
		return;
	iana_index_close(table->index);
	free(table->buffer);
	free(table->slots);
	free(table);
}

bool port_table_lookup(const struct port_table *table, unsigned protocol, uint16_t port, struct port_info *info)
{
	*info = (struct port_info){
		.status = iana_status_name(IANA_STATUS_UNASSIGNED),
		.range_first = port,
		.range_last = port,
	};
	if (protocol < 1 || protocol > N_PROTOCOLS)
		return false;
	uint32_t v = slot_row(table->slots, protocol)[port];
	if (v == 0)
		return false;
	if (v & BLOCK_BIT) {
		struct iana_index_unnamed u;
		if (!iana_index_block(table->index, (v & ~BLOCK_BIT) - 1, &u))
			return false;
		info->description = u.description;
		info->status = iana_status_name(u.status);
		info->reserved = u.status == IANA_STATUS_RESERVED;
		info->range_first = u.port_first;
		info->range_last = u.port_last;
		info->has_record = true;
		return true;
	}
	struct iana_index_service s;
	if (!iana_index_entry(table->index, v - 1, &s))
		return false;
	*info = (struct port_info){
		.name = s.name,
		.description = s.description,
		.status = iana_status_name(s.status),
		.references = s.references,
		.assignees = s.assignees,
		/* only where it applies (see the top of this file) */
		.unauthorized = port_table_is_notable(table, protocol, port) ? s.unauthorized : NULL,
		.range_first = s.port_first,
		.range_last = s.port_last,
		.n_aliases = s.n_aliases,
		.has_record = true,
		.entry = v - 1,
	};
	return true;
}

bool port_table_is_notable(const struct port_table *table, unsigned protocol, uint16_t port)
{
	if (protocol < 1 || protocol > N_PROTOCOLS)
		return false;
	return (table->notable[protocol - 1][port / 64] >> (port % 64)) & 1;
}

const char *port_table_alias(const struct port_table *table, const struct port_info *info, size_t a)
{
	if (info->name == NULL || a >= info->n_aliases)
		return NULL;
	return iana_index_alias(table->index, info->entry, a);
}

const char *port_table_updated(const struct port_table *table)
{
	return table->updated;
}

enum port_class port_class_of(uint16_t port)
{
	if (port < 1024)
		return PORT_CLASS_SYSTEM;
	return port < 49152 ? PORT_CLASS_USER : PORT_CLASS_DYNAMIC;
}

const char *port_class_name(enum port_class port_class)
{
	switch (port_class) {
	case PORT_CLASS_SYSTEM:
		return "System";
	case PORT_CLASS_USER:
		return "User";
	case PORT_CLASS_DYNAMIC:
		return "Dynamic/Private";
	}
	return "unknown";
}
