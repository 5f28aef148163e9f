#!/bin/sh
# test-cli.sh - end-to-end behaviour of the gen-services binary on small
# hand-written registries: exit codes and messages, standard input,
# reproducible output and its header, --protocols, --ranges, --no-descriptions,
# the Wireshark format, --merge (and its idempotence), --check, and -o (atomic
# replacement keeping the mode, no temporary files left, the old file intact
# on failure, FIFOs, /dev/full, /dev/stdout; for the index format too: /dev/full,
# a read-only directory, a full file system).  Needs nothing from ../shared;
# the checks that need a private mount namespace (read-only directory, full
# file system) say so and are left out when unshare/mount are not permitted.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

cd "$TMP" || exit 1

# ---- helpers ---------------------------------------------------------------

# run WANT_RC LABEL ARGS...: gen-services ARGS, stdout in $TMP/out, stderr in
# $TMP/err; returns 1 (after a failure report) when the exit status differs.
run() {
	want=$1 label=$2
	shift 2
	"$GEN_SERVICES" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "$label: exit $got, want $want; stderr: $(head -c 600 "$TMP/err")"
		return 1
	fi
	ok "$label: exit $want"
}

# entries FILE: the service lines of a services-style file, whitespace runs
# made one space (column alignment is not part of the format).
entries() {
	grep -v '^#' "$1" | sed 's/[[:space:]][[:space:]]*/ /g; s/ $//' | grep -v '^$'
}

# expect_same LABEL GOT_FILE WANT_FILE
expect_same() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		fail "$1; diff -u want got:"
		diff -u "$3" "$2" | head -40
	fi
}

# expect_entries LABEL FILE: compare entries(FILE) with the lines on stdin.
expect_entries() {
	cat >"$TMP/want.entries"
	entries "$2" >"$TMP/got.entries"
	expect_same "$1" "$TMP/got.entries" "$TMP/want.entries"
}

# expect_names LABEL FILE: the same without the "# description" comments.
expect_names() {
	cat >"$TMP/want.entries"
	entries "$2" | sed 's/ *#.*//' >"$TMP/got.entries"
	expect_same "$1" "$TMP/got.entries" "$TMP/want.entries"
}

# only_files LABEL DIR NAMES...: DIR holds exactly NAMES (nothing temporary).
only_files() {
	label=$1 dir=$2
	shift 2
	got=$(ls -A "$dir" | sort | tr '\n' ' ')
	want=$(for f in "$@"; do echo "$f"; done | sort | tr '\n' ' ')
	expect_eq "$label" "$got" "$want"
}

mode_of() { stat -c %a "$1"; }

# ---- registries --------------------------------------------------------------

