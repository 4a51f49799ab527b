#!/usr/bin/env bash
# libcurl is loaded on the first fetch or notice (archive/curl-loader.c):
# commands that read the archive or compare files never map it, whether
# the dynamic linker's own account says so (LD_DEBUG=files) or a libcurl
# that cannot load is put first in the way (they still work). A fetch
# with that broken libcurl fails as a missing library does at start:
# status 127 and a message naming it.
. "$(dirname "$0")/fetch-lib.sh"
start_server
doc_setup

# The soname the programs open, as built in (the Makefile's, from libcurl).
SONAME=$(grep -ao 'libcurl\.so\.[0-9]*' "$BUILD/redline" | head -1)
[ -n "$SONAME" ] || fail "no libcurl soname in $BUILD/redline"

# traced CMD...: runs CMD with the dynamic linker's trace of every library
# it opens in $T/ld.PID (one file per process, timeout's too); loads_curl
# says 1 when one of them opened libcurl.
traced() {
	rm -f "$T"/ld.*
	LD_DEBUG=files LD_DEBUG_OUTPUT="$T/ld" "$@"
}
loads_curl() { cat "$T"/ld.* | grep -q "file=$SONAME " && echo 1 || echo 0; }

# A fetch does load it: the trace sees it when it is there.
traced expect_exit 0 rl fetch
assert_contains "$T/out" "fetched 1, unchanged 0, changed 1, failed 0"
assert_eq "$(loads_curl)" 1 "libcurl loaded by fetch"

printf 'The ministry publishes notice 12.\n' >"$T/a.txt"
printf 'The ministry publishes notice 13.\n' >"$T/b.txt"
traced expect_exit 1 rl compare "$T/a.txt" "$T/b.txt"
assert_contains "$T/out" "{+13+}"
assert_eq "$(loads_curl)" 0 "libcurl loaded by 'redline compare'"
for cmd in "log doc" "status" "show doc" "history doc --phrase robust"; do
	# shellcheck disable=SC2086 # the command's words
	traced expect_exit 0 rl $cmd
	assert_eq "$(loads_curl)" 0 "libcurl loaded by 'redline $cmd'"
done

# A libcurl that cannot load, found first.
mkdir "$T/broken"
: >"$T/broken/$SONAME"
LD_LIBRARY_PATH="$T/broken" expect_exit 1 rl compare "$T/a.txt" "$T/b.txt"
assert_contains "$T/out" "{+13+}"
LD_LIBRARY_PATH="$T/broken" expect_exit 0 rl log doc
LD_LIBRARY_PATH="$T/broken" expect_exit 127 rl fetch
assert_contains "$T/err" "redline: cannot load $SONAME: "
LD_LIBRARY_PATH="$T/broken" expect_exit 127 "$REDLINED" -c "$CONF" --once
assert_contains "$T/err" "redlined: cannot load $SONAME: "

# Nothing broken for good: the next fetch works.
expect_exit 0 rl fetch
assert_contains "$T/out" "fetched 1, unchanged 1, changed 0, failed 0"
pass
