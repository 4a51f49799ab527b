# Helpers for the daemon and notification tests, sourced after lib.sh:
# the receiving ends (build/tests/rl-sink), the daemon in the background,
# waiting for a condition without fixed sleeps.
# shellcheck shell=bash
SINK="$BUILD/tests/rl-sink"
HOOK_PID= SMTP_PID= SOCK_PID= DAEMON_PID=

sinks_cleanup() {
	local p
	for p in $DAEMON_PID $HOOK_PID $SMTP_PID $SOCK_PID; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	cleanup
}
trap sinks_cleanup EXIT

# wait_for SECONDS CMD...: true as soon as CMD succeeds, false after SECONDS.
wait_for() {
	local end=$((SECONDS + $1))
	shift
	while ! "$@" 2>/dev/null; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.05
	done
}

_wait_port() { # FILE PID
	for _ in $(seq 200); do
		[ -s "$1" ] && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.025
	done
	return 1
}

# start_webhook [PORT]: records requests in $T/hook/NNN.{headers,body};
# sets HOOK_PORT and HOOK_URL. `echo 500 >$T/hook/status` makes it refuse.
start_webhook() {
	mkdir -p "$T/hook"
	rm -f "$T/hook.port"
	"$SINK" webhook --dir "$T/hook" --port-file "$T/hook.port" --port "${1:-0}" 2>>"$T/hook.log" &
	HOOK_PID=$!
	_wait_port "$T/hook.port" "$HOOK_PID" || fail "webhook sink did not start: $(cat "$T/hook.log")"
	HOOK_PORT=$(cat "$T/hook.port")
	HOOK_URL="http://127.0.0.1:$HOOK_PORT/hook/s3cr3t-token"
}
stop_webhook() { kill "$HOOK_PID" && wait "$HOOK_PID" 2>/dev/null; HOOK_PID=; }
hook_count() { find "$T/hook" -name '*.body' 2>/dev/null | wc -l; }

# start_smtp: records messages in $T/mail/NNN.eml; sets SMTP_PORT.
start_smtp() {
	mkdir -p "$T/mail"
	"$SINK" smtp --dir "$T/mail" --port-file "$T/smtp.port" 2>>"$T/smtp.log" &
	SMTP_PID=$!
	_wait_port "$T/smtp.port" "$SMTP_PID" || fail "smtp sink did not start: $(cat "$T/smtp.log")"
	SMTP_PORT=$(cat "$T/smtp.port")
}
mail_count() { find "$T/mail" -name '*.eml' 2>/dev/null | wc -l; }

# start_notify_socket: a NOTIFY_SOCKET whose datagrams land in $T/sd.log.
start_notify_socket() {
	: >"$T/sd.log"
	"$SINK" notify-socket --path "$T/sd.sock" --out "$T/sd.log" 2>>"$T/sd-sink.log" &
	SOCK_PID=$!
	wait_for 5 test -S "$T/sd.sock" || fail "notify socket did not appear"
}

# start_daemon [ENV=VALUE...]: redlined on $CONF in the background, its
# stderr in $T/daemon.log (appended, so restarts keep one story).
start_daemon() {
	env "$@" "$REDLINED" -c "$CONF" 2>>"$T/daemon.log" &
	DAEMON_PID=$!
}

# stop_daemon: SIGTERM; sets STOP_STATUS and STOP_MS (how long it took).
stop_daemon() {
	local t0 t1
	t0=$(date +%s%N)
	kill -TERM "$DAEMON_PID"
	wait "$DAEMON_PID"
	STOP_STATUS=$?
	t1=$(date +%s%N)
	STOP_MS=$(((t1 - t0) / 1000000))
	DAEMON_PID=
}

daemon_log_has() { grep -qF -- "$1" "$T/daemon.log"; }
# Conditions for wait_for (evaluated on every try).
hooks_ge() { [ "$(hook_count)" -ge "$1" ]; }
mails_ge() { [ "$(mail_count)" -ge "$1" ]; }
versions_ge() { [ "$(git_count "$1")" -ge "$2" ]; }
fetches_ge() { [ "$(server_stats | jq --arg p "$1" '.paths[$p] // 0')" -ge "$2" ]; }
log_count_ge() { [ "$(grep -cF -- "$1" "$T/daemon.log")" -ge "$2" ]; }
