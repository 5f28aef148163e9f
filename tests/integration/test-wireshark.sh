#!/bin/sh
# test-wireshark.sh - the Wireshark plugin (wireshark-plugin/, built as
# $WIRESHARK_PLUGIN) in a real tshark, on captures made here by
# make_pcap.py, with the full registry from ../shared, or without it the
# hand-written tests/fixtures/wireshark-ports.xml:
#  - fields per side (service, status, class, description, range, quoted)
#    for TCP, UDP, SCTP and DCCP over IPv4 and IPv6, a named range, a
#    reserved, an unassigned and a dynamic port, ICMP/ICMPv6 errors
#    quoting a UDP packet, and an ICMP echo inside a VXLAN tunnel (its UDP
#    ports are the packet's own, not quoted);
#  - display filters on iana.service, the expert infos (tshark -z expert);
#  - the iana.registry preference with -o and from a preferences file, the
#    index and the XML giving the same answers, the Info column option;
#  - a missing, a malformed and a corrupt registry: tshark still runs and
#    the expert error says why;
#  - tshark -G fields lists exactly the fields README.md documents.
# tshark runs through wireshark-lib.sh (as nobody when root).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/wireshark-lib.sh"

ws_setup
if [ -r "$REGISTRY_XML" ]; then
	source_xml=$REGISTRY_XML
else
	source_xml="$FIXTURES/wireshark-ports.xml"
	echo "note: ../shared has no real registry ($REGISTRY_XML): the fixture wireshark-ports.xml instead"
fi
index="$TMP/services.idx"
"$GEN_SERVICES" -q --format index -o "$index" "$source_xml" || { fail "gen-services --format index"; finish; }
cp "$source_xml" "$TMP/registry.xml"

# The capture: frame N is the Nth spec.
"$PYTHON" "$here/make_pcap.py" "$TMP/ports.pcap" \
	tcp:51234:443 udp:53124:53 sctp:2905:2905 dccp:40000:5004 tcp:6005:50000 \
	tcp:50000:0 udp:50000:81 tcp:50000:79 icmp-udp:40000:53 icmp6-udp:40000:5353 \
	tcp:50001:5783 tcp6:49152:65535 sctp6:50000:3868 dccp6:50000:1113 vxlan-echo:50000:4789 ||
	{ fail "make_pcap.py"; finish; }
ws_share

# fields PCAP REGISTRY FIELD...: one line per frame, fields joined by '|'.
fields() {
	pcap=$1 reg=$2
	shift 2
	set -- $(for f in "$@"; do printf -- '-e %s ' "$f"; done)
	ts -r "$pcap" -o "iana.registry:$reg" -T fields -E separator='|' -E occurrence=f "$@"
}

ws_loaded

# ---- fields per frame
# (tshark 4.0 prints a boolean as 1, 4.4 and later as True)
got=$(fields "$TMP/ports.pcap" "$index" frame.number iana.transport iana.quoted \
	iana.src.service iana.dst.service iana.src.status iana.dst.status iana.src.class iana.dst.class |
	sed 's/^\([0-9]*|[a-z]*\)|True|/\1|1|/')
want='1|tcp|||https|unassigned|assigned|Dynamic/Private|System
2|udp|||domain|unassigned|assigned|Dynamic/Private|System
3|sctp||m3ua|m3ua|assigned|assigned|User|User
4|dccp|||avt-profile-1|unassigned|assigned|User|User
5|tcp||x11||assigned|unassigned|User|Dynamic/Private
6|tcp||||unassigned|reserved|Dynamic/Private|System
7|udp||||unassigned|unassigned|Dynamic/Private|System
8|tcp|||finger|unassigned|assigned|Dynamic/Private|System
9|udp|1|safetynetp|domain|assigned|assigned|User|System
10|udp|1|safetynetp|mdns|assigned|assigned|User|User
11|tcp|||3par-mgmt-ssl|unassigned|assigned|Dynamic/Private|User
12|tcp||||unassigned|unassigned|Dynamic/Private|Dynamic/Private
13|sctp|||diameter|unassigned|assigned|Dynamic/Private|User
14|dccp|||ltp-deepspace|unassigned|assigned|Dynamic/Private|User
15|udp|||vxlan|unassigned|assigned|Dynamic/Private|User'
expect_eq "services, status and class of both ports, every transport" "$got" "$want"
[ "$got" = "$want" ] || cat "$TMP/tshark.err"

