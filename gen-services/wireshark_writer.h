/* wireshark_writer.h - the writer of Wireshark's services file
 * (wireshark_writer.c). */
#ifndef WIRESHARK_WRITER_H
#define WIRESHARK_WRITER_H

#include "output_format.h"

#include <stdio.h>

/* Wireshark's services file: "name port[-last]/proto[/proto...] [# description]",
 * protocols of the same name and port merged on one line. */
int wireshark_write(FILE *out, const struct iana_registry *registry,
		    const struct iana_service_table *table, const struct output_selection *selection);

#endif /* WIRESHARK_WRITER_H */
