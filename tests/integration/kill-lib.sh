# Shared by the kill tests (t-kill-fetch.sh, t-kill-daemon.sh) and
# bench/kill.sh, sourced after lib.sh.
# shellcheck shell=bash

# page SOURCE ROUND: the seed page with a line that names the source and
# the round, as $WWW/sSOURCE.html (put in place: put_page, lib.sh).
page() {
	{
		printf '<!DOCTYPE html>\n<html><head><meta charset="utf-8">\n'
		printf '<title>Source %s</title></head>\n<body>\n<div class="page">\n' "$1"
		printf 'Revision %s of source %s is now in force.<br>\n' "$2" "$1"
		sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/$/<br>/' "$FIXTURES/seed/seed-page-085.txt"
		printf '</div>\n</body></html>\n'
	} | put_page "$WWW/s$1.html"
}
