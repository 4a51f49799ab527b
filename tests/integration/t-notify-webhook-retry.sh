#!/usr/bin/env bash
# A receiver that refuses (HTTP 500) is retried with backoff until it says
# yes, without a restart, and gets each version exactly once it accepted;
# a cosmetic change is archived but not sent to a channel that wants
# wording (its cursor passes it by); a version written by `redline fetch`
# while the daemon runs is delivered by the daemon; a reextract commit is
# never sent.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sinks.sh"
start_server
start_webhook
echo 500 >"$T/hook/status"
cp "$FIXTURES/seed/seed-page-085.txt" "$T/v1.txt"
make_page "$T/v1.txt" "$WWW/page85.html"
write_config '[source "wp85"]' "	url = $BASE/page85.html" '	interval = 1h' '	notify = hook' \
	'[notify "hook"]' "	webhook = $HOOK_URL" '	min-change = wording'
expect_exit 0 rl init
# `notify test` says what the receiver answered, and exits 1 on a no.
expect_exit 1 rl notify test hook
assert_contains "$T/out" "hook: failed: http://127.0.0.1:$HOOK_PORT: HTTP 500: not now"
assert_not_contains "$T/out" "s3cr3t-token"
assert_eq "$(jqf .event "$T/hook/001.body")" test "test event"
rm "$T"/hook/001.*
start_daemon
wait_for 10 versions_ge wp85 1 || fail "no first version: $(cat "$T/daemon.log")"
first=$(git --git-dir="$ARCHIVE" rev-parse wp85)
wait_for 10 hooks_ge 2 || fail "no retry: $(cat "$T/daemon.log")"
assert_contains "$T/daemon.log" "not delivered on 'hook' (attempt 1, next in 1 s): http://127.0.0.1:$HOOK_PORT: HTTP 500: not now"
assert_not_contains "$T/daemon.log" "s3cr3t-token"
git --git-dir="$ARCHIVE" rev-parse -q --verify refs/redline/notified/hook/wp85 >/dev/null &&
	fail "cursor moved without a yes"

echo 200 >"$T/hook/status"
cursor_is() { [ "$(git --git-dir="$ARCHIVE" rev-parse -q --verify "refs/redline/notified/hook/$1")" = "$2" ]; }
wait_for 10 cursor_is wp85 "$first" || fail "not delivered once the receiver says yes"
yes_count() { grep -l "X-Redline-Delivery: wp85/$1" "$T"/hook/*.headers | xargs grep -l 'Answered: 200' | wc -l; }
assert_eq "$(yes_count "$first")" 1 "accepted deliveries of the first version"
tries=$(hook_count)

# A cosmetic change (only the case of one word): archived, not sent.
sed 's/maintaining a steadfast$/maintaining a Steadfast/' "$T/v1.txt" >"$T/v1c.txt"
make_page "$T/v1c.txt" "$WWW/page85.html"
expect_exit 0 rl fetch
assert_eq "$(git --git-dir="$ARCHIVE" log -1 --format=%B wp85 | sed -n 's/^Redline-Change: //p')" cosmetic "class"
cosmetic=$(git --git-dir="$ARCHIVE" rev-parse wp85)
wait_for 10 cursor_is wp85 "$cosmetic" || fail "the cursor did not pass the cosmetic change by"
assert_eq "$(hook_count)" "$tries" "requests after a cosmetic change"

# A wording change written by `redline fetch` reaches the hook through
# the running daemon.
sed 's/maintaining a steadfast$/maintaining a robust/' "$T/v1.txt" >"$T/v2.txt"
make_page "$T/v2.txt" "$WWW/page85.html"
expect_exit 0 rl fetch
second=$(git --git-dir="$ARCHIVE" rev-parse wp85)
wait_for 10 cursor_is wp85 "$second" || fail "fetch's change not delivered: $(tail -5 "$T/daemon.log")"
assert_eq "$(yes_count "$second")" 1 "accepted deliveries of the change"
last=$(ls "$T"/hook/*.body | tail -1)
assert_eq "$(jqf .previous "$last")" "$cosmetic" "previous version"
jqf .excerpt "$last" | grep -qF '[-Steadfast-]{+robust+}' || fail "excerpt: $(jqf .excerpt "$last")"

# A reextract commit (written here with stock git, as `redline reextract`
# writes it) is never sent; the cursor passes it by.
tries=$(hook_count)
g() { git --git-dir="$ARCHIVE" "$@"; }
reex=$(g commit-tree "$(g rev-parse 'wp85^{tree}')" -p wp85 -m "wp85: text rebuilt by extractor 2" \
	-m "Redline-Change: reextract")
g update-ref refs/heads/wp85 "$reex" "$second"
wait_for 10 cursor_is wp85 "$reex" || fail "the cursor did not pass the reextract commit by"
assert_eq "$(hook_count)" "$tries" "requests after a reextract commit"

expect_exit 0 rl notify pending
assert_contains "$T/out" "hook	wp85	${reex:0:10}	0 pending"
stop_daemon
assert_eq "$STOP_STATUS" 0 "exit status"
pass
