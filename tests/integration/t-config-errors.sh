#!/usr/bin/env bash
# Every configuration problem names the file, the line and the key; an
# unknown key is an error, not a silent no-op; exit status 2.
. "$(dirname "$0")/lib.sh"

cat >"$CONF" <<CONF
[archive]
	path = $ARCHIVE
[fetch]
	concurrency = lots
	per-hots = 2
[source "ok-source"]
	url = http://127.0.0.1:9/x.html
	interval = 6h
[source "bad id"]
	url = http://127.0.0.1:9/y.html
[source "paged"]
	url = http://127.0.0.1:9/page{page}.html
	pages = 85-
	interval = 6 hours
	notify = nobody
[sauce "typo"]
	url = http://127.0.0.1:9/
CONF
expect_exit 2 rl config check
assert_contains "$T/err" "$CONF:4: fetch.concurrency: 'lots' is not a number"
assert_contains "$T/err" "$CONF:5: fetch.per-hots: unknown key 'per-hots' in [fetch]"
assert_contains "$T/err" "source id 'bad id'"
assert_contains "$T/err" "$CONF:13: source.paged.pages: '85-' is not a page range"
assert_contains "$T/err" "$CONF:14: source.paged.interval: '6 hours' is not a duration"
assert_contains "$T/err" "source.paged.notify: no [notify \"nobody\"] section"
assert_contains "$T/err" "unknown section [sauce \"typo\"]"
# Other commands refuse the file the same way.
expect_exit 2 rl fetch
assert_contains "$T/err" "fetch.concurrency"

# A syntax error names the line.
printf '[archive\n\tpath = x\n' >"$CONF"
expect_exit 2 rl config check
assert_contains "$T/err" "$CONF:1: missing ']' in section header"

# A source copied and not renamed would take the first one's URL: an
# error on the line that sets it again, naming the first. Repeatable
# keys (watch) may repeat.
cat >"$CONF" <<CONF
[archive]
	path = $ARCHIVE
[source "a"]
	url = http://127.0.0.1:9/a.html
	watch = one
	watch = two
[source "a"]
	url = http://127.0.0.1:9/b.html
CONF
expect_exit 2 rl config check
assert_contains "$T/err" "$CONF:8: source.a.url: set again (line 4 sets it first)"
assert_contains "$T/err" "1 problem"

# A sound file.
write_config '[source "a"]' '	url = http://127.0.0.1:9/a.html'
expect_exit 0 rl config check
assert_contains "$T/out" "OK (1 source"

# A missing file given with -c.
expect_exit 2 "$REDLINE" -c "$T/nope.conf" config check
assert_contains "$T/err" "nope.conf"
pass
