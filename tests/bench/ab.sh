#!/bin/sh
# ab.sh - which of two builds of `sim` is faster, on the wall clock.
#
# Runs the benchmark's M/M/1 (shortened to 20,000 simulated seconds, about
# 3.6 million events) with each, alternating, ROUNDS times, and prints
# quantiles of each one's times and their ratios (B over A).  On a shared
# machine, slow spells last seconds and hit both alike: many short runs
# back to back tell a 3% change apart where a few long ones cannot.
#
# usage: tests/bench/ab.sh OLD_SIM NEW_SIM [ROUNDS]   (default 30)
set -eu
a=$1
b=$2
rounds=${3:-30}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
once() {	# wall seconds of one run
	t0=$(date +%s.%N)
	"$1" run "$root/tests/bench/mm1-bench.yaml" --set duration=20000s --out "$out/run" \
		--quiet --no-plots
	t1=$(date +%s.%N)
	echo "$t0 $t1" | awk '{ printf "%.6f\n", $2 - $1 }'
}
i=0
while [ "$i" -lt "$rounds" ]; do
	once "$a" >>"$out/a"
	once "$b" >>"$out/b"
	i=$((i + 1))
done
q() {	# quantile $2 of the sorted numbers in file $1
	sort -g "$1" | awk -v q="$2" '{ v[NR] = $1 } END { printf "%.4f", v[int(q * (NR - 1)) + 1] }'
}
for p in 0 0.1 0.25 0.5; do
	qa=$(q "$out/a" $p)
	qb=$(q "$out/b" $p)
	echo "$p $qa $qb" | awk '{ printf "quantile %-4s  A %s s  B %s s  B/A %.3f\n", $1, $2, $3, $3 / $2 }'
done
