/* registry_diff.c - owns the comparison of two registries (which records are
 * the same assignment, which fields changed) and its text and JSON reports;
 * see registry_diff.h for the rules. */
#include "registry_diff.h"
#include "json_writer.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- comparing ---- */

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int ascii_casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ca = ascii_lower((unsigned char)*a), cb = ascii_lower((unsigned char)*b);
		if (ca != cb || ca == 0)
			return ca - cb;
	}
}

static int compare_uint(unsigned a, unsigned b)
{
	return (a > b) - (a < b);
}

/* Port ranges in order, records without a port after every port. */
static int compare_ports(const struct iana_record *a, const struct iana_record *b)
{
	if (a->has_port != b->has_port)
		return a->has_port ? -1 : 1;
	if (!a->has_port)
		return 0;
	int c = compare_uint(a->port_first, b->port_first);
	return c ? c : compare_uint(a->port_last, b->port_last);
}

static int compare_names(const struct iana_record *a, const struct iana_record *b)
{
	if ((a->name == NULL) != (b->name == NULL))
		return a->name == NULL ? -1 : 1;
	return a->name ? ascii_casecmp(a->name, b->name) : 0;
}

/* Pass 1: the whole identity.  Named before unnamed; named by name,
 * protocol, ports; unnamed by protocol and ports. */
static int key_identity(const struct iana_record *a, const struct iana_record *b)
{
	int c = compare_names(a, b);
	if (c == 0)
		c = compare_uint(a->protocol, b->protocol);
	if (c == 0)
		c = compare_ports(a, b);
	return c;
}

/* Pass 2 (named records): name and protocol. */
static int key_name_protocol(const struct iana_record *a, const struct iana_record *b)
{
	int c = compare_names(a, b);
	return c ? c : compare_uint(a->protocol, b->protocol);
}

/* Pass 3 (named records): name and ports. */
static int key_name_ports(const struct iana_record *a, const struct iana_record *b)
{
	int c = compare_names(a, b);
	return c ? c : compare_ports(a, b);
}

typedef int (*record_key_fn)(const struct iana_record *a, const struct iana_record *b);

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static const char *skip_space(const char *s)
{
	while (is_space(*s))
		s++;
	return s;
}

/* Equal texts once runs of white space count as one space and the ends are
 * trimmed; NULL is "". */
static bool same_text(const char *a, const char *b)
{
	a = skip_space(a ? a : "");
	b = skip_space(b ? b : "");
	for (;;) {
		if (is_space(*a) || is_space(*b)) {
			const char *na = skip_space(a), *nb = skip_space(b);
			bool space_a = na != a, space_b = nb != b;
			a = na;
			b = nb;
			if (*a == '\0' && *b == '\0')
				return true;
			if (space_a != space_b)
				return false;
			continue;
		}
		if (*a != *b)
			return false;
		if (*a == '\0')
			return true;
		a++;
		b++;
	}
}

static unsigned changed_fields(const struct iana_record *a, const struct iana_record *b)
{
	unsigned fields = 0;
	if ((a->name == NULL) != (b->name == NULL) || (a->name && strcmp(a->name, b->name) != 0))
		fields |= REGISTRY_FIELD_NAME;
	if (compare_ports(a, b) != 0)
		fields |= REGISTRY_FIELD_PORT;
	if (a->protocol != b->protocol)
		fields |= REGISTRY_FIELD_PROTOCOL;
	if (!same_text(a->description, b->description))
		fields |= REGISTRY_FIELD_DESCRIPTION;
	if (a->status != b->status)
		fields |= REGISTRY_FIELD_STATUS;
	return fields;
}

/* ---- pairing ---- */

struct side {
	const struct iana_record *records;
	size_t n;
	size_t *partner; /* index of the paired record on the other side, or SIZE_MAX */
};

struct candidate {
	const struct iana_record *record;
	size_t index;
};

static int compare_candidates(const void *pa, const void *pb, void *arg)
{
	const struct candidate *a = pa, *b = pb;
	record_key_fn key = *(record_key_fn *)arg;
	int c = key(a->record, b->record);
	return c ? c : (a->index > b->index) - (a->index < b->index);
}

