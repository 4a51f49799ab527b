#!/usr/bin/env bash
# A 200 with an empty body is a broken answer, never an empty version.
. "$(dirname "$0")/fetch-lib.sh"
start_server
doc_setup
expect_exit 0 rl fetch
: >"$WWW/doc.html"
expect_doc_failure "HTTP 200 with an empty body from $DOC_URL"
assert_eq "$(git_count doc)" 1 "versions"
expect_exit 0 rl show doc
assert_contains "$T/out" "steadfast combined"
pass
