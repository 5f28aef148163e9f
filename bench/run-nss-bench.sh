#!/bin/sh
# run-nss-bench.sh - `make bench`, NSS part: libnss_iana.so.2 answering from
# the index gen-services --format index builds of the full registry,
# measured in the same run against
#   files  glibc's own source reading gen-services' services file, which is
#          bind-mounted over /etc/services in a private mount namespace
#          (unshare -m), so that it is exactly what /etc/services would be;
#   const  build/bench/libnss_const.so.2 (bench/nss_const.c), a module that
#          returns a fixed answer: glibc's NSS dispatch floor.
# Targets:
#   mix     the headline: every key of the full registry (each "name
#           port/protocol" of gen-services' output, 11,491 keys for the
#           2026-08-17 registry) looked up by name, by port and as a miss by
#           name through glibc (nss_bench mix, MIX_ROUNDS rounds in a
#           process, median round), iana vs const: <= 2x each, the ratio
#           being the median over MIX_PAIRS pairs of processes run one
#           right after the other (iana, const, iana, const, ...): the
#           load of this shared host's other tenants changes from one
#           minute to the next and can double a timing, so each pair's
#           two figures are compared under the same load, not medians
#           of different moments; beside them, as figures without a
#           target, the same ratio for build/bench/libnss_floor.so.2
#           (bench/nss_floor.c), which makes only the dependent memory
#           reads of a lookup (the caller's name, its tags, a name row;
#           a page and an entry by port; the name and its tags for a
#           miss) and no work: how much of the ratio the memory of this
#           machine takes; and the
#           instructions and data-cache misses per lookup of each kind, from
#           callgrind's cache simulation (the difference of a 3-round and a
#           1-round run over 2 rounds of keys: start-up and opening left
#           out), when valgrind is installed;
#   warm    getservbyname_r/getservbyport_r through glibc (bench/nss_bench.c,
#           source set by __nss_configure_lookup), mean ns per call over a
#           mix of hits and misses (early/late names, aliases, ports, a port
#           inside a range): >= 1000x faster than files, <= 3x const;
#   cold    a whole `getent -s iana services 5783/udp` process (median of
#           N, build/bench/run_measured) <= 1.2x the same with -s files;
#   memory  private memory a process gains from the module: growth of its
#           dirty private pages (heap, stack, relocated data; smaps_rollup
#           before the first lookup and after many lookups and an
#           enumeration) < 64 KiB.  The index and the library's code are
#           clean file-backed pages, shared by every process mapping them,
#           and reported beside it.
# Every figure is a median: of 5 timings in a process (nss_bench), then of
# ROUNDS processes (the mix: of MIX_ROUNDS rounds, then of MIX_PAIRS
# processes, its ratios the median of the pairs' ratios).  One line per target with PASS or MISS, and table rows
# (bench/lib.sh); exits 1 when a target is missed.
# Skips (exit 0) without the registry or the module; the files comparisons
# alone are skipped when a private mount namespace cannot be made.
set -u
: "${GEN_SERVICES:?}" "${SHARED_DIR:=../shared}" "${NSS_MODULE_DIR:?}"
BENCH_DIR=$(dirname "$GEN_SERVICES")/bench
NSS_BENCH="$BENCH_DIR/nss_bench"
MEASURE="$BENCH_DIR/run_measured"
XML="$SHARED_DIR/registry/service-names-port-numbers.xml"
ROUNDS=${ROUNDS:-3}       # processes per source, interleaved
ITERS=${ITERS:-200000}    # calls per key and timing (iana, const)
FILES_ITERS=${FILES_ITERS:-3}
RUNS=${RUNS:-15}          # getent processes per round
MIX_ROUNDS=${MIX_ROUNDS:-5} # rounds over every key in a mix process
MIX_PAIRS=${MIX_PAIRS:-15}  # pairs of mix processes (iana, const)
. "$(dirname "$0")/lib.sh"

if [ ! -r "$XML" ]; then
	echo "nss bench: SKIP: $XML not found (real registry data lives in ../shared)"
	exit 0
fi
if [ ! -r "$NSS_MODULE_DIR/libnss_iana.so.2" ]; then
	echo "nss bench: SKIP: $NSS_MODULE_DIR/libnss_iana.so.2 not built"
	exit 0
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$GEN_SERVICES" -q --format index -o "$out/services.idx" "$XML" || { echo "nss bench: gen-services --format index failed"; exit 2; }
"$GEN_SERVICES" -q -o "$out/services" "$XML" || { echo "nss bench: gen-services failed"; exit 2; }
LD_LIBRARY_PATH="$NSS_MODULE_DIR:$BENCH_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
NSS_IANA_INDEX="$out/services.idx"
export LD_LIBRARY_PATH NSS_IANA_INDEX

