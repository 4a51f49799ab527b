#!/usr/bin/env bash
# file:// URLs are fetched when the configured URL is one (a local mirror,
# a document on a share), paged or not.
. "$(dirname "$0")/fetch-lib.sh"
cp "$FIXTURES/seed/seed-page-085.txt" "$T/v1.txt"
mkdir -p "$T/local"
make_page "$T/v1.txt" "$T/local/page85.html"
make_page "$FIXTURES/seed/page-086-body.txt" "$T/local/page86.html" "Page 86 - 2020 Defence White Paper"
write_config '[source "local"]' "	url = file://$T/local/page85.html" \
	'[source "book"]' "	url = file://$T/local/page{page}.html" '	pages = 85-86'
expect_exit 0 rl init
expect_exit 0 rl fetch
assert_contains "$T/out" "local: new"
assert_contains "$T/out" "book: new"
git --git-dir="$ARCHIVE" show local:raw/document.html | cmp -s - "$T/local/page85.html" ||
	fail "raw bytes of the file URL"
git --git-dir="$ARCHIVE" ls-tree --name-only book:pages >"$T/pages"
assert_eq "$(tr '\n' ' ' <"$T/pages")" "0085.md 0086.md " "pages of the file source"
expect_exit 0 rl fetch
assert_contains "$T/out" "fetched 2, unchanged 2, changed 0, failed 0"

# A missing file is an error naming the URL.
rm "$T/local/page86.html"
expect_exit 1 rl fetch
assert_contains "$T/err" "book: failed: page 86: file://$T/local/page86.html:"
assert_eq "$(git_count book)" 1 "versions after the file went"
pass
