#!/usr/bin/env bash
# A body over max-size is an error naming the URL and the limit, whether
# its length is announced or only found while decoding.
. "$(dirname "$0")/fetch-lib.sh"
start_server
doc_setup '	max-size = 512KiB'
cp "$WWW/doc.html" "$T/small.html"
{ cat "$T/small.html"; head -c 600000 /dev/zero | tr '\0' ' '; } >"$WWW/doc.html"
expect_doc_failure "$BASE/doc.html: body larger than max-size (524288 bytes)"
echo gzip >"$WWW/doc.html.fault"
expect_doc_failure "$BASE/doc.html: body larger than max-size (524288 bytes)"
assert_eq "$(git_count doc)" 0 "versions"
# Under the limit, the same page is archived.
rm "$WWW/doc.html.fault"
cp "$T/small.html" "$WWW/doc.html"
expect_exit 0 rl fetch
assert_eq "$(git_count doc)" 1 "versions under the limit"
pass
