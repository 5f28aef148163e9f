#!/bin/sh
# test-nss.sh - the NSS module libnss_iana.so.2 (nss/nss_iana.c), loaded by
# glibc from $NSS_MODULE_DIR (LD_LIBRARY_PATH) and pointed at an index
# (NSS_IANA_INDEX) that gen-services builds from the hand-written fixture
# tests/fixtures/nss-services.xml, and from the real registry when
# ../shared has it:
#  - the library's ELF: only libc.so.6 NEEDED, exactly five symbols exported;
#  - getent -s iana: by name, by port, case-insensitive names, a port inside
#    a range (answered with that port), misses, an unknown protocol;
#  - no usable index (missing, not an index, corrupt, a version it does not
#    read): UNAVAIL, so "iana files" falls through to files, and libxml2 is
#    never loaded (LD_DEBUG=files), whatever the registry beside it;
#  - trust: an index (or a directory above it) writable by group or
#    others, or owned by another user, is refused; the override may name
#    the caller's own file, the default index only root's (root: a private
#    mount namespace, setpriv);
#  - nss_client.c (compiled here): ERANGE on small buffers, NULL protocol,
#    enumeration in the services file's order, also with tiny buffers;
#  - Python's socket module and perl's getservbyport in a mount namespace
#    whose nsswitch.conf says "services: iana";
#  - every port inside a named range: the module answers what files answers
#    from a services file written with --ranges expand, port included;
#  - every name and port/protocol: the module answers what glibc's files
#    source answers from gen-services' services file (bind-mounted over
#    /etc/services), for the fixture and for the real registry;
#  - a running process picking up a replaced index.
# Threads, forks and exit under load are test-nss-stress.sh's; valgrind is
# test-nss-valgrind.sh's.  Skips when the module or a C compiler is
# missing; the namespace and root-only parts skip alone, saying why.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

: "${NSS_MODULE_DIR:=}"
: "${CC:=cc}"
module="$NSS_MODULE_DIR/libnss_iana.so.2"
[ -n "$NSS_MODULE_DIR" ] && [ -r "$module" ] ||
	skip "libnss_iana.so.2 not built (NSS_MODULE_DIR='$NSS_MODULE_DIR')"
command -v getent >/dev/null 2>&1 || skip "getent not installed: no glibc NSS client to ask"
command -v "$CC" >/dev/null 2>&1 || skip "no C compiler ($CC) to build nss_client.c"

source_xml="$FIXTURES/nss-services.xml"
index="$TMP/services.idx"
"$GEN_SERVICES" --format index -o "$index" "$source_xml" 2>"$TMP/gen.err" || {
	cat "$TMP/gen.err"; fail "gen-services --format index -o $index $source_xml failed"; finish; }
services="$TMP/services"
"$GEN_SERVICES" -o "$services" "$source_xml" 2>"$TMP/gen.err" || {
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
# ---- indexes of the previous formats (3 and 4) answer as the current one
# does (until they are rewritten: update-iana-services --reindex);
# xml-full-v3.idx and xml-full-v4.idx are the indexes of xml-full.xml
# written before formats 4 and 5.
"$GEN_SERVICES" -q --format index -o "$TMP/current.idx" "$FIXTURES/xml-full.xml"
for v in 3 4; do
	cp "$FIXTURES/xml-full-v$v.idx" "$TMP/v$v.idx"
	for key in http/tcp WWW www-http/tcp 80/tcp 80/udp 6005/tcp 6063/udp snif nothing 65000/tcp; do
		expect_eq "format $v answers getent $key as the current format" \
			"$(LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$TMP/v$v.idx" getent -s services:iana services "$key" | norm)" \
			"$(LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$TMP/current.idx" getent -s services:iana services "$key" | norm)"
	done
	expect_eq "format $v answers http/tcp" \
		"$(LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$TMP/v$v.idx" getent -s services:iana services http/tcp | norm)" \
		"http 80/tcp www www-http"
done

