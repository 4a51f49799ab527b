#!/usr/bin/env bash
# A PDF extraction child that crashes, exits with an error, writes
# nonsense or hangs (faults scripted by REDLINED_TEST_CHILD_FAULT, which
# only `redlined --extract-child` reads, for tests): the PDF source fails
# with an error that says so, in the log and in status --json, nothing of
# it is archived (a version archived before stays the tip), the daemon goes on with the web page source and leaves
# no child behind. Once the fault is gone the PDF is archived.
. "$(dirname "$0")/pdf-lib.sh"
start_server
pdf_setup
url="$BASE/paper.pdf"

# once FAULT WANT: one pass with the fault; the PDF source fails with WANT.
once() {
	REDLINED_TEST_CHILD_FAULT=$1 expect_exit 1 timeout 60 "$REDLINED" -c "$CONF" --once
	assert_contains "$T/err" "failed: $url: extraction: $2"
	assert_eq "$(status_of paper state)" failing "state of the PDF source ($1)"
	assert_eq "$(status_of paper error)" "$url: extraction: $2" "error of the PDF source ($1)"
	assert_eq "$(git_count paper)" 0 "versions of the PDF source ($1)"
}
once segv "pdf extraction: child killed by signal 11 (SIGSEGV)"
assert_eq "$(git_count notice)" 1 "versions of the web page source"
assert_eq "$(status_of notice state)" ok "state of the web page source"
once exit "pdf extraction: child exited with status 3: redlined: test fault: exiting with status 3"
once garbage "pdf extraction: the child's reply is garbled at byte 8: not a result code"
assert_eq "$(status_of paper failures)" 3 "consecutive failures"

# A child that hangs, under the daemon as it runs (on a new archive, so
# that both sources are due at once): killed at the bound, reaped, and
# the daemon archives the web page meanwhile.
rm -rf "$ARCHIVE"
expect_exit 0 rl init
REDLINED_TEST_CHILD_FAULT=hang REDLINED_TEST_EXTRACT_TIMEOUT=2 "$REDLINED" -c "$CONF" 2>"$T/daemon.log" &
DAEMON_PID=$!; pid=$DAEMON_PID
for _ in $(seq 150); do
	grep -q "paper.*timed out" "$T/daemon.log" && [ "$(git_count notice)" = 1 ] && break
	sleep 0.1
done
assert_contains "$T/daemon.log" "failed: $url: extraction: pdf extraction: timed out after 2 s (the child was killed)"
assert_eq "$(git_count notice)" 1 "versions of the web page source"
[ -z "${VALGRIND:-}" ] && assert_eq "$(ps -o pid= --ppid "$pid" | wc -l)" 0 "children left"
kill -0 "$pid" || fail "the daemon died: $(tail -5 "$T/daemon.log")"
kill -TERM "$pid"
wait "$pid"
assert_eq "$?" 0 "the daemon's exit status"
DAEMON_PID=
assert_eq "$(git_count paper)" 0 "versions of the PDF source"

# A daemon killed outright while its child hangs (SIGKILL, the OOM
# killer) cannot kill the child at the bound: the child goes with it.
if [ -z "${VALGRIND:-}" ]; then
	rm -rf "$ARCHIVE"
	expect_exit 0 rl init
	REDLINED_TEST_CHILD_FAULT=hang "$REDLINED" -c "$CONF" 2>"$T/daemon.log" &
	DAEMON_PID=$!; pid=$DAEMON_PID
	child=
	for _ in $(seq 150); do
		child=$(ps -o pid=,args= --ppid "$pid" | awk '/--extract-child/ {print $1}')
		[ -n "$child" ] && break
		sleep 0.1
	done
	[ -n "$child" ] || fail "no extraction child: $(tail -5 "$T/daemon.log")"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	DAEMON_PID=
	for _ in $(seq 50); do
		kill -0 "$child" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$child" 2>/dev/null && { kill -KILL "$child"; fail "the child outlived its daemon"; }
fi

# The fault gone: the PDF is archived.
expect_exit 0 timeout 60 "$REDLINED" -c "$CONF" --once
assert_eq "$(git_count paper)" 1 "versions of the PDF source once the child works"
assert_eq "$(status_of paper state)" ok "state once the child works"
assert_eq "$(status_of paper error)" null "error once the child works"
git --git-dir="$ARCHIVE" show paper:text.md >"$T/paper.md"
assert_contains "$T/paper.md" "The ministry publishes its defence white paper."

# The PDF changes and the child crashes: the version archived stays the tip.
tip=$(git --git-dir="$ARCHIVE" rev-parse paper)
make_pdf "$WWW/paper.pdf" "The ministry withdraws its defence white paper."
REDLINED_TEST_CHILD_FAULT=segv expect_exit 1 timeout 60 "$REDLINED" -c "$CONF" --once
assert_eq "$(git --git-dir="$ARCHIVE" rev-parse paper)" "$tip" "the PDF source's tip after a crash"
assert_eq "$(status_of paper state)" failing "state after a crash"
pass
