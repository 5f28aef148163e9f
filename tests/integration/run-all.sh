#!/bin/sh
# run-all.sh - runs every tests/integration/test-*.sh and sums up.
# Each script exits 0 (pass), 77 (skip, after printing why) or anything else
# (fail).  Needs GEN_SERVICES (the built binary) and SHARED_DIR (../shared).
set -u
here=$(cd "$(dirname "$0")" && pwd)
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