cat >small.xml <<'EOF'
<?xml version='1.0' encoding='UTF-8'?>
<registry xmlns="http://www.iana.org/assignments" id="service-names-port-numbers">
  <title>Service Name and Transport Protocol Port Number Registry</title>
  <updated>2026-08-17</updated>
  <record>
    <protocol>tcp</protocol>
    <description>Reserved</description>
    <number>0</number>
  </record>
  <record>
    <name>http</name>
    <protocol>tcp</protocol>
    <description>World Wide Web HTTP</description>
    <number>80</number>
  </record>
  <record>
    <name>http</name>
    <protocol>udp</protocol>
    <description>World Wide Web HTTP</description>
    <number>80</number>
  </record>
  <record>
    <name>msp</name>
    <protocol>tcp</protocol>
    <description>Message Send Protocol (historic)</description>
    <number>18</number>
  </record>
  <record>
    <name>www</name>
    <protocol>tcp</protocol>
    <description>World Wide Web HTTP</description>
    <number>80</number>
  </record>
  <record>
    <name>discard</name>
    <protocol>dccp</protocol>
    <description>Discard</description>
    <number>9</number>
    <sc>1145656131</sc>
  </record>
  <record>
    <name>www-http</name>
    <protocol>tcp</protocol>
    <description>World Wide Web HTTP</description>
    <number>80</number>
  </record>
  <record>
    <name>http</name>
    <protocol>tcp</protocol>
    <description>HTTP, once more</description>
    <number>80</number>
  </record>
  <record>
    <name>3par-mgmt-ssl</name>
    <protocol>tcp</protocol>
    <description>3PAR Management
      Service with SSL</description>
    <number>5783</number>
  </record>
  <record>
    <name>3par-mgmt-ssl</name>
    <protocol>udp</protocol>
    <description>3PAR Management Service with SSL</description>
    <number>5783</number>
  </record>
  <record>
    <name>x11</name>
    <protocol>tcp</protocol>
    <description>X Window System</description>
    <number>6000-6003</number>
  </record>
  <record>
    <name>x11</name>
    <protocol>udp</protocol>
    <description>X Window System</description>
    <number>6000-6003</number>
  </record>
  <record>
    <protocol>tcp</protocol>
    <description>Unassigned</description>
    <number>6004-6009</number>
  </record>
  <record>
    <name>https</name>
    <protocol>sctp</protocol>
    <description>HTTPS</description>
    <number>443</number>
  </record>
  <record>
    <name>msp</name>
    <protocol>tcp</protocol>
    <description>Message Send Protocol</description>
    <number>2438</number>
  </record>
  <record>
    <name>activeraid-ssl</name>
    <description>ActiveRAID SSL</description>
  </record>
  <people>
    <person id="Jon_Postel">
      <name>Jon Postel</name>
      <uri>mailto:postel&amp;isi.edu</uri>
      <updated>2006-11</updated>
    </person>
  </people>
</registry>
EOF

# The services(5) entries small.xml must give by default.
cat >default.entries <<'EOF'
http 80/tcp www www-http # World Wide Web HTTP
http 80/udp # World Wide Web HTTP
msp 18/tcp # Message Send Protocol (historic)
discard 9/dccp # Discard
3par-mgmt-ssl 5783/tcp # 3PAR Management Service with SSL
3par-mgmt-ssl 5783/udp # 3PAR Management Service with SSL
x11 6000/tcp # X Window System
x11 6000/udp # X Window System
https 443/sctp # HTTPS
msp 2438/tcp # Message Send Protocol
EOF

# Same shape, another date: the header must follow the registry.
sed 's|<updated>2026-08-17</updated>|<updated>2025-01-02</updated>|' small.xml >dated.xml

# The same services as IANA's CSV (format told apart by content).
cat >small.csv <<'EOF'
Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,Registration Date,Modification Date,Reference,Service Code,Unauthorized Use Reported,Assignment Notes
,0,tcp,Reserved,,,,,,,,
http,80,tcp,World Wide Web HTTP,[IESG],[IETF_Chair],,2021-10-01,[RFC9110],,,
www,80,tcp,World Wide Web HTTP,,,,,,,,
x11,6000-6003,tcp,"X Window
System",,,,,,,,
activeraid-ssl,,,ActiveRAID SSL,,,,,,,,
EOF

# Malformed: <record> closed by </registry> on line 4.
cat >bad.xml <<'EOF'
<registry xmlns="http://www.iana.org/assignments">
  <title>t</title>
  <record><name>a</name>
</registry>
EOF

# Well-formed but with a port out of range on line 8.
cat >badport.xml <<'EOF'
<registry xmlns="http://www.iana.org/assignments">
  <title>t</title>
  <updated>2026-08-17</updated>
  <record>
    <name>a</name>
    <protocol>tcp</protocol>
    <description>A</description>
    <number>70000</number>
  </record>
</registry>
EOF

# A bigger registry (a few hundred records) for the full-file-system check.
{
	echo '<registry xmlns="http://www.iana.org/assignments">'
	echo '  <title>Service Name and Transport Protocol Port Number Registry</title>'
	echo '  <updated>2026-08-17</updated>'
	i=1000
	while [ $i -lt 1400 ]; do
		printf '  <record>\n    <name>svc-%d</name>\n    <protocol>tcp</protocol>\n    <description>A service with a reasonably long description, number %d</description>\n    <number>%d</number>\n  </record>\n' $i $i $i
		i=$((i + 1))
	done
	echo '</registry>'
} >big.xml

