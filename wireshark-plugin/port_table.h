/* port_table.h - what the Wireshark plugin knows about every port: the
 * services index (read from a compiled index, or built in memory from any
 * registry file the shared parser reads) plus a direct table from
 * (protocol, port) to the index's entry or unnamed record, so that a
 * packet costs two array reads.
 *
 * Plain C on the index reader and the shared parser, no Wireshark types:
 * the unit tests drive it without Wireshark.  A table is immutable once
 * opened; any number of threads may look up at once. */
#ifndef PORT_TABLE_H
#define PORT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct port_table;

enum port_class {
	PORT_CLASS_SYSTEM = 0,  /* 0-1023 */
	PORT_CLASS_USER,        /* 1024-49151 */
	PORT_CLASS_DYNAMIC,     /* 49152-65535 */
};

/* What the registry says about one port on one protocol. */
struct port_info {
	const char *name;         /* canonical service name; NULL: no service */
	const char *description;  /* NULL when none */
	const char *status;       /* "assigned", "reserved", "unassigned",
				     "unnamed" (a record without a name whose
				     description is another word, such as
				     "De-registered"); "unassigned" when no
				     record covers the port */
	const char *references;   /* NULL when none */
	const char *assignees;    /* NULL when none */
	const char *unauthorized; /* reported unauthorized use, NULL when none
				     or when a range's text names other
				     ports of it (x11's "on port 6003":
				     6003 only) */
	uint16_t range_first, range_last; /* the record's ports (a named range
					     such as x11 6000-6063) */
	uint16_t n_aliases;
	bool has_record;          /* false: no registry record covers the port */
	bool reserved;            /* status is "reserved" */
	size_t entry;             /* for port_table_alias() */
};

/* Open PATH: a services index (by its magic) or a registry in any format.
 * Returns 0 and sets *OUT, or -1 with a one-line reason naming PATH (and
 * the line, for a registry that does not parse) in ERROR. */
int port_table_open(const char *path, struct port_table **out, char *error, size_t error_size);
void port_table_free(struct port_table *table);

/* PROTOCOL is enum iana_protocol (TCP, UDP, SCTP, DCCP).  Always fills
 * *INFO; returns info->has_record || info->name != NULL. */
bool port_table_lookup(const struct port_table *table, unsigned protocol, uint16_t port,
		       struct port_info *info);
/* True when the port has something to warn or note about (reported
 * unauthorized use, Reserved): a 32 KiB bitmap, so that a packet without
 * a tree costs a cache-friendly read, not a lookup. */
bool port_table_is_notable(const struct port_table *table, unsigned protocol, uint16_t port);
/* Alias A (0-based) of INFO's service, or NULL. */
const char *port_table_alias(const struct port_table *table, const struct port_info *info, size_t a);

/* The registry's Last Updated date of the loaded data, "2026-08-17",
 * or "" when unknown. */
const char *port_table_updated(const struct port_table *table);

enum port_class port_class_of(uint16_t port);
/* "System", "User", "Dynamic/Private". */
const char *port_class_name(enum port_class port_class);

#endif /* PORT_TABLE_H */
