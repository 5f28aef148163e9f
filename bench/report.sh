#!/bin/sh
# report.sh - `make bench`: runs the three benchmark parts (run-bench.sh:
# the parser; run-nss-bench.sh: the NSS module; run-wireshark-bench.sh: the
# plugin), keeps their detailed output in $BENCH_LOG, and prints one table
# of every figure (medians; each comparison a ratio measured in the same
# run) with the machine it ran on.  Exits 1 when a target was missed, 2
# when a part failed to run.  No time limit here ever fails `make check`:
# this is not a test.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${BENCH_LOG:=/dev/null}"
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
export BENCH_ROWS="$rows"
start=$(date +%s)
status=0
: >"$BENCH_LOG"
for part in run-bench.sh run-nss-bench.sh run-wireshark-bench.sh; do
	echo "== $part" >>"$BENCH_LOG"
	sh "$here/$part" >>"$BENCH_LOG" 2>&1
	rc=$?
	[ $rc -gt $status ] && status=$rc
	[ $rc -le 1 ] || echo "bench: $part failed (exit $rc); see $BENCH_LOG"
done
elapsed=$(( $(date +%s) - start ))

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
os=$( (. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") || uname -s)
echo "Machine: ${cpu:-unknown CPU}, $(nproc) cores, $mem, $os, Linux $(uname -r)"
echo "Tools: $(${CC:-cc} --version | head -n 1); libxml2 $(xmllint --version 2>&1 | sed -n 's/.*using libxml version //p' | head -n 1); glibc $(getconf GNU_LIBC_VERSION | cut -d' ' -f2); $(tshark --version 2>/dev/null | head -n 1 | cut -d' ' -f1-3)"
echo "Date: $(date -u +%Y-%m-%d), $elapsed s for the whole run"
echo
awk -F '\t' '
	{ m[NR] = $1; o[NR] = $2; r[NR] = $3; q[NR] = $4; t[NR] = $5; v[NR] = $6
	  if (length($1) > w) w = length($1) }
	END {
		fmt = "| %-" w "s | %10s | %10s | %8s | %-15s | %-4s |\n"
		printf fmt, "measurement: ours vs reference", "ours", "reference", "ratio", "target", "met"
		line = "|"; for (i = 0; i < w + 2; i++) line = line "-"
		printf "%s|------------|------------|----------|-----------------|------|\n", line
		for (i = 1; i <= NR; i++) printf fmt, m[i], o[i], r[i], q[i], t[i], v[i]
	}' "$rows"
echo
if grep -q "	MISS$" "$rows"; then
	echo "bench: TARGET MISSED"
	[ $status -lt 1 ] && status=1
elif [ $status -ge 2 ]; then
	echo "bench: a part failed to run"
else
	echo "bench: all targets met"
fi
grep -h "SKIP" "$BENCH_LOG" 2>/dev/null | sed 's/^/note: /'
echo "details: $BENCH_LOG"
exit $status
