#!/usr/bin/env bash
# The differ against the tools people use instead, in the same run:
# redline compare, git diff --no-index --word-diff, dwdiff, wdiff and
# Python's difflib on corpus 2018 -> 2020 and on one edition with planted
# edits. Reports wall time, peak RSS and common words; the longest common
# word sequence (git's minimal algorithm, one word per line) is computed
# once and cached under build/bench-diff/.
# Words: whitespace-separated for the other tools and the cached LCS (the
# issue's measure); redline's stats count ICU words (punctuation apart),
# so its LCS is also given on the same ICU words.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
REDLINE=${REDLINE:-$BUILD/redline}
CORPUS=${CORPUS:-../shared/corpus}
OUT=$BUILD/bench-diff
mkdir -p "$OUT"
A=$CORPUS/rok-dwp-2018.txt
B=$CORPUS/rok-dwp-2020.txt
[ -r "$A" ] && [ -r "$B" ] || { echo "bench/diff.sh: corpus absent ($CORPUS): skipped"; exit 0; }
[ -x "$REDLINE" ] || { echo "bench/diff.sh: $REDLINE not built: skipped"; exit 0; }

# wall seconds and peak RSS (KiB) of a command, output to a file
measure() { # name outfile cmd...
	local name=$1 out=$2; shift 2
	/usr/bin/time -f "%e %M" -o "$OUT/$name.time" "$@" >"$out" 2>/dev/null
	read -r T R < <(tail -1 "$OUT/$name.time")
}

words() { tr -s ' \t\n' '\n\n\n' <"$1" | grep -v '^$'; }
lcs() { # cached LCS of two word-per-line files
	local key=$1 x=$2 y=$3
	if [ ! -s "$OUT/lcs-$key" ]; then
		local del
		del=$(git diff --no-index --minimal -U0 "$x" "$y" | grep -c '^-[^-]' || true)
		echo $(($(wc -l <"$x") - del)) >"$OUT/lcs-$key"
	fi
	cat "$OUT/lcs-$key"
}

run_pair() { # label old new
	local label=$1 a=$2 b=$3 na nb
	words "$a" >"$OUT/$label.a.w"; words "$b" >"$OUT/$label.b.w"
	na=$(wc -l <"$OUT/$label.a.w"); nb=$(wc -l <"$OUT/$label.b.w")
	echo "== $label: $na -> $nb words (whitespace)"
	local L; L=$(lcs "$label" "$OUT/$label.a.w" "$OUT/$label.b.w")
	echo "LCS (git --minimal, whitespace words): $L"
	printf '%-10s %8s %9s %10s %8s\n' tool seconds peakKiB common "%LCS"

	measure redline "$OUT/$label.json" "$REDLINE" compare --format json "$a" "$b"
	local c m
	c=$(python3 -c 'import json,sys;s=json.load(open(sys.argv[1]))["stats"];print(s["common"],s["moved"])' "$OUT/$label.json")
	read -r c m <<<"$c"
	printf '%-10s %8s %9s %10s %8s  (+%s moved: %s%%)\n' redline "$T" "$R" "$c" \
		"$(python3 -c "print(round(100*$c/$L,1))")" "$m" "$(python3 -c "print(round(100*($c+$m)/$L,1))")"
	local RT=$T

	measure git "$OUT/$label.git" git diff --no-index --word-diff=porcelain "$a" "$b"
	c=$(grep -c '' <(grep '^ ' "$OUT/$label.git" | tr -s ' ' '\n' | grep -v '^$'))
	printf '%-10s %8s %9s %10s %8s\n' git-word "$T" "$R" "$c" "$(python3 -c "print(round(100*$c/$L,1))")"
	echo "redline / git wall time: $(python3 -c "print(round($RT/max($T,0.001),2))")"

	if command -v dwdiff >/dev/null; then
		measure dwdiff "$OUT/$label.dw" dwdiff -s "$a" "$b"
		c=$(dwdiff -s "$a" "$b" 2>&1 >/dev/null | sed -n 's/^old: [0-9]* words *\([0-9]*\).*common.*/\1/p' | head -1)
		printf '%-10s %8s %9s %10s %8s\n' dwdiff "$T" "$R" "${c:-?}" "$([ -n "$c" ] && python3 -c "print(round(100*$c/$L,1))")"
	else echo "dwdiff absent (apt-get install dwdiff)"; fi
	if command -v wdiff >/dev/null; then
		measure wdiff "$OUT/$label.wd" wdiff -s "$a" "$b"
		c=$(sed -n 's/.*: [0-9]* words *\([0-9]*\) [0-9]*% common.*/\1/p' "$OUT/$label.wd" | head -1)
		printf '%-10s %8s %9s %10s %8s\n' wdiff "$T" "$R" "${c:-?}" "$([ -n "$c" ] && python3 -c "print(round(100*$c/$L,1))")"
	else echo "wdiff absent (apt-get install wdiff)"; fi
	if [ "${BENCH_DIFFLIB:-1}" = 1 ] && command -v python3 >/dev/null; then
		measure difflib "$OUT/$label.dl" timeout "${DIFFLIB_TIMEOUT:-300}" python3 -c '
import difflib,sys
a=open(sys.argv[1]).read().split(); b=open(sys.argv[2]).read().split()
m=difflib.SequenceMatcher(None,a,b,autojunk=False)
print(sum(x.size for x in m.get_matching_blocks()))' "$a" "$b"
		c=$(cat "$OUT/$label.dl")
		printf '%-10s %8s %9s %10s %8s\n' difflib "$T" "$R" "${c:-timeout}" "$([ -n "$c" ] && python3 -c "print(round(100*$c/$L,1))")"
	fi
}

run_pair ed2018-2020 "$A" "$B"

# One edition with ten planted edits: replaced, inserted, deleted words,
# a negation, a number, and two moved paragraphs.
python3 bench/diff/plant.py "$B" "$OUT/planted.txt" "$OUT/planted.expect"
measure redline "$OUT/planted.json" "$REDLINE" compare --format json "$B" "$OUT/planted.txt"
echo "== planted edits (10) in rok-dwp-2020: redline ${T}s, ${R} KiB"
python3 bench/diff/check-planted.py "$OUT/planted.expect" "$OUT/planted.json"
