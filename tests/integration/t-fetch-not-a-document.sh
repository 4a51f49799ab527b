#!/usr/bin/env bash
# Bytes that are no document (a PNG served as text/html) are an error that
# says what they look like and names the URL once, and no version; the
# same for `redline compare` on a file, a directory and standard input.
. "$(dirname "$0")/fetch-lib.sh"
start_server
doc_setup
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' >"$WWW/doc.html"
expect_doc_failure "$DOC_URL: not a document: a PNG image served as text/html"
err=$(status_of doc error)
[ "$(grep -o -F "$DOC_URL" <<<"$err" | wc -l)" = 1 ] || fail "the URL is named more than once: $err"
assert_eq "$(git_count doc)" 0 "versions"

# compare names the file once, and says why it could not read it
cp "$WWW/doc.html" "$T/image.html"
expect_exit 2 "$REDLINE" compare "$T/image.html" "$FIXTURES/seed/seed-page-085.txt"
assert_eq "$(cat "$T/err")" "redline: $T/image.html: not a document: a PNG image" "compare's error"
expect_exit 2 "$REDLINE" compare "$T" "$FIXTURES/seed/seed-page-085.txt"
assert_eq "$(cat "$T/err")" "redline: $T: Is a directory" "a directory"
expect_exit 2 "$REDLINE" compare - "$FIXTURES/seed/seed-page-085.txt" <"$T/image.html"
assert_eq "$(cat "$T/err")" "redline: standard input: not a document: a PNG image" "standard input"
pass
