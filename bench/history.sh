#!/usr/bin/env bash
# redline history against what a user would run instead, git log -S and
# git log -G on the same archive, in the same run: 1000 versions of the
# 2020 edition (~1 MB of canonical text) with small edits, written through
# the library by bench/history-driver.c (the way the daemon writes them:
# text.md and structure.json with ids carried). "our enemy" comes and goes
# at versions 100, 400, 700 and 1000; a principle changes every 50th.
#
# Reported: building the history index from nothing (once per source,
# then kept up to date), extending it by 10 new versions, a query for a
# phrase never asked before, the same query again, a principle's history,
# and git log -S / -G (which read every version each time), on the
# archive as written (loose objects) and after git gc. Also checks that
# redline and git log -S name the same commits.
# HISTORY_VERSIONS=N changes the number of versions.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
REDLINE=${REDLINE:-$BUILD/redline}
CORPUS=${CORPUS:-../shared/corpus}
N=${HISTORY_VERSIONS:-1000}
DOC=$CORPUS/rok-dwp-2020.txt
OUT=$BUILD/bench-history
[ -r "$DOC" ] || { echo "bench/history.sh: corpus absent ($CORPUS): skipped"; exit 0; }
[ -x "$REDLINE" ] && [ -r "$BUILD/libredline.a" ] ||
	{ echo "bench/history.sh: $REDLINE not built: skipped"; exit 0; }
mkdir -p "$OUT"
PKGS="libgit2 libcurl libxml-2.0 poppler-glib icu-uc icu-i18n jansson libsystemd openssl zlib"
# shellcheck disable=SC2046
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -Iinclude bench/history-driver.c "$BUILD/libredline.a" \
	$(pkg-config --cflags --libs $PKGS) -lm -o "$OUT/history-driver" || exit 1

A=$OUT/archive-$N.git
if [ "$(git --git-dir="$A" rev-list --count wp 2>/dev/null)" != "$N" ]; then
	rm -rf "$A"
	echo "building $N versions of $(wc -c <"$DOC") bytes of $(basename "$DOC") ..."
	start=$(date +%s.%N)
	"$OUT/history-driver" "$A" wp "$N" "$DOC" >"$OUT/toggles" || exit 1
	echo "  built in $(echo "$(date +%s.%N) - $start" | bc) s"
fi
P=$OUT/archive-$N-packed.git
if [ ! -d "$P" ]; then
	git clone -q --bare --no-local "$A" "$P" && git --git-dir="$P" gc -q
fi
text_bytes=$(git --git-dir="$A" cat-file -s wp:text.md)
echo "== $N versions, text.md $text_bytes bytes; loose $(du -sh "$A" | cut -f1), packed $(du -sh "$P" | cut -f1); $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"

secs() { # command...: sets W (wall seconds) and C (CPU seconds); output in $OUT/last
	/usr/bin/time -f "%e %U %S" -o "$OUT/time" "$@" >"$OUT/last" 2>"$OUT/last.err"
	read -r W u s < <(tail -1 "$OUT/time")
	C=$(echo "$u + $s" | bc | sed 's/^\./0./')
}
ratio() { echo "scale=1; $1 / $2" | bc | sed 's/^\./0./'; }

peaceful=
for repo in "$A" "$P"; do
	kind=loose
	[ "$repo" = "$P" ] && kind=packed
	RL=("$REDLINE" -A "$repo")
	rm -rf "$repo/redline/cache"
	secs "${RL[@]}" history wp --phrase "our enemy" --json
	build=$W build_cpu=$C
	events=$(jq length "$OUT/last")
	mine=$(jq -r '.[].commit' "$OUT/last" | sort)
	secs "${RL[@]}" history wp --phrase "denuclearization" --json
	warm=$W
	secs "${RL[@]}" history wp --phrase "denuclearization" --json
	again=$W
	[ -n "$peaceful" ] || peaceful=$("${RL[@]}" principles wp~"$((N - 1))" --json |
		jq -r '.[] | select(.text | startswith("Peaceful")) | .id')
	secs "${RL[@]}" history wp --principle "$peaceful" --json
	principle=$W
	pevents=$(jq length "$OUT/last")
	secs git --git-dir="$repo" log -S"our enemy" --format=%H wp -- text.md
	gs=$W
	theirs=$(sort "$OUT/last")
	secs git --git-dir="$repo" log -G"our enemy" --format=%H wp -- text.md
	gg=$W
	secs git --git-dir="$repo" log -G"Peaceful (resolution|settlement) of disputes" --format=%H wp -- text.md
	gp=$W
	same=no
	[ "$mine" = "$theirs" ] && same=yes
	echo "-- $kind objects"
	printf '%-44s %8s\n' "what" seconds
	printf '%-44s %8s   (%s s CPU; once per source, then kept up to date)\n' \
		"redline: index built from nothing" "$build" "$build_cpu"
	printf '%-44s %8s   %s events; same commits as git log -S: %s\n' \
		'redline history --phrase (new phrase)' "$warm" "$events" "$same"
	printf '%-44s %8s\n' 'redline history --phrase (again)' "$again"
	printf '%-44s %8s   %s events\n' 'redline history --principle' "$principle" "$pevents"
	printf '%-44s %8s   x%s of redline --phrase\n' 'git log -S"our enemy" -- text.md' "$gs" "$(ratio "$gs" "$warm")"
	printf '%-44s %8s   x%s\n' 'git log -G"our enemy" -- text.md' "$gg" "$(ratio "$gg" "$warm")"
	printf '%-44s %8s   x%s of redline --principle\n' 'git log -G"Peaceful (...) of disputes"' "$gp" "$(ratio "$gp" "$principle")"
done

# Keeping the index current: 10 more versions, then a query.
B=$OUT/archive-grow.git
rm -rf "$B" && cp -r "$A" "$B"
"$REDLINE" -A "$B" history wp --phrase x >/dev/null 2>&1
"$OUT/history-driver" "$B" wp 10 "$DOC" >/dev/null || exit 1
secs "$REDLINE" -A "$B" history wp --phrase "our enemy" --json
grow=$W
echo "-- 10 new versions: index extended and queried in $grow s ($C s CPU)"
rm -rf "$B"
