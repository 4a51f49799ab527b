#!/usr/bin/env bash
# A paged source (url with {page}, pages = 1-3) is one version made of
# every page; one failed page fails the source for the pass and commits
# nothing; a page that changed while the others answer 304 gives a version
# whose other pages come from the archive.
. "$(dirname "$0")/fetch-lib.sh"
start_server
for p in 1 2 3; do
	page_text $p >"$T/p$p.txt"
	make_page "$T/p$p.txt" "$WWW/p$p.html" "Page $p - Paper"
done
write_config '[source "paper"]' "	url = $BASE/p{page}.html" '	pages = 1-3'
expect_exit 0 rl init

echo "status 500" >"$WWW/p2.html.fault"
expect_exit 1 rl fetch
assert_contains "$T/err" "paper: failed: page 2: HTTP 500 from $BASE/p2.html"
assert_eq "$(git_count paper)" 0 "versions with page 2 failing"
rl status --json >"$T/status.json"
assert_eq "$(jqf '.[0].error' "$T/status.json")" "page 2: HTTP 500 from $BASE/p2.html" "status error"

rm "$WWW/p2.html.fault"
expect_exit 0 rl fetch
assert_eq "$(git_count paper)" 1 "versions once every page answered"
git --git-dir="$ARCHIVE" ls-tree -r --name-only paper >"$T/tree"
for p in 1 2 3; do
	assert_contains "$T/tree" "pages/000$p.md"
	assert_contains "$T/tree" "raw/000$p.html"
done
git --git-dir="$ARCHIVE" show paper:text.md >"$T/text.md"
assert_contains "$T/text.md" "${PAGE_SENTENCES[1]}"
assert_contains "$T/text.md" "${PAGE_SENTENCES[3]}"

# Page 3 changes while page 1 resets the connection: nothing is written.
page_text 3 "The ministry rewrote this part of the paper." >"$T/p3.txt"
make_page "$T/p3.txt" "$WWW/p3.html" "Page 3 - Paper"
echo reset >"$WWW/p1.html.fault"
expect_exit 1 rl fetch
assert_contains "$T/err" "paper: failed: page 1: $BASE/p1.html: Empty reply from server"
assert_eq "$(git_count paper)" 1 "versions with page 1 failing"

# Pages 1 and 2 answer 304, page 3 a 200: the version holds all three.
rm "$WWW/p1.html.fault"
server_reset
expect_exit 0 rl fetch
assert_contains "$T/out" "paper: changed"
assert_eq "$(server_stats | jq .conditional)" 3 "conditional requests"
git --git-dir="$ARCHIVE" show paper:text.md >"$T/text.md"
assert_contains "$T/text.md" "${PAGE_SENTENCES[1]}"
assert_contains "$T/text.md" "${PAGE_SENTENCES[2]}"
assert_contains "$T/text.md" "The ministry rewrote this part of the paper."
assert_not_contains "$T/text.md" "${PAGE_SENTENCES[3]}"
assert_eq "$(git_count paper)" 2 "versions"
pass