/* The records of SIDE still unpaired (named ones only, if NAMED_ONLY),
 * sorted by KEY then registry order, into LIST; returns how many. */
static size_t candidates(const struct side *side, bool named_only, record_key_fn key,
			 struct candidate *list)
{
	size_t n = 0;
	for (size_t i = 0; i < side->n; i++) {
		if (side->partner[i] != SIZE_MAX || (named_only && side->records[i].name == NULL))
			continue;
		list[n].record = &side->records[i];
		list[n].index = i;
		n++;
	}
	qsort_r(list, n, sizeof(*list), compare_candidates, &key);
	return n;
}

/* Pair the unpaired records of OLD and NEW whose KEY is equal, in order.
 * SCRATCH holds old->n + new->n candidates. */
static void pair_pass(struct side *old, struct side *new, bool named_only, record_key_fn key,
		      struct candidate *scratch)
{
	struct candidate *a = scratch, *b = scratch + old->n;
	size_t na = candidates(old, named_only, key, a);
	size_t nb = candidates(new, named_only, key, b);
	size_t i = 0, j = 0;
	while (i < na && j < nb) {
		int c = key(a[i].record, b[j].record);
		if (c < 0) {
			i++;
		} else if (c > 0) {
			j++;
		} else {
			old->partner[a[i].index] = b[j].index;
			new->partner[b[j].index] = a[i].index;
			i++;
			j++;
		}
	}
}

/* Where a change is listed: the old record's place (the one its line
 * names), the new one's for an addition. */
static const struct iana_record *place_of(const struct registry_change *c)
{
	return c->old_record ? c->old_record : c->new_record;
}

static int compare_changes(const void *pa, const void *pb)
{
	const struct registry_change *a = pa, *b = pb;
	const struct iana_record *ra = place_of(a), *rb = place_of(b);
	int c = compare_ports(ra, rb);
	if (c == 0)
		c = compare_uint(ra->protocol, rb->protocol);
	if (c == 0)
		c = compare_uint(a->kind, b->kind);
	if (c == 0)
		c = compare_names(ra, rb);
	if (c == 0) /* keep registry order: the line in the file */
		c = compare_uint(ra->line, rb->line);
	return c;
}

static void init_side(struct side *side, const struct iana_registry *registry)
{
	side->n = 0;
	side->records = registry ? iana_registry_records(registry, &side->n) : NULL;
	side->partner = NULL;
}

int registry_diff_compute(const struct iana_registry *old_registry,
			  const struct iana_registry *new_registry, struct registry_diff *diff)
{
	memset(diff, 0, sizeof(*diff));
	struct side old, new;
	init_side(&old, old_registry);
	init_side(&new, new_registry);
	size_t total = old.n + new.n;
	size_t *partners = malloc((total ? total : 1) * sizeof(*partners));
	struct candidate *scratch = malloc((total ? total : 1) * sizeof(*scratch));
	diff->changes = malloc((total ? total : 1) * sizeof(*diff->changes));
	if (partners == NULL || scratch == NULL || diff->changes == NULL) {
		free(partners);
		free(scratch);
		free(diff->changes);
		diff->changes = NULL;
		errno = ENOMEM;
		return -1;
	}
	for (size_t i = 0; i < total; i++)
		partners[i] = SIZE_MAX;
	old.partner = partners;
	new.partner = partners + old.n;

	pair_pass(&old, &new, false, key_identity, scratch);
	pair_pass(&old, &new, true, key_name_protocol, scratch);
	pair_pass(&old, &new, true, key_name_ports, scratch);
	free(scratch);

	for (size_t i = 0; i < old.n; i++) {
		struct registry_change c = {.old_record = &old.records[i]};
		if (old.partner[i] == SIZE_MAX) {
			c.kind = REGISTRY_REMOVED;
			diff->removed++;
		} else {
			c.new_record = &new.records[old.partner[i]];
			c.fields = changed_fields(c.old_record, c.new_record);
			if (c.fields == 0)
				continue;
			c.kind = REGISTRY_CHANGED;
			diff->changed++;
		}
		diff->changes[diff->n_changes++] = c;
	}
	for (size_t j = 0; j < new.n; j++) {
		if (new.partner[j] != SIZE_MAX)
			continue;
		diff->changes[diff->n_changes++] = (struct registry_change){
			.kind = REGISTRY_ADDED,
			.new_record = &new.records[j],
		};
		diff->added++;
	}
	free(partners);
	qsort(diff->changes, diff->n_changes, sizeof(*diff->changes), compare_changes);
	return 0;
}

