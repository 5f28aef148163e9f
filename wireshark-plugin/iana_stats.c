/* iana_stats.c - the "iana" tap and the "IANA Services" stats tree on it
 * (iana_stats.h).  Every node counts packets (Count) and their frame
 * lengths in bytes (Average, Min val, Max val: the stats tree keeps the sum
 * in 64 bits, where its counter would wrap at 2 GiB):
 *
 *   Services                         named service of the service port
 *     https (tcp): 443
 *   Registry status                  assigned, reserved, unassigned, unnamed
 *     assigned
 *       System                       port class of the service port
 *   Reported unauthorized use
 *     79/tcp finger: Unauthorized use by some mail users ...
 *   Unassigned System and User ports  unassigned, not Dynamic/Private
 *     8001/tcp
 *
 * The first-level nodes are made by the init callback, so they always
 * appear, in this order.  The tap data is a struct service_port in packet
 * scope, chosen when the packet is queued. */
#include "iana_stats.h"
#include "service_port.h"

#include <epan/packet.h>
#include <epan/stats_tree.h>
#include <epan/tap.h>
#include <wsutil/wmem/wmem.h>

static int tap_iana = -1;

static const char node_services[] = "Services";
static const char node_status[] = "Registry status";
static const char node_unauthorized[] = "Reported unauthorized use";
/* A first-level name shows only after its last '/': none here. */
static const char node_unexpected[] = "Unassigned System and User ports";

static void stats_init(stats_tree *st)
{
	stats_tree_create_node(st, node_services, 0, STAT_DT_INT, true);
	stats_tree_create_node(st, node_status, 0, STAT_DT_INT, true);
	stats_tree_create_node(st, node_unauthorized, 0, STAT_DT_INT, true);
	stats_tree_create_node(st, node_unexpected, 0, STAT_DT_INT, true);
}

/* One packet of LEN bytes into node NAME under PARENT; returns its id. */
static int count(stats_tree *st, const char *name, int parent, bool with_children, int len)
{
	return avg_stat_node_add_value_int(st, name, parent, with_children, len);
}

static tap_packet_status stats_packet(stats_tree *st, packet_info *pinfo, epan_dissect_t *edt _U_,
				      const void *data, tap_flags_t flags _U_)
{
	const struct service_port *sp = data;
	int len = pinfo->fd->pkt_len > INT32_MAX ? INT32_MAX : (int)pinfo->fd->pkt_len;
	char name[512];

	if (service_port_is_assigned(sp)) {
		int services = count(st, node_services, 0, true, len);
		count(st, service_port_service_label(sp, name, sizeof(name)), services, false, len);
	}
	int status = count(st, node_status, 0, true, len);
	status = count(st, sp->info.status, status, true, len);
	count(st, port_class_name(sp->port_class), status, false, len);
	if (sp->info.unauthorized != NULL) {
		int unauthorized = count(st, node_unauthorized, 0, true, len);
		count(st, service_port_unauthorized_label(sp, name, sizeof(name)), unauthorized, false, len);
	}
	if (service_port_is_unexpected(sp)) {
		int unexpected = count(st, node_unexpected, 0, true, len);
		count(st, service_port_port_label(sp, name, sizeof(name)), unexpected, false, len);
	}
	return TAP_PACKET_REDRAW;
}

void iana_stats_register_tap(void)
{
	tap_iana = register_tap("iana");
}

void iana_stats_register_tree(void)
{
	stats_tree_register_plugin("iana", "iana", "IANA Services", 0, stats_packet, stats_init, NULL);
}

void iana_stats_queue(packet_info *pinfo, const struct port_table *table, unsigned protocol, uint16_t sport,
		      uint16_t dport)
{
	if (!have_tap_listener(tap_iana))
		return;
	struct service_port *sp = wmem_new(pinfo->pool, struct service_port);
	service_port_choose(table, protocol, sport, dport, sp);
	tap_queue_packet(tap_iana, pinfo, sp);
}
