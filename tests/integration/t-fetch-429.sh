#!/usr/bin/env bash
# 429 Too Many Requests: an error when no retry is left; with a retry, the
# wait that Retry-After asks for is honoured (server-side gap between the
# two requests); a Retry-After beyond 2 minutes fails the pass at once.
. "$(dirname "$0")/fetch-lib.sh"
start_server
fault_lifecycle "status 429" "HTTP 429 from $BASE/doc.html"

# Retry-After: 1 with one retry left: the second request comes a second later.
make_page "$T/v1.txt" "$WWW/doc.html"
printf 'status 429\nretry-after 1\nfail-times 1\n' >"$WWW/doc.html.fault"
write_config '	retries = 1' '[source "doc"]' "	url = $DOC_URL"
server_reset
expect_exit 0 rl fetch
assert_contains "$T/out" "doc: changed"
server_stats >"$T/stats"
assert_eq "$(jqf '.paths["/doc.html"]' "$T/stats")" 2 "requests"
gap=$(jqf '.gap_ms["/doc.html"]' "$T/stats")
[ "$gap" -ge 1000 ] || fail "the retry came $gap ms after a Retry-After: 1"

# 503 with Retry-After is honoured the same way.
make_page "$T/v2.txt" "$WWW/doc.html"
printf 'status 503\nretry-after 1\nfail-times 1\n' >"$WWW/doc.html.fault"
server_reset
expect_exit 0 rl fetch
gap=$(server_stats | jq '.gap_ms["/doc.html"]')
[ "$gap" -ge 1000 ] || fail "the retry came $gap ms after a 503 with Retry-After: 1"

# A Retry-After longer than 2 minutes is not waited for in a pass: the
# pass and the two status reads that check it take far less than the 600
# s asked (a second or so; 6 s when each runs under valgrind).
printf 'status 429\nretry-after 600\n' >"$WWW/doc.html.fault"
server_reset
t0=$(ms_now)
expect_doc_failure "HTTP 429 from $DOC_URL (Retry-After 600 s is too long)"
took=$(($(ms_now) - t0))
[ "$took" -lt 60000 ] || fail "the fetch waited $took ms"
assert_eq "$(server_stats | jq '.paths["/doc.html"]')" 1 "requests after a long Retry-After"
pass
