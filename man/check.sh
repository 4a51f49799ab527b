#!/bin/sh
# make check: the man pages render without groff warnings. Skipped, saying
# so, where groff is absent.
cd "$(dirname "$0")" || exit 1
if ! command -v groff >/dev/null 2>&1; then
	echo "skip man pages: groff is not installed"
	exit 0
fi
fail=0
for m in redline.1 redlined.8 redline.conf.5; do
	w=$(groff -man -ww -z -t "$m" 2>&1)
	if [ -n "$w" ]; then
		echo "FAIL man/$m: $w"
		fail=1
	fi
done
[ $fail = 0 ] && echo "ok   man pages: redline(1), redlined(8), redline.conf(5)"
exit $fail
