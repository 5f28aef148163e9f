/* registry_model.c - read access to a loaded registry, its release, and the
 * small value helpers of the public API (names of enums, dates, ports). */
#include "registry_builder.h"
#include "registry_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void iana_registry_free(struct iana_registry *registry)
{
	if (registry == NULL)
		return;
	reg_arena_free(&registry->arena);
	free(registry->records);
	free(registry->people);
	free(registry->person_slots);
	free(registry->footnotes);
	free(registry);
}

enum iana_format iana_registry_format(const struct iana_registry *registry)
{
	return registry->format;
}

const char *iana_registry_title(const struct iana_registry *registry)
{
	return registry->title;
}

struct iana_date iana_registry_updated(const struct iana_registry *registry)
{
	return registry->updated;
}

const struct iana_record *iana_registry_records(const struct iana_registry *registry, size_t *count)
{
	*count = registry->n_records;
	return registry->records;
}

const struct iana_person *iana_registry_people(const struct iana_registry *registry, size_t *count)
{
	*count = registry->n_people;
	return registry->people;
}

const char *iana_registry_footnote(const struct iana_registry *registry, const char *anchor)
{
	for (size_t i = 0; anchor != NULL && i < registry->n_footnotes; i++)
		if (strcmp(registry->footnotes[i].anchor, anchor) == 0)
			return registry->footnotes[i].text;
	return NULL;
}

const struct iana_person *iana_registry_person(const struct iana_registry *registry, const char *id)
{
	if (registry == NULL || id == NULL || registry->person_slots == NULL)
		return NULL;
	for (size_t s = person_id_hash(id) & registry->person_slot_mask;; s = (s + 1) & registry->person_slot_mask) {
		uint32_t slot = registry->person_slots[s];
		if (slot == 0)
			return NULL;
		if (strcmp(registry->people[slot - 1].id, id) == 0)
			return &registry->people[slot - 1];
	}
}

static const char *const protocol_names[IANA_PROTO_COUNT] = {
	[IANA_PROTO_TCP] = "tcp",
	[IANA_PROTO_UDP] = "udp",
	[IANA_PROTO_SCTP] = "sctp",
	[IANA_PROTO_DCCP] = "dccp",
};

const char *iana_protocol_name(enum iana_protocol protocol)
{
	return (unsigned)protocol < IANA_PROTO_COUNT ? protocol_names[protocol] : NULL;
}

enum iana_protocol iana_protocol_from_name(const char *name, size_t len)
{
	for (int p = IANA_PROTO_TCP; p < IANA_PROTO_COUNT; p++)
		if (strlen(protocol_names[p]) == len && strncasecmp(name, protocol_names[p], len) == 0)
			return (enum iana_protocol)p;
	return IANA_PROTO_NONE;
}

const char *iana_status_name(enum iana_status status)
{
	switch (status) {
	case IANA_STATUS_ASSIGNED:
		return "assigned";
	case IANA_STATUS_RESERVED:
		return "reserved";
	case IANA_STATUS_UNASSIGNED:
		return "unassigned";
	case IANA_STATUS_UNNAMED:
		return "unnamed";
	}
	return "unknown";
}

const char *iana_ref_kind_name(enum iana_ref_kind kind)
{
	switch (kind) {
	case IANA_REF_RFC:
		return "rfc";
	case IANA_REF_DRAFT:
		return "draft";
	case IANA_REF_PERSON:
		return "person";
	case IANA_REF_URI:
		return "uri";
	case IANA_REF_TEXT:
		return "text";
	case IANA_REF_NOTE:
		return "note";
	}
	return "unknown";
}

const char *iana_format_name(enum iana_format format)
{
	switch (format) {
	case IANA_FORMAT_XML:
		return "xml";
	case IANA_FORMAT_CSV:
		return "csv";
	case IANA_FORMAT_TEXT:
		return "text";
	}
	return "unknown";
}

/* Parse exactly N decimal digits at S. */
static bool parse_digits(const char *s, size_t n, unsigned *value)
{
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*value = v;
	return true;
}

static bool leap_year(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool iana_date_parse(const char *text, size_t len, struct iana_date *date)
{
	static const unsigned char month_days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	unsigned year, month = 0, day = 0;
	memset(date, 0, sizeof(*date));
	if (len != 4 && len != 7 && len != 10)
		return false;
	if (!parse_digits(text, 4, &year) || year == 0)
		return false;
	if (len >= 7 && (text[4] != '-' || !parse_digits(text + 5, 2, &month) || month < 1 || month > 12))
		return false;
	if (len == 10 && (text[7] != '-' || !parse_digits(text + 8, 2, &day) || day < 1 ||
			  day > month_days[month - 1] || (month == 2 && day == 29 && !leap_year(year))))
		return false;
	date->year = (uint16_t)year;
	date->month = (uint8_t)month;
	date->day = (uint8_t)day;
	return true;
}

char *iana_date_format(struct iana_date date, char *buf, size_t size)
{
	if (size == 0)
		return buf;
	if (date.year == 0)
		buf[0] = '\0';
	else if (date.month == 0)
		snprintf(buf, size, "%04u", (unsigned)date.year);
	else if (date.day == 0)
		snprintf(buf, size, "%04u-%02u", (unsigned)date.year, (unsigned)date.month);
	else
		snprintf(buf, size, "%04u-%02u-%02u", (unsigned)date.year, (unsigned)date.month,
			 (unsigned)date.day);
	return buf;
}

/* Parse a decimal port of LEN bytes (1-5 digits, at most 65535). */
static bool parse_port(const char *s, size_t len, uint16_t *port)
{
	unsigned v;
	if (len == 0 || len > 5 || !parse_digits(s, len, &v) || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

bool reg_parse_port_range(const char *text, size_t len, uint16_t *first, uint16_t *last)
{
	const char *dash = memchr(text, '-', len);
	if (dash == NULL) {
		if (!parse_port(text, len, first))
			return false;
		*last = *first;
		return true;
	}
	size_t head = (size_t)(dash - text);
	return parse_port(text, head, first) && parse_port(dash + 1, len - head - 1, last) &&
	       *first <= *last;
}
