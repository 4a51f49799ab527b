#!/usr/bin/env bash
# The report's options, the same for `redline diff` (two archived
# versions) and `redline compare` (two files): -U N / --context N, the
# unchanged lines around a change in unified hunks; --no-moves, a moved
# paragraph reported as deleted and inserted; a wrong value refused with
# exit 2, naming it. The page: fourteen paragraphs; the next version moves
# the second to the end and changes a word of the one before last.
. "$(dirname "$0")/lib.sh"
topics=(training procurement logistics medicine cyberspace space reserves education housing
	veterans)
{
	echo "The ministry sets out its first aim in this paragraph of plain words for testing."
	echo
	echo "The second paragraph explains the alliance and how it supports peace on the peninsula for many years to come."
	for k in "${!topics[@]}"; do
		echo
		echo "Paragraph $((k + 3)) covers ${topics[k]} across every province of the country this year."
	done
	echo
	echo "The posture remains steadfast against every threat to the nation."
	echo
	echo "The last paragraph closes the chapter with a summary of the aims above."
} >"$T/v1.txt"
# the second paragraph moved to the end, a word of the one before last changed
awk -v RS= '{ p[NR] = $0 } END {
	sub(/steadfast/, "robust", p[NR - 1])
	printf "%s\n", p[1]
	for (k = 3; k <= NR; k++) printf "\n%s\n", p[k]
	printf "\n%s\n", p[2] }' "$T/v1.txt" >"$T/v2.txt"

start_server
make_page "$T/v1.txt" "$WWW/doc.html"
write_config '[source "doc"]' "	url = $BASE/doc.html"
expect_exit 0 rl init
expect_exit 0 rl fetch
make_page "$T/v2.txt" "$WWW/doc.html"
expect_exit 0 rl fetch
assert_contains "$T/out" "doc: changed"

# Each check runs on both commands: "diff doc" and "compare v1 v2".
report() { # OUTFILE COMMAND OPTIONS...
	local out=$1 cmd=$2
	shift 2
	if [ "$cmd" = diff ]; then
		rl diff doc "$@" >"$out" 2>"$T/err"
	else
		"$REDLINE" compare "$@" "$T/v1.txt" "$T/v2.txt" >"$out" 2>"$T/err"
	fi
}
context_lines() { grep -c '^ ' "$1" || true; }

for cmd in diff compare; do
	# moves: one by default, none with --no-moves (its words deleted
	# and inserted, counted so)
	report "$T/moves.json" $cmd --format json
	assert_eq "$(jq -c '[.changes[].kind] | sort' "$T/moves.json")" '["move","replace"]' "$cmd: kinds"
	moved=$(jq '.stats.moved' "$T/moves.json")
	[ "$moved" -gt 0 ] || fail "$cmd: nothing counted moved"
	report "$T/nomoves.json" $cmd --format json --no-moves
	assert_eq "$(jq -c '[.changes[].kind] | sort' "$T/nomoves.json")" '["delete","insert","replace"]' \
		"$cmd --no-moves: kinds"
	assert_eq "$(jq '.stats.moved' "$T/nomoves.json")" 0 "$cmd --no-moves: moved"
	assert_eq "$(jq '.stats.inserted' "$T/nomoves.json")" \
		"$(($(jq '.stats.inserted' "$T/moves.json") + moved))" "$cmd --no-moves: inserted"
	assert_eq "$(jq '.stats.common' "$T/nomoves.json")" "$(jq '.stats.common' "$T/moves.json")" \
		"$cmd --no-moves: common"
	# the word format says "moved" only where moves are looked for
	report "$T/word.txt" $cmd --color never
	assert_contains "$T/word.txt" "1 deleted, $moved moved"
	report "$T/word.txt" $cmd --color never --no-moves
	assert_contains "$T/word.txt" ", 0 moved"

	# context: the default (3) shows unchanged lines; -U 0 none; -U 1
	# fewer than the default, and more than none
	report "$T/u3.txt" $cmd --format unified --color never
	report "$T/u0.txt" $cmd --format unified --color never -U 0
	report "$T/u1.txt" $cmd --format unified --color never --context 1
	c3=$(context_lines "$T/u3.txt") c0=$(context_lines "$T/u0.txt") c1=$(context_lines "$T/u1.txt")
	assert_eq "$c0" 0 "$cmd -U 0: context lines"
	if [ "$c1" -eq 0 ] || [ "$c1" -ge "$c3" ]; then
		fail "$cmd: context lines -U 1 $c1, default $c3"
	fi
	assert_contains "$T/u0.txt" "+The posture remains robust against every threat to the nation."

	# wrong values: exit 2, the value named, no report
	for bad in x -1 '' 100001 3x; do
		report "$T/bad.txt" $cmd --format unified -U "$bad"
		got=$?
		[ "$got" = 2 ] || fail "$cmd -U '$bad' exited $got, expected 2"
		assert_contains "$T/err" "--context takes a number of lines, 0 to 100000: '$bad'"
		[ ! -s "$T/bad.txt" ] || fail "$cmd -U '$bad' printed a report"
	done
done
pass
