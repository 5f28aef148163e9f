#!/bin/sh
# test-install.sh - `make install` and `make uninstall` into DESTDIR, the
# way packagers call them (prefix=/usr, localstatedir=/var, REGISTRY= a
# fixture): install puts exactly the listed files there (modes included),
# uninstall takes every one of them out again, with the data directory.
# Builds into a build directory of its own, so the tree's build/ is not
# touched.  Needs no root.
#
#   sh tests/packaging/test-install.sh
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

dest="$TMP/dest"
vars="BUILD=$TMP/build prefix=/usr localstatedir=/var systemdsystemunitdir=/usr/lib/systemd/system DESTDIR=$dest"
# shellcheck disable=SC2086
make -s -C "$top" -j2 $vars REGISTRY="$top/tests/fixtures/nss-services.xml" install >"$TMP/install.log" 2>&1 ||
	{ cat "$TMP/install.log"; fail "make install"; exit 1; }

multiarch=$(${CC:-cc} -print-multiarch 2>/dev/null)
plugindir=$(pkg-config --variable=plugindir wireshark 2>/dev/null)
{
	echo "755 usr/bin/gen-services"
	echo "755 usr/sbin/update-iana-services"
	echo "644 usr/lib${multiarch:+/$multiarch}/libnss_iana.so.2"
	[ -n "$plugindir" ] && echo "644 ${plugindir#/}/epan/iana.so"
	for unit in iana-services-reindex.path iana-services-reindex.service \
		iana-services-update.service iana-services-update.timer; do
		echo "644 usr/lib/systemd/system/$unit"
	done
	echo "644 usr/share/man/man1/gen-services.1"
	echo "644 usr/share/man/man8/nss-iana.8"
	echo "644 usr/share/man/man8/update-iana-services.8"
	echo "644 var/lib/iana-services/service-names-port-numbers.xml"
	echo "644 var/lib/iana-services/services.idx"
} | LC_ALL=C sort -k2 >"$TMP/want"
(cd "$dest" && find . \( -type f -o -type l \) -printf '%m %P\n') | LC_ALL=C sort -k2 >"$TMP/got"
if cmp -s "$TMP/want" "$TMP/got"; then ok "make install puts exactly the $(wc -l <"$TMP/want") listed files in DESTDIR"
else fail "make install: the files differ from the list:"; diff "$TMP/want" "$TMP/got"; fi
[ -z "$plugindir" ] && echo "note: no wireshark-dev: the plugin is neither built nor listed"

# shellcheck disable=SC2086
make -s -C "$top" $vars uninstall >"$TMP/uninstall.log" 2>&1 || { cat "$TMP/uninstall.log"; fail "make uninstall"; }
left=$(cd "$dest" && find . \( -type f -o -type l \) -printf '%P\n')
if [ -z "$left" ]; then ok "make uninstall leaves no file in DESTDIR"
else fail "make uninstall leaves: $left"; fi
[ ! -e "$dest/var/lib/iana-services" ] && ok "make uninstall removes the data directory" ||
	fail "make uninstall leaves var/lib/iana-services"

# A state the updater keeps beside the registry goes too.
# shellcheck disable=SC2086
make -s -C "$top" -j2 $vars REGISTRY="$top/tests/fixtures/nss-services.xml" install >"$TMP/install.log" 2>&1 &&
	env NSS_IANA_REGISTRY="$dest/var/lib/iana-services/service-names-port-numbers.xml" \
		NSS_IANA_INDEX="$dest/var/lib/iana-services/services.idx" \
		"$dest/usr/sbin/update-iana-services" --url "file://$top/tests/fixtures/update-new.xml" >"$TMP/update.log" 2>&1 ||
	{ cat "$TMP/install.log" "$TMP/update.log"; fail "install, then update-iana-services into DESTDIR"; }
extra=$(cd "$dest/var/lib/iana-services" 2>/dev/null && ls | grep -v -x -e service-names-port-numbers.xml -e services.idx | tr '\n' ' ')
[ -n "$extra" ] && ok "the updater keeps beside the registry: $extra" || fail "the updater kept no file of its own"
# shellcheck disable=SC2086
make -s -C "$top" $vars uninstall >"$TMP/uninstall.log" 2>&1 || fail "make uninstall after an update"
left=$(cd "$dest" && find . \( -type f -o -type l \) -printf '%P\n')
if [ -z "$left" ] && [ ! -e "$dest/var/lib/iana-services" ]; then
	ok "after an update, make uninstall leaves nothing (the updater's files included)"
else
	fail "after an update, make uninstall leaves: $left $(ls -A "$dest/var/lib/iana-services" 2>/dev/null)"
fi

echo "test-install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
