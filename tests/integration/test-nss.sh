#!/bin/sh
# test-nss.sh - the NSS module libnss_iana.so.2 (nss/nss_iana.c), loaded by
# glibc from $NSS_MODULE_DIR (LD_LIBRARY_PATH) and pointed at an index that
# gen-services --format index builds from the full registry
# (NSS_IANA_INDEX):
#  - the library's ELF: only libc.so.6 NEEDED, exactly five symbols exported;
#  - getent -s iana: by name, by port, case-insensitive names, a port inside
#    a range (answered with that port), misses, an unknown protocol, UNAVAIL
#    falling through to files;
#  - nss_client.c (compiled here): ERANGE on small buffers, NULL protocol,
#    enumeration in the services file's order, also with tiny buffers;
#  - Python's socket module and perl's getservbyport in a mount namespace
#    whose nsswitch.conf says "services: iana";
#  - every port inside a named range: the module answers what files answers
#    from a services file written with --ranges expand, port included;
#  - every name and port/protocol of the registry: the module answers what
#    glibc's files source answers from gen-services' services file
#    (bind-mounted over /etc/services as test-glibc-agrees.sh does);
#  - a running process picking up a replaced index;
#  - the registry fallback (NSS_IANA_REGISTRY, NSS_IANA_FALLBACK pointing at
#    the built libnss_iana_fallback.so): no index, an invalid one, one older
#    than the registry, a registry changing under a running process, a
#    broken registry (UNAVAIL, silently), libxml2 loaded only on that path.
# Threads, forks and exit under load are test-nss-stress.sh's; valgrind is
# test-nss-valgrind.sh's.
# Skips when the module, the data, --format index or a C compiler are
# missing; the namespace parts skip alone when unshare is not permitted.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

: "${NSS_MODULE_DIR:=}"
: "${CC:=cc}"
module="$NSS_MODULE_DIR/libnss_iana.so.2"
[ -n "$NSS_MODULE_DIR" ] && [ -r "$module" ] ||
	skip "libnss_iana.so.2 not built (NSS_MODULE_DIR='$NSS_MODULE_DIR'; it is built once registry/service_index_reader.c exists)"
need_file "$REGISTRY_XML"
command -v getent >/dev/null 2>&1 || skip "getent not installed: no glibc NSS client to ask"
command -v "$CC" >/dev/null 2>&1 || skip "no C compiler ($CC) to build nss_client.c"

index="$TMP/services.idx"
if ! "$GEN_SERVICES" --format index -o "$index" "$REGISTRY_XML" 2>"$TMP/gen.err"; then
	if grep -q "unknown format" "$TMP/gen.err"; then
		skip "gen-services has no --format index yet: $(head -n 1 "$TMP/gen.err")"
	fi
	cat "$TMP/gen.err"
	fail "gen-services --format index -o $index $REGISTRY_XML failed"
	finish
fi
services="$TMP/services"
"$GEN_SERVICES" -o "$services" "$REGISTRY_XML" 2>"$TMP/gen.err" || {
	cat "$TMP/gen.err"; fail "gen-services -o $services failed"; finish; }

client="$TMP/nss_client"
"$CC" -std=gnu11 -O2 -pthread -o "$client" "$here/nss_client.c" 2>"$TMP/cc.err" || {
	cat "$TMP/cc.err"; fail "cannot compile nss_client.c"; finish; }

