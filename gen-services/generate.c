/* generate.c - produces one whole output of gen-services in memory (see
 * generate.h), the distribution base of a services file included. */
#include "generate.h"
#include "json_writer.h"
#include "index_writer.h"
#include "services_base.h"
#include "services_writer.h"
#include "wireshark_writer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Report MESSAGE about FILE through LOAD_OPTIONS. */
static void report(const struct iana_load_options *load_options, enum iana_severity severity,
		   const char *file, const char *message)
{
	if (load_options == NULL || load_options->on_diagnostic == NULL)
		return;
	struct iana_diagnostic d = {
		.severity = severity,
		.file = file,
		.message = message,
	};
	load_options->on_diagnostic(&d, load_options->userdata);
}

/* services(5) to SELECTION's target: with its distribution base. */
static int write_services(FILE *out, const struct iana_registry *registry,
			  const struct iana_service_table *table, const struct output_selection *selection,
			  const struct iana_load_options *load_options)
{
	if (selection->target == NULL)
		return services_write(out, registry, table, selection);
	struct services_base base;
	char error[1536];
	if (services_base_open(selection->target, !selection->check_only, &base, error, sizeof(error)) < 0) {
		int saved = errno;
		report(load_options, IANA_SEVERITY_ERROR, selection->target, error);
		errno = saved;
		return -2;
	}
	if (base.saved) {
		/* A new file beside the output: say so (a warning, so -q quiets it). */
		snprintf(error, sizeof(error),
			 "not written by gen-services: kept as %s, the base merged into every regeneration",
			 base.path);
		report(load_options, IANA_SEVERITY_WARNING, selection->target, error);
	}
	struct output_selection with_base = *selection;
	with_base.base = &base;
	int rc = services_write(out, registry, table, &with_base);
	services_base_close(&base);
	return rc;
}

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
			rc = write_services(out, registry, table, selection, load_options);
		else
			rc = wireshark_write(out, registry, table, selection);
		iana_service_table_free(table);
	}
	int saved = errno;
	if (fclose(out) != 0 && rc == 0)
		rc = -1;
	if (rc < 0) {
		free(*text);
		*text = NULL;
		/* -2: the base's own error, reported with its errno. */
		errno = rc == -2 ? saved : ENOMEM;
		rc = -1;
	}
	return rc;
}
