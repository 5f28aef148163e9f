#!/bin/sh
# test-glibc-agrees.sh - the services(5) file gen-services writes from the
# full 2026-08-17 registry (or, without ../shared, from the hand-written
# tests/fixtures/nss-services.xml), read by glibc's real `files` source: inside a
# private mount namespace (unshare -m) the file is bind-mounted over
# /etc/services (and an nsswitch.conf saying "services: files" over the real
# one), then every name/protocol and port/protocol of the registry is asked
# through getent, Python's socket module and libc, and each answer compared
# with what glibc_oracle.py computes from the XML on its own.  Also checks
# the registry facts of ../shared/registry/README.md on glibc's answers.
# Skips when unshare, getent or the right to mount are missing.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

if [ -r "$REGISTRY_XML" ]; then
	source_xml=$REGISTRY_XML
else
	source_xml="$FIXTURES/nss-services.xml"
	echo "note: ../shared has no real registry ($REGISTRY_XML): the fixture nss-services.xml is checked instead"
fi
command -v unshare >/dev/null 2>&1 || skip "unshare (util-linux) not installed: cannot make a private mount namespace"
command -v getent >/dev/null 2>&1 || skip "getent not installed: no glibc NSS client to ask"
"$PYTHON" -c 'import xml.etree.ElementTree, ctypes' 2>/dev/null || skip "$PYTHON with xml.etree and ctypes not available"
[ -f /etc/services ] || skip "/etc/services does not exist: nothing to bind-mount the generated file over"

services="$TMP/services"
if ! "$GEN_SERVICES" -o "$services" "$source_xml" 2>"$TMP/gen.err"; then
	cat "$TMP/gen.err"
	fail "gen-services -o $services $source_xml failed"
	finish
fi

# An nsswitch.conf like the system's but with "services: files" only, so no
# services.db (nss_db) answers before the file under test.
nsswitch=""
if [ -f /etc/nsswitch.conf ]; then
	nsswitch="$TMP/nsswitch.conf"
	nsswitch_with files "$nsswitch"
fi
# ns CMD ARGS...: run CMD where /etc/services is the generated file.
ns() { in_ns "$services" "$nsswitch" "$@"; }

if ! ns cmp -s "$services" /etc/services 2>"$TMP/probe.err"; then
	skip "cannot bind-mount a file over /etc/services in a private mount namespace (needs root or CAP_SYS_ADMIN and an unshare-permitting container): $(tr '\n' ' ' <"$TMP/probe.err")"
fi

# getent_one KEY: glibc's answer for one key, whitespace normalized.
getent_one() {
	ns getent services "$1" | tr -s ' \t' ' '
}

# README facts, asked of glibc itself.
expect_eq "getent services x11/tcp" "$(getent_one x11/tcp)" "x11 6000/tcp"
expect_eq "getent services 6000/tcp" "$(getent_one 6000/tcp)" "x11 6000/tcp"
expect_eq "getent services 3par-mgmt-ssl/udp" "$(getent_one 3par-mgmt-ssl/udp)" "3par-mgmt-ssl 5783/udp"
expect_eq "getent services 5783/udp" "$(getent_one 5783/udp)" "3par-mgmt-ssl 5783/udp"
expect_eq "getent services https/sctp" "$(getent_one https/sctp | cut -d' ' -f1-2)" "https 443/sctp"
expect_eq "getent services msp/tcp (msp is on 18 and 2438: the first wins)" \
	"$(getent_one msp/tcp | cut -d' ' -f1-2)" "msp 18/tcp"
expect_eq "getent services 2438/tcp (msp's second port)" "$(getent_one 2438/tcp | cut -d' ' -f1-2)" "msp 2438/tcp"
expect_eq "getent services http/tcp" "$(getent_one http/tcp)" "http 80/tcp www www-http"
expect_eq "getent services www-http/tcp (an alias)" "$(getent_one www-http/tcp)" "http 80/tcp www www-http"
expect_eq "getent services 80/tcp" "$(getent_one 80/tcp)" "http 80/tcp www www-http"

# Everything, against the independent oracle.
start=$(date +%s)
ns "$PYTHON" "$here/glibc_oracle.py" "$source_xml" "$services" >"$TMP/oracle.out" 2>&1
rc=$?
cat "$TMP/oracle.out"
case $rc in
0) ok "glibc's answers agree with the registry ($(($(date +%s) - start))s)" ;;
1) fail "glibc's answers differ from the registry's (see above)" ;;
*) fail "glibc_oracle.py could not run (exit $rc)" ;;
esac
finish
