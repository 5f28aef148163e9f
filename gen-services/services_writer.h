/* services_writer.h - the services(5) writer (services_writer.c). */
#ifndef SERVICES_WRITER_H
#define SERVICES_WRITER_H

#include "output_format.h"

#include <stdio.h>

/* services(5): "name port/proto [aliases] [# description]".  0, or -1 on a
 * write error. */
int services_write(FILE *out, const struct iana_registry *registry,
		   const struct iana_service_table *table, const struct output_selection *selection);

#endif /* SERVICES_WRITER_H */