# in_ns CMD ARGS...: run CMD where /etc/services is the generated file (and
# no nscd socket, whose cache would answer instead of the file).
in_ns() {
	unshare -m sh -c '
		mount --bind "$1" /etc/services || exit 125
		for d in /run/nscd /var/run/nscd; do
			if [ -S "$d/socket" ]; then mount -t tmpfs none "$d" || exit 125; fi
		done
		shift
		exec "$@"' in_ns "$out/services" "$@"
}
ns=1
if ! command -v unshare >/dev/null 2>&1; then
	ns=0 why="unshare (util-linux) not installed"
elif ! in_ns cmp -s "$out/services" /etc/services 2>"$out/probe.err"; then
	ns=0 why="cannot bind-mount over /etc/services in a private mount namespace: $(tr '\n' ' ' <"$out/probe.err")"
fi
[ $ns -eq 1 ] || echo "nss bench: files comparisons skipped: $why"

status=0
fail() { echo "nss bench: $*"; status=2; }

# ---- mix: every key of the registry, iana and const interleaved
echo "index of the full registry: $(wc -c <"$out/services.idx") bytes"
row "services index of the full registry (bytes)" "$(wc -c <"$out/services.idx")" "-" "-" "-" "-"
for pair in $(seq "$MIX_PAIRS"); do
	# floor1: the floor module stopping at the tags, as a miss does.
	for src in iana const floor floor1; do
		NSS_FLOOR_NAME_LINES=$([ $src = floor1 ] && echo 1 || echo 2) \
			"$NSS_BENCH" ${src%1} mix "$out/services" "$MIX_ROUNDS" >"$out/mix-one.txt" ||
			fail "nss_bench $src mix failed"
		sed "s/^/$pair /" "$out/mix-one.txt" >>"$out/mix-$src.txt"
	done
done
[ $status -eq 0 ] || exit $status
# Lines "PAIR mix KIND NS KEYS".  pair_ratio KIND A B: the median over
# the pairs of A's figure over B's.
pair_ratio() {
	awk -v k="$1" '$3 == k { t[FILENAME == ARGV[1] ? "a" : "b", $1] = $4 }
		END { for (p = 1; ("a", p) in t && ("b", p) in t; p++) print t["a", p] / t["b", p] }' "$2" "$3" | median
}
keys=$(awk 'NR == 1 { print $5 }' "$out/mix-iana.txt")
for kind in byname byport missname; do
	mi=$(awk -v k=$kind '$3 == k { print $4 }' "$out/mix-iana.txt" | median)
	mc=$(awk -v k=$kind '$3 == k { print $4 }' "$out/mix-const.txt" | median)
	ratio=$(pair_ratio $kind "$out/mix-iana.txt" "$out/mix-const.txt")
	floor=$out/mix-floor.txt
	[ $kind = missname ] && floor=$out/mix-floor1.txt
	mf=$(awk -v k=$kind '$3 == k { print $4 }' "$floor" | median)
	floor_ratio=$(pair_ratio $kind "$floor" "$out/mix-const.txt")
	case $kind in byname) what="by name" reads="name, tags, row" ;; byport) what="by port" reads="page, entry" ;;
	*) what="misses by name" reads="name, tags" ;; esac
	verdict=$(awk -v r="$ratio" 'BEGIN { print (r <= 2) ? "PASS" : "MISS" }')
	awk -v i="$mi" -v c="$mc" -v r="$ratio" -v v=$verdict -v w="$what" -v n="$keys" -v p="$MIX_PAIRS" \
		-v f="$mf" -v fr="$floor_ratio" -v reads="$reads" 'BEGIN {
		printf "%s registry-wide %s (%d keys): iana %.1f ns, const %.1f ns per call (medians), ratio %.2f (median of %d pairs; target <= 2.00); memory floor (%s only) %.1f ns, %.2f\n", v, w, n, i, c, r, p, reads, f, fr }'
	row "registry-wide $what, ns/call ($keys keys): iana vs const module" "$mi" "$mc" \
		"$(awk -v r="$ratio" 'BEGIN { printf "%.2f", r }')" "<= 2.00" "$verdict"
	row "registry-wide $what, ns/call: memory floor ($reads) vs const" "$mf" "$mc" \
		"$(awk -v r="$floor_ratio" 'BEGIN { printf "%.2f", r }')" "-" "-"
	[ "$verdict" = PASS ] || status=1
