#!/bin/sh
# test-debs.sh - the Debian packages as a host gets them, in a clean Debian
# root (run as root there; tools/deb-check builds the packages in a build
# root, then runs this in a clean one):
#  - installs OUT's packages with apt-get install ./*.deb, then with no
#    environment variable set: update-iana-services --url file://REGISTRY,
#    and getent services 6005/tcp, Python's socket.getservbyport(5783,
#    "udp") and getent services X11/tcp answer from the module (the same
#    answer as getent -s iana, which files alone does not give);
#  - tshark -G plugins lists the plugin, and tshark labels a capture
#    without -o iana.registry (it finds the installed index);
#  - nscd (Debian's, its own nscd.conf): what it caches from the 2024-03-18
#    registry is replaced at once by the 2026-08-17 answers when
#    update-iana-services installs that registry (and not when the index
#    is replaced behind its back: the cache is real);
#  - systemd-analyze verify on the installed units; each service's
#    ExecStart run as the unit would run it (User, Group, UMask,
#    Environment, WorkingDirectory read from the installed unit file),
#    showing the index (reindex) and the registry and index (update: needs
#    the network, skipped without) installed;
#  - the upgrade to OUT/next's packages (build-debs.sh NEXT=1) over an
#    index the new module does not read: the postinst rebuilds it, and the
#    module answers again, nsswitch.conf untouched;
#  - plain remove keeps the data directory, purge removes it; after purge
#    nsswitch.conf is byte-identical to before, and the root's file list
#    too;
#  - the nsswitch.conf variants (test-nsswitch.sh).
# REGISTRY defaults to the 2026-08-17 XML in /work/shared (distro-check binds
# ../shared there); without it the project's fixture is installed instead.
#
#   sh tests/packaging/test-debs.sh OUT
set -u
out=${1:?usage: test-debs.sh OUT}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "test-debs.sh: needs root (apt-get, dpkg) inside a Debian root" >&2; exit 2; }
export DEBIAN_FRONTEND=noninteractive
registry=${REGISTRY:-/work/shared/registry/service-names-port-numbers.xml}
fixture_registry=no
registrydir=/var/lib/iana-services
passed=0 failed=0 skipped=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
skip() { echo "skip: $*"; skipped=$((skipped + 1)); }
# expect_eq WHAT GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1: $2"; else fail "$1: got '$2', want '$3'"; fi
}
TMP=$(mktemp -d /tmp/test-debs.XXXXXX)
chmod 755 "$TMP"
packages="iana-services libnss-iana wireshark-plugin-iana"
# ours: those of our packages dpkg still knows (installed or configured).
ours() {
	for p in $packages; do dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "$p" 2>/dev/null; done |
		awk '$1 !~ /^un/ {print $2}'
}
# However the run ends, the root is left without our packages.
cleanup() {
	[ -z "${nscd_pid:-}" ] || kill "$nscd_pid" 2>/dev/null
	left=$(ours)
	[ -z "$left" ] || apt-get purge -y -qq $left >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT

ls "$out"/iana-services_*.deb >/dev/null 2>&1 ||
	{ echo "test-debs.sh: no packages in $out (tests/packaging/build-debs.sh OUT builds them)" >&2; exit 2; }
debs=$(for p in $packages; do ls "$out/${p}_"*.deb; done)
if [ ! -r "$registry" ]; then
	registry="$src/tests/fixtures/nss-services.xml"
	fixture_registry=yes
	echo "note: no real registry in /work/shared: installing the fixture $registry"
fi

apt-get update -qq >/dev/null 2>&1 || echo "note: apt-get update failed; installing from the lists the root has"
# What the checks use, installed before the first snapshot so that the
# file lists compare only what our packages bring.
# netbase: the /etc/services every Debian host but a minimal root has.
apt-get install -y -qq --no-install-recommends netbase python3 tshark systemd nscd >/dev/null 2>&1 ||
	echo "note: could not install netbase, python3, tshark, systemd and nscd; the checks needing them skip"
# The dependencies of our packages, for the same reason: install, purge.
apt-get install -y -qq --no-install-recommends $debs >/dev/null 2>&1 &&
	apt-get purge -y -qq $packages >/dev/null 2>&1

# snapshot FILE: every path on the root's file system but the volatile
# ones (package manager state and caches, logs, this run's own trees).
snapshot() {
	find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /run -o -path /tmp \
		-o -path /work -o -path /var/tmp -o -path /var/cache -o -path /var/log \
		-o -path /var/lib/apt -o -path /var/lib/dpkg -o -path /root \) -prune -o -print |
		LC_ALL=C sort >"$1"
}
snapshot "$TMP/files.before"
cp /etc/nsswitch.conf "$TMP/nsswitch.before"
files_before=$( (getent services 6005/tcp; echo "rc $?") | tr -s ' \n' ' ')

