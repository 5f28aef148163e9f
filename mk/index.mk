# mk/index.mk - index/: the compiled services index.  index_format.h
# specifies it; libianaindex.a holds the reader, the source identity and
# the default paths (libc only, compiled without libxml2's flags: the NSS
# module links it); libianaindexwrite.a holds the writer and the in-memory
# build from a registry file (needs libianaregistry.a).
INDEX_WRITE_SRC := index/index_writer.c index/index_build.c
INDEX_SRC := $(sort $(filter-out $(INDEX_WRITE_SRC),$(wildcard index/*.c)))
INDEX_OBJ := $(INDEX_SRC:%.c=$(BUILD)/obj/%.o)
INDEX_WRITE_OBJ := $(INDEX_WRITE_SRC:%.c=$(BUILD)/obj/%.o)
INDEX_LIB := $(BUILD)/libianaindex.a
INDEX_WRITE_LIB := $(BUILD)/libianaindexwrite.a
LIBC_OBJ += $(INDEX_OBJ)

$(INDEX_LIB): $(INDEX_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(INDEX_WRITE_LIB): $(INDEX_WRITE_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# Everything a program that reads registries and writes indexes links, in
# link order.
PARSER_LIBS = $(INDEX_WRITE_LIB) $(REGISTRY_LIB) $(INDEX_LIB) $(COMMON_LIB)
