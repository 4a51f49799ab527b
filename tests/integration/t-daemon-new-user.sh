#!/usr/bin/env bash
# Issue 7's "done when", as a new user meets it: redlined under a test
# NOTIFY_SOCKET with WATCHDOG_USEC sends READY and WATCHDOG; a one-word
# change reaches a webhook within seconds, signed (checked with openssl);
# a re-wrap of the page sends and archives nothing; SIGHUP picks up a new
# source; with the receiver down a change is archived, the daemon stops
# (exit 0), receiver and daemon come back and the change is delivered
# with its commit id; `redline feed` is valid Atom.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sinks.sh"
start_server
start_webhook
start_notify_socket

cp "$FIXTURES/seed/seed-page-085.txt" "$T/v1.txt"
make_page "$T/v1.txt" "$WWW/page85.html"
printf 'correct horse battery staple\n' >"$T/hook.secret"
chmod 600 "$T/hook.secret"
source_lines=('[source "wp85"]' "	url = $BASE/page85.html" '	title = Page 85' '	interval = 1s'
	'	watch = linchpin' '	notify = analysts')
channel_lines=('[notify "analysts"]' "	webhook = $HOOK_URL" "	secret-file = $T/hook.secret"
	'	min-change = wording' '[feed]' "	path = $T/feed.xml")
write_config "${source_lines[@]}" "${channel_lines[@]}"

start_daemon NOTIFY_SOCKET="$T/sd.sock" WATCHDOG_USEC=400000
wait_for 10 grep -q '^READY=1' "$T/sd.log" || fail "no READY=1: $(cat "$T/sd.log" "$T/daemon.log")"
wait_for 5 grep -q '^WATCHDOG=1' "$T/sd.log" || fail "no WATCHDOG=1: $(cat "$T/sd.log")"
assert_contains "$T/sd.log" "STATUS=1 source"
# The first version is announced once, as "watching".
wait_for 10 hooks_ge 1 || fail "no first notification: $(cat "$T/daemon.log")"
assert_eq "$(jqf .event "$T/hook/001.body")" watching "first event"
assert_eq "$(git_count wp85)" 1 "versions after start"

# One word changes: the webhook hears it within seconds, signed.
sed 's/maintaining a steadfast$/maintaining a robust/' "$T/v1.txt" >"$T/v2.txt"
t0=$(date +%s%N)
make_page "$T/v2.txt" "$WWW/page85.html"
wait_for 10 hooks_ge 2 || fail "change not delivered: $(cat "$T/daemon.log")"
latency_ms=$((($(date +%s%N) - t0) / 1000000))
echo "     change to webhook: ${latency_ms} ms (interval 1s)"
[ "$latency_ms" -lt 5000 ] || fail "delivery took ${latency_ms} ms"
body="$T/hook/002.body" headers="$T/hook/002.headers"
commit=$(git --git-dir="$ARCHIVE" rev-parse wp85)
assert_eq "$(jqf .event "$body")" change "event"
assert_eq "$(jqf .commit "$body")" "$commit" "commit in the payload"
assert_eq "$(jqf .previous "$body")" "$(git --git-dir="$ARCHIVE" rev-parse wp85~1)" "previous"
assert_eq "$(jqf .source "$body")" wp85 "source"
assert_eq "$(jqf .title "$body")" "Page 85" "title"
assert_eq "$(jqf .class "$body")" wording "class"
assert_eq "$(jqf .subject "$body")" "wp85: 1 word changed" "subject"
assert_eq "$(jqf .stats.inserted "$body")" 1 "stats"
assert_eq "$(jqf .url "$body")" "$BASE/page85.html" "url"
jqf .excerpt "$body" | grep -qF '[-steadfast-]{+robust+}' || fail "excerpt: $(jqf .excerpt "$body")"
assert_contains "$headers" "X-Redline-Delivery: wp85/$commit"
want=$(openssl dgst -sha256 -hmac 'correct horse battery staple' "$body" | sed 's/.*= //')
assert_contains "$headers" "X-Redline-Signature: sha256=$want"
assert_eq "$(git --git-dir="$ARCHIVE" rev-parse refs/redline/notified/analysts/wp85)" "$commit" "cursor"

