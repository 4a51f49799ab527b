#!/usr/bin/env bash
# redline add / rm / sources as a new user meets them: add a source, list
# it, fetch it, remove it (its versions stay in the archive); bad values are
# refused with exit 2 before the file is touched; comments and layout stay.
. "$(dirname "$0")/fetch-lib.sh"
start_server
page_text 1 >"$T/p1.txt"
page_text 2 >"$T/p2.txt"
make_page "$T/p1.txt" "$WWW/notice.html"
make_page "$T/p1.txt" "$WWW/book1.html"
make_page "$T/p2.txt" "$WWW/book2.html"
cat >"$CONF" <<CONF
# The ministry watch.
[archive]
	path = $ARCHIVE   ; the archive
[fetch]
	timeout = 10s
	retries = 0
CONF
cp "$CONF" "$T/conf.orig"
expect_exit 0 rl init

expect_exit 0 rl add notice "$BASE/notice.html" --title "Ministry notice" --interval 1d
assert_contains "$T/out" "added source 'notice'"
expect_exit 0 rl add book "$BASE/book{page}.html" --pages 1-2
cmp -s <(head -c "$(stat -c %s "$T/conf.orig")" "$CONF") "$T/conf.orig" ||
	fail "add changed what was in the file: $(diff "$T/conf.orig" "$CONF")"
expect_exit 0 rl config check
assert_contains "$T/out" "OK (2 sources"

expect_exit 0 rl sources --json
assert_eq "$(jq -c '.[0]' "$T/out")" \
	"{\"id\":\"notice\",\"title\":\"Ministry notice\",\"url\":\"$BASE/notice.html\",\"pages\":null,\"interval\":\"1d\"}" \
	"notice in sources --json"
assert_eq "$(jq -c '.[1] | [.id, .title, .pages, .interval]' "$T/out")" '["book","book","1-2","6h"]' "book"
expect_exit 0 rl sources
assert_contains "$T/out" "Ministry notice"
assert_contains "$T/out" "  $BASE/book{page}.html"

expect_exit 0 rl fetch
assert_contains "$T/out" "fetched 2, unchanged 0, changed 2, failed 0"

# Refused before the file is touched: exit 2, a message naming the value.
cp "$CONF" "$T/conf.before"
refused() { # WANT ARGS...
	local want=$1
	shift
	expect_exit 2 rl add "$@"
	assert_contains "$T/err" "$want"
	cmp -s "$CONF" "$T/conf.before" || fail "a refused add changed the file"
}
refused "there is already a source 'notice'" notice "$BASE/other.html"
refused "is not an http, https or file URL" other "ftp://127.0.0.1/x"
refused "source id 'main'" main "$BASE/x.html"
refused "give the pages" other "$BASE/p{page}.html"
refused "'3-1' is not a page range" other "$BASE/p{page}.html" --pages 3-1
refused "--pages needs a URL with {page}" other "$BASE/x.html" --pages 1-2
refused "'often' is not a duration" other "$BASE/x.html" --interval often
refused "give a source id and its URL" other
expect_exit 2 rl rm nosuch
assert_contains "$T/err" "no source 'nosuch'"
cmp -s "$CONF" "$T/conf.before" || fail "a refused rm changed the file"

# rm: the file is back to what it was; the archive keeps the versions.
expect_exit 0 rl rm book
assert_contains "$T/out" "removed source 'book'"
expect_exit 0 rl rm notice
cmp -s "$CONF" "$T/conf.orig" || fail "add then rm did not give the file back: $(diff "$T/conf.orig" "$CONF")"
assert_eq "$(git_count book)" 1 "book's versions after rm"
expect_exit 0 rl status --json
assert_eq "$(jqf '[.[].id] | sort | join(",")' "$T/out")" "book,notice" "archived sources in status"
expect_exit 0 rl sources --json
assert_eq "$(jqf length "$T/out")" 0 "configured sources after rm"
expect_exit 2 rl fetch book
pass
