/* plugin.c - the Wireshark plugin ABI of the IANA registry plugin: the
 * version symbols Wireshark checks before loading a plugin, and
 * plugin_register(), which hands Wireshark the dissector's registration
 * functions (packet-iana.c) and the stats tree's (iana_stats.c), and from
 * Wireshark 4.4 on plugin_describe().  These symbols are all the plugin
 * exports (wireshark-plugin/iana.map). */
#include "iana_stats.h"
#include "packet-iana.h"
#include "ws_compat.h"

#include <epan/proto.h>
#include <epan/tap.h>
#include <ws_symbol_export.h>
#if IANA_WS_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
#endif

#ifndef IANA_PLUGIN_VERSION
#define IANA_PLUGIN_VERSION "0.1"
#endif

WS_DLL_PUBLIC_DEF const char plugin_version[] = IANA_PLUGIN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

#if IANA_WS_AT_LEAST(4, 4)
/* From 4.4 on, what kind of plugin this is (tshark -G plugins, About). */
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t plugin_describe(void)
{
	return WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER;
}
#endif

void plugin_register(void)
{
	static proto_plugin plugin = {
		.register_protoinfo = proto_register_iana,
		.register_handoff = proto_reg_handoff_iana,
	};
	proto_register_plugin(&plugin);
	static tap_plugin stats = {.register_tap_listener = iana_stats_register_tree};
	tap_register_plugin(&stats);
}
