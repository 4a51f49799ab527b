#!/usr/bin/env bash
# A daemon whose binary was replaced on disk since it started (a package
# upgrade) still extracts PDFs with its own build: the child is started
# from /proc/self/exe, never from the path, which now holds another
# program (here, one that fails on every call).
. "$(dirname "$0")/pdf-lib.sh"
if [ -n "${VALGRIND:-}" ]; then
	echo "skip ${0##*/}: copies redlined, which valgrind's wrapper is not"
	exit 0
fi
start_server
pdf_setup
write_config '[source "notice"]' "	url = $BASE/notice.html"

cp "$REDLINED" "$T/redlined"
"$T/redlined" -c "$CONF" 2>"$T/daemon.log" &
DAEMON_PID=$!; pid=$DAEMON_PID
for _ in $(seq 300); do
	[ "$(git_count notice)" = 1 ] && break
	sleep 0.1
done
assert_eq "$(git_count notice)" 1 "versions of the web page source"

# The upgrade: the old file unlinked, a new one in its place.
rm "$T/redlined"
printf '#!/bin/sh\necho "not the build that runs" >&2\nexit 9\n' >"$T/redlined"
chmod +x "$T/redlined"
write_config '[source "notice"]' "	url = $BASE/notice.html" \
	'[source "paper"]' "	url = $BASE/paper.pdf"
kill -HUP "$pid"
for _ in $(seq 300); do
	[ "$(git_count paper)" = 1 ] && break
	sleep 0.1
done
assert_eq "$(git_count paper)" 1 "versions of the PDF source added after the upgrade"
git --git-dir="$ARCHIVE" show paper:text.md >"$T/daemon.md"
assert_contains "$T/daemon.md" "The alliance remains the foundation of peace and stability."
kill -TERM "$pid"
wait "$pid"
assert_eq "$?" 0 "the daemon's exit status"
DAEMON_PID=
assert_not_contains "$T/daemon.log" "not the build that runs"
pass
