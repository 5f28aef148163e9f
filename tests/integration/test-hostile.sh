#!/bin/sh
# test-hostile.sh - hostile input: each must give a clear error (exit 2, a
# message with its location saying what is wrong, nothing written) within
# bounded memory, never a crash:
#  - XML: elements nested 100,000 deep (in a field, at the top, in another
#    namespace), a 20 MB attribute, "billion laughs" entities (in text, in
#    an attribute, in a person id), a 100 MB description (one line, and
#    1.4 million lines), invalid UTF-8 (a stray byte, a cut sequence, an
#    overlong form, a UTF-16 surrogate), an entity in an attribute;
#  - CSV: an unterminated quote, small and 50 MB long;
#  - the services index: every offset of every table pointing outside the
#    file (behind a valid checksum), and table sizes pointing outside it,
#    read by the NSS module through getent.
# Memory is bounded with prlimit --as (address space) on gen-services; in
# a sanitized build (SAN_BIN set) ASan's hard_rss_limit_mb does it instead,
# ASan needing terabytes of address space.  Hitting the bound shows as an
# "out of memory" failure, which the message checks refuse.  Inputs are
# generated into pipes, never stored.  No timing is asserted.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

cd "$TMP" || exit 1
command -v prlimit >/dev/null 2>&1 || [ -n "${SAN_BIN:-}" ] ||
	skip "prlimit (util-linux) not installed: cannot bound memory"

# bounded MB CMD...: CMD with at most MB megabytes of memory.
bounded() {
	mb=$1
	shift
	if [ -n "${SAN_BIN:-}" ]; then
		# resident memory, plus what ASan itself keeps (shadow, quarantine)
		ASAN_OPTIONS="${ASAN_OPTIONS:-}:hard_rss_limit_mb=$((mb * 2)):quarantine_size_mb=16" "$@"
	else
		prlimit --as=$((mb * 1024 * 1024)) -- "$@"
	fi
}

# hostile LABEL MB PATTERN GENERATOR: gen-services reads the hostile
# registry GENERATOR writes (through a pipe, never stored) with at most MB
# megabytes, and must exit 2 with a message matching PATTERN (an extended
# regular expression, which should include the location), write nothing,
# and not blame memory.
hostile() {
	label=$1 mb=$2 pattern=$3 generator=$4
	rm -f out.services
	"$generator" | bounded "$mb" "$GEN_SERVICES" -o out.services - >stdout.txt 2>stderr.txt
	rc=$?
	msg=$(head -c 400 stderr.txt)
	if [ $rc -ne 2 ]; then
		fail "$label: exit $rc, want 2: $msg"
	elif grep -qi 'out of memory' stderr.txt; then
		fail "$label: ran out of memory within $mb MB: $msg"
	elif ! grep -Eq -- "$pattern" stderr.txt; then
		fail "$label: no message matching /$pattern/ in: $msg"
	elif [ -e out.services ] || [ -s stdout.txt ]; then
		fail "$label: something was written"
	else
		ok "$label: exit 2 within $mb MB: $(head -n 1 stderr.txt | cut -c1-150)"
	fi
}

# repeat N TEXT: TEXT N times.
repeat() { yes "$2" | head -n "$1" | tr -d '\n'; }
# bytes N CHAR: N times the byte CHAR.
bytes() { head -c "$1" /dev/zero | tr '\0' "$2"; }

NS='http://www.iana.org/assignments'
RECORD_START="<registry xmlns=\"$NS\">
<record><name>a</name><protocol>tcp</protocol><number>1</number>"

# ---- deeply nested elements ---------------------------------------------------

nested_description() {
	echo "$RECORD_START"
	printf '<description>'
	repeat 100000 '<b>'
	repeat 100000 '</b>'
	echo '</description></record></registry>'
}
nested_records() { echo "<registry xmlns=\"$NS\">"; repeat 100000 '<record>'; repeat 100000 '</record>'; echo '</registry>'; }
nested_foreign() {
	echo "<registry xmlns=\"$NS\">"
	repeat 100000 '<o:x xmlns:o="urn:other">'
	repeat 100000 '</o:x>'
	echo '</registry>'
}
hostile "100,000 nested elements in a description" 128 '^<stdin>:3:[0-9]+: error: elements nested too deep' nested_description
hostile "100,000 nested records" 128 '^<stdin>:2:[0-9]+: error: elements nested too deep' nested_records
hostile "100,000 nested elements of another namespace" 128 '^<stdin>:2:[0-9]+: error: elements nested too deep' nested_foreign

# ---- huge attributes ------------------------------------------------------------
# A registry's tags are short; libxml2 2.9 needs time quadratic in the
# number of attributes of a tag: the loader refuses long tags (xml_guard.c).

