#!/usr/bin/env bash
# The "done when" scenario: 300 sources on one loopback host with
# per-host = 4 are archived in one pass and the server never sees more than
# 4 requests at once (and more than 1: the limit is what bounds it); a
# second pass is all 304s and writes nothing; sources answering 500, a
# reset, a truncated body, too slowly or with a gzip bomb write no version,
# show their error in status --json, and archive once the server heals.
. "$(dirname "$0")/lib.sh"
start_server

N=300
cfg=()
for i in $(seq -w 1 $N); do
	printf '<html><head><title>Note %s</title></head><body><p>Note %s of the ministry.</p><p>It says %s things.</p></body></html>\n' \
		"$i" "$i" "$i" >"$WWW/n$i.html"
	# A little latency so that transfers overlap and the limit is what bounds them.
	echo "delay 20" >"$WWW/n$i.html.fault"
	cfg+=("[source \"n$i\"]" "	url = $BASE/n$i.html")
done
faulty=(s500 reset trunc slow bomb)
for f in "${faulty[@]}"; do
	printf '<html><body><p>The %s page works again.</p></body></html>\n' "$f" >"$WWW/$f.html"
	cfg+=("[source \"$f\"]" "	url = $BASE/$f.html")
done
echo "status 500" >"$WWW/s500.html.fault"
echo "reset" >"$WWW/reset.html.fault"
echo "truncate 20" >"$WWW/trunc.html.fault"
echo "delay 3000" >"$WWW/slow.html.fault"
echo "gzip-bomb 100000000" >"$WWW/bomb.html.fault"
write_config '	per-host = 4' '	concurrency = 16' '	max-size = 1MiB' "${cfg[@]}"
sed -i 's/timeout = 10s/timeout = 1s/' "$CONF"
expect_exit 0 rl init

expect_exit 1 rl fetch
assert_contains "$T/out" "fetched $N, unchanged 0, changed $N, failed 5"
server_stats >"$T/stats1"
max=$(jqf .max_concurrent "$T/stats1")
[ "$max" -le 4 ] || fail "the server saw $max requests at once with per-host = 4"
[ "$max" -gt 1 ] || fail "the server never saw two requests at once (max_concurrent $max)"
assert_eq "$(git --git-dir="$ARCHIVE" for-each-ref refs/heads | wc -l)" $((N + 1)) "branches (sources + main)"
assert_eq "$(git_count n001)" 1 "n001 versions"
assert_eq "$(git_count n300)" 1 "n300 versions"
for f in "${faulty[@]}"; do
	assert_eq "$(git_count "$f")" 0 "$f versions"
done
expect_exit 0 rl status --json
jqf '.[] | select(.id=="s500" or .id=="reset" or .id=="trunc" or .id=="slow" or .id=="bomb") | "\(.id) \(.state) \(.error)"' "$T/out" >"$T/errors"
assert_contains "$T/errors" "s500 failing HTTP 500 from $BASE/s500.html"
assert_contains "$T/errors" "reset failing $BASE/reset.html: Empty reply from server"
assert_contains "$T/errors" "trunc failing $BASE/trunc.html: transfer closed with"
assert_contains "$T/errors" "slow failing $BASE/slow.html: Operation timed out after"
assert_contains "$T/errors" "bomb failing $BASE/bomb.html: body larger than max-size (1048576 bytes)"
assert_eq "$(jqf '[.[] | select(.state=="ok")] | length' "$T/out")" $N "sources ok"
echo "  pass 1: $N archived, max concurrent $max"

# Second pass: nothing changed on the server, so every page is a 304.
server_reset
expect_exit 1 rl fetch
assert_contains "$T/out" "fetched $N, unchanged $N, changed 0, failed 5"
server_stats >"$T/stats2"
cond=$(jqf .conditional "$T/stats2")
assert_eq "$cond" $N "conditional requests in the second pass"
max2=$(jqf .max_concurrent "$T/stats2")
[ "$max2" -le 4 ] || fail "the server saw $max2 requests at once in the second pass"
assert_eq "$(git_count n150)" 1 "n150 versions after the 304 pass"
total=$(git --git-dir="$ARCHIVE" rev-list --count --branches)
echo "  pass 2: $cond of $N conditional (304), max concurrent $max2, $total commits in all"

# The server heals: the five archive normally.
for f in "${faulty[@]}"; do rm "$WWW/$f.html.fault"; done
expect_exit 0 rl fetch
assert_contains "$T/out" "fetched $((N + 5)), unchanged $N, changed 5, failed 0"
for f in "${faulty[@]}"; do
	assert_eq "$(git_count "$f")" 1 "$f versions after healing"
done
expect_exit 0 rl status --json
assert_eq "$(jqf '[.[] | select(.state=="ok" and .error==null)] | length' "$T/out")" $((N + 5)) "sources ok after healing"
pass "$N sources, max concurrent $max, second pass $cond/$N conditional"
