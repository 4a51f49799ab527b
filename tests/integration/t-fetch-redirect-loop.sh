#!/usr/bin/env bash
# A redirect loop ends after 5 redirects with an error; nothing is written.
. "$(dirname "$0")/fetch-lib.sh"
start_server
fault_lifecycle "redirect-loop" "$BASE/doc.html: more than 5 redirects"
server_reset
echo "redirect-loop" >"$WWW/doc.html.fault"
expect_exit 1 rl fetch
assert_eq "$(server_stats | jq '.paths["/doc.html"]')" 6 "requests (the first and 5 redirects)"
pass
