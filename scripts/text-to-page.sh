#!/bin/sh
# text-to-page.sh TEXT [TITLE]: prints a web page like the white paper's
# basic-html pages: the hard-wrapped lines of one book page, in a <div>,
# one <br> per line. Used by the demo and the integration tests.
text=$1
title=${2:-$(head -n1 "$text")}
printf '<!DOCTYPE html>\n<html><head><meta charset="utf-8">\n<title>%s</title></head>\n<body>\n<div class="page">\n' "$title"
sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/$/<br>/' "$text"
printf '</div>\n</body></html>\n'