# ---- exit codes and messages -------------------------------------------------

run 0 "registry file" small.xml && {
	cp out small.out
	expect_entries "entries of small.xml (canonical name, aliases, registry order, no nameless/port-less rows)" small.out <default.entries
}

run 2 "unknown option" --bogus small.xml && expect_grep "unknown option message names it" 'bogus' err
[ -s out ] && fail "unknown option: something was written to stdout"
run 2 "bad --format" --format xml small.xml && expect_grep "bad --format message names it" "xml" err
[ -s out ] && fail "bad --format: something was written to stdout"
run 2 "bad --protocols" --protocols tcp,icmp small.xml && expect_grep "bad --protocols message names it" 'icmp' err
run 2 "empty --protocols" --protocols '' small.xml
run 2 "bad --ranges" --ranges all small.xml
run 2 "missing registry file" "$TMP/no-such.xml" &&
	expect_grep "missing registry: message names the file and the reason" 'no-such\.xml.*No such file or directory' err
[ -s out ] && fail "missing registry: something was written to stdout"
mkdir adir
run 2 "directory as registry" adir && expect_grep "directory as registry: message names it" 'adir' err
[ -s out ] && fail "directory as registry: something was written to stdout"
run 2 "malformed XML" bad.xml && expect_grep "malformed XML: message has file:line (bad.xml:4)" '(^|[^a-z])bad\.xml:4(:[0-9]+)?:' err
[ -s out ] && fail "malformed XML: something was written to stdout"
run 2 "port out of range" badport.xml &&
	expect_grep "bad port: message has file:line (badport.xml:8) and the value" 'badport\.xml:8(:[0-9]+)?:.*70000' err
printf 'hello, world\n' >junk.txt
run 2 "not a registry" junk.txt && expect_grep "not a registry: message names the file" 'junk\.txt' err

# ---- input, determinism, header -------------------------------------------------

"$GEN_SERVICES" - <small.xml >stdin.out 2>"$TMP/err"
expect_eq "'-' reads standard input: exit" "$?" 0
entries stdin.out >stdin.entries
expect_same "'-': same entries as from the file" stdin.entries default.entries
expect_grep "'-': header says the source is standard input" '^#.*(standard input|stdin)' stdin.out

run 0 "second run" small.xml && expect_same "output byte-identical across two runs" out small.out
"$GEN_SERVICES" - <small.xml >stdin2.out 2>/dev/null
expect_same "output from stdin byte-identical across two runs" stdin2.out stdin.out

sed -n '/^[^#]/q;p' small.out >header.txt
expect_grep "header names the source file" '^#.*small\.xml' header.txt
expect_grep "header gives the registry's Last Updated date" '^#.*2026-08-17' header.txt
run 0 "registry dated 2025-01-02" dated.xml && {
	sed -n '/^[^#]/q;p' out >header2.txt
	expect_grep "header follows the registry's date" '^#.*2025-01-02' header2.txt
	expect_grep "header follows the registry's file name" '^#.*dated\.xml' header2.txt
}

run 0 "CSV registry" small.csv && expect_entries "CSV: same services view as XML" out <<'EOF'
http 80/tcp www # World Wide Web HTTP
x11 6000/tcp # X Window System
EOF

# ---- selection options -------------------------------------------------------

run 0 "--protocols tcp" --protocols tcp small.xml && expect_entries "--protocols tcp keeps only tcp lines" out <<'EOF'
http 80/tcp www www-http # World Wide Web HTTP
msp 18/tcp # Message Send Protocol (historic)
3par-mgmt-ssl 5783/tcp # 3PAR Management Service with SSL
x11 6000/tcp # X Window System
msp 2438/tcp # Message Send Protocol
EOF
run 0 "--protocols udp,sctp" --protocols udp,sctp small.xml && expect_entries "--protocols udp,sctp" out <<'EOF'
http 80/udp # World Wide Web HTTP
3par-mgmt-ssl 5783/udp # 3PAR Management Service with SSL
x11 6000/udp # X Window System
https 443/sctp # HTTPS
EOF

