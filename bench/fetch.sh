#!/usr/bin/env bash
# bench/fetch.sh: one pass over N (1000) small pages on loopback whose
# content has not changed since the last pass -- what a watcher does all
# day long. redline against urlwatch (the tool a user would pick instead),
# the same pages from the same server in the same run; wall time and peak
# RSS of each (GNU time), and the ratios. Goal: redline at least 10x faster
# with at most 1/4 of urlwatch's RSS.
#
# N=1000 RUNS=3 bench/fetch.sh; urlwatch and GNU time are installed with
# apt-get when missing (as root). urlwatch gets its urls.yaml, config, hooks
# and cache in a temporary directory (and HOME there too), never the user's.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD="$PWD/$BUILD" ;; esac
REDLINE=${REDLINE:-$BUILD/redline}
SERVER="$BUILD/tests/rl-testserver"
N=${N:-1000}
RUNS=${RUNS:-3}

need() { # COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ]; then
		echo "  installing $2 (apt-get)"
		apt-get install -y -q "$2" >/dev/null 2>&1 ||
			{ apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "$2" >/dev/null 2>&1; }
	fi
	command -v "$1" >/dev/null 2>&1 || { echo "bench fetch: needs $1 (apt-get install $2)"; exit 1; }
}
need urlwatch urlwatch
[ -x /usr/bin/time ] || need /usr/bin/time time
[ -x "$REDLINE" ] && [ -x "$SERVER" ] || { echo "bench fetch: build first (make all $SERVER)"; exit 1; }

