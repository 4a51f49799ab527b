#!/usr/bin/env bash
# The daemon pushes after turns that wrote versions, in a child process:
# the mirror follows every version; a remote that does not exist yet is
# logged with its name and URL, retried later, and holds up neither the
# archiving nor the other remote; once it exists it catches up.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sinks.sh"
start_server

version() { # n
	sed "s/maintaining a steadfast\$/maintaining a steadfast (revision $1)/" \
		"$FIXTURES/seed/seed-page-085.txt" >"$T/a.txt"
	make_page "$T/a.txt" "$WWW/a.html"
}
MIRROR="$T/mirror.git"
LATE="$T/late.git"
git init -q --bare "$MIRROR"
version 1
write_config '[source "a"]' "	url = $BASE/a.html" '	interval = 1s' \
	'[remote "mirror"]' "	url = $MIRROR" '[remote "late"]' "	url = $LATE"
expect_exit 0 rl init
start_daemon REDLINED_PUSH_RETRY=1

tip_of() { git --git-dir="$1" rev-parse -q --verify refs/heads/a 2>/dev/null; }
caught_up() { [ -n "$(tip_of "$ARCHIVE")" ] && [ "$(tip_of "$1")" = "$(tip_of "$ARCHIVE")" ]; }
wait_for 15 caught_up "$MIRROR" || fail "the mirror did not get a: $(cat "$T/daemon.log")"
wait_for 10 daemon_log_has "remote 'late' ($LATE)" || fail "no word of the late remote: $(cat "$T/daemon.log")"
assert_contains "$T/daemon.log" "archiving goes on"

# Archiving and the mirror go on while 'late' keeps failing.
version 2
wait_for 15 versions_ge a 2 || fail "no second version: $(tail -5 "$T/daemon.log")"
wait_for 15 caught_up "$MIRROR" || fail "the mirror missed version 2: $(tail -5 "$T/daemon.log")"
caught_up "$LATE" && fail "a remote that does not exist has a"

# It comes up: the next retry brings it level.
git init -q --bare "$LATE"
wait_for 20 caught_up "$LATE" || fail "the late remote never caught up: $(tail -8 "$T/daemon.log")"
assert_eq "$(git --git-dir="$LATE" rev-list --count refs/heads/a)" 2 "versions on the late remote"
stop_daemon
assert_eq "$STOP_STATUS" 0 "exit status"
git --git-dir="$MIRROR" fsck --strict >/dev/null 2>&1 || fail "fsck of the mirror"
pass