run 0 "--ranges first" --ranges first small.xml && expect_same "--ranges first is the default" out small.out
run 0 "--ranges expand" --ranges expand small.xml && expect_entries "--ranges expand writes every port of 6000-6003" out <<'EOF'
http 80/tcp www www-http # World Wide Web HTTP
http 80/udp # World Wide Web HTTP
msp 18/tcp # Message Send Protocol (historic)
discard 9/dccp # Discard
3par-mgmt-ssl 5783/tcp # 3PAR Management Service with SSL
3par-mgmt-ssl 5783/udp # 3PAR Management Service with SSL
x11 6000/tcp # X Window System
x11 6001/tcp # X Window System
x11 6002/tcp # X Window System
x11 6003/tcp # X Window System
x11 6000/udp # X Window System
x11 6001/udp # X Window System
x11 6002/udp # X Window System
x11 6003/udp # X Window System
https 443/sctp # HTTPS
msp 2438/tcp # Message Send Protocol
EOF
run 0 "--ranges skip" --ranges skip small.xml && grep -v '^x11 ' default.entries | expect_entries "--ranges skip leaves the range out" out

run 0 "--no-descriptions" --no-descriptions small.xml && {
	if entries out | grep -q '#'; then fail "--no-descriptions: an entry still has a comment"; else ok "--no-descriptions: no entry has a comment"; fi
	sed 's/ *#.*//' default.entries | expect_entries "--no-descriptions: same entries otherwise" out
}

run 0 "--format wireshark" --format wireshark small.xml && expect_names \
	"wireshark: protocols of a name and port merged (5783/tcp/udp), whole ranges (6000-6003/tcp/udp)" out <<'EOF'
http 80/tcp/udp
msp 18/tcp
discard 9/dccp
3par-mgmt-ssl 5783/tcp/udp
x11 6000-6003/tcp/udp
https 443/sctp
msp 2438/tcp
EOF
expect_grep "wireshark: descriptions as comments" '^3par-mgmt-ssl[[:space:]]+5783/tcp/udp[[:space:]]+# 3PAR Management Service with SSL$' out
run 0 "--format wireshark --protocols udp" --format wireshark --protocols udp small.xml && expect_names \
	"wireshark --protocols udp" out <<'EOF'
http 80/udp
3par-mgmt-ssl 5783/udp
x11 6000-6003/udp
EOF

# ---- --merge ----------------------------------------------------------------------

cat >local <<'EOF'
# site-local services
myweb           80/udp          # our own web service wins on 80/udp
www             8080/tcp        # takes the name www (on tcp) from 80/tcp
x11             7000/udp
EOF
run 0 "--merge LOCAL" --merge local small.xml && {
	cp out merged1
	missing=""
	while IFS= read -r line; do
		grep -qxF -- "$line" merged1 || missing="$missing [$line]"
	done <local
	if [ -z "$missing" ]; then ok "--merge: local lines kept verbatim"; else fail "--merge: local lines missing:$missing"; fi
	grep -v '^#' local >local.entries
	grep -v '^#' merged1 | grep -vxF -f local.entries >merged1.registry
	expect_entries "--merge: local entries win on the same port (80/udp) and name (www/tcp, x11/udp)" merged1.registry <<'EOF'
http 80/tcp www-http # World Wide Web HTTP
msp 18/tcp # Message Send Protocol (historic)
discard 9/dccp # Discard
3par-mgmt-ssl 5783/tcp # 3PAR Management Service with SSL
3par-mgmt-ssl 5783/udp # 3PAR Management Service with SSL
x11 6000/tcp # X Window System
https 443/sctp # HTTPS
msp 2438/tcp # Message Send Protocol
EOF
	first_local=$(grep -n -xF 'myweb           80/udp          # our own web service wins on 80/udp' merged1 | cut -d: -f1)
	first_registry=$(grep -n '^http[[:space:]]' merged1 | head -1 | cut -d: -f1)
	if [ -n "$first_local" ] && [ -n "$first_registry" ] && [ "$first_local" -lt "$first_registry" ]; then
		ok "--merge: local entries come before the registry's (glibc takes the first match)"
	else
		fail "--merge: local entries (line ${first_local:-?}) not before the registry's (line ${first_registry:-?})"
	fi
}
run 0 "--merge with the previous output" --merge merged1 small.xml && expect_same "--merge is idempotent (same bytes)" out merged1
cp merged1 inplace
run 0 "--merge FILE -o FILE" --merge inplace -o inplace small.xml && expect_same "regenerating in place keeps the local entries" inplace merged1
run 0 "--merge of a plain generated file" --merge small.out small.xml && {
	cp out plain-merged
	expect_entries "--merge of output without local entries: no entry added or lost" plain-merged <default.entries
	run 0 "--merge of that output" --merge plain-merged small.xml && expect_same "--merge from a plain file is idempotent" out plain-merged
}