# iana CMD...: run CMD with the module and the index under test.
iana() { LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$index" "$@"; }
norm() { tr -s ' \t' ' '; }
# The services file's entries as getent prints them, comments dropped.
sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$services" | norm | sed 's/ $//' >"$TMP/services.lines"

# ---- the library itself
if command -v readelf >/dev/null 2>&1; then
	expect_eq "NEEDED of libnss_iana.so.2" \
		"$(readelf -d "$module" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | grep -Ev "^(${SAN_BIN:+libasan|libubsan})\." | tr '\n' ' ')" "libc.so.6 "
	expect_eq "SONAME of libnss_iana.so.2" \
		"$(readelf -d "$module" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')" "libnss_iana.so.2"
fi
if command -v nm >/dev/null 2>&1; then
	expect_eq "exported symbols" "$(nm -D --defined-only "$module" | awk '{print $3}' | sed 's/@.*//' | sort | tr '\n' ' ')" \
		"_nss_iana_endservent _nss_iana_getservbyname_r _nss_iana_getservbyport_r _nss_iana_getservent_r _nss_iana_setservent "
fi

# ---- getent -s iana
getent_iana() { iana getent -s services:iana services "$@" | norm; }
expect_eq "getent ssh" "$(getent_iana ssh)" "ssh 22/tcp"
expect_eq "getent 22/tcp" "$(getent_iana 22/tcp)" "ssh 22/tcp"
expect_eq "getent 22/udp" "$(getent_iana 22/udp)" "ssh 22/udp"
expect_eq "getent HTTP/tcp (names ignore case)" "$(getent_iana HTTP/tcp)" "http 80/tcp www www-http"
expect_eq "getent www/tcp (an alias)" "$(getent_iana www/tcp)" "http 80/tcp www www-http"
# A port inside a named range answers with that port (s_port), not the
# range's first; by name the range answers its first port.
expect_eq "getent 6005/tcp (inside x11's range: answers 6005)" "$(getent_iana 6005/tcp)" "x11 6005/tcp"
expect_eq "getent 6063/tcp (end of x11's range)" "$(getent_iana 6063/tcp)" "x11 6063/tcp"
expect_eq "getent 6000/tcp (start of x11's range)" "$(getent_iana 6000/tcp)" "x11 6000/tcp"
expect_eq "getent x11/tcp (a range by name: its first port)" "$(getent_iana x11/tcp)" "x11 6000/tcp"
expect_eq "getent 3par-mgmt-ssl/udp" "$(getent_iana 3par-mgmt-ssl/udp)" "3par-mgmt-ssl 5783/udp"
expect_eq "getent msp/tcp (first of two ports)" "$(getent_iana msp/tcp | cut -d' ' -f1-2)" "msp 18/tcp"
out=$(getent_iana no-such-service-xyz)
expect_eq "getent no-such-service-xyz: exit status" "$(iana getent -s services:iana services no-such-service-xyz >/dev/null; echo $?)" "2"
expect_eq "getent no-such-service-xyz: output" "$out" ""
expect_eq "getent ssh/ddp (unknown protocol): exit status" "$(iana getent -s services:iana services ssh/ddp >/dev/null; echo $?)" "2"
expect_eq "getent 22/ddp (unknown protocol): exit status" "$(iana getent -s services:iana services 22/ddp >/dev/null; echo $?)" "2"
expect_eq "getent ssh/TCP (protocols are case-sensitive, as in files)" "$(iana getent -s services:iana services ssh/TCP >/dev/null; echo $?)" "2"
expect_eq "getent x11/dccp (no such protocol for the name)" "$(iana getent -s services:iana services x11/dccp >/dev/null; echo $?)" "2"
# No index: UNAVAIL, so "iana files" falls through to files.
expect_eq "no index: getent -s iana exits 2" \
	"$(LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$TMP/none.idx" getent -s services:iana services ssh >/dev/null; echo $?)" "2"
if [ -n "$(getent -s services:files services ssh/tcp)" ]; then
	expect_eq "no index: 'iana files' falls through to files" \
		"$(LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$TMP/none.idx" getent -s 'services:iana files' services ssh/tcp | cut -d' ' -f1)" "ssh"
fi
printf 'not an index\n' >"$TMP/bad.idx"
expect_eq "a file that is no index: exit 2" \
	"$(LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$TMP/bad.idx" getent -s services:iana services ssh >/dev/null; echo $?)" "2"

# ---- the registry fallback: no index, an invalid or old one
fallback="$NSS_MODULE_DIR/libnss_iana_fallback.so"
if [ ! -r "$fallback" ]; then
	fail "libnss_iana_fallback.so not built beside the module ($fallback)"