done
# Instructions and data-cache misses per lookup (callgrind --cache-sim=yes).
cg_run() { # SOURCE ROUNDS: "kind Ir D1-misses LL-misses" per mix function, inclusive
	valgrind --tool=callgrind --cache-sim=yes --callgrind-out-file="$out/cg.$1.$2" \
		"$NSS_BENCH" "$1" mix "$out/services" "$2" >/dev/null 2>"$out/cg.err" || return 1
	callgrind_annotate --inclusive=yes "$out/cg.$1.$2" 2>/dev/null |
		sed -n 's/([[:space:]]*[0-9.]*%)//g; s/,//g; /nss_bench.c:mix_[a-z]* /p' |
		awk '$1 != "=>" { k = $10; sub(/.*mix_/, "", k); sub(/ .*/, "", k); print k, $1, $5 + $6, $8 + $9 }'
}
if command -v valgrind >/dev/null 2>&1 && command -v callgrind_annotate >/dev/null 2>&1; then
	for src in iana const; do
		cg_run $src 1 >"$out/cg.$src.1.txt" && cg_run $src 3 >"$out/cg.$src.3.txt" || { fail "callgrind of nss_bench $src failed"; break; }
	done
	[ $status -lt 2 ] || exit $status
	echo "per lookup, callgrind (2 rounds of $keys keys; D1: first-level data cache misses, LL: last-level):"
	awk -v n="$keys" '
		{ src = FILENAME ~ /iana/ ? "iana" : "const"; r = FILENAME ~ /\.3\.txt$/ ? 3 : 1
		  ir[src, $1, r] = $2; d1[src, $1, r] = $3; ll[src, $1, r] = $4 }
		END {
			split("byname byport missname", kinds, " ")
			for (i = 1; i <= 3; i++) { k = kinds[i]
				for (s = 1; s <= 2; s++) { src = s == 1 ? "iana" : "const"
					I[src] = (ir[src, k, 3] - ir[src, k, 1]) / (2 * n)
					D[src] = (d1[src, k, 3] - d1[src, k, 1]) / (2 * n)
					L[src] = (ll[src, k, 3] - ll[src, k, 1]) / (2 * n)
					if (L[src] < 0) L[src] = 0 } # not "-0.00": a count is never below 0
				printf "  %-9s iana %5.0f instructions, %.2f D1 misses, %.3f LL misses; const %5.0f, %.2f, %.3f\n",
					k, I["iana"], D["iana"], L["iana"], I["const"], D["const"], L["const"]
				printf "%s\t%.0f\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\n", k, I["iana"], I["const"], D["iana"], D["const"],
					L["iana"], L["const"] > rows }
		}' rows="$out/cg.rows" "$out/cg.iana.1.txt" "$out/cg.iana.3.txt" "$out/cg.const.1.txt" "$out/cg.const.3.txt"
	while IFS="$(printf '\t')" read -r k ii ic di dc li lc; do
		case $k in byname) what="by name" ;; byport) what="by port" ;; *) what="misses by name" ;; esac
		row "registry-wide $what, instructions/call (callgrind)" "$ii" "$ic" \
			"$(awk -v i="$ii" -v c="$ic" 'BEGIN { printf "%.2f", i/c }')" "-" "-"
		row "registry-wide $what, D1 / LL misses per call" "$di / $li" "$dc / $lc" "-" "-" "-"
	done <"$out/cg.rows"
else
	echo "SKIP cache misses per lookup: valgrind (callgrind) not installed"
fi

# ---- warm: lookups through glibc, sources interleaved
for round in $(seq "$ROUNDS"); do
	"$NSS_BENCH" iana lookups "$ITERS" >>"$out/iana.txt" || fail "nss_bench iana failed"
	"$NSS_BENCH" const lookups "$ITERS" >>"$out/const.txt" || fail "nss_bench const failed"
	if [ $ns -eq 1 ]; then
		in_ns "$NSS_BENCH" files lookups "$FILES_ITERS" >>"$out/files.txt" || fail "nss_bench files failed"
	fi
