#!/usr/bin/env bash
# Crash safety: every page changes every round and `redline fetch` is
# SIGKILLed at a random instant of its pass. After each kill the archive
# passes `git fsck --strict`; the next pass recovers what the killed one
# left (ref locks, temporary files). A last pass without a kill holds every
# source's served version, and no source has two consecutive versions with
# the same text. KILL_SOURCES and KILL_ROUNDS scale it (bench/kill.sh).
. "$(dirname "$0")/lib.sh"
SOURCES=${KILL_SOURCES:-16}
ROUNDS=${KILL_ROUNDS:-4}
start_server
. "$(dirname "$0")/kill-lib.sh"

conf=()
for i in $(seq "$SOURCES"); do
	conf+=("[source \"s$i\"]" "	url = $BASE/s$i.html")
done
write_config "${conf[@]}"
expect_exit 0 rl init

# How long an uninterrupted pass takes, so kills land all over it.
for i in $(seq "$SOURCES"); do page "$i" 0; done
start=$(date +%s%N)
expect_exit 0 rl fetch -q
pass_ms=$((($(date +%s%N) - start) / 1000000 + 1))

kills=0 locks=0
for r in $(seq "$ROUNDS"); do
	for i in $(seq "$SOURCES"); do page "$i" "$r"; done
	"$REDLINE" -c "$CONF" fetch -q >"$T/kill.out" 2>&1 &
	pid=$!
	sleep "$(awk -v m="$pass_ms" -v s="$RANDOM" 'BEGIN { srand(s); printf "%.3f", rand() * m * 1.2 / 1000 }')"
	kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
	wait "$pid" 2>/dev/null
	git --git-dir="$ARCHIVE" fsck --strict >"$T/fsck" 2>&1 ||
		fail "round $r: git fsck --strict after the kill: $(head -20 "$T/fsck")"
	locks=$((locks + $(find "$ARCHIVE/refs" -name '*.lock' | wc -l)))
done

# A pass nobody kills, over pages that all changed again and locks planted
# as a kill between libgit2's lock and its rename leaves them: everything
# served now is archived and the landing page follows.
for i in $(seq "$SOURCES"); do page "$i" final; done
touch "$ARCHIVE/refs/heads/s1.lock" "$ARCHIVE/refs/heads/main.lock"
expect_exit 0 rl fetch
assert_contains "$T/out" "changed $SOURCES, failed 0"
git --git-dir="$ARCHIVE" show main:sources.json >"$T/sources.json"
assert_eq "$(jqf '.[] | select(.id == "s1") | .latest' "$T/sources.json")" \
	"$(git --git-dir="$ARCHIVE" rev-parse s1)" "landing page's latest s1"
git --git-dir="$ARCHIVE" fsck --strict >"$T/fsck" 2>&1 || fail "final fsck: $(head "$T/fsck")"
for i in $(seq "$SOURCES"); do
	git --git-dir="$ARCHIVE" show "s$i:raw/document.html" | cmp -s - "$WWW/s$i.html" ||
		fail "s$i: the latest version is not the page served last"
	prev=
	for c in $(git --git-dir="$ARCHIVE" rev-list "refs/heads/s$i"); do
		blob=$(git --git-dir="$ARCHIVE" rev-parse "$c:text.md")
		[ "$blob" != "$prev" ] || fail "s$i: two consecutive versions hold the same text ($c)"
		prev=$blob
	done
done
# No lock or temporary file stays behind once a pass has run.
left=$(find "$ARCHIVE/refs" -name '*.lock' | wc -l)
assert_eq "$left" 0 "ref locks left"
pass "$SOURCES sources, $ROUNDS rounds, $kills killed mid-pass (a pass takes ${pass_ms} ms), $locks ref locks left by kills recovered"