# ---- --check ----------------------------------------------------------------------

run 0 "--check equal file" --check small.out small.xml && {
	if [ -s out ]; then fail "--check equal: printed something: $(head -c 300 out)"; else ok "--check equal: prints nothing"; fi
}
sed 's|^https .*|https 444/sctp|' small.out >different
cp different different.orig
run 1 "--check differing file" --check different small.xml && {
	expect_grep "--check: unified diff, --- line" '^--- ' out
	expect_grep "--check: unified diff, +++ line" '^\+\+\+ ' out
	expect_grep "--check: unified diff, hunk header" '^@@ -[0-9]+(,[0-9]+)? \+[0-9]+(,[0-9]+)? @@' out
	expect_grep "--check: diff removes the file's line" '^-https 444/sctp$' out
	expect_grep "--check: diff adds the registry's line" '^\+https[[:space:]]+443/sctp' out
	if grep -q '^[-+]http[[:space:]]' out; then fail "--check: diff shows unchanged lines as changed"; else ok "--check: diff shows only the change"; fi
}
expect_same "--check writes nothing to the checked file" different different.orig
run 2 "--check missing file" --check "$TMP/no-such" small.xml

# ---- -o -----------------------------------------------------------------------------

mkdir od
printf 'old contents\n' >od/services
chmod 640 od/services
cp od/services old.copy
exec 3<od/services # a reader of the old file, as a running program would be
run 0 "-o existing file" -o od/services small.xml && {
	expect_same "-o: file has the output" od/services small.out
	if [ -s out ]; then fail "-o: something also went to stdout"; else ok "-o: nothing on stdout"; fi
	expect_eq "-o: mode 640 kept" "$(mode_of od/services)" 640
	expect_eq "-o: replaced atomically (a reader of the old file still sees it whole)" "$(cat <&3)" "old contents"
	only_files "-o: no temporary file left beside it" od services
}
exec 3<&-
run 0 "-o new file" -o od/new small.xml && {
	expect_same "-o new file: has the output" od/new small.out
	only_files "-o new file: no temporary file left" od services new
}
run 0 "-o same output again" -o od/services small.xml && expect_same "-o twice: byte-identical" od/services small.out

# (a) malformed registry: the old file stays.
cp od/services before
run 2 "-o with a malformed registry" -o od/services bad.xml && {
	expect_same "-o, malformed registry: old file untouched" od/services before
	expect_eq "-o, malformed registry: mode untouched" "$(mode_of od/services)" 640
	only_files "-o, malformed registry: no temporary file" od services new
}
run 2 "-o with a missing registry" -o od/services "$TMP/no-such.xml" &&
	expect_same "-o, missing registry: old file untouched" od/services before

# (b) /dev/full
if [ -c /dev/full ]; then
	run 2 "-o /dev/full" -o /dev/full small.xml &&
		expect_grep "-o /dev/full: message names /dev/full and ENOSPC" '/dev/full.*No space left on device' err
else
	echo "skip: /dev/full not present"
fi