done
[ $ns -eq 1 ] || : >"$out/files.txt"
[ $status -lt 2 ] || exit $status # a missed target (1) still lets the rest run
echo "lookups through glibc, ns per call (median of $ROUNDS processes x 5 timings; iana answer shown):"
awk -v ns=$ns '
	function med(src, k,    m, i, j, x, a) {
		m = cnt[src, k]
		for (i = 1; i <= m; i++) a[i] = v[src, k, i]
		for (i = 2; i <= m; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
		return m == 0 ? 0 : (m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2)
	}
	FILENAME ~ /iana.txt$/ { src = "iana" } FILENAME ~ /const.txt$/ { src = "const" } FILENAME ~ /files.txt$/ { src = "files" }
	{ k = $1 " " $2
	  if (!(k in seen)) { seen[k] = 1; order[++n] = k }
	  v[src, k, ++cnt[src, k]] = $3
	  if (src == "iana") ans[k] = $4 }
	END {
		for (i = 1; i <= n; i++) for (s = 1; s <= 3; s++) {
			src = s == 1 ? "iana" : s == 2 ? "const" : "files"; t[src, order[i]] = med(src, order[i]) }
		printf "  %-28s %9s %9s %12s %9s %9s  %s\n", "key", "iana", "const", "files", "iana/const", "files/iana", "answer"
		for (i = 1; i <= n; i++) {
			k = order[i]; si += t["iana", k]; sc += t["const", k]; sf += t["files", k]
			printf "  %-28s %9.1f %9.1f %12s %9.2f %9s  %s\n", k, t["iana", k], t["const", k],
				ns ? sprintf("%.1f", t["files", k]) : "-", t["iana", k] / t["const", k],
				ns ? sprintf("%.0f", t["files", k] / t["iana", k]) : "-", ans[k]
		}
		printf "  %-28s %9.1f %9.1f %12s %9.2f %9s\n", "mean (" n " keys)", si / n, sc / n,
			ns ? sprintf("%.1f", sf / n) : "-", si / sc, ns ? sprintf("%.0f", sf / si) : "-"
		printf "%.3f %.3f %.3f\n", si / n, sc / n, sf / n > means
		for (i = 1; i <= n; i++)
			printf "%s\t%.1f\t%.1f\t%.1f\t%d\n", order[i], t["iana", order[i]], t["const", order[i]],
				t["files", order[i]], ans[order[i]] != "-" > keys
	}' means="$out/means" keys="$out/keys" "$out/iana.txt" "$out/const.txt" "$out/files.txt"
read -r iana_ns const_ns files_ns <"$out/means"
plural() { [ "$1" = hit ] && echo hits || echo misses; }
# Hits and misses apart too (mean over the keys of each kind), for the table.
for kind in hit miss; do
	awk -F '\t' -v kind=$kind '(kind == "hit") == ($5 == 1) { n++; si += $2; sc += $3; sf += $4 }
		END { printf "%.1f %.1f %.1f %d\n", si / n, sc / n, sf / n, n }' "$out/keys" >"$out/$kind.means"
	read -r ki kc kf kn <"$out/$kind.means"
	[ $ns -eq 1 ] && row "getserv*_r $(plural $kind), ns/call ($kn keys): iana vs files" "$ki" "$kf" \
		"$(awk -v i="$ki" -v f="$kf" 'BEGIN { printf "1/%.0f", f/i }')" "-" "-"
	row "getserv*_r $(plural $kind), ns/call ($kn keys): iana vs const module" "$ki" "$kc" \
		"$(awk -v i="$ki" -v c="$kc" 'BEGIN { printf "%.2f", i/c }')" "-" "-"
done
if [ $ns -eq 1 ]; then
	verdict=$(awk -v i="$iana_ns" -v f="$files_ns" 'BEGIN { print (f / i >= 1000) ? "PASS" : "MISS" }')
	awk -v i="$iana_ns" -v f="$files_ns" -v v=$verdict 'BEGIN {
		printf "%s warm lookups vs files: iana %.1f ns, files %.1f ns per call, %.0fx faster (target >= 1000x)\n", v, i, f, f / i }'
	row "getserv*_r all 13 keys, ns/call: iana vs files" "$(printf %.1f "$iana_ns")" "$(printf %.1f "$files_ns")" \
		"$(awk -v i="$iana_ns" -v f="$files_ns" 'BEGIN { printf "1/%.0f", f/i }')" ">= 1000x faster" "$verdict"
	[ "$verdict" = PASS ] || status=1
else
	echo "SKIP warm lookups vs files: no private mount namespace"
