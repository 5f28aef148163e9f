/* packet-iana.c - the "IANA Service Registry" postdissector (filter name
 * iana): for every packet whose last transport layer is TCP, UDP, SCTP or
 * DCCP it adds what the registry says about the source and destination
 * ports (service, aliases, description, status, port class, references,
 * assignee, reported unauthorized use), expert infos for unauthorized use
 * and Reserved ports, and optionally the service names in the Info column.
 *
 * Where the data comes from: the preference iana.registry, a services index
 * or any registry file the shared parser reads (port_table.c).  It is
 * loaded when a capture file is opened (the init routine) and only when the
 * path or the file (device, inode, size, mtime) changed since the last load,
 * so update-iana-services is picked up at the next file.  The default index
 * gives way to the installed registry when it is missing or does not record
 * that registry (iana_index_or_registry()).  A registry that
 * cannot be loaded labels nothing and puts one expert error, saying why, on
 * the first packet with ports of the file.
 *
 * Each packet with ports is also queued to the "iana" tap when a stats
 * tree listens (iana_stats.c).
 *
 * Ports in an ICMP or ICMPv6 error belong to the quoted packet, not to the
 * error itself: such packets are labelled with iana.quoted set and "quoted"
 * in the tree and Info text.
 *
 * Per packet: two direct-table reads and no allocation beyond the
 * packet-scope strings Wireshark's tree, expert and column functions make;
 * without a tree (plain tshark) two bit tests, and the lookups only for a
 * port with an expert info to give. */
#include "packet-iana.h"
#include "icmp_quote.h"
#include "iana_stats.h"
#include "port_table.h"
#include "ws_compat.h"

#include "file_id.h"
#include "iana_registry.h"
#include "index_paths.h"
#include "install_paths.h"

#include <epan/address.h>
#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto.h>
#include <wsutil/wmem/wmem.h>

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int proto_iana = -1;
static int proto_icmp = -1;
static int proto_icmpv6 = -1;
static int proto_transport[4] = {-1, -1, -1, -1}; /* tcp, udp, sctp, dccp */
static int hf_iana_transport = -1;
static int hf_iana_quoted = -1;
static int hf_iana_registry_date = -1;
static int hf_iana_service = -1;
static int hf_iana_alias = -1;
static int hf_iana_status = -1;
static int hf_iana_class = -1;
static gint ett_iana = -1;
static gint ett_iana_src = -1;
static gint ett_iana_dst = -1;

/* The fields of one side (source or destination port). */
struct side_fields {
	int port, service, alias, description, status, class, range, reference, assignee, unauthorized;
};
static struct side_fields hf_src = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
static struct side_fields hf_dst = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1};

static expert_field ei_iana_unauthorized = EI_INIT;
static expert_field ei_iana_reserved = EI_INIT;
static expert_field ei_iana_no_registry = EI_INIT;

static dissector_handle_t iana_handle;

/* Preferences. */
static const char *pref_registry = DEFAULT_INDEX_PATH;
static iana_pref_bool pref_info_column = false;

/* What is loaded, from where, and why not. */
static struct port_table *table;
static char *loaded_path;
static struct iana_file_id loaded_id;
static char load_error[512];
static bool load_attempted;
/* The frame that carries the "not loaded" expert error, 0: none yet. */
static uint32_t no_registry_frame;

/* The preference's path; the compiled-in default index is the one choice
 * of index or registry that every reader of both shares. */
static const char *effective_path(void)
{
	if (pref_registry != NULL && strcmp(pref_registry, DEFAULT_INDEX_PATH) == 0)
		return iana_index_or_registry(DEFAULT_INDEX_PATH, DEFAULT_REGISTRY_PATH);
	return pref_registry;
}

/* Load the registry unless the same file is loaded already (or failed the
 * same way already). */
static void load_registry(void)
{
	const char *path = effective_path();
	struct stat st;
	bool have_stat = path != NULL && *path != '\0' && stat(path, &st) == 0;
	struct iana_file_id id = have_stat ? iana_file_id_of(&st) : (struct iana_file_id){0};
	if (load_attempted && loaded_path != NULL && path != NULL && strcmp(loaded_path, path) == 0 &&
	    have_stat && iana_file_id_equal(&id, &loaded_id))
		return;

	port_table_free(table);
	table = NULL;
	g_free(loaded_path);
	loaded_path = g_strdup(path);
	load_attempted = true;
	loaded_id = id;
	load_error[0] = '\0';
	if (port_table_open(path, &table, load_error, sizeof(load_error)) != 0)
		table = NULL;
}

