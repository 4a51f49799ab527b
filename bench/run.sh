#!/usr/bin/env bash
# make bench: every benchmark under bench/ (bench/*.sh), each comparing
# redline side by side with the tool a user would pick instead, in the same
# run, and reporting ratios. BENCH=name runs one.
set -u
cd "$(dirname "$0")/.."
export BUILD=${BUILD:-build}
export REDLINE=${REDLINE:-$PWD/$BUILD/redline}
status=0
for b in bench/*.sh; do
	[ "$b" = bench/run.sh ] && continue
	name=${b#bench/}
	name=${name%.sh}
	[ -n "${BENCH:-}" ] && [ "$BENCH" != "$name" ] && continue
	echo "=== bench: $name"
	bash "$b" || { echo "bench $name failed"; status=1; }
done
exit $status
