#!/usr/bin/env bash
# A connection closed without an answer is a transfer error naming the URL.
. "$(dirname "$0")/fetch-lib.sh"
start_server
fault_lifecycle "reset" "$BASE/doc.html: Empty reply from server"
pass
