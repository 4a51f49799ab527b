#!/bin/sh
# make check: the unit's exposure by `systemd-analyze security` stays at or
# below 2.0 (issue 7). Skipped, saying so, where systemd-analyze is absent.
unit=$(dirname "$0")/redlined.service
max=${1:-2.0}
if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "skip systemd/redlined.service exposure: systemd-analyze is not installed (apt-get install systemd)"
	exit 0
fi
out=$(systemd-analyze security --offline=true "$unit" 2>&1)
level=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
if [ -z "$level" ]; then
	printf '%s\n' "$out" | tail -5
	echo "FAIL systemd/redlined.service: systemd-analyze gave no exposure level"
	exit 1
fi
if awk -v l="$level" -v m="$max" 'BEGIN { exit !(l <= m) }'; then
	echo "ok   systemd/redlined.service exposure $level (at most $max)"
else
	printf '%s\n' "$out" | grep '✗'
	echo "FAIL systemd/redlined.service exposure $level is above $max"
	exit 1
fi
