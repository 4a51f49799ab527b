#!/usr/bin/env bash
# Under systemd, with stderr the journal's stream (JOURNAL_STREAM names
# its device and inode), every log line goes to the journal as native
# protocol fields: MESSAGE, PRIORITY and the structured ones (SOURCE,
# URL, CHANGE, COMMIT) that `journalctl SOURCE=a` finds. The journal's
# socket is the test's (REDLINED_JOURNAL_SOCKET); nothing reaches stderr.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sinks.sh"
start_server
: >"$T/journal.log"
"$SINK" notify-socket --path "$T/journal.sock" --out "$T/journal.log" 2>>"$T/sd-sink.log" &
JOURNAL_PID=$!
wait_for 5 test -S "$T/journal.sock" || fail "journal socket did not appear"
cp "$FIXTURES/seed/seed-page-085.txt" "$T/v1.txt"
make_page "$T/v1.txt" "$WWW/a.html"
write_config '[source "a"]' "	url = $BASE/a.html" '	interval = 1s'
expect_exit 0 rl init
: >"$T/daemon.log"
start_daemon JOURNAL_STREAM="$(stat -c %d:%i "$T/daemon.log")" \
	REDLINED_JOURNAL_SOCKET="$T/journal.sock"
wait_for 10 versions_ge a 1 || fail "source a not archived: $(cat "$T/daemon.log")"
wait_for 5 grep -q '^MESSAGE=a: first version' "$T/journal.log" ||
	fail "no first version in the journal: $(cat "$T/journal.log")"
assert_contains "$T/journal.log" "SOURCE=a"
assert_contains "$T/journal.log" "URL=$BASE/a.html"
assert_contains "$T/journal.log" "PRIORITY=5"
assert_contains "$T/journal.log" "SYSLOG_IDENTIFIER=redlined"
grep -q '^MESSAGE=watching 1 source' "$T/journal.log" || fail "no start line: $(cat "$T/journal.log")"
stop_daemon
assert_eq "$STOP_STATUS" 0 "exit status"
kill "$JOURNAL_PID" 2>/dev/null
wait "$JOURNAL_PID" 2>/dev/null
[ -s "$T/daemon.log" ] && fail "stderr got lines meant for the journal: $(cat "$T/daemon.log")"
pass
