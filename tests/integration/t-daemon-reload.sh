#!/usr/bin/env bash
# SIGHUP: a broken configuration is reported (file, line, key) and the
# one in force stays; a good one adds and drops sources while the daemon
# runs. One daemon per archive: a second is refused, and a daemon killed
# with SIGKILL leaves no stale lock.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sinks.sh"
start_server
start_notify_socket
cp "$FIXTURES/seed/seed-page-085.txt" "$T/v1.txt"
make_page "$T/v1.txt" "$WWW/a.html"
make_page "$T/v1.txt" "$WWW/b.html"
write_config '[source "a"]' "	url = $BASE/a.html" '	interval = 1s'
start_daemon NOTIFY_SOCKET="$T/sd.sock"
wait_for 10 versions_ge a 1 || fail "source a not archived: $(cat "$T/daemon.log")"

# A second daemon on the same archive is refused, naming the first.
expect_exit 1 "$REDLINED" -c "$CONF"
assert_contains "$T/err" "another redlined with pid $DAEMON_PID works on"

# A broken file: reported, and the daemon goes on with the old one.
write_config '[source "a"]' "	url = $BASE/a.html" '	interval = soon' '	colour = red'
kill -HUP "$DAEMON_PID"
wait_for 10 daemon_log_has "reload refused" || fail "broken file not reported: $(cat "$T/daemon.log")"
assert_contains "$T/daemon.log" "source.a.interval"
assert_contains "$T/daemon.log" "unknown key 'colour'"
n=$(server_stats | jq '.paths["/a.html"]')
wait_for 10 fetches_ge /a.html $((n + 2)) || fail "the old configuration stopped working"
kill -0 "$DAEMON_PID" || fail "the daemon died on a broken configuration"
[ "$(grep -c '^READY=1' "$T/sd.log")" -ge 2 ] || fail "no READY=1 after the refused reload"

# A good file: b comes, a goes.
write_config '[source "b"]' "	url = $BASE/b.html" '	interval = 1s'
kill -HUP "$DAEMON_PID"
wait_for 10 versions_ge b 1 || fail "source b not picked up: $(cat "$T/daemon.log")"
assert_contains "$T/daemon.log" "added b; removed a"
sleep 0.5
n=$(server_stats | jq '.paths["/a.html"]')
m=$(server_stats | jq '.paths["/b.html"]')
wait_for 10 fetches_ge /b.html $((m + 2)) || fail "b is not fetched"
assert_eq "$(server_stats | jq '.paths["/a.html"]')" "$n" "fetches of the removed source"

# A daemon killed outright leaves no lock behind.
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
start_daemon
wait_for 10 log_count_ge "watching 1 source" 2 || fail "restart after SIGKILL: $(tail -3 "$T/daemon.log")"
stop_daemon
assert_eq "$STOP_STATUS" 0 "exit status"
pass
