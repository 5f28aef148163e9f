# lib.sh - sourced by the integration tests (after they set $here): a
# private temporary directory, assertions, the hand-written fixtures, the
# real registry data in ../shared (checks that are about the full registry
# skip, saying so, when it is absent), and mount-namespace helpers.
set -u
: "${GEN_SERVICES:?GEN_SERVICES must name the built gen-services}"
: "${SHARED_DIR:=../shared}"
: "${PYTHON:=python3}"
# Files the tests make are not group-writable, whatever the caller's umask:
# the NSS module refuses an index that is (nss-iana(8)).
umask 022
TMP=$(mktemp -d "${TMPDIR:-/tmp}/iana-it.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
FAILS=0
FIXTURES=$(cd "$here/../fixtures" && pwd)
REGISTRY_XML="$SHARED_DIR/registry/service-names-port-numbers.xml"
REGISTRY_XML_2024="$SHARED_DIR/registry/service-names-port-numbers-2024-03-18.xml"
REGISTRY_CSV_2024="$SHARED_DIR/registry/service-names-port-numbers-2024-06.csv"

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*"; }
need_file() { [ -r "$1" ] || skip "$1 not found (real registry data lives in ../shared beside the checkout)"; }
# expect_eq WHAT GOT WANT
expect_eq() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: got '$2', want '$3'"; fi; }
finish() { [ "$FAILS" -eq 0 ] || { echo "$FAILS check(s) failed"; exit 1; }; exit 0; }
# need_real FILE WHAT: skip the rest of the script, saying WHAT needed the
# real registry, when FILE (from ../shared) is absent.
need_real() { [ -r "$1" ] || skip "$2 needs the real registry $1 (../shared beside the checkout), absent here"; }
# expect_grep LABEL PATTERN FILE: FILE has a line matching PATTERN, an
# extended regular expression (grep -E).
expect_grep() {
	if grep -Eq -- "$2" "$3"; then ok "$1"; else fail "$1: no line matching /$2/ in: $(head -c 600 "$3")"; fi
}
# expect_no_grep LABEL PATTERN FILE: no line of FILE matches PATTERN (grep -E).
expect_no_grep() {
	if grep -Eq -- "$2" "$3"; then fail "$1: a line matches /$2/: $(grep -E -m 1 -- "$2" "$3")"; else ok "$1"; fi
}
# is_root: the tests run as root (some checks need it, and skip alone).
is_root() { [ "$(id -u)" -eq 0 ]; }
# can_unshare: a private mount namespace with mounts is available (root,
# or CAP_SYS_ADMIN in a container that permits unshare).
can_unshare() {
	command -v unshare >/dev/null 2>&1 || return 1
	mkdir -p "$TMP/unshare-probe"
	unshare -m sh -c 'mount -t tmpfs none "$1"' sh "$TMP/unshare-probe" 2>/dev/null
}
# nsswitch_with SOURCE FILE: FILE is /etc/nsswitch.conf with its services
# line saying SOURCE.
nsswitch_with() {
	grep -v '^[[:space:]]*services[[:space:]]*:' /etc/nsswitch.conf >"$2"
	echo "services: $1" >>"$2"
}
# in_ns SERVICES NSSWITCH CMD ARGS...: run CMD in a private mount namespace
# where /etc/services is SERVICES and, unless NSSWITCH is empty,
# /etc/nsswitch.conf is NSSWITCH.  A running nscd would answer from its
# cache, so its socket is hidden.  Exit 125 when a mount fails.
in_ns() {
	unshare -m sh -c '
		services=$1 nsswitch=$2
		shift 2
		mount --bind "$services" /etc/services || exit 125
		if [ -n "$nsswitch" ]; then mount --bind "$nsswitch" /etc/nsswitch.conf || exit 125; fi
		for d in /run/nscd /var/run/nscd; do
			if [ -S "$d/socket" ]; then mount -t tmpfs none "$d" || exit 125; fi
		done
		exec "$@"' in_ns "$@"
}
