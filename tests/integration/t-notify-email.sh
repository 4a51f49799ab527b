#!/usr/bin/env bash
# E-mail through an SMTP sink: one message per change to every `to`, the
# commit subject as Subject, the word diff in a quoted-printable body, the
# idempotency key in a header. A password file others can read is refused
# with its name and mode, never its content; `redline notify test` reports
# the receiver's answer.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sinks.sh"
start_server
start_smtp
cp "$FIXTURES/seed/seed-page-085.txt" "$T/v1.txt"
make_page "$T/v1.txt" "$WWW/page85.html"
write_config '[source "wp85"]' "	url = $BASE/page85.html" '	interval = 1s' '	notify = mail' \
	'[notify "mail"]' "	smtp-url = smtp://127.0.0.1:$SMTP_PORT" '	from = redline@example.org' \
	'	to = analyst@example.org' '	to = archive@example.org'

expect_exit 0 rl notify test mail
assert_contains "$T/out" "mail: delivered: smtp://127.0.0.1:$SMTP_PORT: 250, accepted for 2 recipients"
assert_eq "$(mail_count)" 1 "test messages"
assert_contains "$T/mail/001.eml" "Subject: redline: test message on channel mail"

start_daemon
wait_for 10 mails_ge 2 || fail "first version not mailed: $(cat "$T/daemon.log")"
sed 's/maintaining a steadfast$/maintaining a robust/' "$T/v1.txt" >"$T/v2.txt"
make_page "$T/v2.txt" "$WWW/page85.html"
wait_for 10 mails_ge 3 || fail "change not mailed: $(cat "$T/daemon.log")"
stop_daemon
commit=$(git --git-dir="$ARCHIVE" rev-parse wp85)
m="$T/mail/003.eml"
assert_contains "$m" "X-Envelope-From: <redline@example.org>"
assert_contains "$m" "X-Envelope-To: <analyst@example.org>"
assert_contains "$m" "X-Envelope-To: <archive@example.org>"
assert_contains "$m" "To: analyst@example.org, archive@example.org"
assert_contains "$m" "Subject: wp85: 1 word changed"
assert_contains "$m" "X-Redline-Delivery: wp85/$commit"
assert_contains "$m" "Content-Transfer-Encoding: quoted-printable"
# Undo quoted-printable soft line breaks, then read the diff.
sed -e ':a' -e '/=$/{N;s/=\n//;ba}' "$m" >"$T/body.txt"
assert_contains "$T/body.txt" "[-steadfast-]{+robust+}"
assert_contains "$T/body.txt" "Version:  $commit"
awk 'body && length > 76 { bad = 1 } /^$/ { body = 1 } END { exit bad }' "$m" ||
	fail "a line of the body is longer than quoted-printable allows"

# redlined --once fetches, then delivers what is owed before it exits.
n=$(mail_count)
sed 's/maintaining a steadfast$/maintaining a firm/' "$T/v1.txt" >"$T/v3.txt"
make_page "$T/v3.txt" "$WWW/page85.html"
expect_exit 0 "$REDLINED" -c "$CONF" --once
assert_eq "$(mail_count)" $((n + 1)) "messages after redlined --once"
assert_contains "$(ls "$T"/mail/*.eml | tail -1)" "Subject: wp85: 1 word changed"

# A password file other users can read is refused, its content never shown.
printf 'hunter2-password\n' >"$T/smtp.pw"
chmod 644 "$T/smtp.pw"
write_config '[source "wp85"]' "	url = $BASE/page85.html" '	notify = mail' \
	'[notify "mail"]' "	smtp-url = smtp://redline@127.0.0.1:$SMTP_PORT" '	from = redline@example.org' \
	'	to = analyst@example.org' "	password-file = $T/smtp.pw"
expect_exit 1 rl notify test mail
assert_contains "$T/err" "password-file: $T/smtp.pw: mode 0644 lets other users read or change it"
assert_not_contains "$T/err" "hunter2"
assert_not_contains "$T/out" "hunter2"
# Readable by its owner only, it is used; the sink offers no TLS, so a
# password is not sent in clear: the delivery fails, saying why.
chmod 600 "$T/smtp.pw"
expect_exit 1 rl notify test mail
assert_contains "$T/out" "mail: failed: smtp://127.0.0.1:$SMTP_PORT:"
assert_not_contains "$T/out" "hunter2"
pass
