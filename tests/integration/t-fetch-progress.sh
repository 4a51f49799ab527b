#!/usr/bin/env bash
# What `redline fetch` prints: one plain line per source and a summary when
# not on a terminal; -q keeps only failures; on a terminal, one updating
# progress line (sources and pages done of the total, failures, bytes).
. "$(dirname "$0")/fetch-lib.sh"
start_server
for p in 1 2 3; do
	page_text $p >"$T/p$p.txt"
	make_page "$T/p$p.txt" "$WWW/p$p.html"
done
cp "$WWW/p1.html" "$WWW/one.html"
cp "$WWW/p1.html" "$WWW/bad.html"
echo "status 500" >"$WWW/bad.html.fault"
write_config '[source "book"]' "	url = $BASE/p{page}.html" '	pages = 1-3' \
	'[source "one"]' "	url = $BASE/one.html" '[source "bad"]' "	url = $BASE/bad.html"
expect_exit 0 rl init

expect_exit 1 rl fetch
assert_contains "$T/out" "book: new "
assert_contains "$T/out" "one: new "
assert_contains "$T/err" "bad: failed: HTTP 500 from $BASE/bad.html"
assert_eq "$(tail -n1 "$T/out")" "fetched 2, unchanged 0, changed 2, failed 1" "summary line"
assert_eq "$(wc -l <"$T/out")" 3 "lines on stdout"
assert_not_contains "$T/err" "fetching:"
grep -q $'\r' "$T/out" "$T/err" && fail "a carriage return in non-terminal output"

expect_exit 1 rl fetch -q
assert_eq "$(wc -c <"$T/out")" 0 "bytes on stdout with -q"
assert_eq "$(cat "$T/err")" "bad: failed: HTTP 500 from $BASE/bad.html" "stderr with -q"

expect_exit 1 rl fetch one bad
assert_contains "$T/out" "one: unchanged (not modified)"
assert_contains "$T/out" "fetched 1, unchanged 1, changed 0, failed 1"
assert_not_contains "$T/out" "book"
expect_exit 2 rl fetch nosuch
assert_contains "$T/err" "no source 'nosuch'"

# On a terminal (script(1) gives it one): the progress line, then the
# changes, the failures and the summary; unchanged sources stay quiet.
if command -v script >/dev/null; then
	page_text 2 "A new sentence appears on page two." >"$T/p2.txt"
	make_page "$T/p2.txt" "$WWW/p2.html"
	script -q -e -c "$REDLINE -c $CONF fetch" /dev/null >"$T/tty" </dev/null
	tr '\r' '\n' <"$T/tty" >"$T/tty.lines"
	grep -Eq '^.*fetching: [0-3]/3 sources, [0-9]+/5 pages, [01] failed, [0-9.]+ (B|KiB)' "$T/tty.lines" ||
		fail "no progress line on a terminal: $(cat -v "$T/tty")"
	grep -Eq 'fetching: 3/3 sources, 5/5 pages, 1 failed, [0-9.]+ (B|KiB)' "$T/tty.lines" ||
		fail "the progress line never reached 3/3: $(cat -v "$T/tty")"
	assert_contains "$T/tty.lines" "book: changed "
	assert_contains "$T/tty.lines" "bad: failed: HTTP 500"
	assert_contains "$T/tty.lines" "fetched 2, unchanged 1, changed 1, failed 1"
	assert_not_contains "$T/tty.lines" "one: unchanged"
	# -q on a terminal: no progress line either.
	script -q -e -c "$REDLINE -c $CONF fetch -q" /dev/null >"$T/tty" </dev/null
	assert_not_contains "$T/tty" "fetching:"
	assert_not_contains "$T/tty" "fetched "
else
	echo "  (script(1) missing: terminal output not checked)"
fi
pass
