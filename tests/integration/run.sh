#!/usr/bin/env bash
# Runs every integration test (t-*.sh), or those named; each is a
# self-contained script that starts its own loopback server.
set -u
cd "$(dirname "$0")"
export BUILD=${BUILD:-build}
command -v jq >/dev/null || { echo "integration tests need jq (make deps installs it)"; exit 1; }
tests=("$@")
[ ${#tests[@]} -eq 0 ] && tests=(t-*.sh)
failed=()
for t in "${tests[@]}"; do
	if ! bash "$t"; then
		failed+=("$t")
		echo "FAIL $t"
	fi
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "integration: ${#failed[@]} of ${#tests[@]} failed: ${failed[*]}"
	exit 1
fi
echo "integration: all ${#tests[@]} passed ($BUILD)"