huge_attribute() {
	echo "<registry xmlns=\"$NS\">"
	printf '<record date="'
	bytes 20000000 1
	echo '"><name>a</name></record></registry>'
}
many_attributes() {
	echo "<registry xmlns=\"$NS\">"
	printf '<record'
	seq 1 400000 | sed 's/.*/ a&="1"/' | tr -d '\n'
	echo '><name>a</name></record></registry>'
}
many_namespaces() {
	echo "<registry xmlns=\"$NS\">"
	for i in $(seq 1 100); do
		printf '<o:x%s' "$i"
		seq 1 100 | sed "s/.*/ xmlns:n$i-&=\"urn:&\"/" | tr -d '\n'
		printf ' xmlns:o="urn:o">'
	done
	repeat 1000000 '<o:y/>'
	echo '</registry>'
}
hostile "a 20 MB attribute" 128 '^<stdin>:2:1: error: a tag longer than 8192 bytes' huge_attribute
hostile "400,000 attributes on one element" 128 '^<stdin>:2:1: error: a tag longer than 8192 bytes' many_attributes
hostile "10,000 namespaces declared in open elements" 128 \
	'^<stdin>:2:[0-9]+: error: the start tags of the elements open here add up to more than 8192 bytes' many_namespaces

# ---- billion laughs -------------------------------------------------------------

laughs_dtd() {
	echo '<?xml version="1.0"?>'
	echo '<!DOCTYPE registry ['
	echo ' <!ENTITY lol "lol">'
	prev=lol
	for i in 1 2 3 4 5 6 7 8 9; do
		echo " <!ENTITY lol$i \"$(repeat 10 "&$prev;")\">"
		prev=lol$i
	done
	echo ']>'
}
laughs_description() { laughs_dtd; echo "$RECORD_START<description>&lol9;</description></record></registry>"; }
laughs_attribute() { laughs_dtd; echo "<registry xmlns=\"$NS\"><record date=\"&lol9;\"><name>a</name></record></registry>"; }
laughs_person() { laughs_dtd; echo "<registry xmlns=\"$NS\"><people><person id=\"&lol9;\"/></people></registry>"; }
entity_attribute() {
	echo '<!DOCTYPE registry [ <!ENTITY e "rfc6335"> ]>'
	echo "$RECORD_START<xref type=\"rfc\" data=\"&e;\"/></record></registry>"
}
hostile "billion laughs in a description" 128 '^<stdin>:15:[0-9]+: error: entity expansion refused' laughs_description
hostile "billion laughs in an attribute" 128 '^<stdin>:14:[0-9]+: error: entity expansion refused' laughs_attribute
hostile "billion laughs in a person id" 128 '^<stdin>:14:[0-9]+: error: entity expansion refused' laughs_person
hostile "an entity in an attribute (never expanded)" 128 \
	'^<stdin>:3: error: entity reference &e; in attribute data is not expanded' entity_attribute

# ---- a 100 MB description ----------------------------------------------------------
# Streamed: 128 MB of address space is less than the input (and libxml2's
# share of the libraries), so it cannot all be held at once.

long_description() {
	echo "$RECORD_START"
	printf '<description>'
	bytes 100000000 d
	echo '</description></record></registry>'
}
long_description_lines() {
	echo "$RECORD_START"
	printf '<description>'
	bytes 100000000 d | fold -w 70
	echo '</description></record></registry>'
}
hostile "a 100 MB description on one line" 128 '^<stdin>:3:[0-9]+: error: text over the XML parser.s limit' long_description
hostile "a 100 MB description on 1.4 million lines" 128 '^<stdin>:[0-9]{6,}:[0-9]+: error: text over the XML parser.s limit' \
	long_description_lines

# ---- invalid UTF-8 ------------------------------------------------------------------

utf8_stray() { printf '%s\n<description>a\377b</description></record></registry>\n' "$RECORD_START"; }
utf8_cut() { printf '%s\n<description>caf\303</description></record></registry>\n' "$RECORD_START"; }
utf8_overlong() { printf '%s\n<description>a\300\257b</description></record></registry>\n' "$RECORD_START"; }
utf8_surrogate() { printf '%s\n<description>a\355\240\200b</description></record></registry>\n' "$RECORD_START"; }
hostile "invalid UTF-8: a stray 0xFF" 128 '^<stdin>:3:[0-9]+: error: invalid UTF-8 or a character XML does not allow' utf8_stray
hostile "invalid UTF-8: a sequence cut short" 128 '^<stdin>:3:[0-9]+: error: invalid UTF-8 or a character XML does not allow' utf8_cut
hostile "invalid UTF-8: an overlong '/'" 128 '^<stdin>:3:[0-9]+: error: invalid UTF-8 or a character XML does not allow' utf8_overlong
hostile "invalid UTF-8: a UTF-16 surrogate" 128 '^<stdin>:3:[0-9]+: error: invalid UTF-8 or a character XML does not allow' utf8_surrogate

# ---- CSV: an unterminated quote -------------------------------------------------------

