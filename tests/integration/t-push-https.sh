#!/usr/bin/env bash
# The daemon and redline have libgit2 let its CA certificates go at start
# (0.4 MiB they only need to push over https, doc/memory.md); a push
# reads the system's bundle again first. So a push to an https remote whose
# certificate the bundle vouches for gets past the TLS handshake, and one
# whose certificate it does not vouch for is refused for its certificate:
# released certificates never mean unchecked ones. The bundle is a test CA
# named by SSL_CERT_FILE (as for OpenSSL), the remote `openssl s_server`,
# which speaks TLS but not git (so even the good push fails, later).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sinks.sh"
start_server

TLS_PID=
stop_tls() { [ -n "$TLS_PID" ] && kill "$TLS_PID" 2>/dev/null && wait "$TLS_PID" 2>/dev/null; }
trap 'stop_tls; sinks_cleanup' EXIT

ca() { # name: a CA key and certificate
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=redline test $1" \
		-keyout "$T/$1.key" -out "$T/$1.pem" 2>/dev/null || fail "openssl: cannot make CA $1"
}
ca good-ca
ca other-ca
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$T/server.key" \
	-out "$T/server.csr" 2>/dev/null &&
	openssl x509 -req -in "$T/server.csr" -CA "$T/good-ca.pem" -CAkey "$T/good-ca.key" \
		-CAcreateserial -days 2 -out "$T/server.pem" 2>/dev/null ||
	fail "openssl: cannot sign the server certificate"
mkdir -p "$T/tls-root"
(cd "$T/tls-root" && exec openssl s_server -accept 0 -cert "$T/server.pem" -key "$T/server.key" \
	-WWW >"$T/tls.log" 2>&1) &
TLS_PID=$!
tls_port() { sed -n 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' "$T/tls.log"; }
for _ in $(seq 100); do
	[ -n "$(tls_port)" ] && break
	sleep 0.05
done
[ -n "$(tls_port)" ] || fail "openssl s_server did not start: $(cat "$T/tls.log")"
REMOTE="https://localhost:$(tls_port)/archive.git"

cp "$FIXTURES/seed/seed-page-085.txt" "$T/a.txt"
make_page "$T/a.txt" "$WWW/a.html"
write_config '[source "a"]' "	url = $BASE/a.html" '	interval = 1h' \
	'[remote "tls"]' "	url = $REMOTE"
expect_exit 0 rl init

push_line() { grep -F "remote 'tls' ($REMOTE)" "$T/daemon.log" | head -1; }
push_once() { # CA file: the daemon's first push report with it as the bundle
	: >"$T/daemon.log"
	start_daemon SSL_CERT_FILE="$T/$1" REDLINED_PUSH_RETRY=3600
	wait_for 20 daemon_log_has "remote 'tls' ($REMOTE)" ||
		fail "no push to $REMOTE with $1: $(cat "$T/daemon.log")"
	stop_daemon
	assert_eq "$STOP_STATUS" 0 "exit status"
}

# The bundle vouches for the server: TLS holds, git (s_server) does not.
push_once good-ca.pem
line=$(push_line)
case $line in
*certificate* | *SSL* | *ssl*) fail "a certificate the bundle vouches for was refused: $line" ;;
esac
# What s_server answers instead of git: libgit2 read it, so TLS held.
case $line in
*content-type*) ;;
*) fail "the push did not get past TLS: $line" ;;
esac

# Another CA: the certificate is checked, and refused.
push_once other-ca.pem
line=$(push_line)
case $line in
*certificate*) ;;
*) fail "a certificate no CA vouches for was not refused for it: $line" ;;
esac
# `redline push` lets them go at start too, and reads them back the same.
SSL_CERT_FILE="$T/good-ca.pem" expect_exit 1 rl push tls
grep -q "content-type" "$T/err" || fail "redline push did not get past TLS: $(cat "$T/err")"
SSL_CERT_FILE="$T/other-ca.pem" expect_exit 1 rl push tls
grep -q "certificate" "$T/err" || fail "redline push was not refused for the certificate: $(cat "$T/err")"
pass
