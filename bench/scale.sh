#!/usr/bin/env bash
# The archive at scale, side by side with stock git in the same run:
#  1. history: an archive of SOURCES x VERSIONS (default 1000 x 100 = 100k
#     commits, each a real tree) written through the library by
#     bench/gen-archive; one source's `redline log --json` and the merged
#     `redline log -n 20` against `git log` on the same refs, before and
#     after `redline gc` (median of RUNS; goals 50 ms and 200 ms);
#  2. gc: `redline gc` against `git gc` on a copy (time, peak RSS, size);
#  3. storage: 100 versions of a 1 MB document (corpus 2020 edition) with
#     EDITS words changed each, packed by `redline gc` and by
#     `git gc --aggressive` (goal: at most 1.2x).
# SCALE_SOURCES, SCALE_VERSIONS, RUNS shrink it; work under build/bench-scale.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
REDLINE=${REDLINE:-$PWD/$BUILD/redline}
SOURCES=${SCALE_SOURCES:-1000}
VERSIONS=${SCALE_VERSIONS:-100}
EDITS=${SCALE_EDITS:-5}
RUNS=${RUNS:-7}
DOC=${DOC:-../shared/corpus/rok-dwp-2020.txt}
OUT=$PWD/$BUILD/bench-scale
GEN=$PWD/$BUILD/bench/gen-archive
make --no-print-directory -s "$BUILD/bench/gen-archive" "$BUILD/redline" || exit 1
rm -rf "$OUT"
mkdir -p "$OUT"

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# median wall milliseconds of RUNS runs, output discarded
median_ms() {
	local t=() s
	for _ in $(seq "$RUNS"); do
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1
		t+=($((($(date +%s%N) - s) / 1000000)))
	done
	printf '%s\n' "${t[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p"
}
# seconds and peak KiB of one run
timed() { # label cmd...
	local label=$1
	shift
	/usr/bin/time -f "%e %M" -o "$OUT/time" "$@" >"$OUT/$label.out" 2>&1 || {
		echo "$label failed: $(tail -3 "$OUT/$label.out")"
		return 1
	}
	read -r SECS KIB <"$OUT/time"
}
objects_bytes() { du -sb "$1/objects" | cut -f1; }
pack_bytes() { cat "$1"/objects/pack/*.pack 2>/dev/null | wc -c; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }

A=$OUT/history.git
ONE=$(printf 's%04d' $((SOURCES / 2)))
echo "== history: $SOURCES sources x $VERSIONS versions ($((SOURCES * VERSIONS)) commits)"
timed gen "$GEN" "$A" -s "$SOURCES" -v "$VERSIONS" -e 3 || exit 1
echo "generated in ${SECS}s; $(git --git-dir="$A" count-objects -v | sed -n 's/^count: //p') loose objects, $(mib "$(objects_bytes "$A")")"
base=$(median_ms "$REDLINE" help)
history() { # label
	local r1 g1 r2 g2
	r1=$(median_ms "$REDLINE" -A "$A" log "$ONE" --json)
	g1=$(median_ms git --git-dir="$A" log --format='%H %P %at %s' "refs/heads/$ONE")
	r2=$(median_ms "$REDLINE" -A "$A" log -n 20 --json)
	g2=$(median_ms git --git-dir="$A" log --all -n 20 --format='%H %P %at %s')
	printf '%-22s %-28s %8s %8s %8s\n' "$1" "log $ONE --json" "${r1} ms" "${g1} ms" "$(ratio "$r1" "$g1")"
	printf '%-22s %-28s %8s %8s %8s\n' "$1" "log -n 20 (all merged)" "${r2} ms" "${g2} ms" "$(ratio "$r2" "$g2")"
	echo "$r1 $r2 $1" >>"$OUT/history.txt"
}
echo "(wall time, median of $RUNS; a bare process start of redline takes ${base} ms)"
printf '%-22s %-28s %8s %8s %8s\n' state command redline git ratio
history "loose (no gc yet)"

cp -a "$A" "$OUT/history-git.git"
timed rgc "$REDLINE" -A "$A" gc --prune=now || exit 1
rs=$SECS rk=$KIB
timed ggc git --git-dir="$OUT/history-git.git" gc --prune=now -q || exit 1
history "after redline gc"
echo "== gc of $((SOURCES * VERSIONS)) commits"
printf '%-14s %8s %12s %14s\n' tool seconds "peak RSS" "objects/"
printf '%-14s %8s %12s %14s\n' "redline gc" "$rs" "$((rk / 1024)) MiB" "$(mib "$(objects_bytes "$A")")"
printf '%-14s %8s %12s %14s\n' "git gc" "$SECS" "$((KIB / 1024)) MiB" "$(mib "$(objects_bytes "$OUT/history-git.git")")"
loose=$(git --git-dir="$A" count-objects -v | sed -n 's/^count: //p')
echo "loose objects after redline gc: $loose"
git --git-dir="$A" fsck --strict --no-dangling >/dev/null 2>&1 && echo "git fsck --strict: clean" ||
	echo "git fsck --strict: FAILED"
rm -rf "$OUT/history-git.git"
read -r one_ms all_ms _ < <(grep 'after' "$OUT/history.txt")
[ "${one_ms:-999}" -lt 50 ] && [ "${all_ms:-999}" -lt 200 ] && echo "goal (50 ms / 200 ms): met" ||
	echo "goal (50 ms / 200 ms): NOT met"

echo "== storage: $VERSIONS versions of a 1 MB document, $EDITS words edited each"
if [ ! -r "$DOC" ]; then
	echo "corpus absent ($DOC): skipped"
	exit 0
fi
D=$OUT/doc.git
timed gendoc "$GEN" "$D" -s 1 -v "$VERSIONS" -e "$EDITS" -d "$DOC" || exit 1
loose_b=$(objects_bytes "$D")
cp -a "$D" "$OUT/doc-git.git"
cp -a "$D" "$OUT/doc-gitplain.git"
timed dgc "$REDLINE" -A "$D" gc --prune=now || exit 1
rs=$SECS rk=$KIB
timed dggc git --git-dir="$OUT/doc-git.git" gc --aggressive --prune=now -q || exit 1
gs=$SECS gk=$KIB
timed dgpc git --git-dir="$OUT/doc-gitplain.git" gc --prune=now -q || exit 1
rp=$(pack_bytes "$D") gp=$(pack_bytes "$OUT/doc-git.git") pp=$(pack_bytes "$OUT/doc-gitplain.git")
printf '%-22s %8s %12s %14s %8s\n' tool seconds "peak RSS" "pack" "vs aggr."
printf '%-22s %8s %12s %14s %8s\n' "loose (before)" - - "$(mib "$loose_b")" "$(ratio "$loose_b" "$gp")"
printf '%-22s %8s %12s %14s %8s\n' "redline gc" "$rs" "$((rk / 1024)) MiB" "$(mib "$rp")" "$(ratio "$rp" "$gp")"
printf '%-22s %8s %12s %14s %8s\n' "git gc" "$SECS" "$((KIB / 1024)) MiB" "$(mib "$pp")" "$(ratio "$pp" "$gp")"
printf '%-22s %8s %12s %14s %8s\n' "git gc --aggressive" "$gs" "$((gk / 1024)) MiB" "$(mib "$gp")" 1.00
awk -v a="$rp" -v b="$gp" 'BEGIN { exit !(a <= 1.2 * b) }' && echo "goal (<= 1.2x git gc --aggressive): met" ||
	echo "goal (<= 1.2x git gc --aggressive): NOT met"
rm -rf "$OUT/doc-git.git" "$OUT/doc-gitplain.git"