got=$(fields "$TMP/ports.pcap" "$index" frame.number iana.src.range iana.src.description \
	iana.dst.description iana.dst.reference iana.src.alias | sed -n '1p;5,7p')
want='1|||http protocol over TLS/SSL|RFC 9110|
5|6000-6063|X Window System|||
6|||Reserved||
7|||Unassigned||'
expect_eq "range, descriptions, references" "$got" "$want"

got=$(fields "$TMP/ports.pcap" "$index" iana.dst.assignee iana.dst.unauthorized | sed -n 8p)
case $got in
*"|Unauthorized use by some mail users (see [RFC4146] for details)") ok "finger's reported unauthorized use" ;;
*) fail "finger 79/tcp: got '$got'" ;;
esac

# Aliases: every alias of 80/tcp, and iana.alias either side.
"$PYTHON" "$here/make_pcap.py" "$TMP/http.pcap" tcp:50000:80 && ws_share
got=$(ts -r "$TMP/http.pcap" -o "iana.registry:$index" -T fields -E occurrence=a -E aggregator=, \
	-e iana.dst.service -e iana.dst.alias)
expect_eq "80/tcp: canonical name and aliases" "$got" "$(printf 'http\twww,www-http')"
expect_eq "iana.alias == \"www-http\" finds it" \
	"$(ts -r "$TMP/http.pcap" -o "iana.registry:$index" -Y 'iana.alias == "www-http"' -T fields -e frame.number)" "1"

# ---- display filters
expect_eq "-Y 'iana.service == \"3par-mgmt-ssl\"'" \
	"$(ts -r "$TMP/ports.pcap" -o "iana.registry:$index" -Y 'iana.service == "3par-mgmt-ssl"' -T fields -e frame.number)" "11"
expect_eq "-Y 'iana.service == \"https\"'" \
	"$(ts -r "$TMP/ports.pcap" -o "iana.registry:$index" -Y 'iana.service == "https"' -T fields -e frame.number)" "1"
expect_eq "-Y 'iana.service == \"safetynetp\"' (either side, quoted)" \
	"$(ts -r "$TMP/ports.pcap" -o "iana.registry:$index" -Y 'iana.service == "safetynetp"' -T fields -e frame.number | tr '\n' ' ')" "9 10 "
expect_eq "-Y 'iana.status == \"reserved\"'" \
	"$(ts -r "$TMP/ports.pcap" -o "iana.registry:$index" -Y 'iana.status == "reserved"' -T fields -e frame.number)" "6"
expect_eq "-Y 'iana.quoted'" \
	"$(ts -r "$TMP/ports.pcap" -o "iana.registry:$index" -Y 'iana.quoted' -T fields -e frame.number | tr '\n' ' ')" "9 10 "
expect_eq "-Y 'iana.dst.class == \"Dynamic/Private\"'" \
	"$(ts -r "$TMP/ports.pcap" -o "iana.registry:$index" -Y 'iana.dst.class == "Dynamic/Private"' -T fields -e frame.number | tr '\n' ' ')" "5 12 "

# ---- expert infos
ts -r "$TMP/ports.pcap" -o "iana.registry:$index" -q -z expert >"$TMP/expert.out"
grep -q "Security *IANA *Unauthorized use reported for Destination port 79/tcp (finger): Unauthorized use by some mail users" "$TMP/expert.out" &&
	grep -A6 '^Warns' "$TMP/expert.out" | grep -q "port 79/tcp (finger)" &&
	ok "expert warning for finger's reported unauthorized use" ||
	{ cat "$TMP/expert.out"; fail "no expert warning for 79/tcp"; }
