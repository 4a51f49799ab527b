#!/usr/bin/env bash
# Versions owed to a channel arrive in the order they were archived, each
# accepted exactly once, after a receiver outage that spans several of
# them; a daemon killed outright (SIGKILL) mid-backlog loses nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sinks.sh"
start_server
start_webhook
echo 503 >"$T/hook/status"
cp "$FIXTURES/seed/seed-page-085.txt" "$T/v1.txt"
make_page "$T/v1.txt" "$WWW/page85.html"
write_config '[source "wp85"]' "	url = $BASE/page85.html" '	interval = 1h' '	notify = hook' \
	'[notify "hook"]' "	webhook = $HOOK_URL"
expect_exit 0 rl init
expect_exit 0 rl fetch
for w in robust firm resolute; do
	sed "s/maintaining a steadfast\$/maintaining a $w/" "$T/v1.txt" >"$T/v.txt"
	make_page "$T/v.txt" "$WWW/page85.html"
	expect_exit 0 rl fetch
done
assert_eq "$(git_count wp85)" 4 "versions"
start_daemon
wait_for 10 hooks_ge 2 || fail "no attempt: $(cat "$T/daemon.log")"
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
git --git-dir="$ARCHIVE" rev-parse -q --verify refs/redline/notified/hook/wp85 >/dev/null &&
	fail "the cursor moved while the receiver refused"

echo 200 >"$T/hook/status"
start_daemon
tip=$(git --git-dir="$ARCHIVE" rev-parse wp85)
at_tip() { [ "$(git --git-dir="$ARCHIVE" rev-parse -q --verify refs/redline/notified/hook/wp85)" = "$tip" ]; }
wait_for 15 at_tip || fail "backlog not delivered: $(tail -5 "$T/daemon.log")"
stop_daemon
assert_eq "$STOP_STATUS" 0 "exit status"
# The accepted deliveries, in arrival order, are the versions oldest first.
for h in "$T"/hook/*.headers; do
	grep -q 'Answered: 200' "$h" && sed -n 's/^X-Redline-Delivery: wp85\///p' "$h"
done >"$T/accepted"
git --git-dir="$ARCHIVE" rev-list --reverse wp85 >"$T/want"
diff -u "$T/want" "$T/accepted" || fail "deliveries out of order or repeated"
pass
