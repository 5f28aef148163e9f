#!/bin/sh
# test-wireshark-answers.sh - what the Wireshark plugin shows, in a real
# tshark, for the answers of issue 12, on the project's fixture
# tests/fixtures/xml-full.xml (so that build daemons, without ../shared,
# run it) and again on the full registry from ../shared when it is there:
#  - a named range's reported unauthorized use warns only on the ports its
#    text names: x11 6000-6063, "Known Unauthorized Use on port 6003", warns
#    on 6003/tcp, not on 6005/tcp or 6000/tcp, and iana.*.unauthorized is
#    there on 6003 only;
#  - IANA's obfuscated addresses are shown as addresses in
#    iana.*.assignee ("IESG <iesg@ietf.org>" for http 80/tcp), while
#    --format json keeps the registry's "mailto:iesg&ietf.org".
# tshark runs with the plugin from the build tree (wireshark-lib.sh).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/wireshark-lib.sh"

ws_setup
"$PYTHON" "$here/make_pcap.py" "$TMP/x11.pcap" tcp:50000:6003 tcp:50000:6005 tcp:50000:6000 tcp:50000:80 ||
	{ fail "make_pcap.py"; finish; }
ws_share

# answers REGISTRY WHICH: every check on REGISTRY, each said of WHICH.
answers() {
	registry=$1 which=$2 index="$TMP/$2.idx"
	"$GEN_SERVICES" -q --format index -o "$index" "$registry" || { fail "$which: gen-services --format index"; return; }
	ts -r "$TMP/x11.pcap" -o "iana.registry:$index" -q -z expert >"$TMP/expert.out"
	if grep -q "Destination port 6003/tcp (x11): Known Unauthorized Use on port 6003" "$TMP/expert.out"; then
		ok "$which: x11: expert warning on 6003/tcp, the port its text names"
	else
		cat "$TMP/expert.out" "$TMP/tshark.err"; fail "$which: x11: no expert warning on 6003/tcp"
	fi
	for port in 6005 6000; do
		if grep -q "port $port/tcp" "$TMP/expert.out"; then
			fail "$which: x11: expert warning on $port/tcp: $(grep "port $port/tcp" "$TMP/expert.out")"
		else
			ok "$which: x11: no expert warning on $port/tcp"
		fi
	done
	got=$(ts -r "$TMP/x11.pcap" -o "iana.registry:$index" -T fields -E separator='|' \
		-e iana.dst.port -e iana.dst.service -e iana.dst.range -e iana.dst.unauthorized | head -n 3)
	expect_eq "$which: x11: iana.dst.unauthorized on 6003 only" "$got" "6003|x11|6000-6063|Known Unauthorized Use on port 6003
6005|x11|6000-6063|
6000|x11|6000-6063|"
	got=$(ts -r "$TMP/x11.pcap" -o "iana.registry:$index" -T fields -e iana.dst.assignee | sed -n 4p)
	expect_eq "$which: http 80/tcp: iana.dst.assignee shows the address" "$got" "IESG <iesg@ietf.org>"
	expect_eq "$which: --format json keeps the registry's address text" \
		"$("$GEN_SERVICES" -q --format json "$registry" | grep -m 1 '"name":"http","port":80,' | grep -o '"uri":"mailto:iesg[^"]*"' | head -n 1)" \
		'"uri":"mailto:iesg&ietf.org"'
}

answers "$FIXTURES/xml-full.xml" fixture
if [ -r "$REGISTRY_XML" ]; then
	answers "$REGISTRY_XML" "real registry"
else
	echo "note: the full registry is not checked: $REGISTRY_XML (../shared) is absent"
fi
finish
