/* service_table.c - the services view of a registry: one entry per port (or
 * range) and protocol with its canonical name and aliases, in registry
 * order.  Shared by gen-services' writers and the NSS index builder so that
 * every product gives the same answer for the same port. */
#include "iana_registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct iana_service_table {
	struct iana_service *entries;
	size_t n_entries;
	const char **alias_pool; /* all alias arrays, back to back */
};

bool iana_service_name_is_valid(const char *name)
{
	if (name == NULL || *name == '\0')
		return false;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p <= ' ' || *p == '#' || *p == 0x7f)
			return false;
	return true;
}

/* Open-addressing hash from (protocol, first, last) to an entry index. */
struct slot {
	uint32_t key_hi; /* protocol << 16 | port_first, +1 so 0 means empty */
	uint16_t port_last;
	uint32_t entry;
};

static uint32_t slot_hash(uint32_t key_hi, uint16_t last)
{
	uint32_t h = key_hi * 0x9E3779B1u ^ (uint32_t)last * 0x85EBCA77u;
	return h ^ (h >> 15);
}

static void report_skipped(const struct iana_load_options *options, const struct iana_record *r)
{
	if (options == NULL || options->on_diagnostic == NULL)
		return;
	char message[512];
	snprintf(message, sizeof(message),
		 "service name \"%s\" cannot be written to a services file (empty, whitespace, '#' or a control character); left out",
		 r->name);
	struct iana_diagnostic d = {
		.severity = IANA_SEVERITY_WARNING,
		.file = options->display_name ? options->display_name : "<input>",
		.line = r->line,
		.message = message,
	};
	options->on_diagnostic(&d, options->userdata);
}

int iana_service_table_build(const struct iana_registry *registry, const struct iana_load_options *options,
			     struct iana_service_table **out)
{
	size_t n_records;
	const struct iana_record *records = iana_registry_records(registry, &n_records);
	*out = NULL;

	struct iana_service_table *table = calloc(1, sizeof(*table));
	size_t n_slots = 16;
	while (n_slots < n_records * 2)
		n_slots *= 2;
	struct slot *slots = calloc(n_slots, sizeof(*slots));
	/* entry of each record, or SIZE_MAX when it takes no part */
	uint32_t *owner = malloc((n_records ? n_records : 1) * sizeof(*owner));
	if (table == NULL || slots == NULL || owner == NULL)
		goto nomem;
	table->entries = calloc(n_records ? n_records : 1, sizeof(*table->entries));
	if (table->entries == NULL)
		goto nomem;

	/* Pass 1: entries in order of first appearance; count aliases. */
	size_t n_alias_total = 0;
	for (size_t i = 0; i < n_records; i++) {
		const struct iana_record *r = &records[i];
		owner[i] = UINT32_MAX;
		if (r->name == NULL || !r->has_port || r->protocol == IANA_PROTO_NONE)
			continue;
		if (!iana_service_name_is_valid(r->name)) {
			report_skipped(options, r);
			continue;
		}
		uint32_t key_hi = ((uint32_t)r->protocol << 16 | r->port_first) + 1;
		size_t s = slot_hash(key_hi, r->port_last) & (n_slots - 1);
		while (slots[s].key_hi != 0 && !(slots[s].key_hi == key_hi && slots[s].port_last == r->port_last))
			s = (s + 1) & (n_slots - 1);
		if (slots[s].key_hi == 0) {
			slots[s].key_hi = key_hi;
			slots[s].port_last = r->port_last;
			slots[s].entry = (uint32_t)table->n_entries;
			struct iana_service *e = &table->entries[table->n_entries++];
			e->record = r;
			e->port_first = r->port_first;
			e->port_last = r->port_last;
			e->protocol = r->protocol;
		} else if (table->entries[slots[s].entry].n_aliases < UINT16_MAX) {
			owner[i] = slots[s].entry;
			table->entries[slots[s].entry].n_aliases++; /* upper bound for now */
			n_alias_total++;
		}
	}

	/* Pass 2: fill alias arrays in registry order, dropping repeats. */
	table->alias_pool = malloc((n_alias_total ? n_alias_total : 1) * sizeof(*table->alias_pool));
	if (table->alias_pool == NULL)
		goto nomem;
	size_t used = 0;
	for (size_t e = 0; e < table->n_entries; e++) {
		struct iana_service *entry = &table->entries[e];
		entry->aliases = table->alias_pool + used;
		used += entry->n_aliases;
		entry->n_aliases = 0;
	}
	for (size_t i = 0; i < n_records; i++) {
		if (owner[i] == UINT32_MAX)
			continue;
		struct iana_service *entry = &table->entries[owner[i]];
		const char **aliases = (const char **)entry->aliases;
		const char *name = records[i].name;
		bool repeat = strcmp(name, entry->record->name) == 0;
		for (size_t a = 0; a < entry->n_aliases && !repeat; a++)
			repeat = strcmp(aliases[a], name) == 0;
		if (!repeat)
			aliases[entry->n_aliases++] = name;
	}
	free(slots);
	free(owner);
	*out = table;
	return IANA_LOAD_OK;

nomem:
	free(slots);
	free(owner);
	iana_service_table_free(table);
	return IANA_LOAD_NO_MEMORY;
}

const struct iana_service *iana_service_table_entries(const struct iana_service_table *table, size_t *count)
{
	*count = table->n_entries;
	return table->entries;
}

void iana_service_table_free(struct iana_service_table *table)
{
	if (table == NULL)
		return;
	free(table->entries);
	free(table->alias_pool);
	free(table);
}
