#!/bin/sh
# run-fuzz.sh - `make fuzz`: runs each libFuzzer target built in FUZZ_BUILD
# for FUZZ_SECONDS seconds (one process, one core at a time), on its
# growing corpus FUZZ_BUILD/corpus/TARGET, the seeds SEEDS/TARGET and the
# kept findings tests/fuzz-regressions/TARGET, then prints one line per
# target: seconds, executions (libFuzzer's own count), executions per
# second, corpus size and findings.  A finding (crash, leak, timeout, out
# of memory) leaves its input in FUZZ_BUILD/artifacts and the log in
# FUZZ_BUILD/logs/TARGET.log; the exit status is then 1.
#
# usage: run-fuzz.sh FUZZ_BUILD SEEDS TARGET...
# FUZZ_SECONDS (default 60), FUZZ_FLAGS (more libFuzzer flags).
set -u
build=$1 seeds=$2
shift 2
seconds=${FUZZ_SECONDS:-60}
mkdir -p "$build/logs" "$build/artifacts"
results=""
status=0
for t in "$@"; do
	bin="$build/fuzz_$t"
	corpus="$build/corpus/$t"
	mkdir -p "$corpus"
	dict=""
	[ -r "fuzz/$t.dict" ] && dict="-dict=fuzz/$t.dict"
	extra=""
	[ -d "tests/fuzz-regressions/$t" ] && extra="tests/fuzz-regressions/$t"
	log="$build/logs/$t.log"
	echo "== fuzz_$t for ${seconds}s: $bin -max_total_time=$seconds -timeout=10 -rss_limit_mb=2048 $dict ${FUZZ_FLAGS:-} $corpus $seeds/$t $extra"
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$build/artifacts/$t-" $dict ${FUZZ_FLAGS:-} \
		"$corpus" "$seeds/$t" $extra >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
	units=$(ls "$corpus" | wc -l)
	if [ $rc -eq 0 ]; then
		found=0
	else
		found="exit $rc: $(grep -m 1 -E '^(==[0-9]+==ERROR|SUMMARY|fuzz check failed|.*runtime error)' "$log")"
		status=1
	fi
	results="$results$(printf '%-12s %8s %14s %10s %8s  %s' "fuzz_$t" "${secs:-?}" "${execs:-?}" \
		"$([ -n "$execs" ] && [ -n "$secs" ] && [ "$secs" -gt 0 ] && echo $((execs / secs)) || echo ?)" "$units" "$found")
"
done
printf '%-12s %8s %14s %10s %8s  %s\n' target seconds executions exec/s corpus findings
printf '%s' "$results"
exit $status
