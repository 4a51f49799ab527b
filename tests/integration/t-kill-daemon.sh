#!/usr/bin/env bash
# Crash safety of redlined: the daemon is SIGKILLed at random instants while
# every page keeps changing (and its push and gc children run); after each
# kill `git fsck --strict` accepts the archive, and a last `redlined --once`
# archives every page as served, with no two consecutive versions alike.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sinks.sh"
SOURCES=${KILL_SOURCES:-12}
ROUNDS=${KILL_ROUNDS:-4}
start_server
. "$(dirname "$0")/kill-lib.sh"

git init -q --bare "$T/mirror.git"
conf=('[remote "mirror"]' "	url = $T/mirror.git")
for i in $(seq "$SOURCES"); do conf+=("[source \"s$i\"]" "	url = $BASE/s$i.html" '	interval = 1s'); done
write_config "${conf[@]}"
expect_exit 0 rl init

for r in $(seq "$ROUNDS"); do
	for i in $(seq "$SOURCES"); do page "$i" "$r"; done
	start_daemon REDLINED_GC_LOOSE=1
	sleep "$(awk -v s="$RANDOM" 'BEGIN { srand(s); printf "%.3f", 0.2 + rand() * 1.5 }')"
	children=$(ps -o pid= --ppid "$DAEMON_PID" 2>/dev/null)
	kill -9 "$DAEMON_PID" 2>/dev/null
	wait "$DAEMON_PID" 2>/dev/null
	DAEMON_PID=
	# Its push or gc child dies with it (PR_SET_PDEATHSIG).
	for c in $children; do
		gone() { ! kill -0 "$1" 2>/dev/null; }
		wait_for 5 gone "$c" || fail "child $c outlived the killed daemon"
	done
	git --git-dir="$ARCHIVE" fsck --strict >"$T/fsck" 2>&1 ||
		fail "round $r: git fsck --strict after the kill: $(head -20 "$T/fsck")"
done

for i in $(seq "$SOURCES"); do page "$i" final; done
expect_exit 0 "$REDLINED" -c "$CONF" --once
git --git-dir="$ARCHIVE" fsck --strict >"$T/fsck" 2>&1 || fail "final fsck: $(head "$T/fsck")"
for i in $(seq "$SOURCES"); do
	git --git-dir="$ARCHIVE" show "s$i:raw/document.html" | cmp -s - "$WWW/s$i.html" ||
		fail "s$i: the latest version is not the page served last"
	dups=$(git --git-dir="$ARCHIVE" rev-list "refs/heads/s$i" | sed 's/$/:text.md/' |
		git --git-dir="$ARCHIVE" cat-file --batch-check='%(objectname)' | uniq -d | wc -l)
	assert_eq "$dups" 0 "s$i: consecutive versions with the same text"
done
expect_exit 0 rl gc --prune=now
assert_eq "$(git --git-dir="$ARCHIVE" count-objects -v | sed -n 's/^count: //p')" 0 "loose objects"
pass "$SOURCES sources, $ROUNDS daemons killed"
