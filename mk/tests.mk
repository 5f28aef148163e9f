# mk/tests.mk - the Check unit tests (tests/unit), the integration tests
# (tests/integration/run-all.sh), `make run` and `make bench`.
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check)
CHECK_LIBS = $(shell $(PKG_CONFIG) --libs check)
UNIT_SRC := $(sort $(filter-out tests/unit/test_support.c,$(wildcard tests/unit/test_*.c)))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_SUPPORT_OBJ := $(BUILD)/obj/tests/unit/test_support.o
TEST_OBJ := $(UNIT_SRC:%.c=$(BUILD)/obj/%.o) $(UNIT_SUPPORT_OBJ)
$(TEST_OBJ): OBJ_CFLAGS += $(CHECK_CFLAGS)
$(TEST_OBJ): OBJ_CPPFLAGS += -DFIXTURES_DIR='"$(abspath tests/fixtures)"'

# What the integration tests drive.
PRODUCTS = $(GEN_SERVICES) $(UPDATER) $(NSS_LIB) $(PLUGIN) $(SYSTEMD_UNITS)

.PHONY: unit-check integration-check
check: unit-check integration-check

$(BUILD)/tests/test_%: $(BUILD)/obj/tests/unit/test_%.o $(UNIT_SUPPORT_OBJ) $(GEN_LIB) $(PARSER_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LINK_CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(filter %.a,$^) $(XML2_LIBS) $(CHECK_LIBS)
$(BUILD)/tests/test_port_table: $(PORT_TABLE_OBJ)
$(BUILD)/tests/test_icmp_quote: $(ICMP_QUOTE_OBJ)
$(BUILD)/tests/test_service_port: $(SERVICE_PORT_OBJ) $(PORT_TABLE_OBJ)

# Check stops a test after CK_DEFAULT_TIMEOUT seconds (4 by default); the
# tests time nothing, and on a loaded build machine (fsync, sanitizers) a
# test can take longer than that without anything being wrong.
unit-check: $(UNIT_BIN) $(GEN_SERVICES)
	@failed=0; for t in $(UNIT_BIN); do \
		echo "== $$t"; CK_DEFAULT_TIMEOUT=$${CK_DEFAULT_TIMEOUT:-300} $$t || failed=$$((failed + 1)); \
	done; \
	if [ $$failed -ne 0 ]; then echo "$$failed unit test program(s) failed"; exit 1; fi

integration-check: $(PRODUCTS)
	@GEN_SERVICES=$(abspath $(GEN_SERVICES)) UPDATER=$(abspath $(UPDATER)) \
		SHARED_DIR=$(abspath ../shared) NSS_MODULE_DIR=$(abspath $(BUILD)) \
		WIRESHARK_PLUGIN=$(if $(PLUGIN),$(abspath $(PLUGIN))) \
		SYSTEMD_UNIT_DIR=$(abspath $(BUILD)/systemd) \
		PYTHON=$(PYTHON) sh tests/integration/run-all.sh

# The registry `make run` works on: the installed one, else ../shared.
SHARED_REGISTRY = $(abspath ../shared/registry/$(REGISTRY_FILE))
RUN_REGISTRY ?= $(firstword $(wildcard $(registrydir)/$(REGISTRY_FILE)) $(SHARED_REGISTRY))

run: $(GEN_SERVICES)
	@test -r "$(RUN_REGISTRY)" || { echo "no registry found at $(registrydir) or ../shared/registry" >&2; exit 2; }
	$(GEN_SERVICES) -o $(BUILD)/services "$(RUN_REGISTRY)"
	$(GEN_SERVICES) --format wireshark -o $(BUILD)/services.wireshark "$(RUN_REGISTRY)"
	@echo "wrote $(BUILD)/services ($$(grep -vc '^#' $(BUILD)/services) entries) and $(BUILD)/services.wireshark from $(RUN_REGISTRY)"

# bench/*.c are one-file programs, except nss_const.c: a trivial NSS module
# (glibc's dispatch floor) that the NSS bench compares libnss_iana.so.2
# with, nss_floor.c, a module that makes only the memory reads of a
# lookup (how much of the ratio is memory), plugin_load.c, which links the
# port table, and parse_bench.c, the load and services view of
# gen-services without its writing, which links the parser.  `make bench`
# prints one table (bench/report.sh); the details of each part go to
# build/bench/details.log.
BENCH_SRC := $(sort $(filter-out bench/nss_const.c bench/nss_floor.c bench/plugin_load.c bench/parse_bench.c,$(wildcard bench/*.c)))
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
BENCH_NSS_CONST := $(BUILD)/bench/libnss_const.so.2
BENCH_NSS_FLOOR := $(BUILD)/bench/libnss_floor.so.2

$(BUILD)/bench/%: bench/%.c | $(PATHS_H)
	@mkdir -p $(dir $@)
	$(CC) $(APP_CPPFLAGS) $(CPPFLAGS) $(BASE_CFLAGS) $(APP_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

$(BUILD)/bench/libnss_%.so.2: bench/nss_%.c bench/fixed_answer.h
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,libnss_$*.so.2 -Wl,-z,defs -o $@ $<

$(BUILD)/bench/plugin_load: $(BUILD)/obj/bench/plugin_load.o $(PORT_TABLE_OBJ) $(PARSER_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LINK_CFLAGS) $(LDFLAGS) -o $@ $^ $(XML2_LIBS)

$(BUILD)/bench/parse_bench: $(BUILD)/obj/bench/parse_bench.o $(PARSER_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(LINK_CFLAGS) $(LDFLAGS) -o $@ $^ $(XML2_LIBS)

bench: $(GEN_SERVICES) $(BENCH_BIN) $(BENCH_NSS_CONST) $(BENCH_NSS_FLOOR) $(NSS_LIB) $(PLUGIN) $(BUILD)/bench/plugin_load \
		$(BUILD)/bench/parse_bench
	@GEN_SERVICES=$(abspath $(GEN_SERVICES)) SHARED_DIR=$(abspath ../shared) PYTHON=$(PYTHON) \
		NSS_MODULE_DIR=$(abspath $(BUILD)) WIRESHARK_PLUGIN=$(if $(PLUGIN),$(abspath $(PLUGIN))) \
		BENCH_LOG=$(abspath $(BUILD))/bench/details.log CC="$(CC)" sh bench/report.sh
