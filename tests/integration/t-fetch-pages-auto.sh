#!/usr/bin/env bash
# pages = auto: pages from 1 until the first 404 after page 1; a page
# added at the end is picked up; a 404 on the first page, or any other
# failure, fails the source.
. "$(dirname "$0")/fetch-lib.sh"
start_server
page() { # N [WORD]
	page_text "$@" >"$T/p$1.txt"
	make_page "$T/p$1.txt" "$WWW/p$1.html" "Page $1 - Statement"
}
for p in 1 2 3 4; do page $p; done
write_config '[source "st"]' "	url = $BASE/p{page}.html" '	pages = auto'
expect_exit 0 rl init
expect_exit 0 rl fetch
assert_contains "$T/out" "st: new"
server_stats >"$T/stats"
assert_eq "$(jqf '.paths["/p5.html"]' "$T/stats")" 1 "requests for page 5 (the first 404)"
assert_eq "$(jqf '.paths["/p6.html"]' "$T/stats")" null "requests for page 6"
git --git-dir="$ARCHIVE" ls-tree --name-only st:pages >"$T/pages"
assert_eq "$(wc -l <"$T/pages")" 4 "pages archived"

# Nothing changed: four 304s and the 404 that ends the range.
server_reset
expect_exit 0 rl fetch
assert_contains "$T/out" "st: unchanged (not modified)"
assert_eq "$(server_stats | jq .conditional)" 4 "conditional requests"

# A fifth page appears.
page 5
expect_exit 0 rl fetch
assert_contains "$T/out" "st: changed"
git --git-dir="$ARCHIVE" ls-tree --name-only st:pages >"$T/pages"
assert_eq "$(wc -l <"$T/pages")" 5 "pages after page 5 appeared"

# A failing page in the middle fails the source.
page 3 "Article three is void."
echo "status 500" >"$WWW/p3.html.fault"
expect_exit 1 rl fetch
assert_contains "$T/err" "st: failed: page 3: HTTP 500 from $BASE/p3.html"
assert_eq "$(git_count st)" 2 "versions with page 3 failing"
rm "$WWW/p3.html.fault"

# No first page: an error, not an empty document.
rm "$WWW/p1.html"
expect_exit 1 rl fetch
assert_contains "$T/err" "st: failed: page 1: HTTP 404 from $BASE/p1.html"
assert_eq "$(git_count st)" 2 "versions without page 1"

# pages = 3-auto starts at page 3.
write_config '[source "st"]' "	url = $BASE/p{page}.html" '	pages = 3-auto'
expect_exit 0 rl fetch
assert_contains "$T/out" "st: changed"
git --git-dir="$ARCHIVE" ls-tree --name-only st:pages >"$T/pages"
assert_eq "$(tr '\n' ' ' <"$T/pages")" "0003.md 0004.md 0005.md " "pages from 3"
git --git-dir="$ARCHIVE" show st:text.md >"$T/text.md"
assert_contains "$T/text.md" "Article three is void."
pass
