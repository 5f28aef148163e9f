/* registry_internal.h - internal: the layout of a loaded registry, shared by
 * the builder that fills it and the accessors that read it. */
#ifndef REGISTRY_INTERNAL_H
#define REGISTRY_INTERNAL_H

#include "iana_registry.h"
#include "fnv1a.h"
#include "string_arena.h"

#include <string.h>

struct registry_footnote {
	const char *anchor;
	const char *text;
};

struct iana_registry {
	struct string_arena arena; /* every string and small array */
	enum iana_format format;
	const char *title;
	struct iana_date updated;
	struct iana_record *records;
	size_t n_records;
	struct iana_person *people;
	size_t n_people;
	/* open-addressing hash of people by id: slot holds index + 1, 0 empty;
	 * the first of duplicate ids wins */
	uint32_t *person_slots;
	size_t person_slot_mask;
	struct registry_footnote *footnotes;
	size_t n_footnotes;
};

/* Hash of a person id, shared by the index builder and the lookup. */
static inline uint32_t person_id_hash(const char *id)
{
	return iana_fnv1a(id, strlen(id));
}

#endif /* REGISTRY_INTERNAL_H */
