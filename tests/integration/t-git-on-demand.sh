#!/usr/bin/env bash
# libgit2 and OpenSSL's libcrypto are loaded on first use
# (archive/git-loader.c): neither program links them (readelf), and
# `compare` on two short files (with no configuration: one's watched
# terms are read with libgit2), `help` and `--version` never open them,
# whether the dynamic linker's own account says so (LD_DEBUG=files) or a
# libgit2 or libcrypto that cannot load is put first in the way (they
# still work). The commands that read the archive open libgit2 and work;
# with the broken library they fail as a missing library does at start:
# status 127 and a message naming it. (A compare of documents with
# headings loads libcrypto, for the ids of their items, and not libgit2;
# of two large files, while they are read.)
. "$(dirname "$0")/fetch-lib.sh"
start_server
doc_setup

# The sonames the programs open, as built in (the Makefile's, from
# pkg-config).
GIT2=$(grep -ao 'libgit2\.so\.[0-9.]*[0-9]' "$BUILD/redline" | head -1)
CRYPTO=$(grep -ao 'libcrypto\.so\.[0-9.]*[0-9]' "$BUILD/redline" | head -1)
[ -n "$GIT2" ] || fail "no libgit2 soname in $BUILD/redline"
[ -n "$CRYPTO" ] || fail "no libcrypto soname in $BUILD/redline"

# Not linked: the dynamic linker would load them before main().
for p in redline redlined; do
	readelf -d "$BUILD/$p" | grep NEEDED >"$T/needed" || fail "readelf -d $BUILD/$p"
	assert_not_contains "$T/needed" libgit2
	assert_not_contains "$T/needed" libcrypto
done

# traced CMD...: runs CMD with the dynamic linker's trace of every library
# it opens in $T/ld.PID (one file per process); opens LIB says 1 when one
# of them opened LIB.
traced() {
	rm -f "$T"/ld.*
	LD_DEBUG=files LD_DEBUG_OUTPUT="$T/ld" "$@"
}
opens() { cat "$T"/ld.* | grep -q "file=$1 " && echo 1 || echo 0; }

# The archive's commands do load libgit2, and work.
traced expect_exit 0 rl fetch
assert_contains "$T/out" "fetched 1, unchanged 0, changed 1, failed 0"
assert_eq "$(opens "$GIT2")" 1 "libgit2 loaded by fetch"
traced expect_exit 0 rl log doc
assert_contains "$T/out" "doc: first version"
assert_eq "$(opens "$GIT2")" 1 "libgit2 loaded by 'redline log'"

# compare without -c reads the default configuration when there is one.
[ -r /etc/redline/redline.conf ] && fail "/etc/redline/redline.conf is here: compare reads it"
bare() { env -u REDLINE_CONFIG "$REDLINE" "$@"; }
printf 'The ministry publishes notice 12.\n' >"$T/a.txt"
printf 'The ministry publishes notice 13.\n' >"$T/b.txt"
traced expect_exit 1 bare compare "$T/a.txt" "$T/b.txt"
assert_contains "$T/out" "{+13+}"
assert_eq "$(opens "$GIT2")" 0 "libgit2 loaded by 'redline compare'"
assert_eq "$(opens "$CRYPTO")" 0 "libcrypto loaded by 'redline compare'"
traced expect_exit 0 bare --version
assert_contains "$T/out" "redline "
assert_eq "$(opens "$GIT2")" 0 "libgit2 loaded by 'redline --version'"
assert_eq "$(opens "$CRYPTO")" 0 "libcrypto loaded by 'redline --version'"
traced expect_exit 0 bare help
assert_contains "$T/out" "compare"
assert_eq "$(opens "$GIT2")" 0 "libgit2 loaded by 'redline help'"
assert_eq "$(opens "$CRYPTO")" 0 "libcrypto loaded by 'redline help'"
traced expect_exit 1 bare compare "$T/v1.txt" "$T/v2.txt"
assert_contains "$T/out" "{+robust+}"
assert_eq "$(opens "$GIT2")" 0 "libgit2 loaded by 'redline compare' of a document with headings"
# Two large files, each extracted and parsed (the ids of its items
# digested) on a thread of its own while a third loads ICU and libcrypto.
for k in $(seq 30); do cat "$T/v1.txt"; done >"$T/big1.txt"
{
	for k in $(seq 29); do cat "$T/v1.txt"; done
	cat "$T/v2.txt"
} >"$T/big2.txt"
[ "$(wc -c <"$T/big1.txt")" -ge 65536 ] || fail "big1.txt is under 64 KiB: not loaded on threads"
traced expect_exit 1 bare compare --color never "$T/big1.txt" "$T/big2.txt"
assert_contains "$T/out" "# wording: 1 word inserted, 1 deleted, 0 moved"
assert_contains "$T/out" "{+robust+}"
assert_eq "$(opens "$CRYPTO")" 1 "libcrypto loaded by 'redline compare' of large files"
assert_eq "$(opens "$GIT2")" 0 "libgit2 loaded by 'redline compare' of large files"
expect_exit 2 bare compare "$T/big1.txt" "$T/missing.txt"
assert_contains "$T/err" "redline: $T/missing.txt: No such file or directory"

# A libgit2, then a libcrypto, that cannot load, found first. libgit2
# needs libcrypto (through libssh2): the loader loads it first, and names
# it when it cannot.
mkdir "$T/no-git2" "$T/no-crypto"
: >"$T/no-git2/$GIT2"
: >"$T/no-crypto/$CRYPTO"
for broken in "no-git2 $GIT2" "no-crypto $CRYPTO"; do
	# shellcheck disable=SC2086 # the directory and the soname
	set -- $broken
	LD_LIBRARY_PATH="$T/$1" expect_exit 1 bare compare "$T/a.txt" "$T/b.txt"
	assert_contains "$T/out" "{+13+}"
	LD_LIBRARY_PATH="$T/$1" expect_exit 0 bare --version
	LD_LIBRARY_PATH="$T/$1" expect_exit 127 rl log doc
	assert_contains "$T/err" "redline: cannot load $2: "
	LD_LIBRARY_PATH="$T/$1" expect_exit 127 "$REDLINED" -c "$CONF" --once
	assert_contains "$T/err" "redlined: cannot load $2: "
done
# libcrypto alone: a compare of a document with headings (the ids of its
# items).
LD_LIBRARY_PATH="$T/no-crypto" expect_exit 127 bare compare "$T/v1.txt" "$T/v2.txt"
assert_contains "$T/err" "redline: cannot load $CRYPTO: "
LD_LIBRARY_PATH="$T/no-crypto" expect_exit 127 bare compare "$T/big1.txt" "$T/big2.txt"
assert_contains "$T/err" "redline: cannot load $CRYPTO: "

# Nothing broken for good: the archive reads as before.
expect_exit 0 rl log doc
assert_contains "$T/out" "doc: first version"
pass
