#!/usr/bin/env bash
# make demo: redline on the bundled sample document, page 85 of the 2020
# Defence White Paper served by a loopback server. The daemon archives it,
# the page changes (one word, one new principle), the daemon archives the
# change, and redline shows the history and the diff. Everything lives in
# demo/ inside the project.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
demo=$top/demo
rm -rf "$demo"
mkdir -p "$demo/www"

"$build/tests/rl-testserver" --root "$demo/www" --port-file "$demo/port" 2>"$demo/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$demo/port" ] && break; sleep 0.05; done
port=$(cat "$demo/port")

cat >"$demo/redline.conf" <<CONF
# The demo's configuration: one source, a page on the loopback server.
[archive]
	path = $demo/archive.git
[source "rok-dwp-2020-p85"]
	title = 2020 Defence White Paper, page 85
	url = http://127.0.0.1:$port/page85.html
	interval = 1d
	watch = linchpin
CONF

step() { printf '\n\033[1m$ %s\033[m\n' "$*"; "$@"; }
export REDLINE_CONFIG=$demo/redline.conf
export PATH="$build:$PATH"

echo "Serving page 85 on http://127.0.0.1:$port/page85.html (first edition)."
"$top/scripts/text-to-page.sh" "$top/examples/page85-v1.txt" >"$demo/www/page85.html"
step redline init
step redlined --once
echo
echo "The publisher edits the page: one word changes and a principle is inserted as b."
"$top/scripts/text-to-page.sh" "$top/examples/page85-v2.txt" >"$demo/www/page85.html"
step redlined --once
step redline log
step redline diff rok-dwp-2020-p85 --color always || true
step redline status
echo
echo "The archive is a plain git repository:"
step git --git-dir="$demo/archive.git" log --oneline rok-dwp-2020-p85
echo
echo "Try: redline -c $demo/redline.conf diff rok-dwp-2020-p85 --format json"
