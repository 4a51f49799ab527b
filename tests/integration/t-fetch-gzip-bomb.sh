#!/usr/bin/env bash
# A gzip bomb (a small body that inflates to 64 MiB) stops at max-size
# with an error, without inflating the rest in memory, and writes nothing.
. "$(dirname "$0")/fetch-lib.sh"
start_server
fault_lifecycle "gzip-bomb 67108864" "$BASE/doc.html: body larger than max-size (1048576 bytes)" '	max-size = 1MiB'

# The memory the fetch used stays far below what the bomb inflates to.
case $BUILD in *asan*) ;; *)
	if [ -x /usr/bin/time ]; then
		echo "gzip-bomb 67108864" >"$WWW/doc.html.fault"
		/usr/bin/time -f %M -o "$T/rss0" "$REDLINE" -c "$CONF" sources >/dev/null 2>&1
		/usr/bin/time -f %M -o "$T/rss" "$REDLINE" -c "$CONF" fetch >/dev/null 2>&1
		rss0=$(tail -n1 "$T/rss0")
		rss=$(tail -n1 "$T/rss")
		# Beyond what the libraries cost at rest: well under the 64 MiB.
		[ $((rss - rss0)) -lt 16384 ] ||
			fail "peak RSS $rss KiB ($rss0 at rest) while refusing a 64 MiB bomb"
	fi ;;
esac
pass
