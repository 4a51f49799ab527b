#!/usr/bin/env bash
# PDF extraction in a child process (redlined --extract-child) against in
# process, in the same run: the time per PDF (the child's start, poppler
# loaded in it, the request and reply, against extraction in a process
# that has poppler loaded already, as the daemon had), for a one-page
# notice, a 10-page excerpt and the whole 2020 Defence White Paper
# typeset by bench/mkpdf; best of RUNS (9) each. The text is checked to be
# the same both ways.
# DAEMON=1 then runs bench/daemon.sh twice, the daemon extracting PDFs in
# process (REDLINED_TEST_EXTRACT_IN_PROCESS=1, before) and in its child
# (after), with PDF_SOURCES (10) of SOURCES (1000) serving that 10-page
# PDF; DAEMON_SECONDS (150) each.
#
#   bench/pdf-child.sh            (from the repository root)
#   DAEMON=1 bench/pdf-child.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-9}
CORPUS=${CORPUS:-../shared/corpus}
EDITION=$CORPUS/rok-dwp-2020.txt
BUILD=${BUILD:-build}
if [ ! -r "$EDITION" ]; then
	echo "bench/pdf-child.sh: skipped: $EDITION is not there (the shared corpus)"
	exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

. bench/extract-tools.lib
build_extract_tools "$work" || { echo "${0##*/}: cannot build the extraction tools"; exit 1; }

head -c 3000 "$EDITION" >"$work/one.txt"
head -c 45000 "$EDITION" >"$work/ten.txt"
"$work/mkpdf" "$work/one.txt" "$work/one.pdf" "Notice" >/dev/null
"$work/mkpdf" "$work/ten.txt" "$work/ten.pdf" "2020 Defense White Paper" >/dev/null
pages=$("$work/mkpdf" "$EDITION" "$work/wp.pdf" "2020 Defense White Paper")

best() { "$work/extract-driver" -q -r "$RUNS" "$@" 2>&1 >/dev/null | sed -n 's/.*best of [0-9]*: \([0-9.]*\) ms/\1/p'; }
# peak RSS (MiB) of the process that extracted: this one, or its child
peak_here() { /usr/bin/time -f %M "$work/extract-driver" -q "$@" 2>&1 >/dev/null | tail -1 | awk '{ printf "%.1f", $1 / 1024 }'; }
peak_child() { "$work/extract-driver" -q -c "$@" 2>&1 >/dev/null | sed -n 's/.*child peak RSS \([0-9]*\) KiB/\1/p' | awk '{ printf "%.1f", $1 / 1024 }'; }

echo "PDF extraction in process and in a child (best of $RUNS, ms; $(nproc) CPUs)"
printf '  %-34s %10s %10s %10s %8s %12s\n' document "in process" "in child" overhead ratio "child MiB"
for d in one ten wp; do
	case $d in
	one) what="1 page ($(stat -c %s "$work/one.pdf") bytes)" ;;
	ten) what="10 pages ($(stat -c %s "$work/ten.pdf") bytes)" ;;
	wp) what="$pages pages ($(stat -c %s "$work/wp.pdf") bytes)" ;;
	esac
	"$work/extract-driver" -p "$work/$d.pdf" >"$work/$d.in"
	"$work/extract-driver" -p -c "$work/$d.pdf" >"$work/$d.child" 2>/dev/null
	cmp -s "$work/$d.in" "$work/$d.child" || { echo "bench/pdf-child.sh: $d: the child's text differs"; exit 1; }
	a=$(best "$work/$d.pdf")
	b=$(best -c "$work/$d.pdf")
	printf '  %-34s %10s %10s %10s %8s %12s\n' "$what" "$a" "$b" \
		"$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%+.1f", b - a }')" \
		"$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')" "$(peak_child "$work/$d.pdf")"
done

echo "  child MiB: the child's peak RSS (getrusage); the whole extraction in one"
echo "  process peaks at $(peak_here "$work/ten.pdf") MiB for the 10 pages"
[ "${DAEMON:-0}" = 1 ] || exit 0
cp "$work/ten.pdf" "$work/bench.pdf"
export PDF_FILE="$work/bench.pdf" PDF_SOURCES=${PDF_SOURCES:-10} DAEMON_SECONDS=${DAEMON_SECONDS:-150}
echo
echo "before: PDFs extracted in the daemon (REDLINED_TEST_EXTRACT_IN_PROCESS=1)"
REDLINED_TEST_EXTRACT_IN_PROCESS=1 bench/daemon.sh
echo
echo "after: PDFs extracted in a child"
bench/daemon.sh
