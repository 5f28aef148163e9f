#!/bin/sh
# test-update.sh - update-iana-services against a local HTTP server
# (http_fixture_server.py on 127.0.0.1), installing into a private data
# directory named by NSS_IANA_REGISTRY / NSS_IANA_INDEX and regenerating a
# private services file with --services --merge, from an "old" (2024-03-18)
# and a "new" (2026-08-17) registry: the real ones in ../shared when it has
# them, else the hand-written tests/fixtures/update-old.xml and
# update-new.xml:
#   first install; unchanged (304, nothing written); a truncated transfer;
#   a truncated but complete body; HTML error pages with 200 and 500; 404;
#   a redirect loop;
#   a read-only data directory, an unprivileged user, an unwritable services
#   directory, a full file system; a newer registry (installed, index
#   rebuilt, the changes printed, the index renamed first: rename_probe.c);
#   an older registry (refused, then --force); the conditional-request
#   state never causing a wrong skip; a missing, stale or unrecorded index
#   and an edited services file rebuilt; --reindex after the registry was
#   replaced by hand; two updates at once; SIGTERM during the
#   download; a server that is down; an HTTPS server whose certificate does
#   not verify; file:// and a redirect.
# After each step the installed registry, index and services file are
# compared byte for byte with what gen-services makes directly from the
# expected registry, the index records that registry (gen-services
# --check), and the NSS module from the build tree answers from the
# expected version (bencher 6610/tcp exists only in the new registry,
# fox-skytale 4319/tcp only in the old).  Failures must print one line,
# exit 2 and leave every file as it was (inode, size, mtime, listing).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

: "${NSS_MODULE_DIR:=}"
: "${CC:=cc}"
: "${UPDATER:=$(dirname "$GEN_SERVICES")/update-iana-services}"
[ -x "$UPDATER" ] || skip "update-iana-services not built ($UPDATER)"
if [ -r "$REGISTRY_XML" ] && [ -r "$REGISTRY_XML_2024" ]; then
	old_xml=$REGISTRY_XML_2024 new_xml=$REGISTRY_XML
	echo "note: the real registries of ../shared"
else
	old_xml="$FIXTURES/update-old.xml" new_xml="$FIXTURES/update-new.xml"
	echo "note: ../shared has no real registries: the fixtures update-old.xml and update-new.xml"
fi
command -v "$PYTHON" >/dev/null 2>&1 || skip "no $PYTHON for the HTTP fixture server"
command -v mkfifo >/dev/null 2>&1 || skip "mkfifo not installed"
command -v timeout >/dev/null 2>&1 || skip "timeout (coreutils) not installed"
have_nss=false
if [ -n "$NSS_MODULE_DIR" ] && [ -r "$NSS_MODULE_DIR/libnss_iana.so.2" ] && command -v getent >/dev/null 2>&1; then
	have_nss=true
else
	echo "note: libnss_iana.so.2 or getent missing: the NSS module's answers are not checked"
fi

# The fixture server is on 127.0.0.1: no proxy in between.
unset http_proxy https_proxy HTTPS_PROXY all_proxy ALL_PROXY
cd "$TMP" || exit 1
data="$TMP/data" etc="$TMP/etc" srv="$TMP/srv"
mkdir "$data" "$etc" "$srv"
export NSS_IANA_REGISTRY="$data/service-names-port-numbers.xml"
export NSS_IANA_INDEX="$data/services.idx"
services="$etc/services" local="$etc/services.local"
printf 'myapp\t\t7777/tcp\t# a site-local service\n' >"$local"
# The distribution's file: the first regeneration keeps it as services.dist
# and merges it (gen-services/services_base.h), so the expected files do too.
stock='# the distribution services file, to be replaced\nssh 22/tcp\n'
printf "$stock" >"$services"

# ---- helpers

# one_line LABEL FILE: a failure says why in exactly one line
one_line() {
	expect_eq "$1: one line on stderr" "$(wc -l <"$2" | tr -d ' ')" 1
	echo "  said: $(cat "$2")"
}

