#!/usr/bin/env bash
# A 500 is an error naming the URL and the status; with retries, a server
# that fails twice and then answers is archived on the third attempt.
. "$(dirname "$0")/fetch-lib.sh"
start_server
fault_lifecycle "status 500" "HTTP 500 from $BASE/doc.html"

# retries = 2: two failures, then an answer, in the same pass.
make_page "$T/v1.txt" "$WWW/doc.html"
printf 'status 503\nfail-times 2\n' >"$WWW/doc.html.fault"
write_config '	retries = 2' '[source "doc"]' "	url = $DOC_URL"
server_reset
expect_exit 0 rl fetch
assert_contains "$T/out" "doc: changed"
assert_eq "$(server_stats | jq '.paths["/doc.html"]')" 3 "requests for doc.html (two failures, one answer)"
assert_eq "$(git_count doc)" 3 "versions"

# retries = 1 is not enough for three failures.
printf 'status 503\nfail-times 3\n' >"$WWW/doc.html.fault"
make_page "$T/v2.txt" "$WWW/doc.html"
write_config '	retries = 1' '[source "doc"]' "	url = $DOC_URL"
server_reset
expect_doc_failure "HTTP 503 from $DOC_URL"
assert_eq "$(server_stats | jq '.paths["/doc.html"]')" 2 "requests with retries = 1"
assert_eq "$(git_count doc)" 3 "versions after the retries ran out"
pass
