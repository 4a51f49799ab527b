# Shared helpers for the integration tests: a loopback test server, a
# temporary archive and configuration, assertions. Each t-*.sh sources it.
# shellcheck shell=bash
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
REDLINE="$BUILD/redline"
REDLINED="$BUILD/redlined"
TESTSERVER="$BUILD/tests/rl-testserver"
FIXTURES="$TOP/tests/fixtures"
T=$(mktemp -d "${TMPDIR:-/tmp}/redline-test.XXXXXX")
WWW="$T/www"
CONF="$T/redline.conf"
ARCHIVE="$T/archive.git"
SERVER_PID=
FAILED=0
mkdir -p "$WWW"

# VALGRIND="valgrind ..." (make valgrind) runs every redline and redlined
# of the tests under it, through two wrappers standing in for the programs.
if [ -n "${VALGRIND:-}" ]; then
	mkdir -p "$T/bin"
	for p in redline redlined; do
		printf '#!/bin/sh\nexec %s %s "$@"\n' "$VALGRIND" "$BUILD/$p" >"$T/bin/$p"
		chmod +x "$T/bin/$p"
	done
	REDLINE="$T/bin/redline"
	REDLINED="$T/bin/redlined"
fi

cleanup() {
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
	if [ "$FAILED" = 0 ] && [ -z "${KEEP:-}" ]; then rm -rf "$T"; else echo "  (kept $T)"; fi
}
trap cleanup EXIT
# run.sh's time limit (timeout signals the test's whole process group):
# the server stopped and the test's files kept, as for any failure
trap 'echo "FAIL: stopped by SIGTERM (the time limit?)" >&2; FAILED=1; exit 143' TERM

fail() {
	echo "FAIL: $*" >&2
	FAILED=1
	exit 1
}

# Starts the loopback server on a free port; sets PORT and BASE.
start_server() {
	"$TESTSERVER" --root "$WWW" --port-file "$T/port" ${SERVER_ARGS:-} 2>"$T/server.log" &
	SERVER_PID=$!
	for _ in $(seq 100); do
		[ -s "$T/port" ] && break
		sleep 0.05
	done
	[ -s "$T/port" ] || fail "test server did not start: $(cat "$T/server.log")"
	PORT=$(cat "$T/port")
	BASE="http://127.0.0.1:$PORT"
}

# Server-side counters as JSON.
server_stats() { curl -s "$BASE/_stats"; }
server_reset() { curl -s "$BASE/_reset" >/dev/null; }

# put_page FILE: standard input as FILE, written beside and renamed into
# place, so that a fetch meanwhile reads the old page or the new one: a
# daemon polling a page rewritten in place read it empty ("HTTP 200 with
# an empty body") and told a webhook the source was failing.
put_page() { cat >"$1.part" && mv -f "$1.part" "$1"; }

# make_page TEXT OUT.html [TITLE]: a web page like the white paper's
# basic-html pages (scripts/text-to-page.sh), put in place (put_page).
make_page() { "$TOP/scripts/text-to-page.sh" "$1" ${3:+"$3"} | put_page "$2"; }

# write_config [EXTRA...]: an archive section then the given lines.
write_config() {
	{
		printf '[archive]\n\tpath = %s\n[fetch]\n\ttimeout = 10s\n\tretries = 0\n' "$ARCHIVE"
		printf '%s\n' "$@"
	} >"$CONF"
}

rl() { "$REDLINE" -c "$CONF" "$@"; }

# expect_exit N CMD...: runs CMD, stdout to $T/out, stderr to $T/err.
expect_exit() {
	local want=$1 got
	shift
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	[ "$got" = "$want" ] || fail "'$*' exited $got, expected $want
stdout: $(head -c 2000 "$T/out")
stderr: $(head -c 2000 "$T/err")"
}

assert_contains() { # FILE TEXT
	grep -qF -- "$2" "$1" || fail "$1 does not contain '$2':
$(head -c 3000 "$1")"
}

assert_not_contains() { # FILE TEXT
	! grep -qF -- "$2" "$1" || fail "$1 contains '$2':
$(grep -F -- "$2" "$1" | head -5)"
}

assert_eq() { # GOT WANT WHAT
	[ "$1" = "$2" ] || fail "${3:-value}: got '$1', expected '$2'"
}

# jq on a file, with the JSON checked first.
jqf() { jq -e . "$2" >/dev/null || fail "$2 is not JSON: $(head -c 500 "$2")"; jq -r "$1" "$2"; }

# Number of commits on a source branch, read with stock git.
git_count() { git --git-dir="$ARCHIVE" rev-list --count "refs/heads/$1" 2>/dev/null || echo 0; }

pass() { echo "ok   ${0##*/}${1:+: $1}"; }