# (c) a directory that cannot be written, and a file system that fills up.
if can_unshare; then
	mkdir rodir
	printf 'old read-only contents\n' >rodir/services
	cp rodir/services rodir.copy
	unshare -m sh -c 'mount --bind -o ro "$1" "$1" || exit 125
		if touch "$1/probe" 2>/dev/null; then exit 124; fi
		"$2" -o "$1/services" "$3" >"$4.out" 2>"$4.err"' sh "$TMP/rodir" "$GEN_SERVICES" "$TMP/small.xml" "$TMP/ro"
	rc=$?
	case $rc in
	124 | 125) echo "skip: read-only bind mount not effective here (exit $rc)" ;;
	*)
		expect_eq "-o into a read-only directory: exit 2" "$rc" 2
		expect_grep "-o into a read-only directory: message names the place and the reason" 'rodir.*Read-only file system' ro.err
		expect_same "-o into a read-only directory: old file untouched" rodir/services rodir.copy
		only_files "-o into a read-only directory: nothing added" rodir services
		;;
	esac

	mkdir fulldir
	unshare -m sh -c 'mount -t tmpfs -o size=8k none "$1" || exit 125
		printf "old full-fs contents\n" >"$1/services" && chmod 640 "$1/services" || exit 125
		"$2" -o "$1/services" "$3" >"$4.out" 2>"$4.err"
		rc=$?
		cat "$1/services" >"$4.contents"
		stat -c %a "$1/services" >"$4.mode"
		ls -A "$1" >"$4.ls"
		exit $rc' sh "$TMP/fulldir" "$GEN_SERVICES" "$TMP/big.xml" "$TMP/full"
	rc=$?
	if [ $rc -eq 125 ]; then
		echo "skip: cannot mount a small tmpfs"
	else
		expect_eq "-o on a full file system: exit 2" "$rc" 2
		expect_grep "-o on a full file system: message says No space left on device" 'No space left on device' full.err
		expect_eq "-o on a full file system: old file untouched" "$(cat full.contents)" "old full-fs contents"
		expect_eq "-o on a full file system: mode untouched" "$(cat full.mode)" 640
		expect_eq "-o on a full file system: temporary file removed" "$(cat full.ls)" services
	fi
elif command -v setpriv >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	# Root ignores permissions: drop to nobody instead, on a root-owned 755 dir.
	mkdir rodir
	printf 'old read-only contents\n' >rodir/services
	cp rodir/services rodir.copy
	chmod 755 "$TMP" rodir
	chmod 644 small.xml rodir/services
	setpriv --reuid=65534 --regid=65534 --clear-groups "$GEN_SERVICES" -o rodir/services small.xml >ro.out 2>ro.err
	rc=$?
	expect_eq "-o into an unwritable directory (as nobody): exit 2" "$rc" 2
	expect_grep "-o into an unwritable directory: message names the place and the reason" 'rodir.*Permission denied' ro.err
	expect_same "-o into an unwritable directory: old file untouched" rodir/services rodir.copy
	only_files "-o into an unwritable directory: nothing added" rodir services
	chmod 700 "$TMP"
else
	echo "skip: unwritable-directory and full-file-system checks need unshare -m (or setpriv as root)"
fi

# (c2) The same write errors for the binary index (--format index): a
# clear message and exit 2, the old index untouched byte for byte, no
# temporary file left.
run 2 "--format index -o /dev/full" --format index -o /dev/full small.xml &&
	expect_grep "--format index -o /dev/full: message names /dev/full and ENOSPC" '/dev/full.*No space left on device' err
