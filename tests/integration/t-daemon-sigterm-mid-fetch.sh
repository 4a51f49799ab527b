#!/usr/bin/env bash
# SIGTERM while a fetch hangs (the server delays its answer): the daemon
# abandons it and exits 0 within a few seconds, writing no version and no
# failure; STOPPING=1 reaches the service manager. The next start fetches
# as if nothing happened.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sinks.sh"
start_server
start_notify_socket
cp "$FIXTURES/seed/seed-page-085.txt" "$T/v1.txt"
make_page "$T/v1.txt" "$WWW/slow.html"
echo "delay 20000" >"$WWW/slow.html.fault"
write_config '[source "slow"]' "	url = $BASE/slow.html" '	interval = 1s'
start_daemon NOTIFY_SOCKET="$T/sd.sock"
wait_for 10 grep -q '^READY=1' "$T/sd.log" || fail "no READY=1"
wait_for 10 fetches_ge /slow.html 1 || fail "the fetch did not start"
sleep 0.2
stop_daemon
assert_eq "$STOP_STATUS" 0 "exit status"
echo "     SIGTERM mid-fetch to exit: ${STOP_MS} ms"
[ "$STOP_MS" -lt 3000 ] || fail "SIGTERM took ${STOP_MS} ms"
mid_fetch_ms=$STOP_MS
wait_for 5 grep -q '^STOPPING=1' "$T/sd.log" || fail "no STOPPING=1"
assert_eq "$(git_count slow)" 0 "versions"
expect_exit 0 rl status --json
assert_eq "$(jqf '.[0].state' "$T/out")" never "state after an abandoned fetch"
assert_not_contains "$T/daemon.log" "failed:"

# Healed, the next start archives it.
rm "$WWW/slow.html.fault"
start_daemon
wait_for 10 versions_ge slow 1 || fail "no version after restart: $(cat "$T/daemon.log")"
stop_daemon
assert_eq "$STOP_STATUS" 0 "second exit status"
pass "${mid_fetch_ms} ms"
