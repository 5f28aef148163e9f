/* service_port.c - the attribution of a packet to its service port for the
 * IANA statistics, and the names of the items it counts in
 * (service_port.h). */
#include "service_port.h"

#include "iana_registry.h"

#include <stdio.h>
#include <string.h>

void service_port_choose(const struct port_table *table, unsigned protocol, uint16_t sport, uint16_t dport,
			 struct service_port *out)
{
	*out = (struct service_port){.protocol = protocol, .port = dport};
	port_table_lookup(table, protocol, dport, &out->info);
	if (out->info.name == NULL) {
		struct port_info src;
		port_table_lookup(table, protocol, sport, &src);
		if (src.name != NULL) {
			out->port = sport;
			out->is_source = true;
			out->info = src;
		}
	}
	out->port_class = port_class_of(out->port);
}

bool service_port_is_assigned(const struct service_port *sp)
{
	return sp->info.name != NULL;
}

bool service_port_is_unexpected(const struct service_port *sp)
{
	return sp->info.name == NULL && strcmp(sp->info.status, iana_status_name(IANA_STATUS_UNASSIGNED)) == 0 &&
	       sp->port_class != PORT_CLASS_DYNAMIC;
}

char *service_port_service_label(const struct service_port *sp, char *buf, size_t size)
{
	const struct port_info *i = &sp->info;
	const char *proto = iana_protocol_name(sp->protocol);
	if (i->name == NULL)
		snprintf(buf, size, "%s", "");
	else if (i->range_first != i->range_last)
		snprintf(buf, size, "%s (%s): %u-%u", i->name, proto, i->range_first, i->range_last);
	else
		snprintf(buf, size, "%s (%s): %u", i->name, proto, sp->port);
	return buf;
}

char *service_port_port_label(const struct service_port *sp, char *buf, size_t size)
{
	snprintf(buf, size, "%u/%s", sp->port, iana_protocol_name(sp->protocol));
	return buf;
}

char *service_port_unauthorized_label(const struct service_port *sp, char *buf, size_t size)
{
	const struct port_info *i = &sp->info;
	if (i->unauthorized == NULL)
		snprintf(buf, size, "%s", "");
	else
		snprintf(buf, size, "%u/%s %s: %s", sp->port, iana_protocol_name(sp->protocol),
			 i->name != NULL ? i->name : i->status, i->unauthorized);
	return buf;
}
