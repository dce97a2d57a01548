#!/usr/bin/env bash
# The whole test suite, as CI runs it: a -Werror build and its tests (with
# MPI when Open MPI is installed: compare, sweep and run under `mpirun -n
# 2|3` against one process, byte for byte); the
# same tests under AddressSanitizer and UndefinedBehaviorSanitizer; four
# scenarios under valgrind's memcheck; libFuzzer runs over the scenario
# loader (a minute) and over whole runs (30 s).  Prints one closing line
# "N passed, N failed".  Run from anywhere.
#
#   tests/check.sh                      everything
#   tests/check.sh --fast               the -Werror build and its tests only
#   FUZZ_SECONDS=3600 tests/check.sh    long fuzz runs (each harness)
set -uo pipefail
cd "$(dirname "$0")/.."

setup() {	# setup DIR OPTIONS...
	local dir=$1
	shift
	if [ -d "$dir/meson-private" ]; then
		meson setup --reconfigure "$dir" "$@" >/dev/null
	else
		meson setup "$dir" "$@" >/dev/null
	fi
}

passed=0
failed=0
fuzz() {	# fuzz HARNESS SECONDS CORPUS SEEDS...: builds and runs a libFuzzer harness
	local name=$1 seconds=$2 corpus=$3
	shift 3
	if ! ninja -C build-fuzz "tests/fuzz/$name" >build-fuzz/check-build.log 2>&1; then
		cat build-fuzz/check-build.log
		failed=$((failed + 1))
		return
	fi
	mkdir -p "$corpus" build-fuzz/artifacts
	if "build-fuzz/tests/fuzz/$name" -max_total_time="$seconds" \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix=build-fuzz/artifacts/ "$corpus" "$@" \
		>"build-fuzz/$name.log" 2>&1; then
		grep -E '^stat::number_of_executed_units' "build-fuzz/$name.log" || true
		echo "fuzz: $name ok, no crash"
		passed=$((passed + 1))
	else
		tail -40 "build-fuzz/$name.log"
		echo "fuzz: $name FAILED; the input is in build-fuzz/artifacts/ (add it to tests/scenarios/bad/ or tests/scenarios/)"
		failed=$((failed + 1))
	fi
}
suite() {	# suite DIR: builds and runs the tests of DIR, adds up the counts
	local dir=$1 log
	if ! ninja -C "$dir" >"$dir/check-build.log" 2>&1; then
		cat "$dir/check-build.log"
		echo "build failed in $dir"
		failed=$((failed + 1))
		return
	fi
	meson test -C "$dir" --print-errorlogs --num-processes 2 | tee "$dir/check-test.log" | grep -E '^ *[0-9]+/[0-9]+ |^(Ok|Fail|Timeout):'
	# count Criterion's test cases from its "Synthesis" lines; a test
	# program that failed without one (a crash, a timeout) counts as one
	local counts bad_exes
	counts=$(grep -h 'Synthesis: Tested' "$dir/meson-logs/testlog.txt" |
		sed 's/\x1b\[[0-9;]*m//g' |
		awk -F'|' '{ for (i = 1; i <= NF; i++) {
			if ($i ~ /Passing:/) { split($i, a, ":"); p += a[2] }
			if ($i ~ /Failing:|Crashing:/) { split($i, a, ":"); f += a[2] } } }
			END { printf "%d %d", p, f }')
	bad_exes=$(awk '/^(Fail|Timeout):/ {n += $2} END {print n + 0}' "$dir/check-test.log")
	set -- $counts
	passed=$((passed + $1))
	if [ "$2" -eq 0 ] && [ "$bad_exes" -gt 0 ]; then
		failed=$((failed + bad_exes))
	else
		failed=$((failed + $2))
	fi
}

echo "== build with -Werror and run the tests"
setup build -Dwerror=true -Dmpi=enabled || exit 1
suite build

if [ "${1:-}" != "--fast" ]; then
	echo "== the same tests under AddressSanitizer and UndefinedBehaviorSanitizer"
	# without MPI: Open MPI's own allocations would read as leaks
	setup build-sanitize -Dwerror=true -Dbuildtype=debugoptimized \
		-Db_sanitize=address,undefined -Db_lundef=false -Dmpi=disabled || exit 1
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
	export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
	suite build-sanitize

	echo "== valgrind memcheck: no errors, no leaks, on four scenarios"
	if command -v valgrind >/dev/null; then
		vg=(valgrind --quiet --error-exitcode=3 --leak-check=full
			--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect)
		for args in "scenarios/mm1.yaml --set duration=10m" \
			    "scenarios/retry-storm.yaml --set duration=2m --variant budget" \
			    "scenarios/likes-spike.yaml --set duration=150s --variant drop-stale" \
			    "scenarios/backpressure.yaml --set duration=2m --variant buffer"; do
			# shellcheck disable=SC2086
			if "${vg[@]}" build/sim/sim run $args --out build/valgrind-out --quiet --no-plots \
				>build/valgrind.log 2>&1; then
				echo "valgrind: ok: $args"
				passed=$((passed + 1))
			else
				cat build/valgrind.log
				echo "valgrind: FAILED: $args"
				failed=$((failed + 1))
			fi
		done
	else
		echo "valgrind is not installed: skipped (apt-get install valgrind)"
	fi

	if command -v clang >/dev/null; then
		CC=clang setup build-fuzz -Dfuzz=true -Db_lto=false -Db_sanitize=address,undefined \
			-Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link -Dwerror=true -Dmpi=disabled || exit 1
		echo "== fuzzing the scenario loader for ${FUZZ_SECONDS:-60} s (libFuzzer, ASan, UBSan)"
		fuzz fuzz_scenario "${FUZZ_SECONDS:-60}" build-fuzz/corpus scenarios tests/scenarios/bad
		echo "== fuzzing whole runs for ${FUZZ_SECONDS:-30} s (libFuzzer, ASan, UBSan)"
		fuzz fuzz_run "${FUZZ_SECONDS:-30}" build-fuzz/corpus-run scenarios tests/scenarios
	else
		echo "clang is not installed: fuzzing skipped (apt-get install clang libclang-rt-14-dev)"
	fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
