#!/usr/bin/env bash
# Extraction speed: the whole 2020 Defence White Paper (about 1 MB of
# text) as one HTML page and as a many-page PDF, read by redline's
# extraction and, in the same run, by what a user would pick instead:
# lynx -dump and html2text for the page, pdftotext for the PDF.
# Prints wall-clock times of whole processes (best of RUNS), the time of
# redline's extraction alone in-process (what the daemon pays; the
# driver's start-up loads poppler, ICU and libgit2 whatever it reads),
# and the ratios. A long PDF is read by one thread per CPU; the PDF is
# also timed pinned to one CPU.
#
#   bench/extract.sh            (from the repository root; run by bench/run.sh)
#   RUNS=9 bench/extract.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
CORPUS=${CORPUS:-../shared/corpus}
EDITION=$CORPUS/rok-dwp-2020.txt
BUILD=${BUILD:-build}

if [ ! -r "$EDITION" ]; then
	echo "bench/extract.sh: skipped: $EDITION is not there (the shared corpus)"
	exit 0
fi

need=()
command -v lynx >/dev/null || need+=(lynx)
command -v html2text >/dev/null || need+=(html2text)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v taskset >/dev/null || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ]; then
		apt-get install -y -qq "${need[@]}" >/dev/null
	else
		echo "bench/extract.sh: needs ${need[*]} (apt-get install ${need[*]})" >&2
		exit 1
	fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- build the driver and the PDF maker -------------------------------------
. bench/extract-tools.lib
build_extract_tools "$work" || { echo "${0##*/}: cannot build the extraction tools"; exit 1; }

# --- the documents ----------------------------------------------------------
# One HTML page: headings as <h2>, every other line a <p> of its own.
{
	printf '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
	printf '<title>2020 Defense White Paper</title></head><body>\n'
	sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' "$EDITION" |
		awk '/^#+ / { sub(/^#+ /, ""); print "<h2>" $0 "</h2>"; next }
		     NF     { print "<p>" $0 "</p>" }'
	printf '</body></html>\n'
} >"$work/wp.html"
pages=$("$work/mkpdf" "$EDITION" "$work/wp.pdf" "2020 Defense White Paper")

# --- timing -----------------------------------------------------------------
# best wall-clock milliseconds of RUNS runs of a command
best() {
	local b= t0 t1 ms
	for _ in $(seq "$RUNS"); do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1
		t1=$(date +%s%N)
		ms=$(((t1 - t0) / 1000000))
		if [ -z "$b" ] || [ "$ms" -lt "$b" ]; then b=$ms; fi
	done
	echo "$b"
}

# peak resident memory (MiB) of one run
rss() { /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1; awk '{ printf "%.0f", $1 / 1024 }' "$work/rss"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# in-process: the extraction alone, best of RUNS, as the daemon pays it
inproc() { "$@" -q -r "$RUNS" 2>&1 >/dev/null | sed -n 's/.*best of [0-9]*: \([0-9.]*\) ms/\1/p'; }
one_cpu() { taskset -c 0 "$@"; }

r_html=$(best "$work/extract-driver" -q -t text/html "$work/wp.html")
r_html_in=$(inproc "$work/extract-driver" -t text/html "$work/wp.html")
lynx_html=$(best lynx -dump -nolist -force_html -assume_charset=utf-8 "$work/wp.html")
h2t_html=$(best html2text -utf8 "$work/wp.html")
r_pdf=$(best "$work/extract-driver" -q "$work/wp.pdf")
r_pdf_in=$(inproc "$work/extract-driver" "$work/wp.pdf")
r_pdf1=$(best one_cpu "$work/extract-driver" -q "$work/wp.pdf")
r_pdf1_in=$(inproc one_cpu "$work/extract-driver" "$work/wp.pdf")
p2t_pdf=$(best pdftotext "$work/wp.pdf" -)
cpus=$(nproc)

m_html=$(rss "$work/extract-driver" -q -t text/html "$work/wp.html")
m_lynx=$(rss lynx -dump -nolist -force_html -assume_charset=utf-8 "$work/wp.html")
m_h2t=$(rss html2text -utf8 "$work/wp.html")
m_pdf=$(rss "$work/extract-driver" -q "$work/wp.pdf")
m_p2t=$(rss pdftotext "$work/wp.pdf" -)

printf 'extraction of the 2020 edition: %s KB of HTML, %s KB of PDF in %s pages; best of %s runs\n' \
	"$(($(stat -c %s "$work/wp.html") / 1024))" "$(($(stat -c %s "$work/wp.pdf") / 1024))" \
	"$pages" "$RUNS"
row() { printf '  %-30s %6s ms %9s %6s MiB   %s\n' "$@"; }
printf '  %-30s %9s %9s %10s\n' "" "process" "in-proc." "peak RSS"
row "redline, HTML" "$r_html" "$r_html_in ms" "$m_html" ""
row "lynx -dump" "$lynx_html" "" "$m_lynx" "redline $(ratio "$lynx_html" "$r_html")x faster"
row "html2text" "$h2t_html" "" "$m_h2t" "redline $(ratio "$h2t_html" "$r_html")x faster"
row "redline, PDF ($cpus CPUs)" "$r_pdf" "$r_pdf_in ms" "$m_pdf" ""
row "redline, PDF (1 CPU, taskset)" "$r_pdf1" "$r_pdf1_in ms" "" ""
row "pdftotext" "$p2t_pdf" "" "$m_p2t" \
	"redline $(ratio "$p2t_pdf" "$r_pdf")x faster (1 CPU: $(ratio "$p2t_pdf" "$r_pdf1")x)"
