# Makefile - builds the shared registry parser, gen-services, their tests and
# benchmarks.  GNU conventions: CC, CFLAGS, CPPFLAGS, LDFLAGS, prefix,
# DESTDIR, libdir, localstatedir; targets all, check, install, uninstall,
# bench, clean.  Everything is built under $(BUILD).

CC ?= cc
PKG_CONFIG ?= pkg-config
INSTALL ?= install
PYTHON ?= python3

prefix ?= /usr/local
exec_prefix ?= $(prefix)
bindir ?= $(exec_prefix)/bin
libdir ?= $(exec_prefix)/lib
datarootdir ?= $(prefix)/share
mandir ?= $(datarootdir)/man
localstatedir ?= $(prefix)/var

# Where the installed registry lives (gen-services reads it by default).
registrydir ?= $(localstatedir)/lib/iana-services
REGISTRY_FILE = service-names-port-numbers.xml

BUILD ?= build

CFLAGS ?= -O2 -g
WARNFLAGS = -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wpointer-arith -Wwrite-strings -Wvla
XML2_CFLAGS = $(shell $(PKG_CONFIG) --cflags libxml-2.0)
XML2_LIBS = $(shell $(PKG_CONFIG) --libs libxml-2.0)
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check)
CHECK_LIBS = $(shell $(PKG_CONFIG) --libs check)

ALL_CPPFLAGS = -Iregistry -Igen-services -D_GNU_SOURCE \
	-DDEFAULT_REGISTRY_PATH='"$(registrydir)/$(REGISTRY_FILE)"' $(CPPFLAGS)
ALL_CFLAGS = -std=gnu11 -fPIC $(WARNFLAGS) $(XML2_CFLAGS) $(CFLAGS)

REGISTRY_SRC := $(sort $(wildcard registry/*.c))
REGISTRY_OBJ := $(REGISTRY_SRC:%.c=$(BUILD)/obj/%.o)
REGISTRY_LIB := $(BUILD)/libianaregistry.a

GEN_SRC := $(sort $(filter-out gen-services/main.c,$(wildcard gen-services/*.c)))
GEN_OBJ := $(GEN_SRC:%.c=$(BUILD)/obj/%.o)
GEN_LIB := $(BUILD)/libgenservices.a
GEN_SERVICES := $(BUILD)/gen-services

UNIT_SRC := $(sort $(filter-out tests/unit/test_support.c,$(wildcard tests/unit/test_*.c)))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_SUPPORT_OBJ := $(BUILD)/obj/tests/unit/test_support.o

BENCH_SRC := $(sort $(wildcard bench/*.c))
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

# The registry `make run` works on: the installed one, else ../shared.
SHARED_REGISTRY = $(abspath ../shared/registry/$(REGISTRY_FILE))
RUN_REGISTRY ?= $(firstword $(wildcard $(registrydir)/$(REGISTRY_FILE)) $(SHARED_REGISTRY))

.PHONY: all check unit-check integration-check install uninstall bench run clean
.DELETE_ON_ERROR:

all: $(GEN_SERVICES)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(REGISTRY_LIB): $(REGISTRY_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(GEN_LIB): $(GEN_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(GEN_SERVICES): $(BUILD)/obj/gen-services/main.o $(GEN_LIB) $(REGISTRY_LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(XML2_LIBS)

$(BUILD)/obj/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) -DFIXTURES_DIR='"$(abspath tests/fixtures)"' \
		$(ALL_CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/test_%: $(BUILD)/obj/tests/unit/test_%.o $(UNIT_SUPPORT_OBJ) $(GEN_LIB) $(REGISTRY_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(XML2_LIBS) $(CHECK_LIBS)

$(BUILD)/bench/%: bench/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<

check: unit-check integration-check

unit-check: $(UNIT_BIN) $(GEN_SERVICES)
	@failed=0; for t in $(UNIT_BIN); do \
		echo "== $$t"; $$t || failed=$$((failed + 1)); \
	done; \
	if [ $$failed -ne 0 ]; then echo "$$failed unit test program(s) failed"; exit 1; fi

integration-check: $(GEN_SERVICES)
	@GEN_SERVICES=$(abspath $(GEN_SERVICES)) SHARED_DIR=$(abspath ../shared) \
		PYTHON=$(PYTHON) sh tests/integration/run-all.sh

bench: $(GEN_SERVICES) $(BENCH_BIN)
	@GEN_SERVICES=$(abspath $(GEN_SERVICES)) SHARED_DIR=$(abspath ../shared) \
		sh bench/run-bench.sh

run: $(GEN_SERVICES)
	@test -r "$(RUN_REGISTRY)" || { echo "no registry found at $(registrydir) or ../shared/registry" >&2; exit 2; }
	$(GEN_SERVICES) -o $(BUILD)/services "$(RUN_REGISTRY)"
	$(GEN_SERVICES) --format wireshark -o $(BUILD)/services.wireshark "$(RUN_REGISTRY)"
	@echo "wrote $(BUILD)/services ($$(grep -vc '^#' $(BUILD)/services) entries) and $(BUILD)/services.wireshark from $(RUN_REGISTRY)"

install: $(GEN_SERVICES)
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(mandir)/man1 $(DESTDIR)$(registrydir)
	$(INSTALL) -m 0755 $(GEN_SERVICES) $(DESTDIR)$(bindir)/gen-services
	$(INSTALL) -m 0644 man/gen-services.1 $(DESTDIR)$(mandir)/man1/gen-services.1

uninstall:
	rm -f $(DESTDIR)$(bindir)/gen-services $(DESTDIR)$(mandir)/man1/gen-services.1

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
