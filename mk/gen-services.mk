# mk/gen-services.mk - gen-services/: the offline generator.  Its writers
# and helpers are libgenservices.a, which the updater and the unit tests
# link too; the program links neither libcurl nor any loader.
GEN_SRC := $(sort $(filter-out gen-services/main.c,$(wildcard gen-services/*.c)))
GEN_OBJ := $(GEN_SRC:%.c=$(BUILD)/obj/%.o)
GEN_LIB := $(BUILD)/libgenservices.a
GEN_SERVICES := $(BUILD)/gen-services

.PHONY: install-gen-services uninstall-gen-services
all: $(GEN_SERVICES)
install: install-gen-services
uninstall: uninstall-gen-services

$(GEN_LIB): $(GEN_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(GEN_SERVICES): $(BUILD)/obj/gen-services/main.o $(GEN_LIB) $(PARSER_LIBS)
	$(CC) $(LINK_CFLAGS) $(LDFLAGS) -o $@ $^ $(XML2_LIBS)

# `make install REGISTRY=FILE` also installs FILE as the default registry
# and its index beside it.
install-gen-services: $(GEN_SERVICES)
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(mandir)/man1 $(DESTDIR)$(registrydir)
	$(INSTALL) -m 0755 $(GEN_SERVICES) $(DESTDIR)$(bindir)/gen-services
	$(INSTALL) -m 0644 man/gen-services.1 $(DESTDIR)$(mandir)/man1/gen-services.1
	$(if $(REGISTRY),$(INSTALL) -m 0644 $(REGISTRY) $(DESTDIR)$(registrydir)/$(REGISTRY_FILE))
	$(if $(REGISTRY),$(GEN_SERVICES) -q --format index -o $(DESTDIR)$(registrydir)/$(INDEX_FILE) \
		$(DESTDIR)$(registrydir)/$(REGISTRY_FILE))

uninstall-gen-services:
	rm -f $(DESTDIR)$(bindir)/gen-services $(DESTDIR)$(mandir)/man1/gen-services.1
	rm -f $(DESTDIR)$(registrydir)/$(REGISTRY_FILE) $(DESTDIR)$(registrydir)/$(INDEX_FILE)

# The data directory install-gen-services made goes last, once every part
# has taken its files out; kept when it still holds anything.
uninstall:
	@if [ -d $(DESTDIR)$(registrydir) ]; then rmdir --ignore-fail-on-non-empty $(DESTDIR)$(registrydir); fi