# ---- no usable index: UNAVAIL, and nothing loaded
# unavail LABEL INDEX: with INDEX, getent -s iana fails (UNAVAIL: exit 2,
# nothing printed), "iana files" answers from files, and no libxml2 (nor
# anything else of ours) is loaded, whatever the registry beside it.
printf 'not an index\n' >"$TMP/bad.idx"
head -c 100 "$index" >"$TMP/truncated.idx"
cp "$index" "$TMP/corrupt.idx"
printf 'X' | dd of="$TMP/corrupt.idx" bs=1 seek=200 conv=notrunc 2>/dev/null
cp "$index" "$TMP/future.idx"
printf '\377' | dd of="$TMP/future.idx" bs=1 seek=8 conv=notrunc 2>/dev/null # version 255
have_files_ssh=$(getent -s services:files services ssh/tcp | cut -d' ' -f1)
unavail() {
	un_label=$1 un_index=$2
	LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$un_index" NSS_IANA_REGISTRY="$source_xml" \
		getent -s services:iana services ssh >"$TMP/un.out" 2>"$TMP/un.err"
	expect_eq "$un_label: getent -s iana exits 2, printing nothing" "$?:$(cat "$TMP/un.out" "$TMP/un.err")" "2:"
	if [ -n "$have_files_ssh" ]; then
		expect_eq "$un_label: 'iana files' falls through to files" \
			"$(LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$un_index" \
				getent -s 'services:iana files' services ssh/tcp | cut -d' ' -f1)" "ssh"
	fi
	LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$un_index" NSS_IANA_REGISTRY="$source_xml" LD_DEBUG=files \
		getent -s services:iana services ssh 2>"$TMP/ld.err" >/dev/null
	if grep -q 'file=libnss_iana.so.2' "$TMP/ld.err"; then
		expect_no_grep "$un_label: no libxml2 loaded" 'file=libxml2' "$TMP/ld.err"
	else
		fail "$un_label: LD_DEBUG=files shows no load of the module (test broken?)"
	fi
}
unavail "no index" "$TMP/none.idx"
unavail "a file that is no index" "$TMP/bad.idx"
unavail "a truncated index" "$TMP/truncated.idx"
unavail "an index with a bad checksum" "$TMP/corrupt.idx"
unavail "an index of a version the module does not read" "$TMP/future.idx"
unavail "a directory as index" "$TMP"
# A stale index (built from another registry) is still an index: the
# module answers from it, loading nothing more (the updater and
# gen-services --check report staleness).
sed 's|<number>22</number>|<number>2222</number>|' "$source_xml" >"$TMP/newer.xml"
LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$index" NSS_IANA_REGISTRY="$TMP/newer.xml" LD_DEBUG=files \
	getent -s services:iana services ssh 2>"$TMP/ld.err" >"$TMP/stale.out"
expect_eq "a stale index: answered from the index" "$(norm <"$TMP/stale.out")" "ssh 22/tcp"
expect_no_grep "a stale index: no libxml2 loaded" 'file=libxml2' "$TMP/ld.err"
# (libstdc++ may come with the sanitizer runtimes of make check SANITIZE=1.)
expect_no_grep "a current index: neither libxml2 nor what it brings is loaded" \
	'file=(libxml2|libicu|liblzma|libz\.)' "$TMP/ld.err"
if command -v objdump >/dev/null 2>&1; then
	expect_eq "the module has no dlopen" "$(objdump -T "$module" | grep -c 'dlopen')" "0"
fi

