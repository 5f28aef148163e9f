# nss-setup.sh - sourced, after lib.sh, by test-nss-stress.sh and
# test-nss-valgrind.sh: skips unless the NSS module and a C compiler are
# there, then prepares what both run:
#   $index_a, $index_b        the index of the fixture
#                             tests/fixtures/nss-stress.xml, and of a copy
#                             where x11 and www are renamed x11-renamed and
#                             www-renamed: the two versions nss_stress.c
#                             switches between and tells apart (and, when
#                             ../shared has it, $index_full: the real
#                             registry's)
#   $client, $stress          nss_client.c and nss_stress.c, compiled here
#   with_index FILE CMD...    run CMD (a command or a function) with the
#                             module in $module_dir answering from the
#                             index FILE
#   watchdog SECONDS CMD...   run CMD, killed (with its children) if it
#                             hangs: a deadlock detector, never a timed
#                             assertion, so SECONDS is generous
# $module_dir is $NSS_MODULE_DIR; a caller may point it at another build of
# the module (the ThreadSanitizer one, then setting $module_preload to "").
# $module_preload is the AddressSanitizer runtime when the module needs it
# (make SANITIZE=1), put in LD_PRELOAD by with_index.

: "${NSS_MODULE_DIR:=}"
: "${CC:=cc}"
[ -n "$NSS_MODULE_DIR" ] && [ -r "$NSS_MODULE_DIR/libnss_iana.so.2" ] ||
	skip "libnss_iana.so.2 not built (NSS_MODULE_DIR='$NSS_MODULE_DIR')"
command -v "$CC" >/dev/null 2>&1 || skip "no C compiler ($CC) to build the NSS test clients"
command -v timeout >/dev/null 2>&1 || skip "timeout (coreutils) not installed: no watchdog for hangs"
module_dir=$NSS_MODULE_DIR
index_a="$TMP/a.idx"
index_b="$TMP/b.idx"
index_full=
cp "$FIXTURES/nss-stress.xml" "$TMP/a.xml"
sed 's|<name>x11</name>|<name>x11-renamed</name>|; s|<name>www</name>|<name>www-renamed</name>|' \
	"$TMP/a.xml" >"$TMP/b.xml"
for v in a b; do
	"$GEN_SERVICES" -q --format index -o "$TMP/$v.idx" "$TMP/$v.xml" 2>"$TMP/gen.err" || {
		cat "$TMP/gen.err"; fail "gen-services --format index $TMP/$v.xml failed"; finish; }
done
if [ -r "$REGISTRY_XML" ]; then
	index_full="$TMP/full.idx"
	"$GEN_SERVICES" -q --format index -o "$index_full" "$REGISTRY_XML" 2>"$TMP/gen.err" || {
		cat "$TMP/gen.err"; fail "gen-services --format index $REGISTRY_XML failed"; finish; }
fi

# nss_stress exports its time() so that the module's calls reach it
# (see its top comment).
client="$TMP/nss_client"
stress="$TMP/nss_stress"
"$CC" -std=gnu11 -O2 -g -pthread -o "$client" "$here/nss_client.c" 2>"$TMP/cc.err" &&
	"$CC" -std=gnu11 -O2 -g -pthread -Wl,--export-dynamic-symbol=time \
		-o "$stress" "$here/nss_stress.c" 2>>"$TMP/cc.err" || {
	cat "$TMP/cc.err"; fail "cannot compile nss_client.c or nss_stress.c"; finish; }

# A module built with AddressSanitizer (make SANITIZE=1) needs the ASan
# runtime loaded before anything else in the plainly built clients.
sanitizer_runtime() {
	command -v ldd >/dev/null 2>&1 && ldd "$1" 2>/dev/null | awk '$1 ~ /^libasan\.so/ { print $3; exit }'
}
module_preload=$(sanitizer_runtime "$module_dir/libnss_iana.so.2")

with_index() {
	(
		LD_LIBRARY_PATH=$module_dir NSS_IANA_INDEX=$1
		export LD_LIBRARY_PATH NSS_IANA_INDEX
		if [ -n "$module_preload" ]; then LD_PRELOAD=$module_preload; export LD_PRELOAD; fi
		shift
		"$@"
	)
}
watchdog() {
	wd_seconds=$1
	shift
	timeout -k 10 "$wd_seconds" "$@"
	wd_rc=$?
	[ $wd_rc -eq 124 ] && echo "HUNG: killed after $wd_seconds s: $*"
	return $wd_rc
}
