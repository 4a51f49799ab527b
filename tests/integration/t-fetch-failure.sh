#!/usr/bin/env bash
# A failing source writes no version, shows its error (URL and HTTP status)
# in status --json, does not stop the others, and archives once healed.
. "$(dirname "$0")/lib.sh"
start_server

cp "$FIXTURES/seed/seed-page-085.txt" "$T/v1.txt"
make_page "$T/v1.txt" "$WWW/good.html"
make_page "$T/v1.txt" "$WWW/bad.html"
echo "status 500" >"$WWW/bad.html.fault"
write_config '[source "good"]' "	url = $BASE/good.html" '[source "bad"]' "	url = $BASE/bad.html"
expect_exit 0 rl init

expect_exit 1 rl fetch
assert_contains "$T/err" "bad: failed: HTTP 500 from $BASE/bad.html"
assert_contains "$T/out" "fetched 1, unchanged 0, changed 1, failed 1"
assert_eq "$(git_count good)" 1 "good versions"
assert_eq "$(git_count bad)" 0 "bad versions"
expect_exit 0 rl status --json
assert_eq "$(jqf '.[] | select(.id=="bad") | .state' "$T/out")" failing "bad state"
assert_eq "$(jqf '.[] | select(.id=="bad") | .error' "$T/out")" "HTTP 500 from $BASE/bad.html" "bad error"
assert_eq "$(jqf '.[] | select(.id=="good") | .state' "$T/out")" ok "good state"

rm "$WWW/bad.html.fault"
expect_exit 0 rl fetch
assert_eq "$(git_count bad)" 1 "bad versions after healing"
expect_exit 0 rl status --json
assert_eq "$(jqf '.[] | select(.id=="bad") | .state' "$T/out")" ok "healed state"
assert_eq "$(jqf '.[] | select(.id=="bad") | .error' "$T/out")" null "healed error"
pass
