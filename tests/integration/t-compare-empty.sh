#!/usr/bin/env bash
# `redline compare` takes an empty file (/dev/null, an empty draft,
# standard input with nothing on it) as a text without words, as diff and
# git take /dev/null: every word of the other file is new, or gone. A
# file with bytes but no text (whitespace, an HTML page without any) is
# taken so too, with a warning that names it. A fetch still refuses both
# (t-fetch-empty-body.sh): there an empty page is a broken page.
. "$(dirname "$0")/lib.sh"
SEED="$FIXTURES/seed/seed-page-085.txt"
: >"$T/empty.txt"
printf ' \n\t\n\n' >"$T/blank.txt"
printf '<html><head><title>x</title></head><body><script>var a;</script></body></html>' >"$T/bare.html"
words=$(jq -r '.stats.inserted' <("$REDLINE" compare "$SEED" "$SEED" --format json; true))
[ "$words" = 0 ] || fail "the seed page against itself inserted $words words"

# everything inserted, or everything deleted, and nothing said on stderr
expect_exit 1 "$REDLINE" compare /dev/null "$SEED" --format json
assert_eq "$(jq -r '.stats.common, .stats.deleted' "$T/out" | tr '\n' ' ')" "0 0 " "common and deleted"
inserted=$(jq -r '.stats.inserted' "$T/out")
[ "$inserted" -gt 400 ] || fail "only $inserted words inserted from /dev/null"
assert_eq "$(jq -r '[.changes[].kind] | unique | join(",")' "$T/out")" "insert" "change kinds"
assert_eq "$(jq -r '.principles.added | length' "$T/out")" 4 "principles added"
assert_eq "$(cat "$T/err")" "" "stderr"
expect_exit 1 "$REDLINE" compare "$SEED" "$T/empty.txt" --format json
assert_eq "$(jq -r '.stats.deleted' "$T/out")" "$inserted" "words deleted into an empty file"
assert_eq "$(jq -r '.principles.removed | length' "$T/out")" 4 "principles removed"

# unified: the empty side has no line, as diff -u writes it
expect_exit 1 "$REDLINE" compare "$SEED" /dev/null --format unified
lines=$(grep -c '^-' "$T/out")
assert_eq "$(sed -n 3p "$T/out")" "@@ -1,$((lines - 1)) +0,0 @@" "the hunk's header"
[ "$(grep -c '^+' "$T/out")" = 1 ] || fail "a '+' line besides +++: $(cat "$T/out")"
expect_exit 1 "$REDLINE" compare - "$SEED" --format unified </dev/null
assert_eq "$(sed -n 1,3p "$T/out" | tr '\n' '|')" "--- -|+++ $SEED|@@ -0,0 +1,$((lines - 1)) @@|" "the header from standard input"

# two empty texts read the same
expect_exit 0 "$REDLINE" compare /dev/null "$T/empty.txt"
expect_exit 0 "$REDLINE" compare "$T/empty.txt" - --format json </dev/null
assert_eq "$(jq -r '.changes | length' "$T/out")" 0 "changes between two empty files"

# bytes without text: a warning naming the file, then the same report
expect_exit 1 "$REDLINE" compare "$T/blank.txt" "$SEED" --format json
assert_eq "$(cat "$T/err")" "redline: $T/blank.txt: no text found; taken as empty" "the warning"
assert_eq "$(jq -r '.stats.inserted' "$T/out")" "$inserted" "words inserted after a blank file"
expect_exit 0 "$REDLINE" compare "$T/bare.html" "$T/blank.txt"
assert_eq "$(cat "$T/err")" "redline: $T/bare.html: no text found; taken as empty
redline: $T/blank.txt: no text found; taken as empty" "both warnings, in file order"

# what is not a document is still an error
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' >"$T/image.html"
expect_exit 2 "$REDLINE" compare "$T/image.html" /dev/null
assert_eq "$(cat "$T/err")" "redline: $T/image.html: not a document: a PNG image" "an image"
pass
