# mk/updater.mk - updater/: update-iana-services, which fetches the
# registry with libcurl (linked the ordinary way: only this program maps
# it) and installs it with its index; and the systemd units that run it.
CURL_CFLAGS = $(shell $(PKG_CONFIG) --cflags libcurl)
CURL_LIBS = $(shell $(PKG_CONFIG) --libs libcurl)
UPDATER_SRC := $(sort $(wildcard updater/*.c))
UPDATER_OBJ := $(UPDATER_SRC:%.c=$(BUILD)/obj/%.o)
UPDATER := $(BUILD)/update-iana-services
$(BUILD)/obj/updater/registry_fetch.o: OBJ_CFLAGS += $(CURL_CFLAGS)

.PHONY: updater install-updater uninstall-updater
all: $(UPDATER)
updater: $(UPDATER)
install: install-updater
uninstall: uninstall-updater

$(UPDATER): $(UPDATER_OBJ) $(GEN_LIB) $(PARSER_LIBS)
	$(CC) $(LINK_CFLAGS) $(LDFLAGS) -o $@ $^ $(XML2_LIBS) $(CURL_LIBS)

install-updater: $(UPDATER)
	$(INSTALL) -d $(DESTDIR)$(sbindir) $(DESTDIR)$(mandir)/man8
	$(INSTALL) -m 0755 $(UPDATER) $(DESTDIR)$(sbindir)/update-iana-services
	$(INSTALL) -m 0644 man/update-iana-services.8 $(DESTDIR)$(mandir)/man8/update-iana-services.8

# With what it keeps beside the registry (updater/registry_update.h).
uninstall-updater:
	rm -f $(DESTDIR)$(sbindir)/update-iana-services $(DESTDIR)$(mandir)/man8/update-iana-services.8
	rm -f $(DESTDIR)$(registrydir)/$(REGISTRY_FILE).lock $(DESTDIR)$(registrydir)/$(REGISTRY_FILE).state

# The units (systemd/*.in) with this build's sbindir and registrydir put
# in, installed to systemd's unit directory (pkg-config systemd, else
# $(prefix)/lib/systemd/system; override with systemdsystemunitdir=DIR).
SYSTEMD_UNITDIR_FOUND := $(shell $(PKG_CONFIG) --variable=systemdsystemunitdir systemd 2>/dev/null)
systemdsystemunitdir ?= $(or $(SYSTEMD_UNITDIR_FOUND),$(prefix)/lib/systemd/system)
SYSTEMD_UNITS := $(patsubst systemd/%.in,$(BUILD)/systemd/%,$(sort $(wildcard systemd/*.in)))
SYSTEMD_PATHS := $(BUILD)/systemd/paths
SYSTEMD_PATHS_TEXT = sbindir=$(sbindir) registrydir=$(registrydir)\n

.PHONY: systemd-units install-systemd uninstall-systemd
all: $(SYSTEMD_UNITS)
systemd-units: $(SYSTEMD_UNITS)
install: install-systemd
uninstall: uninstall-systemd

# Rewritten only when the paths change, so the units follow `make install prefix=...`.
$(SYSTEMD_PATHS): FORCE
	@mkdir -p $(dir $@)
	@printf '$(SYSTEMD_PATHS_TEXT)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/systemd/%: systemd/%.in $(SYSTEMD_PATHS)
	sed -e 's|@sbindir@|$(sbindir)|g' -e 's|@registrydir@|$(registrydir)|g' \
		-e 's|@registryfile@|$(REGISTRY_FILE)|g' $< > $@.tmp
	mv $@.tmp $@

install-systemd: $(SYSTEMD_UNITS)
	$(INSTALL) -d $(DESTDIR)$(systemdsystemunitdir)
	$(INSTALL) -m 0644 $(SYSTEMD_UNITS) $(DESTDIR)$(systemdsystemunitdir)/

uninstall-systemd:
	rm -f $(addprefix $(DESTDIR)$(systemdsystemunitdir)/,$(notdir $(SYSTEMD_UNITS)))