static void iana_init(void)
{
	no_registry_frame = 0;
	load_registry();
}

static void iana_shutdown(void)
{
	port_table_free(table);
	table = NULL;
	g_free(loaded_path);
	loaded_path = NULL;
	load_attempted = false;
}

static void iana_prefs_changed(void)
{
	/* Loaded at the next init (file open or redissection), not here:
	 * `tshark -G` and a preferences dialog should not parse anything. */
	load_attempted = false;
}

static unsigned protocol_of(port_type ptype)
{
	switch (ptype) {
	case PT_TCP:
		return IANA_PROTO_TCP;
	case PT_UDP:
		return IANA_PROTO_UDP;
	case PT_SCTP:
		return IANA_PROTO_SCTP;
	case PT_DCCP:
		return IANA_PROTO_DCCP;
	default:
		return IANA_PROTO_NONE;
	}
}

/* True when an ICMP or ICMPv6 layer comes before the last transport layer
 * of the packet, whose ports pinfo holds: they are those of a packet quoted
 * in an error.  (An ICMP echo carried in a UDP tunnel is not: there the
 * transport layer comes first.) */
static bool ports_are_quoted(packet_info *pinfo)
{
	bool seen_icmp = false, quoted = false;
	for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f != NULL; f = wmem_list_frame_next(f)) {
		int id = GPOINTER_TO_INT(wmem_list_frame_data(f));
		if (id == proto_icmp || id == proto_icmpv6) {
			seen_icmp = true;
			continue;
		}
		for (size_t i = 0; i < array_length(proto_transport); i++)
			if (id == proto_transport[i])
				quoted = seen_icmp;
	}
	return quoted;
}

/* The ports of the packet the ICMP or ICMPv6 error in this frame quotes,
 * read from the frame's bytes (icmp_quote.c): Wireshark 4.0 leaves them in
 * pinfo, later versions put the error packet's own ports back after
 * dissecting the quote, along with the addresses of the IP packet carrying
 * the error (pinfo->net_src, net_dst), which locate it in the frame.
 * False when the frame holds no such quote. */
static bool read_quoted_ports(tvbuff_t *tvb, packet_info *pinfo, unsigned *protocol, guint16 *sport, guint16 *dport)
{
	const address *src = &pinfo->net_src, *dst = &pinfo->net_dst;
	if (!((src->type == AT_IPv4 && src->len == 4) || (src->type == AT_IPv6 && src->len == 16)) ||
	    dst->type != src->type || dst->len != src->len || src->data == NULL || dst->data == NULL)
		return false;
	unsigned len = tvb_captured_length(tvb);
	const guint8 *frame = len > 0 ? tvb_get_ptr(tvb, 0, (gint)len) : NULL;
	struct icmp_quote quote;
	if (icmp_quote_find(frame, len, src->data, dst->data, (size_t)src->len, &quote) != 0)
		return false;
	switch (quote.transport) {
	case ICMP_QUOTE_TCP:
		*protocol = IANA_PROTO_TCP;
		break;
	case ICMP_QUOTE_UDP:
		*protocol = IANA_PROTO_UDP;
		break;
	case ICMP_QUOTE_SCTP:
		*protocol = IANA_PROTO_SCTP;
		break;
	default:
		*protocol = IANA_PROTO_DCCP;
		break;
	}
	*sport = quote.src_port;
	*dport = quote.dst_port;
	return true;
}

