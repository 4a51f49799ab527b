#!/usr/bin/env bash
# Redirects go to http and https only: one to ftp:// or file:// is refused
# (a web server must not make redlined read local files); file:// works
# only when the configured URL itself is a file URL (t-fetch-file.sh).
. "$(dirname "$0")/fetch-lib.sh"
start_server
echo "secret" >"$T/secret.txt"
fault_lifecycle "redirect file://$T/secret.txt" \
	"$BASE/doc.html: redirect to file://$T/secret.txt refused (only http and https are followed)"
fault_lifecycle "redirect ftp://127.0.0.1:$PORT/doc.html" \
	"$BASE/doc.html: redirect to ftp://127.0.0.1:$PORT/doc.html refused (only http and https are followed)"
pass
