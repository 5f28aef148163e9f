/* unauthorized_ports.h - which ports the registry's "unauthorized use"
 * text of a record names, so that a range record warns only on those.
 *
 * The grammar, from every such text of the 2024 and 2026 registries: the
 * word "port" or "ports" (any case), an optional ':', then a list of port
 * numbers or ranges "N-M" separated by ',', '&' or "and" ("Known
 * Unauthorized Use on port 6003", "Unauthorized Use Known on ports 5151
 * and 5152", "Known UNAUTHORIZED USE: Ports 44515 & 44516", "on ports
 * 28017, 28018 and 28019", "on ports 33436-33534", "PORT 90 also being
 * used").  The list ends at the first other word; every such phrase of the
 * text counts.  Plain C, no Wireshark types. */
#ifndef UNAUTHORIZED_PORTS_H
#define UNAUTHORIZED_PORTS_H

#include <stddef.h>
#include <stdint.h>

struct port_span {
	uint16_t first, last;
};

/* The ports TEXT names, in order, into SPANS (room for MAX).  Returns how
 * many it names (only the first MAX are stored); 0 when none, or TEXT is
 * NULL.  A number above 65535, or a range whose first port is above its
 * last, names nothing. */
size_t unauthorized_ports(const char *text, struct port_span *spans, size_t max);

#endif /* UNAUTHORIZED_PORTS_H */
