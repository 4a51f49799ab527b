#!/usr/bin/env bash
# Per-source state survives from one run to the next: last fetch, last
# change, state (never, failing, ok), consecutive failures, last error;
# status shows it, as JSON and as text. A damaged state file costs a
# re-fetch, never a failure.
. "$(dirname "$0")/fetch-lib.sh"
start_server
doc_setup
assert_eq "$(status_of doc state)" never "state before any fetch"
assert_eq "$(status_of doc last_fetch)" null "last fetch before any fetch"
assert_eq "$(jqf '.[0] | keys | join(",")' "$T/status.json")" \
	"error,failures,id,last_change,last_fetch,state,url,versions" "status --json keys"

echo "status 502" >"$WWW/doc.html.fault"
expect_doc_failure "HTTP 502 from $DOC_URL"
expect_doc_failure "HTTP 502 from $DOC_URL"
assert_eq "$(status_of doc failures)" 2 "consecutive failures"
first_fail=$(status_of doc last_fetch)
[ "$first_fail" != null ] || fail "no last fetch after failures"
expect_exit 0 rl status
assert_contains "$T/out" "failing"
assert_contains "$T/out" "error: HTTP 502 from $DOC_URL (2 failures in a row)"
jq -e '.state == "failing" and .failures == 2 and (.error | test("HTTP 502"))' \
	"$ARCHIVE/redline/state/doc.json" >/dev/null || fail "state file: $(cat "$ARCHIVE/redline/state/doc.json")"

rm "$WWW/doc.html.fault"
expect_exit 0 rl fetch
assert_eq "$(status_of doc state)" ok "state after success"
assert_eq "$(status_of doc failures)" 0 "failures after success"
assert_eq "$(status_of doc versions)" 1 "versions"
changed=$(status_of doc last_change)
[ "$changed" != null ] || fail "no last change after the first version"

sleep 1
echo "reset" >"$WWW/doc.html.fault"
expect_doc_failure "Empty reply from server"
assert_eq "$(status_of doc failures)" 1 "failures after one more failure"
assert_eq "$(status_of doc last_change)" "$changed" "last change kept through a failure"
[ "$(status_of doc last_fetch)" != "$changed" ] || fail "last fetch did not move"

# A damaged state file: the next fetch asks afresh and succeeds.
rm "$WWW/doc.html.fault"
echo '{"state": ' >"$ARCHIVE/redline/state/doc.json"
server_reset
expect_exit 0 rl fetch
assert_contains "$T/out" "doc: unchanged"
assert_eq "$(server_stats | jq .conditional)" 0 "conditional requests after the state was damaged"
assert_eq "$(status_of doc state)" ok "state rebuilt"
pass
