#!/usr/bin/env bash
# A transfer whose body starts and then stops is given up as stalled
# (after half the timeout, at most 15 s), before the whole timeout.
. "$(dirname "$0")/fetch-lib.sh"
start_server
fault_lifecycle "stall 5000" "$BASE/doc.html: transfer stalled (nothing received for 1 s after" '	timeout = 2s'

make_page "$T/v1.txt" "$WWW/doc.html"
echo "stall 5000" >"$WWW/doc.html.fault"
t0=$(ms_now)
expect_exit 1 rl fetch
took=$(($(ms_now) - t0))
[ "$took" -lt 1900 ] || fail "a stalled transfer took $took ms to give up (timeout 2 s)"
pass