grep -A4 '^Notes' "$TMP/expert.out" | grep -q "Protocol *IANA *Destination port 0/tcp is Reserved" &&
	ok "expert note for Reserved 0/tcp" || { cat "$TMP/expert.out"; fail "no expert note for 0/tcp"; }
# x11's text names port 6003: no warning on 6005 (test-wireshark-answers.sh)
if grep -q "port 6005/tcp (x11)" "$TMP/expert.out"; then fail "expert warning on 6005/tcp, which x11's text does not name"
else ok "no expert warning on 6005/tcp (x11's reported use is on 6003)"; fi

# ---- registry preference: the XML itself answers as its index does
all="frame.number iana.src.service iana.dst.service iana.src.status iana.dst.status iana.src.description iana.dst.description iana.dst.reference iana.dst.assignee"
fields "$TMP/ports.pcap" "$index" $all >"$TMP/from-index"
fields "$TMP/ports.pcap" "$TMP/registry.xml" $all >"$TMP/from-xml"
if [ -s "$TMP/from-index" ] && cmp -s "$TMP/from-index" "$TMP/from-xml"; then
	ok "-o iana.registry:registry.xml answers as the index does"
else
	diff "$TMP/from-index" "$TMP/from-xml" | head
	fail "the XML and its index answer differently"
fi
# A preferences file, as Wireshark saves it.
mkdir -p "$TMP/home/.config/wireshark"
echo "iana.registry: $index" >"$TMP/home/.config/wireshark/preferences"
ws_share
expect_eq "iana.registry from the preferences file" \
	"$(ts -r "$TMP/ports.pcap" -Y 'frame.number == 1' -T fields -e iana.dst.service)" "https"
rm "$TMP/home/.config/wireshark/preferences"
# An older registry: the 2024 CSV, through the same preference.
if [ -r "$REGISTRY_CSV_2024" ]; then
	cp "$REGISTRY_CSV_2024" "$TMP/old.csv" && ws_share
	expect_eq "-o iana.registry:CSV" \
		"$(fields "$TMP/ports.pcap" "$TMP/old.csv" iana.dst.service | sed -n 1p)" "https"
fi

# ---- Info column option, in the packet list as users see it (from 4.4 on
# the _ws.col.Info field is taken before postdissectors run)
got=$(ts -r "$TMP/ports.pcap" -o "iana.registry:$index" -o iana.info_column:TRUE | sed -n '1p;9p')
case $got in
*"[IANA 51234 > https]"*"[IANA quoted safetynetp > domain]"*) ok "service names in the Info column" ;;
*) fail "Info column: got '$got'" ;;
esac
got=$(ts -r "$TMP/ports.pcap" -o "iana.registry:$index" | sed -n 1p)
case $got in
*IANA*) fail "Info column changed without the option: '$got'" ;;
*) ok "Info column untouched by default" ;;
esac

# ---- broken registries: tshark runs on, the expert error says why
expect_error() { # WHAT PATH WANT-SUBSTRING
	out=$(ts -r "$TMP/ports.pcap" -o "iana.registry:$2" -q -z expert,error)
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "$1: tshark exited $rc: $(cat "$TMP/tshark.err")"
	elif echo "$out" | grep -q "Undecoded *IANA *IANA registry not loaded: .*$3"; then
		ok "$1: tshark runs, expert error says: $(echo "$out" | grep -o 'IANA registry not loaded.*')"
	else
		echo "$out"
		fail "$1: no expert error containing '$3'"
	fi
	got=$(fields "$TMP/ports.pcap" "$2" iana.src.service iana.dst.service | tr -d '|\n')
	expect_eq "$1: nothing labelled" "$got" ""
}
expect_error "missing registry" "$TMP/none.idx" "cannot read $TMP/none.idx: No such file or directory"
head -c $(($(wc -c <"$source_xml") / 2)) "$source_xml" >"$TMP/truncated.xml"
ws_share
expect_error "truncated XML" "$TMP/truncated.xml" "truncated.xml: malformed registry: line [0-9]*:"
cp "$index" "$TMP/corrupt.idx"
printf 'X' | dd of="$TMP/corrupt.idx" bs=1 seek=5000 conv=notrunc 2>/dev/null
ws_share
expect_error "corrupt index" "$TMP/corrupt.idx" "corrupt.idx: the services index is truncated or corrupt"
echo "<html><body>Not Found</body></html>" >"$TMP/error.html"
ws_share
expect_error "an HTML page" "$TMP/error.html" "error.html: "
# One configuration problem, one error, however many packets: on the first
# packet with ports only (frame 2: an ICMP echo comes first), with the
# reason, on the same frame however the file is read.
"$PYTHON" "$here/make_pcap.py" "$TMP/many.pcap" icmp-echo:0:0 tcp:50000:443 udp:50000:53 tcp:443:50000 \
	sctp:2905:2905 dccp:40000:5004 && ws_share
