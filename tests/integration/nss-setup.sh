# nss-setup.sh - sourced, after lib.sh, by test-nss-stress.sh and
# test-nss-valgrind.sh: skips unless the NSS module, the registry data and a
# C compiler are there, then prepares what both run:
#   $index_a, $index_b        the index of the registry, and of a copy where
#                             x11 and www are renamed x11-renamed and
#                             www-renamed: the two versions nss_stress.c
#                             switches between and tells apart
#   $registry_a, $registry_b  the same pair as small registries
#                             (tests/fixtures/nss-stress.xml), for the
#                             module's registry fallback
#   $client, $stress          nss_client.c and nss_stress.c, compiled here
#   $fallback                 the built libnss_iana_fallback.so
#   with_index FILE CMD...    run CMD (a command or a function) with the
#                             module in $module_dir answering from the
#                             index FILE (no registry)
#   with_registry FILE CMD... the same with no index and FILE as registry,
#                             through the fallback helper
#   watchdog SECONDS CMD...   run CMD, killed (with its children) if it
#                             hangs: a deadlock detector, never a timed
#                             assertion, so SECONDS is generous
# $module_dir is $NSS_MODULE_DIR; a caller may point it at another build of
# the module (the ThreadSanitizer one, then setting $module_preload to "").
# $module_preload is the AddressSanitizer runtime when the module needs it
# (make SANITIZE=1), put in LD_PRELOAD by with_index and with_registry.

: "${NSS_MODULE_DIR:=}"
: "${CC:=cc}"
[ -n "$NSS_MODULE_DIR" ] && [ -r "$NSS_MODULE_DIR/libnss_iana.so.2" ] ||
	skip "libnss_iana.so.2 not built (NSS_MODULE_DIR='$NSS_MODULE_DIR')"
need_file "$REGISTRY_XML"
command -v "$CC" >/dev/null 2>&1 || skip "no C compiler ($CC) to build the NSS test clients"
command -v timeout >/dev/null 2>&1 || skip "timeout (coreutils) not installed: no watchdog for hangs"
module_dir=$NSS_MODULE_DIR
fallback="$NSS_MODULE_DIR/libnss_iana_fallback.so"
fixtures=$(cd "$here/../fixtures" && pwd)

index_a="$TMP/a.idx"
index_b="$TMP/b.idx"
sed 's|<name>x11</name>|<name>x11-renamed</name>|; s|<name>www</name>|<name>www-renamed</name>|' \
	"$REGISTRY_XML" >"$TMP/b.xml"
for v in a b; do
	if [ $v = a ]; then src=$REGISTRY_XML; else src="$TMP/b.xml"; fi
	"$GEN_SERVICES" -q --format index -o "$TMP/$v.idx" "$src" 2>"$TMP/gen.err" || {
		cat "$TMP/gen.err"; fail "gen-services --format index $src failed"; finish; }
done
registry_a="$TMP/small-a.xml"
registry_b="$TMP/small-b.xml"
cp "$fixtures/nss-stress.xml" "$registry_a"
sed 's|<name>x11</name>|<name>x11-renamed</name>|; s|<name>www</name>|<name>www-renamed</name>|' \
	"$registry_a" >"$registry_b"

# nss_stress exports its clock_gettime() so that the module's calls reach it
# (see its top comment).
client="$TMP/nss_client"
stress="$TMP/nss_stress"
"$CC" -std=gnu11 -O2 -g -pthread -o "$client" "$here/nss_client.c" 2>"$TMP/cc.err" &&
	"$CC" -std=gnu11 -O2 -g -pthread -Wl,--export-dynamic-symbol=clock_gettime \
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
		LD_LIBRARY_PATH=$module_dir NSS_IANA_INDEX=$1 NSS_IANA_REGISTRY="$TMP/no-registry.xml"
		NSS_IANA_FALLBACK="$TMP/no-helper.so"
		export LD_LIBRARY_PATH NSS_IANA_INDEX NSS_IANA_REGISTRY NSS_IANA_FALLBACK
		if [ -n "$module_preload" ]; then LD_PRELOAD=$module_preload; export LD_PRELOAD; fi
		shift
		"$@"
	)
}
with_registry() {
	(
		LD_LIBRARY_PATH=$module_dir NSS_IANA_INDEX="$TMP/no-index.idx" NSS_IANA_REGISTRY=$1
		NSS_IANA_FALLBACK=$fallback
		export LD_LIBRARY_PATH NSS_IANA_INDEX NSS_IANA_REGISTRY NSS_IANA_FALLBACK
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
