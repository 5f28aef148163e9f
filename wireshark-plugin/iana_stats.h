/* iana_stats.h - the IANA statistics: one tap ("iana") the postdissector
 * queues each packet's service port to, and one stats tree on it,
 * Statistics > IANA Services in the GUI and tshark -z iana,tree[,filter].
 * The attribution itself is service_port.c. */
#ifndef IANA_STATS_H
#define IANA_STATS_H

#include "port_table.h"

#include <epan/packet_info.h>

#include <stdint.h>

/* From proto_register_iana(): registers the tap. */
void iana_stats_register_tap(void);
/* From the plugin's tap registration (plugin.c): registers the stats tree. */
void iana_stats_register_tree(void);

/* Hands the packet to the stats tree, only when one listens: otherwise
 * it costs one check.  TABLE must stay loaded until the packet is
 * dissected (the tap runs at the end of its dissection). */
void iana_stats_queue(packet_info *pinfo, const struct port_table *table, unsigned protocol, uint16_t sport,
		      uint16_t dport);

#endif /* IANA_STATS_H */
