#!/usr/bin/env bash
# The whole pipeline as a new user meets it: init, fetch, a one-word change,
# fetch again, the daemon's pass with nothing new; the history read back with
# redline and with stock git.
. "$(dirname "$0")/lib.sh"
start_server

cp "$FIXTURES/seed/seed-page-085.txt" "$T/v1.txt"
make_page "$T/v1.txt" "$WWW/page85.html"
write_config '[source "wp85"]' "	url = $BASE/page85.html" '	title = Page 85' '	interval = 1h'

expect_exit 0 rl init
assert_contains "$T/out" "Initialized empty redline archive"
expect_exit 0 rl fetch
assert_contains "$T/out" "wp85: new"
assert_contains "$T/out" "fetched 1, unchanged 0, changed 1, failed 0"

# One word changes on the page.
sed 's/maintaining a steadfast$/maintaining a robust/' "$T/v1.txt" >"$T/v2.txt"
make_page "$T/v2.txt" "$WWW/page85.html"
expect_exit 0 rl fetch
assert_contains "$T/out" "wp85: changed"
assert_contains "$T/out" "1 word changed"

# The daemon's pass sees the same page: no new version.
expect_exit 0 "$REDLINED" -c "$CONF" --once
expect_exit 0 rl log wp85 --json
assert_eq "$(jqf length "$T/out")" 2 "versions in log --json"
assert_eq "$(jqf '.[0].source' "$T/out")" wp85 "source"
assert_eq "$(jqf '.[1].parent' "$T/out")" null "first version's parent"
assert_eq "$(jqf '.[0].parent == .[1].commit' "$T/out")" true "parent chain"
assert_eq "$(jqf '.[0].change' "$T/out")" wording "change class"
jqf '.[0].date' "$T/out" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' || fail "date is not ISO 8601"

# The diff names the old and the new word, in a few lines.
expect_exit 1 rl diff wp85 --color never
assert_contains "$T/out" "[-steadfast-]"
assert_contains "$T/out" "{+robust+}"
lines=$(wc -l <"$T/out")
[ "$lines" -le 8 ] || fail "diff is $lines lines, expected a few: $(cat "$T/out")"
expect_exit 1 rl diff wp85 --format json
assert_eq "$(jqf '.stats.deleted' "$T/out")" 1 "deleted words"
assert_eq "$(jqf '.stats.inserted' "$T/out")" 1 "inserted words"
assert_eq "$(jqf '[.changes[] | select(.class == "wording")] | length' "$T/out")" 1 "wording changes"
assert_eq "$(jqf '.changes[0].old' "$T/out")" steadfast "old text"
assert_eq "$(jqf '.changes[0].new' "$T/out")" robust "new text"

# Stock git reads the archive.
assert_eq "$(git_count wp85)" 2 "git rev-list --count wp85"
git --git-dir="$ARCHIVE" show wp85:text.md >"$T/text.md" || fail "git show wp85:text.md"
assert_contains "$T/text.md" "robust combined defense posture"
assert_not_contains "$T/text.md" "steadfast"
git --git-dir="$ARCHIVE" log -1 --format=%B wp85 >"$T/msg"
assert_contains "$T/msg" "wp85: 1 word changed"
assert_contains "$T/msg" "Redline-Url: $BASE/page85.html"
assert_contains "$T/msg" "Redline-Change: wording"
assert_contains "$T/msg" "Redline-Extractor: "
git --git-dir="$ARCHIVE" show wp85:source.json >"$T/source.json"
assert_eq "$(jqf '.pages[0].status' "$T/source.json")" 200 "source.json status"
assert_eq "$(jqf '.pages[0].sha256 | length' "$T/source.json")" 64 "source.json sha256"
git --git-dir="$ARCHIVE" show wp85:raw/document.html | cmp -s - "$WWW/page85.html" ||
	fail "raw/document.html is not the served bytes"
git --git-dir="$ARCHIVE" fsck --strict >/dev/null 2>&1 || fail "git fsck --strict"
# The landing page lists the source.
git --git-dir="$ARCHIVE" show main:sources.json >"$T/sources.json"
assert_eq "$(jqf '.[0].id' "$T/sources.json")" wp85 "landing page"

# show: latest, one back, by prefix.
expect_exit 0 rl show wp85
assert_contains "$T/out" "robust combined"
expect_exit 0 rl show wp85~1
assert_contains "$T/out" "steadfast combined"
first=$(git --git-dir="$ARCHIVE" rev-parse wp85~1)
expect_exit 0 rl show "wp85@${first:0:8}"
assert_contains "$T/out" "steadfast combined"
expect_exit 0 rl show "wp85@{$(date -u +%Y-%m-%d)}"
assert_contains "$T/out" "robust combined"
expect_exit 1 rl show wp85~5
assert_contains "$T/err" "has only 2 versions"
expect_exit 1 rl show nosuch
assert_contains "$T/err" "source 'nosuch' has no versions"

expect_exit 0 rl status --json
assert_eq "$(jqf '.[0].state' "$T/out")" ok "status state"
assert_eq "$(jqf '.[0].error' "$T/out")" null "status error"
pass
