/* generate.c - produces one whole output of gen-services in memory (see
 * generate.h). */
#include "generate.h"
#include "json_writer.h"
#include "index_writer.h"
#include "services_writer.h"
#include "wireshark_writer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int generate_output(enum output_kind kind, const struct iana_registry *registry,
		    const struct output_selection *selection,
		    const struct iana_load_options *load_options, char **text, size_t *len)
{
	*text = NULL;
	*len = 0;
	FILE *out = open_memstream(text, len);
	if (out == NULL)
		return -1;
	int rc;
	if (kind == FORMAT_JSON) {
		rc = json_write_registry(out, registry);
	} else {
		struct iana_service_table *table;
		if (iana_service_table_build(registry, load_options, &table) != IANA_LOAD_OK) {
			fclose(out);
			free(*text);
			*text = NULL;
			errno = ENOMEM;
			return -1;
		}
		if (kind == FORMAT_INDEX)
			rc = iana_index_write(out, registry, table, selection->index_source);
		else if (kind == FORMAT_SERVICES)
			rc = services_write(out, registry, table, selection);
		else
			rc = wireshark_write(out, registry, table, selection);
		iana_service_table_free(table);
	}
	if (fclose(out) != 0)
		rc = -1;
	if (rc < 0) {
		free(*text);
		*text = NULL;
		errno = ENOMEM;
	}
	return rc;
}
