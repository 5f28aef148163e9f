#!/bin/sh
# run-all.sh - runs every tests/integration/test-*.sh and sums up.
# Each script exits 0 (pass), 77 (skip, after printing why) or anything else
# (fail).  Needs GEN_SERVICES (the built binary) and SHARED_DIR (../shared);
# SAN_BIN is set for a sanitized build (make check SANITIZE=1).
set -u
here=$(cd "$(dirname "$0")" && pwd)
# With SANITIZE=1 the Makefile sets SAN_BIN: wrappers that load the ASan
# runtime into programs that are not ours (getent, python3) before they load
# the sanitized NSS module, and a `cc` that compiles test helpers with the
# sanitizers.  They come first in PATH, so every test finds them.
if [ -n "${SAN_BIN:-}" ]; then
	PATH="$SAN_BIN:$PATH"
	CC="$SAN_BIN/cc"
	export PATH CC
fi
passed=0 failed=0 skipped=0 failures=""
for t in "$here"/test-*.sh; do
	name=$(basename "$t" .sh)
	echo "== $name"
	sh "$t"
	rc=$?
	case $rc in
	0) passed=$((passed + 1)); echo "PASS: $name" ;;
	77) skipped=$((skipped + 1)); echo "SKIP: $name" ;;
	*) failed=$((failed + 1)); failures="$failures $name"; echo "FAIL: $name (exit $rc)" ;;
	esac
done
[ -n "$failures" ] && echo "failed:$failures"
echo "integration: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
