#!/bin/sh
# instructions.sh - instructions per event of `sim run` and of the
# hand-coded loop on the benchmark's M/M/1, counted by valgrind's
# callgrind.  Unlike wall time, the count is the same on every run
# whatever the machine's load, so it shows small changes to the hot path.
#
# usage: tests/bench/instructions.sh [BUILD_DIR]   (default: build)
set -eu
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
customers=1000000
count() {	# Ir of a command under callgrind
	valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$@" >"$out/stdout" 2>"$out/log"
	sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out/log"
}
ref_ir=$(count "$build/tests/bench/bench_mm1" --reference $customers)
ref_ev=$(cat "$out/stdout")
sim_ir=$(count "$build/sim/sim" run "$root/tests/bench/mm1-bench.yaml" --set duration=11111s \
	--out "$out/sim" --quiet --no-plots)
sim_ev=$(sed -n 's/.*"events": \([0-9]*\).*/\1/p' "$out/sim/summary.json")
awk -v ri="$ref_ir" -v re="$ref_ev" -v si="$sim_ir" -v se="$sim_ev" 'BEGIN {
	printf "hand-coded loop : %5.0f instructions per event (%d events)\n", ri / re, re
	printf "sim run (whole) : %5.0f instructions per event (%d events)\n", si / se, se
	printf "ratio of instruction counts, hand-coded/sim: %.2f\n", (ri / re) / (si / se)
}'
