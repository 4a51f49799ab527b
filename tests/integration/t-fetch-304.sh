#!/usr/bin/env bash
# Conditional requests: the second fetch sends the ETag, the server answers
# 304, nothing is extracted or written. A changed page gets a 200 and a
# version; a changed ignore rule drops the validators (the archived bytes
# must be read again under the new rule).
. "$(dirname "$0")/fetch-lib.sh"
start_server
doc_setup
expect_exit 0 rl fetch
server_reset
expect_exit 0 rl fetch
assert_contains "$T/out" "doc: unchanged (not modified)"
assert_contains "$T/out" "fetched 1, unchanged 1, changed 0, failed 0"
server_stats >"$T/stats"
assert_eq "$(jqf .conditional "$T/stats")" 1 "conditional requests"
assert_eq "$(git_count doc)" 1 "versions after a 304"
assert_eq "$(status_of doc state)" ok "state after a 304"
# The state keeps the hash of the bytes the 304 stands for, not of its empty body.
assert_eq "$(jq -r '.pages[0].sha256' "$ARCHIVE/redline/state/doc.json")" \
	"$(sha256sum <"$WWW/doc.html" | cut -c1-64)" "state sha256 after a 304"

# Losing the state costs one unconditional fetch, never a version.
rm -r "$ARCHIVE/redline/state"
server_reset
expect_exit 0 rl fetch
assert_contains "$T/out" "doc: unchanged"
assert_eq "$(server_stats | jq .conditional)" 0 "conditional requests without state"
assert_eq "$(git_count doc)" 1 "versions after losing the state"

# The page changes: its ETag too, so a 200 and a new version.
make_page "$T/v2.txt" "$WWW/doc.html"
expect_exit 0 rl fetch
assert_contains "$T/out" "doc: changed"
assert_eq "$(git_count doc)" 2 "versions after a change"

# A new ignore rule: no validators, the page is read again and the text
# under the new rule is a new version.
write_config '[source "doc"]' "	url = $DOC_URL" "	ignore = robust"
server_reset
expect_exit 0 rl fetch
assert_eq "$(server_stats | jq .conditional)" 0 "conditional requests after ignore changed"
assert_contains "$T/out" "doc: changed"
assert_eq "$(git_count doc)" 3 "versions after ignore changed"
server_reset
expect_exit 0 rl fetch
assert_contains "$T/out" "doc: unchanged (not modified)"
pass
