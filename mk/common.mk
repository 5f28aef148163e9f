# mk/common.mk - common/: the libc-only helpers every part shares (CRC-32,
# FNV-1a, the growable buffer, reading a descriptor whole, file identity),
# as libianacommon.a.
COMMON_SRC := $(sort $(wildcard common/*.c))
COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/obj/%.o)
COMMON_LIB := $(BUILD)/libianacommon.a
LIBC_OBJ += $(COMMON_OBJ)

$(COMMON_LIB): $(COMMON_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
