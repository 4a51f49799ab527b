#!/usr/bin/env bash
# A body shorter than its Content-Length (the server closes midway) is an
# error, and the part that arrived is never archived.
. "$(dirname "$0")/fetch-lib.sh"
start_server
fault_lifecycle "truncate 100" "$BASE/doc.html: transfer closed with"
pass
