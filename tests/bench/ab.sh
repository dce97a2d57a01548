#!/bin/sh
# ab.sh - which of two builds of `sim` is faster, on the wall clock.
#
# Runs the benchmark's M/M/1 (shortened to 20,000 simulated seconds, about
# 3.6 million events) with each, ROUNDS times, in pairs taken back to back
# (A then B, then B then A, and so on), and prints the quartiles of the
# pairs' ratios (B over A), then of each build's times.  On a shared
# machine, slow spells last seconds and hit both runs of a pair alike, so
# the ratio within pairs varies far less than the times do.  Run a build
# against itself to see how far apart the quartiles fall on the machine
# as it is: a change smaller than that is not told apart.
#
# usage: tests/bench/ab.sh OLD_SIM NEW_SIM [ROUNDS]   (default 40)
set -eu
a=$1
b=$2
rounds=${3:-40}
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
	if [ $((i % 2)) -eq 0 ]; then
		ta=$(once "$a")
		tb=$(once "$b")
	else
		tb=$(once "$b")
		ta=$(once "$a")
	fi
	echo "$ta" >>"$out/a"
	echo "$tb" >>"$out/b"
	echo "$ta $tb" | awk '{ printf "%.6f\n", $2 / $1 }' >>"$out/ratio"
	i=$((i + 1))
done
q() {	# quantile $2 of the sorted numbers in file $1
	sort -g "$1" | awk -v q="$2" '{ v[NR] = $1 } END { printf "%.3f", v[int(q * (NR - 1)) + 1] }'
}
echo "B/A within pairs: quartiles $(q "$out/ratio" 0.25) $(q "$out/ratio" 0.5) $(q "$out/ratio" 0.75) ($rounds pairs)"
echo "A: quartiles $(q "$out/a" 0.25) $(q "$out/a" 0.5) $(q "$out/a" 0.75) s"
echo "B: quartiles $(q "$out/b" 0.25) $(q "$out/b" 0.5) $(q "$out/b" 0.75) s"
