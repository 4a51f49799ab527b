#!/usr/bin/env bash
# A plain 200: archived with the status, validators and sha256 in
# source.json; the User-Agent names redline and its version, and is
# configurable; state is kept beside the archive, in no commit.
. "$(dirname "$0")/fetch-lib.sh"
start_server
doc_setup
expect_exit 0 rl fetch
assert_contains "$T/out" "doc: new"
assert_contains "$T/out" "fetched 1, unchanged 0, changed 1, failed 0"
version=$(cat "$TOP/VERSION")
ua=$(server_stats | jq -r .user_agent)
case $ua in "redline/$version (+http"*) ;; *) fail "default User-Agent: $ua" ;; esac
git --git-dir="$ARCHIVE" show doc:source.json >"$T/source.json"
assert_eq "$(jqf '.pages[0].status' "$T/source.json")" 200 "status"
assert_eq "$(jqf '.pages[0].sha256' "$T/source.json")" "$(sha256sum <"$WWW/doc.html" | cut -c1-64)" "sha256"
[ -n "$(jqf '.pages[0].etag' "$T/source.json")" ] || fail "no ETag recorded"
assert_eq "$(status_of doc state)" ok "state"
assert_eq "$(status_of doc url)" "$DOC_URL" "url"
jqf '.[0].last_fetch' "$T/status.json" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' ||
	fail "last_fetch is not ISO 8601"
[ -f "$ARCHIVE/redline/state/doc.json" ] || fail "no state file"
git --git-dir="$ARCHIVE" ls-tree -r --name-only doc >"$T/tree"
assert_not_contains "$T/tree" "state"

# A configured User-Agent is sent as it is.
write_config '	user-agent = ministry-watch/2 (ops@example.org)' '[source "doc"]' "	url = $DOC_URL"
expect_exit 0 rl fetch
assert_eq "$(server_stats | jq -r .user_agent)" "ministry-watch/2 (ops@example.org)" "configured User-Agent"

# Without validators the page is fetched whole again: same text, no version.
echo no-validators >"$WWW/doc.html.fault"
rm "$ARCHIVE/redline/state/doc.json"
expect_exit 0 rl fetch
server_reset
expect_exit 0 rl fetch
assert_contains "$T/out" "doc: unchanged"
assert_not_contains "$T/out" "not modified"
assert_eq "$(server_stats | jq .conditional)" 0 "conditional requests without validators"
assert_eq "$(git_count doc)" 1 "versions"
pass