else
	# fb INDEX REGISTRY CMD...: the module with the fallback enabled.
	fb() {
		fb_index=$1 fb_registry=$2
		shift 2
		LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$fb_index" NSS_IANA_REGISTRY="$fb_registry" \
			NSS_IANA_FALLBACK="$fallback" "$@"
	}
	if command -v readelf >/dev/null 2>&1; then
		expect_eq "NEEDED of libnss_iana_fallback.so includes libxml2" \
			"$(readelf -d "$fallback" | sed -n 's/.*(NEEDED).*\[\(libxml2[^]]*\)\]/\1/p' | cut -d. -f1)" "libxml2"
	fi
	if command -v nm >/dev/null 2>&1; then
		expect_eq "libnss_iana_fallback.so exports one symbol" \
			"$(nm -D --defined-only "$fallback" | awk '{print $3}' | sed 's/@.*//' | tr '\n' ' ')" "nss_iana_fallback_build "
	fi
	expect_eq "no index, the registry: getent ssh" \
		"$(fb "$TMP/none.idx" "$REGISTRY_XML" getent -s services:iana services ssh | norm)" "ssh 22/tcp"
	expect_eq "no index, the registry: getent 6005/tcp" \
		"$(fb "$TMP/none.idx" "$REGISTRY_XML" getent -s services:iana services 6005/tcp | norm)" "x11 6005/tcp"
	expect_eq "an invalid index, the registry: getent http/tcp" \
		"$(fb "$TMP/bad.idx" "$REGISTRY_XML" getent -s services:iana services http/tcp | norm)" "http 80/tcp www www-http"
	fb "$TMP/none.idx" "$REGISTRY_XML" "$client" iana enum >"$TMP/enum-fb.out" 2>"$TMP/enum-fb.err"
	if cmp -s "$TMP/enum-fb.out" "$TMP/services.lines"; then
		ok "no index: getservent from the registry enumerates the services file"
	else
		fail "no index: getservent from the registry differs from the services file"
		diff "$TMP/enum-fb.out" "$TMP/services.lines" | head -n 10
	fi

	# A small registry where ssh is on port 2222 and a name is new, and
	# an index of the same registry with the old names.
	cat >"$TMP/small.xml" <<'XML'
<?xml version='1.0' encoding='UTF-8'?>
<registry xmlns="http://www.iana.org/assignments" id="service-names-port-numbers">
  <title>Service Name and Transport Protocol Port Number Registry</title>
  <updated>2026-01-02</updated>
  <record>
    <name>ssh</name>
    <protocol>tcp</protocol>
    <number>2222</number>
    <description>The Secure Shell (SSH) Protocol</description>
  </record>
  <record>
    <name>only-in-registry</name>
    <protocol>udp</protocol>
    <number>4321</number>
    <description>A name the index does not have</description>
  </record>