# want/NAME/: what an install of registry FILE must leave, made directly.
expected() {
	mkdir -p "$TMP/want-$1"
	cp "$2" "$TMP/want-$1/service-names-port-numbers.xml"
	printf "$stock" >"$TMP/want-$1/services"
	"$GEN_SERVICES" -q --format index -o "$TMP/want-$1/services.idx" "$TMP/want-$1/service-names-port-numbers.xml" &&
		"$GEN_SERVICES" -q --merge "$local" -o "$TMP/want-$1/services" "$TMP/want-$1/service-names-port-numbers.xml" ||
		fail "cannot make the expected files for $1"
}
expected old "$old_xml"
expected new "$new_xml"
printf '<registry xmlns="http://www.iana.org/assignments"><updated>2001-01-01</updated></registry>\n' >"$TMP/empty.xml"
old_assignments=$("$GEN_SERVICES" -q --diff "$TMP/empty.xml" "$old_xml" | sed -n 's/^\([0-9]*\) added.*/\1/p')

# installed_is LABEL NAME: the installed files are want-NAME's, and the
# NSS module answers from that version.
installed_is() {
	bad=""
	cmp -s "$NSS_IANA_REGISTRY" "$TMP/want-$2/service-names-port-numbers.xml" || bad="$bad registry"
	cmp -s "$NSS_IANA_INDEX" "$TMP/want-$2/services.idx" || bad="$bad index"
	cmp -s "$services" "$TMP/want-$2/services" || bad="$bad services"
	if [ -z "$bad" ]; then ok "$1: registry, index and services file are the $2 ones"; else fail "$1: not the $2 ones:$bad"; fi
	$have_nss || return 0
	nss() { LD_LIBRARY_PATH="$NSS_MODULE_DIR" getent -s services:iana services "$1" | tr -s ' \t' ' '; }
	if [ "$2" = new ]; then
		expect_eq "$1: NSS module answers bencher (new)" "$(nss bencher)" "bencher 6610/tcp"
		expect_eq "$1: NSS module does not know fox-skytale (old)" "$(nss fox-skytale)" ""
	else
		expect_eq "$1: NSS module answers fox-skytale (old)" "$(nss fox-skytale)" "fox-skytale 4319/tcp"
		expect_eq "$1: NSS module does not know bencher (new)" "$(nss bencher)" ""
	fi
}
# records LABEL: the index records the installed registry as its source.
records() {
	if "$GEN_SERVICES" -q --format index --check "$NSS_IANA_INDEX" "$NSS_IANA_REGISTRY" >"$TMP/check.out" 2>&1; then
		ok "$1: the index records the installed registry"
	else
		fail "$1: gen-services --check of the index: $(cat "$TMP/check.out")"
	fi
}

