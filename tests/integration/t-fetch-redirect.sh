#!/usr/bin/env bash
# A redirect is followed and the final URL recorded in source.json.
. "$(dirname "$0")/fetch-lib.sh"
start_server
doc_setup
cp "$WWW/doc.html" "$WWW/moved.html"
echo "redirect $BASE/moved.html" >"$WWW/doc.html.fault"
expect_exit 0 rl fetch
assert_contains "$T/out" "doc: new"
git --git-dir="$ARCHIVE" show doc:source.json >"$T/source.json"
assert_eq "$(jqf '.pages[0].url' "$T/source.json")" "$DOC_URL" "requested URL"
assert_eq "$(jqf '.pages[0].final_url' "$T/source.json")" "$BASE/moved.html" "final URL"
pass
