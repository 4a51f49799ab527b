#!/usr/bin/env bash
# Runs every unit-test binary given; from the repository root so fixtures resolve.
set -u
cd "$(dirname "$0")/.."
fail=0
for t in "$@"; do
	if ! "$t" >"$t.log" 2>&1; then
		echo "FAIL $t"
		cat "$t.log"
		fail=1
	else
		echo "ok   $t ($(grep -c '\[       OK \]' "$t.log") cases)"
	fi
done
exit $fail
