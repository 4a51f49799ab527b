#!/usr/bin/env bash
# redline gc: after a few versions of a few sources, one pack holds them,
# no loose object is left, stock git verifies the pack, the commit-graph
# and the packed refs, and redline reads every version back. gc beside a
# running fetch loses nothing; a second gc is refused while one runs.
. "$(dirname "$0")/lib.sh"
start_server

version() { # source n
	sed "s/maintaining a steadfast\$/maintaining a steadfast (revision $2)/" \
		"$FIXTURES/seed/seed-page-085.txt" >"$T/$1.txt"
	make_page "$T/$1.txt" "$WWW/$1.html"
}
write_config '[source "a"]' "	url = $BASE/a.html" '[source "b"]' "	url = $BASE/b.html" \
	'[source "c"]' "	url = $BASE/c.html"
expect_exit 0 rl init
for n in 1 2 3 4; do
	for s in a b c; do version $s $n; done
	expect_exit 0 rl fetch -q
done
loose_before=$(find "$ARCHIVE/objects" -path '*/objects/??/*' -type f | wc -l)
[ "$loose_before" -gt 0 ] || fail "no loose objects before gc"

expect_exit 0 rl gc
assert_contains "$T/out" "packed "
assert_contains "$T/out" "commit-graph: 16 commits; refs packed"
loose=$(find "$ARCHIVE/objects" -path '*/objects/??/*' -type f | wc -l)
assert_eq "$loose" 0 "loose objects after gc"
git --git-dir="$ARCHIVE" count-objects -v >"$T/count"
assert_contains "$T/count" "count: 0"
assert_contains "$T/count" "packs: 1"
git --git-dir="$ARCHIVE" fsck --strict >"$T/fsck" 2>&1 || fail "fsck after gc: $(cat "$T/fsck")"
git --git-dir="$ARCHIVE" verify-pack "$ARCHIVE"/objects/pack/*.idx || fail "git verify-pack"
git --git-dir="$ARCHIVE" commit-graph verify || fail "git commit-graph verify"
assert_contains "$ARCHIVE/packed-refs" "refs/heads/a"
expect_exit 0 rl log a --json
assert_eq "$(jqf length "$T/out")" 4 "versions of a after gc"
expect_exit 0 rl show a~3
assert_contains "$T/out" "(revision 1)"
expect_exit 0 rl log -n 20 --json
assert_eq "$(jqf '[.[].source] | unique | join(",")' "$T/out")" a,b,c "merged log after gc"
assert_eq "$(jqf length "$T/out")" 12 "merged log length after gc"

# Versions written after gc land loose again, beside the pack and the
# packed refs; a second gc folds them in and drops the first pack.
for s in a b c; do version $s 5; done
expect_exit 0 rl fetch -q
expect_exit 0 rl gc
assert_contains "$T/out" "1 redundant pack"
assert_eq "$(find "$ARCHIVE/objects/pack" -name '*.pack' | wc -l)" 1 "packs after the second gc"

# gc while fetches run: every version written survives.
for n in 6 7 8 9 10 11; do
	for s in a b c; do version $s $n; done
	rl fetch -q >"$T/fetch.log" 2>&1 &
	fetch=$!
	rl gc --prune=now >>"$T/gc.log" 2>&1 || true
	wait "$fetch" || fail "fetch beside gc failed: $(cat "$T/fetch.log")"
done
git --git-dir="$ARCHIVE" fsck --strict >"$T/fsck" 2>&1 || fail "fsck after gc beside fetch: $(cat "$T/fsck")"
for s in a b c; do
	assert_eq "$(git_count $s)" 11 "versions of $s after gc beside fetches"
	git --git-dir="$ARCHIVE" show "$s:text.md" | grep -q "revision 11" || fail "$s: latest text"
done
expect_exit 0 rl gc --prune=now
assert_eq "$(find "$ARCHIVE/objects" -path '*/objects/??/*' -type f | wc -l)" 0 "loose objects at the end"

expect_exit 2 rl gc --prune=sometimes
assert_contains "$T/err" "--prune takes now, never or a duration"
pass
