# mk/nss.mk - nss/: the glibc NSS module libnss_iana.so.2.  libc only:
# the module and the index reader are compiled without libxml2's flags or
# the registry's headers, and the link refuses undefined symbols, so its
# only NEEDED library is libc.  Installed where glibc looks for NSS
# modules: with prefix=/usr that is /usr/lib/$(multiarch) (Debian's
# multiarch directory, /usr/lib without multiarch), otherwise $(libdir);
# override with NSS_LIBDIR=DIR.
NSS_SRC := $(sort $(wildcard nss/*.c))
NSS_OBJ := $(NSS_SRC:%.c=$(BUILD)/obj/%.o)
NSS_LIB := $(BUILD)/libnss_iana.so.2
NSS_LDFLAGS = -shared -Wl,-soname,libnss_iana.so.2 -Wl,--version-script=nss/libnss_iana.map \
	-Wl,-z,defs -Wl,-z,relro,-z,now
LIBC_OBJ += $(NSS_OBJ)
multiarch ?= $(shell $(CC) -print-multiarch 2>/dev/null)
NSS_LIBDIR ?= $(if $(filter /usr,$(prefix)),$(prefix)/lib$(if $(multiarch),/$(multiarch)),$(libdir))

.PHONY: nss install-nss uninstall-nss
all: $(NSS_LIB)
nss: $(NSS_LIB)
install: install-nss
uninstall: uninstall-nss

$(NSS_LIB): $(NSS_OBJ) $(INDEX_LIB) $(COMMON_LIB) nss/libnss_iana.map
	$(CC) $(LINK_CFLAGS) $(LDFLAGS) $(NSS_LDFLAGS) -o $@ $(NSS_OBJ) $(INDEX_LIB) $(COMMON_LIB)

install-nss: $(NSS_LIB)
	$(INSTALL) -d $(DESTDIR)$(NSS_LIBDIR) $(DESTDIR)$(mandir)/man8
	$(INSTALL) -m 0644 $(NSS_LIB) $(DESTDIR)$(NSS_LIBDIR)/libnss_iana.so.2
	$(INSTALL) -m 0644 man/nss-iana.8 $(DESTDIR)$(mandir)/man8/nss-iana.8

uninstall-nss:
	rm -f $(DESTDIR)$(NSS_LIBDIR)/libnss_iana.so.2 $(DESTDIR)$(mandir)/man8/nss-iana.8