# A re-wrap (a word moves to the next line) changes no word: nothing
# archived, nothing sent, over several intervals.
awk 'NR==7 { sub(/ Alliance$/, ""); print; next } NR==8 { print "Alliance " $0; next } { print }' \
	"$T/v2.txt" >"$T/v2-rewrapped.txt"
cmp -s "$T/v2.txt" "$T/v2-rewrapped.txt" && fail "the re-wrap changed nothing"
make_page "$T/v2-rewrapped.txt" "$WWW/page85.html"
fetches=$(server_stats | jq '.paths["/page85.html"]')
wait_for 10 fetches_ge /page85.html $((fetches + 3)) ||
	fail "the daemon stopped fetching"
assert_eq "$(git_count wp85)" 2 "versions after a re-wrap"
assert_eq "$(hook_count)" 2 "notifications after a re-wrap"

# SIGHUP with a new source: picked up, archived, announced.
make_page "$T/v1.txt" "$WWW/other.html"
write_config "${source_lines[@]}" '[source "other"]' "	url = $BASE/other.html" '	interval = 1s' \
	'	notify = analysts' "${channel_lines[@]}"
kill -HUP "$DAEMON_PID"
wait_for 10 versions_ge other 1 || fail "SIGHUP did not add the source: $(cat "$T/daemon.log")"
wait_for 10 hooks_ge 3 || fail "new source not announced"
assert_eq "$(jqf .source "$T/hook/003.body")" other "announced source"
wait_for 5 grep -q '^RELOADING=1' "$T/sd.log" || fail "no RELOADING=1"

# The receiver goes down; a change is archived but not delivered.
stop_webhook
sed 's/linchpin/cornerstone/' "$T/v2.txt" >"$T/v3.txt"
make_page "$T/v3.txt" "$WWW/page85.html"
wait_for 10 versions_ge wp85 3 || fail "change not archived while the receiver is down"
wait_for 10 daemon_log_has "not delivered on 'analysts'" || fail "no failed delivery logged"
changed=$(git --git-dir="$ARCHIVE" rev-parse wp85)
assert_eq "$(git --git-dir="$ARCHIVE" rev-parse refs/redline/notified/analysts/wp85)" "$commit" \
	"cursor while the receiver is down"
stop_daemon
assert_eq "$STOP_STATUS" 0 "daemon exit status on SIGTERM"
echo "     SIGTERM to exit: ${STOP_MS} ms"
[ "$STOP_MS" -lt 3000 ] || fail "SIGTERM took ${STOP_MS} ms"
sigterm_ms=$STOP_MS
assert_not_contains "$T/daemon.log" "correct horse"
assert_not_contains "$T/daemon.log" "s3cr3t-token"

# Receiver and daemon come back: the change arrives, with its commit id.
start_webhook "$HOOK_PORT"
start_daemon
wait_for 10 hooks_ge 4 || fail "change not delivered after restart: $(tail "$T/daemon.log")"
assert_eq "$(jqf .commit "$T/hook/004.body")" "$changed" "delivered commit after restart"
assert_contains "$T/hook/004.headers" "X-Redline-Delivery: wp85/$changed"
jqf '.watch[0].term' "$T/hook/004.body" | grep -qx linchpin || fail "watched term missing"
stop_daemon
assert_eq "$STOP_STATUS" 0 "second exit status"

# The feed: valid Atom (RELAX NG from RFC 4287), the changes as entries.
expect_exit 0 rl feed
cp "$T/out" "$T/feed-cli.xml"
xmllint --noout --relaxng "$FIXTURES/feed/atom.rng" "$T/feed-cli.xml" 2>"$T/xmllint.log" ||
	fail "redline feed is not valid Atom: $(cat "$T/xmllint.log")"
assert_eq "$(grep -c '<entry>' "$T/feed-cli.xml")" 4 "feed entries"
assert_contains "$T/feed-cli.xml" "urn:redline:wp85:$changed"
assert_contains "$T/feed-cli.xml" "[-linchpin-]{+cornerstone+}"
xmllint --noout --relaxng "$FIXTURES/feed/atom.rng" "$T/feed.xml" 2>"$T/xmllint.log" ||
	fail "[feed] path is not valid Atom: $(cat "$T/xmllint.log")"
assert_contains "$T/feed.xml" "urn:redline:wp85:$changed"
pass "latency ${latency_ms} ms, SIGTERM ${sigterm_ms} ms"
