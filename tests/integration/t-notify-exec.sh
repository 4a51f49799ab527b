#!/usr/bin/env bash
# The exec hook: its command line is split into argv without a shell
# (quotes honoured, nothing expanded, `;` and `$HOME` are plain words),
# the notice's JSON comes on stdin, REDLINE_* in the environment and
# nothing that speaks for the daemon to systemd; a non-zero exit is a
# "no" that is retried, and its output is the answer logged.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sinks.sh"
start_server
mkdir -p "$T/exec"
cat >"$T/hook.sh" <<'HOOK'
#!/bin/sh
dir=$(dirname "$0")/exec
n=$(($(cat "$dir/count" 2>/dev/null || echo 0) + 1))
echo "$n" >"$dir/count"
printf '%s\n' "$@" >"$dir/$n.args"
env >"$dir/$n.env"
cat >"$dir/$n.stdin"
if [ -e "$dir/refuse" ]; then echo "hook says no"; exit 3; fi
HOOK
chmod 755 "$T/hook.sh"
cp "$FIXTURES/seed/seed-page-085.txt" "$T/v1.txt"
make_page "$T/v1.txt" "$WWW/page85.html"
# git-config quoting first (";" needs the double quotes), then redline's split.
write_config '[source "wp85"]' "	url = $BASE/page85.html" '	interval = 1s' '	notify = run' \
	'[notify "run"]' \
	"	exec = \"$T/hook.sh 'two words' \\\"it's here\\\" ';' '\$HOME' 'rm -rf /' semi\\\\;colon \`id\` a\\\\\\\\b\""
printf '%s\n' "two words" "it's here" ";" '$HOME' "rm -rf /" "semi;colon" '`id`' 'a\b' >"$T/want.args"

expect_exit 0 rl notify test run
assert_contains "$T/out" "run: delivered: exec $T/hook.sh: exit 0"
diff -u "$T/want.args" "$T/exec/1.args" || fail "argv of the hook"
assert_eq "$(jqf .event "$T/exec/1.stdin")" test "stdin event"

touch "$T/exec/refuse"
start_daemon NOTIFY_SOCKET="$T/nobody.sock" WATCHDOG_USEC=5000000
wait_for 10 log_count_ge "not delivered on 'run'" 2 || fail "refusal not retried: $(cat "$T/daemon.log")"
assert_contains "$T/daemon.log" "exec $T/hook.sh: exit 3: hook says no"
rm "$T/exec/refuse"
commit() { git --git-dir="$ARCHIVE" rev-parse wp85; }
has_cursor() { git --git-dir="$ARCHIVE" rev-parse -q --verify refs/redline/notified/run/wp85 >/dev/null; }
wait_for 10 has_cursor ||
	fail "not delivered once the hook says yes"
stop_daemon
n=$(cat "$T/exec/count")
diff -u "$T/want.args" "$T/exec/$n.args" || fail "argv from the daemon"
assert_eq "$(jqf .commit "$T/exec/$n.stdin")" "$(commit)" "commit on stdin"
assert_eq "$(jqf .event "$T/exec/$n.stdin")" watching "event on stdin"
assert_contains "$T/exec/$n.env" "REDLINE_EVENT=watching"
assert_contains "$T/exec/$n.env" "REDLINE_SOURCE=wp85"
assert_contains "$T/exec/$n.env" "REDLINE_COMMIT=$(commit)"
assert_contains "$T/exec/$n.env" "REDLINE_DELIVERY=wp85/$(commit)"
assert_contains "$T/exec/$n.env" "REDLINE_CHANNEL=run"
assert_not_contains "$T/exec/$n.env" "NOTIFY_SOCKET"
assert_not_contains "$T/exec/$n.env" "WATCHDOG_USEC"
[ ! -e "$T/exec/../id" ] || fail "something was expanded"

# A broken line is refused by `notify test` with the reason.
write_config '[source "wp85"]' "	url = $BASE/page85.html" '	notify = run' \
	'[notify "run"]' "	exec = $T/hook.sh 'unclosed"
expect_exit 2 rl notify test run
assert_contains "$T/err" "a ' quote is not closed"
pass
