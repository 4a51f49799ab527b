#!/usr/bin/env bash
# Runs every libFuzzer target in build/fuzz for SECONDS (default 5) each,
# on seed corpora built from the fixtures under build/fuzz/corpus/<target>
# (libFuzzer adds what it finds there; the seeds in tests/ stay as they
# are). Crashes land in build/fuzz/crashes/. `tests/fuzz/run.sh 600` is
# the long run (doc/scale.md).
set -u
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-5}
OUT=build/fuzz
FIX=tests/fixtures
SEEDS=tests/fuzz/seeds
mkdir -p "$OUT/crashes"

seed() { # target files...
	local dir="$OUT/corpus/$1"
	shift
	mkdir -p "$dir"
	for f in "$@"; do [ -f "$f" ] && cp -f "$f" "$dir/"; done
	return 0
}
texts=("$FIX"/seed/*.txt "$FIX"/diff/*.txt "$FIX"/*/*.txt)
seed fuzz-canon "${texts[@]}"
seed fuzz-config "$SEEDS"/config/*
seed fuzz-extract-pdf "$SEEDS"/pdf/*
seed fuzz-diff "$SEEDS"/diff/*
mkdir -p "$OUT/corpus/fuzz-extract-html" "$OUT/corpus/fuzz-diff"
for t in "$FIX"/seed/*.txt; do
	scripts/text-to-page.sh "$t" >"$OUT/corpus/fuzz-extract-html/$(basename "$t" .txt).html"
done
# The differ: two versions of a page, apart at a NUL byte.
a="$FIX/seed/seed-page-085.txt"
{ cat "$a"; printf '\0'; sed 's/steadfast/robust/; s/^a\. /a. Firmly /' "$a"; } \
	>"$OUT/corpus/fuzz-diff/page85-edit"
{ cat "$a"; printf '\0'; cat "$FIX/seed/page-086-body.txt"; } >"$OUT/corpus/fuzz-diff/page85-86"
# The report: the differ's pairs, and lettered and numbered lists in
# English and Korean, apart at a NUL byte.
seed fuzz-report "$OUT"/corpus/fuzz-diff/page85-* "$SEEDS"/diff/*
p="$FIX/principles"
{ cat "$p/nested-en.md"; printf '\0'; cat "$p/nested-ko.md"; } >"$OUT/corpus/fuzz-report/nested-en-ko"
{ cat "$p/nested-en.md"; printf '\0'; sed '/^(2) /i (2) Securing the cyber domain;' "$p/nested-en.md"; } \
	>"$OUT/corpus/fuzz-report/nested-en-inserted"

status=0
for bin in "$OUT"/fuzz-*; do
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	name=${bin##*/}
	log="$OUT/$name.log"
	if "$bin" -max_total_time="$SECONDS_EACH" -timeout=20 \
		-rss_limit_mb=2048 -max_len=262144 -artifact_prefix="$OUT/crashes/$name-" \
		-print_final_stats=1 "$OUT/corpus/$name" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "ok   $name: ${runs:-?} runs in ${SECONDS_EACH}s, corpus $(ls "$OUT/corpus/$name" | wc -l)"
	else
		echo "FAIL $name: see $log"
		grep -E "ERROR|SUMMARY|Test unit written" "$log" | head -5
		status=1
	fi
done
exit $status