W=$(mktemp -d "${TMPDIR:-/tmp}/redline-bench-fetch.XXXXXX")
SERVER_PID=
cleanup() {
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
mkdir -p "$W/www" "$W/home"

# Small pages like a ministry's notices: a title and a few paragraphs.
for i in $(seq -w 1 "$N"); do
	printf '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Notice %s</title></head>\n<body><div class="page">\n<h1>Notice %s</h1>\n<p>The ministry publishes notice %s on defence cooperation.</p>\n<p>It takes effect on the first day of month %s and stays in force until it is withdrawn.</p>\n<p>Questions about notice %s go to the press office.</p>\n</div></body></html>\n' \
		"$i" "$i" "$i" "$((10#$i % 12 + 1))" "$i" >"$W/www/n$i.html"
done
"$SERVER" --root "$W/www" --port-file "$W/port" 2>"$W/server.log" &
SERVER_PID=$!
for _ in $(seq 100); do [ -s "$W/port" ] && break; sleep 0.05; done
BASE="http://127.0.0.1:$(cat "$W/port")"

{
	printf '[archive]\n\tpath = %s/archive.git\n' "$W"
	for i in $(seq -w 1 "$N"); do
		printf '[source "n%s"]\n\turl = %s/n%s.html\n' "$i" "$BASE" "$i"
	done
} >"$W/redline.conf"
# urlwatch runs 10 jobs at once (MAX_WORKERS in its worker.py); redline's
# default is 2 per host, to be polite. Both are measured; the goal is
# judged at the same concurrency, 10 at once to the one host.
{ printf '[fetch]\n\tper-host = 10\n'; cat "$W/redline.conf"; } >"$W/redline10.conf"
for i in $(seq -w 1 "$N"); do
	printf 'name: n%s\nurl: %s/n%s.html\n---\n' "$i" "$BASE" "$i"
done >"$W/urls.yaml"
uw() {
	HOME="$W/home" XDG_CONFIG_HOME="$W/home/.config" XDG_CACHE_HOME="$W/home/.cache" \
		urlwatch --urls "$W/urls.yaml" --config "$W/urlwatch.yaml" --hooks "$W/hooks.py" \
		--cache "$W/cache.db" "$@"
}
rl() { "$REDLINE" -c "$W/redline.conf" "$@"; }

# The first pass of each archives / caches every page; not timed.
rl init >/dev/null
rl fetch -q || { echo "bench fetch: redline's first pass failed"; exit 1; }
uw >"$W/uw-first.out" 2>&1 || true
grep -q "NEW" "$W/uw-first.out" || { echo "bench fetch: urlwatch's first run reported nothing:"; head "$W/uw-first.out"; exit 1; }

# timed NAME CMD...: wall seconds and peak RSS (KiB) of one run.
timed() {
	local name=$1
	shift
	/usr/bin/time -f '%e %M' -o "$W/time" "$@" >"$W/$name.out" 2>&1 || true
	read -r wall rss <"$W/time"
	echo "$wall $rss"
}
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

: >"$W/rl.times"
: >"$W/uw.times"
check_rl() {
	grep -q "fetched $N, unchanged $N, changed 0, failed 0" "$W/$1.out" ||
		{ echo "bench fetch: redline's pass was not all unchanged:"; tail -3 "$W/$1.out"; exit 1; }
}
: >"$W/rl10.times"
for r in $(seq "$RUNS"); do
	curl -s "$BASE/_reset" >/dev/null
	timed rl "$REDLINE" -c "$W/redline.conf" fetch >>"$W/rl.times"
	check_rl rl
	rl_cond=$(curl -s "$BASE/_stats" | jq .conditional)
	timed rl10 "$REDLINE" -c "$W/redline10.conf" fetch >>"$W/rl10.times"
	check_rl rl10
	curl -s "$BASE/_reset" >/dev/null
	timed uw env HOME="$W/home" XDG_CONFIG_HOME="$W/home/.config" XDG_CACHE_HOME="$W/home/.cache" \
		urlwatch --urls "$W/urls.yaml" --config "$W/urlwatch.yaml" --hooks "$W/hooks.py" \
		--cache "$W/cache.db" >>"$W/uw.times"
	! grep -q "CHANGED\|ERROR" "$W/uw.out" ||
		{ echo "bench fetch: urlwatch saw changes or errors:"; head -5 "$W/uw.out"; exit 1; }
	uw_cond=$(curl -s "$BASE/_stats" | jq .conditional)
done
rl_wall=$(cut -d' ' -f1 "$W/rl.times" | median)
rl_rss=$(cut -d' ' -f2 "$W/rl.times" | median)
rl10_wall=$(cut -d' ' -f1 "$W/rl10.times" | median)
rl10_rss=$(cut -d' ' -f2 "$W/rl10.times" | median)
uw_wall=$(cut -d' ' -f1 "$W/uw.times" | median)
uw_rss=$(cut -d' ' -f2 "$W/uw.times" | median)

printf '%s unchanged pages on loopback, median of %s runs each\n' "$N" "$RUNS"
# What the libraries alone cost: redline links libgit2 and libcurl (and
# what Debian builds them with: OpenSSL, GnuTLS, Kerberos...); ICU, libxml2
# and poppler are loaded on the first page to extract, which an all-304
# pass never has (doc/memory.md).
/usr/bin/time -f '%M' -o "$W/time" "$REDLINE" -c "$W/redline.conf" sources >/dev/null
base_rss=$(cat "$W/time")
printf '  %-30s %8s s %9s KiB  (%s of %s requests conditional)\n' \
	"redline fetch (per-host 2)" "$rl_wall" "$rl_rss" "$rl_cond" "$N"
printf '  %-30s %8s s %9s KiB\n' "redline fetch (per-host 10)" "$rl10_wall" "$rl10_rss"
printf '  %-30s %8s s %9s KiB  (%s of %s requests conditional)\n' \
	"urlwatch $(urlwatch --version 2>/dev/null | awk '{print $2}')" "$uw_wall" "$uw_rss" "$uw_cond" "$N"
printf '  %-30s %8s   %9s KiB  (redline sources: libraries loaded, no work)\n' \
	"redline at rest" "" "$base_rss"
awk -v rw="$rl_wall" -v uw="$uw_wall" -v rr="$rl_rss" -v ur="$uw_rss" 'BEGIN {
	printf "  per-host 2 (the polite default): %.1fx faster, %.2f of the RSS\n", uw / (rw > 0 ? rw : 0.001), rr / ur
}'
awk -v rw="$rl10_wall" -v uw="$uw_wall" -v rr="$rl10_rss" -v ur="$uw_rss" 'BEGIN {
	speed = uw / (rw > 0 ? rw : 0.001); mem = rr / ur
	printf "  same concurrency (10 at once): redline is %.1fx faster (goal >= 10x) with %.2f of urlwatch'"'"'s peak RSS (goal <= 0.25)\n", speed, mem
	if (speed < 10) print "  SPEED GOAL MISSED"
	if (mem > 0.25) print "  RSS GOAL MISSED (compare \"redline at rest\": the libraries it links, not the pass)"
}'
