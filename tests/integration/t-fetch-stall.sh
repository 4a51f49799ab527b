#!/usr/bin/env bash
# A transfer whose body starts and then stops is given up as stalled
# (after half the timeout, at most 15 s), before the whole timeout (which
# would say "Operation timed out" instead).
. "$(dirname "$0")/fetch-lib.sh"
start_server
fault_lifecycle "stall 5000" "$BASE/doc.html: transfer stalled (nothing received for 1 s after" '	timeout = 2s'
pass
