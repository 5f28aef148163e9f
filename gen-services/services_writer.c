/* services_writer.c - writes the services view as a services(5) file, the
 * format glibc's `files` source reads: one line per port and protocol, the
 * canonical name first, then its aliases, then "# description". */
#include "services_base.h"
#include "services_writer.h"

#include <stdlib.h>
#include <string.h>

/* Bitmaps of the single ports present per protocol, so an expanded range
 * never shadows a port that has an entry of its own. */
struct single_ports {
	uint8_t bits[IANA_PROTO_COUNT][8192];
};

static bool has_single(const struct single_ports *s, uint8_t protocol, unsigned port)
{
	return (s->bits[protocol][port >> 3] >> (port & 7)) & 1;
}

static int write_line(FILE *out, struct line_buffer *line, const char *const *names, size_t n_names,
		      unsigned port, const char *protocol, const char *description, size_t max)
{
	line_puts(line, names[0]);
	line_pad(line, 16);
	line_put_uint(line, port);
	line_put(line, "/", 1);
	line_puts(line, protocol);
	for (size_t i = 1; i < n_names; i++) {
		line_put(line, " ", 1);
		line_puts(line, names[i]);
	}
	if (description != NULL && *description) {
		size_t comment = line->text.len;
		line_pad(line, 32);
		line_put(line, "# ", 2);
		line_put_one_line(line, description);
		if (max != 0)
			line_fit_comment(line, comment, max);
	}
	return line_flush(line, out);
}

int services_write(FILE *out, const struct iana_registry *registry, const struct iana_service_table *table,
		   const struct output_selection *sel)
{
	size_t n;
	const struct iana_service *entries = iana_service_table_entries(table, &n);
	enum range_mode ranges = sel->ranges == RANGES_DEFAULT ? RANGES_FIRST : sel->ranges;
	struct single_ports *singles = NULL;
	if (ranges == RANGES_EXPAND) {
		singles = calloc(1, sizeof(*singles));
		if (singles == NULL)
			return -1;
		for (size_t i = 0; i < n; i++)
			if (entries[i].port_first == entries[i].port_last)
				singles->bits[entries[i].protocol][entries[i].port_first >> 3] |=
					(uint8_t)(1u << (entries[i].port_first & 7));
	}
	size_t max_names = 1;
	for (size_t i = 0; i < n; i++)
		if ((size_t)entries[i].n_aliases + 1 > max_names)
			max_names = (size_t)entries[i].n_aliases + 1;
	const char **names = malloc(max_names * sizeof(*names));
	if (names == NULL) {
		free(singles);
		return -1;
	}

	struct line_buffer line = {0};
	int rc = 0;
	write_file_header(out, registry, sel, "services(5)");
	if (sel->local != NULL)
		local_services_write_block(out, sel->local);
	/* The distribution's base: its lines come first, so they answer its
	 * names and ports; the registry's entries all follow. */
	if (sel->base != NULL && sel->base->entries != NULL)
		services_base_write_block(out, sel->base);
	for (size_t i = 0; i < n; i++) {
		const struct iana_service *e = &entries[i];
		if (!(sel->protocols & (1u << e->protocol)))
			continue;
		bool range = e->port_first != e->port_last;
		if (range && ranges == RANGES_SKIP)
			continue;
		size_t n_names = local_services_surviving_names(sel->local, e, names);
		if (n_names == 0)
			continue;
		const char *protocol = iana_protocol_name(e->protocol);
		const char *description = sel->descriptions ? e->record->description : NULL;
		unsigned last = range && ranges == RANGES_EXPAND ? e->port_last : e->port_first;
		for (unsigned port = e->port_first; port <= last; port++) {
			if (port != e->port_first && has_single(singles, e->protocol, port))
				continue;
			if (local_services_has_port(sel->local, e->protocol, (uint16_t)port))
				continue;
			if (write_line(out, &line, names, n_names, port, protocol, description,
				       sel->full_descriptions ? 0 : SERVICES_LINE_MAX) < 0)
				rc = -1;
		}
	}
	line_free(&line);
	free(names);
	free(singles);
	return rc < 0 || ferror(out) ? -1 : 0;
}