# ---- trust
# trusted LABEL WANT INDEX [ENV...]: getent -s iana ssh with INDEX gives WANT
# ("ssh 22/tcp" or "UNAVAIL").
trusted() {
	tr_label=$1 tr_want=$2 tr_index=$3
	shift 3
	if out=$(env LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$tr_index" "$@" \
		getent -s services:iana services ssh/tcp); then
		out=$(printf '%s\n' "$out" | norm)
	else
		out=UNAVAIL
	fi
	expect_eq "$tr_label" "$out" "$tr_want"
}
trust="$TMP/trust"
mkdir -p "$trust/ok" "$trust/gw" "$trust/ow" "$trust/sticky"
chmod 755 "$trust" "$trust/ok"
cp "$index" "$trust/ok/services.idx"
chmod 644 "$trust/ok/services.idx"
trusted "an index of the caller's own, not writable by others, through the override" "ssh 22/tcp" \
	"$trust/ok/services.idx"
cp "$index" "$trust/ok/group-writable.idx" && chmod 664 "$trust/ok/group-writable.idx"
trusted "a group-writable index is refused" UNAVAIL "$trust/ok/group-writable.idx"
cp "$index" "$trust/ok/other-writable.idx" && chmod 646 "$trust/ok/other-writable.idx"
trusted "an index writable by others is refused" UNAVAIL "$trust/ok/other-writable.idx"
cp "$index" "$trust/gw/services.idx" && chmod 644 "$trust/gw/services.idx" && chmod 775 "$trust/gw"
trusted "an index in a group-writable directory is refused" UNAVAIL "$trust/gw/services.idx"
cp "$index" "$trust/ow/services.idx" && chmod 644 "$trust/ow/services.idx" && chmod 757 "$trust/ow"
trusted "an index in a directory writable by others is refused" UNAVAIL "$trust/ow/services.idx"
chmod 755 "$trust/ow" "$trust/gw"
mkdir -p "$trust/ok/sub" && chmod 775 "$trust/ok" && cp "$index" "$trust/ok/sub/services.idx"
trusted "a group-writable directory higher up is refused too" UNAVAIL "$trust/ok/sub/services.idx"
chmod 755 "$trust/ok"
ln -s ok/services.idx "$trust/link.idx"
trusted "a symbolic link: the file it names is checked" "ssh 22/tcp" "$trust/link.idx"
ln -s group-writable.idx "$trust/ok/link-gw.idx"
trusted "a symbolic link to a group-writable index is refused" UNAVAIL "$trust/ok/link-gw.idx"
if is_root; then
	chown nobody "$trust/ok/services.idx"
	trusted "root: an index owned by another user is refused" UNAVAIL "$trust/ok/services.idx"
	chown 0 "$trust/ok/services.idx"
	chown nobody "$trust/ok"
	trusted "root: an index in a directory owned by another user is refused" UNAVAIL "$trust/ok/services.idx"
	chown 0 "$trust/ok"
	chmod 1777 "$trust/sticky" && cp "$index" "$trust/sticky/services.idx"
	trusted "root: a root-owned sticky directory (as /tmp) is trusted" "ssh 22/tcp" "$trust/sticky/services.idx"
	chown nobody "$trust/sticky"
	trusted "root: a sticky directory writable by others, not root's, is refused" UNAVAIL \
		"$trust/sticky/services.idx"
	chmod -R a+rX "$trust"
	chmod 755 "$TMP" # for nobody to reach the files (it is still only ours to change)
	if command -v setpriv >/dev/null 2>&1; then
		nobody_uid=$(id -u nobody)
		cp "$index" "$trust/ok/nobody.idx" && chown nobody "$trust/ok/nobody.idx"
		out=$(LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$trust/ok/nobody.idx" \
			setpriv --reuid "$nobody_uid" --regid "$(id -g nobody)" --clear-groups \
			getent -s services:iana services ssh/tcp | norm)
		expect_eq "the override may name a file of the caller's own (nobody's, run as nobody)" "$out" "ssh 22/tcp"
		out=$(LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$trust/ok/services.idx" \
			setpriv --reuid "$nobody_uid" --regid "$(id -g nobody)" --clear-groups \
			getent -s services:iana services ssh/tcp | norm)
		expect_eq "the override may name a root-owned file (run as nobody)" "$out" "ssh 22/tcp"
	else
		echo "note: setpriv not installed: the override run as another user is not checked"
	fi
	# The default index, in a private mount namespace where its directory
	# is ours: only a root-owned one is used, even by its owner.
	default_index=$(sed -n 's/^#define DEFAULT_INDEX_PATH "\(.*\)"$/\1/p' "$NSS_MODULE_DIR/install_paths.h")
	top=$(dirname "$default_index")
	while [ ! -d "$top" ]; do top=$(dirname "$top"); done
	if [ -n "$default_index" ] && [ "$top" != / ] && can_unshare; then
		stage="$TMP/default-root"
		mkdir -p "$stage$(dirname "$default_index")"
		chmod -R 755 "$stage"
		cp "$index" "$stage$default_index" && chmod 644 "$stage$default_index"
		# in_default CMD...: CMD where $top is our staged copy.
		in_default() {
			unshare -m sh -c 'mount --bind "$1$2" "$2" || exit 125; shift 2; exec "$@"' sh "$stage" "$top" "$@"
		}
		default_ssh() {
			in_default env -u NSS_IANA_INDEX LD_LIBRARY_PATH="$NSS_MODULE_DIR" "$@" \
				getent -s services:iana services ssh/tcp | norm
		}
		expect_eq "root: the default index, root's, is used" "$(default_ssh)" "ssh 22/tcp"
		chown nobody "$stage$default_index"
		expect_eq "root: the default index owned by another user is refused" "$(default_ssh)" ""
		if command -v setpriv >/dev/null 2>&1; then
			as_nobody="setpriv --reuid $(id -u nobody) --regid $(id -g nobody) --clear-groups"
			expect_eq "the default index is not trusted to its owner either (run as nobody)" \
				"$(default_ssh $as_nobody)" ""
			expect_eq "the same file named by the override is (run as nobody)" \
				"$(in_default env LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$default_index" $as_nobody \
					getent -s services:iana services ssh/tcp | norm)" "ssh 22/tcp"
		fi
		chown 0 "$stage$default_index" && chmod 664 "$stage$default_index"
		expect_eq "root: a group-writable default index is refused" "$(default_ssh)" ""
		chmod 644 "$stage$default_index" && chmod 775 "$stage$(dirname "$default_index")"
		expect_eq "root: a default index in a group-writable directory is refused" "$(default_ssh)" ""
	else
		echo "note: no private mount namespace over $top: the default index's trust is not checked"
	fi
else
	echo "note: not root: files owned by other users, sticky directories of root's and the default index are not checked (they need root)"
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
for src in iana files; do nsswitch_with "$src" "$TMP/nsswitch.$src"; done
# ns SOURCE CMD...: CMD where /etc/services is the generated file and
# nsswitch.conf names SOURCE.
ns() { ns_src=$1; shift; in_ns "$services" "$TMP/nsswitch.$ns_src" "$@"; }
if ! ns files cmp -s "$services" /etc/services 2>"$TMP/probe.err"; then
	echo "note: cannot bind-mount in a private mount namespace ($(tr '\n' ' ' <"$TMP/probe.err")): namespace checks skipped"
	finish
fi

if "$PYTHON" -c 'import socket' 2>/dev/null; then
	out=$(iana ns iana "$PYTHON" -c '
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
		"$(iana ns iana perl -e 'my @s = getservbyport(6005, "tcp"); print "$s[0] $s[2] $s[3]\n"' 2>&1)" "x11 6005 tcp"
	expect_eq "perl getservbyname(x11, tcp) with 'services: iana': port 6000" \
		"$(iana ns iana perl -e 'my @s = getservbyname("x11", "tcp"); print "$s[0] $s[2] $s[3]\n"' 2>&1)" "x11 6000 tcp"
else
	echo "note: perl not installed: its getservbyport check skipped"
fi

# agree LABEL SERVICES INDEX: every name/protocol, name alone and
# port/protocol of the services file SERVICES, asked of files (SERVICES
# over /etc/services) and of iana (INDEX), many keys per getent call.
# getent cannot express a name holding '/' or made of digits only: those
# are left out.
agree() {
	ag_label=$1 ag_services=$2 ag_index=$3
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$ag_services" | norm | sed 's/ $//' >"$TMP/ag.lines"
	awk '{
		split($2, pp, "/")
		print pp[1] "/" pp[2] >ports
		for (i = 1; i <= NF; i++) {
			if (i == 2 || $i ~ /\// || $i ~ /^[0-9]+$/) continue
			print $i "/" pp[2] >names
			print $i >bare
		}
	}' ports="$TMP/keys.ports" names="$TMP/keys.names.all" bare="$TMP/keys.bare.all" "$TMP/ag.lines"
	sort -u "$TMP/keys.bare.all" >"$TMP/keys.bare"
	awk '!seen[$0]++' "$TMP/keys.names.all" >"$TMP/keys.names"
	cat "$TMP/keys.names" "$TMP/keys.bare" "$TMP/keys.ports" >"$TMP/keys"
	start=$(date +%s)
	for src in files iana; do
		LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$ag_index" in_ns "$ag_services" "$TMP/nsswitch.$src" \
			sh -c 'xargs -n 1500 getent -s services:$1 services <"$2" >"$3"; exit 0' \
			sh "$src" "$TMP/keys" "$TMP/answers.$src"
		sed -i 's/[[:space:]][[:space:]]*/ /g' "$TMP/answers.$src"
	done
	n_keys=$(wc -l <"$TMP/keys")
	n_answers=$(wc -l <"$TMP/answers.files")
	if [ "$n_answers" -ne "$n_keys" ]; then
		fail "$ag_label: files answered $n_answers of $n_keys keys (test setup broken?)"
	elif cmp -s "$TMP/answers.files" "$TMP/answers.iana"; then
		ok "$ag_label: iana answers all $n_keys keys (names, names/protocol, ports/protocol) as files does ($(($(date +%s) - start))s)"
	else
		fail "$ag_label: iana and files disagree:"
		paste -d'|' "$TMP/keys" "$TMP/answers.files" "$TMP/answers.iana" | awk -F'|' '$2 != $3' | head -n 20
	fi
}
agree "the fixture" "$services" "$index"
if [ -r "$REGISTRY_XML" ]; then
	"$GEN_SERVICES" -q --format index -o "$TMP/real.idx" "$REGISTRY_XML" &&
		"$GEN_SERVICES" -q -o "$TMP/real.services" "$REGISTRY_XML" ||
		fail "gen-services cannot build from $REGISTRY_XML"
	agree "the real registry" "$TMP/real.services" "$TMP/real.idx"
else
	echo "note: every key of the full registry against files is not checked: needs the real registry $REGISTRY_XML (../shared), absent here"
fi
# Past a range's first port only the module answers.
expect_eq "files does not know 6005/tcp" "$(iana ns files getent services 6005/tcp; echo $?)" "2"
expect_eq "iana knows 6005/tcp through nsswitch.conf" "$(iana ns iana getent services 6005/tcp | norm)" "x11 6005/tcp"
# Every port inside a named range, asked of iana and of files reading a
# services file written with --ranges expand (one line per port, the
# single-port entries kept first): the same answers, port included.
inside_ranges() {
	ir_label=$1 ir_registry=$2 ir_services=$3 ir_index=$4
	expanded="$TMP/services.expanded"
	if ! "$GEN_SERVICES" -q --ranges expand -o "$expanded" "$ir_registry" 2>"$TMP/gen-expand.err"; then
		cat "$TMP/gen-expand.err"
		fail "$ir_label: gen-services --ranges expand failed"
		return
	fi
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$expanded" | norm | awk '{ print $2 }' | sort -u >"$TMP/keys.expanded.all"
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$ir_services" | norm | awk '{ print $2 }' | sort -u >"$TMP/keys.single"
	comm -23 "$TMP/keys.expanded.all" "$TMP/keys.single" >"$TMP/keys.inside"
	for src in files iana; do
		LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$ir_index" in_ns "$expanded" "$TMP/nsswitch.$src" \
			sh -c 'xargs -n 1500 getent -s services:$1 services <"$2" >"$3"; exit 0' \
			sh "$src" "$TMP/keys.inside" "$TMP/inside.$src"
		sed -i 's/[[:space:]][[:space:]]*/ /g' "$TMP/inside.$src"
	done
	n_inside=$(wc -l <"$TMP/keys.inside")
	if ! grep -qx '6005/tcp' "$TMP/keys.inside" || [ "$(wc -l <"$TMP/inside.files")" -ne "$n_inside" ]; then
		fail "$ir_label: ports inside ranges: $n_inside keys, files answered $(wc -l <"$TMP/inside.files") (test setup broken?)"
	elif cmp -s "$TMP/inside.files" "$TMP/inside.iana"; then
		ok "$ir_label: iana answers all $n_inside ports inside named ranges (past their first port) as files does with --ranges expand, port included"
	else
		fail "$ir_label: iana and files (--ranges expand) disagree on ports inside ranges:"
		paste -d'|' "$TMP/keys.inside" "$TMP/inside.files" "$TMP/inside.iana" | awk -F'|' '$2 != $3' | head -n 20
	fi
}
inside_ranges "the fixture" "$source_xml" "$services" "$index"
[ -r "$REGISTRY_XML" ] && inside_ranges "the real registry" "$REGISTRY_XML" "$TMP/real.services" "$TMP/real.idx"
iana ns files "$client" files bench 300 ssh tcp | sed 's/^/info: files: /'
iana ns files "$client" files bench 20 inspider tcp | sed 's/^/info: files: (the last line) /'

# ---- replacement: a second index where x11 is called x11-renamed
sed 's|<name>x11</name>|<name>x11-renamed</name>|' "$source_xml" >"$TMP/renamed.xml"
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
