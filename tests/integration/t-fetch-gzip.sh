#!/usr/bin/env bash
# A gzip-encoded page is decoded: the archive holds the page's own bytes
# and its text, never the compressed stream.
. "$(dirname "$0")/fetch-lib.sh"
start_server
doc_setup
echo gzip >"$WWW/doc.html.fault"
expect_exit 0 rl fetch
assert_contains "$T/out" "doc: new"
git --git-dir="$ARCHIVE" show doc:raw/document.html | cmp -s - "$WWW/doc.html" ||
	fail "raw/document.html is not the decoded page"
git --git-dir="$ARCHIVE" show doc:text.md >"$T/text.md"
assert_contains "$T/text.md" "steadfast combined defense posture"
git --git-dir="$ARCHIVE" show doc:source.json >"$T/source.json"
assert_eq "$(jqf '.pages[0].size' "$T/source.json")" "$(stat -c %s "$WWW/doc.html")" "size after decoding"
pass
