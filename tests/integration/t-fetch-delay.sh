#!/usr/bin/env bash
# delay: requests to one host start at least `delay` apart, even when
# per-host would allow more at once.
. "$(dirname "$0")/fetch-lib.sh"
start_server
cfg=()
for i in 1 2 3; do
	page_text $i >"$T/p$i.txt"
	make_page "$T/p$i.txt" "$WWW/p$i.html"
	cfg+=("[source \"p$i\"]" "	url = $BASE/p$i.html")
done
write_config '	delay = 1s' '	per-host = 4' "${cfg[@]}"
expect_exit 0 rl init
t0=$(ms_now)
expect_exit 0 rl fetch
took=$(($(ms_now) - t0))
assert_contains "$T/out" "fetched 3, unchanged 0, changed 3, failed 0"
gap=$(server_stats | jq .min_gap_ms)
[ "$gap" -ge 900 ] || fail "two requests came $gap ms apart with delay = 1s"
[ "$took" -ge 2000 ] || fail "three requests with delay = 1s took $took ms"
assert_eq "$(server_stats | jq .max_concurrent)" 1 "requests at once with delay = 1s"
pass
