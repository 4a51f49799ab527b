#!/usr/bin/env bash
# A source that starts failing is announced once however often it fails,
# its recovery once; `redline status` shows the failure as announced.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sinks.sh"
start_server
start_webhook
cp "$FIXTURES/seed/seed-page-085.txt" "$T/v1.txt"
make_page "$T/v1.txt" "$WWW/page85.html"
write_config '[source "wp85"]' "	url = $BASE/page85.html" '	interval = 1s' '	notify = hook' \
	'[notify "hook"]' "	webhook = $HOOK_URL"
start_daemon
wait_for 10 hooks_ge 1 || fail "first version not announced"
assert_eq "$(jqf .event "$T/hook/001.body")" watching "first event"

echo "status 503" >"$WWW/page85.html.fault"
n=$(server_stats | jq '.paths["/page85.html"]')
wait_for 10 hooks_ge 2 || fail "failure not announced: $(cat "$T/daemon.log")"
assert_eq "$(jqf .event "$T/hook/002.body")" failing "event"
assert_eq "$(jqf .error "$T/hook/002.body")" "HTTP 503 from $BASE/page85.html" "error"
assert_contains "$T/hook/002.headers" "X-Redline-Event: failing"
# Several more failed attempts (backoff is capped by the 1s interval): silence.
wait_for 15 fetches_ge /page85.html $((n + 4)) || fail "the daemon stopped trying"
assert_eq "$(hook_count)" 2 "notifications while failing"
expect_exit 0 rl status --json
assert_eq "$(jqf '.[0].state' "$T/out")" failing "state"
jq -e . "$ARCHIVE/redline/state/wp85.json" >/dev/null
assert_eq "$(jq .failure_notified "$ARCHIVE/redline/state/wp85.json")" true "failure_notified"

rm "$WWW/page85.html.fault"
wait_for 10 hooks_ge 3 || fail "recovery not announced"
assert_eq "$(jqf .event "$T/hook/003.body")" recovered "event"
n=$(server_stats | jq '.paths["/page85.html"]')
wait_for 10 fetches_ge /page85.html $((n + 3)) || fail "the daemon stopped fetching"
assert_eq "$(hook_count)" 3 "notifications after recovery"
stop_daemon
assert_eq "$STOP_STATUS" 0 "exit status"
pass