/* The subtree of one side; returns the item expert infos attach to. */
static proto_item *add_side(proto_tree *tree, tvbuff_t *tvb, wmem_allocator_t *pool, const struct side_fields *hf, gint ett,
			    const char *which, unsigned protocol, guint16 port, const struct port_info *info)
{
	const char *class_name = port_class_name(port_class_of(port));
	proto_item *side;
	proto_tree *sub = proto_tree_add_subtree_format(
		tree, tvb, 0, 0, ett, &side, "%s port %u/%s: %s", which, port, iana_protocol_name(protocol),
		info->name != NULL ? info->name
				   : (info->description != NULL ? info->description : info->status));
	proto_item *ti = proto_tree_add_uint(sub, hf->port, tvb, 0, 0, port);
	proto_item_set_generated(ti);
	if (info->name != NULL) {
		proto_tree_add_string(sub, hf->service, tvb, 0, 0, info->name);
		ti = proto_tree_add_string(tree, hf_iana_service, tvb, 0, 0, info->name);
		proto_item_set_hidden(ti);
		for (size_t a = 0; a < info->n_aliases; a++) {
			const char *alias = port_table_alias(table, info, a);
			if (alias == NULL)
				continue;
			proto_tree_add_string(sub, hf->alias, tvb, 0, 0, alias);
			ti = proto_tree_add_string(tree, hf_iana_alias, tvb, 0, 0, alias);
			proto_item_set_hidden(ti);
		}
	}
	if (info->description != NULL)
		proto_tree_add_string(sub, hf->description, tvb, 0, 0, info->description);
	ti = proto_tree_add_string(sub, hf->status, tvb, 0, 0, info->status);
	if (!info->has_record)
		proto_item_append_text(ti, " (no registry record covers this port)");
	ti = proto_tree_add_string(tree, hf_iana_status, tvb, 0, 0, info->status);
	proto_item_set_hidden(ti);
	proto_tree_add_string(sub, hf->class, tvb, 0, 0, class_name);
	ti = proto_tree_add_string(tree, hf_iana_class, tvb, 0, 0, class_name);
	proto_item_set_hidden(ti);
	if (info->has_record && info->range_first != info->range_last)
		proto_tree_add_string(sub, hf->range, tvb, 0, 0,
				      wmem_strdup_printf(pool, "%u-%u", info->range_first, info->range_last));
	if (info->references != NULL)
		proto_tree_add_string(sub, hf->reference, tvb, 0, 0, info->references);
	if (info->assignees != NULL)
		proto_tree_add_string(sub, hf->assignee, tvb, 0, 0, info->assignees);
	if (info->unauthorized != NULL)
		side = proto_tree_add_string(sub, hf->unauthorized, tvb, 0, 0, info->unauthorized);
	return side;
}

/* Expert infos of one side.  PI is NULL when there is no tree: the
 * expert tap (Expert Information, tshark -z expert) still sees them. */
static void add_side_expert(packet_info *pinfo, proto_item *pi, const char *which, unsigned protocol,
			    guint16 port, const struct port_info *info)
{
	if (info->unauthorized != NULL)
		expert_add_info_format(pinfo, pi, &ei_iana_unauthorized,
				       "Unauthorized use reported for %s port %u/%s (%s): %s", which, port,
				       iana_protocol_name(protocol), info->name, info->unauthorized);
	if (info->reserved)
		expert_add_info_format(pinfo, pi, &ei_iana_reserved, "%s port %u/%s is Reserved", which, port,
				       iana_protocol_name(protocol));
}

/* "https" or "51234" for the Info column. */
static const char *info_label(wmem_allocator_t *pool, const struct port_info *info, guint16 port)
{
	if (info->name != NULL)
		return info->name;
	return wmem_strdup_printf(pool, "%u", port);
}

