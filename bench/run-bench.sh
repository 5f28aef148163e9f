#!/bin/sh
# run-bench.sh - `make bench`, parser part: on the full registry against
# `xmllint --stream --noout` on the same file, runs interleaved so machine
# noise hits all alike, medians of RUNS each:
#  - the parse alone (bench/parse_bench: load and services view, what
#    gen-services does before it writes): time and instructions (callgrind)
#    <= 1.0x xmllint's (issue 13);
#  - gen-services, parse and write: time <= 1.5x xmllint's, peak memory
#    < 3x the file's size (issue 2).
# Prints the ratios (and table rows, bench/lib.sh); exits 1 when a target
# is missed.
set -eu
: "${GEN_SERVICES:?}" "${SHARED_DIR:=../shared}"
BUILD_DIR=$(dirname "$GEN_SERVICES")
MEASURE="$BUILD_DIR/bench/run_measured"
PARSE="$BUILD_DIR/bench/parse_bench"
XML="$SHARED_DIR/registry/service-names-port-numbers.xml"
RUNS=${RUNS:-15}
. "$(dirname "$0")/lib.sh"
if [ ! -r "$XML" ]; then
	echo "bench: SKIP: $XML not found (real registry data lives in ../shared)"
	exit 0
fi
command -v xmllint >/dev/null || { echo "bench: xmllint not found (libxml2-utils)"; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
size_kib=$(( $(wc -c < "$XML") / 1024 ))

for i in $(seq "$RUNS"); do
	set -- $("$MEASURE" 1 xmllint --stream --noout "$XML")
	echo "$1" >>"$out/ref.us"; echo "$2" >>"$out/ref.rss"
	set -- $("$MEASURE" 1 "$PARSE" "$XML")
	echo "$1" >>"$out/parse.us"
	set -- $("$MEASURE" 1 "$GEN_SERVICES" -q -o "$out/services" "$XML")
	echo "$1" >>"$out/gen.us"; echo "$2" >>"$out/gen.rss"
done
gen=$(median <"$out/gen.us") ref=$(median <"$out/ref.us") parse=$(median <"$out/parse.us")
gen_rss=$(median <"$out/gen.rss") ref_rss=$(median <"$out/ref.rss")
status=0
# time_row WHAT ROW OURS_US REF_US LIMIT: the detail line, the table row and
# the verdict of a wall-time ratio against xmllint's, at most LIMIT.
time_row() {
	v=$(awk -v g="$3" -v r="$4" -v l="$5" 'BEGIN { print (g/r <= l) ? "PASS" : "MISS" }')
	awk -v g="$3" -v r="$4" -v l="$5" -v n="$RUNS" -v v="$v" -v w="$1" 'BEGIN {
		printf "%s %s (median of %d): %.1f ms, xmllint --stream %.1f ms, ratio %.2f (target <= %.2f)\n", v, w, n, g/1000, r/1000, g/r, l }'
	row "$2" "$(awk -v g="$3" 'BEGIN { printf "%.1f", g/1000 }')" "$(awk -v r="$4" 'BEGIN { printf "%.1f", r/1000 }')" \
		"$(awk -v g="$3" -v r="$4" 'BEGIN { printf "%.2f", g/r }')" "<= $5" "$v"
	[ "$v" = PASS ] || status=1
}
time_row "parse full registry, load + services view: parse_bench" \
	"parse full registry XML, load + view (ms): ours vs xmllint --stream" "$parse" "$ref" 1.00
time_row "parse+write full registry: gen-services" \
	"parse+write full registry XML (ms): gen-services vs xmllint" "$gen" "$ref" 1.50
verdict=$(awk -v m="$gen_rss" -v s="$size_kib" 'BEGIN { print (m/s < 3.0) ? "PASS" : "MISS" }')
awk -v m="$gen_rss" -v s="$size_kib" -v x="$ref_rss" -v v="$verdict" 'BEGIN {
	printf "%s peak memory: gen-services %d KiB for a %d KiB file, ratio %.2f (target < 3.00); xmllint %d KiB\n", v, m, s, m/s, x }'
row "peak memory (KiB): gen-services vs the registry file's size" "$gen_rss" "$size_kib" \
	"$(awk -v m="$gen_rss" -v s="$size_kib" 'BEGIN { printf "%.2f", m/s }')" "< 3.00" "$verdict"
row "peak memory (KiB): gen-services vs xmllint --stream" "$gen_rss" "$ref_rss" \
	"$(awk -v m="$gen_rss" -v s="$ref_rss" 'BEGIN { printf "%.2f", m/s }')" "-" "-"
[ "$verdict" = PASS ] || status=1

# Instruction counts do not depend on machine load: a steadier second view.
if command -v valgrind >/dev/null; then
	count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | sed -n 's/.*refs: *//p' | tr -d ,; }
	pi=$(count "$PARSE" "$XML")
	gi=$(count "$GEN_SERVICES" -q -o "$out/services" "$XML")
	ri=$(count xmllint --stream --noout "$XML")
	verdict=$(awk -v g="$pi" -v r="$ri" 'BEGIN { print (g/r <= 1.0) ? "PASS" : "MISS" }')
	awk -v g="$pi" -v r="$ri" -v v="$verdict" 'BEGIN {
		printf "%s instructions, load + services view: parse_bench %d, xmllint %d, ratio %.2f (target <= 1.00)\n", v, g, r, g/r }'
	awk -v g="$gi" -v r="$ri" 'BEGIN { printf "instructions: gen-services %d, xmllint %d, ratio %.2f\n", g, r, g/r }'
	row "parse full registry XML, load + view (M instructions, callgrind)" "$(awk -v g="$pi" 'BEGIN { printf "%.1f", g/1e6 }')" \
		"$(awk -v r="$ri" 'BEGIN { printf "%.1f", r/1e6 }')" "$(awk -v g="$pi" -v r="$ri" 'BEGIN { printf "%.2f", g/r }')" "<= 1.00" "$verdict"
	[ "$verdict" = PASS ] || status=1
	row "parse+write full registry XML (M instructions): gen-services" "$(awk -v g="$gi" 'BEGIN { printf "%.1f", g/1e6 }')" \
		"$(awk -v r="$ri" 'BEGIN { printf "%.1f", r/1e6 }')" "$(awk -v g="$gi" -v r="$ri" 'BEGIN { printf "%.2f", g/r }')" "-" "-"
else
	echo "MISS instructions: valgrind not found (it counts them)"
	row "parse full registry XML, load + view (M instructions, callgrind)" "-" "-" "-" "<= 1.00" "MISS"
	status=1
fi
exit $status
