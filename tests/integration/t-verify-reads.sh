#!/usr/bin/env bash
# Commands that only show what is archived read objects as git's own
# commands do: zlib checks each as it is inflated, and its bytes are not
# hashed again (rl_archive_verify_reads). Commands that write keep the
# check: a blob whose file holds another blob's bytes is shown as it is
# stored, and gc refuses to pack it, naming both ids, losing nothing.
. "$(dirname "$0")/lib.sh"
start_server

make_page "$FIXTURES/seed/seed-page-085.txt" "$WWW/p.html"
write_config '[source "wp"]' "	url = $BASE/p.html"
expect_exit 0 rl init
expect_exit 0 rl fetch
sed 's/steadfast/robust/' "$FIXTURES/seed/seed-page-085.txt" >"$T/p2.txt"
make_page "$T/p2.txt" "$WWW/p.html"
expect_exit 0 rl fetch
old=$(git --git-dir="$ARCHIVE" rev-parse wp~1:text.md)
new=$(git --git-dir="$ARCHIVE" rev-parse wp:text.md)
loose() { echo "$ARCHIVE/objects/${1:0:2}/${1:2}"; }
expect_exit 1 rl diff wp
assert_contains "$T/out" "[-steadfast-]{+robust+}"

# The first version's text now holds the second's bytes.
cp "$(loose "$new")" "$T/swap" && mv -f "$T/swap" "$(loose "$old")"
expect_exit 0 rl show wp~1
assert_contains "$T/out" "robust"
expect_exit 0 rl diff wp
assert_contains "$T/out" "0 words inserted, 0 deleted"

# gc reads every object to pack it, with the check: it stops, says which.
tips=$(git --git-dir="$ARCHIVE" for-each-ref)
expect_exit 1 rl gc
assert_contains "$T/err" "hash mismatch"
assert_contains "$T/err" "$old"
assert_contains "$T/err" "$new"
[ -f "$(loose "$old")" ] || fail "the loose object was removed"
ls "$ARCHIVE"/objects/pack/*.pack >/dev/null 2>&1 && fail "a pack was written"
assert_eq "$(git --git-dir="$ARCHIVE" for-each-ref)" "$tips" "refs"
git --git-dir="$ARCHIVE" fsck >"$T/fsck" 2>&1 && fail "git fsck found nothing"
assert_contains "$T/fsck" "hash-path mismatch"
pass
