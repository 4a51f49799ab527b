#!/usr/bin/env bash
# A response slower than `timeout` is given up when the timeout expires,
# with an error naming the URL.
. "$(dirname "$0")/fetch-lib.sh"
start_server
fault_lifecycle "delay 4000" "$BASE/doc.html: Operation timed out after" '	timeout = 1s'

# It is the timeout that ends the wait, not the server.
echo "delay 4000" >"$WWW/doc.html.fault"
t0=$(ms_now)
expect_exit 1 rl fetch
took=$(($(ms_now) - t0))
[ "$took" -lt 3500 ] || fail "the fetch took $took ms with timeout = 1s against a 4 s server"
pass