CSV_HEADER='Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,Registration Date,Modification Date,Reference,Service Code,Unauthorized Use Reported,Assignment Notes'
csv_unterminated() {
	echo "$CSV_HEADER"
	echo ',4,udp,Unassigned,,,,,,,,'
	echo 'b,2,tcp,"never closed,,,,,,,,'
	echo ',0,tcp,Reserved,,,,,,,,'
}
csv_unterminated_long() { echo "$CSV_HEADER"; printf 'b,2,tcp,"'; bytes 50000000 d | fold -w 70; }
hostile "CSV: an unterminated quote" 128 '^<stdin>:3:9: error: unterminated quoted field' csv_unterminated
# The CSV parser holds the whole input: bounded by a small multiple of it.
hostile "CSV: an unterminated quote 50 MB long" 256 '^<stdin>:2:9: error: unterminated quoted field' csv_unterminated_long

# ---- the services index ---------------------------------------------------------------
# An index whose every entry, alias, name row and port row points outside
# its tables (and outside the file), sealed with a valid checksum: the
# reader takes it (its layout is sound) and must answer "not found"
# everywhere without reading out of bounds (ASan watches in a sanitized
# build); one whose table sizes run past the file is refused at open.

: "${NSS_MODULE_DIR:=}"
if [ -z "$NSS_MODULE_DIR" ] || [ ! -r "$NSS_MODULE_DIR/libnss_iana.so.2" ]; then
	echo "skip: the hostile index needs libnss_iana.so.2 (NSS_MODULE_DIR='$NSS_MODULE_DIR')"
elif ! command -v getent >/dev/null 2>&1 || ! "$PYTHON" -c 'import struct, zlib' 2>/dev/null; then
	echo "skip: the hostile index needs getent and $PYTHON"
else
	cat >small.xml <<EOF
<registry xmlns="$NS">
  <updated>2026-08-17</updated>
  <record><name>ssh</name><protocol>tcp</protocol><description>SSH</description><number>22</number></record>
  <record><name>http</name><protocol>tcp</protocol><description>WWW</description><number>80</number></record>
  <record><name>www</name><protocol>tcp</protocol><description>WWW</description><number>80</number></record>
  <record><name>x11</name><protocol>tcp</protocol><description>X</description><number>6000-6063</number></record>
</registry>
EOF
	if ! "$GEN_SERVICES" -q --format index -o good.idx small.xml 2>gen.err; then
		fail "gen-services --format index: $(head -c 300 gen.err)"
	else
		"$PYTHON" - good.idx outside.idx toolong.idx <<'EOF'
import struct, sys, zlib
data = bytearray(open(sys.argv[1], 'rb').read())
HDR = struct.Struct('=8sIIIIQHBBIIIIII12x')
(magic, version, order, hsize, crc, total, y, m, d,
 n_entries, n_aliases, n_names, n_ports, n_ranges, strings_size) = HDR.unpack_from(data, 0)
far = 0xfffffff0
at = hsize
for i in range(n_entries):
    if version >= 4:  # name text (16 bytes), name, aliases, n_aliases, ports, protocol, status
        struct.pack_into('=IIH', data, at + 16, far, far, 0xffff)
        at += 32
    else:  # name, description, aliases, n_aliases, ports, protocol, status, unauthorized
        name, desc, aliases, n_al, first, last, proto, status, unauth = struct.unpack_from('=IIIHHHBBI', data, at)
        struct.pack_into('=IIIHHHBBI', data, at, far, far - 1, far, 0xffff, first, last, proto, status, far)
        at += 24
for i in range(n_aliases):
    struct.pack_into('=I', data, at, far); at += 4
for i in range(n_names):     # hash, name, entry
    h, = struct.unpack_from('=I', data, at)
    struct.pack_into('=III', data, at, h, far, far); at += 12
for i in range(n_ports + n_ranges):  # first, last, entry
    first, last, entry = struct.unpack_from('=HHI', data, at)
    struct.pack_into('=HHI', data, at, first, last, far); at += 8
def seal(b):
    struct.pack_into('=I', b, 20, zlib.crc32(bytes(b[hsize:])) & 0xffffffff)
    return b
open(sys.argv[2], 'wb').write(seal(data))
# table sizes that run far past the end of the file
bad = bytearray(open(sys.argv[1], 'rb').read())
struct.pack_into('=I', bad, 36, 0x7fffffff)   # n_entries
open(sys.argv[3], 'wb').write(seal(bad))
EOF
		nss() {
			LD_LIBRARY_PATH="$NSS_MODULE_DIR" NSS_IANA_INDEX="$1" getent -s services:iana services ${2:+"$2"}
		}
		expect_eq "the index before damage answers ssh" "$(nss good.idx ssh | tr -s ' ')" "ssh 22/tcp"
		for key in ssh 22/tcp http/tcp www 80/tcp 6005/tcp x11 nothing; do
			out=$(nss outside.idx "$key" 2>&1)
			expect_eq "every offset outside the file: getent $key says not found" "$?:$out" "2:"
		done
		expect_eq "every offset outside the file: enumeration lists nothing" "$(nss outside.idx 2>&1)" ""
		out=$(nss toolong.idx ssh 2>&1)
		expect_eq "table sizes past the end of the file: refused, getent ssh unavailable" "$?:$out" "2:"
	fi
fi

finish
