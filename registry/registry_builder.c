/* registry_builder.c - assembles a registry from what a format parser reads:
 * record and people tables, person-reference resolution, status derivation
 * and diagnostics (see registry_builder.h). */
#include "registry_builder.h"
#include "registry_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growable array of fixed-size items, used while reading. */
struct vec {
	void *items;
	size_t count;
	size_t capacity;
};

static void *vec_push(struct vec *v, size_t item_size)
{
	if (v->count == v->capacity) {
		size_t capacity = v->capacity ? v->capacity + v->capacity / 2 : 16;
		void *items = realloc(v->items, capacity * item_size);
		if (items == NULL)
			return NULL;
		v->items = items;
		v->capacity = capacity;
	}
	void *item = (char *)v->items + v->count * item_size;
	v->count++;
	memset(item, 0, item_size);
	return item;
}

struct registry_builder {
	struct iana_registry *registry;
	struct iana_load_options options;
	struct vec records;   /* struct iana_record */
	struct vec people;    /* struct iana_person */
	struct vec people_lines; /* uint32_t, line of each person */
	struct vec footnotes; /* struct registry_footnote */
	/* the open record and its lists */
	bool record_open;
	struct vec assignees; /* struct iana_person_ref */
	struct vec contacts;  /* struct iana_person_ref */
	struct vec refs;      /* struct iana_reference */
	unsigned errors;
	unsigned reported_errors;
	bool out_of_memory;
};