fi
verdict=$(awk -v i="$iana_ns" -v c="$const_ns" 'BEGIN { print (i / c <= 3) ? "PASS" : "MISS" }')
awk -v i="$iana_ns" -v c="$const_ns" -v v=$verdict 'BEGIN {
	printf "%s warm lookups vs const module: iana %.1f ns, const %.1f ns per call, ratio %.2f (target <= 3.00)\n", v, i, c, i / c }'
row "getserv*_r all 13 keys, ns/call: iana vs const module" "$(printf %.1f "$iana_ns")" "$(printf %.1f "$const_ns")" \
	"$(awk -v i="$iana_ns" -v c="$const_ns" 'BEGIN { printf "%.2f", i/c }')" "<= 3.00" "$verdict"
[ "$verdict" = PASS ] || status=1

# ---- cold: whole getent processes, interleaved, medians
if [ $ns -eq 1 ]; then
	for round in $(seq $((ROUNDS * RUNS))); do
		r=$(in_ns "$MEASURE" 1 getent -s iana services 5783/udp) || { fail "getent -s iana failed"; break; }
		set -- $r; echo "$1" >>"$out/cold-iana.us"; echo "$2" >>"$out/cold-iana.rss"
		r=$(in_ns "$MEASURE" 1 getent -s files services 5783/udp) || { fail "getent -s files failed"; break; }
		set -- $r; echo "$1" >>"$out/cold-files.us"; echo "$2" >>"$out/cold-files.rss"
	done
	[ $status -lt 2 ] || exit $status
	ci=$(median <"$out/cold-iana.us") cf=$(median <"$out/cold-files.us")
	ri=$(median <"$out/cold-iana.rss") rf=$(median <"$out/cold-files.rss")
	verdict=$(awk -v i="$ci" -v f="$cf" 'BEGIN { print (i / f <= 1.2) ? "PASS" : "MISS" }')
	awk -v i="$ci" -v f="$cf" -v v=$verdict -v n=$((ROUNDS * RUNS)) 'BEGIN {
		printf "%s cold getent services 5783/udp (median of %d): -s iana %d us, -s files %d us, ratio %.2f (target <= 1.20)\n", v, n, i, f, i / f }'
	row "cold getent services 5783/udp (us): -s iana vs -s files" "$ci" "$cf" \
		"$(awk -v i="$ci" -v f="$cf" 'BEGIN { printf "%.2f", i/f }')" "<= 1.20" "$verdict"
	row "cold getent peak memory (KiB): -s iana vs -s files" "$ri" "$rf" \
		"$(awk -v i="$ri" -v f="$rf" 'BEGIN { printf "%.2f", i/f }')" "-" "-"
	[ "$verdict" = PASS ] || status=1
else
	echo "SKIP cold getent vs files: no private mount namespace"
fi

# ---- memory
"$NSS_BENCH" const memory >"$out/mem.const" || fail "nss_bench const memory failed"
"$NSS_BENCH" iana memory >"$out/mem.iana" || fail "nss_bench iana memory failed"
[ $status -lt 2 ] || exit $status
awk '
	{ for (f = 1; f <= NF; f++) { split($f, kv, "="); v[FILENAME ~ /const$/ ? "c" : "i", kv[1]] = kv[2] } }
	END {
		added = v["i", "private_added"]; ok = added < 64
		printf "%s memory: %d KiB private (dirty) added after 13000 lookups and an enumeration of %d entries (target < 64 KiB; the constant module: %d KiB); shared, clean file-backed: index mapping %d KiB (%d KiB resident), libnss_iana.so.2 %d KiB\n",
			ok ? "PASS" : "MISS", added, v["i", "entries"], v["c", "private_added"],
			v["i", "index_size"], v["i", "index_rss"], v["i", "lib_private"]
		printf "%d %d\n", added, v["c", "private_added"] > memfile
		exit !ok }' memfile="$out/mem.rows" "$out/mem.iana" "$out/mem.const" || status=1
if [ -s "$out/mem.rows" ]; then
	read -r mi mc <"$out/mem.rows"
	row "NSS module private memory added (KiB): iana vs const module" "$mi" "$mc" "-" "< 64 KiB" \
		"$(awk -v m="$mi" 'BEGIN { print (m < 64) ? "PASS" : "MISS" }')"
fi

[ $status -eq 0 ] && echo "nss bench: all targets met" || echo "nss bench: TARGET MISSED"
exit $status
