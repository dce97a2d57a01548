#!/bin/sh
# large-calendars.sh - the event calendar with 10 to 10^6 pending events.
#
# First the hold model on the calendar alone (tests/bench/bench_calendar:
# the plain heap against the heap with its ladder, same run), then `sim run`
# end to end on two models whose calendars are large:
#   - the M/M/c pool of tests/bench/pool-bench.yaml at rho = 0.9 with 10,
#     1,000, 100,000 and 1,000,000 workers (as many pending completions),
#     the same number of events (about 1.8 million) at every size;
#   - the retry storm of tests/bench/retry-storm-bench.yaml (hundreds of
#     thousands of sleeping timeouts).
# Each `sim` given is timed on each model, in turn, ROUNDS times; the
# figure is the median CPU time (user + system) per event, in ns, which
# a busy machine disturbs less than the wall clock.
#
# usage: tests/bench/large-calendars.sh [BUILD_DIR [OTHER_SIM...]]
#        (default build; OTHER_SIM, such as an older build, is timed too)
# ROUNDS=N in the environment sets the rounds (default 3).
set -eu
build=${1:-build}
[ $# -gt 0 ] && shift
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${ROUNDS:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$build/tests/bench/bench_calendar"

cpu_ns_per_event() {	# SIM YAML ARGS...: median CPU ns per event
	sim=$1
	yaml=$2
	shift 2
	i=0
	while [ "$i" -lt "$rounds" ]; do
		/usr/bin/time -f '%U %S' -o "$out/time" "$sim" run "$yaml" "$@" \
			--out "$out/run" --quiet --no-plots
		ev=$(sed -n 's/.*"events": \([0-9]*\).*/\1/p' "$out/run/summary.json")
		awk -v ev="$ev" '{ printf "%.1f\n", ($1 + $2) * 1e9 / ev }' "$out/time"
		i=$((i + 1))
	done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo
echo "sim run: median CPU ns per event over $rounds runs"
printf '%-34s' "model"
for sim in "$build/sim/sim" "$@"; do printf ' %14s' "$(basename "$(dirname "$(dirname "$sim")")")"; done
echo
pool="$root/tests/bench/pool-bench.yaml"
for workers in 10 1000 100000 1000000; do
	rate=$((workers * 9 / 10))
	# the same number of events at every size: 1.8 million
	duration=$(awk -v r="$rate" 'BEGIN { printf "%.6gs", 900000 / r }')
	printf '%-34s' "M/M/c, $workers workers"
	for sim in "$build/sim/sim" "$@"; do
		printf ' %14s' "$(cpu_ns_per_event "$sim" "$pool" --set w.count="$workers" \
			--set src.rate="$rate/s" --set duration="$duration" \
			--set sample="$duration")"
	done
	echo
done
printf '%-34s' "retry storm (bench)"
for sim in "$build/sim/sim" "$@"; do
	printf ' %14s' "$(cpu_ns_per_event "$sim" "$root/tests/bench/retry-storm-bench.yaml")"
done
echo