</registry>
XML
	old_idx="$TMP/old.idx"
	cp "$index" "$old_idx"
	touch -d '2001-01-01 00:00:00' "$old_idx"
	expect_eq "an index older than the registry: ssh comes from the registry" \
		"$(fb "$old_idx" "$TMP/small.xml" getent -s services:iana services ssh | norm)" "ssh 2222/tcp"
	expect_eq "an index older than the registry: a name only the registry has" \
		"$(fb "$old_idx" "$TMP/small.xml" getent -s services:iana services only-in-registry | norm)" "only-in-registry 4321/udp"
	expect_eq "an index older than the registry: a name only the index has is not found" \
		"$(fb "$old_idx" "$TMP/small.xml" getent -s services:iana services http >/dev/null; echo $?)" "2"
	touch "$old_idx"
	expect_eq "an index newer than the registry is used" \
		"$(fb "$old_idx" "$TMP/small.xml" getent -s services:iana services ssh | norm)" "ssh 22/tcp"
	touch -d '2001-01-01 00:00:00' "$old_idx"
	expect_eq "an old index, no registry: the index is used" \
		"$(fb "$old_idx" "$TMP/no-registry.xml" getent -s services:iana services ssh | norm)" "ssh 22/tcp"
	printf '<registry xmlns="http://www.iana.org/assignments"><record><name>ssh' >"$TMP/broken.xml"
	expect_eq "an old index, a broken registry: the index is used" \
		"$(fb "$old_idx" "$TMP/broken.xml" getent -s services:iana services ssh 2>&1 | norm)" "ssh 22/tcp"
	fb "$TMP/none.idx" "$TMP/broken.xml" getent -s services:iana services ssh >"$TMP/broken.out" 2>"$TMP/broken.err"
	expect_eq "no index, a broken registry: UNAVAIL (exit 2)" "$?" "2"
	expect_eq "no index, a broken registry: nothing on stdout or stderr" \
		"$(cat "$TMP/broken.out" "$TMP/broken.err")" ""
	fb "$TMP/none.idx" "$TMP/broken.xml" "$client" iana byname ssh tcp >"$TMP/broken.out" 2>"$TMP/broken.err"
	expect_eq "no index, a broken registry: the client prints only its own answer" \
		"$(cat "$TMP/broken.out" "$TMP/broken.err")" \
		"$(fb "$TMP/none.idx" "$TMP/no-registry.xml" "$client" iana byname ssh tcp 2>&1)"
	expect_eq "no index, no helper: UNAVAIL" \
		"$(LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$TMP/none.idx" NSS_IANA_REGISTRY="$REGISTRY_XML" \
			NSS_IANA_FALLBACK="$TMP/no-helper.so" getent -s services:iana services ssh >/dev/null 2>&1; echo $?)" "2"
	expect_eq "no index, a directory as registry: UNAVAIL" \
		"$(fb "$TMP/none.idx" "$TMP" getent -s services:iana services ssh >/dev/null 2>&1; echo $?)" "2"

	# libxml2 comes in only on the fallback path (LD_DEBUG=files lists
	# every object the dynamic loader loads).
	loads_libxml2() {
		fb "$1" "$2" env LD_DEBUG=files getent -s services:iana services ssh 2>&1 >/dev/null |
			grep -c 'file=libxml2'
	}
	expect_eq "with a current index libxml2 is not loaded" "$(loads_libxml2 "$index" "$REGISTRY_XML")" "0"
	if [ "$(loads_libxml2 "$TMP/none.idx" "$REGISTRY_XML")" -gt 0 ]; then
		ok "without an index libxml2 is loaded (by the helper)"
	else
		fail "without an index libxml2 was not loaded"
	fi

	# A running process follows the registry while it answers from it:
	# the registry is replaced, then a current index appears.
	fb_live="$TMP/fb-live.xml"
	cp "$TMP/small.xml" "$fb_live"
	fb "$TMP/fb-live.idx" "$fb_live" "$client" iana watch 6 22 tcp >"$TMP/fb-watch.out" 2>&1 &
	watch_pid=$!
	sleep 1.5
	sed 's|<number>2222</number>|<number>22</number>|; s|<name>ssh</name>|<name>ssh-renamed</name>|' \
		"$TMP/small.xml" >"$fb_live.new" && mv "$fb_live.new" "$fb_live"
	sleep 2
	cp "$index" "$TMP/fb-live.idx.new" && mv "$TMP/fb-live.idx.new" "$TMP/fb-live.idx"
	wait "$watch_pid"
	expect_eq "a running process rebuilds from a changed registry, then takes a current index" \
		"$(uniq "$TMP/fb-watch.out" | tr '\n' ' ')" "notfound ssh-renamed 22/tcp ssh 22/tcp "

fi

# ---- the C client
expect_eq "getservbyname_r(ssh, NULL)" "$(iana "$client" iana byname ssh -)" "ssh 22/tcp"
expect_eq "getservbyname_r(Www-Http, tcp)" "$(iana "$client" iana byname Www-Http tcp)" "http 80/tcp www www-http"
expect_eq "getservbyname_r(cl/1, tcp) (a name holding '/')" "$(iana "$client" iana byname cl/1 tcp)" \
	"$(awk '$2 ~ /\/tcp$/ { for (i = 1; i <= NF; i++) if (i != 2 && $i == "cl/1") { print; exit } }' "$TMP/services.lines")"
