#!/bin/sh
# test-nss-stress.sh - the NSS module libnss_iana.so.2 under concurrency,
# through nss_stress.c (its top comment tells how answers are checked):
#  - threads: 16 threads look up, and one more enumerates, while the index
#    is replaced 100 times by rename(), alternately by two versions that
#    answer some keys differently; each replacement is waited for until all
#    16 threads have answered from it.  Every answer must be one version's
#    whole answer, every enumeration one version's whole enumeration, and
#    each thread must see exactly 100 changes of version;
#  - forks: children forked while 16 threads look up and one enumerates
#    inside the module, and while the index is being replaced; each child
#    looks up and enumerates through glibc and must answer right;
#  - exit: processes calling exit() while their threads look up and
#    enumerate (the module's destructor runs under them);
#  - with the real registry's index (when ../shared has it): threads while
#    it is replaced by the fixture's, so that mappings of different sizes
#    follow each other;
#  - ThreadSanitizer: the same runs, shorter, with the module and the
#    client built with -fsanitize=thread (make builds them into
#    $NSS_TSAN_DIR; skipped with a note when it could not).  With
#    NSS_TSAN_FULL=1 (make tsan-check) only the ThreadSanitizer runs are
#    made, at full length.
# Hangs are caught by a watchdog (`timeout`), never by timed assertions.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/nss-setup.sh"

: "${NSS_TSAN_DIR:=}"
: "${NSS_TSAN_FULL:=}"

# run_stress WHAT with_index FILE CMD...: one nss_stress run.
run_stress() {
	rs_what=$1 rs_env=$2 rs_file=$3
	shift 3
	if out=$("$rs_env" "$rs_file" watchdog 600 "$@" 2>&1); then
		ok "$rs_what: $(printf '%s\n' "$out" | tail -n 1)"
	else
		fail "$rs_what:"
		printf '%s\n' "$out" | head -n 40
	fi
}

# suite LABEL THREADS REPLACEMENTS FORKS EXITS FULL_REPLACEMENTS: every run,
# with $stress and $module_dir.
suite() {
	p=${1:+$1 } threads=$2 replacements=$3 forks=$4 exits=$5 full_replacements=$6
	run_stress "${p}threads" with_index "$TMP/live.idx" \
		"$stress" replace "$threads" "$replacements" "$TMP/live.idx" "$index_a" "$index_b"
	# With no lookup thread the destructor often finds the enumerating
	# thread between two calls, and frees under it if it may.
	run_stress "${p}exit, one thread enumerating" with_index "$TMP/live.idx" \
		"$stress" exit 0 "$exits" "$TMP/live.idx" "$index_a" "$index_b"
	run_stress "${p}exit, threads looking up too" with_index "$TMP/live.idx" \
		"$stress" exit 2 "$((exits / 4 + 1))" "$TMP/live.idx" "$index_a" "$index_b"
	if [ -n "$index_full" ]; then
		run_stress "${p}threads (the real registry's index and the fixture's)" with_index "$TMP/live.idx" \
			"$stress" replace 4 "$full_replacements" "$TMP/live.idx" "$index_full" "$index_b"
	fi
	# LeakSanitizer (a module built with make SANITIZE=1) cannot see, in a
	# child forked from a threaded process, what the parent's other
	# threads hold in their thread-local storage (libxml2's per-thread
	# state, say): it calls that leaked.  Not in the forks runs, then.
	if [ -n "$module_preload" ]; then
		asan_options_saved=${ASAN_OPTIONS-}
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"  # last one wins
		export ASAN_OPTIONS
	fi
	run_stress "${p}forks" with_index "$TMP/live.idx" \
		"$stress" fork "$threads" "$forks" "$TMP/live.idx" "$index_a" "$index_b"
	[ -n "$module_preload" ] && ASAN_OPTIONS=$asan_options_saved
	[ -n "$index_full" ] || echo "note: ${p}the real registry's index is not stressed: $REGISTRY_XML (../shared) is absent"
}

if [ -z "$NSS_TSAN_FULL" ]; then
	suite "" 16 100 50 300 4
fi

# ---- ThreadSanitizer
tsan_module="$NSS_TSAN_DIR/libnss_iana.so.2"
if [ -z "$NSS_TSAN_DIR" ] || [ ! -r "$tsan_module" ] || [ ! -x "$NSS_TSAN_DIR/nss_stress" ]; then
	msg="no ThreadSanitizer build of the module and nss_stress (NSS_TSAN_DIR='$NSS_TSAN_DIR'; make builds them when \$(CC) has -fsanitize=thread)"
	[ -n "$NSS_TSAN_FULL" ] && skip "$msg"
	echo "note: $msg: ThreadSanitizer runs skipped"
	finish
fi
module_dir=$NSS_TSAN_DIR
module_preload=""
stress="$NSS_TSAN_DIR/nss_stress"
# halt_on_error: the first report fails the run; exitcode 66 says it was TSan.
TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}"
export TSAN_OPTIONS
# (After a fork from a threaded process TSan checks nothing in the child:
# the forks runs check the parent's threads.)
if [ -n "$NSS_TSAN_FULL" ]; then
	suite "tsan:" 16 100 20 10 2
else
	suite "tsan:" 4 20 3 2 1
fi
finish
