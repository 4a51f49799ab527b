#!/usr/bin/env bash
# Under systemd, redlined logs to the journal with fields a user can
# search (`journalctl SOURCE=wp85`, `journalctl MESSAGE_ID=...`). No
# journald runs here, so the test gives the daemon one: in a private
# mount namespace (unshare -m, root only) a tmpfs hides /run and a sink
# listens on /run/systemd/journal/socket, where libsystemd's
# sd_journal_send writes its datagrams. JOURNAL_STREAM names the
# daemon's stderr, as systemd sets it. Skipped, saying why, where a
# mount namespace cannot be made.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null ||
	! unshare -m true 2>/dev/null; then
	echo "skip ${0##*/}: needs root and unshare -m to give the daemon a journal socket"
	exit 0
fi
start_server
cp "$FIXTURES/seed/seed-page-085.txt" "$T/v1.txt"
make_page "$T/v1.txt" "$WWW/page85.html"
write_config '[source "wp85"]' "	url = $BASE/page85.html" '	title = Page 85' \
	'[source "gone"]' "	url = $BASE/missing.html" '[source "flaky"]' "	url = $BASE/flaky.html"
cp "$WWW/page85.html" "$WWW/flaky.html"

# Inside the namespace: the journal sink, then two passes of the daemon
# (a first version, then a one-word change), stderr to daemon.log.
cat >"$T/in-namespace.sh" <<'EOF'
set -u
mount -t tmpfs tmpfs /run || exit 3
mkdir -p /run/systemd/journal
"$SINK" notify-socket --path /run/systemd/journal/socket --out "$T/journal.log" 2>"$T/sink.log" &
sink=$!
for _ in $(seq 100); do [ -S /run/systemd/journal/socket ] && break; sleep 0.05; done
run_once() {
	exec 2>>"$T/daemon.log"
	JOURNAL_STREAM=$(stat -c '%d:%i' "$T/daemon.log") "$REDLINED" -c "$CONF" --once
}
(run_once); echo "first=$?" >>"$T/status"
rm "$WWW/flaky.html"
sed 's/maintaining a steadfast$/maintaining a robust/' "$T/v1.txt" >"$T/v2.txt"
"$TOP/scripts/text-to-page.sh" "$T/v2.txt" >"$WWW/page85.html"
(run_once); echo "second=$?" >>"$T/status"
sleep 0.2
kill "$sink"
EOF
: >"$T/daemon.log"
SINK="$BUILD/tests/rl-sink" T="$T" REDLINED="$REDLINED" CONF="$CONF" WWW="$WWW" TOP="$TOP" \
	unshare -m bash "$T/in-namespace.sh" || fail "namespace script failed: $(cat "$T/sink.log" 2>/dev/null)"
assert_contains "$T/status" "first=1" # the missing source failed
assert_contains "$T/status" "second=1"

# The journal got the story with its fields; stderr stayed quiet.
[ -s "$T/journal.log" ] || fail "nothing reached the journal socket; stderr: $(cat "$T/daemon.log")"
assert_not_contains "$T/daemon.log" "changed"
commit=$(git --git-dir="$ARCHIVE" rev-parse wp85)
assert_contains "$T/journal.log" "MESSAGE=wp85: changed ${commit:0:10} (wp85: 1 word changed)"
assert_contains "$T/journal.log" "SOURCE=wp85"
assert_contains "$T/journal.log" "URL=$BASE/page85.html"
assert_contains "$T/journal.log" "CHANGE=wording"
assert_contains "$T/journal.log" "COMMIT=$commit"
assert_contains "$T/journal.log" "MESSAGE_ID=7c5d1b0f3e6a4d2b9f8e1a2c3d4b5e6f"
assert_contains "$T/journal.log" "CHANGE=initial"
# A failure names the URL and the HTTP status; a source that was ok and
# starts failing carries the "failing" MESSAGE_ID, once.
grep -q "^MESSAGE=gone: failed: HTTP 404 from $BASE/missing.html" "$T/journal.log" ||
	fail "no failure line for 'gone': $(grep '^MESSAGE=' "$T/journal.log")"
assert_contains "$T/journal.log" "SOURCE=flaky"
assert_eq "$(grep -c '^MESSAGE_ID=a1e2f3b4c5d64e7f8a9b0c1d2e3f4a5b' "$T/journal.log")" 1 \
	"'failing' events (flaky went from ok to failing)"
grep -A3 "^MESSAGE=flaky: failed: HTTP 404" "$T/journal.log" | grep -q '^SOURCE=flaky' ||
	fail "flaky's failure lacks its fields: $(cat "$T/journal.log")"
# The caller's location is redline's business, not libsystemd's wrapper.
assert_not_contains "$T/journal.log" "CODE_FILE=daemon/log.c"
pass "$(grep -c '^MESSAGE=' "$T/journal.log") journal entries with SOURCE/URL/CHANGE/COMMIT/MESSAGE_ID"
