#!/usr/bin/env bash
# The daemon runs an incremental gc in a child process once enough loose
# objects piled up (REDLINED_GC_LOOSE lowers the threshold for the test):
# the versions end up packed, the daemon goes on reading and writing the
# archive it holds open, and stock git finds it whole.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sinks.sh"
start_server

version() { # n
	sed "s/maintaining a steadfast\$/maintaining a steadfast (revision $1)/" \
		"$FIXTURES/seed/seed-page-085.txt" >"$T/a.txt"
	make_page "$T/a.txt" "$WWW/a.html"
}
version 1
write_config '[source "a"]' "	url = $BASE/a.html" '	interval = 1s'
expect_exit 0 rl init
start_daemon REDLINED_GC_LOOSE=1
wait_for 15 log_count_ge "gc: " 1 || fail "no gc: $(cat "$T/daemon.log")"
assert_contains "$T/daemon.log" "gc: full: packed"
packed() { [ "$(git --git-dir="$ARCHIVE" count-objects -v | sed -n 's/^in-pack: //p')" -gt 0 ]; }
wait_for 5 packed || fail "nothing packed"

# The daemon writes on beside the pack.
version 2
wait_for 15 versions_ge a 2 || fail "no second version after gc: $(tail -5 "$T/daemon.log")"
expect_exit 0 rl show a~1
assert_contains "$T/out" "(revision 1)"
stop_daemon
assert_eq "$STOP_STATUS" 0 "exit status"
git --git-dir="$ARCHIVE" fsck --strict >"$T/fsck" 2>&1 || fail "fsck: $(cat "$T/fsck")"
pass