expect_eq "getservbyname_r(ssh, ddp)" "$(iana "$client" iana byname ssh ddp)" "notfound"
expect_eq "getservbyport_r(6005, tcp)" "$(iana "$client" iana byport 6005 tcp)" "x11 6005/tcp"
expect_eq "getservbyname_r(x11, tcp)" "$(iana "$client" iana byname x11 tcp)" "x11 6000/tcp"
expect_eq "getservbyport_r(6005, NULL)" "$(iana "$client" iana byport 6005 - | cut -d' ' -f1)" "x11"
expect_eq "getservbyport_r(22, NULL)" "$(iana "$client" iana byport 22 -)" "ssh 22/tcp"
expect_eq "getservbyport_r(0, tcp)" "$(iana "$client" iana byport 0 tcp)" "notfound"
if out=$(iana "$client" iana erange http tcp); then ok "small buffers give ERANGE: $out"; else fail "erange http tcp: $out"; fi
if out=$(iana "$client" iana erange ssh -); then ok "small buffers give ERANGE: $out"; else fail "erange ssh -: $out"; fi
if out=$(iana "$client" iana erange-port 80 tcp); then ok "small buffers give ERANGE by port: $out"; else fail "erange-port 80 tcp: $out"; fi

iana "$client" iana enum >"$TMP/enum.out" 2>"$TMP/enum.err"
if cmp -s "$TMP/enum.out" "$TMP/services.lines"; then
	ok "getservent enumerates the $(wc -l <"$TMP/enum.out") entries of the services file, in its order"
else
	fail "getservent differs from the services file ($(wc -l <"$TMP/enum.out") vs $(wc -l <"$TMP/services.lines") lines):"
	diff "$TMP/enum.out" "$TMP/services.lines" | head -n 10
fi
iana "$client" iana enum-small >"$TMP/enum-small.out" 2>/dev/null
if cmp -s "$TMP/enum-small.out" "$TMP/services.lines"; then
	ok "getservent_r with buffers grown on ERANGE yields the same entries"
else
	fail "getservent_r with small buffers differs:"
	diff "$TMP/enum-small.out" "$TMP/services.lines" | head -n 10
fi

# Per-lookup cost through glibc (informational).
iana "$client" iana bench 200000 ssh tcp | sed 's/^/info: iana: /'
iana "$client" iana bench 200000 inspider tcp | sed 's/^/info: iana: /'

# ---- inside a private mount namespace: Python, and everything against files
command -v unshare >/dev/null 2>&1 || { echo "note: unshare not installed: namespace checks skipped"; finish; }
[ -f /etc/services ] && [ -f /etc/nsswitch.conf ] || { echo "note: no /etc/services or /etc/nsswitch.conf to bind over: namespace checks skipped"; finish; }
# nsswitch.conf copies saying "services: iana" and "services: files".
for src in iana files; do
	grep -v '^[[:space:]]*services[[:space:]]*:' /etc/nsswitch.conf >"$TMP/nsswitch.$src"
	echo "services: $src" >>"$TMP/nsswitch.$src"
done
# in_ns SOURCE CMD ARGS...: run CMD where /etc/services is the generated
# file and nsswitch.conf names SOURCE; nscd's socket is hidden.
in_ns() {
	src=$1
	shift
	unshare -m sh -c '
		services=$1 nsswitch=$2
		shift 2
		mount --bind "$services" /etc/services || exit 125
		mount --bind "$nsswitch" /etc/nsswitch.conf || exit 125
		for d in /run/nscd /var/run/nscd; do
			if [ -S "$d/socket" ]; then mount -t tmpfs none "$d" || exit 125; fi
		done
		exec "$@"' in_ns "$services" "$TMP/nsswitch.$src" "$@"
}
if ! in_ns files cmp -s "$services" /etc/services 2>"$TMP/probe.err"; then
	echo "note: cannot bind-mount in a private mount namespace ($(tr '\n' ' ' <"$TMP/probe.err")): namespace checks skipped"
	finish
