#!/bin/sh
# test-nss-valgrind.sh - the NSS module libnss_iana.so.2 under valgrind's
# memcheck, through glibc as programs use it:
#  - nss_client.c: by name, by port, a miss; ERANGE at every buffer size by
#    name and by port (buffers allocated to the exact size, so a write past
#    the end is seen); getservent_r with buffers grown on ERANGE;
#    setservent/getservent/endservent cycles (whole, abandoned, empty);
#  - nss_stress.c, short: threads while the index is replaced (the old
#    indexes are kept until exit, then freed by the module's destructor),
#    forks, exit() while threads are inside the module;
#  - no usable index (missing, corrupt): UNAVAIL, with nothing leaked.
# Passing means zero errors and zero leaks of every kind, "still reachable"
# included, so that memory the module forgets to free at exit (a retired
# index, say) fails; valgrind.supp lets through only the dynamic loader's
# one-time allocations, each saying why it is not the module's.  The exit() runs check errors only (their threads still run
# when the process ends, holding what they hold).
# Skips when valgrind is not installed (tools/install-deps installs it).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
command -v valgrind >/dev/null 2>&1 ||
	skip "valgrind not installed (tools/install-deps installs it): the module is not checked under memcheck"
. "$here/nss-setup.sh"
[ -z "$module_preload" ] ||
	skip "the module is built with AddressSanitizer (make SANITIZE=1), which valgrind cannot run"

# Errors, and leaks of every kind, make valgrind exit 99.
# --keep-debuginfo: glibc unloads the module at exit, before the leak
# report; the suppressions match its frames by object.
# --fair-sched: valgrind runs one thread at a time, and its default lock
# lets threads that never block (nss_stress's lookup threads) take it back
# again and again: the main thread, waiting in pthread_create() or for a
# condition, was starved for good (the stress runs "hung", 5 runs out of 5
# on an idle machine).  The fair lock hands it round; each run then takes
# seconds.  "try": where valgrind has no fair lock, the default one.
vg_common="-q --error-exitcode=99 --keep-debuginfo=yes --num-callers=40 --fair-sched=try --suppressions=$here/valgrind.supp"
vg_leaks="--leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all"

# vg WHAT WANT_OUTPUT|- with_index FILE CMD...: CMD under
# memcheck must exit $vg_status (0 unless set), printing WANT_OUTPUT
# (unless -), with no error and no leak.
vg_status=0
vg() {
	vg_run "$1" "$2" "$vg_leaks" "$@"
}
# vg_run WHAT WANT VALGRIND_OPTIONS WHAT WANT with_index FILE CMD...
vg_run() {
	vr_what=$1 vr_want=$2 vr_opts=$3 vr_env=$6 vr_file=$7
	shift 7
	# shellcheck disable=SC2086
	"$vr_env" "$vr_file" watchdog 300 valgrind $vg_common $vr_opts "$@" >"$TMP/vg.out" 2>"$TMP/vg.err"
	vr_rc=$?
	if [ $vr_rc -eq 99 ]; then
		fail "valgrind: $vr_what: memcheck found errors or leaks:"
		grep -v '^==[0-9]*== *$' "$TMP/vg.err" | head -n 80
	elif [ $vr_rc -ne "$vg_status" ]; then
		fail "valgrind: $vr_what: exit $vr_rc, want $vg_status"
		cat "$TMP/vg.out" "$TMP/vg.err" | head -n 40
	elif [ "$vr_want" != "-" ] && [ "$(cat "$TMP/vg.out")" != "$vr_want" ]; then
		fail "valgrind: $vr_what: got '$(head -n 3 "$TMP/vg.out")', want '$(printf '%s\n' "$vr_want" | head -n 3)'"
	else
		ok "valgrind: $vr_what: $(head -n 1 "$TMP/vg.out")"
	fi
}

# ---- the index
vg "getservbyname_r(ssh, tcp)" "ssh 22/tcp" with_index "$index_a" "$client" iana byname ssh tcp
vg "getservbyport_r(6005, tcp)" "x11 6005/tcp" with_index "$index_a" "$client" iana byport 6005 tcp
vg "getservbyname_r of a name no entry has" "notfound" \
	with_index "$index_a" "$client" iana byname no-such-service-xyz -
vg "getservbyname_r(http, tcp), ERANGE at every size" - with_index "$index_a" "$client" iana erange http tcp
vg "getservbyname_r(ssh, NULL), ERANGE at every size" - with_index "$index_a" "$client" iana erange ssh -
vg "getservbyport_r(80, tcp), ERANGE at every size" - with_index "$index_a" "$client" iana erange-port 80 tcp
vg "getservbyname_r(hp-managed-node, tcp), a 15-byte name, ERANGE at every size" - \
	with_index "$index_a" "$client" iana erange hp-managed-node tcp
with_index "$index_a" "$client" iana enum >"$TMP/enum.plain" 2>/dev/null
vg "getservent enumeration" "$(cat "$TMP/enum.plain")" with_index "$index_a" "$client" iana enum
vg "getservent_r from a 1-byte buffer grown on ERANGE" "$(cat "$TMP/enum.plain")" \
	with_index "$index_a" "$client" iana enum-small
vg "setservent/getservent/endservent cycles" - with_index "$index_a" "$client" iana enum-cycles 7
vg "4 threads while the index is replaced 10 times" - with_index "$TMP/live.idx" \
	"$stress" replace 4 10 "$TMP/live.idx" "$index_a" "$index_b"
vg "forks while 4 threads are inside the module" - with_index "$TMP/live.idx" \
	"$stress" fork 4 4 "$TMP/live.idx" "$index_a" "$index_b"
vg_run "exit() while threads are inside the module (errors only)" - --leak-check=no \
	"" "" with_index "$TMP/live.idx" "$stress" exit 1 3 "$TMP/live.idx" "$index_a" "$index_b"

# ---- no usable index
printf 'not an index\n' >"$TMP/broken.idx"
# UNAVAIL: getservbyname_r fails with ENOENT, the client exits 1.
vg_status=1
vg "no index (UNAVAIL)" "error No such file or directory" \
	with_index "$TMP/none.idx" "$client" iana byname ssh tcp
vg "a file that is no index (UNAVAIL)" "error No such file or directory" \
	with_index "$TMP/broken.idx" "$client" iana byname ssh tcp
vg_status=0
if [ -n "$index_full" ]; then
	vg "the real registry's index, getservbyname_r(ssh, tcp)" "ssh 22/tcp" \
		with_index "$index_full" "$client" iana byname ssh tcp
else
	echo "note: the real registry's index is not run under valgrind: $REGISTRY_XML (../shared) is absent"
fi
finish