void registry_diff_free(struct registry_diff *diff)
{
	free(diff->changes);
	memset(diff, 0, sizeof(*diff));
}

/* ---- text ---- */

/* TEXT on one line: white space runs as one space, ends trimmed, other
 * control characters as '?'. */
static void put_one_line(FILE *out, const char *text)
{
	const char *p = skip_space(text ? text : "");
	while (*p != '\0') {
		if (is_space(*p)) {
			p = skip_space(p);
			if (*p != '\0')
				fputc(' ', out);
			continue;
		}
		unsigned char c = (unsigned char)*p++;
		fputc(c < 0x20 || c == 0x7f ? '?' : c, out);
	}
}

static void put_ports(FILE *out, const struct iana_record *r)
{
	if (!r->has_port)
		fputs("none", out);
	else if (r->port_first == r->port_last)
		fprintf(out, "%u", (unsigned)r->port_first);
	else
		fprintf(out, "%u-%u", (unsigned)r->port_first, (unsigned)r->port_last);
}

static const char *protocol_or_none(const struct iana_record *r)
{
	const char *name = iana_protocol_name((enum iana_protocol)r->protocol);
	return name ? name : "none";
}

static void put_label(FILE *out, const struct iana_record *r)
{
	if (r->name != NULL)
		put_one_line(out, r->name);
	else
		fprintf(out, "(%s)", iana_status_name((enum iana_status)r->status));
	fputc(' ', out);
	if (r->has_port)
		put_ports(out, r);
	else
		fputs("(no port)", out);
	if (r->protocol != IANA_PROTO_NONE)
		fprintf(out, "/%s", protocol_or_none(r));
}

static void put_quoted(FILE *out, const char *text)
{
	if (text == NULL) {
		fputs("none", out);
		return;
	}
	fputc('"', out);
	put_one_line(out, text);
	fputc('"', out);
}

static void put_change_line(FILE *out, const struct registry_change *c)
{
	if (c->kind != REGISTRY_CHANGED) {
		const struct iana_record *r = c->kind == REGISTRY_ADDED ? c->new_record : c->old_record;
		fputs(c->kind == REGISTRY_ADDED ? "+ " : "- ", out);
		put_label(out, r);
		if (r->description != NULL && *skip_space(r->description) != '\0') {
			fputs(": ", out);
			put_one_line(out, r->description);
		}
		fputc('\n', out);
		return;
	}
	const struct iana_record *a = c->old_record, *b = c->new_record;
	const char *sep = ": ";
	fputs("~ ", out);
	put_label(out, a);
	if (c->fields & REGISTRY_FIELD_NAME) {
		fprintf(out, "%sname ", sep);
		put_quoted(out, a->name);
		fputs(" -> ", out);
		put_quoted(out, b->name);
		sep = "; ";
	}
	if (c->fields & REGISTRY_FIELD_PORT) {
		fprintf(out, "%sport ", sep);
		put_ports(out, a);
		fputs(" -> ", out);
		put_ports(out, b);
		sep = "; ";
	}
	if (c->fields & REGISTRY_FIELD_PROTOCOL) {
		fprintf(out, "%sprotocol %s -> %s", sep, protocol_or_none(a), protocol_or_none(b));
		sep = "; ";
	}
	if (c->fields & REGISTRY_FIELD_DESCRIPTION) {
		fprintf(out, "%sdescription ", sep);
		put_quoted(out, a->description);
		fputs(" -> ", out);
		put_quoted(out, b->description);
		sep = "; ";
	}
	if (c->fields & REGISTRY_FIELD_STATUS)
		fprintf(out, "%sstatus %s -> %s", sep, iana_status_name((enum iana_status)a->status),
			iana_status_name((enum iana_status)b->status));
	fputc('\n', out);
}

