/* parse_bench.c - benchmark helper: what gen-services does with a registry
 * before it writes anything, and nothing more: load PATH (any format, as
 * iana_registry_load_path() reads it) and build the services view
 * (iana_service_table_build()), then free both.  Warnings are counted, not
 * printed (gen-services -q); errors go to stderr.  run-bench.sh times it
 * against `xmllint --stream --noout` and counts the instructions of both.
 * Exit status: 0 loaded, 1 the load or the view failed, 2 usage. */
#include "iana_registry.h"

#include <stdio.h>

struct counts {
	unsigned long errors, warnings;
};

static void on_diagnostic(const struct iana_diagnostic *d, void *userdata)
{
	struct counts *c = userdata;
	if (d->severity != IANA_SEVERITY_ERROR) {
		c->warnings++;
		return;
	}
	c->errors++;
	fprintf(stderr, "%s:%u:%u: error: %s\n", d->file, (unsigned)d->line, (unsigned)d->column, d->message);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s REGISTRY\n", argv[0]);
		return 2;
	}
	struct counts counts = {0, 0};
	struct iana_load_options options = {
		.display_name = argv[1],
		.on_diagnostic = on_diagnostic,
		.userdata = &counts,
	};
	struct iana_registry *registry;
	int rc = iana_registry_load_path(argv[1], &options, &registry);
	if (rc != IANA_LOAD_OK) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], argv[1], iana_load_result_str(rc));
		return 1;
	}
	struct iana_service_table *table;
	rc = iana_service_table_build(registry, &options, &table);
	if (rc != IANA_LOAD_OK) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], argv[1], iana_load_result_str(rc));
		iana_registry_free(registry);
		return 1;
	}
	iana_service_table_free(table);
	iana_registry_free(registry);
	return 0;
}
