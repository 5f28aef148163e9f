#!/bin/sh
# test-wireshark-stats.sh - the IANA Services stats tree (tshark -z
# iana,tree[,filter], Statistics > IANA Services in the GUI) in a real
# tshark, on the capture of known composition make_pcap.py --stats writes
# (its STATS list says what each packet is), against the hand-written
# registry tests/fixtures/stats-registry.xml: the whole printed tree, then
# with a display filter; then a few rows with the real registry from
# ../shared when it is there.  The expected trees below are worked out by
# hand from STATS: Count is packets, Average/Min Val/Max Val frame lengths
# in bytes, Percent the share of the parent's packets.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/wireshark-lib.sh"

ws_setup
fixture="$here/../fixtures/stats-registry.xml"
cp "$fixture" "$TMP/registry.xml"
"$PYTHON" "$here/make_pcap.py" "$TMP/stats.pcap" --stats || { fail "make_pcap.py --stats"; finish; }
ws_share
ws_loaded

# tree REGISTRY [,FILTER]: the report, one row per item: the item indented
# one space per level, then Count, Average, Min Val, Max Val and Percent
# (Rate and Burst depend on the capture's timing), '|'-separated.
tree() {
	ts -r "$TMP/stats.pcap" -o "iana.registry:$1" -q -z "iana,tree${2:-}" >"$TMP/tree.out" ||
		{ cat "$TMP/tshark.err"; fail "tshark -z iana,tree${2:-} exited non-zero"; }
	awk '/^-+$/ { rule++; next } rule == 1 && NF {
		match($0, /^ */); indent = substr($0, 1, RLENGTH); rest = substr($0, RLENGTH + 1)
		n = split(rest, col, /  +/)
		print indent col[1] "|" col[2] "|" col[3] "|" col[4] "|" col[5] "|" col[7] }' "$TMP/tree.out"
}

got=$(tree "$TMP/registry.xml")
want='Services|36|178.22|40|1040|100%
 https (tcp): 443|8|475.00|120|1040|22.22%
 http (tcp): 80|7|182.86|40|240|19.44%
 domain (udp): 53|6|93.00|58|128|16.67%
 finger (tcp): 79|5|66.00|50|90|13.89%
 m3ua (sctp): 2905|4|52.00|52|52|11.11%
 avt-profile-1 (dccp): 5004|3|40.00|40|40|8.33%
 domain (tcp): 53|2|40.00|40|40|5.56%
 x11 (tcp): 6000-6063|1|40.00|40|40|2.78%
Registry status|47|146.21|28|1040|100%
 assigned|36|178.22|40|1040|76.60%
  System|28|216.00|40|1040|77.78%
  User|8|46.00|40|52|22.22%
 unassigned|8|43.50|28|60|17.02%
  User|5|47.20|28|60|62.50%
  Dynamic/Private|2|40.00|40|40|25.00%
  System|1|32.00|32|32|12.50%
 reserved|2|40.00|40|40|4.26%
  System|2|40.00|40|40|100.00%
 unnamed|1|28.00|28|28|2.13%
  User|1|28.00|28|28|100.00%
Reported unauthorized use|6|61.67|40|90|100%
 79/tcp finger: Unauthorized use by some mail users (see [RFC4146] for details)|5|66.00|50|90|83.33%
 6003/tcp x11: Known Unauthorized Use on port 6003|1|40.00|40|40|16.67%
Unassigned System and User ports|6|44.67|28|60|100%
 8001/tcp|3|60.00|60|60|50.00%
 1234/udp|2|28.00|28|28|33.33%
 7/udp|1|32.00|32|32|16.67%'
expect_eq "tshark -z iana,tree: the whole tree" "$got" "$want"
[ "$got" = "$want" ] || cat "$TMP/tree.out"

# Only the TCP packets (IPv4 and IPv6): https, http, finger, domain/tcp,
# x11, Reserved 0, 8001 and 60000.
got=$(tree "$TMP/registry.xml" ,tcp)
want='Services|23|240.43|40|1040|100%
 https (tcp): 443|8|475.00|120|1040|34.78%
 http (tcp): 80|7|182.86|40|240|30.43%
 finger (tcp): 79|5|66.00|50|90|21.74%
 domain (tcp): 53|2|40.00|40|40|8.70%
 x11 (tcp): 6000-6063|1|40.00|40|40|4.35%
Registry status|30|195.67|40|1040|100%
 assigned|23|240.43|40|1040|76.67%
  System|22|249.55|40|1040|95.65%
  User|1|40.00|40|40|4.35%
 unassigned|5|52.00|40|60|16.67%
  User|3|60.00|60|60|60.00%
  Dynamic/Private|2|40.00|40|40|40.00%
 reserved|2|40.00|40|40|6.67%
  System|2|40.00|40|40|100.00%
Reported unauthorized use|6|61.67|40|90|100%
 79/tcp finger: Unauthorized use by some mail users (see [RFC4146] for details)|5|66.00|50|90|83.33%
 6003/tcp x11: Known Unauthorized Use on port 6003|1|40.00|40|40|16.67%
Unassigned System and User ports|3|60.00|60|60|100%
 8001/tcp|3|60.00|60|60|100.00%'
expect_eq "tshark -z iana,tree,tcp: the same counts for the TCP packets" "$got" "$want"
[ "$got" = "$want" ] || cat "$TMP/tree.out"

# Without a registry nothing is attributed: the four branches stay empty.
got=$(tree "$TMP/none.idx" | cut -d'|' -f1,2)
want='Services|0
Registry status|0
Reported unauthorized use|0
Unassigned System and User ports|0'
expect_eq "no registry: an empty tree, tshark still runs" "$got" "$want"

# The real registry: 8001/tcp and 1234/udp are assigned there (vcom-tunnel,
# search-agent), 7/udp is echo; https, finger and x11 count as above.
if [ -r "$REGISTRY_XML" ]; then
	cp "$REGISTRY_XML" "$TMP/real.xml" && ws_share
	tree "$TMP/real.xml" >"$TMP/real.rows"
	for row in ' https (tcp): 443|8|' ' vcom-tunnel (tcp): 8001|3|' ' search-agent (udp): 1234|2|' ' echo (udp): 7|1|' \
		' 79/tcp finger: Unauthorized use by some mail users (see [RFC4146] for details)|5|'; do
		if grep -qF -- "$row" "$TMP/real.rows"; then ok "real registry: $row"; else fail "real registry: no row '$row'"; fi
	done
	grep -q '^ 8001/tcp|' "$TMP/real.rows" && fail "real registry: 8001/tcp listed as unassigned" ||
		ok "real registry: 8001/tcp is not among the unassigned ports"
else
	echo "skip: the real-registry rows: $REGISTRY_XML not found (real registry data lives in ../shared)"
fi
finish