static int dissect_iana(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
	unsigned protocol = protocol_of(pinfo->ptype);
	guint16 sport = (guint16)pinfo->srcport, dport = (guint16)pinfo->destport;
	/* The quoted packet's ports: from its bytes when they can be read
	 * (every version alike), else pinfo's (Wireshark 4.0 leaves them) */
	bool quoted = ports_are_quoted(pinfo);
	if (quoted && !read_quoted_ports(tvb, pinfo, &protocol, &sport, &dport) && !IANA_WS_QUOTE_IN_PINFO)
		return 0;
	if (protocol == IANA_PROTO_NONE)
		return 0;

	if (table == NULL) {
		/* One configuration problem, one expert error: on the first
		 * packet with ports of the capture file, every time it is
		 * dissected. */
		if (no_registry_frame == 0)
			no_registry_frame = pinfo->num;
		proto_item *ti = proto_tree_add_item(tree, proto_iana, tvb, 0, 0, ENC_NA);
		proto_item_append_text(ti, ": no registry loaded");
		if (pinfo->num == no_registry_frame)
			expert_add_info_format(pinfo, ti, &ei_iana_no_registry, "IANA registry not loaded: %s",
					       load_error[0] ? load_error : "no registry path is set");
		else
			proto_item_append_text(ti, " (the expert error on frame %u says why)", no_registry_frame);
		return 0;
	}
	iana_stats_queue(pinfo, table, protocol, sport, dport);

	/* Without a tree or the Info column only expert infos are wanted:
	 * a bitmap read tells whether either port has one. */
	if (tree == NULL && !pref_info_column && !port_table_is_notable(table, protocol, sport) &&
	    !port_table_is_notable(table, protocol, dport))
		return 0;
	struct port_info src, dst;
	port_table_lookup(table, protocol, sport, &src);
	port_table_lookup(table, protocol, dport, &dst);

	if (pref_info_column && (src.name != NULL || dst.name != NULL))
		col_append_fstr(pinfo->cinfo, COL_INFO, " [IANA%s %s > %s]", quoted ? " quoted" : "",
				info_label(pinfo->pool, &src, sport), info_label(pinfo->pool, &dst, dport));
	if (tree == NULL) {
		add_side_expert(pinfo, NULL, "Source", protocol, sport, &src);
		add_side_expert(pinfo, NULL, "Destination", protocol, dport, &dst);
		return 0;
	}

	const char *proto_name = iana_protocol_name(protocol);
	proto_item *ti = proto_tree_add_item(tree, proto_iana, tvb, 0, 0, ENC_NA);
	proto_item_append_text(ti, "%s, %s %u (%s) > %u (%s)", quoted ? " (ports of the quoted packet)" : "",
			       proto_name, sport, src.name != NULL ? src.name : src.status, dport,
			       dst.name != NULL ? dst.name : dst.status);
	proto_tree *iana_tree = proto_item_add_subtree(ti, ett_iana);
	proto_item *item = proto_tree_add_string(iana_tree, hf_iana_transport, tvb, 0, 0, proto_name);
	proto_item_set_generated(item);
	if (quoted) { /* present only then, so that the filter "iana.quoted" means it */
		item = proto_tree_add_boolean(iana_tree, hf_iana_quoted, tvb, 0, 0, TRUE);
		proto_item_set_generated(item);
	}
	const char *updated = port_table_updated(table);
	if (*updated != '\0') {
		item = proto_tree_add_string(iana_tree, hf_iana_registry_date, tvb, 0, 0, updated);
		proto_item_set_generated(item);
	}
	item = add_side(iana_tree, tvb, pinfo->pool, &hf_src, ett_iana_src, "Source", protocol, sport, &src);
	add_side_expert(pinfo, item, "Source", protocol, sport, &src);
	item = add_side(iana_tree, tvb, pinfo->pool, &hf_dst, ett_iana_dst, "Destination", protocol, dport, &dst);
	add_side_expert(pinfo, item, "Destination", protocol, dport, &dst);
	return tvb_captured_length(tvb);
}

#define SIDE_FIELDS(HF, WHO, ABBREV)                                                                       \
	{&HF.port, {WHO " port", "iana." ABBREV ".port", FT_UINT16, BASE_DEC, NULL, 0x0,                    \
		    "The " WHO " port the registry data below is about", HFILL}},                             \
	{&HF.service, {WHO " service", "iana." ABBREV ".service", FT_STRING, BASE_NONE, NULL, 0x0,         \
		       "Canonical service name the registry gives the " WHO " port", HFILL}},                \
	{&HF.alias, {WHO " alias", "iana." ABBREV ".alias", FT_STRING, BASE_NONE, NULL, 0x0,               \
		     "Other service names on the " WHO " port (one item each)", HFILL}},                     \
	{&HF.description, {WHO " description", "iana." ABBREV ".description", FT_STRING, BASE_NONE, NULL,   \
			   0x0, "Registry description of the " WHO " port", HFILL}},                         \
	{&HF.status, {WHO " status", "iana." ABBREV ".status", FT_STRING, BASE_NONE, NULL, 0x0,            \
		      "assigned, reserved, unassigned, or unnamed (a record without a service name, "        \
		      "such as De-registered)",                                                              \
		      HFILL}},                                                                               \
	{&HF.class, {WHO " port class", "iana." ABBREV ".class", FT_STRING, BASE_NONE, NULL, 0x0,          \
		     "System (0-1023), User (1024-49151) or Dynamic/Private (49152-65535)", HFILL}},         \
	{&HF.range, {WHO " registered range", "iana." ABBREV ".range", FT_STRING, BASE_NONE, NULL, 0x0,     \
		     "The port range of the registry record, when it covers more than one port", HFILL}},    \
	{&HF.reference, {WHO " references", "iana." ABBREV ".reference", FT_STRING, BASE_NONE, NULL, 0x0,   \
			 "RFCs and other references of the registry record", HFILL}},                        \
	{&HF.assignee, {WHO " assignee", "iana." ABBREV ".assignee", FT_STRING, BASE_NONE, NULL, 0x0,      \
			"Assignee of the registry record", HFILL}},                                          \
	{&HF.unauthorized, {WHO " unauthorized use", "iana." ABBREV ".unauthorized", FT_STRING, BASE_NONE,  \
			    NULL, 0x0, "Unauthorized use of the port reported to IANA", HFILL}}

