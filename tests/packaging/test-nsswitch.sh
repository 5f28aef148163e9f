#!/bin/sh
# test-nsswitch.sh - the nsswitch.conf edit of the libnss-iana package as
# built (the preinst, postinst and postrm that dh_installnss generated from
# debian/libnss-iana.nss, taken out of the .deb), on the services lines
# Debian and others ship: Debian's "db files", files alone, without files,
# with [NOTFOUND=return], with iana already placed by the administrator,
# with comments and tabs.  Each runs against its own DPKG_ROOT: install
# must give the expected file (every other line byte for byte), removal
# the original back byte for byte (except where iana was the
# administrator's before the install: removal takes it out).  Needs no
# root.
#
#   sh tests/packaging/test-nsswitch.sh libnss-iana_VERSION_ARCH.deb
set -u
deb=${1:?usage: test-nsswitch.sh libnss-iana_VERSION_ARCH.deb}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
dpkg-deb -e "$deb" "$TMP/control" || { echo "not ok: cannot read $deb"; exit 1; }
passed=0 failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

# script NAME ARG ROOT: one maintainer script as dpkg runs it for this
# package (the instance count dpkg-query would give after a removal: 0).
script() {
	[ -e "$TMP/control/$1" ] || return 0
	env DPKG_ROOT="$3" DPKG_MAINTSCRIPT_PACKAGE=libnss-iana DPKG_MAINTSCRIPT_PACKAGE_INSTCOUNT=0 \
		sh "$TMP/control/$1" "$2" >"$TMP/script.out" 2>&1 ||
		{ fail "$1 $2 exited non-zero: $(cat "$TMP/script.out")"; return 1; }
}

# variant NAME: reads the original file from $TMP/$NAME.orig and the
# expected installed one from $TMP/$NAME.want (written by the caller),
# installs, compares, removes, compares with the original (or with
# $TMP/$NAME.removed when that exists).
variant() {
	name=$1 root="$TMP/root-$1"
	mkdir -p "$root/etc"
	cp "$TMP/$name.orig" "$root/etc/nsswitch.conf"
	script preinst install "$root" && script postinst configure "$root" || return
	if cmp -s "$root/etc/nsswitch.conf" "$TMP/$name.want"; then ok "$name: install gives the expected file"
	else fail "$name: install gives"; diff "$TMP/$name.want" "$root/etc/nsswitch.conf" | cat -A; fi
	[ ! -e "$root/etc/nsswitch.conf.nss.libnss-iana-will-install" ] ||
		fail "$name: postinst left its marker behind"
	script postrm remove "$root" || return
	back="$TMP/$name.orig"
	[ -e "$TMP/$name.removed" ] && back="$TMP/$name.removed"
	if cmp -s "$root/etc/nsswitch.conf" "$back"; then ok "$name: removal gives back $(basename "$back")"
	else fail "$name: removal gives"; diff "$back" "$root/etc/nsswitch.conf" | cat -A; fi
	script postrm purge "$root" || return
	cmp -s "$root/etc/nsswitch.conf" "$back" || fail "$name: purge after remove changed the file again"
}

# Debian's own file (base-files), other lines included.
cat >"$TMP/debian.orig" <<'X'
# /etc/nsswitch.conf
#
# Example configuration of GNU Name Service Switch functionality.

passwd:         files
group:          files
shadow:         files
gshadow:        files

hosts:          files dns
networks:       files

protocols:      db files
services:       db files
ethers:         db files
rpc:            db files

netgroup:       nis
X
sed 's/^services:       db files$/services:       db files iana/' "$TMP/debian.orig" >"$TMP/debian.want"
variant debian

printf 'hosts: files dns\nservices: files\n' >"$TMP/files-only.orig"
printf 'hosts: files dns\nservices: files iana\n' >"$TMP/files-only.want"
variant files-only

printf 'passwd: files\nservices: sss\n' >"$TMP/no-files.orig"
printf 'passwd: files\nservices: sss iana\n' >"$TMP/no-files.want"
variant no-files

printf 'services: files [NOTFOUND=return] db\n' >"$TMP/notfound-return.orig"
printf 'services: files [NOTFOUND=return] iana db\n' >"$TMP/notfound-return.want"
variant notfound-return

# The administrator placed iana first: left there.  Removing the package
# takes it out (the module is gone), the rest of the line stays.
printf 'services: iana [UNAVAIL=continue] files\n' >"$TMP/admin-placed.orig"
cp "$TMP/admin-placed.orig" "$TMP/admin-placed.want"
printf 'services: files\n' >"$TMP/admin-placed.removed"
variant admin-placed

printf '# services: files iana (an old comment)\nservices:\tdb\tfiles\n#services: iana\n' >"$TMP/tabs-comments.orig"
printf '# services: files iana (an old comment)\nservices:\tdb\tfiles iana\n#services: iana\n' >"$TMP/tabs-comments.want"
variant tabs-comments

# dh_installnss's limit: the blank after the anchor is replaced by one
# space ("s/(\s)(files)(\s|$)/\1\2 iana /" drops the third group), so a
# tab between files and the next source comes back as a space after
# removal.  Asserted as it is, so that a dh-nss that keeps it shows here.
printf 'services:\tfiles\tdb\n' >"$TMP/tab-after-files.orig"
printf 'services:\tfiles iana db\n' >"$TMP/tab-after-files.want"
printf 'services:\tfiles db\n' >"$TMP/tab-after-files.removed"
variant tab-after-files

printf 'services: files # local first\n' >"$TMP/trailing-comment.orig"
printf 'services: files iana # local first\n' >"$TMP/trailing-comment.want"
variant trailing-comment

printf 'passwd: files\ngroup: files\n' >"$TMP/no-services-line.orig"
cp "$TMP/no-services-line.orig" "$TMP/no-services-line.want"
variant no-services-line

echo "test-nsswitch: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
