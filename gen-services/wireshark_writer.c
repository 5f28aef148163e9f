/* wireshark_writer.c - writes the services view in Wireshark's own services
 * format (a personal or global "services" file): one line per name and port
 * or range, with every protocol carrying that name there merged, as in
 * "3par-mgmt-ssl 5783/tcp/udp" and "x11 6000-6063/tcp/udp".  Wireshark
 * knows one name per port and protocol, so only canonical names appear. */
#include "wireshark_writer.h"

#include <stdlib.h>
#include <string.h>

int wireshark_write(FILE *out, const struct iana_registry *registry, const struct iana_service_table *table,
		    const struct output_selection *sel)
{
	size_t n;
	const struct iana_service *entries = iana_service_table_entries(table, &n);
	/* Entries chained by first port, so merging is linear. */
	uint32_t *head = malloc(65536 * sizeof(*head));
	uint32_t *next = malloc((n ? n : 1) * sizeof(*next));
	bool *done = calloc(n ? n : 1, sizeof(*done));
	const char **names = NULL;
	size_t max_names = 1;
	for (size_t i = 0; i < n; i++)
		if ((size_t)entries[i].n_aliases + 1 > max_names)
			max_names = (size_t)entries[i].n_aliases + 1;
	names = malloc(max_names * sizeof(*names));
	const char **other = malloc(max_names * sizeof(*other));
	struct line_buffer line = {0};
	bool failed = false;
	int rc = -1;
	if (head == NULL || next == NULL || done == NULL || names == NULL || other == NULL)
		goto out;
	memset(head, 0xff, 65536 * sizeof(*head));
	for (size_t i = n; i-- > 0;) {
		next[i] = head[entries[i].port_first];
		head[entries[i].port_first] = (uint32_t)i;
	}

	write_file_header(out, registry, sel, "Wireshark services");
	if (sel->local != NULL)
		local_services_write_block(out, sel->local);
	for (size_t i = 0; i < n; i++) {
		const struct iana_service *e = &entries[i];
		bool range = e->port_first != e->port_last;
		if (done[i] || !(sel->protocols & (1u << e->protocol)) || (range && sel->ranges == RANGES_SKIP) ||
		    local_services_has_port(sel->local, e->protocol, e->port_first) ||
		    local_services_surviving_names(sel->local, e, names) == 0)
			continue;
		const char *name = names[0];
		unsigned last = range && sel->ranges != RANGES_FIRST ? e->port_last : e->port_first;
		line_puts(&line, name);
		line_pad(&line, 16);
		line_put_uint(&line, e->port_first);
		if (last != e->port_first) {
			line_put(&line, "-", 1);
			line_put_uint(&line, last);
		}
		line_put(&line, "/", 1);
		line_puts(&line, iana_protocol_name(e->protocol));
		for (uint32_t j = next[i]; j != UINT32_MAX; j = next[j]) {
			const struct iana_service *o = &entries[j];
			if (done[j] || o->port_last != e->port_last || !(sel->protocols & (1u << o->protocol)) ||
			    local_services_has_port(sel->local, o->protocol, o->port_first) ||
			    local_services_surviving_names(sel->local, o, other) == 0 || strcmp(other[0], name) != 0)
				continue;
			line_put(&line, "/", 1);
			line_puts(&line, iana_protocol_name(o->protocol));
			done[j] = true;
		}
		if (sel->descriptions && e->record->description && *e->record->description) {
			size_t comment = line.text.len;
			line_pad(&line, 32);
			line_put(&line, "# ", 2);
			line_put_one_line(&line, e->record->description);
			if (!sel->full_descriptions)
				line_fit_comment(&line, comment, WIRESHARK_LINE_MAX);
		}
		if (line_flush(&line, out) < 0)
			failed = true;
	}
	rc = failed || ferror(out) ? -1 : 0;
out:
	line_free(&line);
	free(head);
	free(next);
	free(done);
	free(names);
	free(other);
	return rc;
}