ts -r "$TMP/many.pcap" -o "iana.registry:$TMP/none.idx" -q -z expert,error >"$TMP/expert.out"
expect_eq "a missing registry: one expert error for 5 packets with ports" \
	"$(sed -n 's/^Errors (\([0-9]*\))$/\1/p' "$TMP/expert.out")" "1"
grep -q "^ *1 *Undecoded *IANA *IANA registry not loaded: cannot read $TMP/none.idx: No such file or directory" "$TMP/expert.out" &&
	ok "the one expert error keeps the reason" || { cat "$TMP/expert.out"; fail "the one expert error lost its reason"; }
expect_eq "the expert error is on frame 2, the first with ports" \
	"$(ts -r "$TMP/many.pcap" -o "iana.registry:$TMP/none.idx" -Y iana.no_registry -T fields -e frame.number)" "2"
expect_eq "... also when read in two passes" \
	"$(ts -2 -r "$TMP/many.pcap" -o "iana.registry:$TMP/none.idx" -Y iana.no_registry -T fields -e frame.number)" "2"
expect_eq "the other packets say where the error is" \
	"$(ts -r "$TMP/many.pcap" -o "iana.registry:$TMP/none.idx" -Y 'frame.number == 4' -V | grep -c 'no registry loaded (the expert error on frame 2 says why)')" "1"

# ---- the other way in: gen-services --format wireshark as the personal
# services file Wireshark's own port name resolution (-N t) reads.  A local
# entry merged in (it wins over the registry's) shows the file is the one
# read, not Wireshark's built-in copy.
mkdir -p "$TMP/home/.config/wireshark"
printf 'zz-local-svc\t5783/tcp\n' >"$TMP/local"
if "$GEN_SERVICES" -q --format wireshark --merge "$TMP/local" -o "$TMP/home/.config/wireshark/services" "$source_xml"; then
	ws_share
	got=$(ts -r "$TMP/ports.pcap" -N t -T fields -e _ws.col.Info | sed -n '1p;11p' | tr '\n' ' ')
	case $got in
	*"51234 → https(443)"*"50001 → zz-local-svc(5783)"*) ok "tshark -N t names ports from gen-services' personal services file" ;;
	*) fail "tshark -N t with the generated services file: got '$got'" ;;
	esac
	rm "$TMP/home/.config/wireshark/services"
else
	fail "gen-services --format wireshark --merge"
fi

# ---- tshark -G fields lists exactly the documented fields
readme="$here/../../README.md"
if [ -r "$readme" ]; then
	documented=$(grep -o '^| `iana\.[a-z_.]*`' "$readme" | tr -d '|` ' | sort -u)
	listed=$(ts -G fields | awk -F '\t' '$1 == "F" && $3 ~ /^iana\./ { print $3 }' | sort -u)
	if [ -n "$listed" ] && [ "$documented" = "$listed" ]; then
		ok "tshark -G fields lists the $(echo "$listed" | wc -l) fields README.md documents"
	else
		echo "documented only:"; echo "$documented" | grep -vxF "$listed"
		echo "listed only:"; echo "$listed" | grep -vxF "$documented"
		fail "README.md's field table and tshark -G fields differ"
	fi
fi
finish
