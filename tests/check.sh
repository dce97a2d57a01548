#!/usr/bin/env bash
# The whole test suite, as CI runs it: a -Werror build and its tests, then
# the same tests under AddressSanitizer and UndefinedBehaviorSanitizer.
# Prints one closing line "N passed, N failed".  Run from anywhere.
#
#   tests/check.sh            both builds
#   tests/check.sh --fast     the -Werror build only
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
setup build -Dwerror=true || exit 1
suite build

if [ "${1:-}" != "--fast" ]; then
	echo "== the same tests under AddressSanitizer and UndefinedBehaviorSanitizer"
	setup build-sanitize -Dwerror=true -Dbuildtype=debugoptimized \
		-Db_sanitize=address,undefined -Db_lundef=false || exit 1
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
	export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
	suite build-sanitize
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
