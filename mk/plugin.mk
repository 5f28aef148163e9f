# mk/plugin.mk - wireshark-plugin/: the Wireshark plugin iana.so, built
# when pkg-config finds Wireshark's development files (Debian:
# wireshark-dev), for that Wireshark's plugin ABI.  Installed into
# Wireshark's plugin directory under epan/ (override WIRESHARK_PLUGINDIR);
# a personal copy goes to ~/.local/lib/wireshark/plugins/X.Y/epan/, X.Y
# being that Wireshark's version.  The
# parser is linked in statically; libxml2 is already in every Wireshark
# process.  Only the plugin ABI symbols are exported.  The port table
# (port_table.c, unauthorized_ports.c), the ICMP quote reader
# (icmp_quote.c) and the statistics' attribution (service_port.c) are
# plain C: their unit tests and the bench need no
# Wireshark.
HAVE_WIRESHARK := $(shell $(PKG_CONFIG) --exists wireshark 2>/dev/null && echo yes)
WIRESHARK_CFLAGS = $(patsubst -I%,-isystem %,$(shell $(PKG_CONFIG) --cflags wireshark))
WIRESHARK_LIBS = $(filter-out -Wl$(comma)--export-dynamic,$(shell $(PKG_CONFIG) --libs wireshark))
WIRESHARK_PLUGINDIR ?= $(shell $(PKG_CONFIG) --variable=plugindir wireshark 2>/dev/null)
comma := ,
PLUGIN_SRC := wireshark-plugin/packet-iana.c wireshark-plugin/iana_stats.c wireshark-plugin/plugin.c
PLUGIN_OBJ := $(PLUGIN_SRC:%.c=$(BUILD)/obj/%.o)
PORT_TABLE_OBJ := $(BUILD)/obj/wireshark-plugin/port_table.o $(BUILD)/obj/wireshark-plugin/unauthorized_ports.o
ICMP_QUOTE_OBJ := $(BUILD)/obj/wireshark-plugin/icmp_quote.o
SERVICE_PORT_OBJ := $(BUILD)/obj/wireshark-plugin/service_port.o
PLUGIN := $(if $(HAVE_WIRESHARK),$(BUILD)/wireshark-plugin/iana.so)
PLUGIN_LDFLAGS = -shared -Wl,--version-script=wireshark-plugin/iana.map -Wl,-z,defs -Wl,-z,relro,-z,now

.PHONY: plugin install-plugin uninstall-plugin
all: $(PLUGIN)
plugin: $(PLUGIN)
install: install-plugin
uninstall: uninstall-plugin

$(PLUGIN_OBJ): OBJ_CFLAGS += $(WIRESHARK_CFLAGS)

$(BUILD)/wireshark-plugin/iana.so: $(PLUGIN_OBJ) $(PORT_TABLE_OBJ) $(ICMP_QUOTE_OBJ) $(SERVICE_PORT_OBJ) $(PARSER_LIBS) wireshark-plugin/iana.map
	@mkdir -p $(dir $@)
	$(CC) $(LINK_CFLAGS) $(LDFLAGS) $(PLUGIN_LDFLAGS) -o $@ $(PLUGIN_OBJ) $(PORT_TABLE_OBJ) $(ICMP_QUOTE_OBJ) $(SERVICE_PORT_OBJ) \
		$(PARSER_LIBS) $(XML2_LIBS) $(WIRESHARK_LIBS)

# The plugin again in the layout WIRESHARK_PLUGIN_DIR is searched in,
# DIR/X.Y/epan/ for the Wireshark X.Y it is built for, so that a user other
# than root (root ignores the variable) can run it from the build tree:
# WIRESHARK_PLUGIN_DIR=build/plugins wireshark -r capture.pcap
WIRESHARK_XY := $(shell $(PKG_CONFIG) --modversion wireshark 2>/dev/null | cut -d. -f1,2)
PLUGIN_IN_DIR := $(if $(PLUGIN),$(BUILD)/plugins/$(WIRESHARK_XY)/epan/iana.so)
all plugin: $(PLUGIN_IN_DIR)
$(PLUGIN_IN_DIR): $(PLUGIN)
	@mkdir -p $(dir $@)
	cp $< $@

install-plugin: $(PLUGIN)
	$(if $(PLUGIN),$(INSTALL) -d $(DESTDIR)$(WIRESHARK_PLUGINDIR)/epan)
	$(if $(PLUGIN),$(INSTALL) -m 0644 $(PLUGIN) $(DESTDIR)$(WIRESHARK_PLUGINDIR)/epan/iana.so)

uninstall-plugin:
	$(if $(WIRESHARK_PLUGINDIR),rm -f $(DESTDIR)$(WIRESHARK_PLUGINDIR)/epan/iana.so)
