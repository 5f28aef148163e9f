# lib.sh - sourced by the integration tests: a private temporary directory,
# assertions, and access to the real registry data in ../shared (tests that
# need it skip, with a message, when it is absent).
set -u
: "${GEN_SERVICES:?GEN_SERVICES must name the built gen-services}"
: "${SHARED_DIR:=../shared}"
: "${PYTHON:=python3}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/iana-it.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
FAILS=0
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