# Every file of the data and etc directories: name, inode, size, mtime, mode.
snapshot() { (cd "$TMP" && ls -A data etc && stat -c '%n %i %s %y %a' data/* etc/*) }
# unchanged LABEL: the files are as snapshot SNAP found them.
unchanged() {
	snapshot >"$TMP/snap.now"
	if cmp -s "$TMP/snap.before" "$TMP/snap.now"; then ok "$1: nothing on disk changed"
	else fail "$1: files changed: $(diff "$TMP/snap.before" "$TMP/snap.now" | tr '\n' ' ')"; fi
}

server_pid=""
# start_server [CERT KEY]: the fixture server (HTTPS with CERT and KEY);
# sets server_pid, port and base.
start_server() {
	rm -f "$TMP/port.fifo"
	mkfifo "$TMP/port.fifo"
	"$PYTHON" "$here/http_fixture_server.py" "$srv" "$TMP/server.log" "$@" >"$TMP/port.fifo" 2>"$TMP/server.err" &
	server_pid=$!
	read -r port <"$TMP/port.fifo"
	rm -f "$TMP/port.fifo"
	[ -n "$port" ] || { cat "$TMP/server.err"; fail "the fixture server did not start"; finish; }
	base="http${1:+s}://127.0.0.1:$port"
}
stop_server() { [ -z "$server_pid" ] || { kill "$server_pid"; wait "$server_pid" 2>/dev/null; server_pid=""; }; }
trap 'stop_server; rm -rf "$TMP"' EXIT
# (the copy is removed first: ../shared's files are read-only, and cp keeps
# that mode, which only root may write over)
serve() { rm -f "$srv/registry.xml" && cp "$1" "$srv/registry.xml"; }
last_request() { tail -n 1 "$TMP/server.log"; }

# update ARGS...: update-iana-services --services --merge ARGS, output in
# out and err, exit status in $rc.
update() {
	"$UPDATER" --services "$services" --merge "$local" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
}
# failed_step LABEL PATTERN ARGS...: the update fails, says PATTERN in one
# line, changes nothing, and the old installation still answers.
failed_step() {
	label=$1 pattern=$2 version=$3
	shift 3
	snapshot >"$TMP/snap.before"
	update "$@"
	expect_eq "$label: exit 2" "$rc" 2
	one_line "$label" "$TMP/err"
	expect_grep "$label: says why" "$pattern" "$TMP/err"
	expect_grep "$label: says nothing changed" "nothing changed" "$TMP/err"
	unchanged "$label"
	installed_is "$label" "$version"
}

# ---- only update-iana-services links libcurl
if command -v readelf >/dev/null 2>&1; then
	needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' '; }
	case $(needed "$UPDATER") in *libcurl*) ok "update-iana-services links libcurl" ;; *) fail "update-iana-services does not link libcurl" ;; esac
	case $(needed "$GEN_SERVICES") in *curl*) fail "gen-services links libcurl" ;; *) ok "gen-services does not link libcurl" ;; esac
	if [ -r "$NSS_MODULE_DIR/libnss_iana.so.2" ]; then
		case $(needed "$NSS_MODULE_DIR/libnss_iana.so.2") in *curl*) fail "libnss_iana.so.2 links libcurl" ;; *) ok "libnss_iana.so.2 does not link libcurl" ;; esac
	fi
fi
LD_DEBUG=files "$GEN_SERVICES" -q -o "$TMP/plain.services" "$new_xml" 2>"$TMP/ld.log"
expect_no_grep "a gen-services run loads no libcurl" 'file=libcurl' "$TMP/ld.log"

# ---- usage
for args in "$new_xml" "-o $TMP/x" "--merge $local" "--reindex --url http://127.0.0.1:1/x" "--reindex --force" \
	"--diff" "--format json" "-p tcp,icmp --services $services"; do
	# shellcheck disable=SC2086
	"$UPDATER" $args >"$TMP/out" 2>"$TMP/err"
	expect_eq "usage error: update-iana-services $args" "$?" 2
done
"$GEN_SERVICES" --update >"$TMP/out" 2>"$TMP/err"
expect_eq "gen-services --update: a usage error" "$?" 2
expect_grep "gen-services --update: says where it went" 'update-iana-services' "$TMP/err"
for args in "--url http://127.0.0.1:1/x" "--services $services" "--force"; do
	# shellcheck disable=SC2086
	"$GEN_SERVICES" $args "$new_xml" >"$TMP/out" 2>"$TMP/err"
	expect_eq "usage error: gen-services $args" "$?" 2
done
"$UPDATER" --reindex >"$TMP/out" 2>"$TMP/err"
expect_eq "--reindex with no registry installed: exit 2" "$?" 2
expect_grep "--reindex with no registry installed: says so" "no registry is installed at $NSS_IANA_REGISTRY" "$TMP/err"

start_server
url="$base/files/registry.xml"

# ---- 1. first install
serve "$old_xml"
update --url "$url"
expect_eq "first install: exit 0" "$rc" 0
expect_grep "first install: says updated" "^updated: registry Last Updated 2024-03-18, from $url \\(none was installed\\)" "$TMP/out"
expect_grep "first install: counts" "^assignments: $old_assignments added, 0 removed, 0 changed" "$TMP/out"
records "first install"
expect_eq "first install: request unconditional" "$(last_request)" "GET /files/registry.xml inm=- ims=- status=200 body=$(wc -c <"$old_xml" | tr -d ' ')"
installed_is "first install" old
expect_eq "first install: data directory" "$(ls -A "$data" | tr '\n' ' ')" \
	"service-names-port-numbers.xml service-names-port-numbers.xml.lock service-names-port-numbers.xml.state services.idx "
expect_eq "first install: modes" "$(stat -c %a "$NSS_IANA_REGISTRY" "$NSS_IANA_INDEX" | tr '\n' ' ')" "644 644 "

# ---- 2. unchanged: one conditional request, 304, nothing written
snapshot >"$TMP/snap.before"
update --url "$url" -v
expect_eq "unchanged: exit 0" "$rc" 0
expect_grep "unchanged: says already current" "^already current: registry Last Updated 2024-03-18 \\($url: HTTP 304 Not Modified\\)" "$TMP/out"
expect_eq "unchanged: stderr empty" "$(cat "$TMP/err")" ""
case $(last_request) in
'GET /files/registry.xml inm="'*'" ims='*' status=304 body=0') ok "unchanged: If-None-Match sent, 304 answered" ;;
*) fail "unchanged: request was $(last_request)" ;;
esac
unchanged "unchanged"
echo "measured: 304 update: $(sed -n 's/^fetched [^ ]*: //p' "$TMP/out")"

# ---- 3. bad downloads: nothing changes
serve "$new_xml"
failed_step "truncated transfer" "cannot fetch $base/truncate/registry.xml: .*(partial|closed)" old --url "$base/truncate/registry.xml"
failed_step "truncated body" "not a valid registry" old --url "$base/cut/registry.xml"
failed_step "HTML page with 200" "is an HTML page, not the registry" old --url "$base/html200/registry.xml"
failed_step "HTML page with 500" "HTTP 500 Internal Server Error" old --url "$base/html500/registry.xml"
failed_step "404" "HTTP 404 Not Found" old --url "$base/files/missing.xml"
failed_step "redirect loop" "Number of redirects hit maximum amount" old --url "$base/loop/registry.xml"
printf '<registry xmlns="http://www.iana.org/assignments" id="protocol-numbers"><title>Protocol Numbers</title><updated>2099-01-01</updated></registry>\n' >"$srv/other.xml"
failed_step "another IANA registry" 'not the service names registry \(its title is "Protocol Numbers"\)' old --url "$base/files/other.xml"

# ---- 4. targets that cannot be written
if can_unshare; then
	# read-only data directory
	snapshot >"$TMP/snap.before"
	unshare -m sh -c 'mount --bind -o ro "$1" "$1" || exit 125
		shift; "$@"' sh "$data" "$UPDATER" --url "$url" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	expect_eq "read-only data directory: exit 2" "$rc" 2
	one_line "read-only data directory" "$TMP/err"
	expect_grep "read-only data directory: says why" "Read-only file system; nothing changed" "$TMP/err"
	unchanged "read-only data directory"
	installed_is "read-only data directory" old

	# read-only services directory: fails after the download, before any rename
	snapshot >"$TMP/snap.before"
	unshare -m sh -c 'mount --bind -o ro "$1" "$1" || exit 125
		shift; "$@"' sh "$etc" "$UPDATER" --url "$url" --services "$services" --merge "$local" \
		>"$TMP/out" 2>"$TMP/err"
	rc=$?
	expect_eq "read-only services directory: exit 2" "$rc" 2
	one_line "read-only services directory" "$TMP/err"
	expect_grep "read-only services directory: says why" "cannot create a temporary file in $etc.*Read-only file system; nothing changed" "$TMP/err"
	unchanged "read-only services directory"
	installed_is "read-only services directory" old

	# a full file system: the old installation on a tmpfs with no room for the new
	full="$TMP/full"
	mkdir "$full"
	# Room for the installed files' pages and not one more.
	size=0
	for f in "$NSS_IANA_REGISTRY" "$NSS_IANA_INDEX" "$NSS_IANA_REGISTRY.state"; do
		size=$((size + ($(wc -c <"$f") + 4095) / 4096 * 4))
	done
	unshare -m sh -c 'mount -t tmpfs -o size="$2"k none "$1" || exit 125
		cp -p "$NSS_IANA_REGISTRY" "$NSS_IANA_INDEX" "$NSS_IANA_REGISTRY.state" "$NSS_IANA_REGISTRY.lock" "$1/" || exit 125
		cd "$1" && ls -A >"$3.before" && cksum * >>"$3.before"
		NSS_IANA_REGISTRY="$1/service-names-port-numbers.xml" NSS_IANA_INDEX="$1/services.idx" \
			"$4" --url "$5" >"$3.out" 2>"$3.err"
		rc=$?
		ls -A >"$3.after" && cksum * >>"$3.after"
		exit $rc' sh "$full" "$size" "$TMP/full" "$UPDATER" "$url"
	rc=$?
	if [ $rc -eq 125 ]; then
		echo "skip: cannot mount a small tmpfs"
	else
		expect_eq "full file system: exit 2" "$rc" 2
		one_line "full file system" "$TMP/full.err"
		expect_grep "full file system: says why" "cannot write the download to .*No space left on device; nothing changed" "$TMP/full.err"
		if cmp -s "$TMP/full.before" "$TMP/full.after"; then ok "full file system: nothing changed, no temporary file left"
		else fail "full file system: $(diff "$TMP/full.before" "$TMP/full.after" | tr '\n' ' ')"; fi
	fi
else
	echo "skip: read-only and full file system checks need unshare -m"
fi
if command -v setpriv >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	chmod 755 "$TMP" "$data" "$etc"
	snapshot >"$TMP/snap.before"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$UPDATER" --url "$url" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	chmod 700 "$TMP"
	expect_eq "unprivileged user: exit 2" "$rc" 2
	one_line "unprivileged user" "$TMP/err"
	expect_grep "unprivileged user: says why" "Permission denied; nothing changed" "$TMP/err"
	unchanged "unprivileged user"
else
	echo "skip: the unprivileged-user check needs setpriv and root"
fi

# ---- 5. a newer registry: installed, the changes printed, the index first
probe=""
if command -v "$CC" >/dev/null 2>&1 &&
	"$CC" -std=gnu11 -O2 -shared -fPIC -o "$TMP/rename_probe.so" "$here/rename_probe.c" -ldl 2>"$TMP/cc.err"; then
	probe="$TMP/rename_probe.so"
else
	echo "note: cannot build rename_probe.c: the install order is not observed"
fi
"$GEN_SERVICES" -q --diff -v "$old_xml" "$new_xml" | sed 1,2d >"$TMP/diff.want"
rm -f "$TMP/renames"
# Under make check SANITIZE=1 the probe is preloaded before the ASan runtime
# gen-services links: tell ASan that order is meant.
RENAME_PROBE_LOG="$TMP/renames" LD_PRELOAD="$probe" \
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	"$UPDATER" --url "$url" --services "$services" --merge "$local" -v >"$TMP/out" 2>"$TMP/err"
rc=$?
expect_eq "newer registry: exit 0" "$rc" 0
expect_grep "newer registry: says updated" "^updated: registry Last Updated 2024-03-18 -> 2026-08-17, from $url" "$TMP/out"
expect_grep "newer registry: says installed" "^installed: $NSS_IANA_INDEX, $NSS_IANA_REGISTRY, $services" "$TMP/out"
sed -n '/^assignments: /,$p' "$TMP/out" | sed 's/^assignments: //' >"$TMP/diff.got"
if cmp -s "$TMP/diff.got" "$TMP/diff.want"; then ok "newer registry: the changes printed are --diff -v's ($(head -n 1 "$TMP/diff.want"))"
else fail "newer registry: changes differ from --diff -v: $(diff "$TMP/diff.want" "$TMP/diff.got" | head -5 | tr '\n' ' ')"; fi
case $(last_request) in
'GET /files/registry.xml inm="'*'" ims='*' status=200 '*) ok "newer registry: conditional request, 200" ;;
*) fail "newer registry: request was $(last_request)" ;;
esac
installed_is "newer registry" new
records "newer registry"
echo "measured: full update: $(sed -n 's/^fetched [^ ]*: //p' "$TMP/out")"
if [ -n "$probe" ]; then
	expect_eq "newer registry: renames in order, the index first" "$(cat "$TMP/renames")" \
		"$NSS_IANA_INDEX index=2026-08-17 registry=2024-03-18
$NSS_IANA_REGISTRY index=2026-08-17 registry=2026-08-17
$services index=2026-08-17 registry=2026-08-17
$NSS_IANA_REGISTRY.state index=2026-08-17 registry=2026-08-17"
fi

# ---- 6. an older registry: refused; installed with --force; and back
serve "$old_xml"
failed_step "older registry" "is older than the installed registry \\(Last Updated 2026-08-17\\); --force" new --url "$url"
update --url "$url" --force
expect_eq "older registry with --force: exit 0" "$rc" 0
expect_grep "older registry with --force: says so" "^updated: registry Last Updated 2026-08-17 -> 2024-03-18 \\(older: --force\\)" "$TMP/out"
expect_eq "--force: request unconditional" "$(last_request | cut -d' ' -f3)" "inm=-"
installed_is "older registry with --force" old
serve "$new_xml"
update --url "$url"
expect_eq "back to the newer registry: exit 0" "$rc" 0
installed_is "back to the newer registry" new

# ---- 7. the state never makes a wrong skip
rm "$NSS_IANA_REGISTRY"
update --url "$url"
expect_eq "installed registry removed: exit 0" "$rc" 0
expect_eq "installed registry removed: request unconditional" "$(last_request | cut -d' ' -f3,5)" "inm=- status=200"
installed_is "installed registry removed" new
cp "$old_xml" "$NSS_IANA_REGISTRY" # replaced by hand, the state left as it was
update --url "$url"
expect_eq "registry replaced by hand: exit 0" "$rc" 0
expect_eq "registry replaced by hand: request unconditional" "$(last_request | cut -d' ' -f3,5)" "inm=- status=200"
installed_is "registry replaced by hand" new
printf 'url %s\netag "x\nregistry-size banana\n' "$url" >"$NSS_IANA_REGISTRY.state"
update --url "$url"
expect_eq "garbled state: exit 0" "$rc" 0
expect_eq "garbled state: request unconditional" "$(last_request | cut -d' ' -f3)" "inm=-"
expect_grep "garbled state: already current (same bytes)" "^already current: .*identical to the installed one" "$TMP/out"
update --url "$url"
expect_eq "state rewritten: conditional again, 304" "$(last_request | cut -d' ' -f5)" "status=304"

# ---- 8. current, but the index missing, stale or unrecorded, or the services file edited
rm "$NSS_IANA_INDEX"
update --url "$url"
expect_eq "index missing: exit 0" "$rc" 0
expect_grep "index missing: rebuilt" "^rebuilt: $NSS_IANA_INDEX \\(it was missing\\)" "$TMP/out"
installed_is "index missing" new
cp "$TMP/want-old/services.idx" "$NSS_IANA_INDEX"
"$GEN_SERVICES" -q --format index --check "$NSS_IANA_INDEX" "$NSS_IANA_REGISTRY" >"$TMP/check.out" 2>&1
expect_eq "gen-services --check of a stale index: exit 1" "$?" 1
expect_grep "gen-services --check of a stale index: says stale, with both registries" \
	"^$NSS_IANA_INDEX: stale: built from a registry of [0-9]+ bytes, CRC-32 [0-9a-f]{8}; $NSS_IANA_REGISTRY has" "$TMP/check.out"
update --url "$url"
expect_grep "stale index: rebuilt, saying so" "^rebuilt: $NSS_IANA_INDEX \\(it was stale: built from another registry\\)" "$TMP/out"
installed_is "stale index" new
# An index of a previous format (3 or 4) still answers, and is rewritten.
for v in 3 4; do
	cp "$FIXTURES/xml-full-v$v.idx" "$NSS_IANA_INDEX"
	update --url "$url"
	expect_grep "an index of format $v: rebuilt" "^rebuilt: $NSS_IANA_INDEX \\(it was written in an older index format\\)" "$TMP/out"
	installed_is "an index of format $v" new
done
# An index built from standard input records no registry.
"$GEN_SERVICES" -q --format index -o "$NSS_IANA_INDEX" - <"$NSS_IANA_REGISTRY"
update --url "$url"
expect_grep "an index that records no registry: rebuilt" "^rebuilt: $NSS_IANA_INDEX \\(it did not record its registry\\)" "$TMP/out"
installed_is "an index that records no registry" new
echo "# edited by hand" >>"$services"
touch -d '2001-01-01' "$services" # its time says nothing: its contents decide
update --url "$url"
expect_grep "services file edited: rebuilt" "^rebuilt: $services" "$TMP/out"
installed_is "services file edited" new
snapshot >"$TMP/snap.before"
update --url "$url"
expect_grep "then current: nothing rebuilt" "^already current" "$TMP/out"
expect_no_grep "then current: nothing rebuilt (no rebuilt line)" "^rebuilt" "$TMP/out"
unchanged "then current"

# ---- 8b. --reindex: the registry replaced by hand, the index follows
cp "$old_xml" "$NSS_IANA_REGISTRY"
"$UPDATER" --reindex --services "$services" --merge "$local" >"$TMP/out" 2>"$TMP/err"
expect_eq "--reindex after the registry was replaced by hand: exit 0" "$?" 0
expect_grep "--reindex: says the index was stale" "^rebuilt: $NSS_IANA_INDEX \\(it was stale: built from another registry\\)" "$TMP/out"
expect_grep "--reindex: rebuilt the services file" "^rebuilt: $services" "$TMP/out"
cmp -s "$NSS_IANA_INDEX" "$TMP/want-old/services.idx" && ok "--reindex: the index is the old registry's" ||
	fail "--reindex: the index is not the old registry's"
records "--reindex"
snapshot >"$TMP/snap.before"
"$UPDATER" --reindex --services "$services" --merge "$local" -v >"$TMP/out" 2>"$TMP/err"
expect_eq "--reindex again: exit 0" "$?" 0
expect_grep "--reindex again: says current" "^current: $NSS_IANA_INDEX" "$TMP/out"
unchanged "--reindex again"
cp "$new_xml" "$NSS_IANA_REGISTRY"
"$UPDATER" --reindex --services "$services" --merge "$local" >"$TMP/out" 2>"$TMP/err"
installed_is "--reindex back to the new registry" new

# ---- 8c. what an update killed with SIGKILL left is removed by the next
# (only its own temporary files, older than a minute; leftovers.h)
for f in "$data/.service-names-port-numbers.xml.Ab12Cd" "$data/.services.idx.zZ9yY8" \
	"$data/.service-names-port-numbers.xml.state.Qw3Er4" "$etc/.services.Ty5Ui6"; do
	echo leftover >"$f" && touch -d '2 hours ago' "$f"
done
echo fresh >"$data/.services.idx.Fr3sh1"                      # being written by someone now
echo other >"$data/.services.idx.Ab12Cd.keep" && touch -d '2 hours ago' "$data/.services.idx.Ab12Cd.keep"
echo other >"$data/.unrelated.Ab12Cd" && touch -d '2 hours ago' "$data/.unrelated.Ab12Cd"
"$UPDATER" --reindex -v --services "$services" --merge "$local" >"$TMP/out" 2>"$TMP/err"
expect_eq "leftovers: --reindex exit 0" "$?" 0
left=$(cd "$TMP" && ls -A data etc | grep '^\.' | sort | tr '\n' ' ')
expect_eq "leftovers: the killed update's temporary files are gone, nothing else" "$left" \
	".services.idx.Ab12Cd.keep .services.idx.Fr3sh1 .unrelated.Ab12Cd "
expect_eq "leftovers: -v names each one removed" "$(grep -c '^removed: .*(left by an update that was killed)$' "$TMP/out")" 4
rm -f "$data/.services.idx.Fr3sh1" "$data/.services.idx.Ab12Cd.keep" "$data/.unrelated.Ab12Cd"

# ---- 8d. a running nscd is told its services cache is stale when a new
# index is installed, and only then: a stand-in nscd on PATH records its
# arguments (exit 0: an nscd runs; exit 1: installed, not running)
mkdir -p "$TMP/fake-nscd"
printf '#!/bin/sh\necho "$*" >>"%s"\nexit ${FAKE_NSCD_RC:-0}\n' "$TMP/nscd.calls" >"$TMP/fake-nscd/nscd"
chmod +x "$TMP/fake-nscd/nscd"
cp "$old_xml" "$NSS_IANA_REGISTRY"
PATH="$TMP/fake-nscd:$PATH" "$UPDATER" --reindex -v >"$TMP/out" 2>"$TMP/err"
expect_eq "nscd: reindex exit 0" "$?" 0
expect_eq "nscd: told to drop its services cache once" "$(cat "$TMP/nscd.calls" 2>/dev/null)" "-i services"
expect_grep "nscd: -v says so" "^invalidated: nscd's services cache \\(nscd -i services\\)$" "$TMP/out"
rm -f "$TMP/nscd.calls"
PATH="$TMP/fake-nscd:$PATH" "$UPDATER" --reindex -v >"$TMP/out" 2>"$TMP/err"
expect_eq "nscd: nothing rebuilt, nothing invalidated" "$(cat "$TMP/nscd.calls" 2>/dev/null)" ""
cp "$new_xml" "$NSS_IANA_REGISTRY"
PATH="$TMP/fake-nscd:$PATH" FAKE_NSCD_RC=1 "$UPDATER" --reindex -v >"$TMP/out" 2>"$TMP/err"
expect_eq "nscd not running: the reindex still succeeds" "$?" 0
expect_eq "nscd not running: asked once" "$(cat "$TMP/nscd.calls" 2>/dev/null)" "-i services"
expect_no_grep "nscd not running: nothing claimed" "^invalidated:" "$TMP/out"
expect_eq "nscd not running: nothing on stderr" "$(cat "$TMP/err")" ""

# ---- 9. file:// and a redirect
update --url "file://$old_xml" --force
expect_eq "file:// URL: exit 0" "$rc" 0
installed_is "file:// URL" old
update --url "file://$new_xml"
expect_eq "file:// URL, newer: exit 0" "$rc" 0
installed_is "file:// URL, newer" new
snapshot >"$TMP/snap.before"
update --url "$base/redirect/registry.xml"
expect_eq "redirect: exit 0" "$rc" 0
expect_grep "redirect: followed, already current" "^already current: .*identical to the installed one" "$TMP/out"
installed_is "redirect" new

# ---- 10. two updates at once: the second refuses while the first holds the lock
serve "$old_xml"
mkfifo "$srv/gate.arrived" "$srv/gate.release"
update_bg() { "$UPDATER" --force --url "$base/gate/registry.xml" --services "$services" --merge "$local" >"$TMP/a.out" 2>"$TMP/a.err"; }
update_bg &
first=$!
if timeout 300 sh -c 'read -r line <"$1"' sh "$srv/gate.arrived"; then
	snapshot >"$TMP/snap.before"
	update --url "$url"
	expect_eq "second update while the first runs: exit 2" "$rc" 2
	one_line "second update while the first runs" "$TMP/err"
	expect_grep "second update: says another update runs" "another update-iana-services is running \\(it holds $NSS_IANA_REGISTRY.lock\\); nothing changed" "$TMP/err"
	unchanged "second update while the first runs"
	echo go >"$srv/gate.release"
else
	fail "the first update never reached the server"
	kill "$first" 2>/dev/null
fi
wait "$first"
expect_eq "first update, released: exit 0" "$?" 0
installed_is "first of two updates" old

# ---- 11. stopped by SIGTERM in the middle of the download: dies of it, nothing left
serve "$new_xml"
snapshot >"$TMP/snap.before"
"$UPDATER" --url "$base/gate/registry.xml" >"$TMP/out" 2>"$TMP/err" &
victim=$!
if timeout 300 sh -c 'read -r line <"$1"' sh "$srv/gate.arrived"; then
	kill -TERM "$victim"
	wait "$victim"
	expect_eq "SIGTERM during the download: dies of SIGTERM" "$?" 143
	one_line "SIGTERM during the download" "$TMP/err"
	expect_grep "SIGTERM during the download: says why" "was interrupted; nothing changed" "$TMP/err"
	unchanged "SIGTERM during the download"
	echo go >"$srv/gate.release" # let the server's handler finish
else
	fail "the update never reached the server"
	kill "$victim" 2>/dev/null
fi
installed_is "SIGTERM during the download" old

# ---- 12. the server is down
stop_server
serve "$new_xml"
# (our words and the URL; what follows is curl's, worded by its release)
failed_step "server down" "cannot fetch $url: ." old --url "$url"

# ---- 13. TLS is verified: a self-signed certificate is refused
if command -v openssl >/dev/null 2>&1 &&
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
		-keyout "$TMP/tls.key" -out "$TMP/tls.crt" >"$TMP/openssl.out" 2>&1; then
	start_server "$TMP/tls.crt" "$TMP/tls.key"
	failed_step "self-signed HTTPS server" "cannot fetch $base/files/registry.xml: .*certificate" old \
		--url "$base/files/registry.xml"
	stop_server
else
	echo "note: openssl cannot make a certificate: TLS verification not checked"
fi

finish