# ---- install
if apt-get install -y -qq --no-install-recommends $debs >"$TMP/apt.log" 2>&1; then
	ok "apt-get install ./*.deb"
else
	cat "$TMP/apt.log"
	fail "apt-get install ./*.deb"
	echo "test-debs: $passed passed, $failed failed, $skipped skipped"
	exit 1
fi
expect_eq "nsswitch.conf: the services line after install" "$(grep '^services:' /etc/nsswitch.conf)" \
	"$(grep '^services:' "$TMP/nsswitch.before" | sed -E 's/(\sfiles)(\s|$)/\1 iana\2/; s/ $//')"
expect_eq "nsswitch.conf: every other line unchanged" \
	"$(grep -v '^services:' /etc/nsswitch.conf | cksum)" "$(grep -v '^services:' "$TMP/nsswitch.before" | cksum)"
expect_eq "no registry yet: lookups answer from files alone" "$( (getent services 6005/tcp; echo "rc $?") | tr -s ' \n' ' ')" "$files_before"

# ---- the first registry, then lookups with no environment variable
clean() { env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
if clean update-iana-services --url "file://$registry" >"$TMP/update.out" 2>&1; then
	ok "update-iana-services --url file://$registry: $(head -n 1 "$TMP/update.out")"
else
	fail "update-iana-services --url file://$registry: $(cat "$TMP/update.out")"
fi
[ -s "$registrydir/services.idx" ] && ok "the index is installed in $registrydir" ||
	fail "no index in $registrydir"
# The host's own order is "files iana": what /etc/services (netbase)
# knows answers from files first.  To see the module answer through
# glibc's ordinary lookup with the installed nsswitch.conf, the same
# queries run again in a private mount namespace whose /etc/services is
# empty (bind-mounted over; the root's own file is untouched).
: >"$TMP/empty-services"
no_files() {
	[ -e /etc/services ] || { clean "$@"; return; }
	unshare -m sh -c 'mount --bind "$1" /etc/services && shift && exec "$@"' sh "$TMP/empty-services" \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
}
if ! no_files true 2>/dev/null; then
	skip "unshare -m or a bind mount is not permitted here: the lookups past files are not checked"
else
	for q in 6005/tcp X11/tcp; do
		got=$(no_files getent services "$q")
		module=$(clean getent -s iana services "$q")
		if [ -n "$got" ] && [ "$got" = "$module" ]; then
			ok "getent services $q answers from the module: $got (with files first: $(clean getent services "$q"))"
		else
			fail "getent services $q: '$got' (getent -s iana: '$module')"
		fi
	done
	got=$(no_files python3 -c 'import socket; print(socket.getservbyport(5783, "udp"))' 2>&1)
	module=$(clean getent -s iana services 5783/udp | cut -d' ' -f1)
	if [ -n "$got" ] && [ "$got" = "$module" ]; then
		ok "python3 socket.getservbyport(5783, \"udp\") answers from the module: $got"
	else
		fail "python3 socket.getservbyport(5783, \"udp\"): '$got' (getent -s iana: '$module')"
	fi
fi
expect_eq "with files first, what files does not know answers from the module (X11/tcp: files' names are case-sensitive)" \
	"$(clean getent services X11/tcp)" "$(clean getent -s iana services X11/tcp)"

# ---- the plugin, as root would run tshark (its personal folders ignored)
if command -v tshark >/dev/null 2>&1; then
	plugins=$(clean HOME=/root tshark -G plugins 2>"$TMP/tshark.err")
	if echo "$plugins" | grep -q 'iana\.so'; then ok "tshark -G plugins: $(echo "$plugins" | grep 'iana\.so' | tr -s '\t' ' ')"
	else fail "tshark -G plugins does not list iana.so: $(cat "$TMP/tshark.err")"; fi
	python3 "$src/tests/integration/make_pcap.py" "$TMP/ports.pcap" tcp:51234:443 tcp:50000:6005 udp:50001:5783
	got=$(clean HOME=/root tshark -r "$TMP/ports.pcap" -T fields -E separator='|' \
		-e frame.number -e iana.dst.service -e iana.dst.status 2>"$TMP/tshark.err")
	expect_eq "tshark labels a capture from the installed index (no -o iana.registry)" \
		"$(echo "$got" | tr '\n' ' ')" \
		"1|$(clean getent -s iana services 443/tcp | cut -d' ' -f1)|assigned 2|$(clean getent -s iana services 6005/tcp | cut -d' ' -f1)|assigned 3|$(clean getent -s iana services 5783/udp | cut -d' ' -f1)|assigned "
else
	skip "tshark not installed: the plugin is not checked"
fi

# ---- nscd: a new index is seen at once, through nscd's services cache
# Debian's nscd.conf caches services positively for 8 hours and watches
# only /etc/services.  avi-nms 4413/tcp is in the 2024-03-18 registry and
# not in 2026-08-17's; agtp 4480/tcp is the other way round; netbase's
# /etc/services has neither, so "files iana" answers both from the module.
old_registry=${OLD_REGISTRY:-/work/shared/registry/service-names-port-numbers-2024-03-18.xml}
nscd_pid=
nscd_socket=/var/run/nscd/socket
# through_nscd KEY: what getent services KEY prints (glibc asks nscd first)
through_nscd() { clean getent services "$1" | tr -s ' \t' ' '; }
if ! command -v nscd >/dev/null 2>&1; then
	skip "nscd not installed: the invalidation of its cache is not checked"
elif [ ! -r "$old_registry" ] || [ "$fixture_registry" = yes ]; then
	skip "nscd: the two registry copies of ../shared are absent: the invalidation of its cache is not checked"
elif ! clean update-iana-services --force --url "file://$old_registry" >"$TMP/nscd-update.out" 2>&1; then
	fail "nscd: update-iana-services --force --url file://$old_registry: $(cat "$TMP/nscd-update.out")"
elif ! nscd >"$TMP/nscd.out" 2>&1; then
	fail "nscd: cannot start nscd: $(cat "$TMP/nscd.out")"
else
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		[ -S "$nscd_socket" ] && break
		sleep 1
	done
	nscd_pid=$(cat /var/run/nscd/nscd.pid 2>/dev/null)
	expect_eq "nscd: with the 2024-03-18 registry, avi-nms/tcp" "$(through_nscd avi-nms/tcp)" "avi-nms 4413/tcp"
	expect_eq "nscd: with the 2024-03-18 registry, agtp/tcp" "$(through_nscd agtp/tcp)" ""
	# That nscd answers from its cache: the index replaced behind its
	# back (no invalidation) changes what the module answers, once its
	# once-a-second check has passed, but not what nscd answers.
	clean gen-services -q --format index -o "$registrydir/services.idx" "$registry"
	sleep 2
	expect_eq "nscd: the module itself (getent -s iana, no nscd) sees an index put in place by hand" \
		"$(clean getent -s iana services avi-nms/tcp)" ""
	expect_eq "nscd: nscd still answers from its cache" "$(through_nscd avi-nms/tcp)" "avi-nms 4413/tcp"
	# The update invalidates the cache: the new answers at once.
	if clean update-iana-services -v --url "file://$registry" >"$TMP/nscd-update.out" 2>&1; then
		expect_eq "nscd: update-iana-services -v says it invalidated the cache" \
			"$(grep '^invalidated:' "$TMP/nscd-update.out")" "invalidated: nscd's services cache (nscd -i services)"
	else
		fail "nscd: update-iana-services -v --url file://$registry: $(cat "$TMP/nscd-update.out")"
	fi
	expect_eq "nscd: right after the update to 2026-08-17, avi-nms/tcp (removed)" "$(through_nscd avi-nms/tcp)" ""
	expect_eq "nscd: right after the update to 2026-08-17, agtp/tcp (added)" "$(through_nscd agtp/tcp)" "agtp 4480/tcp"
	nscd -K >/dev/null 2>&1 || :
	nscd_pid=
fi

# ---- the installed units
units="iana-services-update.service iana-services-update.timer iana-services-reindex.service iana-services-reindex.path"
unitdir=
for d in /usr/lib/systemd/system /lib/systemd/system; do
	[ -e "$d/iana-services-update.service" ] && { unitdir=$d; break; }
done
[ -n "$unitdir" ] && ok "units installed in $unitdir" || fail "no installed unit"
if command -v systemd-analyze >/dev/null 2>&1 && [ -n "$unitdir" ]; then
	if (cd "$unitdir" && systemd-analyze verify --man=no $units) >"$TMP/verify.out" 2>&1 &&
		! grep -q . "$TMP/verify.out"; then
		ok "systemd-analyze verify: the installed units, silently"
	else
		fail "systemd-analyze verify: $(cat "$TMP/verify.out")"
	fi
else
	skip "systemd-analyze not installed: units not verified"
fi
# key UNIT KEY: the unit's last KEY= value (none: empty)
key() { sed -n "s/^$2=//p" "$unitdir/$1" | tail -n 1; }
# as_unit UNIT [ARG...]: its ExecStart (with ARGs appended), the way
# systemd would run it.
as_unit() {
	unit=$1
	shift
	exec_start="$(key "$unit" ExecStart) $*"
	user=$(key "$unit" User) group=$(key "$unit" Group) umask_=$(key "$unit" UMask)
	workdir=$(key "$unit" WorkingDirectory) environment=$(key "$unit" Environment)
	set -- env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin LANG=C $environment $exec_start
	[ -n "$user" ] && set -- setpriv --reuid="$user" --regid="${group:-$user}" --init-groups "$@"
	(umask "${umask_:-0022}" && cd "${workdir:-/}" && "$@")
}
if [ -n "$unitdir" ]; then
	# The reindex service, as the path unit starts it after a registry
	# was put in place by hand.
	rm -f "$registrydir/services.idx"
	if as_unit iana-services-reindex.service >"$TMP/reindex.out" 2>&1 && [ -s "$registrydir/services.idx" ]; then
		ok "iana-services-reindex.service's ExecStart ($(key iana-services-reindex.service ExecStart)) installs the index: $(head -n 1 "$TMP/reindex.out")"
	else
		fail "iana-services-reindex.service's ExecStart: $(cat "$TMP/reindex.out")"
	fi
	# The update service fetches from IANA: on an empty data directory
	# it installs what IANA serves today.  Without network (this machine
	# resolves no outside name), the same command line with
	# --url file://REGISTRY appended: user, umask, environment and paths
	# still the unit's.
	extra=
	getent hosts www.iana.org >/dev/null 2>&1 || extra="--url file://$registry"
	mkdir "$TMP/saved" && mv "$registrydir"/* "$TMP/saved/"
	if as_unit iana-services-update.service $extra >"$TMP/update-unit.out" 2>&1 &&
		[ -s "$registrydir/service-names-port-numbers.xml" ] && [ -s "$registrydir/services.idx" ]; then
		ok "iana-services-update.service's ExecStart ($(key iana-services-update.service ExecStart)${extra:+ + $extra, no network}) installs the registry and its index: $(head -n 1 "$TMP/update-unit.out")"
	else
		fail "iana-services-update.service's ExecStart${extra:+ + $extra}: $(cat "$TMP/update-unit.out")"
	fi
	rm -rf "${registrydir:?}"/* && mv "$TMP/saved"/* "$registrydir/"
fi

# ---- an upgrade that changes the index format
# The index as an older package would have left it: of a format the new
# module does not read (version byte 1).  The new iana-services' postinst
# must rebuild it from the installed registry.
next_debs=$(for p in $packages; do ls "$out/next/${p}_"*.deb 2>/dev/null; done)
if [ -z "$next_debs" ]; then
	skip "no next version in $out/next (build-debs.sh NEXT=1 builds it): the upgrade is not checked"
else
	want=$(clean getent -s iana services 6005/tcp)
	cp /etc/nsswitch.conf "$TMP/nsswitch.upgrade"
	printf '\001' | dd of="$registrydir/services.idx" bs=1 seek=8 conv=notrunc 2>/dev/null
	expect_eq "before the upgrade: the module refuses an index of another format" \
		"$(clean getent -s iana services 6005/tcp; echo "rc $?")" "rc 2"
	if apt-get install -y -qq --no-install-recommends $next_debs >"$TMP/apt.log" 2>&1; then
		ok "upgrade: apt-get install ./next/*.deb: libnss-iana $(dpkg-query -W -f='${Version}' libnss-iana)"
	else
		cat "$TMP/apt.log"
		fail "upgrade: apt-get install ./next/*.deb"
	fi
	expect_eq "after the upgrade: the module answers from the index the postinst rebuilt" \
		"$(clean getent -s iana services 6005/tcp)" "$want"
	cmp -s /etc/nsswitch.conf "$TMP/nsswitch.upgrade" && ok "after the upgrade: nsswitch.conf untouched" ||
		fail "after the upgrade: nsswitch.conf changed: $(diff "$TMP/nsswitch.upgrade" /etc/nsswitch.conf)"
fi

# ---- remove keeps the data, purge removes it and everything of ours
apt-get remove -y -qq $packages >"$TMP/apt.log" 2>&1 || { cat "$TMP/apt.log"; fail "apt-get remove"; }
[ -s "$registrydir/service-names-port-numbers.xml" ] && ok "apt-get remove keeps $registrydir and the registry" ||
	fail "apt-get remove took $registrydir"
cmp -s /etc/nsswitch.conf "$TMP/nsswitch.before" && ok "after remove nsswitch.conf is byte-identical to before" ||
	fail "after remove nsswitch.conf differs: $(diff "$TMP/nsswitch.before" /etc/nsswitch.conf)"
# (a package without conffiles or postrm is gone entirely after remove)
known=$(ours)
apt-get purge -y -qq $known >"$TMP/apt.log" 2>&1 || { cat "$TMP/apt.log"; fail "apt-get purge $known"; }
[ ! -e "$registrydir" ] && ok "apt-get purge removes $registrydir" || fail "apt-get purge left $registrydir"
cmp -s /etc/nsswitch.conf "$TMP/nsswitch.before" && ok "after purge nsswitch.conf is byte-identical to before" ||
	fail "after purge nsswitch.conf differs: $(diff "$TMP/nsswitch.before" /etc/nsswitch.conf)"
snapshot "$TMP/files.after"
if cmp -s "$TMP/files.before" "$TMP/files.after"; then
	ok "after purge the root's file list is the one before ($(wc -l <"$TMP/files.after") paths)"
else
	fail "after purge the root's file list differs: $(diff "$TMP/files.before" "$TMP/files.after" | head -n 20)"
fi

# ---- the nsswitch.conf variants
if sh "$here/test-nsswitch.sh" "$(ls "$out"/libnss-iana_*.deb)" >"$TMP/nsswitch.out" 2>&1; then
	ok "$(tail -n 1 "$TMP/nsswitch.out")"
else
	cat "$TMP/nsswitch.out"
	fail "test-nsswitch.sh"
fi

echo "test-debs: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
