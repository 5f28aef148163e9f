/* service_port.h - how the IANA statistics (iana_stats.c, tshark -z
 * iana,tree) attribute a packet: its *service port*, the registry's
 * answer for it, and the names of the stats-tree items it counts in.
 *
 * The service port is the destination port if the registry assigns it (a
 * record with a service name), else the source port if assigned, else the
 * destination port; so a request and its response count for the same
 * service.
 *
 * Plain C over port_table.h, no Wireshark types: the unit tests drive it
 * without Wireshark.  Nothing here allocates or keeps state. */
#ifndef SERVICE_PORT_H
#define SERVICE_PORT_H

#include "port_table.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct service_port {
	unsigned protocol;        /* enum iana_protocol */
	uint16_t port;
	bool is_source;           /* the source port was chosen */
	struct port_info info;    /* the registry's answer for PORT */
	enum port_class port_class;
};

/* Choose the service port of a packet SPORT -> DPORT on PROTOCOL and look
 * it up in TABLE.  Always fills *OUT. */
void service_port_choose(const struct port_table *table, unsigned protocol, uint16_t sport, uint16_t dport,
			 struct service_port *out);

/* True when the registry assigns the port to a named service. */
bool service_port_is_assigned(const struct service_port *sp);
/* True when nobody was assigned the port and it is not Dynamic/Private
 * (no record, or an Unassigned one): traffic worth a look. */
bool service_port_is_unexpected(const struct service_port *sp);

/* The item names, written to BUF (truncated to SIZE, always terminated);
 * each returns BUF.
 *   service:      "https (tcp): 443", "x11 (tcp): 6000-6063"
 *   port:         "8001/tcp"
 *   unauthorized: "79/tcp finger: Unauthorized use by some mail users ..."
 * service and unauthorized give "" when the port has no service name or
 * no reported unauthorized use. */
char *service_port_service_label(const struct service_port *sp, char *buf, size_t size);
char *service_port_port_label(const struct service_port *sp, char *buf, size_t size);
char *service_port_unauthorized_label(const struct service_port *sp, char *buf, size_t size);

#endif /* SERVICE_PORT_H */
