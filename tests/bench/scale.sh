#!/bin/sh
# scale.sh - what more workers buy: `sim compare` of the likes spike
# (nine variants, charts included) at --jobs 1 and --jobs 2, and, when
# the build has MPI, a 16-point sweep in one process against `mpirun -n 2`
# (four replications a point, --jobs 1 on each rank).  Rounds alternate
# the order; prints each timing and the median of the ratios, measured
# in the same run.  SKIP_COMPARE=1 measures only the sweep.
#
# usage: tests/bench/scale.sh [SIM] [ROUNDS]   (default build/sim/sim, 3)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
sim=${1:-$root/build/sim/sim}
rounds=${2:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$root"
secs() {	# secs COMMAND...: wall seconds of the command
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>&1
	t1=$(date +%s.%N)
	echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
pair() {	# pair NAME A-COMMAND -- B-COMMAND: rounds of both, ratio B/A
	name=$1
	shift
	: >"$out/ratios"
	i=0
	while [ "$i" -lt "$rounds" ]; do
		if [ $((i % 2)) -eq 0 ]; then
			ta=$(secs sh -c "$A")
			tb=$(secs sh -c "$B")
		else
			tb=$(secs sh -c "$B")
			ta=$(secs sh -c "$A")
		fi
		echo "$ta $tb" | awk -v n="$name" '{ printf "%s: %.2f s, then %.2f s (ratio %.2f)\n", n, $1, $2, $2 / $1 }'
		echo "$ta $tb" | awk '{ print $2 / $1 }' >>"$out/ratios"
		i=$((i + 1))
	done
	echo "$name: median ratio $(median <"$out/ratios")"
}
if [ -z "${SKIP_COMPARE:-}" ]; then
	A="$sim compare scenarios/likes-spike.yaml --jobs 1 --out $out/c1"
	B="$sim compare scenarios/likes-spike.yaml --jobs 2 --out $out/c2"
	pair "compare likes-spike, --jobs 2 against --jobs 1 (target <= 0.6)"
fi
if ldd "$sim" | grep -q libmpi; then
	export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
	export OMPI_MCA_btl_vader_single_copy_mechanism=none
	vary="servers.count=5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20"
	A="$sim sweep scenarios/retry-storm.yaml --vary $vary --reps 4 --jobs 1 --no-plots --out $out/s1"
	B="mpirun -n 2 --oversubscribe $sim sweep scenarios/retry-storm.yaml --vary $vary --reps 4 --no-plots --out $out/s2"
	pair "sweep of 16 points, mpirun -n 2 against one process (target <= 0.56, i.e. 1.8x)"
	for f in sweep.csv sweep.md; do
		cmp -s "$out/s1/$f" "$out/s2/$f" && echo "$f: the same bytes" || echo "$f: DIFFERS"
	done
fi
