#!/usr/bin/env bash
# Runs every integration test (t-*.sh), or those named; each is a
# self-contained script that starts its own loopback server. One that
# runs past TEST_TIMEOUT seconds (default 600; the slowest takes about a
# minute under valgrind) is stopped with everything it started (timeout
# signals its whole process group, the server too) and fails, so that a
# hang is a failure with a name. TEST_TIMEOUT=0: no limit.
set -u
cd "$(dirname "$0")" || exit 2
export BUILD=${BUILD:-build}
command -v jq >/dev/null || { echo "integration tests need jq (make deps installs it)"; exit 1; }
tests=("$@")
[ ${#tests[@]} -eq 0 ] && tests=(t-*.sh)
limit=${TEST_TIMEOUT:-600}
failed=()
for t in "${tests[@]}"; do
	timeout -k 10 "$limit" bash "$t"
	rc=$?
	if [ "$rc" = 124 ]; then
		failed+=("$t")
		echo "FAIL $t: still running after ${limit} s (TEST_TIMEOUT), stopped"
	elif [ "$rc" != 0 ]; then
		failed+=("$t")
		echo "FAIL $t"
	fi
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "integration: ${#failed[@]} of ${#tests[@]} failed: ${failed[*]}"
	exit 1
fi
echo "integration: all ${#tests[@]} passed ($BUILD)"
