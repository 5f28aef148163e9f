# bench/lib.sh - sourced by the bench scripts: medians, and the rows of the
# one table `make bench` prints (bench/report.sh).
#
# row MEASUREMENT OURS REFERENCE RATIO TARGET VERDICT
#   appends one tab-separated row to $BENCH_ROWS when it is set (each
#   script also prints its own detailed lines).  VERDICT: PASS, MISS or
#   "-" (a figure with no target).

# median: the median of the numbers on standard input, one per line.
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

row() {
	[ -n "${BENCH_ROWS:-}" ] || return 0
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$BENCH_ROWS"
}
