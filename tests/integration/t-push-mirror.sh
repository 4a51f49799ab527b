#!/usr/bin/env bash
# redline push: every source branch and main reach a bare repository; a
# second push has nothing to send; a remote that fails is named with its
# URL (never its password) and does not stop the others; a branch the
# remote moved elsewhere is rejected, not forced, while the rest go.
. "$(dirname "$0")/lib.sh"
start_server

version() { # source n
	sed "s/maintaining a steadfast\$/maintaining a steadfast (revision $2)/" \
		"$FIXTURES/seed/seed-page-085.txt" >"$T/$1.txt"
	make_page "$T/$1.txt" "$WWW/$1.html"
}
MIRROR="$T/mirror.git"
git init -q --bare "$MIRROR"
write_config '[source "a"]' "	url = $BASE/a.html" '[source "b"]' "	url = $BASE/b.html" \
	'[remote "mirror"]' "	url = $MIRROR" \
	'[remote "gone"]' "	url = $T/no/such/repo.git" \
	'[remote "secret"]' '	url = https://reader:s3cr3t@127.0.0.1:1/archive.git'
expect_exit 0 rl init
for n in 1 2; do
	version a $n
	version b $n
	expect_exit 0 rl fetch -q
done

expect_exit 0 rl push mirror
assert_contains "$T/out" "mirror ($MIRROR): 3 updated, 0 up to date, 0 rejected"
for ref in refs/heads/a refs/heads/b refs/heads/main; do
	assert_eq "$(git --git-dir="$MIRROR" rev-parse "$ref")" \
		"$(git --git-dir="$ARCHIVE" rev-parse "$ref")" "$ref on the mirror"
done
git --git-dir="$MIRROR" fsck --strict >"$T/fsck" 2>&1 || fail "fsck of the mirror: $(cat "$T/fsck")"
expect_exit 0 rl push mirror
assert_contains "$T/out" "0 updated, 3 up to date, 0 rejected"

# Every remote: the two broken ones fail, named, and the mirror still gets a.
version a 3
expect_exit 0 rl fetch -q
expect_exit 1 rl push
assert_contains "$T/out" "mirror ($MIRROR): 2 updated, 1 up to date, 0 rejected"
assert_contains "$T/err" "remote 'gone' ($T/no/such/repo.git)"
assert_contains "$T/err" "remote 'secret' (https://127.0.0.1:1/archive.git)"
assert_not_contains "$T/err" "s3cr3t"
assert_eq "$(git --git-dir="$MIRROR" rev-parse refs/heads/a)" \
	"$(git --git-dir="$ARCHIVE" rev-parse refs/heads/a)" "a on the mirror"

# Someone else moves b on the mirror: b is rejected, a still goes.
tree=$(git --git-dir="$MIRROR" rev-parse 'refs/heads/b^{tree}')
other=$(git --git-dir="$MIRROR" -c user.name=x -c user.email=x@x commit-tree -p refs/heads/b \
	-m "written elsewhere" "$tree")
git --git-dir="$MIRROR" update-ref refs/heads/b "$other"
version a 4
version b 4
expect_exit 0 rl fetch -q
expect_exit 1 rl push mirror
assert_contains "$T/err" "refs/heads/b rejected: non-fast-forward"
assert_eq "$(git --git-dir="$MIRROR" rev-parse refs/heads/b)" "$other" "b left alone"
assert_eq "$(git --git-dir="$MIRROR" rev-parse refs/heads/a)" \
	"$(git --git-dir="$ARCHIVE" rev-parse refs/heads/a)" "a pushed beside a rejection"

# A path on the command line works without configuring it.
git init -q --bare "$T/copy.git"
expect_exit 0 rl push "$T/copy.git"
assert_contains "$T/out" "3 updated"
expect_exit 2 rl push nosuch
assert_contains "$T/err" "no [remote \"nosuch\"]"
pass
