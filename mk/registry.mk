# mk/registry.mk - registry/: the shared parser (XML, CSV, plain text) and
# the registry model, as libianaregistry.a.  Needs libxml2; its global
# symbols all carry the iana_ or reg_ prefix.
REGISTRY_SRC := $(sort $(wildcard registry/*.c))
REGISTRY_OBJ := $(REGISTRY_SRC:%.c=$(BUILD)/obj/%.o)
REGISTRY_LIB := $(BUILD)/libianaregistry.a

$(REGISTRY_LIB): $(REGISTRY_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
