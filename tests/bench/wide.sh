#!/bin/sh
# wide.sh - does the cost of an event grow with the model's size?
#
# Runs the same load (200,000 items/s in total for 50 simulated seconds,
# about 20 million events) split over N independent producer -> queue ->
# 2-worker pipelines, each worker pool at utilisation 0.5, without plots,
# and prints for each N the events per second of CPU time, its ratio to
# N = 1 measured in the same run, the peak resident memory and that memory
# per component (3 per pipeline) above the N = 1 run's.  Time is CPU time
# (user + system, from /usr/bin/time -v), which a busy shared machine
# disturbs far less than wall time; the run is single-threaded.
#
# With LOAD=R in the environment, the total load is R items/s instead:
# LOAD=0.001 leaves the components idle, to see what an idle one costs.
#
# The pipelines are independent parts: sim runs each up to the next sample
# on its own (sim/parts.c).  With JOINED=1, the first pool scales on the
# second pipeline's queue (an autoscaler that never acts: its target is
# out of reach), which makes the parts act on each other: the model then
# runs as one, every event in one calendar, as a connected model of the
# same size would.
#
# usage: tests/bench/wide.sh [SIM] [N...]   (default: build/sim/sim 1 10 100 1000)
#        tests/bench/wide.sh --scenario N  (prints the scenario for N pipelines)
set -eu
scenario() {	# the YAML of $1 pipelines
	awk -v n="$1" -v load="${LOAD:-200000}" -v joined="${JOINED:-0}" 'BEGIN {
		rate = load / n		# items/s per pipeline
		printf "name: wide-%d\nduration: 50s\nseed: 1\ncomponents:\n", n
		for (i = 0; i < n; i++) {
			printf "  p%d: {kind: producer, rate: %.6g/s, to: q%d}\n", i, rate, i
			printf "  q%d: {kind: queue}\n", i
			printf "  w%d: {kind: workers, from: q%d, count: 2, service: {dist: exponential, mean: %.6gus}%s}\n",
				i, i, 1e6 / rate,
				(joined && i == 0 && n > 1) ? ", autoscale: {signal: q1.depth, target: 1e9, max: 2}" : ""
		}
	}'
}
if [ "${1:-}" = --scenario ]; then
	scenario "$2"
	exit 0
fi
sim=${1:-build/sim/sim}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- 1 10 100 1000
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%7s %10s %8s %8s %9s %9s\n' N "M ev/s" "ratio" "MB" "KB/comp" "cpu s"
base_rate= base_kb=
for n in "$@"; do
	scenario "$n" >"$out/wide.yaml"
	/usr/bin/time -v "$sim" run "$out/wide.yaml" --out "$out/run" --quiet --no-plots \
		2>"$out/time" >/dev/null || { cat "$out/time" >&2; exit 1; }
	kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/time")
	ev=$(sed -n 's/.*"events": \([0-9]*\).*/\1/p' "$out/run/summary.json")
	user=$(sed -n 's/.*User time (seconds): //p' "$out/time")
	sys=$(sed -n 's/.*System time (seconds): //p' "$out/time")
	wall=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
	rate=$(awk -v e="$ev" -v w="$wall" 'BEGIN { printf "%.3f", e / w / 1e6 }')
	[ -n "$base_rate" ] || { base_rate=$rate; base_kb=$kb; }
	awk -v n="$n" -v r="$rate" -v b="$base_rate" -v kb="$kb" -v bk="$base_kb" -v w="$wall" 'BEGIN {
		per = n > 1 ? (kb - bk) / (3 * (n - 1)) : 0
		printf "%7d %10.2f %8.2f %8.1f %9.1f %9.2f\n", n, r, r / b, kb / 1024, per, w
	}'
done