mkdir idxdir
"$GEN_SERVICES" -q --format index -o idxdir/services.idx dated.xml 2>/dev/null
cp idxdir/services.idx idx.copy
if can_unshare; then
	unshare -m sh -c 'mount --bind -o ro "$1" "$1" || exit 125
		if touch "$1/probe" 2>/dev/null; then exit 124; fi
		"$2" --format index -o "$1/services.idx" "$3" >"$4.out" 2>"$4.err"' sh "$TMP/idxdir" "$GEN_SERVICES" "$TMP/small.xml" "$TMP/idxro"
	rc=$?
	case $rc in
	124 | 125) echo "skip: read-only bind mount not effective here (exit $rc)" ;;
	*)
		expect_eq "--format index -o into a read-only directory: exit 2" "$rc" 2
		expect_grep "--format index -o into a read-only directory: message names the place and the reason" \
			'idxdir.*Read-only file system' idxro.err
		expect_same "--format index -o into a read-only directory: old index untouched" idxdir/services.idx idx.copy
		only_files "--format index -o into a read-only directory: nothing added" idxdir services.idx
		;;
	esac
	unshare -m sh -c 'mount -t tmpfs -o size=8k none "$1" || exit 125
		printf "old index\n" >"$1/services.idx" || exit 125
		"$2" --format index -o "$1/services.idx" "$3" >"$4.out" 2>"$4.err"
		rc=$?
		cat "$1/services.idx" >"$4.contents"
		ls -A "$1" >"$4.ls"
		exit $rc' sh "$TMP/idxdir" "$GEN_SERVICES" "$TMP/big.xml" "$TMP/idxfull"
	rc=$?
	if [ $rc -eq 125 ]; then
		echo "skip: cannot mount a small tmpfs"
	else
		expect_eq "--format index -o on a full file system: exit 2" "$rc" 2
		expect_grep "--format index -o on a full file system: message says No space left on device" \
			'No space left on device' idxfull.err
		expect_eq "--format index -o on a full file system: old index untouched" "$(cat idxfull.contents)" "old index"
		expect_eq "--format index -o on a full file system: temporary file removed" "$(cat idxfull.ls)" services.idx
	fi
elif command -v setpriv >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	chmod 755 "$TMP" idxdir
	chmod 644 small.xml idxdir/services.idx
	setpriv --reuid=65534 --regid=65534 --clear-groups "$GEN_SERVICES" --format index -o idxdir/services.idx small.xml \
		>idxro.out 2>idxro.err
	rc=$?
	expect_eq "--format index -o into an unwritable directory (as nobody): exit 2" "$rc" 2
	expect_grep "--format index -o into an unwritable directory: message names the place and the reason" \
		'idxdir.*Permission denied' idxro.err
	expect_same "--format index -o into an unwritable directory: old index untouched" idxdir/services.idx idx.copy
	only_files "--format index -o into an unwritable directory: nothing added" idxdir services.idx
	chmod 700 "$TMP"
else
	echo "skip: index write-error checks need unshare -m (or setpriv as root)"
fi

# (d) a FIFO is written in place and stays a FIFO.
if command -v mkfifo >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1; then
	mkfifo od/fifo
	timeout 20 cat od/fifo >fifo.read &
	reader=$!
	timeout 20 "$GEN_SERVICES" -o od/fifo small.xml >/dev/null 2>fifo.err
	rc=$?
	wait $reader
	expect_eq "-o FIFO: exit 0" "$rc" 0
	expect_same "-o FIFO: the reader got the output" fifo.read small.out
	if [ -p od/fifo ]; then ok "-o FIFO: still a FIFO"; else fail "-o FIFO: no longer a FIFO"; fi
	only_files "-o FIFO: no temporary file" od services new fifo
else
	echo "skip: FIFO check needs mkfifo and timeout"
fi

# (e) /dev/stdout, to a pipe and to a file shared with other writers.
if [ -e /dev/stdout ]; then
	{ "$GEN_SERVICES" -o /dev/stdout small.xml 2>devstdout.err; echo $? >devstdout.rc; } | cat >devstdout.out
	expect_eq "-o /dev/stdout into a pipe: exit status and stderr" \
		"exit $(cat devstdout.rc)$(test -s devstdout.err && echo ", stderr: $(cat devstdout.err)")" "exit 0"
	expect_same "-o /dev/stdout into a pipe: output" devstdout.out small.out
	{
		echo "before"
		"$GEN_SERVICES" -o /dev/stdout small.xml 2>devstdout2.err
		echo "rc=$?"
	} >devstdout2.out
	{ echo before; cat small.out; echo rc=0; } >devstdout2.want
	expect_same "-o /dev/stdout into a redirected file: written where stdout is, nothing else lost" devstdout2.out devstdout2.want
fi

finish