fi

if "$PYTHON" -c 'import socket' 2>/dev/null; then
	out=$(iana in_ns iana "$PYTHON" -c '
import socket
print(socket.getservbyname("ssh", "tcp"), socket.getservbyname("HTTP"),
      socket.getservbyport(6005, "tcp"), socket.getservbyport(443, "udp"))
try:
    socket.getservbyname("no-such-service-xyz")
    print("found")
except OSError:
    print("notfound")' 2>&1)
	expect_eq "Python socket module with 'services: iana'" "$out" "22 80 x11 https
notfound"
fi
if command -v perl >/dev/null 2>&1; then
	# perl's getservbyport returns (name, aliases, port, proto).
	expect_eq "perl getservbyport(6005, tcp) with 'services: iana': port 6005" \
		"$(iana in_ns iana perl -e 'my @s = getservbyport(6005, "tcp"); print "$s[0] $s[2] $s[3]\n"' 2>&1)" "x11 6005 tcp"
	expect_eq "perl getservbyname(x11, tcp) with 'services: iana': port 6000" \
		"$(iana in_ns iana perl -e 'my @s = getservbyname("x11", "tcp"); print "$s[0] $s[2] $s[3]\n"' 2>&1)" "x11 6000 tcp"
else
	echo "note: perl not installed: its getservbyport check skipped"
fi

# Every name/protocol, name alone and port/protocol of the services file,
# asked of files and of iana, many keys per getent call.  getent cannot
# express a name holding '/' or made of digits only: those are left out.
awk '{
	split($2, pp, "/")
	print pp[1] "/" pp[2] >ports
	for (i = 1; i <= NF; i++) {
		if (i == 2 || $i ~ /\// || $i ~ /^[0-9]+$/) continue
		print $i "/" pp[2] >names
		print $i >bare
	}
}' ports="$TMP/keys.ports" names="$TMP/keys.names.all" bare="$TMP/keys.bare.all" "$TMP/services.lines"
sort -u "$TMP/keys.bare.all" >"$TMP/keys.bare"
awk '!seen[$0]++' "$TMP/keys.names.all" >"$TMP/keys.names"
cat "$TMP/keys.names" "$TMP/keys.bare" "$TMP/keys.ports" >"$TMP/keys"
start=$(date +%s)
for src in files iana; do
	iana in_ns "$src" sh -c 'xargs -n 1500 getent -s services:$1 services <"$2" >"$3"; exit 0' \
		sh "$src" "$TMP/keys" "$TMP/answers.$src"
	sed -i 's/[[:space:]][[:space:]]*/ /g' "$TMP/answers.$src"
done
n_keys=$(wc -l <"$TMP/keys")
n_answers=$(wc -l <"$TMP/answers.files")
if [ "$n_answers" -ne "$n_keys" ]; then
	fail "files answered $n_answers of $n_keys keys (test setup broken?)"
elif cmp -s "$TMP/answers.files" "$TMP/answers.iana"; then
	ok "iana answers all $n_keys keys (names, names/protocol, ports/protocol) as files does ($(($(date +%s) - start))s)"
else
	fail "iana and files disagree:"
	paste -d'|' "$TMP/keys" "$TMP/answers.files" "$TMP/answers.iana" | awk -F'|' '$2 != $3' | head -n 20
fi
# Past a range's first port only the module answers.
expect_eq "files does not know 6005/tcp" "$(iana in_ns files getent services 6005/tcp; echo $?)" "2"
expect_eq "iana knows 6005/tcp through nsswitch.conf" "$(iana in_ns iana getent services 6005/tcp | norm)" "x11 6005/tcp"
# Every port inside a named range, asked of iana and of files reading a
# services file written with --ranges expand (one line per port, the
# single-port entries kept first): the same answers, port included.
expanded="$TMP/services.expanded"
if "$GEN_SERVICES" -q --ranges expand -o "$expanded" "$REGISTRY_XML" 2>"$TMP/gen-expand.err"; then
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$expanded" | norm | awk '{ print $2 }' | sort -u >"$TMP/keys.expanded.all"
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$services" | norm | awk '{ print $2 }' | sort -u >"$TMP/keys.single"
	comm -23 "$TMP/keys.expanded.all" "$TMP/keys.single" >"$TMP/keys.inside"
	saved_services=$services
	services=$expanded
	for src in files iana; do
		iana in_ns "$src" sh -c 'xargs -n 1500 getent -s services:$1 services <"$2" >"$3"; exit 0' \
			sh "$src" "$TMP/keys.inside" "$TMP/inside.$src"
		sed -i 's/[[:space:]][[:space:]]*/ /g' "$TMP/inside.$src"
	done
	services=$saved_services
	n_inside=$(wc -l <"$TMP/keys.inside")
	if ! grep -qx '6005/tcp' "$TMP/keys.inside" || [ "$(wc -l <"$TMP/inside.files")" -ne "$n_inside" ]; then
		fail "ports inside ranges: $n_inside keys, files answered $(wc -l <"$TMP/inside.files") (test setup broken?)"
	elif cmp -s "$TMP/inside.files" "$TMP/inside.iana"; then
		ok "iana answers all $n_inside ports inside named ranges (past their first port) as files does with --ranges expand, port included"
	else
		fail "iana and files (--ranges expand) disagree on ports inside ranges:"
		paste -d'|' "$TMP/keys.inside" "$TMP/inside.files" "$TMP/inside.iana" | awk -F'|' '$2 != $3' | head -n 20
	fi
else
	cat "$TMP/gen-expand.err"
	fail "gen-services --ranges expand failed"
fi
iana in_ns files "$client" files bench 300 ssh tcp | sed 's/^/info: files: /'
iana in_ns files "$client" files bench 20 inspider tcp | sed 's/^/info: files: (the last line) /'

# ---- replacement: a second index where x11 is called x11-renamed
sed 's|<name>x11</name>|<name>x11-renamed</name>|' "$REGISTRY_XML" >"$TMP/renamed.xml"
if ! "$GEN_SERVICES" --format index -o "$TMP/renamed.idx" "$TMP/renamed.xml" 2>"$TMP/gen.err"; then
	cat "$TMP/gen.err"; fail "gen-services --format index on the renamed registry failed"; finish
fi
live="$TMP/live.idx"
live_iana() { LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$live" "$@"; }
# replace_with FILE: put a copy of FILE in place by rename(), as gen-services does.
replace_with() { cp "$1" "$live.new" && mv "$live.new" "$live"; }

replace_with "$index"
live_iana "$client" iana watch 4 6000 tcp >"$TMP/watch.out" 2>&1 &
watch_pid=$!
sleep 1
replace_with "$TMP/renamed.idx"
wait "$watch_pid"
expect_eq "a running process picks up a replaced index within a second" "$(tr '\n' ' ' <"$TMP/watch.out")" \
	"x11 6000/tcp x11-renamed 6000/tcp "

# Many names on one port: every alias comes back, in registry order (the
# module remembers the first few aliases and looks the rest up again).
many="$TMP/many.xml"
{
	echo '<?xml version="1.0"?><registry xmlns="http://www.iana.org/assignments"><updated>2026-01-01</updated>'
	for n in 0 1 2 3 4 5 6 7 8 9 10 11; do
		echo "<record><name>n$n</name><protocol>tcp</protocol><number>700</number></record>"
	done
	echo '</registry>'
} >"$many"
if "$GEN_SERVICES" -q --format index -o "$TMP/many.idx" "$many"; then
	want="n0 700/tcp n1 n2 n3 n4 n5 n6 n7 n8 n9 n10 n11"
	got=$(LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$TMP/many.idx" getent -s services:iana services n11/tcp | norm)
	expect_eq "twelve names on one port: all aliases, in order" "$got" "$want"
else
	fail "gen-services could not index $many"
fi
finish