static void report(struct registry_builder *b, enum iana_severity severity, uint32_t line,
		   uint32_t column, const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

static void report(struct registry_builder *b, enum iana_severity severity, uint32_t line,
		   uint32_t column, const char *fmt, va_list ap)
{
	if (b->options.on_diagnostic == NULL)
		return;
	char message[1024];
	vsnprintf(message, sizeof(message), fmt, ap);
	struct iana_diagnostic d = {
		.severity = severity,
		.file = b->options.display_name,
		.line = line,
		.column = column,
		.message = message,
	};
	b->options.on_diagnostic(&d, b->options.userdata);
}

void reg_builder_warning(struct registry_builder *b, uint32_t line, uint32_t column, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(b, IANA_SEVERITY_WARNING, line, column, fmt, ap);
	va_end(ap);
}

int reg_builder_error(struct registry_builder *b, uint32_t line, uint32_t column, const char *fmt, ...)
{
	b->errors++;
	if (b->reported_errors < b->options.max_errors) {
		b->reported_errors++;
		va_list ap;
		va_start(ap, fmt);
		report(b, IANA_SEVERITY_ERROR, line, column, fmt, ap);
		va_end(ap);
	}
	return -1;
}

bool reg_builder_failed(const struct registry_builder *b)
{
	return b->errors > 0 || b->out_of_memory;
}

int reg_builder_out_of_memory(struct registry_builder *b)
{
	b->out_of_memory = true;
	return -1;
}

struct registry_builder *reg_builder_new(const struct iana_load_options *options, enum iana_format format)
{
	struct registry_builder *b = calloc(1, sizeof(*b));
	if (b == NULL)
		return NULL;
	b->registry = calloc(1, sizeof(*b->registry));
	if (b->registry == NULL) {
		free(b);
		return NULL;
	}
	b->registry->format = format;
	if (options != NULL)
		b->options = *options;
	if (b->options.display_name == NULL)
		b->options.display_name = "<input>";
	if (b->options.max_errors == 0)
		b->options.max_errors = 20;
	return b;
}

static void builder_release(struct registry_builder *b)
{
	free(b->records.items);
	free(b->people.items);
	free(b->people_lines.items);
	free(b->footnotes.items);
	free(b->assignees.items);
	free(b->contacts.items);
	free(b->refs.items);
	free(b);
}

void reg_builder_discard(struct registry_builder *b)
{
	if (b == NULL)
		return;
	iana_registry_free(b->registry);
	builder_release(b);
}

const char *reg_builder_str(struct registry_builder *b, const char *s, size_t len)
{
	char *copy = reg_arena_strndup(&b->registry->arena, s, len);
	if (copy == NULL)
		b->out_of_memory = true;
	return copy;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

const char *reg_builder_str_trimmed(struct registry_builder *b, const char *s, size_t len)
{
	while (len > 0 && is_space(*s)) {
		s++;
		len--;
	}
	while (len > 0 && is_space(s[len - 1]))
		len--;
	return len ? reg_builder_str(b, s, len) : NULL;
}

void reg_builder_set_title(struct registry_builder *b, const char *title)
{
	b->registry->title = title;
}

void reg_builder_set_updated(struct registry_builder *b, struct iana_date updated)
{
	b->registry->updated = updated;
}

int reg_builder_add_footnote(struct registry_builder *b, const char *anchor, const char *text)
{
	struct registry_footnote *f = vec_push(&b->footnotes, sizeof(*f));
	if (f == NULL) {
		b->out_of_memory = true;
		return -1;
	}
	f->anchor = anchor;
	f->text = text;
	return 0;
}

struct iana_record *reg_builder_begin_record(struct registry_builder *b, uint32_t line)
{
	struct iana_record *r = vec_push(&b->records, sizeof(*r));
	if (r == NULL) {
		b->out_of_memory = true;
		return NULL;
	}
	r->line = line;
	b->record_open = true;
	b->assignees.count = 0;
	b->contacts.count = 0;
	b->refs.count = 0;
	return r;
}

static int add_person_ref(struct registry_builder *b, struct vec *v, const char *id, size_t len)
{
	const char *copy = reg_builder_str(b, id, len);
	struct iana_person_ref *ref = copy ? vec_push(v, sizeof(*ref)) : NULL;
	if (ref == NULL) {
		b->out_of_memory = true;
		return -1;
	}
	ref->id = copy;
	return 0;
}

int reg_builder_add_assignee(struct registry_builder *b, const char *id, size_t len)
{
	return add_person_ref(b, &b->assignees, id, len);
}

int reg_builder_add_contact(struct registry_builder *b, const char *id, size_t len)
{
	return add_person_ref(b, &b->contacts, id, len);
}

int reg_builder_add_reference(struct registry_builder *b, enum iana_ref_kind kind, const char *data,
			  const char *text, const char *section)
{
	struct iana_reference *ref = vec_push(&b->refs, sizeof(*ref));
	if (ref == NULL) {
		b->out_of_memory = true;
		return -1;
	}
	ref->kind = kind;
	ref->data = data ? reg_builder_str(b, data, strlen(data)) : NULL;
	ref->text = text ? reg_builder_str(b, text, strlen(text)) : NULL;
	ref->section = section ? reg_builder_str(b, section, strlen(section)) : NULL;
	return b->out_of_memory ? -1 : 0;
}

int reg_builder_copy_contacts_to_assignees(struct registry_builder *b)
{
	const struct iana_person_ref *contacts = b->contacts.items;
	size_t n = b->contacts.count;
	for (size_t i = 0; i < n; i++) {
		struct iana_person_ref *ref = vec_push(&b->assignees, sizeof(*ref));
		if (ref == NULL) {
			b->out_of_memory = true;
			return -1;
		}
		contacts = b->contacts.items; /* unchanged: only assignees grew */
		*ref = contacts[i];
	}
	return 0;
}

/* Copy the items of V into the arena; *count gets their number. */
static const void *freeze(struct registry_builder *b, struct vec *v, size_t item_size, uint16_t *count,
			  uint32_t line)
{
	*count = 0;
	if (v->count == 0)
		return NULL;
	if (v->count > UINT16_MAX) {
		reg_builder_error(b, line, 0, "a record holds more than %u people or references", UINT16_MAX);
		return NULL;
	}
	void *copy = reg_arena_alloc(&b->registry->arena, v->count * item_size);
	if (copy == NULL) {
		b->out_of_memory = true;
		return NULL;
	}
	memcpy(copy, v->items, v->count * item_size);
	*count = (uint16_t)v->count;
	return copy;
}

/* TEXT with IANA's pretty-printing undone: a run of whitespace holding one
 * line break (a wrapped line, the XML's indentation) becomes one space, a
 * run holding more (a blank line: a paragraph break) becomes "\n\n";
 * other runs stay as they are.  So the XML, the CSV (which carries the
 * XML's layout) and the flowed plain-text rendering give the same string.
 * TEXT itself when nothing changes; NULL on allocation failure (remembered
 * by the builder). */
static const char *flow_text(struct registry_builder *b, const char *text)
{
	if (text == NULL || strchr(text, '\n') == NULL)
		return text;
	size_t len = strlen(text);
	char *out = malloc(len + 1);
	if (out == NULL) {
		b->out_of_memory = true;
		return NULL;
	}
	size_t n = 0;
	for (const char *p = text; *p;) {
		if (!is_space(*p)) {
			out[n++] = *p++;
			continue;
		}
		const char *run = p;
		unsigned breaks = 0;
		for (; is_space(*p); p++)
			breaks += *p == '\n';
		if (n == 0 || *p == '\0')
			continue; /* ends trimmed */
		if (breaks == 0) {
			memcpy(out + n, run, (size_t)(p - run));
			n += (size_t)(p - run);
		} else if (breaks == 1) {
			out[n++] = ' ';
		} else {
			out[n++] = '\n';
			out[n++] = '\n';
		}
	}
	const char *copy = reg_builder_str(b, out, n);
	free(out);
	return copy;
}

static bool starts_with_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	return text != NULL && strncasecmp(text, word, n) == 0;
}

int reg_builder_end_record(struct registry_builder *b)
{
	if (!b->record_open)
		return 0;
	b->record_open = false;
	struct iana_record *r = (struct iana_record *)b->records.items + (b->records.count - 1);
	r->assignees = freeze(b, &b->assignees, sizeof(struct iana_person_ref), &r->n_assignees, r->line);
	r->contacts = freeze(b, &b->contacts, sizeof(struct iana_person_ref), &r->n_contacts, r->line);
	r->refs = freeze(b, &b->refs, sizeof(struct iana_reference), &r->n_refs, r->line);
	r->description = flow_text(b, r->description);
	r->notes = flow_text(b, r->notes);
	r->unauthorized = flow_text(b, r->unauthorized);
	if (r->name != NULL)
		r->status = IANA_STATUS_ASSIGNED;
	else if (starts_with_word(r->description, "Reserved"))
		r->status = IANA_STATUS_RESERVED;
	else if (starts_with_word(r->description, "Unassigned"))
		r->status = IANA_STATUS_UNASSIGNED;
	else
		r->status = IANA_STATUS_UNNAMED;
	if (r->name == NULL && !r->has_port)
		reg_builder_warning(b, r->line, 0, "record has neither a service name nor a port number");
	return reg_builder_failed(b) ? -1 : 0;
}

struct iana_person *reg_builder_add_person(struct registry_builder *b, const char *id, size_t len, uint32_t line)
{
	const char *copy = reg_builder_str(b, id, len);
	struct iana_person *p = copy ? vec_push(&b->people, sizeof(*p)) : NULL;
	uint32_t *where = p ? vec_push(&b->people_lines, sizeof(*where)) : NULL;
	if (where == NULL) {
		b->out_of_memory = true;
		return NULL;
	}
	*where = line;
	p->id = copy;
	return p;
}

/* Index the people table by id; the first of duplicate ids wins. */
static int index_people(struct registry_builder *b)
{
	struct iana_registry *reg = b->registry;
	if (reg->n_people == 0)
		return 0;
	size_t n_slots = 16;
	while (n_slots < reg->n_people * 2)
		n_slots *= 2;
	reg->person_slots = calloc(n_slots, sizeof(*reg->person_slots));
	if (reg->person_slots == NULL) {
		b->out_of_memory = true;
		return -1;
	}
	reg->person_slot_mask = n_slots - 1;
	const uint32_t *lines = b->people_lines.items;
	for (size_t i = 0; i < reg->n_people; i++) {
		const char *id = reg->people[i].id;
		size_t s = person_id_hash(id) & reg->person_slot_mask;
		while (reg->person_slots[s] != 0 && strcmp(reg->people[reg->person_slots[s] - 1].id, id) != 0)
			s = (s + 1) & reg->person_slot_mask;
		if (reg->person_slots[s] != 0) {
			reg_builder_warning(b, lines[i], 0, "person \"%s\" is listed twice; the first entry is used", id);
			continue;
		}
		reg->person_slots[s] = (uint32_t)i + 1;
	}
	return 0;
}

static void resolve_refs(struct registry_builder *b, const struct iana_record *r,
			 const struct iana_person_ref *refs, size_t n, const char *role)
{
	struct iana_registry *reg = b->registry;
	for (size_t i = 0; i < n; i++) {
		struct iana_person_ref *ref = (struct iana_person_ref *)&refs[i];
		ref->person = iana_registry_person(reg, ref->id);
		if (ref->person == NULL && reg->n_people > 0)
			reg_builder_warning(b, r->line, 0, "%s \"%s\" is not in the people table", role, ref->id);
	}
}

int reg_builder_finish(struct registry_builder *b, struct iana_registry **out)
{
	*out = NULL;
	if (b->record_open && !reg_builder_failed(b))
		reg_builder_end_record(b);
	struct iana_registry *reg = b->registry;
	reg->records = b->records.items;
	reg->n_records = b->records.count;
	b->records.items = NULL;
	reg->people = b->people.items;
	reg->n_people = b->people.count;
	b->people.items = NULL;
	reg->footnotes = b->footnotes.items;
	reg->n_footnotes = b->footnotes.count;
	b->footnotes.items = NULL;

	if (!reg_builder_failed(b) && index_people(b) == 0) {
		for (size_t i = 0; i < reg->n_records; i++) {
			const struct iana_record *r = &reg->records[i];
			resolve_refs(b, r, r->assignees, r->n_assignees, "assignee");
			resolve_refs(b, r, r->contacts, r->n_contacts, "contact");
		}
	}
	int result = b->out_of_memory ? IANA_LOAD_NO_MEMORY
		     : b->errors     ? IANA_LOAD_PARSE_ERROR
				     : IANA_LOAD_OK;
	if (result == IANA_LOAD_OK) {
		*out = reg;
		b->registry = NULL;
	} else {
		iana_registry_free(reg);
	}
	builder_release(b);
	return result;
}
