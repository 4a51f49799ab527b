#!/usr/bin/env bash
# Runs every unit-test binary given; from the repository root so fixtures resolve.
# A test that runs past UNIT_TIMEOUT seconds (default 300; the slowest
# takes about 16 s under ASan) is stopped and fails: a loop that no
# longer ends is a failure with a name, not a check that never finishes.
# UNIT_TIMEOUT=0 lets them run as long as they take.
set -u
cd "$(dirname "$0")/.." || exit 2
limit=${UNIT_TIMEOUT:-300}
fail=0
for t in "$@"; do
	timeout -k 10 "$limit" "$t" >"$t.log" 2>&1
	rc=$?
	if [ "$rc" = 124 ]; then
		echo "FAIL $t: still running after ${limit} s (UNIT_TIMEOUT), stopped"
		cat "$t.log"
		fail=1
	elif [ "$rc" != 0 ]; then
		echo "FAIL $t (exit status $rc)"
		cat "$t.log"
		fail=1
	else
		echo "ok   $t ($(grep -c '\[       OK \]' "$t.log") cases)"
	fi
done
exit $fail
