#!/usr/bin/env bash
# reextract rebuilds the text from the archived raw bytes with today's
# extractor and rules, as one commit marked reextract; old versions stay.
. "$(dirname "$0")/lib.sh"
start_server

make_page "$FIXTURES/seed/seed-page-085.txt" "$WWW/p.html"
write_config '[source "wp"]' "	url = $BASE/p.html"
expect_exit 0 rl init
expect_exit 0 rl fetch
expect_exit 0 rl reextract wp
assert_contains "$T/out" "1 version re-extracted"
assert_contains "$T/out" "0 would read differently"
assert_eq "$(git_count wp)" 1 "nothing written when nothing differs"

# Today's rules drop a sentence: the archived bytes now read differently.
write_config '[source "wp"]' "	url = $BASE/p.html" '	ignore = ^Going forward'
rm "$WWW/p.html" # reextract must not need the server
expect_exit 0 rl reextract wp
assert_contains "$T/out" "1 would read differently"
assert_eq "$(git_count wp)" 2 "one reextract commit"
expect_exit 0 rl log wp --json
assert_eq "$(jqf '.[0].change' "$T/out")" reextract "change"
assert_contains "$T/out" "re-extracted with extractor"
git --git-dir="$ARCHIVE" show wp:text.md >"$T/new.md"
git --git-dir="$ARCHIVE" show wp~1:text.md >"$T/old.md"
assert_not_contains "$T/new.md" "Going forward"
assert_contains "$T/old.md" "Going forward"
git --git-dir="$ARCHIVE" diff --quiet wp~1 wp -- raw/ || fail "raw bytes changed"

# Running it again finds nothing more to do.
expect_exit 0 rl reextract wp
assert_contains "$T/out" "nothing written"
assert_eq "$(git_count wp)" 2 "idempotent"
expect_exit 2 rl reextract nosuch
assert_contains "$T/err" "no source 'nosuch'"
pass
