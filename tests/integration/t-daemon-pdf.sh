#!/usr/bin/env bash
# redlined extracts a PDF source in its child (`redlined --extract-child`):
# the version holds the PDF's text, its page and the raw PDF, byte for byte
# what `redline fetch` (which extracts in process) archives; poppler is
# never mapped in the daemon, which leaves no child behind; a changed PDF
# gives a new version.
. "$(dirname "$0")/pdf-lib.sh"
start_server
pdf_setup

"$REDLINED" -c "$CONF" 2>"$T/daemon.log" &
DAEMON_PID=$!; pid=$DAEMON_PID
for _ in $(seq 300); do
	[ "$(git_count paper)" = 1 ] && [ "$(git_count notice)" = 1 ] && break
	sleep 0.1
done
assert_eq "$(git_count paper)" 1 "versions of the PDF source"
assert_eq "$(git_count notice)" 1 "versions of the web page source"
if [ -z "${VALGRIND:-}" ]; then
	assert_eq "$(grep -c libpoppler "/proc/$pid/maps")" 0 "poppler mappings in the daemon"
	assert_eq "$(zombies_of "$pid")" "" "zombie children"
fi
kill -TERM "$pid"
wait "$pid"
assert_eq "$?" 0 "the daemon's exit status"
DAEMON_PID=
assert_not_contains "$T/daemon.log" "failed"

git --git-dir="$ARCHIVE" show paper:text.md >"$T/daemon.md"
assert_contains "$T/daemon.md" "The ministry publishes its defence white paper."
assert_contains "$T/daemon.md" "The alliance remains the foundation of peace and stability."
git --git-dir="$ARCHIVE" ls-tree -r --name-only paper >"$T/tree"
assert_contains "$T/tree" "pages/0001.md"
assert_contains "$T/tree" "raw/"
git --git-dir="$ARCHIVE" show paper:pages/0001.md >"$T/daemon-page.md"
assert_eq "$(status_of paper state)" ok "state of the PDF source"

# The same source fetched by redline into another archive, in process.
cp "$CONF" "$T/daemon.conf"
ARCHIVE2="$T/archive2.git"
sed "s|path = $ARCHIVE|path = $ARCHIVE2|" "$T/daemon.conf" >"$CONF"
expect_exit 0 rl init
expect_exit 0 rl fetch paper
git --git-dir="$ARCHIVE2" show paper:text.md >"$T/cli.md"
git --git-dir="$ARCHIVE2" show paper:pages/0001.md >"$T/cli-page.md"
cmp -s "$T/daemon.md" "$T/cli.md" || fail "text.md differs: $(diff "$T/daemon.md" "$T/cli.md")"
cmp -s "$T/daemon-page.md" "$T/cli-page.md" || fail "pages/0001.md differs"
cp "$T/daemon.conf" "$CONF"

# A changed PDF, one pass.
make_pdf "$WWW/paper.pdf" "The ministry publishes its defence white paper." \
	"The alliance remains the cornerstone of peace and stability."
expect_exit 0 "$REDLINED" -c "$CONF" --once
assert_eq "$(git_count paper)" 2 "versions after the PDF changed"
git --git-dir="$ARCHIVE" show paper:text.md >"$T/daemon.md"
assert_contains "$T/daemon.md" "The alliance remains the cornerstone of peace and stability."
pass
