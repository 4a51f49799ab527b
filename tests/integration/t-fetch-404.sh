#!/usr/bin/env bash
# A 404 is an error that names the URL and writes no version; a page that
# disappears leaves its last version the latest.
. "$(dirname "$0")/fetch-lib.sh"
start_server
fault_lifecycle "status 404" "HTTP 404 from $BASE/doc.html"

# A page that is really gone (no file at all) fails the same way.
rm "$WWW/doc.html"
expect_doc_failure "HTTP 404 from $DOC_URL"
assert_eq "$(git_count doc)" 2 "versions after the page disappeared"
pass
