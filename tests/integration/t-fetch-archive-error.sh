#!/usr/bin/env bash
# When the archive refuses one source's version (here its branch names a
# commit that is not there), that source fails with the reason and the pass
# goes on: the other sources are archived, and status says what happened.
. "$(dirname "$0")/lib.sh"
start_server

make_page "$FIXTURES/seed/seed-page-085.txt" "$WWW/a.html"
make_page "$FIXTURES/seed/seed-page-085.txt" "$WWW/b.html"
write_config '[source "broken"]' "	url = $BASE/a.html" '[source "fine"]' "	url = $BASE/b.html"
expect_exit 0 rl init
printf '%040d\n' 1 >"$ARCHIVE/refs/heads/broken"

expect_exit 1 rl fetch
assert_contains "$T/err" "broken: failed: cannot archive:"
assert_contains "$T/out" "fine: new"
assert_contains "$T/out" "changed 1, failed 1"
assert_eq "$(git_count fine)" 1 "the other source's versions"
expect_exit 0 rl status --json
assert_eq "$(jqf '.[] | select(.id=="broken") | .state' "$T/out")" failing "broken state"
jqf '.[] | select(.id=="broken") | .error' "$T/out" | grep -q "cannot archive" ||
	fail "status does not say why"
pass
