#!/usr/bin/env bash
# Where `redline compare` writes its report. Not a terminal: straight to
# standard output as the report is written (a long JSON report's two
# halves as they come; test-render holds those to the report rendered
# into one buffer, the bytes a pager gets). A device that
# takes nothing (/dev/full): exit 2 and the reason, whether the report is
# short (held in stdio's buffer until the exit, where its failed write
# went unsaid with exit status 1) or long (refused as it is written).
. "$(dirname "$0")/lib.sh"
SEED="$FIXTURES/seed/seed-page-085.txt"
sed 's/steadfast/robust/' "$SEED" >"$T/new.txt"
# 5,000 lines, each with a word of its own changed: a change list long
# enough to be written in two halves
for i in $(seq 5000); do echo "Line $i keeps its words but old$i."; done >"$T/long-old.txt"
for i in $(seq 5000); do echo "Line $i keeps its words but new$i."; done >"$T/long-new.txt"

# streamed to a file: valid JSON, every change in order
expect_exit 1 "$REDLINE" compare --format json "$T/long-old.txt" "$T/long-new.txt"
assert_eq "$(jq '.changes | length' "$T/out")" 5000 "changes"
assert_eq "$(jq -r '.changes[0].old, .changes[2499].new, .changes[4999].old' "$T/out" | tr '\n' ' ')" \
	"old1 new2500 old5000 " "the first, the middle and the last change"
# the same report into a file and through a pipe
expect_exit 1 "$REDLINE" compare --color never "$T/long-old.txt" "$T/long-new.txt"
cp "$T/out" "$T/word.txt"
"$REDLINE" compare --color never "$T/long-old.txt" "$T/long-new.txt" | cat >"$T/piped.txt"
cmp -s "$T/word.txt" "$T/piped.txt" || fail "the word report through a pipe differs from the one in a file"

# a full device: exit 2, the reason on stderr
for pair in "$SEED $T/new.txt" "$T/long-old.txt $T/long-new.txt"; do
	for format in json word unified html; do
		# shellcheck disable=SC2086
		"$REDLINE" compare --format "$format" $pair >/dev/full 2>"$T/err"
		got=$?
		[ "$got" = 2 ] || fail "compare --format $format $pair > /dev/full exited $got, expected 2"
		grep -q "No space left on device" "$T/err" ||
			fail "compare --format $format > /dev/full said: $(cat "$T/err")"
		# one message of its own (under valgrind, its report of the
		# threads still at work when the error ends the run follows)
		[ "$(grep -c '^redline:' "$T/err")" = 1 ] || fail "not one error line: $(cat "$T/err")"
	done
done
# and the same for a short report of another command
"$REDLINE" --version >/dev/full 2>"$T/err" && fail "--version to /dev/full succeeded"
pass