int registry_diff_write_text(FILE *out, const struct registry_diff *diff, bool verbose)
{
	if (diff->n_changes == 0)
		fputs("no changes\n", out);
	else
		fprintf(out, "%zu added, %zu removed, %zu changed\n", diff->added, diff->removed,
			diff->changed);
	for (size_t i = 0; verbose && i < diff->n_changes && !ferror(out); i++)
		put_change_line(out, &diff->changes[i]);
	return ferror(out) ? -1 : 0;
}

/* ---- JSON ---- */

static void json_date(FILE *out, struct iana_date date)
{
	char buf[16];
	if (date.year == 0) {
		fputs("null", out);
		return;
	}
	iana_date_format(date, buf, sizeof(buf));
	fprintf(out, "\"%s\"", buf);
}

static void json_side(FILE *out, const char *source, const struct iana_registry *registry)
{
	size_t n = 0;
	if (registry != NULL)
		iana_registry_records(registry, &n);
	fputs("{\"source\":", out);
	json_write_string(out, source);
	fputs(",\"updated\":", out);
	json_date(out, registry ? iana_registry_updated(registry) : (struct iana_date){0});
	fprintf(out, ",\"records\":%zu}", n);
}

static void json_record(FILE *out, const struct iana_record *r)
{
	if (r == NULL) {
		fputs("null", out);
		return;
	}
	fprintf(out, "{\"line\":%u,\"name\":", (unsigned)r->line);
	json_write_string(out, r->name);
	if (r->has_port)
		fprintf(out, ",\"port\":%u,\"port_last\":%u", (unsigned)r->port_first, (unsigned)r->port_last);
	else
		fputs(",\"port\":null,\"port_last\":null", out);
	fputs(",\"protocol\":", out);
	json_write_string(out, iana_protocol_name((enum iana_protocol)r->protocol));
	fputs(",\"status\":", out);
	json_write_string(out, iana_status_name((enum iana_status)r->status));
	fputs(",\"description\":", out);
	json_write_string(out, r->description);
	fputc('}', out);
}

static void json_fields(FILE *out, unsigned fields)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{REGISTRY_FIELD_NAME, "name"},
		{REGISTRY_FIELD_PORT, "port"},
		{REGISTRY_FIELD_PROTOCOL, "protocol"},
		{REGISTRY_FIELD_DESCRIPTION, "description"},
		{REGISTRY_FIELD_STATUS, "status"},
	};
	const char *sep = "";
	fputc('[', out);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (fields & names[i].bit) {
			fprintf(out, "%s\"%s\"", sep, names[i].name);
			sep = ",";
		}
	}
	fputc(']', out);
}

int registry_diff_write_json(FILE *out, const struct registry_diff *diff,
			     const char *old_source, const struct iana_registry *old_registry,
			     const char *new_source, const struct iana_registry *new_registry)
{
	static const char *const kinds[] = {"removed", "changed", "added"};
	fputs("{\"old\":", out);
	json_side(out, old_source, old_registry);
	fputs(",\"new\":", out);
	json_side(out, new_source, new_registry);
	fprintf(out, ",\"added\":%zu,\"removed\":%zu,\"changed\":%zu,\"changes\":[", diff->added,
		diff->removed, diff->changed);
	for (size_t i = 0; i < diff->n_changes && !ferror(out); i++) {
		const struct registry_change *c = &diff->changes[i];
		fprintf(out, "%s\n{\"change\":\"%s\",\"fields\":", i ? "," : "", kinds[c->kind]);
		json_fields(out, c->fields);
		fputs(",\"old\":", out);
		json_record(out, c->old_record);
		fputs(",\"new\":", out);
		json_record(out, c->new_record);
		fputc('}', out);
	}
	fputs(diff->n_changes ? "\n]}\n" : "]}\n", out);
	return ferror(out) ? -1 : 0;
}