void proto_register_iana(void)
{
	static hf_register_info hf[] = {
		{&hf_iana_transport, {"Transport", "iana.transport", FT_STRING, BASE_NONE, NULL, 0x0,
				      "tcp, udp, sctp or dccp: the protocol the ports were looked up on",
				      HFILL}},
		{&hf_iana_quoted, {"Quoted in an ICMP error", "iana.quoted", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
				   "Present when the ports are those of the packet quoted in an ICMP or ICMPv6 error",
				   HFILL}},
		{&hf_iana_registry_date, {"Registry date", "iana.registry_date", FT_STRING, BASE_NONE, NULL,
					  0x0, "Last Updated date of the loaded registry", HFILL}},
		{&hf_iana_service, {"Service", "iana.service", FT_STRING, BASE_NONE, NULL, 0x0,
				    "Canonical service name of the source or the destination port", HFILL}},
		{&hf_iana_alias, {"Alias", "iana.alias", FT_STRING, BASE_NONE, NULL, 0x0,
				  "Other service name of the source or the destination port", HFILL}},
		{&hf_iana_status, {"Status", "iana.status", FT_STRING, BASE_NONE, NULL, 0x0,
				   "Registry status of the source or the destination port", HFILL}},
		{&hf_iana_class, {"Port class", "iana.class", FT_STRING, BASE_NONE, NULL, 0x0,
				  "Port class of the source or the destination port", HFILL}},
		SIDE_FIELDS(hf_src, "Source", "src"),
		SIDE_FIELDS(hf_dst, "Destination", "dst"),
	};
	static gint *ett[] = {&ett_iana, &ett_iana_src, &ett_iana_dst};
	static ei_register_info ei[] = {
		{&ei_iana_unauthorized, {"iana.unauthorized_use", PI_SECURITY, PI_WARN,
					 "Unauthorized use of this port was reported to IANA", EXPFILL}},
		{&ei_iana_reserved, {"iana.reserved_port", PI_PROTOCOL, PI_NOTE,
				     "The registry lists this port as Reserved", EXPFILL}},
		{&ei_iana_no_registry, {"iana.no_registry", PI_UNDECODED, PI_ERROR,
					"IANA registry not loaded", EXPFILL}},
	};

	proto_iana = proto_register_protocol("IANA Service Registry", "IANA", "iana");
	proto_register_field_array(proto_iana, hf, array_length(hf));
	proto_register_subtree_array(ett, array_length(ett));
	expert_module_t *expert = expert_register_protocol(proto_iana);
	expert_register_field_array(expert, ei, array_length(ei));

	module_t *module = prefs_register_protocol(proto_iana, iana_prefs_changed);
	prefs_register_filename_preference(
		module, "registry", "Registry or index file",
		"A services index (gen-services --format index) or an IANA registry file (XML, CSV or "
		"text). Default: the index the NSS module reads, " DEFAULT_INDEX_PATH
		", or else the registry " DEFAULT_REGISTRY_PATH ".",
		&pref_registry, FALSE);
	prefs_register_bool_preference(module, "info_column", "Show service names in the Info column",
				       "Append [IANA source > destination] with the registry's service names "
				       "to the Info column",
				       &pref_info_column);

	iana_stats_register_tap();
	register_init_routine(iana_init);
	register_shutdown_routine(iana_shutdown);
	iana_handle = create_dissector_handle(dissect_iana, proto_iana);
}

void proto_reg_handoff_iana(void)
{
	proto_icmp = proto_get_id_by_filter_name("icmp");
	proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
	static const char *const transports[] = {"tcp", "udp", "sctp", "dccp"};
	for (size_t i = 0; i < array_length(transports); i++)
		proto_transport[i] = proto_get_id_by_filter_name(transports[i]);
	register_postdissector(iana_handle);
}
